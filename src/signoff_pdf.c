/*
** The sign-off PDF (SPEC §5a), drawn with cairo and pango from the view of
** signoff_pdf.h. Per site: the first page holds the verdict, the map, the
** figures, the first rows of the blocking-parcel table and the signature
** fields; the table continues on further pages, and the sources (files,
** sha256, command line, version) close the site's pages. Every page says
** which site, which date and which page of how many it is, so a page that
** strays from its stack still reads.
**
** Layout is in millimetres (the cairo matrix maps them to PDF points) and
** text sizes in points (the pango resolution makes a point 25.4/72 mm).
** Each site is laid out twice: a dry pass that only measures counts its
** pages, then the pass that draws. Text is pango text, so the PDF holds
** real, searchable text in embedded subsets of Noto Sans CJK SC.
*/
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include "lc_internal.h"
#include "signoff_pdf.h"

#define FONT "Noto Sans CJK SC"
#define FONT_MONO "Noto Sans Mono CJK SC"
#define MM_TO_PT (72.0 / 25.4)

#define MARGIN 14.0
#define FOOTER_H 8.0
#define PANEL_W 56.0      /* beside the map: figures and legend */
#define PANEL_GAP 4.0
/* Map heights tried, as shares of the page height: the tallest with which
** the site's pages come to one page, else the tallest. */
static const double map_shares[] = {0.36, 0.31};
#define N_MAP_SHARES (sizeof map_shares / sizeof map_shares[0])
/* Blank ground around the site's bounding box, as a share of its size. */
#define MAP_PAD_SHARE 0.10
#define MAP_MIN_SPAN_M 40.0
/* Vertices closer than this on paper to the previous one are not drawn:
** below what a printer resolves (0.05 mm is 1/500 inch). */
#define MIN_STEP_MM 0.05
#define HATCH_STEP_MM 1.1
#define LABEL_PT 6.5

/* Fixed colours (the status colours come with the view). */
static const double INK[3] = {0.11, 0.17, 0.23};
static const double GREY[3] = {0.38, 0.44, 0.50};
static const double RULE[3] = {0.75, 0.78, 0.82};
static const double READY_RGB[3] = {0.0, 109 / 255.0, 44 / 255.0};     /* QGIS site style, ready */
static const double BLOCKED_RGB[3] = {165 / 255.0, 15 / 255.0, 21 / 255.0}; /* not ready */
static const double BLOCKER_LINE[3] = {103 / 255.0, 0.0, 13 / 255.0};   /* QGIS blocking outline */

enum { F_BOLD = 1, F_MONO = 2, F_TNUM = 4, F_RIGHT = 8, F_CENTER = 16, F_ELLIPSIZE = 32 };

typedef struct box { double x0, y0, x1, y1; } box;

/* The map frame on paper and the ground it shows. */
typedef struct frame {
    double x, y, w, h;        /* mm */
    double ext[4];            /* minx, miny, maxx, maxy, working CRS */
    double scale_n;           /* 1:N */
    double k;                 /* mm per metre */
} frame;

typedef struct pdf {
    lc_ctx *ctx;
    const lc_signoff_doc *doc;
    cairo_surface_t *surface;
    cairo_t *cr;
    PangoContext *pango;
    double W, H;              /* page, mm */
    double y;                 /* layout cursor, mm from the top */
    int dry;                  /* measuring pass: nothing is drawn */
    const lc_so_site *site;
    int page, pages;          /* within the site */
    int doc_page;             /* in the document, 1.. */
    size_t labelled;          /* blocking parcels labelled on the map */
    double *row_h;            /* height of each table row of the site, -1: not yet measured */
} pdf;

/* ---- numbers --------------------------------------------------------------- */

static double mu(double m2) { return lc_mu_from_m2(m2); }

/* v with `dec` decimals and thousands separated by commas ("12,345.67"). */
static const char *num(char out[40], double v, int dec)
{
    char t[40];
    snprintf(t, sizeof t, "%.*f", dec, fabs(v) < 0.5 * pow(10, -dec) ? 0.0 : v);
    const char *d = t[0] == '-' ? t + 1 : t;
    size_t int_len = strcspn(d, "."), o = 0;
    if (d != t) out[o++] = '-';
    for (size_t i = 0; d[i] && o < 38; i++) {
        if (i > 0 && i < int_len && (int_len - i) % 3 == 0) out[o++] = ',';
        out[o++] = d[i];
    }
    out[o] = '\0';
    return out;
}

/* ---- text ------------------------------------------------------------------ */

