/*
** The GeoPackage output (-o OUT.gpkg, SPEC §5a): the layers of the output
** schema (schema.c) written through GDAL's GPKG driver, which registers the
** SRS, the contents and the spatial indexes as the standard asks, plus the
** summary table and a layer_styles table with the same QGIS styles as the
** SpatiaLite output (QGIS reads a GeoPackage's styles from that table).
*/
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cpl_conv.h>
#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "gdal_errors.h"
#include "outfile.h"
#include "out_gpkg.h"
#include "schema.h"
#include "styles.h"

typedef struct gpkg {
    lc_ctx *ctx;
    const lc_analysis *a;
    GDALDatasetH ds;
    OGRSpatialReferenceH srs;
    GEOSWKBWriter *wkb;
    char **input_names;
    const char *path;          /* the target, for messages */
    lc_gdal_record gdal;
} gpkg;

static lc_status gdal_failed(gpkg *g, const char *what)
{
    return lc_error(g->ctx, LC_EINTERNAL, "%s: writing the GeoPackage (%s): %s", g->path, what,
                    g->gdal.msg[0] ? g->gdal.msg : "GDAL failed");
}

static OGRFieldType field_type(const char *sql)
{
    if (!strncmp(sql, "INTEGER", 7)) return OFTInteger64;
    if (!strncmp(sql, "REAL", 4)) return OFTReal;
    return OFTString;
}

static OGRFieldType input_type(lc_field_type t)
{
    switch (t) {
    case LC_FIELD_INT: return OFTInteger64;
    case LC_FIELD_REAL: return OFTReal;
    default: return OFTString;
    }
}

static lc_status add_field(gpkg *g, OGRLayerH layer, const char *name, OGRFieldType t, int not_null)
{
    OGRFieldDefnH fd = OGR_Fld_Create(name, t);
    if (not_null) OGR_Fld_SetNullable(fd, 0);
    OGRErr e = OGR_L_CreateField(layer, fd, TRUE);
    OGR_Fld_Destroy(fd);
    return e == OGRERR_NONE ? LC_OK : gdal_failed(g, name);
}

/* The key column becomes the layer's FID column (same name). */
static const lc_column *key_column(const lc_layer *l)
{
    for (size_t c = 0; c < l->n_cols; c++)
        if (l->cols[c].flags & LC_COLF_KEY) return &l->cols[c];
    return NULL;
}

static lc_status create_layer(gpkg *g, const lc_layer *l, OGRLayerH *out)
{
    const lc_column *key = key_column(l);
    char fid_opt[64], spatial[] = "SPATIAL_INDEX=YES";
    snprintf(fid_opt, sizeof fid_opt, "FID=%s", key ? key->name : "fid");
    char *opts[] = {fid_opt, "GEOMETRY_NAME=geom", spatial, NULL};
    OGRwkbGeometryType t = l->geom == LC_GEOM_MULTIPOLYGON ? wkbMultiPolygon
                           : l->geom == LC_GEOM_POINT    ? wkbPoint
                                                         : wkbNone;
    *out = GDALDatasetCreateLayer(g->ds, l->name, t == wkbNone ? NULL : g->srs, t, opts);
    if (!*out) return gdal_failed(g, l->name);
    lc_status rc = LC_OK;
    for (size_t c = 0; c < l->n_cols && rc == LC_OK; c++) {
        if (&l->cols[c] == key) continue;
        rc = add_field(g, *out, l->cols[c].name, field_type(l->cols[c].sql), strstr(l->cols[c].sql, "NOT NULL") != NULL);
    }
    const lc_parcels *p = g->a->parcels;
    for (size_t j = 0; l->input_attributes && j < p->n_fields && rc == LC_OK; j++)
        rc = add_field(g, *out, g->input_names[j], input_type(p->fields[j].type), 0);
    return rc;
}

