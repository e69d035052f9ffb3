/*
** The sign-off's view of an analysis (signoff_pdf.h): per site its
** verdict, figures, outline, the parcels its map shows and its blocking
** parcels; for the document the inputs with their sha256, the CRS and the
** version. This is the one module of the sign-off that reads the
** analysis; the renderer sees only the view.
**
** Everything the view points to is allocated here and released at once
** when the document is written: strings in an arena, arrays in a list.
*/
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "analysis.h"
#include "dates.h"
#include "shp_check.h"
#include "office.h"
#include "outfile.h"
#include "signoff_pdf.h"
#include "styles.h"

_Static_assert((int)LC_ST_N == LC_SO_STATUS_N, "the sign-off prints every parcel status");

/* DKBM (NY/T 2539): 12-digit village code, 2-digit group, 5-digit number. */
#define DKBM_LEN 19
#define DKBM_GROUP_AT 12
/* The tail of a key on the map: the group and the number within the
** village, unique there, which with the table's full key is enough. */
#define KEY_TAIL_CHARS 7

typedef struct builder {
    const lc_office *office;   /* the PDF's renderer, the inputs' digests */
    lc_ctx *ctx;
    const lc_analysis *a;
    lc_signoff_doc doc;
    lc_arena strings;
    void **allocs;            /* every array of the view, freed together */
    size_t n_allocs, cap_allocs;
    unsigned char *blocking;  /* per parcel: blocks the site being built */
    int32_t as_of_day;
    char generated[32];
    char crs_name[220];
} builder;

static void *b_alloc(builder *b, size_t count, size_t size)
{
    if (lc_grow(b->ctx, (void **)&b->allocs, &b->cap_allocs, b->n_allocs + 1, sizeof *b->allocs)) return NULL;
    void *p = lc_calloc(b->ctx, count ? count : 1, size);
    if (p) b->allocs[b->n_allocs++] = p;
    return p;
}

static const char *b_str(builder *b, const char *s)
{
    return s ? lc_arena_strdup(&b->strings, s) : NULL;
}

static void builder_release(builder *b)
{
    for (size_t i = 0; i < b->n_allocs; i++) free(b->allocs[i]);
    free(b->allocs);
    free(b->blocking);
    lc_arena_release(&b->strings);
}

/* ---- geometry ------------------------------------------------------------ */

/* Rings of the polygons in g (Polygon, MultiPolygon or a collection). */
static size_t count_rings(GEOSContextHandle_t h, const GEOSGeometry *g)
{
    int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_POLYGON) return GEOSisEmpty_r(h, g) ? 0 : 1 + (size_t)GEOSGetNumInteriorRings_r(h, g);
    if (type != GEOS_MULTIPOLYGON && type != GEOS_GEOMETRYCOLLECTION) return 0;
    size_t n = 0;
    for (int i = 0; i < GEOSGetNumGeometries_r(h, g); i++) n += count_rings(h, GEOSGetGeometryN_r(h, g, i));
    return n;
}

static lc_status copy_ring(builder *b, const GEOSGeometry *ring, lc_so_ring *out)
{
    GEOSContextHandle_t h = b->ctx->geos;
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(h, ring);
    unsigned n = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &n)) return lc_error(b->ctx, LC_EINTERNAL, "GEOS: %s", b->ctx->geos_msg);
    out->xy = b_alloc(b, 2 * (size_t)n, sizeof *out->xy);
    if (!out->xy) return LC_ENOMEM;
    out->n = n;
    if (n && !GEOSCoordSeq_copyToBuffer_r(h, seq, out->xy, 0, 0))
        return lc_error(b->ctx, LC_EINTERNAL, "GEOS: %s", b->ctx->geos_msg);
    return LC_OK;
}

