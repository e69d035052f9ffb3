/*
** The campaign day by day: area signed each day and cumulated, overall and
** per township and village, and the largest block's parcel area each day.
** Signings only ever merge blocks, so the whole series comes from one pass
** of union-find over the adjacency graph of the parcels transferred as of
** D: each edge becomes active on the later of its two signing days (a
** Kruskal order), each component carries its area as an exact sum, so the
** series equals, bit for bit, the blocks of an analysis as of any day.
** Nothing is recomputed per day.
*/
#include <stdlib.h>
#include <string.h>

#include "adjacency.h"
#include "analysis.h"
#include "dates.h"
#include "unionfind.h"

typedef struct edge { size_t a, b; int32_t day; } edge;

typedef struct edge_list {
    lc_ctx *ctx;
    edge *items;
    size_t n, cap;
    const int32_t *day;          /* signing day per local index */
} edge_list;

static lc_status add_edge(size_t i, size_t j, void *userdata)
{
    edge_list *e = userdata;
    if (lc_grow(e->ctx, (void **)&e->items, &e->cap, e->n + 1, sizeof *e->items)) return LC_ENOMEM;
    int32_t d = e->day[i] > e->day[j] ? e->day[i] : e->day[j];
    e->items[e->n++] = (edge){i, j, d};
    return LC_OK;
}

static int cmp_edge(const void *pa, const void *pb)
{
    const edge *a = pa, *b = pb;
    if (a->day != b->day) return a->day < b->day ? -1 : 1;
    if (a->a != b->a) return a->a < b->a ? -1 : 1;
    return (a->b > b->b) - (a->b < b->b);
}

typedef struct by_day { int32_t day; size_t local; } by_day;

static int cmp_by_day(const void *pa, const void *pb)
{
    const by_day *a = pa, *b = pb;
    if (a->day != b->day) return a->day < b->day ? -1 : 1;
    return (a->local > b->local) - (a->local < b->local);
}

typedef struct unit_ref { const char *code; int32_t day; size_t parcel; } unit_ref;

static int cmp_unit_ref(const void *pa, const void *pb)
{
    const unit_ref *a = pa, *b = pb;
    int c = strcmp(a->code, b->code);
    if (c) return c;
    if (a->day != b->day) return a->day < b->day ? -1 : 1;
    return (a->parcel > b->parcel) - (a->parcel < b->parcel);
}

/* Per-unit rows for one kind of unit. */
static lc_status unit_series(lc_ctx *ctx, lc_analysis *a, lc_unit_kind kind, size_t *cap)
{
    const lc_parcels *p = a->parcels;
    unit_ref *all = lc_malloc(ctx, (p->n ? p->n : 1) * sizeof *all);
    if (!all) return LC_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < p->n; i++) {
        const char *code = kind == LC_UNIT_TOWNSHIP ? a->state[i].township : a->state[i].village;
        if (!code) continue;
        int transferred = a->state[i].status == LC_ST_TRANSFERRED;
        /* untransferred parcels sort last (INT32_MAX) and only feed the unit total */
        all[n++] = (unit_ref){code, transferred ? a->state[i].entry->signed_on : INT32_MAX, i};
    }
    lc_sort(all, n, sizeof *all, cmp_unit_ref);
    lc_status rc = LC_OK;
    for (size_t u = 0; u < n && rc == LC_OK;) {
        size_t v = u;
        lc_xsum total = {0};
        while (v < n && !strcmp(all[v].code, all[u].code)) lc_xsum_add(&total, p->items[all[v++].parcel].planar_m2);
        lc_xsum cum = {0};
        for (size_t k = u; k < v && all[k].day != INT32_MAX && rc == LC_OK;) {
            int32_t day = all[k].day;
            lc_xsum signed_today = {0};
            for (; k < v && all[k].day == day; k++) {
                lc_xsum_add(&signed_today, p->items[all[k].parcel].planar_m2);
                lc_xsum_add(&cum, p->items[all[k].parcel].planar_m2);
            }
            if (lc_grow(ctx, (void **)&a->unit_days, cap, a->n_unit_days + 1, sizeof *a->unit_days)) {
                rc = LC_ENOMEM;
                break;
            }
            a->unit_days[a->n_unit_days++] = (lc_progress_unit){day, kind, all[u].code,
                                                                lc_xsum_value(&signed_today),
                                                                lc_xsum_value(&cum), lc_xsum_value(&total)};
        }
        u = v;
    }
    free(all);
    return rc;
}

