/* Adjacent pairs by STRtree query and prepared DistanceWithin / Intersects,
** in strips of the plane on every core when there are many. */

#include <stdlib.h>
#include <string.h>

#include "adjacency.h"
#include "geom.h"
#include "parallel.h"
#include "ring_distance.h"
#include "spindex.h"

/* From this many geometries on, the pairs are searched in parallel. */
#define LC_PAIRS_PARALLEL_MIN 4096
/* Strips per thread, and at most this many geometries a strip: the copies
** the threads hold at a time stay small (a few per cent of the parcels). */
#define LC_PAIRS_STRIPS_PER_THREAD 4
#define LC_PAIRS_STRIP_MAX 16384
/* Up to this many geometries, a task running alongside (the overlap search
** beside the adjacency and the plan's search) takes the core the strips
** would have, and the serial search, without the strips' copies, is the
** faster. Above it the serial search's coordinates of every geometry, held
** to its end, cost memory (a million parcels: a peak of 1.86 GiB instead of
** 1.78), so the strips stay. */
#define LC_PAIRS_SERIAL_ALONGSIDE_MAX 131072

typedef double lc_box[4];    /* xmin, ymin, xmax, ymax */

/* The pairs (k, j), k < j, of geoms[own[0..n_own)] with geoms[index[..]]
** at most gap apart, in increasing (k, j) order: `geoms` are the caller's
** (the serial search) or this thread's copies of geoms[index[m]] at m.
** own and index ascending, own within index. */
typedef struct pair_scan {
    GEOSGeometry *const *geoms;
    const size_t *index;         /* NULL: geoms are numbered as the pairs */
    size_t n_index;
    const size_t *own;           /* NULL: all of index */
    size_t n_own;
    double gap;
    lc_pair_skip_fn skip;
    void *userdata;
} pair_scan;

static size_t global_of(const pair_scan *sc, size_t m) { return sc->index ? sc->index[m] : m; }

/* geoms[m] as coordinates in rings[m], loaded when first needed (a loaded
** lc_rings has its ring table, even for an empty geometry). */
static const lc_rings *rings_of(lc_ctx *ctx, lc_rings *rings, GEOSGeometry *const *geoms, size_t m)
{
    if (!rings[m].start && lc_rings_load(ctx, &rings[m], geoms[m]) != LC_OK) return NULL;
    return &rings[m];
}

/* Whether geoms[m] (k, prepared on demand in *prep) and geoms[hit] lie
** within the gap: from their coordinates (ring_distance.h) when the gap is
** positive and they are small, else by GEOS. 1, 0, or 2 on failure. */
static char near_pair(lc_ctx *ctx, const pair_scan *sc, lc_rings *rings, size_t m, size_t hit,
                      const GEOSPreparedGeometry **prep)
{
    GEOSContextHandle_t h = ctx->geos;
    if (sc->gap > 0) {
        const lc_rings *a = rings_of(ctx, rings, sc->geoms, m), *b = a ? rings_of(ctx, rings, sc->geoms, hit) : NULL;
        if (!b) return 2;
        int within = lc_rings_within(a, b, sc->gap);
        if (within >= 0) return (char)within;
    }
    if (!*prep && !(*prep = GEOSPrepare_r(h, sc->geoms[m]))) return 2;
    return sc->gap > 0 ? GEOSPreparedDistanceWithin_r(h, *prep, sc->geoms[hit], sc->gap)
                       : GEOSPreparedIntersects_r(h, *prep, sc->geoms[hit]);
}

