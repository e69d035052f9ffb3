/*
** Project sites and constraint layers (SPEC §1, §2). Reading them is a
** phase of its own (each layer read like the parcels, into their working
** CRS); the overlay is another: each site against the parcels under it
** (STRtree, a prepared site, parcels wholly inside measured by their own
** area), its figures by status, its area under no parcel, whether it is
** ready and why not; and each site against the constraint layers.
** Overlaps under LC_SLIVER_M2 are numerical slivers and are dropped.
** Results own their arrays, geometries and strings; sites borrow their
** layers, which must outlive them.
*/
#ifndef LC_SITES_H
#define LC_SITES_H

#include "parcels.h"
#include "status.h"

typedef struct lc_site_layer_opts {
    const char *const *sites;
    int n_sites;
    const char *const *constraints;
    int n_constraints;
    const char *name_field;      /* NULL: the first text field */
} lc_site_layer_opts;

typedef struct lc_site_layers {
    lc_parcels **sites;          /* one per --site */
    size_t n_sites;
    lc_parcels **constraints;    /* one per --constraint */
    size_t n_constraints;
} lc_site_layers;

lc_status lc_site_layers_read(lc_ctx *ctx, const lc_parcels *parcels, const lc_site_layer_opts *o,
                              lc_site_layers *out);
void lc_site_layers_release(lc_site_layers *l);

/* A project site (SPEC §2 site overlap): its figures by parcel status. */
typedef struct lc_site {
    int32_t id;                  /* 1.. across all site layers, in order */
    const lc_parcels *set;       /* borrowed: the site layer it came from */
    size_t index;                /* feature in that set */
    const char *name;            /* borrowed; NULL when the layer has no text field */
    double area_m2;
    double status_m2[LC_ST_N];   /* overlaps by parcel status */
    double covered_m2;           /* area of site ∩ union of all parcels */
    double no_parcel_m2;
    int ready;
    const char *reason;          /* why it is not ready; NULL when ready */
    size_t first_overlap, n_overlaps; /* into lc_sites.overlaps */
    size_t n_blocking;
} lc_site;

typedef struct lc_overlap {
    int32_t site_id;
    size_t parcel;
    GEOSGeometry *geom;          /* site ∩ parcel: owned, or the parcel's own (borrowed) */
    double m2;
    int borrowed;                /* the site holds the parcel whole: geom is the parcel's */
} lc_overlap;

typedef struct lc_constraint_hit {
    int32_t site_id;
    size_t layer;                /* index into the constraint layers */
    size_t feature;              /* index into that set's items */
    GEOSGeometry *geom;          /* owned */
    double m2;
} lc_constraint_hit;

typedef struct lc_sites {
    lc_site *items;
    size_t n;
    lc_overlap *overlaps;        /* by site, then largest first */
    size_t n_overlaps;
    lc_constraint_hit *hits;
    size_t n_hits;
    lc_arena strings;
} lc_sites;

/* Findings (sites off the parcels) go to qa. */
lc_status lc_sites_run(lc_ctx *ctx, const lc_parcels *p, const lc_statuses *st, const lc_site_layers *layers,
                       double min_overlap_m2, lc_qa *qa, lc_sites *out);
void lc_sites_release(GEOSContextHandle_t h, lc_sites *s);

#endif
