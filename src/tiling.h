/*
** Big blocks cut into tiles for their footprints. The closing by r at a
** point depends only on the parcels within 2r of it (closing.h), so a tile
** closed on the parcels that come within a margin of it (margin > 2r) has
** the block's footprint inside the tile; the pieces, each clipped to its
** tile, are unioned along the seams (lc_coverage_union_seams). A block of
** a hundred thousand parcels then costs its tiles, on every core, instead
** of one closing whose buffers slow down with the size of the outline.
*/
#ifndef LC_TILING_H
#define LC_TILING_H

#include "blocks.h"

typedef struct lc_tile {
    size_t block;                /* index in blocks->items */
    double x0, y0, x1, y1;       /* the tile; at the grid's border, beyond the margin */
    size_t *members;             /* parcels whose boxes come within the margin, ascending */
    size_t n_members;
} lc_tile;

typedef struct lc_tiling {
    lc_tile *tiles;              /* by block, then row by row */
    size_t n;
    size_t *members;             /* storage of all tiles' member lists */
} lc_tiling;

/*
** Tiles for the blocks of at least min_parcels parcels: a grid over each
** such block's extent with about per_tile parcels a tile, square-ish, and
** for each tile the block's parcels whose bounding boxes come within
** `margin` of it. Tiles that no parcel comes near are left out. Reads the
** parcels' extents: call it on the thread that owns the geometries.
*/
lc_status lc_tiling_plan(lc_ctx *ctx, const lc_parcels *p, const lc_blocks *blocks, size_t min_parcels,
                         size_t per_tile, double margin, lc_tiling *out);
void lc_tiling_release(lc_tiling *t);

#endif
