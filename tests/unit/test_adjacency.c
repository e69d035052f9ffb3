/*
** Adjacency (SPEC §2 "adjacent", adjacency.c): a table of drawn parcel
** sets, each with a gap, and the graph it must give: the transferred
** parcels as nodes in parcel order, and every pair at most `gap` metres
** apart (gap 0: touching or overlapping) as an edge, a < b, in increasing
** order. Distances are read off the drawings: rectangles apart along one
** axis are the difference of their coordinates apart; corner to corner,
** the hypotenuse of the two differences (3-4-5 triangles, so exact).
**
** Statuses: T transferred (signed before the as-of day), p pending.
*/
#include <stdio.h>
#include <stdlib.h>

#include <geos_c.h>

#include "adjacency.h"
#include "lc_fixture.h"
#include "lc_test.h"

static lc_ctx *ctx;

#define MAXP 10
#define SIGNED "2019-01-01"
#define AS_OF "2019-05-01"

typedef struct adj_case {
    const char *name;
    double gap;
    fx_parcel parcels[MAXP];
    const char *nodes;           /* parcel indices of the nodes, "0 2 3" */
    const char *edges;           /* node pairs, "0-1 1-2" ("" none) */
} adj_case;

#define T(key, wkt) {key, wkt, 'T', SIGNED}
#define P(key, wkt) {key, wkt, 'p', NULL}

static const adj_case cases[] = {
    {"no parcels", 10, {{0}}, "", ""},
    {"one parcel", 10, {T("a", RECT(0, 0, 10, 10))}, "0", ""},
    {"no transferred parcel", 10, {P("a", RECT(0, 0, 10, 10)), P("b", RECT(10, 0, 20, 10))}, "", ""},
    /* a shared edge: distance 0 */
    {"shared edge, gap 0", 0, {T("a", RECT(0, 0, 10, 10)), T("b", RECT(10, 0, 20, 10))}, "0 1", "0-1"},
    /* touching at one corner only (10,10): touching counts at gap 0 */
    {"one corner, gap 0", 0, {T("a", RECT(0, 0, 10, 10)), T("b", RECT(10, 10, 20, 20))}, "0 1", "0-1"},
    {"one corner, gap 3", 3, {T("a", RECT(0, 0, 10, 10)), T("b", RECT(10, 10, 20, 20))}, "0 1", "0-1"},
    /* overlapping by 2 m */
    {"overlap, gap 0", 0, {T("a", RECT(0, 0, 10, 10)), T("b", RECT(8, 0, 18, 10))}, "0 1", "0-1"},
    /* 1 m apart: not touching; within a gap of exactly 1 m, not of 0.999 */
    {"1 m apart, gap 0", 0, {T("a", RECT(0, 0, 10, 10)), T("b", RECT(11, 0, 21, 10))}, "0 1", ""},
    {"1 m apart, gap 0.999", 0.999, {T("a", RECT(0, 0, 10, 10)), T("b", RECT(11, 0, 21, 10))}, "0 1", ""},
    {"1 m apart, gap 1", 1, {T("a", RECT(0, 0, 10, 10)), T("b", RECT(11, 0, 21, 10))}, "0 1", "0-1"},
    /*
    ** Corner to corner: a's corner (10,10), b's corner (13,14): 3 m and 4 m
    ** apart along the axes, 5 m in distance. The envelopes grown by 4.5 m
    ** meet; the parcels are not within 4.5 m.
    */
    {"diagonal 5 m, gap 4.5", 4.5, {T("a", RECT(0, 0, 10, 10)), T("b", RECT(13, 14, 23, 24))}, "0 1", ""},
    {"diagonal 5 m, gap 5", 5, {T("a", RECT(0, 0, 10, 10)), T("b", RECT(13, 14, 23, 24))}, "0 1", "0-1"},
    /*
    ** Only transferred parcels are nodes: c is 10 m from a across the
    ** pending b; at gap 0 nothing joins them, at gap 10 a and c are
    ** adjacent through b's width.
    **
    **   +----+----+----+
    **   | a T| b p| c T|
    **   +----+----+----+
    **   0    10   20   30
    */
    {"pending between, gap 0", 0,
     {T("a", RECT(0, 0, 10, 10)), P("b", RECT(10, 0, 20, 10)), T("c", RECT(20, 0, 30, 10))}, "0 2", ""},
    {"pending between, gap 10", 10,
     {T("a", RECT(0, 0, 10, 10)), P("b", RECT(10, 0, 20, 10)), T("c", RECT(20, 0, 30, 10))}, "0 2", "0-1"},
    /*
    ** A two-part parcel m (0..10 and 100..110): x (112..120) is 2 m from its
    ** second part, y (50..60) 40 m from both parts. Gap 3: only m-x.
    */
    {"multipolygon", 3,
     {T("m", "MULTIPOLYGON(((0 0,10 0,10 10,0 10,0 0)),((100 0,110 0,110 10,100 10,100 0)))"),
      T("x", RECT(112, 0, 120, 10)), T("y", RECT(50, 0, 60, 10))},
     "0 1 2", "0-1"},
    /*
    ** A parcel with a hole (0..30 around 10..20) and a parcel i (12..18) in
    ** the hole, 2 m from the hole's edge. Its envelope lies inside the
    ** ring's: at gap 0 they are not adjacent, at gap 2 they are.
    */
    {"parcel in a hole, gap 0", 0,
     {T("ring", "POLYGON((0 0,30 0,30 30,0 30,0 0),(10 10,10 20,20 20,20 10,10 10))"),
      T("i", RECT(12, 12, 18, 18))},
     "0 1", ""},
    {"parcel in a hole, gap 2", 2,
     {T("ring", "POLYGON((0 0,30 0,30 30,0 30,0 0),(10 10,10 20,20 20,20 10,10 10))"),
      T("i", RECT(12, 12, 18, 18))},
     "0 1", "0-1"},
    /* two parcels with one key are two nodes */
    {"duplicate keys", 0, {T("d", RECT(0, 0, 10, 10)), T("d", RECT(10, 0, 20, 10))}, "0 1", "0-1"},
    /*
    ** A 3 x 3 grid of 10 m squares, gap 0: every pair of neighbours
    ** (side or corner) is an edge, 20 of them; with the centre (4) pending
    ** and no node, 12 are left: the ring's 8 side neighbours and the 4
    ** corners around the centre (1-3, 1-5, 3-7, 5-7), none across it.
    ** Nodes in parcel order 0 1 2 3 5 6 7 8 are n0..n7:
    **
    **   6 7 8      n5 n6 n7
    **   3 4 5  ->  n3 -- n4
    **   0 1 2      n0 n1 n2
    **
    ** Edges: n0-n1 n0-n3 n1-n2 n1-n3 (corner of 1 and 3 at (10,10)) n1-n4
    ** (corner at (20,10)) n2-n4 n3-n5 n3-n6 (corner at (10,20)) n4-n6
    ** (corner at (20,20)) n4-n7 n5-n6 n6-n7.
    */
    {"grid with a pending centre", 0,
     {T("0", RECT(0, 0, 10, 10)), T("1", RECT(10, 0, 20, 10)), T("2", RECT(20, 0, 30, 10)),
      T("3", RECT(0, 10, 10, 20)), P("4", RECT(10, 10, 20, 20)), T("5", RECT(20, 10, 30, 20)),
      T("6", RECT(0, 20, 10, 30)), T("7", RECT(10, 20, 20, 30)), T("8", RECT(20, 20, 30, 30))},
     "0 1 2 3 5 6 7 8", "0-1 0-3 1-2 1-3 1-4 2-4 3-5 3-6 4-6 4-7 5-6 6-7"},
};

