/* GEOS helpers: polygon extraction and repair. */
#include <stdlib.h>

#include "geom.h"

/* Appends clones of the polygons in g to *out (capacity grows). */
static int collect_polygons(lc_ctx *ctx, const GEOSGeometry *g, GEOSGeometry ***out, size_t *n,
                            size_t *cap)
{
    GEOSContextHandle_t h = ctx->geos;
    int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_POLYGON) {
        if (GEOSisEmpty_r(h, g) == 1) return 0;
        if (lc_grow(ctx, (void **)out, cap, *n + 1, sizeof **out)) return -1;
        GEOSGeometry *c = GEOSGeom_clone_r(h, g);
        if (!c) return -1;
        (*out)[(*n)++] = c;
        return 0;
    }
    if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        int k = GEOSGetNumGeometries_r(h, g);
        for (int i = 0; i < k; i++)
            if (collect_polygons(ctx, GEOSGetGeometryN_r(h, g, i), out, n, cap)) return -1;
    }
    return 0;
}

GEOSGeometry *lc_geom_polygonal_part(lc_ctx *ctx, const GEOSGeometry *g)
{
    GEOSContextHandle_t h = ctx->geos;
    int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON) return GEOSGeom_clone_r(h, g);
    GEOSGeometry **polys = NULL;
    size_t n = 0, cap = 0;
    if (collect_polygons(ctx, g, &polys, &n, &cap)) {
        for (size_t i = 0; i < n; i++) GEOSGeom_destroy_r(h, polys[i]);
        free(polys);
        return NULL;
    }
    GEOSGeometry *r;
    if (n == 1) r = polys[0];
    else r = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polys, (unsigned)n);
    free(polys);
    return r;
}

GEOSGeometry *lc_geom_make_valid_polygonal(lc_ctx *ctx, const GEOSGeometry *g)
{
    GEOSGeometry *v = GEOSMakeValid_r(ctx->geos, g);
    if (!v) {
        lc_error(ctx, LC_EINTERNAL, "GEOS MakeValid failed: %s", ctx->geos_msg);
        return NULL;
    }
    GEOSGeometry *r = lc_geom_polygonal_part(ctx, v);
    GEOSGeom_destroy_r(ctx->geos, v);
    return r;
}

void lc_geom_count_parts(lc_ctx *ctx, const GEOSGeometry *g, int *polygons, int *holes)
{
    GEOSContextHandle_t h = ctx->geos;
    *polygons = 0;
    *holes = 0;
    int type = GEOSGeomTypeId_r(h, g);
    int n = type == GEOS_POLYGON ? 1 : GEOSGetNumGeometries_r(h, g);
    for (int i = 0; i < n; i++) {
        const GEOSGeometry *part = type == GEOS_POLYGON ? g : GEOSGetGeometryN_r(h, g, i);
        if (GEOSGeomTypeId_r(h, part) != GEOS_POLYGON || GEOSisEmpty_r(h, part) == 1) continue;
        (*polygons)++;
        *holes += GEOSGetNumInteriorRings_r(h, part);
    }
}

GEOSGeometry *lc_geom_buffer(GEOSContextHandle_t h, const GEOSGeometry *g, double d)
{
    return GEOSBufferWithStyle_r(h, g, d, 8, GEOSBUF_CAP_ROUND, GEOSBUF_JOIN_ROUND, 5.0);
}

void lc_geom_box(GEOSContextHandle_t h, const GEOSGeometry *g, double b[4])
{
    GEOSGeom_getXMin_r(h, g, &b[0]);
    GEOSGeom_getYMin_r(h, g, &b[1]);
    GEOSGeom_getXMax_r(h, g, &b[2]);
    GEOSGeom_getYMax_r(h, g, &b[3]);
}

GEOSGeometry *lc_geom_ring_polygon(GEOSContextHandle_t h, const GEOSGeometry *ring)
{
    GEOSGeometry *r = ring ? GEOSGeom_clone_r(h, ring) : NULL;
    GEOSGeometry *poly = r ? GEOSGeom_createPolygon_r(h, r, NULL, 0) : NULL;
    if (r && !poly) GEOSGeom_destroy_r(h, r);
    return poly;
}

