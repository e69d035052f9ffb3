/*
** Pairs of geometries at most `gap` metres apart (SPEC §2 "adjacent"): the
** STRtree gives candidates within the envelope grown by the gap, a prepared
** geometry decides exactly. Blocks skip pairs already joined; the progress
** series needs every pair.
*/
#ifndef LC_ADJACENCY_H
#define LC_ADJACENCY_H

#include "lc_internal.h"
#include "parcels.h"

/* Return non-zero to skip the exact test of (i, j). */
typedef int (*lc_pair_skip_fn)(size_t i, size_t j, void *userdata);
/* Called for each adjacent pair, i < j, in increasing (i, j) order. */
typedef lc_status (*lc_pair_fn)(size_t i, size_t j, void *userdata);

/* geoms[0..n) borrowed; gap 0 means touching or overlapping. */
lc_status lc_adjacent_pairs(lc_ctx *ctx, GEOSGeometry *const *geoms, size_t n, double gap,
                            lc_pair_skip_fn skip, lc_pair_fn found, void *userdata);

/*
** The adjacency phase: the graph of the transferred parcels (SPEC §2
** "adjacent"), computed once for the blocks and the progress series. Nodes
** are the transferred parcels in parcel order; edges join two of them (as
** indices into nodes, a < b, in increasing order) when they are at most
** `gap` apart. The result owns its arrays.
*/
typedef struct lc_adjacency {
    size_t *nodes;               /* parcel index of each node */
    size_t n_nodes;
    size_t (*edges)[2];
    size_t n_edges;
} lc_adjacency;

/* transferred[i] != 0 marks the parcels that are nodes. */
lc_status lc_adjacency_run(lc_ctx *ctx, const lc_parcels *p, const unsigned char *transferred, double gap,
                           lc_adjacency *out);
void lc_adjacency_release(lc_adjacency *g);

#endif
