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
#include "rtree_pack.h"
#include "splite_blob.h"
#include "styles.h"

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
static lc_status bind_multipolygon(writer *w, sqlite3_stmt *st, int i, const GEOSGeometry *g)
{
    int r = lc_blob_multipolygon(w->ctx, &w->blob, g, w->srid);
    if (r < 0) return LC_EINTERNAL;
    /* step() resets the statement before the blob buffer is used again */
    if (r == 0) sqlite3_bind_blob(st, i, w->blob.data, (int)w->blob.len, SQLITE_STATIC);
    else sqlite3_bind_null(st, i);
    return LC_OK;
}

/* ---- schema --------------------------------------------------------------- */

static const char *const parcel_columns[] = {
    "fid", "key", "township", "village", "township_name", "village_name", "holder", "status",
    "signed_on", "planar_m2", "planar_mu", "ellipsoidal_m2", "ellipsoidal_mu", "declared_mu",
    "block_id", "enclave_of", "source_fid", "geom",
};
#define N_PARCEL_COLUMNS (sizeof parcel_columns / sizeof parcel_columns[0])

/* SQLite's names for the row id: a column named so hides the real one
** from every "SELECT rowid" (SpatiaLite's spatial-index triggers and
** queries among them). */
static const char *const rowid_names[] = {"rowid", "oid", "_rowid_"};

static int reserved(const char *name)
{
    for (size_t i = 0; i < N_PARCEL_COLUMNS; i++)
        if (!strcasecmp(name, parcel_columns[i])) return 1;
    for (size_t i = 0; i < sizeof rowid_names / sizeof rowid_names[0]; i++)
        if (!strcasecmp(name, rowid_names[i])) return 1;
    return 0;
}

/* Input attribute names, prefixed "in_" where they clash with ours or with
** an earlier input name (case-insensitive, as SQLite compares them). */
static lc_status input_names(writer *w)
{
    const lc_parcels *p = w->a->parcels;
    w->input_names = lc_calloc(w->ctx, p->n_fields ? p->n_fields : 1, sizeof *w->input_names);
    if (!w->input_names) return LC_ENOMEM;
    for (size_t j = 0; j < p->n_fields; j++) {
        const char *base = p->fields[j].name;
        char *name = sqlite3_mprintf("%s", base);
        for (int attempt = 0; name; attempt++) {
            int clash = reserved(name);
            for (size_t k = 0; k < j && !clash; k++) clash = !strcasecmp(name, w->input_names[k]);
            if (!clash) break;
            sqlite3_free(name);
            name = attempt == 0 ? sqlite3_mprintf("in_%s", base) : sqlite3_mprintf("in%d_%s", attempt, base);
        }
        if (!name) return lc_error(w->ctx, LC_ENOMEM, "out of memory");
        w->input_names[j] = name;
    }
    return LC_OK;
}

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

