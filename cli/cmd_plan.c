/* landcons plan: which parcels to negotiate first (SPEC §3). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json_out.h"

static double mu(double m2) { return lc_mu_from_m2(m2); }

static const char *end_name(lc_plan_end e)
{
    switch (e) {
    case LC_PLAN_ALREADY_MET: return "already_met";
    case LC_PLAN_REACHED: return "reached";
    case LC_PLAN_EXHAUSTED: return "exhausted";
    default: return "no_block";
    }
}

/* The key column: as wide as the longest key shown (a key is never cut);
** the holder column gives up what keys take beyond the usual 19. */
typedef struct widths { int key, holder, status; } widths;

static widths widths_for(const lc_plan *plan, const size_t *bridges, size_t n)
{
    widths w = {19, 8, cli_width(_("status"))};
    for (size_t k = 0; k < n; k++) {
        const lc_plan_bridge *b = &plan->bridges[bridges ? bridges[k] : k];
        int c = cli_width(b->key);
        if (c > w.key) w.key = c;
        if ((c = cli_width(cli_status_word(b->status))) > w.status) w.status = c;
    }
    w.holder = w.key - 19 < 4 ? 8 - (w.key - 19) : 4;
    w.status = cli_fit(w.status, 6, 12);
    return w;
}

static void cell(const char *s, int width) { cli_cell(s, width); }

/* "3,17,40" in at most `width` characters, ending "+N" when some are left out. */
static void id_list(char *buf, size_t width, const int32_t *ids, size_t n)
{
    size_t at = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < n; k++) {
        char item[16], more[16];
        int il = snprintf(item, sizeof item, "%s%d", k ? "," : "", (int)ids[k]);
        int ml = k + 1 < n ? snprintf(more, sizeof more, ",+%zu", n - k - 1) : 0;
        if (at + (size_t)il + (size_t)ml > width) {
            snprintf(buf + at, width + 1 - at, "%s+%zu", k ? "," : "", n - k);
            return;
        }
        memcpy(buf + at, item, (size_t)il + 1);
        at += (size_t)il;
    }
}

