/* Adjacent pairs by STRtree query and prepared DistanceWithin / Intersects. */
#include <stdint.h>
#include <stdlib.h>

#include "adjacency.h"

typedef struct candidates {
    size_t *items;
    size_t n, cap;
    int oom;
} candidates;

static void collect(void *item, void *userdata)
{
    candidates *c = userdata;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 64;
        size_t *p = realloc(c->items, cap * sizeof *p);
        if (!p) {
            c->oom = 1;
            return;
        }
        c->items = p;
        c->cap = cap;
    }
    c->items[c->n++] = (size_t)(uintptr_t)item;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

lc_status lc_adjacent_pairs(lc_ctx *ctx, GEOSGeometry *const *geoms, size_t n, double gap,
                            lc_pair_skip_fn skip, lc_pair_fn found, void *userdata)
{
    GEOSContextHandle_t h = ctx->geos;
    GEOSSTRtree *tree = GEOSSTRtree_create_r(h, 10);
    if (!tree) return lc_error(ctx, LC_EINTERNAL, "GEOS: cannot create an STRtree");
    for (size_t k = 0; k < n; k++) GEOSSTRtree_insert_r(h, tree, geoms[k], (void *)(uintptr_t)k);
    candidates c = {0};
    lc_status rc = LC_OK;
    for (size_t k = 0; k < n && rc == LC_OK; k++) {
        const GEOSGeometry *g = geoms[k];
        double x0, y0, x1, y1;
        GEOSGeom_getXMin_r(h, g, &x0);
        GEOSGeom_getYMin_r(h, g, &y0);
        GEOSGeom_getXMax_r(h, g, &x1);
        GEOSGeom_getYMax_r(h, g, &y1);
        GEOSGeometry *env = GEOSGeom_createRectangle_r(h, x0 - gap, y0 - gap, x1 + gap, y1 + gap);
        if (!env) {
            rc = lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
            break;
        }
        c.n = 0;
        GEOSSTRtree_query_r(h, tree, env, collect, &c);
        GEOSGeom_destroy_r(h, env);
        if (c.oom) {
            rc = lc_error(ctx, LC_ENOMEM, "out of memory");
            break;
        }
        /* sorted candidates: the callbacks see pairs in an order independent
        ** of the tree's internals, so results are reproducible */
        lc_sort(c.items, c.n, sizeof *c.items, cmp_size);
        const GEOSPreparedGeometry *prep = NULL;
        for (size_t m = 0; m < c.n && rc == LC_OK; m++) {
            size_t j = c.items[m];
            if (j <= k || (skip && skip(k, j, userdata))) continue;
            if (!prep && !(prep = GEOSPrepare_r(h, g))) {
                rc = lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
                break;
            }
            char near = gap > 0 ? GEOSPreparedDistanceWithin_r(h, prep, geoms[j], gap)
                                : GEOSPreparedIntersects_r(h, prep, geoms[j]);
            if (near == 2) rc = lc_error(ctx, LC_EINTERNAL, "GEOS adjacency test failed: %s", ctx->geos_msg);
            else if (near) rc = found(k, j, userdata);
        }
        if (prep) GEOSPreparedGeom_destroy_r(h, prep);
        if ((k & 1023) == 0) {
            if (lc_cancelled(ctx)) rc = lc_error(ctx, LC_EINTERRUPTED, "interrupted");
            lc_report_progress(ctx, "adjacency", k, n);
        }
    }
    free(c.items);
    GEOSSTRtree_destroy_r(h, tree);
    return rc;
}
