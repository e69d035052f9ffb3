/*
** Contiguous blocks: union-find over the adjacency graph's edges, then one
** block per component, ordered by exact parcel area and smallest key.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "blocks.h"
#include "unionfind.h"

static int cmp_blocks(const void *pa, const void *pb)
{
    const lc_block *a = pa, *b = pb;
    if (a->parcel_m2 != b->parcel_m2) return a->parcel_m2 > b->parcel_m2 ? -1 : 1;
    if (!a->min_key || !b->min_key) {
        if (a->min_key || b->min_key) return (a->min_key == NULL) - (b->min_key == NULL);
    } else {
        int c = strcmp(a->min_key, b->min_key);
        if (c) return c;
    }
    /* equal areas and smallest keys (a key shared by parcels of two blocks,
    ** or none): the first parcel decides, whatever qsort does with ties */
    return (a->members[0] > b->members[0]) - (a->members[0] < b->members[0]);
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

static lc_status unit_lists(lc_ctx *ctx, const lc_statuses *st, const lc_units *units, lc_blocks *out, lc_block *b)
{
    const char **v = lc_malloc(ctx, (b->n_members ? b->n_members : 1) * sizeof *v);
    if (!v) return LC_ENOMEM;
    for (int pass = 0; pass < 2; pass++) {
        size_t n = 0;
        for (size_t m = 0; m < b->n_members; m++) {
            const lc_parcel_state *s = &st->state[b->members[m]];
            const char *code = pass ? s->township : s->village;
            const char *name = lc_units_name(units, code);
            if (code) v[n++] = name ? name : code;
        }
        char *list = distinct_list(ctx, &out->strings, v, n);
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

/* Members of each component, in parcel order, and their exact sums. */
static lc_status components(lc_ctx *ctx, const lc_parcels *p, const lc_adjacency *g, lc_uf *uf, lc_blocks *out)
{
    size_t nt = g->n_nodes;
    size_t *root_block = lc_malloc(ctx, (nt ? nt : 1) * sizeof *root_block);
    if (!root_block) return LC_ENOMEM;
    size_t nb = 0;
    for (size_t k = 0; k < nt; k++) root_block[k] = SIZE_MAX;
    for (size_t k = 0; k < nt; k++) {
        size_t r = lc_uf_find(uf, k);
        if (root_block[r] == SIZE_MAX) root_block[r] = nb++;
    }
    out->items = lc_calloc(ctx, nb ? nb : 1, sizeof *out->items);
    lc_status rc = out->items ? LC_OK : LC_ENOMEM;
    out->n = rc == LC_OK ? nb : 0;
    for (size_t k = 0; k < nt && rc == LC_OK; k++) out->items[root_block[lc_uf_find(uf, k)]].n_members++;
    for (size_t b = 0; b < out->n && rc == LC_OK; b++) {
        out->items[b].members = lc_malloc(ctx, out->items[b].n_members * sizeof(size_t));
        if (!out->items[b].members) rc = LC_ENOMEM;
        out->items[b].n_members = 0;
    }
    for (size_t k = 0; k < nt && rc == LC_OK; k++) {
        lc_block *b = &out->items[root_block[lc_uf_find(uf, k)]];
        b->members[b->n_members++] = g->nodes[k];
    }
    for (size_t b = 0; b < out->n && rc == LC_OK; b++) {
        lc_block *blk = &out->items[b];
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
    free(root_block);
    return rc;
}

lc_status lc_blocks_run(lc_ctx *ctx, const lc_parcels *p, const lc_statuses *st, const lc_adjacency *g,
                        const lc_units *units, lc_blocks *out)
{
    memset(out, 0, sizeof *out);
    out->block_of = lc_calloc(ctx, p->n ? p->n : 1, sizeof *out->block_of);
    if (!out->block_of) return LC_ENOMEM;
    if (g->n_nodes == 0) return LC_OK;
    lc_uf uf = {0};
    if (lc_uf_init(&uf, g->n_nodes)) return lc_error(ctx, LC_ENOMEM, "out of memory");
    for (size_t e = 0; e < g->n_edges; e++) lc_uf_union(&uf, g->edges[e][0], g->edges[e][1]);
    lc_status rc = components(ctx, p, g, &uf, out);
    lc_uf_release(&uf);
    if (rc != LC_OK) return rc;
    lc_sort(out->items, out->n, sizeof *out->items, cmp_blocks);
    for (size_t b = 0; b < out->n && rc == LC_OK; b++) {
        out->items[b].id = (int32_t)(b + 1);
        for (size_t m = 0; m < out->items[b].n_members; m++) out->block_of[out->items[b].members[m]] = out->items[b].id;
        rc = unit_lists(ctx, st, units, out, &out->items[b]);
    }
    return rc;
}

void lc_blocks_release(lc_blocks *b)
{
    for (size_t k = 0; k < b->n; k++) free(b->items[k].members);
    free(b->items);
    free(b->block_of);
    lc_arena_release(&b->strings);
    memset(b, 0, sizeof *b);
}
