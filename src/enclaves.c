/*
** Enclaves (SPEC §2): parcels that are not transferred but whose
** point-on-surface lies inside a block footprint with its holes filled (the
** hold-outs a campaign must still win), and gap enclaves: footprint holes
** in which no parcel lies (ponds, graves, unmapped land). A point inside
** several filled footprints (a block in the hole of another) belongs to the
** smallest, the innermost.
*/
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "area.h"
#include "enclaves.h"
#include "geom.h"
#include "spindex.h"

typedef struct shell {
    GEOSGeometry *filled;               /* owned: polygon of the exterior ring */
    const GEOSPreparedGeometry *prep;   /* lazily prepared */
    int32_t block_id;
    double area;
} shell;

static GEOSGeometry *polygon_from_ring(GEOSContextHandle_t h, const GEOSGeometry *ring)
{
    GEOSGeometry *shell_ring = GEOSGeom_clone_r(h, ring);
    if (!shell_ring) return NULL;
    /* clone of an interior ring is a LinearRing already */
    return GEOSGeom_createPolygon_r(h, shell_ring, NULL, 0);
}

static int add_enclave(lc_ctx *ctx, lc_enclaves *a, size_t *cap, lc_enclave e)
{
    if (lc_grow(ctx, (void **)&a->items, cap, a->n + 1, sizeof *a->items)) return -1;
    a->items[a->n++] = e;
    return 0;
}

static int cmp_enclaves(const void *pa, const void *pb);

/* The parcels' points on surface in buckets of a grid, to find those in a
** hole's box: no GEOS point and R-tree entry per parcel (at a million
** parcels those alone took a second and ~160 MB). */
typedef struct point_grid {
    double x0, y0, cell;
    size_t nx, ny;
    size_t *start;      /* per cell, its first entry in order; nx * ny + 1 */
    size_t *order;      /* parcel numbers cell by cell */
} point_grid;

enum { GRID_MAX_SIDE = 4096 };

static size_t grid_cell(const point_grid *g, double x, double y)
{
    size_t cx = (size_t)((x - g->x0) / g->cell), cy = (size_t)((y - g->y0) / g->cell);
    if (cx >= g->nx) cx = g->nx - 1;
    if (cy >= g->ny) cy = g->ny - 1;
    return cy * g->nx + cx;
}

static int finite_point(const double *xy, size_t i)
{
    return isfinite(xy[2 * i]) && isfinite(xy[2 * i + 1]);
}

static lc_status grid_build(lc_ctx *ctx, const double *xy, size_t n, point_grid *g)
{
    memset(g, 0, sizeof *g);
    double x1 = 0, y1 = 0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (!finite_point(xy, i)) continue;
        double x = xy[2 * i], y = xy[2 * i + 1];
        if (!m || x < g->x0) g->x0 = x;
        if (!m || y < g->y0) g->y0 = y;
        if (!m || x > x1) x1 = x;
        if (!m || y > y1) y1 = y;
        m++;
    }
    double w = x1 - g->x0, h = y1 - g->y0;
    g->cell = sqrt(w * h / (double)(m / 2 + 1));
    if (!(g->cell >= fmax(w, h) / GRID_MAX_SIDE)) g->cell = fmax(w, h) / GRID_MAX_SIDE;
    if (!(g->cell > 0)) g->cell = 1;
    g->nx = (size_t)(w / g->cell) + 1;
    g->ny = (size_t)(h / g->cell) + 1;
    size_t cells = g->nx * g->ny;
    g->start = lc_calloc(ctx, cells + 1, sizeof *g->start);
    g->order = lc_malloc(ctx, (m ? m : 1) * sizeof *g->order);
    if (!g->start || !g->order) return LC_ENOMEM;
    for (size_t i = 0; i < n; i++)
        if (finite_point(xy, i)) g->start[grid_cell(g, xy[2 * i], xy[2 * i + 1]) + 1]++;
    for (size_t c = 0; c < cells; c++) g->start[c + 1] += g->start[c];
    size_t *fill = lc_malloc(ctx, cells * sizeof *fill);
    if (!fill) return LC_ENOMEM;
    memcpy(fill, g->start, cells * sizeof *fill);
    for (size_t i = 0; i < n; i++)
        if (finite_point(xy, i)) g->order[fill[grid_cell(g, xy[2 * i], xy[2 * i + 1])]++] = i;
    free(fill);
    return LC_OK;
}

static void grid_release(point_grid *g)
{
    free(g->start);
    free(g->order);
    memset(g, 0, sizeof *g);
}

