/*
** Areas of polygonal geometries (SPEC §2): planar in the working CRS, and
** ellipsoidal on the working CRS's ellipsoid, either as the geodesic polygon
** area (GeographicLib) or by the Chinese land-survey trapezoid series.
*/
#ifndef LC_AREA_H
#define LC_AREA_H

#include <geodesic.h>

#include "lc_internal.h"

/* Signed shoelace area of a ring of n interleaved x,y points (closed or
** not): counter-clockwise positive. Coordinates are taken relative to the
** first vertex and summed with compensation, so eight-digit Gauss-Kruger
** eastings lose no precision. */
double lc_ring_area_planar(const double *xy, size_t n);

/* Signed geodesic area of a lon/lat ring (degrees), counter-clockwise
** positive, via geod_polygonarea. */
double lc_ring_area_geodesic(const struct geod_geodesic *g, const double *lonlat, size_t n);

/* Per-thread scratch for area computation of GEOS geometries. */
typedef struct lc_area_calc {
    lc_ctx *ctx;
    PJ *to_geographic;          /* work CRS -> lon/lat; borrowed unless owns_pj */
    int owns_pj;
    struct geod_geodesic geod;
    double a, inv_f;
    lc_ellipsoidal_method method;
    double *buf;                /* owned scratch */
    size_t cap;
    double *dense;              /* owned scratch for the tdt densification */
    size_t dense_cap;
} lc_area_calc;

void lc_area_calc_init(lc_area_calc *c, lc_ctx *ctx, PJ *to_geographic, double a, double inv_f,
                       lc_ellipsoidal_method method);
/* The same for a worker thread: to_geographic is cloned into tctx's PROJ
** context (a PJ belongs to one context) and released with c. */
lc_status lc_area_calc_init_thread(lc_area_calc *c, lc_ctx *tctx, const PJ *to_geographic, double a,
                                   double inv_f, lc_ellipsoidal_method method);
void lc_area_calc_release(lc_area_calc *c);
/* lc_parallel thread_done hook for loops whose thread state is an
** lc_area_calc: releases it. */
lc_status lc_area_thread_done(lc_ctx *tctx, void *state, void *userdata);

/* Planar and ellipsoidal area of a Polygon or MultiPolygon in the working
** CRS: per polygon |shell| - sum |holes|. Either output may be NULL.
** Returns LC_OK, or an error status with the message on ctx. */
lc_status lc_area_of(lc_area_calc *c, const GEOSGeometry *g, double *planar_m2,
                     double *ellipsoidal_m2);

#endif
