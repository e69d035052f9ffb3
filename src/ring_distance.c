/* Polygons within a distance, as GEOS decides it (see ring_distance.h). */
#include <math.h>

#include "ring_distance.h"

/* The distance from p to segment ab: GEOS's Distance::pointToSegment,
** operation for operation. */
static double point_to_segment(const double *p, const double *a, const double *b)
{
    if (a[0] == b[0] && a[1] == b[1]) return sqrt((p[0] - a[0]) * (p[0] - a[0]) + (p[1] - a[1]) * (p[1] - a[1]));
    double len2 = (b[0] - a[0]) * (b[0] - a[0]) + (b[1] - a[1]) * (b[1] - a[1]);
    double r = ((p[0] - a[0]) * (b[0] - a[0]) + (p[1] - a[1]) * (b[1] - a[1])) / len2;
    if (r <= 0.0) return sqrt((p[0] - a[0]) * (p[0] - a[0]) + (p[1] - a[1]) * (p[1] - a[1]));
    if (r >= 1.0) return sqrt((p[0] - b[0]) * (p[0] - b[0]) + (p[1] - b[1]) * (p[1] - b[1]));
    double s = ((a[1] - p[1]) * (b[0] - a[0]) - (a[0] - p[0]) * (b[1] - a[1])) / len2;
    return fabs(s) * sqrt(len2);
}

static int boxes_meet(const double *a, const double *b, const double *c, const double *d)
{
    return fmax(c[0], d[0]) >= fmin(a[0], b[0]) && fmin(c[0], d[0]) <= fmax(a[0], b[0]) &&
           fmax(c[1], d[1]) >= fmin(a[1], b[1]) && fmin(c[1], d[1]) <= fmax(a[1], b[1]);
}

/* The distance between segments ab and cd: GEOS's Distance::
** segmentToSegment, operation for operation. */
static double segment_to_segment(const double *a, const double *b, const double *c, const double *d)
{
    if (a[0] == b[0] && a[1] == b[1]) return point_to_segment(a, c, d);
    if (c[0] == d[0] && c[1] == d[1]) return point_to_segment(d, a, b);
    int apart = !boxes_meet(a, b, c, d);
    if (!apart) {
        double denom = (b[0] - a[0]) * (d[1] - c[1]) - (b[1] - a[1]) * (d[0] - c[0]);
        if (denom == 0) {
            apart = 1;
        } else {
            double r_num = (a[1] - c[1]) * (d[0] - c[0]) - (a[0] - c[0]) * (d[1] - c[1]);
            double s_num = (a[1] - c[1]) * (b[0] - a[0]) - (a[0] - c[0]) * (b[1] - a[1]);
            double s = s_num / denom, r = r_num / denom;
            apart = r < 0 || r > 1 || s < 0 || s > 1;
        }
    }
    if (!apart) return 0.0;
    return fmin(point_to_segment(a, c, d),
                fmin(point_to_segment(b, c, d), fmin(point_to_segment(c, a, b), point_to_segment(d, a, b))));
}

/* 1 when p lies inside the polygon of rings r (crossings of all its rings,
** holes and parts included, are odd); p is far from every edge here. */
static int inside(const lc_rings *r, const double *p)
{
    int odd = 0;
    for (size_t k = 0; k < r->n_rings; k++)
        for (size_t i = r->start[k]; i + 1 < r->start[k + 1]; i++) {
            const double *u = r->xy + 2 * i, *v = u + 2;
            if ((u[1] > p[1]) != (v[1] > p[1]) && p[0] < u[0] + (p[1] - u[1]) * (v[0] - u[0]) / (v[1] - u[1]))
                odd ^= 1;
        }
    return odd;
}

int lc_rings_within(const lc_rings *a, const lc_rings *b, double d)
{
    size_t na = a->n_points - a->n_rings, nb = b->n_points - b->n_rings;  /* edges */
    if (na * nb > LC_RING_DISTANCE_MAX_PAIRS || !a->n_points || !b->n_points) return -1;
    /* pairs of edges whose boxes lie this far apart are surely farther than
    ** d however their distance rounds (coordinates below 1e9) */
    const double reach = d + d * 1e-9 + 1e-6;
    for (size_t ka = 0; ka < a->n_rings; ka++)
        for (size_t i = a->start[ka]; i + 1 < a->start[ka + 1]; i++) {
            const double *p = a->xy + 2 * i, *q = p + 2;
            double x0 = fmin(p[0], q[0]) - reach, x1 = fmax(p[0], q[0]) + reach;
            double y0 = fmin(p[1], q[1]) - reach, y1 = fmax(p[1], q[1]) + reach;
            for (size_t kb = 0; kb < b->n_rings; kb++)
                for (size_t j = b->start[kb]; j + 1 < b->start[kb + 1]; j++) {
                    const double *u = b->xy + 2 * j, *v = u + 2;
                    if (fmax(u[0], v[0]) < x0 || fmin(u[0], v[0]) > x1 || fmax(u[1], v[1]) < y0 ||
                        fmin(u[1], v[1]) > y1)
                        continue;
                    if (segment_to_segment(p, q, u, v) <= d) return 1;
                }
        }
    /* no edges within d: they meet only when one lies inside the other */
    return inside(a, b->xy) || inside(b, a->xy);
}