static lc_status create_schema(writer *w)
{
    const lc_parcels *p = w->a->parcels;
    lc_status rc = input_names(w);
    if (rc != LC_OK) return rc;
    sqlite3_str *s = sqlite3_str_new(w->db);
    sqlite3_str_appendf(s, "CREATE TABLE parcels (fid INTEGER PRIMARY KEY, key TEXT, township TEXT, "
                           "village TEXT, township_name TEXT, village_name TEXT, holder TEXT, "
                           "status TEXT NOT NULL, signed_on TEXT, "
                           "planar_m2 REAL, planar_mu REAL, ellipsoidal_m2 REAL, ellipsoidal_mu REAL, "
                           "declared_mu REAL, block_id INTEGER, enclave_of INTEGER, source_fid INTEGER");
    for (size_t j = 0; j < p->n_fields; j++)
        sqlite3_str_appendf(s, ", \"%w\" %s", w->input_names[j], sql_type(p->fields[j].type));
    sqlite3_str_appendf(s, ")");
    char *sql = sqlite3_str_finish(s);
    if (!sql) return lc_error(w->ctx, LC_ENOMEM, "out of memory");
    rc = exec(w, sql);
    sqlite3_free(sql);
    if (rc == LC_OK) rc = add_geometry(w, "parcels", "MULTIPOLYGON");
    if (rc == LC_OK && w->a->opts.check_only) goto qa_tables;
    if (rc == LC_OK)
        rc = exec(w, "CREATE TABLE blocks (block_id INTEGER PRIMARY KEY, parcel_count INTEGER, "
                     "parcel_m2 REAL, parcel_mu REAL, footprint_m2 REAL, footprint_mu REAL, "
                     "footprint_ellipsoidal_mu REAL, gained_mu REAL, enclave_count INTEGER, "
                     "enclave_mu REAL, villages TEXT, townships TEXT)");
    if (rc == LC_OK) rc = add_geometry(w, "blocks", "MULTIPOLYGON");
    if (rc == LC_OK)
        rc = exec(w, "CREATE TABLE enclaves (fid INTEGER PRIMARY KEY, block_id INTEGER, key TEXT, "
                     "kind TEXT NOT NULL, status TEXT, holder TEXT, area_m2 REAL, area_mu REAL)");
    if (rc == LC_OK) rc = add_geometry(w, "enclaves", "MULTIPOLYGON");
qa_tables:
    if (rc == LC_OK)
        rc = exec(w, "CREATE TABLE qa_issues (fid INTEGER PRIMARY KEY, severity TEXT NOT NULL, "
                     "kind TEXT NOT NULL, key TEXT, source TEXT, detail TEXT)");
    if (rc == LC_OK) rc = add_geometry(w, "qa_issues", "POINT");
    if (rc == LC_OK && !w->a->opts.check_only)
        rc = exec(w, "CREATE TABLE sites (site_id INTEGER PRIMARY KEY, name TEXT, area_m2 REAL, "
                     "area_mu REAL, transferred_mu REAL, pending_mu REAL, refused_mu REAL, "
                     "disputed_mu REAL, unregistered_mu REAL, no_parcel_mu REAL, ready INTEGER, "
                     "blocking_count INTEGER, layer TEXT, source_fid INTEGER, not_ready_reason TEXT)");
    if (rc == LC_OK && !w->a->opts.check_only) rc = add_geometry(w, "sites", "MULTIPOLYGON");
    if (rc == LC_OK && !w->a->opts.check_only)
        rc = exec(w, "CREATE TABLE site_overlaps (fid INTEGER PRIMARY KEY, site_id INTEGER, key TEXT, "
                     "status TEXT, overlap_m2 REAL, overlap_mu REAL, share_of_parcel REAL, "
                     "share_of_site REAL, blocking INTEGER, village TEXT, holder TEXT)");
    if (rc == LC_OK && !w->a->opts.check_only) rc = add_geometry(w, "site_overlaps", "MULTIPOLYGON");
    if (rc == LC_OK && !w->a->opts.check_only)
        rc = exec(w, "CREATE TABLE constraint_overlaps (fid INTEGER PRIMARY KEY, site_id INTEGER, "
                     "layer TEXT, feature_id INTEGER, name TEXT, overlap_m2 REAL, overlap_mu REAL)");
    if (rc == LC_OK && !w->a->opts.check_only) rc = add_geometry(w, "constraint_overlaps", "MULTIPOLYGON");
    if (rc == LC_OK && !w->a->opts.check_only)
        rc = exec(w, "CREATE TABLE progress (id INTEGER PRIMARY KEY, date TEXT NOT NULL, "
                     "unit_kind TEXT NOT NULL, unit_code TEXT, unit_name TEXT, signed_m2 REAL, "
                     "signed_mu REAL, cumulative_m2 REAL, cumulative_mu REAL, unit_total_mu REAL, "
                     "share REAL, largest_block_m2 REAL, largest_block_mu REAL)");
    if (rc == LC_OK)
        rc = exec(w, "CREATE TABLE qa_overlaps (fid INTEGER PRIMARY KEY, key_a TEXT, key_b TEXT, "
                     "fid_a INTEGER, fid_b INTEGER, overlap_m2 REAL, overlap_mu REAL)");
    if (rc == LC_OK) rc = add_geometry(w, "qa_overlaps", "MULTIPOLYGON");
    if (rc == LC_OK) rc = exec(w, "CREATE TABLE summary (name TEXT PRIMARY KEY, value TEXT)");
    return rc;
}

/* ---- layers --------------------------------------------------------------- */

