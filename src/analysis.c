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
#include "geom.h"
#include "unit_totals.h"

void lc_analyze_opts_init(lc_analyze_opts *o)
{
    memset(o, 0, sizeof *o);
    o->gap_m = 10.0;
    o->target_mu = 100000.0;
    o->area_tolerance = 0.05;
    o->min_overlap_m2 = 1.0;
    o->min_key_match = 0.5;
}

void lc_analysis_free(lc_analysis *a)
{
    if (!a) return;
    lc_output_discard(a);  /* first: its task reads the analysis */
    GEOSContextHandle_t h = a->parcels->geos;
    for (size_t b = 0; b < a->n_blocks; b++) {
        free(a->blocks[b].members);
        if (a->blocks[b].footprint) GEOSGeom_destroy_r(h, a->blocks[b].footprint);
    }
    free(a->blocks);
    for (size_t e = 0; e < a->n_enclaves; e++)
        if (a->enclaves[e].geom) GEOSGeom_destroy_r(h, a->enclaves[e].geom);
    free(a->enclaves);
    for (size_t k = 0; k < a->n_overlaps; k++) GEOSGeom_destroy_r(h, a->overlaps[k].geom);
    free(a->overlaps);
    for (size_t k = 0; k < a->n_constraint_hits; k++) GEOSGeom_destroy_r(h, a->constraint_hits[k].geom);
    free(a->constraint_hits);
    free(a->sites);
    free(a->days);
    free(a->adjacent);
    free(a->unit_days);
    for (size_t k = 0; k < a->n_overlap_pairs; k++) GEOSGeom_destroy_r(h, a->overlap_pairs[k].geom);
    free(a->overlap_pairs);
    free(a->pos_xy);
    for (size_t k = 0; k < a->n_site_sets; k++) lc_parcels_free(a->site_sets[k]);
    free(a->site_sets);
    for (size_t k = 0; k < a->n_constraint_sets; k++) lc_parcels_free(a->constraint_sets[k]);
    free(a->constraint_sets);
    free(a->state);
    free(a->orphan_entries);
    free(a->unregistered);
    lc_unit_totals_release(a->unit_totals);
    free(a->unit_totals);
    lc_register_free(a->reg);
    lc_units_release(&a->units);
    lc_qa_release(&a->qa);
    lc_arena_release(&a->strings);
    free(a);
}

/* The figures by township and village, from the statuses just assigned. */
static lc_status unit_totals_build(lc_ctx *ctx, lc_analysis *a)
{
    a->unit_totals = lc_calloc(ctx, 1, sizeof *a->unit_totals);
    if (!a->unit_totals) return LC_ENOMEM;
    return lc_unit_totals_compute(ctx, a->state, a->parcels->items, a->parcels->n, a->unit_totals);
}

