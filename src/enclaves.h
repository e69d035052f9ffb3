/*
** Enclaves (SPEC §2): parcels not transferred whose point-on-surface lies
** inside a block footprint with its holes filled (the hold-outs), and gap
** enclaves, footprint holes in which no parcel lies (ponds, graves,
** unmapped land). A point inside several filled footprints (a block in the
** hole of another) belongs to the smallest, the innermost. The result owns
** its arrays and the gap enclaves' geometries.
*/
#ifndef LC_ENCLAVES_H
#define LC_ENCLAVES_H

#include "blocks.h"
#include "footprints.h"
#include "points.h"

typedef struct lc_enclave {
    int32_t block_id;
    size_t parcel;               /* parcel index; SIZE_MAX for a gap enclave */
    const char *key;             /* the parcel's key (borrowed), NULL for a gap */
    int64_t fid;
    GEOSGeometry *geom;          /* gap enclaves only (the hole); owned */
    double area_m2;
} lc_enclave;

typedef struct lc_enclaves {
    lc_enclave *items;           /* by block, parcel enclaves by key, gaps by area */
    size_t n;
    int32_t *enclave_of;         /* per parcel: the block it is an enclave of, 0 none */
    size_t *block_count;         /* per block (in block order): its enclaves */
    double *block_m2;            /* per block: their area */
} lc_enclaves;

lc_status lc_enclaves_run(lc_ctx *ctx, const lc_parcels *p, const lc_statuses *st, const lc_blocks *blocks,
                          const lc_footprints *fps, const lc_points *pts, lc_enclaves *out);
void lc_enclaves_release(GEOSContextHandle_t h, lc_enclaves *e);

#endif
