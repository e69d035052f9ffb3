/*
** The plan (bridges and route) on small drawn layouts: rectangles in a row
** or two, whose areas (w × h, exact) and adjacencies are read off the
** drawings; each case lists every bridge (key, largest after, gain, the
** blocks it joins) in rank order and every route step (keys, '!' for a
** refused or disputed parcel taken as last resort, households, the largest
** block after), all worked out by hand in the comments.
**
** Statuses: T transferred, p pending, r refused, d disputed, u unregistered.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc_test.h"
#include "plan.h"

typedef struct parcel_def {
    const char *key;
    double x, y, w, h;           /* axis-aligned rectangle, metres */
    char st;
    const char *holder, *village;
} parcel_def;

typedef struct plan_case {
    const char *name;
    double gap, target_mu;
    lc_plan_cost cost;
    int exclude_hard;
    parcel_def parcels[10];
    double largest_m2;
    const char *bridges;         /* "key after gain [ids]; ..." in rank order */
    const char *route;           /* "keys hN after; ..." */
    lc_plan_end end;
    int grown_block;
    double reachable_m2, reachable_with_hard_m2;
    size_t hard_connectors;
} plan_case;

#define MU(m2) ((m2) * 15.0 / 10000.0)   /* target of exactly m2 square metres */

static const plan_case cases[] = {
    /*
    ** One refused and one pending parcel between three blocks, gap 2 m,
    ** parcels 1 m apart (only neighbours are adjacent):
    **
    **             +--+
    **             |d |
    **    +--+     |  |              +--+
    **    |b |     |  |        +--+  |g |
    **    |  |     |  |  +--+  |f |  |  |
    **  +-+  |+--+ |  |  |e |  |  |  |  |
    **  |a|  ||c | |  |  |  |  |  |  |  |
    **  T  T   p    T     r     T     T
    **  100 200 50  300   80   120   160  m²
    **
    ** Blocks {a,b} 300 and {d} 300 tie: the smaller key first, so block 1
    ** is {a,b}, block 2 {d}, block 3 {f,g} 280. Bridges: e joins 2 and 3
    ** (80+300+280 = 660, gain 360), c joins 1 and 2 (50+300+300 = 650,
    ** gain 350). Route to 1000 m²: block 1's land (all 1010 m²) reaches it;
    ** c first (pending: e is last resort), then e (nothing else left).
    */
    {"refused parcel last resort", 2, MU(1000), LC_PLAN_COST_HOUSEHOLDS, 0,
     {{"a", 0, 0, 10, 10, 'T', "A", "v"}, {"b", 11, 0, 10, 20, 'T', "B", "v"},
      {"c", 22, 0, 10, 5, 'p', "C", "v"}, {"d", 33, 0, 10, 30, 'T', "D", "v"},
      {"e", 44, 0, 10, 8, 'r', "E", "v"}, {"f", 55, 0, 10, 12, 'T', "F", "v"},
      {"g", 66, 0, 10, 16, 'T', "G", "v"}},
     300, "e 660 360 [2,3]; c 650 350 [1,2]", "c h1 650; e! h1 1010", LC_PLAN_REACHED, 1, 1010, 1010, 0},
    /* The same with --exclude-refused: the route stops after c at 650 m²;
    ** with e the land would total 1010 m², and e touches the grown block. */
    {"refused parcel excluded", 2, MU(1000), LC_PLAN_COST_HOUSEHOLDS, 1,
     {{"a", 0, 0, 10, 10, 'T', "A", "v"}, {"b", 11, 0, 10, 20, 'T', "B", "v"},
      {"c", 22, 0, 10, 5, 'p', "C", "v"}, {"d", 33, 0, 10, 30, 'T', "D", "v"},
      {"e", 44, 0, 10, 8, 'r', "E", "v"}, {"f", 55, 0, 10, 12, 'T', "F", "v"},
      {"g", 66, 0, 10, 16, 'T', "G", "v"}},
     300, "e 660 360 [2,3]; c 650 350 [1,2]", "c h1 650", LC_PLAN_EXHAUSTED, 1, 650, 1010, 1},
    /*
    ** Two pending parcels in series between two blocks; no single one joins
    ** them, the pair does (households X and Y):
    **
    **  +--+
    **  |a |           +--+
    **  |  |+--++--+   |d |
    **  |  ||b ||c |   |  |
    **  T    p   p     T
    **  400 100 100   300
    **
    ** Bridges: b 500 (gain 100, [1]); c would make 400, not more than the
    ** largest: gain 0, [2]. Route to 900: single b gains 100 per household,
    ** the pair b+c gains 100+100+300 = 500 for 2 households (250 each).
    */
    {"pair joins two blocks", 2, MU(900), LC_PLAN_COST_HOUSEHOLDS, 0,
     {{"a", 0, 0, 10, 40, 'T', "A", "v"}, {"b", 11, 0, 10, 10, 'p', "X", "v"},
      {"c", 22, 0, 10, 10, 'p', "Y", "v"}, {"d", 33, 0, 10, 30, 'T', "D", "v"}},
     400, "b 500 100 [1]; c 400 0 [2]", "b+c h2 900", LC_PLAN_REACHED, 1, 900, 900, 0},
    /* The same holder in another village is another household: still 2; in
    ** the same village one household. Both pick the pair. */
    {"one holder, two villages", 2, MU(900), LC_PLAN_COST_HOUSEHOLDS, 0,
     {{"a", 0, 0, 10, 40, 'T', "A", "v"}, {"b", 11, 0, 10, 10, 'p', "X", "v1"},
      {"c", 22, 0, 10, 10, 'p', "X", "v2"}, {"d", 33, 0, 10, 30, 'T', "D", "v"}},
     400, "b 500 100 [1]; c 400 0 [2]", "b+c h2 900", LC_PLAN_REACHED, 1, 900, 900, 0},
    {"one household, two parcels", 2, MU(900), LC_PLAN_COST_HOUSEHOLDS, 0,
     {{"a", 0, 0, 10, 40, 'T', "A", "v"}, {"b", 11, 0, 10, 10, 'p', "X", "v"},
      {"c", 22, 0, 10, 10, 'p', "X", "v"}, {"d", 33, 0, 10, 30, 'T', "D", "v"}},
     400, "b 500 100 [1]; c 400 0 [2]", "b+c h1 900", LC_PLAN_REACHED, 1, 900, 900, 0},
    /* Cost in area: b alone gains 100 per 100 m², the pair 500 per 200 m². */
    {"pair, cost in mu", 2, MU(900), LC_PLAN_COST_MU, 0,
     {{"a", 0, 0, 10, 40, 'T', "A", "v"}, {"b", 11, 0, 10, 10, 'p', "X", "v"},
      {"c", 22, 0, 10, 10, 'p', "Y", "v"}, {"d", 33, 0, 10, 30, 'T', "D", "v"}},
     400, "b 500 100 [1]; c 400 0 [2]", "b+c h2 900", LC_PLAN_REACHED, 1, 900, 900, 0},
    /*
    ** Three in series (b, c, d) between blocks {a} and {e}; c touches no
    ** block, so no pair joins anything either:
    **
    **  +--+
    **  |a |                +--+
    **  |  |+--+      +--+  |e |
    **  |  ||b |+--+  |d |  |  |
    **  |  ||  ||c |  |  |  |  |
    **  T    p   u    p     T
    **  500 100  90  110   200
    **
    ** Bridges: b 600 (gain 100, [1]); d (110) and c (90) gain nothing,
    ** larger first; d would make 310 with block 2. Route to 1000: b alone
    ** 100 per household; b+c+d 100+90+110+200 = 500 for 3 (166.7 each).
    */
    {"triple joins two blocks", 2, MU(1000), LC_PLAN_COST_HOUSEHOLDS, 0,
     {{"a", 0, 0, 10, 50, 'T', "A", "v"}, {"b", 11, 0, 10, 10, 'p', "B", "v"},
      {"c", 22, 0, 10, 9, 'u', NULL, "v"}, {"d", 33, 0, 10, 11, 'p', "D", "v"},
      {"e", 44, 0, 10, 20, 'T', "E", "v"}},
     500, "b 600 100 [1]; d 500 0 [2]; c 500 0 []", "b+c+d h3 1000", LC_PLAN_REACHED, 1, 1000, 1000, 0},
    /*
    ** The largest block's own land cannot reach the target, block 2's can:
    ** the route grows block 2, and the largest stays block 1 until block 2
    ** passes it (a is 40 m from everything):
    **
    **  +----+                                  +--+
    **  | a  |                          +--+    |d |
    **  |    |                          |b |+--+|  |
    **  |    |          (40 m)          |  ||c ||  |
    **  T 600                           T300 p200 p300
    **
    ** Route to 800: c (200, block 2 to 500; largest still 600), then d (800).
    */
    {"grow the block that can reach", 2, MU(800), LC_PLAN_COST_HOUSEHOLDS, 0,
     {{"a", 0, 0, 20, 30, 'T', "A", "v"}, {"b", 60, 0, 10, 30, 'T', "B", "v"},
      {"c", 71, 0, 10, 20, 'p', "C", "v"}, {"d", 82, 0, 10, 30, 'p', "D", "v"}},
     600, "d 600 0 []; c 600 0 [2]", "c h1 600; d h1 800", LC_PLAN_REACHED, 2, 800, 800, 0},
    /*
    ** Without the refused parcel r no land reaches 900 m², with it block 1's
    ** does; the pending parcel p is 48 m away, next to block 3:
    **
    **                  +--+
    **  +--+            |b |                        +--+
    **  |a |            |  |                 +--+   |p |
    **  |  |  +--+      |  |                 |c |   |  |
    **  |  |  |r |      |  |     (48 m)      |  |   |  |
    **  T400  r100      T500                 T300   p350
    **
    ** Bridges: r joins 1 and 2 (1000, gain 500); p joins 3 (650, gain 150).
    ** The route takes r (last resort, the only move); excluded, it grows
    ** block 3, the most land without r (650), and stops there.
    */
    {"refused parcel is the only way", 2, MU(900), LC_PLAN_COST_HOUSEHOLDS, 0,
     {{"a", 0, 0, 10, 40, 'T', "A", "v"}, {"r", 11, 0, 10, 10, 'r', "R", "v"},
      {"b", 22, 0, 10, 50, 'T', "B", "v"}, {"c", 80, 0, 10, 30, 'T', "C", "v"},
      {"p", 91, 0, 10, 35, 'p', "P", "v"}},
     500, "r 1000 500 [1,2]; p 650 150 [3]", "r! h1 1000", LC_PLAN_REACHED, 1, 1000, 1000, 0},
    {"refused parcel excluded, other land", 2, MU(900), LC_PLAN_COST_HOUSEHOLDS, 1,
     {{"a", 0, 0, 10, 40, 'T', "A", "v"}, {"r", 11, 0, 10, 10, 'r', "R", "v"},
      {"b", 22, 0, 10, 50, 'T', "B", "v"}, {"c", 80, 0, 10, 30, 'T', "C", "v"},
      {"p", 91, 0, 10, 35, 'p', "P", "v"}},
     500, "r 1000 500 [1,2]; p 650 150 [3]", "p h1 650", LC_PLAN_EXHAUSTED, 3, 650, 1000, 0},
    /* Met today: no route. */
    {"target met", 2, MU(500), LC_PLAN_COST_HOUSEHOLDS, 0,
     {{"a", 0, 0, 10, 60, 'T', "A", "v"}, {"b", 11, 0, 10, 10, 'd', "B", "v"}},
     600, "b 700 100 [1]", "", LC_PLAN_ALREADY_MET, 1, 600, 600, 0},
    /* Nothing transferred: each parcel alone would be the largest block. */
    {"no block", 2, MU(500), LC_PLAN_COST_HOUSEHOLDS, 0,
     {{"a", 0, 0, 10, 10, 'p', "A", "v"}, {"b", 11, 0, 10, 20, 'u', NULL, "v"}},
     0, "b 200 200 []; a 100 100 []", "", LC_PLAN_NO_BLOCK, 0, 0, 0, 0},
    /*
    ** Gap 0: only touching parcels are adjacent; b touches a and c, d is
    ** 1 m from c (not adjacent at gap 0):
    **
    **  +--+--+--+ +--+
    **  |a |b |c | |d |
    **  T   p  T    T
    **  100 100 150 200
    **
    ** Blocks: {d} 200, {c} 150, {a} 100. b joins a and c: 350. No land
    ** reaches 1000 m²: the route grows the block with the most, {c}.
    */
    {"gap 0 means touching", 0, MU(1000), LC_PLAN_COST_HOUSEHOLDS, 0,
     {{"a", 0, 0, 10, 10, 'T', "A", "v"}, {"b", 10, 0, 10, 10, 'p', "B", "v"},
      {"c", 20, 0, 10, 15, 'T', "C", "v"}, {"d", 31, 0, 10, 20, 'T', "D", "v"}},
     200, "b 350 150 [2,3]", "b h1 350", LC_PLAN_EXHAUSTED, 2, 350, 350, 0},
};