lc_status lc_analyze(lc_ctx *ctx, lc_parcels *p, const lc_analyze_opts *opts, lc_analysis **out)
{
    *out = NULL;
    if (!opts->register_path && !opts->check_only)
        return lc_error(ctx, LC_EINPUT, "the transfer register is missing (--register FILE)");
    if (!(opts->gap_m == 0 || (opts->gap_m >= LC_GAP_MIN_M && opts->gap_m <= LC_GAP_MAX_M)))
        return lc_error(ctx, LC_EINPUT, "--gap %g: must be a distance of 0 m (touching parcels) or "
                        "%g to %g m", opts->gap_m, LC_GAP_MIN_M, LC_GAP_MAX_M);
    if (!(opts->target_mu >= 0)) return lc_error(ctx, LC_EINPUT, "--target-mu must not be negative");
    if (!(opts->area_tolerance >= 0)) return lc_error(ctx, LC_EINPUT, "--area-tolerance must not be negative");
    if (!(opts->min_overlap_m2 >= 0)) return lc_error(ctx, LC_EINPUT, "--min-overlap must not be negative");
    if (!lc_parcels_has_key(p) && opts->register_path)
        return lc_error(ctx, LC_EINPUT, "%s: the parcel layer has no key field to join the register on",
                        p->path);
    lc_analysis *a = lc_calloc(ctx, 1, sizeof *a);
    if (!a) return LC_ENOMEM;
    a->target_day = LC_NO_DATE;
    a->parcels = p;
    a->opts = *opts;
    a->holder_field = lc_parcels_field_index(p, "CBFMC");
    if (!opts->as_of) {
        lc_date_format(lc_today(), a->as_of_text);
        a->opts.as_of = a->as_of_text;
    } else {
        int32_t d;
        if (!lc_date_parse_full(opts->as_of, &d)) {
            free(a);
            return lc_error(ctx, LC_EINPUT, "--as-of %s: not a full date (use YYYY-MM-DD)", opts->as_of);
        }
        lc_date_format(d, a->as_of_text);
        a->opts.as_of = a->as_of_text;
    }
    lc_register_opts ro;
    memset(&ro, 0, sizeof ro);
    ro.encoding = opts->register_encoding;
    ro.sheet = opts->sheet;
    ro.today = lc_today();
    lc_date_parse_full(a->opts.as_of, &ro.as_of);
    ro.findings_only = opts->check_only;
    lc_status rc = LC_OK;
    for (int i = 0; i < opts->n_maps && rc == LC_OK; i++) rc = lc_register_map_option(ctx, &ro, opts->maps[i]);
    for (int i = 0; i < opts->n_status_maps && rc == LC_OK; i++)
        rc = lc_register_status_map_option(ctx, &ro, opts->status_maps[i]);
    double t = lc_clock();
#define PHASE(call, name) \
    if (rc == LC_OK) { rc = (call); lc_log_phase(ctx, name, t); t = lc_clock(); }
    int checks = !opts->sites_only && !opts->progress_only;
    if (checks && rc == LC_OK) rc = lc_checks_start(ctx, a);
    PHASE(lc_analysis_read_units(ctx, a), "read unit names")
    if (opts->register_path) PHASE(lc_register_read(ctx, opts->register_path, &ro, &a->qa, &a->reg), "read register")
    PHASE(lc_sites_read(ctx, a), "read sites and constraints")
    PHASE(lc_status_assign(ctx, a), "status as of date")
    if (a->reg) PHASE(lc_key_match_guard(ctx, a), "register keys against parcel keys")
    PHASE(unit_totals_build(ctx, a), "totals by unit")
    if (checks) PHASE(lc_checks_run(ctx, a), "quality checks")
    if (!opts->sites_only && !opts->check_only) PHASE(lc_progress_build(ctx, a), "progress by day")
    if (!opts->sites_only && !opts->check_only && !opts->progress_only) {
        PHASE(lc_blocks_build(ctx, a), "blocks (adjacency)")
        PHASE(lc_output_start(ctx, a), "output opened")
        PHASE(lc_footprints_build(ctx, a), "footprints")
        PHASE(lc_enclaves_find(ctx, a), "enclaves")
    }
    PHASE(lc_sites_overlay(ctx, a), "site overlaps")
#undef PHASE
    if (rc == LC_OK) {
        rc = lc_checks_finish(ctx, a);
    } else {  /* the first failure's message is the one to show */
        char first[LC_ERRMSG_MAX];
        memcpy(first, ctx->errmsg, sizeof first);
        lc_checks_finish(ctx, a);
        memcpy(ctx->errmsg, first, sizeof first);
    }
    if (rc != LC_OK) {
        lc_analysis_free(a);
        return rc;
    }
    *out = a;
    return LC_OK;
}

lc_status lc_analysis_read_units(lc_ctx *ctx, lc_analysis *a)
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

lc_status lc_analysis_points(lc_ctx *ctx, lc_analysis *a)
{
    if (a->pos_xy) return LC_OK;
    const lc_parcels *p = a->parcels;
    double *xy = lc_malloc(ctx, 2 * (p->n ? p->n : 1) * sizeof *xy);
    if (!xy) return LC_ENOMEM;
    for (size_t i = 0; i < p->n; i++)
        if (!lc_geom_point_on_surface(ctx, p->items[i].geom, &xy[2 * i], &xy[2 * i + 1])) {
            free(xy);
            char where[320];
            lc_parcel_where(p, i, where, sizeof where);
            return lc_error(ctx, LC_EINTERNAL, "%s: GEOS point on surface: %s", where, ctx->geos_msg);
        }
    a->pos_xy = xy;
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
    if (a->reg) {
        s->register_rows = (int64_t)a->reg->n_rows;
        s->register_keys = (int64_t)a->reg->n_entries;
        for (size_t e = 0; e < a->reg->n_entries; e++)
            s->register_keys_without_parcel += !a->reg->entries[e].matched;
    }
    s->overlap_pairs = (int64_t)a->n_overlap_pairs;
    s->double_counted_m2 = a->double_counted_m2;
    s->parcels_without_row = (int64_t)a->totals.count[LC_ST_UNREGISTERED];
    s->blocks = (int64_t)a->n_blocks;
    if (a->n_blocks) {
        const lc_block *b = &a->blocks[0];
        s->largest_block_parcels = (int64_t)b->n_members;
        s->largest_block_parcel_m2 = b->parcel_m2;
        s->largest_block_footprint_m2 = b->footprint_m2;
        s->largest_block_footprint_ellipsoidal_m2 = b->footprint_ellipsoidal_m2;
    }
    lc_xsum em = {0};
    for (size_t e = 0; e < a->n_enclaves; e++) {
        s->enclaves++;
        if (a->enclaves[e].parcel == SIZE_MAX) s->gap_enclaves++;
        else s->parcel_enclaves++;
        lc_xsum_add(&em, a->enclaves[e].area_m2);
    }
    s->enclave_m2 = lc_xsum_value(&em);
    s->target_met = a->target_met;
    s->sites = (int64_t)a->n_sites;
    lc_analysis_target_date(a, s->target_reached_on);
    for (size_t k = 0; k < a->n_sites; k++) s->sites_ready += a->sites[k].ready;
    for (size_t k = 0; k < lc_analysis_qa_list_count(a); k++) {
        const lc_qa *q = lc_analysis_qa_list(a, k);
        s->qa_errors += (int64_t)lc_qa_count(q, LC_SEV_ERROR);
        s->qa_warnings += (int64_t)lc_qa_count(q, LC_SEV_WARNING);
        s->qa_infos += (int64_t)lc_qa_count(q, LC_SEV_INFO);
    }
}

