/*
** Quality checks of the parcel layer (SPEC §5, checks.c): a table of drawn
** parcel sets and what the checks must find: the overlapping pairs (an
** intersection of more than 1 m², its area read off the drawing) with the
** area counted twice, and the per-parcel findings (tiny and huge parcels,
** keys that are not 19 digits, multipart parcels, parcels far from the
** rest).
*/
#include <stdio.h>
#include <stdlib.h>

#include "checks.h"
#include "lc_fixture.h"
#include "lc_test.h"
#include "qa.h"

static lc_ctx *ctx;

#define MAXP 24
#define K(n) "23011310120101000" #n   /* a well-formed DKBM, n two digits */

typedef struct checks_case {
    const char *name;
    fx_row parcels[MAXP];
    const char *pairs;           /* "a-b m2, ..." by a, then b (parcel indices) */
    double double_counted;
    size_t tiny, huge, malformed, multipart, far;
} checks_case;

#define ROW(key, wkt) {key, wkt, NULL, NULL}
#define RING_WITH_HOLE "POLYGON((0 0,30 0,30 30,0 30,0 0),(10 10,10 20,20 20,20 10,10 10))"

static const checks_case cases[] = {
    {"no parcels", {{0}}, "", 0, 0, 0, 0, 0, 0},
    {"one parcel", {ROW(K(01), RECT(0, 0, 10, 10))}, "", 0, 0, 0, 0, 0, 0},
    /* a shared edge, a shared corner: no overlap */
    {"touching", {ROW(K(01), RECT(0, 0, 10, 10)), ROW(K(02), RECT(10, 0, 20, 10)), ROW(K(03), RECT(20, 10, 30, 20))},
     "", 0, 0, 0, 0, 0, 0},
    /* b's edge on a's, its corners inside a's edge (a T-junction): no
    ** overlap either */
    {"a T-junction", {ROW(K(01), RECT(0, 0, 20, 10)), ROW(K(02), RECT(5, 10, 15, 20)), ROW(K(03), RECT(15, 10, 25, 20))},
     "", 0, 0, 0, 0, 0, 0},
    /* [0,10]² and [5,15] × [0,10]: 50 m² */
    {"overlap", {ROW(K(01), RECT(0, 0, 10, 10)), ROW(K(02), RECT(5, 0, 15, 10))}, "0-1 50", 50, 0, 0, 0, 0, 0},
    /* [9,10] × [9,10]: 1 m², not more than 1 m²; [9,10] × [8.5,10]: 1.5 m² */
    {"1 m² is noise", {ROW(K(01), RECT(0, 0, 10, 10)), ROW(K(02), RECT(9, 9, 19, 19))}, "", 0, 0, 0, 0, 0, 0},
    {"1.5 m² is an overlap", {ROW(K(01), RECT(0, 0, 10, 10)), ROW(K(02), RECT(9, 8.5, 19, 18.5))}, "0-1 1.5", 1.5, 0,
     0, 0, 0, 0},
    /* a parcel inside another: its own area */
    {"contained", {ROW(K(01), RECT(0, 0, 100, 100)), ROW(K(02), RECT(10, 10, 20, 20))}, "0-1 100", 100, 0, 0, 0, 0, 0},
    /* the same rectangle twice */
    {"duplicate geometry", {ROW(K(01), RECT(0, 0, 10, 10)), ROW(K(02), RECT(0, 0, 10, 10))}, "0-1 100", 100, 0, 0, 0,
     0, 0},
    /* three at once: a ∩ b = [5,10] × [0,10] 50, a ∩ c = [2,10] 80,
    ** b ∩ c = [5,12] 70: 200 m² counted twice */
    {"three overlapping",
     {ROW(K(01), RECT(0, 0, 10, 10)), ROW(K(02), RECT(5, 0, 15, 10)), ROW(K(03), RECT(2, 0, 12, 10))},
     "0-1 50, 0-2 80, 1-2 70", 200, 0, 0, 0, 0, 0},
    /* a two-part parcel ([0,10]², [20,30] × [0,10]) overlapped by x on its
    ** first part (50) and y on its second (50); it is multipart */
    {"a multipolygon",
     {ROW(K(01), "MULTIPOLYGON(((0 0,10 0,10 10,0 10,0 0)),((20 0,30 0,30 10,20 10,20 0)))"),
      ROW(K(02), RECT(5, 0, 15, 10)), ROW(K(03), RECT(25, 0, 35, 10))},
     "0-1 50, 0-2 50", 100, 0, 0, 0, 1, 0},
    /* a parcel filling the hole of another touches it; one straddling the
    ** hole's edge ([15,25] × [12,18]) overlaps it by [20,25] × [12,18] */
    {"holes",
     {ROW(K(01), RING_WITH_HOLE), ROW(K(02), RECT(10, 10, 20, 20)), ROW(K(03), RECT(15, 12, 25, 18))},
     "0-2 30, 1-2 30", 60, 0, 0, 0, 0, 0},
    /* sizes: 0.5 m² tiny, 1 m² not; 1,000,000 m² not huge, 1,001,000 m² */
    {"sizes",
     {ROW(K(01), RECT(0, 0, 0.5, 1)), ROW(K(02), RECT(10, 0, 11, 1)), ROW(K(03), RECT(100, 0, 1100, 1000)),
      ROW(K(04), RECT(2000, 0, 3001, 1000))},
     "", 0, 1, 1, 0, 0, 0},
    /* keys: 19 digits, 18, a letter, 20 */
    {"keys",
     {ROW(K(01), RECT(0, 0, 10, 10)), ROW("230113101201010000", RECT(20, 0, 30, 10)),
      ROW("23011310120101000A1", RECT(40, 0, 50, 10)), ROW(K(01) "0", RECT(60, 0, 70, 10))},
     "", 0, 0, 0, 3, 0, 0},
    /*
    ** Twenty parcels in a row at 0..390 m, one 4 km away and one 100 km
    ** away: the median centre is the twelfth of the row (x = 225), the
    ** 95th-percentile distance 0.22 km, the limit max(5 × 0.22, 5) = 5 km:
    ** the parcel 100 km away is reported, the one 3.8 km from the centre
    ** is not.
    */
    {"far from the cluster",
     {ROW(K(01), RECT(0, 0, 10, 10)), ROW(K(02), RECT(20, 0, 30, 10)), ROW(K(03), RECT(40, 0, 50, 10)),
      ROW(K(04), RECT(60, 0, 70, 10)), ROW(K(05), RECT(80, 0, 90, 10)), ROW(K(06), RECT(100, 0, 110, 10)),
      ROW(K(07), RECT(120, 0, 130, 10)), ROW(K(08), RECT(140, 0, 150, 10)), ROW(K(09), RECT(160, 0, 170, 10)),
      ROW(K(10), RECT(180, 0, 190, 10)), ROW(K(11), RECT(200, 0, 210, 10)), ROW(K(12), RECT(220, 0, 230, 10)),
      ROW(K(13), RECT(240, 0, 250, 10)), ROW(K(14), RECT(260, 0, 270, 10)), ROW(K(15), RECT(280, 0, 290, 10)),
      ROW(K(16), RECT(300, 0, 310, 10)), ROW(K(17), RECT(320, 0, 330, 10)), ROW(K(18), RECT(340, 0, 350, 10)),
      ROW(K(19), RECT(360, 0, 370, 10)), ROW(K(20), RECT(380, 0, 390, 10)), ROW(K(21), RECT(4000, 0, 4010, 10)),
      ROW(K(22), RECT(100000, 0, 100010, 10))},
     "", 0, 0, 0, 0, 0, 1},
};

