/*
** Map geometry for display (map_geom.c): the frame, rings snapped and
** thinned (tables of WKT with the rings they must give, then random rings
** whose every original vertex must stay within the tolerance of what is
** drawn, measured by GEOS; the seed is printed), label placement (two
** lines, one line around an anchor, anchors along a feature), a detail
** map's extent, the tail of a key that tells it apart, round lengths, and
** the grid convergence against the Transverse Mercator series.
*/
#include <stdlib.h>

#include "lc_test.h"
#include "map_geom.h"

static lc_ctx *ctx;

/* ---- frame -------------------------------------------------------------------------- */

static const struct {
    const char *name;
    double minx, miny, maxx, maxy, max_w, max_h, pad;
    double k, x0, y0, w, h;
} FRAMES[] = {
    /* kx = 976 / 100 = 9.76 < ky = 956 / 50; w = 976 + 24, h = ceil(488 + 24) */
    {"wide", 0, 0, 100, 50, 1000, 980, 12, 9.76, 0, 50, 1000, 512},
    /* ky = 956 / 100 = 9.56 < kx; w = ceil(95.6 + 24) = 120 */
    {"tall", 0, 0, 10, 100, 1000, 980, 12, 9.56, 0, 100, 120, 980},
    /* a point: taken as 1 m × 1 m, k = 956 */
    {"one point", 5, 5, 5, 5, 1000, 980, 12, 956, 5, 5, 980, 980},
    /* nothing to frame: the square 0..1 m */
    {"nothing", INFINITY, INFINITY, -INFINITY, -INFINITY, 1000, 980, 12, 956, 0, 1, 980, 980},
    /* Gauss-Kruger eastings: 4 km × 2 km into 500 × 400 with no margin */
    {"county", 42510000, 5030000, 42514000, 5032000, 500, 400, 0, 0.125, 42510000, 5032000, 500, 250},
};

static void frames(void)
{
    for (size_t c = 0; c < sizeof FRAMES / sizeof FRAMES[0]; c++) {
        lc_map_frame f;
        lc_map_frame_fit(FRAMES[c].minx, FRAMES[c].miny, FRAMES[c].maxx, FRAMES[c].maxy, FRAMES[c].max_w,
                         FRAMES[c].max_h, FRAMES[c].pad, &f);
        const char *name = FRAMES[c].name;
        CHECK_REL(f.k, FRAMES[c].k, 1e-15, name);
        CHECK_ABS(f.x0, FRAMES[c].x0, 0, "m", name);
        CHECK_ABS(f.y0, FRAMES[c].y0, 0, "m", name);
        CHECK_ABS(f.w, FRAMES[c].w, 0, "px", name);
        CHECK_ABS(f.h, FRAMES[c].h, 0, "px", name);
        /* the extent's top-left corner sits on the margin; back and forth is the identity */
        double px, py, x, y;
        lc_map_to_px(&f, f.x0, f.y0, &px, &py);
        CHECK_ABS(px, FRAMES[c].pad, 1e-9, "px", name);
        CHECK_ABS(py, FRAMES[c].pad, 1e-9, "px", name);
        lc_map_from_px(&f, 123.4, 56.7, &x, &y);
        lc_map_to_px(&f, x, y, &px, &py);
        CHECK_ABS(px, 123.4, 1e-6, "px", name);
        CHECK_ABS(py, 56.7, 1e-6, "px", name);
    }
}

/* ---- rings -------------------------------------------------------------------------- */

#define MAX_RINGS 4
#define MAX_PTS 8

typedef struct got_rings {
    size_t n;
    size_t n_pts[MAX_RINGS];
    lc_map_pt pts[MAX_RINGS][MAX_PTS];
    double area2[MAX_RINGS];   /* twice the signed area, tenths², y down */
    size_t total_pts;
    lc_map_pt *all;            /* every ring's vertices, for the random test */
    size_t all_cap;
    size_t ring_start[64];
} got_rings;

static void collect(void *userdata, const lc_map_pt *p, size_t n)
{
    got_rings *g = userdata;
    double a2 = 0;
    for (size_t k = 0; k < n; k++) {
        lc_map_pt u = p[k], v = p[(k + 1) % n];
        a2 += (double)u.x * (double)v.y - (double)v.x * (double)u.y;
    }
    if (g->n < MAX_RINGS) {
        g->n_pts[g->n] = n;
        g->area2[g->n] = a2;
        for (size_t k = 0; k < n && k < MAX_PTS; k++) g->pts[g->n][k] = p[k];
    }
    if (g->all && g->n < 64) {
        g->ring_start[g->n] = g->total_pts;
        if (g->total_pts + n <= g->all_cap) memcpy(g->all + g->total_pts, p, n * sizeof *p);
    }
    g->total_pts += n;
    g->n++;
}

