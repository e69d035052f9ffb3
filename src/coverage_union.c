/*
** Coverage union by edge cancellation (see coverage_union.h): rings are
** oriented (shells counter-clockwise, holes clockwise, so every polygon lies
** on the left of its edges), an edge met once in each direction lies
** between two polygons and goes, the remaining directed edges are chained
** into rings, counter-clockwise rings become shells and clockwise ones
** holes of the smallest shell that covers them. When that fails, the
** polygons in contacts lc_rings_contact cannot settle are set aside, the
** rest is unioned so, and the set-aside ones are unioned by overlay with
** the parts of it they meet.
*/
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "area.h"
#include "coverage_union.h"
#include "edge_contact.h"
#include "geom.h"
#include "spindex.h"

typedef struct seg {
    double x0, y0, x1, y1;   /* directed: from (x0, y0) to (x1, y1) */
} seg;

typedef struct segs {
    seg *s;
    size_t n, cap;
} segs;

static int lt(double ax, double ay, double bx, double by) { return ax < bx || (ax == bx && ay < by); }

/* Undirected order: by the smaller end point, then the larger. */
static void canon(const seg *s, double k[4])
{
    if (lt(s->x1, s->y1, s->x0, s->y0)) k[0] = s->x1, k[1] = s->y1, k[2] = s->x0, k[3] = s->y0;
    else k[0] = s->x0, k[1] = s->y0, k[2] = s->x1, k[3] = s->y1;
}

static int cmp_from(const void *pa, const void *pb)
{
    const seg *a = pa, *b = pb;
    if (a->x0 != b->x0) return a->x0 < b->x0 ? -1 : 1;
    if (a->y0 != b->y0) return a->y0 < b->y0 ? -1 : 1;
    if (a->x1 != b->x1) return a->x1 < b->x1 ? -1 : 1;
    return (a->y1 > b->y1) - (a->y1 < b->y1);
}

/* Appends the edges of one ring, oriented counter-clockwise for a shell and
** clockwise for a hole. */
static lc_status add_ring(lc_ctx *ctx, segs *out, const GEOSGeometry *ring, int shell, double **buf, size_t *cap)
{
    GEOSContextHandle_t h = ctx->geos;
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(h, ring);
    unsigned n = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &n)) return lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
    if (n < 4) return LC_OK;
    if (lc_grow(ctx, (void **)buf, cap, 2 * (size_t)n, sizeof **buf)) return LC_ENOMEM;
    double *xy = *buf;
    if (!GEOSCoordSeq_copyToBuffer_r(h, seq, xy, 0, 0)) return lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
    int reverse = (lc_ring_area_planar(xy, n) > 0) != shell;
    if (lc_grow(ctx, (void **)&out->s, &out->cap, out->n + n, sizeof *out->s)) return LC_ENOMEM;
    for (unsigned i = 0; i + 1 < n; i++) {
        const double *p = xy + 2 * i, *q = p + 2;
        if (p[0] == q[0] && p[1] == q[1]) continue;  /* a repeated point */
        out->s[out->n++] = reverse ? (seg){q[0], q[1], p[0], p[1]} : (seg){p[0], p[1], q[0], q[1]};
    }
    return LC_OK;
}

/* A straight line on which the pieces of a tiling were cut: x = v
** (vertical) or y = v. */
typedef struct seam_edge {
    int vertical;
    double v, a, b;          /* on the line; from a to b along it */
    size_t at;               /* index in e */
} seam_edge;

static int cmp_seam(const void *pa, const void *pb)
{
    const seam_edge *a = pa, *b = pb;
    if (a->vertical != b->vertical) return a->vertical - b->vertical;
    return (a->v > b->v) - (a->v < b->v);
}

static int on_line(const double *vs, size_t n, double v)
{
    return n && bsearch(&v, vs, n, sizeof *vs, lc_cmp_double) != NULL;
}