static lc_status write_parcels(writer *w)
{
    const lc_analysis *a = w->a;
    const lc_parcels *p = a->parcels;
    sqlite3_str *s = sqlite3_str_new(w->db);
    sqlite3_str_appendf(s, "INSERT INTO parcels VALUES (?1");
    /* sqlite3 printf has no %zu */
    for (size_t c = 2; c <= N_PARCEL_COLUMNS - 1 + p->n_fields; c++) sqlite3_str_appendf(s, ", ?%d", (int)c);
    sqlite3_str_appendf(s, ", ?%d)", (int)(N_PARCEL_COLUMNS + p->n_fields));
    char *sql = sqlite3_str_finish(s);
    if (!sql) return lc_error(w->ctx, LC_ENOMEM, "out of memory");
    sqlite3_stmt *st = NULL;
    lc_status rc = prepare(w, sql, &st);
    sqlite3_free(sql);
    const int first_input = (int)N_PARCEL_COLUMNS; /* 1-based index of the first input column */
    for (size_t i = 0; i < p->n && rc == LC_OK; i++) {
        const lc_parcel *it = &p->items[i];
        const lc_parcel_state *ps = &a->state[i];
        const lc_reg_entry *e = ps->entry;
        char date[11];
        sqlite3_bind_int64(st, 1, (sqlite3_int64)(i + 1));
        bind_text(st, 2, it->key);
        bind_text(st, 3, ps->township);
        bind_text(st, 4, ps->village);
        bind_text(st, 5, lc_units_name(&a->units, ps->township));
        bind_text(st, 6, lc_units_name(&a->units, ps->village));
        bind_text(st, 7, lc_analysis_holder(a, i));
        bind_text(st, 8, lc_parcel_status_name(ps->status));
        if (e && e->signed_on != LC_NO_DATE) {
            lc_date_format(e->signed_on, date);
            sqlite3_bind_text(st, 9, date, -1, SQLITE_TRANSIENT);
        }
        bind_real(st, 10, it->planar_m2);
        bind_real(st, 11, lc_mu_from_m2(it->planar_m2));
        bind_real(st, 12, it->ellipsoidal_m2);
        bind_real(st, 13, lc_mu_from_m2(it->ellipsoidal_m2));
        if (e) bind_real(st, 14, e->declared_mu);
        if (ps->block_id) sqlite3_bind_int(st, 15, ps->block_id);
        /* enclave_of is being computed meanwhile when the enclaves come later */
        if (!w->enclaves_later && ps->enclave_of) sqlite3_bind_int(st, 16, ps->enclave_of);
        sqlite3_bind_int64(st, 17, (sqlite3_int64)it->fid);
        const lc_value *v = lc_parcel_values(p, i);
        for (size_t j = 0; j < p->n_fields; j++) {
            int col = first_input + (int)j;
            if (lc_parcel_is_null(p, i, j)) continue;
            switch (p->fields[j].type) {
            case LC_FIELD_INT: sqlite3_bind_int64(st, col, (sqlite3_int64)v[j].i); break;
            case LC_FIELD_REAL: bind_real(st, col, v[j].d); break;
            default: bind_text(st, col, v[j].s); break;
            }
        }
        rc = bind_multipolygon(w, st, first_input + (int)p->n_fields, it->geom);
        if (rc == LC_OK) rc = step(w, st, "parcels");
        if ((i & 4095) == 0) {
            if (lc_cancelled(w->ctx)) rc = lc_error(w->ctx, LC_EINTERRUPTED, "interrupted");
            lc_report_progress(w->ctx, "writing parcels", i, p->n);
        }
    }
    sqlite3_finalize(st);
    return rc;
}

static lc_status write_blocks(writer *w)
{
    const lc_analysis *a = w->a;
    sqlite3_stmt *st = NULL;
    lc_status rc = prepare(w, "INSERT INTO blocks VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
                              "?11, ?12, ?13)", &st);
    for (size_t b = 0; b < a->n_blocks && rc == LC_OK; b++) {
        const lc_block *blk = &a->blocks[b];
        sqlite3_bind_int(st, 1, blk->id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)blk->n_members);
        bind_real(st, 3, blk->parcel_m2);
        bind_real(st, 4, lc_mu_from_m2(blk->parcel_m2));
        bind_real(st, 5, blk->footprint_m2);
        bind_real(st, 6, lc_mu_from_m2(blk->footprint_m2));
        bind_real(st, 7, lc_mu_from_m2(blk->footprint_ellipsoidal_m2));
        bind_real(st, 8, lc_mu_from_m2(blk->footprint_m2 - blk->parcel_m2));
        sqlite3_bind_int64(st, 9, (sqlite3_int64)blk->enclave_count);
        bind_real(st, 10, lc_mu_from_m2(blk->enclave_m2));
        bind_text(st, 11, blk->villages);
        bind_text(st, 12, blk->townships);
        rc = bind_multipolygon(w, st, 13, blk->footprint);
        if (rc == LC_OK) rc = step(w, st, "blocks");
    }
    sqlite3_finalize(st);
    return rc;
}

static lc_status write_enclaves(writer *w)
{
    const lc_analysis *a = w->a;
    const lc_parcels *p = a->parcels;
    sqlite3_stmt *st = NULL;
    lc_status rc = prepare(w, "INSERT INTO enclaves VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                              "?9)", &st);
    for (size_t k = 0; k < a->n_enclaves && rc == LC_OK; k++) {
        const lc_enclave *e = &a->enclaves[k];
        int gap = e->parcel == SIZE_MAX;
        sqlite3_bind_int64(st, 1, (sqlite3_int64)(k + 1));
        sqlite3_bind_int(st, 2, e->block_id);
        bind_text(st, 3, gap ? NULL : p->items[e->parcel].key);
        bind_text(st, 4, gap ? "gap" : "parcel");
        bind_text(st, 5, gap ? NULL : lc_parcel_status_name(a->state[e->parcel].status));
        bind_text(st, 6, gap ? NULL : lc_analysis_holder(a, e->parcel));
        bind_real(st, 7, e->area_m2);
        bind_real(st, 8, lc_mu_from_m2(e->area_m2));
        rc = bind_multipolygon(w, st, 9, gap ? e->geom : p->items[e->parcel].geom);
        if (rc == LC_OK) rc = step(w, st, "enclaves");
    }
    sqlite3_finalize(st);
    return rc;
}

