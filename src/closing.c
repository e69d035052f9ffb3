/*
** Closing by outlines and holes (see closing.h).
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "closing.h"
#include "geom.h"
#include "parallel.h"
#include "spindex.h"
#include "unionfind.h"

/* The arcs of SPEC's buffers (8 segments a quadrant) are chords of the
** circle: a chord lies within r (1 - cos(pi/32)) of it, so a polygonal
** buffer at r contains the true one at r cos(pi/32) and lies inside the
** true one at r. Wherever the closing's shape would change within that
** band (two buffers meeting or missing each other by less than the chord
** depth), where the recipe's chords fall decides it, and only the recipe
** itself says how: such cases are detected and handed back. */
#define LC_CHORD_COS 0.99518472667219688624   /* cos(pi / 32) */

typedef struct geoms {
    GEOSGeometry **g;
    size_t n, cap;
} geoms;

static int push(lc_ctx *ctx, geoms *v, GEOSGeometry *g)
{
    if (!g || lc_grow(ctx, (void **)&v->g, &v->cap, v->n + 1, sizeof *v->g)) {
        if (g) GEOSGeom_destroy_r(ctx->geos, g);
        return -1;
    }
    v->g[v->n++] = g;
    return 0;
}

static void geoms_free(lc_ctx *ctx, geoms *v)
{
    for (size_t i = 0; i < v->n; i++)
        if (v->g[i]) GEOSGeom_destroy_r(ctx->geos, v->g[i]);
    free(v->g);
    memset(v, 0, sizeof *v);
}

/*
** Splits the valid polygonal g into its fill (the exterior rings of the
** parts that lie in no hole, as hole-free polygons, apart from each other)
** and the bounded pieces of its complement (each hole, minus the parts
** lying in it, as a polygon whose holes are those parts' exterior rings).
** long: one pass that pairs every hole with the parts inside it, sharing
** the prepared holes and the index between the two outputs.
*/
static lc_status decompose(lc_ctx *ctx, const GEOSGeometry *g, geoms *fill, geoms *pieces)
{
    GEOSContextHandle_t h = ctx->geos;
    int type = GEOSGeomTypeId_r(h, g);
    int np = type == GEOS_POLYGON ? 1 : GEOSGetNumGeometries_r(h, g);
    geoms holes = {0};                   /* hole rings as polygons */
    size_t *innermost = NULL;            /* per part: its hole, or SIZE_MAX */
    lc_status rc = LC_OK;
    const GEOSPreparedGeometry **prep = NULL;
    lc_spindex ix = {0};
    for (int k = 0; k < np && rc == LC_OK; k++) {
        const GEOSGeometry *part = type == GEOS_POLYGON ? g : GEOSGetGeometryN_r(h, g, k);
        int nh = GEOSGetNumInteriorRings_r(h, part);
        for (int j = 0; j < nh && rc == LC_OK; j++)
            if (push(ctx, &holes, lc_geom_ring_polygon(h, GEOSGetInteriorRingN_r(h, part, j)))) rc = LC_EINTERNAL;
    }
    innermost = lc_malloc(ctx, (np ? (size_t)np : 1) * sizeof *innermost);
    prep = lc_calloc(ctx, holes.n ? holes.n : 1, sizeof *prep);
    if (rc == LC_OK && (!innermost || !prep)) rc = LC_ENOMEM;
    if (rc == LC_OK) rc = lc_spindex_init(ctx, &ix);
    for (size_t j = 0; j < holes.n && rc == LC_OK; j++) lc_spindex_insert(ctx, &ix, holes.g[j], j);
    /* the parts that lie in a hole: islands of that hole's piece */
    for (int k = 0; k < np && rc == LC_OK; k++) {
        const GEOSGeometry *part = type == GEOS_POLYGON ? g : GEOSGetGeometryN_r(h, g, k);
        innermost[k] = SIZE_MAX;
        if (!holes.n) continue;
        const GEOSGeometry *shell = GEOSGetExteriorRing_r(h, part);
        if ((rc = lc_spindex_query(ctx, &ix, shell)) != LC_OK) break;
        double best_area = 0;
        for (size_t m = 0; m < ix.n_hits && rc == LC_OK; m++) {
            size_t j = ix.hits[m];
            double a = 0;
            GEOSArea_r(h, holes.g[j], &a);
            if (innermost[k] != SIZE_MAX && a >= best_area) continue;
            if (!prep[j] && !(prep[j] = GEOSPrepare_r(h, holes.g[j]))) {
                rc = lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
                break;
            }
            char covers = GEOSPreparedCovers_r(h, prep[j], shell);
            if (covers == 2) rc = lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
            else if (covers) {
                innermost[k] = j;
                best_area = a;
            }
        }
    }
    for (int k = 0; k < np && rc == LC_OK; k++) {
        const GEOSGeometry *part = type == GEOS_POLYGON ? g : GEOSGetGeometryN_r(h, g, k);
        if (innermost[k] == SIZE_MAX && push(ctx, fill, lc_geom_ring_polygon(h, GEOSGetExteriorRing_r(h, part))))
            rc = lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
    }
    /* each hole with its islands cut out */
    for (size_t j = 0; j < holes.n && rc == LC_OK; j++) {
        size_t ni = 0;
        for (int k = 0; k < np; k++) ni += innermost[k] == j;
        GEOSGeometry *piece;
        if (!ni) {
            piece = holes.g[j];
            holes.g[j] = NULL;
        } else {
            GEOSGeometry **isl = lc_malloc(ctx, ni * sizeof *isl);
            if (!isl) {
                rc = LC_ENOMEM;
                break;
            }
            size_t m = 0;
            for (int k = 0; k < np; k++)
                if (innermost[k] == j) {
                    const GEOSGeometry *part = type == GEOS_POLYGON ? g : GEOSGetGeometryN_r(h, g, k);
                    isl[m++] = GEOSGeom_clone_r(h, GEOSGetExteriorRing_r(h, part));
                }
            piece = GEOSGeom_createPolygon_r(h, GEOSGeom_clone_r(h, GEOSGetExteriorRing_r(h, holes.g[j])), isl,
                                             (unsigned)ni);
            free(isl);
        }
        if (push(ctx, pieces, piece)) rc = lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
    }
    if (prep)
        for (size_t j = 0; j < holes.n; j++)
            if (prep[j]) GEOSPreparedGeom_destroy_r(h, prep[j]);
    free(prep);
    free(innermost);
    if (ix.tree) lc_spindex_release(ctx, &ix);
    geoms_free(ctx, &holes);
    return rc;
}

