/*
** Bridge parcels and the route to the target (see plan.h; the algorithm,
** its guarantee and its cost are in docs/DECISIONS.md, "plan").
**
** One adjacency pass over all parcels gives the parcel graph. Union-find
** over the edges between transferred parcels gives the blocks, numbered as
** the blocks module numbers them. A bridge's figure then needs only the
** blocks its own neighbours belong to: the block it would form is itself
** plus those blocks, so every untransferred parcel is measured exactly in
** one pass over its edges, never by a union-find run per candidate.
**
** The route grows one block (the largest whose connected land can reach the
** target) greedily: a max-heap holds the moves that touch the grown block
** (a parcel, or two or three adjacent parcels each of which is needed for
** what they join), keyed by contiguous area gained per household. A move's
** gain is its own area plus the blocks it joins; it can only fall while the
** grown block absorbs those blocks, except for moves next to what was just
** absorbed, which are offered again. So a popped move whose key is still
** the same is the best one (a lazy heap), and each step costs work in
** proportion to what it absorbed.
*/
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "adjacency.h"
#include "plan.h"
#include "unionfind.h"

#define FOCUS (-1)   /* the grown block, as a component id */

/* ---- the parcel graph ------------------------------------------------- */

typedef struct edge_list {
    lc_ctx *ctx;
    size_t (*items)[2];
    size_t n, cap;
} edge_list;

static lc_status push_edge(edge_list *e, size_t i, size_t j)
{
    if (lc_grow(e->ctx, (void **)&e->items, &e->cap, e->n + 1, sizeof *e->items)) return LC_ENOMEM;
    e->items[e->n][0] = i;
    e->items[e->n][1] = j;
    e->n++;
    return LC_OK;
}

static int cmp_int32(const void *pa, const void *pb)
{
    int32_t a = *(const int32_t *)pa, b = *(const int32_t *)pb;
    return (a > b) - (a < b);
}

/* NULL keys sort last. */
static int cmp_key(const char *a, const char *b)
{
    if (!a || !b) return (a == NULL) - (b == NULL);
    return strcmp(a, b);
}

static double value_of(__int128 v) { return (double)v * 0x1p-60; }

/* ---- the planner ------------------------------------------------------- */

typedef struct block {
    lc_xsum area;
    const char *min_key;
    size_t min_parcel;           /* its first parcel: the last tie-break, as in blocks.c */
    size_t root;                 /* union-find root while numbering */
    size_t first, n;             /* members, in planner.members */
} block;

typedef struct move {
    size_t p[3];                 /* parcels, ascending */
    int n;
    int tier;                    /* 1 with a refused or disputed parcel: last resort */
    double score;                /* gain per household, or per m² of its own */
    __int128 gain;               /* growth of the grown block, 2^-60 m² */
} move;

typedef struct planner {
    lc_ctx *ctx;
    const lc_plan_input *in;
    lc_plan *plan;
    size_t n;
    size_t *start, *nbr;         /* neighbours of i: nbr[start[i] .. start[i+1]), ascending */
    edge_list edges;
    size_t nb;
    block *blocks;               /* by id - 1: descending area, then smallest key */
    size_t *members;
    int32_t *block_of;           /* block index of a transferred parcel, else -1 */
    size_t *household;           /* household number of each parcel */
    size_t n_households;
    size_t *bridge_of;           /* index in plan->bridges of an untransferred parcel */
    /* the route */
    uint8_t *taken;
    uint8_t *in_focus;           /* per block: absorbed by the grown block */
    uint32_t *near_focus;        /* per parcel: neighbours in the grown block */
    uint32_t *near_other;        /* per parcel: neighbours in other blocks */
    lc_xsum focus_area;
    size_t next_other;           /* the first block by id not absorbed */
    move *heap;
    size_t n_heap, cap_heap;
    size_t *mark, stamp;         /* de-duplication of affected parcels per step */
    size_t *affected;
    size_t n_affected, cap_affected;
    int32_t *scratch, *scratch2; /* component ids of a move's parcels */
    size_t cap_scratch, cap_scratch2;
    uint8_t *visited;            /* per household: met in an earlier step */
    size_t total_households;
    lc_xsum total_own;
    size_t joins_n, joins_cap;   /* plan->join_store */
    size_t store_n, store_cap;   /* plan->step_store */
    size_t steps_cap, first_cap, jfirst_cap;
    size_t *step_first;          /* per step: offset of its parcels in step_store */
    size_t *step_jfirst;         /* per step: offset of its joins in join_store */
    size_t *bridge_jfirst;       /* per bridge: offset of its joins in join_store */
} planner;

static int transferred(const planner *P, size_t i) { return P->in->status[i] == LC_ST_TRANSFERRED; }
static int hard(const planner *P, size_t i)
{
    return P->in->status[i] == LC_ST_REFUSED || P->in->status[i] == LC_ST_DISPUTED;
}
/* A parcel the route may still take. */
static int is_free(const planner *P, size_t i)
{
    return !transferred(P, i) && !P->taken[i] && !(P->in->exclude_hard && hard(P, i));
}

static int adjacent(const planner *P, size_t a, size_t b)
{
    const size_t *lo = P->nbr + P->start[a], *hi = P->nbr + P->start[a + 1];
    while (lo < hi) {
        const size_t *mid = lo + (hi - lo) / 2;
        if (*mid == b) return 1;
        if (*mid < b) lo = mid + 1;
        else hi = mid;
    }
    return 0;
}

