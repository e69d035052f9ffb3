/*
** Enclaves (SPEC §2 "enclave", enclaves.c): a table of drawn blocks with
** parcels that are not transferred in and around them, and the enclaves
** each must give, in order (by block; parcel enclaves by key, then gap
** enclaves by descending area): the block, the key (none for a gap
** enclave) and the area. A parcel is an enclave when its point on surface
** lies in a block's footprint with the holes filled; a gap enclave is a
** footprint hole with no parcel's point in it, measured as drawn (a
** rectangle's area, or with the gap's rounded corners: a w × h hole keeps
** w h - 0.878555 r² with r = gap / 2, derived in test_footprints.c).
**
** Statuses: T transferred, p pending, r refused, u no register row.
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "enclaves.h"
#include "lc_fixture.h"
#include "lc_test.h"

static lc_ctx *ctx;

#define MAXP 12
#define MAXE 6
#define SIGNED "2019-01-01"
#define AS_OF "2019-05-01"
#define T(key, wkt) {key, wkt, 'T', SIGNED}
#define P(key, wkt) {key, wkt, 'p', NULL}
#define R(key, wkt) {key, wkt, 'r', NULL}
#define U(key, wkt) {key, wkt, 'u', NULL}
#define ROUNDED(r) (4 * (1 - 4 * sin(LC_PI / 16)) * (r) * (r))

typedef struct want_enclave {
    int32_t block;               /* 0 ends the list */
    const char *key;             /* NULL: a gap enclave */
    double m2, tol;
} want_enclave;

typedef struct enc_case {
    const char *name;
    double gap;
    fx_parcel parcels[MAXP];
    want_enclave enclaves[MAXE];
} enc_case;

/*
** The eight cells around the centre of a 3 × 3 grid of 10 m squares, the
** centre [10,20]² left out:
**
**   6 7 8
**   3 . 5
**   0 1 2
*/
#define RING8                                                                                            \
    T("g0", RECT(0, 0, 10, 10)), T("g1", RECT(10, 0, 20, 10)), T("g2", RECT(20, 0, 30, 10)),               \
        T("g3", RECT(0, 10, 10, 20)), T("g5", RECT(20, 10, 30, 20)), T("g6", RECT(0, 20, 10, 30)),        \
        T("g7", RECT(10, 20, 20, 30)), T("g8", RECT(20, 20, 30, 30))
#define CENTRE RECT(10, 10, 20, 20)

/* One parcel [0,85] x [0,30] with four holes: [10,20] x [10,20],
** [30,40] x [10,20], [50,60] x [10,20] and [70,75] x [10,20]. */
#define HOLES4                                                                                             \
    "POLYGON((0 0,85 0,85 30,0 30,0 0),(10 10,10 20,20 20,20 10,10 10),(30 10,30 20,40 20,40 10,30 10),"  \
    "(50 10,50 20,60 20,60 10,50 10),(70 10,70 20,75 20,75 10,70 10))"

static void run_case(const enc_case *c);