/*
** Pieces cut along the same line (tiles) meet there edge to edge, but their
** end points need not match: each piece's boundary crosses the line where
** its own closing put it. The edges on the seam lines xs (x = const, sorted)
** and ys (y = const, sorted) are split at every end point on the same line,
** so that what two pieces share cancels and what one covers alone stays, a
** step of the seam between the two crossings.
*/
static lc_status split_seams(lc_ctx *ctx, segs *e, const double *xs, size_t nx, const double *ys, size_t ny)
{
    seam_edge *se = NULL;
    double *cuts = NULL;
    size_t ns = 0, cap = 0;
    lc_status rc = LC_OK;
    for (size_t i = 0; i < e->n && rc == LC_OK; i++) {
        const seg *s = &e->s[i];
        seam_edge t;
        if (s->x0 == s->x1 && on_line(xs, nx, s->x0)) t = (seam_edge){1, s->x0, s->y0, s->y1, i};
        else if (s->y0 == s->y1 && on_line(ys, ny, s->y0)) t = (seam_edge){0, s->y0, s->x0, s->x1, i};
        else continue;
        if (lc_grow(ctx, (void **)&se, &cap, ns + 1, sizeof *se)) rc = LC_ENOMEM;
        else se[ns++] = t;
    }
    if (rc == LC_OK && ns) {
        lc_sort(se, ns, sizeof *se, cmp_seam);
        cuts = lc_malloc(ctx, 2 * ns * sizeof *cuts);
        if (!cuts) rc = LC_ENOMEM;
    }
    size_t kept = e->n;
    unsigned char *drop = rc == LC_OK && ns ? lc_calloc(ctx, e->n, 1) : NULL;
    if (ns && !drop) rc = LC_ENOMEM;
    for (size_t i = 0; i < ns && rc == LC_OK;) {
        size_t j = i, nc = 0;
        while (j < ns && se[j].vertical == se[i].vertical && se[j].v == se[i].v) {
            cuts[nc++] = se[j].a;
            cuts[nc++] = se[j].b;
            j++;
        }
        size_t nu = lc_sort_unique_doubles(cuts, nc);
        /* each edge of the line replaced by its pieces between the cuts */
        for (size_t k = i; k < j && rc == LC_OK; k++) {
            double lo = fmin(se[k].a, se[k].b), hi = fmax(se[k].a, se[k].b);
            size_t c0 = 0, c1 = nu;
            while (c0 < nu && cuts[c0] < lo) c0++;
            while (c1 > 0 && cuts[c1 - 1] > hi) c1--;
            if (c1 - c0 <= 2) continue;   /* no cut inside */
            drop[se[k].at] = 1;
            int up = se[k].b > se[k].a;
            if (lc_grow(ctx, (void **)&e->s, &e->cap, e->n + (c1 - c0 - 1), sizeof *e->s)) {
                rc = LC_ENOMEM;
                break;
            }
            for (size_t c = c0; c + 1 < c1; c++) {
                double p = up ? cuts[c] : cuts[c + 1], q = up ? cuts[c + 1] : cuts[c];
                e->s[e->n++] = se[k].vertical ? (seg){se[k].v, p, se[k].v, q} : (seg){p, se[k].v, q, se[k].v};
            }
        }
        i = j;
    }
    if (rc == LC_OK && drop) {
        size_t w = 0;
        for (size_t i = 0; i < e->n; i++)
            if (i >= kept || !drop[i]) e->s[w++] = e->s[i];
        e->n = w;
    }
    free(drop);
    free(cuts);
    free(se);
    return rc;
}

/* An edge's undirected key (canon), computed once for the sort. */
typedef struct edge_key {
    double k[4];
    size_t at;               /* index in e */
} edge_key;

static int cmp_key(const void *pa, const void *pb)
{
    const double *a = ((const edge_key *)pa)->k, *b = ((const edge_key *)pb)->k;
    for (int i = 0; i < 4; i++)
        if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
    return 0;
}

