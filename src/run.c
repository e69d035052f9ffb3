/*
** The orchestrator: above compute and write. It decides from the job which
** phases a command needs, runs them in order with their explicit inputs
** (each phase fills its own result in the analysis), overlaps the work that
** can run alongside (the overlap search from the start, the database's
** parcels and plan layers while the footprints are computed), then hands the
** finished results to the writers. Phases and writers never call each
** other; only this file calls both.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "dates.h"
#include "office.h"
#include "parallel.h"
#include "unit_totals.h"

/* The phases of each job (LC_HAVE_*). */
static unsigned phases_of(lc_job job)
{
    switch (job) {
    case LC_JOB_VERIFY: return LC_HAVE_STATUS | LC_HAVE_SITES;
    case LC_JOB_CHECK: return LC_HAVE_STATUS | LC_HAVE_CHECKS;
    case LC_JOB_PROGRESS: return LC_HAVE_STATUS | LC_HAVE_PROGRESS;
    case LC_JOB_STATUS: return LC_HAVE_STATUS;
    default:
        return LC_HAVE_STATUS | LC_HAVE_CHECKS | LC_HAVE_PROGRESS | LC_HAVE_BLOCKS | LC_HAVE_SITES | LC_HAVE_PLAN;
    }
}

static lc_status check_opts(lc_ctx *ctx, const lc_parcels *p, const lc_analyze_opts *o)
{
    if (!o->register_path && o->job != LC_JOB_CHECK)
        return lc_error(ctx, LC_EINPUT, "the transfer register is missing (--register FILE)");
    if (!(o->gap_m == 0 || (o->gap_m >= LC_GAP_MIN_M && o->gap_m <= LC_GAP_MAX_M)))
        return lc_error(ctx, LC_EINPUT, "--gap %g: must be a distance of 0 m (touching parcels) or %g to %g m",
                        o->gap_m, LC_GAP_MIN_M, LC_GAP_MAX_M);
    if (!(o->target_mu >= 0)) return lc_error(ctx, LC_EINPUT, "--target-mu must not be negative");
    if (!(o->area_tolerance >= 0)) return lc_error(ctx, LC_EINPUT, "--area-tolerance must not be negative");
    if (!(o->min_overlap_m2 >= 0)) return lc_error(ctx, LC_EINPUT, "--min-overlap must not be negative");
    if (!lc_parcels_has_key(p) && o->register_path)
        return lc_error(ctx, LC_EINPUT, "%s: the parcel layer has no key field to join the register on", p->path);
    return LC_OK;
}

/* The as-of date, normalised (today when none is given). */
static lc_status set_as_of(lc_ctx *ctx, lc_analysis *a)
{
    if (!a->opts.as_of) {
        a->as_of = lc_today();
    } else if (!lc_date_parse_full(a->opts.as_of, &a->as_of)) {
        return lc_error(ctx, LC_EINPUT, "--as-of %s: not a full date (use YYYY-MM-DD)", a->opts.as_of);
    }
    lc_date_format(a->as_of, a->as_of_text);
    a->opts.as_of = a->as_of_text;
    return LC_OK;
}

static lc_status read_units(lc_ctx *ctx, lc_analysis *a)
{
    lc_status rc = LC_OK;
    char beside[1100];
    if (a->opts.units_path) rc = lc_units_add_fbf(ctx, a->opts.units_path, &a->units);
    else if (lc_units_fbf_beside(a->parcels->path, beside, sizeof beside))
        rc = lc_units_add_fbf(ctx, beside, &a->units);
    if (rc == LC_OK && a->opts.unit_names_path) rc = lc_units_add_csv(ctx, a->opts.unit_names_path, &a->units);
    lc_units_finish(&a->units);
    return rc;
}