static void set_cell(OGRFeatureH f, int idx, const lc_cell_value *v)
{
    switch (v->kind) {
    case LC_VALUE_INT: OGR_F_SetFieldInteger64(f, idx, v->i); break;
    case LC_VALUE_REAL: if (isfinite(v->d)) OGR_F_SetFieldDouble(f, idx, v->d); else OGR_F_SetFieldNull(f, idx); break;
    case LC_VALUE_TEXT: OGR_F_SetFieldString(f, idx, v->s); break;
    default: OGR_F_SetFieldNull(f, idx); break;
    }
}

static void set_inputs(gpkg *g, OGRFeatureH f, size_t i, int first)
{
    const lc_parcels *p = g->a->parcels;
    const lc_value *v = lc_parcel_values(p, i);
    for (size_t j = 0; j < p->n_fields; j++) {
        int idx = first + (int)j;
        if (lc_parcel_is_null(p, i, j)) {
            OGR_F_SetFieldNull(f, idx);
            continue;
        }
        switch (p->fields[j].type) {
        case LC_FIELD_INT: OGR_F_SetFieldInteger64(f, idx, v[j].i); break;
        case LC_FIELD_REAL: OGR_F_SetFieldDouble(f, idx, v[j].d); break;
        default: OGR_F_SetFieldString(f, idx, v[j].s ? v[j].s : ""); break;
        }
    }
}

/* The polygon as an OGR MultiPolygon (owned by the caller); NULL when empty. */
static OGRGeometryH ogr_multipolygon(gpkg *g, const GEOSGeometry *geom, lc_status *rc)
{
    *rc = LC_OK;
    GEOSContextHandle_t h = g->ctx->geos;
    if (!geom || GEOSisEmpty_r(h, geom) == 1) return NULL;
    size_t n = 0;
    unsigned char *wkb = GEOSWKBWriter_write_r(h, g->wkb, geom, &n);
    OGRGeometryH og = NULL;
    if (!wkb || OGR_G_CreateFromWkb(wkb, NULL, &og, (int)n) != OGRERR_NONE)
        *rc = lc_error(g->ctx, LC_EINTERNAL, "%s: a geometry could not be converted", g->path);
    if (wkb) GEOSFree_r(h, wkb);
    return og ? OGR_G_ForceToMultiPolygon(og) : NULL;
}

static lc_status write_layer(gpkg *g, const lc_layer *l)
{
    OGRLayerH layer;
    lc_status rc = create_layer(g, l, &layer);
    if (rc != LC_OK) return rc;
    const lc_column *key = key_column(l);
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    size_t n = l->rows(g->a);
    for (size_t i = 0; i < n && rc == LC_OK; i++) {
        OGRFeatureH f = OGR_F_Create(defn);
        int idx = 0;
        for (size_t c = 0; c < l->n_cols; c++) {
            lc_cell_value v;
            l->cols[c].get(g->a, i, &v);
            if (&l->cols[c] == key) OGR_F_SetFID(f, v.i);
            else set_cell(f, idx++, &v);
        }
        if (l->input_attributes) set_inputs(g, f, i, idx);
        if (l->geom == LC_GEOM_MULTIPOLYGON) {
            OGRGeometryH og = ogr_multipolygon(g, l->polygon(g->a, i), &rc);
            if (og) OGR_F_SetGeometryDirectly(f, og);
        } else if (l->geom == LC_GEOM_POINT) {
            double x, y;
            if (l->point(g->a, i, &x, &y)) {
                OGRGeometryH pt = OGR_G_CreateGeometry(wkbPoint);
                OGR_G_SetPoint_2D(pt, 0, x, y);
                OGR_F_SetGeometryDirectly(f, pt);
            }
        }
        if (rc == LC_OK && OGR_L_CreateFeature(layer, f) != OGRERR_NONE) rc = gdal_failed(g, l->name);
        OGR_F_Destroy(f);
        if ((i & 4095) == 0 && lc_cancelled(g->ctx)) rc = lc_error(g->ctx, LC_EINTERRUPTED, "interrupted");
    }
    return rc;
}

