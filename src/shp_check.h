/*
** Structural checks of a shapefile's three files before GDAL opens them, so a
** missing .dbf, a truncated .shp or a text file named .shp gets a message
** that names the file and the problem rather than a generic driver error.
*/
#ifndef LC_SHP_CHECK_H
#define LC_SHP_CHECK_H

#include "lc_internal.h"

/* Non-zero when path ends in .shp (any case). */
int lc_is_shp_path(const char *path);

/* Finds the companion of a .shp with extension ext (".dbf", ".shx", ".cpg")
** in lower or upper case, also inside a /vsizip/ archive; writes it to out
** and returns 1 when it exists. When it does not, out holds the lower-case
** name (for messages), or "" when that does not fit in cap bytes. */
int lc_shp_companion(const char *shp_path, const char *ext, char *out, size_t cap);

/* Checks header, declared lengths and record counts of .shp/.shx/.dbf
** (through GDAL's virtual file system, so also inside an archive).
** Returns LC_EINPUT with a message naming the file on any inconsistency. */
lc_status lc_shapefile_precheck(lc_ctx *ctx, const char *shp_path);

#endif
