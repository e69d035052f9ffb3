/*
** SpatiaLite geometry blobs written straight from GEOS coordinates, so the
** writer needs neither WKB nor SpatiaLite's GeomFromWKB() per row. The
** layout is SpatiaLite's internal BLOB-Geometry format (host byte order):
**   0x00 endian srid:i32 mbr:4×f64 0x7C class:i32 n:i32
**   { 0x69 class:i32 <entity> } × n   0xFE
*/
#ifndef LC_SPLITE_BLOB_H
#define LC_SPLITE_BLOB_H

#include "lc_internal.h"

typedef struct lc_blob {
    unsigned char *data;   /* owned */
    size_t len, cap;
    double *xy;            /* owned: one ring's coordinates */
    size_t xy_cap;
    double minx, miny, maxx, maxy;  /* the geometry's extent (its MBR) */
} lc_blob;

/* Encodes g, a Polygon or MultiPolygon, as a MULTIPOLYGON XY blob into b
** (its buffers are reused from call to call). Returns 0; 1 when g is empty
** (SpatiaLite stores no blob for it: bind NULL); -1 with a message on ctx. */
int lc_blob_multipolygon(lc_ctx *ctx, lc_blob *b, const GEOSGeometry *g, int srid);

void lc_blob_release(lc_blob *b);

#endif
