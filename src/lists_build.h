/*
** The cadres' lists of an analysis (SPEC §5a) as a view (lists_view.h):
** the only lists module that knows lc_analysis.
*/
#ifndef LC_LISTS_BUILD_H
#define LC_LISTS_BUILD_H

#include "lists_view.h"

/* lists_build.c: the tables named by `which` (LC_LIST_* bits) from an
** analysis; the unmatched list only when it has a register. */
lc_status lc_lists_build(lc_ctx *ctx, const lc_analysis *a, unsigned which, lc_lists *out);

#endif
