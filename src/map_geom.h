/*
** Map geometry for display, in no output format: the frame that fits a
** world extent into a picture of at most a given size (world metres to
** pixels, y down), polygons snapped to a tenth of a pixel and thinned for
** the picture's scale, the convergence of grid and true north, and label
** boxes placed so that labels do not cover one another.
**
** Pure functions of their inputs. An lc_map_rings owns its scratch buffers
** (lc_map_rings_free releases them); the points it hands to a ring
** callback are borrowed until the callback returns. Nothing here knows the
** analysis or the page the picture goes into.
*/
#ifndef LC_MAP_GEOM_H
#define LC_MAP_GEOM_H

#include "lc_internal.h"

/* ---- frame: world → pixel ---------------------------------------------------- */

typedef struct lc_map_frame {
    double x0, y0;               /* world point at the inner top-left corner (min x, max y) */
    double k;                    /* pixels per metre */
    double pad;                  /* blank margin inside the frame, px */
    double w, h;                 /* the frame, px, rounded up to whole pixels */
} lc_map_frame;

/*
** The largest scale at which the extent, plus `pad` px on every side, fits
** in max_w × max_h px; the frame is then shrunk to the extent's shape. An
** extent narrower than 1 m is taken as 1 m wide; one that is not finite
** (nothing to frame) as the square 0..1 m.
*/
void lc_map_frame_fit(double minx, double miny, double maxx, double maxy, double max_w, double max_h, double pad,
                      lc_map_frame *f);

static inline void lc_map_to_px(const lc_map_frame *f, double x, double y, double *px, double *py)
{
    *px = f->pad + (x - f->x0) * f->k;
    *py = f->pad + (f->y0 - y) * f->k;
}

static inline void lc_map_from_px(const lc_map_frame *f, double px, double py, double *x, double *y)
{
    *x = f->x0 + (px - f->pad) / f->k;
    *y = f->y0 - (py - f->pad) / f->k;
}

/*
** The extent of a detail map around a feature (a site and the parcels about
** it): every side moved out by `share` of the extent's larger side, at
** least min_m metres, then the shorter side widened about its centre until
** the longer is at most max_aspect (>= 1) times it, so a road-like site
** still gets a map that shows what lies beside it.
*/
void lc_map_extent_grow(double *minx, double *miny, double *maxx, double *maxy, double share, double min_m,
                        double max_aspect);

/* The largest 1, 2 or 5 × 10^n not above x (a scale bar's length). */
double lc_map_round_down(double x);

/*
** Angle in degrees, clockwise, from grid north to true north at the world
** point (x, y): the meridian through the point, stepped 0.01° north and
** projected back (the chord's direction, which is the convergence 0.005°
** north of the point: within 0.0002° of the point's own in China).
** to_geographic maps the world CRS to longitude, latitude (degrees, in that
** order). NAN when the point cannot be projected.
*/
double lc_map_grid_convergence(PJ *to_geographic, double x, double y);

/* ---- rings simplified for display ---------------------------------------------- */

typedef struct lc_map_pt { long x, y; } lc_map_pt;   /* tenths of a pixel */

/* Scratch arrays for one ring, reused for every ring of a picture. */
typedef struct lc_map_rings {
    double *xy;
    size_t xy_cap;
    lc_map_pt *pts;
    size_t pts_cap;
    unsigned char *keep;
    size_t keep_cap;
    size_t *idx;                 /* Douglas-Peucker stack, then the kept vertices */
    size_t idx_cap;
    lc_map_pt *out;              /* the kept vertices in drawing order */
    size_t out_cap;
} lc_map_rings;

void lc_map_rings_free(lc_map_rings *b);

/* One ring to draw: n >= 3 distinct vertices in tenths of a pixel, closed
** implicitly (the last does not repeat the first). */
typedef void (*lc_map_ring_fn)(void *userdata, const lc_map_pt *pts, size_t n);

/*
** Hands each ring of the polygons of g (Polygon, MultiPolygon or a
** collection of them; anything else is skipped) to fn, as drawn at frame
** f: every vertex snapped to the 0.1 px grid, repeats dropped, then thinned
** by Douglas-Peucker within tol_px. Rings are wound so that holes turn
** against their shell (a nonzero fill then cuts the holes and still fills
** where two polygons overlap); a ring thinner than the tolerance keeps its
** snapped vertices rather than vanish; one with no area left is skipped.
** shells_only leaves the holes out. LC_ENOMEM, or LC_EINTERNAL when GEOS
** fails, with the rings before it handed over.
*/
lc_status lc_map_polygons(lc_ctx *ctx, lc_map_rings *b, const lc_map_frame *f, const GEOSGeometry *g,
                          int shells_only, double tol_px, lc_map_ring_fn fn, void *userdata);

