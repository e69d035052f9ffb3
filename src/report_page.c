/*
** The report's page (see report_page.h): the primitives every part writes
** with, the style sheet and head, the headline figures and the foot. The
** style sheet names system fonts only (a CJK family first), so the file
** needs no network.
*/
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "map_geom.h"
#include "report_page.h"
#include "status_table.h"

/* ---- output ------------------------------------------------------------- */

void lc_rep_put(lc_rep *r, const char *s) { fputs(s, r->f); }

void lc_rep_putf(lc_rep *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(r->f, fmt, ap);
    va_end(ap);
}

void lc_rep_esc(lc_rep *r, const char *s)
{
    if (s) lc_rep_escn(r, s, strlen(s));
}

void lc_rep_escn(lc_rep *r, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        unsigned c = *p;
        if (c >= 0x80) {
            size_t len = lc_utf8_sequence((const char *)p, (size_t)(end - p));  /* 0 where the end cuts one */
            if (len) fwrite(p, 1, len, r->f);
            else lc_rep_put(r, "\xEF\xBF\xBD");
            p += len ? len : 1;
            continue;
        }
        switch (c) {
        case '&': lc_rep_put(r, "&amp;"); break;
        case '<': lc_rep_put(r, "&lt;"); break;
        case '>': lc_rep_put(r, "&gt;"); break;
        case '"': lc_rep_put(r, "&quot;"); break;
        case '\'': lc_rep_put(r, "&#39;"); break;
        default:
            if (c >= 0x20 && c != 0x7F) fputc((int)c, r->f);
            else if (c == '\t' || c == '\n') fputc(' ', r->f);
        }
        p++;
    }
}

const char *lc_rep_num(char *out, size_t cap, double v, int decimals)
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

const char *lc_rep_mu(char out[LC_REP_NUMBUF], double m2)
{
    return lc_rep_num(out, LC_REP_NUMBUF, lc_mu_from_m2(m2), 2);
}

const char *lc_rep_int(char out[LC_REP_NUMBUF], double n) { return lc_rep_num(out, LC_REP_NUMBUF, n, 0); }

const char *lc_rep_pct(char out[LC_REP_NUMBUF], double part, double whole)
{
    if (!(whole > 0)) snprintf(out, LC_REP_NUMBUF, "—");
    else snprintf(out, LC_REP_NUMBUF, "%.1f%%", 100.0 * part / whole);
    return out;
}

const char *lc_rep_unit_label(const lc_analysis *a, const char *code)
{
    const char *name = lc_units_name(&a->units, code);
    return name ? name : code;
}

void lc_rep_fail(lc_rep *r, lc_status st, const char *what)
{
    if (r->rc != LC_OK) return;
    if (st == LC_ENOMEM) r->rc = lc_error(r->ctx, LC_ENOMEM, "out of memory (%s)", what);
    else if (st == LC_EINTERRUPTED) r->rc = lc_error(r->ctx, LC_EINTERRUPTED, "interrupted");
    else r->rc = lc_error(r->ctx, st, "writing the report (%s): %s", what, r->ctx->geos_msg);
}

/* ---- status colours and words --------------------------------------------- */

const char *lc_rep_status_fill(int st)
{
    static char hex[LC_ST_N][24];   /* the same text every time it is written */
    lc_status_hex((lc_parcel_status)st, hex[st]);
    return hex[st];
}

const char *lc_rep_status_en(int st) { return lc_status_def_of((lc_parcel_status)st)->en; }
const char *lc_rep_status_zh(int st) { return lc_parcel_status_zh((lc_parcel_status)st); }

void lc_rep_status_cell(lc_rep *r, int st)
{
    lc_rep_putf(r, "<td><span class=\"chip\" style=\"background:%s\"></span>%s %s</td>", lc_rep_status_fill(st),
                lc_rep_status_zh(st), lc_rep_status_en(st));
}

/* ---- a site's blocking parcels ---------------------------------------------- */

