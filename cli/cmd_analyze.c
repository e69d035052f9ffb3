/* landcons analyze: the main job (SPEC §3). */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static double mu(double m2) { return lc_mu_from_m2(m2); }

static void print_json(const cli_config *cfg, const lc_layer_info *in, const lc_analysis_summary *s)
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
    json_object_begin(&j, "register");
    json_int(&j, "rows", s->register_rows);
    json_int(&j, "keys", s->register_keys);
    json_int(&j, "keys_without_parcel", s->register_keys_without_parcel);
    json_int(&j, "parcels_without_row", s->parcels_without_row);
    json_object_end(&j);
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
    json_object_begin(&j, "target");
    json_number(&j, "mu", s->target_mu);
    json_bool(&j, "met", s->target_met);
    json_object_end(&j);
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

static void print_text(const cli_config *cfg, const lc_layer_info *in, const lc_analysis_summary *s)
{
    printf("Parcels:     %s (%s), %lld parcels, %.2f mu\n", cfg->parcels, in->layer,
           (long long)s->parcels, mu(s->total_m2));
    printf("CRS:         %s %s%s\n", in->work_crs.id, in->work_crs.name,
           in->source_origin == LC_CRS_INFERRED_GK ? " (inferred: no .prj)" : "");
    if (in->work_origin == LC_WORK_REPLACED)
        printf("             replacing the layer's %s %s, which distorts areas by up to %.3g %% there\n",
               in->source_crs.id, in->source_crs.name, 100 * in->source_distortion);
    printf("As of:       %s, gap %.2f m\n", s->as_of, s->gap_m);
    for (int k = 0; k < LC_STATUS_COUNT; k++)
        printf("  %-13s %7lld parcels %14.2f mu\n", lc_status_names[k], (long long)s->status_count[k],
               mu(s->status_m2[k]));
    printf("Blocks:      %lld\n", (long long)s->blocks);
    if (s->blocks)
        printf("Largest:     block 1, %lld parcels, %.2f mu of parcels, footprint %.2f mu\n",
               (long long)s->largest_block_parcels, mu(s->largest_block_parcel_m2),
               mu(s->largest_block_footprint_m2));
    printf("Enclaves:    %lld (%lld parcels, %lld gaps), %.2f mu\n", (long long)s->enclaves,
           (long long)s->parcel_enclaves, (long long)s->gap_enclaves, mu(s->enclave_m2));
    printf("Target:      %.2f mu — %s\n", s->target_mu, s->target_met ? "met" : "not met");
    if (s->sites) printf("Sites:       %lld, %lld ready\n", (long long)s->sites, (long long)s->sites_ready);
    printf("QA:          %lld errors, %lld warnings\n", (long long)s->qa_errors, (long long)s->qa_warnings);
    printf("Output:      %s\n", cfg->output);
    if (cfg->report) printf("Report:      %s\n", cfg->report);
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
    lc_outputs *outs = NULL;
    lc_outfile *db = NULL, *report = NULL;
    /* every output is checked, and its temporary file made, before any work */
    lc_status rc = cli_outputs_begin(ctx, cfg, &outs);
    if (rc == LC_OK) rc = lc_outputs_reserve(ctx, outs, cfg->output, "-o", LC_OUTPUT_DATABASE,
                                             cfg->overwrite, &db);
    if (rc == LC_OK && cfg->report)
        rc = lc_outputs_reserve(ctx, outs, cfg->report, "--report", LC_OUTPUT_REPORT, cfg->overwrite,
                                &report);
    if (rc == LC_OK) rc = lc_parcels_read(ctx, cfg->parcels, &ro, &p);
    if (rc == LC_OK) cli_crs_warning(cfg, p);
    /* the database is begun during the analysis (its parcels layer is written
    ** while the footprints are computed) and finished here */
    lc_analyze_opts ao = cfg->analyze;
    ao.output = db;
    if (rc == LC_OK) rc = lc_analyze(ctx, p, &ao, &a);
    if (rc == LC_OK) rc = lc_analysis_write(ctx, a, db);
    if (rc == LC_OK && report) rc = lc_report_write(ctx, a, report);
    /* all outputs or none */
    if (rc == LC_OK) rc = lc_outputs_commit(ctx, outs);
    if (rc == LC_OK) {
        lc_layer_info info;
        lc_analysis_summary s;
        lc_parcels_describe(p, &info);
        lc_analysis_summarize(a, &s);
        if (cfg->json) print_json(cfg, &info, &s);
        else print_text(cfg, &info, &s);
    }
    lc_analysis_free(a);
    lc_outputs_free(outs);
    lc_parcels_free(p);
    return rc;
}
