/*
** Fixtures of the unit tests (see lc_fixture.h): the parcel set is filled
** the way the layer reader fills it (fields, values, null bits, the key,
** the CRS through lc_crs_setup, areas through lc_area_of, the multipart,
** holes and duplicate-key flags), without a file.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "area.h"
#include "dates.h"
#include "lc_fixture.h"

enum { FX_FIELDS = 3 };

static int shift_xy(double *x, double *y, void *userdata)
{
    const double *d = userdata;
    *x += d[0];
    *y += d[1];
    return 1;
}

/* Parsed, checked polygonal and moved; NULL with the reason on ctx. */
static GEOSGeometry *geom_of(lc_ctx *ctx, const fx_row *row, size_t i, double dx, double dy)
{
    GEOSContextHandle_t h = ctx->geos;
    GEOSGeometry *g = GEOSGeomFromWKT_r(h, row->wkt);
    if (!g) {
        lc_error(ctx, LC_EINPUT, "fixture row %zu: WKT does not parse: %s", i, row->wkt);
        return NULL;
    }
    int t = GEOSGeomTypeId_r(h, g);
    if (t != GEOS_POLYGON && t != GEOS_MULTIPOLYGON) {
        GEOSGeom_destroy_r(h, g);
        lc_error(ctx, LC_EINPUT, "fixture row %zu: not a polygon: %s", i, row->wkt);
        return NULL;
    }
    if (dx == 0 && dy == 0) return g;
    double d[2] = {dx, dy};
    GEOSGeometry *moved = GEOSGeom_transformXY_r(h, g, shift_xy, d);
    GEOSGeom_destroy_r(h, g);
    if (!moved) lc_error(ctx, LC_EINTERNAL, "fixture row %zu: GEOS: %s", i, ctx->geos_msg);
    return moved;
}

static uint32_t shape_flags(GEOSContextHandle_t h, const GEOSGeometry *g)
{
    uint32_t f = 0;
    int np = GEOSGetNumGeometries_r(h, g);
    if (np > 1) f |= LC_PARCEL_MULTIPART;
    for (int k = 0; k < np; k++)
        if (GEOSGetNumInteriorRings_r(h, GEOSGetGeometryN_r(h, g, k)) > 0) f |= LC_PARCEL_HAS_HOLES;
    return f;
}

static lc_status set_text(lc_parcels *p, size_t i, size_t field, const char *s)
{
    lc_value *v = &p->values[i * FX_FIELDS + field];
    if (!s) {
        p->nulls[i * p->null_stride + field / 8] |= (uint8_t)(1u << (field % 8));
        v->s = NULL;
        return LC_OK;
    }
    v->s = lc_arena_strdup(&p->strings, s);
    return v->s ? LC_OK : LC_ENOMEM;
}

static lc_status fields(lc_ctx *ctx, lc_parcels *p, size_t n)
{
    static const char *const names[FX_FIELDS] = {"DKBM", "XZ", "CUN"};
    p->fields = lc_calloc(ctx, FX_FIELDS, sizeof *p->fields);
    p->values = lc_calloc(ctx, (n ? n : 1) * FX_FIELDS, sizeof *p->values);
    p->null_stride = 1;
    p->nulls = lc_calloc(ctx, n ? n : 1, p->null_stride);
    p->items = lc_calloc(ctx, n ? n : 1, sizeof *p->items);
    if (!p->fields || !p->values || !p->nulls || !p->items) return LC_ENOMEM;
    p->cap = n ? n : 1;
    p->n_fields = FX_FIELDS;
    for (size_t f = 0; f < FX_FIELDS; f++) {
        p->fields[f] = (lc_field){lc_arena_strdup(&p->strings, names[f]), LC_FIELD_TEXT, 254, 0};
        if (!p->fields[f].name) return LC_ENOMEM;
    }
    p->key_index = 0;
    snprintf(p->key_field, sizeof p->key_field, "DKBM");
    return LC_OK;
}

