/*
** The HTML report of an analysis (analyze --report): one self-contained
** UTF-8 file a person reads in any browser without GIS software or a
** network — inline CSS and inline SVG only, no script, no external font.
**
** It holds the headline figures, a map (parcels coloured by status with the
** QGIS style's colours, block outlines labelled in mu, enclaves, sites, a
** scale bar and a grid-north arrow), the campaign chart, tables by township
** and village, the blocking parcels of each site, the QA counts and every
** input and setting needed to audit the numbers.
**
** Every figure comes from the analysis as computed; the map alone is
** simplified, for display: coordinates are snapped to 0.1 px and each ring
** is thinned by Douglas-Peucker within half a pixel, and the parcels of
** one status share one <path> of relative moves instead of one element
** each: a 30,000-parcel county (380,000 mu) makes a 1 MB report, written
** in about 30 ms; the size grows linearly with the parcel count.
**
** The report goes into the temporary file of its reserved output
** (outfile.c), put in place with the run's other outputs only when all of
** them are complete: a failure or an interrupt never leaves a partial
** report, nor a report without its database.
*/
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "dates.h"
#include "map_geom.h"
#include "outfile.h"
#include "unit_totals.h"

/* ---- layout (SVG user units, shown 1:1 as CSS pixels) ---------------------- */

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

#define CHART_W 1200.0
#define CHART_H 440.0
#define CHART_L 84.0
#define CHART_R 104.0
#define CHART_T 52.0
#define CHART_B 58.0
/* The target is drawn on the chart unless it is so far above the curves
** that they would be squashed into the bottom of the plot. */
#define CHART_TARGET_MAX_RATIO 2.5

/* Parcel colours and words: the status table, as in the QGIS styles. */
static const char *status_fill(int st)
{
    static char hex[LC_ST_N][24];   /* the same text every time it is written */
    lc_status_hex((lc_parcel_status)st, hex[st]);
    return hex[st];
}
static const char *status_en(int st) { return lc_status_def_of((lc_parcel_status)st)->en; }
static const char *status_zh(int st) { return lc_parcel_status_zh((lc_parcel_status)st); }
#define BLOCK_STROKE "#08519c"      /* blocks outline, as in QGIS */
#define ENCLAVE_STROKE "#ff7f00"   /* QGIS enclave orange, apart from the refused red */
#define ENCLAVE_FILL "#fdae6b"
#define SITE_READY_STROKE "#006d2c"
#define SITE_READY_FILL "rgba(77,175,74,0.27)"
#define SITE_BLOCKED_STROKE "#a50f15"
#define SITE_BLOCKED_FILL "rgba(228,26,28,0.27)"
#define CONSTRAINT_FILL "rgba(152,78,163,0.43)"
#define CUMULATIVE_STROKE "#238b45"
#define TARGET_STROKE "#d94801"

typedef struct rep {
    lc_ctx *ctx;
    const lc_analysis *a;
    lc_analysis_summary s;
    FILE *f;
    lc_status rc;              /* first failure; drawing stops after it */
    lc_map_frame fr;           /* the map's world → pixel frame */
    lc_map_rings rb;
    long cx, cy;               /* current point of the path being written */
} rep;

/* ---- output ------------------------------------------------------------- */

static void put(rep *r, const char *s) { fputs(s, r->f); }

