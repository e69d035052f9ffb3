/*
** How well the register's keys fit the parcels' keys (SPEC §1a): the share
** of register keys that name a parcel and of parcels that have a register
** row, examples from both sides, keys Excel rounded into numbers, and — when
** the fit is poor — the parcel field whose values best match the register's
** keys, so a wrong --key is named instead of signing off every parcel as
** unregistered. The result borrows the keys it cites from the register and
** the parcels, which must outlive it.
*/
#ifndef LC_KEYMATCH_H
#define LC_KEYMATCH_H

#include "parcels.h"
#include "register.h"

#define LC_KEYMATCH_EXAMPLES 5

typedef struct lc_key_match {
    size_t register_keys, register_matched;  /* entries of the register */
    size_t parcels, parcels_matched;         /* parcels with a key */
    double register_share, parcel_share;     /* matched / all, 0 when none */
    const lc_reg_entry *unmatched_register[LC_KEYMATCH_EXAMPLES];
    size_t n_unmatched_register;
    const char *unmatched_parcel[LC_KEYMATCH_EXAMPLES];
    size_t n_unmatched_parcel;
    size_t mangled;                          /* unmatched keys that look rounded by Excel */
    char best_field[128];                    /* "" when no field matches better than the key */
    size_t best_field_matches;
} lc_key_match;

/*
** Measures the fit; entry_matched[k] tells whether a parcel has register
** entry k's key (lc_statuses). With `find_best`, every text and
** integer field of the parcels is tried for the best match.
*/
lc_status lc_key_match_measure(lc_ctx *ctx, const lc_parcels *p, const lc_register *r,
                               const unsigned char *entry_matched, int find_best, lc_key_match *out);

/* The explanation of a poor fit, for an error or a QA finding. */
void lc_key_match_explain(const lc_key_match *m, const lc_parcels *p, const lc_register *r,
                          const unsigned char *entry_matched, double min_share, char *buf, size_t cap);

#endif