static lc_status crs_and_areas(lc_ctx *ctx, lc_parcels *p, const char *crs, double dx, double dy)
{
    GEOSContextHandle_t h = ctx->geos;
    double x0 = dx, y0 = dy, x1 = dx + 1, y1 = dy + 1;
    for (size_t i = 0; i < p->n; i++) {
        double a, b, c, d;
        GEOSGeom_getXMin_r(h, p->items[i].geom, &a);
        GEOSGeom_getYMin_r(h, p->items[i].geom, &b);
        GEOSGeom_getXMax_r(h, p->items[i].geom, &c);
        GEOSGeom_getYMax_r(h, p->items[i].geom, &d);
        if (i == 0 || a < x0) x0 = a;
        if (i == 0 || b < y0) y0 = b;
        if (i == 0 || c > x1) x1 = c;
        if (i == 0 || d > y1) y1 = d;
    }
    p->minx = x0, p->miny = y0, p->maxx = x1, p->maxy = y1;
    lc_crs_request req = {.s_srs = crs ? crs : FX_CRS, .minx = x0, .miny = y0, .maxx = x1, .maxy = y1,
                          .what = p->path};
    lc_status rc = lc_crs_setup(ctx, &req, &p->crs);
    if (rc != LC_OK) return rc;
    p->ellipsoidal_method = LC_ELLIPSOIDAL_GEODESIC;
    lc_area_calc calc;
    lc_area_calc_init(&calc, ctx, p->crs.to_geographic, p->crs.a, p->crs.inv_f, p->ellipsoidal_method);
    for (size_t i = 0; i < p->n && rc == LC_OK; i++)
        rc = lc_area_of(&calc, p->items[i].geom, &p->items[i].planar_m2, &p->items[i].ellipsoidal_m2);
    lc_area_calc_release(&calc);
    return rc;
}

lc_status fx_parcels(lc_ctx *ctx, const char *crs, double dx, double dy, const fx_row *rows, size_t n,
                     lc_parcels **out)
{
    *out = NULL;
    lc_parcels *p = lc_calloc(ctx, 1, sizeof *p);
    if (!p) return LC_ENOMEM;
    p->geos = ctx->geos;
    snprintf(p->path, sizeof p->path, "fixture");
    snprintf(p->driver, sizeof p->driver, "Memory");
    snprintf(p->layer, sizeof p->layer, "fixture");
    lc_status rc = fields(ctx, p, n);
    for (size_t i = 0; i < n && rc == LC_OK; i++) {
        lc_parcel *it = &p->items[i];
        it->fid = (int64_t)i;
        if (!(it->geom = geom_of(ctx, &rows[i], i, dx, dy))) {
            rc = LC_EINPUT;
            break;
        }
        p->n++;
        it->flags = shape_flags(ctx->geos, it->geom);
        if ((rc = set_text(p, i, 0, rows[i].key)) == LC_OK && (rc = set_text(p, i, 1, rows[i].township)) == LC_OK)
            rc = set_text(p, i, 2, rows[i].village);
        it->key = p->values[i * FX_FIELDS].s;
        for (size_t j = 0; j < i && it->key; j++)
            if (p->items[j].key && !strcmp(p->items[j].key, it->key)) {
                p->items[j].flags |= LC_PARCEL_DUPLICATE_KEY;
                it->flags |= LC_PARCEL_DUPLICATE_KEY;
            }
    }
    p->n_features = (int64_t)n;
    if (rc == LC_OK) rc = crs_and_areas(ctx, p, crs, dx, dy);
    if (rc != LC_OK) {
        lc_parcels_free(p);
        return rc;
    }
    *out = p;
    return LC_OK;
}

void fx_parcels_free(lc_parcels *p) { lc_parcels_free(p); }

static int cmp_entries(const void *a, const void *b)
{
    return strcmp(((const lc_reg_entry *)a)->key, ((const lc_reg_entry *)b)->key);
}

static const char *dup_or_null(lc_register *r, const char *s)
{
    return s ? lc_arena_strdup(&r->strings, s) : NULL;
}

