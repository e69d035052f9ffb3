/*
** Reading the parcel layer through OGR (SPEC §1): the only module that holds
** OGR handles for parcels. It opens the dataset, picks the layer, decides
** the CRS and text encoding, and turns every feature into a parcel: key and
** attributes in UTF-8, geometry projected to the working CRS, checked,
** repaired with MakeValid, areas computed. A feature that cannot be used is
** a QA finding; input that cannot be used at all is an LC_EINPUT error whose
** message names the file and feature.
*/
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "area.h"
#include "dbf_raw.h"
#include "gdal_errors.h"
#include "geojson_ahead.h"
#include "geom.h"
#include "parallel.h"
#include "parcels.h"
#include "shp_check.h"

/* Coordinates beyond these are not survey data but corruption (1e30, a
** swapped unit): projected eastings/northings on Earth stay below 1e8 m
** even with a zone prefix; longitudes and latitudes below 360 and 90. */
#define LC_MAX_PROJECTED_COORD 1.0e9
#define LC_MAX_GEOGRAPHIC_LON 360.0
#define LC_MAX_GEOGRAPHIC_LAT 90.0

typedef struct reader {
    lc_ctx *ctx;
    const lc_read_opts *opts;
    lc_parcels *p;
    GDALDatasetH ds;
    OGRLayerH layer;
    int is_shapefile;        /* opened with GDAL recoding off */
    int source_geographic;
    lc_recoder *rec;
    lc_area_calc areas;
    double *xy;              /* scratch ring coordinates */
    size_t xy_cap;
    GEOSGeometry **rings;    /* scratch rings of one polygon */
    size_t rings_cap;
    GEOSGeometry **polys;    /* scratch polygons of one feature */
    size_t polys_cap;
    lc_gdal_record gdal;     /* GDAL failures on the reading thread */
    lc_dbf_columns raw;      /* wide numeric DBF fields, read as written */
    int *raw_col;            /* per field: its column in raw, -1 when read through OGR */
    char gdal_path[PATH_MAX];/* what GDAL opened: a .zip given directly as /vsizip/ */
    int64_t next_fid;        /* shapefiles: the record expected next (FIDs are record numbers) */
    OGRFeatureH *ahead;      /* features fetched to learn the extent, not yet converted */
    size_t n_ahead, ahead_cap, ahead_used;
    int ahead_all;           /* ahead holds the whole layer: nothing more to fetch */
    lc_geojson_ahead geojson; /* a GeoJSON file's features, fetched beside its opening */
    char where[320];         /* "layer:FID n" of the current feature */
} reader;

void lc_read_opts_init(lc_read_opts *o)
{
    memset(o, 0, sizeof *o);
    o->ellipsoidal = LC_ELLIPSOIDAL_GEODESIC;
}

const char *lc_gdal_path(const char *path, char *buf, size_t cap)
{
    size_t n = strlen(path);
    if (n > 4 && !strcasecmp(path + n - 4, ".zip") && strncmp(path, "/vsi", 4) != 0 &&
        n + 9 < cap) {
        snprintf(buf, cap, "/vsizip/%s", path);
        return buf;
    }
    return path;
}

/* Drivers whose dataset is one file and whose opening parses all of it:
** their file list is known without the parse. */
static int is_one_parsed_file(GDALDriverH drv)
{
    static const char *const names[] = {"GeoJSON", "GeoJSONSeq", "ESRIJSON", "TopoJSON"};
    const char *name = drv ? GDALGetDriverShortName(drv) : "";
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(name, names[i])) return 1;
    return 0;
}

char **lc_layer_files(const char *path)
{
    char zip[PATH_MAX];
    path = lc_gdal_path(path, zip, sizeof zip);
    lc_gdal_register();
    if (is_one_parsed_file(GDALIdentifyDriverEx(path, GDAL_OF_VECTOR, NULL, NULL)))
        return CSLAddString(NULL, path);
    CPLPushErrorHandler(CPLQuietErrorHandler);
    char *shp_options[] = {"ENCODING=", NULL};
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL,
                                 (const char *const *)shp_options, NULL);
    char **files = ds ? GDALGetFileList(ds) : NULL;
    if (ds) GDALClose(ds);
    CPLPopErrorHandler();
    return files;
}

void lc_layer_files_free(char **files) { CSLDestroy(files); }

static int is_connection_string(const char *path)
{
    return !strncmp(path, "PG:", 3) || !strncmp(path, "/vsi", 4) || strstr(path, "://");
}

static lc_status open_dataset(reader *r, const char *path)
{
    lc_ctx *ctx = r->ctx;
    struct stat st;
    char zip[PATH_MAX];
    if (strlen(path) + 1 > sizeof r->p->path)
        return lc_error(ctx, LC_EINPUT, "%.200s...: the path is too long (%zu bytes; at most %zu)", path,
                        strlen(path), sizeof r->p->path - 1);
    const char *given = path;
    path = lc_gdal_path(path, zip, sizeof zip);   /* a .zip given directly: what is inside */
    if (!is_connection_string(given) && stat(given, &st) != 0)
        return lc_error(ctx, LC_EINPUT, "%s: %s", given, strerror(errno));
    if (lc_is_shp_path(path) && (!is_connection_string(path) || !strncmp(path, "/vsizip/", 8))) {
        lc_status rc = lc_shapefile_precheck(ctx, path);
        if (rc != LC_OK) return rc;
    }
    lc_gdal_register();
    GDALDriverH drv = GDALIdentifyDriverEx(path, GDAL_OF_VECTOR, NULL, NULL);
    if (!drv)
        return lc_error(ctx, LC_EINPUT, "%s: not a vector dataset any GDAL driver reads", path);
    r->is_shapefile = !strcmp(GDALGetDriverShortName(drv), "ESRI Shapefile");
    /* An empty ENCODING turns GDAL's own recoding off: we decide, see encoding.c */
    char *shp_options[] = {"ENCODING=", NULL};
    if (!strcmp(GDALGetDriverShortName(drv), "GeoJSON") && !is_connection_string(path)) {
        int interrupted;
        r->ds = lc_geojson_open(ctx, path, &r->gdal, "reading parcels", &r->geojson, &interrupted);
        if (interrupted) return lc_error(ctx, LC_EINTERRUPTED, "interrupted");
    } else {
        r->ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL,
                           r->is_shapefile ? (const char *const *)shp_options : NULL, NULL);
    }
    if (!r->ds)
        return lc_error(ctx, LC_EINPUT, "%s: cannot be opened as a vector dataset%s%s", path,
                        r->gdal.msg[0] ? ": " : "", r->gdal.msg);
    snprintf(r->p->driver, sizeof r->p->driver, "%s", GDALGetDriverShortName(drv));
    snprintf(r->p->path, sizeof r->p->path, "%s", given);
    snprintf(r->gdal_path, sizeof r->gdal_path, "%s", path);
    return LC_OK;
}

static int is_areal_type(OGRwkbGeometryType t)
{
    t = wkbFlatten(t);
    return t == wkbPolygon || t == wkbMultiPolygon || t == wkbCurvePolygon ||
           t == wkbMultiSurface || t == wkbPolyhedralSurface || t == wkbTIN;
}

static const char *geometry_kind(OGRwkbGeometryType t)
{
    switch (wkbFlatten(t)) {
    case wkbPoint: case wkbMultiPoint: return lc_tr("points");
    case wkbLineString: case wkbMultiLineString: case wkbCircularString:
    case wkbCompoundCurve: case wkbMultiCurve: return lc_tr("lines");
    case wkbNone: return lc_tr("no geometry");
    default: return NULL;
    }
}

