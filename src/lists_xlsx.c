/*
** The cadres' lists as one Excel workbook (libxlsxwriter), a sheet per
** table: a title line, the Chinese header row (frozen, with an autofilter),
** numbers as numbers with a display format (never rounded values), dates
** as Excel dates, total rows in bold, columns as wide as their content
** (CJK characters count double), printed landscape on A4, one page wide,
** the header repeated on every page. Knows only the view of lists.h.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <xlsxwriter.h>

#include "lists_xlsx.h"

/* Excel's day 0 is 1899-12-30 (its serial numbers count from there, with
** 1900 wrongly taken as a leap year, which only matters before March 1900);
** 1970-01-01 is serial 25569. */
#define EXCEL_SERIAL_1970 25569.0

/* Column widths in Excel's unit (the width of a digit): the widest value
** or header word plus a margin, within bounds. A header is broken at its
** spaces ("已流转 面积(亩)" over two lines) rather than widening a column of
** short numbers. */
#define WIDTH_MARGIN 2.0
#define WIDTH_MIN 6.0
#define WIDTH_MAX 80.0

/* The cell styles: text, date, then one per number format. */
enum { STYLE_TEXT = 0, STYLE_DATE, STYLE_NUMBER, N_STYLES = STYLE_NUMBER + LC_NUM_N };
static const char *const number_formats[LC_NUM_N] = {"0", "#,##0", "#,##0.00", "0.0%"};

typedef struct xlsx {
    lc_ctx *ctx;
    const char *display;
    lxw_workbook *wb;
    lxw_format *cell[N_STYLES][2];   /* [style][strong] */
    lxw_format *header, *title;
} xlsx;

static lc_status fail(xlsx *x, const char *sheet, lxw_error err)
{
    return lc_error(x->ctx, LC_EINPUT, "%s: writing sheet %s failed (%s)", x->display, sheet,
                    lxw_strerror(err));
}

static lc_status make_formats(xlsx *x)
{
    for (int s = 0; s < N_STYLES; s++)
        for (int strong = 0; strong < 2; strong++) {
            lxw_format *f = workbook_add_format(x->wb);
            if (!f) return lc_error(x->ctx, LC_ENOMEM, "out of memory");
            format_set_font_size(f, 11);
            if (s == STYLE_DATE) format_set_num_format(f, "yyyy-mm-dd");
            if (s >= STYLE_NUMBER) format_set_num_format(f, number_formats[s - STYLE_NUMBER]);
            /* an identifier beside a left-aligned key would read as one number */
            if (s == STYLE_NUMBER + LC_NUM_ID) format_set_align(f, LXW_ALIGN_CENTER);
            if (strong) {
                format_set_bold(f);
                format_set_bg_color(f, 0xE8EEF5);
                format_set_top(f, LXW_BORDER_THIN);
                format_set_border_color(f, 0xA0A8B8);
            }
            x->cell[s][strong] = f;
        }
    x->header = workbook_add_format(x->wb);
    x->title = workbook_add_format(x->wb);
    if (!x->header || !x->title) return lc_error(x->ctx, LC_ENOMEM, "out of memory");
    format_set_bold(x->header);
    format_set_text_wrap(x->header);
    format_set_align(x->header, LXW_ALIGN_CENTER);
    format_set_align(x->header, LXW_ALIGN_VERTICAL_CENTER);
    format_set_bg_color(x->header, 0xD9E1EC);
    format_set_border(x->header, LXW_BORDER_THIN);
    format_set_border_color(x->header, 0xA0A8B8);
    format_set_bold(x->title);
    format_set_font_size(x->title, 13);
    return LC_OK;
}

/* Columns a string takes on screen: CJK and other characters of three or
** four UTF-8 bytes twice a digit's width, the rest once. */
static double text_width(const char *s)
{
    double w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p & 0xC0) == 0x80) continue;
        w += *p >= 0xE0 ? 2 : 1;
    }
    return w;
}

/* Characters of a number as its format shows it. */
static double number_width(double v, lc_num_format f)
{
    char buf[64];
    if (f == LC_NUM_SHARE) return snprintf(buf, sizeof buf, "%.1f%%", 100 * v);
    int n = snprintf(buf, sizeof buf, f == LC_NUM_AREA ? "%.2f" : "%.0f", v);
    if (f == LC_NUM_ID) return n;
    int digits = (int)strcspn(buf + (buf[0] == '-'), ".");
    return n + (digits - 1) / 3;   /* thousands separators */
}

static double cell_width(const lc_cell *c)
{
    switch (c->kind) {
    case LC_CELL_TEXT: return text_width(c->text);
    case LC_CELL_NUMBER: return isfinite(c->number) ? number_width(c->number, c->format) : 0;
    case LC_CELL_DATE: return 10;
    default: return 0;
    }
}

static lxw_error write_cell(xlsx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t col, const lc_cell *c,
                            int strong)
{
    switch (c->kind) {
    case LC_CELL_TEXT: return worksheet_write_string(ws, r, col, c->text, x->cell[STYLE_TEXT][strong]);
    case LC_CELL_NUMBER:
        if (isfinite(c->number))
            return worksheet_write_number(ws, r, col, c->number, x->cell[STYLE_NUMBER + c->format][strong]);
        break;
    case LC_CELL_DATE:
        return worksheet_write_number(ws, r, col, c->day + EXCEL_SERIAL_1970, x->cell[STYLE_DATE][strong]);
    default: break;
    }
    /* an empty cell of a total row still carries the row's shading */
    return strong ? worksheet_write_blank(ws, r, col, x->cell[STYLE_TEXT][1]) : LXW_NO_ERROR;
}

