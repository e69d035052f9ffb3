/*
** The SpatiaLite output (SPEC §4): the only module that touches SQLite.
** Everything goes into a temporary file beside OUT, in one transaction with
** prepared statements; spatial indexes are built after the inserts; the
** file is renamed onto OUT only when complete, so a failure or an interrupt
** never leaves a partial OUT behind.
*/
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>
#include <spatialite.h>

#include "analysis.h"
#include "dates.h"
#include "geom.h"
#include "outfile.h"
#include "parallel.h"
#include "out_gpkg.h"
#include "rtree_pack.h"
#include "schema.h"
#include "splite_blob.h"
#include "styles.h"

/* What the writer learns of a layer's geometries as it writes them: the
** boxes of its spatial index and the figures of its statistics. */
typedef struct layer_boxes {
    lc_rtree_boxes boxes;
    size_t rows;                       /* rows written, with a geometry or not */
    double minx, miny, maxx, maxy;     /* extent of the geometries (their blobs' MBRs) */
    int has_extent;                    /* a geometry was written */
    int written;                       /* all its rows written */
    int indexed;                       /* its index packed */
} layer_boxes;

typedef struct writer {
    lc_ctx *ctx;
    const lc_analysis *a;
    sqlite3 *db;
    void *splite;              /* SpatiaLite connection cache */
    lc_blob blob;              /* the geometry being bound */
    int enclaves_later;        /* parcels written before the enclaves: enclave_of by UPDATE */
    char **triggers;           /* CREATE TRIGGER statements held back while loading */
    size_t n_triggers, triggers_cap;
    int srid;
    char **input_names;        /* output column names of the input attributes */
    const lc_outfile *out;     /* the reserved output, for messages */
    layer_boxes *layers;       /* per schema layer (lc_schema_layer order) */
} writer;

/* A failed write on a full disk surfaces as SQLITE_FULL, or, when the
** failure hit a page SpatiaLite or SQLite wrote for itself, as a later
** "disk I/O error" or even "database disk image is malformed": the OS error
** and the space left in the folder tell the analyst what happened. */
static int disk_full(writer *w)
{
    int code = sqlite3_errcode(w->db), err = sqlite3_system_errno(w->db);
    return code == SQLITE_FULL || err == ENOSPC || err == EDQUOT || lc_outfile_disk_nearly_full(w->out);
}

static lc_status db_error(writer *w, const char *what)
{
    if (disk_full(w)) return lc_outfile_write_failed(w->ctx, w->out, "database", ENOSPC, LC_EINPUT);
    return lc_error(w->ctx, LC_EINTERNAL, "writing the database (%s): %s", what, sqlite3_errmsg(w->db));
}

static lc_status exec(writer *w, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(w->db, sql, NULL, NULL, &err) != SQLITE_OK) {
        lc_status rc = disk_full(w)
            ? lc_outfile_write_failed(w->ctx, w->out, "database", ENOSPC, LC_EINPUT)
            : lc_error(w->ctx, LC_EINTERNAL, "writing the database: %s (in: %.80s)", err ? err : "?", sql);
        sqlite3_free(err);
        return rc;
    }
    return LC_OK;
}

/* sqlite3_mprintf formats (%q, %w): not checkable as printf */
static lc_status execf(writer *w, const char *fmt, ...);
static lc_status execf(writer *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *sql = sqlite3_vmprintf(fmt, ap);
    va_end(ap);
    if (!sql) return lc_error(w->ctx, LC_ENOMEM, "out of memory");
    lc_status rc = exec(w, sql);
    sqlite3_free(sql);
    return rc;
}

static lc_status prepare(writer *w, const char *sql, sqlite3_stmt **st)
{
    if (sqlite3_prepare_v2(w->db, sql, -1, st, NULL) != SQLITE_OK) return db_error(w, sql);
    return LC_OK;
}

static lc_status step(writer *w, sqlite3_stmt *st, const char *what)
{
    int r = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (r != SQLITE_DONE) return db_error(w, what);
    return LC_OK;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s) sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else sqlite3_bind_null(st, i);
}

static void bind_real(sqlite3_stmt *st, int i, double v)
{
    if (isfinite(v)) sqlite3_bind_double(st, i, v);
    else sqlite3_bind_null(st, i);
}

