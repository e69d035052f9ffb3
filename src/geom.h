/*
** Small GEOS helpers shared by the modules that build or repair polygons.
** Functions returning GEOSGeometry* return a new geometry owned by the
** caller (destroy with GEOSGeom_destroy_r), or NULL with a message on ctx.
*/
#ifndef LC_GEOM_H
#define LC_GEOM_H

#include "lc_internal.h"

/* The polygons of g (any type) as a Polygon or MultiPolygon; an empty
** MultiPolygon when g has no areal part. */
GEOSGeometry *lc_geom_polygonal_part(lc_ctx *ctx, const GEOSGeometry *g);

/* GEOS MakeValid, keeping only the polygonal part. */
GEOSGeometry *lc_geom_make_valid_polygonal(lc_ctx *ctx, const GEOSGeometry *g);

/* SPEC §2's buffer of g by d: round caps and joins, 8 segments a quadrant. */
GEOSGeometry *lc_geom_buffer(GEOSContextHandle_t h, const GEOSGeometry *g, double d);

/* g's bounding box into b: xmin, ymin, xmax, ymax. */
void lc_geom_box(GEOSContextHandle_t h, const GEOSGeometry *g, double b[4]);

/* A hole-free Polygon of a copy of ring (a LinearRing, borrowed), or NULL. */
GEOSGeometry *lc_geom_ring_polygon(GEOSContextHandle_t h, const GEOSGeometry *ring);

/* A MultiPolygon copy of a Polygon or MultiPolygon. */
GEOSGeometry *lc_geom_to_multi(lc_ctx *ctx, const GEOSGeometry *g);

/*
** A copy of a Polygon or MultiPolygon built from its coordinates with ctx's
** own GEOS handle. GEOS geometries are not safe to share between threads:
** GEOS 3.11 computes derived data such as the envelope lazily and caches it
** in the geometry. A worker thread therefore never clones or operates on
** another thread's geometries: it reads their coordinates (plain reads,
** nothing cached) and builds its own.
*/
GEOSGeometry *lc_geom_copy_to(lc_ctx *ctx, const GEOSGeometry *g);

/* The GEOS point-on-surface of g in *x, *y; 0 when it cannot be computed. */
int lc_geom_point_on_surface(lc_ctx *ctx, const GEOSGeometry *g, double *x, double *y);

/* Number of polygons and holes in a Polygon/MultiPolygon. */
void lc_geom_count_parts(lc_ctx *ctx, const GEOSGeometry *g, int *polygons, int *holes);

#endif
