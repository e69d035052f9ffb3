/*
** The cadres' lists as CSV files: one per table of a lists view.
*/
#ifndef LC_LISTS_CSV_H
#define LC_LISTS_CSV_H

#include "lists_view.h"

/* One table as CSV (UTF-8 with BOM, RFC 4180, CRLF) at `path`. */
lc_status lc_list_write_csv(lc_ctx *ctx, const lc_list *t, const char *path, const char *display);

#endif