static lc_status scan(lc_ctx *ctx, const pair_scan *sc, lc_pair_fn found, void *sink, int report)
{
    GEOSContextHandle_t h = ctx->geos;
    lc_spindex ix;
    lc_status rc = lc_spindex_init(ctx, &ix);
    if (rc != LC_OK) return rc;
    size_t n_alloc = sc->n_index ? sc->n_index : 1;
    lc_rings *rings = lc_calloc(ctx, n_alloc, sizeof *rings);  /* the geometries' coordinates, loaded lazily */
    if (!rings) rc = LC_ENOMEM;
    for (size_t m = 0; m < sc->n_index && rc == LC_OK; m++) lc_spindex_insert(ctx, &ix, sc->geoms[m], m);
    size_t n_own = sc->own ? sc->n_own : sc->n_index;
    for (size_t o = 0, m = 0; o < n_own && rc == LC_OK; o++, m++) {
        size_t k = sc->own ? sc->own[o] : o;
        while (global_of(sc, m) != k) m++;   /* own within index, both ascending */
        double b[4];
        lc_geom_box(h, sc->geoms[m], b);
        GEOSGeometry *env = GEOSGeom_createRectangle_r(h, b[0] - sc->gap, b[1] - sc->gap, b[2] + sc->gap,
                                                       b[3] + sc->gap);
        if (!env) {
            rc = lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
            break;
        }
        rc = lc_spindex_query(ctx, &ix, env);
        GEOSGeom_destroy_r(h, env);
        if (rc != LC_OK) break;
        const GEOSPreparedGeometry *prep = NULL;
        for (size_t q = 0; q < ix.n_hits && rc == LC_OK; q++) {
            size_t j = global_of(sc, ix.hits[q]);
            if (j <= k || (sc->skip && sc->skip(k, j, sc->userdata))) continue;
            char near = near_pair(ctx, sc, rings, m, ix.hits[q], &prep);
            if (near == 2) rc = lc_error(ctx, LC_EINTERNAL, "GEOS adjacency test failed: %s", ctx->geos_msg);
            else if (near) rc = found(k, j, sink);
        }
        if (prep) GEOSPreparedGeom_destroy_r(h, prep);
        if ((o & 1023) == 0) {
            if (lc_cancelled(ctx)) rc = lc_error(ctx, LC_EINTERRUPTED, "interrupted");
            if (report) lc_report_progress(ctx, "adjacency", o, n_own);
        }
    }
    for (size_t m = 0; rings && m < sc->n_index; m++) lc_rings_release(&rings[m]);
    free(rings);
    lc_spindex_release(ctx, &ix);
    return rc;
}

/* A growing list of pairs, filled as an lc_pair_fn (push_pair). */
typedef struct pair_vec {
    lc_ctx *ctx;                 /* where an allocation failure is told */
    size_t (*items)[2];
    size_t n, cap;
} pair_vec;

static lc_status push_pair(size_t k, size_t j, void *vec)
{
    pair_vec *v = vec;
    if (lc_grow(v->ctx, (void **)&v->items, &v->cap, v->n + 1, sizeof *v->items)) return LC_ENOMEM;
    v->items[v->n][0] = k;
    v->items[v->n][1] = j;
    v->n++;
    return LC_OK;
}

/* One strip of the plane: the geometries whose pairs it finds (their box
** centres in the strip), those whose boxes reach within the gap of theirs,
** and the pairs found. */
typedef struct pair_strip {
    size_t *own, n_own;
    size_t *index, n_index;
    pair_vec pairs;
} pair_strip;

typedef struct pair_job {
    GEOSGeometry *const *geoms;
    double gap;
    lc_pair_skip_fn skip;
    void *userdata;
    pair_strip *strips;
} pair_job;


/* A strip on a worker, on the worker's own copies (see lc_geom_copy_to). */
static lc_status strip_item(lc_ctx *tctx, size_t s, void *userdata)
{
    const pair_job *J = userdata;
    pair_strip *st = &J->strips[s];
    GEOSGeometry **copies = lc_calloc(tctx, st->n_index ? st->n_index : 1, sizeof *copies);
    lc_status rc = copies ? LC_OK : LC_ENOMEM;
    for (size_t m = 0; m < st->n_index && rc == LC_OK; m++)
        if (!(copies[m] = lc_geom_copy_to(tctx, J->geoms[st->index[m]]))) rc = LC_EINTERNAL;
    st->pairs.ctx = tctx;
    pair_scan sc = {copies, st->index, st->n_index, st->own, st->n_own, J->gap, J->skip, J->userdata};
    if (rc == LC_OK) rc = scan(tctx, &sc, push_pair, &st->pairs, 0);
    for (size_t m = 0; copies && m < st->n_index; m++)
        if (copies[m]) GEOSGeom_destroy_r(tctx->geos, copies[m]);
    free(copies);
    return rc;
}