lc_status fx_register(lc_ctx *ctx, const fx_reg_row *rows, size_t n, lc_register **out)
{
    *out = NULL;
    lc_register *r = lc_calloc(ctx, 1, sizeof *r);
    if (!r) return LC_ENOMEM;
    snprintf(r->path, sizeof r->path, "fixture.csv");
    snprintf(r->display, sizeof r->display, "fixture.csv");
    snprintf(r->format, sizeof r->format, "CSV");
    r->entries = lc_calloc(ctx, n ? n : 1, sizeof *r->entries);
    lc_status rc = r->entries ? LC_OK : LC_ENOMEM;
    for (size_t i = 0; i < n && rc == LC_OK; i++) {
        lc_reg_entry *e = &r->entries[i];
        e->key = dup_or_null(r, rows[i].key);
        e->holder = dup_or_null(r, rows[i].holder);
        e->declared_mu = rows[i].declared_mu;
        e->line = (int64_t)i + 2;   /* after the header, as a CSV counts */
        e->rows = 1;
        e->signed_on = LC_NO_DATE;
        if (!lc_reg_status_parse(rows[i].status, &e->status))
            rc = lc_error(ctx, LC_EINPUT, "fixture register row %zu: status %s", i, rows[i].status);
        else if (rows[i].date && !lc_date_parse(rows[i].date, &e->signed_on))
            rc = lc_error(ctx, LC_EINPUT, "fixture register row %zu: date %s", i, rows[i].date);
        r->n_entries++;
    }
    lc_sort(r->entries, r->n_entries, sizeof *r->entries, cmp_entries);
    for (size_t i = 1; i < r->n_entries && rc == LC_OK; i++)
        if (!strcmp(r->entries[i].key, r->entries[i - 1].key))
            rc = lc_error(ctx, LC_EINPUT, "fixture register: key %s twice", r->entries[i].key);
    if (rc != LC_OK) {
        lc_register_free(r);
        return rc;
    }
    *out = r;
    return LC_OK;
}

void fx_register_free(lc_register *r) { lc_register_free(r); }

size_t fx_count(const fx_parcel *rows, size_t max)
{
    size_t n = 0;
    while (n < max && rows[n].wkt) n++;
    return n;
}

size_t fx_find(const lc_parcels *p, const char *key)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->items[i].key && !strcmp(p->items[i].key, key)) return i;
    return SIZE_MAX;
}

int32_t fx_day(const char *date)
{
    int32_t d = LC_NO_DATE;
    if (date && !lc_date_parse_full(date, &d)) return LC_NO_DATE;
    return d;
}

static const char *status_word(char st)
{
    switch (st) {
    case 'T': case 'S': return "signed";
    case 'p': return "pending";
    case 'r': return "refused";
    case 'd': return "disputed";
    default: return NULL;
    }
}

lc_status fx_world_build(lc_ctx *ctx, const fx_parcel *rows, size_t max, const char *as_of, fx_world *w)
{
    memset(w, 0, sizeof *w);
    size_t n = fx_count(rows, max);
    fx_row *pr = lc_calloc(ctx, n ? n : 1, sizeof *pr);
    fx_reg_row *rr = lc_calloc(ctx, n ? n : 1, sizeof *rr);
    lc_status rc = pr && rr ? LC_OK : LC_ENOMEM;
    size_t nr = 0;
    for (size_t i = 0; i < n && rc == LC_OK; i++) {
        pr[i] = (fx_row){rows[i].key, rows[i].wkt, NULL, NULL};
        const char *word = status_word(rows[i].st);
        int seen = 0;
        for (size_t j = 0; j < i && rows[i].key; j++) seen |= rows[j].key && !strcmp(rows[j].key, rows[i].key);
        if (!word || !rows[i].key || seen) continue;
        rr[nr++] = (fx_reg_row){rows[i].key, word, rows[i].st == 'T' ? rows[i].date : NULL, NAN, NULL};
    }
    if (rc == LC_OK) rc = fx_parcels(ctx, NULL, 0, 0, pr, n, &w->p);
    if (rc == LC_OK) rc = fx_register(ctx, rr, nr, &w->reg);
    free(pr);
    free(rr);
    lc_status_opts so = {fx_day(as_of), NULL, NULL, 0.05};
    if (rc == LC_OK && so.as_of == LC_NO_DATE) rc = lc_error(ctx, LC_EINPUT, "fixture: as-of %s", as_of);
    if (rc == LC_OK) rc = lc_status_run(ctx, w->p, w->reg, &so, &w->qa, &w->st);
    if (rc == LC_OK) rc = (w->transferred = lc_calloc(ctx, n ? n : 1, 1)) ? LC_OK : LC_ENOMEM;
    for (size_t i = 0; i < n && rc == LC_OK; i++) w->transferred[i] = w->st.state[i].status == LC_ST_TRANSFERRED;
    if (rc != LC_OK) fx_world_free(w);
    return rc;
}

void fx_world_free(fx_world *w)
{
    lc_statuses_release(&w->st);
    lc_qa_release(&w->qa);
    fx_register_free(w->reg);
    fx_parcels_free(w->p);
    free(w->transferred);
    memset(w, 0, sizeof *w);
}