static lc_status add_edge(size_t i, size_t j, void *userdata)
{
    planner *P = userdata;
    return push_edge(&P->edges, i, j);
}

/* With the transferred parcels' pairs known, the exact test is left to the
** pairs with an untransferred parcel: the known ones were decided by the
** same test on the same two geometries (the lower index prepared, as here,
** since the adjacency's nodes keep the parcel order), so the graph is the
** one the full pass finds. */
static int both_transferred(size_t i, size_t j, void *userdata)
{
    const planner *P = userdata;
    return transferred(P, i) && transferred(P, j);
}

static lc_status known_pairs(planner *P, const lc_adjacency *g)
{
    size_t nt = 0;
    for (size_t i = 0; i < P->n; i++) nt += transferred(P, i);
    int same = g->n_nodes == nt;
    for (size_t k = 0; k < g->n_nodes && same; k++)
        same = g->nodes[k] < P->n && transferred(P, g->nodes[k]) && (k == 0 || g->nodes[k - 1] < g->nodes[k]);
    if (!same) return lc_error(P->ctx, LC_EINTERNAL, "plan: the known pairs are not of the transferred parcels");
    lc_status rc = LC_OK;
    for (size_t e = 0; e < g->n_edges && rc == LC_OK; e++)
        rc = push_edge(&P->edges, g->nodes[g->edges[e][0]], g->nodes[g->edges[e][1]]);
    return rc;
}

static lc_status graph_build(planner *P)
{
    lc_ctx *ctx = P->ctx;
    const lc_adjacency *known = P->in->transferred_pairs;
    P->edges.ctx = ctx;
    lc_status rc = lc_adjacent_pairs(ctx, P->in->geoms, P->n, P->in->gap_m, known ? both_transferred : NULL,
                                     add_edge, P);
    if (rc == LC_OK && known) rc = known_pairs(P, known);
    if (rc != LC_OK) return rc;
    P->start = lc_calloc(ctx, P->n + 1, sizeof *P->start);
    P->nbr = lc_malloc(ctx, (P->edges.n ? 2 * P->edges.n : 1) * sizeof *P->nbr);
    if (!P->start || !P->nbr) return LC_ENOMEM;
    for (size_t e = 0; e < P->edges.n; e++) {
        P->start[P->edges.items[e][0] + 1]++;
        P->start[P->edges.items[e][1] + 1]++;
    }
    for (size_t i = 0; i < P->n; i++) P->start[i + 1] += P->start[i];
    size_t *fill = lc_malloc(ctx, (P->n ? P->n : 1) * sizeof *fill);
    if (!fill) return LC_ENOMEM;
    memcpy(fill, P->start, P->n * sizeof *fill);
    for (size_t e = 0; e < P->edges.n; e++) {
        size_t i = P->edges.items[e][0], j = P->edges.items[e][1];
        P->nbr[fill[i]++] = j;
        P->nbr[fill[j]++] = i;
    }
    free(fill);
    for (size_t i = 0; i < P->n; i++)
        lc_sort(P->nbr + P->start[i], P->start[i + 1] - P->start[i], sizeof(size_t), lc_cmp_size);
    return LC_OK;
}

/* Same order as the blocks module: descending area (as a double), then the
** smallest key, NULL last, then the first parcel. */
static int cmp_blocks(const void *pa, const void *pb)
{
    const block *a = pa, *b = pb;
    double x = lc_xsum_value(&a->area), y = lc_xsum_value(&b->area);
    if (x != y) return x > y ? -1 : 1;
    int c = cmp_key(a->min_key, b->min_key);
    if (c) return c;
    return (a->min_parcel > b->min_parcel) - (a->min_parcel < b->min_parcel);
}