/* automatic storage: the rounded corners are computed from their formula */
static void run_cases(void)
{
    const enc_case cases[] = {
        {"no blocks", 0, {P("a", RECT(0, 0, 10, 10))}, {{0}}},
        /* the ring around a pending centre, gap 0: the footprint's hole is the
        ** centre; its point lies in the filled footprint: a parcel enclave */
        {"ring around a pending parcel, gap 0", 0, {RING8, P("c", CENTRE)}, {{1, "c", 100, 0}}},
        /* the same for a refused and an unregistered centre */
        {"ring around a refused parcel", 0, {RING8, R("c", CENTRE)}, {{1, "c", 100, 0}}},
        {"ring around an unregistered parcel", 0, {RING8, U("c", CENTRE)}, {{1, "c", 100, 0}}},
        /* the ring around an empty hole, gap 0: a gap enclave of 10 × 10 */
        {"ring around a hole, gap 0", 0, {RING8}, {{1, NULL, 100, 1e-9}}},
        /* gap 4 (r = 2): the hole is wider than the gap and comes back with
        ** rounded corners, 100 - 0.878555 × 4 = 96.485781 m² */
        {"ring around a hole, gap 4", 4, {RING8}, {{1, NULL, 100 - ROUNDED(2), 1e-6}}},
        /* gap 10 (r = 5): the hole fills, no gap enclave; a pending centre is
        ** still an enclave (inside the footprint itself) */
        {"ring around a hole, gap 10", 10, {RING8}, {{0}}},
        {"ring around a pending parcel, gap 10", 10, {RING8, P("c", CENTRE)}, {{1, "c", 100, 0}}},
        /* a pending parcel beside the ring is no enclave */
        {"pending parcel outside", 0, {RING8, P("c", CENTRE), P("x", RECT(30, 0, 40, 10))}, {{1, "c", 100, 0}}},
        /*
        ** A U of seven cells open at the top, a pending parcel b in its bay:
        **
        **   6 . 8        gap 0: the bay is open, b is no enclave.
        **   3 b 5        gap 12 (r = 6): 6 and 8, 10 m apart, are bridged
        **   0 1 2        (up to a bite 2.7 m deep at the top): b is inside.
        */
        {"a pending parcel in a bay, gap 0", 0,
         {T("g0", RECT(0, 0, 10, 10)), T("g1", RECT(10, 0, 20, 10)), T("g2", RECT(20, 0, 30, 10)),
          T("g3", RECT(0, 10, 10, 20)), T("g5", RECT(20, 10, 30, 20)), T("g6", RECT(0, 20, 10, 30)),
          T("g8", RECT(20, 20, 30, 30)), P("b", CENTRE)},
         {{0}}},
        {"a pending parcel in a bay, gap 12", 12,
         {T("g0", RECT(0, 0, 10, 10)), T("g1", RECT(10, 0, 20, 10)), T("g2", RECT(20, 0, 30, 10)),
          T("g3", RECT(0, 10, 10, 20)), T("g5", RECT(20, 10, 30, 20)), T("g6", RECT(0, 20, 10, 30)),
          T("g8", RECT(20, 20, 30, 30)), P("b", CENTRE)},
         {{1, "b", 100, 0}}},
        /*
        ** A block in the hole of another, gap 0: the outer ring o ([0,50]²
        ** around [10,40]², 1600 m², block 1) and the inner ring i ([15,35]²
        ** around [20,30]², 300 m², block 2), 5 m apart; the pending p fills the
        ** inner hole. p's point lies in both filled footprints: it belongs to
        ** the smaller, block 2. The outer hole holds i's point: no gap
        ** enclave there; i is transferred: no enclave.
        */
        {"nested blocks", 0,
         {T("o", "POLYGON((0 0,50 0,50 50,0 50,0 0),(10 10,10 40,40 40,40 10,10 10))"),
          T("i", "POLYGON((15 15,35 15,35 35,15 35,15 15),(20 20,20 30,30 30,30 20,20 20))"), P("p", RECT(20, 20, 30, 30))},
         {{2, "p", 100, 0}}},
        /* without p the inner hole is empty: a gap enclave of block 2 */
        {"nested blocks, inner hole empty", 0,
         {T("o", "POLYGON((0 0,50 0,50 50,0 50,0 0),(10 10,10 40,40 40,40 10,10 10))"),
          T("i", "POLYGON((15 15,35 15,35 35,15 35,15 15),(20 20,20 30,30 30,30 20,20 20))")},
         {{2, NULL, 100, 1e-9}}},
        /*
        ** One parcel with four holes, gap 0: z fills the first, b (36 m²)
        ** lies in the second, the third (100 m²) and fourth (50 m²) are empty.
        ** Order: parcel enclaves by key (b, z), then gap enclaves largest
        ** first. The second hole holds b's point: no gap enclave, though 64 m²
        ** of it are on no parcel.
        */
        {"order within a block", 0,
         {T("h", HOLES4), P("z", RECT(10, 10, 20, 20)), P("b", RECT(32, 12, 38, 18))},
         {{1, "b", 36, 0}, {1, "z", 100, 0}, {1, NULL, 100, 1e-9}, {1, NULL, 50, 1e-9}}},
        /* two pending parcels with one key, in the first and third holes:
        ** both, by FID; the second and fourth holes are gap enclaves */
        {"duplicate keys", 0,
         {T("h", HOLES4), P("d", RECT(10, 10, 20, 20)), P("d", RECT(50, 10, 60, 20))},
         {{1, "d", 100, 0}, {1, "d", 100, 0}, {1, NULL, 100, 1e-9}, {1, NULL, 50, 1e-9}}},
        /*
        ** A block of two rings touching at the corner (30,30), gap 0: its
        ** footprint has two polygons. The first ring's hole is empty (a gap
        ** enclave), the second's holds the pending q.
        */
        {"a footprint of two polygons", 0,
         {T("r1", "POLYGON((0 0,30 0,30 30,0 30,0 0),(10 10,10 20,20 20,20 10,10 10))"),
          T("r2", "POLYGON((30 30,60 30,60 60,30 60,30 30),(40 40,40 50,50 50,50 40,40 40))"),
          P("q", RECT(40, 40, 50, 50))},
         {{1, "q", 100, 0}, {1, NULL, 100, 1e-9}}},
        /*
        ** Two blocks, each with its own enclaves, by block: the ring (800 m²,
        ** block 1) around c, a parcel with a hole (x, [100,120]² around
        ** [105,115]², 300 m², block 2) with an empty hole.
        */
        {"two blocks", 0,
         {RING8, P("c", CENTRE),
          T("x", "POLYGON((100 0,120 0,120 20,100 20,100 0),(105 5,105 15,115 15,115 5,105 5))")},
         {{1, "c", 100, 0}, {2, NULL, 100, 1e-9}}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) run_case(&cases[c]);
}

static void run_case(const enc_case *c)
{
    fx_world w;
    lc_status rc = fx_world_build(ctx, c->parcels, MAXP, AS_OF, &w);
    CHECK(rc == LC_OK, "%s: fixture: %s", c->name, lc_ctx_errmsg(ctx));
    if (rc != LC_OK) return;
    lc_adjacency g = {0};
    lc_blocks b = {0};
    lc_footprints f = {0};
    lc_points pts = {0};
    lc_enclaves e = {0};
    lc_units none = {0};
    rc = lc_adjacency_run(ctx, w.p, w.transferred, c->gap, &g);
    if (rc == LC_OK) rc = lc_blocks_run(ctx, w.p, &w.st, &g, &none, &b);
    if (rc == LC_OK) rc = lc_footprints_run(ctx, w.p, &b, c->gap, NULL, &f);
    if (rc == LC_OK) rc = lc_points_run(ctx, w.p, &pts);
    if (rc == LC_OK) rc = lc_enclaves_run(ctx, w.p, &w.st, &b, &f, &pts, &e);
    CHECK(rc == LC_OK, "%s: %s", c->name, lc_ctx_errmsg(ctx));
    if (rc == LC_OK) {
        size_t ne = 0;
        while (ne < MAXE && c->enclaves[ne].block) ne++;
        CHECK(e.n == ne, "%s: %zu enclaves, want %zu", c->name, e.n, ne);
        size_t count[MAXE + 1] = {0};
        double m2[MAXE + 1] = {0};
        int64_t last_fid = -1;
        for (size_t k = 0; k < e.n && k < ne; k++) {
            const lc_enclave *got = &e.items[k];
            const want_enclave *want = &c->enclaves[k];
            char what[160];
            snprintf(what, sizeof what, "%s: enclave %zu", c->name, k + 1);
            CHECK(got->block_id == want->block, "%s: block %d, want %d", what, got->block_id, want->block);
            if (want->block <= MAXE) count[want->block]++, m2[want->block] += want->m2;
            if (want->key) {
                CHECK(got->parcel < w.p->n, "%s: a gap enclave, want parcel %s", what, want->key);
                if (got->parcel >= w.p->n) continue;
                CHECK_STR(got->key, want->key, what);
                CHECK_STR(w.p->items[got->parcel].key, want->key, what);
                CHECK(got->geom == NULL, "%s: a parcel enclave has no geometry of its own", what);
                CHECK(e.enclave_of[got->parcel] == want->block, "%s: enclave_of %d", what, e.enclave_of[got->parcel]);
                /* equal keys by FID */
                if (k && e.items[k - 1].key && !strcmp(e.items[k - 1].key, got->key))
                    CHECK(got->fid > last_fid, "%s: FID %lld after %lld", what, (long long)got->fid,
                          (long long)last_fid);
                last_fid = got->fid;
            } else {
                CHECK(got->parcel == SIZE_MAX && got->key == NULL && got->geom, "%s: want a gap enclave", what);
                double a = 0;
                if (got->geom) GEOSArea_r(ctx->geos, got->geom, &a);
                CHECK_REL(a, got->area_m2, 1e-12, what);
            }
            CHECK_ABS(got->area_m2, want->m2, want->tol, "m²", what);
        }
        /* no other parcel is an enclave */
        size_t marked = 0;
        for (size_t i = 0; i < w.p->n; i++) marked += e.enclave_of[i] != 0;
        size_t parcels = 0;
        for (size_t k = 0; k < ne; k++) parcels += c->enclaves[k].key != NULL;
        CHECK(marked == parcels, "%s: %zu parcels marked, want %zu", c->name, marked, parcels);
        for (size_t k = 0; k < b.n && k < MAXE; k++) {
            CHECK(e.block_count[k] == count[k + 1], "%s: block %zu has %zu enclaves, want %zu", c->name, k + 1,
                  e.block_count[k], count[k + 1]);
            CHECK_ABS(e.block_m2[k], m2[k + 1], 1e-6, "m²", c->name);
        }
    }
    lc_enclaves_release(ctx->geos, &e);
    lc_points_release(&pts);
    lc_footprints_release(ctx->geos, &f);
    lc_blocks_release(&b);
    lc_adjacency_release(&g);
    fx_world_free(&w);
}

int main(void)
{
    ctx = lc_ctx_new();
    run_cases();
    lc_ctx_free(ctx);
    return lc_test_report("test_enclaves");
}
