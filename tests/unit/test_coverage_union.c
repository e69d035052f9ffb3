/* lc_coverage_union: tables of cases (WKT in) whose union must equal GEOS's
** union of the same polygons (GEOSEquals, and the area), clean coverages
** and the ones that need the overlay, then random patches of a grid with
** a few overlapping and T-junction pieces (the seed is printed). */
#include <stdlib.h>

#include "coverage_union.h"
#include "edge_contact.h"
#include "lc_test.h"

typedef struct cu_case {
    const char *name;
    const char *wkt[10];     /* NULL-terminated */
    int parts, holes;        /* of the union */
} cu_case;


static const cu_case CASES[] = {
    {"one polygon", {"POLYGON((0 0,10 0,10 10,0 10,0 0))", NULL}, 1, 0},
    {"shared edge", {"POLYGON((0 0,10 0,10 10,0 10,0 0))", "POLYGON((10 0,20 0,20 10,10 10,10 0))", NULL}, 1, 0},
    {"shared edge, rings both ways",
     {"POLYGON((0 0,0 10,10 10,10 0,0 0))", "POLYGON((10 0,20 0,20 10,10 10,10 0))", NULL}, 1, 0},
    {"2 x 2 grid", {"POLYGON((0 0,10 0,10 10,0 10,0 0))", "POLYGON((10 0,20 0,20 10,10 10,10 0))",
                    "POLYGON((0 10,10 10,10 20,0 20,0 10))", "POLYGON((10 10,20 10,20 20,10 20,10 10))", NULL}, 1, 0},
    {"corner only", {"POLYGON((0 0,10 0,10 10,0 10,0 0))", "POLYGON((10 10,20 10,20 20,10 20,10 10))", NULL}, 2, 0},
    {"apart", {"POLYGON((0 0,10 0,10 10,0 10,0 0))", "POLYGON((30 0,40 0,40 10,30 10,30 0))", NULL}, 2, 0},
    {"ring of eight around an empty cell",
     {"POLYGON((0 0,10 0,10 10,0 10,0 0))", "POLYGON((10 0,20 0,20 10,10 10,10 0))",
      "POLYGON((20 0,30 0,30 10,20 10,20 0))", "POLYGON((0 10,10 10,10 20,0 20,0 10))",
      "POLYGON((20 10,30 10,30 20,20 20,20 10))", "POLYGON((0 20,10 20,10 30,0 30,0 20))",
      "POLYGON((10 20,20 20,20 30,10 30,10 20))", "POLYGON((20 20,30 20,30 30,20 30,20 20))", NULL}, 1, 1},
    {"ring of eight and the centre", {"POLYGON((0 0,10 0,10 10,0 10,0 0))", "POLYGON((10 0,20 0,20 10,10 10,10 0))",
      "POLYGON((20 0,30 0,30 10,20 10,20 0))", "POLYGON((0 10,10 10,10 20,0 20,0 10))",
      "POLYGON((20 10,30 10,30 20,20 20,20 10))", "POLYGON((0 20,10 20,10 30,0 30,0 20))",
      "POLYGON((10 20,20 20,20 30,10 30,10 20))", "POLYGON((20 20,30 20,30 30,20 30,20 20))",
      "POLYGON((10 10,20 10,20 20,10 20,10 10))", NULL}, 1, 0},
    {"frame with an island in its hole",
     {"POLYGON((0 0,50 0,50 50,0 50,0 0),(10 10,10 40,40 40,40 10,10 10))",
      "POLYGON((20 20,30 20,30 30,20 30,20 20))", NULL}, 2, 1},
    {"filling a parcel's hole exactly",
     {"POLYGON((0 0,50 0,50 50,0 50,0 0),(10 10,10 40,40 40,40 10,10 10))",
      "POLYGON((10 10,40 10,40 40,10 40,10 10))", NULL}, 1, 0},
    {"two holes touching the shell at a vertex",
     {"POLYGON((0 0,10 0,10 10,0 10,0 0))", "POLYGON((10 0,20 0,20 10,10 10,10 0))",
      "POLYGON((0 10,10 10,5 15,0 10))", NULL}, 1, 0},
    {"overlap (by overlay)", {"POLYGON((0 0,10 0,10 10,0 10,0 0))", "POLYGON((8 0,18 0,18 10,8 10,8 0))",
                              "POLYGON((18 0,28 0,28 10,18 10,18 0))", NULL}, 1, 0},
    {"T-junction (by overlay)", {"POLYGON((0 0,10 0,10 10,0 10,0 0))", "POLYGON((10 0,20 0,20 5,10 5,10 0))",
                                 "POLYGON((10 5,20 5,20 10,10 10,10 5))", NULL}, 1, 0},
    {"the same polygon twice", {"POLYGON((0 0,10 0,10 10,0 10,0 0))", "POLYGON((0 0,10 0,10 10,0 10,0 0))", NULL},
     1, 0},
    {"multipolygon members", {"MULTIPOLYGON(((0 0,10 0,10 10,0 10,0 0)),((30 0,40 0,40 10,30 10,30 0)))",
                              "POLYGON((10 0,30 0,30 10,10 10,10 0))", NULL}, 1, 0},
};

