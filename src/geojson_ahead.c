/*
** A GeoJSON file opened with its features fetched beside the opening (see
** geojson_ahead.h).
*/
#include <fcntl.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpl_conv.h>
#include <ogr_srs_api.h>

#include "geojson_ahead.h"
#include "parallel.h"

/* What the second handle's first pass reads: enough for the fields of a
** file whose features all carry the same properties, a small part of a big
** file. A file no bigger is read whole by that pass: it is opened as usual,
** without a worker, whose own opening would only add to it. */
#define LC_GEOJSON_FIRST_PASS 262144
#define LC_STR(x) #x
#define LC_XSTR(x) LC_STR(x)

static GDALDatasetH open_read_only(const char *path)
{
    static const char *const geojson_only[] = {"GeoJSON", NULL};
    return GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, geojson_only, NULL, NULL);
}

/*
** 1 when some object three levels down (a feature of the collection) has
** an "id" member whose value starts with a digit, or the file cannot be
** read: GDAL takes such ids for FIDs when its first pass met one, and the
** cut-short pass may have met none. Any other id shows in the layer (an
** "id" field) or is not used. Keys with escapes count as "id". A plain
** scan of the bytes: strings skipped, nesting counted.
*/
static int has_integer_feature_ids(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) return 1;
    enum { BUF = 1 << 20 };
    char *buf = malloc(BUF);
    if (!buf) {
        close(fd);
        return 1;
    }
    int depth = 0, in_string = 0, escaped = 0, key_is_id = 0, found = 0;
    int after = 0;           /* 1: a depth-3 "id" string closed, ':' may follow; 2: its value follows */
    size_t key_len = 0;
    char key[3];
    ssize_t got;
    /* the bytes that change the state outside a string */
    static const unsigned char structural[256] = {['"'] = 1, ['{'] = 1, ['['] = 1, ['}'] = 1, [']'] = 1};
    while (!found && (got = read(fd, buf, BUF)) > 0) {
        for (ssize_t i = 0; i < got && !found; i++) {
            /* the bulk of a file, coordinates and strings away from the
            ** features' members, passed over to the next byte that matters */
            if (in_string && !escaped && depth != 3) {
                while (i < got && buf[i] != '"' && buf[i] != '\\') i++;
                if (i == got) break;
            } else if (!in_string && after == 0) {
                int skipped = 0;   /* a byte other than a space, which resets key_is_id as below */
                for (char b; i < got && !structural[(unsigned char)(b = buf[i])]; i++)
                    skipped |= b != ' ' && b != '\t' && b != '\n' && b != '\r';
                if (skipped) key_is_id = 0;
                if (i == got) break;
            }
            char c = buf[i];
            if (in_string) {
                if (escaped) escaped = 0;
                else if (c == '\\') escaped = key_is_id = 1;   /* an escaped key may spell id */
                else if (c == '"') {
                    in_string = 0;
                    if (depth == 3 && (key_is_id || (key_len == 2 && key[0] == 'i' && key[1] == 'd'))) after = 1;
                } else if (depth == 3 && key_len < sizeof key) {
                    key[key_len++] = c;
                }
                if (depth == 3 && key_len > 2) key_len = sizeof key;
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
            if (after == 1) {
                after = c == ':' ? 2 : 0;
                if (after) continue;
            } else if (after == 2) {
                found = (c >= '0' && c <= '9') || key_is_id;
                after = 0;
            }
            key_is_id = 0;
            if (c == '"') {
                in_string = 1;
                key_len = 0;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
    }
    if (got < 0) found = 1;
    free(buf);
    close(fd);
    return found;
}

/* The full opening, on the worker; its failures recorded for the reader. */
typedef struct full_open {
    const char *path;
    lc_gdal_record record;
    GDALDatasetH ds;
    int integer_ids;             /* see has_integer_feature_ids */
} full_open;

static lc_status open_task(lc_ctx *tctx, void *userdata)
{
    (void)tctx;
    full_open *o = userdata;
    CPLPushErrorHandlerEx(lc_gdal_record_error, &o->record);
    o->ds = open_read_only(o->path);
    CPLPopErrorHandler();
    if (o->ds) o->integer_ids = has_integer_feature_ids(o->path);
    return LC_OK;
}

static void merge_envelope(lc_geojson_ahead *a, OGRFeatureH f)
{
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    if (!g || OGR_G_IsEmpty(g)) return;
    OGREnvelope e;
    OGR_G_GetEnvelope(g, &e);
    if (!a->have_env) a->env = e;
    if (e.MinX < a->env.MinX) a->env.MinX = e.MinX;
    if (e.MaxX > a->env.MaxX) a->env.MaxX = e.MaxX;
    if (e.MinY < a->env.MinY) a->env.MinY = e.MinY;
    if (e.MaxY > a->env.MaxY) a->env.MaxY = e.MaxY;
    a->have_env = 1;
}

/* Every feature through the second handle; 1 when all were fetched
** without a GDAL failure, -1 when interrupted. */
static int fetch(lc_ctx *ctx, const char *path, const char *phase, lc_geojson_ahead *a)
{
    lc_gdal_record record = {{0}, 0};
    size_t cap = 0;
    int complete = 0;
    CPLPushErrorHandlerEx(lc_gdal_record_error, &record);
    CPLSetThreadLocalConfigOption("OGR_GEOJSON_MAX_BYTES_FIRST_PASS", LC_XSTR(LC_GEOJSON_FIRST_PASS));
    a->ds = open_read_only(path);
    CPLSetThreadLocalConfigOption("OGR_GEOJSON_MAX_BYTES_FIRST_PASS", NULL);
    OGRLayerH layer = a->ds && GDALDatasetGetLayerCount(a->ds) == 1 ? GDALDatasetGetLayer(a->ds, 0) : NULL;
    OGRFeatureH f;
    while (layer && !record.failures && complete >= 0 && (f = OGR_L_GetNextFeature(layer))) {
        if (lc_grow(ctx, (void **)&a->f, &cap, a->n + 1, sizeof *a->f)) {
            OGR_F_Destroy(f);
            layer = NULL;
            break;
        }
        a->f[a->n++] = f;
        merge_envelope(a, f);
        if ((a->n & 1023) == 0) {
            if (phase) lc_report_progress(ctx, phase, a->n, 0);  /* the count is not known yet */
            if (lc_cancelled(ctx)) complete = -1;
        }
    }
    if (layer && !record.failures && complete == 0) complete = 1;
    CPLPopErrorHandler();
    return complete;
}

static int same_srs(OGRSpatialReferenceH a, OGRSpatialReferenceH b)
{
    if (!a || !b) return a == b;
    return OSRIsSame(a, b) != 0;
}

/* 1 when the two layers read the same features the same way. */
static int same_layer(OGRLayerH a, OGRLayerH b)
{
    OGRFeatureDefnH da = OGR_L_GetLayerDefn(a), db = OGR_L_GetLayerDefn(b);
    int nf = OGR_FD_GetFieldCount(da), ng = OGR_FD_GetGeomFieldCount(da);
    if (nf != OGR_FD_GetFieldCount(db) || ng != OGR_FD_GetGeomFieldCount(db)) return 0;
    if (OGR_FD_GetGeomType(da) != OGR_FD_GetGeomType(db)) return 0;
    if (strcmp(OGR_L_GetFIDColumn(a), OGR_L_GetFIDColumn(b)) != 0) return 0;
    for (int i = 0; i < nf; i++) {
        OGRFieldDefnH fa = OGR_FD_GetFieldDefn(da, i), fb = OGR_FD_GetFieldDefn(db, i);
        if (strcmp(OGR_Fld_GetNameRef(fa), OGR_Fld_GetNameRef(fb)) != 0 ||
            OGR_Fld_GetType(fa) != OGR_Fld_GetType(fb) || OGR_Fld_GetSubType(fa) != OGR_Fld_GetSubType(fb) ||
            OGR_Fld_GetWidth(fa) != OGR_Fld_GetWidth(fb) || OGR_Fld_GetPrecision(fa) != OGR_Fld_GetPrecision(fb))
            return 0;
    }
    for (int i = 0; i < ng; i++) {
        OGRGeomFieldDefnH fa = OGR_FD_GetGeomFieldDefn(da, i), fb = OGR_FD_GetGeomFieldDefn(db, i);
        if (strcmp(OGR_GFld_GetNameRef(fa), OGR_GFld_GetNameRef(fb)) != 0 ||
            OGR_GFld_GetType(fa) != OGR_GFld_GetType(fb) ||
            !same_srs(OGR_GFld_GetSpatialRef(fa), OGR_GFld_GetSpatialRef(fb)))
            return 0;
    }
    return 1;
}

/* 1 when some feature's FID is not its place: GDAL took the features'
** ids for FIDs, as the full first pass then does too. */
static int ids_taken_for_fids(const lc_geojson_ahead *a)
{
    for (size_t i = 0; i < a->n; i++)
        if (OGR_F_GetFID(a->f[i]) != (GIntBig)i) return 1;
    return 0;
}

/* 1 when the features fetched through the second handle are those the
** full handle would give. */
static int fits(const full_open *o, const lc_geojson_ahead *a)
{
    if (!o->ds || GDALDatasetGetLayerCount(o->ds) != 1) return 0;
    OGRLayerH layer = GDALDatasetGetLayer(o->ds, 0), mine = GDALDatasetGetLayer(a->ds, 0);
    int64_t count = OGR_L_GetFeatureCount(layer, FALSE);
    const char *fid64 = GDALGetMetadataItem(layer, "FID64", ""), *my_fid64 = GDALGetMetadataItem(mine, "FID64", "");
    return count >= 0 && (uint64_t)count == a->n && same_layer(layer, mine) &&
           !strcmp(fid64 ? fid64 : "", my_fid64 ? my_fid64 : "") && (!o->integer_ids || ids_taken_for_fids(a));
}

GDALDatasetH lc_geojson_open(lc_ctx *ctx, const char *gdal_path, lc_gdal_record *full_record, const char *phase,
                             lc_geojson_ahead *ahead, int *interrupted)
{
    memset(ahead, 0, sizeof *ahead);
    *interrupted = 0;
    full_open o = {gdal_path, {{0}, 0}, NULL, 0};
    lc_task *task = NULL;
    struct stat st;   /* a file on disk, as has_integer_feature_ids reads it */
    if (stat(gdal_path, &st) == 0 && st.st_size > LC_GEOJSON_FIRST_PASS)
        lc_task_try_start(ctx, open_task, &o, &task);
    if (!task) return open_read_only(gdal_path);  /* no worker: an ordinary opening */
    double t0 = lc_clock();
    int complete = fetch(ctx, gdal_path, phase, ahead);
    double seconds = lc_clock() - t0;
    lc_task_join(NULL, task);
    if (o.record.failures) *full_record = o.record;
    if (complete < 0) *interrupted = 1;
    int kept = complete > 0 && fits(&o, ahead);
    if (!kept) lc_geojson_ahead_release(ahead);
    if (o.ds && complete >= 0)
        lc_log_seconds(ctx, kept ? "fetch features (alongside the opening)" : "fetch features (alongside, dropped)",
                       seconds);
    return o.ds;
}

void lc_geojson_ahead_release(lc_geojson_ahead *ahead)
{
    for (size_t i = 0; i < ahead->n; i++) OGR_F_Destroy(ahead->f[i]);
    free(ahead->f);
    if (ahead->ds) GDALClose(ahead->ds);
    memset(ahead, 0, sizeof *ahead);
}