/* The register of o as of the day as_of, its findings into qa. */
static lc_status read_register(lc_ctx *ctx, const lc_analyze_opts *o, int32_t as_of, lc_qa *qa, lc_register **reg)
{
    lc_register_opts ro;
    memset(&ro, 0, sizeof ro);
    ro.encoding = o->register_encoding;
    ro.sheet = o->sheet;
    ro.today = lc_today();
    ro.as_of = as_of;
    ro.findings_only = o->job == LC_JOB_CHECK;  /* check lists what it finds and goes on */
    lc_status rc = LC_OK;
    for (int i = 0; i < o->n_maps && rc == LC_OK; i++) rc = lc_register_map_option(ctx, &ro, o->maps[i]);
    for (int i = 0; i < o->n_status_maps && rc == LC_OK; i++)
        rc = lc_register_status_map_option(ctx, &ro, o->status_maps[i]);
    if (rc == LC_OK) rc = lc_register_read(ctx, o->register_path, &ro, qa, reg);
    return rc;
}

static lc_status read_site_layers(lc_ctx *ctx, lc_analysis *a)
{
    const lc_analyze_opts *o = &a->opts;
    lc_site_layer_opts so = {o->sites, o->n_sites, o->constraints, o->n_constraints, o->site_name_field};
    if (!(a->have & LC_HAVE_SITES)) so.n_sites = so.n_constraints = 0;
    return lc_site_layers_read(ctx, a->parcels, &so, &a->layers);
}

static lc_status statuses(lc_ctx *ctx, lc_analysis *a)
{
    lc_status_opts so = {a->as_of, a->opts.township_field, a->opts.village_field, a->opts.area_tolerance};
    return lc_status_run(ctx, a->parcels, a->reg, &so, &a->qa, &a->st);
}

/* How the register's keys fit the parcels'; below --min-key-match the run
** stops with the explanation, or check records it as an error. */
static lc_status key_match(lc_ctx *ctx, lc_analysis *a)
{
    lc_key_match *m = &a->key_match;
    lc_status rc = lc_key_match_measure(ctx, a->parcels, a->reg, a->st.entry_matched, 0, m);
    if (rc != LC_OK || m->register_share >= a->opts.min_key_match) return rc;
    rc = lc_key_match_measure(ctx, a->parcels, a->reg, a->st.entry_matched, 1, m);
    if (rc != LC_OK) return rc;
    char msg[LC_ERRMSG_MAX];
    lc_key_match_explain(m, a->parcels, a->reg, a->st.entry_matched, a->opts.min_key_match, msg, sizeof msg);
    if (a->opts.job != LC_JOB_CHECK) return lc_error(ctx, LC_EINPUT, "%s", msg);
    return lc_qa_add(ctx, &a->qa, LC_SEV_ERROR, "register_keys_unmatched", NULL, a->reg->display, 0, 0, 0, "%s", msg);
}

/* By township and village; with the enclaves when the blocks were computed
** (the phase then runs after them), for every output to show. */
static lc_status unit_totals(lc_ctx *ctx, lc_analysis *a)
{
    a->unit_totals = lc_calloc(ctx, 1, sizeof *a->unit_totals);
    if (!a->unit_totals) return LC_ENOMEM;
    return lc_unit_totals_compute(ctx, a->st.state, a->parcels->items, a->enclaves.enclave_of, a->parcels->n,
                                  a->unit_totals);
}

static lc_status adjacency(lc_ctx *ctx, lc_analysis *a)
{
    const lc_parcels *p = a->parcels;
    unsigned char *t = lc_malloc(ctx, p->n ? p->n : 1);
    if (!t) return LC_ENOMEM;
    for (size_t i = 0; i < p->n; i++) t[i] = a->st.state[i].status == LC_ST_TRANSFERRED;
    lc_status rc = lc_adjacency_run(ctx, p, t, a->opts.gap_m, &a->adjacency);
    free(t);
    return rc;
}

static lc_status progress(lc_ctx *ctx, lc_analysis *a)
{
    return lc_progress_run(ctx, a->parcels, &a->st, &a->adjacency, a->opts.target_mu * LC_M2_PER_MU, &a->progress);
}

/* The site overlaps, their findings into qa. */
static lc_status site_overlaps(lc_ctx *ctx, lc_analysis *a, lc_qa *qa)
{
    return lc_sites_run(ctx, a->parcels, &a->st, &a->layers, a->opts.min_overlap_m2, qa, &a->sites);
}

