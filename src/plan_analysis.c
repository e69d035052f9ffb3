/*
** The plan of an analysis: its parcels, statuses, holders and villages
** handed to lc_plan_compute (plan.c) as plain arrays, with the adjacency
** phase's pairs of transferred parcels when the run has them.
*/
#include <stdlib.h>

#include "analysis.h"
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
    if (geoms && m2 && keys && status && holders && villages && names) {
        for (size_t i = 0; i < p->n; i++) {
            geoms[i] = p->items[i].geom;
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
    free(geoms);
    free(m2);
    free(keys);
    free(status);
    free(holders);
    free(villages);
    free(names);
    return rc;
}
