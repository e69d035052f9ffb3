/*
** landcons progress: how far the campaign has come (SPEC §3): the area
** transferred of the registered area and of all parcels, the largest
** block, the target when one is set; with --by one row per township or
** village (latest figures, the days it reached 50, 80 and 100 % of its
** registered area); with --daily the day-by-day series.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json_out.h"
#include "register_out.h"

static double mu(double m2) { return lc_mu_from_m2(m2); }

/* The shares of its registered area a unit is said to reach, and their
** labels; "" in a reached[] slot: not reached. */
#define N_MILESTONES 3
static const double milestone_share[N_MILESTONES] = {0.5, 0.8, 1.0};
static const char *const milestone_key[N_MILESTONES] = {"50", "80", "100"};

/* The day each share was reached, "" when it was not. */
typedef struct reached_on { char day[N_MILESTONES][11]; } reached_on;

/* One township or village: its figures (merged over the townships it is
** listed under) and its days in the progress series. */
typedef struct unit_row {
    const char *code, *name;
    double total_m2, registered_m2, transferred_m2;
    size_t first_day, n_days;          /* its rows in the unit's day list */
    reached_on reached;
} unit_row;

typedef struct unit_day {
    const char *code;
    size_t row;                        /* index of the progress row */
    char date[11];
    double signed_m2, cumulative_m2;
} unit_day;

typedef struct by_unit {
    unit_row *units;
    size_t n_units;
    unit_day *days;
    size_t n_days;
} by_unit;

static int cmp_code(const char *a, const char *b)
{
    if (!a || !b) return !a - !b;   /* the unit without a code last */
    return strcmp(a, b);
}

static int cmp_unit(const void *pa, const void *pb)
{
    return cmp_code(((const unit_row *)pa)->code, ((const unit_row *)pb)->code);
}

static int cmp_day(const void *pa, const void *pb)
{
    const unit_day *a = pa, *b = pb;
    int c = cmp_code(a->code, b->code);
    if (c) return c;
    return (a->row > b->row) - (a->row < b->row);
}

/*
** The first day on which the cumulative transferred area reached each share
** of `base` (the registered area): cumulative only grows, so the first row
** at or above share x base. Exact sums on both sides (lc_xsum) make 100 %
** exact: every registered parcel transferred gives the same bits.
*/
static reached_on milestones(const unit_day *d, size_t n, double base)
{
    reached_on r = {{""}};
    for (int m = 0; m < N_MILESTONES && base > 0; m++)
        for (size_t k = 0; k < n; k++)
            if (d[k].cumulative_m2 >= milestone_share[m] * base) {
                memcpy(r.day[m], d[k].date, sizeof r.day[m]);
                break;
            }
    return r;
}

static void by_unit_free(by_unit *b)
{
    free(b->units);
    free(b->days);
    memset(b, 0, sizeof *b);
}

/* The units of kind `kind` with their day rows and milestones. */
static lc_status by_unit_build(lc_ctx *ctx, const lc_analysis *a, const char *kind, by_unit *b)
{
    memset(b, 0, sizeof *b);
    size_t nu = lc_analysis_unit_count(a), np = lc_analysis_progress_count(a);
    b->units = calloc(nu ? nu : 1, sizeof *b->units);
    b->days = calloc(np ? np : 1, sizeof *b->days);
    if (!b->units || !b->days) {
        by_unit_free(b);
        return lc_error_usage(ctx, "out of memory");
    }
    for (size_t i = 0; i < nu; i++) {
        lc_unit_figures u;
        lc_analysis_unit(a, i, &u);
        if (strcmp(u.kind, kind)) continue;
        b->units[b->n_units++] = (unit_row){u.code, u.name, u.total_m2, u.registered_m2, u.status_m2[0], 0, 0, {{""}}};
    }
    qsort(b->units, b->n_units, sizeof *b->units, cmp_unit);
    /* a village listed under two townships: one row, its figures summed */
    size_t w = 0;
    for (size_t i = 0; i < b->n_units; i++) {
        if (w && !cmp_code(b->units[w - 1].code, b->units[i].code)) {
            b->units[w - 1].total_m2 += b->units[i].total_m2;
            b->units[w - 1].registered_m2 += b->units[i].registered_m2;
            b->units[w - 1].transferred_m2 += b->units[i].transferred_m2;
        } else {
            b->units[w++] = b->units[i];
        }
    }
    b->n_units = w;
    for (size_t i = 0; i < np; i++) {
        lc_progress_row r;
        lc_analysis_progress(a, i, &r);
        if (strcmp(r.unit_kind, kind)) continue;
        unit_day *d = &b->days[b->n_days++];
        d->code = r.unit_code;
        d->row = i;
        memcpy(d->date, r.date, sizeof d->date);
        d->signed_m2 = r.signed_m2;
        d->cumulative_m2 = r.cumulative_m2;
    }
    qsort(b->days, b->n_days, sizeof *b->days, cmp_day);
    size_t k = 0;
    for (size_t i = 0; i < b->n_units; i++) {
        unit_row *u = &b->units[i];
        while (k < b->n_days && cmp_code(b->days[k].code, u->code) < 0) k++;
        u->first_day = k;
        while (k < b->n_days && !cmp_code(b->days[k].code, u->code)) k++;
        u->n_days = k - u->first_day;
        u->reached = milestones(b->days + u->first_day, u->n_days, u->registered_m2);
    }
    return LC_OK;
}

