/*
** Quality checks of the parcel layer beyond what reading finds (SPEC §5):
** the search for overlapping parcels (a phase of its own, which the
** orchestrator runs on a task alongside the others on its own copies of
** the parcels), and the per-parcel checks (implausible sizes, parcels far
** from the rest, keys that do not follow the DKBM structure, measured-area
** fields off the computed area). Findings go to the QA list given; the
** pairs' findings are recorded after all others, in pair order, so the
** output does not depend on the threads. Pairs own their geometries.
*/
#ifndef LC_CHECKS_H
#define LC_CHECKS_H

#include "parcels.h"
#include "points.h"

/* Two parcels whose interiors overlap by more than 1 m² (double counting). */
typedef struct lc_overlap_pair {
    size_t a, b;                 /* parcel indices, a < b */
    GEOSGeometry *geom;          /* owned: the overlap */
    double m2;
    int has_point;               /* a point of the overlap, for the finding */
    double x, y;
} lc_overlap_pair;

typedef struct lc_overlap_pairs {
    lc_overlap_pair *items;      /* by a, then b */
    size_t n;
    double double_counted_m2;    /* sum of the overlaps */
    double seconds;              /* how long the search took, for -v */
    /* the pairs of valid parcels whose boxes meet and whose contact
    ** lc_rings_contact could not settle (a < b, by a then b): the coverage
    ** union's set-aside parcels, without testing the pairs again */
    size_t (*unsettled)[2];
    size_t n_unsettled;
} lc_overlap_pairs;

/* Safe on any thread with its own ctx: it reads p's coordinates only. */
lc_status lc_overlap_search(lc_ctx *ctx, const lc_parcels *p, lc_overlap_pairs *out);
void lc_overlap_pairs_release(GEOSContextHandle_t h, lc_overlap_pairs *pairs);

lc_status lc_checks_run(lc_ctx *ctx, const lc_parcels *p, const lc_points *pts, double area_tolerance,
                        lc_qa *qa);
lc_status lc_checks_record_pairs(lc_ctx *ctx, const lc_parcels *p, const lc_overlap_pairs *pairs, lc_qa *qa);

#endif
