/*
** The lists for village cadres (SPEC §5a: --xlsx, --csv): a plain view of
** tables, each a title, Chinese headers and rows of typed cells (text, a
** number with its display format, a date, or nothing).
**
** lists_build.c fills the view from an analysis (the only lists module that
** knows lc_analysis) with the constructors here; the sinks lists_xlsx.c
** (one workbook, a sheet per table) and lists_csv.c (one CSV per table)
** know only this view; lists.c builds the view and has the sinks write it
** into the reserved files. A view owns its cells and every string in it.
*/
#ifndef LC_LISTS_VIEW_H
#define LC_LISTS_VIEW_H

#include "arena.h"
#include "lc_internal.h"

typedef enum lc_cell_kind { LC_CELL_EMPTY = 0, LC_CELL_TEXT, LC_CELL_NUMBER, LC_CELL_DATE } lc_cell_kind;

/* How a number is shown; the value itself is never rounded. */
typedef enum lc_num_format {
    LC_NUM_ID = 0,       /* an identifier or line number: 0 */
    LC_NUM_COUNT,        /* a count or a number of days: #,##0 */
    LC_NUM_AREA,         /* m² or mu: #,##0.00 */
    LC_NUM_SHARE,        /* a fraction shown as a percentage: 0.0% */
    LC_NUM_N
} lc_num_format;

typedef struct lc_cell {
    lc_cell_kind kind;
    lc_num_format format;        /* LC_CELL_NUMBER */
    double number;               /* LC_CELL_NUMBER */
    int32_t day;                 /* LC_CELL_DATE: days since 1970-01-01 */
    const char *text;            /* LC_CELL_TEXT: UTF-8, the view's */
} lc_cell;

#define LC_LIST_MAX_COLS 24

typedef struct lc_list {
    const char *name;            /* sheet name and CSV file name (without .csv) */
    const char *title;           /* one line above the table in the workbook; NULL: none */
    const char *headers[LC_LIST_MAX_COLS];
    size_t n_cols;
    lc_cell *cells;              /* n_rows × n_cols, row by row */
    unsigned char *strong;       /* per row: 1 on a total row (shown bold) */
    size_t n_rows, cap_rows;
} lc_list;

#define LC_LISTS_MAX 6

typedef struct lc_lists {
    lc_list items[LC_LISTS_MAX];
    size_t n;
    const char *subject;         /* the workbook's description (document properties) */
    lc_arena strings;
} lc_lists;

/* ---- building the view (lists_view.c) ------------------------------------- */

/* The name of table LC_LIST_x (its sheet, its CSV file), NULL for another bit. */
const char *lc_list_name(unsigned bit);

/* Appends a table with the given headers (copied); NULL on OOM. */
lc_list *lc_lists_add(lc_ctx *ctx, lc_lists *l, const char *name, const char *const *headers,
                      size_t n_cols);
/* Appends an empty row; returns its n_cols cells, valid until the next row
** is added; NULL on OOM. */
lc_cell *lc_list_add_row(lc_ctx *ctx, lc_list *t, int strong);
/* Cell setters. Text is copied into the view (NULL leaves the cell empty);
** they return LC_ENOMEM when the copy fails. */
lc_status lc_cell_text(lc_ctx *ctx, lc_lists *l, lc_cell *c, const char *text);
void lc_cell_number(lc_cell *c, double v, lc_num_format f);
void lc_cell_date(lc_cell *c, int32_t day);
/* A copy of a printf-formatted string in the view, NULL on OOM. */
const char *lc_lists_printf(lc_lists *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void lc_lists_release(lc_lists *l);

#endif
