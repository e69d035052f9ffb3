/*
** Totals by township and village: parcel counts and exact m² by status and
** the enclave parcels, computed once on the compute side from the parcel
** states so every output (the cadres' lists, the report) shows the same
** figures.
**
** A pure function of its inputs: the states give each parcel's status and
** unit codes, the parcels its planar area, the enclaves phase which parcels
** are enclaves. The result owns its rows; the code strings in them are
** borrowed from the states.
*/
#ifndef LC_UNIT_TOTALS_H
#define LC_UNIT_TOTALS_H

#include "parcels.h"
#include "status.h"
#include "units.h"

typedef struct lc_unit_total {
    lc_unit_kind kind;           /* LC_UNIT_TOWNSHIP or LC_UNIT_VILLAGE */
    const char *township;        /* code, NULL for parcels without one */
    const char *village;         /* code on village rows, NULL there when unknown;
                                 ** always NULL on township rows */
    size_t parcels;
    size_t count[LC_ST_N];
    double total_m2;             /* exact sums (lc_xsum) of planar areas */
    double m2[LC_ST_N];
    double registered_m2;        /* parcels with a register row: every status but unregistered */
    size_t enclaves;             /* parcels that are enclaves of a block (enclave_of != 0) */
} lc_unit_total;

typedef struct lc_unit_totals {
    /* Each township (by code, the one without a code last) followed by its
    ** villages (by code, unknown last). A village is listed under the
    ** township of its parcels: one whose parcels carry two township codes
    ** (--township-field and --village-field disagreeing) has a row under
    ** each, so a township's villages always add up to the township. */
    lc_unit_total *rows;
    size_t n;
    lc_unit_total all;           /* every parcel; kind 0, no codes */
} lc_unit_totals;

/*
** Groups parcels 0..n-1 (state[i] and parcels[i] describe parcel i) by
** township and village code. The codes are compared by content; states and
** parcels only need status, township, village and planar_m2. enclave_of[i]
** is the block parcel i is an enclave of, 0 when none (the enclaves phase's
** enclave_of); NULL when no enclave was computed: every count is then 0.
** Fills *out (zeroed first); LC_ENOMEM on failure, with *out empty.
*/
lc_status lc_unit_totals_compute(lc_ctx *ctx, const lc_parcel_state *state, const lc_parcel *parcels,
                                 const int32_t *enclave_of, size_t n, lc_unit_totals *out);
void lc_unit_totals_release(lc_unit_totals *t);

#endif