static GEOSGeometry *multi(lc_ctx *ctx, geoms *v)
{
    GEOSGeometry *m = GEOSGeom_createCollection_r(ctx->geos, GEOS_MULTIPOLYGON, v->g, (unsigned)v->n);
    if (m) v->n = 0;  /* the collection owns them */
    return m;
}

/* Appends the polygons of g (taken over) to v. */
static int push_parts(lc_ctx *ctx, geoms *v, GEOSGeometry *g)
{
    GEOSContextHandle_t h = ctx->geos;
    if (!g) return -1;
    int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_POLYGON) return GEOSisEmpty_r(h, g) == 1 ? (GEOSGeom_destroy_r(h, g), 0) : push(ctx, v, g);
    int n = GEOSGetNumGeometries_r(h, g);
    int rc = 0;
    for (int k = 0; k < n && !rc; k++) {
        const GEOSGeometry *part = GEOSGetGeometryN_r(h, g, k);
        if (GEOSGeomTypeId_r(h, part) == GEOS_POLYGON && GEOSisEmpty_r(h, part) != 1)
            rc = push(ctx, v, GEOSGeom_clone_r(h, part));
    }
    GEOSGeom_destroy_r(h, g);
    return rc;
}

/* Unions the cut pieces that meet (touching ones too: two holes of one
** polygon must not share an edge), so that the pieces are apart. */
static lc_status merge_meeting(lc_ctx *ctx, geoms *cuts)
{
    GEOSContextHandle_t h = ctx->geos;
    size_t n = cuts->n;
    if (n < 2) return LC_OK;
    lc_uf uf;
    if (lc_uf_init(&uf, n)) return lc_error(ctx, LC_ENOMEM, "out of memory");
    lc_spindex ix;
    lc_status rc = lc_spindex_init(ctx, &ix);
    int merged = 0;
    for (size_t i = 0; i < n && rc == LC_OK; i++) lc_spindex_insert(ctx, &ix, cuts->g[i], i);
    for (size_t i = 0; i < n && rc == LC_OK; i++) {
        if ((rc = lc_spindex_query(ctx, &ix, cuts->g[i])) != LC_OK) break;
        const GEOSPreparedGeometry *prep = NULL;
        for (size_t k = 0; k < ix.n_hits && rc == LC_OK; k++) {
            size_t j = ix.hits[k];
            if (j <= i || lc_uf_find(&uf, i) == lc_uf_find(&uf, j)) continue;
            if (!prep && !(prep = GEOSPrepare_r(h, cuts->g[i]))) {
                rc = lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
                break;
            }
            char meet = GEOSPreparedIntersects_r(h, prep, cuts->g[j]);
            if (meet == 2) rc = lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
            else if (meet) {
                lc_uf_union(&uf, i, j);
                merged = 1;
            }
        }
        if (prep) GEOSPreparedGeom_destroy_r(h, prep);
    }
    if (ix.tree) lc_spindex_release(ctx, &ix);
    geoms out = {0};
    for (size_t i = 0; i < n && rc == LC_OK && merged; i++) {
        if (lc_uf_find(&uf, i) != i) continue;
        geoms grp = {0};
        for (size_t j = 0; j < n && rc == LC_OK; j++)
            if (lc_uf_find(&uf, j) == i) {
                if (push(ctx, &grp, cuts->g[j])) rc = LC_ENOMEM;
                cuts->g[j] = NULL;
            }
        if (rc == LC_OK && grp.n == 1) {
            if (push(ctx, &out, grp.g[0])) rc = LC_ENOMEM;
            grp.n = 0;
        } else if (rc == LC_OK) {
            GEOSGeometry *coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, grp.g, (unsigned)grp.n);
            if (coll) grp.n = 0;
            GEOSGeometry *u = coll ? GEOSUnaryUnion_r(h, coll) : NULL;
            if (coll) GEOSGeom_destroy_r(h, coll);
            if (!u || push_parts(ctx, &out, u)) rc = lc_error(ctx, LC_EINTERNAL, "GEOS union: %s", ctx->geos_msg);
        }
        geoms_free(ctx, &grp);
    }
    lc_uf_release(&uf);
    if (merged) {
        geoms_free(ctx, cuts);
        *cuts = out;
    }
    return rc;
}

