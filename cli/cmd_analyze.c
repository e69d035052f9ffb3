/* landcons analyze: the main job (SPEC §3). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "json_out.h"
#include "register_out.h"

/* Every list: analyze always has a register. */
#define LISTS (LC_LIST_SUMMARY | LC_LIST_BLOCKING | LC_LIST_ENCLAVES | LC_LIST_QA | LC_LIST_UNMATCHED | \
               LC_LIST_NEGOTIATE)

static double mu(double m2) { return lc_mu_from_m2(m2); }

static void print_json(const cli_config *cfg, const lc_analysis *a, const lc_layer_info *in,
                       const lc_analysis_summary *s)
{
    json_out j;
    json_init(&j, stdout);
    json_object_begin(&j, NULL);
    json_object_begin(&j, "inputs");
    json_string(&j, "parcels", cfg->parcels);
    json_string(&j, "layer", in->layer);
    json_string(&j, "register", cfg->analyze.register_path);
    json_string(&j, "output", cfg->output);
    json_string(&j, "report", cfg->report);
    json_string(&j, "xlsx", cfg->xlsx);
    json_string(&j, "csv", cfg->csv_dir);
    json_string(&j, "qgis", cfg->qgis);
    json_string(&j, "pdf", cfg->pdf);
    json_object_end(&j);
    json_object_begin(&j, "crs");
    cli_json_crs(&j, in);
    json_object_end(&j);
    json_string(&j, "as_of", s->as_of);
    json_number(&j, "gap_m", s->gap_m);
    json_object_begin(&j, "parcels");
    json_int(&j, "count", s->parcels);
    json_number(&j, "total_m2", s->total_m2);
    json_number(&j, "total_mu", mu(s->total_m2));
    json_object_end(&j);
    json_object_begin(&j, "by_status");
    for (int k = 0; k < LC_STATUS_COUNT; k++) {
        json_object_begin(&j, lc_status_names[k]);
        json_int(&j, "count", s->status_count[k]);
        json_number(&j, "m2", s->status_m2[k]);
        json_number(&j, "mu", mu(s->status_m2[k]));
        json_object_end(&j);
    }
    json_object_end(&j);
    cli_json_register(&j, a);
    json_int(&j, "block_count", s->blocks);
    json_object_begin(&j, "largest_block");
    if (s->blocks) {
        json_int(&j, "block_id", 1);
        json_int(&j, "parcel_count", s->largest_block_parcels);
        json_number(&j, "parcel_mu", mu(s->largest_block_parcel_m2));
        json_number(&j, "footprint_mu", mu(s->largest_block_footprint_m2));
        json_number(&j, "footprint_ellipsoidal_mu", mu(s->largest_block_footprint_ellipsoidal_m2));
    }
    json_object_end(&j);
    json_object_begin(&j, "enclaves");
    json_int(&j, "count", s->enclaves);
    json_int(&j, "parcels", s->parcel_enclaves);
    json_int(&j, "gaps", s->gap_enclaves);
    json_number(&j, "mu", mu(s->enclave_m2));
    json_object_end(&j);
    cli_json_transferred(&j, s);
    /* a target only when one was asked for (--target-mu) */
    if (cfg->analyze.target_set) {
        json_object_begin(&j, "target");
        json_number(&j, "mu", s->target_mu);
        json_bool(&j, "met", s->target_met);
        json_object_end(&j);
    } else {
        json_null(&j, "target");
    }
    json_object_begin(&j, "sites");
    json_int(&j, "count", s->sites);
    json_int(&j, "ready", s->sites_ready);
    json_object_end(&j);
    json_object_begin(&j, "qa");
    json_int(&j, "errors", s->qa_errors);
    json_int(&j, "warnings", s->qa_warnings);
    json_int(&j, "infos", s->qa_infos);
    json_object_end(&j);
    json_object_end(&j);
    json_finish(&j);
}

