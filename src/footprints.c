/*
** Block footprints: each block closed by the gap on a worker thread, the
** big ones tile by tile (see footprints.h).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "area.h"
#include "closing.h"
#include "coverage_union.h"
#include "edge_contact.h"
#include "footprints.h"
#include "geom.h"
#include "parallel.h"
#include "tiling.h"

/* From this many parcels on, a set of parcels whose union is much smaller
** than they are (a coverage: shared edges cancel) is closed on its outline
** (closing.c). Below it the recipe costs little, and the outline's arcs,
** drawn around the union's corners rather than each parcel's, move the
** footprint area relatively more on a small block: up to 3e-6 on blocks of
** a few parcels, 4e-7 at 850 parcels and 12 m, 3e-8 to 9e-8 at 15,000
** (SPEC allows 1e-6; see docs/DECISIONS.md). */
#define LC_OUTLINE_MIN_PARCELS 1000

/* Blocks from 8,000 parcels on are closed in tiles of about 3,000: the
** outline's buffers grow faster than its length (0.3 s at 15,000 parcels,
** 9 s at 150,000), and a tile whose closing the recipe must settle costs
** a tile, not the block. docs/DECISIONS.md has the measurements. */
const lc_tile_sizes lc_tile_sizes_default = {8000, 3000};

/* The tiles' margin, in gaps: the closing at a point depends on the parcels
** within one gap of it; twice that leaves room for the chords. */
#define LC_TILE_MARGIN_GAPS 2.0

/* 1 when one of parcels[0..n) is kept unrepaired (invalid) */
static int any_invalid(const lc_parcels *p, const size_t *parcels, size_t n)
{
    for (size_t m = 0; m < n; m++)
        if (p->items[parcels[m]].flags & LC_PARCEL_INVALID) return 1;
    return 0;
}

/* From this many parcels on, a set of parcels that lie apart (their union
** as big as they are: strips with ridges between them) is dilated in one
** buffer (see dilate). */
#define LC_ONE_BUFFER_MIN_PARCELS 200

typedef struct vertex_ref { double x, y; size_t parcel; } vertex_ref;

static int by_xy(const void *a, const void *b)
{
    const vertex_ref *p = a, *q = b;
    if (p->x != q->x) return p->x < q->x ? -1 : 1;
    if (p->y != q->y) return p->y < q->y ? -1 : 1;
    return (p->parcel > q->parcel) - (p->parcel < q->parcel);
}

/* 1 when the parcels surely lie apart in close_on_outline's sense without
** their union: fewer than half their vertices (closing points counted, as
** GEOS counts them) can go. A clean coverage's union drops a vertex only
** where every edge at it is shared with another parcel, so only vertices
** another parcel also has; when even dropping all of those leaves more than
** half, the union's count is more than half. */
static int surely_apart(lc_ctx *ctx, const lc_parcels *p, const size_t *parcels, size_t n, lc_status *rc)
{
    lc_rings r = {0};
    vertex_ref *v = NULL;
    size_t nv = 0, cap = 0, all = 0;
    *rc = LC_OK;
    for (size_t m = 0; m < n && *rc == LC_OK; m++) {
        *rc = lc_rings_load(ctx, &r, p->items[parcels[m]].geom);
        all += r.n_points;
        for (size_t k = 0; k < r.n_rings && *rc == LC_OK; k++)
            for (size_t i = r.start[k]; i + 1 < r.start[k + 1] && *rc == LC_OK; i++) {
                if (lc_grow(ctx, (void **)&v, &cap, nv + 1, sizeof *v)) *rc = LC_ENOMEM;
                else v[nv++] = (vertex_ref){r.xy[2 * i], r.xy[2 * i + 1], m};
            }
    }
    lc_rings_release(&r);
    size_t shared = 0;
    if (*rc == LC_OK) {
        lc_sort(v, nv, sizeof *v, by_xy);
        for (size_t i = 0; i < nv;) {
            size_t j = i + 1;
            while (j < nv && v[j].x == v[i].x && v[j].y == v[i].y) j++;
            if (v[j - 1].parcel != v[i].parcel) shared += j - i;  /* sorted by parcel within a point */
            i = j;
        }
    }
    free(v);
    return *rc == LC_OK && 2 * (nv - shared) > all;
}

typedef struct member_ref {
    size_t parcel, at;
} member_ref;

static int by_parcel(const void *pa, const void *pb)
{
    const member_ref *a = pa, *b = pb;
    return (a->parcel > b->parcel) - (a->parcel < b->parcel);
}

