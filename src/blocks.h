/*
** Contiguous blocks (连片地块, SPEC §2): the connected components of the
** adjacency graph of the transferred parcels, numbered 1..N by descending
** parcel area, ties by the smallest key. Each block's parcel area is an
** exact sum (lc_xsum), so it equals the progress series' largest block bit
** for bit. The result owns its arrays and strings.
*/
#ifndef LC_BLOCKS_H
#define LC_BLOCKS_H

#include "adjacency.h"
#include "parcels.h"
#include "status.h"
#include "units.h"

typedef struct lc_block {
    int32_t id;
    size_t *members;             /* parcel indices, ascending */
    size_t n_members;
    double parcel_m2;            /* exact sum of member planar areas */
    double parcel_ellipsoidal_m2;
    const char *min_key;         /* tie-break of the ordering (borrowed) */
    char *villages, *townships;  /* comma-separated names (codes where unnamed) */
} lc_block;

typedef struct lc_blocks {
    lc_block *items;             /* by id: items[k].id == k + 1 */
    size_t n;
    int32_t *block_of;           /* per parcel: its block id, 0 unless transferred */
    lc_arena strings;
} lc_blocks;

/* The blocks of the graph g over parcels p (unit names from `units`, may be
** empty). */
lc_status lc_blocks_run(lc_ctx *ctx, const lc_parcels *p, const lc_statuses *st, const lc_adjacency *g,
                        const lc_units *units, lc_blocks *out);
void lc_blocks_release(lc_blocks *b);

#endif
