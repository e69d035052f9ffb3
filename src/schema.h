/*
** The output schema (SPEC §4), one table per layer: each column's name,
** SQL type, Chinese alias, QGIS widget and the function that gives its
** value for a row of the results. The writers (SpatiaLite, GeoPackage)
** generate their tables and binds from it, the styles their aliases, so a
** column is declared once. Values are read from a finished analysis,
** read-only; strings are borrowed from it.
*/
#ifndef LC_SCHEMA_H
#define LC_SCHEMA_H

#include "analysis.h"

typedef enum lc_value_kind { LC_VALUE_NULL = 0, LC_VALUE_INT, LC_VALUE_REAL, LC_VALUE_TEXT } lc_value_kind;

typedef struct lc_cell_value {
    lc_value_kind kind;
    int64_t i;
    double d;              /* NaN or ±inf are written as NULL */
    const char *s;         /* borrowed, or in buf */
    char buf[32];
} lc_cell_value;

/* How QGIS shows a column in forms (a value map gives Chinese words). */
typedef enum lc_widget {
    LC_WIDGET_NONE = 0, LC_WIDGET_STATUS, LC_WIDGET_READY, LC_WIDGET_BLOCKING, LC_WIDGET_KIND,
    LC_WIDGET_SEVERITY
} lc_widget;

enum {
    LC_COLF_KEY = 1u << 0,       /* the primary key (a GeoPackage's FID) */
    LC_COLF_LATER = 1u << 1      /* known only after the footprints: bound NULL when the
                                 ** layer is written early, then updated */
};

typedef void (*lc_cell_fn)(const lc_analysis *a, size_t row, lc_cell_value *v);

typedef struct lc_column {
    const char *name;
    const char *sql;             /* its SQL declaration: "INTEGER PRIMARY KEY", "TEXT NOT NULL", ... */
    const char *alias;           /* 中文别名, NULL none */
    lc_widget widget;
    unsigned flags;
    lc_cell_fn get;
} lc_column;

typedef enum lc_geom_kind { LC_GEOM_NONE = 0, LC_GEOM_MULTIPOLYGON, LC_GEOM_POINT } lc_geom_kind;

typedef struct lc_layer {
    const char *name;
    lc_geom_kind geom;
    const lc_column *cols;
    size_t n_cols;
    int input_attributes;        /* the parcel layer's own attributes follow the columns */
    int in_check;                /* written by `check -o` too */
    size_t (*rows)(const lc_analysis *a);
    /* the row's polygon (borrowed; NULL: no geometry), or its point */
    const GEOSGeometry *(*polygon)(const lc_analysis *a, size_t row);
    int (*point)(const lc_analysis *a, size_t row, double *x, double *y);
    unsigned needs;              /* LC_HAVE_* phases the layer comes from; 0: any run */
    int early;                   /* complete before the footprints (the progress, the plan's):
                                    written alongside them when the database is begun early */
    int of_sites;                /* complete with the site overlaps, which run beside the
                                    footprints: written after the early layers once they are */
} lc_layer;

/* The layers in the order they are written; tables without geometry too
** (progress), the summary excepted (lc_schema_summary). */
size_t lc_schema_layer_count(void);
const lc_layer *lc_schema_layer(size_t i);
const lc_layer *lc_schema_layer_named(const char *name);
/* 1 when the analysis has the layer (check writes the QA layers only; a
** layer of a phase that did not run is left out). */
int lc_schema_layer_present(const lc_layer *l, const lc_analysis *a);

/* Chinese alias of an output column, NULL when it has none. */
const char *lc_schema_alias(const char *table, const char *column);

/* The output names of the parcel layer's own attributes: as in the input,
** "in_NAME" where one clashes with a column of the schema or with a name
** SQLite keeps for itself (rowid), or with an earlier one; names[k] is
** malloc'd. Returns LC_ENOMEM on failure. */
lc_status lc_schema_input_names(lc_ctx *ctx, const lc_parcels *p, char ***names);
void lc_schema_input_names_free(char **names, size_t n);

/* The rows of the summary table (name, value), values formatted by
** SQLite's printf so every writer gives the same text. */
typedef struct lc_summary_row { const char *name; char *value; } lc_summary_row;
lc_status lc_schema_summary(lc_ctx *ctx, const lc_analysis *a, int srid, lc_summary_row **rows, size_t *n);
void lc_schema_summary_free(lc_summary_row *rows, size_t n);

#endif
