/*
** The transfer register (SPEC §1, §1a): one row per parcel contract, read
** from a CSV (UTF-8, GBK or UTF-16) or a workbook (XLSX, XLS, ODS) as
** township clerks keep them — a title above the header, a two-row header,
** an instructions sheet first, totals and blank rows, synonyms of headers
** and status words — and consolidated to one entry per key.
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
    int32_t signed_on;        /* LC_NO_DATE when empty or unusable */
    double declared_mu;       /* NaN when empty */
    const char *holder, *transferee; /* NULL when empty */
    int64_t line;             /* row in the sheet (CSV: record), from 1 */
    int mangled;              /* the key looks like a number Excel rounded (2.30113E+18) */
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
    int mangled;
} lc_reg_entry;

#define LC_MAX_STATUS_MAPS LC_MAX_STATUS_WORDS

typedef struct lc_register_opts {
    const char *map[LC_COL_N]; /* explicit headers ("@C": column C), NULL: recognised names */
    const char *encoding;      /* CSV text encoding override */
    const char *sheet;         /* sheet name or 1-based number; NULL: the first with a header */
    const char *status_words[LC_MAX_STATUS_MAPS]; /* --status-map WORD=..., borrowed */
    size_t status_word_len[LC_MAX_STATUS_MAPS];   /* bytes of WORD */
    lc_reg_status status_values[LC_MAX_STATUS_MAPS];
    int n_status_maps;
    int32_t today;             /* dates after this are reported */
    int32_t as_of;             /* with today: dates beyond a year after both are implausible */
    int findings_only;         /* check: unknown words, missing statuses and bad dates are QA
                               ** errors and the run goes on, instead of one LC_EINPUT */
} lc_register_opts;

typedef struct lc_register {
    char path[1024];
    char display[256];         /* file name used in messages */
    char format[16];           /* "CSV", "XLSX", "XLS", "ODS" */
    lc_encoding encoding;
    char sheet[256];           /* the sheet read; "" for a CSV */
    size_t n_sheets;
    int64_t header_line;       /* first row of the header */
    int header_lines;          /* 1, or 2 for a two-row header */
    char header[LC_COL_N][128];/* the header each role was found under, "" none */
    char column[LC_COL_N][8];  /* its column letter, "" none */
    size_t title_rows, blank_rows, total_rows, note_rows;
    lc_reg_row *rows;
    size_t n_rows;
    lc_reg_entry *entries;     /* sorted by key */
    size_t n_entries;
    size_t mangled_rows;       /* rows whose key Excel turned into a number */
    struct lc_table *table;    /* the cells the rows point into */
    lc_arena strings;
} lc_register;

/* Parses a status word (signed/已签约/已签订/...), blanks and full-width
** forms tolerated; returns 0 when unknown. */
int lc_reg_status_parse(const char *s, lc_reg_status *out);
const char *lc_reg_status_name(lc_reg_status s);

/* Parses "ROLE=HEADER" into opts->map; LC_EINPUT on an unknown role. */
lc_status lc_register_map_option(lc_ctx *ctx, lc_register_opts *opts, const char *spec);
/* Parses "WORD=STATUS" (STATUS: transferred/signed, pending, refused,
** disputed, or a word of SPEC §1) into opts; LC_EINPUT when malformed. */
lc_status lc_register_status_map_option(lc_ctx *ctx, lc_register_opts *opts, const char *spec);

/* A key as the register and the parcels are matched on: blanks trimmed,
** full-width digits and letters made ASCII, an Excel text mark (') dropped.
** Writes at most cap bytes; returns out. */
char *lc_key_normalise(const char *key, char *out, size_t cap);
/* 1 when a key is a number as Excel writes one it rounded (2.30113E+18). */
int lc_key_looks_mangled(const char *key);

/*
** Reads and consolidates the register. Findings (titles, totals, blank and
** note rows, duplicates, missing or implausible dates) go to qa; an
** unreadable file, no sheet with a key and a status column, an ambiguous
** key or status column, and — unless opts->findings_only — every unknown
** status word, missing status and unreadable date at once, are an
** LC_EINPUT error naming the file, sheet, rows and columns.
*/
lc_status lc_register_read(lc_ctx *ctx, const char *path, const lc_register_opts *opts,
                           lc_qa *qa, lc_register **out);
void lc_register_free(lc_register *r);

/* Binary search by (normalised) key; NULL when absent. */
lc_reg_entry *lc_register_find(const lc_register *r, const char *key);

/* Accepted headers per role, for the help text and the documentation:
** NULL-terminated list of role r. */
const char *const *lc_register_headers(lc_reg_col r);
const char *lc_register_role_name(lc_reg_col r);

#endif
