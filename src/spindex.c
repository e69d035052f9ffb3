/* STRtree with sorted, reusable query results. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "spindex.h"

static void collect(void *item, void *userdata)
{
    lc_spindex *ix = userdata;
    if (ix->n_hits == ix->cap) {
        size_t cap = ix->cap ? 2 * ix->cap : 64;
        size_t *p = realloc(ix->hits, cap * sizeof *p);
        if (!p) {
            ix->oom = 1;
            return;
        }
        ix->hits = p;
        ix->cap = cap;
    }
    ix->hits[ix->n_hits++] = (size_t)(uintptr_t)item;
}

lc_status lc_spindex_init(lc_ctx *ctx, lc_spindex *ix)
{
    memset(ix, 0, sizeof *ix);
    ix->tree = GEOSSTRtree_create_r(ctx->geos, 10);
    return ix->tree ? LC_OK : lc_error(ctx, LC_EINTERNAL, "GEOS: cannot create an STRtree");
}

void lc_spindex_insert(lc_ctx *ctx, lc_spindex *ix, const GEOSGeometry *g, size_t i)
{
    /* the tree keeps the pointer only to read the envelope: it never modifies g */
    GEOSSTRtree_insert_r(ctx->geos, ix->tree, (GEOSGeometry *)(uintptr_t)g, (void *)(uintptr_t)i);
}

lc_status lc_spindex_query(lc_ctx *ctx, lc_spindex *ix, const GEOSGeometry *g)
{
    ix->n_hits = 0;
    GEOSSTRtree_query_r(ctx->geos, ix->tree, g, collect, ix);
    if (ix->oom) return lc_error(ctx, LC_ENOMEM, "out of memory in a spatial index query");
    lc_sort(ix->hits, ix->n_hits, sizeof *ix->hits, lc_cmp_size);
    return LC_OK;
}

void lc_spindex_release(lc_ctx *ctx, lc_spindex *ix)
{
    if (ix->tree) GEOSSTRtree_destroy_r(ctx->geos, ix->tree);
    free(ix->hits);
    memset(ix, 0, sizeof *ix);
}
