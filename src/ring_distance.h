/*
** Whether two polygons lie within a distance of each other, decided from
** their coordinates as GEOS's prepared DistanceWithin decides it, without
** its per-call indexes: GEOS answers yes when the polygons intersect, else
** compares the least distance between their edges (Distance::
** segmentToSegment over every pair of edges) with the distance. Here the
** edges' distances are computed with the same formulas, in the same
** floating-point operations, so a pair exactly at the distance is decided
** the same way; the intersection GEOS tests first is either an edge pair
** at distance 0 (found by the same loop) or one polygon inside the other,
** which a point-in-polygon test settles, every boundary being farther
** than the distance then.
*/
#ifndef LC_RING_DISTANCE_H
#define LC_RING_DISTANCE_H

#include "edge_contact.h"

/* Beyond this many pairs of edges the answer is left to GEOS, whose
** indexes then pay for themselves. */
#define LC_RING_DISTANCE_MAX_PAIRS 4096

/* 1 when the polygons a and b (loaded by lc_rings_load) lie within d > 0
** of each other, 0 when not, -1 when left to GEOS (too many edges). */
int lc_rings_within(const lc_rings *a, const lc_rings *b, double d);

#endif