/* The widest word of a header; words are separated by spaces, and each
** goes on a line of its own in the header row (Excel and LibreOffice break
** CJK text anywhere, so the breaks are written out rather than left to
** wrapping). */
static double header_word(const char *h, int *lines)
{
    double widest = 0;
    *lines = 1;
    while (*h) {
        size_t n = strcspn(h, " ");
        char word[256];
        snprintf(word, sizeof word, "%.*s", (int)n, h);
        double w = text_width(word);
        if (w > widest) widest = w;
        if (h[n] == ' ') ++*lines;
        h += n + (h[n] == ' ');
    }
    return widest;
}

/* Widths from the content and the header words, and the header row tall
** enough for its lines. */
static lxw_error fit_columns(lxw_worksheet *ws, const lc_list *t, lxw_row_t header_row)
{
    int lines = 1;
    for (size_t col = 0; col < t->n_cols; col++) {
        double content = 0;
        for (size_t r = 0; r < t->n_rows; r++) {
            double w = cell_width(&t->cells[r * t->n_cols + col]);
            if (w > content) content = w;
        }
        int n;
        double word = header_word(t->headers[col], &n);
        double width = fmin(fmax(fmax(content, word) + WIDTH_MARGIN, WIDTH_MIN), WIDTH_MAX);
        if (n > lines) lines = n;
        lxw_error err = worksheet_set_column(ws, (lxw_col_t)col, (lxw_col_t)col, width, NULL);
        if (err) return err;
    }
    return worksheet_set_row(ws, header_row, 15.0 * lines + 3, NULL);
}

/* The header as shown: one word per line. */
static lxw_error write_header(xlsx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t col, const char *h)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", h);
    for (char *p = buf; *p; p++)
        if (*p == ' ') *p = '\n';
    return worksheet_write_string(ws, r, col, buf, x->header);
}

static void page_setup(lxw_worksheet *ws, lxw_row_t header_row)
{
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9);                 /* A4 */
    worksheet_fit_to_pages(ws, 1, 0);           /* one page wide, as many long as needed */
    worksheet_repeat_rows(ws, 0, header_row);
    worksheet_set_footer(ws, "&C第 &P 页，共 &N 页");
}

static lc_status write_sheet(xlsx *x, const lc_list *t)
{
    lxw_row_t header_row = t->title ? 1 : 0;
    if (t->n_rows >= LXW_ROW_MAX - header_row)
        return lc_error(x->ctx, LC_EINPUT, "%s: sheet %s would have %zu rows, more than Excel's %d; "
                        "use --csv for lists this long", x->display, t->name, t->n_rows, LXW_ROW_MAX - 1);
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, t->name);
    if (!ws) return lc_error(x->ctx, LC_EINPUT, "%s: cannot add sheet %s", x->display, t->name);
    lxw_error err = LXW_NO_ERROR;
    if (t->title) err = worksheet_write_string(ws, 0, 0, t->title, x->title);
    for (size_t col = 0; col < t->n_cols && !err; col++)
        err = write_header(x, ws, header_row, (lxw_col_t)col, t->headers[col]);
    for (size_t r = 0; r < t->n_rows && !err; r++) {
        const lc_cell *row = &t->cells[r * t->n_cols];
        for (size_t col = 0; col < t->n_cols && !err; col++)
            err = write_cell(x, ws, header_row + 1 + (lxw_row_t)r, (lxw_col_t)col, &row[col], t->strong[r]);
        if ((r & 4095) == 0 && lc_cancelled(x->ctx)) return lc_error(x->ctx, LC_EINTERRUPTED, "interrupted");
    }
    if (!err) err = fit_columns(ws, t, header_row);
    if (!err) err = worksheet_autofilter(ws, header_row, 0, header_row + (lxw_row_t)t->n_rows,
                                         (lxw_col_t)(t->n_cols - 1));
    if (err) return fail(x, t->name, err);
    worksheet_freeze_panes(ws, header_row + 1, 0);
    /* keys and codes are text on purpose: no "number stored as text" marks */
    char range[32];
    lxw_rowcol_to_range(range, 0, 0, header_row + (lxw_row_t)t->n_rows, (lxw_col_t)(t->n_cols - 1));
    worksheet_ignore_errors(ws, LXW_IGNORE_NUMBER_STORED_AS_TEXT, range);
    page_setup(ws, header_row);
    return LC_OK;
}

lc_status lc_lists_write_xlsx(lc_ctx *ctx, const lc_lists *l, const char *path, const char *display)
{
    xlsx x;
    memset(&x, 0, sizeof x);
    x.ctx = ctx;
    x.display = display;
    x.wb = workbook_new(path);
    if (!x.wb) return lc_error(ctx, LC_EINPUT, "%s: cannot create the workbook", display);
    lc_status rc = make_formats(&x);
    lxw_doc_properties props = {
        .title = (char *)"土地流转清单",
        .subject = (char *)(l->subject ? l->subject : ""),
        .author = (char *)"landcons",
        .comments = (char *)"landcons analyze/verify/check --xlsx",
    };
    if (rc == LC_OK && workbook_set_properties(x.wb, &props) != LXW_NO_ERROR)
        rc = lc_error(ctx, LC_ENOMEM, "out of memory");
    for (size_t i = 0; i < l->n && rc == LC_OK; i++) rc = write_sheet(&x, &l->items[i]);
    /* closing writes the file, and frees the workbook in any case */
    lxw_error err = workbook_close(x.wb);
    if (rc == LC_OK && err != LXW_NO_ERROR)
        rc = lc_error(ctx, LC_EINPUT, "%s: writing the workbook failed (%s)", display, lxw_strerror(err));
    return rc;
}
