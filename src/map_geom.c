/*
** Map geometry for display (see map_geom.h). A county is drawn in a
** page-sized picture, where a pixel is a few metres: coordinates are
** snapped to 0.1 px, which is finer than any screen or printer shows, and
** each ring is thinned by Douglas-Peucker within the caller's tolerance
** (half a pixel for the report), which keeps a 30,000-parcel county to a
** few vertices a parcel. Label placement is greedy: in the caller's order
** of importance, each label takes the first free spot it is offered.
*/
#include <math.h>
#include <string.h>

#include "map_geom.h"

/* ---- frame ------------------------------------------------------------------------ */

void lc_map_frame_fit(double minx, double miny, double maxx, double maxy, double max_w, double max_h, double pad,
                      lc_map_frame *f)
{
    if (!isfinite(minx) || !isfinite(miny) || !isfinite(maxx) || !isfinite(maxy)) {
        minx = miny = 0;     /* no geometry to frame: an empty 1 m map */
        maxx = maxy = 1;
    }
    double w = maxx - minx, hgt = maxy - miny;
    if (!(w > 1)) w = 1;
    if (!(hgt > 1)) hgt = 1;
    double kx = (max_w - 2 * pad) / w, ky = (max_h - 2 * pad) / hgt;
    f->k = kx < ky ? kx : ky;
    f->pad = pad;
    f->x0 = minx;
    f->y0 = maxy;
    f->w = ceil(w * f->k + 2 * pad);
    f->h = ceil(hgt * f->k + 2 * pad);
}

void lc_map_extent_grow(double *minx, double *miny, double *maxx, double *maxy, double share, double min_m,
                        double max_aspect)
{
    double w = *maxx - *minx, h = *maxy - *miny;
    double m = fmax((w > h ? w : h) * share, min_m);
    *minx -= m, *miny -= m, *maxx += m, *maxy += m;
    w += 2 * m, h += 2 * m;
    if (w > h * max_aspect) {
        double d = (w / max_aspect - h) / 2;
        *miny -= d, *maxy += d;
    } else if (h > w * max_aspect) {
        double d = (h / max_aspect - w) / 2;
        *minx -= d, *maxx += d;
    }
}

double lc_map_round_down(double x)
{
    double e = pow(10, floor(log10(x)));
    double f = x / e;
    return (f >= 5 ? 5 : f >= 2 ? 2 : 1) * e;
}

double lc_map_grid_convergence(PJ *op, double x, double y)
{
    if (!op) return NAN;
    proj_errno_reset(op);
    PJ_COORD g = proj_trans(op, PJ_FWD, proj_coord(x, y, 0, 0));
    PJ_COORD g2 = g;
    g2.xy.y += 0.01;
    PJ_COORD w1 = proj_trans(op, PJ_INV, g), w2 = proj_trans(op, PJ_INV, g2);
    int bad = proj_errno(op) != 0;
    proj_errno_reset(op);
    double dx = w2.xy.x - w1.xy.x, dy = w2.xy.y - w1.xy.y;
    if (bad || !isfinite(dx) || !isfinite(dy) || (dx == 0 && dy == 0) || w1.xy.x == HUGE_VAL) return NAN;
    return atan2(dx, dy) * 180 / LC_PI;
}

/* ---- rings ------------------------------------------------------------------------ */

void lc_map_rings_free(lc_map_rings *b)
{
    if (!b) return;
    free(b->xy);
    free(b->pts);
    free(b->keep);
    free(b->idx);
    free(b->out);
    memset(b, 0, sizeof *b);
}

static double seg_dist2(lc_map_pt p, lc_map_pt a, lc_map_pt b)
{
    double dx = (double)(b.x - a.x), dy = (double)(b.y - a.y);
    double px = (double)(p.x - a.x), py = (double)(p.y - a.y);
    double len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? (px * dx + py * dy) / len2 : 0;
    if (t < 0) t = 0;
    if (t > 1) t = 1;
    double ex = px - t * dx, ey = py - t * dy;
    return ex * ex + ey * ey;
}