static int by_first(const void *key, const void *pair)
{
    size_t k = *(const size_t *)key, a = (*(const size_t (*)[2])pair)[0];
    return (k > a) - (k < a);
}

/* Per member, 1 when it is in a pair of `known` with another member: the
** polygons the coverage union sets aside (see lc_coverage_union_marked).
** The pairs are looked up by member (they are sorted by their first
** parcel), so a block pays for its own members, not for the layer's pairs.
** NULL when they are not known, or no memory: the union searches them. */
static unsigned char *unsettled_members(const lc_unsettled *known, const size_t *parcels, size_t n)
{
    if (!known) return NULL;
    unsigned char *marks = calloc(n ? n : 1, 1);
    member_ref *sorted = malloc((n ? n : 1) * sizeof *sorted);
    if (!marks || !sorted) {
        free(marks);
        free(sorted);
        return NULL;
    }
    for (size_t m = 0; m < n; m++) sorted[m] = (member_ref){parcels[m], m};
    lc_sort(sorted, n, sizeof *sorted, by_parcel);
    for (size_t m = 0; m < n && known->n; m++) {
        const size_t (*hit)[2] = bsearch(&sorted[m].parcel, known->pairs, known->n, sizeof *known->pairs, by_first);
        if (!hit) continue;
        while (hit > known->pairs && hit[-1][0] == sorted[m].parcel) hit--;   /* the first with it */
        for (; hit < known->pairs + known->n && (*hit)[0] == sorted[m].parcel; hit++) {
            member_ref other = {(*hit)[1], 0};
            const member_ref *b = bsearch(&other, sorted, n, sizeof *sorted, by_parcel);
            if (b) marks[sorted[m].at] = marks[b->at] = 1;
        }
    }
    free(sorted);
    return marks;
}

/* The closing of parcels[0..n) on their coverage union's outline when
** outline_too, or NULL (with *rc LC_OK) when the recipe is the better way;
** *apart tells whether the parcels lie apart. */
static GEOSGeometry *close_on_outline(lc_ctx *ctx, const lc_parcels *p, const size_t *parcels, size_t n, double gap,
                                      const lc_unsettled *known, int outline_too, int *apart, lc_status *rc)
{
    GEOSContextHandle_t h = ctx->geos;
    *rc = LC_OK;
    *apart = 0;
    if (any_invalid(p, parcels, n)) return NULL;  /* kept unrepaired */
    if ((*apart = surely_apart(ctx, p, parcels, n, rc)) || *rc != LC_OK) return NULL;
    GEOSGeometry **own = lc_calloc(ctx, n, sizeof *own);
    GEOSGeometry *u = NULL, *fp = NULL;
    int vertices = 0;
    *rc = own ? LC_OK : LC_ENOMEM;
    for (size_t m = 0; m < n && *rc == LC_OK; m++) {
        /* this thread's own copies: see lc_geom_copy_to */
        if (!(own[m] = lc_geom_copy_to(ctx, p->items[parcels[m]].geom))) *rc = LC_EINTERNAL;
        else vertices += GEOSGetNumCoordinates_r(h, own[m]);
    }
    unsigned char *marks = *rc == LC_OK ? unsettled_members(known, parcels, n) : NULL;
    if (*rc == LC_OK) *rc = marks ? lc_coverage_union_marked(ctx, own, n, marks, &u) : lc_coverage_union(ctx, own, n, &u);
    free(marks);
    /* parcels apart leave the union as big as the parcels: the recipe is
    ** then as fast */
    if (*rc == LC_OK) *apart = 2 * GEOSGetNumCoordinates_r(h, u) > vertices;
    if (*rc == LC_OK && !*apart && outline_too) *rc = lc_closing(ctx, u, own, n, gap / 2, &fp);
    if (u) GEOSGeom_destroy_r(h, u);
    for (size_t m = 0; own && m < n; m++)
        if (own[m]) GEOSGeom_destroy_r(h, own[m]);
    free(own);
    return fp;
}

/* A polygonal g (taken over) as a valid MultiPolygon, or NULL. */
static GEOSGeometry *valid_multi(lc_ctx *ctx, GEOSGeometry *g)
{
    GEOSContextHandle_t h = ctx->geos;
    GEOSGeometry *poly = g ? lc_geom_polygonal_part(ctx, g) : NULL;
    if (g) GEOSGeom_destroy_r(h, g);
    if (poly && GEOSisValid_r(h, poly) != 1) {
        GEOSGeometry *fixed = lc_geom_make_valid_polygonal(ctx, poly);
        GEOSGeom_destroy_r(h, poly);
        poly = fixed;
    }
    GEOSGeometry *result = poly ? lc_geom_to_multi(ctx, poly) : NULL;
    if (poly) GEOSGeom_destroy_r(h, poly);
    return result;
}

