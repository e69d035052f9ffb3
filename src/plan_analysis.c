/*
** The plan of an analysis: its parcels, statuses, holders and villages
** handed to lc_plan_compute (plan.c) as plain arrays, with the adjacency
** phase's pairs of transferred parcels when the run has them.
*/
#include <stdlib.h>

#include "analysis.h"
#include "geom.h"
#include "plan.h"

lc_status lc_analysis_plan(lc_ctx *ctx, const lc_analysis *a, const lc_plan_opts *opts, lc_plan **out)
{
    *out = NULL;
    const lc_parcels *p = a->parcels;
    size_t n = p->n ? p->n : 1;
    GEOSGeometry **geoms = lc_malloc(ctx, n * sizeof *geoms);
    double *m2 = lc_malloc(ctx, n * sizeof *m2);
    const char **keys = lc_malloc(ctx, n * sizeof *keys);
    lc_parcel_status *status = lc_malloc(ctx, n * sizeof *status);
    const char **holders = lc_malloc(ctx, n * sizeof *holders);
    const char **villages = lc_malloc(ctx, n * sizeof *villages);
    const char **names = lc_malloc(ctx, n * sizeof *names);
    lc_status rc = LC_ENOMEM;
    /* on a thread other than the parcels' (beside the footprints, run.c),
    ** the pairs are searched on this thread's own copies: see
    ** lc_geom_copy_to */
    int copies = ctx->geos != p->geos;
    if (geoms && m2 && keys && status && holders && villages && names) {
        rc = LC_OK;
        for (size_t i = 0; i < p->n && rc == LC_OK; i++)
            if (!(geoms[i] = copies ? lc_geom_copy_to(ctx, p->items[i].geom) : p->items[i].geom))
                rc = lc_error(ctx, LC_EINTERNAL, "copying parcel %zu for the plan: GEOS: %s", i + 1, ctx->geos_msg);
    }
    if (rc == LC_OK) {
        for (size_t i = 0; i < p->n; i++) {
            m2[i] = p->items[i].planar_m2;
            keys[i] = p->items[i].key;
            status[i] = a->st.state[i].status;
            holders[i] = lc_analysis_holder(a, i);
            villages[i] = a->st.state[i].village;
            names[i] = lc_units_name(&a->units, a->st.state[i].village);
        }
        /* no target, no route: a target of 0 is met before the first step */
        double target_mu = a->opts.target_set ? a->opts.target_mu : 0;
        lc_plan_input in = {p->n, geoms, m2, keys, status, holders, villages, names,
                            a->opts.gap_m, target_mu, opts->cost, opts->exclude_hard, NULL};
        /* the adjacency phase's pairs of transferred parcels, when it ran */
        if (a->have & (LC_HAVE_PROGRESS | LC_HAVE_BLOCKS)) in.transferred_pairs = &a->adjacency;
        rc = lc_plan_compute(ctx, &in, out);
    }
    for (size_t i = 0; copies && geoms && i < p->n && geoms[i]; i++) GEOSGeom_destroy_r(ctx->geos, geoms[i]);
    free(geoms);
    free(m2);
    free(keys);
    free(status);
    free(holders);
    free(villages);
    free(names);
    return rc;
}