GEOSGeometry *lc_geom_to_multi(lc_ctx *ctx, const GEOSGeometry *g)
{
    GEOSContextHandle_t h = ctx->geos;
    if (GEOSGeomTypeId_r(h, g) != GEOS_POLYGON) return GEOSGeom_clone_r(h, g);
    GEOSGeometry *c = GEOSGeom_clone_r(h, g);
    if (!c) return NULL;
    GEOSGeometry *m = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, &c, 1);
    if (!m) GEOSGeom_destroy_r(h, c);
    return m;
}

int lc_geom_point_on_surface(lc_ctx *ctx, const GEOSGeometry *g, double *x, double *y)
{
    GEOSContextHandle_t h = ctx->geos;
    GEOSGeometry *pt = g ? GEOSPointOnSurface_r(h, g) : NULL;
    int ok = pt && GEOSisEmpty_r(h, pt) == 0 && GEOSGeomGetX_r(h, pt, x) && GEOSGeomGetY_r(h, pt, y);
    if (pt) GEOSGeom_destroy_r(h, pt);
    return ok;
}

static GEOSGeometry *copy_ring(lc_ctx *ctx, const GEOSGeometry *ring)
{
    GEOSContextHandle_t h = ctx->geos;
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(h, ring);
    unsigned int n = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &n)) return NULL;
    double *buf = lc_malloc(ctx, 2 * (size_t)(n ? n : 1) * sizeof *buf);
    if (!buf) return NULL;
    GEOSGeometry *r = NULL;
    if (n == 0 || GEOSCoordSeq_copyToBuffer_r(h, seq, buf, 0, 0)) {
        GEOSCoordSequence *copy = GEOSCoordSeq_copyFromBuffer_r(h, buf, n, 0, 0);
        r = copy ? GEOSGeom_createLinearRing_r(h, copy) : NULL;
    }
    free(buf);
    return r;
}

static GEOSGeometry *copy_polygon(lc_ctx *ctx, const GEOSGeometry *poly)
{
    GEOSContextHandle_t h = ctx->geos;
    if (GEOSisEmpty_r(h, poly) == 1) return GEOSGeom_createEmptyPolygon_r(h);
    int nh = GEOSGetNumInteriorRings_r(h, poly);
    GEOSGeometry *shell = copy_ring(ctx, GEOSGetExteriorRing_r(h, poly));
    GEOSGeometry **holes = lc_calloc(ctx, (size_t)(nh > 0 ? nh : 1), sizeof *holes);
    int ok = shell && holes;
    for (int i = 0; ok && i < nh; i++) ok = (holes[i] = copy_ring(ctx, GEOSGetInteriorRingN_r(h, poly, i))) != NULL;
    GEOSGeometry *r = ok ? GEOSGeom_createPolygon_r(h, shell, holes, (unsigned)nh) : NULL;
    if (!r) {
        if (shell) GEOSGeom_destroy_r(h, shell);
        for (int i = 0; holes && i < nh; i++)
            if (holes[i]) GEOSGeom_destroy_r(h, holes[i]);
    }
    free(holes);
    return r;
}

GEOSGeometry *lc_geom_copy_to(lc_ctx *ctx, const GEOSGeometry *g)
{
    GEOSContextHandle_t h = ctx->geos;
    int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_POLYGON) return copy_polygon(ctx, g);
    if (type != GEOS_MULTIPOLYGON) {
        lc_error(ctx, LC_EINTERNAL, "lc_geom_copy_to: not a polygon");
        return NULL;
    }
    int n = GEOSGetNumGeometries_r(h, g);
    GEOSGeometry **parts = lc_calloc(ctx, (size_t)(n > 0 ? n : 1), sizeof *parts);
    int ok = parts != NULL;
    for (int i = 0; ok && i < n; i++) ok = (parts[i] = copy_polygon(ctx, GEOSGetGeometryN_r(h, g, i))) != NULL;
    GEOSGeometry *r = ok ? GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, parts, (unsigned)n) : NULL;
    if (!r)
        for (int i = 0; parts && i < n; i++)
            if (parts[i]) GEOSGeom_destroy_r(h, parts[i]);
    free(parts);
    return r;
}
