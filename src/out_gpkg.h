/*
** The GeoPackage output: the layers of the output schema, the summary and
** the QGIS styles, through GDAL's GPKG driver, into the temporary file of
** a reserved output (the run commits it with its other outputs).
*/
#ifndef LC_OUT_GPKG_H
#define LC_OUT_GPKG_H

#include "analysis.h"

lc_status lc_gpkg_write(lc_ctx *ctx, const lc_analysis *a, lc_outfile *out);

#endif
