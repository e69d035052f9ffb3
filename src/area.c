/*
** Planar and ellipsoidal areas of GEOS polygons. Our own shoelace keeps the
** planar figure independent of GEOS versions and exact to a few ulps; the
** ellipsoidal figure inverse-projects each vertex to the working CRS's own
** geographic CRS (no datum change) and sums per ring.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "area.h"
#include "tdt.h"
#include "crs.h"

double lc_ring_area_planar(const double *xy, size_t n)
{
    if (n < 3) return 0.0;
    /* drop an explicit closing vertex: the loop closes the ring itself */
    if (xy[0] == xy[2 * (n - 1)] && xy[1] == xy[2 * (n - 1) + 1]) n--;
    double x0 = xy[0], y0 = xy[1];
    lc_sum s = {0, 0};
    for (size_t i = 1; i + 1 < n; i++) {
        double xi = xy[2 * i] - x0, yi = xy[2 * i + 1] - y0;
        double xj = xy[2 * i + 2] - x0, yj = xy[2 * i + 3] - y0;
        lc_sum_add(&s, xi * yj);
        lc_sum_add(&s, -xj * yi);
    }
    return lc_sum_value(&s) / 2.0;
}

double lc_ring_area_geodesic(const struct geod_geodesic *g, const double *lonlat, size_t n)
{
    if (n < 3) return 0.0;
    if (lonlat[0] == lonlat[2 * (n - 1)] && lonlat[1] == lonlat[2 * (n - 1) + 1]) n--;
    struct geod_polygon poly;
    geod_polygon_init(&poly, 0);
    for (size_t i = 0; i < n; i++) geod_polygon_addpoint(g, &poly, lonlat[2 * i + 1], lonlat[2 * i]);
    double area = 0, perimeter = 0;
    geod_polygon_compute(g, &poly, 0, 1, &area, &perimeter);
    return area;
}

void lc_area_calc_init(lc_area_calc *c, lc_ctx *ctx, PJ *to_geographic, double a, double inv_f,
                       lc_ellipsoidal_method method)
{
    memset(c, 0, sizeof *c);
    c->ctx = ctx;
    c->to_geographic = to_geographic;
    c->a = a;
    c->inv_f = inv_f;
    c->method = method;
    geod_init(&c->geod, a, inv_f != 0 ? 1.0 / inv_f : 0.0);
}

lc_status lc_area_calc_init_thread(lc_area_calc *c, lc_ctx *tctx, const PJ *to_geographic, double a,
                                   double inv_f, lc_ellipsoidal_method method)
{
    PJ *own = proj_clone(tctx->proj, to_geographic);
    lc_area_calc_init(c, tctx, own, a, inv_f, method);
    c->owns_pj = 1;
    return own ? LC_OK : lc_error(tctx, LC_EINTERNAL, "cannot clone the inverse projection");
}

lc_status lc_area_thread_done(lc_ctx *tctx, void *state, void *userdata)
{
    (void)tctx;
    (void)userdata;
    lc_area_calc_release(state);
    return LC_OK;
}

void lc_area_calc_release(lc_area_calc *c)
{
    if (!c) return;
    if (c->owns_pj && c->to_geographic) proj_destroy(c->to_geographic);
    c->to_geographic = NULL;
    c->owns_pj = 0;
    free(c->buf);
    free(c->dense);
    c->buf = c->dense = NULL;
    c->cap = c->dense_cap = 0;
}

/* Copies a ring's coordinates into c->buf; returns the point count or
** (size_t)-1 on failure. */
static size_t ring_coords(lc_area_calc *c, const GEOSGeometry *ring)
{
    GEOSContextHandle_t h = c->ctx->geos;
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(h, ring);
    unsigned int n = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &n)) return (size_t)-1;
    if (lc_grow(c->ctx, (void **)&c->buf, &c->cap, 2 * (size_t)n, sizeof(double))) return (size_t)-1;
    if (n && !GEOSCoordSeq_copyToBuffer_r(h, seq, c->buf, 0, 0)) return (size_t)-1;
    return n;
}