/* The "all" rows: the whole layer's series. */
static size_t all_days(const lc_analysis *a, unit_day **out)
{
    size_t np = lc_analysis_progress_count(a), n = 0;
    unit_day *d = calloc(np ? np : 1, sizeof *d);
    *out = d;
    if (!d) return 0;
    for (size_t i = 0; i < np; i++) {
        lc_progress_row r;
        lc_analysis_progress(a, i, &r);
        if (strcmp(r.unit_kind, "all")) continue;
        d[n].row = i;
        memcpy(d[n].date, r.date, sizeof d[n].date);
        d[n].signed_m2 = r.signed_m2;
        d[n].cumulative_m2 = r.cumulative_m2;
        n++;
    }
    return n;
}

static double registered_of(const lc_analysis_summary *s)
{
    return s->total_m2 - s->status_m2[LC_STATUS_COUNT - 1];
}

static void json_reached(json_out *j, const reached_on *r)
{
    json_object_begin(j, "reached");
    for (int m = 0; m < N_MILESTONES; m++) json_string(j, milestone_key[m], r->day[m][0] ? r->day[m] : NULL);
    json_object_end(j);
}

static void print_json(const cli_config *cfg, const lc_parcels *p, const lc_analysis *a,
                       const lc_analysis_summary *s, const by_unit *b, const unit_day *all, size_t n_all)
{
    json_out j;
    json_init(&j, stdout);
    json_object_begin(&j, NULL);
    lc_layer_info in;
    lc_parcels_describe(p, &in);
    json_object_begin(&j, "crs");
    cli_json_crs(&j, &in);
    json_object_end(&j);
    json_string(&j, "as_of", s->as_of);
    json_number(&j, "gap_m", s->gap_m);
    /* a target only when one was asked for (--target-mu) */
    if (cfg->analyze.target_set) {
        json_number(&j, "target_mu", s->target_mu);
        json_string(&j, "target_reached_on", s->target_reached_on[0] ? s->target_reached_on : NULL);
    } else {
        json_null(&j, "target_mu");
        json_null(&j, "target_reached_on");
    }
    json_number(&j, "total_mu", mu(s->total_m2));
    json_number(&j, "transferred_mu", mu(s->status_m2[0]));
    cli_json_transferred(&j, s);
    reached_on reached = milestones(all, n_all, registered_of(s));
    json_reached(&j, &reached);
    cli_json_register(&j, a);
    json_array_begin(&j, "days");
    for (size_t i = 0; i < n_all; i++) {
        lc_progress_row r;
        lc_analysis_progress(a, all[i].row, &r);
        json_object_begin(&j, NULL);
        json_string(&j, "date", r.date);
        json_number(&j, "signed_m2", r.signed_m2);
        json_number(&j, "signed_mu", mu(r.signed_m2));
        json_number(&j, "cumulative_m2", r.cumulative_m2);
        json_number(&j, "cumulative_mu", mu(r.cumulative_m2));
        json_number(&j, "largest_block_m2", r.largest_block_m2);
        json_number(&j, "largest_block_mu", mu(r.largest_block_m2));
        json_object_end(&j);
    }
    json_array_end(&j);
    if (cfg->by) {
        json_array_begin(&j, "units");
        for (size_t i = 0; i < b->n_units; i++) {
            const unit_row *u = &b->units[i];
            json_object_begin(&j, NULL);
            json_string(&j, "kind", cfg->by);
            json_string(&j, "code", u->code);
            json_string(&j, "name", u->name);
            json_number(&j, "total_mu", mu(u->total_m2));
            json_number(&j, "registered_mu", mu(u->registered_m2));
            json_number(&j, "transferred_mu", mu(u->transferred_m2));
            json_number(&j, "share_of_registered", u->registered_m2 > 0 ? u->transferred_m2 / u->registered_m2 : NAN);
            json_reached(&j, &u->reached);
            json_array_begin(&j, "days");
            for (size_t k = 0; k < u->n_days; k++) {
                const unit_day *d = &b->days[u->first_day + k];
                json_object_begin(&j, NULL);
                json_string(&j, "date", d->date);
                json_number(&j, "signed_mu", mu(d->signed_m2));
                json_number(&j, "cumulative_mu", mu(d->cumulative_m2));
                json_number(&j, "share", u->total_m2 > 0 ? d->cumulative_m2 / u->total_m2 : 0);
                json_object_end(&j);
            }
            json_array_end(&j);
            json_object_end(&j);
        }
        json_array_end(&j);
    }
    json_object_end(&j);
    json_finish(&j);
}