/* Drops every edge met once in each direction; 1 when an edge is met in any
** other way (twice in one direction, three times): not a clean coverage,
** or no memory to tell (the overlay then takes over). The keys are sorted
** rather than the edges, each edge's key made once instead of in every
** comparison. */
static int cancel_shared(segs *e)
{
    edge_key *key = malloc((e->n ? e->n : 1) * sizeof *key);
    seg *kept_s = malloc((e->n ? e->n : 1) * sizeof *kept_s);
    if (!key || !kept_s) {
        free(key);
        free(kept_s);
        return 1;
    }
    for (size_t i = 0; i < e->n; i++) {
        canon(&e->s[i], key[i].k);
        key[i].at = i;
    }
    lc_sort(key, e->n, sizeof *key, cmp_key);
    size_t kept = 0;
    int unclean = 0;
    for (size_t i = 0; i < e->n && !unclean;) {
        size_t j = i + 1;
        while (j < e->n && cmp_key(&key[i], &key[j]) == 0) j++;
        const seg *a = &e->s[key[i].at];
        if (j - i == 1) kept_s[kept++] = *a;
        else if (j - i != 2 || (a->x0 == e->s[key[i + 1].at].x0 && a->y0 == e->s[key[i + 1].at].y0)) unclean = 1;
        i = j;
    }
    if (!unclean) {
        memcpy(e->s, kept_s, kept * sizeof *kept_s);
        e->n = kept;
    }
    free(key);
    free(kept_s);
    return unclean;
}