static void putf(rep *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(rep *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(r->f, fmt, ap);
    va_end(ap);
}

/* Length of the valid UTF-8 sequence at s, 0 when it is not one (overlong
** forms, surrogates and code points past U+10FFFF included). */
static size_t utf8_len(const unsigned char *s)
{
    unsigned c = s[0];
    size_t n;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else return 0;
    if (s[1] < lo || s[1] > hi) return 0;
    for (size_t i = 2; i < n; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    return n;
}

/* Text as HTML: markup characters escaped, control characters dropped and
** bytes that are not UTF-8 (a path from a GBK shell, say) replaced by
** U+FFFD, so the file stays valid whatever the inputs were called. */
static void put_esc(rep *r, const char *s)
{
    if (!s) return;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        if (c >= 0x80) {
            size_t n = utf8_len(p);
            if (n) fwrite(p, 1, n, r->f);
            else put(r, "\xEF\xBF\xBD");
            p += n ? n : 1;
            continue;
        }
        switch (c) {
        case '&': put(r, "&amp;"); break;
        case '<': put(r, "&lt;"); break;
        case '>': put(r, "&gt;"); break;
        case '"': put(r, "&quot;"); break;
        case '\'': put(r, "&#39;"); break;
        default:
            if (c >= 0x20 && c != 0x7F) fputc((int)c, r->f);
            else if (c == '\t' || c == '\n') fputc(' ', r->f);
        }
        p++;
    }
}

/* v with `decimals` decimals and a comma every three integer digits
** ("12,345.67"); "—" when not a number. */
static const char *fmt_num(char *out, size_t cap, double v, int decimals)
{
    char tmp[64];
    if (!isfinite(v)) {
        snprintf(out, cap, "—");
        return out;
    }
    snprintf(tmp, sizeof tmp, "%.*f", decimals, v);
    const char *digits = tmp[0] == '-' ? tmp + 1 : tmp;
    /* a sliver below the last decimal (-1e-9 m² under no parcel) is 0.00, not -0.00 */
    if (digits != tmp && strspn(digits, "0.") == strlen(digits)) memmove(tmp, digits, strlen(digits) + 1);
    digits = tmp[0] == '-' ? tmp + 1 : tmp;
    size_t int_len = strcspn(digits, ".");
    size_t o = 0;
    if (digits != tmp && o + 1 < cap) out[o++] = '-';
    for (size_t i = 0; digits[i] && o + 1 < cap; i++) {
        if (i < int_len && i > 0 && (int_len - i) % 3 == 0 && o + 2 < cap) out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
    return out;
}

#define NUMBUF 64
static const char *mu_text(char out[NUMBUF], double m2) { return fmt_num(out, NUMBUF, lc_mu_from_m2(m2), 2); }
static const char *int_text(char out[NUMBUF], double n) { return fmt_num(out, NUMBUF, n, 0); }

static const char *pct_text(char out[NUMBUF], double part, double whole)
{
    if (!(whole > 0)) snprintf(out, NUMBUF, "—");
    else snprintf(out, NUMBUF, "%.1f%%", 100.0 * part / whole);
    return out;
}

/* A unit's display name: its --unit-names name, else its code. */
static const char *unit_label(const lc_analysis *a, const char *code)
{
    const char *name = lc_units_name(&a->units, code);
    return name ? name : code;
}

static void fail(rep *r, lc_status st, const char *what)
{
    if (r->rc != LC_OK) return;
    if (st == LC_ENOMEM) r->rc = lc_error(r->ctx, LC_ENOMEM, "out of memory (%s)", what);
    else if (st == LC_EINTERRUPTED) r->rc = lc_error(r->ctx, LC_EINTERRUPTED, "interrupted");
    else r->rc = lc_error(r->ctx, st, "writing the report (%s): %s", what, r->ctx->geos_msg);
}

/* ---- page ---------------------------------------------------------------- */

static const char css[] =
    ":root{--ink:#1d2b3a;--muted:#5a6878;--line:#d9dfe6;--bg:#eef1f5;--accent:#0b3d6e}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.55 \"Noto Sans CJK SC\","
    "\"Source Han Sans SC\",\"Noto Sans SC\",\"Microsoft YaHei\",\"PingFang SC\",\"WenQuanYi Micro Hei\","
    "\"Helvetica Neue\",Arial,sans-serif}\n"
    "header{background:linear-gradient(100deg,#0b3d6e,#135f9e);color:#fff;padding:20px 32px 18px}\n"
    "header h1{margin:0;font-size:27px;font-weight:700;letter-spacing:.04em}\n"
    "header .en{font-size:15px;opacity:.88;margin-top:2px}\n"
    "header .meta{font-size:13px;opacity:.92;margin-top:8px}\n"
    "header .meta span{margin-right:18px;white-space:nowrap}\n"
    "main{max-width:1320px;margin:0 auto;padding:18px 20px 36px}\n"
    "section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px 20px;"
    "margin:0 0 16px;box-shadow:0 1px 2px rgba(16,24,40,.05)}\n"
    "h2{font-size:18px;margin:0 0 12px;padding-left:10px;border-left:4px solid var(--accent)}\n"
    "h2 small,h3 small{font-weight:400;color:var(--muted);font-size:13.5px;margin-left:8px}\n"
    "h3{font-size:15.5px;margin:14px 0 6px}\n"
    ".cards{display:grid;grid-template-columns:repeat(6,1fr);gap:10px}\n"
    "@media(max-width:1100px){.cards{grid-template-columns:repeat(3,1fr)}}\n"
    ".card{border:1px solid var(--line);border-radius:6px;padding:9px 12px;background:#f9fbfc}\n"
    ".card .k{font-size:12.5px;color:var(--muted)}\n"
    ".card .v{font-size:21px;font-weight:700;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    ".card .v small{font-size:13px;font-weight:400;color:var(--muted);margin-left:3px}\n"
    ".card .s{font-size:12.5px;color:var(--muted)}\n"
    ".badge{display:inline-block;padding:0 8px;border-radius:10px;font-size:12px;font-weight:700;"
    "color:#fff;vertical-align:2px}\n"
    ".ok{background:#2e7d32}.no{background:#c62828}\n"
    ".map,.chart{display:block;width:100%;height:auto;margin:0 auto}\n"
    "table{border-collapse:collapse;width:100%;font-size:13px}\n"
    "th,td{padding:4px 8px;border-bottom:1px solid #e7ebf0;text-align:left;vertical-align:top}\n"
    "thead th{background:#f1f4f8;font-weight:600;border-bottom:1px solid #cfd7e0}\n"
    "th small{display:block;font-weight:400;color:var(--muted);font-size:11.5px}\n"
    ".n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    "tfoot td{font-weight:700;border-top:2px solid #c5cdd6;border-bottom:none}\n"
    "tbody tr:nth-child(even){background:#fafbfd}\n"
    ".share{display:inline-block;width:64px;height:8px;background:#e6eaee;border-radius:4px;"
    "margin-right:6px;vertical-align:middle;overflow:hidden}\n"
    ".share i{display:block;height:100%;background:#4daf4a}\n"
    ".chip{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;"
    "vertical-align:middle;border:1px solid rgba(0,0,0,.25)}\n"
    ".note{color:var(--muted);font-size:12.5px}\n"
    ".site{border-top:1px solid var(--line);padding-top:4px;margin-top:10px}\n"
    ".site:first-of-type{border-top:none;margin-top:0}\n"
    ".kv th{width:230px;background:none;color:var(--muted);font-weight:400}\n"
    ".kv td{word-break:break-all}\n"
    "code{font-family:\"DejaVu Sans Mono\",Consolas,monospace;font-size:12px}\n"
    "footer{color:var(--muted);font-size:12px;text-align:center;padding:0 0 24px}\n"
    "@media print{body{background:#fff}section{box-shadow:none;break-inside:avoid}"
    "header{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

static void page_head(rep *r)
{
    const lc_parcels *p = r->a->parcels;
    put(r, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
           "<meta name=\"generator\" content=\"landcons ");
    put_esc(r, lc_version());
    put(r, "\">\n<title>土地连片流转分析报告 — ");
    put_esc(r, p->layer);
    putf(r, " — 截至 %s</title>\n<style>\n%s</style>\n</head>\n<body>\n", r->s.as_of, css);
    put(r, "<header>\n<h1>土地连片流转分析报告</h1>\n"
           "<div class=\"en\">Contiguous land transfer report — parcels, blocks, hold-outs and project "
           "sites</div>\n"
           "<div class=\"meta\"><span>图层 Layer: ");
    put_esc(r, p->layer);
    putf(r, "</span><span>截至 As of: %s</span><span>工作坐标系 CRS: ", r->s.as_of);
    put_esc(r, p->crs.work_desc.id[0] ? p->crs.work_desc.id : p->crs.work_desc.name);
    put(r, "</span><span>landcons ");
    put_esc(r, lc_version());
    put(r, "</span></div>\n</header>\n<main>\n");
}

/* ---- headline figures ------------------------------------------------------ */

static void card_begin(rep *r, const char *zh, const char *en)
{
    putf(r, "<div class=\"card\"><div class=\"k\">%s %s</div>", zh, en);
}

/* The figures the test compares with the database carry data-figure. */
static void card_parcels(rep *r, const lc_analysis_summary *s)
{
    char b1[NUMBUF], b2[NUMBUF];
    card_begin(r, "地块", "Parcels");
    putf(r, "<div class=\"v\">%s<small>块</small></div><div class=\"s\">总面积 total "
            "<b data-figure=\"total_mu\">%s</b> 亩</div></div>\n",
         int_text(b1, (double)s->parcels), mu_text(b2, s->total_m2));
}

static void card_transferred(rep *r, const lc_analysis_summary *s)
{
    char b1[NUMBUF], b2[NUMBUF], b3[NUMBUF];
    double tr = s->status_m2[LC_ST_TRANSFERRED];
    card_begin(r, "已流转", "Transferred");
    putf(r, "<div class=\"v\"><span data-figure=\"transferred_mu\">%s</span><small>亩</small></div>"
            "<div class=\"s\">占 share %s · %s 块 parcels</div></div>\n",
         mu_text(b1, tr), pct_text(b2, tr, s->total_m2),
         int_text(b3, (double)s->status_count[LC_ST_TRANSFERRED]));
}

static void card_largest(rep *r, const lc_analysis_summary *s)
{
    char b1[NUMBUF], b2[NUMBUF], b3[NUMBUF];
    card_begin(r, "最大连片", "Largest block");
    if (!s->blocks) {
        put(r, "<div class=\"v\">—</div><div class=\"s\">无连片 no block</div></div>\n");
        return;
    }
    putf(r, "<div class=\"v\"><span data-figure=\"largest_block_mu\">%s</span><small>亩</small></div>",
         mu_text(b1, s->largest_block_parcel_m2));
    putf(r, "<div class=\"s\">%s 块 parcels · 范围 footprint %s 亩<br>共 %s 个连片 blocks</div></div>\n",
         int_text(b2, (double)s->largest_block_parcels), mu_text(b1, s->largest_block_footprint_m2),
         int_text(b3, (double)s->blocks));
}

static void card_target(rep *r, const lc_analysis_summary *s)
{
    char b1[NUMBUF];
    card_begin(r, "目标", "Target");
    putf(r, "<div class=\"v\">%s<small>亩</small></div><div class=\"s\">",
         fmt_num(b1, sizeof b1, s->target_mu, 2));
    if (s->target_met) put(r, "<span class=\"badge ok\">已达成 MET</span> ");
    else put(r, "<span class=\"badge no\">未达成 NOT MET</span> ");
    if (s->target_reached_on[0])
        putf(r, "达标日 reached <b data-figure=\"target_date\">%s</b>", s->target_reached_on);
    else
        putf(r, "最大连片为目标的 %s of target",
             pct_text(b1, lc_mu_from_m2(s->largest_block_parcel_m2), s->target_mu));
    put(r, "</div></div>\n");
}

static void card_sites(rep *r, const lc_analysis_summary *s)
{
    card_begin(r, "项目用地", "Sites ready");
    putf(r, "<div class=\"v\"><span data-figure=\"sites_ready\">%lld</span><small>/ %lld</small></div>"
            "<div class=\"s\">", (long long)s->sites_ready, (long long)s->sites);
    if (!s->sites) put(r, "未给出用地 no --site given");
    else if (s->sites_ready == s->sites) put(r, "<span class=\"badge ok\">全部可开工</span> all ready");
    else put(r, "<span class=\"badge no\">未全部可开工</span> not all ready");
    put(r, "</div></div>\n");
}

static void card_enclaves(rep *r, const lc_analysis_summary *s)
{
    char b1[NUMBUF], b2[NUMBUF], b3[NUMBUF], b4[NUMBUF];
    card_begin(r, "插花地", "Enclaves");
    putf(r, "<div class=\"v\">%s<small>处</small></div><div class=\"s\">%s 亩 · 地块 parcels %s · 空隙 gaps "
            "%s"
            "</div></div>\n", int_text(b1, (double)s->enclaves), mu_text(b2, s->enclave_m2),
         int_text(b3, (double)s->parcel_enclaves), int_text(b4, (double)s->gap_enclaves));
}

static void figures(rep *r)
{
    const lc_analysis_summary *s = &r->s;
    char b[NUMBUF];
    put(r, "<section id=\"figures\">\n<h2>主要指标<small>Headline figures</small></h2>\n<div class=\"cards\">"
           "\n");
    card_parcels(r, s);
    card_transferred(r, s);
    card_largest(r, s);
    card_target(r, s);
    card_sites(r, s);
    card_enclaves(r, s);
    put(r, "</div>\n");
    putf(r, "<p class=\"note\">面积为工作坐标系平面面积，1 亩 = 10000/15 m²；连片间距 gap %s m；"
            "质检 QA: %lld 错误 errors, %lld 警告 warnings（详见数据库 qa_issues 图层）。</p>\n</section>\n",
         fmt_num(b, sizeof b, s->gap_m, 2), (long long)s->qa_errors, (long long)s->qa_warnings);
}

/* ---- map geometry ---------------------------------------------------------- */

/* Writes a signed tenth-of-a-pixel value as an SVG number ("12.3",
** "-4", ".5"); the minus sign doubles as the separator. */
static void put_tenths(rep *r, long v, int sep)
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
    fputs(q, r->f);
}

/* One ring as a relative subpath ("m dx dy dx dy … z"); the current point
** becomes its start. */
static void emit_ring(void *userdata, const lc_map_pt *p, size_t n)
{
    rep *r = userdata;
    fputc('m', r->f);
    put_tenths(r, p[0].x - r->cx, 0);
    put_tenths(r, p[0].y - r->cy, 1);
    for (size_t k = 1; k < n; k++) {
        put_tenths(r, p[k].x - p[k - 1].x, 1);
        put_tenths(r, p[k].y - p[k - 1].y, 1);
    }
    fputc('z', r->f);
    r->cx = p[0].x;
    r->cy = p[0].y;
}

/* The polygons of g into the current path, simplified for display;
** `shells_only` leaves the holes out (block outlines: their holes are the
** enclaves, drawn on their own). */
static void path_polygons(rep *r, const GEOSGeometry *g, int shells_only)
{
    if (!g || r->rc != LC_OK) return;
    lc_status st = lc_map_polygons(r->ctx, &r->rb, &r->fr, g, shells_only, SIMPLIFY_PX, emit_ring, r);
    if (st != LC_OK) fail(r, st, "map");
}

static void path_geom(rep *r, const GEOSGeometry *g) { path_polygons(r, g, 0); }

/* Opens a <path> whose d the caller fills with path_geom; subpaths are
** relative to one another, so the first starts from the origin. */
static void path_open(rep *r, const char *attrs)
{
    putf(r, "<path %s d=\"", attrs);
    r->cx = r->cy = 0;
}

static void path_close(rep *r) { put(r, "\"/>\n"); }

static int cancelled_at(rep *r, size_t i)
{
    if ((i & 1023) == 0 && lc_cancelled(r->ctx)) fail(r, LC_EINTERRUPTED, "map");
    return r->rc != LC_OK;
}

/* ---- map layers ------------------------------------------------------------ */

static void frame_extent(rep *r, double *minx, double *miny, double *maxx, double *maxy)
{
    const lc_analysis *a = r->a;
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

static void map_setup(rep *r)
{
    double minx, miny, maxx, maxy;
    frame_extent(r, &minx, &miny, &maxx, &maxy);
    lc_map_frame_fit(minx, miny, maxx, maxy, MAP_MAX_W, MAP_MAX_H, MAP_PAD, &r->fr);
}

/* One path per status class: a handful of elements for the whole county. */
static void map_parcels(rep *r)
{
    const lc_analysis *a = r->a;
    const lc_parcels *p = a->parcels;
    /* parcel edges help when parcels are several pixels wide; at county
    ** scale the strips are a pixel or two and edges would grey the colours */
    int edges = r->fr.k >= 0.5;
    size_t drawn = 0;
    for (int st = 0; st < LC_ST_N && r->rc == LC_OK; st++) {
        if (!a->st.totals.count[st]) continue;
        char attrs[256];
        snprintf(attrs, sizeof attrs, "class=\"st-%s\" fill=\"%s\"%s", status_en(st),
                 status_fill(st),
                 edges ? " stroke=\"#5a5a5a\" stroke-opacity=\".55\" stroke-width=\".3\"" : "");
        path_open(r, attrs);
        for (size_t i = 0; i < p->n && !cancelled_at(r, i); i++) {
            if (a->st.state[i].status != (lc_parcel_status)st) continue;
            path_geom(r, p->items[i].geom);
            if ((++drawn & 4095) == 0) lc_report_progress(r->ctx, "writing the report", drawn, p->n);
        }
        path_close(r);
    }
}

static int block_outlined(const rep *r, size_t b)
{
    const lc_footprint *f = &r->a->footprints.items[b];
    return r->a->blocks.items[b].n_members > 1 && f->geom && f->m2 * r->fr.k * r->fr.k >= BLOCK_OUTLINE_MIN_PX2;
}

/* Block outlines go under the parcels, as a casing: only the part outside
** the parcels shows, so a block reads as one shape ringed in blue, and the
** notches where an untransferred strip cuts into it stay yellow or red
** instead of filling up with line. */
static void map_blocks(rep *r)
{
    const lc_analysis *a = r->a;
    if (!a->blocks.n) return;
    path_open(r, "class=\"blocks\" fill=\"none\" stroke=\"" BLOCK_STROKE "\" stroke-width=\"2.4\" "
                 "stroke-linejoin=\"round\"");
    for (size_t b = 1; b < a->blocks.n && !cancelled_at(r, b); b++)
        if (block_outlined(r, b)) path_polygons(r, a->footprints.items[b].geom, 1);
    path_close(r);
    path_open(r, "class=\"block-1\" fill=\"" BLOCK_STROKE "\" stroke=\"" BLOCK_STROKE "\" stroke-width=\"6\" "
                 "stroke-linejoin=\"round\"");
    path_polygons(r, a->footprints.items[0].geom, 1);
    path_close(r);
}

static void map_enclaves(rep *r)
{
    const lc_analysis *a = r->a;
    if (!a->enclaves.n) return;
    path_open(r, "class=\"gap-enclaves\" fill=\"" ENCLAVE_FILL "\" fill-opacity=\".55\" "
                 "stroke=\"" ENCLAVE_STROKE "\" stroke-width=\".8\" stroke-dasharray=\"2 1.5\"");
    for (size_t e = 0; e < a->enclaves.n; e++)
        if (a->enclaves.items[e].parcel == SIZE_MAX) path_geom(r, a->enclaves.items[e].geom);
    path_close(r);
    path_open(r, "class=\"enclaves\" fill=\"none\" stroke=\"" ENCLAVE_STROKE "\" stroke-width=\"1.3\" "
                 "stroke-linejoin=\"round\"");
    for (size_t e = 0; e < a->enclaves.n && !cancelled_at(r, e); e++)
        if (a->enclaves.items[e].parcel != SIZE_MAX) path_geom(r, a->parcels->items[a->enclaves.items[e].parcel].geom);
    path_close(r);
}

static void map_sites(rep *r)
{
    const lc_analysis *a = r->a;
    if (a->sites.n_hits) {
        path_open(r, "class=\"constraints\" fill=\"" CONSTRAINT_FILL "\" stroke=\"#54278f\" "
                     "stroke-width=\".8\"");
        for (size_t k = 0; k < a->sites.n_hits; k++) path_geom(r, a->sites.hits[k].geom);
        path_close(r);
    }
    for (int ready = 1; ready >= 0; ready--) {
        char attrs[200];
        snprintf(attrs, sizeof attrs, "class=\"sites-%s\" fill=\"%s\" stroke=\"%s\" stroke-width=\"2.4\" "
                 "stroke-linejoin=\"round\"", ready ? "ready" : "blocked",
                 ready ? SITE_READY_FILL : SITE_BLOCKED_FILL,
                 ready ? SITE_READY_STROKE : SITE_BLOCKED_STROKE);
        path_open(r, attrs);
        for (size_t k = 0; k < a->sites.n; k++)
            if (a->sites.items[k].ready == ready) path_geom(r, a->sites.items[k].set->items[a->sites.items[k].index].geom);
        path_close(r);
    }
}

/* Two-line label with a white halo (paint-order draws the stroke first). */
static void label2(rep *r, double x, double y, const char *l1, const char *l2, double size, const char *fill)
{
    putf(r, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\" text-anchor=\"middle\" fill=\"%s\" "
            "stroke=\"#fff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\" "
            "font-weight=\"700\"><tspan x=\"%.1f\">", x, y - size * 0.15, size, fill, x);
    put_esc(r, l1);
    putf(r, "</tspan><tspan x=\"%.1f\" dy=\"%.1f\" font-weight=\"400\">", x, size * 1.15);
    put_esc(r, l2);
    put(r, "</tspan></text>\n");
}

/* Sites first (each above, below, right or left of its outline, whichever
** is free), then the largest blocks that are big enough on screen to hold
** their label, at a point on their surface. */
static void map_labels(rep *r)
{
    const lc_analysis *a = r->a;
    lc_map_labels lb;
    lb.n = 0;
    lb.w = r->fr.w;
    lb.h = r->fr.h;
    for (size_t k = 0; k < a->sites.n; k++) {
        const lc_site *s = &a->sites.items[k];
        lc_map_box bb;
        if (!lc_map_bbox_px(r->ctx, &r->fr, s->set->items[s->index].geom, &bb)) continue;
        char l1[300];
        snprintf(l1, sizeof l1, "用地 %d %s", s->id, s->name ? s->name : "");
        const char *l2 = s->ready ? "可以开工 READY" : "不能开工 NOT READY";
        double x, y;
        if (lc_map_label_beside(&lb, bb, l1, l2, 12.5, &x, &y))
            label2(r, x, y, l1, l2, 12.5, s->ready ? SITE_READY_STROKE : SITE_BLOCKED_STROKE);
        /* the outline itself stays clear of block labels */
        lc_map_labels_keep_clear(&lb, bb);
    }
    size_t placed = 0;
    for (size_t b = 0; b < a->blocks.n && b < 80 && placed < MAX_BLOCK_LABELS; b++) {
        const lc_block *blk = &a->blocks.items[b];
        const lc_footprint *fp = &a->footprints.items[b];
        if (b > 0 && fp->m2 * r->fr.k * r->fr.k < 900) break;
        double px, py;
        if (!lc_map_point_on_surface_px(r->ctx, &r->fr, fp->geom, &px, &py)) continue;
        char l1[48], l2[NUMBUF + 8], num[NUMBUF];
        snprintf(l1, sizeof l1, "连片 %d", blk->id);
        snprintf(l2, sizeof l2, "%s 亩", mu_text(num, blk->parcel_m2));
        /* the largest block's label matters most: if a site label sits on
        ** its point, try just above and below it */
        static const double shift[] = {0, -36, 36};
        double size = b == 0 ? 15 : 12.5, y;
        if (lc_map_label_near(&lb, px, py, shift, b == 0 ? 3u : 1u, l1, l2, size, &y)) {
            label2(r, px, y, l1, l2, size, "#08306b");
            placed++;
        }
    }
}

/* ---- legend, scale bar, north arrow ------------------------------------------ */

/* The smallest 1, 2, 2.5 or 5 × 10^n not below x, for axis steps. */
static double nice_ceil(double x)
{
    double e = pow(10, floor(log10(x)));
    double f = x / e;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * e;
}

static void distance_text(char *out, size_t cap, double m)
{
    if (m >= 1000) snprintf(out, cap, "%g km", m / 1000);
    else snprintf(out, cap, "%g m", m);
}

static void legend_swatch(rep *r, double x, double y, const char *fill, const char *stroke, const char *extra)
{
    putf(r, "<rect x=\"%.1f\" y=\"%.1f\" width=\"22\" height=\"14\" rx=\"2\" fill=\"%s\" stroke=\"%s\"%s/>\n",
         x, y - 11, fill, stroke, extra);
}

static void legend_text(rep *r, double x, double y, const char *zh, const char *en, const char *small)
{
    putf(r, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12.5\">%s <tspan fill=\"#5a6878\">%s</tspan></text>\n",
         x, y, zh, en);
    if (small) {
        putf(r, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#5a6878\">", x, y + 14);
        put_esc(r, small);
        put(r, "</text>\n");
    }
}

static double legend(rep *r, double x, double y)
{
    const lc_analysis *a = r->a;
    char b1[NUMBUF], b2[NUMBUF], small[160];
    putf(r, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"14\" font-weight=\"700\">图例 "
            "<tspan font-weight=\"400\" fill=\"#5a6878\">Legend</tspan></text>\n", x, y);
    y += 26;
    for (int st = 0; st < LC_ST_N; st++) {
        legend_swatch(r, x, y, status_fill(st), "#5a5a5a", "");
        snprintf(small, sizeof small, "%s 块 · %s 亩", int_text(b1, (double)a->st.totals.count[st]),
                 mu_text(b2, a->st.totals.m2[st]));
        legend_text(r, x + 30, y, status_zh(st), status_en(st), small);
        y += 33;
    }
    legend_swatch(r, x, y, status_fill(0), BLOCK_STROKE, " stroke-width=\"3\"");
    legend_text(r, x + 30, y, "最大连片", "largest block", NULL);
    y += 22;
    legend_swatch(r, x, y, status_fill(0), BLOCK_STROKE, " stroke-width=\"1.2\"");
    snprintf(small, sizeof small, "≥ 2 块且 ≥ %s 亩 shown",
             fmt_num(b1, sizeof b1, lc_mu_from_m2(BLOCK_OUTLINE_MIN_PX2 / (r->fr.k * r->fr.k)), 1));
    legend_text(r, x + 30, y, "连片范围", "block footprint", small);
    y += 33;
    legend_swatch(r, x, y, "none", ENCLAVE_STROKE, " stroke-width=\"1.6\"");
    legend_text(r, x + 30, y, "插花地块", "enclave parcel", NULL);
    y += 22;
    legend_swatch(r, x, y, ENCLAVE_FILL, ENCLAVE_STROKE, " fill-opacity=\".55\" stroke-dasharray=\"2 1.5\"");
    legend_text(r, x + 30, y, "连片内空隙", "gap enclave", NULL);
    y += 22;
    legend_swatch(r, x, y, SITE_READY_FILL, SITE_READY_STROKE, " stroke-width=\"2\"");
    legend_text(r, x + 30, y, "用地 可开工", "site ready", NULL);
    y += 22;
    legend_swatch(r, x, y, SITE_BLOCKED_FILL, SITE_BLOCKED_STROKE, " stroke-width=\"2\"");
    legend_text(r, x + 30, y, "用地 不能开工", "site not ready", NULL);
    y += 22;
    if (a->sites.n_hits) {
        legend_swatch(r, x, y, CONSTRAINT_FILL, "#54278f", "");
        legend_text(r, x + 30, y, "压占限制区", "constraint overlap", NULL);
        y += 22;
    }
    return y;
}

/* A bar of a round length in the map's own scale: the SVG scales as a
** whole, so the bar stays true at any zoom. */
static double scale_bar(rep *r, double x, double y)
{
    double metres = lc_map_round_down((PANEL_W - 60) / r->fr.k);
    double len = metres * r->fr.k;
    char t[32];
    putf(r, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12.5\">比例尺 "
            "<tspan fill=\"#5a6878\">Scale</tspan></text>\n", x, y);
    y += 14;
    for (int i = 0; i < 4; i++)
        putf(r, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.2f\" height=\"6\" fill=\"%s\" stroke=\"#222\" "
                "stroke-width=\".8\"/>\n", x + len * i / 4, y, len / 4, i % 2 ? "#fff" : "#222");
    putf(r, "<g font-size=\"11\" text-anchor=\"middle\"><text x=\"%.1f\" y=\"%.1f\">0</text>", x, y + 20);
    distance_text(t, sizeof t, metres / 2);
    putf(r, "<text x=\"%.1f\" y=\"%.1f\">%s</text>", x + len / 2, y + 20, t);
    distance_text(t, sizeof t, metres);
    putf(r, "<text x=\"%.1f\" y=\"%.1f\">%s</text></g>\n", x + len, y + 20, t);
    putf(r, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#5a6878\">"
            "1 px ≈ %.2f m（原始大小 at 100%%）</text>\n", x, y + 36, 1 / r->fr.k);
    return y + 56;
}

static double north_arrow(rep *r, double x, double y)
{
    const lc_crs *crs = &r->a->parcels->crs;
    double cx = x + 22;
    putf(r, "<g transform=\"translate(%.1f %.1f)\"><path d=\"M0 0l-11 30 11-8z\" fill=\"#222\"/>"
            "<path d=\"M0 0l11 30-11-8z\" fill=\"#fff\" stroke=\"#222\" stroke-width=\"1\"/>"
            "<text x=\"0\" y=\"-5\" font-size=\"15\" font-weight=\"700\" "
            "text-anchor=\"middle\">N</text></g>\n", cx, y + 18);
    putf(r, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12.5\">坐标北 "
            "<tspan fill=\"#5a6878\">grid north</tspan></text>\n", x + 48, y + 26);
    putf(r, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#5a6878\">", x + 48, y + 42);
    put_esc(r, crs->work_desc.id[0] ? crs->work_desc.id : "working CRS");
    put(r, "，图上方为北 up</text>\n");
    double cvx, cvy;
    lc_map_from_px(&r->fr, r->fr.w / 2, r->fr.h / 2, &cvx, &cvy);
    double gamma = lc_map_grid_convergence(r->a->parcels->crs.to_geographic, cvx, cvy);
    if (isfinite(gamma)) {
        putf(r, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#5a6878\">真北偏%s %.2f° "
                "true north %.2f° %s</text>\n", x, y + 62, gamma < 0 ? "西" : "东", fabs(gamma), fabs(gamma),
             gamma < 0 ? "W of grid" : "E of grid");
        y += 16;
    }
    return y + 66;
}

static void map_panel(rep *r)
{
    double x = r->fr.w + 16, y = 24;
    put(r, "<g class=\"panel\" fill=\"#1d2b3a\">\n");
    y = legend(r, x, y);
    y = scale_bar(r, x, y + 14);
    north_arrow(r, x, y + 4);
    put(r, "</g>\n");
}

static void map_section(rep *r)
{
    double total_h = r->fr.h > PANEL_MIN_H ? r->fr.h : PANEL_MIN_H;
    double total_w = r->fr.w + PANEL_W;
    put(r, "<section id=\"map\">\n<h2>分布图<small>Map — parcels by transfer status, blocks, enclaves and "
           "sites</small></h2>\n");
    putf(r, "<svg class=\"map\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
            "height=\"%.0f\" style=\"max-width:%.0fpx\" role=\"img\" aria-label=\"地块流转状态分布图 map\" "
            "font-family=\"inherit\">\n", total_w, total_h, total_w, total_h, total_w);
    putf(r, "<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"#fbfbf8\" stroke=\"#9aa5b1\"/>\n",
         r->fr.w, r->fr.h);
    putf(r, "<clipPath id=\"mapclip\"><rect width=\"%.0f\" height=\"%.0f\"/></clipPath>\n"
            "<g clip-path=\"url(#mapclip)\">\n", r->fr.w, r->fr.h);
    map_blocks(r);
    map_parcels(r);
    map_enclaves(r);
    map_sites(r);
    map_labels(r);
    put(r, "</g>\n");
    map_panel(r);
    put(r, "</svg>\n");
    putf(r, "<p class=\"note\">地图仅为示意：显示时几何已按约半个像素（约 %.1f m）简化，"
            "所有数字均由完整几何计算。"
            "Geometry simplified for display only (about half a pixel, %.1f m); every figure is "
            "computed on the full geometry.</p>\n</section>\n", SIMPLIFY_PX / r->fr.k, SIMPLIFY_PX / r->fr.k);
}

/* ---- chart ------------------------------------------------------------------- */

typedef struct chart {
    int32_t d0, d1;
    double top;                /* mu at the top of the plot */
    double pw, ph;
} chart;

static double cx_of(const chart *c, int32_t day)
{
    return CHART_L + c->pw * (double)(day - c->d0) / (double)(c->d1 - c->d0);
}

static double cy_of(const chart *c, double mu) { return CHART_T + c->ph * (1 - mu / c->top); }

static void chart_y_axis(rep *r, const chart *c, double step)
{
    char b[NUMBUF];
    put(r, "<g font-size=\"12\" fill=\"#5a6878\" text-anchor=\"end\">\n");
    for (double v = 0; v <= c->top + step / 2; v += step) {
        double y = cy_of(c, v);
        putf(r, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>", CHART_L,
             CHART_L + c->pw, y, y, v == 0 ? "#7a8795" : "#e3e8ee");
        putf(r, "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", CHART_L - 8, y + 4, fmt_num(b, sizeof b, v, 0));
    }
    putf(r, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"start\">亩 mu</text>\n</g>\n", 12.0, CHART_T - 14);
}

/* Ticks every 1, 2, 7 or 14 days for short campaigns, otherwise on the
** first of every 1, 2, 3, 6 or 12 months; at most about ten. */
static void chart_x_axis(rep *r, const chart *c)
{
    static const int day_steps[] = {1, 2, 7, 14};
    static const int month_steps[] = {1, 2, 3, 6, 12};
    int32_t span = c->d1 - c->d0;
    put(r, "<g font-size=\"12\" fill=\"#5a6878\" text-anchor=\"middle\">\n");
    char date[11];
    if (span <= 10 * 14) {
        int step = 14;
        for (size_t i = 0; i < sizeof day_steps / sizeof day_steps[0]; i++)
            if (span / day_steps[i] <= 10) {
                step = day_steps[i];
                break;
            }
        for (int32_t d = c->d0; d <= c->d1; d += step) {
            lc_date_format(d, date);
            double x = cx_of(c, d);
            putf(r, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#7a8795\"/>"
                    "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", x, x, CHART_T + c->ph, CHART_T + c->ph + 5, x,
                 CHART_T + c->ph + 20, date);
        }
    } else {
        int step = 12;
        for (size_t i = 0; i < sizeof month_steps / sizeof month_steps[0]; i++)
            if (span / 30 / month_steps[i] <= 10) {
                step = month_steps[i];
                break;
            }
        int y, m, d;
        lc_civil_from_days(c->d0, &y, &m, &d);
        int months = y * 12 + (m - 1) + (d > 1);          /* the first 1st on or after d0 */
        months = (months + step - 1) / step * step;
        for (;; months += step) {
            int32_t day = lc_days_from_civil(months / 12, months % 12 + 1, 1);
            if (day > c->d1) break;
            lc_date_format(day, date);
            double x = cx_of(c, day);
            putf(r, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#7a8795\"/>"
                    "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", x, x, CHART_T + c->ph, CHART_T + c->ph + 5, x,
                 CHART_T + c->ph + 20, date);
        }
    }
    putf(r, "<text x=\"%.1f\" y=\"%.1f\">日期 date</text>\n</g>\n", CHART_L + c->pw / 2, CHART_H - 8);
}

/* A daily series as a polyline; `area` closes it down to zero. */
static void chart_series(rep *r, const chart *c, int largest, int area, const char *attrs)
{
    const lc_analysis *a = r->a;
    putf(r, "<path %s d=\"", attrs);
    for (size_t i = 0; i < a->progress.n_days; i++) {
        const lc_progress_day *d = &a->progress.days[i];
        double v = lc_mu_from_m2(largest ? d->largest_block_m2 : d->cumulative_m2);
        putf(r, "%c%.1f %.1f", i ? 'L' : 'M', cx_of(c, d->day), cy_of(c, v));
    }
    if (area)
        putf(r, "L%.1f %.1fL%.1f %.1fZ", cx_of(c, a->progress.days[a->progress.n_days - 1].day), cy_of(c, 0),
             cx_of(c, a->progress.days[0].day), cy_of(c, 0));
    put(r, "\"/>\n");
}

static void chart_end_label(rep *r, const chart *c, double mu, const char *fill, double dy)
{
    char b[NUMBUF];
    const lc_progress_day *last = &r->a->progress.days[r->a->progress.n_days - 1];
    putf(r, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" font-weight=\"700\" fill=\"%s\">%s</text>\n",
         cx_of(c, last->day) + 6, cy_of(c, mu) + 4 + dy, fill, fmt_num(b, sizeof b, mu, 2));
}

static void chart_legend(rep *r, int show_target, double target)
{
    char b[NUMBUF];
    double x = CHART_L;
    put(r, "<g font-size=\"12.5\">\n");
    putf(r, "<rect x=\"%.1f\" y=\"14\" width=\"22\" height=\"12\" fill=\"rgba(77,175,74,.28)\" stroke=\"%s\" "
            "stroke-width=\"2\"/><text x=\"%.1f\" y=\"25\">累计流转面积 <tspan fill=\"#5a6878\">cumulative "
            "transferred</tspan></text>\n", x, CUMULATIVE_STROKE, x + 30);
    x += 300;
    putf(r, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"20\" y2=\"20\" stroke=\"%s\" stroke-width=\"2.6\"/>"
            "<text x=\"%.1f\" y=\"25\">最大连片地块面积 <tspan fill=\"#5a6878\">largest block (parcel "
            "area)</tspan></text>\n", x, x + 22, BLOCK_STROKE, x + 30);
    x += 390;
    putf(r, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"20\" y2=\"20\" stroke=\"%s\" stroke-width=\"2\" "
            "stroke-dasharray=\"6 4\"/><text x=\"%.1f\" y=\"25\">目标 <tspan fill=\"#5a6878\">target"
            "</tspan> %s 亩%s</text>\n</g>\n", x, x + 22, TARGET_STROKE, x + 30,
         fmt_num(b, sizeof b, target, 2),
         show_target ? "" : "（高于图表范围 above the chart）");
}

static void chart_target(rep *r, const chart *c, double target)
{
    const lc_analysis *a = r->a;
    double y = cy_of(c, target);
    putf(r, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\" "
            "stroke-dasharray=\"6 4\"/>\n", CHART_L, CHART_L + c->pw, y, y, TARGET_STROKE);
    if (a->progress.target_day == LC_NO_DATE) return;
    char date[11];
    lc_date_format(a->progress.target_day, date);
    double x = cx_of(c, a->progress.target_day);
    int right = x > CHART_L + c->pw * 0.7;
    putf(r, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.4\" "
            "stroke-dasharray=\"3 3\"/>\n<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"#fff\" stroke=\"%s\" "
            "stroke-width=\"2.4\"/>\n", x, x, CHART_T, CHART_T + c->ph, TARGET_STROKE, x, y, TARGET_STROKE);
    putf(r, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12.5\" font-weight=\"700\" fill=\"%s\" "
            "text-anchor=\"%s\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">"
            "达标 target reached %s</text>\n",
         right ? x - 8 : x + 8, CHART_T + 14, TARGET_STROKE, right ? "end" : "start", date);
}

static void chart_section(rep *r)
{
    const lc_analysis *a = r->a;
    put(r, "<section id=\"progress\">\n<h2>流转进度<small>Campaign progress</small></h2>\n");
    if (!a->progress.n_days) {
        putf(r, "<p>截至 %s 无签约记录。No signing up to %s.</p>\n</section>\n", r->s.as_of, r->s.as_of);
        return;
    }
    chart c;
    c.d0 = a->progress.days[0].day;
    c.d1 = a->progress.days[a->progress.n_days - 1].day;
    if (c.d1 == c.d0) c.d0--, c.d1++;
    c.pw = CHART_W - CHART_L - CHART_R;
    c.ph = CHART_H - CHART_T - CHART_B;
    double ymax = 0;
    for (size_t i = 0; i < a->progress.n_days; i++) {
        double v = lc_mu_from_m2(fmax(a->progress.days[i].cumulative_m2, a->progress.days[i].largest_block_m2));
        if (v > ymax) ymax = v;
    }
    double target = a->opts.target_mu;
    int show_target = target > 0 && (ymax <= 0 || target <= CHART_TARGET_MAX_RATIO * ymax);
    double top = fmax(ymax, show_target ? target : 0) * 1.04;
    if (!(top > 0)) top = 1;
    double step = nice_ceil(top / 6);
    c.top = ceil(top / step) * step;
    putf(r, "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
            "height=\"%.0f\" style=\"max-width:%.0fpx\" role=\"img\" "
            "aria-label=\"流转进度图 progress chart\" font-family=\"inherit\" fill=\"#1d2b3a\">\n",
         CHART_W, CHART_H, CHART_W, CHART_H, CHART_W);
    chart_legend(r, show_target, target);
    chart_y_axis(r, &c, step);
    chart_x_axis(r, &c);
    chart_series(r, &c, 0, 1, "fill=\"rgba(77,175,74,.22)\" stroke=\"none\"");
    chart_series(r, &c, 0, 0, "fill=\"none\" stroke=\"" CUMULATIVE_STROKE "\" stroke-width=\"2.2\" "
                              "stroke-linejoin=\"round\"");
    chart_series(r, &c, 1, 0, "fill=\"none\" stroke=\"" BLOCK_STROKE "\" stroke-width=\"2.6\" "
                              "stroke-linejoin=\"round\"");
    if (show_target) chart_target(r, &c, target);
    const lc_progress_day *last = &a->progress.days[a->progress.n_days - 1];
    double cum = lc_mu_from_m2(last->cumulative_m2), big = lc_mu_from_m2(last->largest_block_m2);
    /* end labels pushed apart when the two curves end close together */
    double gap = (cy_of(&c, big) - cy_of(&c, cum)) < 16 ? 16 - (cy_of(&c, big) - cy_of(&c, cum)) : 0;
    chart_end_label(r, &c, cum, CUMULATIVE_STROKE, -gap / 2);
    chart_end_label(r, &c, big, BLOCK_STROKE, gap / 2);
    put(r, "</svg>\n");
    char b1[NUMBUF], b2[NUMBUF], d0[11], d1[11];
    lc_date_format(a->progress.days[0].day, d0);
    lc_date_format(last->day, d1);
    putf(r, "<p class=\"note\">首次签约 first signing %s，末次签约 last signing %s（截至 as of %s）；"
            "累计流转 %s 亩，最大连片地块面积 %s 亩。</p>\n</section>\n", d0, d1, r->s.as_of,
         fmt_num(b1, sizeof b1, cum, 2), fmt_num(b2, sizeof b2, big, 2));
}

/* ---- tables by township and village ------------------------------------------ */

static void share_cell(rep *r, double part, double whole)
{
    char b[NUMBUF];
    double f = whole > 0 ? part / whole : 0;
    putf(r, "<td class=\"n\"><span class=\"share\"><i style=\"width:%.0f%%\"></i></span>%s</td>",
         100 * fmin(fmax(f, 0), 1), pct_text(b, part, whole));
}

static void unit_row_cells(rep *r, const lc_unit_total *u)
{
    char b1[NUMBUF], b2[NUMBUF], b3[NUMBUF];
    double total = u->total_m2, tr = u->m2[LC_ST_TRANSFERRED];
    putf(r, "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>",
         int_text(b1, (double)u->parcels), mu_text(b2, total), mu_text(b3, tr));
    share_cell(r, tr, total);
    for (int st = LC_ST_PENDING; st < LC_ST_N; st++)
        putf(r, "<td class=\"n\">%s</td>", int_text(b1, (double)u->count[st]));
    putf(r, "<td class=\"n\">%s</td>", int_text(b1, (double)u->enclaves));
}

static void unit_table_head(rep *r, int village)
{
    putf(r, "<table data-units=\"%s\">\n<thead><tr>", village ? "village" : "township");
    if (village) put(r, "<th>乡镇<small>township</small></th>");
    putf(r, "<th>%s<small>%s</small></th><th>编码<small>code</small></th>", village ? "村" : "乡镇",
         village ? "village" : "township");
    put(r, "<th class=\"n\">地块<small>parcels</small></th>"
           "<th class=\"n\">总面积 亩<small>total mu</small></th>"
           "<th class=\"n\">已流转 亩<small>transferred mu</small></th>"
           "<th class=\"n\">流转比例<small>share</small></th>");
    for (int st = LC_ST_PENDING; st < LC_ST_N; st++)
        putf(r, "<th class=\"n\"><span class=\"chip\" style=\"background:%s\"></span>%s"
                "<small>%s</small></th>",
             status_fill(st), status_zh(st), status_en(st));
    put(r, "<th class=\"n\">插花地<small>enclaves</small></th></tr></thead>\n<tbody>\n");
}

static void unit_table_row(rep *r, const lc_unit_total *u, int village)
{
    const lc_analysis *a = r->a;
    const char *code = village ? u->village : u->township;
    put(r, "<tr data-unit=\"");
    put_esc(r, code ? code : "");
    put(r, "\">");
    if (village) {
        put(r, "<td>");
        put_esc(r, u->township ? unit_label(a, u->township) : "—");
        put(r, "</td>");
    }
    const char *name = code ? lc_units_name(&a->units, code) : "（无编码）unknown";
    put(r, "<td>");
    put_esc(r, name ? name : "—");
    put(r, "</td><td><code>");
    put_esc(r, code ? code : "—");
    put(r, "</code></td>");
    unit_row_cells(r, u);
    put(r, "</tr>\n");
}

/* The township or the village rows of the unit totals (each village under
** the township its parcels name, as in the cadres' lists), and the total. */
static void unit_table(rep *r, int village)
{
    static const lc_unit_total none;
    const lc_unit_totals *ut = r->a->unit_totals;
    putf(r, "<h3>%s<small>%s</small></h3>\n", village ? "按村" : "按乡镇",
         village ? "By village" : "By township");
    unit_table_head(r, village);
    for (size_t i = 0; ut && i < ut->n; i++)
        if ((ut->rows[i].kind == LC_UNIT_VILLAGE) == village) unit_table_row(r, &ut->rows[i], village);
    putf(r, "</tbody>\n<tfoot><tr><td colspan=\"%d\">合计 total</td>", village ? 3 : 2);
    unit_row_cells(r, ut ? &ut->all : &none);
    put(r, "</tr></tfoot>\n</table>\n");
}

static void units_section(rep *r)
{
    put(r, "<section id=\"units\">\n<h2>分单位统计<small>By township and village</small></h2>\n"
           "<p class=\"note\">未流转地块（钉子户 hold-outs）按状态计数；插花地 = 位于连片范围内的未流转地块。"
           "Hold-outs are untransferred parcels counted by status; enclaves are those inside a block's "
           "footprint.");
    if (!r->a->units.n) put(r, " 未提供单位名称（--unit-names），以编码显示。Codes shown: no --unit-names.");
    put(r, "</p>\n");
    unit_table(r, 0);
    if (r->rc == LC_OK) unit_table(r, 1);
    put(r, "</section>\n");
}

/* ---- sites ------------------------------------------------------------------- */

static void site_facts(rep *r, const lc_site_info *si)
{
    char b1[NUMBUF], b2[NUMBUF], b3[NUMBUF], b4[NUMBUF], b5[NUMBUF];
    double other = 0;
    for (int k = 1; k < LC_STATUS_COUNT; k++) other += si->status_m2[k];
    putf(r, "<p>面积 area <b>%s 亩</b>（%s m²）· 已流转 transferred %s 亩（%s）· 未流转 not transferred "
            "<b>%s 亩</b>", mu_text(b1, si->area_m2), fmt_num(b2, sizeof b2, si->area_m2, 2),
         mu_text(b3, si->status_m2[0]), pct_text(b4, si->status_m2[0], si->area_m2),
         mu_text(b5, other));
    put(r, "（");
    for (int k = 1; k < LC_STATUS_COUNT; k++)
        putf(r, "%s%s %s", k > 1 ? "，" : "", status_zh(k), mu_text(b1, si->status_m2[k]));
    putf(r, "）· 无地块 under no parcel %s 亩</p>\n", mu_text(b1, si->no_parcel_m2));
}

static void site_blocking(rep *r, size_t i, const lc_site_info *si)
{
    char b1[NUMBUF], b2[NUMBUF];
    if (!si->n_blocking) {
        putf(r, "<p class=\"note\">无阻碍地块：压占本用地超过 %s m² 的地块均已流转。"
                "No blocking parcel.</p>\n", fmt_num(b1, sizeof b1, r->a->opts.min_overlap_m2, 2));
        return;
    }
    put(r, "<table>\n<thead><tr><th class=\"n\">#</th><th>地块编码<small>key</small></th>"
           "<th>村<small>village</small></th><th>承包方<small>holder</small></th>"
           "<th>状态<small>status</small></th><th class=\"n\">压占 m²<small>overlap m²</small></th>"
           "<th class=\"n\">压占 亩<small>overlap mu</small></th>"
           "<th class=\"n\">占地块<small>of parcel</small></th></tr></thead>\n<tbody>\n");
    size_t row = 0;
    for (size_t k = 0; k < si->n_overlaps; k++) {
        lc_site_parcel sp;
        lc_analysis_site_parcel(r->a, i, k, &sp);
        if (!sp.blocking) continue;
        int st = 0;
        while (st < LC_ST_N - 1 && strcmp(status_en(st), sp.status)) st++;
        putf(r, "<tr><td class=\"n\">%zu</td><td class=\"key\"><code>", ++row);
        put_esc(r, sp.key ? sp.key : "—");
        put(r, "</code></td><td>");
        put_esc(r, sp.village_name ? sp.village_name : sp.village ? sp.village : "—");
        put(r, "</td><td>");
        put_esc(r, sp.holder ? sp.holder : "—");
        putf(r, "</td><td><span class=\"chip\" style=\"background:%s\"></span>%s %s</td>",
             status_fill(st), status_zh(st), status_en(st));
        putf(r, "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%.1f%%</td></tr>\n",
             fmt_num(b1, sizeof b1, sp.overlap_m2, 2), mu_text(b2, sp.overlap_m2), 100 * sp.share_of_parcel);
    }
    put(r, "</tbody>\n</table>\n");
}

static void site_constraints(rep *r, int site_id)
{
    char b1[NUMBUF], b2[NUMBUF];
    for (size_t k = 0; k < lc_analysis_constraint_count(r->a); k++) {
        lc_constraint_info ci;
        lc_analysis_constraint(r->a, k, &ci);
        if (ci.site_id != site_id) continue;
        put(r, "<p class=\"note\">⚠ 压占限制图层 overlaps constraint <code>");
        put_esc(r, ci.layer_path);
        putf(r, "</code> 要素 feature %lld", (long long)ci.fid);
        if (ci.name) {
            put(r, "（");
            put_esc(r, ci.name);
            put(r, "）");
        }
        putf(r, "：%s m²（%s 亩）</p>\n", fmt_num(b1, sizeof b1, ci.overlap_m2, 2),
             mu_text(b2, ci.overlap_m2));
    }
}

static void sites_section(rep *r)
{
    char b[NUMBUF];
    size_t n = lc_analysis_site_count(r->a);
    put(r, "<section id=\"sites\">\n<h2>项目用地开工核查<small>Project sites — sign-off before "
           "groundbreaking</small></h2>\n");
    if (!n) {
        put(r, "<p>未给出项目用地（--site）。No project site given.</p>\n</section>\n");
        return;
    }
    fmt_num(b, sizeof b, r->a->opts.min_overlap_m2, 2);
    putf(r, "<p class=\"note\">用地上所有压占超过 %s m² 的地块均已流转、且用地至少一半位于地块上时方可开工；"
            "阻碍地块按压占面积从大到小列出。"
            "A site is ready when no untransferred parcel overlaps it by more than %s m² and at least half "
            "of it lies on parcels; blocking parcels, largest overlap first.</p>\n", b, b);
    for (size_t i = 0; i < n; i++) {
        lc_site_info si;
        lc_analysis_site(r->a, i, &si);
        putf(r, "<div class=\"site\" data-site=\"%d\"><h3>用地 %d ", si.id, si.id);
        put_esc(r, si.name ? si.name : "（未命名）");
        putf(r, " <span class=\"badge %s\">%s</span><small>", si.ready ? "ok" : "no",
             si.ready ? "可以开工 READY" : "不能开工 NOT READY");
        if (!si.ready) putf(r, "%zu 块阻碍地块 blocking parcels · ", si.n_blocking);
        put_esc(r, si.layer_path);
        put(r, "</small></h3>\n");
        if (si.reason) {
            put(r, "<p class=\"reason\">不能开工原因 Not ready: ");
            put_esc(r, si.reason);
            put(r, "</p>\n");
        }
        site_facts(r, &si);
        site_blocking(r, i, &si);
        site_constraints(r, si.id);
        put(r, "</div>\n");
    }
    put(r, "</section>\n");
}

/* ---- QA and audit -------------------------------------------------------------- */

typedef struct kind_count { const char *kind; lc_severity sev; size_t n; } kind_count;

static void qa_table(rep *r)
{
    size_t n = lc_analysis_finding_count(r->a), nk = 0, cap = 0;
    kind_count *kinds = NULL;
    for (size_t i = 0; i < n; i++) {
        lc_finding f;
        lc_analysis_finding(r->a, i, &f);
        size_t k = 0;
        while (k < nk && (kinds[k].sev != f.severity || strcmp(kinds[k].kind, f.kind))) k++;
        if (k == nk) {
            if (lc_grow(r->ctx, (void **)&kinds, &cap, nk + 1, sizeof *kinds)) {
                fail(r, LC_ENOMEM, "QA table");
                free(kinds);
                return;
            }
            kinds[nk++] = (kind_count){f.kind ? f.kind : "?", f.severity, 0};
        }
        kinds[k].n++;
    }
    put(r, "<h3>质检<small>Quality findings (details: qa_issues in the database)</small></h3>\n");
    if (!nk) put(r, "<p>无质检问题。No finding.</p>\n");
    else {
        put(r, "<table>\n<thead><tr><th>严重程度<small>severity</small></th>"
               "<th>问题类型<small>kind</small></th><th class=\"n\">数量<small>count</small></th></tr>"
               "</thead>\n<tbody>\n");
        for (int sev = LC_SEV_ERROR; sev <= LC_SEV_INFO; sev++)
            for (size_t k = 0; k < nk; k++) {
                if (kinds[k].sev != (lc_severity)sev) continue;
                putf(r, "<tr><td>%s</td><td><code>", lc_severity_name(kinds[k].sev));
                put_esc(r, kinds[k].kind);
                putf(r, "</code></td><td class=\"n\">%zu</td></tr>\n", kinds[k].n);
            }
        put(r, "</tbody>\n</table>\n");
    }
    free(kinds);
}

static void kv_row(rep *r, const char *zh, const char *en, const char *value)
{
    putf(r, "<tr><th>%s <small>%s</small></th><td>", zh, en);
    put_esc(r, value);
    put(r, "</td></tr>\n");
}

static void kv_rowf(rep *r, const char *zh, const char *en, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void kv_rowf(rep *r, const char *zh, const char *en, const char *fmt, ...)
{
    char v[2400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v, sizeof v, fmt, ap);
    va_end(ap);
    kv_row(r, zh, en, v);
}

static int crs_inferred(lc_crs_origin o)
{
    return o == LC_CRS_INFERRED_GK || o == LC_CRS_INFERRED_GEOGRAPHIC;
}

/* Register keys without a parcel and parcels without a row, listed (they
** are the register's most consequential errors: a signed contract whose key
** has a typo leaves its parcel counted as unregistered). */
static void orphan_rows(rep *r)
{
    const lc_analysis *a = r->a;
    enum { SHOWN = 200 };
    if (a->st.n_orphan_entries) {
        putf(r, "<tr><th>无地块的台账编码 <small>register keys without a parcel</small></th><td>%zu：",
             a->st.n_orphan_entries);
        for (size_t i = 0; i < a->st.n_orphan_entries && i < SHOWN; i++) {
            const lc_reg_entry *e = &a->reg->entries[a->st.orphan_entries[i]];
            put(r, i ? "，<code>" : "<code>");
            put_esc(r, e->key);
            putf(r, "</code>（第 %lld 行 row）", (long long)e->line);
        }
        if (a->st.n_orphan_entries > SHOWN) putf(r, "…（另 %zu 个 more: qa_issues）", a->st.n_orphan_entries - SHOWN);
        put(r, "</td></tr>\n");
    }
    if (a->st.n_unregistered) {
        putf(r, "<tr><th>不在台账中的地块 <small>parcels without a register row</small></th><td>%zu：",
             a->st.n_unregistered);
        for (size_t i = 0; i < a->st.n_unregistered && i < SHOWN; i++) {
            put(r, i ? "，<code>" : "<code>");
            put_esc(r, a->parcels->items[a->st.unregistered[i]].key);
            put(r, "</code>");
        }
        if (a->st.n_unregistered > SHOWN) putf(r, "…（另 %zu 个 more: qa_issues）", a->st.n_unregistered - SHOWN);
        put(r, "</td></tr>\n");
    }
}

static void audit_inputs(rep *r)
{
    const lc_analysis *a = r->a;
    const lc_parcels *p = a->parcels;
    kv_rowf(r, "地块图层", "parcels", "%s（图层 layer %s，%s，编码 encoding %s：%s）", p->path, p->layer,
            p->driver, p->encoding.name, p->encoding.source);
    if (a->reg) {
        const lc_register *g = a->reg;
        kv_rowf(r, "流转台账", "register", "%s（%s%s%s，编码 encoding %s：%s；表头 header row %lld%s；%zu 行 rows，"
                "%zu 个编码 keys）", g->path, g->format, g->sheet[0] ? "，工作表 sheet " : "", g->sheet,
                g->encoding.name, g->encoding.source, (long long)g->header_line,
                g->header_lines == 2 ? "（两行 two rows）" : "", g->n_rows, g->n_entries);
        if (g->title_rows || g->total_rows || g->blank_rows || g->note_rows)
            kv_rowf(r, "跳过的行", "rows skipped", "标题 titles %zu，合计 totals %zu，空行 blank %zu，备注 notes %zu",
                    g->title_rows, g->total_rows, g->blank_rows, g->note_rows);
        kv_rowf(r, "编码匹配", "key match", "%zu / %zu 个台账编码有对应地块（%.1f%%）；%.1f%% 的地块在台账中",
                g->n_entries - a->st.n_orphan_entries, g->n_entries, 100.0 * a->key_match.register_share,
                100.0 * a->key_match.parcel_share);
        orphan_rows(r);
    }
    for (size_t k = 0; k < a->layers.n_sites; k++)
        kv_rowf(r, "项目用地", "site layer", "%s（%zu 个 features）", a->layers.sites[k]->path,
                a->layers.sites[k]->n);
    for (size_t k = 0; k < a->layers.n_constraints; k++)
        kv_rowf(r, "限制图层", "constraint layer", "%s", a->layers.constraints[k]->path);
    kv_row(r, "单位名称", "unit names",
           a->units.n ? a->units.sources : "—（未找到，显示编码 none found: codes shown）");
}

static void audit_settings(rep *r)
{
    const lc_analysis *a = r->a;
    const lc_crs *crs = &a->parcels->crs;
    char b[NUMBUF];
    kv_rowf(r, "源坐标系", "source CRS", "%s %s — %s；%s", crs->source_desc.id, crs->source_desc.name,
            lc_crs_origin_name(crs->source_origin),
            crs_inferred(crs->source_origin) ? "推断 inferred" : "未推断 not inferred");
    kv_rowf(r, "工作坐标系", "working CRS", "%s %s — %s", crs->work_desc.id, crs->work_desc.name,
            lc_work_origin_name(crs->work_origin));
    char dist[64];
    lc_crs_distortion_text(crs->work_distortion, dist, sizeof dist);
    kv_rowf(r, "投影变形", "distortion over the extent", "%s（面积比 area scale %.6f–%.6f）", dist,
            crs->work_scale_min, crs->work_scale_max);
    if (crs->work_origin == LC_WORK_REPLACED) {
        lc_crs_distortion_text(crs->source_distortion, dist, sizeof dist);
        kv_rowf(r, "已替换", "replaced", "%s %s：面积变形 distorts areas by up to %s（面积比 area scale "
                "%.6f–%.6f），超过 over %g", crs->source_desc.id, crs->source_desc.name, dist,
                crs->source_scale_min, crs->source_scale_max, LC_MAX_WORK_DISTORTION);
    }
    if (crs->inv_f > 0) kv_rowf(r, "椭球", "ellipsoid", "a = %.3f m，1/f = %.9f", crs->a, crs->inv_f);
    else kv_rowf(r, "椭球", "ellipsoid", "a = %.3f m（球 sphere）", crs->a);
    kv_row(r, "椭球面积方法", "ellipsoidal area",
           a->parcels->ellipsoidal_method == LC_ELLIPSOIDAL_TDT
               ? "tdt — 国土调查办发〔2008〕32号 椭球梯形公式 (land-survey trapezoid series)"
               : "geodesic — GeographicLib geod_polygonarea（PostGIS ST_Area(geography) 同法）");
    kv_row(r, "截至日期", "as of", r->s.as_of);
    kv_rowf(r, "连片间距", "gap", "%s m", fmt_num(b, sizeof b, a->opts.gap_m, 2));
    kv_rowf(r, "目标", "target", "%s 亩（最大连片的地块面积 largest block's parcel area）",
            fmt_num(b, sizeof b, a->opts.target_mu, 2));
    kv_rowf(r, "最小压占", "min overlap", "%s m²", fmt_num(b, sizeof b, a->opts.min_overlap_m2, 2));
    kv_rowf(r, "面积容差", "area tolerance", "%.1f%%", 100 * a->opts.area_tolerance);
    kv_row(r, "亩", "mu", "1 亩 = 10000/15 m²（666.67 m²）；面积以 m² 计算，仅在显示时取两位小数");
    kv_row(r, "版本", "landcons version", lc_version());
}

static void audit_section(rep *r)
{
    put(r, "<section id=\"audit\">\n<h2>数据与参数<small>Inputs and settings, for audit</small></h2>\n"
           "<table class=\"kv\">\n<tbody>\n");
    audit_inputs(r);
    audit_settings(r);
    put(r, "</tbody>\n</table>\n");
    qa_table(r);
    put(r, "</section>\n");
}

static void page_tail(rep *r)
{
    put(r, "</main>\n<footer>landcons ");
    put_esc(r, lc_version());
    put(r, " · 本报告为离线单文件，无外部资源 — self-contained, no external resources</footer>\n"
           "</body>\n</html>\n");
}

/* ---- the file ------------------------------------------------------------------ */

static void write_all(rep *r)
{
    page_head(r);
    figures(r);
    map_setup(r);
    map_section(r);
    if (r->rc == LC_OK) chart_section(r);
    if (r->rc == LC_OK) units_section(r);
    if (r->rc == LC_OK) sites_section(r);
    if (r->rc == LC_OK) audit_section(r);
    page_tail(r);
}

lc_status lc_report_write(lc_ctx *ctx, const lc_analysis *a, lc_outfile *out)
{
    lc_status rc;
    double t0 = lc_clock();
    /* the temporary file was created (empty, exclusively) when the output was reserved */
    FILE *f = fopen(lc_outfile_temp(out), "w");
    if (!f) return lc_outfile_write_failed(ctx, out, "report", errno, LC_EINPUT);
    rep r;
    memset(&r, 0, sizeof r);
    r.ctx = ctx;
    r.a = a;
    r.f = f;
    lc_analysis_summarize(a, &r.s);
    write_all(&r);
    rc = r.rc;
    lc_map_rings_free(&r.rb);
    /* a full disk shows up here, at the latest when the buffer is flushed */
    int werr = ferror(f) || fflush(f) != 0;
    int err = werr ? errno : 0;
    if (fclose(f) != 0 && !werr) {
        werr = 1;
        err = errno;
    }
    if (rc == LC_OK && werr) rc = lc_outfile_write_failed(ctx, out, "report", err, LC_EINPUT);
    if (rc == LC_OK && lc_cancelled(ctx)) rc = lc_error(ctx, LC_EINTERRUPTED, "interrupted");
    lc_log_phase(ctx, "write report", t0);
    return rc;
}