static lc_status ring_areas(lc_area_calc *c, const GEOSGeometry *ring, double *planar,
                            double *ellipsoidal)
{
    size_t n = ring_coords(c, ring);
    if (n == (size_t)-1)
        return lc_error(c->ctx, LC_EINTERNAL, "cannot read ring coordinates: %s", c->ctx->geos_msg);
    if (planar) *planar = fabs(lc_ring_area_planar(c->buf, n));
    if (ellipsoidal) {
        double *pts = c->buf;
        if (c->method == LC_ELLIPSOIDAL_TDT) {
            size_t m = lc_tdt_densified_count(c->buf, n);
            if (lc_grow(c->ctx, (void **)&c->dense, &c->dense_cap, 2 * m, sizeof(double)))
                return LC_ENOMEM;
            n = lc_tdt_densify(c->buf, n, c->dense, m);
            pts = c->dense;
        }
        size_t bad;
        if (lc_crs_transform(c->ctx, c->to_geographic, pts, n, &bad) != LC_OK)
            return lc_error(c->ctx, LC_EINPUT, "a vertex cannot be converted to longitude/latitude");
        *ellipsoidal = fabs(c->method == LC_ELLIPSOIDAL_TDT
                                ? lc_ring_area_tdt(c->a, c->inv_f, pts, n)
                                : lc_ring_area_geodesic(&c->geod, pts, n));
    }
    return LC_OK;
}

static lc_status polygon_areas(lc_area_calc *c, const GEOSGeometry *poly, lc_sum *planar,
                               lc_sum *ellipsoidal)
{
    GEOSContextHandle_t h = c->ctx->geos;
    if (GEOSisEmpty_r(h, poly) == 1) return LC_OK;
    double p = 0, e = 0;
    lc_status rc = ring_areas(c, GEOSGetExteriorRing_r(h, poly), planar ? &p : NULL,
                              ellipsoidal ? &e : NULL);
    if (rc != LC_OK) return rc;
    if (planar) lc_sum_add(planar, p);
    if (ellipsoidal) lc_sum_add(ellipsoidal, e);
    int holes = GEOSGetNumInteriorRings_r(h, poly);
    for (int i = 0; i < holes; i++) {
        rc = ring_areas(c, GEOSGetInteriorRingN_r(h, poly, i), planar ? &p : NULL,
                        ellipsoidal ? &e : NULL);
        if (rc != LC_OK) return rc;
        if (planar) lc_sum_add(planar, -p);
        if (ellipsoidal) lc_sum_add(ellipsoidal, -e);
    }
    return LC_OK;
}

lc_status lc_area_of(lc_area_calc *c, const GEOSGeometry *g, double *planar_m2,
                     double *ellipsoidal_m2)
{
    GEOSContextHandle_t h = c->ctx->geos;
    lc_sum p = {0, 0}, e = {0, 0};
    lc_status rc = LC_OK;
    int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_POLYGON) {
        rc = polygon_areas(c, g, planar_m2 ? &p : NULL, ellipsoidal_m2 ? &e : NULL);
    } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        int n = GEOSGetNumGeometries_r(h, g);
        for (int i = 0; i < n && rc == LC_OK; i++) {
            const GEOSGeometry *part = GEOSGetGeometryN_r(h, g, i);
            if (GEOSGeomTypeId_r(h, part) == GEOS_POLYGON)
                rc = polygon_areas(c, part, planar_m2 ? &p : NULL, ellipsoidal_m2 ? &e : NULL);
        }
    }
    if (planar_m2) *planar_m2 = lc_sum_value(&p);
    if (ellipsoidal_m2) *ellipsoidal_m2 = lc_sum_value(&e);
    return rc;
}