/* From this many parcels on, parcels that lie apart are dilated by groups
** of LC_DILATE_GROUP neighbours, whose dilations are merged
** LC_MERGE_RUN at a time (see dilate_in_groups). */
#define LC_GROUPED_MIN_PARCELS 256
#define LC_DILATE_GROUP 32
#define LC_MERGE_RUN 32

typedef struct centre_ref { double x, y; size_t m; } centre_ref;

static int by_centre_x(const void *a, const void *b)
{
    const centre_ref *p = a, *q = b;
    if (p->x != q->x) return p->x < q->x ? -1 : 1;
    return (p->m > q->m) - (p->m < q->m);
}

static int by_centre_y(const void *a, const void *b)
{
    const centre_ref *p = a, *q = b;
    if (p->y != q->y) return p->y < q->y ? -1 : 1;
    return (p->m > q->m) - (p->m < q->m);
}

/* Orders g[0..n) as an STR tree packs them: slices of whole groups by the
** x of their centres, each slice by y. 0, or -1 when out of memory. */
static int str_order(lc_ctx *ctx, GEOSGeometry **g, size_t n, size_t group)
{
    GEOSContextHandle_t h = ctx->geos;
    centre_ref *c = lc_malloc(ctx, n * sizeof *c);
    GEOSGeometry **was = lc_malloc(ctx, n * sizeof *was);
    if (!c || !was) {
        free(c);
        free(was);
        return -1;
    }
    for (size_t m = 0; m < n; m++) {
        double b[4] = {0, 0, 0, 0};
        lc_geom_box(h, g[m], b);
        c[m] = (centre_ref){(b[0] + b[2]) / 2, (b[1] + b[3]) / 2, m};
    }
    size_t ng = (n + group - 1) / group, slices = 1;
    while (slices * slices < ng) slices++;
    size_t per = group * ((ng + slices - 1) / slices);
    lc_sort(c, n, sizeof *c, by_centre_x);
    for (size_t s = 0; s < n; s += per) lc_sort(c + s, n - s < per ? n - s : per, sizeof *c, by_centre_y);
    memcpy(was, g, n * sizeof *g);
    for (size_t i = 0; i < n; i++) g[i] = was[c[i].m];
    free(c);
    free(was);
    return 0;
}

/* Each run of `run` consecutive geometries of g[0..n) (taken over) buffered
** by r as one collection, the results packed at the front of g: their
** count, or 0 when GEOS failed (the slots then hold what is still owned, or
** NULL). */
static size_t buffer_runs(GEOSContextHandle_t h, GEOSGeometry **g, size_t n, size_t run, double r)
{
    size_t k = 0;
    for (size_t s = 0; s < n; s += run) {
        size_t e = s + run < n ? s + run : n;
        GEOSGeometry *coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, g + s, (unsigned)(e - s));
        if (!coll) return 0;
        for (size_t i = s; i < e; i++) g[i] = NULL;  /* taken over */
        g[k] = lc_geom_buffer(h, coll, r);            /* k <= s */
        GEOSGeom_destroy_r(h, coll);
        if (!g[k++]) return 0;
    }
    return k;
}

/*
** The union of the buffers by r of parts[0..n) (this thread's own, taken
** over), computed by groups: the parts in STR order, each run of
** LC_DILATE_GROUP buffered as one collection, then the groups' dilations
** merged by buffers of 0 (a union in one noding), LC_MERGE_RUN at a time.
** The union of the same offset curves as one buffer of all the parts, but
** GEOS's buffer grows faster than its input where many offset curves cross
** (the inside of a block of strips, whose ridges the buffers close): a
** block of 2,635 strips at 12 m is dilated in 0.06 s instead of 0.21 s,
** within 1.5e-14 of the one buffer (docs/DECISIONS.md).
*/
static GEOSGeometry *dilate_in_groups(lc_ctx *ctx, GEOSGeometry **parts, size_t n, double r)
{
    GEOSContextHandle_t h = ctx->geos;
    size_t m = str_order(ctx, parts, n, LC_DILATE_GROUP) == 0 ? buffer_runs(h, parts, n, LC_DILATE_GROUP, r) : 0;
    while (m > 1) m = buffer_runs(h, parts, m, LC_MERGE_RUN, 0);
    GEOSGeometry *d = NULL;
    if (m == 1) {
        d = parts[0];
        parts[0] = NULL;
    }
    for (size_t i = 0; i < n; i++)
        if (parts[i]) GEOSGeom_destroy_r(h, parts[i]);
    return d;
}

