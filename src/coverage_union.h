/*
** The union of polygons that form a clean coverage, as a 确权 delivery
** digitised edge to edge does: interiors pairwise disjoint, neighbours
** sharing their common boundary vertex for vertex. Every edge two polygons
** share cancels, and what is left is chained into the rings of the union:
** linear in the number of edges, where a union by overlay nodes them all.
*/
#ifndef LC_COVERAGE_UNION_H
#define LC_COVERAGE_UNION_H

#include "lc_internal.h"

/*
** The union of geoms[0..n) (valid Polygons or MultiPolygons, borrowed) as a
** new MultiPolygon in *out, owned by the caller. A clean coverage is unioned
** by edge cancellation, and the result is kept only when it is a valid
** MultiPolygon, which proves the coverage clean: the chained rings wind
** around each point as often as all the inputs together do. Otherwise the
** polygons in a contact lc_rings_contact cannot settle (an overlap, a
** vertex on another's edge) are set aside and added to the union of the
** rest by overlay, part by part; when more than a quarter are set aside,
** everything is unioned by overlay (GEOSUnaryUnion).
** Returns LC_OK, or an error status with the message on ctx.
*/
lc_status lc_coverage_union(lc_ctx *ctx, GEOSGeometry *const *geoms, size_t n, GEOSGeometry **out);
/* The same with the polygons in a contact lc_rings_contact does not settle
** marked already (unclean[i] != 0; the overlap search met those pairs), so
** that they are not searched for again. */
lc_status lc_coverage_union_marked(lc_ctx *ctx, GEOSGeometry *const *geoms, size_t n, const unsigned char *unclean,
                                   GEOSGeometry **out);

/*
** The same for pieces cut along straight lines (tiles of one closing):
** where two pieces meet on a seam line their end points there may differ,
** and the seam's edges are split at all of them first (coverage_union.c).
** xs: the lines x = const, ys: y = const, each sorted ascending. When the
** pieces do not meet cleanly even so, the overlay takes over as above and
** *by_overlay (when not NULL) is set to 1.
*/
typedef struct lc_seams {
    const double *xs, *ys;
    size_t nx, ny;
} lc_seams;

lc_status lc_coverage_union_seams(lc_ctx *ctx, GEOSGeometry *const *geoms, size_t n, const lc_seams *seams,
                                  GEOSGeometry **out, int *by_overlay);

#endif