/* The srs_id GDAL gave the parcels' CRS (the EPSG code, or one of its own). */
static int parcels_srs_id(gpkg *g)
{
    OGRLayerH r = GDALDatasetExecuteSQL(g->ds, "SELECT srs_id FROM gpkg_geometry_columns WHERE table_name = 'parcels'",
                                        NULL, NULL);
    int id = 0;
    OGRFeatureH f = r ? OGR_L_GetNextFeature(r) : NULL;
    if (f) {
        id = OGR_F_GetFieldAsInteger(f, 0);
        OGR_F_Destroy(f);
    }
    if (r) GDALDatasetReleaseResultSet(g->ds, r);
    return id;
}

static lc_status write_summary(gpkg *g)
{
    lc_summary_row *rows = NULL;
    size_t n = 0;
    lc_status rc = lc_schema_summary(g->ctx, g->a, parcels_srs_id(g), &rows, &n);
    OGRLayerH layer = rc == LC_OK ? GDALDatasetCreateLayer(g->ds, "summary", NULL, wkbNone, NULL) : NULL;
    if (rc == LC_OK && !layer) rc = gdal_failed(g, "summary");
    if (rc == LC_OK) rc = add_field(g, layer, "name", OFTString, 1);
    if (rc == LC_OK) rc = add_field(g, layer, "value", OFTString, 0);
    for (size_t i = 0; i < n && rc == LC_OK; i++) {
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(layer));
        OGR_F_SetFieldString(f, 0, rows[i].name);
        OGR_F_SetFieldString(f, 1, rows[i].value);
        if (OGR_L_CreateFeature(layer, f) != OGRERR_NONE) rc = gdal_failed(g, "summary");
        OGR_F_Destroy(f);
    }
    lc_schema_summary_free(rows, n);
    return rc;
}

/* QGIS's layer_styles table, one default style per layer: the OGR provider
** looks a GeoPackage's styles up by table and geometry column name with an
** empty catalog and schema. */
static lc_status write_styles(gpkg *g)
{
    OGRLayerH layer = GDALDatasetCreateLayer(g->ds, "layer_styles", NULL, wkbNone, NULL);
    if (!layer) return gdal_failed(g, "layer_styles");
    static const char *const text[] = {"f_table_catalog", "f_table_schema", "f_table_name", "f_geometry_column",
                                       "styleName", "styleQML", "styleSLD"};
    lc_status rc = LC_OK;
    for (size_t k = 0; k < sizeof text / sizeof text[0] && rc == LC_OK; k++) rc = add_field(g, layer, text[k], OFTString, 0);
    if (rc == LC_OK) {
        OGRFieldDefnH fd = OGR_Fld_Create("useAsDefault", OFTInteger);
        OGR_Fld_SetSubType(fd, OFSTBoolean);
        if (OGR_L_CreateField(layer, fd, TRUE) != OGRERR_NONE) rc = gdal_failed(g, "layer_styles");
        OGR_Fld_Destroy(fd);
    }
    if (rc == LC_OK) rc = add_field(g, layer, "description", OFTString, 0);
    if (rc == LC_OK) rc = add_field(g, layer, "owner", OFTString, 0);
    if (rc == LC_OK) rc = add_field(g, layer, "ui", OFTString, 0);
    if (rc == LC_OK) rc = add_field(g, layer, "update_time", OFTDateTime, 0);
    for (size_t k = 0; k < lc_style_count() && rc == LC_OK; k++) {
        const lc_style *s = lc_style_get(k);
        const lc_layer *l = lc_schema_layer_named(s->table);
        if (l && !lc_schema_layer_present(l, g->a)) continue;
        char *qml = lc_style_qml(s, g->a->parcels);
        if (!qml) return lc_error(g->ctx, LC_ENOMEM, "out of memory");
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(layer));
        const char *values[] = {"", "", s->table, "geom", s->name, qml, ""};
        for (int i = 0; i < 7; i++) OGR_F_SetFieldString(f, i, values[i]);
        OGR_F_SetFieldInteger(f, 7, 1);
        OGR_F_SetFieldString(f, 8, s->description);
        OGR_F_SetFieldString(f, 9, "landcons");
        OGR_F_SetFieldNull(f, 10);
        /* a fixed time keeps the file reproducible */
        OGR_F_SetFieldDateTimeEx(f, 11, 2000, 1, 1, 0, (int)k / 60, (float)(k % 60), 100);
        if (OGR_L_CreateFeature(layer, f) != OGRERR_NONE) rc = gdal_failed(g, "layer_styles");
        OGR_F_Destroy(f);
        free(qml);
    }
    return rc;
}

