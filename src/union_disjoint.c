/*
** Area of a union as a sum: groups of pieces whose interiors meet are
** unioned, everything else is measured alone (see union_disjoint.h).
*/
#include <stdint.h>
#include <stdlib.h>

#include "area.h"
#include "edge_contact.h"
#include "spindex.h"
#include "union_disjoint.h"
#include "unionfind.h"

/* 1 when the interiors of the prepared a and b meet, 0 when they do not,
** -1 when GEOS failed: the GEOS decision for the pairs lc_rings_contact
** leaves open. */
static int interiors_meet(GEOSContextHandle_t h, const GEOSPreparedGeometry *a, const GEOSGeometry *b)
{
    char hit = GEOSPreparedIntersects_r(h, a, b);
    if (hit != 1) return hit == 0 ? 0 : -1;
    char touch = GEOSPreparedTouches_r(h, a, b);
    return touch == 2 ? -1 : !touch;
}

typedef struct member {
    size_t root, index;
} member;

static int cmp_member(const void *pa, const void *pb)
{
    const member *a = pa, *b = pb;
    if (a->root != b->root) return a->root < b->root ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

/* Joins every pair of pieces whose interiors meet into one set of uf. */
static lc_status find_groups(lc_ctx *ctx, GEOSGeometry *const *geoms, size_t n, lc_uf *uf)
{
    GEOSContextHandle_t h = ctx->geos;
    lc_spindex ix;
    lc_rings ri = {0}, rj = {0};
    lc_status rc = lc_spindex_init(ctx, &ix);
    if (rc != LC_OK) return rc;
    for (size_t i = 0; i < n; i++) lc_spindex_insert(ctx, &ix, geoms[i], i);
    for (size_t i = 0; i < n && rc == LC_OK; i++) {
        if ((rc = lc_spindex_query(ctx, &ix, geoms[i])) != LC_OK) break;
        if (ix.n_hits > 1 && (rc = lc_rings_load(ctx, &ri, geoms[i])) != LC_OK) break;
        const GEOSPreparedGeometry *prep = NULL;
        for (size_t k = 0; k < ix.n_hits && rc == LC_OK; k++) {
            size_t j = ix.hits[k];
            if (j <= i || lc_uf_find(uf, i) == lc_uf_find(uf, j)) continue;
            /* pieces apart or touching cleanly (most of them) need no GEOS test */
            if ((rc = lc_rings_load(ctx, &rj, geoms[j])) != LC_OK) break;
            if (lc_rings_contact(&ri, &rj) != LC_CONTACT_UNKNOWN) continue;
            if (!prep && !(prep = GEOSPrepare_r(h, geoms[i]))) {
                rc = lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
                break;
            }
            int meet = interiors_meet(h, prep, geoms[j]);
            if (meet < 0) rc = lc_error(ctx, LC_EINTERNAL, "GEOS predicate failed: %s", ctx->geos_msg);
            else if (meet) lc_uf_union(uf, i, j);
        }
        if (prep) GEOSPreparedGeom_destroy_r(h, prep);
    }
    lc_spindex_release(ctx, &ix);
    lc_rings_release(&ri);
    lc_rings_release(&rj);
    return rc;
}

/* Planar area of the union of the pieces idx[0..n) (n >= 2). */
static lc_status group_area(lc_ctx *ctx, GEOSGeometry *const *geoms, const member *idx, size_t n,
                            lc_area_calc *calc, double *m2)
{
    GEOSContextHandle_t h = ctx->geos;
    GEOSGeometry **own = lc_malloc(ctx, n * sizeof *own);
    if (!own) return LC_ENOMEM;
    size_t k = 0;
    for (; k < n; k++)
        if (!(own[k] = GEOSGeom_clone_r(h, geoms[idx[k].index]))) break;
    GEOSGeometry *coll = k == n ? GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, own, (unsigned)n) : NULL;
    if (!coll) {
        while (k > 0) GEOSGeom_destroy_r(h, own[--k]);
        free(own);
        return lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
    }
    free(own);  /* the collection owns the clones now */
    GEOSGeometry *u = GEOSUnaryUnion_r(h, coll);
    GEOSGeom_destroy_r(h, coll);
    if (!u) return lc_error(ctx, LC_EINTERNAL, "GEOS union failed: %s", ctx->geos_msg);
    lc_status rc = lc_area_of(calc, u, m2, NULL);
    GEOSGeom_destroy_r(h, u);
    return rc;
}

lc_status lc_union_area(lc_ctx *ctx, GEOSGeometry *const *geoms, const double *areas, size_t n,
                        double *out_m2)
{
    *out_m2 = 0;
    if (n == 0) return LC_OK;
    lc_uf uf;
    if (lc_uf_init(&uf, n)) return lc_error(ctx, LC_ENOMEM, "out of memory");
    member *idx = NULL;
    lc_status rc = find_groups(ctx, geoms, n, &uf);
    if (rc == LC_OK && !(idx = lc_malloc(ctx, n * sizeof *idx))) rc = LC_ENOMEM;
    if (rc != LC_OK) {
        lc_uf_release(&uf);
        return rc;
    }
    for (size_t i = 0; i < n; i++) idx[i] = (member){lc_uf_find(&uf, i), i};
    lc_sort(idx, n, sizeof *idx, cmp_member);
    /* planar areas only: the calculator needs no projection (the ellipsoid
    ** given is never used) */
    lc_area_calc calc;
    lc_area_calc_init(&calc, ctx, NULL, 6378137.0, 298.257223563, LC_ELLIPSOIDAL_GEODESIC);
    lc_xsum total = {0};
    for (size_t k = 0; k < n && rc == LC_OK;) {
        size_t end = k + 1;
        while (end < n && idx[end].root == idx[k].root) end++;
        double m2 = areas[idx[k].index];
        if (end - k > 1) rc = group_area(ctx, geoms, idx + k, end - k, &calc, &m2);
        lc_xsum_add(&total, m2);
        k = end;
    }
    lc_area_calc_release(&calc);
    free(idx);
    lc_uf_release(&uf);
    if (rc == LC_OK) *out_m2 = lc_xsum_value(&total);
    return rc;
}
