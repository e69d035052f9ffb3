/*
** The analysis of one campaign: each parcel's status as of a date, the
** contiguous blocks of transferred parcels with their footprints, and the
** enclaves (SPEC §2). An lc_analysis borrows the parcel set it was computed
** from (which must outlive it) and owns the register, blocks, enclaves,
** footprints and its QA findings.
*/
#ifndef LC_ANALYSIS_H
#define LC_ANALYSIS_H

#include "keymatch.h"
#include "parcels.h"
#include "register.h"
#include "status.h"
#include "units.h"


typedef struct lc_block {
    int32_t id;
    size_t *members;             /* parcel indices, ascending */
    size_t n_members;
    double parcel_m2;            /* sum of member planar areas */
    double parcel_ellipsoidal_m2;
    const char *min_key;         /* tie-break of the ordering */
    GEOSGeometry *footprint;     /* MultiPolygon, working CRS */
    int on_outline;              /* closed on the union's outline (closing.c), not by the recipe */
    double footprint_m2, footprint_ellipsoidal_m2;
    size_t enclave_count;
    double enclave_m2;
    char *villages, *townships;  /* comma-separated, arena */
} lc_block;

typedef struct lc_enclave {
    int32_t block_id;
    size_t parcel;               /* parcel index; SIZE_MAX for a gap enclave */
    const char *key;             /* the parcel's key (borrowed), NULL for a gap */
    int64_t fid;
    GEOSGeometry *geom;          /* gap enclaves only (the hole); owned */
    double area_m2;
} lc_enclave;

/* A project site (SPEC §2 site overlap): its figures by parcel status. */
typedef struct lc_site {
    int32_t id;                  /* 1.. across all site layers, in order */
    const lc_parcels *set;       /* borrowed: the site layer it came from */
    size_t index;                /* feature in that set */
    const char *name;            /* borrowed; NULL when the layer has no text field */
    double area_m2;
    double status_m2[LC_ST_N];   /* overlaps by parcel status */
    double covered_m2;           /* area of site ∩ union of all parcels */
    double no_parcel_m2;
    int ready;
    const char *reason;          /* why it is not ready (arena); NULL when ready */
    size_t first_overlap, n_overlaps; /* into lc_analysis.overlaps */
    size_t n_blocking;
} lc_site;

typedef struct lc_overlap {
    int32_t site_id;
    size_t parcel;
    GEOSGeometry *geom;          /* owned: site ∩ parcel */
    double m2;
} lc_overlap;

typedef struct lc_constraint_hit {
    int32_t site_id;
    size_t layer;                /* index into constraint_sets */
    size_t feature;              /* index into that set's items */
    GEOSGeometry *geom;          /* owned */
    double m2;
} lc_constraint_hit;

/* Two parcels whose interiors overlap by more than 1 m² (double counting). */
typedef struct lc_overlap_pair {
    size_t a, b;                 /* parcel indices, a < b */
    GEOSGeometry *geom;          /* owned: the overlap */
    double m2;
    int has_point;               /* a point of the overlap, for the finding */
    double x, y;
} lc_overlap_pair;

/* The campaign day by day (SPEC §3 progress): all parcels, and per unit. */
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

typedef struct lc_status_totals {
    size_t count[LC_ST_N];
    double m2[LC_ST_N];
} lc_status_totals;

