/*
** The text of numeric DBF fields as written. GDAL reads an N(19,0) field
** through a double, which keeps 15–17 significant digits: a 19-digit DKBM
** stored as a number comes back with its last digits changed. These
** columns are read here from the .dbf itself, by record number (the FID
** GDAL gives a shapefile feature). The columns own their text.
*/
#ifndef LC_DBF_RAW_H
#define LC_DBF_RAW_H

#include "lc_internal.h"

/* Numeric fields wider than this lose digits through a double. */
#define LC_DBF_EXACT_DIGITS 15

typedef struct lc_dbf_column {
    char name[12];
    int width;          /* bytes per value */
    char *text;         /* n_records × (width + 1), NUL-terminated, blanks trimmed */
} lc_dbf_column;

typedef struct lc_dbf_columns {
    lc_dbf_column *cols;
    size_t n_cols;
    int64_t n_records;
} lc_dbf_columns;

/*
** Reads the fields named in names[0..n) (case-insensitive) from the DBF at
** path; a name the file does not have is left out. LC_EINPUT names the file
** when its header is inconsistent.
*/
lc_status lc_dbf_read_columns(lc_ctx *ctx, const char *path, const char *const *names, size_t n,
                              lc_dbf_columns *out);
/* Value of column c at record rec, "" when out of range. */
const char *lc_dbf_value(const lc_dbf_columns *d, size_t c, int64_t rec);
void lc_dbf_columns_release(lc_dbf_columns *d);

#endif