/* The frame of the ring cases: k = 1 px/m, x as is, y flipped about 100 m,
** so (x, y) in metres is (10x, 1000 - 10y) in tenths of a pixel. */
static const lc_map_frame RING_FRAME = {0, 100, 1, 0, 200, 200};

#define SQUARE "(0 0,10 0,10 10,0 10,0 0)"
#define HOLE_CW "(2 2,2 8,8 8,8 2,2 2)"
#define HOLE_CCW "(2 2,8 2,8 8,2 8,2 2)"

static const struct {
    const char *name;
    const char *wkt;
    int shells_only;
    size_t n_rings;
    size_t n_pts[MAX_RINGS];
    int sign[MAX_RINGS];       /* +1 shell, -1 hole: the winding drawn */
    size_t n_exact;            /* rings whose vertices are given in full */
    lc_map_pt pts[MAX_PTS];    /* the first ring's, in drawing order */
} RINGS[] = {
    /* a shell is drawn with positive area on screen (y down): the square's
    ** world order, reversed; the last vertex does not repeat the first */
    {"square", "POLYGON(" SQUARE ")", 0, 1, {4}, {1}, 1, {{0, 900}, {100, 900}, {100, 1000}, {0, 1000}}},
    {"collinear vertex dropped", "POLYGON((0 0,5 0,10 0,10 10,0 10,0 0))", 0, 1, {4}, {1}, 0, {{0}}},
    {"bump of 0.4 px dropped", "POLYGON((0 0,5 0.4,10 0,10 10,0 10,0 0))", 0, 1, {4}, {1}, 0, {{0}}},
    {"bump of 0.6 px kept", "POLYGON((0 0,5 0.6,10 0,10 10,0 10,0 0))", 0, 1, {5}, {1}, 1,
     {{0, 900}, {100, 900}, {100, 1000}, {50, 994}, {0, 1000}}},
    /* 0.01 m is 0.1 tenth: the same tenth as its neighbour */
    {"repeat after snapping dropped", "POLYGON((0 0,0.01 0,10 0,10 10,0 10,0 0))", 0, 1, {4}, {1}, 0, {{0}}},
    /* 0.3 px wide: Douglas-Peucker would leave two vertices; the snapped
    ** ring is drawn as it is */
    {"thinner than the tolerance kept", "POLYGON((0 0,10 0,10 0.3,0 0.3,0 0))", 0, 1, {4}, {1}, 1,
     {{0, 997}, {100, 997}, {100, 1000}, {0, 1000}}},
    {"collapsed to a point: nothing", "POLYGON((0 0,0.01 0,0.01 0.01,0 0.01,0 0))", 0, 0, {0}, {0}, 0, {{0}}},
    {"no area after snapping: nothing", "POLYGON((0 0,10 0,20 0.004,0 0))", 0, 0, {0}, {0}, 0, {{0}}},
    {"hole against its shell", "POLYGON(" SQUARE "," HOLE_CW ")", 0, 2, {4, 4}, {1, -1}, 0, {{0}}},
    {"hole wound like its shell, drawn against it", "POLYGON(" SQUARE "," HOLE_CCW ")", 0, 2, {4, 4}, {1, -1}, 0,
     {{0}}},
    {"clockwise shell drawn like any shell", "POLYGON((0 0,0 10,10 10,10 0,0 0))", 0, 1, {4}, {1}, 0, {{0}}},
    {"shells only", "POLYGON(" SQUARE "," HOLE_CW ")", 1, 1, {4}, {1}, 0, {{0}}},
    {"multipolygon", "MULTIPOLYGON((" SQUARE "),((20 0,30 0,30 5,20 5,20 0)))", 0, 2, {4, 4}, {1, 1}, 0, {{0}}},
    {"collection of polygons, a line skipped",
     "GEOMETRYCOLLECTION(POLYGON(" SQUARE "),LINESTRING(0 0,50 50),MULTIPOLYGON(((20 0,30 0,30 5,20 5,20 0))))",
     0, 2, {4, 4}, {1, 1}, 0, {{0}}},
    {"a point: nothing", "POINT(1 1)", 0, 0, {0}, {0}, 0, {{0}}},
    {"empty: nothing", "POLYGON EMPTY", 0, 0, {0}, {0}, 0, {{0}}},
};

