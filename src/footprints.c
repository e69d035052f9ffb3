/*
** Block footprints: each block closed by the gap on a worker thread (see
** footprints.h).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "area.h"
#include "closing.h"
#include "coverage_union.h"
#include "footprints.h"
#include "geom.h"
#include "parallel.h"

/* From this many parcels on, a block whose union is much smaller than its
** parcels (a coverage: shared edges cancel) is closed on its outline
** (closing.c). Below it the recipe costs little, and the outline's arcs,
** drawn around the union's corners rather than each parcel's, move the
** footprint area relatively more on a small block: up to 3e-6 on blocks of
** a few parcels, 4e-7 at 850 parcels and 12 m, 3e-8 to 9e-8 at 15,000
** (SPEC allows 1e-6; see docs/DECISIONS.md). */
#define LC_OUTLINE_MIN_PARCELS 1000

/* The footprint of a big block by coverage union and the closing of its
** outline; NULL (with *rc LC_OK) when the recipe is the better way. */
static GEOSGeometry *footprint_on_outline(lc_ctx *ctx, const lc_parcels *p, const lc_block *b, double gap,
                                          lc_status *rc)
{
    GEOSContextHandle_t h = ctx->geos;
    *rc = LC_OK;
    for (size_t m = 0; m < b->n_members; m++)
        if (p->items[b->members[m]].flags & LC_PARCEL_INVALID) return NULL;  /* kept unrepaired */
    GEOSGeometry **own = lc_calloc(ctx, b->n_members, sizeof *own);
    GEOSGeometry *u = NULL, *fp = NULL;
    int vertices = 0;
    *rc = own ? LC_OK : LC_ENOMEM;
    for (size_t m = 0; m < b->n_members && *rc == LC_OK; m++) {
        /* this thread's own copies: see lc_geom_copy_to */
        if (!(own[m] = lc_geom_copy_to(ctx, p->items[b->members[m]].geom))) *rc = LC_EINTERNAL;
        else vertices += GEOSGetNumCoordinates_r(h, own[m]);
    }
    if (*rc == LC_OK) *rc = lc_coverage_union(ctx, own, b->n_members, &u);
    /* parcels apart (strips with ridges between them) leave the union as big
    ** as the parcels: the recipe is then as fast */
    if (*rc == LC_OK && 2 * GEOSGetNumCoordinates_r(h, u) <= vertices)
        *rc = lc_closing(ctx, u, own, b->n_members, gap / 2, &fp);
    if (u) GEOSGeom_destroy_r(h, u);
    for (size_t m = 0; own && m < b->n_members; m++)
        if (own[m]) GEOSGeom_destroy_r(h, own[m]);
    free(own);
    return fp;
}

/* Closing by the gap: buffer +gap/2 each parcel, union, buffer -gap/2, with
** round joins and 8 segments per quadrant (SPEC §2). */
static GEOSGeometry *footprint_of(lc_ctx *ctx, const lc_parcels *p, const lc_block *b, double gap,
                                  int *on_outline)
{
    GEOSContextHandle_t h = ctx->geos;
    *on_outline = 0;
    if (gap > 0 && b->n_members >= LC_OUTLINE_MIN_PARCELS) {
        lc_status rc;
        GEOSGeometry *fp = footprint_on_outline(ctx, p, b, gap, &rc);
        *on_outline = fp != NULL;
        if (fp || rc != LC_OK) return fp;
    }
    GEOSGeometry **parts = lc_malloc(ctx, b->n_members * sizeof *parts);
    if (!parts) return NULL;
    size_t n = 0;
    GEOSGeometry *result = NULL;
    for (size_t m = 0; m < b->n_members; m++) {
        /* this thread's own copy: see lc_geom_copy_to */
        GEOSGeometry *own = lc_geom_copy_to(ctx, p->items[b->members[m]].geom);
        if (!own) goto fail;
        GEOSGeometry *part = own;
        if (gap > 0) {
            part = GEOSBufferWithStyle_r(h, own, gap / 2, 8, GEOSBUF_CAP_ROUND, GEOSBUF_JOIN_ROUND, 5.0);
            GEOSGeom_destroy_r(h, own);
        }
        if (!part) goto fail;
        parts[n++] = part;
    }
    GEOSGeometry *coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts, (unsigned)n);
    if (!coll) goto fail;
    free(parts);
    parts = NULL;
    n = 0;
    GEOSGeometry *u = GEOSUnaryUnion_r(h, coll);
    GEOSGeom_destroy_r(h, coll);
    if (!u) goto fail;
    GEOSGeometry *closed = u;
    if (gap > 0) {
        closed = GEOSBufferWithStyle_r(h, u, -gap / 2, 8, GEOSBUF_CAP_ROUND, GEOSBUF_JOIN_ROUND, 5.0);
        GEOSGeom_destroy_r(h, u);
        if (!closed) goto fail;
    }
    GEOSGeometry *poly = lc_geom_polygonal_part(ctx, closed);
    GEOSGeom_destroy_r(h, closed);
    if (!poly) goto fail;
    if (GEOSisValid_r(h, poly) != 1) {
        GEOSGeometry *fixed = lc_geom_make_valid_polygonal(ctx, poly);
        GEOSGeom_destroy_r(h, poly);
        poly = fixed;
        if (!poly) goto fail;
    }
    result = lc_geom_to_multi(ctx, poly);
    GEOSGeom_destroy_r(h, poly);
    if (!result) goto fail;
    return result;