/* Douglas-Peucker over pts[0..m] (pts[m] == pts[0], the closed ring) with
** an explicit stack, since a footprint ring can have 10⁵ vertices. The
** ring is split at the vertex farthest from its start, so even a thin
** strip keeps both long sides. Leaves the kept indices (< m) in b->idx
** and returns their count. */
static size_t simplify_ring(lc_map_rings *b, size_t m, double tol)
{
    lc_map_pt *p = b->pts;
    size_t far = 0;
    double best = -1;
    for (size_t i = 1; i < m; i++) {
        double dx = (double)(p[i].x - p[0].x), dy = (double)(p[i].y - p[0].y);
        if (dx * dx + dy * dy > best) {
            best = dx * dx + dy * dy;
            far = i;
        }
    }
    memset(b->keep, 0, m + 1);
    b->keep[0] = b->keep[far] = b->keep[m] = 1;
    size_t *st = b->idx, top = 0;
    st[top++] = 0, st[top++] = far, st[top++] = far, st[top++] = m;
    double tol2 = tol * tol;
    while (top) {
        size_t j = st[--top], i = st[--top];
        if (j - i < 2) continue;
        size_t imax = i;
        double dmax = -1;
        for (size_t q = i + 1; q < j; q++) {
            double d = seg_dist2(p[q], p[i], p[j]);
            if (d > dmax) dmax = d, imax = q;
        }
        if (dmax <= tol2) continue;
        b->keep[imax] = 1;
        st[top++] = i, st[top++] = imax, st[top++] = imax, st[top++] = j;
    }
    size_t n = 0;
    for (size_t i = 0; i < m; i++)
        if (b->keep[i]) b->idx[n++] = i;
    return n;
}

static lc_status grow(lc_ctx *ctx, void **items, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return LC_OK;
    return lc_grow(ctx, items, cap, need, size) ? LC_ENOMEM : LC_OK;
}

/* Snaps the ring's coordinates to the 0.1 px grid, dropping repeats and
** the closing point; *m is the number of distinct vertices. */
static lc_status snap_ring(lc_ctx *ctx, lc_map_rings *b, const lc_map_frame *f, const GEOSCoordSequence *seq,
                           size_t *m)
{
    GEOSContextHandle_t h = ctx->geos;
    unsigned int n = 0;
    *m = 0;
    if (!GEOSCoordSeq_getSize_r(h, seq, &n) || n < 4) return LC_OK;
    if (grow(ctx, (void **)&b->xy, &b->xy_cap, 2 * (size_t)n, sizeof *b->xy) ||
        grow(ctx, (void **)&b->pts, &b->pts_cap, (size_t)n + 1, sizeof *b->pts) ||
        grow(ctx, (void **)&b->keep, &b->keep_cap, (size_t)n + 1, 1) ||
        grow(ctx, (void **)&b->idx, &b->idx_cap, 4 * ((size_t)n + 2), sizeof *b->idx) ||
        grow(ctx, (void **)&b->out, &b->out_cap, (size_t)n, sizeof *b->out))
        return LC_ENOMEM;
    if (!GEOSCoordSeq_copyToBuffer_r(h, seq, b->xy, 0, 0)) return LC_EINTERNAL;
    size_t k = 0;
    for (unsigned int i = 0; i < n; i++) {
        double px, py;
        lc_map_to_px(f, b->xy[2 * i], b->xy[2 * i + 1], &px, &py);
        lc_map_pt q = {lround(px * 10), lround(py * 10)};
        if (k && q.x == b->pts[k - 1].x && q.y == b->pts[k - 1].y) continue;
        b->pts[k++] = q;
    }
    while (k > 1 && b->pts[k - 1].x == b->pts[0].x && b->pts[k - 1].y == b->pts[0].y) k--;
    *m = k;
    return LC_OK;
}

typedef struct walk {
    lc_ctx *ctx;
    lc_map_rings *b;
    const lc_map_frame *f;
    double tol;                  /* tenths of a pixel */
    int shells_only;
    lc_map_ring_fn fn;
    void *userdata;
} walk;