/*
** e (hole-free polygons, apart) minus the cut pieces (apart from each
** other): a piece strictly inside a polygon of e becomes one of its holes;
** any other is cut out by an overlay. The result is valid by construction:
** e comes from one buffer, the holes lie strictly inside their shell and
** apart from each other, and an overlay's output is valid. Takes over e
** and cuts.
*/
static lc_status cut_out(lc_ctx *ctx, geoms *e, geoms *cuts, GEOSGeometry **out)
{
    GEOSContextHandle_t h = ctx->geos;
    *out = NULL;
    size_t *host = lc_malloc(ctx, (cuts->n ? cuts->n : 1) * sizeof *host);
    const GEOSPreparedGeometry **prep = lc_calloc(ctx, e->n ? e->n : 1, sizeof *prep);
    geoms rest = {0}, polys = {0};
    lc_spindex ix = {0};
    lc_status rc = host && prep ? lc_spindex_init(ctx, &ix) : LC_ENOMEM;
    for (size_t k = 0; k < e->n && rc == LC_OK; k++) lc_spindex_insert(ctx, &ix, e->g[k], k);
    for (size_t c = 0; c < cuts->n && rc == LC_OK; c++) {
        host[c] = SIZE_MAX;
        const GEOSGeometry *cut = cuts->g[c];
        if (GEOSGeomTypeId_r(h, cut) != GEOS_POLYGON || GEOSGetNumInteriorRings_r(h, cut) != 0) continue;
        if ((rc = lc_spindex_query(ctx, &ix, cut)) != LC_OK) break;
        for (size_t m = 0; m < ix.n_hits && rc == LC_OK && host[c] == SIZE_MAX; m++) {
            size_t k = ix.hits[m];
            if (!prep[k] && !(prep[k] = GEOSPrepare_r(h, e->g[k]))) {
                rc = lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
                break;
            }
            char in = GEOSPreparedContainsProperly_r(h, prep[k], cut);
            if (in == 2) rc = lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
            else if (in) host[c] = k;
        }
    }
    for (size_t k = 0; k < e->n && rc == LC_OK; k++) {
        size_t nh = 0;
        for (size_t c = 0; c < cuts->n; c++) nh += host[c] == k;
        GEOSGeometry *poly = e->g[k];
        if (nh) {
            GEOSGeometry **rings = lc_malloc(ctx, nh * sizeof *rings);
            if (!rings) {
                rc = LC_ENOMEM;
                break;
            }
            size_t m = 0;
            for (size_t c = 0; c < cuts->n; c++)
                if (host[c] == k) rings[m++] = GEOSGeom_clone_r(h, GEOSGetExteriorRing_r(h, cuts->g[c]));
            poly = GEOSGeom_createPolygon_r(h, GEOSGeom_clone_r(h, GEOSGetExteriorRing_r(h, e->g[k])), rings,
                                            (unsigned)nh);
            free(rings);
        } else {
            e->g[k] = NULL;
        }
        if (push(ctx, &polys, poly)) rc = lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
    }
    for (size_t c = 0; c < cuts->n && rc == LC_OK; c++)
        if (host[c] == SIZE_MAX) {
            if (push(ctx, &rest, cuts->g[c])) rc = LC_ENOMEM;
            cuts->g[c] = NULL;
        }
    GEOSGeometry *result = rc == LC_OK ? multi(ctx, &polys) : NULL;
    if (result && rest.n) {
        /* pieces reaching the outline (rare): an overlay cuts them out */
        GEOSGeometry *coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, rest.g, (unsigned)rest.n);
        if (coll) rest.n = 0;
        GEOSGeometry *u = coll ? GEOSUnaryUnion_r(h, coll) : NULL;
        GEOSGeometry *d = u ? GEOSDifference_r(h, result, u) : NULL;
        if (coll) GEOSGeom_destroy_r(h, coll);
        if (u) GEOSGeom_destroy_r(h, u);
        GEOSGeom_destroy_r(h, result);
        result = d;
    }
    if (rc == LC_OK && !result) rc = lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
    *out = result;
    if (prep)
        for (size_t k = 0; k < e->n; k++)
            if (prep[k]) GEOSPreparedGeom_destroy_r(h, prep[k]);
    free(prep);
    free(host);
    if (ix.tree) lc_spindex_release(ctx, &ix);
    geoms_free(ctx, &rest);
    geoms_free(ctx, &polys);
    geoms_free(ctx, e);
    geoms_free(ctx, cuts);
    return rc;
}