/* Bridges and the route with the plan's defaults (cost in households,
** refused parcels as a last resort), on the adjacency already found. */
static lc_status plan(lc_ctx *ctx, lc_analysis *a)
{
    lc_plan_opts po = {LC_PLAN_COST_HOUSEHOLDS, 0};
    lc_status rc = lc_analysis_plan(ctx, a, &po, &a->plan);
    if (rc == LC_OK) rc = lc_plan_text_build(ctx, a->plan, &a->plan_text);
    return rc;
}

/* ---- background work ------------------------------------------------------ */

/* The overlap search from the start; the latch tells the footprints when
** its pairs are complete (their coverage unions take the unsettled ones). */
typedef struct search_task { const lc_parcels *p; lc_overlap_pairs *out; lc_latch *done; } search_task;

static lc_status overlap_search(lc_ctx *tctx, void *userdata)
{
    search_task *s = userdata;
    lc_status rc = lc_overlap_search(tctx, s->p, s->out);
    lc_latch_set(s->done, rc);
    return rc;
}

/* The site overlaps beside the footprints: their findings go to a list of
** their own, appended to the analysis's where the phase used to run; the
** latch tells the database's early task when the site layers are complete
** (it outlives both tasks: it is the run's). */
typedef struct sites_task { lc_analysis *a; lc_qa qa; double seconds; lc_latch *done; } sites_task;

static lc_status sites_alongside(lc_ctx *tctx, void *userdata)
{
    sites_task *s = userdata;
    double t = lc_clock();
    lc_status rc = site_overlaps(tctx, s->a, &s->qa);
    s->seconds = lc_clock() - t;
    lc_latch_set(s->done, rc);
    return rc;
}

/* The progress by day beside the blocks and the plan, which do not use it;
** joined before the database (whose early layers include it) is begun. */
typedef struct progress_task { lc_analysis *a; double seconds; } progress_task;

static lc_status progress_alongside(lc_ctx *tctx, void *userdata)
{
    progress_task *pt = userdata;
    double t = lc_clock();
    lc_status rc = progress(tctx, pt->a);
    pt->seconds = lc_clock() - t;
    return rc;
}

typedef struct run_state {
    int searched;                /* the overlap search was started (it may have run already) */
    lc_task *search;             /* the overlap search, from the start; NULL when it ran inline */
    search_task search_data;
    int progressing;             /* the progress by day was started beside the blocks */
    lc_task *progress;           /* ... on this task; NULL when it ran inline */
    progress_task progress_data;
    int sited;                   /* the site overlaps were started beside the footprints */
    lc_task *sites;              /* ... on this task; NULL when they ran inline */
    sites_task sites_data;
    lc_latch sites_done;         /* set when they are complete */
    lc_latch search_done;        /* set when the overlap search is complete */
    lc_db_writer *db;            /* the database begun during the run */
} run_state;

/* Joins a task started alongside (*started set); when rc is already a
** failure its message stays the one shown. The first failure, else the
** task's status. */
static lc_status join_alongside(lc_ctx *ctx, int *started, lc_task **task, lc_status rc)
{
    if (!*started) return rc;
    *started = 0;
    char first[LC_ERRMSG_MAX];
    if (rc != LC_OK) memcpy(first, ctx->errmsg, sizeof first);
    lc_status tr = lc_task_join(ctx, *task);  /* LC_OK when it ran inline */
    *task = NULL;
    if (rc != LC_OK) {
        memcpy(ctx->errmsg, first, sizeof first);
        return rc;
    }
    return tr;
}

/* Waits for the progress by day started beside the blocks. */
static lc_status finish_progress(lc_ctx *ctx, run_state *rs, lc_status rc)
{
    int ran = rs->progressing;
    rc = join_alongside(ctx, &rs->progressing, &rs->progress, rc);
    if (ran && rc == LC_OK) lc_log_seconds(ctx, "progress by day (alongside)", rs->progress_data.seconds);
    return rc;
}