static PangoLayout *layout_new(pdf *p, const char *s, double pt, unsigned flags, double width)
{
    PangoLayout *l = pango_layout_new(p->pango);
    PangoFontDescription *fd = pango_font_description_from_string(flags & F_MONO ? FONT_MONO : FONT);
    pango_font_description_set_size(fd, (gint)lround(pt * PANGO_SCALE));
    pango_font_description_set_weight(fd, flags & F_BOLD ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    if (flags & F_TNUM) {
        PangoAttrList *al = pango_attr_list_new();
        pango_attr_list_insert(al, pango_attr_font_features_new("tnum"));
        pango_layout_set_attributes(l, al);
        pango_attr_list_unref(al);
    }
    if (width > 0) {
        pango_layout_set_width(l, (int)(width * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
        /* one line, shortened in the middle ("用地 1 双城区…设施建设项目") */
        if (flags & F_ELLIPSIZE) pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_MIDDLE);
        pango_layout_set_alignment(l, flags & F_RIGHT    ? PANGO_ALIGN_RIGHT
                                      : flags & F_CENTER ? PANGO_ALIGN_CENTER
                                                         : PANGO_ALIGN_LEFT);
    }
    /* a path typed in a GBK shell is not UTF-8: pango would refuse it */
    if (g_utf8_validate(s, -1, NULL)) pango_layout_set_text(l, s, -1);
    else {
        char *v = g_utf8_make_valid(s, -1);
        pango_layout_set_text(l, v, -1);
        g_free(v);
    }
    return l;
}

static void layout_size(PangoLayout *l, double *w, double *h)
{
    PangoRectangle ink, logical;
    pango_layout_get_extents(l, &ink, &logical);
    if (w) *w = (double)logical.width / PANGO_SCALE;
    if (h) *h = (double)logical.height / PANGO_SCALE;
}

/* Draws s with its top left at (x, y), wrapped within `width` mm (0: one
** line); in the dry pass only measures. Returns the height in mm. */
static double text(pdf *p, double x, double y, double width, const char *s, double pt, unsigned flags,
                   const double rgb[3])
{
    if (!s) s = "";
    PangoLayout *l = layout_new(p, s, pt, flags, width);
    double h;
    layout_size(l, NULL, &h);
    if (!p->dry) {
        cairo_set_source_rgb(p->cr, rgb[0], rgb[1], rgb[2]);
        cairo_move_to(p->cr, x, y);
        pango_cairo_show_layout(p->cr, l);
    }
    g_object_unref(l);
    return h;
}

static double text_width(pdf *p, const char *s, double pt, unsigned flags)
{
    PangoLayout *l = layout_new(p, s, pt, flags, 0);
    double w;
    layout_size(l, &w, NULL);
    g_object_unref(l);
    return w;
}

/* A Chinese heading with its English in small grey type after it. */
static double heading(pdf *p, double x, double y, const char *zh, const char *en, double pt)
{
    double h = text(p, x, y, 0, zh, pt, F_BOLD, INK);
    if (en) text(p, x + text_width(p, zh, pt, F_BOLD) + 2, y + h * 0.3, 0, en, pt * 0.62, 0, GREY);
    return h;
}

/* ---- drawing helpers ------------------------------------------------------- */

static void set_rgb(pdf *p, const double rgb[3]) { cairo_set_source_rgb(p->cr, rgb[0], rgb[1], rgb[2]); }

static void rect(pdf *p, double x, double y, double w, double h, const double *fill, const double *line,
                 double lw)
{
    if (p->dry) return;
    cairo_rectangle(p->cr, x, y, w, h);
    if (fill) {
        set_rgb(p, fill);
        if (line) cairo_fill_preserve(p->cr);
        else cairo_fill(p->cr);
    }
    if (line) {
        set_rgb(p, line);
        cairo_set_line_width(p->cr, lw);
        cairo_stroke(p->cr);
    }
}

static void hline(pdf *p, double x0, double x1, double y, double lw, const double rgb[3])
{
    if (p->dry) return;
    cairo_move_to(p->cr, x0, y);
    cairo_line_to(p->cr, x1, y);
    cairo_set_line_width(p->cr, lw);
    set_rgb(p, rgb);
    cairo_stroke(p->cr);
}

/* Diagonal lines over the current clip: the hatching of blocking parcels. */
static void hatch_clip(pdf *p, double lw, const double rgb[3])
{
    double x0, y0, x1, y1;
    cairo_clip_extents(p->cr, &x0, &y0, &x1, &y1);
    double h = y1 - y0;
    for (double d = x0 - h; d < x1; d += HATCH_STEP_MM) {
        cairo_move_to(p->cr, d, y1);
        cairo_line_to(p->cr, d + h, y0);
    }
    cairo_set_line_width(p->cr, lw);
    set_rgb(p, rgb);
    cairo_stroke(p->cr);
}

/* ---- the map ---------------------------------------------------------------- */

/* The smallest round scale number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^n)
** not below n: a 1:N a surveyor would print. */
static double round_scale(double n)
{
    static const double steps[] = {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10};
    double e = pow(10, floor(log10(n)));
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (steps[i] * e >= n * (1 - 1e-12)) return steps[i] * e;
    return 10 * e;
}

static void page_size(lc_paper paper, double *w, double *h)
{
    *w = paper == LC_PAPER_A3 ? 297 : 210;
    *h = paper == LC_PAPER_A3 ? 420 : 297;
}

/* The ground a frame of fw × fh mm shows around the bounding box, at a
** round scale. */
static void fit_extent(double fw, double fh, const double bb[4], double ext[4], double *scale_n)
{
    double cx = (bb[0] + bb[2]) / 2, cy = (bb[1] + bb[3]) / 2;
    double sw = fmax(bb[2] - bb[0], MAP_MIN_SPAN_M) * (1 + 2 * MAP_PAD_SHARE);
    double sh = fmax(bb[3] - bb[1], MAP_MIN_SPAN_M) * (1 + 2 * MAP_PAD_SHARE);
    double n = round_scale(fmax(sw / fw, sh / fh) * 1000);
    double gw = fw * n / 1000, gh = fh * n / 1000;
    ext[0] = cx - gw / 2;
    ext[1] = cy - gh / 2;
    ext[2] = cx + gw / 2;
    ext[3] = cy + gh / 2;
    *scale_n = n;
}

static void map_frame_size(lc_paper paper, double share, double *fw, double *fh)
{
    double W, H;
    page_size(paper, &W, &H);
    *fw = W - 2 * MARGIN - PANEL_W - PANEL_GAP;
    *fh = H * share;
}

void lc_signoff_map_extent(lc_paper paper, const double site_bbox[4], double extent[4], double *scale_n)
{
    for (size_t i = 0; i < N_MAP_SHARES; i++) {
        double fw, fh, e[4], n;
        map_frame_size(paper, map_shares[i], &fw, &fh);
        fit_extent(fw, fh, site_bbox, e, &n);
        if (i == 0) {
            memcpy(extent, e, sizeof e);
            *scale_n = n;
            continue;
        }
        extent[0] = fmin(extent[0], e[0]);
        extent[1] = fmin(extent[1], e[1]);
        extent[2] = fmax(extent[2], e[2]);
        extent[3] = fmax(extent[3], e[3]);
    }
}

static void to_paper(const frame *f, double x, double y, double *px, double *py)
{
    *px = f->x + (x - f->ext[0]) * f->k;
    *py = f->y + (f->ext[3] - y) * f->k;
}

/* Appends the shape's rings to the current path, dropping vertices that
** would land within MIN_STEP_MM of the previous one. */
static void shape_path(pdf *p, const frame *f, const lc_so_shape *s)
{
    for (size_t r = 0; r < s->n_rings; r++) {
        const lc_so_ring *ring = &s->rings[r];
        double lx = 0, ly = 0;
        for (size_t i = 0; i < ring->n; i++) {
            double x, y;
            to_paper(f, ring->xy[2 * i], ring->xy[2 * i + 1], &x, &y);
            if (i == 0) cairo_move_to(p->cr, x, y);
            else if (i + 1 == ring->n || fabs(x - lx) + fabs(y - ly) >= MIN_STEP_MM) cairo_line_to(p->cr, x, y);
            else continue;
            lx = x;
            ly = y;
        }
        cairo_close_path(p->cr);
    }
}

static void shape_bbox(const lc_so_shape *s, double bb[4])
{
    bb[0] = bb[1] = INFINITY;
    bb[2] = bb[3] = -INFINITY;
    for (size_t r = 0; r < s->n_rings; r++)
        for (size_t i = 0; i < s->rings[r].n; i++) {
            double x = s->rings[r].xy[2 * i], y = s->rings[r].xy[2 * i + 1];
            bb[0] = fmin(bb[0], x);
            bb[1] = fmin(bb[1], y);
            bb[2] = fmax(bb[2], x);
            bb[3] = fmax(bb[3], y);
        }
}

static void map_parcels(pdf *p, const frame *f)
{
    cairo_t *cr = p->cr;
    const lc_so_site *s = p->site;
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    for (size_t i = 0; i < s->n_parcels; i++) {
        const lc_so_parcel *pc = &s->parcels[i];
        shape_path(p, f, &pc->shape);
        set_rgb(p, p->doc->statuses[pc->status].rgb);
        cairo_fill(cr);
    }
    for (size_t i = 0; i < s->n_parcels; i++) shape_path(p, f, &s->parcels[i].shape);
    cairo_set_source_rgb(cr, 90 / 255.0, 90 / 255.0, 90 / 255.0);
    cairo_set_line_width(cr, 0.08);
    cairo_stroke(cr);
    /* the ground outside the site is veiled, so the eye goes to the site */
    cairo_rectangle(cr, f->x, f->y, f->w, f->h);
    shape_path(p, f, &s->outline);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.5);
    cairo_fill(cr);
    for (size_t i = 0; i < s->n_parcels; i++) {
        const lc_so_parcel *pc = &s->parcels[i];
        if (!pc->blocking) continue;
        cairo_save(cr);
        shape_path(p, f, &pc->shape);
        cairo_clip_preserve(cr);
        set_rgb(p, BLOCKER_LINE);
        cairo_set_line_width(cr, 0.45);
        cairo_stroke(cr);
        hatch_clip(p, 0.22, BLOCKER_LINE);
        cairo_restore(cr);
    }
    const double *site_rgb = s->ready ? READY_RGB : BLOCKED_RGB;
    shape_path(p, f, &s->outline);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_set_line_width(cr, 1.5);
    cairo_stroke_preserve(cr);
    set_rgb(p, site_rgb);
    cairo_set_line_width(cr, 0.8);
    cairo_stroke(cr);
}

static int box_free(const box *placed, size_t n, box b)
{
    for (size_t i = 0; i < n; i++)
        if (b.x0 < placed[i].x1 && placed[i].x0 < b.x1 && b.y0 < placed[i].y1 && placed[i].y0 < b.y1) return 0;
    return 1;
}

static void halo_text(pdf *p, PangoLayout *l, double x, double y)
{
    cairo_t *cr = p->cr;
    cairo_move_to(cr, x, y);
    pango_cairo_layout_path(cr, l);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_width(cr, 0.8);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_stroke(cr);
    cairo_move_to(cr, x, y);
    set_rgb(p, BLOCKER_LINE);
    pango_cairo_show_layout(cr, l);
}

/* Labels the blocking parcels (key tail over holder), largest overlap
** first, each at its anchor or beside it; a label that would cover one
** already placed, a corner box or the frame edge is left out (the table
** lists every parcel). Placed in both passes (the legend counts them),
** drawn in the second. */
static void map_labels(pdf *p, const frame *f, box *placed, size_t n_placed)
{
    const lc_so_site *s = p->site;
    p->labelled = 0;
    for (size_t i = 0; i < s->n_blockers; i++) {
        const lc_so_blocker *b = &s->blockers[i];
        if (!b->has_anchor) continue;
        double ax, ay;
        to_paper(f, b->anchor_x, b->anchor_y, &ax, &ay);
        char t[256];
        snprintf(t, sizeof t, "%s\n%s", b->key_tail ? b->key_tail : "—", b->holder ? b->holder : "—");
        PangoLayout *l = layout_new(p, t, LABEL_PT, F_BOLD, 0);
        pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
        double w, h;
        layout_size(l, &w, &h);
        const double dx[] = {0, 0, 0, w / 2 + 2, -w / 2 - 2}, dy[] = {0, -h / 2 - 1.5, h / 2 + 1.5, 0, 0};
        for (size_t c = 0; c < 5; c++) {
            double cx = ax + dx[c], cy = ay + dy[c];
            box bx = {cx - w / 2 - 0.5, cy - h / 2 - 0.3, cx + w / 2 + 0.5, cy + h / 2 + 0.3};
            if (bx.x0 < f->x || bx.y0 < f->y || bx.x1 > f->x + f->w || bx.y1 > f->y + f->h) continue;
            if (!box_free(placed, n_placed, bx)) continue;
            placed[n_placed++] = bx;
            p->labelled++;
            if (p->dry) break;
            if (c) {
                cairo_arc(p->cr, ax, ay, 0.45, 0, 2 * LC_PI);
                set_rgb(p, BLOCKER_LINE);
                cairo_fill(p->cr);
            }
            halo_text(p, l, cx - w / 2, cy - h / 2);
            break;
        }
        g_object_unref(l);
    }
}

/* The largest 1, 2 or 5 × 10^n metres not above m. */
static double round_length(double m)
{
    double e = pow(10, floor(log10(m)));
    double r = m / e;
    return (r >= 5 ? 5 : r >= 2 ? 2 : 1) * e;
}

static void distance_text(char *out, size_t cap, double m)
{
    if (m >= 1000) snprintf(out, cap, "%g km", m / 1000);
    else snprintf(out, cap, "%g m", m);
}

/* The scale bar's box at the bottom left: a bar of a round length about a
** quarter of the frame wide. */
static box scale_box(const frame *f, double *metres)
{
    *metres = round_length(f->w * 0.28 / f->k);
    box b = {f->x + 2, f->y + f->h - 14, f->x + 2 + *metres * f->k + 12, f->y + f->h - 2};
    return b;
}

static box north_box(const frame *f)
{
    box b = {f->x + f->w - 17, f->y + 2, f->x + f->w - 2, f->y + 19};
    return b;
}

/* Scale bar with its round length and the 1:N ratio. */
static void scale_bar(pdf *p, const frame *f)
{
    double metres;
    box b = scale_box(f, &metres);
    double len = metres * f->k;
    cairo_rectangle(p->cr, b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0);
    cairo_set_source_rgba(p->cr, 1, 1, 1, 0.88);
    cairo_fill(p->cr);
    char n[40], t[64];
    snprintf(t, sizeof t, "比例尺 1:%s", num(n, f->scale_n, 0));
    text(p, b.x0 + 3, b.y0 + 1, 0, t, 7.5, F_BOLD, INK);
    double x = b.x0 + 4, y = b.y0 + 6.5;
    for (int i = 0; i < 4; i++) rect(p, x + len * i / 4, y, len / 4, 1.3, i % 2 ? (double[]){1, 1, 1} : INK, INK, 0.15);
    const double at[] = {0, 0.5, 1};
    for (int i = 0; i < 3; i++) {
        if (i == 0) snprintf(t, sizeof t, "0");
        else distance_text(t, sizeof t, metres * at[i]);
        double w = text_width(p, t, 6, 0);
        text(p, x + len * at[i] - w / 2, y + 1.6, 0, t, 6, 0, INK);
    }
}

/* Grid north (the map's up) at the top right. */
static void north_arrow(pdf *p, const frame *f)
{
    box b = north_box(f);
    cairo_t *cr = p->cr;
    cairo_rectangle(cr, b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.88);
    cairo_fill(cr);
    double cx = (b.x0 + b.x1) / 2, top = b.y0 + 5;
    for (int side = -1; side <= 1; side += 2) {
        cairo_move_to(cr, cx, top);
        cairo_line_to(cr, cx + side * 2.6, top + 8);
        cairo_line_to(cr, cx, top + 6);
        cairo_close_path(cr);
        if (side < 0) set_rgb(p, INK);
        else cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_fill_preserve(cr);
        set_rgb(p, INK);
        cairo_set_line_width(cr, 0.2);
        cairo_stroke(cr);
    }
    double w = text_width(p, "N", 8, F_BOLD);
    text(p, cx - w / 2, b.y0 + 0.6, 0, "N", 8, F_BOLD, INK);
    w = text_width(p, "坐标北", 5.5, 0);
    text(p, cx - w / 2, top + 8.3, 0, "坐标北", 5.5, 0, INK);
}

static void map_draw(pdf *p, const frame *f)
{
    double metres;
    size_t cap = p->site->n_blockers + 2;
    box *placed = g_new(box, cap);
    /* labels keep clear of the corner boxes */
    placed[0] = scale_box(f, &metres);
    placed[1] = north_box(f);
    if (p->dry) {
        map_labels(p, f, placed, 2);
        g_free(placed);
        return;
    }
    cairo_t *cr = p->cr;
    cairo_save(cr);
    cairo_rectangle(cr, f->x, f->y, f->w, f->h);
    cairo_clip(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    map_parcels(p, f);
    scale_bar(p, f);
    north_arrow(p, f);
    map_labels(p, f, placed, 2);
    g_free(placed);
    double w = text_width(p, p->doc->crs_name, 5.5, 0);
    text(p, f->x + f->w - w - 2, f->y + f->h - 4, 0, p->doc->crs_name, 5.5, 0, GREY);
    cairo_restore(cr);
    rect(p, f->x, f->y, f->w, f->h, NULL, INK, 0.3);
}

/* ---- the panel beside the map: figures by status, legend ------------------- */

/* A swatch of the map's symbols: a fill, hatching, an outline. */
static void swatch(pdf *p, double x, double y, const double *fill, int hatch, const double *line, double lw)
{
    if (p->dry) return;
    cairo_t *cr = p->cr;
    cairo_save(cr);
    cairo_rectangle(cr, x, y, 3.4, 2.8);
    if (fill) set_rgb(p, fill);
    else cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill_preserve(cr);
    if (hatch) {
        cairo_clip(cr);
        hatch_clip(p, 0.2, BLOCKER_LINE);
        cairo_reset_clip(cr);
        cairo_rectangle(cr, x, y, 3.4, 2.8);
    }
    set_rgb(p, line ? line : GREY);
    cairo_set_line_width(cr, lw);
    cairo_stroke(cr);
    cairo_restore(cr);
}

/* One figure: the words on the left; mu, then m² and the share of the site
** on the right. Returns the row's height. */
static double figure_row(pdf *p, double x, double w, double y, const double *fill, const char *zh, const char *en,
                         double m2, double site_m2, int bold)
{
    char n[40], n2[40], t[120];
    unsigned b = bold ? F_BOLD : 0;
    if (fill) swatch(p, x, y + 0.8, fill, 0, NULL, 0.1);
    double tx = x + (fill ? 4.6 : 0);
    text(p, tx, y, 0, zh, 7.5, b, INK);
    text(p, tx, y + 3.5, 0, en, 5.5, 0, GREY);
    snprintf(t, sizeof t, "%s 亩", num(n, mu(m2), 2));
    text(p, x, y, w, t, 8, F_TNUM | F_RIGHT | b, INK);
    snprintf(t, sizeof t, "%s m² · %s%%", num(n, m2, 2), num(n2, site_m2 > 0 ? 100 * m2 / site_m2 : 0, 1));
    text(p, x, y + 3.6, w, t, 6, F_TNUM | F_RIGHT, GREY);
    return 7.6;
}

static double legend_row(pdf *p, double x, double w, double y, const double *fill, int hatch, const double *line,
                         const char *zh, const char *en)
{
    swatch(p, x, y + 0.8, fill, hatch, line, line ? 0.5 : 0.1);
    text(p, x + 4.6, y, 0, zh, 7.5, 0, INK);
    return 3.5 + text(p, x + 4.6, y + 3.5, w - 4.6, en, 5.5, 0, GREY) + 1;
}

/* The figures by status (their swatches are the map's legend too), the
** slivers left out of the verdict, the other symbols. Returns its height. */
static double panel(pdf *p, double x, double y0, double w)
{
    const lc_so_site *s = p->site;
    const lc_signoff_doc *d = p->doc;
    double y = y0;
    y += heading(p, x, y, "面积构成", "Figures by status", 10) + 0.8;
    hline(p, x, x + w, y, 0.3, INK);
    y += 1;
    y += figure_row(p, x, w, y, NULL, "用地面积", "site area", s->area_m2, s->area_m2, 1);
    for (int k = 0; k < LC_SO_STATUS_N; k++)
        y += figure_row(p, x, w, y, d->statuses[k].rgb, d->statuses[k].zh, d->statuses[k].en, s->status_m2[k],
                        s->area_m2, 0);
    y += figure_row(p, x, w, y, (double[]){1, 1, 1}, "无地块", "under no parcel", s->no_parcel_m2, s->area_m2, 0);
    hline(p, x, x + w, y, 0.3, INK);
    y += 1;
    char t[400], mo[40], sl[40];
    if (s->n_slivers) {
        snprintf(t, sizeof t, "另有 %zu 宗未流转地块仅压占 ≤ %s m²（合计 %s m²），属细小重叠，不计为阻碍。 %zu sliver "
                 "overlap%s, not blocking.", s->n_slivers, num(mo, d->min_overlap_m2, 2), num(sl, s->sliver_m2, 2),
                 s->n_slivers, s->n_slivers == 1 ? "" : "s");
        y += text(p, x, y, w, t, 6.5, 0, INK) + 1;
    }
    y += 2.5;
    y += heading(p, x, y, "图例", "Legend", 10) + 1;
    const double faded[3] = {(1 + d->statuses[0].rgb[0]) / 2, (1 + d->statuses[0].rgb[1]) / 2,
                             (1 + d->statuses[0].rgb[2]) / 2};
    y += legend_row(p, x, w, y, NULL, 0, s->ready ? READY_RGB : BLOCKED_RGB, "用地范围", "site outline");
    y += legend_row(p, x, w, y, d->statuses[2].rgb, 1, BLOCKER_LINE, "阻碍开工地块", "blocking parcel, hatched");
    y += legend_row(p, x, w, y, faded, 0, NULL, "用地外地块（淡化）", "parcels outside the site, faded");
    if (s->n_blockers) {
        snprintf(t, sizeof t, "标注：编码尾号 / 承包方，已标 %zu / %zu 宗，重叠处略去。 Labels: key tail / holder.",
                 p->labelled, s->n_blockers);
        y += text(p, x, y, w, t, 6, 0, GREY);
    }
    return y - y0;
}

/* ---- page furniture -------------------------------------------------------- */

static void site_title(const lc_so_site *s, char *out, size_t cap)
{
    snprintf(out, cap, "用地 %d%s%s", s->id, s->name ? "  " : "", s->name ? s->name : "");
}

static void page_begin(pdf *p)
{
    p->page++;
    p->y = MARGIN;
    if (!p->dry) {
        p->doc_page++;
        cairo_identity_matrix(p->cr);
        cairo_scale(p->cr, MM_TO_PT, MM_TO_PT);
        pango_cairo_update_context(p->cr, p->pango);
    }
    char t[400];
    snprintf(t, sizeof t, "截至日期 as of %s", p->doc->as_of);
    double w = text_width(p, t, 7.5, 0);
    text(p, p->W - MARGIN - w, p->y, 0, t, 7.5, 0, GREY);
    text(p, MARGIN, p->y, 0, "项目用地开工核验单  Sign-off before groundbreaking", 7.5, 0, GREY);
    p->y += 4.5;
    hline(p, MARGIN, p->W - MARGIN, p->y, 0.3, INK);
    p->y += 3;
    if (p->page > 1) {
        char st[300];
        site_title(p->site, st, sizeof st);
        snprintf(t, sizeof t, "%s · %s（续 continued）", st, p->site->ready ? "可以开工" : "不能开工");
        p->y += text(p, MARGIN, p->y, p->W - 2 * MARGIN, t, 11, F_BOLD, INK) + 3;
    }
}

static void page_end(pdf *p)
{
    double y = p->H - MARGIN - 3.5;
    char t[400], st[300];
    hline(p, MARGIN, p->W - MARGIN, y - 1.5, 0.2, RULE);
    /* the page count whole, the site's name shortened when it is long */
    snprintf(t, sizeof t, " · 第 %d 页，共 %d 页 page %d of %d", p->page, p->pages, p->page, p->pages);
    double cw = p->W - 2 * MARGIN, pw = text_width(p, t, 7, 0), sx = MARGIN + cw * 0.45;
    text(p, p->W - MARGIN - pw, y, 0, t, 7, 0, GREY);
    site_title(p->site, st, sizeof st);
    text(p, sx, y, p->W - MARGIN - pw - sx, st, 7, F_RIGHT | F_ELLIPSIZE, GREY);
    snprintf(t, sizeof t, "landcons %s · 生成 generated %s", p->doc->version, p->doc->generated);
    text(p, MARGIN, y, cw * 0.43, t, 7, F_ELLIPSIZE, GREY);
    if (!p->dry) cairo_show_page(p->cr);
}

static double bottom(const pdf *p) { return p->H - MARGIN - FOOTER_H; }

/* Starts a new page unless `need` mm fit below the cursor (and above
** `reserve` mm kept free at the bottom). */
static void ensure(pdf *p, double need, double reserve)
{
    if (p->y + need <= bottom(p) - reserve) return;
    page_end(p);
    page_begin(p);
}

/* ---- first page: title, verdict, reason ------------------------------------ */

static void verdict_block(pdf *p)
{
    const lc_so_site *s = p->site;
    char t[800], st[300], n[40];
    site_title(s, st, sizeof st);
    double bw = 62, bh = 21, bx = p->W - MARGIN - bw, y0 = p->y;
    /* a long name wraps and pushes the lines under it down */
    double ty = y0 + fmax(10, text(p, MARGIN, y0, bx - MARGIN - 4, st, 19, F_BOLD, INK) + 0.5);
    char m2[40];
    snprintf(t, sizeof t, "用地面积 %s 亩（%s m²） · 截至 %s", num(n, mu(s->area_m2), 2), num(m2, s->area_m2, 2),
             p->doc->as_of);
    ty += text(p, MARGIN, ty, bx - MARGIN - 4, t, 9, F_TNUM, INK) + 0.6;
    ty += text(p, MARGIN, ty, bx - MARGIN - 4, "Site area and the date the register is read as of", 6.5, 0, GREY);
    const double *rgb = s->ready ? READY_RGB : BLOCKED_RGB;
    rect(p, bx, y0, bw, bh, rgb, NULL, 0);
    const char *zh = s->ready ? "可以开工" : "不能开工";
    double w = text_width(p, zh, 30, F_BOLD);
    text(p, bx + (bw - w) / 2, y0 + 0.2, 0, zh, 30, F_BOLD, (double[]){1, 1, 1});
    const char *en = s->ready ? "READY to break ground" : "NOT READY to break ground";
    w = text_width(p, en, 7.5, F_BOLD);
    text(p, bx + (bw - w) / 2, y0 + bh - 5.2, 0, en, 7.5, F_BOLD, (double[]){1, 1, 1});
    p->y = fmax(y0 + bh, ty) + 2.5;
    char mo[40];
    num(mo, p->doc->min_overlap_m2, 2);
    if (s->n_blockers)
        snprintf(t, sizeof t, "%zu 宗未流转地块压占本用地超过 %s m²，须先完成流转。 %zu untransferred parcel%s "
                 "overlap%s the site by more than %s m².", s->n_blockers, mo, s->n_blockers,
                 s->n_blockers == 1 ? "" : "s", s->n_blockers == 1 ? "s" : "", mo);
    else if (!s->ready)
        snprintf(t, sizeof t, "用地范围内没有任何地块，无法核验。 The site overlaps no parcel: nothing to verify.");
    else
        snprintf(t, sizeof t, "没有未流转地块压占本用地超过 %s m²。 No untransferred parcel overlaps the site by more "
                 "than %s m².", mo, mo);
    p->y += text(p, MARGIN, p->y, p->W - 2 * MARGIN, t, 9, F_BOLD, rgb) + 0.5;
    snprintf(t, sizeof t, "核验规则：未签约、拒签、争议或未登记的地块压占用地超过 %s m² 即不能开工（平面面积，"
             "1 亩 = 10000/15 m²）。 Rule: ready when no parcel that is not transferred overlaps the site by more "
             "than %s m².", mo, mo);
    p->y += text(p, MARGIN, p->y, p->W - 2 * MARGIN, t, 6.5, 0, GREY) + 2;
}

/* ---- the table of blocking parcels ---------------------------------------------- */

enum { C_NO, C_KEY, C_VILLAGE, C_GROUP, C_HOLDER, C_STATUS, C_M2, C_MU, C_DATE, C_N };
static const struct { const char *zh, *en; double w; int right; } cols[C_N] = {
    {"序号", "No.", 9, 1},      {"地块编码", "key", 31, 0},   {"村", "village", 21, 0},
    {"组", "group", 8, 0},      {"承包方", "holder", 23, 0},  {"状态", "status", 17, 0},
    {"压占 m²", "overlap", 20, 1}, {"压占 亩", "mu", 14, 1}, {"签约日期", "signed on", 39, 0},
};

static void col_x(const pdf *p, double x[C_N + 1])
{
    double total = 0;
    for (int c = 0; c < C_N; c++) total += cols[c].w;
    double k = (p->W - 2 * MARGIN) / total;
    x[0] = MARGIN;
    for (int c = 0; c < C_N; c++) x[c + 1] = x[c] + cols[c].w * k;
}

static double table_head(pdf *p)
{
    double x[C_N + 1], y = p->y;
    col_x(p, x);
    rect(p, MARGIN, y, p->W - 2 * MARGIN, 8, (double[]){0.93, 0.94, 0.96}, NULL, 0);
    for (int c = 0; c < C_N; c++) {
        unsigned f = cols[c].right ? F_RIGHT : 0;
        text(p, x[c] + 1, y + 0.6, x[c + 1] - x[c] - 2, cols[c].zh, 7.5, f | F_BOLD, INK);
        text(p, x[c] + 1, y + 4.3, x[c + 1] - x[c] - 2, cols[c].en, 5.5, f, GREY);
    }
    hline(p, MARGIN, p->W - MARGIN, y + 8, 0.3, INK);
    return 8.6;
}

/* The cells of row i: measured (dry) or drawn over a band `h` high.
** Returns the row's height (a long holder name wraps). */
static double row_cells(pdf *p, size_t i, double h)
{
    const lc_so_blocker *b = &p->site->blockers[i];
    double x[C_N + 1];
    col_x(p, x);
    char no[24], m2[40], m[40], date[80];
    snprintf(no, sizeof no, "%zu", i + 1);
    snprintf(date, sizeof date, "%s%s", b->signed_on ? b->signed_on : "—",
             b->signed_after_as_of ? "（截至日后）" : "");
    const char *cell[C_N] = {no, b->key, b->village, b->group, b->holder, p->doc->statuses[b->status].zh,
                             num(m2, b->overlap_m2, 2), num(m, mu(b->overlap_m2), 2), date};
    if (i % 2) rect(p, MARGIN, p->y, p->W - 2 * MARGIN, h, (double[]){0.97, 0.97, 0.98}, NULL, 0);
    double need = 0;
    for (int c = 0; c < C_N; c++) {
        double cx = x[c] + 1, w = x[c + 1] - x[c] - 2;
        unsigned f = (cols[c].right ? F_RIGHT : 0) | (c == C_KEY || c >= C_M2 ? F_TNUM : 0);
        if (c == C_STATUS) {
            rect(p, cx, p->y + 1.3, 2.6, 2.6, p->doc->statuses[b->status].rgb, GREY, 0.1);
            cx += 3.6;
            w -= 3.6;
        }
        need = fmax(need, text(p, cx, p->y + 0.8, w, cell[c] ? cell[c] : "—", 7.5, f, INK) + 1.6);
    }
    hline(p, MARGIN, p->W - MARGIN, p->y + h, 0.1, RULE);
    return need;
}

/* Row i: its height, measured once per site (the passes ask again and
** again); drawn too when `draw` and not in a dry pass. */
static double table_row(pdf *p, size_t i, int draw)
{
    if (p->row_h[i] < 0) {
        int was_dry = p->dry;
        p->dry = 1;
        p->row_h[i] = row_cells(p, i, 0);
        p->dry = was_dry;
    }
    if (draw && !p->dry) row_cells(p, i, p->row_h[i]);
    return p->row_h[i];
}

/* Rows from `first` as long as they fit above `reserve`; returns the next. */
static size_t table_rows(pdf *p, size_t first, double reserve)
{
    size_t i = first;
    /* a whole county under one site is a thousand pages: stop on a signal
    ** (the file is then dropped) */
    if (lc_cancelled(p->ctx)) return p->site->n_blockers;
    for (; i < p->site->n_blockers; i++) {
        double h = table_row(p, i, 0);
        if (p->y + h > bottom(p) - reserve) break;
        table_row(p, i, 1);
        p->y += h;
    }
    return i;
}

static void table_title(pdf *p)
{
    char t[120];
    int late = 0;
    for (size_t i = 0; i < p->site->n_blockers; i++) late |= p->site->blockers[i].signed_after_as_of;
    snprintf(t, sizeof t, "阻碍开工地块（%zu 宗）", p->site->n_blockers);
    p->y += heading(p, MARGIN, p->y, t,
                    late ? "Blocking parcels, largest overlap first; （截至日后）: signed after the as-of date"
                         : "Blocking parcels, largest overlap first", 10) + 1.5;
}

/* ---- sources and signatures ------------------------------------------------------- */

static double sources_block(pdf *p)
{
    const lc_signoff_doc *d = p->doc;
    double y0 = p->y, y = p->y, w = p->W - 2 * MARGIN, hx = MARGIN + w * 0.5;
    y += heading(p, MARGIN, y, "数据来源", "Sources: files and their SHA-256, the command, the version", 10) + 1;
    for (size_t i = 0; i < d->n_sources; i++) {
        const lc_so_source *s = &d->sources[i];
        char t[1200];
        snprintf(t, sizeof t, "%s %s", s->role_zh, s->path);
        double h = text(p, MARGIN, y, hx - MARGIN - 2, t, 6.5, 0, INK);
        double h2 = s->sha256[0] ? text(p, hx, y + 0.2, 0, s->sha256, 6, F_MONO, INK)
                                 : text(p, hx, y, w * 0.5, s->note ? s->note : "—", 6.5, 0, GREY);
        y += fmax(h, h2) + 0.4;
    }
    y += 0.8;
    double lw = text_width(p, "命令 command ", 6.5, 0);
    text(p, MARGIN, y, 0, "命令 command", 6.5, 0, GREY);
    y += text(p, MARGIN + lw, y + 0.2, w - lw, d->command_line ? d->command_line : "—", 6, F_MONO, INK) + 0.6;
    char t[600];
    snprintf(t, sizeof t, "版本 version landcons %s · 坐标系 CRS %s · 最小压占 min overlap %g m² · 生成 generated %s",
             d->version, d->crs_name, d->min_overlap_m2, d->generated);
    y += text(p, MARGIN, y, w, t, 6.5, 0, GREY);
    return y - y0 + 3;
}

static double sources_height(pdf *p)
{
    int was = p->dry;
    double y = p->y;
    p->dry = 1;
    double h = sources_block(p);
    p->dry = was;
    p->y = y;
    return h;
}

#define SIGN_H 15.0

/* 制表单位, 制表人, 审核人, 日期 with lines to sign on, and the page count
** the signatures cover. */
static void signature_block(pdf *p, double y)
{
    double w = p->W - 2 * MARGIN, x = MARGIN;
    hline(p, x, x + w, y, 0.3, INK);
    char t[200];
    snprintf(t, sizeof t, "本核验单共 %d 页，签字适用于全部各页。 This sign-off has %d page%s; the signatures cover "
             "all of them.", p->pages, p->pages, p->pages == 1 ? "" : "s");
    text(p, x, y + 0.8, w, t, 6.5, 0, GREY);
    static const struct { const char *zh, *en; double x0, x1; } f[] = {
        {"制表单位", "prepared by (office)", 0, 0.36}, {"制表人", "prepared by", 0.39, 0.58},
        {"审核人", "checked by", 0.61, 0.80},          {"日期", "date", 0.83, 1},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        double fx = x + f[i].x0 * w, fx1 = x + f[i].x1 * w, fy = y + 5.5;
        text(p, fx, fy, 0, f[i].zh, 9, F_BOLD, INK);
        double lw = text_width(p, f[i].zh, 9, F_BOLD);
        text(p, fx, fy + 4.2, 0, f[i].en, 5.5, 0, GREY);
        hline(p, fx + lw + 2, fx1, fy + 4.6, 0.3, INK);
    }
}

/* ---- one site ------------------------------------------------------------------------ */

static void site_layout(pdf *p, const frame *map_frame)
{
    page_begin(p);
    verdict_block(p);
    frame f = *map_frame;
    f.y = p->y;
    map_draw(p, &f);
    double ph = panel(p, f.x + f.w + PANEL_GAP, f.y, PANEL_W);
    p->y += fmax(f.h, ph) + 4;
    table_title(p);
    size_t next = 0;
    if (p->site->n_blockers) {
        p->y += table_head(p);
        /* room for the "continued" line above the signatures */
        next = table_rows(p, 0, SIGN_H + 5);
    } else {
        p->y += text(p, MARGIN, p->y, 0, "无 none", 8, 0, INK) + 2;
    }
    signature_block(p, bottom(p) - SIGN_H + 2);
    if (next < p->site->n_blockers) {
        char t[160];
        snprintf(t, sizeof t, "（续表见下页 continued on the next page：尚有 %zu 宗 %zu more）",
                 p->site->n_blockers - next, p->site->n_blockers - next);
        text(p, MARGIN, p->y + 0.8, 0, t, 7, 0, GREY);
    }
    while (next < p->site->n_blockers) {
        page_end(p);
        page_begin(p);
        table_title(p);
        p->y += table_head(p);
        next = table_rows(p, next, 0);
    }
    /* sources on the first page only when they fit above the signatures */
    p->y += 3;
    double sh = sources_height(p);
    ensure(p, sh, p->page == 1 ? SIGN_H : 0);
    sources_block(p);
    page_end(p);
}

static void frame_for(pdf *p, const lc_so_site *s, double share, frame *f)
{
    double bb[4];
    shape_bbox(&s->outline, bb);
    map_frame_size(p->doc->paper, share, &f->w, &f->h);
    fit_extent(f->w, f->h, bb, f->ext, &f->scale_n);
    f->x = MARGIN;
    f->y = 0;
    f->k = 1000 / f->scale_n;
}

/* Dry passes pick the map height, then the site is drawn. */
static void site_pages(pdf *p, const lc_so_site *s)
{
    p->site = s;
    p->row_h = g_new(double, s->n_blockers ? s->n_blockers : 1);
    for (size_t i = 0; i < s->n_blockers; i++) p->row_h[i] = -1;
    frame f;
    int pages_at[N_MAP_SHARES];
    size_t pick = 0;
    /* a shorter map only where it saves the second page: a few centimetres
    ** cannot save more */
    for (size_t i = 0; i < N_MAP_SHARES; i++) {
        frame_for(p, s, map_shares[i], &f);
        p->dry = 1;
        p->page = 0;
        p->pages = 0;
        site_layout(p, &f);
        pages_at[i] = p->page;
        if (pages_at[i] == 1) pick = i;
        if (pages_at[i] != 2) break;
    }
    frame_for(p, s, map_shares[pick], &f);
    p->pages = pages_at[pick];
    p->dry = 0;
    p->page = 0;
    char t[400], st[300];
    site_title(s, st, sizeof st);
    snprintf(t, sizeof t, "page=%d", p->doc_page + 1);
    char name[400];
    snprintf(name, sizeof name, "%s — %s", st, s->ready ? "可以开工" : "不能开工");
    cairo_pdf_surface_add_outline(p->surface, CAIRO_PDF_OUTLINE_ROOT, g_utf8_validate(name, -1, NULL) ? name : "site",
                                  t, 0);
    site_layout(p, &f);
    g_free(p->row_h);
    p->row_h = NULL;
}

/* ---- the file ---------------------------------------------------------------------------- */

/* The CJK font must be the one named: pango would otherwise fall back to a
** font without Chinese glyphs and print boxes. */
static lc_status check_font(lc_ctx *ctx, PangoContext *pc)
{
    PangoFontDescription *fd = pango_font_description_from_string(FONT " 10");
    PangoFont *font = pango_context_load_font(pc, fd);
    pango_font_description_free(fd);
    int ok = 0;
    if (font) {
        PangoFontDescription *got = pango_font_describe(font);
        const char *family = pango_font_description_get_family(got);
        ok = family && !g_ascii_strcasecmp(family, FONT);
        pango_font_description_free(got);
        g_object_unref(font);
    }
    return ok ? LC_OK
              : lc_error(ctx, LC_EINPUT, "the font \"" FONT "\" is not installed (Debian package fonts-noto-cjk); "
                         "the sign-off needs it for its Chinese text");
}

static cairo_status_t write_stream(void *closure, const unsigned char *data, unsigned int length)
{
    return fwrite(data, 1, length, closure) == length ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static void set_metadata(cairo_surface_t *s, const lc_signoff_doc *d)
{
    char t[200];
    snprintf(t, sizeof t, "项目用地开工核验单 %s", d->as_of);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, t);
    snprintf(t, sizeof t, "landcons %s", d->version);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, t);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_SUBJECT, "Sign-off before groundbreaking");
}

