/*
** Contact of two polygons from their coordinates (see edge_contact.h).
**
** The test proves "interiors disjoint" from three facts, each checked only
** where the two bounding boxes overlap:
**   1. every pair of edges is identical, meets only at a common end point
**      (not running on along the same line), or is apart;
**   2. every vertex of one polygon is a vertex of the other or lies
**      strictly outside it;
**   3. no edge joins two common vertices without being a common edge (a
**      chord could run through the other's interior), and no ring consists
**      of common edges only (a duplicate polygon).
** By 1 the boundaries meet only in common vertices and common edges; by 2
** and 3 every other edge leaves the other polygon's closure, so neither
** boundary enters the other's interior, and an overlap would need a whole
** ring of common edges, which 3 excludes.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "edge_contact.h"

/* Shewchuk's bound for the first, floating-point stage of orient2d: when
** |det| exceeds it, det has the sign of the exact determinant. */
#define LC_CCW_ERRBOUND ((3.0 + 16.0 * 0x1p-53) * 0x1p-53)

enum { O_NEG = -1, O_ZERO = 0, O_POS = 1, O_UNSURE = 2 };

/* Sign of the orientation of (a, b, c): O_POS counter-clockwise, O_NEG
** clockwise, O_ZERO exactly collinear, O_UNSURE too close to call. */
static int orient(const double *a, const double *b, const double *c)
{
    double detleft = (a[0] - c[0]) * (b[1] - c[1]);
    double detright = (a[1] - c[1]) * (b[0] - c[0]);
    double det = detleft - detright, detsum;
    /* opposite signs (or a zero term): the subtraction cannot change the sign */
    if (detleft > 0) {
        if (detright <= 0) return det > 0 ? O_POS : det < 0 ? O_NEG : O_ZERO;
        detsum = detleft + detright;
    } else if (detleft < 0) {
        if (detright >= 0) return det > 0 ? O_POS : det < 0 ? O_NEG : O_ZERO;
        detsum = -detleft - detright;
    } else {
        return det > 0 ? O_POS : det < 0 ? O_NEG : O_ZERO;
    }
    double bound = LC_CCW_ERRBOUND * detsum;
    if (det > bound) return O_POS;
    if (-det > bound) return O_NEG;
    return O_UNSURE;
}

static int same(const double *p, const double *q) { return p[0] == q[0] && p[1] == q[1]; }

static int sgn(double v) { return (v > 0) - (v < 0); }

enum { PAIR_APART, PAIR_AT_END, PAIR_IDENTICAL, PAIR_UNKNOWN };

/* Edges s-p and s-q share the end point s: do they meet only there? */
static int meet_at_end(const double *s, const double *p, const double *q)
{
    int o = orient(s, p, q);
    if (o == O_POS || o == O_NEG) return PAIR_AT_END;
    if (o == O_UNSURE) return PAIR_UNKNOWN;
    /* exactly collinear: apart beyond s when they leave it in opposite
    ** directions (the signs of the rounded differences are exact) */
    int k = sgn(p[0] - s[0]) * sgn(q[0] - s[0]);
    if (!k) k = sgn(p[1] - s[1]) * sgn(q[1] - s[1]);
    return k < 0 ? PAIR_AT_END : PAIR_UNKNOWN;
}

/* Exactly collinear segments p-q and s-t: apart when their extents along
** the line do not meet. */
static int collinear_apart(const double *p, const double *q, const double *s, const double *t)
{
    int c = p[0] != q[0] ? 0 : 1;
    double a0 = p[c] < q[c] ? p[c] : q[c], a1 = p[c] < q[c] ? q[c] : p[c];
    double b0 = s[c] < t[c] ? s[c] : t[c], b1 = s[c] < t[c] ? t[c] : s[c];
    return a1 < b0 || b1 < a0;
}