static lc_status pick_layer(reader *r)
{
    lc_ctx *ctx = r->ctx;
    const char *path = r->p->path;
    int n = GDALDatasetGetLayerCount(r->ds);
    if (n == 0) return lc_error(ctx, LC_EINPUT, "%s: contains no layer", path);
    if (r->opts->layer) {
        r->layer = GDALDatasetGetLayerByName(r->ds, r->opts->layer);
        if (!r->layer) {
            char names[512] = "";
            for (int i = 0; i < n && strlen(names) < 400; i++) {
                if (i) strcat(names, ", ");
                strncat(names, OGR_L_GetName(GDALDatasetGetLayer(r->ds, i)), 100);
            }
            return lc_error(ctx, LC_EINPUT, "%s: no layer named \"%s\" (layers: %s)", path,
                            r->opts->layer, names);
        }
    } else if (n == 1) {
        r->layer = GDALDatasetGetLayer(r->ds, 0);
    } else {
        int polygon_layers = 0;
        for (int i = 0; i < n; i++) {
            OGRLayerH l = GDALDatasetGetLayer(r->ds, i);
            if (is_areal_type(OGR_L_GetGeomType(l))) {
                if (!polygon_layers) r->layer = l;
                polygon_layers++;
            }
        }
        if (polygon_layers != 1)
            return lc_error(ctx, LC_EINPUT, "%s: has %d layers%s; choose one with --layer NAME",
                            path, n, polygon_layers ? lc_tr(" with polygons") : "");
    }
    snprintf(r->p->layer, sizeof r->p->layer, "%s", OGR_L_GetName(r->layer));
    const char *kind = geometry_kind(OGR_L_GetGeomType(r->layer));
    if (kind)
        return lc_error(ctx, LC_EINPUT, "%s: layer %s holds %s; landcons needs polygons",
                        path, r->p->layer, kind);
    r->p->n_features = OGR_L_GetFeatureCount(r->layer, TRUE);
    if (r->p->n_features == 0)
        return lc_error(ctx, LC_EINPUT, "%s: layer %s is empty (no features)", path, r->p->layer);
    return LC_OK;
}

/* Locates the first feature with a non-finite or absurd coordinate, for a
** message that names it; only run when the layer extent is already bad. */
static lc_status name_bad_coordinate(reader *r)
{
    OGRFeatureH f;
    OGR_L_ResetReading(r->layer);
    while ((f = OGR_L_GetNextFeature(r->layer))) {
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        OGREnvelope e;
        if (g && !OGR_G_IsEmpty(g)) {
            OGR_G_GetEnvelope(g, &e);
            double v[4] = {e.MinX, e.MaxX, e.MinY, e.MaxY};
            for (int i = 0; i < 4; i++)
                if (!isfinite(v[i]) || fabs(v[i]) > LC_MAX_PROJECTED_COORD) {
                    long long fid = OGR_F_GetFID(f);
                    OGR_F_Destroy(f);
                    return lc_error(r->ctx, LC_EINPUT, "%s: feature FID %lld has %s coordinate %g",
                                    r->p->path, fid, isfinite(v[i]) ? lc_tr("an absurd") : lc_tr("a non-finite"),
                                    v[i]);
                }
        }
        OGR_F_Destroy(f);
    }
    OGR_L_ResetReading(r->layer);
    return lc_error(r->ctx, LC_EINPUT, "%s: layer %s has an unusable extent", r->p->path, r->p->layer);
}

static OGRFeatureH ogr_next_feature(reader *r, lc_ctx *ctx, int64_t count, lc_status *rc);
static lc_status fetch_progress(lc_ctx *ctx, const reader *r, int64_t count);

/* The layer's extent. Formats that store it (shapefile header, GeoPackage
** contents, FlatGeobuf header) give it at once; the others (GeoJSON, CSV)
** would be parsed in full once more only for it, so their features are
** fetched now, their envelopes merged, and kept for the conversion. */
static lc_status layer_extent(reader *r, OGREnvelope *env)
{
    lc_ctx *ctx = r->ctx;
    if (r->geojson.f) {  /* fetched beside the opening */
        r->ahead = r->geojson.f;
        r->n_ahead = r->ahead_cap = r->geojson.n;
        r->ahead_all = 1;
        *env = r->geojson.env;
        int have = r->geojson.have_env;
        r->geojson.f = NULL;
        r->geojson.n = 0;
        if (!have) return lc_error(ctx, LC_EINPUT, "%s: layer %s has no geometry", r->p->path, r->p->layer);
        return LC_OK;
    }
    if (OGR_L_GetExtent(r->layer, env, FALSE) == OGRERR_NONE) return LC_OK;
    OGR_L_ResetReading(r->layer);
    r->gdal.failures = 0;
    int have = 0;
    lc_status rc = LC_OK;
    for (;;) {
        OGRFeatureH f = ogr_next_feature(r, ctx, (int64_t)r->n_ahead, &rc);
        if (!f) break;
        if (lc_grow(ctx, (void **)&r->ahead, &r->ahead_cap, r->n_ahead + 1, sizeof *r->ahead)) {
            OGR_F_Destroy(f);
            return LC_ENOMEM;
        }
        r->ahead[r->n_ahead++] = f;
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        if (g && !OGR_G_IsEmpty(g)) {
            OGREnvelope e;
            OGR_G_GetEnvelope(g, &e);
            if (!have) *env = e;
            if (e.MinX < env->MinX) env->MinX = e.MinX;
            if (e.MaxX > env->MaxX) env->MaxX = e.MaxX;
            if (e.MinY < env->MinY) env->MinY = e.MinY;
            if (e.MaxY > env->MaxY) env->MaxY = e.MaxY;
            have = 1;
        }
        rc = fetch_progress(ctx, r, (int64_t)r->n_ahead);
        if (rc != LC_OK) return rc;
    }
    if (rc != LC_OK) return rc;
    r->ahead_all = 1;
    if (!have) return lc_error(ctx, LC_EINPUT, "%s: layer %s has no geometry", r->p->path, r->p->layer);
    return LC_OK;
}

/* Says when the working CRS distorts areas over the layer, or was put in
** place of the layer's own CRS because that one did. */
static lc_status crs_findings(reader *r)
{
    const lc_crs *c = &r->p->crs;
    if (c->zone_mismatch &&
        lc_qa_add(r->ctx, &r->p->qa, LC_SEV_ERROR, "crs_zone_mismatch", NULL, r->p->path, 0, 0, 0,
                  "%s: the layer's CRS and its coordinates disagree on the Gauss-Kruger zone; areas "
                  "are computed in the CRS as declared, but one of the two is wrong", c->zone_why) != LC_OK)
        return LC_ENOMEM;
    char src[64], work[64];
    lc_crs_distortion_text(c->source_distortion, src, sizeof src);
    lc_crs_distortion_text(c->work_distortion, work, sizeof work);
    const char *sname = c->source_desc.id[0] ? c->source_desc.id : c->source_desc.name;
    const char *wname = c->work_desc.id[0] ? c->work_desc.id : c->work_desc.name;
    if (c->work_origin == LC_WORK_REPLACED)
        return lc_qa_add(r->ctx, &r->p->qa, LC_SEV_WARNING, "work_crs_replaced", NULL, r->p->path, 0, 0, 0,
                         "the layer's CRS %s distorts areas by up to %s over the layer's extent (area "
                         "scale %.6f..%.6f): areas are computed in %s (%s) instead, whose distortion "
                         "there is %s", sname, src, c->source_scale_min, c->source_scale_max, wname,
                         c->work_desc.name, work);
    if (c->work_origin == LC_WORK_FROM_OPTION && !(c->work_distortion <= LC_MAX_WORK_DISTORTION))
        return lc_qa_add(r->ctx, &r->p->qa, LC_SEV_WARNING, "work_crs_distortion", NULL, r->p->path, 0, 0,
                         0, "--work-srs %s distorts areas by up to %s over the layer's extent (area "
                         "scale %.6f..%.6f); areas and distances are computed in it as asked",
                         wname, work, c->work_scale_min, c->work_scale_max);
    if (c->kept_distorted)
        return lc_qa_add(r->ctx, &r->p->qa, LC_SEV_INFO, "work_crs_distortion", NULL, r->p->path, 0, 0, 0,
                         "the layer's CRS %s distorts areas by up to %s over the layer's extent (area "
                         "scale %.6f..%.6f); it is kept: the Gauss-Kruger/UTM zone of the centroid "
                         "would not halve that", sname, src, c->source_scale_min, c->source_scale_max);
    return LC_OK;
}