typedef struct centre { double x; size_t k; } centre;

static int by_centre_x(const void *a, const void *b)
{
    const centre *p = a, *q = b;
    if (p->x != q->x) return p->x < q->x ? -1 : 1;
    return p->k < q->k ? -1 : p->k > q->k;
}

/* The strips' pairs (k, j), k < n, gathered in (k, j) order into *out: a
** count of the pairs of each k places them, then the few j of each k are
** put in order by insertion (a general sort of millions of pairs costs
** more than the search on a million parcels). */
static lc_status gather_pairs(lc_ctx *ctx, pair_strip *strips, size_t ns, size_t n, size_t (**out)[2],
                              size_t *n_out)
{
    size_t total = 0;
    for (size_t s = 0; s < ns; s++) total += strips[s].pairs.n;
    size_t *first = lc_calloc(ctx, n + 1, sizeof *first);
    size_t (*all)[2] = lc_malloc(ctx, (total ? total : 1) * sizeof *all);
    if (!first || !all) {
        free(first);
        free(all);
        return LC_ENOMEM;
    }
    for (size_t s = 0; s < ns; s++)
        for (size_t e = 0; e < strips[s].pairs.n; e++) first[strips[s].pairs.items[e][0] + 1]++;
    for (size_t k = 0; k < n; k++) first[k + 1] += first[k];
    for (size_t s = 0; s < ns; s++) {
        for (size_t e = 0; e < strips[s].pairs.n; e++) {
            size_t k = strips[s].pairs.items[e][0], at = first[k]++;
            all[at][0] = k;
            all[at][1] = strips[s].pairs.items[e][1];
        }
        free(strips[s].pairs.items);
        strips[s].pairs.items = NULL;
    }
    /* first[k] is now where k's pairs end; k's begin where k - 1's end */
    for (size_t k = 0, begin = 0; k < n; begin = first[k++])
        for (size_t a = begin + 1; a < first[k]; a++) {
            size_t j = all[a][1], b = a;
            for (; b > begin && all[b - 1][1] > j; b--) all[b][1] = all[b - 1][1];
            all[b][1] = j;
        }
    free(first);
    *out = all;
    *n_out = total;
    return LC_OK;
}

/* Cuts the plane into ns strips across x, each holding about n / ns box
** centres, and lists each strip's geometries and those reaching it. */
static lc_status make_strips(lc_ctx *ctx, const lc_box *box, size_t n, double gap, pair_strip *strips, size_t ns)
{
    centre *order = lc_malloc(ctx, n * sizeof *order);
    if (!order) return LC_ENOMEM;
    for (size_t k = 0; k < n; k++) order[k] = (centre){box[k][0] + box[k][2], k};
    lc_sort(order, n, sizeof *order, by_centre_x);
    lc_status rc = LC_OK;
    for (size_t s = 0; s < ns && rc == LC_OK; s++) {
        pair_strip *st = &strips[s];
        size_t a = s * n / ns, b = (s + 1) * n / ns;
        st->n_own = b - a;
        if (!(st->own = lc_malloc(ctx, (st->n_own ? st->n_own : 1) * sizeof *st->own))) rc = LC_ENOMEM;
        double lo = 0, hi = 0;
        for (size_t o = 0; rc == LC_OK && o < st->n_own; o++) {
            const double *bx = box[st->own[o] = order[a + o].k];
            if (o == 0 || bx[0] < lo) lo = bx[0];
            if (o == 0 || bx[2] > hi) hi = bx[2];
        }
        if (rc != LC_OK) break;
        lc_sort(st->own, st->n_own, sizeof *st->own, lc_cmp_size);
        lo -= gap;
        hi += gap;
        size_t cap = 0;
        for (size_t j = 0; j < n && rc == LC_OK; j++) {
            if (box[j][2] < lo || box[j][0] > hi) continue;
            if (lc_grow(ctx, (void **)&st->index, &cap, st->n_index + 1, sizeof *st->index)) rc = LC_ENOMEM;
            else st->index[st->n_index++] = j;
        }
    }
    free(order);
    return rc;
}