/* Binds g as a SpatiaLite MULTIPOLYGON blob (a Polygon is wrapped); NULL
** when it is empty, as GeomFromWKB() would give. */
static lc_status bind_multipolygon(writer *w, sqlite3_stmt *st, int i, const GEOSGeometry *g, int *bound)
{
    int r = g ? lc_blob_multipolygon(w->ctx, &w->blob, g, w->srid) : 1;
    if (r < 0) return LC_EINTERNAL;
    /* step() resets the statement before the blob buffer is used again */
    if (r == 0) sqlite3_bind_blob(st, i, w->blob.data, (int)w->blob.len, SQLITE_STATIC);
    else sqlite3_bind_null(st, i);
    *bound = r == 0;
    return LC_OK;
}

/* ---- schema --------------------------------------------------------------- */

static const char *sql_type(lc_field_type t)
{
    switch (t) {
    case LC_FIELD_INT: return "INTEGER";
    case LC_FIELD_REAL: return "REAL";
    default: return "TEXT";
    }
}

/* The geometry column and its spatial index, made while the table is empty.
** SpatiaLite keeps the index in step with triggers; they are held back while
** the rows go in (spatial_indexes() packs the index in one go and puts them
** back), so no row pays for an R*Tree insertion. */
static lc_status add_geometry(writer *w, const char *table, const char *type)
{
    lc_status rc = execf(w, "SELECT AddGeometryColumn('%q', 'geom', %d, '%q', 'XY')", table, w->srid, type);
    if (rc == LC_OK) rc = execf(w, "SELECT CreateSpatialIndex('%q', 'geom')", table);
    sqlite3_stmt *st = NULL;
    if (rc == LC_OK)
        rc = prepare(w, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?1", &st);
    if (rc != LC_OK) return rc;
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    int r;
    while (rc == LC_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        char *sql = sqlite3_mprintf("%s", (const char *)sqlite3_column_text(st, 1));
        if (!sql || lc_grow(w->ctx, (void **)&w->triggers, &w->triggers_cap, w->n_triggers + 1,
                            sizeof *w->triggers)) {
            sqlite3_free(sql);
            rc = lc_error(w->ctx, LC_ENOMEM, "out of memory");
            break;
        }
        w->triggers[w->n_triggers++] = sql;
        rc = execf(w, "DROP TRIGGER \"%w\"", (const char *)sqlite3_column_text(st, 0));
        sqlite3_reset(st); /* the schema changed under the query: start again */
    }
    sqlite3_finalize(st);
    return rc;
}

/* CREATE TABLE of a layer from the schema (the parcel layer's own
** attributes after its columns), then its geometry column. */
static lc_status create_layer(writer *w, const lc_layer *l)
{
    const lc_parcels *p = w->a->parcels;
    sqlite3_str *s = sqlite3_str_new(w->db);
    sqlite3_str_appendf(s, "CREATE TABLE \"%w\" (", l->name);
    for (size_t c = 0; c < l->n_cols; c++)
        sqlite3_str_appendf(s, "%s%s %s", c ? ", " : "", l->cols[c].name, l->cols[c].sql);
    for (size_t j = 0; l->input_attributes && j < p->n_fields; j++)
        sqlite3_str_appendf(s, ", \"%w\" %s", w->input_names[j], sql_type(p->fields[j].type));
    sqlite3_str_appendf(s, ")");
    char *sql = sqlite3_str_finish(s);
    if (!sql) return lc_error(w->ctx, LC_ENOMEM, "out of memory");
    lc_status rc = exec(w, sql);
    sqlite3_free(sql);
    if (rc == LC_OK && l->geom != LC_GEOM_NONE)
        rc = add_geometry(w, l->name, l->geom == LC_GEOM_POINT ? "POINT" : "MULTIPOLYGON");
    return rc;
}

static lc_status create_schema(writer *w)
{
    lc_status rc = lc_schema_input_names(w->ctx, w->a->parcels, &w->input_names);
    for (size_t i = 0; i < lc_schema_layer_count() && rc == LC_OK; i++) {
        const lc_layer *l = lc_schema_layer(i);
        if (lc_schema_layer_present(l, w->a)) rc = create_layer(w, l);
    }
    if (rc == LC_OK) rc = exec(w, "CREATE TABLE summary (name TEXT PRIMARY KEY, value TEXT)");
    return rc;
}

/* ---- layers --------------------------------------------------------------- */

static void bind_cell(sqlite3_stmt *st, int i, const lc_cell_value *v)
{
    switch (v->kind) {
    case LC_VALUE_INT: sqlite3_bind_int64(st, i, (sqlite3_int64)v->i); break;
    case LC_VALUE_REAL: bind_real(st, i, v->d); break;
    case LC_VALUE_TEXT: sqlite3_bind_text(st, i, v->s, -1, v->s == v->buf ? SQLITE_TRANSIENT : SQLITE_STATIC); break;
    default: break;  /* NULL: left unbound */
    }
}

/* The INSERT of a layer: a parameter per column (and attribute), then the
** geometry (a point is made by SpatiaLite from its coordinates). */
static char *insert_sql(writer *w, const lc_layer *l, int *n_params)
{
    const lc_parcels *p = w->a->parcels;
    int n = (int)l->n_cols + (l->input_attributes ? (int)p->n_fields : 0);
    sqlite3_str *s = sqlite3_str_new(w->db);
    sqlite3_str_appendf(s, "INSERT INTO \"%w\" VALUES (", l->name);
    for (int k = 1; k <= n; k++) sqlite3_str_appendf(s, "%s?%d", k > 1 ? ", " : "", k);
    if (l->geom == LC_GEOM_MULTIPOLYGON) sqlite3_str_appendf(s, ", ?%d", n + 1);
    if (l->geom == LC_GEOM_POINT) sqlite3_str_appendf(s, ", MakePoint(?%d, ?%d, ?%d)", n + 1, n + 2, n + 3);
    sqlite3_str_appendf(s, ")");
    *n_params = n;
    return sqlite3_str_finish(s);
}

static void bind_inputs(writer *w, sqlite3_stmt *st, size_t i, int first)
{
    const lc_parcels *p = w->a->parcels;
    const lc_value *v = lc_parcel_values(p, i);
    for (size_t j = 0; j < p->n_fields; j++) {
        int col = first + (int)j;
        if (lc_parcel_is_null(p, i, j)) continue;
        switch (p->fields[j].type) {
        case LC_FIELD_INT: sqlite3_bind_int64(st, col, (sqlite3_int64)v[j].i); break;
        case LC_FIELD_REAL: bind_real(st, col, v[j].d); break;
        default: bind_text(st, col, v[j].s); break;
        }
    }
}

static layer_boxes *layer_slot(writer *w, const lc_layer *l)
{
    for (size_t i = 0; i < lc_schema_layer_count(); i++)
        if (lc_schema_layer(i) == l) return &w->layers[i];
    return NULL;  /* not reached: every layer written is one of the schema's */
}

/* A row written: counted, and its box kept for the index and the extent. */
static lc_status note_row(writer *w, layer_boxes *lb, int has_box, const double box[4])
{
    lb->rows++;
    if (!has_box) return LC_OK;
    if (!lb->has_extent) {
        lb->has_extent = 1;
        lb->minx = box[0], lb->maxx = box[1], lb->miny = box[2], lb->maxy = box[3];
    } else {
        lb->minx = fmin(lb->minx, box[0]);
        lb->maxx = fmax(lb->maxx, box[1]);
        lb->miny = fmin(lb->miny, box[2]);
        lb->maxy = fmax(lb->maxy, box[3]);
    }
    return lc_rtree_add(w->ctx, &lb->boxes, sqlite3_last_insert_rowid(w->db), box[0], box[1], box[2], box[3])
               ? LC_ENOMEM : LC_OK;
}

static lc_status write_layer(writer *w, const lc_layer *l)
{
    const lc_analysis *a = w->a;
    int n_params;
    char *sql = insert_sql(w, l, &n_params);
    if (!sql) return lc_error(w->ctx, LC_ENOMEM, "out of memory");
    sqlite3_stmt *st = NULL;
    lc_status rc = prepare(w, sql, &st);
    sqlite3_free(sql);
    size_t n = l->rows(a);
    int is_parcels = l->input_attributes;
    layer_boxes *lb = layer_slot(w, l);
    for (size_t i = 0; i < n && rc == LC_OK; i++) {
        int has_box = 0;
        double box[4] = {0, 0, 0, 0};  /* minx maxx miny maxy */
        for (size_t c = 0; c < l->n_cols; c++) {
            /* known only later when the layer is written alongside the footprints */
            if ((l->cols[c].flags & LC_COLF_LATER) && w->enclaves_later) continue;
            lc_cell_value v;
            l->cols[c].get(a, i, &v);
            bind_cell(st, (int)c + 1, &v);
        }
        if (is_parcels) bind_inputs(w, st, i, (int)l->n_cols + 1);
        if (l->geom == LC_GEOM_MULTIPOLYGON) {
            rc = bind_multipolygon(w, st, n_params + 1, l->polygon(a, i), &has_box);
            if (has_box) box[0] = w->blob.minx, box[1] = w->blob.maxx, box[2] = w->blob.miny, box[3] = w->blob.maxy;
        } else if (l->geom == LC_GEOM_POINT) {
            double x, y;
            if ((has_box = l->point(a, i, &x, &y))) {
                sqlite3_bind_double(st, n_params + 1, x);
                sqlite3_bind_double(st, n_params + 2, y);
                sqlite3_bind_int(st, n_params + 3, w->srid);
                box[0] = box[1] = x, box[2] = box[3] = y;
            }
        }
        if (rc == LC_OK) rc = step(w, st, l->name);
        if (rc == LC_OK) rc = note_row(w, lb, has_box, box);
        if ((i & 4095) == 0) {
            if (lc_cancelled(w->ctx)) rc = lc_error(w->ctx, LC_EINTERRUPTED, "interrupted");
            if (is_parcels) lc_report_progress(w->ctx, "writing parcels", i, n);
        }
    }
    sqlite3_finalize(st);
    if (rc == LC_OK && lb) lb->written = 1;
    return rc;
}

static lc_status write_parcels(writer *w) { return write_layer(w, lc_schema_layer_named("parcels")); }

static lc_status write_summary(writer *w)
{
    lc_summary_row *rows = NULL;
    size_t n = 0;
    sqlite3_stmt *st = NULL;
    lc_status rc = lc_schema_summary(w->ctx, w->a, w->srid, &rows, &n);
    if (rc == LC_OK) rc = prepare(w, "INSERT INTO summary VALUES (?1, ?2)", &st);
    for (size_t i = 0; i < n && rc == LC_OK; i++) {
        sqlite3_bind_text(st, 1, rows[i].name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, rows[i].value, -1, SQLITE_STATIC);
        rc = step(w, st, "summary");
    }
    sqlite3_finalize(st);
    lc_schema_summary_free(rows, n);
    return rc;
}

static lc_status write_styles(writer *w)
{
    sqlite3_stmt *st = NULL;
    lc_status rc = exec(w, "CREATE TABLE layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                           "f_table_catalog TEXT, f_table_schema TEXT, f_table_name TEXT, "
                           "f_geometry_column TEXT, styleName TEXT, styleQML TEXT, styleSLD TEXT, "
                           "useAsDefault BOOLEAN, description TEXT, owner TEXT, ui TEXT, "
                           "update_time DATETIME DEFAULT CURRENT_TIMESTAMP)");
    if (rc == LC_OK)
        rc = prepare(w, "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, "
                        "f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, "
                        "owner, ui, update_time) VALUES (?1, ?1, ?2, ?3, ?4, ?5, '', 1, ?6, 'landcons', "
                        "NULL, ?7)", &st);
    for (size_t k = 0; k < lc_style_count() && rc == LC_OK; k++) {
        const lc_style *s = lc_style_get(k);
        const lc_layer *layer = lc_schema_layer_named(s->table);
        if (layer && !lc_schema_layer_present(layer, w->a)) continue;
        char *qml = lc_style_qml(s, w->a->parcels);
        if (!qml) {
            rc = lc_error(w->ctx, LC_ENOMEM, "out of memory");
            break;
        }
        /* One row for QGIS's OGR provider, which looks up f_table_schema = ''
        ** and f_geometry_column as OGR names it ("geom"), one for its
        ** SpatiaLite provider, which looks up f_table_schema IS NULL and the
        ** column as geometry_columns has it (lower case): catalog and schema
        ** as each provider writes them itself. Fixed times keep the file
        ** reproducible; distinct ones keep QGIS 3.22's OGR style list (Load
        ** Style > From Database), which groups the other layers' styles by
        ** time, from listing each of them once per row of the same time. */
        for (int provider = 0; provider < 2 && rc == LC_OK; provider++) {
            char when[32];
            snprintf(when, sizeof when, "2000-01-01 00:%02d:%02d", (int)(k * 2 + provider) / 60,
                     (int)(k * 2 + provider) % 60);
            if (provider == 0) sqlite3_bind_text(st, 1, "", -1, SQLITE_STATIC);
            else sqlite3_bind_null(st, 1);
            sqlite3_bind_text(st, 2, s->table, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 3, "geom", -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 4, s->name, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 5, qml, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 6, s->description, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 7, when, -1, SQLITE_TRANSIENT);
            rc = step(w, st, "layer_styles");
        }
        free(qml);
    }
    sqlite3_finalize(st);
    return rc;
}

/* Packs layer i's spatial index from the boxes gathered while writing it. */
static lc_status index_layer(writer *w, size_t i)
{
    const lc_layer *l = lc_schema_layer(i);
    layer_boxes *lb = &w->layers[i];
    if (lb->indexed || l->geom == LC_GEOM_NONE || !lc_schema_layer_present(l, w->a)) return LC_OK;
    char *index = sqlite3_mprintf("idx_%s_geom", l->name);
    lc_status rc = index ? lc_rtree_pack_boxes(w->ctx, w->db, index, &lb->boxes) : lc_error(w->ctx, LC_ENOMEM, "out of memory");
    sqlite3_free(index);
    lc_rtree_boxes_free(&lb->boxes);
    lb->indexed = rc == LC_OK;
    return rc;
}

/* Packs the spatial indexes not packed yet, then restores the triggers
** that keep them current when a layer is edited (see add_geometry). */
static lc_status spatial_indexes(writer *w)
{
    lc_status rc = LC_OK;
    for (size_t i = 0; i < lc_schema_layer_count() && rc == LC_OK; i++) rc = index_layer(w, i);
    for (size_t i = 0; i < w->n_triggers && rc == LC_OK; i++) rc = exec(w, w->triggers[i]);
    return rc;
}

/* Row counts and extents in geometry_columns_statistics, so QGIS does not
** write them into the file the first time it opens it: the count of rows
** and the extent of their blobs' MBRs, as gathered while writing them.
** UpdateLayerStatistics() would also profile every attribute column,
** which costs more than the rest of the writing. */
static lc_status layer_statistics(writer *w)
{
    sqlite3_stmt *st = NULL;
    lc_status rc = prepare(w, "INSERT OR REPLACE INTO geometry_columns_statistics (f_table_name, "
                              "f_geometry_column, last_verified, row_count, extent_min_x, extent_min_y, "
                              "extent_max_x, extent_max_y) VALUES (?1, 'geom', "
                              "strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?2, ?3, ?4, ?5, ?6)", &st);
    for (size_t i = 0; i < lc_schema_layer_count() && rc == LC_OK; i++) {
        const lc_layer *l = lc_schema_layer(i);
        const layer_boxes *lb = &w->layers[i];
        if (l->geom == LC_GEOM_NONE || !lc_schema_layer_present(l, w->a)) continue;
        sqlite3_bind_text(st, 1, l->name, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)lb->rows);
        if (lb->has_extent) {  /* NULLs otherwise, as min() over no row */
            sqlite3_bind_double(st, 3, lb->minx);
            sqlite3_bind_double(st, 4, lb->miny);
            sqlite3_bind_double(st, 5, lb->maxx);
            sqlite3_bind_double(st, 6, lb->maxy);
        }
        rc = step(w, st, "geometry_columns_statistics");
    }
    sqlite3_finalize(st);
    return rc;
}