static int edge_pair(const double *p, const double *q, const double *s, const double *t)
{
    if ((same(p, s) && same(q, t)) || (same(p, t) && same(q, s))) return PAIR_IDENTICAL;
    if (same(p, s)) return meet_at_end(p, q, t);
    if (same(p, t)) return meet_at_end(p, q, s);
    if (same(q, s)) return meet_at_end(q, p, t);
    if (same(q, t)) return meet_at_end(q, p, s);
    int o1 = orient(p, q, s), o2 = orient(p, q, t);
    if ((o1 == O_POS || o1 == O_NEG) && o1 == o2) return PAIR_APART;
    int o3 = orient(s, t, p), o4 = orient(s, t, q);
    if ((o3 == O_POS || o3 == O_NEG) && o3 == o4) return PAIR_APART;
    if (o1 == O_ZERO && o2 == O_ZERO && collinear_apart(p, q, s, t)) return PAIR_APART;
    return PAIR_UNKNOWN;
}

enum { AT_OUTSIDE, AT_VERTEX, AT_UNKNOWN };

/* Where v lies relative to the polygon r: strictly outside, on one of its
** vertices, or anything else (inside, on an edge, too close to call). */
static int locate(const lc_rings *r, const double *v)
{
    int inside = 0;
    for (size_t k = 0; k < r->n_rings; k++) {
        for (size_t i = r->start[k]; i + 1 < r->start[k + 1]; i++) {
            const double *p = r->xy + 2 * i, *q = p + 2;
            /* most edges are off the horizontal through v; an end point
            ** equal to v is not */
            double y0 = p[1] < q[1] ? p[1] : q[1], y1 = p[1] < q[1] ? q[1] : p[1];
            if (v[1] < y0 || v[1] > y1) continue;
            if (same(p, v) || same(q, v)) return AT_VERTEX;
            double x0 = p[0] < q[0] ? p[0] : q[0], x1 = p[0] < q[0] ? q[0] : p[0];
            if (v[0] > x1) continue;  /* not near, not on the ray */
            int o = orient(p, q, v);
            if (v[0] >= x0 && (o == O_ZERO || o == O_UNSURE)) return AT_UNKNOWN;  /* on or at the edge */
            if ((p[1] > v[1]) != (q[1] > v[1])) {
                /* the edge crosses the horizontal through v: does it cross the ray to +x? */
                if (o == O_UNSURE || o == O_ZERO) return AT_UNKNOWN;
                if (q[1] > p[1] ? o == O_POS : o == O_NEG) inside ^= 1;
            }
        }
    }
    return inside ? AT_UNKNOWN : AT_OUTSIDE;
}

static int edge_in_window(const double *p, const double *q, const double *w)
{
    return !((p[0] < w[0] && q[0] < w[0]) || (p[0] > w[2] && q[0] > w[2]) ||
             (p[1] < w[1] && q[1] < w[1]) || (p[1] > w[3] && q[1] > w[3]));
}

static int point_in_window(const double *p, const double *w)
{
    return p[0] >= w[0] && p[0] <= w[2] && p[1] >= w[1] && p[1] <= w[3];
}

static int boxes_meet(const double *p, const double *q, const double *s, const double *t)
{
    double ax0 = p[0] < q[0] ? p[0] : q[0], ax1 = p[0] < q[0] ? q[0] : p[0];
    double ay0 = p[1] < q[1] ? p[1] : q[1], ay1 = p[1] < q[1] ? q[1] : p[1];
    double bx0 = s[0] < t[0] ? s[0] : t[0], bx1 = s[0] < t[0] ? t[0] : s[0];
    double by0 = s[1] < t[1] ? s[1] : t[1], by1 = s[1] < t[1] ? t[1] : s[1];
    return !(ax1 < bx0 || bx1 < ax0 || ay1 < by0 || by1 < ay0);
}

/* Per-call scratch: for each point of a polygon, whether the edge starting
** there is a common edge (F_EDGE) or meets the other's boundary at all
** (F_MEETS), and whether the point is a common vertex (F_VERTEX); and the
** indices of the edges inside the window. */
typedef struct scratch {
    unsigned char *flag;
    size_t *edges;
    size_t n_edges;
} scratch;

enum { F_EDGE = 1, F_VERTEX = 2, F_MEETS = 4 };