static lc_status write_sites(writer *w)
{
    const lc_analysis *a = w->a;
    sqlite3_stmt *st = NULL;
    lc_status rc = prepare(w, "INSERT INTO sites VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                              "?12, ?13, ?14, ?15, ?16)", &st);
    for (size_t k = 0; k < a->n_sites && rc == LC_OK; k++) {
        const lc_site *s = &a->sites[k];
        sqlite3_bind_int(st, 1, s->id);
        bind_text(st, 2, s->name);
        bind_real(st, 3, s->area_m2);
        bind_real(st, 4, lc_mu_from_m2(s->area_m2));
        for (int c = 0; c < LC_ST_N; c++) bind_real(st, 5 + c, lc_mu_from_m2(s->status_m2[c]));
        bind_real(st, 10, lc_mu_from_m2(s->no_parcel_m2));
        sqlite3_bind_int(st, 11, s->ready);
        sqlite3_bind_int64(st, 12, (sqlite3_int64)s->n_blocking);
        bind_text(st, 13, s->set->path);
        sqlite3_bind_int64(st, 14, (sqlite3_int64)s->set->items[s->index].fid);
        bind_text(st, 15, s->reason);
        rc = bind_multipolygon(w, st, 16, s->set->items[s->index].geom);
        if (rc == LC_OK) rc = step(w, st, "sites");
    }
    sqlite3_finalize(st);
    st = NULL;
    if (rc == LC_OK)
        rc = prepare(w, "INSERT INTO site_overlaps VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                        "?12)", &st);
    sqlite3_int64 fid = 0;
    for (size_t k = 0; k < a->n_sites && rc == LC_OK; k++)
        for (size_t j = 0; j < a->sites[k].n_overlaps && rc == LC_OK; j++) {
            lc_site_parcel sp;
            lc_analysis_site_parcel(a, k, j, &sp);
            const lc_overlap *o = &a->overlaps[a->sites[k].first_overlap + j];
            sqlite3_bind_int64(st, 1, ++fid);
            sqlite3_bind_int(st, 2, a->sites[k].id);
            bind_text(st, 3, sp.key);
            bind_text(st, 4, sp.status);
            bind_real(st, 5, sp.overlap_m2);
            bind_real(st, 6, lc_mu_from_m2(sp.overlap_m2));
            bind_real(st, 7, sp.share_of_parcel);
            bind_real(st, 8, sp.share_of_site);
            sqlite3_bind_int(st, 9, sp.blocking);
            bind_text(st, 10, sp.village_name ? sp.village_name : sp.village);
            bind_text(st, 11, sp.holder);
            rc = bind_multipolygon(w, st, 12, o->geom);
            if (rc == LC_OK) rc = step(w, st, "site_overlaps");
        }
    sqlite3_finalize(st);
    st = NULL;
    if (rc == LC_OK)
        rc = prepare(w, "INSERT INTO constraint_overlaps VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                        "?8)", &st);
    for (size_t k = 0; k < a->n_constraint_hits && rc == LC_OK; k++) {
        lc_constraint_info ci;
        lc_analysis_constraint(a, k, &ci);
        sqlite3_bind_int64(st, 1, (sqlite3_int64)(k + 1));
        sqlite3_bind_int(st, 2, ci.site_id);
        bind_text(st, 3, ci.layer_path);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)ci.fid);
        bind_text(st, 5, ci.name);
        bind_real(st, 6, ci.overlap_m2);
        bind_real(st, 7, lc_mu_from_m2(ci.overlap_m2));
        rc = bind_multipolygon(w, st, 8, a->constraint_hits[k].geom);
        if (rc == LC_OK) rc = step(w, st, "constraint_overlaps");
    }
    sqlite3_finalize(st);
    return rc;
}

