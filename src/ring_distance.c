/* Polygons within a distance, as GEOS decides it (see ring_distance.h). */
#include <math.h>
#include <stdlib.h>

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

/* min and max of finite values, inline (fmin and fmax are calls) */
static inline double lo(double a, double b) { return a < b ? a : b; }
static inline double hi(double a, double b) { return a > b ? a : b; }

static int boxes_meet(const double *a, const double *b, const double *c, const double *d)
{
    return hi(c[0], d[0]) >= lo(a[0], b[0]) && lo(c[0], d[0]) <= hi(a[0], b[0]) &&
           hi(c[1], d[1]) >= lo(a[1], b[1]) && lo(c[1], d[1]) <= hi(a[1], b[1]);
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
    return lo(point_to_segment(a, c, d),
              lo(point_to_segment(b, c, d), lo(point_to_segment(c, a, b), point_to_segment(d, a, b))));
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
    ** d however their distance rounds (coordinates below 1e9); so are the
    ** edges of one polygon that far from the other's box, which only the
    ** edges facing each other pass */
    const double reach = d + d * 1e-9 + 1e-6;
    enum { NEAR_STACK = 256 };
    size_t near_stack[NEAR_STACK], *near = near_stack, n_near = 0;
    if (nb > NEAR_STACK && !(near = malloc(nb * sizeof *near))) return -1;
    const double ax0 = a->minx - reach, ax1 = a->maxx + reach, ay0 = a->miny - reach, ay1 = a->maxy + reach;
    for (size_t kb = 0; kb < b->n_rings; kb++)
        for (size_t j = b->start[kb]; j + 1 < b->start[kb + 1]; j++) {
            const double *u = b->xy + 2 * j, *v = u + 2;
            if (hi(u[0], v[0]) >= ax0 && lo(u[0], v[0]) <= ax1 && hi(u[1], v[1]) >= ay0 && lo(u[1], v[1]) <= ay1)
                near[n_near++] = j;
        }
    int within = 0;
    for (size_t ka = 0; ka < a->n_rings && !within && n_near; ka++)
        for (size_t i = a->start[ka]; i + 1 < a->start[ka + 1] && !within; i++) {
            const double *p = a->xy + 2 * i, *q = p + 2;
            double x0 = lo(p[0], q[0]) - reach, x1 = hi(p[0], q[0]) + reach;
            double y0 = lo(p[1], q[1]) - reach, y1 = hi(p[1], q[1]) + reach;
            if (x1 < b->minx || x0 > b->maxx || y1 < b->miny || y0 > b->maxy) continue;
            for (size_t m = 0; m < n_near; m++) {
                const double *u = b->xy + 2 * near[m], *v = u + 2;
                if (hi(u[0], v[0]) < x0 || lo(u[0], v[0]) > x1 || hi(u[1], v[1]) < y0 || lo(u[1], v[1]) > y1)
                    continue;
                if (segment_to_segment(p, q, u, v) <= d) {
                    within = 1;
                    break;
                }
            }
        }
    if (near != near_stack) free(near);
    if (within) return 1;
    /* no edges within d: they meet only when one lies inside the other */
    return inside(a, b->xy) || inside(b, a->xy);
}
