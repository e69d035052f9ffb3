/*
** The campaign day by day (SPEC §3 progress): the area signed each day and
** cumulated, overall and per township and village, the largest block's
** parcel area each day, and the first day it reached the target — the one
** place where "target reached" is decided. The series comes from one
** union-find pass over the adjacency graph's edges in the order they become
** active, so its last day's largest block equals block 1 of the blocks
** phase bit for bit. The result owns its arrays; unit codes are borrowed
** from the statuses.
*/
#ifndef LC_PROGRESS_H
#define LC_PROGRESS_H

#include "adjacency.h"
#include "status.h"
#include "units.h"

typedef struct lc_progress_day {
    int32_t day;
    double signed_m2, cumulative_m2, largest_block_m2;
} lc_progress_day;

typedef struct lc_progress_unit {
    int32_t day;
    lc_unit_kind kind;
    const char *code;            /* borrowed */
    double signed_m2, cumulative_m2, total_m2;  /* total: the unit's parcels, any status */
} lc_progress_unit;

typedef struct lc_progress {
    lc_progress_day *days;       /* every day from the first signing to the last (<= as-of) */
    size_t n_days;
    lc_progress_unit *unit_days; /* per township, then village: days with signings */
    size_t n_unit_days;
    int32_t target_day;          /* first day the largest block reached target_m2, or LC_NO_DATE */
} lc_progress;

/* target_m2 <= 0: no target (target_day stays LC_NO_DATE). */
lc_status lc_progress_run(lc_ctx *ctx, const lc_parcels *p, const lc_statuses *st, const lc_adjacency *g,
                          double target_m2, lc_progress *out);
void lc_progress_release(lc_progress *pr);

#endif
