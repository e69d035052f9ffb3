/* lc_union_area: the area of a union as a sum of groups, against the area
** of GEOS's union of all pieces (the computation it replaces), on a table
** of cases and on random rectangles (the seed is printed for replay). */
#include <stdlib.h>

#include "area.h"
#include "lc_test.h"
#include "union_disjoint.h"

/* relative agreement with the union of everything: both are exact up to
** the rounding of a few area sums */
#define REL 1e-12

typedef struct wkt_case {
    const char *name;
    const char *wkt[6];   /* NULL-terminated */
    double want_m2;       /* < 0: only compare with the union of all */
} wkt_case;

static const wkt_case CASES[] = {
    {"nothing", {NULL}, 0},
    {"one square", {"POLYGON((0 0,10 0,10 10,0 10,0 0))", NULL}, 100},
    {"two apart", {"POLYGON((0 0,10 0,10 10,0 10,0 0))", "POLYGON((20 0,30 0,30 10,20 10,20 0))", NULL}, 200},
    {"shared edge (touching: areas add)",
     {"POLYGON((0 0,10 0,10 10,0 10,0 0))", "POLYGON((10 0,20 0,20 10,10 10,10 0))", NULL}, 200},
    {"shared corner", {"POLYGON((0 0,10 0,10 10,0 10,0 0))", "POLYGON((10 10,20 10,20 20,10 20,10 10))", NULL}, 200},
    {"overlap counted once",
     {"POLYGON((0 0,10 0,10 10,0 10,0 0))", "POLYGON((5 0,15 0,15 10,5 10,5 0))", NULL}, 150},
    {"chain A-B-C through B", {"POLYGON((0 0,10 0,10 10,0 10,0 0))", "POLYGON((8 0,22 0,22 10,8 10,8 0))",
                               "POLYGON((20 0,30 0,30 10,20 10,20 0))", "POLYGON((50 50,51 50,51 51,50 51,50 50))",
                               NULL}, 301},
    {"one inside another", {"POLYGON((0 0,10 0,10 10,0 10,0 0))", "POLYGON((2 2,4 2,4 4,2 4,2 2))", NULL}, 100},
    {"same piece twice", {"POLYGON((0 0,10 0,10 10,0 10,0 0))", "POLYGON((0 0,10 0,10 10,0 10,0 0))", NULL}, 100},
    {"filling a hole (touching)", {"POLYGON((0 0,10 0,10 10,0 10,0 0),(2 2,2 4,4 4,4 2,2 2))",
                                   "POLYGON((2 2,4 2,4 4,2 4,2 2))", NULL}, 100},
    {"multipolygon overlapping one part",
     {"MULTIPOLYGON(((0 0,10 0,10 10,0 10,0 0)),((20 0,30 0,30 10,20 10,20 0)))",
      "POLYGON((25 5,35 5,35 15,25 15,25 5))", NULL}, 275},
    {"Gauss-Kruger eastings, sliver overlap",
     {"POLYGON((42512000 5030000,42512015 5030000,42512015 5030500,42512000 5030500,42512000 5030000))",
      "POLYGON((42512014.999 5030000,42512030 5030000,42512030 5030500,42512014.999 5030500,"
      "42512014.999 5030000))", NULL}, -1},
};

static double union_of_all(lc_ctx *ctx, GEOSGeometry **g, size_t n)
{
    GEOSContextHandle_t h = ctx->geos;
    if (!n) return 0;
    GEOSGeometry **own = malloc(n * sizeof *own);
    for (size_t i = 0; i < n; i++) own[i] = GEOSGeom_clone_r(h, g[i]);
    GEOSGeometry *coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, own, (unsigned)n);
    free(own);
    GEOSGeometry *u = GEOSUnaryUnion_r(h, coll);
    double a = 0;
    GEOSArea_r(h, u, &a);
    GEOSGeom_destroy_r(h, u);
    GEOSGeom_destroy_r(h, coll);
    return a;
}

static void run(lc_ctx *ctx, const char *name, GEOSGeometry **g, size_t n, double want)
{
    double *areas = malloc((n ? n : 1) * sizeof *areas);
    for (size_t i = 0; i < n; i++) GEOSArea_r(ctx->geos, g[i], &areas[i]);
    double got = -1;
    lc_status rc = lc_union_area(ctx, g, areas, n, &got);
    CHECK(rc == LC_OK, "%s: lc_union_area failed: %s", name, lc_ctx_errmsg(ctx));
    if (want >= 0) CHECK_ABS(got, want, 1e-9 * (want > 1 ? want : 1), "m²", name);
    double all = union_of_all(ctx, g, n);
    CHECK_REL(got, all, REL, name);
    free(areas);
}

int main(int argc, char **argv)
{
    lc_ctx *ctx = lc_ctx_new();
    GEOSContextHandle_t h = ctx->geos;
    GEOSWKTReader *rd = GEOSWKTReader_create_r(h);
    for (size_t c = 0; c < sizeof CASES / sizeof CASES[0]; c++) {
        GEOSGeometry *g[6];
        size_t n = 0;
        while (CASES[c].wkt[n]) {
            g[n] = GEOSWKTReader_read_r(h, rd, CASES[c].wkt[n]);
            CHECK(g[n] != NULL, "%s: WKT %zu", CASES[c].name, n);
            n++;
        }
        run(ctx, CASES[c].name, g, n, CASES[c].want_m2);
        for (size_t i = 0; i < n; i++) GEOSGeom_destroy_r(h, g[i]);
    }

    /* random rectangles on a Gauss-Kruger grid: mostly apart, some touching
    ** exactly, some overlapping */
    unsigned seed = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 20261201u;
    printf("seed %u\n", seed);
    srand(seed);
    enum { N = 400 };
    for (int round = 0; round < 5; round++) {
        GEOSGeometry *g[N];
        for (int i = 0; i < N; i++) {
            double x0 = 42512000.0 + 20.0 * (rand() % 40), y0 = 5030000.0 + 20.0 * (rand() % 40);
            double w = (rand() % 3 == 0) ? 20.0 : 5.0 + (rand() % 2000) / 100.0;
            double hgt = 5.0 + (rand() % 3000) / 100.0;
            char wkt[256];
            snprintf(wkt, sizeof wkt, "POLYGON((%.3f %.3f,%.3f %.3f,%.3f %.3f,%.3f %.3f,%.3f %.3f))", x0, y0, x0 + w,
                     y0, x0 + w, y0 + hgt, x0, y0 + hgt, x0, y0);
            g[i] = GEOSWKTReader_read_r(h, rd, wkt);
        }
        char name[64];
        snprintf(name, sizeof name, "random round %d (seed %u)", round, seed);
        run(ctx, name, g, N, -1);
        for (int i = 0; i < N; i++) GEOSGeom_destroy_r(h, g[i]);
    }
    GEOSWKTReader_destroy_r(h, rd);
    lc_ctx_free(ctx);
    return lc_test_report("test_union_disjoint");
}