static int scratch_init(scratch *s, const lc_rings *r, unsigned char *stack_flags, size_t *stack_edges,
                        size_t stack_n)
{
    if (r->n_points <= stack_n) {
        s->flag = stack_flags;
        s->edges = stack_edges;
    } else {
        s->flag = malloc(r->n_points);
        s->edges = malloc(r->n_points * sizeof *s->edges);
        if (!s->flag || !s->edges) {
            free(s->flag);
            free(s->edges);
            return -1;
        }
    }
    memset(s->flag, 0, r->n_points);
    s->n_edges = 0;
    return 0;
}

static void scratch_release(scratch *s, const unsigned char *stack_flags)
{
    if (s->flag != stack_flags) {
        free(s->flag);
        free(s->edges);
    }
}

/* 1 when point i of the ring of points b..e-1 (the last repeats b) ends a
** common edge: a common vertex then, which locate need not look for. */
static int ends_common_edge(const scratch *s, size_t i, size_t b, size_t e)
{
    size_t before = i > b ? i - 1 : e - 2;   /* the edge that ends at point i */
    return ((s->flag[i] | s->flag[before]) & F_EDGE) != 0;
}

/* Checks 2 and 3 for the polygon r (scratch s) against the other one. */
static int vertices_and_chords(const lc_rings *r, scratch *s, const lc_rings *other, const double *w, int *touched)
{
    for (size_t k = 0; k < r->n_rings; k++) {
        size_t b = r->start[k], e = r->start[k + 1];
        int last_out = 0;   /* the point before lies outside the other */
        for (size_t i = b; i + 1 < e; i++) {  /* the closing point repeats point b */
            const double *v = r->xy + 2 * i;
            /* outside its box, or joined to a point outside by an edge that
            ** meets none of its boundary (every edge that could meet it is
            ** in the window, and "apart" is exact): outside */
            int at = ends_common_edge(s, i, b, e)                          ? AT_VERTEX
                     : !point_in_window(v, w)                               ? AT_OUTSIDE
                     : last_out && i > b && !(s->flag[i - 1] & F_MEETS)     ? AT_OUTSIDE
                                                                            : locate(other, v);
            last_out = at == AT_OUTSIDE;
            if (at == AT_OUTSIDE) continue;
            if (at == AT_UNKNOWN) return -1;
            if (at == AT_VERTEX) {
                s->flag[i] |= F_VERTEX;
                *touched = 1;
            }
        }
        int all_common = e - b > 1;
        for (size_t i = b; i + 1 < e; i++) {
            size_t j = i + 2 == e ? b : i + 1;
            if (s->flag[i] & F_EDGE) continue;
            all_common = 0;
            if ((s->flag[i] & F_VERTEX) && (s->flag[j] & F_VERTEX)) return -1;  /* a chord */
        }
        if (all_common) return -1;
    }
    return 0;
}

lc_contact lc_rings_contact(const lc_rings *a, const lc_rings *b)
{
    if (a->maxx < b->minx || b->maxx < a->minx || a->maxy < b->miny || b->maxy < a->miny)
        return LC_CONTACT_NONE;
    double w[4] = {a->minx > b->minx ? a->minx : b->minx, a->miny > b->miny ? a->miny : b->miny,
                   a->maxx < b->maxx ? a->maxx : b->maxx, a->maxy < b->maxy ? a->maxy : b->maxy};
    enum { STACK_N = 256 };
    unsigned char fa_stack[STACK_N], fb_stack[STACK_N];
    size_t ea_stack[STACK_N], eb_stack[STACK_N];
    scratch sa, sb;
    if (scratch_init(&sa, a, fa_stack, ea_stack, STACK_N)) return LC_CONTACT_UNKNOWN;
    if (scratch_init(&sb, b, fb_stack, eb_stack, STACK_N)) {
        scratch_release(&sa, fa_stack);
        return LC_CONTACT_UNKNOWN;
    }
    const lc_rings *r[2] = {a, b};
    scratch *s[2] = {&sa, &sb};
    for (int m = 0; m < 2; m++)
        for (size_t k = 0; k < r[m]->n_rings; k++)
            for (size_t i = r[m]->start[k]; i + 1 < r[m]->start[k + 1]; i++)
                if (edge_in_window(r[m]->xy + 2 * i, r[m]->xy + 2 * i + 2, w)) s[m]->edges[s[m]->n_edges++] = i;

    lc_contact result = LC_CONTACT_UNKNOWN;
    int touched = 0;
    for (size_t x = 0; x < sa.n_edges; x++) {
        size_t i = sa.edges[x];
        const double *p = a->xy + 2 * i, *q = p + 2;
        for (size_t y = 0; y < sb.n_edges; y++) {
            size_t j = sb.edges[y];
            const double *u = b->xy + 2 * j, *v = u + 2;
            if (!boxes_meet(p, q, u, v)) continue;
            int pair = edge_pair(p, q, u, v);
            if (pair == PAIR_UNKNOWN) goto out;
            if (pair == PAIR_IDENTICAL) {
                sa.flag[i] |= F_EDGE;
                sb.flag[j] |= F_EDGE;
            }
            if (pair != PAIR_APART) {
                touched = 1;
                sa.flag[i] |= F_MEETS;
                sb.flag[j] |= F_MEETS;
            }
        }
    }
    if (vertices_and_chords(b, &sb, a, w, &touched) || vertices_and_chords(a, &sa, b, w, &touched)) goto out;
    result = touched ? LC_CONTACT_CLEAN : LC_CONTACT_NONE;
out:
    scratch_release(&sa, fa_stack);
    scratch_release(&sb, fb_stack);
    return result;
}