/*
** The recipe's dilation of parcels[0..n) by r (> 0), or their union when r
** is 0: this thread's own copies (see lc_geom_copy_to), each buffered, then
** unioned, as SPEC says; or, for parcels that lie apart (one_buffer),
** buffered together, which is the union of their buffers computed in one
** noding (by groups from LC_GROUPED_MIN_PARCELS on): a fifth cheaper for
** blocks of strips, but twice as dear where parcels share edges (their
** offset curves coincide). The erosion that follows depends a little on
** where GEOS starts each ring (it never simplifies a ring's first vertex
** away): on a small block the two ways can put the footprint 6e-6 apart,
** hence the threshold of 200 parcels, over which the footprints lie within
** 2e-7 of the literal recipe, and below it the one buffer only where the
** block's area makes the difference small (dilate_small); the rings are
** put in normal form so that the erosion does not depend on the order GEOS
** happened to give them (docs/DECISIONS.md).
*/
static GEOSGeometry *dilate(lc_ctx *ctx, const lc_parcels *p, const size_t *parcels, size_t n, double r,
                           int one_buffer)
{
    GEOSContextHandle_t h = ctx->geos;
    int each = r == 0 || !one_buffer;
    GEOSGeometry **parts = lc_malloc(ctx, (n ? n : 1) * sizeof *parts);
    if (!parts) return NULL;
    size_t k = 0;
    for (size_t m = 0; m < n; m++) {
        GEOSGeometry *own = lc_geom_copy_to(ctx, p->items[parcels[m]].geom);
        GEOSGeometry *part = own && each && r > 0 ? lc_geom_buffer(h, own, r) : own;
        if (part != own && own) GEOSGeom_destroy_r(h, own);
        if (!part) break;
        parts[k++] = part;
    }
    GEOSGeometry *d = NULL;
    if (k == n && !each && n >= LC_GROUPED_MIN_PARCELS) {
        d = dilate_in_groups(ctx, parts, n, r);
        k = 0;  /* taken over */
    } else {
        GEOSGeometry *coll = k == n ? GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts, (unsigned)k) : NULL;
        if (coll) k = 0;
        d = coll ? (each ? GEOSUnaryUnion_r(h, coll) : lc_geom_buffer(h, coll, r)) : NULL;
        if (coll) GEOSGeom_destroy_r(h, coll);
    }
    for (size_t i = 0; i < k; i++) GEOSGeom_destroy_r(h, parts[i]);
    free(parts);
    if (d && !each && GEOSNormalize_r(h, d) != 0) {
        GEOSGeom_destroy_r(h, d);
        d = NULL;
    }
    return d;
}

/* The part's fill eroded by r, minus its holes dilated by r (see
** erode_by_parts), or NULL. */
static GEOSGeometry *erode_part(lc_ctx *ctx, const GEOSGeometry *part, double r)
{
    GEOSContextHandle_t h = ctx->geos;
    int nh = GEOSGetNumInteriorRings_r(h, part);
    GEOSGeometry *fill = lc_geom_ring_polygon(h, GEOSGetExteriorRing_r(h, part));
    GEOSGeometry *e = fill ? lc_geom_buffer(h, fill, -r) : NULL;
    if (fill) GEOSGeom_destroy_r(h, fill);
    if (e && nh < 0) {
        GEOSGeom_destroy_r(h, e);
        return NULL;
    }
    if (!e || nh == 0) return e;
    GEOSGeometry **grown = lc_calloc(ctx, (size_t)nh, sizeof *grown);
    int made = 0;
    for (; grown && made < nh; made++) {
        GEOSGeometry *hole = lc_geom_ring_polygon(h, GEOSGetInteriorRingN_r(h, part, made));
        grown[made] = hole ? lc_geom_buffer(h, hole, r) : NULL;
        if (hole) GEOSGeom_destroy_r(h, hole);
        if (!grown[made]) break;
    }
    GEOSGeometry *coll = made == nh ? GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, grown, (unsigned)nh) : NULL;
    if (coll) made = 0;  /* taken over */
    for (int j = 0; j < made; j++) GEOSGeom_destroy_r(h, grown[j]);
    free(grown);
    GEOSGeometry *u = coll ? GEOSUnaryUnion_r(h, coll) : NULL;
    GEOSGeometry *result = u ? GEOSDifference_r(h, e, u) : NULL;
    if (coll) GEOSGeom_destroy_r(h, coll);
    if (u) GEOSGeom_destroy_r(h, u);
    GEOSGeom_destroy_r(h, e);
    return result;
}

