/*
** The printable sign-off (SPEC §5a): a PDF drawn with cairo and pango from
** a plain view of what to print. The renderer knows nothing of the
** analysis; signoff_build.c fills the view. Coordinates are in the working
** CRS (metres, y up); areas in m² (the renderer converts to mu for print).
**
** Ownership: the view and everything it points to belong to whoever built
** it; the renderer only reads it.
*/
#ifndef LC_SIGNOFF_PDF_H
#define LC_SIGNOFF_PDF_H

#include <stddef.h>

#include "landcons.h"

#define LC_SO_STATUS_N 5   /* transferred, pending, refused, disputed, unregistered */

/* A ring of n points (x0, y0, x1, y1, ...); a shape is filled even-odd, so
** holes and multipolygon parts need no further structure. */
typedef struct lc_so_ring {
    double *xy;
    size_t n;
} lc_so_ring;

typedef struct lc_so_shape {
    lc_so_ring *rings;
    size_t n_rings;
} lc_so_shape;

/* A parcel status as printed: its words and its map colour. */
typedef struct lc_so_class {
    const char *zh, *en;
    double rgb[3];           /* 0..1 */
} lc_so_class;

typedef struct lc_so_parcel {
    lc_so_shape shape;
    int status;              /* index into lc_signoff_doc.statuses */
    int blocking;            /* blocks this site: hatched */
} lc_so_parcel;

/* A row of the blocking-parcel table, and its label on the map. */
typedef struct lc_so_blocker {
    const char *key, *village, *group, *holder;  /* NULL: unknown */
    const char *key_tail;    /* as labelled on the map ("…0200125") */
    int status;
    double overlap_m2;
    const char *signed_on;   /* YYYY-MM-DD, NULL when not signed */
    int signed_after_as_of;  /* signed, but after the as-of date */
    int has_anchor;
    double anchor_x, anchor_y; /* a point of the overlap, for the label */
} lc_so_blocker;

typedef struct lc_so_site {
    int id;
    const char *name;        /* NULL when unnamed */
    int ready;
    double area_m2;
    double status_m2[LC_SO_STATUS_N];
    double no_parcel_m2;
    size_t n_slivers;        /* untransferred overlaps of at most min_overlap_m2 */
    double sliver_m2;
    lc_so_shape outline;
    lc_so_parcel *parcels;   /* every parcel within the map's ground extent */
    size_t n_parcels;
    lc_so_blocker *blockers; /* largest overlap first */
    size_t n_blockers;
} lc_so_site;

/* An input file and its sha256 in hex ("" when it could not be hashed:
** `note` then says why). */
typedef struct lc_so_source {
    const char *role_zh, *role_en, *path;
    char sha256[65];
    const char *note;
} lc_so_source;

typedef struct lc_signoff_doc {
    lc_paper paper;
    const char *as_of;       /* YYYY-MM-DD */
    const char *generated;   /* local date and time of the run */
    const char *crs_name;    /* the working CRS: map grid, areas */
    const char *version;
    const char *command_line;/* NULL: not known */
    double min_overlap_m2;
    lc_so_class statuses[LC_SO_STATUS_N];
    lc_so_site *sites;
    size_t n_sites;
    lc_so_source *sources;
    size_t n_sources;
} lc_signoff_doc;

/*
** The ground extent (minx, miny, maxx, maxy in the working CRS) the map of
** a site with this bounding box shows on `paper`, and the map's scale 1:N.
** The builder asks this to know which parcels to put in the view.
*/
void lc_signoff_map_extent(lc_paper paper, const double site_bbox[4], double extent[4], double *scale_n);

/* Draws the document into the existing file `file` (the output's temporary
** file); `path` names the output in messages. */
lc_status lc_signoff_pdf_write(lc_ctx *ctx, const lc_signoff_doc *doc, const char *file, const char *path);

#endif