static void count_parts(GEOSContextHandle_t h, const GEOSGeometry *g, int *parts, int *holes)
{
    int type = GEOSGeomTypeId_r(h, g);
    int n = type == GEOS_POLYGON ? (GEOSisEmpty_r(h, g) == 1 ? 0 : 1) : GEOSGetNumGeometries_r(h, g);
    *parts = n;
    *holes = 0;
    for (int k = 0; k < n; k++)
        *holes += GEOSGetNumInteriorRings_r(h, type == GEOS_POLYGON ? g : GEOSGetGeometryN_r(h, g, k));
}

/* 1 when the buffer of g at d1 has as many parts and holes as at_d2 (the
** shape does not change in between), 0 when not, -1 when GEOS failed. */
static int same_shape(GEOSContextHandle_t h, const GEOSGeometry *g, double d1, const GEOSGeometry *at_d2)
{
    GEOSGeometry *b = lc_geom_buffer(h, g, d1);
    if (!b) return -1;
    int p1, h1, p2, h2;
    count_parts(h, b, &p1, &h1);
    count_parts(h, at_d2, &p2, &h2);
    GEOSGeom_destroy_r(h, b);
    return p1 == p2 && h1 == h2;
}

/* The recipe's own dilation near one place: the buffers of the members
** that reach into `area`, unioned. */
typedef struct recipe {
    GEOSGeometry *const *members;
    size_t n;
    double r;
    lc_spindex ix;
    int have_ix;
} recipe;

