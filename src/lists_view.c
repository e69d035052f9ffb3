/*
** The cadres' lists: the view's small constructors (tables, rows, cells)
** and the names of the tables, shared by the builder and the writer.
*/
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lists_view.h"

/* The tables: their bit, and the name of the sheet and of the CSV file. */
static const struct { unsigned bit; const char *name; } tables[] = {
    {LC_LIST_SUMMARY, "汇总"},   {LC_LIST_BLOCKING, "阻碍开工"}, {LC_LIST_ENCLAVES, "插花地"},
    {LC_LIST_QA, "质检"},        {LC_LIST_UNMATCHED, "未匹配"}, {LC_LIST_NEGOTIATE, "优先协商"},
};
#define N_TABLES (sizeof tables / sizeof tables[0])

const char *lc_list_name(unsigned bit)
{
    for (size_t i = 0; i < N_TABLES; i++)
        if (tables[i].bit == bit) return tables[i].name;
    return NULL;
}

lc_list *lc_lists_add(lc_ctx *ctx, lc_lists *l, const char *name, const char *const *headers,
                      size_t n_cols)
{
    if (l->n >= LC_LISTS_MAX || n_cols > LC_LIST_MAX_COLS) {
        lc_error(ctx, LC_EINTERNAL, "list %s: too many tables or columns", name);
        return NULL;
    }
    lc_list *t = &l->items[l->n];
    memset(t, 0, sizeof *t);
    t->name = lc_arena_strdup(&l->strings, name);
    for (size_t c = 0; c < n_cols && t->name; c++)
        if (!(t->headers[c] = lc_arena_strdup(&l->strings, headers[c]))) t->name = NULL;
    if (!t->name) {
        lc_error(ctx, LC_ENOMEM, "out of memory");
        return NULL;
    }
    t->n_cols = n_cols;
    l->n++;
    return t;
}

lc_cell *lc_list_add_row(lc_ctx *ctx, lc_list *t, int strong)
{
    if (t->n_rows == t->cap_rows) {
        size_t cap = t->cap_rows ? 2 * t->cap_rows : 64;
        lc_cell *cells = lc_realloc_array(ctx, t->cells, cap, t->n_cols * sizeof *cells);
        if (!cells) return NULL;
        t->cells = cells;
        unsigned char *s = lc_realloc_array(ctx, t->strong, cap, 1);
        if (!s) return NULL;
        t->strong = s;
        t->cap_rows = cap;
    }
    lc_cell *row = &t->cells[t->n_rows * t->n_cols];
    memset(row, 0, t->n_cols * sizeof *row);
    t->strong[t->n_rows++] = strong ? 1 : 0;
    return row;
}

lc_status lc_cell_text(lc_ctx *ctx, lc_lists *l, lc_cell *c, const char *text)
{
    if (!text) {
        c->kind = LC_CELL_EMPTY;
        return LC_OK;
    }
    if (!(c->text = lc_arena_strdup(&l->strings, text))) return lc_error(ctx, LC_ENOMEM, "out of memory");
    c->kind = LC_CELL_TEXT;
    return LC_OK;
}

void lc_cell_number(lc_cell *c, double v, lc_num_format f)
{
    c->kind = LC_CELL_NUMBER;
    c->number = v;
    c->format = f;
}

void lc_cell_date(lc_cell *c, int32_t day)
{
    c->kind = LC_CELL_DATE;
    c->day = day;
}

const char *lc_lists_printf(lc_lists *l, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return lc_arena_strdup(&l->strings, buf);
}

void lc_lists_release(lc_lists *l)
{
    if (!l) return;
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].cells);
        free(l->items[i].strong);
    }
    lc_arena_release(&l->strings);
    memset(l, 0, sizeof *l);
}