static lc_status setup_crs(reader *r)
{
    lc_ctx *ctx = r->ctx;
    OGREnvelope env;
    lc_status extent_rc = layer_extent(r, &env);
    if (extent_rc != LC_OK) return extent_rc;
    double v[4] = {env.MinX, env.MaxX, env.MinY, env.MaxY};
    for (int i = 0; i < 4; i++)
        if (!isfinite(v[i]) || fabs(v[i]) > LC_MAX_PROJECTED_COORD) return name_bad_coordinate(r);

    char *wkt = NULL;
    OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(r->layer);
    if (!srs && r->is_shapefile && lc_is_shp_path(r->gdal_path) && !r->opts->s_srs) {
        /* a .prj GDAL could not parse must not silently turn into an inferred CRS */
        char prj[PATH_MAX];
        if (lc_shp_companion(r->gdal_path, ".prj", prj, sizeof prj))
            return lc_error(ctx, LC_EINPUT, "%s: the CRS in it cannot be read (give the CRS with "
                            "--s-srs)", prj);
    }
    if (srs) {
        const char *wkt_opts[] = {"FORMAT=WKT2_2019", NULL};
        if (OSRExportToWktEx(srs, &wkt, wkt_opts) != OGRERR_NONE) {
            CPLFree(wkt);
            wkt = NULL;
        }
    }
    lc_crs_request req = {
        .layer_wkt = wkt, .s_srs = r->opts->s_srs, .zone = r->opts->zone,
        .work_srs = r->opts->work_srs, .work_inherited = r->opts->work_srs_inherited,
        .minx = env.MinX, .miny = env.MinY,
        .maxx = env.MaxX, .maxy = env.MaxY, .what = r->p->path,
    };
    lc_status rc = lc_crs_setup(ctx, &req, &r->p->crs);
    CPLFree(wkt);
    if (rc == LC_OK && !r->opts->work_srs_inherited) rc = crs_findings(r);
    if (rc != LC_OK) return rc;
    PJ_TYPE t = proj_get_type(r->p->crs.source);
    r->source_geographic = t == PJ_TYPE_GEOGRAPHIC_2D_CRS || t == PJ_TYPE_GEOGRAPHIC_3D_CRS;
    lc_area_calc_init(&r->areas, ctx, r->p->crs.to_geographic, r->p->crs.a, r->p->crs.inv_f,
                      r->opts->ellipsoidal);
    r->p->ellipsoidal_method = r->opts->ellipsoidal;
    return LC_OK;
}

static lc_status setup_encoding(reader *r)
{
    lc_ctx *ctx = r->ctx;
    lc_encoding *enc = &r->p->encoding;
    if (r->is_shapefile) {
        char shp[PATH_MAX + 300], dbf[PATH_MAX + 300];
        if (lc_is_shp_path(r->gdal_path)) snprintf(shp, sizeof shp, "%s", r->gdal_path);
        else snprintf(shp, sizeof shp, "%s/%s.shp", r->gdal_path, r->p->layer);
        if (!lc_shp_companion(shp, ".dbf", dbf, sizeof dbf))
            return lc_error(ctx, LC_EINPUT, "%s is missing: a shapefile needs its .dbf", dbf);
        int cpg_unrecognised = 0;
        lc_status rc = lc_encoding_for_dbf(ctx, dbf, r->opts->encoding, enc, &cpg_unrecognised);
        if (rc != LC_OK) return rc;
        if (cpg_unrecognised &&
            lc_qa_add(ctx, &r->p->qa, LC_SEV_WARNING, "unknown_cpg", NULL, r->p->path, 0, 0, 0,
                      "the .cpg names an encoding landcons does not know; used %s (%s)",
                      enc->name, enc->source) != LC_OK)
            return LC_ENOMEM;
    } else {
        /* GeoPackage, GeoJSON, FileGDB, SpatiaLite, PostGIS: OGR gives UTF-8 */
        snprintf(enc->name, sizeof enc->name, "UTF-8");
        snprintf(enc->source, sizeof enc->source, "%s driver (UTF-8)", r->p->driver);
        if (r->opts->encoding) {
            lc_encoding user;
            if (!lc_encoding_from_label(r->opts->encoding, &user))
                return lc_error(ctx, LC_EINPUT, "--encoding %s: unknown encoding", r->opts->encoding);
            if (user.iconv_name[0])
                return lc_error(ctx, LC_EINPUT, "--encoding %s applies to shapefiles only: "
                                "%s text is UTF-8 by definition", r->opts->encoding, r->p->driver);
        }
    }
    return lc_recoder_open(ctx, enc, &r->rec);
}

/* Recodes s (from a shapefile) or checks it (other drivers) into the arena;
** counts a warning for undecodable bytes. */
static const char *utf8_text(reader *r, const char *s, const char *what)
{
    size_t replaced = 0;
    const char *u = lc_recode(r->rec, s, strlen(s), &r->p->strings, &replaced);
    if (u && replaced)
        lc_qa_add(r->ctx, &r->p->qa, LC_SEV_WARNING, "undecodable_text", NULL, r->where, 0, 0, 0,
                  "%s: %zu byte sequence(s) are not valid %s and were replaced by U+FFFD",
                  what, replaced, r->p->encoding.name);
    return u;
}

/* Numeric shapefile fields too wide for a double (an N(19,0) DKBM) are
** read from the .dbf as text, digits as written. */
static lc_status read_wide_numbers(reader *r)
{
    lc_parcels *p = r->p;
    r->raw_col = lc_malloc(r->ctx, (p->n_fields ? p->n_fields : 1) * sizeof *r->raw_col);
    if (!r->raw_col) return LC_ENOMEM;
    const char **names = lc_calloc(r->ctx, p->n_fields ? p->n_fields : 1, sizeof *names);
    if (!names) return LC_ENOMEM;
    size_t n = 0;
    for (size_t j = 0; j < p->n_fields; j++) {
        r->raw_col[j] = -1;
        const lc_field *f = &p->fields[j];
        if (r->is_shapefile && (f->type == LC_FIELD_INT || f->type == LC_FIELD_REAL) &&
            f->width > LC_DBF_EXACT_DIGITS && f->precision == 0)
            names[n++] = f->name;
    }
    lc_status rc = LC_OK;
    char shp[PATH_MAX + 300], dbf[PATH_MAX + 300];
    if (n) {
        if (lc_is_shp_path(r->gdal_path)) snprintf(shp, sizeof shp, "%s", r->gdal_path);
        else snprintf(shp, sizeof shp, "%s/%s.shp", r->gdal_path, p->layer);
        if (lc_shp_companion(shp, ".dbf", dbf, sizeof dbf))
            rc = lc_dbf_read_columns(r->ctx, dbf, names, n, &r->raw);
    }
    for (size_t k = 0; rc == LC_OK && k < r->raw.n_cols; k++) {
        int j = lc_parcels_field_index(p, r->raw.cols[k].name);
        if (j < 0) continue;
        r->raw_col[j] = (int)k;
        p->fields[j].type = LC_FIELD_TEXT;
    }
    free(names);
    return rc;
}

static lc_status read_fields(reader *r)
{
    lc_ctx *ctx = r->ctx;
    lc_parcels *p = r->p;
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(r->layer);
    int n = OGR_FD_GetFieldCount(defn);
    p->fields = lc_calloc(ctx, (size_t)n, sizeof *p->fields);
    if (!p->fields) return LC_ENOMEM;
    snprintf(r->where, sizeof r->where, "%s field names", p->layer);
    for (int i = 0; i < n; i++) {
        OGRFieldDefnH fd = OGR_FD_GetFieldDefn(defn, i);
        lc_field *f = &p->fields[i];
        f->name = (char *)utf8_text(r, OGR_Fld_GetNameRef(fd), "field name");
        if (!f->name) return lc_error(ctx, LC_ENOMEM, "out of memory");
        f->width = OGR_Fld_GetWidth(fd);
        f->precision = OGR_Fld_GetPrecision(fd);
        switch (OGR_Fld_GetType(fd)) {
        case OFTInteger: case OFTInteger64: f->type = LC_FIELD_INT; break;
        case OFTReal: f->type = LC_FIELD_REAL; break;
        case OFTDate: f->type = LC_FIELD_DATE; break;
        default: f->type = LC_FIELD_TEXT; break;
        }
    }
    p->n_fields = (size_t)n;
    p->null_stride = ((size_t)n + 7) / 8;
    lc_status rc = read_wide_numbers(r);
    if (rc != LC_OK) return rc;
    const char *key = r->opts->key_field ? r->opts->key_field : "DKBM";
    if (!strcasecmp(key, "@fid")) {
        p->key_from_fid = 1;
        snprintf(p->key_field, sizeof p->key_field, "@fid");
        return LC_OK;
    }
    p->key_index = lc_parcels_field_index(p, key);
    if (p->key_index < 0 && r->opts->key_is_name && !r->opts->key_field)
        for (size_t j = 0; j < p->n_fields && p->key_index < 0; j++)
            if (p->fields[j].type == LC_FIELD_TEXT) p->key_index = (int)j;
    if (p->key_index >= 0) {
        snprintf(p->key_field, sizeof p->key_field, "%s", p->fields[p->key_index].name);
    } else if (r->opts->require_key || r->opts->key_field) {
        char names[600] = "";
        for (int i = 0; i < n && strlen(names) < 500; i++) {
            if (i) strcat(names, ", ");
            strncat(names, p->fields[i].name, 60);
        }
        if (r->opts->key_is_name)
            return lc_error(ctx, LC_EINPUT, "%s: layer %s has no field %s (--site-name-field; fields: %s)",
                            p->path, p->layer, key, names);
        return lc_error(ctx, LC_EINPUT, "%s: layer %s has no key field %s (fields: %s); "
                        "name it with --key FIELD", p->path, p->layer, key, names);
    }
    return LC_OK;
}