size_t lc_analysis_qa_list_count(const lc_analysis *a)
{
    return 2 + a->n_site_sets + a->n_constraint_sets;
}

const lc_qa *lc_analysis_qa_list(const lc_analysis *a, size_t k)
{
    if (k == 0) return &a->parcels->qa;
    if (k == 1) return &a->qa;
    k -= 2;
    if (k < a->n_site_sets) return &a->site_sets[k]->qa;
    return &a->constraint_sets[k - a->n_site_sets]->qa;
}

size_t lc_analysis_finding_count(const lc_analysis *a)
{
    size_t n = 0;
    for (size_t k = 0; k < lc_analysis_qa_list_count(a); k++) n += lc_analysis_qa_list(a, k)->n;
    return n;
}

void lc_analysis_finding(const lc_analysis *a, size_t i, lc_finding *out)
{
    for (size_t k = 0; k < lc_analysis_qa_list_count(a); k++) {
        const lc_qa *q = lc_analysis_qa_list(a, k);
        if (i >= q->n) {
            i -= q->n;
            continue;
        }
        lc_qa_finding(&q->items[i], out);
        return;
    }
    memset(out, 0, sizeof *out);
}

size_t lc_analysis_site_count(const lc_analysis *a) { return a->n_sites; }

void lc_analysis_site(const lc_analysis *a, size_t i, lc_site_info *out)
{
    const lc_site *s = &a->sites[i];
    memset(out, 0, sizeof *out);
    out->id = s->id;
    out->name = s->name;
    out->layer_path = s->set->path;
    out->area_m2 = s->area_m2;
    for (int k = 0; k < LC_ST_N; k++) out->status_m2[k] = s->status_m2[k];
    out->no_parcel_m2 = s->no_parcel_m2;
    out->ready = s->ready;
    out->reason = s->reason;
    out->n_overlaps = s->n_overlaps;
    out->n_blocking = s->n_blocking;
}

const char *lc_analysis_holder(const lc_analysis *a, size_t parcel)
{
    const lc_reg_entry *e = a->state[parcel].entry;
    if (e && e->holder) return e->holder;
    int f = a->holder_field;
    return f >= 0 ? lc_parcel_text(a->parcels, parcel, (size_t)f) : NULL;
}

void lc_analysis_site_parcel(const lc_analysis *a, size_t i, size_t k, lc_site_parcel *out)
{
    const lc_site *s = &a->sites[i];
    const lc_overlap *o = &a->overlaps[s->first_overlap + k];
    const lc_parcel_state *st = &a->state[o->parcel];
    const lc_parcel *it = &a->parcels->items[o->parcel];
    memset(out, 0, sizeof *out);
    out->key = it->key;
    out->village = st->village;
    out->village_name = lc_units_name(&a->units, st->village);
    out->holder = lc_analysis_holder(a, o->parcel);
    out->status = lc_parcel_status_name(st->status);
    out->overlap_m2 = o->m2;
    out->share_of_parcel = it->planar_m2 > 0 ? o->m2 / it->planar_m2 : 0;
    out->share_of_site = s->area_m2 > 0 ? o->m2 / s->area_m2 : 0;
    out->blocking = st->status != LC_ST_TRANSFERRED && o->m2 > a->opts.min_overlap_m2;
}

size_t lc_analysis_progress_count(const lc_analysis *a) { return a->n_days + a->n_unit_days; }