/* The recipe's dilation around `area`: the union of the buffers of the
** members within `reach` of it (new geometry, or NULL on failure; an empty
** collection when no member is near). With reach r it is exact on area. */
static GEOSGeometry *recipe_near(lc_ctx *ctx, recipe *rp, const GEOSGeometry *area, double reach)
{
    GEOSContextHandle_t h = ctx->geos;
    if (!rp->have_ix) {
        if (lc_spindex_init(ctx, &rp->ix) != LC_OK) return NULL;
        for (size_t i = 0; i < rp->n; i++) lc_spindex_insert(ctx, &rp->ix, rp->members[i], i);
        rp->have_ix = 1;
    }
    double x0, y0, x1, y1;
    GEOSGeom_getXMin_r(h, area, &x0);
    GEOSGeom_getYMin_r(h, area, &y0);
    GEOSGeom_getXMax_r(h, area, &x1);
    GEOSGeom_getYMax_r(h, area, &y1);
    GEOSGeometry *env = GEOSGeom_createRectangle_r(h, x0 - reach, y0 - reach, x1 + reach, y1 + reach);
    if (!env || lc_spindex_query(ctx, &rp->ix, env) != LC_OK) {
        if (env) GEOSGeom_destroy_r(h, env);
        return NULL;
    }
    GEOSGeom_destroy_r(h, env);
    geoms bufs = {0};
    for (size_t k = 0; k < rp->ix.n_hits; k++)
        if (push(ctx, &bufs, lc_geom_buffer(h, rp->members[rp->ix.hits[k]], rp->r))) {
            geoms_free(ctx, &bufs);
            return NULL;
        }
    GEOSGeometry *coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, bufs.g, (unsigned)bufs.n);
    if (coll) bufs.n = 0;
    geoms_free(ctx, &bufs);
    GEOSGeometry *u = coll ? GEOSUnaryUnion_r(h, coll) : NULL;
    if (coll) GEOSGeom_destroy_r(h, coll);
    return u;
}

/* Appends to `out` (when not NULL) the pieces of `area` the recipe's
** dilation leaves open, apart from `rim` (a ring of area's outline, or NULL
** to take all), and returns how many: -1 on failure. */
static int recipe_gaps(lc_ctx *ctx, recipe *rp, const GEOSGeometry *area, const GEOSGeometry *rim, geoms *out)
{
    GEOSContextHandle_t h = ctx->geos;
    GEOSGeometry *l = recipe_near(ctx, rp, area, rp->r);
    if (!l) return -1;
    GEOSGeometry *open = GEOSDifference_r(h, area, l);
    GEOSGeom_destroy_r(h, l);
    if (!open) return -1;
    int n = 0, np = GEOSGetNumGeometries_r(h, open);
    for (int k = 0; k < np && n >= 0; k++) {
        const GEOSGeometry *part = GEOSGetGeometryN_r(h, open, k);
        if (GEOSGeomTypeId_r(h, part) != GEOS_POLYGON || GEOSisEmpty_r(h, part) == 1) continue;
        if (rim && GEOSIntersects_r(h, part, rim) != 0) continue;
        if (out && push(ctx, out, GEOSGeom_clone_r(h, part))) n = -1;
        else n++;
    }
    GEOSGeom_destroy_r(h, open);
    return n;
}

/*
** Appends to `cuts` what the recipe leaves open in and around `hole` (a
** bounded piece of the union's complement): the open pieces of the recipe's
** closing of the members near it that reach into the hole. The closing at a
** point depends on the members within 2r of it, so the members within 3r of
** the hole's envelope decide it exactly within r of the envelope. A piece
** may spill past the hole into the members: where GEOS erodes a hole a hair
** wider than 2r (an octagon past its inradius) to a flipped speck instead of
** nothing, the recipe's dilation keeps the speck and its erosion grows it by
** r. An open piece holds a disc of radius about r; parts too thin to hold
** one of r/2 are rounding along the members' edges (the recipe's erosion
** puts an edge back within an ulp of itself) and are dropped. Returns 0, or
** -1.
*/
static int recipe_open(lc_ctx *ctx, recipe *rp, const GEOSGeometry *hole, geoms *cuts)
{
    GEOSContextHandle_t h = ctx->geos;
    double x0, y0, x1, y1, r = rp->r;
    GEOSGeom_getXMin_r(h, hole, &x0);
    GEOSGeom_getYMin_r(h, hole, &y0);
    GEOSGeom_getXMax_r(h, hole, &x1);
    GEOSGeom_getYMax_r(h, hole, &y1);
    GEOSGeometry *around = GEOSGeom_createRectangle_r(h, x0 - r, y0 - r, x1 + r, y1 + r);
    GEOSGeometry *d = around ? recipe_near(ctx, rp, hole, 3 * r) : NULL;
    GEOSGeometry *closed = d ? lc_geom_buffer(h, d, -r) : NULL;
    GEOSGeometry *open = closed ? GEOSDifference_r(h, around, closed) : NULL;
    if (around) GEOSGeom_destroy_r(h, around);
    if (d) GEOSGeom_destroy_r(h, d);
    if (closed) GEOSGeom_destroy_r(h, closed);
    const GEOSPreparedGeometry *in_hole = open ? GEOSPrepare_r(h, hole) : NULL;
    int rc = in_hole ? 0 : -1, np = open ? GEOSGetNumGeometries_r(h, open) : 0;
    for (int k = 0; k < np && rc == 0; k++) {
        const GEOSGeometry *part = GEOSGetGeometryN_r(h, open, k);
        if (GEOSGeomTypeId_r(h, part) != GEOS_POLYGON || GEOSisEmpty_r(h, part) == 1) continue;
        /* the pieces around the hole's envelope that reach into the hole */
        char meet = GEOSPreparedIntersects_r(h, in_hole, part);
        char touch = meet == 1 ? GEOSPreparedTouches_r(h, in_hole, part) : 0;
        if (meet == 2 || touch == 2) rc = -1;
        if (meet != 1 || touch != 0) continue;
        GEOSGeometry *core = lc_geom_buffer(h, part, -r / 2);
        if (!core) rc = -1;
        else if (GEOSisEmpty_r(h, core) != 1 && push(ctx, cuts, GEOSGeom_clone_r(h, part))) rc = -1;
        if (core) GEOSGeom_destroy_r(h, core);
    }
    if (in_hole) GEOSPreparedGeom_destroy_r(h, in_hole);
    if (open) GEOSGeom_destroy_r(h, open);
    return rc;
}