/* Registers the working CRS in spatial_ref_sys: its EPSG code when it has
** one, otherwise a custom SRID with its WKT. */
static lc_status register_srid(writer *w)
{
    const lc_crs *crs = &w->a->parcels->crs;
    if (crs->work_desc.epsg > 0) {
        w->srid = crs->work_desc.epsg;
        sqlite3_stmt *st = NULL;
        lc_status rc = prepare(w, "SELECT InsertEpsgSrid(?1)", &st);
        if (rc != LC_OK) return rc;
        sqlite3_bind_int(st, 1, w->srid);
        sqlite3_step(st);
        sqlite3_finalize(st);
        sqlite3_stmt *chk = NULL;
        rc = prepare(w, "SELECT count(*) FROM spatial_ref_sys WHERE srid = ?1", &chk);
        if (rc != LC_OK) return rc;
        sqlite3_bind_int(chk, 1, w->srid);
        int found = sqlite3_step(chk) == SQLITE_ROW && sqlite3_column_int(chk, 0) > 0;
        sqlite3_finalize(chk);
        if (found) return LC_OK;
    }
    /* a CRS from a .prj that matches no EPSG code */
    w->srid = 990001;
    const char *wkt = proj_as_wkt(w->ctx->proj, crs->work, PJ_WKT1_GDAL, NULL);
    const char *p4 = proj_as_proj_string(w->ctx->proj, crs->work, PJ_PROJ_4, NULL);
    return execf(w, "INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid, ref_sys_name, proj4text, "
                    "srtext) VALUES (%d, 'landcons', %d, '%q', '%q', '%q')", w->srid, w->srid,
                 crs->work_desc.name, p4 ? p4 : "", wkt ? wkt : "");
}

