/*
** Pairs of geometries at most `gap` metres apart (SPEC §2 "adjacent"): the
** STRtree gives candidates within the envelope grown by the gap, a prepared
** geometry decides exactly. Blocks skip pairs already joined; the progress
** series needs every pair.
*/
#ifndef LC_ADJACENCY_H
#define LC_ADJACENCY_H

#include "lc_internal.h"

/* Return non-zero to skip the exact test of (i, j). */
typedef int (*lc_pair_skip_fn)(size_t i, size_t j, void *userdata);
/* Called for each adjacent pair, i < j, in increasing (i, j) order. */
typedef lc_status (*lc_pair_fn)(size_t i, size_t j, void *userdata);

/* geoms[0..n) borrowed; gap 0 means touching or overlapping. */
lc_status lc_adjacent_pairs(lc_ctx *ctx, GEOSGeometry *const *geoms, size_t n, double gap,
                            lc_pair_skip_fn skip, lc_pair_fn found, void *userdata);

#endif
