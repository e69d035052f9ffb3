/*
** The status of every parcel as of a date (SPEC §2), the first compute
** phase: from the parcels and the register (any may be absent) to each
** parcel's status, register entry and unit codes, the totals by status,
** and which register keys and parcels found no counterpart. The register's
** checks that need the parcels (keys without parcel, parcels without row,
** declared areas off the measured ones) go to the QA list given.
** The result owns its arrays and strings; it borrows the register entries
** and the parcels, which must outlive it.
*/
#ifndef LC_STATUS_H
#define LC_STATUS_H

#include "parcels.h"
#include "register.h"
#include "status_table.h"

typedef struct lc_parcel_state {
    lc_parcel_status status;
    const lc_reg_entry *entry;   /* NULL when the key has no register row */
    const char *township, *village; /* unit codes, NULL when unknown */
} lc_parcel_state;

typedef struct lc_status_totals {
    size_t count[LC_ST_N];
    double m2[LC_ST_N];          /* exact sums (lc_xsum) */
} lc_status_totals;

typedef struct lc_statuses {
    lc_parcel_state *state;      /* one per parcel */
    size_t n;
    lc_status_totals totals;
    double total_m2;
    unsigned char *entry_matched;/* per register entry: a parcel has its key */
    size_t *orphan_entries;      /* register entries that name no parcel, in key order */
    size_t n_orphan_entries;
    size_t *unregistered;        /* parcels (with a key) that have no register row */
    size_t n_unregistered;
    lc_arena strings;
} lc_statuses;

typedef struct lc_status_opts {
    int32_t as_of;               /* day number */
    const char *township_field;  /* NULL: the key's first 9 characters */
    const char *village_field;   /* NULL: the key's first 12 characters */
    double area_tolerance;       /* declared vs measured area, relative */
} lc_status_opts;

lc_status lc_status_run(lc_ctx *ctx, const lc_parcels *p, const lc_register *reg, const lc_status_opts *o,
                        lc_qa *qa, lc_statuses *out);
void lc_statuses_release(lc_statuses *s);

/* A parcel's status on a day, from its register entry (NULL: none). */
lc_parcel_status lc_status_on(const lc_reg_entry *e, int32_t day);

#endif