struct lc_analysis {
    lc_parcels *parcels;         /* borrowed */
    lc_register *reg;            /* owned */
    lc_analyze_opts opts;        /* copy; strings borrowed from the caller */
    char as_of_text[11];         /* opts.as_of points here, normalised */
    int holder_field;            /* the parcels' CBFMC field, -1 when absent */
    lc_parcel_state *state;      /* one per parcel */
    lc_block *blocks;
    size_t n_blocks;
    lc_enclave *enclaves;
    size_t n_enclaves;
    lc_status_totals totals;
    double total_m2;
    struct lc_unit_totals *unit_totals; /* owned: by township and village (unit_totals.h) */
    int target_met;
    lc_units units;              /* --unit-names, --units or FBF.dbf; empty when none */
    lc_key_match key_match;      /* how the register's keys fit the parcels' */
    size_t *orphan_entries;      /* register entries that name no parcel, in key order */
    size_t n_orphan_entries;
    size_t *unregistered;        /* parcels (with a key) that have no register row */
    size_t n_unregistered;
    lc_parcels **site_sets;      /* owned, one per --site */
    size_t n_site_sets;
    lc_parcels **constraint_sets;/* owned, one per --constraint */
    size_t n_constraint_sets;
    lc_site *sites;
    size_t n_sites;
    lc_overlap *overlaps;        /* by site, then largest first */
    size_t n_overlaps;
    lc_constraint_hit *constraint_hits;
    size_t n_constraint_hits;
    lc_overlap_pair *overlap_pairs;
    size_t n_overlap_pairs;
    double double_counted_m2;    /* sum of the pairs' overlaps */
    double *pos_xy;              /* point-on-surface of every parcel (x, y), by lc_analysis_points */
    struct lc_output *output;    /* the database begun during the analysis (lc_output_start) */
    struct lc_task *overlap_search;  /* running alongside the analysis until lc_checks_finish */
    int overlaps_due;            /* the pairs' findings are still to be recorded */
    double overlap_search_s;     /* how long the search took, for -v */
    size_t (*adjacent)[2];       /* pairs of transferred parcels within the gap, as indices
                                 ** into the transferred parcels in parcel order; set by the
                                 ** progress pass and reused by the blocks */
    size_t n_adjacent;
    int have_adjacent;
    lc_progress_day *days;       /* every day from the first signing to the last (<= as-of) */
    size_t n_days;
    lc_progress_unit *unit_days; /* per township, then village: days with signings */
    size_t n_unit_days;
    int32_t target_day;          /* first day the largest block reached the target, or LC_NO_DATE */
    lc_qa qa;                    /* register and analysis findings */
    lc_arena strings;
};

/* Steps of lc_analyze, in order; each reports errors on ctx. */
lc_status lc_status_assign(lc_ctx *ctx, lc_analysis *a);
/* Township and village names: --units (or FBF.dbf beside the parcels), then
** --unit-names, which wins where both name a code. */
lc_status lc_analysis_read_units(lc_ctx *ctx, lc_analysis *a);
/* Measures how the register's keys fit the parcels' (after the statuses);
** below opts.min_key_match: LC_EINPUT explaining it, or with check_only
** an error finding. */
lc_status lc_key_match_guard(lc_ctx *ctx, lc_analysis *a);
lc_status lc_blocks_build(lc_ctx *ctx, lc_analysis *a);
lc_status lc_footprints_build(lc_ctx *ctx, lc_analysis *a);
lc_status lc_enclaves_find(lc_ctx *ctx, lc_analysis *a);
lc_status lc_sites_read(lc_ctx *ctx, lc_analysis *a);
/* The output database opened as soon as the blocks are known, its parcels
** layer written on a task alongside the footprints (nothing without
** opts.output_path or a second thread); lc_analysis_write finishes it. */
typedef struct lc_output lc_output;
lc_status lc_output_start(lc_ctx *ctx, lc_analysis *a);
/* Drops a begun output: waits for its task, removes the temporary file. */
void lc_output_discard(lc_analysis *a);

/* Computes a->pos_xy once (the checks and the enclaves use it). */
lc_status lc_analysis_points(lc_ctx *ctx, lc_analysis *a);

/* Starts the search for overlapping parcels alongside the other phases. */
lc_status lc_checks_start(lc_ctx *ctx, lc_analysis *a);
/* The other quality checks (sizes, outliers, keys, declared areas). */
lc_status lc_checks_run(lc_ctx *ctx, lc_analysis *a);
/* Waits for the overlap search and records its findings after all other
** findings; called once after the other phases, also when one failed. */
lc_status lc_checks_finish(lc_ctx *ctx, lc_analysis *a);
lc_status lc_progress_build(lc_ctx *ctx, lc_analysis *a);
/* QA lists of every input: parcels, register/analysis, sites, constraints. */
size_t lc_analysis_qa_list_count(const lc_analysis *a);
const lc_qa *lc_analysis_qa_list(const lc_analysis *a, size_t k);
/* The register's holder of a parcel, else its CBFMC attribute. */
const char *lc_analysis_holder(const lc_analysis *a, size_t parcel);
lc_status lc_sites_overlay(lc_ctx *ctx, lc_analysis *a);

#endif
