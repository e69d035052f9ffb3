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