static void rings(void)
{
    GEOSContextHandle_t h = ctx->geos;
    GEOSWKTReader *rd = GEOSWKTReader_create_r(h);
    lc_map_rings buf;
    memset(&buf, 0, sizeof buf);
    for (size_t c = 0; c < sizeof RINGS / sizeof RINGS[0]; c++) {
        const char *name = RINGS[c].name;
        GEOSGeometry *g = GEOSWKTReader_read_r(h, rd, RINGS[c].wkt);
        CHECK(g != NULL, "%s: WKT %s", name, RINGS[c].wkt);
        if (!g) continue;
        got_rings got;
        memset(&got, 0, sizeof got);
        lc_status rc = lc_map_polygons(ctx, &buf, &RING_FRAME, g, RINGS[c].shells_only, 0.5, collect, &got);
        CHECK(rc == LC_OK, "%s: status %d", name, rc);
        CHECK(got.n == RINGS[c].n_rings, "%s: %zu rings, want %zu (%s)", name, got.n, RINGS[c].n_rings,
              RINGS[c].wkt);
        for (size_t r = 0; r < got.n && r < RINGS[c].n_rings; r++) {
            CHECK(got.n_pts[r] == RINGS[c].n_pts[r], "%s: ring %zu has %zu vertices, want %zu (%s)", name, r,
                  got.n_pts[r], RINGS[c].n_pts[r], RINGS[c].wkt);
            CHECK((got.area2[r] > 0 ? 1 : -1) == RINGS[c].sign[r], "%s: ring %zu drawn with area %g, want sign %d",
                  name, r, got.area2[r] / 200, RINGS[c].sign[r]);
        }
        if (RINGS[c].n_exact && got.n)
            for (size_t k = 0; k < got.n_pts[0] && k < MAX_PTS; k++)
                CHECK(got.pts[0][k].x == RINGS[c].pts[k].x && got.pts[0][k].y == RINGS[c].pts[k].y,
                      "%s: vertex %zu is (%ld, %ld), want (%ld, %ld)", name, k, got.pts[0][k].x, got.pts[0][k].y,
                      RINGS[c].pts[k].x, RINGS[c].pts[k].y);
        GEOSGeom_destroy_r(h, g);
    }
    lc_map_rings_free(&buf);
    GEOSWKTReader_destroy_r(h, rd);
}

/* Random wobbly rings at a random scale: every vertex of the ring, as
** projected to the picture, lies within the tolerance (plus the snapping,
** half a tenth on each axis) of the ring drawn, by GEOS's distance. */
static void random_rings(unsigned seed)
{
    GEOSContextHandle_t h = ctx->geos;
    printf("random rings: seed %u (give it as the argument to replay)\n", seed);
    srand(seed);
    enum { N = 300, CASES = 40 };
    const double tol = 0.5, slack = 0.5 * 0.1 * sqrt(2) + 1e-9;
    lc_map_rings buf;
    memset(&buf, 0, sizeof buf);
    lc_map_pt *all = malloc(4 * N * sizeof *all);
    for (int c = 0; c < CASES; c++) {
        double k = 0.05 + 3.0 * rand() / RAND_MAX;    /* px per metre */
        lc_map_frame f = {42510000, 5031000, k, 10, 1000, 1000};
        GEOSCoordSequence *seq = GEOSCoordSeq_create_r(h, N + 1, 2);
        double cx = 42510000 + 100, cy = 5031000 - 100;
        for (int i = 0; i < N; i++) {
            double t = 2 * LC_PI * i / N, rad = 60 + 30 * sin(5 * t) + 4.0 * rand() / RAND_MAX;
            GEOSCoordSeq_setXY_r(h, seq, (unsigned)i, cx + rad * cos(t), cy + rad * sin(t));
        }
        double x0, y0;
        GEOSCoordSeq_getXY_r(h, seq, 0, &x0, &y0);
        GEOSCoordSeq_setXY_r(h, seq, N, x0, y0);
        GEOSGeometry *g = GEOSGeom_createPolygon_r(h, GEOSGeom_createLinearRing_r(h, seq), NULL, 0);
        got_rings got;
        memset(&got, 0, sizeof got);
        got.all = all;
        got.all_cap = 4 * N;
        CHECK(lc_map_polygons(ctx, &buf, &f, g, 0, tol, collect, &got) == LC_OK, "random ring %d", c);
        CHECK(got.n == 1, "random ring %d (k %g, seed %u): %zu rings", c, k, seed, got.n);
        if (got.n != 1) {
            GEOSGeom_destroy_r(h, g);
            continue;
        }
        /* the drawn ring, back in pixels */
        GEOSCoordSequence *ds = GEOSCoordSeq_create_r(h, (unsigned)got.total_pts + 1, 2);
        for (size_t i = 0; i <= got.total_pts; i++) {
            lc_map_pt p = all[i % got.total_pts];
            GEOSCoordSeq_setXY_r(h, ds, (unsigned)i, p.x / 10.0, p.y / 10.0);
        }
        GEOSGeometry *drawn = GEOSGeom_createLineString_r(h, ds);
        double worst = 0;
        for (int i = 0; i < N; i++) {
            double x, y, px, py, d = 0;
            const GEOSGeometry *shell = GEOSGetExteriorRing_r(h, g);
            GEOSCoordSeq_getXY_r(h, GEOSGeom_getCoordSeq_r(h, shell), (unsigned)i, &x, &y);
            lc_map_to_px(&f, x, y, &px, &py);
            GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(h, px, py);
            GEOSDistance_r(h, pt, drawn, &d);
            GEOSGeom_destroy_r(h, pt);
            if (d > worst) worst = d;
        }
        CHECK(worst <= tol + slack, "random ring %d (k %g px/m, %zu of %d vertices drawn, seed %u): a vertex "
              "%.3f px from the drawn ring, over %.3f", c, k, got.total_pts, N, seed, worst, tol + slack);
        GEOSGeom_destroy_r(h, drawn);
        GEOSGeom_destroy_r(h, g);
    }
    free(all);
    lc_map_rings_free(&buf);
}

