/*
** Block footprints (SPEC §2): the union of a block's parcels closed by the
** gap (buffer +gap/2, union, buffer -gap/2; round joins, 8 segments per
** quadrant), measured planar and ellipsoidal. Big blocks of parcels that
** share their edges are closed on their coverage union's outline
** (closing.c), within 1e-6 of the recipe (docs/DECISIONS.md); the biggest
** are cut into tiles (tiling.h). Blocks and tiles are closed in parallel,
** largest first. The result owns its geometries, which
** belong to the GEOS handle of the ctx given.
*/
#ifndef LC_FOOTPRINTS_H
#define LC_FOOTPRINTS_H

#include "blocks.h"

typedef struct lc_footprint {
    GEOSGeometry *geom;          /* MultiPolygon, working CRS */
    int on_outline;              /* closed on the union's outline (every tile), not by the recipe */
    int one_buffer;              /* whole, dilated in one buffer of its parcels (they lie apart) */
    int tiles;                   /* closed in this many tiles; 0: whole */
    int merged_by_overlay;       /* the tiles' pieces did not meet cleanly: unioned by overlay */
    double m2, ellipsoidal_m2;
} lc_footprint;

typedef struct lc_footprints {
    lc_footprint *items;         /* one per block, in block order */
    size_t n;
} lc_footprints;

/* Blocks of min_parcels parcels or more are closed in tiles of about
** per_tile parcels (lc_footprints_run: lc_tile_sizes_default, or the
** environment's LANDCONS_TILES="MIN,PER"). */
typedef struct lc_tile_sizes {
    size_t min_parcels, per_tile;
} lc_tile_sizes;
extern const lc_tile_sizes lc_tile_sizes_default;

/* The pairs of parcels (a < b, sorted by a) whose contact lc_rings_contact could not
** settle, as the overlap search found them once it is complete: a block's
** coverage union then sets those parcels aside without searching its
** pairs again. NULL when not known: it searches. */
typedef struct lc_unsettled {
    const size_t (*pairs)[2];
    size_t n;
} lc_unsettled;

lc_status lc_footprints_tiled(lc_ctx *ctx, const lc_parcels *p, const lc_blocks *blocks, double gap,
                              const lc_tile_sizes *sizes, const lc_unsettled *known, lc_footprints *out);
lc_status lc_footprints_run(lc_ctx *ctx, const lc_parcels *p, const lc_blocks *blocks, double gap,
                            const lc_unsettled *known, lc_footprints *out);
void lc_footprints_release(GEOSContextHandle_t h, lc_footprints *f);

#endif