static void run_case(const adj_case *c)
{
    fx_world w;
    lc_status rc = fx_world_build(ctx, c->parcels, MAXP, AS_OF, &w);
    CHECK(rc == LC_OK, "%s: fixture: %s", c->name, lc_ctx_errmsg(ctx));
    if (rc != LC_OK) return;
    lc_adjacency g;
    rc = lc_adjacency_run(ctx, w.p, w.transferred, c->gap, &g);
    CHECK(rc == LC_OK, "%s: adjacency: %s", c->name, lc_ctx_errmsg(ctx));
    if (rc == LC_OK) {
        char got[1024] = "";
        for (size_t k = 0; k < g.n_nodes; k++)
            snprintf(got + strlen(got), sizeof got - strlen(got), "%s%zu", k ? " " : "", g.nodes[k]);
        CHECK_STR(got, c->nodes, c->name);
        got[0] = '\0';
        for (size_t e = 0; e < g.n_edges; e++)
            snprintf(got + strlen(got), sizeof got - strlen(got), "%s%zu-%zu", e ? " " : "", g.edges[e][0],
                     g.edges[e][1]);
        CHECK_STR(got, c->edges, c->name);
        lc_adjacency_release(&g);
    }
    fx_world_free(&w);
}

/* lc_adjacent_pairs: a skipped pair is not tested, and the callback's
** failure stops the search and is returned. */
typedef struct seen { size_t n, pairs[8][2]; } seen;

static int skip_first(size_t i, size_t j, void *userdata) { return i == 0 && j == 1; }

static lc_status record(size_t i, size_t j, void *userdata)
{
    seen *s = userdata;
    if (s->n < 8) s->pairs[s->n][0] = i, s->pairs[s->n][1] = j;
    s->n++;
    return LC_OK;
}

static lc_status fail_on_second(size_t i, size_t j, void *userdata)
{
    seen *s = userdata;
    return ++s->n == 2 ? lc_error(ctx, LC_EINTERRUPTED, "stop") : LC_OK;
}

