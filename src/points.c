/* Points on the parcels' surfaces (see points.h). */
#include <stdlib.h>
#include <string.h>

#include "geom.h"
#include "points.h"

lc_status lc_points_run(lc_ctx *ctx, const lc_parcels *p, lc_points *out)
{
    memset(out, 0, sizeof *out);
    out->xy = lc_malloc(ctx, 2 * (p->n ? p->n : 1) * sizeof *out->xy);
    if (!out->xy) return LC_ENOMEM;
    out->n = p->n;
    for (size_t i = 0; i < p->n; i++)
        if (!lc_geom_point_on_surface(ctx, p->items[i].geom, &out->xy[2 * i], &out->xy[2 * i + 1])) {
            char where[320];
            lc_parcel_where(p, i, where, sizeof where);
            lc_points_release(out);
            return lc_error(ctx, LC_EINTERNAL, "%s: GEOS point on surface: %s", where, ctx->geos_msg);
        }
    return LC_OK;
}

void lc_points_release(lc_points *pts)
{
    free(pts->xy);
    memset(pts, 0, sizeof *pts);
}