/* Waits for the site overlaps started beside the footprints; their findings
** go after those recorded so far. */
static lc_status finish_sites(lc_ctx *ctx, lc_analysis *a, run_state *rs, lc_status rc)
{
    int ran = rs->sited;
    rc = join_alongside(ctx, &rs->sited, &rs->sites, rc);
    if (ran && rc == LC_OK) {
        lc_log_seconds(ctx, "site overlaps (alongside)", rs->sites_data.seconds);
        rc = lc_qa_take(ctx, &a->qa, &rs->sites_data.qa);
    }
    lc_qa_release(&rs->sites_data.qa);
    return rc;
}

/* Waits for the overlap search and records its findings after all others. */
static lc_status finish_search(lc_ctx *ctx, lc_analysis *a, run_state *rs, lc_status rc)
{
    int ran = rs->searched;
    rc = join_alongside(ctx, &rs->searched, &rs->search, rc);
    if (!ran || rc != LC_OK) return rc;
    lc_log_seconds(ctx, "overlap search (alongside)", a->pairs.seconds);
    return lc_checks_record_pairs(ctx, a->parcels, &a->pairs, &a->qa);
}

/* ---- the register read before the parcels ------------------------------------ */

/* The register needs no parcels: it is read on a worker while the caller
** reads them (a million rows take seconds on one thread, and the reading
** of the parcels leaves part of a core idle). Its findings go to a list of
** their own, the first of the analysis's, as when it is read in the run. */
struct lc_run_ahead {
    const lc_analyze_opts *opts;   /* what it was begun for */
    lc_task *task;
    int32_t as_of;
    lc_register *reg;
    lc_qa qa;
    double seconds;
};

static lc_status read_register_ahead(lc_ctx *tctx, void *userdata)
{
    lc_run_ahead *ra = userdata;
    double t = lc_clock();
    lc_status rc = read_register(tctx, ra->opts, ra->as_of, &ra->qa, &ra->reg);
    ra->seconds = lc_clock() - t;
    return rc;
}

lc_status lc_run_begin(lc_ctx *ctx, const lc_analyze_opts *opts, lc_run_ahead **out)
{
    *out = NULL;
    int32_t as_of = LC_NO_DATE;  /* as lc_run will have it (set_as_of) */
    if (!opts->as_of) as_of = lc_today();
    /* a bad date is lc_run's to report, in its order */
    else if (!lc_date_parse_full(opts->as_of, &as_of)) return LC_OK;
    if (!opts->register_path) return LC_OK;
    lc_run_ahead *ra = lc_calloc(ctx, 1, sizeof *ra);
    if (!ra) return LC_ENOMEM;
    ra->opts = opts;
    ra->as_of = as_of;
    lc_task_try_start(ctx, read_register_ahead, ra, &ra->task);
    if (!ra->task) {
        free(ra);  /* no worker: lc_run reads it */
        return LC_OK;
    }
    *out = ra;
    return LC_OK;
}

void lc_run_ahead_free(lc_run_ahead *ahead)
{
    if (!ahead) return;
    lc_task_join(NULL, ahead->task);
    lc_register_free(ahead->reg);
    lc_qa_release(&ahead->qa);
    free(ahead);
}

/* The register, from the worker that read it when one began, else read
** now; *seconds its reading time on the worker, else negative. */
static lc_status take_register(lc_ctx *ctx, lc_analysis *a, lc_run_ahead **ahead, double *seconds)
{
    lc_run_ahead *ra = *ahead;
    *ahead = NULL;
    *seconds = -1;
    if (ra && ra->as_of != a->as_of) {  /* begun on the day before, without --as-of */
        lc_run_ahead_free(ra);
        ra = NULL;
    }
    if (!ra) return read_register(ctx, &a->opts, a->as_of, &a->qa, &a->reg);
    lc_status rc = lc_task_join(ctx, ra->task);
    ra->task = NULL;
    if (rc == LC_OK) {
        a->reg = ra->reg;
        ra->reg = NULL;
        rc = lc_qa_take(ctx, &a->qa, &ra->qa);
        *seconds = ra->seconds;
    }
    lc_run_ahead_free(ra);
    return rc;
}

/* ---- the run ------------------------------------------------------------------ */