static void print_text(const lc_plan *plan, const lc_analysis_summary *s, size_t top, int target_set)
{
    out("As of %s, gap %.2f m: %zu blocks, the largest %.2f mu;\n%zu parcels not transferred.\n", s->as_of, s->gap_m,
        plan->n_blocks, mu(plan->largest_m2), plan->n_bridges);
    size_t shown = top && top < plan->n_bridges ? top : plan->n_bridges;
    if (shown < plan->n_bridges)
        out("\nBridge parcels (top %zu of %zu), by contiguous mu gained if transferred alone:\n", shown,
            plan->n_bridges);
    else
        out("\nBridge parcels (%zu of %zu), by contiguous mu gained if transferred alone:\n", shown, plan->n_bridges);
    widths w = widths_for(plan, NULL, shown);
    out_text("   #  ");
    cell(_("key"), w.key);
    cell(_("holder"), w.holder);
    cell(_("status"), w.status);
    cli_cell_right(_("mu"), 8);
    out_text(" ");
    cli_cell_right(_("gain mu"), 9);
    out_text("  ");
    out_text(_("joins blocks"));
    out_text("\n");
    for (size_t k = 0; k < shown; k++) {
        const lc_plan_bridge *b = &plan->bridges[k];
        char joins[13];
        id_list(joins, 12, b->joins, b->n_joins);
        out("%4zu  ", k + 1);
        cell(b->key, w.key);
        cell(b->holder, w.holder);
        cell(cli_status_word(b->status), w.status);
        out("%8.2f %9.2f  %s\n", mu(b->m2), mu(b->gain_m2), b->n_joins ? joins : "-");
    }

    if (!target_set) {
        out("\nGive --target-mu N for a route of parcels that grows a block to N mu.\n");
        return;
    }
    if (plan->end == LC_PLAN_NO_BLOCK) {
        out("\nRoute to %.2f mu: no parcel is transferred yet, there is no block to grow.\n", plan->target_mu);
        return;
    }
    if (plan->end == LC_PLAN_ALREADY_MET) {
        out("\nRoute to %.2f mu: the largest block meets it already.\n", plan->target_mu);
        return;
    }
    if (plan->cost == LC_PLAN_COST_MU)
        out("\nRoute to %.2f mu, growing block %d (%.2f mu), by contiguous mu gained\nper mu signed:\n",
            plan->target_mu, (int)plan->grown_block, mu(plan->grown_block_m2));
    else
        out("\nRoute to %.2f mu, growing block %d (%.2f mu), by contiguous mu gained\nper household:\n",
            plan->target_mu, (int)plan->grown_block, mu(plan->grown_block_m2));
    w = (widths){19, 8, cli_width(_("status"))};
    for (size_t k = 0; k < plan->n_steps; k++) {
        widths sw = widths_for(plan, plan->steps[k].bridges, plan->steps[k].n_parcels);
        if (sw.key > w.key) w.key = sw.key, w.holder = sw.holder;
        if (sw.status > w.status) w.status = sw.status;
    }
    out_text(_("step"));
    for (int c = cli_width(_("step")); c < 6; c++) out_text(" ");
    cell(_("key"), w.key);
    cell(_("holder"), w.holder);
    cell(_("status"), w.status);
    cli_cell_right(_("mu"), 8);
    out_text(" ");
    cli_cell_right(_("households"), 10);
    out_text(" ");
    cli_cell_right(_("largest mu"), 11);
    out_text("\n");
    size_t last_resort = 0;
    for (size_t k = 0; k < plan->n_steps; k++) {
        const lc_plan_step *st = &plan->steps[k];
        last_resort += (size_t)st->last_resort;
        for (size_t j = 0; j < st->n_parcels; j++) {
            const lc_plan_bridge *b = &plan->bridges[st->bridges[j]];
            if (j == 0) out("%4zu  ", k + 1);
            else out_text("      ");
            cell(b->key, w.key);
            cell(b->holder, w.holder);
            cell(cli_status_word(b->status), w.status);
            if (j == 0) out("%8.2f %10zu %11.2f\n", mu(b->m2), st->total_households, mu(st->largest_after_m2));
            else out("%8.2f\n", mu(b->m2));
        }
    }
    if (plan->n_steps) {
        const lc_plan_step *st = &plan->steps[plan->n_steps - 1];
        if (plan->n_steps == 1)
            out("1 step: %zu households, %.2f mu to sign.\n", st->total_households, mu(st->total_m2));
        else
            out("%zu steps: %zu households, %.2f mu to sign.\n", plan->n_steps, st->total_households,
                mu(st->total_m2));
        if (last_resort)
            out("%zu of them take refused or disputed parcels (nothing else was left).\n", last_resort);
    }
    if (plan->end == LC_PLAN_REACHED) {
        out("The largest block reaches %.2f mu: the target is met.\n", mu(plan->reached_m2));
        return;
    }
    out("The target cannot be reached: the largest block ends at %.2f mu, %.2f mu\n"
        "short. All land within %.2f m of block %d (through parcels the route may take)\n"
        "totals %.2f mu.\n", mu(plan->reached_m2), plan->target_mu - mu(plan->reached_m2), s->gap_m,
        (int)plan->grown_block, mu(plan->reachable_m2));
    if (plan->exclude_hard && plan->reachable_with_hard_m2 > plan->reachable_m2)
        out("Counting refused and disputed parcels, a block could reach %.2f mu;\n"
            "%zu of them lie within the gap of block %d now (left out by --exclude-refused).\n",
            mu(plan->reachable_with_hard_m2), plan->hard_connectors, (int)plan->grown_block);
}

static void json_ids(json_out *j, const char *key, const int32_t *ids, size_t n)
{
    json_array_begin(j, key);
    for (size_t k = 0; k < n; k++) json_int(j, NULL, ids[k]);
    json_array_end(j);
}

