/*
** The results of a run: releasing them, their summary figures, and the
** accessors of the public API (landcons.h) the CLI and writers read them
** through.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "dates.h"
#include "textbuf.h"
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

/* GEOS geometries made on any thread are destroyed with the reading ctx's handle. */
void lc_analysis_free(lc_analysis *a)
{
    if (!a) return;
    GEOSContextHandle_t h = a->parcels->geos;
    lc_overlap_pairs_release(h, &a->pairs);
    lc_sites_release(h, &a->sites);
    lc_enclaves_release(h, &a->enclaves);
    lc_footprints_release(h, &a->footprints);
    lc_blocks_release(&a->blocks);
    lc_plan_text_release(&a->plan_text);
    lc_plan_free(a->plan);
    lc_adjacency_release(&a->adjacency);
    lc_progress_release(&a->progress);
    lc_points_release(&a->points);
    lc_unit_totals_release(a->unit_totals);
    free(a->unit_totals);
    lc_statuses_release(&a->st);
    lc_site_layers_release(&a->layers);
    lc_register_free(a->reg);
    lc_units_release(&a->units);
    lc_qa_release(&a->qa);
    free(a);
}

int lc_analysis_target_met(const lc_analysis *a) { return a->progress.target_day != LC_NO_DATE; }

void lc_analysis_summarize(const lc_analysis *a, lc_analysis_summary *s)
{
    memset(s, 0, sizeof *s);
    snprintf(s->as_of, sizeof s->as_of, "%s", a->opts.as_of);
    s->gap_m = a->opts.gap_m;
    s->target_mu = a->opts.target_mu;
    s->parcels = (int64_t)a->parcels->n;
    s->total_m2 = a->st.total_m2;
    for (int k = 0; k < LC_STATUS_COUNT; k++) {
        s->status_count[k] = (int64_t)a->st.totals.count[k];
        s->status_m2[k] = a->st.totals.m2[k];
    }
    if (a->reg) {
        s->register_rows = (int64_t)a->reg->n_rows;
        s->register_keys = (int64_t)a->reg->n_entries;
        s->register_keys_without_parcel = (int64_t)a->st.n_orphan_entries;
    }
    s->overlap_pairs = (int64_t)a->pairs.n;
    s->double_counted_m2 = a->pairs.double_counted_m2;
    s->parcels_without_row = (int64_t)a->st.totals.count[LC_ST_UNREGISTERED];
    s->blocks = (int64_t)a->blocks.n;
    if (a->blocks.n) {
        const lc_block *b = &a->blocks.items[0];
        s->largest_block_parcels = (int64_t)b->n_members;
        s->largest_block_parcel_m2 = b->parcel_m2;
        if (a->footprints.n) {
            s->largest_block_footprint_m2 = a->footprints.items[0].m2;
            s->largest_block_footprint_ellipsoidal_m2 = a->footprints.items[0].ellipsoidal_m2;
        }
    }
    lc_xsum em = {0};
    for (size_t e = 0; e < a->enclaves.n; e++) {
        s->enclaves++;
        if (a->enclaves.items[e].parcel == SIZE_MAX) s->gap_enclaves++;
        else s->parcel_enclaves++;
        lc_xsum_add(&em, a->enclaves.items[e].area_m2);
    }
    s->enclave_m2 = lc_xsum_value(&em);
    s->target_met = lc_analysis_target_met(a);
    s->sites = (int64_t)a->sites.n;
    lc_analysis_target_date(a, s->target_reached_on);
    for (size_t k = 0; k < a->sites.n; k++) s->sites_ready += a->sites.items[k].ready;
    for (size_t k = 0; k < lc_analysis_qa_list_count(a); k++) {
        const lc_qa *q = lc_analysis_qa_list(a, k);
        s->qa_errors += (int64_t)lc_qa_count(q, LC_SEV_ERROR);
        s->qa_warnings += (int64_t)lc_qa_count(q, LC_SEV_WARNING);
        s->qa_infos += (int64_t)lc_qa_count(q, LC_SEV_INFO);
    }
}

