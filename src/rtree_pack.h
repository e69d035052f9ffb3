/*
** Bulk loading of an SQLite R*Tree. Inserting rows one by one into an
** rtree virtual table costs a descent and often a node split each; here the
** tree is packed bottom-up by Sort-Tile-Recursive (Leutenegger et al. 1997)
** and its nodes written straight into the table's shadow tables (%_node,
** %_rowid, %_parent), in the format SQLite's rtree module reads and keeps
** updating afterwards. Full nodes, so queries touch few pages.
*/
#ifndef LC_RTREE_PACK_H
#define LC_RTREE_PACK_H

#include <sqlite3.h>

#include "lc_internal.h"

/* A row's box (or a node's, on the levels above), as the rtree stores it. */
typedef struct lc_rtree_entry {
    sqlite3_int64 id;   /* rowid (leaf level) or node index (levels above) */
    float box[4];       /* minx maxx miny maxy */
} lc_rtree_entry;

/* Boxes gathered for one index while its rows are written (the writer
** knows each row's box then, and needs no second pass over the table). */
typedef struct lc_rtree_boxes {
    struct lc_rtree_entry *items;  /* owned */
    size_t n, cap;
} lc_rtree_boxes;

/* Adds row `id` with its box, rounded outwards to floats as the rtree
** module does. Returns 0, or -1 when out of memory (message on ctx). */
int lc_rtree_add(lc_ctx *ctx, lc_rtree_boxes *b, sqlite3_int64 id, double minx, double maxx, double miny,
                 double maxy);

/* Fills the existing, empty 2-D rtree virtual table `rtree` (columns id,
** minx, maxx, miny, maxy, 32-bit float coordinates) with the boxes of b
** (reordered and grown on the way; still b's to free). Returns LC_OK or an
** error on ctx. */
lc_status lc_rtree_pack_boxes(lc_ctx *ctx, sqlite3 *db, const char *rtree, lc_rtree_boxes *b);

void lc_rtree_boxes_free(lc_rtree_boxes *b);

/* Orders e[0..n) by the centre of their boxes on axis (0: x, 1: y), as the
** float sum of its two ends, then by id: the packing's sort. */
void lc_rtree_order(lc_rtree_entry *e, size_t n, int axis);

/* The same with the rows of `select_sql`, which must return id, minx, maxx,
** miny, maxy; rows with a NULL coordinate are skipped. */
lc_status lc_rtree_pack(lc_ctx *ctx, sqlite3 *db, const char *rtree, const char *select_sql);

#endif
