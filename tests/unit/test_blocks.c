/*
** Contiguous blocks (SPEC §2 "block", blocks.c): a table of drawn parcel
** sets, each with a gap, and the blocks it must give in id order: members
** (keys in parcel order), parcel area (exact sum of the members' rectangle
** areas, read off the drawings), and, where a case names them, the block's
** villages and townships. Ids run 1..N by descending parcel area, ties by
** the smallest key of the block. The graph comes from the adjacency phase
** (tested on its own in test_adjacency.c).
**
** Statuses: T transferred (signed before the as-of day), p pending.
*/
#include <stdio.h>
#include <stdlib.h>

#include "blocks.h"
#include "lc_fixture.h"
#include "lc_test.h"

static lc_ctx *ctx;

#define MAXP 12
#define MAXB 6
#define SIGNED "2019-01-01"
#define AS_OF "2019-05-01"
#define T(key, wkt) {key, wkt, 'T', SIGNED}
#define P(key, wkt) {key, wkt, 'p', NULL}

typedef struct want_block {
    const char *members;         /* keys in parcel order, comma-separated */
    double m2;
    const char *villages, *townships;  /* NULL: not checked */
} want_block;

typedef struct blocks_case {
    const char *name;
    double gap;
    int named;                   /* unit names: 230113101201 建设村, 230113101 周家镇 */
    fx_parcel parcels[MAXP];
    want_block blocks[MAXB];     /* up to the first NULL members */
} blocks_case;

#define RING "POLYGON((0 0,30 0,30 30,0 30,0 0),(10 10,10 20,20 20,20 10,10 10))"
#define TWO_PARTS "MULTIPOLYGON(((10 0,20 0,20 10,10 10,10 0)),((40 0,50 0,50 10,40 10,40 0)))"
#define K1 "2301131012010100001"   /* township 230113101, village 230113101201 */
#define K2 "2301131012020100001"   /* township 230113101, village 230113101202 */
#define K3 "2301131022010100001"   /* township 230113102, village 230113102201 */