static void percent(char *buf, size_t cap, double part, double whole)
{
    if (whole > 0) snprintf(buf, cap, "%.1f%%", 100 * part / whole);
    else snprintf(buf, cap, "-");
}

static void print_milestones(const reached_on *r)
{
    cli_label(N_("Reached:"));
    for (int m = 0; m < N_MILESTONES; m++) {
        if (m) out(", ");
        if (r->day[m][0]) out("%.0f %% of the registered area on %s", 100 * milestone_share[m], r->day[m]);
        else out("%.0f %% not yet", 100 * milestone_share[m]);
    }
    out_text("\n");
}

/* One row per unit: code, name, registered and transferred mu, the share,
** and the days it reached 50, 80 and 100 % of its registered area. */
static void print_units(const cli_config *cfg, const by_unit *b, const char *as_of)
{
    int village = !strcmp(cfg->by, "village");
    if (village) out("\nBy village (%zu), as of %s:\n", b->n_units, as_of);
    else out("\nBy township (%zu), as of %s:\n", b->n_units, as_of);
    int code_w = cli_width(_("code")), name_w = cli_width(_("name"));
    for (size_t i = 0; i < b->n_units; i++) {
        int c = cli_width(b->units[i].code ? b->units[i].code : _("(no code)"));
        if (c > code_w) code_w = c;
        if ((c = cli_width(b->units[i].name)) > name_w) name_w = c;
    }
    name_w = cli_fit(name_w, 4, 16);
    const char *head[] = {N_("registered mu"), N_("transferred mu"), N_("share"),
                          /* xgettext:no-c-format */ N_("50 % on"),
                          /* xgettext:no-c-format */ N_("80 % on"),
                          /* xgettext:no-c-format */ N_("100 % on")};
    int num_w[6] = {13, 14, 6, 10, 10, 10};
    for (int k = 0; k < 6; k++) num_w[k] = cli_fit(cli_width(_(head[k])), num_w[k], 20);
    cli_cell(_("code"), code_w);
    cli_cell(_("name"), name_w);
    for (int k = 0; k < 6; k++) {
        cli_cell_right(_(head[k]), num_w[k]);
        out_text(k < 5 ? " " : "\n");
    }
    for (size_t i = 0; i < b->n_units; i++) {
        const unit_row *u = &b->units[i];
        char reg[32], tr[32], sh[16];
        snprintf(reg, sizeof reg, "%.2f", mu(u->registered_m2));
        snprintf(tr, sizeof tr, "%.2f", mu(u->transferred_m2));
        percent(sh, sizeof sh, u->transferred_m2, u->registered_m2);
        cli_cell(u->code ? u->code : _("(no code)"), code_w);
        cli_cell(u->name, name_w);
        const char *cells[6] = {reg, tr, sh, u->reached.day[0], u->reached.day[1], u->reached.day[2]};
        for (int k = 0; k < 6; k++) {
            cli_cell_right(cells[k][0] ? cells[k] : "-", num_w[k]);
            out_text(k < 5 ? " " : "\n");
        }
    }
}

static void print_daily(const lc_analysis *a, const unit_day *all, size_t n_all, double registered)
{
    out("\nDay by day:\n");
    const char *head[] = {N_("date"), N_("signed mu"), N_("cumulative mu"),
                          /* xgettext:no-c-format */ N_("% registered"),
                          /* xgettext:no-c-format */ N_("% all"), N_("largest block mu")};
    int w[6] = {10, 10, 13, 12, 7, 16};
    for (int k = 0; k < 6; k++) {
        w[k] = cli_fit(cli_width(_(head[k])), w[k], 24);
        if (k) cli_cell_right(_(head[k]), w[k]);
        else cli_cell(_(head[k]), w[k]);
        out_text(k < 5 ? (k ? " " : "") : "\n");
    }
    for (size_t i = 0; i < n_all; i++) {
        lc_progress_row r;
        lc_analysis_progress(a, all[i].row, &r);
        char c[5][32];
        snprintf(c[0], sizeof c[0], "%.2f", mu(r.signed_m2));
        snprintf(c[1], sizeof c[1], "%.2f", mu(r.cumulative_m2));
        percent(c[2], sizeof c[2], r.cumulative_m2, registered);
        percent(c[3], sizeof c[3], r.cumulative_m2, r.unit_total_m2);
        snprintf(c[4], sizeof c[4], "%.2f", mu(r.largest_block_m2));
        cli_cell(r.date, w[0]);
        for (int k = 1; k < 6; k++) {
            cli_cell_right(c[k - 1], w[k]);
            out_text(k < 5 ? " " : "\n");
        }
    }
}

