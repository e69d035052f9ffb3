/*
** The results of one run (SPEC §2): the result of every phase that ran,
** side by side, as the orchestrator (run.c) filled them. Phases never see
** this struct; writers read it, never change it. It borrows the parcel set
** (which must outlive it) and owns everything else in it.
*/
#ifndef LC_ANALYSIS_H
#define LC_ANALYSIS_H

#include "adjacency.h"
#include "blocks.h"
#include "checks.h"
#include "enclaves.h"
#include "footprints.h"
#include "keymatch.h"
#include "parcels.h"
#include "plan.h"
#include "points.h"
#include "progress.h"
#include "register.h"
#include "sites.h"
#include "status.h"
#include "units.h"

/* Which phases ran (the command decides, in run.c). */
enum {
    LC_HAVE_STATUS = 1u << 0,
    LC_HAVE_CHECKS = 1u << 1,    /* per-parcel checks and the overlap search */
    LC_HAVE_PROGRESS = 1u << 2,
    LC_HAVE_BLOCKS = 1u << 3,    /* blocks, footprints, enclaves */
    LC_HAVE_SITES = 1u << 4,
    LC_HAVE_PLAN = 1u << 5       /* bridge parcels and the route to the target */
};

/* The plan as the output tables and lists show it, built from the plan
** alone (lc_plan_text_build): lists as text and each bridge's route step.
** It owns its arrays and strings. */
typedef struct lc_plan_text {
    const char **bridge_joins;   /* per bridge: the blocks it joins, "3,17"; NULL when none */
    int32_t *bridge_step;        /* per bridge: the route step taking it (1..), 0 when none */
    const char **step_keys;      /* per step: its parcels' keys in the step's order, "k1,k2" */
    const char **step_holders;   /* per step: their holders, "张三、李四" */
    const char **step_joins;     /* per step: the blocks it joins; NULL when none */
    lc_arena strings;
} lc_plan_text;

lc_status lc_plan_text_build(lc_ctx *ctx, const lc_plan *plan, lc_plan_text *out);
void lc_plan_text_release(lc_plan_text *t);

struct lc_analysis {
    lc_parcels *parcels;         /* borrowed */
    lc_analyze_opts opts;        /* copy; strings borrowed from the caller */
    char as_of_text[11];         /* opts.as_of points here, normalised */
    int32_t as_of;
    unsigned have;               /* LC_HAVE_* */
    int holder_field;            /* the parcels' CBFMC field, -1 when absent */
    lc_units units;              /* --units, FBF.dbf beside the parcels, --unit-names */
    lc_register *reg;            /* NULL without a register */
    lc_site_layers layers;       /* --site and --constraint layers */
    lc_statuses st;
    lc_key_match key_match;      /* how the register's keys fit the parcels' */
    struct lc_unit_totals *unit_totals; /* by township and village (unit_totals.h) */
    lc_points points;
    lc_adjacency adjacency;      /* of the transferred parcels */
    lc_blocks blocks;
    lc_footprints footprints;    /* one per block */
    lc_enclaves enclaves;
    lc_sites sites;
    lc_overlap_pairs pairs;      /* overlapping parcels (QA) */
    lc_progress progress;
    lc_plan *plan;               /* bridges and the route (LC_HAVE_PLAN), else NULL */
    lc_plan_text plan_text;
    lc_qa qa;                    /* register and analysis findings */
};

/* QA lists of every input: parcels, register/analysis, sites, constraints. */
size_t lc_analysis_qa_list_count(const lc_analysis *a);
const lc_qa *lc_analysis_qa_list(const lc_analysis *a, size_t k);
/* The register's holder of a parcel, else its CBFMC attribute. */
const char *lc_analysis_holder(const lc_analysis *a, size_t parcel);
/* 1 when the largest block reached the target (decided by the progress phase). */
int lc_analysis_target_met(const lc_analysis *a);
/* The output schema's view of a parcel: its block and its enclave (0 none). */
static inline int32_t lc_analysis_block_of(const lc_analysis *a, size_t i)
{
    return a->blocks.block_of ? a->blocks.block_of[i] : 0;
}
static inline int32_t lc_analysis_enclave_of(const lc_analysis *a, size_t i)
{
    return a->enclaves.enclave_of ? a->enclaves.enclave_of[i] : 0;
}

/* The output database begun during a run (run.c): its parcels layer and
** the layers complete by then (progress, bridges, route) are written on a
** task while the footprints are computed, then the site layers once the
** latch sites_done (may be NULL) says the site overlaps are complete; lc_db_finish writes the rest into the same file. Nothing
** is begun without a second thread or for a GeoPackage. */
typedef struct lc_db_writer lc_db_writer;
struct lc_latch;
lc_status lc_db_begin(lc_ctx *ctx, const lc_analysis *a, lc_outfile *out, struct lc_latch *sites_done,
                      lc_db_writer **w);
lc_status lc_db_finish(lc_ctx *ctx, lc_db_writer *w, const lc_analysis *a);
void lc_db_abandon(lc_db_writer *w);

#endif
