/* Unit names read through OGR's CSV driver. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <gdal.h>
#include <ogr_api.h>

#include "encoding.h"
#include "units.h"

static int cmp_unit(const void *a, const void *b)
{
    return strcmp(((const lc_unit *)a)->code, ((const lc_unit *)b)->code);
}

static const char *trimmed(lc_arena *arena, lc_recoder *rec, const char *raw)
{
    size_t replaced;
    const char *u = lc_recode(rec, raw, strlen(raw), arena, &replaced);
    if (!u) return NULL;
    while (*u == ' ' || *u == '\t') u++;
    size_t n = strlen(u);
    while (n && (u[n - 1] == ' ' || u[n - 1] == '\t' || u[n - 1] == '\r')) n--;
    return n ? lc_arena_strndup(arena, u, n) : NULL;
}

lc_status lc_units_read(lc_ctx *ctx, const char *path, lc_units *out)
{
    memset(out, 0, sizeof *out);
    struct stat st;
    if (stat(path, &st) != 0) return lc_error(ctx, LC_EINPUT, "%s: %s", path, strerror(errno));
    /* the same decision as for registers: BOM, else GBK when the bytes say so */
    FILE *f = fopen(path, "rb");
    if (!f) return lc_error(ctx, LC_EINPUT, "%s: %s", path, strerror(errno));
    unsigned char buf[65536];
    size_t nread = fread(buf, 1, sizeof buf, f);
    fclose(f);
    int bom = nread >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF;
    lc_encoding enc;
    lc_encoding_from_label(!bom && lc_encoding_sniff(buf, nread, NULL, NULL) == LC_SNIFF_GBK ? "GBK"
                                                                                          : "UTF-8",
                           &enc);
    lc_recoder *rec = NULL;
    lc_status rc = lc_recoder_open(ctx, &enc, &rec);
    if (rc != LC_OK) return rc;
    GDALAllRegister();
    const char *drivers[] = {"CSV", NULL};
    const char *oo[] = {"HEADERS=YES", "AUTODETECT_TYPE=NO", NULL};
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, oo, NULL);
    OGRLayerH layer = ds ? GDALDatasetGetLayer(ds, 0) : NULL;
    if (!layer) {
        lc_recoder_free(rec);
        if (ds) GDALClose(ds);
        return lc_error(ctx, LC_EINPUT, "%s: cannot be read as a CSV of code,name", path);
    }
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    int code_i = OGR_FD_GetFieldIndex(defn, "code"), name_i = OGR_FD_GetFieldIndex(defn, "name");
    if (code_i < 0 || name_i < 0) {
        code_i = 0;
        name_i = 1;
    }
    if (OGR_FD_GetFieldCount(defn) < 2) {
        rc = lc_error(ctx, LC_EINPUT, "%s: needs two columns, code and name", path);
    }
    size_t cap = 0;
    OGRFeatureH feat;
    while (rc == LC_OK && (feat = OGR_L_GetNextFeature(layer))) {
        const char *code = OGR_F_IsFieldSetAndNotNull(feat, code_i)
                               ? trimmed(&out->strings, rec, OGR_F_GetFieldAsString(feat, code_i)) : NULL;
        const char *name = OGR_F_IsFieldSetAndNotNull(feat, name_i)
                               ? trimmed(&out->strings, rec, OGR_F_GetFieldAsString(feat, name_i)) : NULL;
        long long line = (long long)OGR_F_GetFID(feat) + 1;
        OGR_F_Destroy(feat);
        if (!code && !name) continue;
        if (!code || !name) {
            rc = lc_error(ctx, LC_EINPUT, "%s row %lld: a code and a name are both needed", path, line);
            break;
        }
        if (lc_grow(ctx, (void **)&out->items, &cap, out->n + 1, sizeof *out->items)) {
            rc = LC_ENOMEM;
            break;
        }
        out->items[out->n++] = (lc_unit){code, name};
    }
    GDALClose(ds);
    lc_recoder_free(rec);
    if (rc != LC_OK) {
        lc_units_release(out);
        return rc;
    }
    lc_sort(out->items, out->n, sizeof *out->items, cmp_unit);
    return LC_OK;
}

const char *lc_units_name(const lc_units *u, const char *code)
{
    if (!code || !u->n) return NULL;
    lc_unit key = {code, NULL};
    const lc_unit *hit = bsearch(&key, u->items, u->n, sizeof *u->items, cmp_unit);
    return hit ? hit->name : NULL;
}

void lc_units_release(lc_units *u)
{
    free(u->items);
    lc_arena_release(&u->strings);
    memset(u, 0, sizeof *u);
}
