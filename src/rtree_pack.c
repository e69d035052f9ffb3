/* Sort-Tile-Recursive packing of an SQLite R*Tree (see rtree_pack.h).
**
** A node of SQLite's rtree is one blob of the table's node size: a 2-byte
** tree depth (meaningful in the root only), a 2-byte cell count, then cells
** of an 8-byte id (a rowid in leaves, a child node number above) and the
** box as big-endian floats min0 max0 min1 max1. The root is node 1; every
** leaf entry has a %_rowid row naming its leaf, every other node a
** %_parent row naming its parent. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rtree_pack.h"

typedef lc_rtree_entry entry;

/* A leaf entry's %_rowid row. */
typedef struct rowid_row {
    sqlite3_int64 rowid, nodeno;
} rowid_row;

typedef struct node {
    size_t first, n;    /* its entries: level entries [first, first+n) */
    int level;          /* 0: leaf */
    sqlite3_int64 nodeno;
    size_t parent;      /* index of the parent node; SIZE_MAX: root */
} node;

static float round_down(double d)
{
    float f = (float)d;
    return (double)f > d ? nextafterf(f, -INFINITY) : f;
}

static float round_up(double d)
{
    float f = (float)d;
    return (double)f < d ? nextafterf(f, INFINITY) : f;
}

/*
** The STR order sorts entries by the centre of their box on one axis (as a
** float sum, as the boxes are floats), ties by id. A radix sort gives that
** order without a comparison per step: each entry becomes a record of its
** position and a 96-bit key (the centre's bits made to sort as unsigned
** integers above the id's), sorted 8 bits at a time from the lowest, the
** passes in which every record has the same digit skipped (an id's high
** bytes, mostly). A million parcels: the sorts of the parcels' index took
** a second of qsort.
*/
typedef struct sort_rec {
    uint64_t id;       /* the id, its sign bit flipped: unsigned order */
    uint32_t centre;   /* the centre's float bits, in unsigned order */
    uint32_t pos;      /* the entry's index before sorting */
} sort_rec;

/* Float bits in an order of unsigned integers matching the floats' (the
** two zeros alike, as < and > treat them); 0 for a NaN, reported by *nan. */
static uint32_t float_order(float f, int *nan)
{
    uint32_t u;
    if (f != f) {
        *nan = 1;
        return 0;
    }
    if (f == 0) f = 0;  /* -0 as +0 */
    memcpy(&u, &f, sizeof u);
    return u & 0x80000000u ? ~u : u | 0x80000000u;
}

static unsigned digit(const sort_rec *r, int d)
{
    return d < 8 ? (unsigned)(r->id >> (8 * d)) & 0xff : (r->centre >> (8 * (d - 8))) & 0xff;
}

/* Sorts e[0..n) by the centre on axis (0: x, 1: y), ties by id; 0 when
** memory or a NaN centre says the comparison sort must do it. */
static int radix_order(entry *e, size_t n, int axis)
{
    if (n > UINT32_MAX) return 0;
    sort_rec *r = malloc(2 * n * sizeof *r);
    entry *moved = malloc(n * sizeof *moved);
    size_t (*count)[256] = calloc(12, sizeof *count);
    int nan = 0;
    if (!r || !moved || !count) goto fail;
    for (size_t i = 0; i < n; i++) {
        float c = e[i].box[2 * axis] + e[i].box[2 * axis + 1];
        r[i] = (sort_rec){(uint64_t)e[i].id ^ (UINT64_C(1) << 63), float_order(c, &nan), (uint32_t)i};
        for (int d = 0; d < 12; d++) count[d][digit(&r[i], d)]++;
    }
    if (nan) goto fail;
    sort_rec *from = r, *to = r + n;
    for (int d = 0; d < 12; d++) {
        if (count[d][digit(&from[0], d)] == n) continue;  /* one value: the order stays */
        size_t at = 0;
        for (int v = 0; v < 256; v++) {
            size_t k = count[d][v];
            count[d][v] = at;
            at += k;
        }
        for (size_t i = 0; i < n; i++) to[count[d][digit(&from[i], d)]++] = from[i];
        sort_rec *t = from;
        from = to;
        to = t;
    }
    for (size_t i = 0; i < n; i++) moved[i] = e[from[i].pos];
    memcpy(e, moved, n * sizeof *e);
    free(r);
    free(moved);
    free(count);
    return 1;
fail:
    free(r);
    free(moved);
    free(count);
    return 0;
}

