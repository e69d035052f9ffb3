/*
** The status of every parcel as of a date (SPEC §2; computed by status.c):
** the per-parcel facts every later phase reads. Types only, so a phase can
** take the states without the whole analysis.
*/
#ifndef LC_STATUS_H
#define LC_STATUS_H

#include "register.h"

typedef enum lc_parcel_status {
    LC_ST_TRANSFERRED = 0,
    LC_ST_PENDING,
    LC_ST_REFUSED,
    LC_ST_DISPUTED,
    LC_ST_UNREGISTERED,
    LC_ST_N
} lc_parcel_status;

const char *lc_parcel_status_name(lc_parcel_status s);
/* The status in the words of the bureau (已流转, 未签约, 拒签, 争议, 未登记). */
const char *lc_parcel_status_zh(lc_parcel_status s);

typedef struct lc_parcel_state {
    lc_parcel_status status;
    const lc_reg_entry *entry;   /* NULL when the key has no register row */
    int32_t block_id;            /* 0 unless transferred */
    int32_t enclave_of;          /* block id, 0 when not an enclave */
    const char *township, *village; /* unit codes (arena), NULL when unknown */
} lc_parcel_state;

#endif