static lc_status ring(walk *w, const GEOSGeometry *g, int hole)
{
    lc_map_rings *b = w->b;
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(w->ctx->geos, g);
    size_t m = 0;
    lc_status rc = seq ? snap_ring(w->ctx, b, w->f, seq, &m) : LC_OK;
    if (rc != LC_OK || m < 3) return rc;
    b->pts[m] = b->pts[0];
    size_t n = simplify_ring(b, m, w->tol);
    if (n < 3) {
        for (size_t i = 0; i < m; i++) b->idx[i] = i;
        n = m;
    }
    double area2 = 0;
    for (size_t k = 0; k < n; k++) {
        lc_map_pt p = b->pts[b->idx[k]], q = b->pts[b->idx[(k + 1) % n]];
        area2 += (double)p.x * (double)q.y - (double)q.x * (double)p.y;
    }
    if (area2 == 0) return LC_OK;
    int reverse = (area2 > 0) == hole;
    for (size_t k = 0; k < n; k++) b->out[k] = b->pts[b->idx[reverse ? n - 1 - k : k]];
    w->fn(w->userdata, b->out, n);
    return LC_OK;
}

static lc_status polygons(walk *w, const GEOSGeometry *g)
{
    GEOSContextHandle_t h = w->ctx->geos;
    if (!g) return LC_OK;
    lc_status rc = LC_OK;
    int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_POLYGON) {
        rc = ring(w, GEOSGetExteriorRing_r(h, g), 0);
        int nh = w->shells_only ? 0 : GEOSGetNumInteriorRings_r(h, g);
        for (int i = 0; i < nh && rc == LC_OK; i++) rc = ring(w, GEOSGetInteriorRingN_r(h, g, i), 1);
    } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        int n = GEOSGetNumGeometries_r(h, g);
        for (int i = 0; i < n && rc == LC_OK; i++) rc = polygons(w, GEOSGetGeometryN_r(h, g, i));
    }
    return rc;
}

lc_status lc_map_polygons(lc_ctx *ctx, lc_map_rings *b, const lc_map_frame *f, const GEOSGeometry *g,
                          int shells_only, double tol_px, lc_map_ring_fn fn, void *userdata)
{
    walk w = {ctx, b, f, tol_px * 10, shells_only, fn, userdata};
    return polygons(&w, g);
}

/* ---- labels ------------------------------------------------------------------------ */

double lc_map_text_width(const char *s, double size)
{
    double w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p & 0xC0) == 0x80) continue;
        w += *p >= 0xE0 ? size : size * 0.6;  /* CJK ideographs are square */
    }
    return w;
}

static int box_free(const lc_map_box *boxes, size_t n, lc_map_box b)
{
    for (size_t i = 0; i < n; i++)
        if (b.x0 < boxes[i].x1 && boxes[i].x0 < b.x1 && b.y0 < boxes[i].y1 && boxes[i].y0 < b.y1) return 0;
    return 1;
}

/* A one-line label's box: the text's width and a margin, a line high. */
static lc_map_box box1(double x, double y, const char *text, double size)
{
    double w = lc_map_text_width(text, size) + 6;
    return (lc_map_box){x - w / 2, y - size * 0.7, x + w / 2, y + size * 0.7};
}

static int take_box(lc_map_labels *lb, lc_map_box b)
{
    if (lb->n == LC_MAP_MAX_LABELS || !box_free(lb->box, lb->n, b)) return 0;
    if (b.x0 < 0 || b.y0 < 0 || b.x1 > lb->w || b.y1 > lb->h) return 0;
    lb->box[lb->n++] = b;
    return 1;
}

int lc_map_label_take(lc_map_labels *lb, double x, double y, const char *l1, const char *l2, double size)
{
    double w = fmax(lc_map_text_width(l1, size), lc_map_text_width(l2, size)) + 8;
    return take_box(lb, (lc_map_box){x - w / 2, y - size * 1.2, x + w / 2, y + size * 1.4});
}

int lc_map_label_beside(lc_map_labels *lb, lc_map_box bb, const char *l1, const char *l2, double size, double *x,
                        double *y)
{
    double w = fmax(lc_map_text_width(l1, size), lc_map_text_width(l2, size)) / 2 + 8;
    double cx = (bb.x0 + bb.x1) / 2, cy = (bb.y0 + bb.y1) / 2;
    const double spots[4][2] = {{cx, bb.y0 - 22}, {cx, bb.y1 + 20}, {bb.x1 + w, cy}, {bb.x0 - w, cy}};
    for (int t = 0; t < 4; t++)
        if (lc_map_label_take(lb, spots[t][0], spots[t][1], l1, l2, size)) {
            *x = spots[t][0];
            *y = spots[t][1];
            return 1;
        }
    return 0;
}