static GEOSGeometry *overlay_union(lc_ctx *ctx, GEOSGeometry **g, size_t n)
{
    GEOSContextHandle_t h = ctx->geos;
    GEOSGeometry **own = malloc(n * sizeof *own);
    for (size_t i = 0; i < n; i++) own[i] = GEOSGeom_clone_r(h, g[i]);
    GEOSGeometry *c = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, own, (unsigned)n);
    free(own);
    GEOSGeometry *u = GEOSUnaryUnion_r(h, c);
    GEOSGeom_destroy_r(h, c);
    return u;
}

static void count(GEOSContextHandle_t h, const GEOSGeometry *g, int *parts, int *holes)
{
    *parts = GEOSGetNumGeometries_r(h, g);
    *holes = 0;
    for (int k = 0; k < *parts; k++) *holes += GEOSGetNumInteriorRings_r(h, GEOSGetGeometryN_r(h, g, k));
}

static void run(lc_ctx *ctx, const char *name, GEOSGeometry **g, size_t n, int parts, int holes)
{
    GEOSContextHandle_t h = ctx->geos;
    GEOSGeometry *u = NULL;
    CHECK(lc_coverage_union(ctx, g, n, &u) == LC_OK && u, "%s: lc_coverage_union failed: %s", name,
          lc_ctx_errmsg(ctx));
    if (!u) return;
    GEOSGeometry *ref = overlay_union(ctx, g, n);
    CHECK(GEOSGeomTypeId_r(h, u) == GEOS_MULTIPOLYGON, "%s: a MultiPolygon", name);
    CHECK(GEOSisValid_r(h, u) == 1, "%s: valid", name);
    CHECK(GEOSEquals_r(h, u, ref) == 1, "%s: the same point set as GEOS's union", name);
    double a, b;
    GEOSArea_r(h, u, &a);
    GEOSArea_r(h, ref, &b);
    CHECK_REL(a, b, 1e-12, name);
    if (parts >= 0) {
        int p, k;
        count(h, u, &p, &k);
        CHECK(p == parts && k == holes, "%s: %d parts %d holes, want %d and %d", name, p, k, parts, holes);
    }
    GEOSGeom_destroy_r(h, ref);
    /* the polygons in a contact the coordinate test does not settle marked
    ** beforehand, as the overlap search finds them: the same union, vertex
    ** for vertex */
    unsigned char *marks = calloc(n, 1);
    lc_rings ri = {0}, rj = {0};
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            lc_rings_load(ctx, &ri, g[i]);
            lc_rings_load(ctx, &rj, g[j]);
            if (lc_rings_contact(&ri, &rj) == LC_CONTACT_UNKNOWN) marks[i] = marks[j] = 1;
        }
    lc_rings_release(&ri);
    lc_rings_release(&rj);
    GEOSGeometry *um = NULL;
    CHECK(lc_coverage_union_marked(ctx, g, n, marks, &um) == LC_OK && um && GEOSEqualsExact_r(h, u, um, 0) == 1,
          "%s: the same union with the unsettled polygons marked beforehand", name);
    if (um) GEOSGeom_destroy_r(h, um);
    free(marks);
    GEOSGeom_destroy_r(h, u);
}

