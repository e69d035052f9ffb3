/*
** One of the cadres' lists as CSV: UTF-8 with a byte-order mark (so Excel
** on a Chinese Windows reads it as UTF-8 rather than GBK), RFC 4180
** quoting, CRLF line ends, the header row first (the title line of the
** workbook is not repeated: a CSV is a table), numbers in full precision
** (the shortest text that reads back as the same double), dates ISO.
** Knows only the view of lists.h.
*/
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"
#include "lists_csv.h"

static void put_text(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* The shortest of %.15g, %.16g, %.17g that reads back as v (17 digits
** always do), so 0.1 stays "0.1" and no bit is lost. */
static void put_number(FILE *f, double v)
{
    if (!isfinite(v)) return;
    char buf[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) break;
    }
    fputs(buf, f);
}

static void put_cell(FILE *f, const lc_cell *c)
{
    char date[11];
    switch (c->kind) {
    case LC_CELL_TEXT: put_text(f, c->text); break;
    case LC_CELL_NUMBER: put_number(f, c->number); break;
    case LC_CELL_DATE:
        lc_date_format(c->day, date);
        fputs(date, f);
        break;
    default: break;
    }
}

lc_status lc_list_write_csv(lc_ctx *ctx, const lc_list *t, const char *path, const char *display)
{
    FILE *f = fopen(path, "wb");
    if (!f) return lc_error(ctx, LC_EINPUT, "%s: cannot write here (%s)", display, strerror(errno));
    fputs("\xEF\xBB\xBF", f);
    for (size_t col = 0; col < t->n_cols; col++) {
        if (col) fputc(',', f);
        put_text(f, t->headers[col]);
    }
    fputs("\r\n", f);
    lc_status rc = LC_OK;
    for (size_t r = 0; r < t->n_rows && rc == LC_OK; r++) {
        for (size_t col = 0; col < t->n_cols; col++) {
            if (col) fputc(',', f);
            put_cell(f, &t->cells[r * t->n_cols + col]);
        }
        fputs("\r\n", f);
        if ((r & 4095) == 0 && lc_cancelled(ctx)) rc = lc_error(ctx, LC_EINTERRUPTED, "interrupted");
    }
    /* a full disk shows up here, at the latest when the buffer is flushed */
    int werr = ferror(f) || fflush(f) != 0;
    if (fclose(f) != 0) werr = 1;
    if (rc == LC_OK && werr)
        rc = lc_error(ctx, LC_EINPUT, "%s: writing failed (%s)", display, strerror(errno));
    return rc;
}