int lc_map_label_near(lc_map_labels *lb, double x, double y, const double *dy, size_t n, const char *l1,
                      const char *l2, double size, double *y_out)
{
    for (size_t t = 0; t < n; t++)
        if (lc_map_label_take(lb, x, y + dy[t], l1, l2, size)) {
            *y_out = y + dy[t];
            return 1;
        }
    return 0;
}

int lc_map_label_take1(lc_map_labels *lb, double x, double y, const char *text, double size)
{
    return take_box(lb, box1(x, y, text, size));
}

int lc_map_label_around(lc_map_labels *lb, double x, double y, const char *text, double size, int rings,
                        double *lx, double *ly, int *far)
{
    /* from the anchor to the label's centre on ring t: a gap of `size`
    ** per ring beyond the first, plus half the label across or up */
    double hw = (lc_map_text_width(text, size) + 6) / 2, hh = size * 0.7;
    static const int dir[8][2] = {{1, 0}, {-1, 0}, {0, -1}, {0, 1}, {1, -1}, {-1, -1}, {1, 1}, {-1, 1}};
    for (int t = 0; t < rings; t++) {
        double gap = 3 + t * size;
        for (int d = 0; d < 8; d++) {
            double cx = x + dir[d][0] * (hw + gap), cy = y + dir[d][1] * (hh + gap);
            if (lc_map_label_take1(lb, cx, cy, text, size)) {
                *lx = cx;
                *ly = cy;
                *far = t > 0;
                return 1;
            }
        }
    }
    return 0;
}

/* The middle of the longest line piece of g (a cut), in world units. */
static int longest_piece(GEOSContextHandle_t h, const GEOSGeometry *g, double *mx, double *my)
{
    double best = -1;
    int n = GEOSGetNumGeometries_r(h, g);
    for (int i = 0; i < n; i++) {
        const GEOSGeometry *p = GEOSGetGeometryN_r(h, g, i);
        if (GEOSGeomTypeId_r(h, p) != GEOS_LINESTRING) continue;
        const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, p);
        unsigned int np = 0;
        double x0, y0, x1, y1;
        if (!cs || !GEOSCoordSeq_getSize_r(h, cs, &np) || np < 2 || !GEOSCoordSeq_getXY_r(h, cs, 0, &x0, &y0) ||
            !GEOSCoordSeq_getXY_r(h, cs, np - 1, &x1, &y1))
            continue;
        double len = hypot(x1 - x0, y1 - y0);   /* a cut along a straight line is straight */
        if (len > best) {
            best = len;
            *mx = (x0 + x1) / 2;
            *my = (y0 + y1) / 2;
        }
    }
    return best >= 0;
}

size_t lc_map_anchors(lc_ctx *ctx, const lc_map_frame *f, const GEOSGeometry *g, double *xy, size_t max)
{
    static const double at[] = {0.5, 0.25, 0.75, 0.125, 0.375, 0.625, 0.875};
    GEOSContextHandle_t h = ctx->geos;
    double x0, y0, x1, y1;
    if (!g || GEOSisEmpty_r(h, g) != 0 || !GEOSGeom_getExtent_r(h, g, &x0, &y0, &x1, &y1)) return 0;
    int across_x = x1 - x0 >= y1 - y0;   /* cut across the longer side */
    size_t n = 0;
    for (size_t k = 0; k < sizeof at / sizeof at[0] && n < max; k++) {
        double c = across_x ? x0 + at[k] * (x1 - x0) : y0 + at[k] * (y1 - y0);
        GEOSCoordSequence *cs = GEOSCoordSeq_create_r(h, 2, 2);
        if (!cs) break;
        if (across_x) {
            GEOSCoordSeq_setXY_r(h, cs, 0, c, y0 - 1);
            GEOSCoordSeq_setXY_r(h, cs, 1, c, y1 + 1);
        } else {
            GEOSCoordSeq_setXY_r(h, cs, 0, x0 - 1, c);
            GEOSCoordSeq_setXY_r(h, cs, 1, x1 + 1, c);
        }
        GEOSGeometry *line = GEOSGeom_createLineString_r(h, cs);
        GEOSGeometry *cut = line ? GEOSIntersection_r(h, g, line) : NULL;
        double mx = 0, my = 0;
        if (cut && longest_piece(h, cut, &mx, &my)) {
            lc_map_to_px(f, mx, my, &xy[2 * n], &xy[2 * n + 1]);
            n++;
        }
        if (cut) GEOSGeom_destroy_r(h, cut);
        if (line) GEOSGeom_destroy_r(h, line);
    }
    return n;
}