static lc_parcel_status status_of(char c)
{
    switch (c) {
    case 'T': return LC_ST_TRANSFERRED;
    case 'r': return LC_ST_REFUSED;
    case 'd': return LC_ST_DISPUTED;
    case 'u': return LC_ST_UNREGISTERED;
    default: return LC_ST_PENDING;
    }
}

static void append(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void append(char *buf, size_t cap, const char *fmt, ...)
{
    size_t at = strlen(buf);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + at, cap - at, fmt, ap);
    va_end(ap);
}

/* The pairs of transferred parcels as the adjacency phase gives them: nodes
** in parcel order, edges between node numbers. */
typedef struct pair_sink { lc_adjacency *g; size_t cap; } pair_sink;

static lc_status add_pair(size_t i, size_t j, void *userdata)
{
    pair_sink *s = userdata;
    if (s->g->n_edges == s->cap) return LC_ENOMEM;
    s->g->edges[s->g->n_edges][0] = i;
    s->g->edges[s->g->n_edges][1] = j;
    s->g->n_edges++;
    return LC_OK;
}

static void transferred_pairs(lc_ctx *ctx, GEOSGeometry **geoms, const lc_parcel_status *st, size_t n, double gap,
                              lc_adjacency *g, size_t nodes[10], size_t (*edges)[2], GEOSGeometry **tg)
{
    memset(g, 0, sizeof *g);
    g->nodes = nodes;
    g->edges = edges;
    for (size_t i = 0; i < n; i++)
        if (st[i] == LC_ST_TRANSFERRED) {
            tg[g->n_nodes] = geoms[i];
            nodes[g->n_nodes++] = i;
        }
    pair_sink sink = {g, 45};
    CHECK(lc_adjacent_pairs(ctx, tg, g->n_nodes, gap, NULL, add_pair, &sink) == LC_OK, "transferred pairs");
}

