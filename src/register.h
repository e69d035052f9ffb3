/*
** The transfer register (SPEC §1): one row per parcel contract, read from
** CSV (UTF-8 or GBK) or XLSX through OGR, consolidated to one entry per key.
** The register owns its rows, entries and strings.
*/
#ifndef LC_REGISTER_H
#define LC_REGISTER_H

#include "arena.h"
#include "encoding.h"
#include "lc_internal.h"
#include "qa.h"

typedef enum lc_reg_status {
    LC_REG_SIGNED = 0,
    LC_REG_PENDING,
    LC_REG_REFUSED,
    LC_REG_DISPUTED,
    LC_REG_N
} lc_reg_status;

/* Column roles; --map ROLE=HEADER names them explicitly. */
typedef enum lc_reg_col {
    LC_COL_KEY = 0, LC_COL_STATUS, LC_COL_DATE, LC_COL_AREA, LC_COL_HOLDER, LC_COL_TRANSFEREE,
    LC_COL_N
} lc_reg_col;

typedef struct lc_reg_row {
    const char *key;
    lc_reg_status status;
    int32_t signed_on;        /* LC_NO_DATE when empty */
    double declared_mu;       /* NaN when empty */
    const char *holder, *transferee; /* NULL when empty */
    int64_t line;             /* row in the file, header = 1 */
} lc_reg_row;

/* One key after duplicate rows are resolved. */
typedef struct lc_reg_entry {
    const char *key;
    lc_reg_status status;
    int32_t signed_on;
    double declared_mu;
    const char *holder, *transferee;
    int64_t line;             /* first row of the key */
    int rows;                 /* rows that carried this key */
    int matched;              /* set by the caller when a parcel has the key */
} lc_reg_entry;

typedef struct lc_register_opts {
    const char *map[LC_COL_N]; /* explicit headers, NULL: recognised names */
    const char *encoding;      /* CSV text encoding override */
    int32_t today;             /* dates after this are reported */
} lc_register_opts;

typedef struct lc_register {
    char path[1024];
    char display[256];         /* file name used in messages */
    char format[16];           /* "CSV" or "XLSX" */
    lc_encoding encoding;
    char header[LC_COL_N][128];/* the header each role was found under, "" none */
    lc_reg_row *rows;
    size_t n_rows;
    lc_reg_entry *entries;     /* sorted by key */
    size_t n_entries;
    lc_arena strings;
} lc_register;

/* Parses a status word (signed/已签约/...); returns 0 when unknown. */
int lc_reg_status_parse(const char *s, lc_reg_status *out);
const char *lc_reg_status_name(lc_reg_status s);

/* Parses "ROLE=HEADER" into opts->map; LC_EINPUT on an unknown role. */
lc_status lc_register_map_option(lc_ctx *ctx, lc_register_opts *opts, const char *spec);

/*
** Reads and consolidates the register. Findings (duplicates, missing dates,
** dates after opts->today) go to qa; an unreadable file, a missing key,
** status or date column, an unknown status or an unreadable date is an
** LC_EINPUT error naming the file, row and column.
*/
lc_status lc_register_read(lc_ctx *ctx, const char *path, const lc_register_opts *opts,
                           lc_qa *qa, lc_register **out);
void lc_register_free(lc_register *r);

/* Binary search by key; NULL when absent. */
lc_reg_entry *lc_register_find(const lc_register *r, const char *key);

#endif
