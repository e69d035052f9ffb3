/*
** The area of the union of polygons that mostly do not overlap, such as the
** pieces of a project site cut by the parcels under it. GEOS's union of all
** pieces costs far more than the answer needs when there are thousands of
** them: here the pieces whose interiors meet are found through an STRtree
** and unioned group by group, and every other piece counts with its own
** area. Pieces that only touch (a shared edge, a shared corner) add their
** areas: their interiors are disjoint, so the union's area is the sum.
*/
#ifndef LC_UNION_DISJOINT_H
#define LC_UNION_DISJOINT_H

#include "lc_internal.h"

/*
** Planar area of the union of geoms[0..n) (valid Polygons or
** MultiPolygons in a projected CRS, borrowed), given each one's own planar
** area in areas[0..n). The result is an exact sum (lc_xsum) of the areas
** of the pieces that overlap nothing and of the unions of the groups that
** overlap, so it does not depend on the order of the pieces.
** Returns LC_OK with *out_m2 set, or an error status with the message on ctx.
*/
lc_status lc_union_area(lc_ctx *ctx, GEOSGeometry *const *geoms, const double *areas, size_t n,
                        double *out_m2);

#endif