/*
** The database in three steps: output_open (file, metadata, schema), the
** layers, output_close (commit, rename or remove). The orchestrator may
** begin it as soon as the plan is made: a task alongside the footprints
** opens it and writes the parcels layer and the layers complete by then
** (lc_layer.early), with their spatial indexes, then the site layers
** (lc_layer.of_sites) once the site overlaps are complete (lc_db_begin);
** lc_db_finish then writes the rest. The parcels' enclave_of, known only after the footprints, is
** then set by UPDATE.
*/
struct lc_db_writer {
    writer w;
    lc_outfile *out;            /* reserved by the caller; its temporary file is ours to fill */
    lc_task *early_task;        /* writing the layers known early alongside */
    int early_written;
    double early_s;             /* its time, the wait for the site overlaps left out */
    lc_latch *sites_done;       /* NULL: the site layers are written at the end */
    int sites_written;          /* ... by the early task */
};

static void output_free(lc_db_writer *o)
{
    const lc_analysis *a = o->w.a;
    lc_schema_input_names_free(o->w.input_names, a->parcels->n_fields);
    if (o->w.splite) spatialite_cleanup_ex(o->w.splite);
    lc_blob_release(&o->w.blob);
    for (size_t i = 0; o->w.layers && i < lc_schema_layer_count(); i++) lc_rtree_boxes_free(&o->w.layers[i].boxes);
    free(o->w.layers);
    for (size_t i = 0; i < o->w.n_triggers; i++) sqlite3_free(o->w.triggers[i]);
    free(o->w.triggers);
    free(o);
}

