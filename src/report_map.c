/*
** The report's map (see report_map.h), as inline SVG in user units shown
** 1:1 as CSS pixels. The parcels of one status share one <path> of
** relative moves instead of one element each, drawn from the rings
** map_geom.c snaps to 0.1 px and thins within half a pixel: a
** 30,000-parcel county (380,000 mu) makes a 1 MB report, written in about
** 30 ms; the size grows linearly with the parcel count.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "map_geom.h"
#include "report_map.h"

/* ---- layout ------------------------------------------------------------------- */

#define MAP_MAX_W 1000.0   /* map frame; with the panel it fits a 1280 px page */
#define MAP_MAX_H 980.0
#define MAP_PAD 12.0       /* blank margin inside the frame */
#define PANEL_W 240.0      /* legend, scale bar, north arrow */
#define PANEL_MIN_H 700.0  /* the panel's content needs this much height */
/* Display simplification: a vertex is dropped when the ring stays within
** this distance of it; half a pixel is below what the eye resolves. */
#define SIMPLIFY_PX 0.5
/* Blocks smaller than this on screen are outlined only through their
** parcels: a separate outline would just redraw the parcel's edge. */
#define BLOCK_OUTLINE_MIN_PX2 64.0
#define MAX_BLOCK_LABELS 12   /* more would crowd a page-sized map */

#define ENCLAVE_STROKE "#ff7f00"   /* QGIS enclave orange, apart from the refused red */
#define ENCLAVE_FILL "#fdae6b"
#define SITE_READY_STROKE "#006d2c"
#define SITE_READY_FILL "rgba(77,175,74,0.27)"
#define SITE_BLOCKED_STROKE "#a50f15"
#define SITE_BLOCKED_FILL "rgba(228,26,28,0.27)"
#define CONSTRAINT_FILL "rgba(152,78,163,0.43)"

/* The map being written: the page, and the map's frame and path state. */
typedef struct map {
    lc_rep *r;
    lc_map_frame fr;           /* world → pixel */
    lc_map_rings rb;           /* scratch for the rings, reused */
    long cx, cy;               /* current point of the path being written */
} map;

/* ---- paths -------------------------------------------------------------------- */

/* Writes a signed tenth-of-a-pixel value as an SVG number ("12.3",
** "-4", ".5"); the minus sign doubles as the separator. */
static void put_tenths(map *m, long v, int sep)
{
    char buf[32], *q = buf + sizeof buf;
    unsigned long a = v < 0 ? (unsigned long)-v : (unsigned long)v;
    unsigned long ip = a / 10, fp = a % 10;
    *--q = '\0';
    if (fp) {
        *--q = (char)('0' + fp);
        *--q = '.';
    }
    if (ip || !fp) do {
            *--q = (char)('0' + ip % 10);
            ip /= 10;
        } while (ip);
    if (v < 0) *--q = '-';
    else if (sep) *--q = ' ';
    fputs(q, m->r->f);
}

/* One ring as a relative subpath ("m dx dy dx dy … z"); the current point
** becomes its start. */
static void emit_ring(void *userdata, const lc_map_pt *p, size_t n)
{
    map *m = userdata;
    fputc('m', m->r->f);
    put_tenths(m, p[0].x - m->cx, 0);
    put_tenths(m, p[0].y - m->cy, 1);
    for (size_t k = 1; k < n; k++) {
        put_tenths(m, p[k].x - p[k - 1].x, 1);
        put_tenths(m, p[k].y - p[k - 1].y, 1);
    }
    fputc('z', m->r->f);
    m->cx = p[0].x;
    m->cy = p[0].y;
}

/* The polygons of g into the current path, simplified for display;
** `shells_only` leaves the holes out (block outlines: their holes are the
** enclaves, drawn on their own). */
static void path_polygons(map *m, const GEOSGeometry *g, int shells_only)
{
    if (!g || m->r->rc != LC_OK) return;
    lc_status st = lc_map_polygons(m->r->ctx, &m->rb, &m->fr, g, shells_only, SIMPLIFY_PX, emit_ring, m);
    if (st != LC_OK) lc_rep_fail(m->r, st, "map");
}

