/* lc_rings_contact: a table of cases (WKT in, the contact out), then random
** pairs of polygons on a coarse grid (shared vertices, shared edges,
** T-junctions and overlaps are frequent there) checked against GEOS: a
** settled answer must agree with GEOS's Intersects and Touches (the seed
** is printed for replay). */
#include <stdlib.h>

#include "edge_contact.h"
#include "lc_test.h"

typedef struct contact_case {
    const char *name, *a, *b;
    lc_contact want;
} contact_case;

#define SQ "POLYGON((0 0,10 0,10 10,0 10,0 0))"

static const contact_case CASES[] = {
    {"apart", SQ, "POLYGON((20 0,30 0,30 10,20 10,20 0))", LC_CONTACT_NONE},
    {"boxes overlap, shapes apart", "POLYGON((0 0,10 0,0 10,0 0))", "POLYGON((10 10,10 6,6 10,10 10))",
     LC_CONTACT_NONE},
    {"shared edge", SQ, "POLYGON((10 0,20 0,20 10,10 10,10 0))", LC_CONTACT_CLEAN},
    {"shared edge, other ring direction", SQ, "POLYGON((10 0,10 10,20 10,20 0,10 0))", LC_CONTACT_CLEAN},
    {"shared corner", SQ, "POLYGON((10 10,20 10,20 20,10 20,10 10))", LC_CONTACT_CLEAN},
    {"corner, edges collinear and leaving apart", SQ, "POLYGON((10 0,20 0,20 -10,10 -10,10 0))",
     LC_CONTACT_CLEAN},
    {"noded neighbour: extra vertex on both sides", "POLYGON((0 0,10 0,10 5,10 10,0 10,0 0))",
     "POLYGON((10 0,20 0,20 5,10 5,10 0))", LC_CONTACT_CLEAN},
    {"T-junction: a vertex on the other's edge", SQ, "POLYGON((10 0,20 0,20 5,10 5,10 0))",
     LC_CONTACT_UNKNOWN},
    {"a vertex on the other's edge, no common edge", SQ, "POLYGON((10 5,20 0,20 10,10 5))", LC_CONTACT_UNKNOWN},
    {"overlapping", SQ, "POLYGON((5 5,15 5,15 15,5 15,5 5))", LC_CONTACT_UNKNOWN},
    {"overlap with only common vertices (a chord)", SQ, "POLYGON((0 0,10 0,10 10,0 0))", LC_CONTACT_UNKNOWN},
    {"the same polygon twice", SQ, SQ, LC_CONTACT_UNKNOWN},
    {"inside, not touching", SQ, "POLYGON((2 2,4 2,4 4,2 4,2 2))", LC_CONTACT_UNKNOWN},
    {"in a hole, not touching", "POLYGON((0 0,10 0,10 10,0 10,0 0),(2 2,2 8,8 8,8 2,2 2))",
     "POLYGON((3 3,7 3,7 7,3 7,3 3))", LC_CONTACT_NONE},
    {"filling a hole exactly (left to GEOS)", "POLYGON((0 0,10 0,10 10,0 10,0 0),(2 2,2 8,8 8,8 2,2 2))",
     "POLYGON((2 2,8 2,8 8,2 8,2 2))", LC_CONTACT_UNKNOWN},
    {"a part of a multipolygon shares an edge", "MULTIPOLYGON(((0 0,10 0,10 10,0 10,0 0)),((30 0,40 0,40 10,30 10,30 0)))",
     "POLYGON((10 0,20 0,20 10,10 10,10 0))", LC_CONTACT_CLEAN},
    {"Gauss-Kruger strips sharing a bent line",
     "POLYGON((42512000 5030000,42512015.123 5030000.2,42512016.5 5030250.75,42512015.2 5030500,"
     "42512000 5030500,42512000 5030000))",
     "POLYGON((42512015.123 5030000.2,42512030 5030000,42512030 5030500,42512015.2 5030500,"
     "42512016.5 5030250.75,42512015.123 5030000.2))", LC_CONTACT_CLEAN},
    {"Gauss-Kruger strips 1 nm apart",
     "POLYGON((42512000 5030000,42512015 5030000,42512015 5030500,42512000 5030500,42512000 5030000))",
     "POLYGON((42512015.000000004 5030000,42512030 5030000,42512030 5030500,42512015.000000004 5030500,"
     "42512015.000000004 5030000))", LC_CONTACT_NONE},
    {"Gauss-Kruger strips overlapping by a wedge",
     "POLYGON((42512000 5030000,42512015 5030000,42512017 5030500,42512000 5030500,42512000 5030000))",
     "POLYGON((42512015 5030000,42512030 5030000,42512030 5030500,42512015 5030500,42512015 5030000))",
     LC_CONTACT_UNKNOWN},
};