/*
** The holes of the recipe's dilation, from those of d0 (`holes`, replaced
** by the result). d_lo, the dilation at r cos(pi/32), lies inside both. Where
** a hole of d_lo holds exactly one hole of d0 of some thickness, the chords
** changed nothing and d0's hole stands. Anywhere else the recipe's own
** buffers of the members say which holes there are: a hole of d_lo holding
** no hole of d0, or several, takes the recipe's gaps in it; a hole of d0
** outside every hole of d_lo (closed in the chords' band) and a hole of d0
** thinner than their reach are replaced by the recipe's gaps around them.
** Returns 0, or -1 on failure.
*/
static int reconcile_holes(lc_ctx *ctx, const geoms *lo_holes, geoms *holes, double r, recipe *rp)
{
    GEOSContextHandle_t h = ctx->geos;
    const double band = 2 * r * (1 - LC_CHORD_COS);
    size_t nq = lo_holes->n, nk = holes->n;
    size_t *count = lc_calloc(ctx, nq ? nq : 1, sizeof *count), *in = lc_malloc(ctx, (nk ? nk : 1) * sizeof *in);
    const GEOSPreparedGeometry **prep = lc_calloc(ctx, nq ? nq : 1, sizeof *prep);
    geoms out = {0};
    lc_spindex ix;
    int rc = count && in && prep && lc_spindex_init(ctx, &ix) == LC_OK ? 0 : -1;
    if (rc < 0) {
        free(count);
        free(in);
        free(prep);
        return -1;
    }
    for (size_t q = 0; q < nq; q++) lc_spindex_insert(ctx, &ix, lo_holes->g[q], q);
    for (size_t k = 0; k < nk && rc == 0; k++) {
        GEOSGeometry *pt = GEOSPointOnSurface_r(h, holes->g[k]);
        if (!pt || lc_spindex_query(ctx, &ix, pt) != LC_OK) rc = -1;
        in[k] = SIZE_MAX;
        for (size_t m = 0; rc == 0 && m < ix.n_hits && in[k] == SIZE_MAX; m++) {
            size_t q = ix.hits[m];
            if (!prep[q] && !(prep[q] = GEOSPrepare_r(h, lo_holes->g[q]))) rc = -1;
            else if (GEOSPreparedContains_r(h, prep[q], pt) == 1) in[k] = q;
        }
        if (pt) GEOSGeom_destroy_r(h, pt);
        if (rc == 0 && in[k] != SIZE_MAX) count[in[k]]++;
    }
    for (size_t k = 0; k < nk && rc == 0; k++) {
        GEOSGeometry *hole = holes->g[k];
        if (in[k] != SIZE_MAX && count[in[k]] != 1) continue;  /* that hole of d_lo is redone below */
        GEOSGeometry *core = lc_geom_buffer(h, hole, -band);
        if (!core) {
            rc = -1;
            break;
        }
        int thin = GEOSisEmpty_r(h, core) == 1;
        GEOSGeom_destroy_r(h, core);
        if (in[k] != SIZE_MAX && !thin) {
            if (push(ctx, &out, hole)) rc = -1;   /* the recipe's hole too */
            holes->g[k] = NULL;
            continue;
        }
        /* the recipe's gaps around here, apart from the rim of a slightly larger area */
        GEOSGeometry *around = lc_geom_buffer(h, hole, 2 * band);
        const GEOSGeometry *rim = around ? GEOSGetExteriorRing_r(h, around) : NULL;
        if (!rim || recipe_gaps(ctx, rp, around, rim, &out) < 0) rc = -1;
        if (around) GEOSGeom_destroy_r(h, around);
    }
    for (size_t q = 0; q < nq && rc == 0; q++)
        if (count[q] != 1 && recipe_gaps(ctx, rp, lo_holes->g[q], NULL, &out) < 0) rc = -1;
    for (size_t q = 0; q < nq; q++)
        if (prep[q]) GEOSPreparedGeom_destroy_r(h, prep[q]);
    free(prep);
    free(count);
    free(in);
    lc_spindex_release(ctx, &ix);
    geoms_free(ctx, holes);
    *holes = out;
    return rc;
}

