/*
** Names of townships and villages (--unit-names FILE: CSV code,name), so
** outputs can say 新发村 rather than 230113101201. The table owns its strings.
*/
#ifndef LC_UNITS_H
#define LC_UNITS_H

#include "arena.h"
#include "lc_internal.h"

typedef enum lc_unit_kind { LC_UNIT_TOWNSHIP = 1, LC_UNIT_VILLAGE = 2 } lc_unit_kind;

typedef struct lc_unit { const char *code, *name; } lc_unit;

typedef struct lc_units {
    lc_unit *items;    /* sorted by code */
    size_t n;
    lc_arena strings;
} lc_units;

/* Reads the CSV (UTF-8 or GBK, header with columns code and name, or the
** first two columns); LC_EINPUT names the file and row of a problem. */
lc_status lc_units_read(lc_ctx *ctx, const char *path, lc_units *out);
/* The name of a code, NULL when unknown. */
const char *lc_units_name(const lc_units *u, const char *code);
void lc_units_release(lc_units *u);

#endif
