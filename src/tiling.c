/*
** Tiles of big blocks (see tiling.h).
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tiling.h"

typedef struct box { double x0, y0, x1, y1; } box;

/* The grid of one block: nx x ny tiles of its extent. */
typedef struct grid {
    box ext;
    size_t nx, ny;
    double w, h;                 /* tile size */
} grid;

static grid grid_of(box ext, size_t n_members, size_t per_tile)
{
    grid g = {ext, 1, 1, ext.x1 - ext.x0, ext.y1 - ext.y0};
    double tiles = ceil((double)n_members / (double)(per_tile ? per_tile : 1));
    double W = g.w > 0 ? g.w : 1, H = g.h > 0 ? g.h : 1;
    double nx = floor(sqrt(tiles * W / H) + 0.5);
    if (nx < 1) nx = 1;
    double ny = ceil(tiles / nx);
    if (ny < 1) ny = 1;
    g.nx = (size_t)nx;
    g.ny = (size_t)ny;
    g.w = W / nx;
    g.h = H / ny;
    return g;
}

/* The range [*lo, *hi] of tile columns (or rows) a span [a, b] widened by
** the margin meets. */
static void span(double a, double b, double origin, double size, size_t n, double margin, size_t *lo, size_t *hi)
{
    double l = floor((a - margin - origin) / size), u = floor((b + margin - origin) / size);
    *lo = l < 0 ? 0 : l >= (double)n ? n - 1 : (size_t)l;
    *hi = u < 0 ? 0 : u >= (double)n ? n - 1 : (size_t)u;
}

static lc_status extent_of(lc_ctx *ctx, const GEOSGeometry *g, box *bx)
{
    if (GEOSGeom_getExtent_r(ctx->geos, g, &bx->x0, &bx->y0, &bx->x1, &bx->y1)) return LC_OK;
    return lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
}

/* For each member of blk and each tile (numbered from t0) its box comes
** within the margin of: count[t]++ (fill NULL), else the member into the
** list at fill[t]++. */
static lc_status assign(lc_ctx *ctx, const lc_parcels *p, const lc_block *blk, const grid *g, size_t t0,
                        double margin, size_t *count, size_t *fill, size_t *lists)
{
    for (size_t m = 0; m < blk->n_members; m++) {
        box bx;
        lc_status rc = extent_of(ctx, p->items[blk->members[m]].geom, &bx);
        if (rc != LC_OK) return rc;
        size_t cx0, cx1, cy0, cy1;
        span(bx.x0, bx.x1, g->ext.x0, g->w, g->nx, margin, &cx0, &cx1);
        span(bx.y0, bx.y1, g->ext.y0, g->h, g->ny, margin, &cy0, &cy1);
        for (size_t cy = cy0; cy <= cy1; cy++)
            for (size_t cx = cx0; cx <= cx1; cx++) {
                size_t t = t0 + cy * g->nx + cx;
                if (fill) lists[fill[t]++] = blk->members[m];
                else count[t]++;
            }
    }
    return LC_OK;
}

lc_status lc_tiling_plan(lc_ctx *ctx, const lc_parcels *p, const lc_blocks *blocks, size_t min_parcels,
                         size_t per_tile, double margin, lc_tiling *out)
{
    memset(out, 0, sizeof *out);
    size_t n_big = 0, cells = 0, n_refs = 0, n_tiles = 0;
    for (size_t b = 0; b < blocks->n; b++) n_big += blocks->items[b].n_members >= min_parcels;
    if (!n_big) return LC_OK;
    grid *grids = lc_calloc(ctx, n_big, sizeof *grids);
    size_t *count = NULL, *fill = NULL;
    lc_status rc = grids ? LC_OK : LC_ENOMEM;
    /* each big block's grid over its extent */
    for (size_t b = 0, i = 0; b < blocks->n && rc == LC_OK; b++) {
        const lc_block *blk = &blocks->items[b];
        if (blk->n_members < min_parcels) continue;
        box ext = {INFINITY, INFINITY, -INFINITY, -INFINITY}, bx;
        for (size_t m = 0; m < blk->n_members && rc == LC_OK; m++)
            if ((rc = extent_of(ctx, p->items[blk->members[m]].geom, &bx)) == LC_OK) {
                ext.x0 = fmin(ext.x0, bx.x0);
                ext.y0 = fmin(ext.y0, bx.y0);
                ext.x1 = fmax(ext.x1, bx.x1);
                ext.y1 = fmax(ext.y1, bx.y1);
            }
        grids[i] = grid_of(ext, blk->n_members, per_tile);
        cells += grids[i].nx * grids[i].ny;
        i++;
    }
    if (rc == LC_OK) {
        count = lc_calloc(ctx, cells, sizeof *count);
        fill = lc_calloc(ctx, cells, sizeof *fill);
        if (!count || !fill) rc = LC_ENOMEM;
    }
    /* count, then list, each tile's members (ascending, as blocks hold them) */
    for (int pass = 0; pass < 2 && rc == LC_OK; pass++) {
        for (size_t b = 0, i = 0, t0 = 0; b < blocks->n && rc == LC_OK; b++) {
            if (blocks->items[b].n_members < min_parcels) continue;
            rc = assign(ctx, p, &blocks->items[b], &grids[i], t0, margin, count, pass ? fill : NULL,
                        out->members);
            t0 += grids[i].nx * grids[i].ny;
            i++;
        }
        if (pass == 0 && rc == LC_OK) {
            for (size_t t = 0; t < cells; t++) {
                fill[t] = n_refs;
                n_refs += count[t];
                n_tiles += count[t] != 0;
            }
            out->members = lc_malloc(ctx, (n_refs ? n_refs : 1) * sizeof *out->members);
            out->tiles = lc_calloc(ctx, n_tiles ? n_tiles : 1, sizeof *out->tiles);
            if (!out->members || !out->tiles) rc = LC_ENOMEM;
        }
    }
    /* the tiles some parcel comes near */
    for (size_t b = 0, i = 0, t0 = 0; b < blocks->n && rc == LC_OK; b++) {
        if (blocks->items[b].n_members < min_parcels) continue;
        const grid *g = &grids[i++];
        for (size_t cy = 0; cy < g->ny; cy++)
            for (size_t cx = 0; cx < g->nx; cx++) {
                size_t t = t0 + cy * g->nx + cx;
                if (!count[t]) continue;
                lc_tile *tl = &out->tiles[out->n++];
                tl->block = b;
                /* inner edges on the grid, the same number for both neighbours;
                ** outer ones beyond anything the closing reaches */
                tl->x0 = cx == 0 ? g->ext.x0 - margin : g->ext.x0 + (double)cx * g->w;
                tl->y0 = cy == 0 ? g->ext.y0 - margin : g->ext.y0 + (double)cy * g->h;
                tl->x1 = cx + 1 == g->nx ? g->ext.x1 + margin : g->ext.x0 + (double)(cx + 1) * g->w;
                tl->y1 = cy + 1 == g->ny ? g->ext.y1 + margin : g->ext.y0 + (double)(cy + 1) * g->h;
                tl->members = out->members + (fill[t] - count[t]);
                tl->n_members = count[t];
            }
        t0 += g->nx * g->ny;
    }
    free(grids);
    free(count);
    free(fill);
    if (rc != LC_OK) lc_tiling_release(out);
    return rc;
}

void lc_tiling_release(lc_tiling *t)
{
    free(t->tiles);
    free(t->members);
    memset(t, 0, sizeof *t);
}