size_t lc_rep_site_blockers(lc_rep *r, size_t i, lc_rep_blocker **out)
{
    const lc_analysis *a = r->a;
    const lc_site *s = &a->sites.items[i];
    *out = NULL;
    if (!s->n_blocking) return 0;
    lc_rep_blocker *b = lc_calloc(r->ctx, s->n_blocking, sizeof *b);
    const char **keys = lc_calloc(r->ctx, s->n_blocking, sizeof *keys);
    if (!b || !keys) {
        free(b);
        free(keys);
        lc_rep_fail(r, LC_ENOMEM, "blocking parcels");
        return 0;
    }
    size_t n = 0;
    for (size_t k = 0; k < s->n_overlaps && n < s->n_blocking; k++) {
        lc_site_parcel sp;
        lc_analysis_site_parcel(a, i, k, &sp);
        if (!sp.blocking) continue;
        b[n].overlap = k;
        b[n].parcel = a->sites.overlaps[s->first_overlap + k].parcel;
        b[n].key = keys[n] = sp.key;
        n++;
    }
    for (size_t j = 0; j < n; j++) b[j].tail = lc_map_key_tail(keys, n, j, LC_REP_KEY_TAIL_MIN);
    free(keys);
    *out = b;
    return n;
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
    ".chart{display:block;width:100%;height:auto;margin:0 auto}\n"
    /* the map keeps its own size until the page is narrower; the legend
    ** stands beside it, or under it when there is no room */
    ".mapbox{display:flex;flex-wrap:wrap;gap:14px 22px;align-items:flex-start}\n"
    ".map,.sitemap,.planmap{display:block;max-width:100%;height:auto;min-width:0}\n"
    ".legend{flex:1 1 250px;min-width:0;font-size:13px}\n"
    ".legend h4{margin:2px 0 8px;font-size:14px}\n"
    ".legend h4 small{display:inline;font-weight:400;color:var(--muted);font-size:13px}\n"
    ".legend ul{list-style:none;margin:0;padding:0;display:grid;"
    "grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:5px 16px}\n"
    ".legend li{display:flex;gap:8px;align-items:flex-start;line-height:1.3}\n"
    ".legend i{font-style:normal;color:var(--muted)}\n"
    ".legend small{display:block;color:var(--muted);font-size:11.5px}\n"
    ".legend .sw{flex:none;margin-top:1px}\n"
    ".legend.compact{font-size:12px;margin-top:4px}\n"
    ".legend.compact ul{display:flex;flex-wrap:wrap;gap:3px 18px}\n"
    ".sitefig{margin:8px 0 10px}\n"
    /* a table wider than the page scrolls on its own, the page does not */
    ".tscroll{overflow-x:auto;max-width:100%}\n"
    "table{border-collapse:collapse;width:100%;font-size:13px}\n"
    "th,td{padding:4px 8px;border-bottom:1px solid #e7ebf0;text-align:left;vertical-align:top}\n"
    "thead th{background:#f1f4f8;font-weight:600;border-bottom:1px solid #cfd7e0}\n"
    "th small{display:block;font-weight:400;color:var(--muted);font-size:11.5px}\n"
    "table[data-units] td,table.blocking td,table.bridges td,table.route td{white-space:nowrap}\n"
    ".rank{color:#d6007a}\n"
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
    ".blocking b{color:#000}\n"
    "@media(max-width:700px){main{padding:10px 8px 24px}section{padding:12px 10px}header{padding:14px 12px}}\n"
    /* A4: each map on one page, tables in full width with their header on
    ** every page and no row split, the total once at the end; colours that
    ** carry meaning (chips, badges, share bars) printed, the header's dark
    ** band not */
    "@page{size:A4;margin:12mm 11mm 13mm}\n"
    "@media print{body{background:#fff;font-size:11.5px}main{max-width:none;padding:0}"
    "header{background:none;color:var(--ink);padding:0 0 6px;border-bottom:2px solid var(--accent)}"
    "header h1{font-size:21px}header .en,header .meta{opacity:1;color:var(--muted)}"
    "section{box-shadow:none;border:none;border-radius:0;padding:0;margin:0 0 12px}"
    "h2{break-after:avoid}h3{break-after:avoid}"
    ".cards{grid-template-columns:repeat(3,1fr)}.card{break-inside:avoid}"
    ".map{width:min(100%,calc(200mm * var(--ar)))}.sitemap,.planmap{width:min(100%,calc(118mm * var(--ar)))}"
    ".mapbox{gap:4mm 5mm}.legend{flex-basis:42mm;font-size:10.5px}.legend small{font-size:9.5px}"
    ".legend ul{grid-template-columns:repeat(auto-fill,minmax(42mm,1fr));gap:3px 10px}"
    ".mapbox,.map,.chartbox,.sitefig,.sitehead,.legend{break-inside:avoid}"
    ".tscroll{overflow:visible}"
    "table{font-size:10px}th,td{padding:2px 4px}th small{font-size:9px}"
    "thead{display:table-header-group}tfoot{display:table-row-group}tr{break-inside:avoid}"
    ".share{width:34px}code{font-size:9.5px}"
    ".kv th{width:150px}"
    ".chip,.badge,.share,.share i{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "footer{padding:8px 0 0}}\n";

