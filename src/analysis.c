/*
** lc_analyze: register, statuses, blocks, footprints, enclaves, in that
** order (SPEC §2), and the summary figures of the result.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "dates.h"

void lc_analyze_opts_init(lc_analyze_opts *o)
{
    memset(o, 0, sizeof *o);
    o->gap_m = 10.0;
    o->target_mu = 100000.0;
    o->area_tolerance = 0.05;
}

void lc_analysis_free(lc_analysis *a)
{
    if (!a) return;
    GEOSContextHandle_t h = a->parcels->geos;
    for (size_t b = 0; b < a->n_blocks; b++) {
        free(a->blocks[b].members);
        if (a->blocks[b].footprint) GEOSGeom_destroy_r(h, a->blocks[b].footprint);
    }
    free(a->blocks);
    for (size_t e = 0; e < a->n_enclaves; e++)
        if (a->enclaves[e].geom) GEOSGeom_destroy_r(h, a->enclaves[e].geom);
    free(a->enclaves);
    free(a->state);
    lc_register_free(a->reg);
    lc_units_release(&a->units);
    lc_qa_release(&a->qa);
    lc_arena_release(&a->strings);
    free(a);
}

lc_status lc_analyze(lc_ctx *ctx, lc_parcels *p, const lc_analyze_opts *opts, lc_analysis **out)
{
    *out = NULL;
    if (!opts->register_path) return lc_error(ctx, LC_EINPUT, "the transfer register is missing (--register FILE)");
    if (!(opts->gap_m >= 0) || !isfinite(opts->gap_m))
        return lc_error(ctx, LC_EINPUT, "--gap %g: must be a distance of 0 m or more", opts->gap_m);
    if (!(opts->target_mu >= 0)) return lc_error(ctx, LC_EINPUT, "--target-mu must not be negative");
    if (!(opts->area_tolerance >= 0)) return lc_error(ctx, LC_EINPUT, "--area-tolerance must not be negative");
    if (p->key_index < 0)
        return lc_error(ctx, LC_EINPUT, "%s: the parcel layer has no key field to join the register on",
                        p->path);
    lc_analysis *a = lc_calloc(ctx, 1, sizeof *a);
    if (!a) return LC_ENOMEM;
    a->parcels = p;
    a->opts = *opts;
    if (!opts->as_of) {
        lc_date_format(lc_today(), a->as_of_text);
        a->opts.as_of = a->as_of_text;
    } else {
        int32_t d;
        if (!lc_date_parse(opts->as_of, &d)) {
            free(a);
            return lc_error(ctx, LC_EINPUT, "--as-of %s: not a date (use YYYY-MM-DD)", opts->as_of);
        }
        lc_date_format(d, a->as_of_text);
        a->opts.as_of = a->as_of_text;
    }
    lc_register_opts ro;
    memset(&ro, 0, sizeof ro);
    ro.encoding = opts->register_encoding;
    ro.today = lc_today();
    lc_status rc = LC_OK;
    for (int i = 0; i < opts->n_maps && rc == LC_OK; i++) rc = lc_register_map_option(ctx, &ro, opts->maps[i]);
    double t = lc_clock();
#define PHASE(call, name) \
    if (rc == LC_OK) { rc = (call); lc_log_phase(ctx, name, t); t = lc_clock(); }
    if (opts->unit_names_path) PHASE(lc_units_read(ctx, opts->unit_names_path, &a->units), "read unit names")
    PHASE(lc_register_read(ctx, opts->register_path, &ro, &a->qa, &a->reg), "read register")
    PHASE(lc_status_assign(ctx, a), "status as of date")
    PHASE(lc_blocks_build(ctx, a), "blocks (adjacency)")
    PHASE(lc_footprints_build(ctx, a), "footprints")
    PHASE(lc_enclaves_find(ctx, a), "enclaves")
#undef PHASE
    if (rc != LC_OK) {
        lc_analysis_free(a);
        return rc;
    }
    *out = a;
    return LC_OK;
}

void lc_analysis_summarize(const lc_analysis *a, lc_analysis_summary *s)
{
    memset(s, 0, sizeof *s);
    snprintf(s->as_of, sizeof s->as_of, "%s", a->opts.as_of);
    s->gap_m = a->opts.gap_m;
    s->target_mu = a->opts.target_mu;
    s->parcels = (int64_t)a->parcels->n;
    s->total_m2 = a->total_m2;
    for (int k = 0; k < LC_STATUS_COUNT; k++) {
        s->status_count[k] = (int64_t)a->totals.count[k];
        s->status_m2[k] = a->totals.m2[k];
    }
    s->register_rows = (int64_t)a->reg->n_rows;
    s->register_keys = (int64_t)a->reg->n_entries;
    for (size_t e = 0; e < a->reg->n_entries; e++) s->register_keys_without_parcel += !a->reg->entries[e].matched;
    s->parcels_without_row = (int64_t)a->totals.count[LC_ST_UNREGISTERED];
    s->blocks = (int64_t)a->n_blocks;
    if (a->n_blocks) {
        const lc_block *b = &a->blocks[0];
        s->largest_block_parcels = (int64_t)b->n_members;
        s->largest_block_parcel_m2 = b->parcel_m2;
        s->largest_block_footprint_m2 = b->footprint_m2;
        s->largest_block_footprint_ellipsoidal_m2 = b->footprint_ellipsoidal_m2;
    }
    lc_sum em = {0, 0};
    for (size_t e = 0; e < a->n_enclaves; e++) {
        s->enclaves++;
        if (a->enclaves[e].parcel == SIZE_MAX) s->gap_enclaves++;
        else s->parcel_enclaves++;
        lc_sum_add(&em, a->enclaves[e].area_m2);
    }
    s->enclave_m2 = lc_sum_value(&em);
    s->target_met = a->target_met;
    const lc_qa *lists[2] = {&a->parcels->qa, &a->qa};
    for (int k = 0; k < 2; k++) {
        s->qa_errors += (int64_t)lc_qa_count(lists[k], LC_SEV_ERROR);
        s->qa_warnings += (int64_t)lc_qa_count(lists[k], LC_SEV_WARNING);
        s->qa_infos += (int64_t)lc_qa_count(lists[k], LC_SEV_INFO);
    }
}