/* Whether some parcel's point lies in the polygon hole. */
static lc_status hole_occupied(lc_ctx *ctx, const point_grid *g, const double *xy, const GEOSGeometry *hole,
                               int *occupied)
{
    GEOSContextHandle_t h = ctx->geos;
    *occupied = 0;
    double hx0, hy0, hx1, hy1;
    if (!GEOSGeom_getXMin_r(h, hole, &hx0) || !GEOSGeom_getYMin_r(h, hole, &hy0) ||
        !GEOSGeom_getXMax_r(h, hole, &hx1) || !GEOSGeom_getYMax_r(h, hole, &hy1))
        return lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
    size_t c0 = grid_cell(g, fmax(hx0, g->x0), fmax(hy0, g->y0)), c1 = grid_cell(g, fmax(hx1, g->x0), fmax(hy1, g->y0));
    const GEOSPreparedGeometry *prep = NULL;
    lc_status rc = LC_OK;
    for (size_t cy = c0 / g->nx; cy <= c1 / g->nx && !*occupied && rc == LC_OK; cy++)
        for (size_t cx = c0 % g->nx; cx <= c1 % g->nx && !*occupied && rc == LC_OK; cx++) {
            size_t c = cy * g->nx + cx;
            for (size_t k = g->start[c]; k < g->start[c + 1] && !*occupied; k++) {
                double x = xy[2 * g->order[k]], y = xy[2 * g->order[k] + 1];
                if (x < hx0 || x > hx1 || y < hy0 || y > hy1) continue;
                if (!prep && !(prep = GEOSPrepare_r(h, hole))) {
                    rc = lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
                    break;
                }
                GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(h, x, y);
                char in = pt ? GEOSPreparedContains_r(h, prep, pt) : 2;
                if (pt) GEOSGeom_destroy_r(h, pt);
                if (in == 2) rc = lc_error(ctx, LC_EINTERNAL, "GEOS contains failed: %s", ctx->geos_msg);
                *occupied = in == 1;
            }
        }
    if (prep) GEOSPreparedGeom_destroy_r(h, prep);
    return rc;
}

