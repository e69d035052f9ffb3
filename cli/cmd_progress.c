/* landcons progress: the campaign day by day (SPEC §3). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "json_out.h"
#include "register_out.h"

static double mu(double m2) { return lc_mu_from_m2(m2); }

static void print_json(const lc_parcels *p, const lc_analysis *a, const lc_analysis_summary *s,
                       const char *by)
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
    json_number(&j, "target_mu", s->target_mu);
    json_string(&j, "target_reached_on", s->target_reached_on[0] ? s->target_reached_on : NULL);
    json_number(&j, "total_mu", mu(s->total_m2));
    json_number(&j, "transferred_mu", mu(s->status_m2[0]));
    cli_json_register(&j, a);
    json_array_begin(&j, "days");
    size_t n = lc_analysis_progress_count(a);
    for (size_t i = 0; i < n; i++) {
        lc_progress_row r;
        lc_analysis_progress(a, i, &r);
        if (strcmp(r.unit_kind, "all")) continue;
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
    if (by) {
        json_array_begin(&j, "units");
        const char *open = NULL;
        for (size_t i = 0; i < n; i++) {
            lc_progress_row r;
            lc_analysis_progress(a, i, &r);
            if (strcmp(r.unit_kind, by)) continue;
            if (!open || strcmp(open, r.unit_code)) {
                if (open) {
                    json_array_end(&j);
                    json_object_end(&j);
                }
                open = r.unit_code;
                json_object_begin(&j, NULL);
                json_string(&j, "kind", r.unit_kind);
                json_string(&j, "code", r.unit_code);
                json_string(&j, "name", r.unit_name);
                json_number(&j, "total_mu", mu(r.unit_total_m2));
                json_array_begin(&j, "days");
            }
            json_object_begin(&j, NULL);
            json_string(&j, "date", r.date);
            json_number(&j, "signed_mu", mu(r.signed_m2));
            json_number(&j, "cumulative_mu", mu(r.cumulative_m2));
            json_number(&j, "share", r.unit_total_m2 > 0 ? r.cumulative_m2 / r.unit_total_m2 : 0);
            json_object_end(&j);
        }
        if (open) {
            json_array_end(&j);
            json_object_end(&j);
        }
        json_array_end(&j);
    }
    json_object_end(&j);
    json_finish(&j);
}

static void print_text(const lc_analysis *a, const lc_analysis_summary *s, const char *by)
{
    cli_print_register(a);
    cli_print_units(a);
    printf("As of %s, gap %.2f m: %.2f of %.2f mu transferred (%.1f%%)\n", s->as_of, s->gap_m,
           mu(s->status_m2[0]), mu(s->total_m2), s->total_m2 > 0 ? 100 * s->status_m2[0] / s->total_m2 : 0);
    if (s->target_reached_on[0])
        printf("The largest block reached the target of %.2f mu on %s.\n", s->target_mu, s->target_reached_on);
    else
        printf("The largest block has not reached the target of %.2f mu.\n", s->target_mu);
    printf("\n%-10s %12s %14s %8s %16s\n", "date", "signed mu", "cumulative mu", "share", "largest block mu");
    size_t n = lc_analysis_progress_count(a);
    for (size_t i = 0; i < n; i++) {
        lc_progress_row r;
        lc_analysis_progress(a, i, &r);
        if (strcmp(r.unit_kind, "all")) continue;
        printf("%-10s %12.2f %14.2f %7.1f%% %16.2f\n", r.date, mu(r.signed_m2), mu(r.cumulative_m2),
               r.unit_total_m2 > 0 ? 100 * r.cumulative_m2 / r.unit_total_m2 : 0, mu(r.largest_block_m2));
    }
    if (!by) return;
    printf("\nby %s:\n%-14s %-10s %-10s %12s %14s %8s\n", by, "code", "name", "date", "signed mu",
           "cumulative mu", "share");
    for (size_t i = 0; i < n; i++) {
        lc_progress_row r;
        lc_analysis_progress(a, i, &r);
        if (strcmp(r.unit_kind, by)) continue;
        printf("%-14s %-10s %-10s %12.2f %14.2f %7.1f%%\n", r.unit_code, r.unit_name ? r.unit_name : "-",
               r.date, mu(r.signed_m2), mu(r.cumulative_m2),
               r.unit_total_m2 > 0 ? 100 * r.cumulative_m2 / r.unit_total_m2 : 0);
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
    lc_status rc = lc_parcels_read(ctx, cfg->parcels, &ro, &p);
    if (rc == LC_OK) cli_crs_warning(cfg, p);
    if (rc == LC_OK) rc = lc_analyze(ctx, p, &ao, &a);
    if (rc == LC_OK) {
        lc_analysis_summary s;
        lc_analysis_summarize(a, &s);
        if (cfg->json) print_json(p, a, &s, cfg->by);
        else print_text(a, &s, cfg->by);
    }
    lc_analysis_free(a);
    lc_parcels_free(p);
    return rc;
}