/*
** A polygonal g (borrowed) eroded by r > 0 part by part, as a collection:
**   erode(P) = buffer(fill P, -r) - U buffer(hole_k, +r)
** for each part P (disjoint parts erode apart: a disc inside their union
** lies inside one of them). The offset curves are the ones buffer(g, -r)
** draws (each hole ring offset on the same side from the same start), but
** no buffer sees a hole: GEOS locates the depth of every closed curve it
** nodes against all the others (its cost grows as holes times edges), and
** a big block's dilation has thousands of holes. A million parcels: the
** blocks of 200 parcels or more eroded in 15.8 s of CPU instead of 23.0 s,
** footprints within 6.5e-15 of buffer(g, -r) (docs/DECISIONS.md).
*/
static GEOSGeometry *erode_by_parts(lc_ctx *ctx, const GEOSGeometry *g, double r)
{
    GEOSContextHandle_t h = ctx->geos;
    int type = GEOSGeomTypeId_r(h, g);
    int np = type == GEOS_POLYGON ? 1 : GEOSGetNumGeometries_r(h, g);
    if (np < 0) return NULL;
    GEOSGeometry **out = lc_calloc(ctx, np > 0 ? (size_t)np : 1, sizeof *out);
    int k = 0;
    for (; out && k < np; k++)
        if (!(out[k] = erode_part(ctx, type == GEOS_POLYGON ? g : GEOSGetGeometryN_r(h, g, k), r))) break;
    GEOSGeometry *result = out && k == np ? GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, out, (unsigned)np)
                                          : NULL;
    if (result) k = 0;  /* taken over */
    for (int j = 0; j < k; j++) GEOSGeom_destroy_r(h, out[j]);
    free(out);
    return result;
}

/*
** Below LC_ONE_BUFFER_MIN_PARCELS, parcels apart are dilated in one buffer
** only where the erosion's dependence on each ring's first vertex (see
** dilate) cannot reach 1e-6 of their area: that dependence is a few
** thousandths of a square metre per metre of the radius on every block
** measured (at most 7.3e-3 m² per metre, on the strips, the French cadastre,
** the sample and five national LPIS samples at gaps 2 to 20 m), so allowing
** LC_START_M2_PER_M per ring and metre of the radius, seven times that, asks
** for at least 5e4 m² per ring and metre (docs/DECISIONS.md).
*/
#define LC_START_M2_PER_M 0.05

/* 1 when rings ring starts of a dilation by r stay within 1e-6 of area */
static int starts_within_tolerance(double area, double r, int rings)
{
    return LC_START_M2_PER_M * r * rings <= 1e-6 * area;
}

/* The rings of a polygonal g: exterior and interior, of every part. */
static int ring_count(GEOSContextHandle_t h, const GEOSGeometry *g)
{
    int type = GEOSGeomTypeId_r(h, g), parts = type == GEOS_POLYGON ? 1 : GEOSGetNumGeometries_r(h, g), rings = 0;
    for (int k = 0; k < parts; k++) {
        const GEOSGeometry *part = type == GEOS_POLYGON ? g : GEOSGetGeometryN_r(h, g, k);
        if (GEOSGeomTypeId_r(h, part) == GEOS_POLYGON) rings += 1 + GEOSGetNumInteriorRings_r(h, part);
    }
    return rings;
}

/* A small block's dilation by r: in one buffer when its parcels lie apart
** and their area allows it (see starts_within_tolerance), else the
** recipe's; NULL with *rc set on failure. */
static GEOSGeometry *dilate_small(lc_ctx *ctx, const lc_parcels *p, const size_t *parcels, size_t n, double r,
                                  int *one_buffer, lc_status *rc)
{
    *rc = LC_OK;
    double area = 0;
    for (size_t m = 0; m < n; m++) area += p->items[parcels[m]].planar_m2;
    if (n >= 2 && starts_within_tolerance(area, r, 1) && !any_invalid(p, parcels, n) &&
        surely_apart(ctx, p, parcels, n, rc)) {
        GEOSGeometry *d = dilate(ctx, p, parcels, n, r, 1);
        *one_buffer = d && starts_within_tolerance(area, r, ring_count(ctx->geos, d));
        if (!d || *one_buffer) return d;
        GEOSGeom_destroy_r(ctx->geos, d);  /* holes the area does not cover: the recipe's way */
    }
    return *rc == LC_OK ? dilate(ctx, p, parcels, n, r, 0) : NULL;
}

