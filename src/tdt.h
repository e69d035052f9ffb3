/*
** The ellipsoidal area formula of the Chinese land surveys (tdt.c): the
** trapezoid series of 国土调查办发〔2008〕32号 and the densification of
** edges that precedes it.
*/
#ifndef LC_TDT_H
#define LC_TDT_H

#include <stddef.h>

/* Signed area of a lon/lat ring (degrees) by the trapezoid series of
** 国土调查办发〔2008〕32号 on the ellipsoid (a, inv_f); counter-clockwise
** positive. */
double lc_ring_area_tdt(double a, double inv_f, const double *lonlat, size_t n);

/* The land survey's densification before the series: every edge longer
** than LC_TDT_DENSIFY_M metres in the projection plane gets floor(length /
** LC_TDT_DENSIFY_M) evenly spaced extra vertices. Writes to out (capacity
** out_cap points) and returns the point count, or 0 when out is too small;
** lc_tdt_densified_count gives the count needed. */
#define LC_TDT_DENSIFY_M 70.0
size_t lc_tdt_densified_count(const double *xy, size_t n);
size_t lc_tdt_densify(const double *xy, size_t n, double *out, size_t out_cap);

/* Ellipsoidal area of one quadrangle bounded by meridians lon1..lon2 and
** parallels lat1..lat2 (degrees) by the same series; exposed for tests. */
double lc_quadrangle_area_tdt(double a, double inv_f, double lat1, double lat2, double dlon_deg);

#endif