/* ---- labels ----------------------------------------------------------------------------- */

static void labels(void)
{
    /* 0.6 em a Latin character, 1 em an ideograph */
    CHECK_ABS(lc_map_text_width("ab", 10), 12, 1e-12, "px", "two Latin letters");
    CHECK_ABS(lc_map_text_width("连片", 10), 20, 1e-12, "px", "two ideographs");
    CHECK_ABS(lc_map_text_width("用地 1", 10), 32, 1e-12, "px", "mixed");

    /* "ab" over "cd" at 10 px: 20 px wide (12 + 8), from y - 12 to y + 14 */
    static const struct {
        const char *name;
        double x, y;
        int taken;
    } TAKES[] = {
        {"first", 50, 50, 1},
        {"on the first", 55, 50, 0},
        {"touching the first (edges may meet)", 70, 50, 1},
        {"off the left edge", 5, 50, 0},
        {"off the top", 150, 5, 0},
        {"off the bottom", 150, 90, 0},
        {"just inside the bottom", 150, 86, 1},
        {"just inside the right", 190, 50, 1},
        {"off the right", 191, 20, 0},
    };
    lc_map_labels lb;
    memset(&lb, 0, sizeof lb);
    lb.w = 200;
    lb.h = 100;
    size_t n = 0;
    for (size_t t = 0; t < sizeof TAKES / sizeof TAKES[0]; t++) {
        int got = lc_map_label_take(&lb, TAKES[t].x, TAKES[t].y, "ab", "cd", 10);
        n += got;
        CHECK(got == TAKES[t].taken, "label %s at (%g, %g): %d", TAKES[t].name, TAKES[t].x, TAKES[t].y, got);
        CHECK(lb.n == n, "label %s: %zu boxes, want %zu", TAKES[t].name, lb.n, n);
    }
    CHECK_ABS(lb.box[0].x0, 40, 0, "px", "first box x0");
    CHECK_ABS(lb.box[0].y0, 38, 0, "px", "first box y0");
    CHECK_ABS(lb.box[0].x1, 60, 0, "px", "first box x1");
    CHECK_ABS(lb.box[0].y1, 64, 0, "px", "first box y1");

    /* beside a box: above, below, right, left, then nowhere */
    memset(&lb, 0, sizeof lb);
    lb.w = 300;
    lb.h = 200;
    lc_map_box bb = {80, 40, 120, 60};
    static const double WANT[4][2] = {{100, 18}, {100, 80}, {134, 50}, {66, 50}};
    for (int t = 0; t < 4; t++) {
        double x = -1, y = -1;
        CHECK(lc_map_label_beside(&lb, bb, "ab", "cd", 10, &x, &y) == 1, "beside, try %d", t);
        CHECK(x == WANT[t][0] && y == WANT[t][1], "beside, try %d: (%g, %g), want (%g, %g)", t, x, y, WANT[t][0],
              WANT[t][1]);
    }
    double x, y;
    CHECK(lc_map_label_beside(&lb, bb, "ab", "cd", 10, &x, &y) == 0, "beside: every side taken");

    /* near a point: the first free shift */
    memset(&lb, 0, sizeof lb);
    lb.w = 300;
    lb.h = 200;
    static const double shift[] = {0, -36, 36};
    CHECK(lc_map_label_take(&lb, 100, 100, "ab", "cd", 10), "near: the spot taken first");
    CHECK(lc_map_label_near(&lb, 100, 100, shift, 3, "ab", "cd", 10, &y) == 1 && y == 64,
          "near: moved up 36 px to %g", y);
    CHECK(lc_map_label_near(&lb, 100, 100, shift, 3, "ab", "cd", 10, &y) == 1 && y == 136,
          "near: then down 36 px to %g", y);
    CHECK(lc_map_label_near(&lb, 100, 100, shift, 3, "ab", "cd", 10, &y) == 0, "near: no shift left");
    CHECK(lc_map_label_near(&lb, 100, 100, shift, 1, "ab", "cd", 10, &y) == 0, "near: one try");

    /* an outline kept clear; at most LC_MAP_MAX_LABELS boxes */
    memset(&lb, 0, sizeof lb);
    lb.w = 10000;
    lb.h = 10000;
    lc_map_labels_keep_clear(&lb, (lc_map_box){0, 0, 100, 100});
    CHECK(!lc_map_label_take(&lb, 50, 50, "ab", "cd", 10), "kept clear");
    for (int i = 1; i < LC_MAP_MAX_LABELS; i++)
        CHECK(lc_map_label_take(&lb, 200 + 30.0 * i, 500, "ab", "cd", 10), "label %d of %d", i, LC_MAP_MAX_LABELS);
    CHECK(lb.n == LC_MAP_MAX_LABELS, "boxes: %zu", lb.n);
    CHECK(!lc_map_label_take(&lb, 5000, 5000, "ab", "cd", 10), "one label too many");
    lc_map_labels_keep_clear(&lb, (lc_map_box){0, 0, 1, 1});
    CHECK(lb.n == LC_MAP_MAX_LABELS, "keep clear when full: %zu", lb.n);
}