static int cmp_x(const void *a, const void *b)
{
    const entry *p = a, *q = b;
    float cp = p->box[0] + p->box[1], cq = q->box[0] + q->box[1];
    return cp < cq ? -1 : cp > cq ? 1 : (p->id > q->id) - (p->id < q->id);
}

static int cmp_y(const void *a, const void *b)
{
    const entry *p = a, *q = b;
    float cp = p->box[2] + p->box[3], cq = q->box[2] + q->box[3];
    return cp < cq ? -1 : cp > cq ? 1 : (p->id > q->id) - (p->id < q->id);
}

void lc_rtree_order(entry *e, size_t n, int axis)
{
    if (n >= 64 && radix_order(e, n, axis)) return;
    lc_sort(e, n, sizeof *e, axis ? cmp_y : cmp_x);
}

/* Orders e[0..n) into STR tiles: vertical slices of `slice` entries by x,
** each sorted by y, so every run of `cap` entries is one node. */
static void str_order(entry *e, size_t n, size_t cap)
{
    size_t leaves = (n + cap - 1) / cap;
    size_t slices = (size_t)ceil(sqrt((double)leaves));
    size_t slice = ((leaves + slices - 1) / slices) * cap;
    lc_rtree_order(e, n, 0);
    for (size_t s = 0; s < n; s += slice) lc_rtree_order(e + s, n - s < slice ? n - s : slice, 1);
}

static void put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static void put_be64(unsigned char *p, sqlite3_int64 v)
{
    put_be32(p, (uint32_t)((uint64_t)v >> 32));
    put_be32(p + 4, (uint32_t)(uint64_t)v);
}

static lc_status sql_fail(lc_ctx *ctx, sqlite3 *db, const char *rtree)
{
    return lc_error(ctx, LC_EINTERNAL, "spatial index %s: %s", rtree, sqlite3_errmsg(db));
}

static lc_status clear_tree(lc_ctx *ctx, sqlite3 *db, const char *rtree)
{
    char *sql = sqlite3_mprintf("DELETE FROM \"%w_node\"; DELETE FROM \"%w_rowid\"; DELETE FROM \"%w_parent\"",
                                rtree, rtree, rtree);
    if (!sql) return lc_error(ctx, LC_ENOMEM, "out of memory");
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_free(sql);
    return rc == SQLITE_OK ? LC_OK : sql_fail(ctx, db, rtree);
}

int lc_rtree_add(lc_ctx *ctx, lc_rtree_boxes *b, sqlite3_int64 id, double minx, double maxx, double miny,
                 double maxy)
{
    if (lc_grow(ctx, (void **)&b->items, &b->cap, b->n + 1, sizeof *b->items)) return -1;
    entry *e = &b->items[b->n++];
    e->id = id;
    e->box[0] = round_down(minx);
    e->box[1] = round_up(maxx);
    e->box[2] = round_down(miny);
    e->box[3] = round_up(maxy);
    return 0;
}

void lc_rtree_boxes_free(lc_rtree_boxes *b)
{
    free(b->items);
    memset(b, 0, sizeof *b);
}

static lc_status read_entries(lc_ctx *ctx, sqlite3 *db, const char *rtree, const char *select_sql,
                              lc_rtree_boxes *b)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, select_sql, -1, &st, NULL) != SQLITE_OK) return sql_fail(ctx, db, rtree);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int null = 0;
        for (int c = 0; c < 5; c++) null |= sqlite3_column_type(st, c) == SQLITE_NULL;
        if (null) continue;
        if (lc_rtree_add(ctx, b, sqlite3_column_int64(st, 0), sqlite3_column_double(st, 1),
                         sqlite3_column_double(st, 2), sqlite3_column_double(st, 3), sqlite3_column_double(st, 4))) {
            sqlite3_finalize(st);
            return LC_ENOMEM;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? LC_OK : sql_fail(ctx, db, rtree);
}

/* The table's node size, from the empty root the rtree module created. */
static lc_status node_size(lc_ctx *ctx, sqlite3 *db, const char *rtree, int *size)
{
    char *sql = sqlite3_mprintf("SELECT length(data) FROM \"%w_node\" WHERE nodeno = 1", rtree);
    if (!sql) return lc_error(ctx, LC_ENOMEM, "out of memory");
    sqlite3_stmt *st = NULL;
    int ok = sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW;
    *size = ok ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    sqlite3_free(sql);
    if (!ok) return sql_fail(ctx, db, rtree);
    if (*size < 4 + 2 * 24 || *size > 65536)
        return lc_error(ctx, LC_EINTERNAL, "spatial index %s: unexpected node size %d", rtree, *size);
    return LC_OK;
}