/* The parallel search: strips on the workers, then every pair found handed
** to `found` in the serial search's order. */
static lc_status pairs_in_strips(lc_ctx *ctx, GEOSGeometry *const *geoms, size_t n, double gap,
                                 lc_pair_skip_fn skip, lc_pair_fn found, void *userdata)
{
    size_t ns = (size_t)lc_thread_count(ctx) * LC_PAIRS_STRIPS_PER_THREAD;
    if (n / ns > LC_PAIRS_STRIP_MAX) ns = (n + LC_PAIRS_STRIP_MAX - 1) / LC_PAIRS_STRIP_MAX;
    lc_box *box = lc_malloc(ctx, n * sizeof *box);
    pair_strip *strips = lc_calloc(ctx, ns, sizeof *strips);
    lc_status rc = box && strips ? LC_OK : LC_ENOMEM;
    for (size_t k = 0; k < n && rc == LC_OK; k++) lc_geom_box(ctx->geos, geoms[k], box[k]);
    if (rc == LC_OK) rc = make_strips(ctx, box, n, gap, strips, ns);
    pair_job J = {geoms, gap, skip, userdata, strips};
    lc_parallel job = {strip_item, NULL, NULL, 0, &J, "adjacency"};
    if (rc == LC_OK) rc = lc_parallel_for(ctx, ns, &job);
    size_t total = 0;
    size_t (*all)[2] = NULL;
    if (rc == LC_OK) rc = gather_pairs(ctx, strips, ns, n, &all, &total);
    for (size_t e = 0; rc == LC_OK && e < total; e++) rc = found(all[e][0], all[e][1], userdata);
    free(all);
    for (size_t s = 0; strips && s < ns; s++) {
        free(strips[s].own);
        free(strips[s].index);
        free(strips[s].pairs.items);
    }
    free(strips);
    free(box);
    return rc;
}

lc_status lc_adjacent_pairs(lc_ctx *ctx, GEOSGeometry *const *geoms, size_t n, double gap,
                            lc_pair_skip_fn skip, lc_pair_fn found, void *userdata)
{
    int busy = n <= LC_PAIRS_SERIAL_ALONGSIDE_MAX ? ctx->alongside : 0;   /* cores taken alongside */
    if (n >= LC_PAIRS_PARALLEL_MIN && lc_thread_count(ctx) - busy > 1)
        return pairs_in_strips(ctx, geoms, n, gap, skip, found, userdata);
    pair_scan sc = {geoms, NULL, n, NULL, 0, gap, skip, userdata};
    return scan(ctx, &sc, found, userdata, 1);
}

lc_status lc_adjacency_run(lc_ctx *ctx, const lc_parcels *p, const unsigned char *transferred, double gap,
                           lc_adjacency *out)
{
    size_t n = p->n;
    memset(out, 0, sizeof *out);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) k += transferred[i] != 0;
    out->nodes = lc_malloc(ctx, (k ? k : 1) * sizeof *out->nodes);
    GEOSGeometry **g = lc_malloc(ctx, (k ? k : 1) * sizeof *g);
    lc_status rc = out->nodes && g ? LC_OK : LC_ENOMEM;
    for (size_t i = 0; i < n && rc == LC_OK; i++)
        if (transferred[i]) {
            g[out->n_nodes] = p->items[i].geom;
            out->nodes[out->n_nodes++] = i;
        }
    pair_vec edges = {ctx, NULL, 0, 0};
    if (rc == LC_OK && out->n_nodes) rc = lc_adjacent_pairs(ctx, g, out->n_nodes, gap, NULL, push_pair, &edges);
    out->edges = edges.items;
    out->n_edges = edges.n;
    free(g);
    if (rc != LC_OK) lc_adjacency_release(out);
    return rc;
}

void lc_adjacency_release(lc_adjacency *g)
{
    free(g->nodes);
    free(g->edges);
    memset(g, 0, sizeof *g);
}