/* ---- one-line labels around an anchor ----------------------------------------------------- */

static void labels_around(void)
{
    /* "ab" at 10 px: 18 px wide (12 + 6), 14 px high */
    lc_map_labels lb;
    memset(&lb, 0, sizeof lb);
    lb.w = 200;
    lb.h = 100;
    CHECK(lc_map_label_take1(&lb, 50, 50, "ab", 10), "one line: first");
    CHECK_ABS(lb.box[0].x0, 41, 0, "px", "one line box x0");
    CHECK_ABS(lb.box[0].y0, 43, 0, "px", "one line box y0");
    CHECK_ABS(lb.box[0].x1, 59, 0, "px", "one line box x1");
    CHECK_ABS(lb.box[0].y1, 57, 0, "px", "one line box y1");
    CHECK(!lc_map_label_take1(&lb, 60, 56, "ab", 10), "one line: on the first");
    CHECK(lc_map_label_take1(&lb, 68, 50, "ab", 10), "one line: touching the first");
    CHECK(!lc_map_label_take1(&lb, 8, 20, "ab", 10), "one line: off the left edge");

    /* the anchor (100, 50): right of it first (centre 9 + 3 px off), then
    ** left; above, below and the diagonals of the first ring all touch
    ** those two boxes, so the third goes up to the second ring, 13 px off */
    static const struct {
        int rings;
        int ok;
        double x, y;
        int far;
    } AROUND[] = {
        {8, 1, 112, 50, 0},
        {8, 1, 88, 50, 0},
        {1, 0, 0, 0, 0},        /* the first ring is full */
        {8, 1, 100, 30, 1},
        {8, 1, 100, 70, 1},     /* then below it */
    };
    memset(&lb, 0, sizeof lb);
    lb.w = 200;
    lb.h = 100;
    for (size_t t = 0; t < sizeof AROUND / sizeof AROUND[0]; t++) {
        double x = -1, y = -1;
        int far = -1;
        int ok = lc_map_label_around(&lb, 100, 50, "ab", 10, AROUND[t].rings, &x, &y, &far);
        CHECK(ok == AROUND[t].ok, "around, try %zu: %d", t, ok);
        if (ok && AROUND[t].ok)
            CHECK(x == AROUND[t].x && y == AROUND[t].y && far == AROUND[t].far,
                  "around, try %zu: (%g, %g) far %d, want (%g, %g) far %d", t, x, y, far, AROUND[t].x, AROUND[t].y,
                  AROUND[t].far);
    }
    /* near the picture's left edge the label goes right, never outside */
    memset(&lb, 0, sizeof lb);
    lb.w = 200;
    lb.h = 100;
    double x, y;
    int far;
    lc_map_labels_keep_clear(&lb, (lc_map_box){2, 47, 8, 53});   /* the anchor itself */
    CHECK(lc_map_label_around(&lb, 5, 50, "ab", 10, 8, &x, &y, &far) && x == 17 && y == 50 && !far,
          "around, at the left edge: (%g, %g)", x, y);
    /* then: left, above and below would cross the edge, the near diagonals
    ** touch the first; right of the second ring touches it too, so the
    ** second ring's upper right diagonal (27, 30) */
    CHECK(lc_map_label_around(&lb, 5, 50, "ab", 10, 8, &x, &y, &far) && x == 27 && y == 30 && far,
          "around, at the left edge, second: (%g, %g)", x, y);
}