static int cmp_rowid(const void *a, const void *b)
{
    const rowid_row *p = a, *q = b;
    return (p->rowid > q->rowid) - (p->rowid < q->rowid);
}

/* The levels bottom-up, each level's nodes becoming the next level's
** entries (appended to b), the root last; node numbers given: the root 1,
** the others 2, 3, ... in order. */
static lc_status build_levels(lc_ctx *ctx, lc_rtree_boxes *b, size_t cap, node **nodes_out, size_t *n_nodes_out)
{
    node *nodes = NULL;
    size_t n_nodes = 0, node_cap = 0;
    size_t level_first = 0, level_n = b->n;
    for (int level = 0;; level++) {
        str_order(b->items + level_first, level_n, cap);
        size_t first_node = n_nodes;
        for (size_t k = 0; k < level_n; k += cap) {
            if (lc_grow(ctx, (void **)&nodes, &node_cap, n_nodes + 1, sizeof *nodes)) goto oom;
            nodes[n_nodes++] = (node){level_first + k, level_n - k < cap ? level_n - k : cap, level, 0, SIZE_MAX};
        }
        size_t made = n_nodes - first_node;
        if (made == 1) break;
        if (lc_grow(ctx, (void **)&b->items, &b->cap, level_first + level_n + made, sizeof *b->items)) goto oom;
        entry *ent = b->items;
        size_t next_first = level_first + level_n;
        for (size_t k = 0; k < made; k++) {
            const node *nd = &nodes[first_node + k];
            entry *up = &ent[next_first + k];
            up->id = (sqlite3_int64)(first_node + k);
            up->box[0] = up->box[2] = INFINITY;
            up->box[1] = up->box[3] = -INFINITY;
            for (size_t j = nd->first; j < nd->first + nd->n; j++) {
                up->box[0] = fminf(up->box[0], ent[j].box[0]);
                up->box[1] = fmaxf(up->box[1], ent[j].box[1]);
                up->box[2] = fminf(up->box[2], ent[j].box[2]);
                up->box[3] = fmaxf(up->box[3], ent[j].box[3]);
            }
        }
        level_first = next_first;
        level_n = made;
        b->n = level_first + level_n;
    }
    size_t root = n_nodes - 1;
    nodes[root].nodeno = 1;
    for (size_t k = 0; k < root; k++) nodes[k].nodeno = (sqlite3_int64)k + 2;
    for (size_t k = 0; k < n_nodes; k++)
        if (nodes[k].level > 0)
            for (size_t j = nodes[k].first; j < nodes[k].first + nodes[k].n; j++) nodes[b->items[j].id].parent = k;
    *nodes_out = nodes;
    *n_nodes_out = n_nodes;
    return LC_OK;
oom:
    free(nodes);
    return LC_ENOMEM;
}

/* One node's blob: depth (root only), cell count, cells. */
static void node_blob(unsigned char *blob, int size, const node *nd, int is_root, const entry *ent,
                      const node *nodes)
{
    enum { CELL = 8 + 4 * 4 };
    memset(blob, 0, (size_t)size);
    if (is_root) blob[0] = (unsigned char)(nd->level >> 8), blob[1] = (unsigned char)nd->level;
    blob[2] = (unsigned char)(nd->n >> 8);
    blob[3] = (unsigned char)nd->n;
    for (size_t j = 0; j < nd->n; j++) {
        const entry *e = &ent[nd->first + j];
        unsigned char *cell = blob + 4 + j * CELL;
        put_be64(cell, nd->level == 0 ? e->id : nodes[e->id].nodeno);
        for (int c = 0; c < 4; c++) {
            uint32_t bits;
            memcpy(&bits, &e->box[c], 4);
            put_be32(cell + 8 + 4 * c, bits);
        }
    }
}

static lc_status insert2(lc_ctx *ctx, sqlite3 *db, const char *rtree, sqlite3_stmt *st, sqlite3_int64 a,
                         sqlite3_int64 b)
{
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
    int r = sqlite3_step(st);
    sqlite3_reset(st);
    return r == SQLITE_DONE ? LC_OK : sql_fail(ctx, db, rtree);
}