#define PHASE(call, name)                  \
    if (rc == LC_OK) {                     \
        rc = (call);                       \
        lc_log_phase(ctx, name, t);        \
        t = lc_clock();                    \
    }

/* long: the phases of a run in their order, one line each */
static lc_status run_phases(lc_ctx *ctx, lc_analysis *a, run_state *rs, lc_run_ahead **ahead, lc_outfile *database)
{
    unsigned have = a->have;
    double t = lc_clock();
    lc_status rc = LC_OK;
    if (have & LC_HAVE_CHECKS) {
        rs->search_data = (search_task){a->parcels, &a->pairs, &rs->search_done};
        rc = lc_task_start(ctx, overlap_search, &rs->search_data, &rs->search);
        rs->searched = rc == LC_OK;
    }
    PHASE(read_units(ctx, a), "read unit names")
    if (a->opts.register_path && rc == LC_OK) {
        double ahead_seconds;
        rc = take_register(ctx, a, ahead, &ahead_seconds);
        if (ahead_seconds < 0) lc_log_phase(ctx, "read register", t);
        else if (rc == LC_OK) lc_log_seconds(ctx, "read register (alongside)", ahead_seconds);
        t = lc_clock();
    }
    PHASE(read_site_layers(ctx, a), "read sites and constraints")
    PHASE(statuses(ctx, a), "status as of date")
    if (a->reg) PHASE(key_match(ctx, a), "register keys against parcel keys")
    if (!(have & LC_HAVE_BLOCKS)) PHASE(unit_totals(ctx, a), "totals by unit")
    if (have & (LC_HAVE_CHECKS | LC_HAVE_BLOCKS)) PHASE(lc_points_run(ctx, a->parcels, &a->points), "points on surface")
    if (have & LC_HAVE_CHECKS)
        PHASE(lc_checks_run(ctx, a->parcels, &a->points, a->opts.area_tolerance, &a->qa), "quality checks")
    if (have & (LC_HAVE_PROGRESS | LC_HAVE_BLOCKS)) PHASE(adjacency(ctx, a), "adjacency")
    if ((have & LC_HAVE_PROGRESS) && (have & LC_HAVE_BLOCKS) && rc == LC_OK) {
        rs->progress_data = (progress_task){a, 0};
        rc = lc_task_start(ctx, progress_alongside, &rs->progress_data, &rs->progress);
        rs->progressing = 1;
        t = lc_clock();
    } else if (have & LC_HAVE_PROGRESS) {
        PHASE(progress(ctx, a), "progress by day")
    }
    if (have & LC_HAVE_BLOCKS) {
        PHASE(lc_blocks_run(ctx, a->parcels, &a->st, &a->adjacency, &a->units, &a->blocks), "blocks")
        /* before the database is begun: the plan's GEOS work on the parcels'
        ** geometries must not meet the parcels task reading them */
        if (have & LC_HAVE_PLAN) PHASE(plan(ctx, a), "plan: bridges and route")
        rc = finish_progress(ctx, rs, rc);
        if (rc == LC_OK && (have & LC_HAVE_SITES)) {
            /* they read the parcels, statuses and site layers, as the
            ** footprints and the writing alongside do, and write only
            ** their own results */
            rs->sites_data = (sites_task){a, {0}, 0, &rs->sites_done};
            rc = lc_task_start(ctx, sites_alongside, &rs->sites_data, &rs->sites);
            rs->sited = 1;
            t = lc_clock();
        }
        if (database) PHASE(lc_db_begin(ctx, a, database, rs->sited ? &rs->sites_done : NULL, &rs->db), "output opened")
        /* the pairs the overlap search could not settle, when it is through
        ** (the same the coverage unions would find; else they search) */
        lc_unsettled known = {NULL, 0};
        int searched = rs->searched && lc_latch_done(&rs->search_done);   /* read only once it is set */
        if (searched) known = (lc_unsettled){(const size_t (*)[2])a->pairs.unsettled, a->pairs.n_unsettled};
        PHASE(lc_footprints_run(ctx, a->parcels, &a->blocks, a->opts.gap_m, searched ? &known : NULL,
                                &a->footprints), "footprints")
        PHASE(lc_enclaves_run(ctx, a->parcels, &a->st, &a->blocks, &a->footprints, &a->points, &a->enclaves),
              "enclaves")
        PHASE(unit_totals(ctx, a), "totals by unit")
        rc = finish_sites(ctx, a, rs, rc);
    } else if (have & LC_HAVE_SITES) {
        PHASE(site_overlaps(ctx, a, &a->qa), "site overlaps")
    }
    /* verify answers for its sites: none usable is bad input, not "all ready" */
    if (rc == LC_OK && a->opts.job == LC_JOB_VERIFY && !a->sites.n)
        rc = lc_error(ctx, LC_EINPUT, "the site layers hold no usable polygon");
    return finish_search(ctx, a, rs, rc);
}