int lc_map_label_feature(lc_map_labels *lb, const double *anchors, size_t n, const char *text, double size,
                         double mark, int rings, double *ax, double *ay, double *lx, double *ly, int *far)
{
    double r = mark / 2;
    for (size_t k = 0; k < n; k++) {
        double x = anchors[2 * k], y = anchors[2 * k + 1];
        if (!take_box(lb, (lc_map_box){x - r, y - r, x + r, y + r})) continue;
        if (lc_map_label_around(lb, x, y, text, size, 1, lx, ly, far)) {
            *ax = x;
            *ay = y;
            return 1;
        }
        lb->n--;   /* the mark alone is of no use there */
    }
    if (!n) return 0;
    *ax = anchors[0];
    *ay = anchors[1];
    take_box(lb, (lc_map_box){*ax - r, *ay - r, *ax + r, *ay + r});
    return rings > 1 && lc_map_label_around(lb, *ax, *ay, text, size, rings, lx, ly, far);
}

/* Bytes of the last `chars` UTF-8 characters of s (all of s when shorter). */
static size_t tail_bytes(const char *s, size_t len, size_t chars)
{
    size_t b = len;
    while (b > 0 && chars > 0) {
        b--;
        if (((unsigned char)s[b] & 0xC0) != 0x80) chars--;
    }
    return len - b;
}

static int ends_with(const char *s, const char *tail, size_t tn)
{
    if (!s) return 0;
    size_t sn = strlen(s);
    return sn >= tn && !memcmp(s + sn - tn, tail, tn);
}

size_t lc_map_key_tail(const char *const *keys, size_t n, size_t i, size_t min_chars)
{
    const char *k = keys[i];
    if (!k) return 0;
    size_t len = strlen(k);
    for (size_t chars = min_chars;; chars++) {
        size_t tn = tail_bytes(k, len, chars);
        int alone = 1;
        for (size_t j = 0; j < n && alone; j++)
            if (j != i && ends_with(keys[j], k + len - tn, tn)) alone = 0;
        if (alone || tn == len) return tn;
    }
}

void lc_map_labels_keep_clear(lc_map_labels *lb, lc_map_box b)
{
    if (lb->n < LC_MAP_MAX_LABELS) lb->box[lb->n++] = b;
}

int lc_map_bbox_px(lc_ctx *ctx, const lc_map_frame *f, const GEOSGeometry *g, lc_map_box *out)
{
    GEOSContextHandle_t h = ctx->geos;
    double minx, miny, maxx, maxy;
    if (!GEOSGeom_getXMin_r(h, g, &minx) || !GEOSGeom_getYMin_r(h, g, &miny) ||
        !GEOSGeom_getXMax_r(h, g, &maxx) || !GEOSGeom_getYMax_r(h, g, &maxy))
        return 0;
    lc_map_to_px(f, minx, maxy, &out->x0, &out->y0);
    lc_map_to_px(f, maxx, miny, &out->x1, &out->y1);
    return 1;
}

int lc_map_point_on_surface_px(lc_ctx *ctx, const lc_map_frame *f, const GEOSGeometry *g, double *px, double *py)
{
    GEOSContextHandle_t h = ctx->geos;
    GEOSGeometry *pt = g ? GEOSPointOnSurface_r(h, g) : NULL;
    double x, y;
    int ok = pt && GEOSGeomGetX_r(h, pt, &x) && GEOSGeomGetY_r(h, pt, &y);
    if (pt) GEOSGeom_destroy_r(h, pt);
    if (ok) lc_map_to_px(f, x, y, px, py);
    return ok;
}