/* long: the two kinds of enclaves share the filled shells and the point index */
lc_status lc_enclaves_run(lc_ctx *ctx, const lc_parcels *p, const lc_statuses *st, const lc_blocks *blocks,
                          const lc_footprints *fps, const lc_points *pts, lc_enclaves *a)
{
    GEOSContextHandle_t h = ctx->geos;
    memset(a, 0, sizeof *a);
    lc_status rc = LC_OK;
    size_t nshell = 0, shell_cap = 0, enc_cap = 0;
    shell *shells = NULL;
    lc_spindex shell_ix = {0};
    point_grid grid = {0};
    a->enclave_of = lc_calloc(ctx, p->n ? p->n : 1, sizeof *a->enclave_of);
    a->block_count = lc_calloc(ctx, blocks->n ? blocks->n : 1, sizeof *a->block_count);
    a->block_m2 = lc_calloc(ctx, blocks->n ? blocks->n : 1, sizeof *a->block_m2);
    if (!a->enclave_of || !a->block_count || !a->block_m2) return LC_ENOMEM;

    for (size_t b = 0; b < blocks->n; b++) {
        const GEOSGeometry *fp = fps->items[b].geom;
        int np = GEOSGetNumGeometries_r(h, fp);
        for (int k = 0; k < np; k++) {
            const GEOSGeometry *poly = GEOSGetGeometryN_r(h, fp, k);
            if (lc_grow(ctx, (void **)&shells, &shell_cap, nshell + 1, sizeof *shells)) {
                rc = LC_ENOMEM;
                goto out;
            }
            shell *s = &shells[nshell];
            memset(s, 0, sizeof *s);
            s->filled = polygon_from_ring(h, GEOSGetExteriorRing_r(h, poly));
            if (!s->filled) {
                rc = lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
                goto out;
            }
            GEOSArea_r(h, s->filled, &s->area);
            s->block_id = blocks->items[b].id;
            nshell++;
        }
    }
    if ((rc = lc_spindex_init(ctx, &shell_ix)) != LC_OK || (rc = grid_build(ctx, pts->xy, p->n, &grid)) != LC_OK)
        goto out;
    for (size_t s = 0; s < nshell; s++) lc_spindex_insert(ctx, &shell_ix, shells[s].filled, s);

    GEOSGeometry *pos = NULL;
    for (size_t i = 0; i < p->n && rc == LC_OK; i++) {
        if (st->state[i].status == LC_ST_TRANSFERRED || nshell == 0) continue;
        if (pos) GEOSGeom_destroy_r(h, pos);
        pos = GEOSGeom_createPointFromXY_r(h, pts->xy[2 * i], pts->xy[2 * i + 1]);
        if (!pos) {
            rc = lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
            break;
        }
        if ((rc = lc_spindex_query(ctx, &shell_ix, pos)) != LC_OK) break;
        size_t best = SIZE_MAX;
        for (size_t m = 0; m < shell_ix.n_hits; m++) {
            shell *s = &shells[shell_ix.hits[m]];
            if (!s->prep && !(s->prep = GEOSPrepare_r(h, s->filled))) {
                rc = lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
                break;
            }
            char in = GEOSPreparedContains_r(h, s->prep, pos);
            if (in == 2) {
                rc = lc_error(ctx, LC_EINTERNAL, "GEOS contains failed: %s", ctx->geos_msg);
                break;
            }
            if (in && (best == SIZE_MAX || s->area < shells[best].area ||
                       (s->area == shells[best].area && s->block_id < shells[best].block_id)))
                best = shell_ix.hits[m];
        }
        if (rc == LC_OK && best != SIZE_MAX) {
            a->enclave_of[i] = shells[best].block_id;
            lc_enclave e = {shells[best].block_id, i, p->items[i].key, p->items[i].fid, NULL,
                            p->items[i].planar_m2};
            if (add_enclave(ctx, a, &enc_cap, e)) rc = LC_ENOMEM;
        }
    }
    if (pos) GEOSGeom_destroy_r(h, pos);
    if (rc != LC_OK) goto out;

    /* gap enclaves: footprint holes with no parcel's point inside */
    lc_area_calc calc;
    lc_area_calc_init(&calc, ctx, p->crs.to_geographic, p->crs.a, p->crs.inv_f, p->ellipsoidal_method);
    for (size_t b = 0; b < blocks->n && rc == LC_OK; b++) {
        const GEOSGeometry *fp = fps->items[b].geom;
        int np = GEOSGetNumGeometries_r(h, fp);
        for (int k = 0; k < np && rc == LC_OK; k++) {
            const GEOSGeometry *poly = GEOSGetGeometryN_r(h, fp, k);
            int nh = GEOSGetNumInteriorRings_r(h, poly);
            for (int r = 0; r < nh && rc == LC_OK; r++) {
                GEOSGeometry *hole = polygon_from_ring(h, GEOSGetInteriorRingN_r(h, poly, r));
                if (!hole) {
                    rc = lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
                    break;
                }
                int occupied;
                if ((rc = hole_occupied(ctx, &grid, pts->xy, hole, &occupied)) != LC_OK) {
                    GEOSGeom_destroy_r(h, hole);
                    break;
                }
                if (occupied) {
                    GEOSGeom_destroy_r(h, hole);
                    continue;
                }
                lc_enclave e = {blocks->items[b].id, SIZE_MAX, NULL, -1, hole, 0};
                rc = lc_area_of(&calc, hole, &e.area_m2, NULL);
                if (rc != LC_OK || add_enclave(ctx, a, &enc_cap, e)) {
                    GEOSGeom_destroy_r(h, hole);
                    if (rc == LC_OK) rc = LC_ENOMEM;
                }
            }
        }
    }
    lc_area_calc_release(&calc);
    if (rc != LC_OK) goto out;

    lc_sort(a->items, a->n, sizeof *a->items, cmp_enclaves);
    for (size_t e = 0; e < a->n; e++) {
        size_t b = (size_t)a->items[e].block_id - 1;
        a->block_count[b]++;
        a->block_m2[b] += a->items[e].area_m2;
    }
out:
    for (size_t s = 0; s < nshell; s++) {
        if (shells[s].prep) GEOSPreparedGeom_destroy_r(h, shells[s].prep);
        GEOSGeom_destroy_r(h, shells[s].filled);
    }
    free(shells);
    lc_spindex_release(ctx, &shell_ix);
    grid_release(&grid);
    return rc;
}

void lc_enclaves_release(GEOSContextHandle_t h, lc_enclaves *a)
{
    for (size_t e = 0; e < a->n; e++)
        if (a->items[e].geom) GEOSGeom_destroy_r(h, a->items[e].geom);
    free(a->items);
    free(a->enclave_of);
    free(a->block_count);
    free(a->block_m2);
    memset(a, 0, sizeof *a);
}

/* Enclaves by block, parcel enclaves by key then FID, gap enclaves by area. */
static int cmp_enclaves(const void *pa, const void *pb)
{
    const lc_enclave *a = pa, *b = pb;
    if (a->block_id != b->block_id) return a->block_id < b->block_id ? -1 : 1;
    int ag = a->parcel == SIZE_MAX, bg = b->parcel == SIZE_MAX;
    if (ag != bg) return ag - bg;
    if (!ag) {
        int c = strcmp(a->key ? a->key : "", b->key ? b->key : "");
        if (c) return c;
        return (a->fid > b->fid) - (a->fid < b->fid);
    }
    if (a->area_m2 != b->area_m2) return a->area_m2 > b->area_m2 ? -1 : 1;
    return 0;
}
