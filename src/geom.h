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

/* A MultiPolygon copy of a Polygon or MultiPolygon. */
GEOSGeometry *lc_geom_to_multi(lc_ctx *ctx, const GEOSGeometry *g);

/*
** A copy of a Polygon or MultiPolygon built from its coordinates with ctx's
** own GEOS handle. GEOS 3.11 counts references to a geometry's factory
** without atomics, so a worker thread must never clone or operate on
** geometries of another thread's factory: it reads their coordinates (no
** reference taken) and builds its own.
*/
GEOSGeometry *lc_geom_copy_to(lc_ctx *ctx, const GEOSGeometry *g);

/* The GEOS point-on-surface of g in *x, *y; 0 when it cannot be computed. */
int lc_geom_point_on_surface(lc_ctx *ctx, const GEOSGeometry *g, double *x, double *y);

/* Number of polygons and holes in a Polygon/MultiPolygon. */
void lc_geom_count_parts(lc_ctx *ctx, const GEOSGeometry *g, int *polygons, int *holes);

#endif