/* Appends to cuts what stays open of a hole of the union: its opening, or
** where its erosion does not keep its parts across the chords' band, what
** the recipe leaves open in it. Returns 0, or -1 when GEOS failed. */
static int open_hole(lc_ctx *ctx, const GEOSGeometry *hole, double r, recipe *rp, geoms *cuts)
{
    GEOSContextHandle_t h = ctx->geos;
    GEOSGeometry *inner = lc_geom_buffer(h, hole, -r);
    if (!inner) return -1;
    int same = same_shape(h, hole, -r / LC_CHORD_COS, inner);
    if (same != 1) {
        GEOSGeom_destroy_r(h, inner);
        return same < 0 ? -1 : recipe_open(ctx, rp, hole, cuts);
    }
    if (GEOSisEmpty_r(h, inner) == 1) {
        GEOSGeom_destroy_r(h, inner);
        return 0;
    }
    GEOSGeometry *opened = lc_geom_buffer(h, inner, r);
    GEOSGeom_destroy_r(h, inner);
    return push_parts(ctx, cuts, opened);
}

/*
** A buffer taken beside the caller's own work, on a worker when one can be
** had (a block closed alone: the footprint loop's other threads are idle),
** else in place when joined. The worker reads g's coordinates into its own
** copy (lc_geom_copy_to) and makes everything else with its own handle; the
** results are the caller's after the join. Same operations on the same
** coordinates: the same results either way.
*/
typedef struct side_buffer {
    const GEOSGeometry *g;   /* borrowed; the caller must not change it until the join */
    double r;
    int split;               /* 1: also decompose the buffer into fill and pieces */
    double check_r;          /* != 0: also same_shape(g, check_r, buffer) */
    GEOSGeometry *buffer;    /* results */
    geoms fill, pieces;
    int same;
    lc_task *task;
} side_buffer;

static lc_status side_buffer_run(lc_ctx *ctx, side_buffer *sb, const GEOSGeometry *g)
{
    GEOSContextHandle_t h = ctx->geos;
    if (!(sb->buffer = lc_geom_buffer(h, g, sb->r))) return lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
    if (sb->check_r != 0 && (sb->same = same_shape(h, g, sb->check_r, sb->buffer)) < 0)
        return lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
    return sb->split ? decompose(ctx, sb->buffer, &sb->fill, &sb->pieces) : LC_OK;
}

static lc_status side_buffer_task(lc_ctx *tctx, void *userdata)
{
    side_buffer *sb = userdata;
    GEOSGeometry *own = lc_geom_copy_to(tctx, sb->g);
    if (!own) return lc_error(tctx, LC_EINTERNAL, "GEOS: %s", tctx->geos_msg);
    lc_status rc = side_buffer_run(tctx, sb, own);
    GEOSGeom_destroy_r(tctx->geos, own);
    return rc;
}

static void side_buffer_start(lc_ctx *ctx, side_buffer *sb)
{
    lc_task_try_start(ctx, side_buffer_task, sb, &sb->task);
}

static lc_status side_buffer_join(lc_ctx *ctx, side_buffer *sb)
{
    if (!sb->task) return side_buffer_run(ctx, sb, sb->g);
    lc_status rc = lc_task_join(ctx, sb->task);
    sb->task = NULL;
    return rc;
}