static lc_status read_attributes(reader *r, OGRFeatureH f, size_t row, const char **key)
{
    lc_parcels *p = r->p;
    lc_value *v = p->values + row * p->n_fields;
    uint8_t *nulls = p->nulls + row * p->null_stride;
    memset(nulls, 0, p->null_stride);
    *key = NULL;
    for (size_t j = 0; j < p->n_fields; j++) {
        int idx = (int)j;
        if (r->raw_col[j] >= 0) {
            const char *t = lc_dbf_value(&r->raw, (size_t)r->raw_col[j], OGR_F_GetFID(f));
            v[j].s = *t ? lc_arena_strdup(&p->strings, t) : NULL;
            if (!*t) nulls[j / 8] |= (uint8_t)(1u << (j % 8));
            else if (!v[j].s) return LC_ENOMEM;
            continue;
        }
        if (!OGR_F_IsFieldSetAndNotNull(f, idx)) {
            nulls[j / 8] |= (uint8_t)(1u << (j % 8));
            v[j].s = NULL;
            continue;
        }
        switch (p->fields[j].type) {
        case LC_FIELD_INT: v[j].i = OGR_F_GetFieldAsInteger64(f, idx); break;
        case LC_FIELD_REAL: v[j].d = OGR_F_GetFieldAsDouble(f, idx); break;
        case LC_FIELD_DATE: {
            int y, m, d, hh, mm, tz;
            float ss;
            char buf[16];
            OGR_F_GetFieldAsDateTimeEx(f, idx, &y, &m, &d, &hh, &mm, &ss, &tz);
            snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
            v[j].s = lc_arena_strdup(&p->strings, buf);
            if (!v[j].s) return LC_ENOMEM;
            break;
        }
        case LC_FIELD_TEXT:
            v[j].s = utf8_text(r, OGR_F_GetFieldAsString(f, idx), p->fields[j].name);
            if (!v[j].s) return LC_ENOMEM;
            break;
        }
    }
    if (p->key_from_fid) {
        char buf[32];
        snprintf(buf, sizeof buf, "%lld", (long long)OGR_F_GetFID(f));
        *key = lc_arena_strdup(&p->strings, buf);
        if (!*key) return LC_ENOMEM;
    } else if (p->key_index >= 0 && !(nulls[p->key_index / 8] & (1u << (p->key_index % 8)))) {
        char buf[64];
        const char *s = buf;
        const lc_value *kv = &v[p->key_index];
        switch (p->fields[p->key_index].type) {
        case LC_FIELD_INT: snprintf(buf, sizeof buf, "%lld", (long long)kv->i); break;
        case LC_FIELD_REAL: snprintf(buf, sizeof buf, "%.17g", kv->d); break;
        default: s = kv->s; break;
        }
        while (isspace((unsigned char)*s)) s++;
        size_t len = strlen(s);
        while (len && isspace((unsigned char)s[len - 1])) len--;
        if (len) {
            *key = lc_arena_strndup(&p->strings, s, len);
            if (!*key) return LC_ENOMEM;
        }
    }
    return LC_OK;
}

/* Builds a GEOS linear ring from an OGR ring: coordinates checked, moved to
** the working CRS, closed. *ring is NULL when it has fewer than 3 distinct
** positions (reported by the caller). */
static lc_status convert_ring(reader *r, OGRGeometryH ogr_ring, GEOSGeometry **ring, int *npoints)
{
    lc_ctx *ctx = r->ctx;
    *ring = NULL;
    int n = OGR_G_GetPointCount(ogr_ring);
    *npoints = n;
    if (lc_grow(ctx, (void **)&r->xy, &r->xy_cap, 2 * (size_t)n + 2, sizeof(double))) return LC_ENOMEM;
    if (n > 0) OGR_G_GetPoints(ogr_ring, r->xy, 2 * sizeof(double), r->xy + 1, 2 * sizeof(double),
                               NULL, 0);
    double lim_x = r->source_geographic ? LC_MAX_GEOGRAPHIC_LON : LC_MAX_PROJECTED_COORD;
    double lim_y = r->source_geographic ? LC_MAX_GEOGRAPHIC_LAT : LC_MAX_PROJECTED_COORD;
    for (int i = 0; i < n; i++) {
        double x = r->xy[2 * i], y = r->xy[2 * i + 1];
        if (!isfinite(x) || !isfinite(y))
            return lc_error(ctx, LC_EINPUT, "%s: %s has a non-finite coordinate (%g %g) at vertex %d",
                            r->p->path, r->where, x, y, i);
        if (fabs(x) > lim_x || fabs(y) > lim_y)
            return lc_error(ctx, LC_EINPUT, "%s: %s has an absurd coordinate (%g %g) at vertex %d "
                            "for CRS %s", r->p->path, r->where, x, y, i, r->p->crs.source_desc.name);
    }
    if (r->p->crs.to_work) {
        size_t bad = 0;
        if (lc_crs_transform(ctx, r->p->crs.to_work, r->xy, (size_t)n, &bad) != LC_OK)
            return lc_error(ctx, LC_EINPUT, "%s: %s: vertex %zu cannot be transformed to %s",
                            r->p->path, r->where, bad, r->p->crs.work_desc.name);
    }
    if (n > 0 && (r->xy[0] != r->xy[2 * (n - 1)] || r->xy[1] != r->xy[2 * (n - 1) + 1])) {
        r->xy[2 * n] = r->xy[0];
        r->xy[2 * n + 1] = r->xy[1];
        n++;
    }
    if (n < 4) return LC_OK;
    GEOSContextHandle_t h = ctx->geos;
    GEOSCoordSequence *seq = GEOSCoordSeq_copyFromBuffer_r(h, r->xy, (unsigned)n, 0, 0);
    *ring = seq ? GEOSGeom_createLinearRing_r(h, seq) : NULL;
    if (!*ring) return lc_error(ctx, LC_EINTERNAL, "%s: GEOS: %s", r->where, ctx->geos_msg);
    return LC_OK;
}

static void destroy_scratch(reader *r, GEOSGeometry **g, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (g[i]) GEOSGeom_destroy_r(r->ctx->geos, g[i]);
}