void lc_rep_page_head(lc_rep *r)
{
    const lc_parcels *p = r->a->parcels;
    lc_rep_put(r, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                  "<meta name=\"generator\" content=\"landcons ");
    lc_rep_esc(r, lc_version());
    lc_rep_put(r, "\">\n<title>土地连片流转分析报告 — ");
    lc_rep_esc(r, p->layer);
    lc_rep_putf(r, " — 截至 %s</title>\n<style>\n%s</style>\n</head>\n<body>\n", r->s.as_of, css);
    lc_rep_put(r, "<header>\n<h1>土地连片流转分析报告</h1>\n"
                  "<div class=\"en\">Contiguous land transfer report — parcels, blocks, hold-outs and project "
                  "sites</div>\n"
                  "<div class=\"meta\"><span>图层 Layer: ");
    lc_rep_esc(r, p->layer);
    lc_rep_putf(r, "</span><span>截至 As of: %s</span><span>工作坐标系 CRS: ", r->s.as_of);
    lc_rep_esc(r, p->crs.work_desc.id[0] ? p->crs.work_desc.id : p->crs.work_desc.name);
    lc_rep_put(r, "</span><span>landcons ");
    lc_rep_esc(r, lc_version());
    lc_rep_put(r, "</span></div>\n</header>\n<main>\n");
}

/* ---- headline figures ------------------------------------------------------ */

static void card_begin(lc_rep *r, const char *zh, const char *en)
{
    lc_rep_putf(r, "<div class=\"card\"><div class=\"k\">%s %s</div>", zh, en);
}

/* The figures the test compares with the database carry data-figure. */
static void card_parcels(lc_rep *r, const lc_analysis_summary *s)
{
    char b1[LC_REP_NUMBUF], b2[LC_REP_NUMBUF];
    card_begin(r, "地块", "Parcels");
    lc_rep_putf(r, "<div class=\"v\">%s<small>块</small></div><div class=\"s\">总面积 total "
                   "<b data-figure=\"total_mu\">%s</b> 亩</div></div>\n",
                lc_rep_int(b1, (double)s->parcels), lc_rep_mu(b2, s->total_m2));
}

static void card_transferred(lc_rep *r, const lc_analysis_summary *s)
{
    char b1[LC_REP_NUMBUF], b2[LC_REP_NUMBUF], b3[LC_REP_NUMBUF];
    double tr = s->status_m2[LC_ST_TRANSFERRED];
    card_begin(r, "已流转", "Transferred");
    lc_rep_putf(r, "<div class=\"v\"><span data-figure=\"transferred_mu\">%s</span><small>亩</small></div>"
                   "<div class=\"s\">占全部地块 of all parcels %s · %s 块 parcels</div></div>\n",
                lc_rep_mu(b1, tr), lc_rep_pct(b2, tr, s->total_m2),
                lc_rep_int(b3, (double)s->status_count[LC_ST_TRANSFERRED]));
}

static void card_largest(lc_rep *r, const lc_analysis_summary *s)
{
    char b1[LC_REP_NUMBUF], b2[LC_REP_NUMBUF], b3[LC_REP_NUMBUF];
    card_begin(r, "最大连片", "Largest block");
    if (!s->blocks) {
        lc_rep_put(r, "<div class=\"v\">—</div><div class=\"s\">无连片 no block</div></div>\n");
        return;
    }
    lc_rep_putf(r, "<div class=\"v\"><span data-figure=\"largest_block_mu\">%s</span><small>亩</small></div>",
                lc_rep_mu(b1, s->largest_block_parcel_m2));
    lc_rep_putf(r, "<div class=\"s\">%s 块 parcels · 范围 footprint %s 亩<br>共 %s 个连片 blocks</div></div>\n",
                lc_rep_int(b2, (double)s->largest_block_parcels), lc_rep_mu(b1, s->largest_block_footprint_m2),
                lc_rep_int(b3, (double)s->blocks));
}

