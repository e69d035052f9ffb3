/*
** A GeoJSON file opened with its features fetched beside the opening.
**
** GDAL parses a GeoJSON file twice: in full when it opens it, to learn its
** fields, then again when the features are fetched. The fetching needs only
** the fields, so the two run side by side: a worker opens the file as usual
** (the handle the reader then uses), while the calling thread fetches the
** features through a second handle whose first pass GDAL cuts short
** (OGR_GEOJSON_MAX_BYTES_FIRST_PASS, set for this thread only). What it
** fetched is kept only when the second handle's layer is the one the full
** first pass found: the same fields (name, type, subtype, width,
** precision), geometry type, CRS, FID column and feature count, and the
** fetch met no GDAL failure. Otherwise it is dropped, and the features are
** fetched from the full handle as for any other format.
*/
#ifndef LC_GEOJSON_AHEAD_H
#define LC_GEOJSON_AHEAD_H

#include <gdal.h>
#include <ogr_api.h>

#include "gdal_errors.h"
#include "lc_internal.h"

typedef struct lc_geojson_ahead {
    GDALDatasetH ds;             /* the second handle: the features are tied to its layer */
    OGRFeatureH *f;              /* the whole layer, in order; NULL when not kept */
    size_t n;
    OGREnvelope env;             /* of the non-empty geometries */
    int have_env;
} lc_geojson_ahead;

/* Opens gdal_path, a GeoJSON file, read-only as GDALOpenEx does (NULL on
** failure, recorded in *full_record), and fetches its features beside the
** opening into *ahead (reporting `phase` progress), when a worker can be
** had. ahead->f is NULL when nothing was kept; *interrupted is 1 when the
** fetch was interrupted. The caller takes the kept features (and destroys
** them) before it calls lc_geojson_ahead_release. */
GDALDatasetH lc_geojson_open(lc_ctx *ctx, const char *gdal_path, lc_gdal_record *full_record, const char *phase,
                             lc_geojson_ahead *ahead, int *interrupted);

/* Destroys the features still held, frees the array, closes the handle. */
void lc_geojson_ahead_release(lc_geojson_ahead *ahead);

#endif