/* One OGR polygon to GEOS; *poly stays NULL when its shell is degenerate. */
static lc_status convert_polygon(reader *r, OGRGeometryH ogr_poly, const char *key,
                                 GEOSGeometry **poly)
{
    lc_ctx *ctx = r->ctx;
    *poly = NULL;
    int nrings = OGR_G_GetGeometryCount(ogr_poly);
    if (nrings == 0) return LC_OK;
    if (lc_grow(ctx, (void **)&r->rings, &r->rings_cap, (size_t)nrings, sizeof *r->rings))
        return LC_ENOMEM;
    size_t kept = 0;
    lc_status rc = LC_OK;
    for (int i = 0; i < nrings && rc == LC_OK; i++) {
        GEOSGeometry *ring;
        int npts;
        rc = convert_ring(r, OGR_G_GetGeometryRef(ogr_poly, i), &ring, &npts);
        if (rc != LC_OK) break;
        if (!ring) {
            rc = lc_qa_add(ctx, &r->p->qa, LC_SEV_ERROR, "invalid_geometry", key, r->where, 0, 0, 0,
                           "%s %d has only %d point(s) and encloses nothing; %s",
                           i == 0 ? lc_tr("outer ring") : lc_tr("hole"), i, npts,
                           i == 0 ? lc_tr("the polygon part is dropped") : lc_tr("the hole is dropped"));
            if (i == 0) break;
            continue;
        }
        r->rings[kept++] = ring;
    }
    if (rc != LC_OK || kept == 0) {
        destroy_scratch(r, r->rings, kept);
        return rc;
    }
    *poly = GEOSGeom_createPolygon_r(ctx->geos, r->rings[0], r->rings + 1, (unsigned)(kept - 1));
    if (!*poly) {
        destroy_scratch(r, r->rings, kept);
        return lc_error(ctx, LC_EINTERNAL, "%s: GEOS: %s", r->where, ctx->geos_msg);
    }
    return LC_OK;
}

/* Converts an areal OGR geometry; *out is NULL when nothing areal remains. */
static lc_status convert_geometry(reader *r, OGRGeometryH g, const char *key, GEOSGeometry **out)
{
    lc_ctx *ctx = r->ctx;
    *out = NULL;
    OGRGeometryH lin = NULL;
    if (OGR_G_HasCurveGeometry(g, TRUE)) {
        lin = OGR_G_GetLinearGeometry(g, 0, NULL);
        if (!lin) return lc_error(ctx, LC_EINPUT, "%s: %s: curved geometry cannot be linearised",
                                  r->p->path, r->where);
        g = lin;
    }
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    int nparts = (t == wkbPolygon) ? 1 : OGR_G_GetGeometryCount(g);
    if (lc_grow(ctx, (void **)&r->polys, &r->polys_cap, (size_t)nparts + 1, sizeof *r->polys)) {
        OGR_G_DestroyGeometry(lin);
        return LC_ENOMEM;
    }
    size_t kept = 0;
    lc_status rc = LC_OK;
    for (int i = 0; i < nparts && rc == LC_OK; i++) {
        OGRGeometryH part = (t == wkbPolygon) ? g : OGR_G_GetGeometryRef(g, i);
        if (wkbFlatten(OGR_G_GetGeometryType(part)) != wkbPolygon) continue;
        GEOSGeometry *poly;
        rc = convert_polygon(r, part, key, &poly);
        if (rc == LC_OK && poly) r->polys[kept++] = poly;
    }
    OGR_G_DestroyGeometry(lin);
    if (rc != LC_OK) {
        destroy_scratch(r, r->polys, kept);
        return rc;
    }
    if (kept == 1) *out = r->polys[0];
    else if (kept > 1)
        *out = GEOSGeom_createCollection_r(ctx->geos, GEOS_MULTIPOLYGON, r->polys, (unsigned)kept);
    if (kept && !*out) {
        destroy_scratch(r, r->polys, kept);
        return lc_error(ctx, LC_EINTERNAL, "%s: GEOS: %s", r->where, ctx->geos_msg);
    }
    return LC_OK;
}

/* Validity check and repair (SPEC §1): invalid geometries are reported with
** GEOS's reason and location, then repaired unless --no-repair. */
static lc_status check_and_repair(reader *r, const char *key, GEOSGeometry **geom, uint32_t *flags)
{
    lc_ctx *ctx = r->ctx;
    GEOSContextHandle_t h = ctx->geos;
    char *reason = NULL;
    GEOSGeometry *location = NULL;
    char valid = GEOSisValidDetail_r(h, *geom, 0, &reason, &location);
    if (valid == 2) return lc_error(ctx, LC_EINTERNAL, "%s: GEOS validity check failed: %s",
                                    r->where, ctx->geos_msg);
    if (valid == 1) return LC_OK;
    double x = 0, y = 0;
    int has_point = location && GEOSGeomGetX_r(h, location, &x) && GEOSGeomGetY_r(h, location, &y);
    r->p->n_invalid++;
    lc_status rc;
    if (r->opts->no_repair) {
        *flags |= LC_PARCEL_INVALID;
        rc = lc_qa_add(ctx, &r->p->qa, LC_SEV_ERROR, "invalid_geometry", key, r->where, has_point,
                       x, y, "%s at %.3f %.3f; kept unrepaired (--no-repair)",
                       reason ? reason : "invalid", x, y);
    } else {
        double before = 0, after = 0;
        lc_area_of(&r->areas, *geom, &before, NULL);
        GEOSGeometry *fixed = lc_geom_make_valid_polygonal(ctx, *geom);
        if (!fixed) {
            rc = LC_EINTERNAL;
        } else {
            GEOSGeom_destroy_r(h, *geom);
            *geom = fixed;
            lc_area_of(&r->areas, fixed, &after, NULL);
            *flags |= LC_PARCEL_REPAIRED;
            r->p->n_repaired++;
            rc = lc_qa_add(ctx, &r->p->qa, LC_SEV_ERROR, "invalid_geometry", key, r->where,
                           has_point, x, y, "%s at %.3f %.3f; repaired with MakeValid "
                           "(planar area %.2f m² before, %.2f m² after)",
                           reason ? reason : "invalid", x, y, before, after);
        }
    }
    GEOSFree_r(h, reason);
    if (location) GEOSGeom_destroy_r(h, location);
    return rc;
}

/* A shapefile's FIDs are its record numbers, and GDAL skips a record the
** .dbf marks deleted (its first byte '*'): a gap in the FIDs is such a
** record, reported rather than dropped silently. Records before `upto`
** not seen yet are the deleted ones. */
static lc_status deleted_records(reader *r, int64_t upto)
{
    lc_status rc = LC_OK;
    for (; r->next_fid < upto && rc == LC_OK; r->next_fid++) {
        char where[320];
        snprintf(where, sizeof where, "%s:FID %lld", r->p->layer, (long long)r->next_fid);
        r->p->n_deleted++;
        rc = lc_qa_add(r->ctx, &r->p->qa, LC_SEV_WARNING, "deleted_record", NULL, where, 0, 0, 0,
                       "the .dbf marks record %lld as deleted: its shape is not read (remove it for "
                       "good, or undelete it, in the editor that deleted it)", (long long)r->next_fid);
    }
    return rc;
}

/* Room for n rows of items and, following their capacity, attribute rows. */
static lc_status rows_room(lc_ctx *ctx, lc_parcels *p, size_t n)
{
    size_t old_cap = p->cap;
    if (lc_grow(ctx, (void **)&p->items, &p->cap, n, sizeof *p->items)) return LC_ENOMEM;
    if (p->cap == old_cap && p->values) return LC_OK;
    lc_value *nv = lc_realloc_array(ctx, p->values, p->cap, p->n_fields * sizeof *nv + 1);
    if (!nv) return LC_ENOMEM;
    p->values = nv;
    uint8_t *nn = lc_realloc_array(ctx, p->nulls, p->cap, p->null_stride + 1);
    if (!nn) return LC_ENOMEM;
    p->nulls = nn;
    return LC_OK;
}