static lc_status make_srs(gpkg *g)
{
    const lc_crs *crs = &g->a->parcels->crs;
    g->srs = OSRNewSpatialReference(NULL);
    OSRSetAxisMappingStrategy(g->srs, OAMS_TRADITIONAL_GIS_ORDER);
    OGRErr e = OGRERR_FAILURE;
    if (crs->work_desc.epsg > 0) e = OSRImportFromEPSG(g->srs, crs->work_desc.epsg);
    if (e != OGRERR_NONE) {
        const char *wkt = proj_as_wkt(g->ctx->proj, crs->work, PJ_WKT2_2019, NULL);
        e = wkt ? OSRSetFromUserInput(g->srs, wkt) : OGRERR_FAILURE;
    }
    return e == OGRERR_NONE ? LC_OK : lc_error(g->ctx, LC_EINTERNAL, "%s: the working CRS cannot be described", g->path);
}

/* long: the whole file, layer by layer, in one transaction */
lc_status lc_gpkg_write(lc_ctx *ctx, const lc_analysis *a, lc_outfile *out)
{
    double t0 = lc_clock();
    gpkg g;
    memset(&g, 0, sizeof g);
    g.ctx = ctx;
    g.a = a;
    g.path = lc_outfile_path(out);
    const char *file = lc_outfile_temp(out);
    CPLPushErrorHandlerEx(lc_gdal_record_error, &g.gdal);
    /* GDAL creates the file itself: the reserved (empty) temporary file
    ** makes way for it under the same name */
    unlink(file);
    GDALDriverH drv = GDALGetDriverByName("GPKG");
    g.ds = drv ? GDALCreate(drv, file, 0, 0, 0, GDT_Unknown, NULL) : NULL;
    lc_status rc = g.ds ? LC_OK : gdal_failed(&g, "create");
    if (rc == LC_OK) rc = make_srs(&g);
    if (rc == LC_OK) rc = lc_schema_input_names(ctx, a->parcels, &g.input_names);
    if (rc == LC_OK) {
        g.wkb = GEOSWKBWriter_create_r(ctx->geos);
        if (!g.wkb) rc = lc_error(ctx, LC_ENOMEM, "out of memory");
    }
    if (rc == LC_OK && GDALDatasetStartTransaction(g.ds, FALSE) != OGRERR_NONE) rc = gdal_failed(&g, "begin");
    for (size_t i = 0; i < lc_schema_layer_count() && rc == LC_OK; i++) {
        const lc_layer *l = lc_schema_layer(i);
        if (lc_schema_layer_present(l, a)) rc = write_layer(&g, l);
    }
    if (rc == LC_OK) rc = write_summary(&g);
    if (rc == LC_OK) rc = write_styles(&g);
    if (rc == LC_OK && GDALDatasetCommitTransaction(g.ds) != OGRERR_NONE) rc = gdal_failed(&g, "commit");
    if (g.wkb) GEOSWKBWriter_destroy_r(ctx->geos, g.wkb);
    lc_schema_input_names_free(g.input_names, a->parcels->n_fields);
    if (g.srs) OSRDestroySpatialReference(g.srs);
    if (g.ds) {
        g.gdal.failures = 0;
        GDALClose(g.ds);  /* writes what is pending: a failure is recorded */
        if (g.gdal.failures && rc == LC_OK) rc = gdal_failed(&g, "close");
    }
    CPLPopErrorHandler();
    lc_log_phase(ctx, "write GeoPackage", t0);
    return rc;
}