static lc_status write_qa_overlaps(writer *w)
{
    const lc_analysis *a = w->a;
    const lc_parcels *p = a->parcels;
    sqlite3_stmt *st = NULL;
    lc_status rc = prepare(w, "INSERT INTO qa_overlaps VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                              "?8)", &st);
    for (size_t k = 0; k < a->n_overlap_pairs && rc == LC_OK; k++) {
        const lc_overlap_pair *o = &a->overlap_pairs[k];
        sqlite3_bind_int64(st, 1, (sqlite3_int64)(k + 1));
        bind_text(st, 2, p->items[o->a].key);
        bind_text(st, 3, p->items[o->b].key);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)p->items[o->a].fid);
        sqlite3_bind_int64(st, 5, (sqlite3_int64)p->items[o->b].fid);
        bind_real(st, 6, o->m2);
        bind_real(st, 7, lc_mu_from_m2(o->m2));
        rc = bind_multipolygon(w, st, 8, o->geom);
        if (rc == LC_OK) rc = step(w, st, "qa_overlaps");
    }
    sqlite3_finalize(st);
    return rc;
}

static lc_status write_progress(writer *w)
{
    const lc_analysis *a = w->a;
    sqlite3_stmt *st = NULL;
    lc_status rc = prepare(w, "INSERT INTO progress VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
                              "?11, ?12, ?13)", &st);
    for (size_t i = 0; i < lc_analysis_progress_count(a) && rc == LC_OK; i++) {
        lc_progress_row r;
        lc_analysis_progress(a, i, &r);
        sqlite3_bind_int64(st, 1, (sqlite3_int64)(i + 1));
        sqlite3_bind_text(st, 2, r.date, -1, SQLITE_TRANSIENT);
        bind_text(st, 3, r.unit_kind);
        bind_text(st, 4, r.unit_code);
        bind_text(st, 5, r.unit_name);
        bind_real(st, 6, r.signed_m2);
        bind_real(st, 7, lc_mu_from_m2(r.signed_m2));
        bind_real(st, 8, r.cumulative_m2);
        bind_real(st, 9, lc_mu_from_m2(r.cumulative_m2));
        bind_real(st, 10, lc_mu_from_m2(r.unit_total_m2));
        bind_real(st, 11, r.unit_total_m2 > 0 ? r.cumulative_m2 / r.unit_total_m2 : NAN);
        bind_real(st, 12, r.largest_block_m2);
        bind_real(st, 13, lc_mu_from_m2(r.largest_block_m2));
        rc = step(w, st, "progress");
    }
    sqlite3_finalize(st);
    return rc;
}

static lc_status write_qa(writer *w)
{
    sqlite3_stmt *st = NULL;
    lc_status rc = prepare(w, "INSERT INTO qa_issues VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                              "MakePoint(?7, ?8, ?9))", &st);
    sqlite3_int64 id = 0;
    for (size_t l = 0; l < lc_analysis_qa_list_count(w->a) && rc == LC_OK; l++) {
        const lc_qa *list = lc_analysis_qa_list(w->a, l);
        for (size_t k = 0; k < list->n && rc == LC_OK; k++) {
            const lc_qa_item *q = &list->items[k];
            sqlite3_bind_int64(st, 1, ++id);
            bind_text(st, 2, lc_severity_name(q->severity));
            bind_text(st, 3, q->kind);
            bind_text(st, 4, q->key);
            bind_text(st, 5, q->source);
            bind_text(st, 6, q->detail);
            if (q->has_point) {
                sqlite3_bind_double(st, 7, q->x);
                sqlite3_bind_double(st, 8, q->y);
                sqlite3_bind_int(st, 9, w->srid);
            }
            rc = step(w, st, "qa_issues");
        }
    }
    sqlite3_finalize(st);
    return rc;
}

static lc_status summary_row(writer *w, sqlite3_stmt *st, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* fmt is SQLite's printf: no %zu */
static lc_status summary_row(writer *w, sqlite3_stmt *st, const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *v = sqlite3_vmprintf(fmt, ap);
    va_end(ap);
    if (!v) return lc_error(w->ctx, LC_ENOMEM, "out of memory");
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, v, -1, sqlite3_free);
    return step(w, st, "summary");
}