/* Closes the database in the temporary file; lc_outputs_commit puts it in
** place, lc_outputs_free removes it after a failure. Frees o; returns rc
** or the failure of closing. ctx is only used when rc is LC_OK (NULL is
** fine otherwise). */
static lc_status output_close(lc_ctx *ctx, lc_db_writer *o, lc_status rc)
{
    if (o->w.db && sqlite3_close(o->w.db) != SQLITE_OK && rc == LC_OK)
        rc = lc_error(ctx, LC_EINTERNAL, "closing the database failed");
    output_free(o);
    return rc;
}

/* A writer for a, not yet opened; NULL when out of memory. */
static lc_db_writer *writer_new(lc_ctx *ctx, const lc_analysis *a, lc_outfile *out)
{
    lc_db_writer *o = lc_calloc(ctx, 1, sizeof *o);
    if (!o) return NULL;
    o->out = out;
    o->w.ctx = ctx;
    o->w.a = a;
    o->w.out = out;
    if (!(o->w.layers = lc_calloc(ctx, lc_schema_layer_count(), sizeof *o->w.layers))) {
        free(o);
        return NULL;
    }
    return o;
}

/* Opens the database in the temporary file: metadata, the working CRS,
** the empty layers; the transaction begun. Messages on w->ctx; on failure
** output_close still has to be called. */
static lc_status open_db(writer *w)
{
    /* one thread at a time uses the connection (the early task, then the
    ** caller after joining it): no mutex around every call */
    if (sqlite3_open_v2(lc_outfile_temp(w->out), &w->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK)
        return lc_error(w->ctx, LC_EINPUT, "%s: cannot create the database (%s)", lc_outfile_path(w->out),
                        w->db ? sqlite3_errmsg(w->db) : "out of memory");
    w->splite = spatialite_alloc_connection();
    spatialite_init_ex(w->db, w->splite, 0);
    /* a temporary file renamed at the end: no journal, no syncs. The tables
    ** and the packed R*Trees are appended, never revisited, so a small page
    ** cache (2 MiB) is enough: the pages go to the file while the early task
    ** writes beside the footprints, not all at the COMMIT on one core
    ** (docs/DECISIONS.md) */
    lc_status rc = exec(w, "PRAGMA page_size = 8192; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; "
                           "PRAGMA cache_size = -2048; PRAGMA temp_store = MEMORY; PRAGMA encoding = 'UTF-8'");
    if (rc == LC_OK) rc = exec(w, "SELECT InitSpatialMetadata(1, 'NONE')");
    if (rc == LC_OK) rc = exec(w, "BEGIN");
    if (rc == LC_OK) rc = register_srid(w);
    if (rc == LC_OK) rc = create_schema(w);
    return rc;
}

static lc_status output_open(lc_ctx *ctx, const lc_analysis *a, lc_outfile *out, lc_db_writer **ret)
{
    *ret = writer_new(ctx, a, out);
    if (!*ret) return LC_ENOMEM;
    lc_status rc = open_db(&(*ret)->w);
    if (rc != LC_OK) {
        output_close(ctx, *ret, rc);
        *ret = NULL;
    }
    return rc;
}

/* enclave_of of the parcels layer written before the enclaves were known */
static lc_status update_enclaves(writer *w)
{
    const lc_analysis *a = w->a;
    sqlite3_stmt *st = NULL;
    lc_status rc = prepare(w, "UPDATE parcels SET enclave_of = ?1 WHERE fid = ?2", &st);
    for (size_t e = 0; e < a->enclaves.n && rc == LC_OK; e++) {
        size_t i = a->enclaves.items[e].parcel;
        if (i == SIZE_MAX) continue;
        sqlite3_bind_int(st, 1, lc_analysis_enclave_of(a, i));
        sqlite3_bind_int64(st, 2, (sqlite3_int64)(i + 1));
        rc = step(w, st, "parcels");
    }
    sqlite3_finalize(st);
    return rc;
}

/* The layers after the parcels, the indexes, the statistics, the commit. */
static lc_status output_rest(writer *w)
{
    const lc_analysis *a = w->a;
    lc_status rc = LC_OK;
    for (size_t i = 0; i < lc_schema_layer_count() && rc == LC_OK; i++) {
        const lc_layer *l = lc_schema_layer(i);
        if (w->layers[i].written || !lc_schema_layer_present(l, a)) continue;  /* the parcels: written first */
        rc = write_layer(w, l);
    }
    if (rc == LC_OK) rc = write_summary(w);
    if (rc == LC_OK) rc = write_styles(w);
    if (rc == LC_OK) rc = spatial_indexes(w);
    if (rc == LC_OK) rc = layer_statistics(w);
    if (rc == LC_OK) rc = exec(w, "COMMIT");
    if (rc == LC_OK && lc_cancelled(w->ctx)) rc = lc_error(w->ctx, LC_EINTERRUPTED, "interrupted");
    return rc;
}

/* Writes, with their spatial indexes, the layers present in the analysis
** that are_these says are of the group. */
static lc_status write_group(writer *w, int (*are_these)(const lc_layer *))
{
    lc_status rc = LC_OK;
    for (size_t i = 0; i < lc_schema_layer_count() && rc == LC_OK; i++) {
        const lc_layer *l = lc_schema_layer(i);
        if (!are_these(l) || !lc_schema_layer_present(l, w->a)) continue;
        if (!w->layers[i].written) rc = write_layer(w, l);
        if (rc == LC_OK) rc = index_layer(w, i);
    }
    return rc;
}

static int early_layer(const lc_layer *l) { return l->input_attributes || l->early; }
static int site_layer(const lc_layer *l) { return l->of_sites; }

/* The database opened, then the layers complete before the footprints,
** with their spatial indexes: the parcels (their enclave_of set later),
** the progress, the plan's; then, once the site overlaps beside the
** footprints are complete, the site layers (a million parcels under one
** site: 430,000 overlaps, seconds of writing taken off the end). */
static lc_status early_task(lc_ctx *tctx, void *userdata)
{
    lc_db_writer *o = userdata;
    writer *w = &o->w;
    double t0 = lc_clock(), waited = 0;
    w->ctx = tctx;
    lc_status rc = w->db ? LC_OK : open_db(w);  /* opened here unless opened before */
    if (rc == LC_OK) rc = write_group(w, early_layer);
    if (rc == LC_OK && o->sites_done) {
        double tw = lc_clock();
        /* not complete (they failed): the run fails, with their message */
        int complete = lc_latch_wait(o->sites_done) == LC_OK;
        waited = lc_clock() - tw;
        if (complete) rc = write_group(w, site_layer);
        o->sites_written = complete && rc == LC_OK;
    }
    o->early_s = lc_clock() - t0 - waited;
    return rc;
}

lc_db_format lc_database_format(const char *path)
{
    static const struct { const char *ext; lc_db_format f; } exts[] = {
        {".sqlite", LC_DB_SPATIALITE}, {".sqlite3", LC_DB_SPATIALITE}, {".db", LC_DB_SPATIALITE},
        {".spatialite", LC_DB_SPATIALITE}, {".gpkg", LC_DB_GPKG},
    };
    size_t n = strlen(path);
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        size_t e = strlen(exts[i].ext);
        if (n > e && !strcasecmp(path + n - e, exts[i].ext)) return exts[i].f;
    }
    return LC_DB_UNKNOWN;
}