static void print_unit_days(const cli_config *cfg, const by_unit *b)
{
    if (!strcmp(cfg->by, "village")) out("\nDay by day, by village:\n");
    else out("\nDay by day, by township:\n");
    const char *head[] = {N_("code"), N_("date"), N_("signed mu"), N_("cumulative mu"),
                          /* xgettext:no-c-format */ N_("% registered")};
    int w[5] = {12, 10, 10, 13, 12};
    for (int k = 0; k < 5; k++) {
        w[k] = cli_fit(cli_width(_(head[k])), w[k], 24);
        if (k < 2) cli_cell(_(head[k]), w[k]);
        else {
            cli_cell_right(_(head[k]), w[k]);
            out_text(k < 4 ? " " : "\n");
        }
    }
    for (size_t i = 0; i < b->n_units; i++) {
        const unit_row *u = &b->units[i];
        for (size_t k = 0; k < u->n_days; k++) {
            const unit_day *d = &b->days[u->first_day + k];
            char c[3][32];
            snprintf(c[0], sizeof c[0], "%.2f", mu(d->signed_m2));
            snprintf(c[1], sizeof c[1], "%.2f", mu(d->cumulative_m2));
            percent(c[2], sizeof c[2], d->cumulative_m2, u->registered_m2);
            cli_cell(u->code ? u->code : _("(no code)"), w[0]);
            cli_cell(d->date, w[1]);
            for (int m = 0; m < 3; m++) {
                cli_cell_right(c[m], w[m + 2]);
                out_text(m < 2 ? " " : "\n");
            }
        }
    }
}

static void print_text(const cli_config *cfg, const lc_analysis *a, const lc_analysis_summary *s,
                       const by_unit *b, const unit_day *all, size_t n_all)
{
    cli_print_register(a);
    cli_print_units(a);
    cli_label(N_("As of:"));
    out("%s, gap %.2f m\n", s->as_of, s->gap_m);
    cli_print_transferred(s);
    reached_on reached = milestones(all, n_all, registered_of(s));
    print_milestones(&reached);
    double largest = 0;
    if (n_all) {
        lc_progress_row r;
        lc_analysis_progress(a, all[n_all - 1].row, &r);
        largest = r.largest_block_m2;
    }
    cli_label(N_("Largest:"));
    out("the largest contiguous block has %.2f mu of parcels\n", mu(largest));
    if (cfg->analyze.target_set) {
        cli_label(N_("Target:"));
        if (s->target_reached_on[0]) out("%.2f mu, reached on %s\n", s->target_mu, s->target_reached_on);
        else out("%.2f mu, not reached yet\n", s->target_mu);
    }
    if (cfg->by) print_units(cfg, b, s->as_of);
    if (cfg->daily) {
        print_daily(a, all, n_all, registered_of(s));
        if (cfg->by) print_unit_days(cfg, b);
    }
    if (!cfg->daily) {
        if (cfg->by) out("\n--daily adds the day-by-day series.\n");
        else out("\n--by township|village gives one row per unit; --daily the day-by-day series.\n");
    }
}

lc_status cmd_progress(lc_ctx *ctx, const cli_config *cfg)
{
    if (!cfg->analyze.register_path)
        return lc_error_usage(ctx, "the transfer register is missing (--register REG)");
    if (cfg->by && strcmp(cfg->by, "township") && strcmp(cfg->by, "village"))
        return lc_error_usage(ctx, "--by takes township or village");
    lc_read_opts ro = cfg->read;
    ro.require_key = 1;
    lc_analyze_opts ao = cfg->analyze;
    ao.job = LC_JOB_PROGRESS;
    ao.n_sites = ao.n_constraints = 0;
    lc_parcels *p = NULL;
    lc_analysis *a = NULL;
    by_unit b = {0};
    unit_day *all = NULL;
    lc_status rc = cli_read_and_run(ctx, cfg, &ro, &ao, NULL, &p, &a);
    if (rc == LC_OK && cfg->by) rc = by_unit_build(ctx, a, cfg->by, &b);
    if (rc == LC_OK) {
        size_t n_all = all_days(a, &all);
        if (!all) {
            rc = lc_error_usage(ctx, "out of memory");
        } else {
            lc_analysis_summary s;
            lc_analysis_summarize(a, &s);
            if (cfg->json) print_json(cfg, p, a, &s, &b, all, n_all);
            else print_text(cfg, a, &s, &b, all, n_all);
        }
    }
    free(all);
    by_unit_free(&b);
    lc_analysis_free(a);
    lc_parcels_free(p);
    return rc;
}
