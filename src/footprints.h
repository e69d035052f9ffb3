/*
** Block footprints (SPEC §2): the union of a block's parcels closed by the
** gap (buffer +gap/2, union, buffer -gap/2; round joins, 8 segments per
** quadrant), measured planar and ellipsoidal. Big blocks of parcels that
** share their edges are closed on their coverage union's outline
** (closing.c), within 1e-6 of the recipe (docs/DECISIONS.md). Blocks are
** closed in parallel, largest first. The result owns its geometries, which
** belong to the GEOS handle of the ctx given.
*/
#ifndef LC_FOOTPRINTS_H
#define LC_FOOTPRINTS_H

#include "blocks.h"

typedef struct lc_footprint {
    GEOSGeometry *geom;          /* MultiPolygon, working CRS */
    int on_outline;              /* closed on the union's outline, not by the recipe */
    double m2, ellipsoidal_m2;
} lc_footprint;

typedef struct lc_footprints {
    lc_footprint *items;         /* one per block, in block order */
    size_t n;
} lc_footprints;

lc_status lc_footprints_run(lc_ctx *ctx, const lc_parcels *p, const lc_blocks *blocks, double gap,
                            lc_footprints *out);
void lc_footprints_release(GEOSContextHandle_t h, lc_footprints *f);

#endif