static void path_geom(map *m, const GEOSGeometry *g) { path_polygons(m, g, 0); }

/* Opens a <path> whose d the caller fills with path_geom; subpaths are
** relative to one another, so the first starts from the origin. */
static void path_open(map *m, const char *attrs)
{
    lc_rep_putf(m->r, "<path %s d=\"", attrs);
    m->cx = m->cy = 0;
}

static void path_close(map *m) { lc_rep_put(m->r, "\"/>\n"); }

static int cancelled_at(map *m, size_t i)
{
    if ((i & 1023) == 0 && lc_cancelled(m->r->ctx)) lc_rep_fail(m->r, LC_EINTERRUPTED, "map");
    return m->r->rc != LC_OK;
}

/* ---- map layers ------------------------------------------------------------ */

static void frame_extent(map *m, double *minx, double *miny, double *maxx, double *maxy)
{
    const lc_analysis *a = m->r->a;
    const lc_parcels *p = a->parcels;
    *minx = p->minx, *miny = p->miny, *maxx = p->maxx, *maxy = p->maxy;
    /* sites may reach beyond the parcels; constraint layers (a county's red
    ** line) are far bigger than the campaign and stay out of the frame */
    for (size_t k = 0; k < a->layers.n_sites; k++) {
        const lc_parcels *s = a->layers.sites[k];
        if (!s->n) continue;
        if (s->minx < *minx) *minx = s->minx;
        if (s->miny < *miny) *miny = s->miny;
        if (s->maxx > *maxx) *maxx = s->maxx;
        if (s->maxy > *maxy) *maxy = s->maxy;
    }
}

static void map_setup(map *m)
{
    double minx, miny, maxx, maxy;
    frame_extent(m, &minx, &miny, &maxx, &maxy);
    lc_map_frame_fit(minx, miny, maxx, maxy, MAP_MAX_W, MAP_MAX_H, MAP_PAD, &m->fr);
}

/* One path per status class: a handful of elements for the whole county. */
static void map_parcels(map *m)
{
    const lc_analysis *a = m->r->a;
    const lc_parcels *p = a->parcels;
    /* parcel edges help when parcels are several pixels wide; at county
    ** scale the strips are a pixel or two and edges would grey the colours */
    int edges = m->fr.k >= 0.5;
    size_t drawn = 0;
    for (int st = 0; st < LC_ST_N && m->r->rc == LC_OK; st++) {
        if (!a->st.totals.count[st]) continue;
        char attrs[256];
        snprintf(attrs, sizeof attrs, "class=\"st-%s\" fill=\"%s\"%s", lc_rep_status_en(st),
                 lc_rep_status_fill(st),
                 edges ? " stroke=\"#5a5a5a\" stroke-opacity=\".55\" stroke-width=\".3\"" : "");
        path_open(m, attrs);
        for (size_t i = 0; i < p->n && !cancelled_at(m, i); i++) {
            if (a->st.state[i].status != (lc_parcel_status)st) continue;
            path_geom(m, p->items[i].geom);
            if ((++drawn & 4095) == 0) lc_report_progress(m->r->ctx, "writing the report", drawn, p->n);
        }
        path_close(m);
    }
}

static int block_outlined(const map *m, size_t b)
{
    const lc_footprint *f = &m->r->a->footprints.items[b];
    return m->r->a->blocks.items[b].n_members > 1 && f->geom && f->m2 * m->fr.k * m->fr.k >= BLOCK_OUTLINE_MIN_PX2;
}

