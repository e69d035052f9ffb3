/*
** The report's maps (see report_map.h), as inline SVG in user units shown
** 1:1 as CSS pixels. The parcels of one status share one <path> of
** relative moves instead of one element each, drawn from the rings
** map_geom.c snaps to 0.1 px and thins within half a pixel: a
** 30,000-parcel county (380,000 mu) makes a 1 MB report, written in about
** 30 ms; the size grows linearly with the parcel count.
**
** The legend is HTML beside the county map, not part of its picture: on a
** narrow screen or a printed page it moves under the map and keeps its
** size, where a legend inside the SVG would shrink with the map. The scale
** bar stays inside the picture (a strip under the frame), so it scales
** with the map and stays true.
**
** Every symbol leaves the status colours as they are: sites are an outline
** on a white casing over a sparse hatch, blocking parcels a dark outline
** over a cross-hatch, both with the parcel's own colour between the lines
** (a translucent fill would mix its colour into the status colour: red
** over pending yellow reads as enclave orange).
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "map_geom.h"
#include "report_map.h"

/* ---- layout ------------------------------------------------------------------- */

#define MAP_MAX_W 920.0    /* with the legend beside it, it fits a 1280 px window */
#define MAP_MAX_H 980.0
#define MAP_PAD 12.0       /* blank margin inside the frame */
#define STRIP_H 62.0       /* under the frame: scale bar, north arrow */
#define STRIP_MIN_W 560.0  /* the strip's content needs this width */
/* Display simplification: a vertex is dropped when the ring stays within
** this distance of it; half a pixel is below what the eye resolves. */
#define SIMPLIFY_PX 0.5
/* Blocks smaller than this on screen are outlined only through their
** parcels: a separate outline would just redraw the parcel's edge. */
#define BLOCK_OUTLINE_MIN_PX2 64.0
#define MAX_BLOCK_LABELS 12   /* more would crowd a page-sized map */

/* A site's map: the site and what lies around it, at most this size, the
** site's extent plus 15 % of its larger side (at least 40 m) on every
** side and never more than 2.4 times as long as it is high or wide. */
#define SITE_MAP_MAX_W 720.0
#define SITE_MAP_MAX_H 480.0
#define SITE_MAP_PAD 6.0
#define SITE_MARGIN_SHARE 0.15
#define SITE_MARGIN_MIN_M 40.0
#define SITE_MAP_MAX_ASPECT 2.4
#define BLOCKER_LABEL_PX 11.5
#define BLOCKER_ANCHORS 7           /* spots along a blocker's strip its label may sit beside */
#define BLOCKER_MARK_PX 6.0
/* Rings around a mark a label may go out to, with a short leader line:
** further out, on a crowded site, leader lines cross and confuse more than
** a missing label (the table lists every blocker). */
#define BLOCKER_LABEL_RINGS 3

#define ENCLAVE_STROKE "#ff7f00"   /* QGIS enclave orange, apart from the refused red */
#define ENCLAVE_FILL "#fdae6b"
#define SITE_READY_STROKE "#006d2c"
#define SITE_BLOCKED_STROKE "#a50f15"
#define BLOCKER_STROKE "#111"
#define CONSTRAINT_FILL "rgba(152,78,163,0.43)"
#define BRIDGE_STROKE "#d6007a"     /* magenta on a white casing: apart from every status colour */

