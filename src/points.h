/*
** A point on the surface of every parcel (GEOS PointOnSurface), computed
** once: the quality checks place their findings there and the enclaves
** test it against the filled footprints. The result owns its array.
*/
#ifndef LC_POINTS_H
#define LC_POINTS_H

#include "parcels.h"

typedef struct lc_points {
    double *xy;                  /* x, y of parcel i at 2i, 2i + 1 */
    size_t n;
} lc_points;

lc_status lc_points_run(lc_ctx *ctx, const lc_parcels *p, lc_points *out);
void lc_points_release(lc_points *pts);

#endif