/* Block outlines go under the parcels, as a casing: only the part outside
** the parcels shows, so a block reads as one shape ringed in blue, and the
** notches where an untransferred strip cuts into it stay yellow or red
** instead of filling up with line. */
static void map_blocks(map *m)
{
    const lc_analysis *a = m->r->a;
    if (!a->blocks.n) return;
    path_open(m, "class=\"blocks\" fill=\"none\" stroke=\"" LC_REP_BLOCK_STROKE "\" stroke-width=\"2.4\" "
                 "stroke-linejoin=\"round\"");
    for (size_t b = 1; b < a->blocks.n && !cancelled_at(m, b); b++)
        if (block_outlined(m, b)) path_polygons(m, a->footprints.items[b].geom, 1);
    path_close(m);
    path_open(m, "class=\"block-1\" fill=\"" LC_REP_BLOCK_STROKE "\" stroke=\"" LC_REP_BLOCK_STROKE "\" "
                 "stroke-width=\"6\" stroke-linejoin=\"round\"");
    path_polygons(m, a->footprints.items[0].geom, 1);
    path_close(m);
}

static void map_enclaves(map *m)
{
    const lc_analysis *a = m->r->a;
    if (!a->enclaves.n) return;
    path_open(m, "class=\"gap-enclaves\" fill=\"" ENCLAVE_FILL "\" fill-opacity=\".55\" "
                 "stroke=\"" ENCLAVE_STROKE "\" stroke-width=\".8\" stroke-dasharray=\"2 1.5\"");
    for (size_t e = 0; e < a->enclaves.n; e++)
        if (a->enclaves.items[e].parcel == SIZE_MAX) path_geom(m, a->enclaves.items[e].geom);
    path_close(m);
    path_open(m, "class=\"enclaves\" fill=\"none\" stroke=\"" ENCLAVE_STROKE "\" stroke-width=\"1.3\" "
                 "stroke-linejoin=\"round\"");
    for (size_t e = 0; e < a->enclaves.n && !cancelled_at(m, e); e++)
        if (a->enclaves.items[e].parcel != SIZE_MAX)
            path_geom(m, a->parcels->items[a->enclaves.items[e].parcel].geom);
    path_close(m);
}

static void map_sites(map *m)
{
    const lc_analysis *a = m->r->a;
    if (a->sites.n_hits) {
        path_open(m, "class=\"constraints\" fill=\"" CONSTRAINT_FILL "\" stroke=\"#54278f\" "
                     "stroke-width=\".8\"");
        for (size_t k = 0; k < a->sites.n_hits; k++) path_geom(m, a->sites.hits[k].geom);
        path_close(m);
    }
    for (int ready = 1; ready >= 0; ready--) {
        char attrs[200];
        snprintf(attrs, sizeof attrs, "class=\"sites-%s\" fill=\"%s\" stroke=\"%s\" stroke-width=\"2.4\" "
                 "stroke-linejoin=\"round\"", ready ? "ready" : "blocked",
                 ready ? SITE_READY_FILL : SITE_BLOCKED_FILL,
                 ready ? SITE_READY_STROKE : SITE_BLOCKED_STROKE);
        path_open(m, attrs);
        for (size_t k = 0; k < a->sites.n; k++)
            if (a->sites.items[k].ready == ready)
                path_geom(m, a->sites.items[k].set->items[a->sites.items[k].index].geom);
        path_close(m);
    }
}

/* Two-line label with a white halo (paint-order draws the stroke first). */
static void label2(map *m, double x, double y, const char *l1, const char *l2, double size, const char *fill)
{
    lc_rep_putf(m->r, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\" text-anchor=\"middle\" fill=\"%s\" "
                      "stroke=\"#fff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\" "
                      "font-weight=\"700\"><tspan x=\"%.1f\">", x, y - size * 0.15, size, fill, x);
    lc_rep_esc(m->r, l1);
    lc_rep_putf(m->r, "</tspan><tspan x=\"%.1f\" dy=\"%.1f\" font-weight=\"400\">", x, size * 1.15);
    lc_rep_esc(m->r, l2);
    lc_rep_put(m->r, "</tspan></text>\n");
}