/* Reads one feature into row p->n; *kept is 0 when it was skipped.
** long: the checks of one feature in the order of SPEC §1 (geometry, key,
** fields), each with its own finding. */
static lc_status read_feature(reader *r, OGRFeatureH f)
{
    lc_ctx *ctx = r->ctx;
    lc_parcels *p = r->p;
    long long fid = OGR_F_GetFID(f);
    if (r->is_shapefile) {
        lc_status drc = deleted_records(r, fid);
        r->next_fid = fid + 1;
        if (drc != LC_OK) return drc;
    }
    snprintf(r->where, sizeof r->where, "%s:FID %lld", p->layer, fid);
    size_t row = p->n;
    if (rows_room(ctx, p, row + 1) != LC_OK) return LC_ENOMEM;

    const char *key;
    lc_status rc = read_attributes(r, f, row, &key);
    if (rc != LC_OK) return rc == LC_ENOMEM ? lc_error(ctx, LC_ENOMEM, "out of memory") : rc;

    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    if (!g || OGR_G_IsEmpty(g)) {
        p->n_empty++;
        return lc_qa_add(ctx, &p->qa, LC_SEV_WARNING, "empty_geometry", key, r->where, 0, 0, 0,
                         "feature has no geometry; skipped");
    }
    OGRwkbGeometryType t = OGR_G_GetGeometryType(g);
    int collection = wkbFlatten(t) == wkbGeometryCollection;
    if (!is_areal_type(t) && !collection) {
        p->n_non_areal++;
        return lc_qa_add(ctx, &p->qa, LC_SEV_WARNING, "non_areal_geometry", key, r->where, 0, 0, 0,
                         "geometry is a %s, not a polygon; skipped", OGRGeometryTypeToName(t));
    }
    GEOSGeometry *geom = NULL;
    rc = convert_geometry(r, g, key, &geom);
    if (rc != LC_OK) return rc;
    if (!geom) {
        if (collection) {
            p->n_non_areal++;
            return lc_qa_add(ctx, &p->qa, LC_SEV_WARNING, "non_areal_geometry", key, r->where, 0, 0,
                             0, "geometry collection without polygons; skipped");
        }
        p->n_skipped_invalid++;
        return lc_qa_add(ctx, &p->qa, LC_SEV_ERROR, "unusable_geometry", key, r->where, 0, 0, 0,
                         "no polygon with an area remains; skipped");
    }
    uint32_t flags = 0;
    rc = check_and_repair(r, key, &geom, &flags);
    if (rc == LC_OK && GEOSisEmpty_r(ctx->geos, geom) == 1) {
        GEOSGeom_destroy_r(ctx->geos, geom);
        p->n_skipped_invalid++;
        return lc_qa_add(ctx, &p->qa, LC_SEV_ERROR, "unusable_geometry", key, r->where, 0, 0, 0,
                         "the repaired geometry has no area; skipped");
    }
    lc_parcel *it = &p->items[row];
    memset(it, 0, sizeof *it);
    if (rc != LC_OK) {
        GEOSGeom_destroy_r(ctx->geos, geom);
        return rc;
    }
    int polygons, holes;
    lc_geom_count_parts(ctx, geom, &polygons, &holes);
    if (polygons > 1) flags |= LC_PARCEL_MULTIPART;
    if (holes > 0) flags |= LC_PARCEL_HAS_HOLES;
    it->fid = fid;
    it->key = key;
    it->geom = geom;
    it->flags = flags;
    double x0, y0, x1, y1;
    GEOSGeom_getXMin_r(ctx->geos, geom, &x0);
    GEOSGeom_getYMin_r(ctx->geos, geom, &y0);
    GEOSGeom_getXMax_r(ctx->geos, geom, &x1);
    GEOSGeom_getYMax_r(ctx->geos, geom, &y1);
    if (p->n == 0 || x0 < p->minx) p->minx = x0;
    if (p->n == 0 || y0 < p->miny) p->miny = y0;
    if (p->n == 0 || x1 > p->maxx) p->maxx = x1;
    if (p->n == 0 || y1 > p->maxy) p->maxy = y1;
    p->n++;
    if (!key && p->key_index >= 0 && !r->opts->key_is_name) {
        double x = 0, y = 0;
        int has_point = lc_geom_point_on_surface(ctx, geom, &x, &y);
        return lc_qa_add(ctx, &p->qa, LC_SEV_ERROR, "missing_key", NULL, r->where, has_point, x, y,
                         "%s is empty", p->key_field);
    }
    return LC_OK;
}

/* Fetches the next feature; NULL at the end, or with *rc set when GDAL
** reported a failure. */
static OGRFeatureH ogr_next_feature(reader *r, lc_ctx *ctx, int64_t count, lc_status *rc)
{
    OGRFeatureH f = OGR_L_GetNextFeature(r->layer);
    if (r->gdal.failures) {
        *rc = lc_error(ctx, LC_EINPUT, "%s: reading failed after %lld features: %s", r->p->path,
                       (long long)count, r->gdal.msg);
        OGR_F_Destroy(f);
        return NULL;
    }
    return f;
}

/* The next feature: those fetched ahead first, then OGR's. */
static OGRFeatureH next_feature(reader *r, lc_ctx *ctx, int64_t count, lc_status *rc)
{
    if (r->ahead_used < r->n_ahead) return r->ahead[r->ahead_used++];
    return r->ahead_all ? NULL : ogr_next_feature(r, ctx, count, rc);
}

/* Every 1,024 features: the reading, or once the whole layer was fetched
** ahead for its extent, the conversion of what was fetched. */
static lc_status fetch_progress(lc_ctx *ctx, const reader *r, int64_t count)
{
    if ((count & 1023) != 0) return LC_OK;
    if (r->ahead_all)
        lc_report_progress(ctx, "checking parcels", (size_t)count, (size_t)r->p->n_features);
    else
        lc_report_progress(ctx, "reading parcels", (size_t)count, (size_t)r->p->n_features);
    return lc_cancelled(ctx) ? lc_error(ctx, LC_EINTERRUPTED, "interrupted") : LC_OK;
}

/*
** With a second thread at hand, reading runs in two stages: this thread
** fetches features from OGR (one thread per layer handle) and hands them
** over in batches, in order; a task turns them into parcels (attributes,
** GEOS geometry, validity). The task owns the reader's parcel state while it
** runs; this thread touches only the layer and its GDAL error record.
*/
enum { QUEUE_BATCH = 64, QUEUE_SLOTS = 8 };

typedef struct feature_queue {
    pthread_mutex_t lock;
    pthread_cond_t filled, emptied;
    OGRFeatureH batch[QUEUE_SLOTS][QUEUE_BATCH];
    size_t len[QUEUE_SLOTS];
    size_t put, taken, done;    /* batches handed over, started, finished */
    int closed;                 /* no more batches will come */
    int failed;                 /* the task stopped on an error */
    reader *r;
    lc_gdal_record gdal;        /* GDAL failures raised on the task's thread */
} feature_queue;

static lc_status convert_features(lc_ctx *tctx, void *userdata)
{
    feature_queue *q = userdata;
    reader *r = q->r;
    r->ctx = tctx;
    r->areas.ctx = tctx;
    CPLPushErrorHandlerEx(lc_gdal_record_error, &q->gdal);
    lc_status rc = LC_OK;
    for (;;) {
        pthread_mutex_lock(&q->lock);
        while (q->taken == q->put && !q->closed) pthread_cond_wait(&q->filled, &q->lock);
        if (q->taken == q->put) {
            pthread_mutex_unlock(&q->lock);
            break;
        }
        size_t slot = q->taken++ % QUEUE_SLOTS;
        pthread_mutex_unlock(&q->lock);
        /* the slot is ours until done moves past it; after a failure the
        ** batches are only passed through */
        for (size_t k = 0; k < q->len[slot] && rc == LC_OK; k++) rc = read_feature(r, q->batch[slot][k]);
        pthread_mutex_lock(&q->lock);
        q->done++;
        if (rc != LC_OK) q->failed = 1;
        pthread_cond_signal(&q->emptied);
        pthread_mutex_unlock(&q->lock);
    }
    CPLPopErrorHandler();
    if (rc == LC_OK && q->gdal.failures)
        rc = lc_error(tctx, LC_EINPUT, "%s: reading failed: %s", r->p->path, q->gdal.msg);
    return rc;
}

/* Hands a batch to the task; 0 (the batch destroyed) when the task has
** stopped on an error. Features are destroyed here, on the thread that
** made them, once the task is through with them: a block is freed much
** faster on the thread that allocated it (glibc's arenas, tcmalloc's
** thread caches). */
static int hand_over(feature_queue *q, OGRFeatureH *batch, size_t n)
{
    pthread_mutex_lock(&q->lock);
    while (q->put - q->done == QUEUE_SLOTS && !q->failed) pthread_cond_wait(&q->emptied, &q->lock);
    int ok = !q->failed;
    size_t slot = q->put % QUEUE_SLOTS;
    pthread_mutex_unlock(&q->lock);
    if (!ok) {
        for (size_t k = 0; k < n; k++) OGR_F_Destroy(batch[k]);
        return 0;
    }
    for (size_t k = 0; k < q->len[slot]; k++) OGR_F_Destroy(q->batch[slot][k]);
    memcpy(q->batch[slot], batch, n * sizeof *batch);
    q->len[slot] = n;
    pthread_mutex_lock(&q->lock);
    q->put++;
    pthread_cond_signal(&q->filled);
    pthread_mutex_unlock(&q->lock);
    return 1;
}

