/* Unit names from a code,name CSV or a 发包方 (FBF) table, through GDAL. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <cpl_conv.h>
#include <gdal.h>
#include <ogr_api.h>

#include "encoding.h"
#include "gdal_errors.h"
#include "table_read.h"
#include "units.h"

static int cmp_unit(const void *a, const void *b)
{
    return strcmp(((const lc_unit *)a)->code, ((const lc_unit *)b)->code);
}

static lc_status add(lc_ctx *ctx, lc_units *u, const char *code, size_t code_len, const char *name,
                     size_t name_len)
{
    if (lc_grow(ctx, (void **)&u->items, &u->cap, u->n + 1, sizeof *u->items)) return LC_ENOMEM;
    const char *c = lc_arena_strndup(&u->strings, code, code_len);
    const char *n = lc_arena_strndup(&u->strings, name, name_len);
    if (!c || !n) return lc_error(ctx, LC_ENOMEM, "out of memory");
    u->items[u->n++] = (lc_unit){c, n};
    return LC_OK;
}

static void note_source(lc_units *u, const char *path)
{
    size_t len = strlen(u->sources);
    snprintf(u->sources + len, sizeof u->sources - len, "%s%s", len ? ", " : "", path);
}

/* Header columns by name (case-insensitive), or -1. */
static int column_named(const lc_table_sheet *s, size_t header_row, const char *name)
{
    for (size_t c = 0; c < s->rows[header_row].n; c++) {
        const char *v = lc_table_cell(s, header_row, c);
        if (v && !strcasecmp(v, name)) return (int)c;
    }
    return -1;
}

lc_status lc_units_add_csv(lc_ctx *ctx, const char *path, lc_units *u)
{
    lc_table *t = NULL;
    lc_status rc = lc_table_read(ctx, path, NULL, &t);
    if (rc != LC_OK) return rc;
    const lc_table_sheet *s = &t->sheets[0];
    if (!s->n_rows) {
        lc_table_free(t);
        return lc_error(ctx, LC_EINPUT, "%s: no rows of code,name", path);
    }
    int code_i = column_named(s, 0, "code"), name_i = column_named(s, 0, "name");
    size_t first = 1;
    if (code_i < 0 || name_i < 0) {  /* no header: the first two columns */
        code_i = 0;
        name_i = 1;
        first = 0;
        const char *c0 = lc_table_cell(s, 0, 0);
        if (c0 && (c0[0] < '0' || c0[0] > '9')) first = 1;  /* a header of other words */
    }
    for (size_t r = first; r < s->n_rows && rc == LC_OK; r++) {
        const char *code = lc_table_cell(s, r, (size_t)code_i), *name = lc_table_cell(s, r, (size_t)name_i);
        if (!code || !name)
            rc = lc_error(ctx, LC_EINPUT, "%s row %lld: a code and a name are both needed", path,
                          (long long)s->rows[r].line);
        else
            rc = add(ctx, u, code, strlen(code), name, strlen(name));
    }
    lc_table_free(t);
    if (rc == LC_OK) note_source(u, path);
    return rc;
}

/* Finds the earliest of `words` in s at or after `from` (of words starting
** there, the longest: 街道办事处 before 街道); returns the offset just past
** it, 0 when none. */
static size_t after_first(const char *s, size_t from, const char *const *words)
{
    size_t best_start = (size_t)-1, best_end = 0;
    for (int i = 0; words[i]; i++) {
        const char *hit = strstr(s + from, words[i]);
        if (!hit) continue;
        size_t start = (size_t)(hit - s), end = start + strlen(words[i]);
        if (start < best_start || (start == best_start && end > best_end)) {
            best_start = start;
            best_end = end;
        }
    }
    return best_end;
}

