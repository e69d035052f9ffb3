/* Points on the parcels' surfaces (see points.h). */
#include <stdlib.h>
#include <string.h>

#include "geom.h"
#include "parallel.h"
#include "points.h"

enum { POINTS_CHUNK = 1024 };

typedef struct points_job { const lc_parcels *p; lc_points *out; } points_job;

static lc_status points_chunk(lc_ctx *tctx, size_t chunk, void *userdata)
{
    points_job *j = userdata;
    const lc_parcels *p = j->p;
    size_t end = (chunk + 1) * POINTS_CHUNK < p->n ? (chunk + 1) * POINTS_CHUNK : p->n;
    for (size_t i = chunk * POINTS_CHUNK; i < end; i++)
        if (!lc_geom_point_on_surface(tctx, p->items[i].geom, &j->out->xy[2 * i], &j->out->xy[2 * i + 1])) {
            char where[320];
            lc_parcel_where(p, i, where, sizeof where);
            return lc_error(tctx, LC_EINTERNAL, "%s: GEOS point on surface: %s", where, tctx->geos_msg);
        }
    return LC_OK;
}

lc_status lc_points_run(lc_ctx *ctx, const lc_parcels *p, lc_points *out)
{
    memset(out, 0, sizeof *out);
    out->xy = lc_malloc(ctx, 2 * (p->n ? p->n : 1) * sizeof *out->xy);
    if (!out->xy) return LC_ENOMEM;
    out->n = p->n;
    points_job j = {p, out};
    lc_parallel job = {points_chunk, NULL, NULL, 0, &j, NULL};
    lc_status rc = lc_parallel_for(ctx, (p->n + POINTS_CHUNK - 1) / POINTS_CHUNK, &job);
    if (rc != LC_OK) lc_points_release(out);
    return rc;
}

void lc_points_release(lc_points *pts)
{
    free(pts->xy);
    memset(pts, 0, sizeof *pts);
}
