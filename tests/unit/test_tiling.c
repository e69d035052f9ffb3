/* lc_tiling_plan: the tiles of big blocks and the parcels near each tile,
** against a direct check of every (tile, parcel) pair: a parcel is in a
** tile's list exactly when its bounding box comes within the margin of the
** tile. Random rectangles (the seed is printed), some spanning several
** tiles; a small block gets no tiles; neighbouring tiles share their edge
** to the bit (the pieces' seams, coverage_union.c); a block whose parcels
** all sit on one spot still gets a tile. */
#include <stdlib.h>

#include "lc_test.h"
#include "tiling.h"

#define N 2400
#define BIG 1500        /* block 1: the first BIG parcels; block 2: the next 60 */
#define MIN_PARCELS 500
#define PER_TILE 100
#define MARGIN 7.0

typedef struct box { double x0, y0, x1, y1; } box;

static int near(const box *b, const lc_tile *t)
{
    return b->x0 - MARGIN <= t->x1 && b->x1 + MARGIN >= t->x0 && b->y0 - MARGIN <= t->y1 && b->y1 + MARGIN >= t->y0;
}

static int listed(const lc_tile *t, size_t m)
{
    for (size_t k = 0; k < t->n_members; k++)
        if (t->members[k] == m) return 1;
    return 0;
}

static void random_block(lc_ctx *ctx, unsigned seed)
{
    GEOSContextHandle_t h = ctx->geos;
    lc_parcel *items = calloc(N, sizeof *items);
    box *bx = calloc(N, sizeof *bx);
    size_t *m1 = calloc(BIG, sizeof *m1), *m2 = calloc(60, sizeof *m2);
    srand(seed);
    for (size_t i = 0; i < N; i++) {
        double x = 42500000.0 + (rand() % 1000000) / 1000.0, y = 5000000.0 + (rand() % 600000) / 1000.0;
        double w = 2 + (rand() % 28000) / 1000.0, hh = 2 + (rand() % 28000) / 1000.0;
        if (i % 97 == 0) w *= 12;   /* a long strip across tiles */
        bx[i] = (box){x, y, x + w, y + hh};
        items[i].geom = GEOSGeom_createRectangle_r(h, x, y, x + w, y + hh);
    }
    for (size_t i = 0; i < BIG; i++) m1[i] = i;
    for (size_t i = 0; i < 60; i++) m2[i] = BIG + i;
    lc_parcels p = {0};
    p.items = items;
    p.n = N;
    lc_block blk[2] = {{1, m1, BIG, 0, 0, NULL, NULL, NULL}, {2, m2, 60, 0, 0, NULL, NULL, NULL}};
    lc_blocks blocks = {blk, 2, NULL, {0}};
    lc_tiling t;
    lc_status rc = lc_tiling_plan(ctx, &p, &blocks, MIN_PARCELS, PER_TILE, MARGIN, &t);
    CHECK(rc == LC_OK, "plan: %s", lc_ctx_errmsg(ctx));
    if (rc == LC_OK) {
        CHECK(t.n >= 12 && t.n <= 18, "%zu tiles for %d parcels at %d a tile", t.n, BIG, PER_TILE);
        size_t wrong = 0, unsorted = 0, stray = 0;
        unsigned char *seen = calloc(N, 1);
        for (size_t k = 0; k < t.n; k++) {
            const lc_tile *tl = &t.tiles[k];
            stray += tl->block != 0;
            for (size_t j = 0; j + 1 < tl->n_members; j++) unsorted += tl->members[j] >= tl->members[j + 1];
            for (size_t m = 0; m < N; m++) {
                int want = m < BIG && near(&bx[m], tl);
                wrong += want != listed(tl, m);
                if (want) seen[m] = 1;
            }
        }
        size_t unseen = 0;
        for (size_t m = 0; m < BIG; m++) unseen += !seen[m];
        CHECK(!stray, "%zu tiles of the small block (under %d parcels)", stray, MIN_PARCELS);
        CHECK(!wrong, "%zu (tile, parcel) pairs listed otherwise than their boxes say (seed %u)", wrong, seed);
        CHECK(!unsorted, "%zu member lists out of order", unsorted);
        CHECK(!unseen, "%zu parcels of the block in no tile", unseen);
        /* neighbours share their edges exactly: every inner x0 is another's x1 */
        size_t unmatched = 0;
        for (size_t k = 0; k < t.n; k++) {
            int found_x = 0, found_y = 0, first_x = 1, first_y = 1;
            for (size_t j = 0; j < t.n; j++) {
                if (t.tiles[j].x1 == t.tiles[k].x0) found_x = 1;
                if (t.tiles[j].y1 == t.tiles[k].y0) found_y = 1;
                if (t.tiles[j].x0 < t.tiles[k].x0) first_x = 0;
                if (t.tiles[j].y0 < t.tiles[k].y0) first_y = 0;
            }
            unmatched += (!found_x && !first_x) + (!found_y && !first_y);
        }
        CHECK(!unmatched, "%zu inner tile edges that no neighbour shares bit for bit", unmatched);
        free(seen);
        lc_tiling_release(&t);
    }
    for (size_t i = 0; i < N; i++) GEOSGeom_destroy_r(h, items[i].geom);
    free(items);
    free(bx);
    free(m1);
    free(m2);
}

/* Every parcel on the same spot: an extent of no size still gets a tile. */
static void one_spot(lc_ctx *ctx)
{
    GEOSContextHandle_t h = ctx->geos;
    enum { M = 600 };
    lc_parcel items[M];
    size_t members[M];
    for (size_t i = 0; i < M; i++) {
        items[i] = (lc_parcel){0};
        items[i].geom = GEOSGeom_createRectangle_r(h, 10, 10, 10, 10);
        members[i] = i;
    }
    lc_parcels p = {0};
    p.items = items;
    p.n = M;
    lc_block blk = {1, members, M, 0, 0, NULL, NULL, NULL};
    lc_blocks blocks = {&blk, 1, NULL, {0}};
    lc_tiling t;
    CHECK(lc_tiling_plan(ctx, &p, &blocks, MIN_PARCELS, PER_TILE, MARGIN, &t) == LC_OK, "one spot: %s",
          lc_ctx_errmsg(ctx));
    size_t listed_all = 0;
    for (size_t k = 0; k < t.n; k++) listed_all += t.tiles[k].n_members == M;
    CHECK(t.n >= 1 && listed_all == t.n, "one spot: %zu tiles, %zu of them with every parcel", t.n, listed_all);
    lc_tiling_release(&t);
    for (size_t i = 0; i < M; i++) GEOSGeom_destroy_r(h, items[i].geom);
}

int main(int argc, char **argv)
{
    lc_ctx *ctx = lc_ctx_new();
    unsigned seed = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 20261201u;
    printf("seed %u\n", seed);
    for (unsigned k = 0; k < 3; k++) random_block(ctx, seed + k);
    one_spot(ctx);
    lc_ctx_free(ctx);
    return lc_test_report("test_tiling");
}