static lc_status copy_rings(builder *b, const GEOSGeometry *g, lc_so_shape *s)
{
    GEOSContextHandle_t h = b->ctx->geos;
    int type = GEOSGeomTypeId_r(h, g);
    lc_status rc = LC_OK;
    if (type == GEOS_POLYGON && !GEOSisEmpty_r(h, g)) {
        rc = copy_ring(b, GEOSGetExteriorRing_r(h, g), &s->rings[s->n_rings++]);
        for (int i = 0; rc == LC_OK && i < GEOSGetNumInteriorRings_r(h, g); i++)
            rc = copy_ring(b, GEOSGetInteriorRingN_r(h, g, i), &s->rings[s->n_rings++]);
    } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        for (int i = 0; rc == LC_OK && i < GEOSGetNumGeometries_r(h, g); i++)
            rc = copy_rings(b, GEOSGetGeometryN_r(h, g, i), s);
    }
    return rc;
}

static lc_status shape_of(builder *b, const GEOSGeometry *g, lc_so_shape *s)
{
    size_t n = count_rings(b->ctx->geos, g);
    s->n_rings = 0;
    s->rings = b_alloc(b, n, sizeof *s->rings);
    return s->rings ? copy_rings(b, g, s) : LC_ENOMEM;
}

static int envelope(GEOSContextHandle_t h, const GEOSGeometry *g, double e[4])
{
    return GEOSGeom_getXMin_r(h, g, &e[0]) && GEOSGeom_getYMin_r(h, g, &e[1]) && GEOSGeom_getXMax_r(h, g, &e[2]) &&
           GEOSGeom_getYMax_r(h, g, &e[3]);
}

/* ---- one site ----------------------------------------------------------------- */

/* Every parcel whose envelope meets the map's ground extent. */
static lc_status site_parcels(builder *b, const double ext[4], lc_so_site *out)
{
    const lc_parcels *p = b->a->parcels;
    GEOSContextHandle_t h = b->ctx->geos;
    size_t n = 0;
    unsigned char *in = lc_calloc(b->ctx, p->n ? p->n : 1, 1);
    if (!in) return LC_ENOMEM;
    for (size_t i = 0; i < p->n; i++) {
        double e[4];
        if (envelope(h, p->items[i].geom, e) && e[0] <= ext[2] && e[2] >= ext[0] && e[1] <= ext[3] && e[3] >= ext[1]) {
            in[i] = 1;
            n++;
        }
    }
    out->parcels = b_alloc(b, n, sizeof *out->parcels);
    lc_status rc = out->parcels ? LC_OK : LC_ENOMEM;
    for (size_t i = 0; i < p->n && rc == LC_OK; i++) {
        if (!in[i]) continue;
        lc_so_parcel *pc = &out->parcels[out->n_parcels++];
        pc->status = (int)b->a->st.state[i].status;
        pc->blocking = b->blocking[i];
        rc = shape_of(b, p->items[i].geom, &pc->shape);
    }
    free(in);
    return rc;
}

static const char *key_tail(builder *b, const char *key)
{
    if (!key) return NULL;
    size_t len = strlen(key), start = len, chars = 0;
    /* back over whole UTF-8 characters */
    while (start > 0 && chars < KEY_TAIL_CHARS) {
        start--;
        if (((unsigned char)key[start] & 0xC0) != 0x80) chars++;
    }
    if (start == 0) return b_str(b, key);
    char t[64];
    snprintf(t, sizeof t, "…%s", key + start);
    return b_str(b, t);
}

/* The group (村民小组) of a 19-digit DKBM, NULL for other keys. */
static const char *key_group(builder *b, const char *key)
{
    if (!key || strlen(key) != DKBM_LEN || strspn(key, "0123456789") != DKBM_LEN) return NULL;
    return lc_arena_strndup(&b->strings, key + DKBM_GROUP_AT, 2);
}