/*
** A layer fetched whole ahead (GeoJSON, CSV: formats without a stored
** extent) is converted in two halves at once, the second on a worker into
** a set of its own, then appended: the same rows, findings and counts in
** the same order as one pass, since each feature's conversion depends on
** the feature alone. The worker has its own text checker, projection and
** area calculator; the features stay with this thread, which made them.
*/
enum { SPLIT_MIN_FEATURES = 2048 };

typedef struct half {
    reader r;                    /* the worker's reader, over its own set */
    lc_parcels p;
    size_t from, to;             /* its features in ahead */
    lc_gdal_record gdal;
    lc_latch copied;             /* set once the projections are copied */
} half;

/* Converts ahead[from, to) into r's set; 1024 features between progress
** reports (scaled to the whole) and cancellation checks. */
static lc_status convert_range(reader *r, size_t from, size_t to, size_t total)
{
    lc_status rc = LC_OK;
    for (size_t i = from; i < to && rc == LC_OK; i++) {
        rc = read_feature(r, r->ahead[i]);
        size_t done = i + 1 - from;
        if (rc == LC_OK && (done & 1023) == 0) {
            lc_report_progress(r->ctx, "checking parcels", done * total / (to - from), total);
            if (lc_cancelled(r->ctx)) rc = lc_error(r->ctx, LC_EINTERRUPTED, "interrupted");
        }
    }
    return rc;
}

/* The worker's half. Its projection and area calculator are copies in the
** worker's PROJ context, released here, before the context goes; the
** caller starts on its own half once they are made (a PJ being copied
** must not be in use). */
static lc_status convert_half(lc_ctx *tctx, void *userdata)
{
    half *h = userdata;
    reader *r = &h->r;
    r->ctx = tctx;
    PJ *shared = h->p.crs.to_work;
    lc_status rc = lc_recoder_open(tctx, &h->p.encoding, &r->rec);
    if (rc == LC_OK && shared && !(h->p.crs.to_work = proj_clone(tctx->proj, shared)))
        rc = lc_error(tctx, LC_EINTERNAL, "cannot clone the projection to %s", h->p.crs.work_desc.name);
    if (rc == LC_OK) rc = lc_parcels_area_calc(tctx, &h->p, &r->areas);
    lc_latch_set(&h->copied, rc);
    CPLPushErrorHandlerEx(lc_gdal_record_error, &h->gdal);
    if (rc == LC_OK) rc = convert_range(r, h->from, h->to, 0);
    CPLPopErrorHandler();
    if (rc == LC_OK && h->gdal.failures)
        rc = lc_error(tctx, LC_EINPUT, "%s: reading failed: %s", h->p.path, h->gdal.msg);
    if (h->p.crs.to_work != shared) proj_destroy(h->p.crs.to_work);
    h->p.crs.to_work = shared;
    lc_area_calc_release(&r->areas);
    lc_recoder_free(r->rec);
    r->rec = NULL;
    return rc;
}

/* Appends q's rows, findings, strings and counts to p (q is left empty of them). */
static lc_status append_set(lc_ctx *ctx, lc_parcels *p, lc_parcels *q)
{
    size_t n = p->n + q->n;
    if (rows_room(ctx, p, n ? n : 1) != LC_OK) return LC_ENOMEM;
    if (q->n) {
        memcpy(p->items + p->n, q->items, q->n * sizeof *q->items);
        memcpy(p->values + p->n * p->n_fields, q->values, q->n * p->n_fields * sizeof *q->values);
        memcpy(p->nulls + p->n * p->null_stride, q->nulls, q->n * p->null_stride);
        if (p->n == 0 || q->minx < p->minx) p->minx = q->minx;
        if (p->n == 0 || q->miny < p->miny) p->miny = q->miny;
        if (p->n == 0 || q->maxx > p->maxx) p->maxx = q->maxx;
        if (p->n == 0 || q->maxy > p->maxy) p->maxy = q->maxy;
    }
    p->n = n;
    q->n = 0;   /* the geometries are p's now */
    p->n_invalid += q->n_invalid;
    p->n_repaired += q->n_repaired;
    p->n_empty += q->n_empty;
    p->n_non_areal += q->n_non_areal;
    p->n_skipped_invalid += q->n_skipped_invalid;
    lc_arena_adopt(&p->strings, &q->strings);
    return lc_qa_take(ctx, &p->qa, &q->qa);
}

/* The worker's half freed: what append_set did not take. */
static void release_half(half *h, GEOSContextHandle_t geos)
{
    lc_parcels *q = &h->p;
    for (size_t i = 0; i < q->n; i++)
        if (q->items[i].geom) GEOSGeom_destroy_r(geos, q->items[i].geom);
    free(q->items);
    free(q->values);
    free(q->nulls);
    lc_qa_release(&q->qa);
    lc_arena_release(&q->strings);
    free(h->r.xy);
    free(h->r.rings);
    free(h->r.polys);
}

/* Both halves of a layer fetched whole; *split 0 (nothing done) when no
** worker can be had. */
static lc_status convert_ahead_in_halves(reader *r, int *split)
{
    lc_ctx *ctx = r->ctx;
    *split = 0;
    half *h = lc_calloc(ctx, 1, sizeof *h);
    if (!h) return LC_ENOMEM;
    /* fields, key, CRS, encoding: shared, read only; rows, findings, strings, counts: its own */
    h->p = *r->p;
    h->p.items = NULL;
    h->p.values = NULL;
    h->p.nulls = NULL;
    h->p.n = h->p.cap = 0;
    memset(&h->p.strings, 0, sizeof h->p.strings);
    memset(&h->p.qa, 0, sizeof h->p.qa);
    h->p.n_invalid = h->p.n_repaired = h->p.n_empty = h->p.n_non_areal = h->p.n_skipped_invalid = 0;
    h->r = *r;
    h->r.p = &h->p;
    h->r.rec = NULL;
    memset(&h->r.areas, 0, sizeof h->r.areas);
    h->r.xy = NULL;
    h->r.rings = NULL;
    h->r.polys = NULL;
    h->r.xy_cap = h->r.rings_cap = h->r.polys_cap = 0;
    h->from = r->n_ahead / 2;
    h->to = r->n_ahead;
    lc_task *task = NULL;
    lc_latch_init(&h->copied);
    lc_task_try_start(ctx, convert_half, h, &task);
    if (!task) {
        lc_latch_destroy(&h->copied);
        free(h);
        return LC_OK;
    }
    *split = 1;
    lc_latch_wait(&h->copied);
    lc_status rc = convert_range(r, 0, h->from, r->n_ahead);
    /* this thread made the features: it destroys them, its half first */
    for (size_t i = 0; i < h->from; i++) OGR_F_Destroy(r->ahead[i]);
    lc_status worker = lc_task_join(rc == LC_OK ? ctx : NULL, task);
    for (size_t i = h->from; i < h->to; i++) OGR_F_Destroy(r->ahead[i]);
    r->ahead_used = r->n_ahead;
    if (rc == LC_OK) rc = worker;
    if (rc == LC_OK) rc = append_set(ctx, r->p, &h->p);
    release_half(h, ctx->geos);
    lc_latch_destroy(&h->copied);
    free(h);
    return rc;
}