lc_status lc_progress_build(lc_ctx *ctx, lc_analysis *a)
{
    const lc_parcels *p = a->parcels;
    a->target_day = LC_NO_DATE;
    size_t nt = a->totals.count[LC_ST_TRANSFERRED];
    size_t unit_cap = 0;
    lc_status rc = unit_series(ctx, a, LC_UNIT_TOWNSHIP, &unit_cap);
    if (rc == LC_OK) rc = unit_series(ctx, a, LC_UNIT_VILLAGE, &unit_cap);
    if (rc != LC_OK || nt == 0) return rc;

    size_t *t = lc_malloc(ctx, nt * sizeof *t);
    int32_t *day = lc_malloc(ctx, nt * sizeof *day);
    GEOSGeometry **geoms = lc_malloc(ctx, nt * sizeof *geoms);
    by_day *order = lc_malloc(ctx, nt * sizeof *order);
    lc_xsum *area = lc_calloc(ctx, nt, sizeof *area);
    edge_list edges = {ctx, NULL, 0, 0, day};
    lc_uf uf = {0};
    if (!t || !day || !geoms || !order || !area || lc_uf_init(&uf, nt)) {
        rc = lc_error(ctx, LC_ENOMEM, "out of memory");
        goto out;
    }
    size_t k = 0;
    for (size_t i = 0; i < p->n; i++) {
        if (a->state[i].status != LC_ST_TRANSFERRED) continue;
        t[k] = i;
        day[k] = a->state[i].entry->signed_on;
        geoms[k] = p->items[i].geom;
        order[k] = (by_day){day[k], k};
        k++;
    }
    rc = lc_adjacent_pairs(ctx, geoms, nt, a->opts.gap_m, NULL, add_edge, &edges);
    if (rc != LC_OK) goto out;
    /* the blocks are the final components of the same graph: keep the pairs */
    a->adjacent = lc_malloc(ctx, (edges.n ? edges.n : 1) * sizeof *a->adjacent);
    if (!a->adjacent) {
        rc = LC_ENOMEM;
        goto out;
    }
    for (size_t e = 0; e < edges.n; e++) {
        a->adjacent[e][0] = edges.items[e].a;
        a->adjacent[e][1] = edges.items[e].b;
    }
    a->n_adjacent = edges.n;
    a->have_adjacent = 1;
    lc_sort(edges.items, edges.n, sizeof *edges.items, cmp_edge);
    lc_sort(order, nt, sizeof *order, cmp_by_day);

    int32_t first = order[0].day, last = order[nt - 1].day;
    a->n_days = (size_t)(last - first) + 1;
    a->days = lc_calloc(ctx, a->n_days, sizeof *a->days);
    if (!a->days) {
        rc = LC_ENOMEM;
        goto out;
    }
    double target_m2 = a->opts.target_mu * LC_M2_PER_MU;
    lc_xsum cum = {0};
    double largest = 0;
    size_t pi = 0, ei = 0;
    for (size_t d = 0; d < a->n_days; d++) {
        int32_t today = first + (int32_t)d;
        lc_xsum signed_today = {0};
        for (; pi < nt && order[pi].day == today; pi++) {
            size_t l = order[pi].local;
            double m2 = p->items[t[l]].planar_m2;
            lc_xsum_add(&area[l], m2);
            lc_xsum_add(&signed_today, m2);
            lc_xsum_add(&cum, m2);
            if (lc_xsum_value(&area[l]) > largest) largest = lc_xsum_value(&area[l]);
        }
        for (; ei < edges.n && edges.items[ei].day == today; ei++) {
            size_t ra = lc_uf_find(&uf, edges.items[ei].a), rb = lc_uf_find(&uf, edges.items[ei].b);
            if (ra == rb) continue;
            size_t root = lc_uf_union(&uf, ra, rb);
            size_t other = root == ra ? rb : ra;
            lc_xsum_merge(&area[root], &area[other]);
            if (lc_xsum_value(&area[root]) > largest) largest = lc_xsum_value(&area[root]);
        }
        a->days[d] = (lc_progress_day){today, lc_xsum_value(&signed_today), lc_xsum_value(&cum), largest};
        if (a->target_day == LC_NO_DATE && largest >= target_m2 && target_m2 > 0) a->target_day = today;
    }
out:
    lc_uf_release(&uf);
    free(edges.items);
    free(area);
    free(order);
    free(geoms);
    free(day);
    free(t);
    return rc;
}
