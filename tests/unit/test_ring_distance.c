/* lc_rings_within against GEOS's own answer (GEOSPreparedDistanceWithin,
** the polygon prepared being the first) on pairs built to sit at, just
** inside and just outside the distance: axis-aligned strips exactly d
** apart (the distance then computes exactly), 3-4-5 corners, rotated and
** irregular polygons in Gauss-Kruger and in small coordinates, polygons
** with holes holding others, overlaps, containment, multipolygons. Every
** answer must be GEOS's; the test also counts that both answers and exact
** ties occur, and that big polygons are left to GEOS. */
#include <math.h>
#include <stdlib.h>

#include <geos_c.h>

#include "edge_contact.h"
#include "lc_test.h"
#include "ring_distance.h"

static lc_ctx *ctx;
static int agree, yes, no, left_to_geos;

static GEOSGeometry *wkt(const char *s)
{
    GEOSWKTReader *r = GEOSWKTReader_create_r(ctx->geos);
    GEOSGeometry *g = GEOSWKTReader_read_r(ctx->geos, r, s);
    GEOSWKTReader_destroy_r(ctx->geos, r);
    return g;
}

/* Compares one pair; returns lc_rings_within's answer. */
static int compare(const GEOSGeometry *a, const GEOSGeometry *b, double d, const char *what)
{
    lc_rings ra = {0}, rb = {0};
    CHECK(lc_rings_load(ctx, &ra, a) == LC_OK && lc_rings_load(ctx, &rb, b) == LC_OK, "%s: loaded", what);
    int mine = lc_rings_within(&ra, &rb, d);
    const GEOSPreparedGeometry *p = GEOSPrepare_r(ctx->geos, a);
    char geos = GEOSPreparedDistanceWithin_r(ctx->geos, p, b, d);
    GEOSPreparedGeom_destroy_r(ctx->geos, p);
    if (mine < 0) {
        left_to_geos++;
    } else if (mine == geos) {
        agree++;
        if (mine) yes++;
        else no++;
    } else {
        CHECK(mine == geos, "%s at d=%.17g: lc_rings_within %d, GEOS %d", what, d, mine, geos);
    }
    lc_rings_release(&ra);
    lc_rings_release(&rb);
    return mine;
}

static void compare_wkt(const char *a, const char *b, double d, int want, const char *what)
{
    GEOSGeometry *ga = wkt(a), *gb = wkt(b);
    CHECK(ga && gb, "%s: WKT read", what);
    if (!ga || !gb) return;
    int got = compare(ga, gb, d, what);
    CHECK(got == want, "%s: got %d, want %d", what, got, want);
    GEOSGeom_destroy_r(ctx->geos, ga);
    GEOSGeom_destroy_r(ctx->geos, gb);
}

/* Exact cases: the answers are known, and GEOS's too. */
static void drawn_cases(void)
{
    const char *s1 = "POLYGON((42500000 5030000,42500020 5030000,42500020 5030300,42500000 5030300,42500000 5030000))";
    const char *s2 = "POLYGON((42500023 5030000,42500043 5030000,42500043 5030300,42500023 5030300,42500023 5030000))";
    compare_wkt(s1, s2, 3.0, 1, "strips exactly 3 m apart, d 3");
    compare_wkt(s1, s2, nextafter(3.0, 0), 0, "strips exactly 3 m apart, d just under 3");
    compare_wkt(s2, s1, 3.0, 1, "the same, the other prepared");
    /* corner to corner 3-4-5: exactly 5 */
    const char *c2 = "POLYGON((42500023 5030304,42500043 5030304,42500043 5030400,42500023 5030400,42500023 5030304))";
    compare_wkt(s1, c2, 5.0, 1, "corners 5 m apart, d 5");
    compare_wkt(s1, c2, nextafter(5.0, 0), 0, "corners 5 m apart, d just under 5");
    /* overlap, containment, a parcel in a hole */
    compare_wkt(s1, "POLYGON((42500010 5030100,42500030 5030100,42500030 5030120,42500010 5030120,42500010 5030100))",
                3.0, 1, "overlapping");
    compare_wkt(s1, "POLYGON((42500005 5030100,42500015 5030100,42500015 5030120,42500005 5030120,42500005 5030100))",
                3.0, 1, "inside the other");
    compare_wkt("POLYGON((42500005 5030100,42500015 5030100,42500015 5030120,42500005 5030120,42500005 5030100))", s1,
                3.0, 1, "holding the other");
    const char *ring = "POLYGON((0 0,100 0,100 100,0 100,0 0),(20 20,80 20,80 80,20 80,20 20))";
    compare_wkt(ring, "POLYGON((40 40,60 40,60 60,40 60,40 40))", 3.0, 0, "in the hole, 20 m from it");
    compare_wkt(ring, "POLYGON((23 40,60 40,60 60,23 60,23 40))", 3.0, 1, "in the hole, 3 m from it");
    compare_wkt("POLYGON((40 40,60 40,60 60,40 60,40 40))", ring, 3.0, 0, "in the hole, the other prepared");
    compare_wkt("MULTIPOLYGON(((0 0,10 0,10 10,0 10,0 0)),((50 0,60 0,60 10,50 10,50 0)))",
                "POLYGON((20 0,47 0,47 10,20 10,20 0))", 3.0, 1, "multipolygon, second part 3 m away");
    compare_wkt("MULTIPOLYGON(((0 0,10 0,10 10,0 10,0 0)),((50 0,60 0,60 10,50 10,50 0)))",
                "POLYGON((20 0,46 0,46 10,20 10,20 0))", 3.0, 0, "multipolygon, 4 m and 10 m away");
}