static const blocks_case cases[] = {
    {"no parcels", 10, 0, {{0}}, {{0}}},
    {"one parcel", 10, 0, {T("a", RECT(0, 0, 10, 10))}, {{"a", 100, "", ""}}},
    {"nothing transferred", 10, 0, {P("a", RECT(0, 0, 10, 10)), P("b", RECT(10, 0, 20, 10))}, {{0}}},
    /* three parcels 10 m apart, gap 5: three blocks, largest first */
    {"ordered by area", 5, 0,
     {T("a", RECT(0, 0, 10, 10)), T("b", RECT(20, 0, 30, 30)), T("c", RECT(40, 0, 50, 20))},
     {{"b", 300}, {"c", 200}, {"a", 100}}},
    /*
    ** Three blocks of 200 m², gap 0: {z1}, {y, m1} (touching), {n}. The
    ** tie goes by each block's smallest key, m1 < n < z1, not by parcel
    ** order nor by a block's first key (y):
    **
    **   +----+    +----++----+    +----+
    **   | z1 |    | y  || m1 |    | n  |
    **   |200 |    |100 ||100 |    |200 |
    **   0   10    20   30   40    60   70
    */
    {"ties by the smallest key", 0, 0,
     {T("z1", RECT(0, 0, 10, 20)), T("y", RECT(20, 0, 30, 10)), T("m1", RECT(30, 0, 40, 10)),
      T("n", RECT(60, 0, 70, 20))},
     {{"y,m1", 200}, {"n", 200}, {"z1", 200}}},
    /*
    ** b lies within the gap (2 m) of a and of c, which are 14 m apart: b
    ** joins them into one block. With b pending they are two blocks of
    ** 100 m², a first by key.
    **
    **   +----+  +----+  +----+
    **   | a  |  | b  |  | c  |
    **   0   10  12  22  24  34
    */
    {"a parcel in two blocks' reach", 2, 0,
     {T("a", RECT(0, 0, 10, 10)), T("b", RECT(12, 0, 22, 10)), T("c", RECT(24, 0, 34, 10))}, {{"a,b,c", 300}}},
    {"the bridge pending", 2, 0,
     {T("a", RECT(0, 0, 10, 10)), P("b", RECT(12, 0, 22, 10)), T("c", RECT(24, 0, 34, 10))},
     {{"a", 100}, {"c", 100}}},
    /* across a pending parcel 10 m wide: joined at gap 10, not at gap 9.99 */
    {"across a pending parcel, gap 10", 10, 0,
     {T("a", RECT(0, 0, 10, 10)), P("b", RECT(10, 0, 20, 10)), T("c", RECT(20, 0, 30, 10))}, {{"a,c", 200}}},
    {"across a pending parcel, gap 9.99", 9.99, 0,
     {T("a", RECT(0, 0, 10, 10)), P("b", RECT(10, 0, 20, 10)), T("c", RECT(20, 0, 30, 10))},
     {{"a", 100}, {"c", 100}}},
    /* touching at the corner (10,10) only: one block at gap 0 */
    {"one corner, gap 0", 0, 0, {T("a", RECT(0, 0, 10, 10)), T("b", RECT(10, 10, 20, 30))}, {{"a,b", 300}}},
    /* 1 m apart: two blocks at gap 0 (b larger: first) */
    {"1 m apart, gap 0", 0, 0, {T("a", RECT(0, 0, 10, 10)), T("b", RECT(11, 0, 21, 20))}, {{"b", 200}, {"a", 100}}},
    /*
    ** A two-part parcel m (10..20 and 40..50, 200 m²) touches a (0..10) with
    ** its first part and b (50..60) with its second: one block of 400 m².
    ** With m pending, a and b are 40 m apart.
    */
    {"a multipolygon joins", 0, 0,
     {T("a", RECT(0, 0, 10, 10)), T("m", TWO_PARTS), T("b", RECT(50, 0, 60, 10))}, {{"a,m,b", 400}}},
    {"the multipolygon pending", 0, 0,
     {T("a", RECT(0, 0, 10, 10)), P("m", TWO_PARTS), T("b", RECT(50, 0, 60, 10))}, {{"a", 100}, {"b", 100}}},
    /*
    ** A ring (30 x 30 around a 10 x 10 hole: 800 m²) and a parcel i
    ** (12..18, 36 m²) in the hole, 2 m from its edge: two blocks at gap 0,
    ** one of 836 m² at gap 2.
    */
    {"a parcel in a hole, gap 0", 0, 0, {T("ring", RING), T("i", RECT(12, 12, 18, 18))}, {{"ring", 800}, {"i", 36}}},
    {"a parcel in a hole, gap 2", 2, 0, {T("ring", RING), T("i", RECT(12, 12, 18, 18))}, {{"ring,i", 836}}},
    /* two parcels with one key: members of one block when touching, two
    ** blocks when apart */
    {"duplicate keys, touching", 0, 0, {T("d", RECT(0, 0, 10, 10)), T("d", RECT(10, 0, 20, 10))}, {{"d,d", 200}}},
    {"duplicate keys, apart", 0, 0, {T("d", RECT(0, 0, 10, 10)), T("d", RECT(20, 0, 30, 20))},
     {{"d", 200}, {"d", 100}}},
    /*
    ** Exact sums: ten strips 0.1 m × 1 m stacked (touching along their long
    ** sides), each exactly the double 0.1 m². Summed one by one in doubles
    ** they give 0.9999999999999999; the exact sum rounds to 1.
    */
    {"exact sum of ten 0.1 m² strips", 0, 0,
     {T("s0", RECT(0, 0, 0.1, 1)), T("s1", RECT(0, 1, 0.1, 2)), T("s2", RECT(0, 2, 0.1, 3)),
      T("s3", RECT(0, 3, 0.1, 4)), T("s4", RECT(0, 4, 0.1, 5)), T("s5", RECT(0, 5, 0.1, 6)),
      T("s6", RECT(0, 6, 0.1, 7)), T("s7", RECT(0, 7, 0.1, 8)), T("s8", RECT(0, 8, 0.1, 9)),
      T("s9", RECT(0, 9, 0.1, 10))},
     {{"s0,s1,s2,s3,s4,s5,s6,s7,s8,s9", 1.0}}},
    /* villages and townships of a block: distinct codes, sorted */
    {"villages and townships", 0, 0,
     {T(K1, RECT(0, 0, 10, 10)), T(K2, RECT(10, 0, 20, 10)), T(K3, RECT(20, 0, 30, 10)), T(K1 "x", RECT(50, 0, 60, 10))},
     {{K1 "," K2 "," K3, 300, "230113101201,230113101202,230113102201", "230113101,230113102"},
      {K1 "x", 100, "230113101201", "230113101"}}},
    /* with names for some codes: the names replace them (then sorted by
    ** bytes: digits before CJK) */
    {"villages and townships named", 0, 1,
     {T(K1, RECT(0, 0, 10, 10)), T(K2, RECT(10, 0, 20, 10)), T(K3, RECT(20, 0, 30, 10))},
     {{K1 "," K2 "," K3, 300, "230113101202,230113102201,建设村", "230113102,周家镇"}}},
};

