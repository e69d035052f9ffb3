/*
** The cadres' workbook: one sheet per table of a lists view.
*/
#ifndef LC_LISTS_XLSX_H
#define LC_LISTS_XLSX_H

#include "lists_view.h"

/* The workbook at `path` (written in place: the caller gives a
** temporary name); `display` names the output in messages. */
lc_status lc_lists_write_xlsx(lc_ctx *ctx, const lc_lists *l, const char *path, const char *display);

#endif
