/*
** The status of every parcel as of a date (SPEC §2; computed by status.c):
** the per-parcel facts every later phase reads. Types only, so a phase can
** take the states without the whole analysis.
*/
#ifndef LC_STATUS_H
#define LC_STATUS_H

#include "register.h"
#include "status_table.h"

typedef struct lc_parcel_state {
    lc_parcel_status status;
    const lc_reg_entry *entry;   /* NULL when the key has no register row */
    int32_t block_id;            /* 0 unless transferred */
    int32_t enclave_of;          /* block id, 0 when not an enclave */
    const char *township, *village; /* unit codes (arena), NULL when unknown */
} lc_parcel_state;

#endif
