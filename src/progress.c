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

#include "dates.h"
#include "progress.h"
#include "unionfind.h"

typedef struct edge { size_t a, b; int32_t day; } edge;

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
static lc_status unit_series(lc_ctx *ctx, const lc_parcels *p, const lc_statuses *st, lc_unit_kind kind,
                             lc_progress *a, size_t *cap)
{
    unit_ref *all = lc_malloc(ctx, (p->n ? p->n : 1) * sizeof *all);
    if (!all) return LC_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < p->n; i++) {
        const char *code = kind == LC_UNIT_TOWNSHIP ? st->state[i].township : st->state[i].village;
        if (!code) continue;
        int transferred = st->state[i].status == LC_ST_TRANSFERRED;
        /* untransferred parcels sort last (INT32_MAX) and only feed the unit total */
        all[n++] = (unit_ref){code, transferred ? st->state[i].entry->signed_on : INT32_MAX, i};
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

/* The day series: signings in day order, edges activated on the later of
** their two days (a Kruskal order), components carrying exact areas. */
lc_status lc_progress_run(lc_ctx *ctx, const lc_parcels *p, const lc_statuses *st, const lc_adjacency *g,
                          double target_m2, lc_progress *a)
{
    memset(a, 0, sizeof *a);
    a->target_day = LC_NO_DATE;
    size_t nt = g->n_nodes;
    size_t unit_cap = 0;
    lc_status rc = unit_series(ctx, p, st, LC_UNIT_TOWNSHIP, a, &unit_cap);
    if (rc == LC_OK) rc = unit_series(ctx, p, st, LC_UNIT_VILLAGE, a, &unit_cap);
    if (rc != LC_OK || nt == 0) return rc;

    int32_t *day = lc_malloc(ctx, nt * sizeof *day);
    by_day *order = lc_malloc(ctx, nt * sizeof *order);
    lc_xsum *area = lc_calloc(ctx, nt, sizeof *area);
    edge *edges = lc_malloc(ctx, (g->n_edges ? g->n_edges : 1) * sizeof *edges);
    lc_uf uf = {0};
    if (!day || !order || !area || !edges || lc_uf_init(&uf, nt)) {
        rc = lc_error(ctx, LC_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t k = 0; k < nt; k++) {
        day[k] = st->state[g->nodes[k]].entry->signed_on;
        order[k] = (by_day){day[k], k};
    }
    for (size_t e = 0; e < g->n_edges; e++) {
        size_t i = g->edges[e][0], j = g->edges[e][1];
        edges[e] = (edge){i, j, day[i] > day[j] ? day[i] : day[j]};
    }
    lc_sort(edges, g->n_edges, sizeof *edges, cmp_edge);
    lc_sort(order, nt, sizeof *order, cmp_by_day);

    int32_t first = order[0].day, last = order[nt - 1].day;
    a->n_days = (size_t)(last - first) + 1;
    a->days = lc_calloc(ctx, a->n_days, sizeof *a->days);
    if (!a->days) {
        rc = LC_ENOMEM;
        goto out;
    }
    lc_xsum cum = {0};
    double largest = 0;
    size_t pi = 0, ei = 0;
    for (size_t d = 0; d < a->n_days; d++) {
        int32_t today = first + (int32_t)d;
        lc_xsum signed_today = {0};
        for (; pi < nt && order[pi].day == today; pi++) {
            size_t l = order[pi].local;
            double m2 = p->items[g->nodes[l]].planar_m2;
            lc_xsum_add(&area[l], m2);
            lc_xsum_add(&signed_today, m2);
            lc_xsum_add(&cum, m2);
            if (lc_xsum_value(&area[l]) > largest) largest = lc_xsum_value(&area[l]);
        }
        for (; ei < g->n_edges && edges[ei].day == today; ei++) {
            size_t ra = lc_uf_find(&uf, edges[ei].a), rb = lc_uf_find(&uf, edges[ei].b);
            if (ra == rb) continue;
            size_t root = lc_uf_union(&uf, ra, rb);
            size_t other = root == ra ? rb : ra;
            lc_xsum_merge(&area[root], &area[other]);
            if (lc_xsum_value(&area[root]) > largest) largest = lc_xsum_value(&area[root]);
        }
        a->days[d] = (lc_progress_day){today, lc_xsum_value(&signed_today), lc_xsum_value(&cum), largest};
        /* the one rule of "target reached": the largest block's parcel area */
        if (a->target_day == LC_NO_DATE && target_m2 > 0 && largest >= target_m2) a->target_day = today;
    }
out:
    lc_uf_release(&uf);
    free(edges);
    free(area);
    free(order);
    free(day);
    return rc;
}

void lc_progress_release(lc_progress *pr)
{
    free(pr->days);
    free(pr->unit_days);
    memset(pr, 0, sizeof *pr);
}