/* Closing by the gap of parcels[0..n) (a block, or those near a tile):
** buffer +gap/2 each parcel, union, buffer -gap/2, with round joins and 8
** segments per quadrant (SPEC §2), or the same on the outline. */
static GEOSGeometry *close_parcels(lc_ctx *ctx, const lc_parcels *p, const size_t *parcels, size_t n, double gap,
                                   const lc_unsettled *known, int block_id, int *on_outline, int *one_buffer)
{
    GEOSContextHandle_t h = ctx->geos;
    *on_outline = *one_buffer = 0;
    int apart = 0;
    GEOSGeometry *closed;
    if (gap > 0 && n >= LC_ONE_BUFFER_MIN_PARCELS) {
        lc_status rc;
        GEOSGeometry *fp = close_on_outline(ctx, p, parcels, n, gap, known, n >= LC_OUTLINE_MIN_PARCELS, &apart, &rc);
        *on_outline = fp != NULL;
        if (fp || rc != LC_OK) return fp;
        closed = dilate(ctx, p, parcels, n, gap / 2, apart);
        *one_buffer = apart;
    } else if (gap > 0) {
        lc_status rc;
        closed = dilate_small(ctx, p, parcels, n, gap / 2, one_buffer, &rc);
        if (rc != LC_OK) return NULL;   /* the message is on ctx */
    } else {
        closed = dilate(ctx, p, parcels, n, 0, 0);
    }
    if (closed && gap > 0) {
        GEOSGeometry *d = closed;
        closed = n >= LC_ONE_BUFFER_MIN_PARCELS ? erode_by_parts(ctx, d, gap / 2) : lc_geom_buffer(h, d, -gap / 2);
        GEOSGeom_destroy_r(h, d);
    }
    GEOSGeometry *result = closed ? valid_multi(ctx, closed) : NULL;
    if (!result) lc_error(ctx, LC_EINTERNAL, "block %d footprint: GEOS: %s", block_id, ctx->geos_msg);
    return result;
}

typedef struct job_data {
    const lc_parcels *p;
    const lc_blocks *blocks;
    double gap;
    const lc_unsettled *known;
    lc_footprints *out;
    const lc_tiling *tiling;
    GEOSGeometry **pieces;       /* per tile: its piece of the footprint */
    int *piece_on_outline;
    size_t *whole;               /* the blocks closed whole, in order */
    size_t n_whole;
    size_t *tiled;               /* the blocks closed in tiles, with their first tile */
    size_t *first_tile;
    size_t n_tiled;
} job_data;

/* Per-thread state of the footprint loop: the thread's own area calculator. */
static lc_status footprint_thread_init(lc_ctx *tctx, void *state, void *userdata)
{
    return lc_parcels_area_calc(tctx, ((const job_data *)userdata)->p, state);
}

static lc_status measure(lc_ctx *tctx, lc_footprint *f)
{
    lc_status rc = lc_area_of(lc_thread_state(tctx), f->geom, &f->m2, &f->ellipsoidal_m2);
    if (rc == LC_OK && lc_cancelled(tctx)) rc = lc_error(tctx, LC_EINTERRUPTED, "interrupted");
    return rc;
}

/* One tile's piece: the closing of the parcels near it, clipped to the tile. */
static lc_status close_tile(lc_ctx *tctx, job_data *j, size_t t)
{
    GEOSContextHandle_t h = tctx->geos;
    const lc_tile *tl = &j->tiling->tiles[t];
    const lc_block *b = &j->blocks->items[tl->block];
    int one_buffer;
    GEOSGeometry *closed = close_parcels(tctx, j->p, tl->members, tl->n_members, j->gap, j->known, b->id,
                                         &j->piece_on_outline[t], &one_buffer);
    if (!closed) return LC_EINTERNAL;
    GEOSGeometry *clipped = GEOSClipByRect_r(h, closed, tl->x0, tl->y0, tl->x1, tl->y1);
    GEOSGeom_destroy_r(h, closed);
    j->pieces[t] = clipped ? lc_geom_polygonal_part(tctx, clipped) : NULL;
    if (clipped) GEOSGeom_destroy_r(h, clipped);
    if (!j->pieces[t]) return lc_error(tctx, LC_EINTERNAL, "block %d footprint: GEOS: %s", b->id, tctx->geos_msg);
    return lc_cancelled(tctx) ? lc_error(tctx, LC_EINTERRUPTED, "interrupted") : LC_OK;
}