/* The picture being written: the page, the frame and path state, and for a
** site's map the world window its parcels are taken from. */
typedef struct map {
    lc_rep *r;
    lc_map_frame fr;           /* world → pixel */
    lc_map_rings rb;           /* scratch for the rings, reused */
    long cx, cy;               /* current point of the path being written */
    char id[24];               /* prefix of the picture's element ids: "m", or "s<site id>" */
    int detail;                /* a site's map */
    double wx0, wy0, wx1, wy1; /* a site's map: the world window */
    size_t n_blockers;         /* blocking parcels drawn */
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

/* A site's map draws what its window holds; the county map everything. */
static int in_window(const map *m, const GEOSGeometry *g)
{
    if (!m->detail) return 1;
    double x0, y0, x1, y1;
    if (!g || !GEOSGeom_getExtent_r(m->r->ctx->geos, g, &x0, &y0, &x1, &y1)) return 0;
    return x0 <= m->wx1 && x1 >= m->wx0 && y0 <= m->wy1 && y1 >= m->wy0;
}

/* ---- the picture's patterns ----------------------------------------------------- */

/* Hatches in the picture's own user space, so they keep their spacing at
** any scale; each picture defines its own (ids are unique in the page) and
** the legend's swatches use the county map's. */
static void defs(map *m)
{
    const char *id = m->id;
    lc_rep_put(m->r, "<defs>\n");
    lc_rep_putf(m->r, "<pattern id=\"%s-site-ready\" patternUnits=\"userSpaceOnUse\" width=\"9\" height=\"9\" "
                      "patternTransform=\"rotate(45)\"><path d=\"M4.5 0V9\" stroke=\"" SITE_READY_STROKE "\" "
                      "stroke-width=\"1.1\" stroke-opacity=\".75\"/></pattern>\n", id);
    lc_rep_putf(m->r, "<pattern id=\"%s-site-blocked\" patternUnits=\"userSpaceOnUse\" width=\"9\" height=\"9\" "
                      "patternTransform=\"rotate(45)\"><path d=\"M4.5 0V9\" stroke=\"" SITE_BLOCKED_STROKE "\" "
                      "stroke-width=\"1.1\" stroke-opacity=\".75\"/></pattern>\n", id);
    lc_rep_putf(m->r, "<pattern id=\"%s-blocker\" patternUnits=\"userSpaceOnUse\" width=\"4\" height=\"4\" "
                      "patternTransform=\"rotate(45)\"><path d=\"M2 0V4M0 2H4\" stroke=\"" BLOCKER_STROKE "\" "
                      "stroke-width=\".8\"/></pattern>\n", id);
    lc_rep_putf(m->r, "<clipPath id=\"%s-clip\"><rect width=\"%.0f\" height=\"%.0f\"/></clipPath>\n</defs>\n", id,
                m->fr.w, m->fr.h);
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
            if (a->st.state[i].status != (lc_parcel_status)st || !in_window(m, p->items[i].geom)) continue;
            path_geom(m, p->items[i].geom);
            if (!m->detail && (++drawn & 4095) == 0) lc_report_progress(m->r->ctx, "writing the report", drawn, p->n);
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
        if (block_outlined(m, b) && in_window(m, a->footprints.items[b].geom))
            path_polygons(m, a->footprints.items[b].geom, 1);
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

static const GEOSGeometry *site_geom(const lc_site *s) { return s->set->items[s->index].geom; }

/* Constraint overlaps (of one site on its map, -1: all), then each site's
** hatch; the outlines come after the blockers (map_site_outlines). */
static void map_site_hatches(map *m, int only_site)
{
    const lc_analysis *a = m->r->a;
    int any = 0;
    for (size_t k = 0; k < a->sites.n_hits; k++) any |= only_site < 0 || a->sites.hits[k].site_id == only_site;
    if (any) {
        path_open(m, "class=\"constraints\" fill=\"" CONSTRAINT_FILL "\" stroke=\"#54278f\" stroke-width=\".8\"");
        for (size_t k = 0; k < a->sites.n_hits; k++)
            if (only_site < 0 || a->sites.hits[k].site_id == only_site) path_geom(m, a->sites.hits[k].geom);
        path_close(m);
    }
    for (int ready = 1; ready >= 0; ready--) {
        char attrs[160];
        snprintf(attrs, sizeof attrs, "class=\"site-hatch\" fill=\"url(#%s-site-%s)\" stroke=\"none\"", m->id,
                 ready ? "ready" : "blocked");
        path_open(m, attrs);
        for (size_t k = 0; k < a->sites.n; k++)
            if (a->sites.items[k].ready == ready && in_window(m, site_geom(&a->sites.items[k])))
                path_geom(m, site_geom(&a->sites.items[k]));
        path_close(m);
    }
}

/* Each site's outline on a white casing, so it reads over any colour. */
static void map_site_outlines(map *m)
{
    const lc_analysis *a = m->r->a;
    for (int ready = 1; ready >= 0; ready--) {
        char attrs[200];
        snprintf(attrs, sizeof attrs, "class=\"sites-%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2.4\" "
                 "stroke-linejoin=\"round\"", ready ? "ready" : "blocked",
                 ready ? SITE_READY_STROKE : SITE_BLOCKED_STROKE);
        for (int casing = 1; casing >= 0; casing--) {
            path_open(m, casing ? "class=\"site-casing\" fill=\"none\" stroke=\"#fff\" stroke-width=\"5.4\" "
                                  "stroke-linejoin=\"round\" stroke-opacity=\".9\""
                                : attrs);
            for (size_t k = 0; k < a->sites.n; k++)
                if (a->sites.items[k].ready == ready && in_window(m, site_geom(&a->sites.items[k])))
                    path_geom(m, site_geom(&a->sites.items[k]));
            path_close(m);
        }
    }
}

/* One parcel as an element of its own, named by its key (`attrs` open
** the element: its class and data), so that each is one symbol over its
** status colour. */
static void parcel_path(map *m, size_t parcel, const char *attrs, const char *style)
{
    const lc_parcel *it = &m->r->a->parcels->items[parcel];
    lc_rep_putf(m->r, "<path %s data-key=\"", attrs);
    lc_rep_esc(m->r, it->key ? it->key : "");
    lc_rep_putf(m->r, "\" %s d=\"", style);
    m->cx = m->cy = 0;
    path_geom(m, it->geom);
    path_close(m);
}

/* A blocking parcel: a dark outline over a cross-hatch. */
static void blocker_path(map *m, size_t parcel, double stroke_w)
{
    char style[200];
    snprintf(style, sizeof style, "fill=\"url(#%s-blocker)\" stroke=\"" BLOCKER_STROKE "\" stroke-width=\"%.1f\" "
             "stroke-linejoin=\"round\"", m->id, stroke_w);
    parcel_path(m, parcel, "class=\"blocker\"", style);
}

/* The county map: every blocking parcel once, whichever sites it blocks. */
static void map_blockers(map *m)
{
    const lc_analysis *a = m->r->a;
    if (!a->sites.n) return;
    unsigned char *seen = lc_calloc(m->r->ctx, a->parcels->n ? a->parcels->n : 1, 1);
    if (!seen) {
        lc_rep_fail(m->r, LC_ENOMEM, "map");
        return;
    }
    lc_rep_put(m->r, "<g class=\"blockers\">\n");
    for (size_t i = 0; i < a->sites.n && m->r->rc == LC_OK; i++) {
        lc_rep_blocker *b;
        size_t n = lc_rep_site_blockers(m->r, i, &b);
        for (size_t j = 0; j < n; j++)
            if (!seen[b[j].parcel]) {
                seen[b[j].parcel] = 1;
                blocker_path(m, b[j].parcel, 1.6);
                m->n_blockers++;
            }
        free(b);
    }
    lc_rep_put(m->r, "</g>\n");
    free(seen);
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
        if (!lc_map_bbox_px(m->r->ctx, &m->fr, site_geom(s), &bb)) continue;
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

/* ---- the strip under the frame: scale bar, north arrow --------------------------- */

static void distance_text(char *out, size_t cap, double m)
{
    if (m >= 1000) snprintf(out, cap, "%g km", m / 1000);
    else snprintf(out, cap, "%g m", m);
}

/* A bar of a round length in the map's own scale: the SVG scales as a
** whole, so the bar stays true at any zoom. */
static void scale_bar(map *m, double x, double y, double max_len)
{
    double metres = lc_map_round_down(max_len / m->fr.k);
    double len = metres * m->fr.k;
    char t[32];
    lc_rep_putf(m->r, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\">比例尺 "
                      "<tspan fill=\"#5a6878\">Scale</tspan></text>\n", x, y);
    y += 8;
    for (int i = 0; i < 4; i++)
        lc_rep_putf(m->r, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.2f\" height=\"6\" fill=\"%s\" stroke=\"#222\" "
                          "stroke-width=\".8\"/>\n", x + len * i / 4, y, len / 4, i % 2 ? "#fff" : "#222");
    lc_rep_putf(m->r, "<g font-size=\"11\" text-anchor=\"middle\"><text x=\"%.1f\" y=\"%.1f\">0</text>", x, y + 19);
    distance_text(t, sizeof t, metres / 2);
    lc_rep_putf(m->r, "<text x=\"%.1f\" y=\"%.1f\">%s</text>", x + len / 2, y + 19, t);
    distance_text(t, sizeof t, metres);
    lc_rep_putf(m->r, "<text x=\"%.1f\" y=\"%.1f\">%s</text></g>\n", x + len, y + 19, t);
    /* under the bar, not beside it: a bar of full length leaves no room
    ** before the north arrow on a map the strip's minimum wide */
    lc_rep_putf(m->r, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10.5\" fill=\"#5a6878\">"
                      "1 px ≈ %.2f m（原始大小 at 100%%）</text>\n", x, y + 33, 1 / m->fr.k);
}

/* The arrow at (x, y) and its words to the right; the convergence of grid
** and true north at the picture's centre. */
static void north_arrow(map *m, double x, double y)
{
    const lc_crs *crs = &m->r->a->parcels->crs;
    lc_rep_putf(m->r, "<g transform=\"translate(%.1f %.1f) scale(.8)\"><path d=\"M0 0l-11 30 11-8z\" fill=\"#222\"/>"
                      "<path d=\"M0 0l11 30-11-8z\" fill=\"#fff\" stroke=\"#222\" stroke-width=\"1\"/>"
                      "<text x=\"0\" y=\"-4\" font-size=\"14\" font-weight=\"700\" "
                      "text-anchor=\"middle\">N</text></g>\n", x, y + 14);
    lc_rep_putf(m->r, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\">坐标北 "
                      "<tspan fill=\"#5a6878\">grid north</tspan></text>\n", x + 18, y + 14);
    lc_rep_putf(m->r, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#5a6878\">", x + 18, y + 29);
    lc_rep_esc(m->r, crs->work_desc.id[0] ? crs->work_desc.id : "working CRS");
    lc_rep_put(m->r, "，图上方为北 up</text>\n");
    double cvx, cvy;
    lc_map_from_px(&m->fr, m->fr.w / 2, m->fr.h / 2, &cvx, &cvy);
    double gamma = lc_map_grid_convergence(crs->to_geographic, cvx, cvy);
    if (isfinite(gamma))
        lc_rep_putf(m->r, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#5a6878\">真北偏%s %.2f° "
                          "true north %.2f° %s</text>\n", x + 18, y + 44, gamma < 0 ? "西" : "东", fabs(gamma),
                    fabs(gamma), gamma < 0 ? "W of grid" : "E of grid");
}

static void strip(map *m, double total_w)
{
    double y = m->fr.h + 18;
    lc_rep_put(m->r, "<g class=\"strip\" fill=\"#1d2b3a\">\n");
    scale_bar(m, 6, y, 150);
    north_arrow(m, total_w - 272, y - 8);
    lc_rep_put(m->r, "</g>\n");
}

/* ---- the legend (HTML) ---------------------------------------------------------- */

/* A swatch as a little SVG of its own; `fill` may name a pattern of the
** county map (url(#m-...)), which the page shares. */
static void swatch(map *m, const char *fill, const char *stroke, const char *extra)
{
    lc_rep_putf(m->r, "<svg class=\"sw\" width=\"24\" height=\"16\" viewBox=\"0 0 24 16\" aria-hidden=\"true\">"
                      "<rect x=\"1.5\" y=\"1.5\" width=\"21\" height=\"13\" rx=\"2\" fill=\"%s\" stroke=\"%s\"%s/>"
                      "</svg>", fill, stroke, extra);
}

/* A swatch over a status colour: a hatch pattern on top of it. */
static void swatch_over(map *m, const char *under, const char *pattern, const char *stroke, const char *extra)
{
    lc_rep_putf(m->r, "<svg class=\"sw\" width=\"24\" height=\"16\" viewBox=\"0 0 24 16\" aria-hidden=\"true\">"
                      "<rect x=\"1.5\" y=\"1.5\" width=\"21\" height=\"13\" rx=\"2\" fill=\"%s\"/>"
                      "<rect x=\"1.5\" y=\"1.5\" width=\"21\" height=\"13\" rx=\"2\" fill=\"url(#m-%s)\" "
                      "stroke=\"%s\"%s/></svg>", under, pattern, stroke, extra);
}

static void item_text(map *m, const char *zh, const char *en, const char *small)
{
    lc_rep_putf(m->r, "<span>%s <i>%s</i>", zh, en);
    if (small) {
        lc_rep_put(m->r, "<small>");
        lc_rep_esc(m->r, small);
        lc_rep_put(m->r, "</small>");
    }
    lc_rep_put(m->r, "</span></li>\n");
}

static void legend_statuses(map *m, int counts)
{
    const lc_analysis *a = m->r->a;
    char b1[LC_REP_NUMBUF], b2[LC_REP_NUMBUF], small[160];
    for (int st = 0; st < LC_ST_N; st++) {
        lc_rep_put(m->r, "<li>");
        swatch(m, lc_rep_status_fill(st), "#5a5a5a", "");
        snprintf(small, sizeof small, "%s 块 · %s 亩", lc_rep_int(b1, (double)a->st.totals.count[st]),
                 lc_rep_mu(b2, a->st.totals.m2[st]));
        item_text(m, lc_rep_status_zh(st), lc_rep_status_en(st), counts ? small : NULL);
    }
}

/* `counts`: the county map's entry, with the number of parcels drawn (a
** parcel that blocks two sites is one). */
static void legend_blockers(map *m, int counts)
{
    const lc_analysis *a = m->r->a;
    char b1[LC_REP_NUMBUF], b2[LC_REP_NUMBUF], small[200];
    lc_rep_put(m->r, "<li class=\"lg-blocker\">");
    swatch_over(m, lc_rep_status_fill(LC_ST_PENDING), "blocker", BLOCKER_STROKE, " stroke-width=\"1.8\"");
    snprintf(small, sizeof small, "%s 块 · 未流转且压占用地 > %s m² not transferred, under a site",
             lc_rep_int(b1, (double)m->n_blockers), lc_rep_num(b2, sizeof b2, a->opts.min_overlap_m2, 2));
    item_text(m, "阻碍地块", "blocking parcel", counts ? small : "未流转且压占本用地 not transferred, under the site");
}

static void legend_site(map *m, int ready)
{
    lc_rep_put(m->r, "<li>");
    swatch_over(m, "#fff", ready ? "site-ready" : "site-blocked", ready ? SITE_READY_STROKE : SITE_BLOCKED_STROKE,
                " stroke-width=\"2.2\"");
    item_text(m, ready ? "用地 可开工" : "用地 不能开工", ready ? "site ready" : "site not ready", NULL);
}

static void legend(map *m)
{
    const lc_analysis *a = m->r->a;
    char b1[LC_REP_NUMBUF], small[160];
    lc_rep_put(m->r, "<div class=\"legend\">\n<h4>图例 <small>Legend</small></h4>\n<ul>\n");
    legend_statuses(m, 1);
    lc_rep_put(m->r, "<li>");
    swatch(m, lc_rep_status_fill(0), LC_REP_BLOCK_STROKE, " stroke-width=\"3\"");
    item_text(m, "最大连片", "largest block", NULL);
    lc_rep_put(m->r, "<li>");
    swatch(m, lc_rep_status_fill(0), LC_REP_BLOCK_STROKE, " stroke-width=\"1.4\"");
    snprintf(small, sizeof small, "≥ 2 块且 ≥ %s 亩 shown",
             lc_rep_num(b1, sizeof b1, lc_mu_from_m2(BLOCK_OUTLINE_MIN_PX2 / (m->fr.k * m->fr.k)), 1));
    item_text(m, "连片范围", "block footprint", small);
    lc_rep_put(m->r, "<li>");
    swatch(m, "none", ENCLAVE_STROKE, " stroke-width=\"1.6\"");
    item_text(m, "插花地块", "enclave parcel", NULL);
    lc_rep_put(m->r, "<li>");
    swatch(m, ENCLAVE_FILL, ENCLAVE_STROKE, " fill-opacity=\".55\" stroke-dasharray=\"2 1.5\"");
    item_text(m, "连片内空隙", "gap enclave", NULL);
    if (a->sites.n) {
        legend_blockers(m, 1);
        legend_site(m, 1);
        legend_site(m, 0);
    }
    if (a->sites.n_hits) {
        lc_rep_put(m->r, "<li>");
        swatch(m, CONSTRAINT_FILL, "#54278f", "");
        item_text(m, "压占限制区", "constraint overlap", NULL);
    }
    lc_rep_put(m->r, "</ul>\n</div>\n");
}

/* ---- the county map ------------------------------------------------------------- */

/* --ar, the picture's width over its height, lets the print style size a
** map by the height a page has for it (report_page.c). */
static void svg_open(map *m, const char *cls, const char *extra, double total_w, double total_h)
{
    lc_rep_putf(m->r, "<svg class=\"%s\"%s viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" "
                      "style=\"--ar:%.4f\" role=\"img\" font-family=\"inherit\">\n", cls, extra, total_w, total_h,
                total_w, total_h, total_w / total_h);
    defs(m);
    lc_rep_putf(m->r, "<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"#fbfbf8\" stroke=\"#9aa5b1\"/>\n"
                      "<g clip-path=\"url(#%s-clip)\">\n", m->fr.w, m->fr.h, m->id);
}

void lc_rep_map_section(lc_rep *r)
{
    map mm, *m = &mm;
    memset(m, 0, sizeof *m);
    m->r = r;
    snprintf(m->id, sizeof m->id, "m");
    double minx, miny, maxx, maxy;
    frame_extent(m, &minx, &miny, &maxx, &maxy);
    lc_map_frame_fit(minx, miny, maxx, maxy, MAP_MAX_W, MAP_MAX_H, MAP_PAD, &m->fr);
    double total_w = fmax(m->fr.w, STRIP_MIN_W), total_h = m->fr.h + STRIP_H;
    lc_rep_put(r, "<section id=\"map\">\n<h2>分布图<small>Map — parcels by transfer status, blocks, enclaves, "
                  "blocking parcels and sites</small></h2>\n<div class=\"mapbox\">\n");
    svg_open(m, "map", " aria-label=\"地块流转状态分布图 map\"", total_w, total_h);
    map_blocks(m);
    map_parcels(m);
    map_enclaves(m);
    map_site_hatches(m, -1);
    map_blockers(m);
    map_site_outlines(m);
    map_labels(m);
    lc_rep_put(r, "</g>\n");
    strip(m, total_w);
    lc_rep_put(r, "</svg>\n");
    legend(m);
    lc_rep_put(r, "</div>\n");
    lc_map_rings_free(&m->rb);
    lc_rep_putf(r, "<p class=\"note\">地图仅为示意：显示时几何已按约半个像素（约 %.1f m）简化，"
                   "所有数字均由完整几何计算。"
                   "Geometry simplified for display only (about half a pixel, %.1f m); every figure is "
                   "computed on the full geometry.</p>\n</section>\n",
                SIMPLIFY_PX / m->fr.k, SIMPLIFY_PX / m->fr.k);
}

/* ---- a site's map ----------------------------------------------------------------- */

/* The label of a blocker: the tail of its key that tells it apart ("…00125"),
** else its holder, else its row in the table. */
static void blocker_label(const lc_analysis *a, const lc_rep_blocker *b, size_t row, char *out, size_t cap)
{
    if (b->key) {
        size_t len = strlen(b->key);
        snprintf(out, cap, "%s%s", b->tail < len ? "…" : "", b->key + len - b->tail);
        return;
    }
    const char *holder = lc_analysis_holder(a, b->parcel);
    if (holder) snprintf(out, cap, "%s", holder);
    else snprintf(out, cap, "#%zu", row + 1);
}

/* A feature a detail map labels: where its label belongs and the label. */
typedef struct feature_label {
    const GEOSGeometry *g;
    char text[300];
} feature_label;

/* Labels features (most important first) where they lie: each takes the
** first of its anchors along the strip where its mark and a label beside
** it are free, so the labels of neighbouring strips stagger; a label that
** finds no room beside any anchor goes a little further out with a leader
** line. `next` gives feature j (0: none, skip it). Returns how many were
** labelled. */
static size_t label_features(map *m, const char *cls, const char *colour, size_t n,
                             int (*next)(map *m, const void *items, size_t j, feature_label *out),
                             const void *items)
{
    size_t labelled = 0;
    lc_map_labels lb;
    memset(&lb, 0, sizeof lb);
    lb.w = m->fr.w;
    lb.h = m->fr.h;
    lc_rep_putf(m->r, "<g class=\"%s-labels\">\n", cls);
    for (size_t j = 0; j < n && m->r->rc == LC_OK; j++) {
        double anchors[2 * BLOCKER_ANCHORS], ax, ay, lx, ly;
        int far = 0;
        feature_label f;
        if (!next(m, items, j, &f)) continue;
        size_t na = lc_map_anchors(m->r->ctx, &m->fr, f.g, anchors, BLOCKER_ANCHORS);
        if (!na) continue;
        int placed = lc_map_label_feature(&lb, anchors, na, f.text, BLOCKER_LABEL_PX, BLOCKER_MARK_PX,
                                          BLOCKER_LABEL_RINGS, &ax, &ay, &lx, &ly, &far);
        lc_rep_putf(m->r, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.6\" fill=\"%s\" stroke=\"#fff\" "
                          "stroke-width=\"1.2\"/>\n", ax, ay, colour);
        if (!placed) continue;
        labelled++;
        if (far)
            lc_rep_putf(m->r, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                              "stroke-width=\".9\"/>\n", ax, ay, lx, ly, colour);
        lc_rep_putf(m->r, "<text class=\"%s-label\" x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\" "
                          "text-anchor=\"middle\" font-weight=\"700\" fill=\"%s\" stroke=\"#fff\" "
                          "stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\">",
                    cls, lx, ly + BLOCKER_LABEL_PX * 0.35, BLOCKER_LABEL_PX, colour);
        lc_rep_esc(m->r, f.text);
        lc_rep_put(m->r, "</text>\n");
    }
    lc_rep_put(m->r, "</g>\n");
    return labelled;
}

typedef struct site_blockers { size_t site; const lc_rep_blocker *b; } site_blockers;

/* A site's blocker j, labelled on its overlap with the site. */
static int next_blocker(map *m, const void *items, size_t j, feature_label *out)
{
    const site_blockers *sb = items;
    const lc_analysis *a = m->r->a;
    const lc_site *s = &a->sites.items[sb->site];
    out->g = a->sites.overlaps[s->first_overlap + sb->b[j].overlap].geom;
    blocker_label(a, &sb->b[j], j, out->text, sizeof out->text);
    return 1;
}

static void site_legend(map *m, int ready)
{
    lc_rep_put(m->r, "<div class=\"legend compact\"><ul>\n");
    legend_statuses(m, 0);
    legend_blockers(m, 0);
    legend_site(m, ready);
    lc_rep_put(m->r, "</ul></div>\n");
}

void lc_rep_site_map(lc_rep *r, size_t i)
{
    const lc_site *s = &r->a->sites.items[i];
    map mm, *m = &mm;
    memset(m, 0, sizeof *m);
    m->r = r;
    m->detail = 1;
    snprintf(m->id, sizeof m->id, "s%d", (int)s->id);
    double x0, y0, x1, y1;
    if (!GEOSGeom_getExtent_r(r->ctx->geos, site_geom(s), &x0, &y0, &x1, &y1)) return;   /* an empty site */
    lc_map_extent_grow(&x0, &y0, &x1, &y1, SITE_MARGIN_SHARE, SITE_MARGIN_MIN_M, SITE_MAP_MAX_ASPECT);
    lc_map_frame_fit(x0, y0, x1, y1, SITE_MAP_MAX_W, SITE_MAP_MAX_H, SITE_MAP_PAD, &m->fr);
    /* the window is what the frame shows, margin included */
    lc_map_from_px(&m->fr, 0, m->fr.h, &m->wx0, &m->wy0);
    lc_map_from_px(&m->fr, m->fr.w, 0, &m->wx1, &m->wy1);
    lc_rep_blocker *b;
    size_t n = lc_rep_site_blockers(r, i, &b);
    double total_w = fmax(m->fr.w, STRIP_MIN_W), total_h = m->fr.h + STRIP_H;
    char extra[96];
    snprintf(extra, sizeof extra, " data-site=\"%d\" aria-label=\"用地 %d 地图 site map\"", (int)s->id, (int)s->id);
    lc_rep_put(r, "<figure class=\"sitefig\">\n");
    svg_open(m, "sitemap", extra, total_w, total_h);
    map_parcels(m);
    map_site_hatches(m, s->id);
    lc_rep_put(r, "<g class=\"blockers\">\n");
    for (size_t j = 0; j < n; j++) blocker_path(m, b[j].parcel, 2.2);
    lc_rep_put(r, "</g>\n");
    map_site_outlines(m);
    site_blockers sb = {i, b};
    size_t labelled = label_features(m, "blocker", BLOCKER_STROKE, n, next_blocker, &sb);
    lc_rep_put(r, "</g>\n");
    strip(m, total_w);
    lc_rep_put(r, "</svg>\n");
    site_legend(m, s->ready);
    if (labelled < n)
        lc_rep_putf(r, "<figcaption class=\"note\">图上标注了 %zu 块阻碍地块中的 %zu 块（其余处太密），全部列于下表。"
                       "%zu of %zu blocking parcels are labelled on the map (no room for the rest); the table "
                       "lists all of them.</figcaption>\n", n, labelled, labelled, n);
    lc_rep_put(r, "</figure>\n");
    free(b);
    lc_map_rings_free(&m->rb);
}

/* ---- the map of the parcels to negotiate first ------------------------------------- */

/* The window around the top bridges reaches this far beyond them (a share
** of the larger side, at least so many metres): far enough to show the
** blocks each would join. */
#define PLAN_MARGIN_SHARE 0.25
#define PLAN_MARGIN_MIN_M 120.0
#define PLAN_MIN_ASPECT 1.5   /* width over height: the map's frame is 720 × 480 px */

static int next_bridge(map *m, const void *items, size_t j, feature_label *out)
{
    (void)items;
    const lc_plan_bridge *br = &m->r->a->plan->bridges[j];
    out->g = m->r->a->parcels->items[br->parcel].geom;
    snprintf(out->text, sizeof out->text, "%zu", j + 1);
    return out->g != NULL;
}

static void plan_legend(map *m)
{
    lc_rep_put(m->r, "<div class=\"legend compact\"><ul>\n");
    legend_statuses(m, 0);
    lc_rep_put(m->r, "<li>");
    swatch(m, lc_rep_status_fill(LC_ST_PENDING), BRIDGE_STROKE, " stroke-width=\"2.6\"");
    item_text(m, "优先协商地块（数字为次序）", "parcel to negotiate first, by rank", NULL);
    lc_rep_put(m->r, "<li>");
    swatch(m, lc_rep_status_fill(0), LC_REP_BLOCK_STROKE, " stroke-width=\"3\"");
    item_text(m, "连片范围", "block footprint", NULL);
    lc_rep_put(m->r, "</ul></div>\n");
}

void lc_rep_plan_map(lc_rep *r, size_t n)
{
    const lc_plan *plan = r->a->plan;
    if (!plan || !n) return;
    if (n > plan->n_bridges) n = plan->n_bridges;
    map mm, *m = &mm;
    memset(m, 0, sizeof *m);
    m->r = r;
    m->detail = 1;
    snprintf(m->id, sizeof m->id, "p");
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (size_t k = 0; k < n; k++) {
        double bx0, by0, bx1, by1;
        const GEOSGeometry *g = r->a->parcels->items[plan->bridges[k].parcel].geom;
        if (!g || !GEOSGeom_getExtent_r(r->ctx->geos, g, &bx0, &by0, &bx1, &by1)) continue;
        x0 = fmin(x0, bx0), y0 = fmin(y0, by0), x1 = fmax(x1, bx1), y1 = fmax(y1, by1);
    }
    if (!(x0 <= x1 && y0 <= y1)) return;   /* no bridge with a geometry */
    lc_map_extent_grow(&x0, &y0, &x1, &y1, PLAN_MARGIN_SHARE, PLAN_MARGIN_MIN_M, SITE_MAP_MAX_ASPECT);
    /* landscape, as the page is: a column of bridges gets the land beside it */
    double w = x1 - x0, h = y1 - y0;
    if (w < PLAN_MIN_ASPECT * h) {
        x0 -= (PLAN_MIN_ASPECT * h - w) / 2;
        x1 = x0 + PLAN_MIN_ASPECT * h;
    }
    lc_map_frame_fit(x0, y0, x1, y1, SITE_MAP_MAX_W, SITE_MAP_MAX_H, SITE_MAP_PAD, &m->fr);
    lc_map_from_px(&m->fr, 0, m->fr.h, &m->wx0, &m->wy0);
    lc_map_from_px(&m->fr, m->fr.w, 0, &m->wx1, &m->wy1);
    double total_w = fmax(m->fr.w, STRIP_MIN_W), total_h = m->fr.h + STRIP_H;
    lc_rep_put(r, "<figure class=\"sitefig\">\n");
    svg_open(m, "planmap", " aria-label=\"优先协商地块地图 map of the parcels to negotiate first\"", total_w,
             total_h);
    map_blocks(m);
    map_parcels(m);
    lc_rep_put(r, "<g class=\"bridges\">\n");
    path_open(m, "class=\"bridge-casing\" fill=\"none\" stroke=\"#fff\" stroke-width=\"5\" "
                 "stroke-linejoin=\"round\"");
    for (size_t k = 0; k < n && r->rc == LC_OK; k++)
        path_geom(m, r->a->parcels->items[plan->bridges[k].parcel].geom);
    path_close(m);
    for (size_t k = 0; k < n && r->rc == LC_OK; k++) {
        char attrs[64];
        snprintf(attrs, sizeof attrs, "class=\"bridge\" data-rank=\"%zu\"", k + 1);
        parcel_path(m, plan->bridges[k].parcel, attrs,
                    "fill=\"none\" stroke=\"" BRIDGE_STROKE "\" stroke-width=\"2.6\" stroke-linejoin=\"round\"");
    }
    lc_rep_put(r, "</g>\n");
    label_features(m, "bridge", BRIDGE_STROKE, n, next_bridge, NULL);
    lc_rep_put(r, "</g>\n");
    strip(m, total_w);
    lc_rep_put(r, "</svg>\n");
    plan_legend(m);
    lc_rep_put(r, "</figure>\n");
    lc_map_rings_free(&m->rb);
}
