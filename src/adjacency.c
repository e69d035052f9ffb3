/* Adjacent pairs by STRtree query and prepared DistanceWithin / Intersects. */

#include "adjacency.h"
#include "spindex.h"

lc_status lc_adjacent_pairs(lc_ctx *ctx, GEOSGeometry *const *geoms, size_t n, double gap,
                            lc_pair_skip_fn skip, lc_pair_fn found, void *userdata)
{
    GEOSContextHandle_t h = ctx->geos;
    lc_spindex ix;
    lc_status rc = lc_spindex_init(ctx, &ix);
    if (rc != LC_OK) return rc;
    for (size_t k = 0; k < n; k++) lc_spindex_insert(ctx, &ix, geoms[k], k);
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
        rc = lc_spindex_query(ctx, &ix, env);
        GEOSGeom_destroy_r(h, env);
        if (rc != LC_OK) break;
        const GEOSPreparedGeometry *prep = NULL;
        for (size_t m = 0; m < ix.n_hits && rc == LC_OK; m++) {
            size_t j = ix.hits[m];
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
    lc_spindex_release(ctx, &ix);
    return rc;
}
