/*
** Contiguous blocks (连片地块, SPEC §2): connected components of the graph
** whose nodes are transferred parcels and whose edges join parcels at most
** --gap metres apart. Candidate pairs come from an STRtree query with the
** envelope grown by the gap, and each candidate is tested exactly with a
** prepared geometry; pairs already in one component are skipped, so a
** 30,000-parcel block costs about one exact test per neighbour, never all
** pairs. Footprints close the union of a block's parcels by the gap.
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "area.h"
#include "adjacency.h"
#include "closing.h"
#include "coverage_union.h"
#include "geom.h"
#include "parallel.h"
#include "unionfind.h"

static int already_joined(size_t i, size_t j, void *uf)
{
    return lc_uf_find(uf, i) == lc_uf_find(uf, j);
}

static lc_status join(size_t i, size_t j, void *uf)
{
    lc_uf_union(uf, i, j);
    return LC_OK;
}

static int cmp_blocks(const void *pa, const void *pb)
{
    const lc_block *a = pa, *b = pb;
    if (a->parcel_m2 != b->parcel_m2) return a->parcel_m2 > b->parcel_m2 ? -1 : 1;
    if (!a->min_key || !b->min_key) return (a->min_key == NULL) - (b->min_key == NULL);
    return strcmp(a->min_key, b->min_key);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "code1,code2,..." of the distinct non-NULL values, sorted. */
static char *distinct_list(lc_ctx *ctx, lc_arena *arena, const char **values, size_t n)
{
    lc_sort(values, n, sizeof *values, cmp_str);
    size_t len = 1;
    for (size_t i = 0; i < n; i++) len += strlen(values[i]) + 1;
    char *buf = lc_malloc(ctx, len);
    if (!buf) return NULL;
    buf[0] = '\0';
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        if (i && !strcmp(values[i], values[i - 1])) continue;
        size_t l = strlen(values[i]);
        if (at) buf[at++] = ',';
        memcpy(buf + at, values[i], l);
        at += l;
        buf[at] = '\0';
    }
    char *r = lc_arena_strdup(arena, buf);
    free(buf);
    return r;
}

static lc_status unit_lists(lc_ctx *ctx, lc_analysis *a, lc_block *b)
{
    const char **v = lc_malloc(ctx, (b->n_members ? b->n_members : 1) * sizeof *v);
    if (!v) return LC_ENOMEM;
    for (int pass = 0; pass < 2; pass++) {
        size_t n = 0;
        for (size_t m = 0; m < b->n_members; m++) {
            const lc_parcel_state *st = &a->state[b->members[m]];
            const char *code = pass ? st->township : st->village;
            const char *name = lc_units_name(&a->units, code);
            if (code) v[n++] = name ? name : code;
        }
        char *list = distinct_list(ctx, &a->strings, v, n);
        if (!list) {
            free(v);
            return LC_ENOMEM;
        }
        if (pass) b->townships = list;
        else b->villages = list;
    }
    free(v);
    return LC_OK;
}