static lc_status draw_document(lc_ctx *ctx, const lc_signoff_doc *doc, FILE *f)
{
    pdf p;
    memset(&p, 0, sizeof p);
    p.ctx = ctx;
    p.doc = doc;
    page_size(doc->paper, &p.W, &p.H);
    p.surface = cairo_pdf_surface_create_for_stream(write_stream, f, p.W * MM_TO_PT, p.H * MM_TO_PT);
    cairo_pdf_surface_restrict_to_version(p.surface, CAIRO_PDF_VERSION_1_5);
    set_metadata(p.surface, doc);
    p.cr = cairo_create(p.surface);
    cairo_scale(p.cr, MM_TO_PT, MM_TO_PT);
    /* a font map of our own, released at the end: the default one would
    ** keep its fontconfig patterns for the life of the thread */
    PangoFontMap *fm = pango_cairo_font_map_new();
    p.pango = pango_font_map_create_context(fm);
    pango_cairo_update_context(p.cr, p.pango);
    /* points in pango's font sizes become millimetres of user space */
    pango_cairo_context_set_resolution(p.pango, 25.4);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(p.pango, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(p.pango, FALSE);
    lc_status rc = check_font(ctx, p.pango);
    for (size_t i = 0; i < doc->n_sites && rc == LC_OK; i++) {
        if (lc_cancelled(ctx)) rc = lc_error(ctx, LC_EINTERRUPTED, "interrupted");
        else site_pages(&p, &doc->sites[i]);
    }
    g_object_unref(p.pango);
    g_object_unref(fm);
    cairo_destroy(p.cr);
    cairo_surface_finish(p.surface);
    cairo_status_t st = cairo_surface_status(p.surface);
    cairo_surface_destroy(p.surface);
    if (rc == LC_OK && st != CAIRO_STATUS_SUCCESS)
        rc = lc_error(ctx, st == CAIRO_STATUS_WRITE_ERROR ? LC_EINPUT : LC_EINTERNAL, "cairo: %s",
                      cairo_status_to_string(st));
    return rc;
}

lc_status lc_signoff_pdf_write(lc_ctx *ctx, const lc_signoff_doc *doc, const char *file, const char *path)
{
    double t0 = lc_clock();
    FILE *f = fopen(file, "wb");
    if (!f) return lc_error(ctx, LC_EINPUT, "%s: cannot write here (%s)", path, strerror(errno));
    lc_status rc = draw_document(ctx, doc, f);
    int werr = ferror(f) || fflush(f) != 0;
    if (fclose(f) != 0) werr = 1;
    if (rc == LC_OK && werr) rc = lc_error(ctx, LC_EINPUT, "%s: writing the PDF failed (%s)", path, strerror(errno));
    if (rc == LC_OK && lc_cancelled(ctx)) rc = lc_error(ctx, LC_EINTERRUPTED, "interrupted");
    lc_log_phase(ctx, "write sign-off PDF", t0);
    return rc;
}