/* ---- anchors along a feature, and its label ---------------------------------------------------- */

static void anchors(void)
{
    /* world = px with y flipped: x px = x, y px = 100 - y */
    lc_map_frame f = {0, 100, 1, 0, 100, 100};
    static const struct {
        const char *name, *wkt;
        size_t max, n;
        double xy[14];
    } CASES[] = {
        /* taller than wide: cut across at y = 50, 25, 75, 12.5, 37.5, 62.5, 87.5, middle x = 15 */
        {"vertical strip", "POLYGON((10 0, 20 0, 20 100, 10 100, 10 0))", 7, 7,
         {15, 50, 15, 75, 15, 25, 15, 87.5, 15, 62.5, 15, 37.5, 15, 12.5}},
        /* wider than high: cut across at x = 40, 20, 60, middle y = 45 (55 px); three asked for */
        {"horizontal strip", "POLYGON((0 40, 80 40, 80 50, 0 50, 0 40))", 3, 3, {40, 55, 20, 55, 60, 55}},
        /* a U, 30 × 30: at x = 15 only the bottom bar (y 0..10), at 7.5 and 22.5 the arms (y 0..30) */
        {"U", "POLYGON((0 0, 30 0, 30 30, 20 30, 20 10, 10 10, 10 30, 0 30, 0 0))", 3, 3,
         {15, 95, 7.5, 85, 22.5, 85}},
        /* 40 × 30, two pieces on the cut at x = 20 (y 0..4 and 6..30): the longer one's middle, y = 18 */
        {"longest piece", "MULTIPOLYGON(((0 0, 40 0, 40 4, 0 4, 0 0)), ((0 6, 40 6, 40 30, 0 30, 0 6)))", 1, 1,
         {20, 82}},
        {"empty", "POLYGON EMPTY", 7, 0, {0}},
    };
    GEOSWKTReader *rd = GEOSWKTReader_create_r(ctx->geos);
    for (size_t c = 0; c < sizeof CASES / sizeof CASES[0]; c++) {
        GEOSGeometry *g = GEOSWKTReader_read_r(ctx->geos, rd, CASES[c].wkt);
        double xy[14];
        size_t n = g ? lc_map_anchors(ctx, &f, g, xy, CASES[c].max) : 99;
        CHECK(n == CASES[c].n, "%s: %zu anchors, want %zu", CASES[c].name, n, CASES[c].n);
        for (size_t k = 0; k < n && k < CASES[c].n; k++) {
            CHECK_ABS(xy[2 * k], CASES[c].xy[2 * k], 1e-9, "px", CASES[c].name);
            CHECK_ABS(xy[2 * k + 1], CASES[c].xy[2 * k + 1], 1e-9, "px", CASES[c].name);
        }
        if (g) GEOSGeom_destroy_r(ctx->geos, g);
    }
    GEOSWKTReader_destroy_r(ctx->geos, rd);

    /* features with the anchors (50, 50) then (50, 20); "ab" at 10 px, marks 6 px */
    lc_map_labels lb;
    memset(&lb, 0, sizeof lb);
    lb.w = 200;
    lb.h = 100;
    const double two[] = {50, 50, 50, 20};
    static const struct {
        const char *name;
        size_t n;
        int rings, ok;
        double ax, ay, lx, ly;
        int far;
    } FEATURES[] = {
        {"first anchor, label right of it", 2, 3, 1, 50, 50, 62, 50, 0},
        /* the first mark is taken: the second anchor */
        {"second anchor", 2, 3, 1, 50, 20, 62, 20, 0},
        /* both marks taken: the first anchor, its first ring's next spot (left) */
        {"no free anchor: around the first", 2, 3, 1, 50, 50, 38, 50, 0},
        /* one anchor, one ring, all eight spots taken or touching the labels */
        {"no room", 1, 1, 0, 50, 50, 0, 0, 0},
        {"no anchor", 0, 3, 0, 0, 0, 0, 0, 0},
    };
    for (size_t t = 0; t < sizeof FEATURES / sizeof FEATURES[0]; t++) {
        double ax = 0, ay = 0, lx = 0, ly = 0;
        int far = 0;
        int ok = lc_map_label_feature(&lb, two, FEATURES[t].n, "ab", 10, 6, FEATURES[t].rings, &ax, &ay, &lx, &ly,
                                      &far);
        CHECK(ok == FEATURES[t].ok, "%s: %d", FEATURES[t].name, ok);
        CHECK(ax == FEATURES[t].ax && ay == FEATURES[t].ay, "%s: anchor (%g, %g)", FEATURES[t].name, ax, ay);
        if (ok)
            CHECK(lx == FEATURES[t].lx && ly == FEATURES[t].ly && far == FEATURES[t].far,
                  "%s: label (%g, %g) far %d", FEATURES[t].name, lx, ly, far);
    }
}