static int is_gpkg(const char *path) { return lc_database_format(path) == LC_DB_GPKG; }

lc_status lc_db_begin(lc_ctx *ctx, const lc_analysis *a, lc_outfile *out, lc_latch *sites_done,
                      lc_db_writer **ret)
{
    *ret = NULL;
    if (lc_thread_count(ctx) < 2 || is_gpkg(lc_outfile_path(out))) return LC_OK;
    lc_db_writer *o = writer_new(ctx, a, out);
    if (!o) return LC_ENOMEM;
    o->w.enclaves_later = 1;
    o->sites_done = sites_done;
    lc_task_try_start(ctx, early_task, o, &o->early_task);
    if (!o->early_task) {  /* no worker to be had: opened here, the rest written at the end */
        lc_status rc = open_db(&o->w);
        if (rc != LC_OK) return output_close(ctx, o, rc);
    }
    *ret = o;
    return LC_OK;
}

/* Waits for the early task; returns its status. */
static lc_status output_join(lc_ctx *ctx, lc_db_writer *o)
{
    lc_status rc = LC_OK;
    if (o->early_task) {
        rc = lc_task_join(ctx, o->early_task);
        o->early_task = NULL;
        o->early_written = 1;
    }
    o->w.ctx = ctx;
    return rc;
}