/* Sites first (each above, below, right or left of its outline, whichever
** is free), then the largest blocks that are big enough on screen to hold
** their label, at a point on their surface. */
static void map_labels(map *m)
{
    const lc_analysis *a = m->r->a;
    lc_map_labels lb;
    lb.n = 0;
    lb.w = m->fr.w;
    lb.h = m->fr.h;
    for (size_t k = 0; k < a->sites.n; k++) {
        const lc_site *s = &a->sites.items[k];
        lc_map_box bb;
        if (!lc_map_bbox_px(m->r->ctx, &m->fr, s->set->items[s->index].geom, &bb)) continue;
        char l1[300];
        snprintf(l1, sizeof l1, "用地 %d %s", s->id, s->name ? s->name : "");
        const char *l2 = s->ready ? "可以开工 READY" : "不能开工 NOT READY";
        double x, y;
        if (lc_map_label_beside(&lb, bb, l1, l2, 12.5, &x, &y))
            label2(m, x, y, l1, l2, 12.5, s->ready ? SITE_READY_STROKE : SITE_BLOCKED_STROKE);
        /* the outline itself stays clear of block labels */
        lc_map_labels_keep_clear(&lb, bb);
    }
    size_t placed = 0;
    for (size_t b = 0; b < a->blocks.n && b < 80 && placed < MAX_BLOCK_LABELS; b++) {
        const lc_block *blk = &a->blocks.items[b];
        const lc_footprint *fp = &a->footprints.items[b];
        if (b > 0 && fp->m2 * m->fr.k * m->fr.k < 900) break;
        double px, py;
        if (!lc_map_point_on_surface_px(m->r->ctx, &m->fr, fp->geom, &px, &py)) continue;
        char l1[48], l2[LC_REP_NUMBUF + 8], num[LC_REP_NUMBUF];
        snprintf(l1, sizeof l1, "连片 %d", blk->id);
        snprintf(l2, sizeof l2, "%s 亩", lc_rep_mu(num, blk->parcel_m2));
        /* the largest block's label matters most: if a site label sits on
        ** its point, try just above and below it */
        static const double shift[] = {0, -36, 36};
        double size = b == 0 ? 15 : 12.5, y;
        if (lc_map_label_near(&lb, px, py, shift, b == 0 ? 3u : 1u, l1, l2, size, &y)) {
            label2(m, px, y, l1, l2, size, "#08306b");
            placed++;
        }
    }
}

/* ---- legend, scale bar, north arrow ------------------------------------------ */

static void distance_text(char *out, size_t cap, double m)
{
    if (m >= 1000) snprintf(out, cap, "%g km", m / 1000);
    else snprintf(out, cap, "%g m", m);
}

static void legend_swatch(map *m, double x, double y, const char *fill, const char *stroke, const char *extra)
{
    lc_rep_putf(m->r, "<rect x=\"%.1f\" y=\"%.1f\" width=\"22\" height=\"14\" rx=\"2\" fill=\"%s\" "
                      "stroke=\"%s\"%s/>\n",
                x, y - 11, fill, stroke, extra);
}

