/*
** Status of every parcel as of a date (SPEC §2) and the register checks
** that need the parcels: keys without parcel, parcels without row, declared
** areas off the measured ones.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis.h"
#include "dates.h"
#include "encoding.h"
#include "geom.h"
#include "keymatch.h"

const char *const lc_status_names[LC_STATUS_COUNT] = {"transferred", "pending", "refused",
                                                      "disputed", "unregistered"};

const char *lc_parcel_status_name(lc_parcel_status s)
{
    return s < LC_ST_N ? lc_status_names[s] : "?";
}

const char *lc_parcel_status_zh(lc_parcel_status s)
{
    static const char *const words[LC_ST_N] = {"已流转", "未签约", "拒签", "争议", "未登记"};
    return s < LC_ST_N ? words[s] : "?";
}

const char *lc_status_zh(int k)
{
    return k >= 0 && k < LC_ST_N ? lc_parcel_status_zh((lc_parcel_status)k) : "?";
}

static lc_parcel_status status_of(const lc_reg_entry *e, int32_t as_of)
{
    if (!e) return LC_ST_UNREGISTERED;
    switch (e->status) {
    case LC_REG_SIGNED:
        /* a contract signed after D, or with no date, is still pending on D */
        return e->signed_on != LC_NO_DATE && e->signed_on <= as_of ? LC_ST_TRANSFERRED : LC_ST_PENDING;
    case LC_REG_PENDING: return LC_ST_PENDING;
    case LC_REG_REFUSED: return LC_ST_REFUSED;
    default: return LC_ST_DISPUTED;
    }
}