static void run_case(const checks_case *c)
{
    size_t n = 0;
    while (n < MAXP && c->parcels[n].wkt) n++;
    lc_parcels *p = NULL;
    lc_status rc = fx_parcels(ctx, NULL, 0, 0, c->parcels, n, &p);
    CHECK(rc == LC_OK, "%s: fixture: %s", c->name, lc_ctx_errmsg(ctx));
    if (rc != LC_OK) return;
    lc_overlap_pairs pairs = {0};
    lc_points pts = {0};
    lc_qa qa = {0};
    rc = lc_overlap_search(ctx, p, &pairs);
    if (rc == LC_OK) rc = lc_points_run(ctx, p, &pts);
    if (rc == LC_OK) rc = lc_checks_run(ctx, p, &pts, 0.05, &qa);
    if (rc == LC_OK) rc = lc_checks_record_pairs(ctx, p, &pairs, &qa);
    CHECK(rc == LC_OK, "%s: %s", c->name, lc_ctx_errmsg(ctx));
    if (rc == LC_OK) {
        char got[512] = "";
        for (size_t k = 0; k < pairs.n; k++) {
            const lc_overlap_pair *o = &pairs.items[k];
            snprintf(got + strlen(got), sizeof got - strlen(got), "%s%zu-%zu %g", k ? ", " : "", o->a, o->b, o->m2);
            double a = 0;
            GEOSArea_r(ctx->geos, o->geom, &a);
            CHECK_REL(a, o->m2, 1e-12, c->name);
            /* the finding's point lies in the overlap */
            GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(ctx->geos, o->x, o->y);
            CHECK(o->has_point && GEOSIntersects_r(ctx->geos, o->geom, pt) == 1, "%s: point of pair %zu", c->name, k);
            GEOSGeom_destroy_r(ctx->geos, pt);
        }
        CHECK_STR(got, c->pairs, c->name);
        CHECK_ABS(pairs.double_counted_m2, c->double_counted, 1e-9, "m²", c->name);
        static const char *const kinds[] = {"tiny_parcel", "huge_parcel", "malformed_key", "multipart_parcel",
                                            "far_from_cluster", "overlapping_parcels"};
        const size_t want[] = {c->tiny, c->huge, c->malformed, c->multipart, c->far, pairs.n};
        size_t all = 0;
        for (size_t k = 0; k < 6; k++) {
            size_t n_kind = lc_qa_count_kind(&qa, kinds[k]);
            CHECK(n_kind == want[k], "%s: %zu %s findings, want %zu", c->name, n_kind, kinds[k], want[k]);
            all += want[k];
        }
        CHECK(qa.n == all, "%s: %zu findings in all, want %zu", c->name, qa.n, all);
    }
    lc_overlap_pairs_release(ctx->geos, &pairs);
    lc_points_release(&pts);
    lc_qa_release(&qa);
    fx_parcels_free(p);
}

int main(void)
{
    ctx = lc_ctx_new();
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) run_case(&cases[c]);
    lc_ctx_free(ctx);
    return lc_test_report("test_checks");
}
