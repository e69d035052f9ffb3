/* Sort-Tile-Recursive packing of an SQLite R*Tree (see rtree_pack.h).
**
** A node of SQLite's rtree is one blob of the table's node size: a 2-byte
** tree depth (meaningful in the root only), a 2-byte cell count, then cells
** of an 8-byte id (a rowid in leaves, a child node number above) and the
** box as big-endian floats min0 max0 min1 max1. The root is node 1; every
** leaf entry has a %_rowid row naming its leaf, every other node a
** %_parent row naming its parent. */
#include <math.h>
#include <string.h>

#include "rtree_pack.h"

typedef struct entry {
    sqlite3_int64 id;   /* rowid (leaf level) or node index (levels above) */
    float box[4];       /* minx maxx miny maxy */
} entry;

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

/* Orders e[0..n) into STR tiles: vertical slices of `slice` entries by x,
** each sorted by y, so every run of `cap` entries is one node. */
static void str_order(entry *e, size_t n, size_t cap)
{
    size_t leaves = (n + cap - 1) / cap;
    size_t slices = (size_t)ceil(sqrt((double)leaves));
    size_t slice = ((leaves + slices - 1) / slices) * cap;
    lc_sort(e, n, sizeof *e, cmp_x);
    for (size_t s = 0; s < n; s += slice) lc_sort(e + s, n - s < slice ? n - s : slice, sizeof *e, cmp_y);
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

static lc_status read_entries(lc_ctx *ctx, sqlite3 *db, const char *rtree, const char *select_sql,
                              entry **out, size_t *n)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, select_sql, -1, &st, NULL) != SQLITE_OK) return sql_fail(ctx, db, rtree);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int null = 0;
        for (int c = 0; c < 5; c++) null |= sqlite3_column_type(st, c) == SQLITE_NULL;
        if (null) continue;
        if (lc_grow(ctx, (void **)out, &cap, *n + 1, sizeof **out)) {
            sqlite3_finalize(st);
            return LC_ENOMEM;
        }
        entry *e = &(*out)[(*n)++];
        e->id = sqlite3_column_int64(st, 0);
        e->box[0] = round_down(sqlite3_column_double(st, 1));
        e->box[1] = round_up(sqlite3_column_double(st, 2));
        e->box[2] = round_down(sqlite3_column_double(st, 3));
        e->box[3] = round_up(sqlite3_column_double(st, 4));
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

/* long: the leaves, the levels bottom-up and the root renumbering share the
** prepared statements and the node buffer of one packing. */
lc_status lc_rtree_pack(lc_ctx *ctx, sqlite3 *db, const char *rtree, const char *select_sql)
{
    enum { CELL = 8 + 4 * 4 };
    entry *ent = NULL;     /* all levels' entries, level after level */
    node *nodes = NULL;
    unsigned char *blob = NULL;
    sqlite3_stmt *ins_node = NULL, *ins_rowid = NULL, *ins_parent = NULL;
    size_t n_ent = 0, n_nodes = 0, node_cap = 0;
    int size = 0;
    lc_status rc = node_size(ctx, db, rtree, &size);
    if (rc == LC_OK) rc = read_entries(ctx, db, rtree, select_sql, &ent, &n_ent);
    if (rc != LC_OK || n_ent == 0) goto out;  /* nothing to index: the empty root stays */
    const size_t cap = (size_t)(size - 4) / CELL;

    /* levels bottom-up: each level's nodes become the next level's entries */
    size_t level_first = 0, level_n = n_ent, ent_cap = n_ent;
    for (int level = 0;; level++) {
        str_order(ent + level_first, level_n, cap);
        size_t first_node = n_nodes;
        for (size_t k = 0; k < level_n; k += cap) {
            if (lc_grow(ctx, (void **)&nodes, &node_cap, n_nodes + 1, sizeof *nodes)) {
                rc = LC_ENOMEM;
                goto out;
            }
            nodes[n_nodes++] = (node){level_first + k, level_n - k < cap ? level_n - k : cap, level, 0,
                                      SIZE_MAX};
        }
        size_t made = n_nodes - first_node;
        if (made == 1) break;
        if (lc_grow(ctx, (void **)&ent, &ent_cap, level_first + level_n + made, sizeof *ent)) {
            rc = LC_ENOMEM;
            goto out;
        }
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
    }
    /* the last node made is the root: node 1; the others 2, 3, ... */
    size_t root = n_nodes - 1;
    nodes[root].nodeno = 1;
    for (size_t k = 0; k < root; k++) nodes[k].nodeno = (sqlite3_int64)k + 2;
    for (size_t k = 0; k < n_nodes; k++)
        if (nodes[k].level > 0)
            for (size_t j = nodes[k].first; j < nodes[k].first + nodes[k].n; j++) nodes[ent[j].id].parent = k;

    rc = clear_tree(ctx, db, rtree);
    if (rc != LC_OK) goto out;
    char *sql[3] = {sqlite3_mprintf("INSERT INTO \"%w_node\" (nodeno, data) VALUES (?1, ?2)", rtree),
                    sqlite3_mprintf("INSERT INTO \"%w_rowid\" (rowid, nodeno) VALUES (?1, ?2)", rtree),
                    sqlite3_mprintf("INSERT INTO \"%w_parent\" (nodeno, parentnode) VALUES (?1, ?2)", rtree)};
    int ok = sql[0] && sql[1] && sql[2] && sqlite3_prepare_v2(db, sql[0], -1, &ins_node, NULL) == SQLITE_OK &&
             sqlite3_prepare_v2(db, sql[1], -1, &ins_rowid, NULL) == SQLITE_OK &&
             sqlite3_prepare_v2(db, sql[2], -1, &ins_parent, NULL) == SQLITE_OK;
    for (int i = 0; i < 3; i++) sqlite3_free(sql[i]);
    if (!ok) {
        rc = sql_fail(ctx, db, rtree);
        goto out;
    }
    blob = lc_malloc(ctx, (size_t)size);
    if (!blob) {
        rc = LC_ENOMEM;
        goto out;
    }
    for (size_t k = 0; k < n_nodes && rc == LC_OK; k++) {
        const node *nd = &nodes[k];
        memset(blob, 0, (size_t)size);
        if (k == root) blob[0] = (unsigned char)(nd->level >> 8), blob[1] = (unsigned char)nd->level;
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
            if (nd->level == 0) {
                sqlite3_bind_int64(ins_rowid, 1, e->id);
                sqlite3_bind_int64(ins_rowid, 2, nd->nodeno);
                if (sqlite3_step(ins_rowid) != SQLITE_DONE) rc = sql_fail(ctx, db, rtree);
                sqlite3_reset(ins_rowid);
            }
        }
        sqlite3_bind_int64(ins_node, 1, nd->nodeno);
        sqlite3_bind_blob(ins_node, 2, blob, size, SQLITE_STATIC);
        if (rc == LC_OK && sqlite3_step(ins_node) != SQLITE_DONE) rc = sql_fail(ctx, db, rtree);
        sqlite3_reset(ins_node);
        if (rc == LC_OK && k != root) {
            sqlite3_bind_int64(ins_parent, 1, nd->nodeno);
            sqlite3_bind_int64(ins_parent, 2, nodes[nd->parent].nodeno);
            if (sqlite3_step(ins_parent) != SQLITE_DONE) rc = sql_fail(ctx, db, rtree);
            sqlite3_reset(ins_parent);
        }
    }
out:
    sqlite3_finalize(ins_node);
    sqlite3_finalize(ins_rowid);
    sqlite3_finalize(ins_parent);
    free(blob);
    free(nodes);
    free(ent);
    return rc;
}