void lc_fbf_name_split(const char *name, lc_fbf_name_parts *out)
{
    memset(out, 0, sizeof *out);
    static const char *const admin[] = {"省", "自治区", "市", "盟", "州", "县", "区", "旗", NULL};
    static const char *const town[] = {"街道办事处", "街道", "镇", "乡", NULL};
    static const char *const village[] = {"村民委员会", "居民委员会", "社区", "居委会", "村", NULL};
    size_t t_end = after_first(name, 0, town);
    /* the township starts after the last province/city/county word before it */
    size_t t_start = 0;
    if (t_end) {
        for (;;) {
            size_t next = after_first(name, t_start, admin);
            if (!next || next >= t_end - 3) break;  /* a word inside the township name itself */
            t_start = next;
        }
        out->town_off = t_start;
        out->town_len = t_end - t_start;
    }
    size_t v_start = t_end;
    size_t v_end = after_first(name, v_start, village);
    if (!t_end && v_end) {  /* no township in the name: the village starts after the county */
        for (;;) {
            size_t next = after_first(name, v_start, admin);
            if (!next || next >= v_end - 3) break;
            v_start = next;
        }
    }
    if (v_end) {
        /* 村民委员会 names the village 村 */
        const char *full = "村民委员会";
        size_t fl = strlen(full);
        size_t len = v_end - v_start;
        if (len >= fl && !strncmp(name + v_end - fl, full, fl)) len -= fl - strlen("村");
        out->village_off = v_start;
        out->village_len = len;
    }
}

typedef struct fbf_row { const char *code, *name; } fbf_row;

static lc_status add_fbf_rows(lc_ctx *ctx, const char *path, const fbf_row *rows, size_t n, lc_units *u)
{
    lc_status rc = LC_OK;
    /* villages named by their own 发包方 (code ending in 00) first, groups
    ** after them, so the village's own name wins (added last wins: reverse) */
    for (int pass = 0; pass < 2 && rc == LC_OK; pass++) {
        for (size_t i = 0; i < n && rc == LC_OK; i++) {
            const char *code = rows[i].code, *name = rows[i].name;
            size_t cl = strlen(code);
            if (cl < 12) continue;
            int village_level = cl >= 14 && !strncmp(code + 12, "00", 2);
            if (village_level != pass) continue;
            lc_fbf_name_parts parts;
            lc_fbf_name_split(name, &parts);
            if (parts.town_len) rc = add(ctx, u, code, 9, name + parts.town_off, parts.town_len);
            if (rc == LC_OK && parts.village_len)
                rc = add(ctx, u, code, 12, name + parts.village_off, parts.village_len);
            else if (rc == LC_OK && village_level && !parts.town_len)
                rc = add(ctx, u, code, 12, name, strlen(name));
        }
    }
    (void)path;
    return rc;
}

/* Reads FBFBM/FBFMC from a DBF through OGR with GDAL's recoding off and
** the encoding decided as for parcel layers. */
static lc_status read_fbf_dbf(lc_ctx *ctx, const char *path, lc_units *u)
{
    lc_encoding enc;
    int unrecognised = 0;
    lc_status rc = lc_encoding_for_dbf(ctx, path, NULL, &enc, &unrecognised);
    if (rc != LC_OK) return rc;
    lc_recoder *rec = NULL;
    rc = lc_recoder_open(ctx, &enc, &rec);
    if (rc != LC_OK) return rc;
    lc_gdal_register();
    const char *drivers[] = {"ESRI Shapefile", NULL};
    char *oo[] = {"ENCODING=", NULL};
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, (const char *const *)oo, NULL);
    OGRLayerH layer = ds ? GDALDatasetGetLayer(ds, 0) : NULL;
    int ci = layer ? OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(layer), "FBFBM") : -1;
    int ni = layer ? OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(layer), "FBFMC") : -1;
    if (!layer || ci < 0 || ni < 0) {
        if (ds) GDALClose(ds);
        lc_recoder_free(rec);
        return lc_error(ctx, LC_EINPUT, "%s: not a 发包方 table (needs fields FBFBM and FBFMC)", path);
    }
    fbf_row *rows = NULL;
    size_t n = 0, cap = 0;
    lc_arena tmp = {0};
    OGRFeatureH f;
    while (rc == LC_OK && (f = OGR_L_GetNextFeature(layer))) {
        size_t replaced;
        const char *code = OGR_F_IsFieldSetAndNotNull(f, ci) ? OGR_F_GetFieldAsString(f, ci) : "";
        const char *name = OGR_F_IsFieldSetAndNotNull(f, ni) ? OGR_F_GetFieldAsString(f, ni) : "";
        const char *c8 = lc_recode(rec, code, strlen(code), &tmp, &replaced);
        const char *n8 = lc_recode(rec, name, strlen(name), &tmp, &replaced);
        OGR_F_Destroy(f);
        if (!c8 || !n8) rc = lc_error(ctx, LC_ENOMEM, "out of memory");
        else if (*c8 && *n8) {
            if (lc_grow(ctx, (void **)&rows, &cap, n + 1, sizeof *rows)) rc = LC_ENOMEM;
            else rows[n++] = (fbf_row){c8, n8};
        }
    }
    GDALClose(ds);
    lc_recoder_free(rec);
    if (rc == LC_OK) rc = add_fbf_rows(ctx, path, rows, n, u);
    free(rows);
    lc_arena_release(&tmp);
    return rc;
}

