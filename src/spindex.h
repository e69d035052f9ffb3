/*
** A spatial index over geometries numbered 0..n-1 (a GEOS STRtree) whose
** queries return the matching numbers sorted ascending in a reusable
** buffer, so callers see candidates in an order independent of the tree's
** internals and results are reproducible. Geometries are borrowed.
*/
#ifndef LC_SPINDEX_H
#define LC_SPINDEX_H

#include "lc_internal.h"

typedef struct lc_spindex {
    GEOSSTRtree *tree;
    size_t *hits;        /* the last query's numbers, ascending */
    size_t n_hits, cap;
    int oom;
} lc_spindex;

lc_status lc_spindex_init(lc_ctx *ctx, lc_spindex *ix);
/* Adds geometry number i (g must outlive the index). */
void lc_spindex_insert(lc_ctx *ctx, lc_spindex *ix, const GEOSGeometry *g, size_t i);
/* Numbers of the geometries whose envelopes meet g's, into ix->hits. */
lc_status lc_spindex_query(lc_ctx *ctx, lc_spindex *ix, const GEOSGeometry *g);
void lc_spindex_release(lc_ctx *ctx, lc_spindex *ix);

#endif
