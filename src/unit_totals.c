/*
** Totals by township and village (see unit_totals.h). Parcels usually come
** in key order, so consecutive parcels mostly share their unit: they are
** taken as runs first and only the runs are sorted, which keeps this pass
** linear on real layers and O(n log n) on shuffled ones. Areas are summed
** exactly (lc_xsum), so a unit's figure does not depend on parcel order and
** the townships' rows add up to the total bit for bit.
*/
#include <string.h>

#include "unit_totals.h"

typedef struct run {
    const char *township, *village;
    size_t first, end;           /* parcels first..end-1 */
} run;

typedef struct sums {
    size_t parcels, count[LC_ST_N], enclaves;
    lc_xsum total, m2[LC_ST_N], registered;
} sums;

/* NULL (no code) sorts after every code. */
static int cmp_code(const char *a, const char *b)
{
    if (!a || !b) return (a == NULL) - (b == NULL);
    return strcmp(a, b);
}

static int same_code(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

static int cmp_runs(const void *pa, const void *pb)
{
    const run *a = pa, *b = pb;
    int c = cmp_code(a->township, b->township);
    if (!c) c = cmp_code(a->village, b->village);
    if (!c) c = (a->first > b->first) - (a->first < b->first);
    return c;
}

static void sums_add_run(sums *s, const run *r, const lc_parcel_state *state, const lc_parcel *parcels,
                         const int32_t *enclave_of)
{
    for (size_t i = r->first; i < r->end; i++) {
        if (enclave_of && enclave_of[i]) s->enclaves++;
        lc_parcel_status st = state[i].status < LC_ST_N ? state[i].status : LC_ST_UNREGISTERED;
        s->parcels++;
        s->count[st]++;
        lc_xsum_add(&s->total, parcels[i].planar_m2);
        lc_xsum_add(&s->m2[st], parcels[i].planar_m2);
        if (st != LC_ST_UNREGISTERED) lc_xsum_add(&s->registered, parcels[i].planar_m2);
    }
}

static void sums_merge(sums *into, const sums *s)
{
    into->parcels += s->parcels;
    into->enclaves += s->enclaves;
    lc_xsum_merge(&into->total, &s->total);
    lc_xsum_merge(&into->registered, &s->registered);
    for (int k = 0; k < LC_ST_N; k++) {
        into->count[k] += s->count[k];
        lc_xsum_merge(&into->m2[k], &s->m2[k]);
    }
}

static lc_unit_total total_of(const sums *s, lc_unit_kind kind, const char *township, const char *village)
{
    lc_unit_total t;
    memset(&t, 0, sizeof t);
    t.kind = kind;
    t.township = township;
    t.village = village;
    t.parcels = s->parcels;
    t.enclaves = s->enclaves;
    t.total_m2 = lc_xsum_value(&s->total);
    t.registered_m2 = lc_xsum_value(&s->registered);
    for (int k = 0; k < LC_ST_N; k++) {
        t.count[k] = s->count[k];
        t.m2[k] = lc_xsum_value(&s->m2[k]);
    }
    return t;
}

lc_status lc_unit_totals_compute(lc_ctx *ctx, const lc_parcel_state *state, const lc_parcel *parcels,
                                 const int32_t *enclave_of, size_t n, lc_unit_totals *out)
{
    memset(out, 0, sizeof *out);
    run *runs = NULL;
    size_t n_runs = 0, cap = 0;
    for (size_t i = 0; i < n; i++) {
        if (n_runs && same_code(runs[n_runs - 1].township, state[i].township) &&
            same_code(runs[n_runs - 1].village, state[i].village)) {
            runs[n_runs - 1].end = i + 1;
            continue;
        }
        if (lc_grow(ctx, (void **)&runs, &cap, n_runs + 1, sizeof *runs)) {
            free(runs);
            return LC_ENOMEM;
        }
        runs[n_runs++] = (run){state[i].township, state[i].village, i, i + 1};
    }
    lc_sort(runs, n_runs, sizeof *runs, cmp_runs);

    /* at most one row per run and one per township among them */
    lc_unit_total *rows = lc_calloc(ctx, 2 * n_runs + 1, sizeof *rows);
    if (!rows) {
        free(runs);
        return LC_ENOMEM;
    }
    size_t n_rows = 0;
    sums all;
    memset(&all, 0, sizeof all);
    for (size_t r = 0; r < n_runs;) {
        const char *township = runs[r].township;
        size_t township_row = n_rows++;   /* filled once its villages are summed */
        sums ts;
        memset(&ts, 0, sizeof ts);
        while (r < n_runs && same_code(runs[r].township, township)) {
            const char *village = runs[r].village;
            sums vs;
            memset(&vs, 0, sizeof vs);
            for (; r < n_runs && same_code(runs[r].township, township) &&
                   same_code(runs[r].village, village); r++)
                sums_add_run(&vs, &runs[r], state, parcels, enclave_of);
            rows[n_rows++] = total_of(&vs, LC_UNIT_VILLAGE, township, village);
            sums_merge(&ts, &vs);
        }
        rows[township_row] = total_of(&ts, LC_UNIT_TOWNSHIP, township, NULL);
        sums_merge(&all, &ts);
    }
    free(runs);
    out->rows = rows;
    out->n = n_rows;
    out->all = total_of(&all, 0, NULL, NULL);
    return LC_OK;
}

void lc_unit_totals_release(lc_unit_totals *t)
{
    if (!t) return;
    free(t->rows);
    memset(t, 0, sizeof *t);
}