static int has_ext(const char *path, const char *ext)
{
    size_t n = strlen(path), e = strlen(ext);
    return n > e && !strcasecmp(path + n - e, ext);
}

lc_status lc_units_add_fbf(lc_ctx *ctx, const char *path, lc_units *u)
{
    lc_status rc;
    if (has_ext(path, ".dbf") || has_ext(path, ".shp")) {
        struct stat st;
        if (stat(path, &st) != 0) return lc_error(ctx, LC_EINPUT, "%s: %s", path, strerror(errno));
        rc = read_fbf_dbf(ctx, path, u);
    } else {
        lc_table *t = NULL;
        rc = lc_table_read(ctx, path, NULL, &t);
        if (rc != LC_OK) return rc;
        int ci = -1, ni = -1;
        const lc_table_sheet *s = NULL;
        size_t hr = 0;
        for (size_t k = 0; k < t->n_sheets && ci < 0; k++)
            for (size_t r = 0; r < t->sheets[k].n_rows && r < 20 && (ci < 0 || ni < 0); r++) {
                ci = column_named(&t->sheets[k], r, "FBFBM");
                ni = column_named(&t->sheets[k], r, "FBFMC");
                if (ci < 0) ci = column_named(&t->sheets[k], r, "发包方编码");
                if (ni < 0) ni = column_named(&t->sheets[k], r, "发包方名称");
                if (ci >= 0 && ni >= 0) {
                    s = &t->sheets[k];
                    hr = r;
                } else {
                    ci = ni = -1;
                }
            }
        if (!s) {
            lc_table_free(t);
            return lc_error(ctx, LC_EINPUT, "%s: not a 发包方 table (needs columns FBFBM and FBFMC, or "
                            "发包方编码 and 发包方名称)", path);
        }
        fbf_row *rows = lc_calloc(ctx, s->n_rows ? s->n_rows : 1, sizeof *rows);
        size_t n = 0;
        rc = rows ? LC_OK : LC_ENOMEM;
        for (size_t r = hr + 1; rc == LC_OK && r < s->n_rows; r++) {
            const char *c = lc_table_cell(s, r, (size_t)ci), *nm = lc_table_cell(s, r, (size_t)ni);
            if (c && nm) rows[n++] = (fbf_row){c, nm};
        }
        if (rc == LC_OK) rc = add_fbf_rows(ctx, path, rows, n, u);
        free(rows);
        lc_table_free(t);
    }
    if (rc == LC_OK) note_source(u, path);
    return rc;
}

int lc_units_fbf_beside(const char *parcels_path, char *out, size_t cap)
{
    if (!has_ext(parcels_path, ".shp") && !has_ext(parcels_path, ".dbf")) return 0;
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", parcels_path);
    char *slash = strrchr(dir, '/');
    if (slash) *slash = '\0';
    else snprintf(dir, sizeof dir, ".");
    DIR *d = opendir(dir);
    if (!d) return 0;
    struct dirent *e;
    int found = 0;
    while (!found && (e = readdir(d)))
        if (!strcasecmp(e->d_name, "FBF.dbf")) {
            snprintf(out, cap, "%s/%s", dir, e->d_name);
            found = 1;
        }
    closedir(d);
    return found;
}

typedef struct seq_unit { lc_unit u; size_t seq; } seq_unit;

static int cmp_seq_unit(const void *pa, const void *pb)
{
    const seq_unit *a = pa, *b = pb;
    int c = strcmp(a->u.code, b->u.code);
    if (c) return c;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

void lc_units_finish(lc_units *u)
{
    seq_unit *s = malloc((u->n ? u->n : 1) * sizeof *s);
    if (!s) {  /* unsorted names would be found by chance: drop them */
        u->n = 0;
        return;
    }
    for (size_t i = 0; i < u->n; i++) s[i] = (seq_unit){u->items[i], i};
    lc_sort(s, u->n, sizeof *s, cmp_seq_unit);
    size_t n = 0;
    for (size_t i = 0; i < u->n; i++) {  /* of equal codes the last added wins */
        if (n && !strcmp(u->items[n - 1].code, s[i].u.code)) u->items[n - 1] = s[i].u;
        else u->items[n++] = s[i].u;
    }
    u->n = n;
    free(s);
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