/* ---- a detail map's extent ---------------------------------------------------------------- */

static void extents(void)
{
    static const struct {
        const char *name;
        double in[4], share, min_m, aspect, out[4];
    } CASES[] = {
        /* 20 % of the 100 m side on every side: 140 × 90 m, within 3:1 */
        {"share", {0, 0, 100, 50}, 0.2, 10, 3, {-20, -20, 120, 70}},
        /* 10 % of 10 m is 1 m, below the 30 m floor */
        {"floor", {0, 0, 10, 10}, 0.1, 30, 3, {-30, -30, 40, 40}},
        /* a road: 1200 × 210 m after the margin, then 400 m high for 3:1 */
        {"wide road", {0, 0, 1000, 10}, 0.1, 20, 3, {-100, -195, 1100, 205}},
        /* a tall strip: 210 × 1200 m, then 600 m wide for 2:1 */
        {"tall strip", {0, 0, 10, 1000}, 0.1, 20, 2, {-295, -100, 305, 1100}},
    };
    for (size_t c = 0; c < sizeof CASES / sizeof CASES[0]; c++) {
        double e[4] = {CASES[c].in[0], CASES[c].in[1], CASES[c].in[2], CASES[c].in[3]};
        lc_map_extent_grow(&e[0], &e[1], &e[2], &e[3], CASES[c].share, CASES[c].min_m, CASES[c].aspect);
        for (int k = 0; k < 4; k++) CHECK_ABS(e[k], CASES[c].out[k], 1e-9, "m", CASES[c].name);
    }
}

/* ---- the tail of a key that tells it apart ------------------------------------------------ */

static void key_tails(void)
{
    static const char *const DKBM[] = {"2301131042010200125", "2301131042010300125", "2301131042010200126"};
    static const char *const DUP[] = {"A0001", "A0001"};
    static const char *const SHORT[] = {"12", NULL, "512"};
    static const char *const CJK[] = {"连片甲地", "连片乙地"};
    static const char *const NESTED[] = {"125", "0125"};
    static const struct {
        const char *name;
        const char *const *keys;
        size_t n, i, min_chars, want;
    } CASES[] = {
        /* "0125" and "00125" end the second key too; "200125" only the first */
        {"DKBM, first", DKBM, 3, 0, 4, 6},
        {"DKBM, second", DKBM, 3, 1, 4, 6},
        {"DKBM, third: four digits do", DKBM, 3, 2, 4, 4},
        {"duplicate: the whole key", DUP, 2, 0, 4, 5},
        {"shorter than the minimum", SHORT, 3, 0, 4, 2},
        {"NULL key", SHORT, 3, 1, 4, 0},
        {"NULL among the others", SHORT, 3, 2, 4, 3},
        /* two whole ideographs, 3 bytes each */
        {"UTF-8 characters", CJK, 2, 0, 1, 6},
        /* "125" ends "0125": the whole of it, and all of "0125" */
        {"a key that ends another", NESTED, 2, 0, 2, 3},
        {"the key it ends", NESTED, 2, 1, 2, 4},
    };
    for (size_t c = 0; c < sizeof CASES / sizeof CASES[0]; c++) {
        size_t got = lc_map_key_tail(CASES[c].keys, CASES[c].n, CASES[c].i, CASES[c].min_chars);
        CHECK(got == CASES[c].want, "%s: %zu bytes, want %zu", CASES[c].name, got, CASES[c].want);
    }
}

