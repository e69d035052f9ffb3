/* Adjacent pairs by STRtree query and prepared DistanceWithin / Intersects. */

#include <string.h>

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

typedef struct edge_sink { lc_ctx *ctx; lc_adjacency *g; size_t cap; } edge_sink;

static lc_status add_edge(size_t i, size_t j, void *userdata)
{
    edge_sink *s = userdata;
    if (lc_grow(s->ctx, (void **)&s->g->edges, &s->cap, s->g->n_edges + 1, sizeof *s->g->edges)) return LC_ENOMEM;
    s->g->edges[s->g->n_edges][0] = i;
    s->g->edges[s->g->n_edges][1] = j;
    s->g->n_edges++;
    return LC_OK;
}

lc_status lc_adjacency_run(lc_ctx *ctx, const lc_parcels *p, const unsigned char *transferred, double gap,
                           lc_adjacency *out)
{
    size_t n = p->n;
    memset(out, 0, sizeof *out);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) k += transferred[i] != 0;
    out->nodes = lc_malloc(ctx, (k ? k : 1) * sizeof *out->nodes);
    GEOSGeometry **g = lc_malloc(ctx, (k ? k : 1) * sizeof *g);
    lc_status rc = out->nodes && g ? LC_OK : LC_ENOMEM;
    for (size_t i = 0; i < n && rc == LC_OK; i++)
        if (transferred[i]) {
            g[out->n_nodes] = p->items[i].geom;
            out->nodes[out->n_nodes++] = i;
        }
    edge_sink sink = {ctx, out, 0};
    if (rc == LC_OK && out->n_nodes) rc = lc_adjacent_pairs(ctx, g, out->n_nodes, gap, NULL, add_edge, &sink);
    free(g);
    if (rc != LC_OK) lc_adjacency_release(out);
    return rc;
}

void lc_adjacency_release(lc_adjacency *g)
{
    free(g->nodes);
    free(g->edges);
    memset(g, 0, sizeof *g);
}
