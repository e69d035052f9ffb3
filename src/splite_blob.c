/* SpatiaLite BLOB-Geometry encoding of polygons (see splite_blob.h). */
#include <math.h>
#include <string.h>

#include "splite_blob.h"

enum { SPL_START = 0x00, SPL_BIG_ENDIAN = 0x00, SPL_LITTLE_ENDIAN = 0x01, SPL_MBR_END = 0x7C, SPL_ENTITY = 0x69,
       SPL_END = 0xFE, SPL_POLYGON = 3, SPL_MULTIPOLYGON = 6 };

static int reserve(lc_ctx *ctx, lc_blob *b, size_t more)
{
    return lc_grow(ctx, (void **)&b->data, &b->cap, b->len + more, 1);
}

/* numbers go in host byte order, which the blob's endian flag declares;
** memcpy keeps the unaligned stores defined */
static void put_i32(lc_blob *b, int32_t v)
{
    memcpy(b->data + b->len, &v, 4);
    b->len += 4;
}

static void put_f64(lc_blob *b, size_t at, double v)
{
    memcpy(b->data + at, &v, 8);
}

static int put_ring(lc_ctx *ctx, lc_blob *b, const GEOSGeometry *ring)
{
    GEOSContextHandle_t h = ctx->geos;
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(h, ring);
    unsigned int n = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &n)) return lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg), -1;
    if (reserve(ctx, b, 4 + 16 * (size_t)n)) return -1;
    if (lc_grow(ctx, (void **)&b->xy, &b->xy_cap, 2 * (size_t)n + 2, sizeof *b->xy)) return -1;
    if (n > 0 && !GEOSCoordSeq_copyToBuffer_r(h, seq, b->xy, 0, 0))
        return lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg), -1;
    for (unsigned int i = 0; i < 2 * n; i += 2) {
        if (b->xy[i] < b->minx) b->minx = b->xy[i];
        if (b->xy[i] > b->maxx) b->maxx = b->xy[i];
        if (b->xy[i + 1] < b->miny) b->miny = b->xy[i + 1];
        if (b->xy[i + 1] > b->maxy) b->maxy = b->xy[i + 1];
    }
    put_i32(b, (int32_t)n);
    memcpy(b->data + b->len, b->xy, 16 * (size_t)n);
    b->len += 16 * (size_t)n;
    return 0;
}

static int put_polygon(lc_ctx *ctx, lc_blob *b, const GEOSGeometry *poly)
{
    GEOSContextHandle_t h = ctx->geos;
    int holes = GEOSGetNumInteriorRings_r(h, poly);
    if (holes < 0) return lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg), -1;
    if (reserve(ctx, b, 9)) return -1;
    b->data[b->len++] = SPL_ENTITY;
    put_i32(b, SPL_POLYGON);
    put_i32(b, 1 + holes);
    if (put_ring(ctx, b, GEOSGetExteriorRing_r(h, poly))) return -1;
    for (int i = 0; i < holes; i++)
        if (put_ring(ctx, b, GEOSGetInteriorRingN_r(h, poly, i))) return -1;
    return 0;
}

int lc_blob_multipolygon(lc_ctx *ctx, lc_blob *b, const GEOSGeometry *g, int srid)
{
    GEOSContextHandle_t h = ctx->geos;
    int type = GEOSGeomTypeId_r(h, g);
    if (type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON) {
        return lc_error(ctx, LC_EINTERNAL, "SpatiaLite blob: not a polygon"), -1;
    }
    int n = type == GEOS_POLYGON ? 1 : GEOSGetNumGeometries_r(h, g);
    b->len = 0;
    b->minx = b->miny = INFINITY;
    b->maxx = b->maxy = -INFINITY;
    if (n < 0) return lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg), -1;
    if (n == 0) return 1;
    if (reserve(ctx, b, 47)) return -1;
    b->data[0] = SPL_START;
    const uint16_t one = 1;
    b->data[1] = *(const unsigned char *)&one ? SPL_LITTLE_ENDIAN : SPL_BIG_ENDIAN;
    b->len = 2;
    put_i32(b, srid);
    b->len += 32; /* the MBR, filled in below */
    b->data[b->len++] = SPL_MBR_END;
    put_i32(b, SPL_MULTIPOLYGON);
    put_i32(b, n);
    for (int i = 0; i < n; i++)
        if (put_polygon(ctx, b, type == GEOS_POLYGON ? g : GEOSGetGeometryN_r(h, g, i))) return -1;
    if (reserve(ctx, b, 1)) return -1;
    b->data[b->len++] = SPL_END;
    put_f64(b, 6, b->minx);
    put_f64(b, 14, b->miny);
    put_f64(b, 22, b->maxx);
    put_f64(b, 30, b->maxy);
    return 0;
}

void lc_blob_release(lc_blob *b)
{
    free(b->data);
    free(b->xy);
    memset(b, 0, sizeof *b);
}
