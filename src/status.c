/*
** Status of every parcel as of a date (SPEC §2) and the register checks
** that need the parcels: keys without parcel, parcels without row, declared
** areas off the measured ones.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "dates.h"
#include "encoding.h"
#include "geom.h"
#include "qa.h"
#include "status.h"

lc_parcel_status lc_status_on(const lc_reg_entry *e, int32_t day)
{
    if (!e) return LC_ST_UNREGISTERED;
    switch (e->status) {
    case LC_REG_SIGNED:
        /* a contract signed after D, or with no date, is still pending on D */
        return e->signed_on != LC_NO_DATE && e->signed_on <= day ? LC_ST_TRANSFERRED : LC_ST_PENDING;
    case LC_REG_PENDING: return LC_ST_PENDING;
    case LC_REG_REFUSED: return LC_ST_REFUSED;
    default: return LC_ST_DISPUTED;
    }
}

/* Unit code from a field or from the key's first `len` characters. */
static const char *unit_code(lc_statuses *out, const lc_parcels *p, size_t i, int field, size_t len)
{
    if (field >= 0) {
        if (lc_parcel_is_null(p, i, (size_t)field)) return NULL;
        const lc_value *v = &lc_parcel_values(p, i)[field];
        char buf[32];
        switch (p->fields[field].type) {
        case LC_FIELD_INT:
            snprintf(buf, sizeof buf, "%lld", (long long)v->i);
            return lc_arena_strdup(&out->strings, buf);
        case LC_FIELD_REAL:
            snprintf(buf, sizeof buf, "%.15g", v->d);
            return lc_arena_strdup(&out->strings, buf);
        default:
            return v->s;
        }
    }
    /* characters, not bytes: a key with CJK text is never cut inside one */
    const char *key = p->items[i].key;
    if (!key) return NULL;
    size_t chars = 0;
    for (const unsigned char *c = (const unsigned char *)key; *c; c++) chars += (*c & 0xC0) != 0x80;
    if (chars < len) return NULL;
    return lc_arena_strndup(&out->strings, key, lc_utf8_prefix_bytes(key, len));
}

/* The register's findings that need the parcels: each parcel's declared
** area against its measure, each parcel without a row. */
static lc_status parcel_findings(lc_ctx *ctx, const lc_parcels *p, const lc_register *reg, const lc_status_opts *o,
                                 size_t i, const lc_reg_entry *e, lc_qa *qa)
{
    const lc_parcel *it = &p->items[i];
    double x = 0, y = 0;
    if (!e) {
        if (!it->key || !reg) return LC_OK;
        char where[300];
        lc_parcel_where(p, i, where, sizeof where);
        int has_point = lc_geom_point_on_surface(ctx, it->geom, &x, &y);
        return lc_qa_add(ctx, qa, LC_SEV_WARNING, "parcel_without_register_row", it->key, where, has_point, x,
                         y, "no row of %s has this key: counted as unregistered", reg->display);
    }
    double mu = lc_mu_from_m2(it->planar_m2);
    if (isnan(e->declared_mu) || fabs(e->declared_mu - mu) <= o->area_tolerance * mu) return LC_OK;
    char src[300];
    snprintf(src, sizeof src, "%s:%lld", reg->display, (long long)e->line);
    int has_point = lc_geom_point_on_surface(ctx, it->geom, &x, &y);
    return lc_qa_add(ctx, qa, LC_SEV_WARNING, "declared_area_mismatch", it->key, src, has_point, x, y,
                     "declared %.2f mu but the parcel measures %.2f mu (%+.1f%%, tolerance %.0f%%)",
                     e->declared_mu, mu, 100.0 * (e->declared_mu - mu) / mu, 100.0 * o->area_tolerance);
}

static lc_status orphans(lc_ctx *ctx, const lc_parcels *p, const lc_register *reg, lc_qa *qa, lc_statuses *out)
{
    out->orphan_entries = lc_malloc(ctx, (reg->n_entries ? reg->n_entries : 1) * sizeof *out->orphan_entries);
    out->unregistered = lc_malloc(ctx, (p->n ? p->n : 1) * sizeof *out->unregistered);
    if (!out->orphan_entries || !out->unregistered) return LC_ENOMEM;
    for (size_t i = 0; i < p->n; i++)
        if (p->items[i].key && !out->state[i].entry) out->unregistered[out->n_unregistered++] = i;
    lc_status rc = LC_OK;
    for (size_t k = 0; k < reg->n_entries && rc == LC_OK; k++) {
        const lc_reg_entry *e = &reg->entries[k];
        if (out->entry_matched[k]) continue;
        out->orphan_entries[out->n_orphan_entries++] = k;
        char src[300];
        snprintf(src, sizeof src, "%s:%lld", reg->display, (long long)e->line);
        rc = lc_qa_add(ctx, qa, LC_SEV_WARNING, "register_key_without_parcel", e->key, src, 0, 0, 0,
                       "no parcel of %s has this key", p->path);
    }
    return rc;
}

lc_status lc_status_run(lc_ctx *ctx, const lc_parcels *p, const lc_register *reg, const lc_status_opts *o,
                        lc_qa *qa, lc_statuses *out)
{
    memset(out, 0, sizeof *out);
    int tf = -1, vf = -1;
    if (o->township_field && (tf = lc_parcels_field_index(p, o->township_field)) < 0)
        return lc_error(ctx, LC_EINPUT, "%s: no field %s (--township-field)", p->path, o->township_field);
    if (o->village_field && (vf = lc_parcels_field_index(p, o->village_field)) < 0)
        return lc_error(ctx, LC_EINPUT, "%s: no field %s (--village-field)", p->path, o->village_field);
    out->n = p->n;
    out->state = lc_calloc(ctx, p->n ? p->n : 1, sizeof *out->state);
    out->entry_matched = lc_calloc(ctx, reg && reg->n_entries ? reg->n_entries : 1, 1);
    if (!out->state || !out->entry_matched) return LC_ENOMEM;
    lc_xsum total = {0}, by[LC_ST_N];
    memset(by, 0, sizeof by);
    lc_status rc = LC_OK;
    for (size_t i = 0; i < p->n && rc == LC_OK; i++) {
        const lc_parcel *it = &p->items[i];
        lc_parcel_state *st = &out->state[i];
        const lc_reg_entry *e = it->key && reg ? lc_register_find(reg, it->key) : NULL;
        st->entry = e;
        st->status = lc_status_on(e, o->as_of);
        st->township = unit_code(out, p, i, tf, 9);
        st->village = unit_code(out, p, i, vf, 12);
        out->totals.count[st->status]++;
        lc_xsum_add(&by[st->status], it->planar_m2);
        lc_xsum_add(&total, it->planar_m2);
        if (e) out->entry_matched[e - reg->entries] = 1;
        rc = parcel_findings(ctx, p, reg, o, i, e, qa);
    }
    if (reg && rc == LC_OK) rc = orphans(ctx, p, reg, qa, out);
    for (int s = 0; s < LC_ST_N; s++) out->totals.m2[s] = lc_xsum_value(&by[s]);
    out->total_m2 = lc_xsum_value(&total);
    return rc;
}

void lc_statuses_release(lc_statuses *s)
{
    free(s->state);
    free(s->entry_matched);
    free(s->orphan_entries);
    free(s->unregistered);
    lc_arena_release(&s->strings);
    memset(s, 0, sizeof *s);
}