/* Items: the tiles first (they belong to the biggest blocks), then the
** blocks closed whole, largest first, so the long unions start first. */
static lc_status footprint_item(lc_ctx *tctx, size_t i, void *userdata)
{
    job_data *j = userdata;
    if (i < j->tiling->n) return close_tile(tctx, j, i);
    size_t b = j->whole[i - j->tiling->n];
    const lc_block *blk = &j->blocks->items[b];
    lc_footprint *f = &j->out->items[b];
    f->geom = close_parcels(tctx, j->p, blk->members, blk->n_members, j->gap, j->known, blk->id, &f->on_outline,
                            &f->one_buffer);
    return f->geom ? measure(tctx, f) : LC_EINTERNAL;
}

/* The lines tiles t0..t1 were cut along: their edges, sorted, once each. */
static size_t seam_lines(const lc_tiling *tiling, size_t t0, size_t t1, int vertical, double *v)
{
    size_t n = 0;
    for (size_t t = t0; t < t1; t++) {
        const lc_tile *tl = &tiling->tiles[t];
        v[n++] = vertical ? tl->x0 : tl->y0;
        v[n++] = vertical ? tl->x1 : tl->y1;
    }
    return lc_sort_unique_doubles(v, n);
}

/* A tiled block's footprint: its pieces unioned along the seams. */
static lc_status merge_item(lc_ctx *tctx, size_t k, void *userdata)
{
    job_data *j = userdata;
    GEOSContextHandle_t h = tctx->geos;
    size_t b = j->tiled[k], t0 = j->first_tile[k], t1 = t0;
    while (t1 < j->tiling->n && j->tiling->tiles[t1].block == b) t1++;
    lc_footprint *f = &j->out->items[b];
    GEOSGeometry **own = lc_calloc(tctx, t1 - t0, sizeof *own);
    double *xs = lc_malloc(tctx, 2 * (t1 - t0) * sizeof *xs), *ys = lc_malloc(tctx, 2 * (t1 - t0) * sizeof *ys);
    lc_status rc = own && xs && ys ? LC_OK : LC_ENOMEM;
    size_t n = 0;
    f->on_outline = 1;
    f->tiles = (int)(t1 - t0);
    for (size_t t = t0; t < t1 && rc == LC_OK; t++) {
        f->on_outline &= j->piece_on_outline[t] != 0;
        if (GEOSisEmpty_r(h, j->pieces[t]) == 1) continue;
        /* this thread's own copy: see lc_geom_copy_to */
        if (!(own[n++] = lc_geom_copy_to(tctx, j->pieces[t]))) rc = LC_EINTERNAL;
    }
    GEOSGeometry *u = NULL;
    if (rc == LC_OK) {
        lc_seams seams = {xs, ys, seam_lines(j->tiling, t0, t1, 1, xs), seam_lines(j->tiling, t0, t1, 0, ys)};
        rc = lc_coverage_union_seams(tctx, own, n, &seams, &u, &f->merged_by_overlay);
    }
    for (size_t i = 0; own && i < n; i++)
        if (own[i]) GEOSGeom_destroy_r(h, own[i]);
    free(own);
    free(xs);
    free(ys);
    /* lc_coverage_union_seams returns a valid MultiPolygon (or fails) */
    f->geom = u;
    if (rc != LC_OK) return rc;   /* the message is on tctx */
    if (!f->geom)
        return lc_error(tctx, LC_EINTERNAL, "block %d footprint: GEOS: %s", j->blocks->items[b].id, tctx->geos_msg);
    return measure(tctx, f);
}

/* -v: how the footprints were closed (the outline, tiles, overlays). */
static void report(lc_ctx *ctx, const job_data *j)
{
    const lc_footprints *out = j->out;
    size_t outline = 0, tiles = 0, tiles_outline = 0, overlaid = 0, one_buffer = 0;
    for (size_t t = 0; t < j->tiling->n; t++) tiles_outline += j->piece_on_outline[t] != 0;
    for (size_t b = 0; b < out->n; b++) {
        outline += out->items[b].on_outline != 0;
        one_buffer += out->items[b].one_buffer != 0;
    }
    for (size_t k = 0; k < j->n_tiled; k++) {
        tiles += (size_t)out->items[j->tiled[k]].tiles;
        overlaid += out->items[j->tiled[k]].merged_by_overlay != 0;
    }
    if (!outline && !tiles && !one_buffer) return;
    if (ctx->progress) ctx->progress(ctx->progress_data, NULL, 0, 0);  /* the progress line down first */
    if (one_buffer) fprintf(stderr, "landcons: footprints dilated in one buffer: %zu of %zu blocks\n", one_buffer, out->n);
    if (!outline && !tiles) return;   /* nothing closed on the outline or in tiles */
    fprintf(stderr, "landcons: footprints on the outline: %zu of %zu blocks", outline, out->n);
    if (tiles)
        fprintf(stderr, "; %zu block%s in %zu tiles (%zu on the outline)", j->n_tiled, j->n_tiled == 1 ? "" : "s",
                tiles, tiles_outline);
    if (overlaid) fprintf(stderr, "; %zu merged by overlay", overlaid);
    fputc('\n', stderr);
}

