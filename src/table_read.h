/*
** Tables as clerks keep them: every sheet of a workbook (XLSX, XLS, ODS) or
** the one table of a CSV, read through GDAL as rows of text cells, before
** anything is known about where the header is. Cells are UTF-8, trimmed,
** NULL when empty; row numbers are the ones a spreadsheet shows (CSV: the
** record number, the first record is 1).
**
** What one table may take is bounded (LC_TABLE_* below): a workbook whose
** cell, row or total text exceeds a limit is refused before its text is
** held, so a small file cannot make the reader take gigabytes. The table
** owns its sheets, rows and strings.
*/
#ifndef LC_TABLE_READ_H
#define LC_TABLE_READ_H

#include "arena.h"
#include "encoding.h"
#include "lc_internal.h"

/* Limits (docs/REGISTER.md): Excel itself holds at most 32,767 characters
** in a cell; a register row is a few hundred bytes; 256 MiB of text is two
** orders of magnitude above a county's register. */
#define LC_TABLE_CELL_MAX ((size_t)96 * 1024)          /* bytes of UTF-8 in one cell */
#define LC_TABLE_ROW_MAX ((size_t)1024 * 1024)         /* bytes of one row (CSV record) */
#define LC_TABLE_TEXT_MAX ((size_t)256 * 1024 * 1024)  /* bytes of text in all sheets */
#define LC_TABLE_ROWS_MAX ((size_t)5 * 1000 * 1000)    /* rows in all sheets */
#define LC_TABLE_FILE_MAX ((int64_t)128 * 1024 * 1024)  /* a CSV or XLS file */
#define LC_TABLE_PART_MAX ((int64_t)512 * 1024 * 1024)  /* uncompressed XML of a workbook */

typedef struct lc_table_row {
    int64_t line;          /* spreadsheet row number (CSV: record number), from 1 */
    size_t first;          /* index of its first cell in the sheet's cells */
    size_t n;              /* cells, up to the last non-empty one */
} lc_table_row;

typedef struct lc_table_sheet {
    const char *name;      /* sheet name; the file name for a CSV */
    lc_table_row *rows;    /* rows with at least one non-empty cell, in order */
    size_t n_rows, cap_rows;
    const char **cells;    /* NULL for an empty cell */
    size_t n_cells, cap_cells;
} lc_table_sheet;

typedef struct lc_table {
    char format[8];        /* "CSV", "XLSX", "XLS", "ODS" */
    lc_encoding encoding;  /* CSV: as decided; workbooks: UTF-8 */
    char delimiter;        /* CSV only */
    lc_table_sheet *sheets;
    size_t n_sheets;
    size_t blank_rows;     /* rows with no content inside the data, all sheets */
    lc_arena strings;
} lc_table;

/* The format of a path by its extension: "CSV" (.csv .txt .tsv), "XLSX"
** (.xlsx .xlsm), "XLS", "ODS"; NULL when none of these. */
const char *lc_table_format_of(const char *path);

/*
** Reads every sheet of the table at `path`. `encoding` overrides the
** detection of a CSV's text encoding (NULL: byte-order mark, then the
** bytes). LC_EINPUT names the file (and row) when it cannot be read or a
** limit is exceeded.
*/
lc_status lc_table_read(lc_ctx *ctx, const char *path, const char *encoding, lc_table **out);
void lc_table_free(lc_table *t);

/* Cell c of row r of sheet s, NULL when empty or beyond the row. */
static inline const char *lc_table_cell(const lc_table_sheet *s, size_t r, size_t c)
{
    const lc_table_row *row = &s->rows[r];
    return c < row->n ? s->cells[row->first + c] : NULL;
}

/* "A", "B", ... "AA": the spreadsheet letter of column c (from 0). */
void lc_table_column_letter(size_t c, char out[8]);

#endif