/* Unit code from a field or from the key's first `len` characters. */
static const char *unit_code(lc_analysis *a, size_t i, int field, size_t len)
{
    const lc_parcels *p = a->parcels;
    if (field >= 0) {
        if (lc_parcel_is_null(p, i, (size_t)field)) return NULL;
        const lc_value *v = &lc_parcel_values(p, i)[field];
        char buf[32];
        switch (p->fields[field].type) {
        case LC_FIELD_INT:
            snprintf(buf, sizeof buf, "%lld", (long long)v->i);
            return lc_arena_strdup(&a->strings, buf);
        case LC_FIELD_REAL:
            snprintf(buf, sizeof buf, "%.15g", v->d);
            return lc_arena_strdup(&a->strings, buf);
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
    return lc_arena_strndup(&a->strings, key, lc_utf8_prefix_bytes(key, len));
}

lc_status lc_status_assign(lc_ctx *ctx, lc_analysis *a)
{
    lc_parcels *p = a->parcels;
    int32_t as_of;
    if (!lc_date_parse(a->opts.as_of, &as_of))
        return lc_error(ctx, LC_EINTERNAL, "as-of date %s unreadable", a->opts.as_of);
    int tf = -1, vf = -1;
    if (a->opts.township_field && (tf = lc_parcels_field_index(p, a->opts.township_field)) < 0)
        return lc_error(ctx, LC_EINPUT, "%s: no field %s (--township-field)", p->path,
                        a->opts.township_field);
    if (a->opts.village_field && (vf = lc_parcels_field_index(p, a->opts.village_field)) < 0)
        return lc_error(ctx, LC_EINPUT, "%s: no field %s (--village-field)", p->path,
                        a->opts.village_field);
    a->state = lc_calloc(ctx, p->n ? p->n : 1, sizeof *a->state);
    if (!a->state) return LC_ENOMEM;
    lc_xsum total = {0}, by[LC_ST_N];
    memset(by, 0, sizeof by);
    lc_status rc = LC_OK;
    for (size_t i = 0; i < p->n && rc == LC_OK; i++) {
        const lc_parcel *it = &p->items[i];
        lc_parcel_state *st = &a->state[i];
        lc_reg_entry *e = it->key && a->reg ? lc_register_find(a->reg, it->key) : NULL;
        st->entry = e;
        st->status = status_of(e, as_of);
        st->township = unit_code(a, i, tf, 9);
        st->village = unit_code(a, i, vf, 12);
        a->totals.count[st->status]++;
        lc_xsum_add(&by[st->status], it->planar_m2);
        lc_xsum_add(&total, it->planar_m2);
        char where[300];
        lc_parcel_where(p, i, where, sizeof where);
        double x = 0, y = 0;
        int has_point = 0;
        if (!e) {
            if (it->key && a->reg) {
                has_point = lc_geom_point_on_surface(ctx, it->geom, &x, &y);
                rc = lc_qa_add(ctx, &a->qa, LC_SEV_WARNING, "parcel_without_register_row", it->key,
                               where, has_point, x, y, "no row of %s has this key: counted as "
                               "unregistered", a->reg->display);
            }
            continue;
        }
        e->matched = 1;
        double mu = lc_mu_from_m2(it->planar_m2);
        if (!isnan(e->declared_mu) && fabs(e->declared_mu - mu) > a->opts.area_tolerance * mu) {
            char src[300];
            snprintf(src, sizeof src, "%s:%lld", a->reg->display, (long long)e->line);
            has_point = lc_geom_point_on_surface(ctx, it->geom, &x, &y);
            rc = lc_qa_add(ctx, &a->qa, LC_SEV_WARNING, "declared_area_mismatch", it->key, src,
                           has_point, x, y,
                           "declared %.2f mu but the parcel measures %.2f mu (%+.1f%%, tolerance %.0f%%)",
                           e->declared_mu, mu, 100.0 * (e->declared_mu - mu) / mu,
                           100.0 * a->opts.area_tolerance);
        }
    }
    if (a->reg && rc == LC_OK) {
        a->orphan_entries = lc_malloc(ctx, (a->reg->n_entries ? a->reg->n_entries : 1) * sizeof *a->orphan_entries);
        a->unregistered = lc_malloc(ctx, (p->n ? p->n : 1) * sizeof *a->unregistered);
        if (!a->orphan_entries || !a->unregistered) rc = LC_ENOMEM;
        for (size_t i = 0; i < p->n && rc == LC_OK; i++)
            if (p->items[i].key && !a->state[i].entry) a->unregistered[a->n_unregistered++] = i;
    }
    for (size_t k = 0; a->reg && k < a->reg->n_entries && rc == LC_OK; k++) {
        const lc_reg_entry *e = &a->reg->entries[k];
        if (e->matched) continue;
        a->orphan_entries[a->n_orphan_entries++] = k;
        char src[300];
        snprintf(src, sizeof src, "%s:%lld", a->reg->display, (long long)e->line);
        rc = lc_qa_add(ctx, &a->qa, LC_SEV_WARNING, "register_key_without_parcel", e->key, src, 0, 0, 0,
                       "no parcel of %s has this key", p->path);
    }
    for (int s = 0; s < LC_ST_N; s++) a->totals.m2[s] = lc_xsum_value(&by[s]);
    a->total_m2 = lc_xsum_value(&total);
    return rc;
}

lc_status lc_key_match_guard(lc_ctx *ctx, lc_analysis *a)
{
    lc_key_match *m = &a->key_match;
    lc_status rc = lc_key_match_measure(ctx, a->parcels, a->reg, 0, m);
    if (rc != LC_OK || m->register_share >= a->opts.min_key_match) return rc;
    rc = lc_key_match_measure(ctx, a->parcels, a->reg, 1, m);
    if (rc != LC_OK) return rc;
    char msg[LC_ERRMSG_MAX];
    lc_key_match_explain(m, a->parcels, a->reg, a->opts.min_key_match, msg, sizeof msg);
    if (!a->opts.check_only) return lc_error(ctx, LC_EINPUT, "%s", msg);
    return lc_qa_add(ctx, &a->qa, LC_SEV_ERROR, "register_keys_unmatched", NULL, a->reg->display, 0, 0, 0,
                     "%s", msg);
}