static void pairs_api(void)
{
    /* three squares in a row, touching: pairs 0-1 and 1-2 */
    fx_row rows[] = {{"a", RECT(0, 0, 10, 10), 0, 0}, {"b", RECT(10, 0, 20, 10), 0, 0},
                     {"c", RECT(20, 0, 30, 10), 0, 0}};
    lc_parcels *p = NULL;
    if (fx_parcels(ctx, NULL, 0, 0, rows, 3, &p) != LC_OK) {
        CHECK(0, "fixture: %s", lc_ctx_errmsg(ctx));
        return;
    }
    GEOSGeometry *g[3] = {p->items[0].geom, p->items[1].geom, p->items[2].geom};
    seen s = {0};
    CHECK(lc_adjacent_pairs(ctx, g, 3, 0, skip_first, record, &s) == LC_OK, "pairs with skip");
    CHECK(s.n == 1 && s.pairs[0][0] == 1 && s.pairs[0][1] == 2, "skipped 0-1: %zu pairs", s.n);
    seen f = {0};
    CHECK(lc_adjacent_pairs(ctx, g, 3, 0, NULL, fail_on_second, &f) == LC_EINTERRUPTED,
          "the callback's failure is returned");
    CHECK(f.n == 2, "no call after the failure: %zu calls", f.n);
    fx_parcels_free(p);
}

/* Pairs as found, in the order handed over. */
typedef struct pair_list { size_t n, cap, (*p)[2]; } pair_list;

static lc_status collect(size_t i, size_t j, void *userdata)
{
    pair_list *l = userdata;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 1024;
        l->p = realloc(l->p, l->cap * sizeof *l->p);
        if (!l->p) return LC_ENOMEM;
    }
    l->p[l->n][0] = i;
    l->p[l->n][1] = j;
    l->n++;
    return LC_OK;
}

static int skip_both_even(size_t i, size_t j, void *userdata) { return i % 2 == 0 && j % 2 == 0; }

/* From 4,096 geometries on the search runs in strips of the plane on
** several threads: on a field of 6,400 strips (rows of strips 4-9 m wide
** with ridges of 0-4 m, some exactly the gap apart, rows 2-27 m apart,
** numbered out of spatial order), the pairs and their order are the
** one-thread search's, with and without a skip. */
static void in_strips(void)
{
    enum { ROWS = 40, PER_ROW = 160, N = ROWS * PER_ROW };
    GEOSContextHandle_t h = ctx->geos;
    GEOSWKTReader *rd = GEOSWKTReader_create_r(h);
    GEOSGeometry **g = calloc(N, sizeof *g);
    srand(17);
    for (int r = 0; r < ROWS; r++) {
        double x = 42500000.0, y0 = 5000000.0 + 127.0 * r;
        for (int k = 0; k < PER_ROW; k++) {
            double w = 4 + rand() % 50 / 10.0, len = 100 + rand() % 250 / 10.0;
            char wkt[256];
            snprintf(wkt, sizeof wkt, "POLYGON((%.3f %.3f,%.3f %.3f,%.3f %.3f,%.3f %.3f,%.3f %.3f))", x, y0,
                     x + w, y0 + 0.01 * k, x + w, y0 + len, x, y0 + len, x, y0);
            /* scattered numbering: row-major would hand each strip of the plane a run of numbers */
            size_t at = ((size_t)k * ROWS + (size_t)r) * 7919 % N;
            while (g[at]) at = (at + 1) % N;
            g[at] = GEOSWKTReader_read_r(h, rd, wkt);
            x += w + (k % 7 == 0 ? 3.0 : rand() % 40 / 10.0);
        }
    }
    for (int pass = 0; pass < 2; pass++) {
        lc_pair_skip_fn skip = pass ? skip_both_even : NULL;
        pair_list one = {0};
        lc_ctx_set_threads(ctx, 1);
        CHECK(lc_adjacent_pairs(ctx, g, N, 3, skip, collect, &one) == LC_OK, "one thread: %s", lc_ctx_errmsg(ctx));
        CHECK(one.n > N / 3, "a field of strips has many pairs: %zu", one.n);
        printf("in strips%s: %zu pairs\n", skip ? ", with a skip" : "", one.n);
        for (int threads = 2; threads <= 3; threads++) {
            pair_list many = {0};
            lc_ctx_set_threads(ctx, threads);
            CHECK(lc_adjacent_pairs(ctx, g, N, 3, skip, collect, &many) == LC_OK, "%d threads: %s", threads,
                  lc_ctx_errmsg(ctx));
            size_t same = 0;
            while (same < one.n && same < many.n && one.p[same][0] == many.p[same][0] &&
                   one.p[same][1] == many.p[same][1])
                same++;
            CHECK(many.n == one.n && same == one.n, "%d threads%s: %zu pairs, one thread %zu, the first %zu alike",
                  threads, skip ? " with a skip" : "", many.n, one.n, same);
            free(many.p);
        }
        free(one.p);
    }
    lc_ctx_set_threads(ctx, 0);
    for (size_t i = 0; i < N; i++) GEOSGeom_destroy_r(h, g[i]);
    free(g);
    GEOSWKTReader_destroy_r(h, rd);
}

int main(void)
{
    ctx = lc_ctx_new();
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) run_case(&cases[c]);
    pairs_api();
    in_strips();
    lc_ctx_free(ctx);
    return lc_test_report("test_adjacency");
}