static void print_text(const cli_config *cfg, const lc_analysis *a, const lc_layer_info *in,
                       const lc_analysis_summary *s)
{
    cli_label(N_("Parcels:"));
    out("%s (%s), %lld parcels, %.2f mu\n", cfg->parcels, in->layer, (long long)s->parcels, mu(s->total_m2));
    cli_label(N_("CRS:"));
    out("%s %s", in->work_crs.id, in->work_crs.name);
    out_text(in->source_origin == LC_CRS_INFERRED_GK ? _(" (inferred: no .prj)") : "");
    out_text("\n");
    if (in->work_origin == LC_WORK_REPLACED)
        out("             replacing the layer's %s %s, which distorts areas by up to %.3g %% there\n",
            in->source_crs.id, in->source_crs.name, 100 * in->source_distortion);
    cli_print_register(a);
    cli_print_units(a);
    cli_label(N_("As of:"));
    out("%s, gap %.2f m\n", s->as_of, s->gap_m);
    for (int k = 0; k < LC_STATUS_COUNT; k++) {
        out_text("  ");
        cli_cell(cli_status_word(lc_status_names[k]), 13);
        out("%7lld parcels %14.2f mu\n", (long long)s->status_count[k], mu(s->status_m2[k]));
    }
    cli_print_transferred(s);
    cli_label(N_("Blocks:"));
    out("%lld\n", (long long)s->blocks);
    if (s->blocks) {
        cli_label(N_("Largest:"));
        out("block 1, %lld parcels, %.2f mu of parcels, footprint %.2f mu\n", (long long)s->largest_block_parcels,
            mu(s->largest_block_parcel_m2), mu(s->largest_block_footprint_m2));
    }
    cli_label(N_("Enclaves:"));
    out("%lld (%lld parcels, %lld gaps), %.2f mu\n", (long long)s->enclaves, (long long)s->parcel_enclaves,
        (long long)s->gap_enclaves, mu(s->enclave_m2));
    if (cfg->analyze.target_set) {
        cli_label(N_("Target:"));
        if (s->target_met) out("%.2f mu — met\n", s->target_mu);
        else out("%.2f mu — not met (the largest block has %.2f mu)\n", s->target_mu, mu(s->largest_block_parcel_m2));
    }
    if (s->sites) {
        cli_label(N_("Sites:"));
        out("%lld, %lld ready\n", (long long)s->sites, (long long)s->sites_ready);
    }
    cli_label(N_("QA:"));
    out("%lld errors, %lld warnings\n", (long long)s->qa_errors, (long long)s->qa_warnings);
    cli_label(N_("Output:"));
    out("%s\n", cfg->output);
    if (cfg->report) {
        cli_label(N_("Report:"));
        out("%s\n", cfg->report);
    }
    if (cfg->xlsx) {
        cli_label(N_("Lists:"));
        out("%s\n", cfg->xlsx);
    }
    if (cfg->csv_dir) {
        cli_label(N_("CSV lists:"));
        out("%s/\n", cfg->csv_dir);
    }
    if (cfg->qgis) {
        cli_label(N_("QGIS:"));
        out("%s\n", cfg->qgis);
    }
    if (cfg->pdf) {
        cli_label(N_("Sign-off:"));
        out("%s\n", cfg->pdf);
    }
}

lc_status cmd_analyze(lc_ctx *ctx, const cli_config *cfg)
{
    if (!cfg->output) return lc_error_usage(ctx, "the output database is missing (-o OUT.sqlite)");
    if (!cfg->analyze.register_path)
        return lc_error_usage(ctx, "the transfer register is missing (--register REG)");
    lc_read_opts ro = cfg->read;
    ro.require_key = 1;
    lc_parcels *p = NULL;
    lc_analysis *a = NULL;
    /* every output is checked, and its temporary file made, before any work */
    lc_analyze_opts ao = cfg->analyze;
    ao.job = LC_JOB_ANALYZE;
    cli_outputs outs;
    lc_status rc = cli_outputs_open(ctx, cfg, LISTS, &outs);
    if (rc == LC_OK) rc = cli_read_and_run(ctx, cfg, &ro, &ao, &outs, &p, &a);
    if (rc == LC_OK) {
        lc_layer_info info;
        lc_analysis_summary s;
        lc_parcels_describe(p, &info);
        lc_analysis_summarize(a, &s);
        if (cfg->json) print_json(cfg, a, &info, &s);
        else print_text(cfg, a, &info, &s);
    }
    lc_analysis_free(a);
    cli_outputs_close(&outs);
    lc_parcels_free(p);
    return rc;
}