static lc_status write_outputs(lc_ctx *ctx, lc_analysis *a, run_state *rs, const lc_run_outputs *o)
{
    lc_status rc = LC_OK;
    if (rs->db) {
        rc = lc_db_finish(ctx, rs->db, a);
        rs->db = NULL;
    } else if (o->database) {
        rc = lc_analysis_write(ctx, a, o->database);
    }
    if (rc == LC_OK && o->report) rc = lc_report_write(ctx, a, o->report);
    int any_csv = 0;
    for (int k = 0; k < LC_LIST_TABLES; k++) any_csv |= o->csv[k] != NULL;
    if (rc == LC_OK && (o->xlsx || any_csv)) rc = lc_lists_write(ctx, a, o->lists, o->xlsx, o->csv);
    if (rc == LC_OK && o->qgis) rc = lc_qgis_write(ctx, a, o->qgis_database, o->qgis);
    if (rc == LC_OK && o->pdf) rc = lc_signoff_write(ctx, a, o->pdf, &o->signoff);
    return rc;
}

lc_status lc_run(lc_ctx *ctx, lc_parcels *p, const lc_analyze_opts *opts, lc_run_ahead *ahead,
                 const lc_run_outputs *outs, lc_analysis **out)
{
    *out = NULL;
    if (ahead && ahead->opts != opts) {
        lc_run_ahead_free(ahead);  /* begun for other options */
        ahead = NULL;
    }
    lc_status rc = check_opts(ctx, p, opts);
    /* the office module is found before the work, not after it */
    if (rc == LC_OK && outs && (outs->pdf || outs->xlsx) && !lc_office_get(ctx)) rc = LC_EINPUT;
    lc_analysis *a = rc == LC_OK ? lc_calloc(ctx, 1, sizeof *a) : NULL;
    if (rc == LC_OK && !a) rc = LC_ENOMEM;
    if (rc != LC_OK) {
        lc_run_ahead_free(ahead);
        return rc;
    }
    a->parcels = p;
    a->opts = *opts;
    a->have = phases_of(opts->job);
    a->holder_field = lc_parcels_field_index(p, "CBFMC");
    a->progress.target_day = LC_NO_DATE;
    run_state rs;
    memset(&rs, 0, sizeof rs);
    lc_latch_init(&rs.sites_done);
    lc_latch_init(&rs.search_done);
    rc = set_as_of(ctx, a);
    if (rc == LC_OK) rc = run_phases(ctx, a, &rs, &ahead, outs ? outs->database : NULL);
    if (rc == LC_OK && outs) rc = write_outputs(ctx, a, &rs, outs);
    lc_run_ahead_free(ahead);  /* not taken when the run stopped before the register */
    lc_db_abandon(rs.db);  /* a failed run: the begun database goes too */
    lc_latch_destroy(&rs.sites_done);  /* after the database's early task, which waits on it */
    lc_latch_destroy(&rs.search_done);  /* after the search's task, joined in run_phases */
    if (rc != LC_OK) {
        lc_analysis_free(a);
        return rc;
    }
    *out = a;
    return LC_OK;
}

lc_status lc_analyze(lc_ctx *ctx, lc_parcels *p, const lc_analyze_opts *opts, lc_analysis **out)
{
    return lc_run(ctx, p, opts, NULL, NULL, out);
}
