/*
** Areas (SPEC §2): planar shoelace, the land-survey trapezoid series against
** the exact ellipsoidal zone area, the series against GeographicLib on a
** field-sized parcel, and the Gauss-Kruger inverse used before the series
** against the published example of the survey's technical notes.
*/
#include <stdlib.h>

#include "area.h"
#include "tdt.h"
#include "crs.h"
#include "lc_test.h"

/* Tolerances, with units and why */
#define PLANAR_REL 1e-12      /* shoelace of exact decimal rectangles: a few ulps */
#define SERIES_REL 1e-10      /* e^10 truncation of the series on CGCS2000 */
#define FIELD_AGREEMENT 2e-9  /* SPEC: geodesic and tdt agree ~1e-9 on a field */
#define ARCSEC_TOL 2e-4       /* published example printed to 0.1 mm ~ 3e-6", its
                              ** constants are rounded (b = 6356755.29): ~1e-4" */

static void planar(void)
{
    /* a 20 m x 500 m strip at zone-42 magnitudes: exactly 10 000 m² */
    double x0 = 42512345.125, y0 = 5034567.875;
    double ccw[] = {x0, y0, x0 + 20, y0, x0 + 20, y0 + 500, x0, y0 + 500, x0, y0};
    double cw[] = {x0, y0, x0, y0 + 500, x0 + 20, y0 + 500, x0 + 20, y0};
    CHECK_REL(lc_ring_area_planar(ccw, 5), 10000.0, PLANAR_REL, "closed CCW strip");
    CHECK_REL(lc_ring_area_planar(cw, 4), -10000.0, PLANAR_REL, "open CW strip");
    /* a rhombus of diagonals 30 and 7: 105 m² */
    double rh[] = {x0, y0, x0 + 15, y0 + 3.5, x0 + 30, y0, x0 + 15, y0 - 3.5};
    CHECK_REL(fabs(lc_ring_area_planar(rh, 4)), 105.0, PLANAR_REL, "rhombus");
    CHECK(lc_ring_area_planar(rh, 2) == 0.0, "two points enclose nothing");
}

/* Exact area of the ellipsoidal zone between the equator and latitude phi,
** per radian of longitude: b²/2 [sinφ/(1 − e² sin²φ) + atanh(e sinφ)/e]. */
static double zone_exact(double a, double inv_f, double phi_deg)
{
    double f = 1 / inv_f, e2 = f * (2 - f), e = sqrt(e2), b = a * (1 - f);
    double s = sin(phi_deg * LC_PI / 180);
    return b * b / 2 * (s / (1 - e2 * s * s) + atanh(e * s) / e);
}