static lc_status blocks_build(planner *P)
{
    lc_ctx *ctx = P->ctx;
    const lc_plan_input *in = P->in;
    lc_uf uf = {0};
    size_t *block_at_root = NULL;
    lc_status rc = LC_OK;
    P->block_of = lc_malloc(ctx, (P->n ? P->n : 1) * sizeof *P->block_of);
    P->members = lc_malloc(ctx, (P->n ? P->n : 1) * sizeof *P->members);
    block_at_root = lc_malloc(ctx, (P->n ? P->n : 1) * sizeof *block_at_root);
    if (!P->block_of || !P->members || !block_at_root || lc_uf_init(&uf, P->n)) {
        rc = lc_error(ctx, LC_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t e = 0; e < P->edges.n; e++) {
        size_t i = P->edges.items[e][0], j = P->edges.items[e][1];
        if (transferred(P, i) && transferred(P, j)) lc_uf_union(&uf, i, j);
    }
    size_t nb = 0;
    for (size_t i = 0; i < P->n; i++) block_at_root[i] = SIZE_MAX;
    for (size_t i = 0; i < P->n; i++)
        if (transferred(P, i) && block_at_root[lc_uf_find(&uf, i)] == SIZE_MAX) block_at_root[lc_uf_find(&uf, i)] = nb++;
    P->nb = nb;
    P->blocks = lc_calloc(ctx, nb, sizeof *P->blocks);
    if (!P->blocks) {
        rc = LC_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < P->n; i++) {
        if (!transferred(P, i)) continue;
        block *b = &P->blocks[block_at_root[lc_uf_find(&uf, i)]];
        b->root = lc_uf_find(&uf, i);
        if (b->n++ == 0) b->min_parcel = i;  /* parcels come in order */
        lc_xsum_add(&b->area, in->m2[i]);
        if (in->keys[i] && (!b->min_key || strcmp(in->keys[i], b->min_key) < 0)) b->min_key = in->keys[i];
    }
    lc_sort(P->blocks, nb, sizeof *P->blocks, cmp_blocks);
    size_t at = 0;
    for (size_t b = 0; b < nb; b++) {
        block_at_root[P->blocks[b].root] = b;
        P->blocks[b].first = at;
        at += P->blocks[b].n;
        P->blocks[b].n = 0;
    }
    for (size_t i = 0; i < P->n; i++) {
        P->block_of[i] = -1;
        if (!transferred(P, i)) continue;
        size_t b = block_at_root[lc_uf_find(&uf, i)];
        P->block_of[i] = (int32_t)b;
        P->members[P->blocks[b].first + P->blocks[b].n++] = i;
    }
out:
    lc_uf_release(&uf);
    free(block_at_root);
    return rc;
}

/* Households: parcels of one holder in one village (a name recurs across
** villages for different people); a parcel without holder is its own. */
typedef struct hh_ref { const char *village, *holder; size_t parcel; } hh_ref;

static int cmp_hh(const void *pa, const void *pb)
{
    const hh_ref *a = pa, *b = pb;
    int c = cmp_key(a->holder, b->holder);
    if (!c) c = cmp_key(a->village, b->village);
    if (c) return c;
    return (a->parcel > b->parcel) - (a->parcel < b->parcel);
}

static lc_status households_number(planner *P)
{
    const lc_plan_input *in = P->in;
    hh_ref *r = lc_malloc(P->ctx, (P->n ? P->n : 1) * sizeof *r);
    P->household = lc_malloc(P->ctx, (P->n ? P->n : 1) * sizeof *P->household);
    if (!r || !P->household) {
        free(r);
        return LC_ENOMEM;
    }
    for (size_t i = 0; i < P->n; i++)
        r[i] = (hh_ref){in->villages ? in->villages[i] : NULL, in->holders ? in->holders[i] : NULL, i};
    lc_sort(r, P->n, sizeof *r, cmp_hh);
    size_t h = 0;
    for (size_t k = 0; k < P->n; k++) {
        int same = k > 0 && r[k].holder && r[k - 1].holder && !strcmp(r[k].holder, r[k - 1].holder) &&
                   !cmp_key(r[k].village, r[k - 1].village);
        if (k > 0 && !same) h++;
        P->household[r[k].parcel] = h;
    }
    P->n_households = P->n ? h + 1 : 0;
    free(r);
    return LC_OK;
}

/* ---- bridges ----------------------------------------------------------- */

typedef struct ranked { __int128 gain; size_t parcel; } ranked;

/* Gain, then own area (both descending), then key, then parcel order. */
static int cmp_ranked(const lc_plan_input *in, const ranked *a, const ranked *b)
{
    if (a->gain != b->gain) return a->gain > b->gain ? -1 : 1;
    double x = in->m2[a->parcel], y = in->m2[b->parcel];
    if (x != y) return x > y ? -1 : 1;
    int c = cmp_key(in->keys[a->parcel], in->keys[b->parcel]);
    if (c) return c;
    return (a->parcel > b->parcel) - (a->parcel < b->parcel);
}

/* A merge sort, as the order needs the input (qsort has no user pointer). */
static void sort_ranked(const lc_plan_input *in, ranked *v, ranked *tmp, size_t n)
{
    if (n < 2) return;
    size_t h = n / 2, i = 0, j = h, k = 0;
    sort_ranked(in, v, tmp, h);
    sort_ranked(in, v + h, tmp, n - h);
    while (i < h && j < n) tmp[k++] = cmp_ranked(in, &v[j], &v[i]) < 0 ? v[j++] : v[i++];
    while (i < h) tmp[k++] = v[i++];
    while (j < n) tmp[k++] = v[j++];
    memcpy(v, tmp, n * sizeof *v);
}

static lc_status add_join(planner *P, int32_t id)
{
    if (lc_grow(P->ctx, (void **)&P->plan->join_store, &P->joins_cap, P->joins_n + 1, sizeof(int32_t)))
        return LC_ENOMEM;
    P->plan->join_store[P->joins_n++] = id;
    return LC_OK;
}

/* Every untransferred parcel on its own: the block it would form is itself
** plus the blocks of its neighbours, each counted once. */
static lc_status bridges_build(planner *P)
{
    lc_ctx *ctx = P->ctx;
    const lc_plan_input *in = P->in;
    lc_plan *plan = P->plan;
    size_t nu = 0;
    for (size_t i = 0; i < P->n; i++) nu += !transferred(P, i);
    __int128 largest = P->nb ? P->blocks[0].area.v : 0;
    ranked *order = lc_malloc(ctx, (nu ? nu : 1) * sizeof *order);
    ranked *tmp = lc_malloc(ctx, (nu ? nu : 1) * sizeof *tmp);
    size_t *seen = lc_malloc(ctx, (P->nb ? P->nb : 1) * sizeof *seen);
    size_t *jfirst = lc_malloc(ctx, (P->n + 1) * sizeof *jfirst);
    plan->bridges = lc_calloc(ctx, nu ? nu : 1, sizeof *plan->bridges);
    P->bridge_of = lc_malloc(ctx, (P->n ? P->n : 1) * sizeof *P->bridge_of);
    P->bridge_jfirst = lc_malloc(ctx, (nu ? nu : 1) * sizeof *P->bridge_jfirst);
    lc_status rc = LC_OK;
    if (!order || !tmp || !seen || !jfirst || !plan->bridges || !P->bridge_of || !P->bridge_jfirst) {
        rc = LC_ENOMEM;
        goto out;
    }
    for (size_t b = 0; b < P->nb; b++) seen[b] = SIZE_MAX;
    size_t k = 0;
    for (size_t i = 0; i < P->n && rc == LC_OK; i++) {
        jfirst[i] = P->joins_n;
        P->bridge_of[i] = SIZE_MAX;
        if (transferred(P, i)) continue;
        lc_xsum merged = {0};
        lc_xsum_add(&merged, in->m2[i]);
        for (size_t e = P->start[i]; e < P->start[i + 1] && rc == LC_OK; e++) {
            int32_t b = P->block_of[P->nbr[e]];
            if (b < 0 || seen[b] == i) continue;
            seen[b] = i;
            lc_xsum_merge(&merged, &P->blocks[b].area);
            rc = add_join(P, b + 1);
        }
        lc_sort(P->plan->join_store + jfirst[i], P->joins_n - jfirst[i], sizeof(int32_t), cmp_int32);
        order[k++] = (ranked){(merged.v > largest ? merged.v : largest) - largest, i};
    }
    if (rc != LC_OK) goto out;
    jfirst[P->n] = P->joins_n;
    sort_ranked(in, order, tmp, nu);
    for (k = 0; k < nu; k++) {
        size_t i = order[k].parcel;
        lc_plan_bridge *br = &plan->bridges[k];
        P->bridge_of[i] = k;
        br->parcel = i;
        br->key = in->keys[i];
        br->holder = in->holders ? in->holders[i] : NULL;
        br->village = in->villages ? in->villages[i] : NULL;
        br->village_name = in->village_names ? in->village_names[i] : NULL;
        br->status = lc_parcel_status_name(in->status[i]);
        br->m2 = in->m2[i];
        br->gain_m2 = value_of(order[k].gain);
        br->largest_after_m2 = value_of(largest + order[k].gain);
        P->bridge_jfirst[k] = jfirst[i];
        br->n_joins = jfirst[i + 1] - jfirst[i];
    }
    plan->n_bridges = nu;
out:
    free(order);
    free(tmp);
    free(seen);
    free(jfirst);
    return rc;
}

/* ---- the route: moves -------------------------------------------------- */

static int better(const planner *P, const move *a, const move *b)
{
    if (a->tier != b->tier) return a->tier < b->tier;
    if (a->score != b->score) return a->score > b->score;
    if (a->gain != b->gain) return a->gain > b->gain;
    if (a->n != b->n) return a->n < b->n;
    for (int k = 0; k < a->n; k++) {
        int c = cmp_key(P->in->keys[a->p[k]], P->in->keys[b->p[k]]);
        if (c) return c < 0;
    }
    for (int k = 0; k < a->n; k++)
        if (a->p[k] != b->p[k]) return a->p[k] < b->p[k];
    return 0;
}

static int same_key(const move *a, const move *b)
{
    return a->tier == b->tier && a->score == b->score && a->gain == b->gain;
}

static lc_status heap_push(planner *P, const move *m)
{
    if (lc_grow(P->ctx, (void **)&P->heap, &P->cap_heap, P->n_heap + 1, sizeof *P->heap)) return LC_ENOMEM;
    size_t k = P->n_heap++;
    while (k > 0) {
        size_t up = (k - 1) / 2;
        if (!better(P, m, &P->heap[up])) break;
        P->heap[k] = P->heap[up];
        k = up;
    }
    P->heap[k] = *m;
    return LC_OK;
}

static move heap_pop(planner *P)
{
    move top = P->heap[0], last = P->heap[--P->n_heap];
    size_t k = 0, n = P->n_heap;
    for (;;) {
        size_t c = 2 * k + 1;
        if (c >= n) break;
        if (c + 1 < n && better(P, &P->heap[c + 1], &P->heap[c])) c++;
        if (!better(P, &P->heap[c], &last)) break;
        P->heap[k] = P->heap[c];
        k = c;
    }
    if (n) P->heap[k] = last;
    return top;
}

/* The components parcel x lies within the gap of, appended to scratch at
** `at`, sorted and once each: FOCUS for the grown block (with the parcels
** the route took), else block indices. Returns the count, -1 on OOM. */
static long touched(planner *P, size_t x, size_t at)
{
    size_t k = at;
    for (size_t e = P->start[x]; e < P->start[x + 1]; e++) {
        size_t q = P->nbr[e];
        int32_t c;
        if (P->taken[q]) c = FOCUS;
        else if (P->block_of[q] >= 0) c = P->in_focus[P->block_of[q]] ? FOCUS : P->block_of[q];
        else continue;
        if (lc_grow(P->ctx, (void **)&P->scratch, &P->cap_scratch, k + 1, sizeof *P->scratch)) return -1;
        P->scratch[k++] = c;
    }
    lc_sort(P->scratch + at, k - at, sizeof *P->scratch, cmp_int32);
    size_t u = at;
    for (size_t j = at; j < k; j++)
        if (j == at || P->scratch[j] != P->scratch[u - 1]) P->scratch[u++] = P->scratch[j];
    return (long)(u - at);
}

/* The distinct components of the move's parcels in `mask`, sorted into
** scratch2; returns their count, -1 on OOM. */
static long union_of(planner *P, const size_t *off, const long *cnt, int n, unsigned mask)
{
    size_t k = 0;
    for (int j = 0; j < n; j++) {
        if (!(mask & (1u << j))) continue;
        if (lc_grow(P->ctx, (void **)&P->scratch2, &P->cap_scratch2, k + (size_t)cnt[j] + 1, sizeof *P->scratch2))
            return -1;
        memcpy(P->scratch2 + k, P->scratch + off[j], (size_t)cnt[j] * sizeof *P->scratch2);
        k += (size_t)cnt[j];
    }
    lc_sort(P->scratch2, k, sizeof *P->scratch2, cmp_int32);
    size_t u = 0;
    for (size_t j = 0; j < k; j++)
        if (j == 0 || P->scratch2[j] != P->scratch2[u - 1]) P->scratch2[u++] = P->scratch2[j];
    return (long)u;
}

/*
** Completes m (its parcels given, ascending) when the route may take it:
** every parcel free, the parcels connected within the gap, the grown block
** among what they touch, and for two or three parcels, no connected part
** of them touching all the whole touches (each parcel is needed for the
** join). Returns 1 when it may, 0 when not, -1 when out of memory.
*/
static int evaluate(planner *P, move *m)
{
    const lc_plan_input *in = P->in;
    int n = m->n;
    for (int a = 0; a < n; a++)
        if (!is_free(P, m->p[a])) return 0;
    int adj[3][3] = {{0}};
    for (int a = 0; a < n; a++)
        for (int b = a + 1; b < n; b++) adj[a][b] = adj[b][a] = adjacent(P, m->p[a], m->p[b]);
    if (n > 1 && adj[0][1] + adj[0][2] + adj[1][2] < n - 1) return 0;
    size_t off[3] = {0}, at = 0;
    long cnt[3] = {0};
    for (int a = 0; a < n; a++) {
        off[a] = at;
        if ((cnt[a] = touched(P, m->p[a], at)) < 0) return -1;
        at += (size_t)cnt[a];
    }
    unsigned all = (1u << n) - 1;
    long total = 0;
    if (n > 1) {
        if ((total = union_of(P, off, cnt, n, all)) < 0) return -1;
        for (unsigned mask = 1; mask < all; mask++) {
            if (__builtin_popcount(mask) == 2 && n == 3) {
                int a = !(mask & 1) ? 1 : 0, b = (mask & 4) ? 2 : 1;
                if (!adj[a][b]) continue;   /* not a connected part */
            }
            long part = union_of(P, off, cnt, n, mask);
            if (part < 0) return -1;
            if (part == total) return 0;
        }
    }
    if ((total = union_of(P, off, cnt, n, all)) < 0) return -1;
    if (total == 0 || P->scratch2[0] != FOCUS) return 0;   /* FOCUS (-1) sorts first */
    lc_xsum own = {0};
    for (int a = 0; a < n; a++) lc_xsum_add(&own, in->m2[m->p[a]]);
    lc_xsum gain = own;
    for (long j = 1; j < total; j++) lc_xsum_merge(&gain, &P->blocks[P->scratch2[j]].area);
    if (gain.v <= 0) return 0;
    m->gain = gain.v;
    m->tier = 0;
    for (int a = 0; a < n; a++) m->tier |= hard(P, m->p[a]);
    double cost;
    if (in->cost == LC_PLAN_COST_MU) {
        cost = lc_xsum_value(&own);
    } else {
        size_t h0 = P->household[m->p[0]];
        size_t h1 = n > 1 ? P->household[m->p[1]] : h0, h2 = n > 2 ? P->household[m->p[2]] : h0;
        cost = 1 + (h1 != h0) + (h2 != h0 && h2 != h1);
    }
    m->score = cost > 0 ? value_of(m->gain) / cost : INFINITY;
    return 1;
}

static lc_status offer(planner *P, size_t a, size_t b, size_t c, int n)
{
    move m = {{a, b, c}, n, 0, 0, 0};
    for (int i = 1; i < n; i++)   /* ascending: one spelling per set */
        for (int j = i; j > 0 && m.p[j] < m.p[j - 1]; j--) {
            size_t t = m.p[j];
            m.p[j] = m.p[j - 1];
            m.p[j - 1] = t;
        }
    int ok = evaluate(P, &m);
    if (ok < 0) return LC_ENOMEM;
    return ok ? heap_push(P, &m) : LC_OK;
}

static int touches(const planner *P, size_t i) { return P->near_focus[i] + P->near_other[i] > 0; }

/* Every move containing x, which may have become possible or better. The
** counts of neighbours in the grown block and in other blocks rule out most
** pairs and triples before an exact evaluation: both ends must touch some
** block, and the move must touch the grown block and another one. */
static lc_status offer_around(planner *P, size_t x)
{
    if (!is_free(P, x)) return LC_OK;
    lc_status rc = LC_OK;
    if (P->near_focus[x]) rc = offer(P, x, 0, 0, 1);
    for (size_t e = P->start[x]; e < P->start[x + 1] && rc == LC_OK; e++) {
        size_t y = P->nbr[e];
        if (!is_free(P, y)) continue;
        uint32_t fxy = P->near_focus[x] + P->near_focus[y], oxy = P->near_other[x] + P->near_other[y];
        if (touches(P, x) && touches(P, y) && fxy && oxy) rc = offer(P, x, y, 0, 2);
        /* x at an end: x - y - z */
        for (size_t f = P->start[y]; f < P->start[y + 1] && rc == LC_OK && touches(P, x); f++) {
            size_t z = P->nbr[f];
            if (z == x || !is_free(P, z) || !touches(P, z)) continue;
            if ((fxy || P->near_focus[z]) && (oxy || P->near_other[z])) rc = offer(P, x, y, z, 3);
        }
        /* x in the middle: y - x - z */
        for (size_t f = e + 1; f < P->start[x + 1] && rc == LC_OK && touches(P, y); f++) {
            size_t z = P->nbr[f];
            if (!is_free(P, z) || !touches(P, z)) continue;
            if ((fxy || P->near_focus[z]) && (oxy || P->near_other[z])) rc = offer(P, y, x, z, 3);
        }
    }
    return rc;
}

/* ---- the route: steps -------------------------------------------------- */

static lc_status affect(planner *P, size_t x)
{
    if (P->mark[x] == P->stamp || !is_free(P, x)) return LC_OK;
    P->mark[x] = P->stamp;
    if (lc_grow(P->ctx, (void **)&P->affected, &P->cap_affected, P->n_affected + 1, sizeof *P->affected))
        return LC_ENOMEM;
    P->affected[P->n_affected++] = x;
    return LC_OK;
}

static lc_status offer_affected(planner *P)
{
    lc_status rc = LC_OK;
    for (size_t k = 0; k < P->n_affected && rc == LC_OK; k++) rc = offer_around(P, P->affected[k]);
    P->n_affected = 0;
    P->stamp++;
    return rc;
}

/* Block b joins the grown block: its neighbours now touch the grown block. */
static lc_status absorb_block(planner *P, size_t b)
{
    const block *blk = &P->blocks[b];
    P->in_focus[b] = 1;
    lc_xsum_merge(&P->focus_area, &blk->area);
    lc_status rc = LC_OK;
    for (size_t m = 0; m < blk->n && rc == LC_OK; m++) {
        size_t i = P->members[blk->first + m];
        for (size_t e = P->start[i]; e < P->start[i + 1] && rc == LC_OK; e++) {
            size_t x = P->nbr[e];
            if (transferred(P, x)) continue;
            P->near_other[x]--;
            P->near_focus[x]++;
            rc = affect(P, x);
        }
    }
    return rc;
}

static lc_status take_parcel(planner *P, size_t i)
{
    P->taken[i] = 1;
    lc_xsum_add(&P->focus_area, P->in->m2[i]);
    lc_status rc = LC_OK;
    for (size_t e = P->start[i]; e < P->start[i + 1] && rc == LC_OK; e++) {
        size_t x = P->nbr[e];
        if (transferred(P, x)) continue;
        P->near_focus[x]++;
        rc = affect(P, x);
    }
    return rc;
}

/* The largest block's area now: the grown block, or the largest not absorbed. */
static double largest_now(planner *P)
{
    while (P->next_other < P->nb && P->in_focus[P->next_other]) P->next_other++;
    if (P->next_other < P->nb && P->blocks[P->next_other].area.v > P->focus_area.v)
        return lc_xsum_value(&P->blocks[P->next_other].area);
    return lc_xsum_value(&P->focus_area);
}

/* Takes move m: its parcels and every block they touch join the grown block. */
static lc_status step_take(planner *P, const move *m)
{
    lc_ctx *ctx = P->ctx;
    lc_plan *plan = P->plan;
    size_t s_at = plan->n_steps;
    if (lc_grow(ctx, (void **)&plan->steps, &P->steps_cap, s_at + 1, sizeof *plan->steps) ||
        lc_grow(ctx, (void **)&P->step_first, &P->first_cap, s_at + 1, sizeof *P->step_first) ||
        lc_grow(ctx, (void **)&P->step_jfirst, &P->jfirst_cap, s_at + 1, sizeof *P->step_jfirst))
        return LC_ENOMEM;
    lc_plan_step *s = &plan->steps[s_at];
    memset(s, 0, sizeof *s);
    P->step_first[s_at] = P->store_n;
    P->step_jfirst[s_at] = P->joins_n;
    /* the blocks it joins, found before its parcels are taken */
    size_t at = 0;
    for (int a = 0; a < m->n; a++) {
        long c = touched(P, m->p[a], at);
        if (c < 0) return LC_ENOMEM;
        at += (size_t)c;
    }
    lc_sort(P->scratch, at, sizeof *P->scratch, cmp_int32);
    lc_status rc = LC_OK;
    for (size_t j = 0; j < at && rc == LC_OK; j++) {
        int32_t c = P->scratch[j];
        if (c == FOCUS || (j > 0 && c == P->scratch[j - 1])) continue;
        if ((rc = add_join(P, c + 1)) == LC_OK) rc = absorb_block(P, (size_t)c);
        s->n_joins++;
    }
    lc_xsum own = {0};
    for (int a = 0; a < m->n && rc == LC_OK; a++) {
        size_t i = m->p[a], h = P->household[i];
        lc_xsum_add(&own, P->in->m2[i]);
        if (lc_grow(ctx, (void **)&plan->step_store, &P->store_cap, P->store_n + 1, sizeof *plan->step_store))
            return LC_ENOMEM;
        /* by key: insertion into the step's few parcels */
        size_t *v = plan->step_store + P->step_first[s_at], k = P->store_n++ - P->step_first[s_at];
        for (; k > 0 && cmp_key(plan->bridges[v[k - 1]].key, P->in->keys[i]) > 0; k--) v[k] = v[k - 1];
        v[k] = P->bridge_of[i];
        int new_here = 1;
        for (int b = 0; b < a; b++) new_here &= P->household[m->p[b]] != h;
        s->households += (size_t)new_here;
        if (!P->visited[h]) {
            P->visited[h] = 1;
            P->total_households++;
        }
        s->last_resort |= hard(P, i);
        rc = take_parcel(P, i);
    }
    if (rc != LC_OK) return rc;
    lc_xsum_merge(&P->total_own, &own);
    s->n_parcels = (size_t)m->n;
    s->m2 = lc_xsum_value(&own);
    s->grown_m2 = lc_xsum_value(&P->focus_area);
    s->largest_after_m2 = largest_now(P);
    s->total_m2 = lc_xsum_value(&P->total_own);
    s->total_households = P->total_households;
    plan->n_steps++;
    return offer_affected(P);
}

/* ---- the route: where it goes ------------------------------------------ */

/* The connected land of each block: components of the graph of transferred
** parcels and parcels the route may take (refused and disputed ones too
** when with_hard), with their total parcel area. Fills total[root] and
** returns the union-find in *uf. */
static lc_status land_components(planner *P, int with_hard, lc_uf *uf, lc_xsum **total)
{
    if (lc_uf_init(uf, P->n)) return lc_error(P->ctx, LC_ENOMEM, "out of memory");
    *total = lc_calloc(P->ctx, P->n ? P->n : 1, sizeof **total);
    if (!*total) return LC_ENOMEM;
    uint8_t *in_land = lc_malloc(P->ctx, P->n ? P->n : 1);
    if (!in_land) return LC_ENOMEM;
    for (size_t i = 0; i < P->n; i++)
        in_land[i] = transferred(P, i) || !hard(P, i) || with_hard;
    for (size_t e = 0; e < P->edges.n; e++) {
        size_t i = P->edges.items[e][0], j = P->edges.items[e][1];
        if (in_land[i] && in_land[j]) lc_uf_union(uf, i, j);
    }
    for (size_t i = 0; i < P->n; i++)
        if (in_land[i]) lc_xsum_add(&(*total)[lc_uf_find(uf, i)], P->in->m2[i]);
    free(in_land);
    return LC_OK;
}

/* The land of block b: its component's total in (uf, total). */
static lc_xsum land_of(planner *P, lc_uf *uf, const lc_xsum *total, size_t b)
{
    return total[lc_uf_find(uf, P->members[P->blocks[b].first])];
}

/* The block to grow: the largest whose connected land reaches the target
** without refused or disputed parcels; else (unless they are excluded) the
** largest whose land reaches it with them; else the one with the most land
** the route may take (the largest reachable). Also the most land of any
** block with refused and disputed parcels: what no route can exceed. */
static lc_status choose_block(planner *P, size_t *focus)
{
    lc_plan *plan = P->plan;
    lc_uf soft = {0}, full = {0};
    lc_xsum *soft_total = NULL, *full_total = NULL;
    int exclude = P->in->exclude_hard;
    lc_status rc = land_components(P, 0, &soft, &soft_total);
    if (rc == LC_OK) rc = land_components(P, 1, &full, &full_total);
    if (rc != LC_OK) goto out;
    size_t best = SIZE_MAX;
    for (int with_hard = 0; with_hard <= !exclude && best == SIZE_MAX; with_hard++)
        for (size_t b = 0; b < P->nb && best == SIZE_MAX; b++) {
            lc_xsum land = with_hard ? land_of(P, &full, full_total, b) : land_of(P, &soft, soft_total, b);
            if (lc_mu_from_m2(lc_xsum_value(&land)) >= P->in->target_mu) best = b;
        }
    if (best == SIZE_MAX) {
        __int128 most = -1;
        for (size_t b = 0; b < P->nb; b++) {
            lc_xsum land = exclude ? land_of(P, &soft, soft_total, b) : land_of(P, &full, full_total, b);
            if (land.v > most) {
                most = land.v;
                best = b;
            }
        }
    }
    *focus = best;
    lc_xsum land = exclude ? land_of(P, &soft, soft_total, best) : land_of(P, &full, full_total, best);
    plan->reachable_m2 = lc_xsum_value(&land);
    __int128 most = 0;   /* the most land of any block, refused parcels and all */
    for (size_t b = 0; b < P->nb; b++)
        if ((land = land_of(P, &full, full_total, b)).v > most) most = land.v;
    plan->reachable_with_hard_m2 = value_of(most);
out:
    lc_uf_release(&soft);
    lc_uf_release(&full);
    free(soft_total);
    free(full_total);
    return rc;
}

static lc_status route_build(planner *P)
{
    lc_ctx *ctx = P->ctx;
    lc_plan *plan = P->plan;
    if (P->nb == 0) {
        plan->end = LC_PLAN_NO_BLOCK;
        return LC_OK;
    }
    plan->reached_m2 = plan->largest_m2;
    if (lc_mu_from_m2(plan->largest_m2) >= P->in->target_mu) {
        plan->end = LC_PLAN_ALREADY_MET;
        plan->target_reachable = 1;
        plan->grown_block = 1;
        plan->grown_block_m2 = plan->largest_m2;
        plan->reachable_m2 = plan->reachable_with_hard_m2 = plan->largest_m2;
        return LC_OK;
    }
    size_t focus;
    lc_status rc = choose_block(P, &focus);
    if (rc != LC_OK) return rc;
    plan->grown_block = (int32_t)focus + 1;
    plan->grown_block_m2 = lc_xsum_value(&P->blocks[focus].area);
    P->taken = lc_calloc(ctx, P->n ? P->n : 1, 1);
    P->in_focus = lc_calloc(ctx, P->nb, 1);
    P->near_focus = lc_calloc(ctx, P->n ? P->n : 1, sizeof *P->near_focus);
    P->near_other = lc_calloc(ctx, P->n ? P->n : 1, sizeof *P->near_other);
    P->mark = lc_malloc(ctx, (P->n ? P->n : 1) * sizeof *P->mark);
    P->visited = lc_calloc(ctx, P->n_households ? P->n_households : 1, 1);
    if (!P->taken || !P->in_focus || !P->near_focus || !P->near_other || !P->mark || !P->visited)
        return LC_ENOMEM;
    for (size_t i = 0; i < P->n; i++) P->mark[i] = SIZE_MAX;
    P->stamp = 0;
    for (size_t i = 0; i < P->n; i++) {
        if (transferred(P, i)) continue;
        for (size_t e = P->start[i]; e < P->start[i + 1]; e++)
            P->near_other[i] += P->block_of[P->nbr[e]] >= 0;
    }
    rc = absorb_block(P, focus);
    if (rc == LC_OK) rc = offer_affected(P);
    int reached = 0;
    while (rc == LC_OK && !reached && P->n_heap) {
        move top = heap_pop(P), m = top;
        int ok = evaluate(P, &m);
        if (ok < 0) rc = LC_ENOMEM;
        else if (!ok) continue;
        else if (!same_key(&m, &top)) rc = heap_push(P, &m);   /* its key moved: back in line */
        else {
            rc = step_take(P, &m);
            reached = lc_mu_from_m2(lc_xsum_value(&P->focus_area)) >= P->in->target_mu;
            if ((plan->n_steps & 255) == 0 && lc_cancelled(ctx)) rc = lc_error(ctx, LC_EINTERRUPTED, "interrupted");
        }
    }
    if (rc != LC_OK) return rc;
    plan->end = reached ? LC_PLAN_REACHED : LC_PLAN_EXHAUSTED;
    plan->target_reachable = reached;
    plan->reached_m2 = plan->n_steps ? plan->steps[plan->n_steps - 1].largest_after_m2 : plan->largest_m2;
    if (P->in->exclude_hard)
        for (size_t i = 0; i < P->n; i++)
            plan->hard_connectors += !transferred(P, i) && hard(P, i) && P->near_focus[i] > 0;
    return LC_OK;
}

/* ---- the whole ----------------------------------------------------------- */

void lc_plan_free(lc_plan *plan)
{
    if (!plan) return;
    free(plan->bridges);
    free(plan->steps);
    free(plan->join_store);
    free(plan->step_store);
    free(plan);
}

static void planner_release(planner *P)
{
    free(P->edges.items);
    free(P->start);
    free(P->nbr);
    free(P->blocks);
    free(P->members);
    free(P->block_of);
    free(P->household);
    free(P->bridge_of);
    free(P->taken);
    free(P->in_focus);
    free(P->near_focus);
    free(P->near_other);
    free(P->heap);
    free(P->mark);
    free(P->affected);
    free(P->scratch);
    free(P->scratch2);
    free(P->visited);
    free(P->step_first);
    free(P->step_jfirst);
    free(P->bridge_jfirst);
}

lc_status lc_plan_compute(lc_ctx *ctx, const lc_plan_input *in, lc_plan **out)
{
    *out = NULL;
    if (!(in->gap_m >= 0) || !isfinite(in->gap_m))
        return lc_error(ctx, LC_EINPUT, "--gap %g: must be a distance of 0 m or more", in->gap_m);
    if (!(in->target_mu >= 0)) return lc_error(ctx, LC_EINPUT, "--target-mu must not be negative");
    lc_plan *plan = lc_calloc(ctx, 1, sizeof *plan);
    if (!plan) return LC_ENOMEM;
    plan->target_mu = in->target_mu;
    plan->cost = in->cost;
    plan->exclude_hard = in->exclude_hard;
    planner P;
    memset(&P, 0, sizeof P);
    P.ctx = ctx;
    P.in = in;
    P.plan = plan;
    P.n = in->n;
    double t = lc_clock();
    lc_status rc = graph_build(&P);
    if (rc == LC_OK) {
        lc_log_phase(ctx, in->transferred_pairs ? "plan: adjacency (untransferred parcels)"
                                                : "plan: adjacency (all parcels)", t);
        t = lc_clock();
        rc = blocks_build(&P);
    }
    if (rc == LC_OK) rc = households_number(&P);
    if (rc == LC_OK) {
        plan->n_blocks = P.nb;
        plan->largest_m2 = P.nb ? lc_xsum_value(&P.blocks[0].area) : 0;
        rc = bridges_build(&P);
    }
    if (rc == LC_OK) {
        lc_log_phase(ctx, "plan: blocks, bridges", t);
        t = lc_clock();
        rc = route_build(&P);
    }
    if (rc == LC_OK) {
        lc_log_phase(ctx, "plan: route", t);
        /* the stores stopped growing: offsets become pointers */
        for (size_t k = 0; k < plan->n_bridges; k++)
            plan->bridges[k].joins = plan->bridges[k].n_joins ? plan->join_store + P.bridge_jfirst[k] : NULL;
        for (size_t s = 0; s < plan->n_steps; s++) {
            plan->steps[s].bridges = plan->step_store + P.step_first[s];
            plan->steps[s].joins = plan->steps[s].n_joins ? plan->join_store + P.step_jfirst[s] : NULL;
        }
    }
    planner_release(&P);
    if (rc != LC_OK) {
        lc_plan_free(plan);
        return rc;
    }
    *out = plan;
    return LC_OK;
}
