/*
** The QGIS project writer: a .qgz (or plain .qgs) that opens the output
** database's layers in a designed order with their styles, plus A4 print
** layouts, without QGIS at run time. Its input is a plain description;
** it knows nothing of the analysis (qgis_build.c fills the description).
** Every string of the description is borrowed for the call.
*/
#ifndef LC_QGIS_PROJECT_H
#define LC_QGIS_PROJECT_H

#include <stddef.h>

#include "lc_internal.h"

typedef struct lc_qgis_extent {
    double minx, miny, maxx, maxy;  /* working CRS; unknown when maxx <= minx and maxy <= miny */
} lc_qgis_extent;

typedef enum lc_qgis_geometry { LC_QGIS_POLYGON = 0, LC_QGIS_POINT } lc_qgis_geometry;

typedef struct lc_qgis_layer {
    const char *table;          /* layer in the database */
    const char *name;           /* in the layer panel and the legends */
    const char *filter;         /* OGR SQL condition on the features shown, NULL: all */
    lc_qgis_geometry geometry;
    const char *qml;            /* the style, a QML document as layer_styles holds it */
    int visible;                /* switched on in the layer panel (and so on the layouts' maps) */
    double min_scale;           /* not drawn farther out than 1:min_scale; 0: no limit */
    double max_scale;           /* not drawn closer in than 1:max_scale; 0: no limit */
    lc_qgis_extent extent;
} lc_qgis_layer;

typedef struct lc_qgis_row {
    const char *label, *value;
} lc_qgis_row;

/* An A4 landscape print layout: title, map, legend, scale bars, north
** arrow, a table of figures and the project's footer. */
typedef struct lc_qgis_layout {
    const char *name;           /* in QGIS's layout manager, unique */
    const char *title, *subtitle;
    lc_qgis_extent focus;       /* what the map must show; the scale is rounded out */
    const lc_qgis_row *figures;
    size_t n_figures;
} lc_qgis_layout;

typedef struct lc_qgis_crs {
    int epsg;                   /* 0 when the CRS has no EPSG code */
    const char *description;
    const char *wkt;            /* WKT2, needed without an EPSG code */
    const char *proj4;
} lc_qgis_crs;

typedef struct lc_qgis_project {
    const char *title;
    const char *database;       /* relative to the project's folder, e.g. "./out.sqlite" */
    lc_qgis_crs crs;
    const lc_qgis_layer *layers;    /* top first */
    size_t n_layers;
    lc_qgis_extent view;        /* the map when the project opens */
    const lc_qgis_layout *layouts;
    size_t n_layouts;
    const char *footer;         /* small print at the foot of every layout */
} lc_qgis_project;

/* The project document (.qgs XML); malloc'd, NULL when out of memory. */
char *lc_qgis_project_xml(const lc_qgis_project *p);

/* Writes the project for `path` into the existing file `file` (the
** output's temporary file): a zip holding the document when path ends in
** .qgz, the document itself for .qgs. */
lc_status lc_qgis_project_write(lc_ctx *ctx, const lc_qgis_project *p, const char *path, const char *file);

/* The path of `file` relative to the folder `dir`, both absolute and
** resolved ("/a/b", "/a/c/db.sqlite" -> "../c/db.sqlite"; beside it:
** "./db.sqlite"). 0 when the result does not fit cap. */
int lc_qgis_relative_path(const char *dir, const char *file, char *out, size_t cap);

/* The smallest round scale denominator, 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 7.5
** times a power of ten (from 100), that is not below `need`. */
double lc_qgis_round_scale(double need);

/* 1 when path ends in .qgz or .qgs (any case). */
int lc_qgis_project_path_ok(const char *path);

#endif