static lc_status read_features(reader *r)
{
    lc_ctx *ctx = r->ctx;
    if (r->ahead_all && !r->is_shapefile && r->n_ahead >= SPLIT_MIN_FEATURES) {
        int split;
        lc_status rc = convert_ahead_in_halves(r, &split);
        if (split || rc != LC_OK) {
            if (rc == LC_OK && r->p->n == 0)
                rc = lc_error(ctx, LC_EINPUT, "%s: layer %s has no usable polygon among its %lld features",
                              r->p->path, r->p->layer, (long long)r->n_ahead);
            return rc;
        }
    }
    if (!r->ahead_all) OGR_L_ResetReading(r->layer);   /* else the features are all in ahead */
    /* the rows at once: grown row by row they are copied a few times over */
    if (r->p->n_features > 0 && rows_room(ctx, r->p, (size_t)r->p->n_features) != LC_OK) return LC_ENOMEM;
    r->gdal.failures = 0;
    int64_t count = 0;
    lc_status rc = LC_OK;
    feature_queue *q = lc_calloc(ctx, 1, sizeof *q);
    if (!q) return LC_ENOMEM;
    q->r = r;
    pthread_mutex_init(&q->lock, NULL);
    pthread_cond_init(&q->filled, NULL);
    pthread_cond_init(&q->emptied, NULL);
    lc_task *task = NULL;
    lc_task_try_start(ctx, convert_features, q, &task);
    if (task) {
        /* from here on r->ctx is the task's: this thread uses ctx */
        OGRFeatureH batch[QUEUE_BATCH];
        size_t n = 0;
        int task_ok = 1;
        while (rc == LC_OK && task_ok) {
            OGRFeatureH f = next_feature(r, ctx, count, &rc);
            if (!f) break;
            batch[n++] = f;
            count++;
            if (n == QUEUE_BATCH) {
                task_ok = hand_over(q, batch, n);
                n = 0;
            }
            if (rc == LC_OK) rc = fetch_progress(ctx, r, count);
        }
        if (n) hand_over(q, batch, n);
        pthread_mutex_lock(&q->lock);
        q->closed = 1;
        pthread_cond_signal(&q->filled);
        pthread_mutex_unlock(&q->lock);
        lc_status converted = lc_task_join(ctx, task);  /* the task's message lands on ctx */
        for (size_t slot = 0; slot < QUEUE_SLOTS; slot++)
            for (size_t k = 0; k < q->len[slot]; k++) OGR_F_Destroy(q->batch[slot][k]);
        r->ctx = ctx;
        r->areas.ctx = ctx;
        if (converted != LC_OK) rc = converted;
    } else {
        while (rc == LC_OK) {
            OGRFeatureH f = next_feature(r, ctx, count, &rc);
            if (!f) break;
            rc = read_feature(r, f);
            OGR_F_Destroy(f);
            count++;
            if (rc == LC_OK) rc = fetch_progress(ctx, r, count);
        }
    }
    pthread_cond_destroy(&q->filled);
    pthread_cond_destroy(&q->emptied);
    pthread_mutex_destroy(&q->lock);
    free(q);
    if (rc == LC_OK && r->is_shapefile) rc = deleted_records(r, r->p->n_features);
    if (rc == LC_OK && r->p->n == 0)
        rc = lc_error(ctx, LC_EINPUT, "%s: layer %s has no usable polygon among its %lld features",
                      r->p->path, r->p->layer, (long long)count);
    return rc;
}

/* Areas, measured once every geometry is in, on all threads: a worker reads
** the coordinates of the reader's geometries (it creates no GEOS object
** from them) and projects with its own clone of the inverse projection. */
enum { AREA_CHUNK = 256 };

static lc_status area_thread_init(lc_ctx *tctx, void *state, void *userdata)
{
    return lc_parcels_area_calc(tctx, userdata, state);
}

static lc_status area_chunk(lc_ctx *tctx, size_t chunk, void *userdata)
{
    lc_parcels *p = userdata;
    lc_area_calc *calc = lc_thread_state(tctx);
    size_t end = (chunk + 1) * AREA_CHUNK < p->n ? (chunk + 1) * AREA_CHUNK : p->n;
    for (size_t i = chunk * AREA_CHUNK; i < end; i++) {
        lc_parcel *it = &p->items[i];
        if (lc_area_of(calc, it->geom, &it->planar_m2, &it->ellipsoidal_m2) != LC_OK) {
            char where[128], msg[LC_ERRMSG_MAX];
            lc_parcel_where(p, i, where, sizeof where);
            snprintf(msg, sizeof msg, "%s", tctx->errmsg);
            return lc_error(tctx, LC_EINPUT, "%s: %s: %s", p->path, where, msg);
        }
    }
    return lc_cancelled(tctx) ? lc_error(tctx, LC_EINTERRUPTED, "interrupted") : LC_OK;
}

static lc_status measure_areas(reader *r)
{
    lc_parallel job = {area_chunk, area_thread_init, lc_area_thread_done, sizeof(lc_area_calc), r->p, NULL};
    return lc_parallel_for(r->ctx, (r->p->n + AREA_CHUNK - 1) / AREA_CHUNK, &job);
}

typedef struct key_ref {
    const char *key;
    int64_t fid;
    size_t row;
} key_ref;

static int cmp_key_ref(const void *a, const void *b)
{
    const key_ref *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c) return c;
    return (x->fid > y->fid) - (x->fid < y->fid);
}

/* Flags and reports keys shared by several features: both are kept. */
static lc_status mark_duplicate_keys(reader *r)
{
    lc_ctx *ctx = r->ctx;
    lc_parcels *p = r->p;
    size_t n = 0;
    key_ref *refs = lc_malloc(ctx, (p->n ? p->n : 1) * sizeof *refs);
    if (!refs) return LC_ENOMEM;
    for (size_t i = 0; i < p->n; i++)
        if (p->items[i].key) refs[n++] = (key_ref){p->items[i].key, p->items[i].fid, i};
    lc_sort(refs, n, sizeof *refs, cmp_key_ref);
    lc_status rc = LC_OK;
    for (size_t i = 0; i < n && rc == LC_OK;) {
        size_t j = i + 1;
        while (j < n && !strcmp(refs[i].key, refs[j].key)) j++;
        if (j - i > 1) {
            for (size_t k = i; k < j && rc == LC_OK; k++) {
                lc_parcel *it = &p->items[refs[k].row];
                it->flags |= LC_PARCEL_DUPLICATE_KEY;
                char where[320];
                lc_parcel_where(p, refs[k].row, where, sizeof where);
                double x = 0, y = 0;
                int has_point = lc_geom_point_on_surface(ctx, it->geom, &x, &y);
                rc = lc_qa_add(ctx, &p->qa, LC_SEV_ERROR, "duplicate_key", it->key, where, has_point, x, y,
                               "key %s is shared by %zu features; each is kept and counted",
                               it->key, j - i);
            }
        }
        i = j;
    }
    free(refs);
    return rc;
}

lc_status lc_parcels_read(lc_ctx *ctx, const char *path, const lc_read_opts *opts,
                          lc_parcels **out)
{
    lc_read_opts defaults;
    if (!opts) {
        lc_read_opts_init(&defaults);
        opts = &defaults;
    }
    *out = NULL;
    ctx->errmsg[0] = '\0';
    reader r;
    memset(&r, 0, sizeof r);
    r.ctx = ctx;
    r.opts = opts;
    r.p = lc_calloc(ctx, 1, sizeof *r.p);
    if (!r.p) return LC_ENOMEM;
    r.p->geos = ctx->geos;
    r.p->key_index = -1;

    double t0 = lc_clock();
    CPLPushErrorHandlerEx(lc_gdal_record_error, &r.gdal);
    lc_status rc = open_dataset(&r, path);
    if (rc == LC_OK) rc = pick_layer(&r);
    if (rc == LC_OK) rc = setup_crs(&r);
    if (rc == LC_OK) rc = setup_encoding(&r);
    if (rc == LC_OK) rc = read_fields(&r);
    if (rc == LC_OK) rc = read_features(&r);
    if (rc == LC_OK) rc = measure_areas(&r);
    if (rc == LC_OK && !opts->key_is_name) rc = mark_duplicate_keys(&r);
    CPLPopErrorHandler();
    char phase[64];
    snprintf(phase, sizeof phase, "read layer %.40s", r.p->layer);
    lc_log_phase(ctx, phase, t0);

    for (size_t i = r.ahead_used; i < r.n_ahead; i++) OGR_F_Destroy(r.ahead[i]);
    free(r.ahead);
    if (r.ds) GDALClose(r.ds);
    lc_geojson_ahead_release(&r.geojson);  /* after its features, tied to its layer */
    lc_recoder_free(r.rec);
    lc_dbf_columns_release(&r.raw);
    free(r.raw_col);
    lc_area_calc_release(&r.areas);
    free(r.xy);
    free(r.rings);
    free(r.polys);
    if (rc != LC_OK) {
        lc_parcels_free(r.p);
        return rc;
    }
    *out = r.p;
    return LC_OK;
}
