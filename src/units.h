/*
** Names of townships and villages, so outputs can say 新发村 rather than
** 230113101201: from a CSV of code,name (--unit-names), or from the 发包方
** table of the 确权 database (FBF: FBFBM, the 14-digit 发包方 code, and
** FBFMC, its name) as DBF, CSV or workbook (--units, or an FBF.dbf beside
** the parcel layer). The table owns its strings.
*/
#ifndef LC_UNITS_H
#define LC_UNITS_H

#include "arena.h"
#include "lc_internal.h"

typedef enum lc_unit_kind { LC_UNIT_TOWNSHIP = 1, LC_UNIT_VILLAGE = 2 } lc_unit_kind;

typedef struct lc_unit { const char *code, *name; } lc_unit;

typedef struct lc_units {
    lc_unit *items;    /* sorted by code, one per code */
    size_t n, cap;
    char sources[1200];/* the files the names came from, comma-separated; "" none */
    lc_arena strings;
} lc_units;

/* Adds the names of a CSV (UTF-8 or GBK, header with columns code and
** name, or the first two columns); LC_EINPUT names the file and row. */
lc_status lc_units_add_csv(lc_ctx *ctx, const char *path, lc_units *u);
/*
** Adds township (9-digit) and village (12-digit) names from a 发包方 table:
** a 发包方 whose code ends in 00 is the village itself; names such as
** "双城区周家镇新发村第一村民小组" are split after the township (镇, 乡,
** 街道) and after the village (村, 社区, 居委会). LC_EINPUT when the file
** has no FBFBM/FBFMC columns.
*/
lc_status lc_units_add_fbf(lc_ctx *ctx, const char *path, lc_units *u);
/* Sorts the names; of two names for one code the one added last wins. */
void lc_units_finish(lc_units *u);
/* An FBF.dbf (any case) in the folder of a shapefile path, written into
** out; 0 when there is none. */
int lc_units_fbf_beside(const char *parcels_path, char *out, size_t cap);
/* The name of a code, NULL when unknown. */
const char *lc_units_name(const lc_units *u, const char *code);
void lc_units_release(lc_units *u);

/* The township, village and rest of a 发包方 name (byte spans into name;
** a part not found has length 0). Exposed for its unit test. */
typedef struct lc_fbf_name_parts { size_t town_off, town_len, village_off, village_len; } lc_fbf_name_parts;
void lc_fbf_name_split(const char *name, lc_fbf_name_parts *out);

#endif