/* ---- round lengths -------------------------------------------------------------------- */

static void round_lengths(void)
{
    static const double CASES[][2] = {
        {1, 1}, {1.9, 1}, {2, 2}, {4.99, 2}, {5, 5}, {9.9, 5}, {10, 10}, {18.44, 10}, {0.37, 0.2}, {3700, 2000},
        {180 / 0.125, 1000},
    };
    for (size_t c = 0; c < sizeof CASES / sizeof CASES[0]; c++) {
        char what[48];
        snprintf(what, sizeof what, "round down %g", CASES[c][0]);
        CHECK_REL(lc_map_round_down(CASES[c][0]), CASES[c][1], 1e-15, what);
    }
}

/* ---- grid convergence -------------------------------------------------------------------- */

/* Transverse Mercator meridian convergence (Snyder, Map Projections — A
** Working Manual, eq. 8-30 with the ellipsoid's η² terms), degrees, positive
** where grid north lies east of true north. */
static double tm_convergence(double dlon_deg, double lat_deg, double e2)
{
    double l = dlon_deg * LC_PI / 180, p = lat_deg * LC_PI / 180;
    double c = cos(p), eta2 = e2 / (1 - e2) * c * c;
    double g = l * sin(p) * (1 + l * l * c * c / 3 * (1 + 3 * eta2 + 2 * eta2 * eta2) +
                             pow(l, 4) * pow(c, 4) / 15 * (2 - tan(p) * tan(p)));
    return g * 180 / LC_PI;
}

static void convergence(void)
{
    PJ *op0 = proj_create_crs_to_crs(ctx->proj, "EPSG:4530", "EPSG:4490", NULL);
    PJ *op = op0 ? proj_normalize_for_visualization(ctx->proj, op0) : NULL;
    proj_destroy(op0);
    CHECK(op != NULL, "PROJ: EPSG:4530 to EPSG:4490");
    if (!op) return;
    const double e2 = 0.00669438002290;   /* CGCS2000 */
    /* zone 42: central meridian 126° E; true north lies west of grid north east of it */
    static const double PTS[][2] = {{126, 45}, {127, 45}, {125, 45}, {127.5, 40.5}, {124.5, 53}};
    for (size_t i = 0; i < sizeof PTS / sizeof PTS[0]; i++) {
        PJ_COORD w = proj_trans(op, PJ_INV, proj_coord(PTS[i][0], PTS[i][1], 0, 0));
        double got = lc_map_grid_convergence(op, w.xy.x, w.xy.y);
        char what[64];
        snprintf(what, sizeof what, "convergence at %g E %g N", PTS[i][0], PTS[i][1]);
        /* the direction of the 0.01° chord is the convergence at its middle */
        CHECK_ABS(got, -tm_convergence(PTS[i][0] - 126, PTS[i][1] + 0.005, e2), 1e-6, "°", what);
        /* and within 0.0002° of the point's own (the report prints 0.01°) */
        CHECK_ABS(got, -tm_convergence(PTS[i][0] - 126, PTS[i][1], e2), 2e-4, "°", what);
    }
    CHECK(isnan(lc_map_grid_convergence(NULL, 0, 0)), "no transformation: NAN");
    CHECK(isnan(lc_map_grid_convergence(op, 1e30, 1e30)), "a point PROJ cannot take: NAN");
    proj_destroy(op);
}

int main(int argc, char **argv)
{
    ctx = lc_ctx_new();
    frames();
    rings();
    random_rings(argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 20240611u);
    labels();
    labels_around();
    anchors();
    extents();
    key_tails();
    round_lengths();
    convergence();
    lc_ctx_free(ctx);
    return lc_test_report("test_map_geom");
}