static const char *name_of(lc_contact c)
{
    return c == LC_CONTACT_NONE ? "NONE" : c == LC_CONTACT_CLEAN ? "CLEAN" : "UNKNOWN";
}

/* A settled answer must be what GEOS says; returns the answer. */
static lc_contact check_pair(lc_ctx *ctx, lc_rings *ra, lc_rings *rb, const GEOSGeometry *a, const GEOSGeometry *b,
                             const char *what)
{
    GEOSContextHandle_t h = ctx->geos;
    CHECK(lc_rings_load(ctx, ra, a) == LC_OK && lc_rings_load(ctx, rb, b) == LC_OK, "%s: load", what);
    lc_contact c = lc_rings_contact(ra, rb), r = lc_rings_contact(rb, ra);
    CHECK(c == r, "%s: symmetric (%s vs %s)", what, name_of(c), name_of(r));
    if (c == LC_CONTACT_NONE) CHECK(GEOSIntersects_r(h, a, b) == 0, "%s: NONE but GEOS says they intersect", what);
    if (c == LC_CONTACT_CLEAN)
        CHECK(GEOSIntersects_r(h, a, b) == 1 && GEOSTouches_r(h, a, b) == 1,
              "%s: CLEAN but GEOS says they do not just touch", what);
    return c;
}

int main(int argc, char **argv)
{
    lc_ctx *ctx = lc_ctx_new();
    GEOSContextHandle_t h = ctx->geos;
    GEOSWKTReader *rd = GEOSWKTReader_create_r(h);
    lc_rings ra = {0}, rb = {0};
    for (size_t k = 0; k < sizeof CASES / sizeof CASES[0]; k++) {
        GEOSGeometry *a = GEOSWKTReader_read_r(h, rd, CASES[k].a), *b = GEOSWKTReader_read_r(h, rd, CASES[k].b);
        CHECK(a && b, "%s: WKT", CASES[k].name);
        lc_contact c = check_pair(ctx, &ra, &rb, a, b, CASES[k].name);
        CHECK(c == CASES[k].want, "%s: got %s, want %s\n  a: %s\n  b: %s", CASES[k].name, name_of(c),
              name_of(CASES[k].want), CASES[k].a, CASES[k].b);
        GEOSGeom_destroy_r(h, a);
        GEOSGeom_destroy_r(h, b);
    }

    /* random quadrilaterals on a 4x4 grid: many common vertices and edges */
    unsigned seed = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 20261201u;
    printf("seed %u\n", seed);
    srand(seed);
    int settled[3] = {0, 0, 0};
    for (int round = 0; round < 20000; round++) {
        GEOSGeometry *g[2];
        for (int m = 0; m < 2; m++) {
            char wkt[256];
            int x0 = rand() % 3, y0 = rand() % 3, x1 = x0 + 1 + rand() % 2, y1 = y0 + 1 + rand() % 2;
            int mid = rand() % 3;  /* sometimes an extra vertex on the right edge */
            if (mid == 0)
                snprintf(wkt, sizeof wkt, "POLYGON((%d %d,%d %d,%d %d,%d %d,%d %d))", x0, y0, x1, y0, x1, y1, x0, y1,
                         x0, y0);
            else if (mid == 1 && y1 - y0 == 2)
                snprintf(wkt, sizeof wkt, "POLYGON((%d %d,%d %d,%d %d,%d %d,%d %d,%d %d))", x0, y0, x1, y0, x1,
                         y0 + 1, x1, y1, x0, y1, x0, y0);
            else
                snprintf(wkt, sizeof wkt, "POLYGON((%d %d,%d %d,%d %d,%d %d))", x0, y0, x1, y0, x0, y1, x0, y0);
            g[m] = GEOSWKTReader_read_r(h, rd, wkt);
        }
        char what[64];
        snprintf(what, sizeof what, "random pair %d (seed %u)", round, seed);
        settled[check_pair(ctx, &ra, &rb, g[0], g[1], what)]++;
        GEOSGeom_destroy_r(h, g[0]);
        GEOSGeom_destroy_r(h, g[1]);
    }
    printf("random pairs: %d none, %d clean, %d left to GEOS\n", settled[LC_CONTACT_NONE], settled[LC_CONTACT_CLEAN],
           settled[LC_CONTACT_UNKNOWN]);
    CHECK(settled[LC_CONTACT_NONE] > 1000 && settled[LC_CONTACT_CLEAN] > 1000, "random pairs: both answers occur");
    lc_rings_release(&ra);
    lc_rings_release(&rb);
    GEOSWKTReader_destroy_r(h, rd);
    lc_ctx_free(ctx);
    return lc_test_report("test_edge_contact");
}
