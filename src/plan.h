/*
** Which untransferred parcels to negotiate first: for every one, the largest
** block's parcel area were it transferred too (bridge parcels), and a greedy
** route of parcels that grows one block to the target.
**
** A pure function of its inputs, computed on the block graph: the blocks of
** transferred parcels are its nodes, and each untransferred parcel connects
** the blocks it lies within the gap of. Block areas are exact sums (lc_xsum)
** of the same parcel areas the blocks module sums, so every figure equals,
** bit for bit, block 1 of an analysis with those parcels transferred.
**
** The plan owns its arrays and borrows the input strings (keys, holders,
** villages), which must outlive it; release it with lc_plan_free.
*/
#ifndef LC_PLAN_H
#define LC_PLAN_H

#include "adjacency.h"
#include "lc_internal.h"
#include "status_table.h"

typedef struct lc_plan_input {
    size_t n;                             /* parcels */
    GEOSGeometry *const *geoms;           /* working CRS */
    const double *m2;                     /* planar areas */
    const char *const *keys;              /* NULL entries: no key */
    const lc_parcel_status *status;
    const char *const *holders;           /* NULL entries: unknown, a household of its own */
    const char *const *villages;          /* codes: a household is (village, holder) */
    const char *const *village_names;     /* display only; NULL, or NULL entries */
    double gap_m;                         /* adjacency distance, >= 0 */
    double target_mu;
    lc_plan_cost cost;
    int exclude_hard;                     /* refused and disputed parcels stay out of the route */
    /* The pairs of transferred parcels within gap_m when already known (the
    ** adjacency phase of the same parcels, statuses and gap): only pairs
    ** with an untransferred parcel are then tested. NULL: all are tested. */
    const lc_adjacency *transferred_pairs;
} lc_plan_input;

lc_status lc_plan_compute(lc_ctx *ctx, const lc_plan_input *in, lc_plan **out);

#endif
