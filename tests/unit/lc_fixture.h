/*
** Fixtures of the unit tests of the compute phases: a parcel set built from
** a table of (key, WKT) rows, a register built from rows, and the statuses
** of both as of a date, so a test reads as a table of drawings in and
** figures out. Everything a fixture returns belongs to the caller and is
** freed with the matching fx_*_free, which accepts NULL; the geometries
** belong to the GEOS handle of the ctx given.
*/
#ifndef LC_FIXTURE_H
#define LC_FIXTURE_H

#include "parcels.h"
#include "register.h"
#include "status.h"

/*
** The CRS of the drawings: a transverse Mercator on GRS 1980 (the CGCS2000
** ellipsoid) whose origin is the drawings' origin, so WKT coordinates of a
** few hundred metres are used as written, planar areas are the shoelace
** areas of the drawn rings, and the distortion there (scale 1 + 1e-9 at
** 300 m from the meridian) keeps it as the working CRS.
*/
#define FX_CRS "+proj=tmerc +lat_0=45 +lon_0=126 +k=1 +x_0=0 +y_0=0 +ellps=GRS80 +units=m +no_defs +type=crs"

/* The axis-aligned rectangle [x0, x1] x [y0, y1] as WKT (counter-clockwise),
** written with the numbers as given: RECT(0, 0, 10, 20) has 200 m². */
#define RECT(x0, y0, x1, y1)                                                           \
    "POLYGON((" #x0 " " #y0 "," #x1 " " #y0 "," #x1 " " #y1 "," #x0 " " #y1 "," #x0 " " #y0 "))"

/* A parcel of a case: its key (NULL: none), its geometry, and optionally
** its township and village fields (XZ, CUN; NULL: null). */
typedef struct fx_row {
    const char *key;
    const char *wkt;
    const char *township, *village;
} fx_row;

/* Builds the set of rows[0..n) in `crs` (NULL: FX_CRS), each geometry
** moved by (dx, dy) (0, 0: as written). Fields: DKBM (the key), XZ, CUN.
** LC_EINPUT (with the row named) when a WKT does not parse or is not
** polygonal. */
lc_status fx_parcels(lc_ctx *ctx, const char *crs, double dx, double dy, const fx_row *rows, size_t n,
                     lc_parcels **out);
void fx_parcels_free(lc_parcels *p);

/* A register row: key, status word of SPEC §1 (signed, pending, 拒签, ...),
** signed date as a register writes it (NULL: none), declared mu (NAN:
** none), holder (NULL: none). */
typedef struct fx_reg_row {
    const char *key, *status, *date;
    double declared_mu;
    const char *holder;
} fx_reg_row;

/* One entry per row, sorted by key (rows must have distinct keys: the
** consolidation of duplicate rows is the register reader's, tested in
** test_register.c). LC_EINPUT on an unknown status word or date. */
lc_status fx_register(lc_ctx *ctx, const fx_reg_row *rows, size_t n, lc_register **out);
void fx_register_free(lc_register *r);

/*
** A case's world in one: parcels, register and statuses as of a date.
** Each parcel row carries a status letter for its register row: 'T'
** signed on `date`, 'S' signed with no date, 'p' pending, 'r' refused,
** 'd' disputed, 'u' no row. Parcels sharing a key share the row of the
** first of them.
*/
typedef struct fx_parcel {
    const char *key;
    const char *wkt;
    char st;
    const char *date;
} fx_parcel;

typedef struct fx_world {
    lc_parcels *p;
    lc_register *reg;
    lc_statuses st;
    lc_qa qa;                    /* the status phase's findings */
    unsigned char *transferred;  /* per parcel: status is transferred */
} fx_world;

/* Rows up to the first with a NULL wkt (at most max). as_of: YYYY-MM-DD. */
lc_status fx_world_build(lc_ctx *ctx, const fx_parcel *rows, size_t max, const char *as_of, fx_world *w);
void fx_world_free(fx_world *w);

/* Number of rows before the first with a NULL wkt, at most max. */
size_t fx_count(const fx_parcel *rows, size_t max);

/* Parcel index of a key in p (the first of duplicates); SIZE_MAX absent. */
size_t fx_find(const lc_parcels *p, const char *key);

/* Day number of YYYY-MM-DD; LC_NO_DATE for NULL. */
int32_t fx_day(const char *date);

#endif