static void series_vs_exact(void)
{
    static const struct { double a, inv_f, lat1, lat2, dlon; const char *what; } cases[] = {
        {6378137, 298.257222101, 28.0 + 10 / 60.0, 28.0 + 12.5 / 60.0, 3.75 / 60,
         "CGCS2000 1:10000 sheet at 28°10'"},
        {6378137, 298.257222101, 45.0, 46.0, 1.0, "CGCS2000 1° cell at 45°N"},
        {6378137, 298.257222101, 53.0, 53.5, 0.75, "CGCS2000 cell at 53°N (Mohe)"},
        {6378140, 298.257, 18.0, 18.25, 0.25, "Xian 80 cell at 18°N"},
        {6378245, 298.3, 40.0, 40.0 + 5 / 60.0, 7.5 / 60, "Beijing 54 1:25000 sheet"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double exact = (zone_exact(cases[i].a, cases[i].inv_f, cases[i].lat2) -
                        zone_exact(cases[i].a, cases[i].inv_f, cases[i].lat1)) *
                       cases[i].dlon * LC_PI / 180;
        double got = lc_quadrangle_area_tdt(cases[i].a, cases[i].inv_f, cases[i].lat1,
                                            cases[i].lat2, cases[i].dlon);
        CHECK_REL(got, exact, SERIES_REL, cases[i].what);
        /* the same quadrangle as a polygon ring must give the same area */
        double ring[] = {0, cases[i].lat1, cases[i].dlon, cases[i].lat1, cases[i].dlon,
                         cases[i].lat2, 0, cases[i].lat2};
        for (int k = 0; k < 8; k += 2) ring[k] += 120.0;
        CHECK_REL(lc_ring_area_tdt(cases[i].a, cases[i].inv_f, ring, 4), exact, SERIES_REL,
                  "the quadrangle as a ring");
    }
}

/* Field strips near Shuangcheng in EPSG:4530 through the working-CRS
** machinery: the two ellipsoidal methods against each other. The series
** sums straight edges in the equal-area (L, F(B)) plane, GeographicLib sums
** geodesic edges; they agree to ~1e-9 on a rectangular strip, while a skewed
** 500 m strip 20 km off the central meridian differs by ~1e-7 because the
** edges bend differently. Densifying each edge ten times brings the two back
** within 2e-9, which shows the difference is the edge model, not the sum. */
static double strip_area(lc_ctx *ctx, const lc_crs *c, const double *xy, int n, int densify,
                         int tdt)
{
    double ring[2 * 64];
    int m = 0;
    for (int i = 0; i < n; i++) {
        const double *a = xy + 2 * i, *b = xy + 2 * ((i + 1) % n);
        for (int k = 0; k < densify; k++, m++) {
            ring[2 * m] = a[0] + (b[0] - a[0]) * k / densify;
            ring[2 * m + 1] = a[1] + (b[1] - a[1]) * k / densify;
        }
    }
    size_t bad;
    CHECK(lc_crs_transform(ctx, c->to_geographic, ring, (size_t)m, &bad) == LC_OK, "inverse");
    struct geod_geodesic g;
    geod_init(&g, c->a, 1 / c->inv_f);
    return tdt ? lc_ring_area_tdt(c->a, c->inv_f, ring, (size_t)m)
               : lc_ring_area_geodesic(&g, ring, (size_t)m);
}

static void field_agreement(void)
{
    lc_ctx *ctx = lc_ctx_new();
    lc_crs c;
    lc_crs_request req = {.s_srs = "EPSG:4530", .minx = 42520000, .maxx = 42521000,
                          .miny = 5030000, .maxy = 5031000, .what = "t"};
    CHECK(lc_crs_setup(ctx, &req, &c) == LC_OK, "EPSG:4530: %s", lc_ctx_errmsg(ctx));
    double x0 = 42520012.3, y0 = 5030045.6;
    double rect[] = {x0, y0, x0 + 20, y0, x0 + 20, y0 + 500, x0, y0 + 500};
    double skew[] = {x0, y0, x0 + 20.2, y0 + 0.4, x0 + 19.6, y0 + 500.3, x0 - 0.5, y0 + 499.8};
    double geodesic = strip_area(ctx, &c, rect, 4, 1, 0);
    CHECK(geodesic > 0, "counter-clockwise ring is positive: %g", geodesic);
    CHECK_REL(strip_area(ctx, &c, rect, 4, 1, 1), geodesic, FIELD_AGREEMENT,
              "tdt vs geodesic, rectangular strip");
    geodesic = strip_area(ctx, &c, skew, 4, 1, 0);
    CHECK_REL(strip_area(ctx, &c, skew, 4, 1, 1), geodesic, 2e-7, "tdt vs geodesic, skewed strip");
    CHECK_REL(strip_area(ctx, &c, skew, 4, 10, 1), geodesic, FIELD_AGREEMENT,
              "tdt with edges densified x10 vs geodesic, skewed strip");
    lc_crs_release(&c);
    lc_ctx_free(ctx);
}

/* Published Gauss-Kruger example of the survey notes ("土地调查图斑椭球面
** 面积算法问题分析", 图3 算例): Xian 80, 3-degree zone 40 (CM 120E), without
** zone prefix; A (28°10'00", 120°15'00") = x 3116938.6138, y 524552.5834;
** B (28°12'30", 120°11'15") = x 3121545.1708, y 518407.2854. */
static void published_inverse(void)
{
    lc_ctx *ctx = lc_ctx_new();
    lc_crs c;
    lc_crs_request req = {.s_srs = "EPSG:2385", .minx = 510000, .maxx = 530000,
                          .miny = 3110000, .maxy = 3130000, .what = "xian80"};
    CHECK(lc_crs_setup(ctx, &req, &c) == LC_OK, "EPSG:2385: %s", lc_ctx_errmsg(ctx));
    double pts[] = {524552.5834, 3116938.6138, 518407.2854, 3121545.1708};
    double want[] = {120.25, 28 + 10 / 60.0, 120 + 11.25 / 60, 28 + 12.5 / 60};
    size_t bad;
    CHECK(lc_crs_transform(ctx, c.to_geographic, pts, 2, &bad) == LC_OK, "inverse");
    for (int i = 0; i < 4; i++)
        CHECK_ABS(pts[i] * 3600, want[i] * 3600, ARCSEC_TOL, "arcsec",
                  i % 2 ? "latitude of the published point" : "longitude of the published point");
    lc_crs_release(&c);
    lc_ctx_free(ctx);
}

/* lc_area_of on a GEOS polygon with a hole, and a multipolygon */
static void geos_polygons(void)
{
    lc_ctx *ctx = lc_ctx_new();
    GEOSWKTReader *rd = GEOSWKTReader_create_r(ctx->geos);
    GEOSGeometry *g = GEOSWKTReader_read_r(ctx->geos, rd,
        "MULTIPOLYGON(((42520000 5030000,42520020 5030000,42520020 5030500,42520000 5030500,"
        "42520000 5030000),(42520005 5030100,42520005 5030110,42520015 5030110,42520015 5030100,"
        "42520005 5030100)),((42520030 5030000,42520040 5030000,42520040 5030100,42520030 5030000)))");
    lc_crs c;
    lc_crs_request req = {.s_srs = "EPSG:4530", .minx = 42520000, .maxx = 42521000,
                          .miny = 5030000, .maxy = 5031000, .what = "t"};
    CHECK(lc_crs_setup(ctx, &req, &c) == LC_OK, "EPSG:4530");
    lc_area_calc calc;
    lc_area_calc_init(&calc, ctx, c.to_geographic, c.a, c.inv_f, LC_ELLIPSOIDAL_GEODESIC);
    double planar = 0, ell = 0;
    CHECK(lc_area_of(&calc, g, &planar, &ell) == LC_OK, "area_of");
    CHECK_REL(planar, 10000.0 - 100.0 + 500.0, PLANAR_REL, "strip minus hole plus triangle");
    /* on the CM the GK scale is 1, so the two differ only by 1e-6-level terms */
    CHECK_REL(ell, planar, 1e-4, "ellipsoidal close to planar at the central meridian");
    lc_area_calc_release(&calc);
    lc_crs_release(&c);
    GEOSGeom_destroy_r(ctx->geos, g);
    GEOSWKTReader_destroy_r(ctx->geos, rd);
    lc_ctx_free(ctx);
}

/* The survey's densification: floor(length / 70 m) extra vertices per edge */
static void densification(void)
{
    double ring[] = {0, 0, 150, 0, 150, 70, 150.05, 139.95, 0, 0};
    double out[64];
    size_t need = lc_tdt_densified_count(ring, 5);
    /* edges 150 m (+2), 70 m (+1), ~69.95 m (+0), ~205 m (+2), closing vertex */
    CHECK(need == 3 + 2 + 1 + 3 + 1, "densified count %zu", need);
    size_t m = lc_tdt_densify(ring, 5, out, 64);
    CHECK(m == need, "densified points %zu", m);
    CHECK_ABS(out[2], 50.0, 1e-12, "m", "first extra vertex at a third of 150 m");
    CHECK_ABS(out[4], 100.0, 1e-12, "m", "second extra vertex");
    CHECK_ABS(lc_ring_area_planar(out, m), lc_ring_area_planar(ring, 5), 1e-9, "m²",
              "densification keeps the planar area");
    CHECK(lc_tdt_densify(ring, 5, out, 3) == 0, "too small an output is refused");
}

int main(void)
{
    densification();
    planar();
    series_vs_exact();
    field_agreement();
    published_inverse();
    geos_polygons();
    return lc_test_report("test_area");
}