/* First edge leaving (x, y) in e (sorted by start point), or e->n. */
static size_t first_from(const segs *e, double x, double y)
{
    size_t lo = 0, hi = e->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (lt(e->s[mid].x0, e->s[mid].y0, x, y)) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* The next edge after `in`: the only unused edge leaving its end, or among
** several the one turning furthest left, which keeps the ring around the
** polygon on its left where two rings touch at a vertex. e->n: none. */
static size_t next_edge(const segs *e, const unsigned char *used, const seg *in)
{
    size_t best = e->n;
    double best_turn = -4;
    double dx = in->x1 - in->x0, dy = in->y1 - in->y0;
    for (size_t k = first_from(e, in->x1, in->y1); k < e->n && e->s[k].x0 == in->x1 && e->s[k].y0 == in->y1; k++) {
        if (used[k]) continue;
        double ex = e->s[k].x1 - e->s[k].x0, ey = e->s[k].y1 - e->s[k].y0;
        double turn = atan2(dx * ey - dy * ex, dx * ex + dy * ey);
        if (best == e->n || turn > best_turn) {
            best = k;
            best_turn = turn;
        }
    }
    return best;
}

typedef struct ring_out {
    GEOSGeometry *ring;       /* LinearRing */
    double area;              /* signed: > 0 shell, < 0 hole */
    size_t shell_of;          /* a hole: the shell it belongs to */
} ring_out;

typedef struct rings_out {
    ring_out *r;
    size_t n, cap;
} rings_out;

static void rings_free(lc_ctx *ctx, rings_out *o)
{
    for (size_t i = 0; i < o->n; i++)
        if (o->r[i].ring) GEOSGeom_destroy_r(ctx->geos, o->r[i].ring);
    free(o->r);
}

/* Chains the remaining edges into closed rings; 1 when an edge leads
** nowhere (not a coverage). */
static int chain(lc_ctx *ctx, segs *e, rings_out *out, lc_status *rc)
{
    GEOSContextHandle_t h = ctx->geos;
    lc_sort(e->s, e->n, sizeof *e->s, cmp_from);
    unsigned char *used = lc_calloc(ctx, e->n ? e->n : 1, 1);
    double *xy = NULL;
    size_t cap = 0;
    int broken = 0;
    *rc = used ? LC_OK : LC_ENOMEM;
    for (size_t start = 0; start < e->n && *rc == LC_OK && !broken; start++) {
        if (used[start]) continue;
        size_t np = 0, cur = start;
        for (;;) {
            used[cur] = 1;
            if (lc_grow(ctx, (void **)&xy, &cap, 2 * (np + 2), sizeof *xy)) {
                *rc = LC_ENOMEM;
                break;
            }
            xy[2 * np] = e->s[cur].x0;
            xy[2 * np + 1] = e->s[cur].y0;
            np++;
            if (e->s[cur].x1 == e->s[start].x0 && e->s[cur].y1 == e->s[start].y0) break;
            cur = next_edge(e, used, &e->s[cur]);
            if (cur == e->n) {
                broken = 1;
                break;
            }
        }
        if (*rc != LC_OK || broken) break;
        xy[2 * np] = xy[0];
        xy[2 * np + 1] = xy[1];
        np++;
        double area = lc_ring_area_planar(xy, np);
        if (np < 4 || area == 0) {
            broken = 1;
            break;
        }
        GEOSCoordSequence *seq = GEOSCoordSeq_copyFromBuffer_r(h, xy, (unsigned)np, 0, 0);
        GEOSGeometry *ring = seq ? GEOSGeom_createLinearRing_r(h, seq) : NULL;
        if (!ring || lc_grow(ctx, (void **)&out->r, &out->cap, out->n + 1, sizeof *out->r)) {
            if (ring) GEOSGeom_destroy_r(h, ring);
            *rc = lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
            break;
        }
        out->r[out->n++] = (ring_out){ring, area, SIZE_MAX};
    }
    free(used);
    free(xy);
    return broken;
}

/* Each hole to the smallest shell that covers it; 1 when a hole has none. */
static int assign_holes(lc_ctx *ctx, rings_out *o, lc_status *rc)
{
    GEOSContextHandle_t h = ctx->geos;
    size_t n = o->n;
    GEOSGeometry **poly = lc_calloc(ctx, n ? n : 1, sizeof *poly);
    const GEOSPreparedGeometry **prep = lc_calloc(ctx, n ? n : 1, sizeof *prep);
    lc_spindex ix;
    int orphan = 0;
    *rc = poly && prep ? lc_spindex_init(ctx, &ix) : LC_ENOMEM;
    if (*rc != LC_OK) {
        free(poly);
        free(prep);
        return 0;
    }
    size_t holes = 0;
    for (size_t i = 0; i < n; i++) {
        if (o->r[i].area > 0) lc_spindex_insert(ctx, &ix, o->r[i].ring, i);
        else holes++;
    }
    for (size_t i = 0; i < n && holes && *rc == LC_OK && !orphan; i++) {
        if (o->r[i].area > 0) continue;
        if ((*rc = lc_spindex_query(ctx, &ix, o->r[i].ring)) != LC_OK) break;
        GEOSGeometry *hole = GEOSGeom_createPolygon_r(h, GEOSGeom_clone_r(h, o->r[i].ring), NULL, 0);
        if (!hole) {
            *rc = lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
            break;
        }
        /* smallest candidate first: with shells inside holes inside shells,
        ** the innermost covering shell is the hole's own */
        size_t best = SIZE_MAX;
        for (size_t k = 0; k < ix.n_hits && *rc == LC_OK; k++) {
            size_t s = ix.hits[k];
            if (best != SIZE_MAX && o->r[s].area >= o->r[best].area) continue;
            if (!prep[s]) {
                poly[s] = GEOSGeom_createPolygon_r(h, GEOSGeom_clone_r(h, o->r[s].ring), NULL, 0);
                prep[s] = poly[s] ? GEOSPrepare_r(h, poly[s]) : NULL;
                if (!prep[s]) {
                    *rc = lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
                    break;
                }
            }
            char covers = GEOSPreparedCovers_r(h, prep[s], hole);
            if (covers == 2) *rc = lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
            else if (covers) best = s;
        }
        GEOSGeom_destroy_r(h, hole);
        if (best == SIZE_MAX) orphan = 1;
        o->r[i].shell_of = best;
    }
    for (size_t i = 0; i < n; i++) {
        if (prep[i]) GEOSPreparedGeom_destroy_r(h, prep[i]);
        if (poly[i]) GEOSGeom_destroy_r(h, poly[i]);
    }
    free(prep);
    free(poly);
    lc_spindex_release(ctx, &ix);
    return orphan;
}

/* The MultiPolygon of the rings (which it takes over), or NULL. */
static GEOSGeometry *assemble(lc_ctx *ctx, rings_out *o)
{
    GEOSContextHandle_t h = ctx->geos;
    size_t n = o->n, nshell = 0;
    size_t *count = lc_calloc(ctx, n ? n : 1, sizeof *count), *first = lc_calloc(ctx, n + 1, sizeof *first);
    GEOSGeometry **holes = lc_malloc(ctx, (n ? n : 1) * sizeof *holes);
    GEOSGeometry **polys = lc_malloc(ctx, (n ? n : 1) * sizeof *polys);
    GEOSGeometry *result = NULL;
    if (!count || !first || !holes || !polys) goto out;
    for (size_t i = 0; i < n; i++)
        if (o->r[i].area < 0) count[o->r[i].shell_of]++;
    for (size_t i = 0; i < n; i++) first[i + 1] = first[i] + count[i];
    memset(count, 0, n * sizeof *count);
    for (size_t i = 0; i < n; i++)
        if (o->r[i].area < 0) {
            size_t s = o->r[i].shell_of;
            holes[first[s] + count[s]++] = o->r[i].ring;
            o->r[i].ring = NULL;
        }
    for (size_t i = 0; i < n; i++) {
        if (o->r[i].area < 0) continue;
        GEOSGeometry *p = GEOSGeom_createPolygon_r(h, o->r[i].ring, holes + first[i], (unsigned)count[i]);
        if (!p) goto out;
        o->r[i].ring = NULL;
        for (size_t k = 0; k < count[i]; k++) holes[first[i] + k] = NULL;
        polys[nshell++] = p;
    }
    result = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polys, (unsigned)nshell);
    if (result) nshell = 0;
out:
    for (size_t k = 0; k < nshell; k++) GEOSGeom_destroy_r(h, polys[k]);
    if (holes && first)
        for (size_t k = 0; k < first[n]; k++)
            if (holes[k]) GEOSGeom_destroy_r(h, holes[k]);
    free(count);
    free(first);
    free(holes);
    free(polys);
    if (!result) lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
    return result;
}