/*
** Pieces of one closing cut along straight lines (tiles) meet there edge to
** edge, but each piece's boundary crosses the line where its own closing put
** it: the seam gets a step between the two crossings. Their union by the
** seams is the overlay's point set with no overlay.
*/
static void seams_case(lc_ctx *ctx, GEOSWKTReader *rd, const char *name, const char *a, const char *b,
                       const double *xs, size_t nx, const double *ys, size_t ny, int parts, int holes)
{
    GEOSContextHandle_t h = ctx->geos;
    GEOSGeometry *g[2] = {GEOSWKTReader_read_r(h, rd, a), GEOSWKTReader_read_r(h, rd, b)};
    GEOSGeometry *u = NULL;
    lc_seams seams = {xs, ys, nx, ny};
    int by_overlay = -1;
    CHECK(lc_coverage_union_seams(ctx, g, 2, &seams, &u, &by_overlay) == LC_OK && u, "%s: failed: %s", name,
          lc_ctx_errmsg(ctx));
    CHECK(by_overlay == 0, "%s: unioned by the seams, not the overlay", name);
    if (u) {
        GEOSGeometry *ref = overlay_union(ctx, g, 2);
        CHECK(GEOSisValid_r(h, u) == 1, "%s: valid", name);
        CHECK(GEOSEquals_r(h, u, ref) == 1, "%s: the same point set as GEOS's union", name);
        double au, a0, a1;
        GEOSArea_r(h, u, &au);
        GEOSArea_r(h, g[0], &a0);
        GEOSArea_r(h, g[1], &a1);
        CHECK_REL(au, a0 + a1, 1e-12, name);
        int p, k;
        count(h, u, &p, &k);
        CHECK(p == parts && k == holes, "%s: %d parts %d holes, want %d and %d", name, p, k, parts, holes);
        GEOSGeom_destroy_r(h, ref);
        GEOSGeom_destroy_r(h, u);
    }
    /* without the seams the two do not meet cleanly */
    u = NULL;
    CHECK(lc_coverage_union_seams(ctx, g, 2, NULL, &u, &by_overlay) == LC_OK && by_overlay == 1,
          "%s: without the seams, by overlay", name);
    if (u) GEOSGeom_destroy_r(h, u);
    GEOSGeom_destroy_r(h, g[0]);
    GEOSGeom_destroy_r(h, g[1]);
}

static void seams_cases(lc_ctx *ctx, GEOSWKTReader *rd)
{
    static const double x2[] = {2}, y2[] = {2}, x1[] = {-5, 1, 9};
    /* the top crosses x = 1 at 1 on the left and 1.0000001 on the right */
    seams_case(ctx, rd, "a step on a seam", "POLYGON((0 0,1 0,1 1,0 1,0 0))",
               "POLYGON((1 0,2 0,2 1.0000001,1 1.0000001,1 0))", x1, 3, NULL, 0, 1, 0);
    /* a frame cut at x = 2 around its hole, whose top edge steps there */
    seams_case(ctx, rd, "a hole across a seam", "POLYGON((0 0,2 0,2 1,1 1,1 3,2 3,2 4,0 4,0 0))",
               "POLYGON((2 0,4 0,4 4,2 4,2 3.0000001,3 3.0000001,3 1,2 1,2 0))", x2, 1, NULL, 0, 1, 1);
    /* cut at y = 2: the left side crosses it at 0 below and 0.0000002 above */
    seams_case(ctx, rd, "a step on a horizontal seam", "POLYGON((0 0,4 0,4 2,0 2,0 0))",
               "POLYGON((0.0000002 2,4 2,4 4,0.0000002 4,0.0000002 2))", NULL, 0, y2, 1, 1, 0);
}