static void side_buffer_free(lc_ctx *ctx, side_buffer *sb)
{
    if (sb->task) lc_task_join(NULL, sb->task);
    if (sb->buffer) GEOSGeom_destroy_r(ctx->geos, sb->buffer);
    geoms_free(ctx, &sb->fill);
    geoms_free(ctx, &sb->pieces);
}

lc_status lc_closing(lc_ctx *ctx, const GEOSGeometry *u, GEOSGeometry *const *members, size_t n_members, double r,
                     GEOSGeometry **out)
{
    GEOSContextHandle_t h = ctx->geos;
    *out = NULL;
    geoms fill = {0}, holes = {0}, fill2 = {0}, holes2 = {0}, cuts = {0}, e = {0};
    GEOSGeometry *fu = NULL, *d0 = NULL, *fd = NULL, *result = NULL;
    side_buffer lo = {0}, er = {0};
    recipe rp = {members, n_members, r, {0}, 0};
    int stable = 1;
#define GEOS_FAIL() lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg)
    lc_status rc = decompose(ctx, u, &fill, &holes);
    if (rc == LC_OK && !(fu = multi(ctx, &fill))) rc = GEOS_FAIL();
    /* d_lo, the dilation at r cos(pi/32), beside d0 */
    if (rc == LC_OK) {
        lo = (side_buffer){.g = fu, .r = r * LC_CHORD_COS, .split = 1};
        side_buffer_start(ctx, &lo);
    }
    if (rc == LC_OK && !(d0 = lc_geom_buffer(h, fu, r))) rc = GEOS_FAIL();
    if (rc == LC_OK) rc = decompose(ctx, d0, &fill2, &holes2);
    if (rc == LC_OK) rc = side_buffer_join(ctx, &lo);
    /* the erosion of d0's fill beside the reconciling of its holes, and
    ** the check that no neck of the dilation lies within the chords' band */
    if (rc == LC_OK && !(fd = multi(ctx, &fill2))) rc = GEOS_FAIL();
    if (rc == LC_OK) {
        er = (side_buffer){.g = fd, .r = -r, .check_r = -r / LC_CHORD_COS};
        side_buffer_start(ctx, &er);
    }
    /* the dilation's holes as the recipe's */
    if (rc == LC_OK && reconcile_holes(ctx, &lo.pieces, &holes2, r, &rp) < 0) rc = GEOS_FAIL();
    if (rc == LC_OK) rc = side_buffer_join(ctx, &er);
    if (rc == LC_OK && er.same != 1) stable = 0;
    if (rc == LC_OK && stable) {
        if (push_parts(ctx, &e, er.buffer)) rc = GEOS_FAIL();   /* takes the erosion over */
        er.buffer = NULL;
    }
    /* the holes of D0 grow back by r; the holes of u come back opened */
    for (size_t j = 0; j < holes2.n && rc == LC_OK && stable; j++)
        if (push_parts(ctx, &cuts, lc_geom_buffer(h, holes2.g[j], r))) rc = GEOS_FAIL();
    for (size_t i = 0; i < holes.n && rc == LC_OK && stable; i++)
        if (open_hole(ctx, holes.g[i], r, &rp, &cuts) < 0) rc = GEOS_FAIL();
    if (rc == LC_OK && stable) rc = merge_meeting(ctx, &cuts);
    if (rc == LC_OK && stable) rc = cut_out(ctx, &e, &cuts, &result);
    if (rc == LC_OK && result && GEOSGeomTypeId_r(h, result) == GEOS_POLYGON) {
        GEOSGeometry *one = result;
        result = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, &one, 1);
        if (!result) GEOSGeom_destroy_r(h, one);
    }
    if (rc == LC_OK && result && GEOSGeomTypeId_r(h, result) == GEOS_MULTIPOLYGON) *out = result;
    else if (result) GEOSGeom_destroy_r(h, result);
#undef GEOS_FAIL
    if (rp.have_ix) lc_spindex_release(ctx, &rp.ix);
    side_buffer_free(ctx, &lo);   /* before what their workers read */
    side_buffer_free(ctx, &er);
    if (fu) GEOSGeom_destroy_r(h, fu);
    if (d0) GEOSGeom_destroy_r(h, d0);
    if (fd) GEOSGeom_destroy_r(h, fd);
    geoms_free(ctx, &fill);
    geoms_free(ctx, &holes);
    geoms_free(ctx, &fill2);
    geoms_free(ctx, &holes2);
    geoms_free(ctx, &cuts);
    geoms_free(ctx, &e);
    return rc;
}
