/*
** The key match guard. Which parcel field fits the register best is found by
** sorting each field's normalised values once and looking every register key
** up in them: fields × keys × log(parcels), a few milliseconds for a county.
*/
#include <stdio.h>
#include <string.h>

#include "keymatch.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* 1 when a key of ≥ 16 digits ends in zeros past the 15th: what Excel keeps
** of a long code it stored as a number and wrote back as text. */
static int rounded_digits(const char *k)
{
    size_t n = strlen(k);
    if (n < 16) return 0;
    for (size_t i = 0; i < n; i++)
        if (k[i] < '0' || k[i] > '9' || (i >= 15 && k[i] != '0')) return 0;
    return 1;
}

/* 1 when a parcel has the register's entry of key. */
static int find_matched(const lc_register *r, const unsigned char *entry_matched, const char *key)
{
    const lc_reg_entry *e = lc_register_find(r, key);
    return e && entry_matched[e - r->entries];
}

/* Matches of the register's keys among the normalised values of a field. */
static size_t field_matches(lc_ctx *ctx, const lc_parcels *p, size_t field, const lc_register *r,
                            lc_arena *arena)
{
    const char **vals = lc_malloc(ctx, (p->n ? p->n : 1) * sizeof *vals);
    if (!vals) return 0;
    size_t n = 0;
    for (size_t i = 0; i < p->n; i++) {
        if (lc_parcel_is_null(p, i, field)) continue;
        const lc_value *v = &lc_parcel_values(p, i)[field];
        char buf[256];
        const char *s = buf;
        switch (p->fields[field].type) {
        case LC_FIELD_INT: snprintf(buf, sizeof buf, "%lld", (long long)v->i); break;
        case LC_FIELD_TEXT: s = lc_key_normalise(v->s, buf, sizeof buf); break;
        default: continue;
        }
        vals[n] = lc_arena_strdup(arena, s);
        if (vals[n]) n++;
    }
    lc_sort(vals, n, sizeof *vals, cmp_str);
    size_t hits = 0;
    for (size_t e = 0; e < r->n_entries; e++) {
        const char *k = r->entries[e].key;
        hits += n && bsearch(&k, vals, n, sizeof *vals, cmp_str) != NULL;
    }
    free(vals);
    return hits;
}

lc_status lc_key_match_measure(lc_ctx *ctx, const lc_parcels *p, const lc_register *r,
                               const unsigned char *entry_matched, int find_best, lc_key_match *m)
{
    memset(m, 0, sizeof *m);
    m->register_keys = r->n_entries;
    for (size_t e = 0; e < r->n_entries; e++) {
        const lc_reg_entry *en = &r->entries[e];
        if (entry_matched[e]) {
            m->register_matched++;
            continue;
        }
        if (en->mangled || rounded_digits(en->key)) m->mangled++;
        if (m->n_unmatched_register < LC_KEYMATCH_EXAMPLES) m->unmatched_register[m->n_unmatched_register++] = en;
    }
    for (size_t i = 0; i < p->n; i++) {
        const char *k = p->items[i].key;
        if (!k) continue;
        m->parcels++;
        if (lc_register_find(r, k)) m->parcels_matched++;
        else if (m->n_unmatched_parcel < LC_KEYMATCH_EXAMPLES) m->unmatched_parcel[m->n_unmatched_parcel++] = k;
    }
    m->register_share = m->register_keys ? (double)m->register_matched / (double)m->register_keys : 0;
    m->parcel_share = m->parcels ? (double)m->parcels_matched / (double)m->parcels : 0;
    if (!find_best) return LC_OK;
    lc_arena arena = {0};
    size_t best = m->register_matched;
    for (size_t f = 0; f < p->n_fields; f++) {
        if ((int)f == p->key_index) continue;
        size_t hits = field_matches(ctx, p, f, r, &arena);
        if (hits > best) {
            best = hits;
            snprintf(m->best_field, sizeof m->best_field, "%s", p->fields[f].name);
            m->best_field_matches = hits;
        }
    }
    lc_arena_release(&arena);
    return LC_OK;
}

void lc_key_match_explain(const lc_key_match *m, const lc_parcels *p, const lc_register *r,
                          const unsigned char *entry_matched, double min_share, char *buf, size_t cap)
{
    size_t len = 0;
#define ADD(...) len = lc_appendf(buf, cap, len, __VA_ARGS__)
    ADD("the register does not fit the parcels: %zu of %zu register keys (%.1f%%) match a parcel's %s, "
        "and %zu of %zu parcels (%.1f%%) have a register row (--min-key-match %g)",
        m->register_matched, m->register_keys, 100.0 * m->register_share, p->key_field, m->parcels_matched,
        m->parcels, 100.0 * m->parcel_share, min_share);
    if (m->n_unmatched_register) {
        ADD("\n  register keys without a parcel:");
        for (size_t k = 0; k < m->n_unmatched_register; k++)
            ADD("%s %s (row %lld)", k ? "," : "", m->unmatched_register[k]->key,
                (long long)m->unmatched_register[k]->line);
    }
    if (m->n_unmatched_parcel) {
        ADD("\n  parcels without a register row (%s):", p->key_field);
        for (size_t k = 0; k < m->n_unmatched_parcel; k++) ADD("%s %s", k ? "," : "", m->unmatched_parcel[k]);
    }
    if (m->best_field[0])
        ADD("\n  the parcel field whose values best match the register's keys is %s (%zu of %zu keys): "
            "use --key %s", m->best_field, m->best_field_matches, m->register_keys, m->best_field);
    if (m->mangled || r->mangled_rows) {
        /* the rows, in file order: rounded keys collapse into few entries */
        enum { SHOWN = 10 };
        int64_t lines[SHOWN];
        size_t n = 0, total = 0;
        for (size_t i = 0; i < r->n_rows; i++) {
            if (!r->rows[i].mangled && !(rounded_digits(r->rows[i].key) && !find_matched(r, entry_matched, r->rows[i].key)))
                continue;
            total++;
            int64_t line = r->rows[i].line;
            size_t k = n < SHOWN ? n++ : SHOWN;
            if (k == SHOWN) {
                if (line >= lines[SHOWN - 1]) continue;
                k = SHOWN - 1;
            }
            while (k > 0 && lines[k - 1] > line) {
                lines[k] = lines[k - 1];
                k--;
            }
            lines[k] = line;
        }
        ADD("\n  %zu register row(s) hold keys rounded by Excel (a 19-digit code stored as a number, shown "
            "as 2.30113E+18 or ending in zeros): rows", total);
        for (size_t k = 0; k < n; k++) ADD("%s %lld", k ? "," : "", (long long)lines[k]);
        if (total > n) ADD(" and %zu more", total - n);
        ADD("; format the key column of %s as text and enter the codes again", r->display);
    }
#undef ADD
}