static void join(char *buf, size_t cap, const char *s)
{
    size_t at = strlen(buf);
    snprintf(buf + at, cap - at, "%s%s", at ? "," : "", s ? s : "(null)");
}

static void run_case(const blocks_case *c, const lc_units *named)
{
    fx_world w;
    lc_status rc = fx_world_build(ctx, c->parcels, MAXP, AS_OF, &w);
    CHECK(rc == LC_OK, "%s: fixture: %s", c->name, lc_ctx_errmsg(ctx));
    if (rc != LC_OK) return;
    lc_adjacency g;
    lc_blocks b;
    lc_units none = {0};
    rc = lc_adjacency_run(ctx, w.p, w.transferred, c->gap, &g);
    if (rc == LC_OK) {
        rc = lc_blocks_run(ctx, w.p, &w.st, &g, c->named ? named : &none, &b);
        lc_adjacency_release(&g);
    }
    CHECK(rc == LC_OK, "%s: blocks: %s", c->name, lc_ctx_errmsg(ctx));
    if (rc != LC_OK) {
        fx_world_free(&w);
        return;
    }
    size_t nb = 0;
    while (nb < MAXB && c->blocks[nb].members) nb++;
    CHECK(b.n == nb, "%s: %zu blocks, want %zu", c->name, b.n, nb);
    size_t in_blocks = 0;
    for (size_t k = 0; k < b.n && k < nb; k++) {
        const lc_block *bl = &b.items[k];
        const want_block *wb = &c->blocks[k];
        char what[160], got[512] = "";
        snprintf(what, sizeof what, "%s: block %zu", c->name, k + 1);
        CHECK(bl->id == (int32_t)(k + 1), "%s: id %d", what, bl->id);
        for (size_t m = 0; m < bl->n_members; m++) {
            join(got, sizeof got, w.p->items[bl->members[m]].key);
            CHECK(m == 0 || bl->members[m] > bl->members[m - 1], "%s: members not ascending", what);
            CHECK(b.block_of[bl->members[m]] == bl->id, "%s: block_of %d", what, b.block_of[bl->members[m]]);
        }
        in_blocks += bl->n_members;
        CHECK_STR(got, wb->members, what);
        CHECK_ABS(bl->parcel_m2, wb->m2, 0, "m²", what);
        /* the ellipsoidal figure is the sum of the members' own */
        double ell = 0;
        for (size_t m = 0; m < bl->n_members; m++) ell += w.p->items[bl->members[m]].ellipsoidal_m2;
        CHECK_REL(bl->parcel_ellipsoidal_m2, ell, 1e-12, what);
        /* the smallest member key, from the expected members */
        char keys[512];
        snprintf(keys, sizeof keys, "%s", wb->members);
        const char *min = NULL;
        for (char *t = strtok(keys, ","); t; t = strtok(NULL, ","))
            if (!min || strcmp(t, min) < 0) min = t;
        CHECK_STR(bl->min_key, min, what);
        if (wb->villages) CHECK_STR(bl->villages, wb->villages, what);
        if (wb->townships) CHECK_STR(bl->townships, wb->townships, what);
    }
    /* every transferred parcel in exactly one block, no other parcel in any */
    size_t transferred = 0;
    for (size_t i = 0; i < w.p->n; i++) {
        transferred += w.transferred[i];
        CHECK((b.block_of[i] != 0) == (w.transferred[i] != 0), "%s: parcel %zu block_of %d", c->name, i,
              b.block_of[i]);
    }
    CHECK(in_blocks == transferred || b.n != nb, "%s: %zu parcels in blocks, %zu transferred", c->name, in_blocks,
          transferred);
    lc_blocks_release(&b);
    fx_world_free(&w);
}

int main(void)
{
    ctx = lc_ctx_new();
    lc_units named = {0};
    size_t cap = 0;
    static const lc_unit names[] = {{"230113101201", "建设村"}, {"230113101", "周家镇"}};
    for (size_t i = 0; i < 2; i++) {
        if (lc_grow(ctx, (void **)&named.items, &cap, named.n + 1, sizeof *named.items)) return 2;
        named.items[named.n++] = names[i];
    }
    lc_units_finish(&named);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) run_case(&cases[c], &named);
    free(named.items);
    lc_ctx_free(ctx);
    return lc_test_report("test_blocks");
}