/* ---- label placement ------------------------------------------------------------- */

/* The boxes one picture can hold: labels and the spots kept clear (a
** detail map keeps each labelled feature's anchor clear, then labels it). */
#define LC_MAP_MAX_LABELS 256

typedef struct lc_map_box { double x0, y0, x1, y1; } lc_map_box;   /* px */

/* The boxes taken so far in a picture of w × h px: labels placed, and
** outlines to keep clear. */
typedef struct lc_map_labels {
    lc_map_box box[LC_MAP_MAX_LABELS];
    size_t n;
    double w, h;
} lc_map_labels;

/* Width in px of s at font size `size`, roughly: CJK ideographs are
** square, other characters 0.6 em. */
double lc_map_text_width(const char *s, double size);

/* Takes the box of a two-line label (l1 over l2) centred at (x, y) when it
** lies inside the picture and covers no box taken before; returns 1 when
** taken. */
int lc_map_label_take(lc_map_labels *lb, double x, double y, const char *l1, const char *l2, double size);

/* A two-line label beside the box bb: above, below, right or left of it,
** the first that is free; returns 1 with its centre in (*x, *y). */
int lc_map_label_beside(lc_map_labels *lb, lc_map_box bb, const char *l1, const char *l2, double size, double *x,
                        double *y);

/* A two-line label at (x, y + dy[t]) for the first of the n shifts that is
** free; returns 1 with its centre's y in *y_out. */
int lc_map_label_near(lc_map_labels *lb, double x, double y, const double *dy, size_t n, const char *l1,
                      const char *l2, double size, double *y_out);

/* Takes the box of a one-line label centred at (x, y), as
** lc_map_label_take does for two lines; returns 1 when taken. */
int lc_map_label_take1(lc_map_labels *lb, double x, double y, const char *text, double size);

/*
** A one-line label for the anchor (x, y), never on it: just right of it,
** left, above, below, then the four diagonals, then the same eight a
** ring further out, for at most `rings` rings (the first 3 px from the
** anchor, each next one `size` px further). Returns 1 with the label's
** centre in (*lx, *ly) and, in *far, whether it left the first ring (the
** caller then draws a leader line).
*/
int lc_map_label_around(lc_map_labels *lb, double x, double y, const char *text, double size, int rings,
                        double *lx, double *ly, int *far);

/*
** Up to max candidate anchors for the label of a polygon (px, x y pairs,
** best first): the middle of the longest piece of g cut by lines across
** its longer side at 1/2, 1/4, 3/4, 1/8, 3/8, 5/8 and 7/8 of it. On a long
** strip they spread along it, so the labels of neighbouring strips can
** stagger instead of meeting in one row. Returns how many (0: g is empty
** or GEOS failed).
*/
size_t lc_map_anchors(lc_ctx *ctx, const lc_map_frame *f, const GEOSGeometry *g, double *xy, size_t max);

/*
** The label of a feature with n candidate anchors (from lc_map_anchors):
** the first anchor where a mark (a square `mark` px wide) and the label
** on the first ring around it are both free takes both; when there is
** none, the first anchor's mark (if free) and a label on the next rings
** around it, up to `rings`. Returns 1 with the anchor in (*ax, *ay), the
** label's centre in (*lx, *ly) and *far as lc_map_label_around; 0 when no
** spot is free, with the first anchor in (*ax, *ay) still to be marked.
*/
int lc_map_label_feature(lc_map_labels *lb, const double *anchors, size_t n, const char *text, double size,
                         double mark, int rings, double *ax, double *ay, double *lx, double *ly, int *far);

/*
** Bytes of the shortest tail of keys[i], of at least min_chars characters,
** that no other of the n keys ends with: the key's last digits that tell it
** apart on a map (a 19-digit DKBM of a site's blocking parcels usually
** needs four or five). Whole UTF-8 characters; the whole key when no tail
** tells it apart (a duplicate key). NULL keys end with nothing.
*/
size_t lc_map_key_tail(const char *const *keys, size_t n, size_t i, size_t min_chars);

/* Keeps b clear of later labels (a site's outline), while there is room. */
void lc_map_labels_keep_clear(lc_map_labels *lb, lc_map_box b);

/* The bounding box of g in px; 0 when g has none (empty). */
int lc_map_bbox_px(lc_ctx *ctx, const lc_map_frame *f, const GEOSGeometry *g, lc_map_box *out);

/* A point on the surface of g (GEOS PointOnSurface) in px; 0 when there is none. */
int lc_map_point_on_surface_px(lc_ctx *ctx, const lc_map_frame *f, const GEOSGeometry *g, double *px, double *py);

#endif