/* A random polygon around (cx, cy): a star of n vertices, radius r. */
static GEOSGeometry *star(double cx, double cy, double r, int n, double turn)
{
    GEOSCoordSequence *s = GEOSCoordSeq_create_r(ctx->geos, (unsigned)n + 1, 2);
    for (int i = 0; i <= n; i++) {
        double t = turn + 2 * 3.14159265358979323846 * (i % n) / n, rr = r * (0.5 + 0.5 * rand() / (double)RAND_MAX);
        if (i == n) t = turn, rr = 0;
        GEOSCoordSeq_setXY_r(ctx->geos, s, (unsigned)i, cx + rr * cos(t), cy + rr * sin(t));
    }
    double x0, y0;
    GEOSCoordSeq_getXY_r(ctx->geos, s, 0, &x0, &y0);
    GEOSCoordSeq_setXY_r(ctx->geos, s, (unsigned)n, x0, y0);
    return GEOSGeom_createPolygon_r(ctx->geos, GEOSGeom_createLinearRing_r(ctx->geos, s), NULL, 0);
}

/* Random pairs; d set to their own GEOS distance (a tie), then a little
** above and below it, and a rotated strip pair at a random gap. */
static void random_pairs(double x0, double y0, int n_pairs)
{
    for (int i = 0; i < n_pairs; i++) {
        double r = 5 + rand() % 200, gap = (rand() % 2000) / 100.0;
        GEOSGeometry *a = star(x0, y0, r, 3 + rand() % 12, rand());
        GEOSGeometry *b = star(x0 + 2 * r + gap, y0 + (rand() % 100) - 50, r, 3 + rand() % 12, rand());
        double dist = 0;
        GEOSDistance_r(ctx->geos, a, b, &dist);
        if (dist > 0) {
            compare(a, b, dist, "random pair, d = its distance");
            compare(a, b, nextafter(dist, 0), "random pair, d just under its distance");
            compare(b, a, dist, "random pair swapped, d = its distance");
        }
        compare(a, b, dist + 0.5, "random pair, d above its distance");
        if (dist > 0.5) compare(a, b, dist - 0.5, "random pair, d below its distance");
        GEOSGeom_destroy_r(ctx->geos, a);
        GEOSGeom_destroy_r(ctx->geos, b);
    }
}

int main(void)
{
    srand(20261202u);
    ctx = lc_ctx_new();
    drawn_cases();
    random_pairs(42500000.0, 5030000.0, 1500);
    random_pairs(0.0, 0.0, 500);
    /* two polygons of 80 edges: 6,400 pairs, GEOS's */
    GEOSGeometry *a = star(0, 0, 50, 80, 0), *b = star(110, 0, 50, 80, 0);
    compare(a, b, 10, "80 edges each");
    GEOSGeom_destroy_r(ctx->geos, a);
    GEOSGeom_destroy_r(ctx->geos, b);
    printf("%d answers equal to GEOS's (%d within, %d not), %d left to GEOS\n", agree, yes, no, left_to_geos);
    CHECK(yes > 1000 && no > 1000, "both answers occur: %d within, %d not", yes, no);
    CHECK(left_to_geos == 1, "big polygons left to GEOS: %d", left_to_geos);
    lc_ctx_free(ctx);
    return lc_test_report("test_ring_distance");
}