/* The union by edge cancellation of geoms[idx[k]] (all when idx is NULL), or
** *out NULL when they are not a clean coverage. */
static lc_status union_clean(lc_ctx *ctx, GEOSGeometry *const *geoms, const size_t *idx, size_t n,
                             const lc_seams *seams, GEOSGeometry **out)
{
    GEOSContextHandle_t h = ctx->geos;
    *out = NULL;
    segs e = {0};
    rings_out o = {0};
    double *buf = NULL;
    size_t cap = 0;
    lc_status rc = LC_OK;
    for (size_t i = 0; i < n && rc == LC_OK; i++) {
        const GEOSGeometry *g = geoms[idx ? idx[i] : i];
        int type = GEOSGeomTypeId_r(h, g);
        int np = type == GEOS_POLYGON ? 1 : GEOSGetNumGeometries_r(h, g);
        for (int k = 0; k < np && rc == LC_OK; k++) {
            const GEOSGeometry *poly = type == GEOS_POLYGON ? g : GEOSGetGeometryN_r(h, g, k);
            if (GEOSGeomTypeId_r(h, poly) != GEOS_POLYGON || GEOSisEmpty_r(h, poly) == 1) continue;
            rc = add_ring(ctx, &e, GEOSGetExteriorRing_r(h, poly), 1, &buf, &cap);
            int nh = GEOSGetNumInteriorRings_r(h, poly);
            for (int j = 0; j < nh && rc == LC_OK; j++)
                rc = add_ring(ctx, &e, GEOSGetInteriorRingN_r(h, poly, j), 0, &buf, &cap);
        }
    }
    free(buf);
    if (rc == LC_OK && seams) rc = split_seams(ctx, &e, seams->xs, seams->nx, seams->ys, seams->ny);
    if (rc == LC_OK && e.n && !cancel_shared(&e) && !chain(ctx, &e, &o, &rc) && rc == LC_OK &&
        !assign_holes(ctx, &o, &rc) && rc == LC_OK) {
        GEOSGeometry *u = assemble(ctx, &o);
        if (!u) rc = LC_EINTERNAL;
        else if (GEOSisValid_r(h, u) == 1) *out = u;
        else GEOSGeom_destroy_r(h, u);
    }
    rings_free(ctx, &o);
    free(e.s);
    return rc;
}

/* The union by overlay of clones of a[0..na) and b[0..nb) (borrowed). */
static GEOSGeometry *overlay_union(lc_ctx *ctx, GEOSGeometry *const *a, size_t na, GEOSGeometry *const *b, size_t nb)
{
    GEOSContextHandle_t h = ctx->geos;
    size_t n = na + nb, k = 0;
    GEOSGeometry **own = lc_malloc(ctx, (n ? n : 1) * sizeof *own);
    if (!own) return NULL;
    for (; k < n; k++)
        if (!(own[k] = GEOSGeom_clone_r(h, k < na ? a[k] : b[k - na]))) break;
    GEOSGeometry *coll = k == n ? GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, own, (unsigned)n) : NULL;
    if (!coll) {
        while (k > 0) GEOSGeom_destroy_r(h, own[--k]);
        free(own);
        lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
        return NULL;
    }
    free(own);
    GEOSGeometry *u = GEOSUnaryUnion_r(h, coll);
    GEOSGeom_destroy_r(h, coll);
    if (!u) lc_error(ctx, LC_EINTERNAL, "GEOS union failed: %s", ctx->geos_msg);
    return u;
}