static void print_json(const lc_plan *plan, const lc_analysis_summary *s, size_t top, int target_set)
{
    json_out j;
    json_init(&j, stdout);
    json_object_begin(&j, NULL);
    json_string(&j, "as_of", s->as_of);
    json_number(&j, "gap_m", s->gap_m);
    json_string(&j, "cost", plan->cost == LC_PLAN_COST_MU ? "mu" : "households");
    json_bool(&j, "exclude_refused", plan->exclude_hard);
    json_int(&j, "block_count", (int64_t)plan->n_blocks);
    json_number(&j, "largest_mu", mu(plan->largest_m2));
    json_int(&j, "untransferred", (int64_t)plan->n_bridges);
    json_array_begin(&j, "bridges");
    size_t shown = top && top < plan->n_bridges ? top : plan->n_bridges;
    for (size_t k = 0; k < shown; k++) {
        const lc_plan_bridge *b = &plan->bridges[k];
        json_object_begin(&j, NULL);
        json_string(&j, "key", b->key);
        json_string(&j, "holder", b->holder);
        json_string(&j, "village", b->village);
        json_string(&j, "village_name", b->village_name);
        json_string(&j, "status", b->status);
        json_number(&j, "mu", mu(b->m2));
        json_number(&j, "gain_mu", mu(b->gain_m2));
        json_number(&j, "largest_mu_after", mu(b->largest_after_m2));
        json_ids(&j, "joins_blocks", b->joins, b->n_joins);
        json_object_end(&j);
    }
    json_array_end(&j);
    if (plan->grown_block) json_int(&j, "grown_block", plan->grown_block);
    else json_null(&j, "grown_block");
    json_array_begin(&j, "route");
    for (size_t k = 0; k < plan->n_steps; k++) {
        const lc_plan_step *st = &plan->steps[k];
        json_object_begin(&j, NULL);
        json_array_begin(&j, "keys");
        for (size_t p = 0; p < st->n_parcels; p++) json_string(&j, NULL, plan->bridges[st->bridges[p]].key);
        json_array_end(&j);
        json_array_begin(&j, "holders");
        for (size_t p = 0; p < st->n_parcels; p++) json_string(&j, NULL, plan->bridges[st->bridges[p]].holder);
        json_array_end(&j);
        json_array_begin(&j, "statuses");
        for (size_t p = 0; p < st->n_parcels; p++) json_string(&j, NULL, plan->bridges[st->bridges[p]].status);
        json_array_end(&j);
        json_number(&j, "largest_mu_after", mu(st->largest_after_m2));
        json_int(&j, "households", (int64_t)st->households);
        json_number(&j, "mu", mu(st->m2));
        json_number(&j, "grown_mu", mu(st->grown_m2));
        json_int(&j, "cumulative_households", (int64_t)st->total_households);
        json_number(&j, "cumulative_mu", mu(st->total_m2));
        json_ids(&j, "joins_blocks", st->joins, st->n_joins);
        json_bool(&j, "last_resort", st->last_resort);
        json_object_end(&j);
    }
    json_array_end(&j);
    /* the route's outcome only when a target was asked for (--target-mu) */
    if (target_set) {
        json_number(&j, "target_mu", plan->target_mu);
        json_bool(&j, "target_reachable", plan->target_reachable);
        json_string(&j, "end", end_name(plan->end));
        json_number(&j, "reached_mu", mu(plan->reached_m2));
        json_number(&j, "missing_mu", plan->target_reachable ? 0 : plan->target_mu - mu(plan->reached_m2));
    } else {
        json_null(&j, "target_mu");
        json_null(&j, "target_reachable");
        json_null(&j, "end");
        json_null(&j, "reached_mu");
        json_null(&j, "missing_mu");
    }
    json_number(&j, "reachable_mu", mu(plan->reachable_m2));
    json_number(&j, "reachable_with_refused_mu", mu(plan->reachable_with_hard_m2));
    json_int(&j, "refused_connectors", (int64_t)plan->hard_connectors);
    json_object_end(&j);
    json_finish(&j);
}

lc_status cmd_plan(lc_ctx *ctx, const cli_config *cfg)
{
    if (!cfg->analyze.register_path)
        return lc_error_usage(ctx, "the transfer register is missing (--register REG)");
    lc_plan_opts po = {LC_PLAN_COST_HOUSEHOLDS, cfg->exclude_refused};
    if (cfg->cost && !strcmp(cfg->cost, "mu")) po.cost = LC_PLAN_COST_MU;
    else if (cfg->cost && strcmp(cfg->cost, "households"))
        return lc_error_usage(ctx, "--cost takes households or mu");
    size_t top = 20;
    if (cfg->top) {
        char *end;
        errno = 0;
        long v = strtol(cfg->top, &end, 10);
        if (errno || *end || end == cfg->top || v < 0)
            return lc_error_usage(ctx, "--top expects a whole number of parcels (0 for all)");
        top = (size_t)v;
    }
    lc_read_opts ro = cfg->read;
    ro.require_key = 1;
    /* statuses only: the plan finds its own adjacency over all parcels */
    lc_analyze_opts ao = cfg->analyze;
    ao.job = LC_JOB_STATUS;
    /* no target, no route: a target of 0 is met before the first step */
    if (!ao.target_set) ao.target_mu = 0;
    ao.n_sites = ao.n_constraints = 0;
    lc_parcels *p = NULL;
    lc_analysis *a = NULL;
    lc_plan *plan = NULL;
    lc_run_ahead *ahead = NULL;
    lc_status rc = lc_run_begin(ctx, &ao, &ahead);
    if (rc == LC_OK) rc = lc_parcels_read(ctx, cfg->parcels, &ro, &p);
    if (rc == LC_OK) rc = lc_run(ctx, p, &ao, ahead, NULL, &a);
    else lc_run_ahead_free(ahead);
    if (rc == LC_OK) rc = lc_analysis_plan(ctx, a, &po, &plan);
    if (rc == LC_OK) {
        lc_analysis_summary s;
        lc_analysis_summarize(a, &s);
        if (cfg->json) print_json(plan, &s, top, cfg->analyze.target_set);
        else print_text(plan, &s, top, cfg->analyze.target_set);
    }
    lc_plan_free(plan);
    lc_analysis_free(a);
    lc_parcels_free(p);
    return rc;
}
