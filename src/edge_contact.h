/*
** How two polygons meet, decided from their coordinates alone: apart,
** touching cleanly (the way neighbours in a cadastral coverage touch: along
** identical edges and at common vertices), or anything else. GEOS answers
** "touches" with a full relate of both polygons, which costs more than
** everything else the overlap search does when nearly every parcel shares
** its edges with its neighbours; this test costs a few orientation
** predicates per nearby pair of edges. It only ever answers what it can
** prove: every orientation it relies on has an exact sign (Shewchuk's
** error bound, else the answer is LC_CONTACT_UNKNOWN), and anything it
** cannot settle is left to GEOS.
**
** An lc_rings holds its own copy of the coordinates; load it from a
** geometry of any thread (reading coordinates caches nothing in GEOS).
*/
#ifndef LC_EDGE_CONTACT_H
#define LC_EDGE_CONTACT_H

#include "lc_internal.h"

typedef struct lc_rings {
    double *xy;           /* x, y of every vertex; ring k spans points start[k] .. start[k + 1] - 1,
                          ** closed (its last point repeats its first) */
    size_t *start;        /* n_rings + 1 entries */
    unsigned char *shell; /* per ring: 1 for a shell, 0 for a hole */
    size_t n_rings, n_points;
    double minx, miny, maxx, maxy;
    size_t cap_points, cap_rings;   /* allocated sizes, reused by the next load */
} lc_rings;

/* Loads the rings of a Polygon or MultiPolygon into r (its buffers are
** reused; start from a zeroed lc_rings). Returns LC_OK, or an error status
** with the message on ctx. */
lc_status lc_rings_load(lc_ctx *ctx, lc_rings *r, const GEOSGeometry *g);
void lc_rings_release(lc_rings *r);

typedef enum lc_contact {
    LC_CONTACT_UNKNOWN = 0,  /* not settled here: overlapping, or a case left to GEOS */
    LC_CONTACT_NONE,         /* no point in common */
    LC_CONTACT_CLEAN         /* interiors disjoint; the boundaries meet only at common
                             ** vertices and along identical edges */
} lc_contact;

/* How the valid polygons a and b meet. LC_CONTACT_UNKNOWN covers every
** overlap, a vertex of one lying on an edge of the other (a T-junction),
** collinear edges that overlap without being identical, and coincidences
** too close to call in floating point. */
lc_contact lc_rings_contact(const lc_rings *a, const lc_rings *b);

#endif