static lc_status blocker_row(builder *b, const lc_overlap *o, lc_so_blocker *r)
{
    const lc_analysis *a = b->a;
    const lc_parcel_state *st = &a->st.state[o->parcel];
    const char *key = a->parcels->items[o->parcel].key;
    const char *vname = lc_units_name(&a->units, st->village);
    r->key = b_str(b, key);
    r->key_tail = key_tail(b, key);
    r->village = b_str(b, vname ? vname : st->village);
    r->group = key_group(b, key);
    r->holder = b_str(b, lc_analysis_holder(a, o->parcel));
    r->status = (int)st->status;
    r->overlap_m2 = o->m2;
    if (st->entry && st->entry->signed_on != LC_NO_DATE) {
        char d[11];
        lc_date_format(st->entry->signed_on, d);
        r->signed_on = b_str(b, d);
        r->signed_after_as_of = st->entry->signed_on > b->as_of_day;
        if (!r->signed_on) return LC_ENOMEM;
    }
    GEOSContextHandle_t h = b->ctx->geos;
    GEOSGeometry *pt = GEOSPointOnSurface_r(h, o->geom);
    if (pt) {
        r->has_anchor = GEOSGeomGetX_r(h, pt, &r->anchor_x) && GEOSGeomGetY_r(h, pt, &r->anchor_y);
        GEOSGeom_destroy_r(h, pt);
    }
    return LC_OK;
}

/* Blocking parcels in the analysis's order (largest overlap first), and
** the slivers: untransferred, but over the site by at most --min-overlap. */
static lc_status site_blockers(builder *b, const lc_site *s, lc_so_site *out)
{
    const lc_analysis *a = b->a;
    out->blockers = b_alloc(b, s->n_blocking, sizeof *out->blockers);
    if (!out->blockers) return LC_ENOMEM;
    lc_status rc = LC_OK;
    for (size_t k = 0; k < s->n_overlaps && rc == LC_OK; k++) {
        const lc_overlap *o = &a->sites.overlaps[s->first_overlap + k];
        if (a->st.state[o->parcel].status == LC_ST_TRANSFERRED) continue;
        if (o->m2 > a->opts.min_overlap_m2 && out->n_blockers < s->n_blocking) {
            b->blocking[o->parcel] = 1;
            rc = blocker_row(b, o, &out->blockers[out->n_blockers++]);
        } else if (o->m2 <= a->opts.min_overlap_m2) {
            out->n_slivers++;
            out->sliver_m2 += o->m2;
        }
    }
    return rc;
}

static lc_status build_site(builder *b, const lc_site *s, lc_so_site *out)
{
    GEOSContextHandle_t h = b->ctx->geos;
    const GEOSGeometry *g = s->set->items[s->index].geom;
    out->id = s->id;
    out->name = b_str(b, s->name);
    out->ready = s->ready;
    out->area_m2 = s->area_m2;
    for (int k = 0; k < LC_SO_STATUS_N; k++) out->status_m2[k] = s->status_m2[k];
    out->no_parcel_m2 = s->no_parcel_m2;
    double bb[4], ext[4], scale_n;
    if (!envelope(h, g, bb)) return lc_error(b->ctx, LC_EINTERNAL, "GEOS: %s", b->ctx->geos_msg);
    b->office->signoff_map_extent(b->doc.paper, bb, ext, &scale_n);
    memset(b->blocking, 0, b->a->parcels->n ? b->a->parcels->n : 1);
    lc_status rc = site_blockers(b, s, out);
    if (rc == LC_OK) rc = shape_of(b, g, &out->outline);
    if (rc == LC_OK) rc = site_parcels(b, ext, out);
    return rc;
}

/* ---- the document ---------------------------------------------------------------- */

static void add_file(builder *b, const char *zh, const char *en, const char *path)
{
    lc_so_source *s = &b->doc.sources[b->doc.n_sources++];
    s->role_zh = zh;
    s->role_en = en;
    s->path = b_str(b, path);
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        s->note = "不是普通文件，未计算 not a plain file: not hashed";
        return;
    }
    int err = b->office->file_sha256(path, s->sha256);
    if (err) s->note = b_str(b, strerror(err));
}