/* Marks the polygons in a contact that lc_rings_contact does not settle. */
static lc_status find_unclean(lc_ctx *ctx, GEOSGeometry *const *geoms, size_t n, unsigned char *unclean,
                              size_t *count)
{
    lc_spindex ix;
    lc_rings ri = {0}, rj = {0};
    lc_status rc = lc_spindex_init(ctx, &ix);
    *count = 0;
    for (size_t i = 0; i < n && rc == LC_OK; i++) lc_spindex_insert(ctx, &ix, geoms[i], i);
    for (size_t i = 0; i < n && rc == LC_OK; i++) {
        if ((rc = lc_spindex_query(ctx, &ix, geoms[i])) != LC_OK) break;
        if (ix.n_hits > 1 && (rc = lc_rings_load(ctx, &ri, geoms[i])) != LC_OK) break;
        for (size_t k = 0; k < ix.n_hits && rc == LC_OK; k++) {
            size_t j = ix.hits[k];
            if (j <= i || (unclean[i] && unclean[j])) continue;
            if ((rc = lc_rings_load(ctx, &rj, geoms[j])) != LC_OK) break;
            if (lc_rings_contact(&ri, &rj) != LC_CONTACT_UNKNOWN) continue;
            *count += !unclean[i] + !unclean[j];
            unclean[i] = unclean[j] = 1;
        }
    }
    if (ix.tree) lc_spindex_release(ctx, &ix);
    lc_rings_release(&ri);
    lc_rings_release(&rj);
    return rc;
}

/* u (a clean union, taken over) with the set-aside polygons added: those
** are unioned by overlay with the parts of u they meet, the other parts of u
** are kept as they are (they meet the new ones at most in points). */
static lc_status add_by_overlay(lc_ctx *ctx, GEOSGeometry *u, GEOSGeometry *const *extra, size_t n_extra,
                                GEOSGeometry **out)
{
    GEOSContextHandle_t h = ctx->geos;
    *out = NULL;
    int np = GEOSGetNumGeometries_r(h, u);
    GEOSGeometry **touched = lc_malloc(ctx, ((size_t)np + 1) * sizeof *touched);
    GEOSGeometry **parts = lc_malloc(ctx, ((size_t)np + 1) * sizeof *parts);
    lc_spindex ix;
    lc_status rc = touched && parts ? lc_spindex_init(ctx, &ix) : LC_ENOMEM;
    size_t nt = 0, nk = 0;
    for (size_t j = 0; j < n_extra && rc == LC_OK; j++) lc_spindex_insert(ctx, &ix, extra[j], j);
    for (int k = 0; k < np && rc == LC_OK; k++) {
        const GEOSGeometry *part = GEOSGetGeometryN_r(h, u, k);
        if ((rc = lc_spindex_query(ctx, &ix, part)) != LC_OK) break;
        int meets = 0;
        const GEOSPreparedGeometry *prep = NULL;
        for (size_t m = 0; m < ix.n_hits && !meets && rc == LC_OK; m++) {
            if (!prep && !(prep = GEOSPrepare_r(h, part))) {
                rc = lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
                break;
            }
            char hit = GEOSPreparedIntersects_r(h, prep, extra[ix.hits[m]]);
            if (hit == 2) rc = lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
            meets = hit == 1;
        }
        if (prep) GEOSPreparedGeom_destroy_r(h, prep);
        if (meets) touched[nt++] = (GEOSGeometry *)(uintptr_t)part;  /* borrowed from u */
        else parts[nk++] = (GEOSGeometry *)(uintptr_t)part;
    }
    if (rc == LC_OK) {
        GEOSGeometry *merged = overlay_union(ctx, touched, nt, extra, n_extra);
        int nm = merged ? GEOSGetNumGeometries_r(h, merged) : 0;
        GEOSGeometry **all = merged ? lc_malloc(ctx, (nk + (size_t)nm + 1) * sizeof *all) : NULL;
        size_t na = 0;
        if (all) {
            for (size_t k = 0; k < nk; k++) all[na++] = GEOSGeom_clone_r(h, parts[k]);
            for (int k = 0; k < nm; k++) {
                const GEOSGeometry *g = GEOSGetGeometryN_r(h, merged, k);
                if (GEOSGeomTypeId_r(h, g) == GEOS_POLYGON && GEOSisEmpty_r(h, g) != 1)
                    all[na++] = GEOSGeom_clone_r(h, g);
            }
            *out = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, all, (unsigned)na);
            if (!*out)
                for (size_t k = 0; k < na; k++)
                    if (all[k]) GEOSGeom_destroy_r(h, all[k]);
        }
        if (!*out) rc = lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
        free(all);
        if (merged) GEOSGeom_destroy_r(h, merged);
    }
    if (touched && parts) lc_spindex_release(ctx, &ix);
    free(touched);
    free(parts);
    GEOSGeom_destroy_r(h, u);
    return rc;
}