int main(int argc, char **argv)
{
    lc_ctx *ctx = lc_ctx_new();
    GEOSContextHandle_t h = ctx->geos;
    GEOSWKTReader *rd = GEOSWKTReader_create_r(h);
    seams_cases(ctx, rd);
    for (size_t c = 0; c < sizeof CASES / sizeof CASES[0]; c++) {
        GEOSGeometry *g[10];
        size_t n = 0;
        while (CASES[c].wkt[n]) {
            g[n] = GEOSWKTReader_read_r(h, rd, CASES[c].wkt[n]);
            n++;
        }
        run(ctx, CASES[c].name, g, n, CASES[c].parts, CASES[c].holes);
        for (size_t i = 0; i < n; i++) GEOSGeom_destroy_r(h, g[i]);
    }

    /* random patches of a 12 x 12 grid of jittered cells sharing their
    ** corners (a coverage), sometimes with one cell grown into its
    ** neighbour (an overlap) or split on one side only (a T-junction) */
    unsigned seed = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 20261201u;
    printf("seed %u\n", seed);
    srand(seed);
    enum { G = 12 };
    for (int round = 0; round < 40; round++) {
        double X[G + 1][G + 1], Y[G + 1][G + 1];
        for (int i = 0; i <= G; i++)
            for (int j = 0; j <= G; j++) {
                X[i][j] = 42512000.0 + 15.0 * i + (rand() % 1000) / 1000.0;
                Y[i][j] = 5030000.0 + 15.0 * j + (rand() % 1000) / 1000.0;
            }
        GEOSGeometry *g[G * G];
        size_t n = 0;
        int defect = round % 4;  /* 0, 1: clean; 2: an overlap; 3: a T-junction */
        for (int i = 0; i < G; i++)
            for (int j = 0; j < G; j++) {
                if (rand() % 3 == 0) continue;
                char wkt[512];
                double grow = (defect == 2 && n == 5) ? 2.0 : 0.0;
                if (defect == 3 && n == 7)
                    snprintf(wkt, sizeof wkt, "POLYGON((%.3f %.3f,%.3f %.3f,%.3f %.3f,%.3f %.3f,%.3f %.3f,%.3f %.3f))",
                             X[i][j], Y[i][j], X[i + 1][j], Y[i + 1][j], (X[i + 1][j] + X[i + 1][j + 1]) / 2,
                             (Y[i + 1][j] + Y[i + 1][j + 1]) / 2, X[i + 1][j + 1], Y[i + 1][j + 1], X[i][j + 1],
                             Y[i][j + 1], X[i][j], Y[i][j]);
                else
                    snprintf(wkt, sizeof wkt, "POLYGON((%.3f %.3f,%.3f %.3f,%.3f %.3f,%.3f %.3f,%.3f %.3f))", X[i][j],
                             Y[i][j], X[i + 1][j] + grow, Y[i + 1][j], X[i + 1][j + 1] + grow, Y[i + 1][j + 1],
                             X[i][j + 1], Y[i][j + 1], X[i][j], Y[i][j]);
                g[n++] = GEOSWKTReader_read_r(h, rd, wkt);
            }
        char name[80];
        snprintf(name, sizeof name, "random patch %d (%s, seed %u)", round,
                 defect == 2 ? "an overlap" : defect == 3 ? "a T-junction" : "clean", seed);
        run(ctx, name, g, n, -1, -1);
        for (size_t i = 0; i < n; i++) GEOSGeom_destroy_r(h, g[i]);
    }
    GEOSWKTReader_destroy_r(h, rd);
    lc_ctx_free(ctx);
    return lc_test_report("test_coverage_union");
}