/* A dataset: its file, and for a shapefile every part of it, since the
** attributes (keys, holders) live in the .dbf. */
static void add_dataset(builder *b, const char *zh, const char *en, const char *path)
{
    static const char *const parts[] = {".shx", ".dbf", ".prj", ".cpg"};
    add_file(b, zh, en, path);
    if (!lc_is_shp_path(path)) return;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        char c[4096];
        if (lc_shp_companion(path, parts[i], c, sizeof c)) add_file(b, zh, en, c);
    }
}

static lc_status build_sources(builder *b)
{
    const lc_analysis *a = b->a;
    size_t cap = 5 * (2 + a->layers.n_sites + a->layers.n_constraints) + 1;
    b->doc.sources = b_alloc(b, cap, sizeof *b->doc.sources);
    if (!b->doc.sources) return LC_ENOMEM;
    add_dataset(b, "地块图层", "parcels", a->parcels->path);
    if (a->reg) add_file(b, "流转台账", "register", a->reg->path);
    if (a->opts.unit_names_path) add_file(b, "单位名称", "unit names", a->opts.unit_names_path);
    for (size_t k = 0; k < a->layers.n_sites; k++) add_dataset(b, "项目用地", "sites", a->layers.sites[k]->path);
    for (size_t k = 0; k < a->layers.n_constraints; k++)
        add_dataset(b, "限制图层", "constraints", a->layers.constraints[k]->path);
    return LC_OK;
}

static void build_statuses(builder *b)
{
    for (int k = 0; k < LC_SO_STATUS_N; k++) {
        lc_so_class *c = &b->doc.statuses[k];
        const lc_status_def *d = lc_status_def_of((lc_parcel_status)k);
        for (int i = 0; i < 3; i++) c->rgb[i] = d->rgb[i] / 255.0;
        c->zh = d->zh;
        c->en = d->en;
    }
}

static lc_status build_doc(builder *b, const lc_signoff_opts *o)
{
    const lc_analysis *a = b->a;
    lc_signoff_doc *d = &b->doc;
    d->paper = o->paper;
    d->as_of = a->as_of_text;
    d->command_line = o->command_line;
    d->version = lc_version();
    d->min_overlap_m2 = a->opts.min_overlap_m2;
    time_t now = time(NULL);
    struct tm tm;
    if (localtime_r(&now, &tm)) strftime(b->generated, sizeof b->generated, "%Y-%m-%d %H:%M", &tm);
    d->generated = b->generated;
    const lc_crs_desc *w = &a->parcels->crs.work_desc;
    snprintf(b->crs_name, sizeof b->crs_name, "%s%s%s", w->id, w->id[0] ? " " : "", w->name);
    d->crs_name = b->crs_name;
    if (!lc_date_parse(a->as_of_text, &b->as_of_day)) b->as_of_day = INT32_MAX;
    build_statuses(b);
    d->sites = b_alloc(b, a->sites.n, sizeof *d->sites);
    b->blocking = lc_malloc(b->ctx, a->parcels->n ? a->parcels->n : 1);
    if (!d->sites || !b->blocking) return LC_ENOMEM;
    lc_status rc = build_sources(b);
    for (size_t i = 0; i < a->sites.n && rc == LC_OK; i++) {
        rc = build_site(b, &a->sites.items[i], &d->sites[i]);
        d->n_sites++;
    }
    return rc;
}

lc_status lc_signoff_write(lc_ctx *ctx, const lc_analysis *a, lc_outfile *out, const lc_signoff_opts *opts)
{
    const char *path = lc_outfile_path(out);
    if (!a->sites.n) return lc_error(ctx, LC_EINPUT, "%s: the sign-off needs at least one project site (--site)", path);
    builder b;
    memset(&b, 0, sizeof b);
    b.ctx = ctx;
    b.a = a;
    b.office = lc_office_get(ctx);
    if (!b.office) return LC_EINPUT;
    lc_status rc = build_doc(&b, opts);
    if (rc == LC_OK) rc = b.office->signoff_pdf_write(ctx, &b.doc, lc_outfile_temp(out), path);
    builder_release(&b);
    return rc;
}