size_t lc_analysis_qa_list_count(const lc_analysis *a)
{
    return 2 + a->layers.n_sites + a->layers.n_constraints;
}

const lc_qa *lc_analysis_qa_list(const lc_analysis *a, size_t k)
{
    if (k == 0) return &a->parcels->qa;
    if (k == 1) return &a->qa;
    k -= 2;
    if (k < a->layers.n_sites) return &a->layers.sites[k]->qa;
    return &a->layers.constraints[k - a->layers.n_sites]->qa;
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

size_t lc_analysis_site_count(const lc_analysis *a) { return a->sites.n; }

void lc_analysis_site(const lc_analysis *a, size_t i, lc_site_info *out)
{
    const lc_site *s = &a->sites.items[i];
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
    const lc_reg_entry *e = a->st.state[parcel].entry;
    if (e && e->holder) return e->holder;
    int f = a->holder_field;
    return f >= 0 ? lc_parcel_text(a->parcels, parcel, (size_t)f) : NULL;
}

void lc_analysis_site_parcel(const lc_analysis *a, size_t i, size_t k, lc_site_parcel *out)
{
    const lc_site *s = &a->sites.items[i];
    const lc_overlap *o = &a->sites.overlaps[s->first_overlap + k];
    const lc_parcel_state *st = &a->st.state[o->parcel];
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

size_t lc_analysis_progress_count(const lc_analysis *a) { return a->progress.n_days + a->progress.n_unit_days; }

void lc_analysis_progress(const lc_analysis *a, size_t i, lc_progress_row *out)
{
    memset(out, 0, sizeof *out);
    if (i < a->progress.n_days) {
        const lc_progress_day *d = &a->progress.days[i];
        lc_date_format(d->day, out->date);
        out->unit_kind = "all";
        out->signed_m2 = d->signed_m2;
        out->cumulative_m2 = d->cumulative_m2;
        out->unit_total_m2 = a->st.total_m2;
        out->largest_block_m2 = d->largest_block_m2;
        return;
    }
    const lc_progress_unit *u = &a->progress.unit_days[i - a->progress.n_days];
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
    if (a->progress.target_day == LC_NO_DATE) return 0;
    lc_date_format(a->progress.target_day, out);
    return 1;
}

size_t lc_analysis_constraint_count(const lc_analysis *a) { return a->sites.n_hits; }

void lc_analysis_constraint(const lc_analysis *a, size_t k, lc_constraint_info *out)
{
    const lc_constraint_hit *c = &a->sites.hits[k];
    const lc_parcels *cs = a->layers.constraints[c->layer];
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
    out->keys_without_parcel = (int64_t)a->st.n_orphan_entries;
    out->parcels_without_row = (int64_t)a->st.n_unregistered;
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
    if (i >= a->st.n_orphan_entries) return NULL;
    const lc_reg_entry *e = &a->reg->entries[a->st.orphan_entries[i]];
    if (row) *row = e->line;
    return e->key;
}

const char *lc_analysis_unregistered_key(const lc_analysis *a, size_t i)
{
    return i < a->st.n_unregistered ? a->parcels->items[a->st.unregistered[i]].key : NULL;
}

const char *lc_analysis_unit_names_source(const lc_analysis *a)
{
    return a->units.n ? a->units.sources : NULL;
}

size_t lc_analysis_site_orphans(const lc_analysis *a, size_t i, const char **keys, size_t cap)
{
    /* the villages under the site, from the default key prefix only: a
    ** --village-field cannot be derived from a register key */
    if (a->opts.village_field || i >= a->sites.n) return 0;
    const lc_site *s = &a->sites.items[i];
    size_t n = 0;
    for (size_t k = 0; k < a->st.n_orphan_entries; k++) {
        const char *key = a->reg->entries[a->st.orphan_entries[k]].key;
        if (strlen(key) < 12) continue;
        int hit = 0;
        for (size_t o = 0; o < s->n_overlaps && !hit; o++) {
            const char *v = a->st.state[a->sites.overlaps[s->first_overlap + o].parcel].village;
            hit = v && !strncmp(v, key, 12);
        }
        if (!hit) continue;
        if (n < cap) keys[n] = key;
        n++;
    }
    return n;
}

/* ---- the plan as text ------------------------------------------------------- */

/* The text in b kept in the arena (b emptied); NULL when out of memory. */
static const char *keep_text(lc_plan_text *t, lc_textbuf *b, lc_status *rc)
{
    const char *s = b->oom ? NULL : lc_arena_strndup(&t->strings, b->s ? b->s : "", b->n);
    b->n = 0;
    if (!s && *rc == LC_OK) *rc = LC_ENOMEM;
    return s;
}

/* "3,17,40"; NULL for none. */
static const char *ids_text(lc_plan_text *t, lc_textbuf *b, const int32_t *ids, size_t n, lc_status *rc)
{
    if (!n) return NULL;
    for (size_t k = 0; k < n; k++) lc_textbuf_printf(b, "%s%d", k ? "," : "", (int)ids[k]);
    return keep_text(t, b, rc);
}

/* Holders are listed with the Chinese enumeration comma: a name may hold a
** comma of its own, never 、 in practice; an unknown one is named so. */
lc_status lc_plan_text_build(lc_ctx *ctx, const lc_plan *plan, lc_plan_text *out)
{
    memset(out, 0, sizeof *out);
    size_t nb = plan->n_bridges ? plan->n_bridges : 1, ns = plan->n_steps ? plan->n_steps : 1;
    out->bridge_joins = lc_calloc(ctx, nb, sizeof *out->bridge_joins);
    out->bridge_step = lc_calloc(ctx, nb, sizeof *out->bridge_step);
    out->step_keys = lc_calloc(ctx, ns, sizeof *out->step_keys);
    out->step_holders = lc_calloc(ctx, ns, sizeof *out->step_holders);
    out->step_joins = lc_calloc(ctx, ns, sizeof *out->step_joins);
    if (!out->bridge_joins || !out->bridge_step || !out->step_keys || !out->step_holders || !out->step_joins) {
        lc_plan_text_release(out);
        return LC_ENOMEM;
    }
    lc_textbuf b = {0};
    lc_status rc = LC_OK;
    for (size_t k = 0; k < plan->n_bridges && rc == LC_OK; k++)
        out->bridge_joins[k] = ids_text(out, &b, plan->bridges[k].joins, plan->bridges[k].n_joins, &rc);
    for (size_t s = 0; s < plan->n_steps && rc == LC_OK; s++) {
        const lc_plan_step *st = &plan->steps[s];
        for (size_t j = 0; j < st->n_parcels; j++) {
            const lc_plan_bridge *br = &plan->bridges[st->bridges[j]];
            out->bridge_step[st->bridges[j]] = (int32_t)(s + 1);
            lc_textbuf_printf(&b, "%s%s", j ? "," : "", br->key ? br->key : "");
        }
        out->step_keys[s] = keep_text(out, &b, &rc);
        for (size_t j = 0; j < st->n_parcels; j++) {
            const char *h = plan->bridges[st->bridges[j]].holder;
            lc_textbuf_printf(&b, "%s%s", j ? "、" : "", h ? h : "(无承包方)");
        }
        out->step_holders[s] = keep_text(out, &b, &rc);
        out->step_joins[s] = ids_text(out, &b, st->joins, st->n_joins, &rc);
    }
    lc_textbuf_release(&b);
    if (rc != LC_OK) {
        lc_plan_text_release(out);
        return lc_error(ctx, LC_ENOMEM, "out of memory");
    }
    return LC_OK;
}

void lc_plan_text_release(lc_plan_text *t)
{
    free(t->bridge_joins);
    free(t->bridge_step);
    free(t->step_keys);
    free(t->step_holders);
    free(t->step_joins);
    lc_arena_release(&t->strings);
    memset(t, 0, sizeof *t);
}
