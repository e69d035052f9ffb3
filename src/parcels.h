/*
** The in-memory parcel set: every usable feature of the parcel layer with
** its key, attributes (UTF-8), geometry in the working CRS and areas, plus
** the layer's description and the QA findings of reading it.
**
** The set owns everything in it. Its GEOS geometries and PJ objects belong
** to the handles of the lc_ctx that read it: free the set before that ctx.
*/
#ifndef LC_PARCELS_H
#define LC_PARCELS_H

#include <limits.h>

#include "arena.h"
#include "area.h"
#include "crs.h"
#include "encoding.h"
#include "lc_internal.h"
#include "qa.h"

typedef enum lc_field_type {
    LC_FIELD_INT = 0,
    LC_FIELD_REAL,
    LC_FIELD_TEXT,
    LC_FIELD_DATE      /* stored as text YYYY-MM-DD */
} lc_field_type;

typedef struct lc_field {
    char *name;        /* UTF-8, in the set's arena */
    lc_field_type type;
    int width, precision;
} lc_field;

typedef union lc_value {
    int64_t i;
    double d;
    const char *s;     /* UTF-8, in the set's arena */
} lc_value;

enum {
    LC_PARCEL_REPAIRED = 1u << 0,  /* geometry was invalid and repaired */
    LC_PARCEL_INVALID = 1u << 1,   /* invalid and kept as is (--no-repair) */
    LC_PARCEL_MULTIPART = 1u << 2,
    LC_PARCEL_HAS_HOLES = 1u << 3,
    LC_PARCEL_DUPLICATE_KEY = 1u << 4
};

typedef struct lc_parcel {
    int64_t fid;
    const char *key;       /* NULL when the key is missing */
    GEOSGeometry *geom;    /* Polygon or MultiPolygon, working CRS */
    double planar_m2;
    double ellipsoidal_m2;
    uint32_t flags;
} lc_parcel;

struct lc_parcels {
    GEOSContextHandle_t geos;  /* borrowed from the reading ctx */
    char path[PATH_MAX], driver[64], layer[256], key_field[64];
    int key_index;             /* field index of the key, -1 when none */
    int key_from_fid;          /* --key @fid: the key is the feature id */
    lc_crs crs;
    lc_encoding encoding;
    lc_ellipsoidal_method ellipsoidal_method;

    lc_field *fields;
    size_t n_fields;

    lc_parcel *items;
    size_t n, cap;
    lc_value *values;          /* n x n_fields, row-major */
    uint8_t *nulls;            /* n x null_stride bits */
    size_t null_stride;

    lc_arena strings;
    lc_qa qa;

    int64_t n_features;        /* features in the layer */
    int64_t n_invalid, n_repaired, n_empty, n_non_areal, n_skipped_invalid;
    int64_t n_deleted;         /* shapefile records the .dbf marks deleted (not read) */
    double minx, miny, maxx, maxy;
};

static inline const lc_value *lc_parcel_values(const lc_parcels *p, size_t i)
{
    return p->values + i * p->n_fields;
}
static inline int lc_parcel_is_null(const lc_parcels *p, size_t i, size_t field)
{
    return (p->nulls[i * p->null_stride + field / 8] >> (field % 8)) & 1;
}

/* A worker thread's area calculator for p's working CRS and ellipsoidal
** method (see lc_area_calc_init_thread); release with lc_area_calc_release. */
lc_status lc_parcels_area_calc(lc_ctx *tctx, const lc_parcels *p, lc_area_calc *calc);

/* "layer:FID n" of parcel i, the source of its findings. */
void lc_parcel_where(const lc_parcels *p, size_t i, char *buf, size_t cap);

/* 1 when parcels carry a key (a key field, or the feature id). */
static inline int lc_parcels_has_key(const lc_parcels *p) { return p->key_index >= 0 || p->key_from_fid; }
/* Every file of the vector dataset at path as GDAL lists it, as a
** NULL-terminated list to release with lc_layer_files_free; NULL when GDAL
** cannot open it (the reader reports why later). */
char **lc_layer_files(const char *path);
void lc_layer_files_free(char **files);

/* The path GDAL opens for a PARCELS/site argument: a .zip given directly
** becomes its /vsizip/ path; anything else is used as given. Writes into
** buf (cap bytes); returns buf, or path when it is used as given. */
const char *lc_gdal_path(const char *path, char *buf, size_t cap);

/* Finds a field by name, ASCII case-insensitively; -1 when absent. */
int lc_parcels_field_index(const lc_parcels *p, const char *name);

#endif