/* unclean_known: the set-aside marks when the caller has them, else NULL
** (find_unclean finds them) */
static lc_status coverage_union(lc_ctx *ctx, GEOSGeometry *const *geoms, size_t n, const lc_seams *seams,
                                const unsigned char *unclean_known, GEOSGeometry **out, int *by_overlay)
{
    *out = NULL;
    if (by_overlay) *by_overlay = 0;
    lc_status rc = union_clean(ctx, geoms, NULL, n, seams, out);
    if (rc != LC_OK || *out || n == 0) return rc;
    if (by_overlay) *by_overlay = 1;
    unsigned char *unclean = lc_calloc(ctx, n, 1);
    size_t *clean = lc_malloc(ctx, n * sizeof *clean);
    GEOSGeometry **extra = lc_malloc(ctx, n * sizeof *extra);
    size_t n_unclean = 0, nc = 0, ne = 0;
    rc = unclean && clean && extra ? LC_OK : LC_ENOMEM;
    if (rc == LC_OK && unclean_known) {
        for (size_t i = 0; i < n; i++) n_unclean += (unclean[i] = unclean_known[i] != 0);
    } else if (rc == LC_OK) {
        rc = find_unclean(ctx, geoms, n, unclean, &n_unclean);
    }
    GEOSGeometry *u = NULL;
    /* a few polygons set aside: the rest is a coverage; else an overlay of all */
    if (rc == LC_OK && n_unclean && 4 * n_unclean <= n) {
        for (size_t i = 0; i < n; i++) {
            if (unclean[i]) extra[ne++] = geoms[i];
            else clean[nc++] = i;
        }
        rc = union_clean(ctx, geoms, clean, nc, seams, &u);
    }
    if (rc == LC_OK && u) {
        rc = add_by_overlay(ctx, u, extra, ne, out);
    } else if (rc == LC_OK) {
        GEOSGeometry *all = overlay_union(ctx, geoms, n, NULL, 0);
        *out = all ? lc_geom_to_multi(ctx, all) : NULL;
        if (all) GEOSGeom_destroy_r(ctx->geos, all);
        if (!*out) rc = LC_EINTERNAL;
    }
    free(unclean);
    free(clean);
    free(extra);
    return rc;
}

lc_status lc_coverage_union(lc_ctx *ctx, GEOSGeometry *const *geoms, size_t n, GEOSGeometry **out)
{
    return coverage_union(ctx, geoms, n, NULL, NULL, out, NULL);
}

lc_status lc_coverage_union_marked(lc_ctx *ctx, GEOSGeometry *const *geoms, size_t n, const unsigned char *unclean,
                                   GEOSGeometry **out)
{
    return coverage_union(ctx, geoms, n, NULL, unclean, out, NULL);
}

lc_status lc_coverage_union_seams(lc_ctx *ctx, GEOSGeometry *const *geoms, size_t n, const lc_seams *seams,
                                  GEOSGeometry **out, int *by_overlay)
{
    return coverage_union(ctx, geoms, n, seams, NULL, out, by_overlay);
}