void lc_db_abandon(lc_db_writer *o)
{
    if (!o) return;
    if (o->early_task) lc_task_join(NULL, o->early_task);
    output_close(NULL, o, LC_EINTERRUPTED);
}

lc_status lc_db_finish(lc_ctx *ctx, lc_db_writer *o, const lc_analysis *a)
{
    double t0 = lc_clock();  /* the time of the rest */
    lc_status rc = output_join(ctx, o);
    o->w.a = a;  /* the same analysis the early task read, now complete */
    if (o->early_written)
        lc_log_seconds(ctx, o->sites_written ? "write parcels, plan, sites (alongside)" : "write parcels, plan (alongside)",
                       o->early_s);
    if (rc == LC_OK && !o->early_written) rc = write_parcels(&o->w);
    if (rc == LC_OK && o->w.enclaves_later) rc = update_enclaves(&o->w);
    if (rc == LC_OK) rc = output_rest(&o->w);
    rc = output_close(ctx, o, rc);
    lc_log_phase(ctx, "write database", t0);
    return rc;
}

lc_status lc_analysis_write(lc_ctx *ctx, const lc_analysis *a, lc_outfile *out)
{
    if (is_gpkg(lc_outfile_path(out))) return lc_gpkg_write(ctx, a, out);
    lc_db_writer *o = NULL;
    lc_status rc = output_open(ctx, a, out, &o);
    return rc == LC_OK ? lc_db_finish(ctx, o, a) : rc;
}