lc_status lc_blocks_build(lc_ctx *ctx, lc_analysis *a)
{
    const lc_parcels *p = a->parcels;
    size_t nt = a->totals.count[LC_ST_TRANSFERRED];
    if (nt == 0) return LC_OK;
    size_t *t = lc_malloc(ctx, nt * sizeof *t);
    size_t *root_block = lc_malloc(ctx, nt * sizeof *root_block);
    lc_uf uf = {0};
    GEOSGeometry **geoms = NULL;
    lc_status rc = LC_OK;
    if (!t || !root_block || lc_uf_init(&uf, nt)) {
        rc = lc_error(ctx, LC_ENOMEM, "out of memory");
        goto out;
    }
    size_t k = 0;
    for (size_t i = 0; i < p->n; i++)
        if (a->state[i].status == LC_ST_TRANSFERRED) t[k++] = i;
    if (a->have_adjacent) {
        /* the progress pass found every adjacent pair already */
        for (size_t e = 0; e < a->n_adjacent; e++) lc_uf_union(&uf, a->adjacent[e][0], a->adjacent[e][1]);
    } else {
        geoms = lc_malloc(ctx, nt * sizeof *geoms);
        if (!geoms) {
            rc = LC_ENOMEM;
            goto out;
        }
        for (k = 0; k < nt; k++) geoms[k] = p->items[t[k]].geom;
        rc = lc_adjacent_pairs(ctx, geoms, nt, a->opts.gap_m, already_joined, join, &uf);
        if (rc != LC_OK) goto out;
    }

    /* one block per root, members in parcel order */
    size_t nb = 0;
    for (k = 0; k < nt; k++) root_block[k] = SIZE_MAX;
    for (k = 0; k < nt; k++) {
        size_t r = lc_uf_find(&uf, k);
        if (root_block[r] == SIZE_MAX) root_block[r] = nb++;
    }
    a->blocks = lc_calloc(ctx, nb, sizeof *a->blocks);
    if (!a->blocks) {
        rc = LC_ENOMEM;
        goto out;
    }
    a->n_blocks = nb;
    for (k = 0; k < nt; k++) a->blocks[root_block[lc_uf_find(&uf, k)]].n_members++;
    for (size_t b = 0; b < nb; b++) {
        a->blocks[b].members = lc_malloc(ctx, a->blocks[b].n_members * sizeof(size_t));
        if (!a->blocks[b].members) {
            rc = LC_ENOMEM;
            goto out;
        }
        a->blocks[b].n_members = 0;
    }
    for (k = 0; k < nt; k++) {
        lc_block *b = &a->blocks[root_block[lc_uf_find(&uf, k)]];
        b->members[b->n_members++] = t[k];
    }
    for (size_t b = 0; b < nb; b++) {
        lc_block *blk = &a->blocks[b];
        lc_xsum s = {0}, se = {0};
        for (size_t m = 0; m < blk->n_members; m++) {
            const lc_parcel *it = &p->items[blk->members[m]];
            lc_xsum_add(&s, it->planar_m2);
            lc_xsum_add(&se, it->ellipsoidal_m2);
            if (it->key && (!blk->min_key || strcmp(it->key, blk->min_key) < 0)) blk->min_key = it->key;
        }
        blk->parcel_m2 = lc_xsum_value(&s);
        blk->parcel_ellipsoidal_m2 = lc_xsum_value(&se);
    }
    lc_sort(a->blocks, nb, sizeof *a->blocks, cmp_blocks);
    for (size_t b = 0; b < nb && rc == LC_OK; b++) {
        a->blocks[b].id = (int32_t)(b + 1);
        for (size_t m = 0; m < a->blocks[b].n_members; m++)
            a->state[a->blocks[b].members[m]].block_id = a->blocks[b].id;
        rc = unit_lists(ctx, a, &a->blocks[b]);
    }
    a->target_met = nb > 0 && lc_mu_from_m2(a->blocks[0].parcel_m2) >= a->opts.target_mu;
out:
    lc_uf_release(&uf);
    free(geoms);
    free(t);
    free(root_block);
    return rc;
}

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

/* Per-thread state of the footprint loop: the thread's own area calculator. */
static lc_status footprint_thread_init(lc_ctx *tctx, void *state, void *userdata)
{
    return lc_parcels_area_calc(tctx, ((const lc_analysis *)userdata)->parcels, state);
}

/* Blocks are independent: each is closed and measured on its own thread. */
static lc_status footprint_item(lc_ctx *tctx, size_t b, void *userdata)
{
    lc_analysis *a = userdata;
    lc_area_calc *calc = lc_thread_state(tctx);
    lc_block *blk = &a->blocks[b];
    blk->footprint = footprint_of(tctx, a->parcels, blk, a->opts.gap_m, &blk->on_outline);
    if (!blk->footprint) return LC_EINTERNAL;
    lc_status rc = lc_area_of(calc, blk->footprint, &blk->footprint_m2, &blk->footprint_ellipsoidal_m2);
    if (rc == LC_OK && lc_cancelled(tctx)) rc = lc_error(tctx, LC_EINTERRUPTED, "interrupted");
    return rc;
}

lc_status lc_footprints_build(lc_ctx *ctx, lc_analysis *a)
{
    /* blocks come largest first, so the long unions start first */
    lc_parallel job = {footprint_item, footprint_thread_init, lc_area_thread_done,
                       sizeof(lc_area_calc), a, "footprints"};
    lc_status rc = lc_parallel_for(ctx, a->n_blocks, &job);
    size_t outline = 0;
    for (size_t b = 0; b < a->n_blocks; b++) outline += a->blocks[b].on_outline != 0;
    if (rc == LC_OK && ctx->verbose && outline) {
        if (ctx->progress) ctx->progress(ctx->progress_data, NULL, 0, 0);  /* the progress line down first */
        fprintf(stderr, "landcons: footprints on the outline: %zu of %zu blocks\n", outline, a->n_blocks);
    }
    return rc;
}