lc_status lc_rings_load(lc_ctx *ctx, lc_rings *r, const GEOSGeometry *g)
{
    GEOSContextHandle_t h = ctx->geos;
    int type = GEOSGeomTypeId_r(h, g);
    int np = type == GEOS_POLYGON ? 1 : GEOSGetNumGeometries_r(h, g);
    r->n_rings = 0;
    r->n_points = 0;
    for (int pass = 0; pass < 2; pass++) {
        size_t rings = 0, points = 0;
        for (int k = 0; k < np; k++) {
            const GEOSGeometry *poly = type == GEOS_POLYGON ? g : GEOSGetGeometryN_r(h, g, k);
            if (GEOSGeomTypeId_r(h, poly) != GEOS_POLYGON || GEOSisEmpty_r(h, poly) == 1) continue;
            int nh = GEOSGetNumInteriorRings_r(h, poly);
            for (int i = -1; i < nh; i++) {
                const GEOSGeometry *ring = i < 0 ? GEOSGetExteriorRing_r(h, poly) : GEOSGetInteriorRingN_r(h, poly, i);
                const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(h, ring);
                unsigned size = 0;
                if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &size))
                    return lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
                if (pass == 1) {
                    if (size && !GEOSCoordSeq_copyToBuffer_r(h, seq, r->xy + 2 * points, 0, 0))
                        return lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
                    r->start[rings] = points;
                    r->shell[rings] = i < 0;
                }
                rings++;
                points += size;
            }
        }
        if (pass == 0) {
            if (points > r->cap_points) {
                double *xy = realloc(r->xy, 2 * points * sizeof *xy);
                if (!xy) return lc_error(ctx, LC_ENOMEM, "out of memory");
                r->xy = xy;
                r->cap_points = points;
            }
            if (rings + 1 > r->cap_rings) {
                size_t *st = realloc(r->start, (rings + 1) * sizeof *st);
                if (st) r->start = st;
                unsigned char *sh = st ? realloc(r->shell, rings + 1) : NULL;
                if (sh) r->shell = sh;
                if (!st || !sh) return lc_error(ctx, LC_ENOMEM, "out of memory");
                r->cap_rings = rings + 1;
            }
        } else {
            r->start[rings] = points;
            r->n_rings = rings;
            r->n_points = points;
        }
    }
    r->minx = r->miny = INFINITY;
    r->maxx = r->maxy = -INFINITY;
    for (size_t i = 0; i < r->n_points; i++) {
        const double *p = r->xy + 2 * i;
        if (p[0] < r->minx) r->minx = p[0];
        if (p[0] > r->maxx) r->maxx = p[0];
        if (p[1] < r->miny) r->miny = p[1];
        if (p[1] > r->maxy) r->maxy = p[1];
    }
    return LC_OK;
}

void lc_rings_release(lc_rings *r)
{
    free(r->xy);
    free(r->start);
    free(r->shell);
    memset(r, 0, sizeof *r);
}