fail:
    for (size_t i = 0; i < n; i++) GEOSGeom_destroy_r(h, parts[i]);
    free(parts);
    lc_error(ctx, LC_EINTERNAL, "block %d footprint: GEOS: %s", b->id, ctx->geos_msg);
    return NULL;
}

typedef struct job_data {
    const lc_parcels *p;
    const lc_blocks *blocks;
    double gap;
    lc_footprints *out;
} job_data;

/* Per-thread state of the footprint loop: the thread's own area calculator. */
static lc_status footprint_thread_init(lc_ctx *tctx, void *state, void *userdata)
{
    return lc_parcels_area_calc(tctx, ((const job_data *)userdata)->p, state);
}

/* Blocks are independent: each is closed and measured on its own thread. */
static lc_status footprint_item(lc_ctx *tctx, size_t b, void *userdata)
{
    job_data *j = userdata;
    lc_area_calc *calc = lc_thread_state(tctx);
    lc_footprint *f = &j->out->items[b];
    f->geom = footprint_of(tctx, j->p, &j->blocks->items[b], j->gap, &f->on_outline);
    if (!f->geom) return LC_EINTERNAL;
    lc_status rc = lc_area_of(calc, f->geom, &f->m2, &f->ellipsoidal_m2);
    if (rc == LC_OK && lc_cancelled(tctx)) rc = lc_error(tctx, LC_EINTERRUPTED, "interrupted");
    return rc;
}

lc_status lc_footprints_run(lc_ctx *ctx, const lc_parcels *p, const lc_blocks *blocks, double gap,
                            lc_footprints *out)
{
    memset(out, 0, sizeof *out);
    out->items = lc_calloc(ctx, blocks->n ? blocks->n : 1, sizeof *out->items);
    if (!out->items) return LC_ENOMEM;
    out->n = blocks->n;
    /* blocks come largest first, so the long unions start first */
    job_data data = {p, blocks, gap, out};
    lc_parallel job = {footprint_item, footprint_thread_init, lc_area_thread_done,
                       sizeof(lc_area_calc), &data, "footprints"};
    lc_status rc = lc_parallel_for(ctx, blocks->n, &job);
    size_t outline = 0;
    for (size_t b = 0; b < out->n; b++) outline += out->items[b].on_outline != 0;
    if (rc == LC_OK && ctx->verbose && outline) {
        if (ctx->progress) ctx->progress(ctx->progress_data, NULL, 0, 0);  /* the progress line down first */
        fprintf(stderr, "landcons: footprints on the outline: %zu of %zu blocks\n", outline, out->n);
    }
    return rc;
}

void lc_footprints_release(GEOSContextHandle_t h, lc_footprints *f)
{
    for (size_t b = 0; b < f->n; b++)
        if (f->items[b].geom) GEOSGeom_destroy_r(h, f->items[b].geom);
    free(f->items);
    memset(f, 0, sizeof *f);
}