static void legend_text(map *m, double x, double y, const char *zh, const char *en, const char *small)
{
    lc_rep_putf(m->r, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12.5\">%s <tspan fill=\"#5a6878\">%s</tspan>"
                      "</text>\n",
                x, y, zh, en);
    if (small) {
        lc_rep_putf(m->r, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#5a6878\">", x, y + 14);
        lc_rep_esc(m->r, small);
        lc_rep_put(m->r, "</text>\n");
    }
}

static double legend(map *m, double x, double y)
{
    const lc_analysis *a = m->r->a;
    char b1[LC_REP_NUMBUF], b2[LC_REP_NUMBUF], small[160];
    lc_rep_putf(m->r, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"14\" font-weight=\"700\">图例 "
                      "<tspan font-weight=\"400\" fill=\"#5a6878\">Legend</tspan></text>\n", x, y);
    y += 26;
    for (int st = 0; st < LC_ST_N; st++) {
        legend_swatch(m, x, y, lc_rep_status_fill(st), "#5a5a5a", "");
        snprintf(small, sizeof small, "%s 块 · %s 亩", lc_rep_int(b1, (double)a->st.totals.count[st]),
                 lc_rep_mu(b2, a->st.totals.m2[st]));
        legend_text(m, x + 30, y, lc_rep_status_zh(st), lc_rep_status_en(st), small);
        y += 33;
    }
    legend_swatch(m, x, y, lc_rep_status_fill(0), LC_REP_BLOCK_STROKE, " stroke-width=\"3\"");
    legend_text(m, x + 30, y, "最大连片", "largest block", NULL);
    y += 22;
    legend_swatch(m, x, y, lc_rep_status_fill(0), LC_REP_BLOCK_STROKE, " stroke-width=\"1.2\"");
    snprintf(small, sizeof small, "≥ 2 块且 ≥ %s 亩 shown",
             lc_rep_num(b1, sizeof b1, lc_mu_from_m2(BLOCK_OUTLINE_MIN_PX2 / (m->fr.k * m->fr.k)), 1));
    legend_text(m, x + 30, y, "连片范围", "block footprint", small);
    y += 33;
    legend_swatch(m, x, y, "none", ENCLAVE_STROKE, " stroke-width=\"1.6\"");
    legend_text(m, x + 30, y, "插花地块", "enclave parcel", NULL);
    y += 22;
    legend_swatch(m, x, y, ENCLAVE_FILL, ENCLAVE_STROKE, " fill-opacity=\".55\" stroke-dasharray=\"2 1.5\"");
    legend_text(m, x + 30, y, "连片内空隙", "gap enclave", NULL);
    y += 22;
    legend_swatch(m, x, y, SITE_READY_FILL, SITE_READY_STROKE, " stroke-width=\"2\"");
    legend_text(m, x + 30, y, "用地 可开工", "site ready", NULL);
    y += 22;
    legend_swatch(m, x, y, SITE_BLOCKED_FILL, SITE_BLOCKED_STROKE, " stroke-width=\"2\"");
    legend_text(m, x + 30, y, "用地 不能开工", "site not ready", NULL);
    y += 22;
    if (a->sites.n_hits) {
        legend_swatch(m, x, y, CONSTRAINT_FILL, "#54278f", "");
        legend_text(m, x + 30, y, "压占限制区", "constraint overlap", NULL);
        y += 22;
    }
    return y;
}

/* A bar of a round length in the map's own scale: the SVG scales as a
** whole, so the bar stays true at any zoom. */
static double scale_bar(map *m, double x, double y)
{
    double metres = lc_map_round_down((PANEL_W - 60) / m->fr.k);
    double len = metres * m->fr.k;
    char t[32];
    lc_rep_putf(m->r, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12.5\">比例尺 "
                      "<tspan fill=\"#5a6878\">Scale</tspan></text>\n", x, y);
    y += 14;
    for (int i = 0; i < 4; i++)
        lc_rep_putf(m->r, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.2f\" height=\"6\" fill=\"%s\" stroke=\"#222\" "
                          "stroke-width=\".8\"/>\n", x + len * i / 4, y, len / 4, i % 2 ? "#fff" : "#222");
    lc_rep_putf(m->r, "<g font-size=\"11\" text-anchor=\"middle\"><text x=\"%.1f\" y=\"%.1f\">0</text>", x, y + 20);
    distance_text(t, sizeof t, metres / 2);
    lc_rep_putf(m->r, "<text x=\"%.1f\" y=\"%.1f\">%s</text>", x + len / 2, y + 20, t);
    distance_text(t, sizeof t, metres);
    lc_rep_putf(m->r, "<text x=\"%.1f\" y=\"%.1f\">%s</text></g>\n", x + len, y + 20, t);
    lc_rep_putf(m->r, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#5a6878\">"
                      "1 px ≈ %.2f m（原始大小 at 100%%）</text>\n", x, y + 36, 1 / m->fr.k);
    return y + 56;
}

static double north_arrow(map *m, double x, double y)
{
    const lc_crs *crs = &m->r->a->parcels->crs;
    double cx = x + 22;
    lc_rep_putf(m->r, "<g transform=\"translate(%.1f %.1f)\"><path d=\"M0 0l-11 30 11-8z\" fill=\"#222\"/>"
                      "<path d=\"M0 0l11 30-11-8z\" fill=\"#fff\" stroke=\"#222\" stroke-width=\"1\"/>"
                      "<text x=\"0\" y=\"-5\" font-size=\"15\" font-weight=\"700\" "
                      "text-anchor=\"middle\">N</text></g>\n", cx, y + 18);
    lc_rep_putf(m->r, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12.5\">坐标北 "
                      "<tspan fill=\"#5a6878\">grid north</tspan></text>\n", x + 48, y + 26);
    lc_rep_putf(m->r, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#5a6878\">", x + 48, y + 42);
    lc_rep_esc(m->r, crs->work_desc.id[0] ? crs->work_desc.id : "working CRS");
    lc_rep_put(m->r, "，图上方为北 up</text>\n");
    double cvx, cvy;
    lc_map_from_px(&m->fr, m->fr.w / 2, m->fr.h / 2, &cvx, &cvy);
    double gamma = lc_map_grid_convergence(m->r->a->parcels->crs.to_geographic, cvx, cvy);
    if (isfinite(gamma)) {
        lc_rep_putf(m->r, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#5a6878\">真北偏%s %.2f° "
                          "true north %.2f° %s</text>\n", x, y + 62, gamma < 0 ? "西" : "东", fabs(gamma), fabs(gamma),
                    gamma < 0 ? "W of grid" : "E of grid");
        y += 16;
    }
    return y + 66;
}

static void map_panel(map *m)
{
    double x = m->fr.w + 16, y = 24;
    lc_rep_put(m->r, "<g class=\"panel\" fill=\"#1d2b3a\">\n");
    y = legend(m, x, y);
    y = scale_bar(m, x, y + 14);
    north_arrow(m, x, y + 4);
    lc_rep_put(m->r, "</g>\n");
}

void lc_rep_map_section(lc_rep *r)
{
    map mm, *m = &mm;
    memset(m, 0, sizeof *m);
    m->r = r;
    map_setup(m);
    double total_h = m->fr.h > PANEL_MIN_H ? m->fr.h : PANEL_MIN_H;
    double total_w = m->fr.w + PANEL_W;
    lc_rep_put(m->r, "<section id=\"map\">\n<h2>分布图<small>Map — parcels by transfer status, blocks, enclaves and "
                     "sites</small></h2>\n");
    lc_rep_putf(m->r, "<svg class=\"map\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
                      "height=\"%.0f\" style=\"max-width:%.0fpx\" role=\"img\" aria-label=\"地块流转状态分布图 map\" "
                      "font-family=\"inherit\">\n", total_w, total_h, total_w, total_h, total_w);
    lc_rep_putf(m->r, "<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"#fbfbf8\" stroke=\"#9aa5b1\"/>\n",
                m->fr.w, m->fr.h);
    lc_rep_putf(m->r, "<clipPath id=\"mapclip\"><rect width=\"%.0f\" height=\"%.0f\"/></clipPath>\n"
                      "<g clip-path=\"url(#mapclip)\">\n", m->fr.w, m->fr.h);
    map_blocks(m);
    map_parcels(m);
    map_enclaves(m);
    map_sites(m);
    map_labels(m);
    lc_rep_put(m->r, "</g>\n");
    map_panel(m);
    lc_rep_put(m->r, "</svg>\n");
    lc_map_rings_free(&m->rb);
    lc_rep_putf(m->r, "<p class=\"note\">地图仅为示意：显示时几何已按约半个像素（约 %.1f m）简化，"
                      "所有数字均由完整几何计算。"
                      "Geometry simplified for display only (about half a pixel, %.1f m); every figure is "
                      "computed on the full geometry.</p>\n</section>\n",
                SIMPLIFY_PX / m->fr.k, SIMPLIFY_PX / m->fr.k);
}