/* The shadow tables' rows: every node, then the leaf entries' %_rowid rows
** in rowid order (appended to its b-tree rather than inserted all over
** it), then the %_parent rows. */
static lc_status write_nodes(lc_ctx *ctx, sqlite3 *db, const char *rtree, int size, const entry *ent,
                             const node *nodes, size_t n_nodes, size_t n_leaf_entries)
{
    sqlite3_stmt *ins[3] = {NULL, NULL, NULL};
    unsigned char *blob = lc_malloc(ctx, (size_t)size);
    rowid_row *rows = lc_malloc(ctx, (n_leaf_entries ? n_leaf_entries : 1) * sizeof *rows);
    lc_status rc = blob && rows ? clear_tree(ctx, db, rtree) : LC_ENOMEM;
    static const char *fmt[3] = {"INSERT INTO \"%w_node\" (nodeno, data) VALUES (?1, ?2)",
                                 "INSERT INTO \"%w_rowid\" (rowid, nodeno) VALUES (?1, ?2)",
                                 "INSERT INTO \"%w_parent\" (nodeno, parentnode) VALUES (?1, ?2)"};
    for (int i = 0; i < 3 && rc == LC_OK; i++) {
        char *sql = sqlite3_mprintf(fmt[i], rtree);
        if (!sql || sqlite3_prepare_v2(db, sql, -1, &ins[i], NULL) != SQLITE_OK) rc = sql_fail(ctx, db, rtree);
        sqlite3_free(sql);
    }
    size_t n_rows = 0, root = n_nodes - 1;
    for (size_t k = 0; k < n_nodes && rc == LC_OK; k++) {
        const node *nd = &nodes[k];
        node_blob(blob, size, nd, k == root, ent, nodes);
        for (size_t j = 0; nd->level == 0 && j < nd->n; j++) rows[n_rows++] = (rowid_row){ent[nd->first + j].id, nd->nodeno};
        sqlite3_bind_int64(ins[0], 1, nd->nodeno);
        sqlite3_bind_blob(ins[0], 2, blob, size, SQLITE_STATIC);
        if (sqlite3_step(ins[0]) != SQLITE_DONE) rc = sql_fail(ctx, db, rtree);
        sqlite3_reset(ins[0]);
    }
    if (rc == LC_OK) lc_sort(rows, n_rows, sizeof *rows, cmp_rowid);
    for (size_t j = 0; j < n_rows && rc == LC_OK; j++) rc = insert2(ctx, db, rtree, ins[1], rows[j].rowid, rows[j].nodeno);
    for (size_t k = 0; k < root && rc == LC_OK; k++)
        rc = insert2(ctx, db, rtree, ins[2], nodes[k].nodeno, nodes[nodes[k].parent].nodeno);
    for (int i = 0; i < 3; i++) sqlite3_finalize(ins[i]);
    free(rows);
    free(blob);
    return rc;
}

lc_status lc_rtree_pack_boxes(lc_ctx *ctx, sqlite3 *db, const char *rtree, lc_rtree_boxes *b)
{
    enum { CELL = 8 + 4 * 4 };
    int size = 0;
    lc_status rc = node_size(ctx, db, rtree, &size);
    if (rc != LC_OK || b->n == 0) return rc;  /* nothing to index: the empty root stays */
    size_t n_leaf_entries = b->n, n_nodes = 0;
    node *nodes = NULL;
    rc = build_levels(ctx, b, (size_t)(size - 4) / CELL, &nodes, &n_nodes);
    if (rc == LC_OK) rc = write_nodes(ctx, db, rtree, size, b->items, nodes, n_nodes, n_leaf_entries);
    free(nodes);
    return rc;
}

lc_status lc_rtree_pack(lc_ctx *ctx, sqlite3 *db, const char *rtree, const char *select_sql)
{
    lc_rtree_boxes b = {0};
    int size = 0;
    lc_status rc = node_size(ctx, db, rtree, &size);  /* a missing rtree fails before the query runs */
    if (rc == LC_OK) rc = read_entries(ctx, db, rtree, select_sql, &b);
    if (rc == LC_OK) rc = lc_rtree_pack_boxes(ctx, db, rtree, &b);
    lc_rtree_boxes_free(&b);
    return rc;
}