static lc_status write_summary(writer *w)
{
    const lc_analysis *a = w->a;
    const lc_parcels *p = a->parcels;
    lc_analysis_summary s;
    lc_analysis_summarize(a, &s);
    sqlite3_stmt *st = NULL;
    lc_status rc = prepare(w, "INSERT INTO summary VALUES (?1, ?2)", &st);
#define ROW(name, ...) \
    if (rc == LC_OK) rc = summary_row(w, st, name, __VA_ARGS__)
    ROW("landcons_version", "%s", lc_version());
    ROW("parcels_path", "%s", p->path);
    ROW("parcels_layer", "%s", p->layer);
    ROW("parcels_driver", "%s", p->driver);
    ROW("parcels_encoding", "%s (%s)", p->encoding.name, p->encoding.source);
    if (a->reg) {
        ROW("register_path", "%s", a->reg->path);
        ROW("register_encoding", "%s (%s)", a->reg->encoding.name, a->reg->encoding.source);
        ROW("register_sheet", "%s", a->reg->sheet);
        ROW("register_header_row", "%lld", (long long)a->reg->header_line);
        ROW("register_rows", "%lld", (long long)a->reg->n_rows);
        ROW("register_keys", "%lld", (long long)a->reg->n_entries);
        ROW("register_keys_without_parcel", "%lld", (long long)a->n_orphan_entries);
        ROW("parcels_without_register_row", "%lld", (long long)a->n_unregistered);
        ROW("register_key_match_share", "%.17g", a->key_match.register_share);
    }
    ROW("unit_names", "%s", a->units.n ? a->units.sources : "none: codes shown");
    ROW("source_crs", "%s %s", p->crs.source_desc.id, p->crs.source_desc.name);
    ROW("source_crs_origin", "%s", lc_crs_origin_name(p->crs.source_origin));
    ROW("crs_inferred", "%d", p->crs.source_origin == LC_CRS_INFERRED_GK ||
                                  p->crs.source_origin == LC_CRS_INFERRED_GEOGRAPHIC);
    ROW("work_crs", "%s %s", p->crs.work_desc.id, p->crs.work_desc.name);
    ROW("work_crs_origin", "%s", lc_work_origin_name(p->crs.work_origin));
    ROW("work_crs_replaced", "%d", p->crs.work_origin == LC_WORK_REPLACED);
    /* distortions: "inf" where PROJ cannot evaluate them, "" for a geographic source */
    ROW("work_crs_distortion", "%.17g", p->crs.work_distortion);
    ROW("work_area_scale_min", "%.17g", p->crs.work_scale_min);
    ROW("work_area_scale_max", "%.17g", p->crs.work_scale_max);
    if (!isnan(p->crs.source_distortion)) ROW("source_crs_distortion", "%.17g", p->crs.source_distortion);
    ROW("work_srid", "%d", w->srid);
    ROW("ellipsoidal_method", "%s", p->ellipsoidal_method == LC_ELLIPSOIDAL_TDT ? "tdt" : "geodesic");
    ROW("as_of", "%s", s.as_of);
    ROW("gap_m", "%.17g", s.gap_m);
    ROW("target_mu", "%.17g", s.target_mu);
    ROW("area_tolerance", "%.17g", a->opts.area_tolerance);
    ROW("parcel_count", "%lld", (long long)s.parcels);
    ROW("total_m2", "%.17g", s.total_m2);
    ROW("total_mu", "%.17g", lc_mu_from_m2(s.total_m2));
    for (int k = 0; k < LC_STATUS_COUNT && rc == LC_OK; k++) {
        char n[64];
        snprintf(n, sizeof n, "%s_count", lc_status_names[k]);
        ROW(n, "%lld", (long long)s.status_count[k]);
        snprintf(n, sizeof n, "%s_m2", lc_status_names[k]);
        ROW(n, "%.17g", s.status_m2[k]);
        snprintf(n, sizeof n, "%s_mu", lc_status_names[k]);
        ROW(n, "%.17g", lc_mu_from_m2(s.status_m2[k]));
    }
    ROW("block_count", "%lld", (long long)s.blocks);
    ROW("largest_block_parcel_count", "%lld", (long long)s.largest_block_parcels);
    ROW("largest_block_parcel_mu", "%.17g", lc_mu_from_m2(s.largest_block_parcel_m2));
    ROW("largest_block_footprint_mu", "%.17g", lc_mu_from_m2(s.largest_block_footprint_m2));
    ROW("enclave_count", "%lld", (long long)s.enclaves);
    ROW("enclave_mu", "%.17g", lc_mu_from_m2(s.enclave_m2));
    ROW("target_met", "%d", s.target_met);
    ROW("target_reached_on", "%s", s.target_reached_on);
    ROW("site_count", "%lld", (long long)s.sites);
    ROW("sites_ready", "%lld", (long long)s.sites_ready);
    ROW("min_overlap_m2", "%.17g", a->opts.min_overlap_m2);
    ROW("overlap_pairs", "%lld", (long long)s.overlap_pairs);
    ROW("double_counted_m2", "%.17g", s.double_counted_m2);
    ROW("qa_errors", "%lld", (long long)s.qa_errors);
    ROW("qa_warnings", "%lld", (long long)s.qa_warnings);
#undef ROW
    sqlite3_finalize(st);
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
        if (w->a->opts.check_only && strcmp(s->table, "parcels") && strncmp(s->table, "qa_", 3)) continue;
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

/* Packs each spatial index from its table's blob MBRs, then restores the
** triggers that keep it current when the layer is edited (see add_geometry). */
static lc_status spatial_indexes(writer *w)
{
    static const char *const tables[] = {"parcels", "qa_issues", "qa_overlaps", "blocks", "enclaves",
                                         "sites", "site_overlaps", "constraint_overlaps"};
    size_t n = w->a->opts.check_only ? 3 : sizeof tables / sizeof tables[0];
    lc_status rc = LC_OK;
    for (size_t i = 0; i < n && rc == LC_OK; i++) {
        char *index = sqlite3_mprintf("idx_%s_geom", tables[i]);
        char *sql = sqlite3_mprintf("SELECT rowid, MbrMinX(geom), MbrMaxX(geom), MbrMinY(geom), MbrMaxY(geom) "
                                    "FROM \"%w\" WHERE geom IS NOT NULL", tables[i]);
        rc = index && sql ? lc_rtree_pack(w->ctx, w->db, index, sql) : lc_error(w->ctx, LC_ENOMEM, "out of memory");
        sqlite3_free(index);
        sqlite3_free(sql);
    }
    for (size_t i = 0; i < w->n_triggers && rc == LC_OK; i++) rc = exec(w, w->triggers[i]);
    return rc;
}

/* Row counts and extents in geometry_columns_statistics, so QGIS does not
** write them into the file the first time it opens it. The MBR is read from
** each blob's header; UpdateLayerStatistics() would also profile every
** attribute column, which costs more than the rest of the writing. */
static lc_status layer_statistics(writer *w)
{
    static const char *const tables[] = {"parcels", "qa_issues", "qa_overlaps", "blocks", "enclaves",
                                         "sites", "site_overlaps", "constraint_overlaps"};
    size_t n = w->a->opts.check_only ? 3 : sizeof tables / sizeof tables[0];
    lc_status rc = LC_OK;
    for (size_t i = 0; i < n && rc == LC_OK; i++)
        rc = execf(w, "INSERT OR REPLACE INTO geometry_columns_statistics (f_table_name, "
                      "f_geometry_column, last_verified, row_count, extent_min_x, extent_min_y, "
                      "extent_max_x, extent_max_y) SELECT '%q', 'geom', strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', "
                      "'now'), count(*), min(MbrMinX(geom)), min(MbrMinY(geom)), max(MbrMaxX(geom)), "
                      "max(MbrMaxY(geom)) FROM \"%w\"", tables[i], tables[i]);
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
** The output in three steps: output_open (file, metadata, schema), the
** layers, output_close (commit, rename or remove). lc_analyze may open it
** as soon as the blocks are known and write the parcels layer on a task
** alongside the footprints (lc_output_start); lc_analysis_write then
** writes the rest. The parcels' enclave_of, known only after the
** footprints, is then set by UPDATE.
*/
struct lc_output {
    writer w;
    lc_outfile *out;            /* reserved by the caller; its temporary file is ours to fill */
    lc_task *parcels_task;      /* writing the parcels layer alongside */
    int parcels_written;
    double parcels_s;
};

static void output_free(lc_output *o)
{
    const lc_analysis *a = o->w.a;
    if (o->w.input_names) {
        for (size_t j = 0; j < a->parcels->n_fields; j++) sqlite3_free(o->w.input_names[j]);
        free(o->w.input_names);
    }
    if (o->w.splite) spatialite_cleanup_ex(o->w.splite);
    lc_blob_release(&o->w.blob);
    for (size_t i = 0; i < o->w.n_triggers; i++) sqlite3_free(o->w.triggers[i]);
    free(o->w.triggers);
    free(o);
}

/* Closes the database in the temporary file; lc_outputs_commit puts it in
** place, lc_outputs_free removes it after a failure. Frees o; returns rc
** or the failure of closing. ctx is only used when rc is LC_OK (NULL is
** fine otherwise). */
static lc_status output_close(lc_ctx *ctx, lc_output *o, lc_status rc)
{
    if (o->w.db && sqlite3_close(o->w.db) != SQLITE_OK && rc == LC_OK)
        rc = lc_error(ctx, LC_EINTERNAL, "closing the database failed");
    output_free(o);
    return rc;
}

static lc_status output_open(lc_ctx *ctx, const lc_analysis *a, lc_outfile *out, lc_output **ret)
{
    *ret = NULL;
    lc_output *o = lc_calloc(ctx, 1, sizeof *o);
    if (!o) return LC_ENOMEM;
    o->out = out;
    o->w.ctx = ctx;
    o->w.a = a;
    o->w.out = out;
    lc_status rc;
    writer *w = &o->w;
    if (sqlite3_open_v2(lc_outfile_temp(out), &w->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        return output_close(ctx, o, lc_error(ctx, LC_EINPUT, "%s: cannot create the database (%s)",
                                             lc_outfile_path(out),
                                             w->db ? sqlite3_errmsg(w->db) : "out of memory"));
    w->splite = spatialite_alloc_connection();
    spatialite_init_ex(w->db, w->splite, 0);
    /* a temporary file renamed at the end: no journal, no syncs. The R*Trees
    ** are packed, not grown, so a modest page cache (64 MiB) is enough; it is
    ** held while the footprints are computed, so it counts in the peak */
    rc = exec(w, "PRAGMA page_size = 8192; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; "
                 "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; PRAGMA encoding = 'UTF-8'");
    if (rc == LC_OK) rc = exec(w, "SELECT InitSpatialMetadata(1, 'NONE')");
    if (rc == LC_OK) rc = exec(w, "BEGIN");
    if (rc == LC_OK) rc = register_srid(w);
    if (rc == LC_OK) rc = create_schema(w);
    if (rc != LC_OK) return output_close(ctx, o, rc);
    *ret = o;
    return LC_OK;
}

/* enclave_of of the parcels layer written before the enclaves were known */
static lc_status update_enclaves(writer *w)
{
    const lc_analysis *a = w->a;
    sqlite3_stmt *st = NULL;
    lc_status rc = prepare(w, "UPDATE parcels SET enclave_of = ?1 WHERE fid = ?2", &st);
    for (size_t e = 0; e < a->n_enclaves && rc == LC_OK; e++) {
        size_t i = a->enclaves[e].parcel;
        if (i == SIZE_MAX) continue;
        sqlite3_bind_int(st, 1, a->state[i].enclave_of);
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
    if (rc == LC_OK && !a->opts.check_only) rc = write_blocks(w);
    if (rc == LC_OK && !a->opts.check_only) rc = write_enclaves(w);
    if (rc == LC_OK && !a->opts.check_only) rc = write_sites(w);
    if (rc == LC_OK && !a->opts.check_only) rc = write_progress(w);
    if (rc == LC_OK) rc = write_qa(w);
    if (rc == LC_OK) rc = write_qa_overlaps(w);
    if (rc == LC_OK) rc = write_summary(w);
    if (rc == LC_OK) rc = write_styles(w);
    if (rc == LC_OK) rc = spatial_indexes(w);
    if (rc == LC_OK) rc = layer_statistics(w);
    if (rc == LC_OK) rc = exec(w, "COMMIT");
    if (rc == LC_OK && lc_cancelled(w->ctx)) rc = lc_error(w->ctx, LC_EINTERRUPTED, "interrupted");
    return rc;
}

static lc_status parcels_task(lc_ctx *tctx, void *userdata)
{
    lc_output *o = userdata;
    double t0 = lc_clock();
    o->w.ctx = tctx;
    lc_status rc = write_parcels(&o->w);
    o->parcels_s = lc_clock() - t0;
    return rc;
}

lc_status lc_output_start(lc_ctx *ctx, lc_analysis *a)
{
    if (!a->opts.output || lc_thread_count(ctx) < 2) return LC_OK;
    lc_output *o = NULL;
    lc_status rc = output_open(ctx, a, a->opts.output, &o);
    if (rc != LC_OK) return rc;
    o->w.enclaves_later = 1;
    a->output = o;
    lc_task_try_start(ctx, parcels_task, o, &o->parcels_task);
    return LC_OK;
}

/* Waits for the parcels task; returns its status. */
static lc_status output_join(lc_ctx *ctx, lc_output *o)
{
    lc_status rc = LC_OK;
    if (o->parcels_task) {
        rc = lc_task_join(ctx, o->parcels_task);
        o->parcels_task = NULL;
        o->parcels_written = 1;
    }
    o->w.ctx = ctx;
    return rc;
}

void lc_output_discard(lc_analysis *a)
{
    lc_output *o = a->output;
    if (!o) return;
    a->output = NULL;
    if (o->parcels_task) lc_task_join(NULL, o->parcels_task);
    output_close(NULL, o, LC_EINTERRUPTED);
}

lc_status lc_analysis_write(lc_ctx *ctx, lc_analysis *a, lc_outfile *out)
{
    lc_output *o = a->output;
    lc_status rc = LC_OK;
    if (o && o->out != out) {
        lc_output_discard(a);
        o = NULL;
    }
    a->output = NULL;
    double t0 = lc_clock();  /* with a begun output: the time of the rest */
    if (!o) rc = output_open(ctx, a, out, &o);
    if (rc != LC_OK) return rc;
    rc = output_join(ctx, o);
    if (o->parcels_written) lc_log_seconds(ctx, "write parcels (alongside)", o->parcels_s);
    if (rc == LC_OK && !o->parcels_written) rc = write_parcels(&o->w);
    if (rc == LC_OK && o->w.enclaves_later) rc = update_enclaves(&o->w);
    if (rc == LC_OK) rc = output_rest(&o->w);
    rc = output_close(ctx, o, rc);
    lc_log_phase(ctx, "write database", t0);
    return rc;
}