lc_status lc_footprints_tiled(lc_ctx *ctx, const lc_parcels *p, const lc_blocks *blocks, double gap,
                              const lc_tile_sizes *sizes, const lc_unsettled *known, lc_footprints *out)
{
    memset(out, 0, sizeof *out);
    out->items = lc_calloc(ctx, blocks->n ? blocks->n : 1, sizeof *out->items);
    if (!out->items) return LC_ENOMEM;
    out->n = blocks->n;
    lc_tiling tiling = {0};
    job_data data = {p, blocks, gap, known, out, &tiling, NULL, NULL, NULL, 0, NULL, NULL, 0};
    /* the closing is local only when there is one: gap 0 is a plain union */
    lc_status rc = gap > 0 ? lc_tiling_plan(ctx, p, blocks, sizes->min_parcels, sizes->per_tile,
                                            LC_TILE_MARGIN_GAPS * gap, &tiling)
                           : LC_OK;
    size_t nb = blocks->n ? blocks->n : 1, nt = tiling.n ? tiling.n : 1;
    if (rc == LC_OK) {
        data.pieces = lc_calloc(ctx, nt, sizeof *data.pieces);
        data.piece_on_outline = lc_calloc(ctx, nt, sizeof *data.piece_on_outline);
        data.whole = lc_malloc(ctx, nb * sizeof *data.whole);
        data.tiled = lc_malloc(ctx, nb * sizeof *data.tiled);
        data.first_tile = lc_malloc(ctx, nb * sizeof *data.first_tile);
        if (!data.pieces || !data.piece_on_outline || !data.whole || !data.tiled || !data.first_tile)
            rc = LC_ENOMEM;
    }
    for (size_t b = 0, t = 0; b < blocks->n && rc == LC_OK; b++) {
        if (t < tiling.n && tiling.tiles[t].block == b) {
            data.tiled[data.n_tiled] = b;
            data.first_tile[data.n_tiled++] = t;
            while (t < tiling.n && tiling.tiles[t].block == b) t++;
        } else {
            data.whole[data.n_whole++] = b;
        }
    }
    lc_parallel job = {footprint_item, footprint_thread_init, lc_area_thread_done,
                       sizeof(lc_area_calc), &data, "footprints"};
    if (rc == LC_OK) rc = lc_parallel_for(ctx, tiling.n + data.n_whole, &job);
    job.item = merge_item;
    if (rc == LC_OK && data.n_tiled) rc = lc_parallel_for(ctx, data.n_tiled, &job);
    if (rc == LC_OK && ctx->verbose) report(ctx, &data);
    for (size_t t = 0; data.pieces && t < tiling.n; t++)
        if (data.pieces[t]) GEOSGeom_destroy_r(ctx->geos, data.pieces[t]);
    free(data.pieces);
    free(data.piece_on_outline);
    free(data.whole);
    free(data.tiled);
    free(data.first_tile);
    lc_tiling_release(&tiling);
    return rc;
}

/* LANDCONS_TILES="MIN,PER" sets the tile sizes (both > 0), so that blocks
** small enough for the tests' references are closed in tiles too. */
static lc_tile_sizes tile_sizes(void)
{
    const char *env = getenv("LANDCONS_TILES");
    unsigned long min = 0, per = 0;
    char end = 0;
    if (env && sscanf(env, "%lu,%lu%c", &min, &per, &end) == 2 && min > 0 && per > 0)
        return (lc_tile_sizes){min, per};
    return lc_tile_sizes_default;
}

lc_status lc_footprints_run(lc_ctx *ctx, const lc_parcels *p, const lc_blocks *blocks, double gap,
                            const lc_unsettled *known, lc_footprints *out)
{
    lc_tile_sizes sizes = tile_sizes();
    return lc_footprints_tiled(ctx, p, blocks, gap, &sizes, known, out);
}

void lc_footprints_release(GEOSContextHandle_t h, lc_footprints *f)
{
    for (size_t b = 0; b < f->n; b++)
        if (f->items[b].geom) GEOSGeom_destroy_r(h, f->items[b].geom);
    free(f->items);
    memset(f, 0, sizeof *f);
}