/* The plan's figures as text, to compare runs. */
static void describe(const lc_plan *plan, char *bridges, char *route, size_t cap);

static void run_case(lc_ctx *ctx, const plan_case *c)
{
    GEOSContextHandle_t h = ctx->geos;
    size_t n = 0;
    while (n < 10 && c->parcels[n].key) n++;
    GEOSGeometry *geoms[10];
    double m2[10];
    const char *keys[10], *holders[10], *villages[10];
    lc_parcel_status st[10];
    for (size_t i = 0; i < n; i++) {
        const parcel_def *d = &c->parcels[i];
        char wkt[256];
        snprintf(wkt, sizeof wkt, "POLYGON((%g %g,%g %g,%g %g,%g %g,%g %g))", d->x, d->y, d->x + d->w, d->y,
                 d->x + d->w, d->y + d->h, d->x, d->y + d->h, d->x, d->y);
        geoms[i] = GEOSGeomFromWKT_r(h, wkt);
        m2[i] = d->w * d->h;
        keys[i] = d->key;
        holders[i] = d->holder;
        villages[i] = d->village;
        st[i] = status_of(d->st);
    }
    lc_plan_input in = {n, geoms, m2, keys, st, holders, villages, NULL, c->gap, c->target_mu, c->cost,
                        c->exclude_hard, NULL};
    lc_plan *plan = NULL;
    lc_status rc = lc_plan_compute(ctx, &in, &plan);
    CHECK(rc == LC_OK, "%s: lc_plan_compute: %s", c->name, lc_ctx_errmsg(ctx));
    if (rc == LC_OK) {
        char bridges[1024], route[1024];
        describe(plan, bridges, route, sizeof bridges);
        CHECK_ABS(plan->largest_m2, c->largest_m2, 0, "m²", c->name);
        CHECK_STR(bridges, c->bridges, c->name);
        CHECK_STR(route, c->route, c->name);
        CHECK(plan->end == c->end, "%s: end %d, want %d", c->name, (int)plan->end, (int)c->end);
        CHECK(plan->grown_block == c->grown_block, "%s: grown block %d, want %d", c->name,
              (int)plan->grown_block, c->grown_block);
        CHECK_ABS(plan->reachable_m2, c->reachable_m2, 0, "m²", c->name);
        CHECK_ABS(plan->reachable_with_hard_m2, c->reachable_with_hard_m2, 0, "m²", c->name);
        CHECK(plan->hard_connectors == c->hard_connectors, "%s: %zu refused connectors, want %zu", c->name,
              plan->hard_connectors, c->hard_connectors);
        CHECK(plan->target_reachable == (c->end == LC_PLAN_REACHED || c->end == LC_PLAN_ALREADY_MET),
              "%s: target_reachable", c->name);
        /* the cumulative figures add up */
        double total = 0;
        for (size_t s = 0; s < plan->n_steps; s++) {
            total += plan->steps[s].m2;
            CHECK_ABS(plan->steps[s].total_m2, total, 1e-9, "m²", c->name);
        }
    }
    lc_plan_free(plan);
    /* the same plan on the transferred parcels' pairs found beforehand (as
    ** analyze hands them over): only the other pairs are tested */
    lc_adjacency g;
    size_t nodes[10], edges[45][2];
    GEOSGeometry *tg[10];
    transferred_pairs(ctx, geoms, st, n, c->gap, &g, nodes, edges, tg);
    in.transferred_pairs = &g;
    plan = NULL;
    rc = lc_plan_compute(ctx, &in, &plan);
    CHECK(rc == LC_OK, "%s: lc_plan_compute with the known pairs: %s", c->name, lc_ctx_errmsg(ctx));
    if (rc == LC_OK) {
        char bridges[1024], route[1024];
        describe(plan, bridges, route, sizeof bridges);
        CHECK_STR(bridges, c->bridges, c->name);
        CHECK_STR(route, c->route, c->name);
        CHECK(plan->end == c->end && plan->grown_block == c->grown_block, "%s: end, grown block", c->name);
        CHECK_ABS(plan->reachable_m2, c->reachable_m2, 0, "m²", c->name);
        CHECK_ABS(plan->reachable_with_hard_m2, c->reachable_with_hard_m2, 0, "m²", c->name);
    }
    lc_plan_free(plan);
    /* pairs that are not of the transferred parcels are refused */
    if (g.n_nodes > 0 && g.n_nodes < n) {
        size_t wrong = 0;
        while (st[wrong] == LC_ST_TRANSFERRED) wrong++;
        size_t first = nodes[0];
        nodes[0] = wrong;
        plan = NULL;
        rc = lc_plan_compute(ctx, &in, &plan);
        CHECK(rc == LC_EINTERNAL && !plan, "%s: pairs of an untransferred parcel refused", c->name);
        nodes[0] = first;
    }
    for (size_t i = 0; i < n; i++) GEOSGeom_destroy_r(h, geoms[i]);
}

static void describe(const lc_plan *plan, char *got, char *route, size_t cap)
{
    got[0] = route[0] = '\0';
    for (size_t k = 0; k < plan->n_bridges; k++) {
        const lc_plan_bridge *b = &plan->bridges[k];
        append(got, cap, "%s%s %g %g [", k ? "; " : "", b->key, b->largest_after_m2, b->gain_m2);
        for (size_t j = 0; j < b->n_joins; j++) append(got, cap, "%s%d", j ? "," : "", (int)b->joins[j]);
        append(got, cap, "]");
    }
    for (size_t s = 0; s < plan->n_steps; s++) {
        const lc_plan_step *p = &plan->steps[s];
        append(route, cap, "%s", s ? "; " : "");
        for (size_t j = 0; j < p->n_parcels; j++)
            append(route, cap, "%s%s", j ? "+" : "", plan->bridges[p->bridges[j]].key);
        append(route, cap, "%s h%zu %g", p->last_resort ? "!" : "", p->households, p->largest_after_m2);
    }
}

int main(void)
{
    lc_ctx *ctx = lc_ctx_new();
    if (!ctx) return 2;
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) run_case(ctx, &cases[k]);
    lc_ctx_free(ctx);
    return lc_test_report("test_plan");
}