void lc_analysis_progress(const lc_analysis *a, size_t i, lc_progress_row *out)
{
    memset(out, 0, sizeof *out);
    if (i < a->n_days) {
        const lc_progress_day *d = &a->days[i];
        lc_date_format(d->day, out->date);
        out->unit_kind = "all";
        out->signed_m2 = d->signed_m2;
        out->cumulative_m2 = d->cumulative_m2;
        out->unit_total_m2 = a->total_m2;
        out->largest_block_m2 = d->largest_block_m2;
        return;
    }
    const lc_progress_unit *u = &a->unit_days[i - a->n_days];
    lc_date_format(u->day, out->date);
    out->unit_kind = u->kind == LC_UNIT_TOWNSHIP ? "township" : "village";
    out->unit_code = u->code;
    out->unit_name = lc_units_name(&a->units, u->code);
    out->signed_m2 = u->signed_m2;
    out->cumulative_m2 = u->cumulative_m2;
    out->unit_total_m2 = u->total_m2;
    out->largest_block_m2 = NAN;
}

int lc_analysis_target_date(const lc_analysis *a, char out[11])
{
    out[0] = '\0';
    if (a->target_day == LC_NO_DATE) return 0;
    lc_date_format(a->target_day, out);
    return 1;
}

size_t lc_analysis_constraint_count(const lc_analysis *a) { return a->n_constraint_hits; }

void lc_analysis_constraint(const lc_analysis *a, size_t k, lc_constraint_info *out)
{
    const lc_constraint_hit *c = &a->constraint_hits[k];
    const lc_parcels *cs = a->constraint_sets[c->layer];
    memset(out, 0, sizeof *out);
    out->site_id = c->site_id;
    out->layer_path = cs->path;
    out->fid = cs->items[c->feature].fid;
    out->name = cs->items[c->feature].key;
    out->overlap_m2 = c->m2;
}

int lc_analysis_register(const lc_analysis *a, lc_register_info *out)
{
    memset(out, 0, sizeof *out);
    const lc_register *r = a->reg;
    if (!r) return 0;
    out->path = r->path;
    out->format = r->format;
    out->sheet = r->sheet[0] ? r->sheet : NULL;
    out->n_sheets = (int64_t)r->n_sheets;
    out->encoding = r->encoding.name;
    out->header_row = r->header_line;
    out->header_rows = r->header_lines;
    out->title_rows = (int64_t)r->title_rows;
    out->blank_rows = (int64_t)r->blank_rows;
    out->total_rows = (int64_t)r->total_rows;
    out->note_rows = (int64_t)r->note_rows;
    out->rows = (int64_t)r->n_rows;
    out->keys = (int64_t)r->n_entries;
    out->keys_without_parcel = (int64_t)a->n_orphan_entries;
    out->parcels_without_row = (int64_t)a->n_unregistered;
    out->key_match_share = a->key_match.register_share;
    out->parcel_row_share = a->key_match.parcel_share;
    out->mangled_keys = (int64_t)r->mangled_rows;
    for (int c = 0; c < LC_COL_N && c < LC_REGISTER_ROLES; c++) {
        out->role[c] = lc_register_role_name((lc_reg_col)c);
        out->header[c] = r->header[c][0] ? r->header[c] : NULL;
        out->column[c] = r->column[c][0] ? r->column[c] : NULL;
    }
    return 1;
}

const char *lc_analysis_orphan_key(const lc_analysis *a, size_t i, int64_t *row)
{
    if (i >= a->n_orphan_entries) return NULL;
    const lc_reg_entry *e = &a->reg->entries[a->orphan_entries[i]];
    if (row) *row = e->line;
    return e->key;
}

const char *lc_analysis_unregistered_key(const lc_analysis *a, size_t i)
{
    return i < a->n_unregistered ? a->parcels->items[a->unregistered[i]].key : NULL;
}

const char *lc_analysis_unit_names_source(const lc_analysis *a)
{
    return a->units.n ? a->units.sources : NULL;
}

size_t lc_analysis_site_orphans(const lc_analysis *a, size_t i, const char **keys, size_t cap)
{
    /* the villages under the site, from the default key prefix only: a
    ** --village-field cannot be derived from a register key */
    if (a->opts.village_field || i >= a->n_sites) return 0;
    const lc_site *s = &a->sites[i];
    size_t n = 0;
    for (size_t k = 0; k < a->n_orphan_entries; k++) {
        const char *key = a->reg->entries[a->orphan_entries[k]].key;
        if (strlen(key) < 12) continue;
        int hit = 0;
        for (size_t o = 0; o < s->n_overlaps && !hit; o++) {
            const char *v = a->state[a->overlaps[s->first_overlap + o].parcel].village;
            hit = v && !strncmp(v, key, 12);
        }
        if (!hit) continue;
        if (n < cap) keys[n] = key;
        n++;
    }
    return n;
}
