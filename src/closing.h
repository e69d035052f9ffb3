/*
** The closing of a polygonal area by a distance r (buffer +r, then -r;
** round joins, 8 segments a quadrant: SPEC §2's block footprint), computed
** so that it stays near-linear on a block of fifteen thousand parcels.
**
** GEOS's buffer slows down with the number of holes of what it buffers (it
** locates each ring's depth against all the others), and a big block's
** union has a hole for every hold-out parcel. Holes are local, so they are
** taken out and treated one by one: with C_i the bounded pieces of the
** complement of U (its holes, minus any islands in them) and K_j those of
** D0 = buffer(fill U, +r) (fill: U with its holes filled),
**
**   closing(U) = buffer(fill D0, -r) - U buffer(K_j, +r) - U opening(C_i),
**   opening(C) = buffer(buffer(C, -r), +r),
**
** which is the closing exactly (erosion and dilation distribute over the
** separated pieces of a complement), and the big buffers see no holes. The
** arcs are the ones the recipe draws, around the same vertices.
*/
#ifndef LC_CLOSING_H
#define LC_CLOSING_H

#include "lc_internal.h"

/*
** The closing of u (a valid Polygon or MultiPolygon, borrowed), the union of
** members[0..n) (borrowed), by r > 0, as a new MultiPolygon in *out (owned
** by the caller; valid by construction, see closing.c).
**
** The arcs of the buffers are chords of the circle, and where the recipe's
** chords and these (drawn around the union's corners rather than each
** member's) could decide the shape differently (a gap the dilation closes
** or leaves open within the chords' reach, a neck the erosion cuts or not),
** the recipe's own buffers of the members decide; where that is not enough
** to be sure, *out is NULL and the caller closes u by the recipe.
** Returns LC_OK, or an error status with the message on ctx.
*/
lc_status lc_closing(lc_ctx *ctx, const GEOSGeometry *u, GEOSGeometry *const *members, size_t n_members, double r,
                     GEOSGeometry **out);

#endif