/* In the target's place when none was asked for: the share of the
** registered area (parcels with a register row, whatever their status), the
** campaign's own measure of how far it has come. */
static void card_registered(lc_rep *r, const lc_analysis_summary *s)
{
    char b1[LC_REP_NUMBUF], b2[LC_REP_NUMBUF];
    double registered = s->total_m2 - s->status_m2[LC_ST_UNREGISTERED];
    card_begin(r, "已登记", "Registered");
    lc_rep_putf(r, "<div class=\"v\"><span data-figure=\"registered_mu\">%s</span><small>亩</small></div>"
                   "<div class=\"s\">已流转占 transferred <b data-figure=\"share_of_registered\">%s</b> "
                   "of registered</div></div>\n",
                lc_rep_mu(b1, registered), lc_rep_pct(b2, s->status_m2[LC_ST_TRANSFERRED], registered));
}

/* Only when --target-mu asked for one (the library's default is no target
** of the analyst's). */
static void card_target(lc_rep *r, const lc_analysis_summary *s)
{
    char b1[LC_REP_NUMBUF];
    card_begin(r, "目标", "Target");
    lc_rep_putf(r, "<div class=\"v\">%s<small>亩</small></div><div class=\"s\">",
                lc_rep_num(b1, sizeof b1, s->target_mu, 2));
    if (s->target_met) lc_rep_put(r, "<span class=\"badge ok\">已达成 MET</span> ");
    else lc_rep_put(r, "<span class=\"badge no\">未达成 NOT MET</span> ");
    if (s->target_reached_on[0])
        lc_rep_putf(r, "达标日 reached <b data-figure=\"target_date\">%s</b>", s->target_reached_on);
    else
        lc_rep_putf(r, "最大连片为目标的 %s of target",
                    lc_rep_pct(b1, lc_mu_from_m2(s->largest_block_parcel_m2), s->target_mu));
    lc_rep_put(r, "</div></div>\n");
}

static void card_sites(lc_rep *r, const lc_analysis_summary *s)
{
    card_begin(r, "项目用地", "Sites ready");
    lc_rep_putf(r, "<div class=\"v\"><span data-figure=\"sites_ready\">%lld</span><small>/ %lld</small></div>"
                   "<div class=\"s\">", (long long)s->sites_ready, (long long)s->sites);
    if (!s->sites) lc_rep_put(r, "未给出用地 no --site given");
    else if (s->sites_ready == s->sites) lc_rep_put(r, "<span class=\"badge ok\">全部可开工</span> all ready");
    else lc_rep_put(r, "<span class=\"badge no\">未全部可开工</span> not all ready");
    lc_rep_put(r, "</div></div>\n");
}

static void card_enclaves(lc_rep *r, const lc_analysis_summary *s)
{
    char b1[LC_REP_NUMBUF], b2[LC_REP_NUMBUF], b3[LC_REP_NUMBUF], b4[LC_REP_NUMBUF];
    card_begin(r, "插花地", "Enclaves");
    lc_rep_putf(r, "<div class=\"v\">%s<small>处</small></div><div class=\"s\">%s 亩 · 地块 parcels %s · 空隙 gaps "
                   "%s"
                   "</div></div>\n", lc_rep_int(b1, (double)s->enclaves), lc_rep_mu(b2, s->enclave_m2),
                lc_rep_int(b3, (double)s->parcel_enclaves), lc_rep_int(b4, (double)s->gap_enclaves));
}

void lc_rep_figures(lc_rep *r)
{
    const lc_analysis_summary *s = &r->s;
    char b[LC_REP_NUMBUF];
    lc_rep_put(r, "<section id=\"figures\">\n<h2>主要指标<small>Headline figures</small></h2>\n<div class=\"cards\">"
                  "\n");
    card_parcels(r, s);
    card_transferred(r, s);
    card_largest(r, s);
    if (r->a->opts.target_set) card_target(r, s);
    else card_registered(r, s);
    card_sites(r, s);
    card_enclaves(r, s);
    lc_rep_put(r, "</div>\n");
    lc_rep_putf(r, "<p class=\"note\">面积为工作坐标系平面面积，1 亩 = 10000/15 m²；连片间距 gap %s m；"
                   "质检 QA: %lld 错误 errors, %lld 警告 warnings（详见数据库 qa_issues 图层）。</p>\n</section>\n",
                lc_rep_num(b, sizeof b, s->gap_m, 2), (long long)s->qa_errors, (long long)s->qa_warnings);
}

void lc_rep_page_tail(lc_rep *r)
{
    lc_rep_put(r, "</main>\n<footer>landcons ");
    lc_rep_esc(r, lc_version());
    lc_rep_put(r, " · 本报告为离线单文件，无外部资源 — self-contained, no external resources</footer>\n"
                  "</body>\n</html>\n");
}
