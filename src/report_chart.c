/*
** The report's chart and tables (see report_chart.h). The chart is inline
** SVG drawn from the progress phase's daily series; the township and
** village tables are the unit totals' rows, so they show the same figures
** as the cadres' lists; the site and audit tables read the analysis as
** computed.
*/
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dates.h"
#include "report_chart.h"
#include "report_map.h"
#include "unit_totals.h"

/* ---- layout (SVG user units, shown 1:1 as CSS pixels) ---------------------- */

#define CHART_W 960.0     /* 12 px text stays 9 px on an 800 px screen */
#define CHART_H 400.0
#define CHART_L 84.0
#define CHART_R 104.0
#define CHART_T 34.0
#define CHART_B 58.0
/* The target is drawn on the chart unless it is so far above the curves
** that they would be squashed into the bottom of the plot. */
#define CHART_TARGET_MAX_RATIO 2.5
#define CUMULATIVE_STROKE "#238b45"
#define TARGET_STROKE "#d94801"

/* ---- chart ------------------------------------------------------------------- */

/* The smallest 1, 2, 2.5 or 5 × 10^n not below x, for axis steps. */
static double nice_ceil(double x)
{
    double e = pow(10, floor(log10(x)));
    double f = x / e;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * e;
}

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

static void chart_y_axis(lc_rep *r, const chart *c, double step)
{
    char b[LC_REP_NUMBUF];
    lc_rep_put(r, "<g font-size=\"12\" fill=\"#5a6878\" text-anchor=\"end\">\n");
    for (double v = 0; v <= c->top + step / 2; v += step) {
        double y = cy_of(c, v);
        lc_rep_putf(r, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>", CHART_L,
                    CHART_L + c->pw, y, y, v == 0 ? "#7a8795" : "#e3e8ee");
        lc_rep_putf(r, "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", CHART_L - 8, y + 4, lc_rep_num(b, sizeof b, v, 0));
    }
    lc_rep_putf(r, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"start\">亩 mu</text>\n</g>\n", 12.0, CHART_T - 14);
}

/* Ticks every 1, 2, 7 or 14 days for short campaigns, otherwise on the
** first of every 1, 2, 3, 6 or 12 months; at most about ten. */
static void chart_x_axis(lc_rep *r, const chart *c)
{
    static const int day_steps[] = {1, 2, 7, 14};
    static const int month_steps[] = {1, 2, 3, 6, 12};
    int32_t span = c->d1 - c->d0;
    lc_rep_put(r, "<g font-size=\"12\" fill=\"#5a6878\" text-anchor=\"middle\">\n");
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
            lc_rep_putf(r, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#7a8795\"/>"
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
            lc_rep_putf(r, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#7a8795\"/>"
                           "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", x, x, CHART_T + c->ph, CHART_T + c->ph + 5, x,
                        CHART_T + c->ph + 20, date);
        }
    }
    lc_rep_putf(r, "<text x=\"%.1f\" y=\"%.1f\">日期 date</text>\n</g>\n", CHART_L + c->pw / 2, CHART_H - 8);
}

/* A daily series as a polyline; `area` closes it down to zero. */
static void chart_series(lc_rep *r, const chart *c, int largest, int area, const char *attrs)
{
    const lc_analysis *a = r->a;
    lc_rep_putf(r, "<path %s d=\"", attrs);
    for (size_t i = 0; i < a->progress.n_days; i++) {
        const lc_progress_day *d = &a->progress.days[i];
        double v = lc_mu_from_m2(largest ? d->largest_block_m2 : d->cumulative_m2);
        lc_rep_putf(r, "%c%.1f %.1f", i ? 'L' : 'M', cx_of(c, d->day), cy_of(c, v));
    }
    if (area)
        lc_rep_putf(r, "L%.1f %.1fL%.1f %.1fZ", cx_of(c, a->progress.days[a->progress.n_days - 1].day), cy_of(c, 0),
                    cx_of(c, a->progress.days[0].day), cy_of(c, 0));
    lc_rep_put(r, "\"/>\n");
}

static void chart_end_label(lc_rep *r, const chart *c, double mu, const char *fill, double dy)
{
    char b[LC_REP_NUMBUF];
    const lc_progress_day *last = &r->a->progress.days[r->a->progress.n_days - 1];
    lc_rep_putf(r, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" font-weight=\"700\" fill=\"%s\">%s</text>\n",
                cx_of(c, last->day) + 6, cy_of(c, mu) + 4 + dy, fill, lc_rep_num(b, sizeof b, mu, 2));
}

/* The legend, in HTML above the chart so it keeps its size on a narrow
** page; the target's entry only when one was asked for (--target-mu). */
static void chart_legend(lc_rep *r, int target_set, int show_target, double target)
{
    char b[LC_REP_NUMBUF];
    lc_rep_put(r, "<div class=\"legend compact\"><ul>\n");
    lc_rep_put(r, "<li><svg class=\"sw\" width=\"24\" height=\"16\" viewBox=\"0 0 24 16\" aria-hidden=\"true\">"
                  "<rect x=\"1\" y=\"2\" width=\"22\" height=\"12\" fill=\"rgba(77,175,74,.28)\" "
                  "stroke=\"" CUMULATIVE_STROKE "\" stroke-width=\"2\"/></svg>"
                  "<span>累计流转面积 <i>cumulative transferred</i></span></li>\n");
    lc_rep_put(r, "<li><svg class=\"sw\" width=\"24\" height=\"16\" viewBox=\"0 0 24 16\" aria-hidden=\"true\">"
                  "<path d=\"M1 8H23\" stroke=\"" LC_REP_BLOCK_STROKE "\" stroke-width=\"2.6\"/></svg>"
                  "<span>最大连片地块面积 <i>largest block (parcel area)</i></span></li>\n");
    if (target_set)
        lc_rep_putf(r, "<li><svg class=\"sw\" width=\"24\" height=\"16\" viewBox=\"0 0 24 16\" "
                       "aria-hidden=\"true\"><path d=\"M1 8H23\" stroke=\"" TARGET_STROKE "\" stroke-width=\"2\" "
                       "stroke-dasharray=\"6 4\"/></svg><span>目标 <i>target</i> %s 亩%s</span></li>\n",
                    lc_rep_num(b, sizeof b, target, 2), show_target ? "" : "（高于图表范围 above the chart）");
    lc_rep_put(r, "</ul></div>\n");
}

static void chart_target(lc_rep *r, const chart *c, double target)
{
    const lc_analysis *a = r->a;
    double y = cy_of(c, target);
    lc_rep_putf(r, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\" "
                   "stroke-dasharray=\"6 4\"/>\n", CHART_L, CHART_L + c->pw, y, y, TARGET_STROKE);
    if (a->progress.target_day == LC_NO_DATE) return;
    char date[11];
    lc_date_format(a->progress.target_day, date);
    double x = cx_of(c, a->progress.target_day);
    int right = x > CHART_L + c->pw * 0.7;
    lc_rep_putf(r, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.4\" "
                   "stroke-dasharray=\"3 3\"/>\n<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"#fff\" stroke=\"%s\" "
                   "stroke-width=\"2.4\"/>\n", x, x, CHART_T, CHART_T + c->ph, TARGET_STROKE, x, y, TARGET_STROKE);
    lc_rep_putf(r, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12.5\" font-weight=\"700\" fill=\"%s\" "
                   "text-anchor=\"%s\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">"
                   "达标 target reached %s</text>\n",
                right ? x - 8 : x + 8, CHART_T + 14, TARGET_STROKE, right ? "end" : "start", date);
}

void lc_rep_chart_section(lc_rep *r)
{
    const lc_analysis *a = r->a;
    lc_rep_put(r, "<section id=\"progress\">\n<h2>流转进度<small>Campaign progress</small></h2>\n");
    if (!a->progress.n_days) {
        lc_rep_putf(r, "<p>截至 %s 无签约记录。No signing up to %s.</p>\n</section>\n", r->s.as_of, r->s.as_of);
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
    int show_target = a->opts.target_set && target > 0 && (ymax <= 0 || target <= CHART_TARGET_MAX_RATIO * ymax);
    double top = fmax(ymax, show_target ? target : 0) * 1.04;
    if (!(top > 0)) top = 1;
    double step = nice_ceil(top / 6);
    c.top = ceil(top / step) * step;
    lc_rep_put(r, "<div class=\"chartbox\">\n");   /* the legend stays with its chart on paper */
    chart_legend(r, a->opts.target_set, show_target, target);
    lc_rep_putf(r, "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
                   "height=\"%.0f\" style=\"max-width:%.0fpx\" role=\"img\" "
                   "aria-label=\"流转进度图 progress chart\" font-family=\"inherit\" fill=\"#1d2b3a\">\n",
                CHART_W, CHART_H, CHART_W, CHART_H, CHART_W);
    chart_y_axis(r, &c, step);
    chart_x_axis(r, &c);
    chart_series(r, &c, 0, 1, "fill=\"rgba(77,175,74,.22)\" stroke=\"none\"");
    chart_series(r, &c, 0, 0, "fill=\"none\" stroke=\"" CUMULATIVE_STROKE "\" stroke-width=\"2.2\" "
                              "stroke-linejoin=\"round\"");
    chart_series(r, &c, 1, 0, "fill=\"none\" stroke=\"" LC_REP_BLOCK_STROKE "\" stroke-width=\"2.6\" "
                              "stroke-linejoin=\"round\"");
    if (show_target) chart_target(r, &c, target);
    const lc_progress_day *last = &a->progress.days[a->progress.n_days - 1];
    double cum = lc_mu_from_m2(last->cumulative_m2), big = lc_mu_from_m2(last->largest_block_m2);
    /* end labels pushed apart when the two curves end close together */
    double gap = (cy_of(&c, big) - cy_of(&c, cum)) < 16 ? 16 - (cy_of(&c, big) - cy_of(&c, cum)) : 0;
    chart_end_label(r, &c, cum, CUMULATIVE_STROKE, -gap / 2);
    chart_end_label(r, &c, big, LC_REP_BLOCK_STROKE, gap / 2);
    lc_rep_put(r, "</svg>\n</div>\n");
    char b1[LC_REP_NUMBUF], b2[LC_REP_NUMBUF], d0[11], d1[11];
    lc_date_format(a->progress.days[0].day, d0);
    lc_date_format(last->day, d1);
    lc_rep_putf(r, "<p class=\"note\">首次签约 first signing %s，末次签约 last signing %s（截至 as of %s）；"
                   "累计流转 %s 亩，最大连片地块面积 %s 亩。</p>\n</section>\n", d0, d1, r->s.as_of,
                lc_rep_num(b1, sizeof b1, cum, 2), lc_rep_num(b2, sizeof b2, big, 2));
}

/* ---- tables by township and village ------------------------------------------ */

static void share_cell(lc_rep *r, double part, double whole)
{
    char b[LC_REP_NUMBUF];
    double f = whole > 0 ? part / whole : 0;
    lc_rep_putf(r, "<td class=\"n\"><span class=\"share\"><i style=\"width:%.0f%%\"></i></span>%s</td>",
                100 * fmin(fmax(f, 0), 1), lc_rep_pct(b, part, whole));
}

static void unit_row_cells(lc_rep *r, const lc_unit_total *u)
{
    char b1[LC_REP_NUMBUF], b2[LC_REP_NUMBUF], b3[LC_REP_NUMBUF];
    double total = u->total_m2, tr = u->m2[LC_ST_TRANSFERRED];
    lc_rep_putf(r, "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>",
                lc_rep_int(b1, (double)u->parcels), lc_rep_mu(b2, total), lc_rep_mu(b3, tr));
    share_cell(r, tr, total);
    for (int st = LC_ST_PENDING; st < LC_ST_N; st++)
        lc_rep_putf(r, "<td class=\"n\">%s</td>", lc_rep_int(b1, (double)u->count[st]));
    lc_rep_putf(r, "<td class=\"n\">%s</td>", lc_rep_int(b1, (double)u->enclaves));
}

static void unit_table_head(lc_rep *r, int village)
{
    lc_rep_putf(r, "<div class=\"tscroll\"><table data-units=\"%s\">\n<thead><tr>", village ? "village" : "township");
    if (village) lc_rep_put(r, "<th>乡镇<small>township</small></th>");
    lc_rep_putf(r, "<th>%s<small>%s</small></th><th>编码<small>code</small></th>", village ? "村" : "乡镇",
                village ? "village" : "township");
    lc_rep_put(r, "<th class=\"n\">地块<small>parcels</small></th>"
                  "<th class=\"n\">总面积 亩<small>total mu</small></th>"
                  "<th class=\"n\">已流转 亩<small>transferred mu</small></th>"
                  "<th class=\"n\">流转比例<small>share</small></th>");
    for (int st = LC_ST_PENDING; st < LC_ST_N; st++)
        lc_rep_putf(r, "<th class=\"n\"><span class=\"chip\" style=\"background:%s\"></span>%s"
                       "<small>%s</small></th>",
                    lc_rep_status_fill(st), lc_rep_status_zh(st), lc_rep_status_en(st));
    lc_rep_put(r, "<th class=\"n\">插花地<small>enclaves</small></th></tr></thead>\n<tbody>\n");
}

static void unit_table_row(lc_rep *r, const lc_unit_total *u, int village)
{
    const lc_analysis *a = r->a;
    const char *code = village ? u->village : u->township;
    lc_rep_put(r, "<tr data-unit=\"");
    lc_rep_esc(r, code ? code : "");
    lc_rep_put(r, "\">");
    if (village) {
        lc_rep_put(r, "<td>");
        lc_rep_esc(r, u->township ? lc_rep_unit_label(a, u->township) : "—");
        lc_rep_put(r, "</td>");
    }
    const char *name = code ? lc_units_name(&a->units, code) : "（无编码）unknown";
    lc_rep_put(r, "<td>");
    lc_rep_esc(r, name ? name : "—");
    lc_rep_put(r, "</td><td><code>");
    lc_rep_esc(r, code ? code : "—");
    lc_rep_put(r, "</code></td>");
    unit_row_cells(r, u);
    lc_rep_put(r, "</tr>\n");
}

/* The township or the village rows of the unit totals (each village under
** the township its parcels name, as in the cadres' lists), and the total. */
static void unit_table(lc_rep *r, int village)
{
    static const lc_unit_total none;
    const lc_unit_totals *ut = r->a->unit_totals;
    lc_rep_putf(r, "<h3>%s<small>%s</small></h3>\n", village ? "按村" : "按乡镇",
                village ? "By village" : "By township");
    unit_table_head(r, village);
    for (size_t i = 0; ut && i < ut->n; i++)
        if ((ut->rows[i].kind == LC_UNIT_VILLAGE) == village) unit_table_row(r, &ut->rows[i], village);
    lc_rep_putf(r, "</tbody>\n<tfoot><tr><td colspan=\"%d\">合计 total</td>", village ? 3 : 2);
    unit_row_cells(r, ut ? &ut->all : &none);
    lc_rep_put(r, "</tr></tfoot>\n</table></div>\n");
}

void lc_rep_units_section(lc_rep *r)
{
    lc_rep_put(r, "<section id=\"units\">\n<h2>分单位统计<small>By township and village</small></h2>\n"
                  "<p class=\"note\">未流转地块（钉子户 hold-outs）按状态计数；插花地 = 位于连片范围内的未流转地块。"
                  "Hold-outs are untransferred parcels counted by status; enclaves are those inside a block's "
                  "footprint.");
    if (!r->a->units.n) lc_rep_put(r, " 未提供单位名称（--unit-names），以编码显示。Codes shown: no --unit-names.");
    lc_rep_put(r, "</p>\n");
    unit_table(r, 0);
    if (r->rc == LC_OK) unit_table(r, 1);
    lc_rep_put(r, "</section>\n");
}

/* ---- sites ------------------------------------------------------------------- */

static void site_facts(lc_rep *r, const lc_site_info *si)
{
    char b1[LC_REP_NUMBUF], b2[LC_REP_NUMBUF], b3[LC_REP_NUMBUF], b4[LC_REP_NUMBUF], b5[LC_REP_NUMBUF];
    double other = 0;
    for (int k = 1; k < LC_STATUS_COUNT; k++) other += si->status_m2[k];
    lc_rep_putf(r, "<p>面积 area <b>%s 亩</b>（%s m²）· 已流转 transferred %s 亩（%s）· 未流转 not transferred "
                   "<b>%s 亩</b>", lc_rep_mu(b1, si->area_m2), lc_rep_num(b2, sizeof b2, si->area_m2, 2),
                lc_rep_mu(b3, si->status_m2[0]), lc_rep_pct(b4, si->status_m2[0], si->area_m2),
                lc_rep_mu(b5, other));
    lc_rep_put(r, "（");
    for (int k = 1; k < LC_STATUS_COUNT; k++)
        lc_rep_putf(r, "%s%s %s", k > 1 ? "，" : "", lc_rep_status_zh(k), lc_rep_mu(b1, si->status_m2[k]));
    lc_rep_putf(r, "）· 无地块 under no parcel %s 亩</p>\n", lc_rep_mu(b1, si->no_parcel_m2));
}

/* The key with the tail the site's map labels it by in bold. */
static void blocker_key(lc_rep *r, const lc_rep_blocker *b)
{
    if (!b->key) {
        lc_rep_put(r, "—");
        return;
    }
    size_t len = strlen(b->key);
    lc_rep_escn(r, b->key, len - b->tail);
    lc_rep_put(r, "<b>");
    lc_rep_esc(r, b->key + len - b->tail);
    lc_rep_put(r, "</b>");
}

static void site_blocking(lc_rep *r, size_t i, const lc_site_info *si)
{
    char b1[LC_REP_NUMBUF], b2[LC_REP_NUMBUF];
    if (!si->n_blocking) {
        lc_rep_putf(r, "<p class=\"note\">无阻碍地块：压占本用地超过 %s m² 的地块均已流转。"
                       "No blocking parcel.</p>\n", lc_rep_num(b1, sizeof b1, r->a->opts.min_overlap_m2, 2));
        return;
    }
    lc_rep_blocker *bl;
    size_t n = lc_rep_site_blockers(r, i, &bl);
    lc_rep_put(r, "<div class=\"tscroll\"><table class=\"blocking\">\n<thead><tr><th class=\"n\">#</th>"
                  "<th>地块编码<small>key</small></th>"
                  "<th>村<small>village</small></th><th>承包方<small>holder</small></th>"
                  "<th>状态<small>status</small></th><th class=\"n\">压占 m²<small>overlap m²</small></th>"
                  "<th class=\"n\">压占 亩<small>overlap mu</small></th>"
                  "<th class=\"n\">占地块<small>of parcel</small></th></tr></thead>\n<tbody>\n");
    for (size_t row = 0; row < n; row++) {
        lc_site_parcel sp;
        lc_analysis_site_parcel(r->a, i, bl[row].overlap, &sp);
        int st = 0;
        while (st < LC_ST_N - 1 && strcmp(lc_rep_status_en(st), sp.status)) st++;
        lc_rep_putf(r, "<tr><td class=\"n\">%zu</td><td class=\"key\"><code>", row + 1);
        blocker_key(r, &bl[row]);
        lc_rep_put(r, "</code></td><td>");
        lc_rep_esc(r, sp.village_name ? sp.village_name : sp.village ? sp.village : "—");
        lc_rep_put(r, "</td><td>");
        lc_rep_esc(r, sp.holder ? sp.holder : "—");
        lc_rep_put(r, "</td>");
        lc_rep_status_cell(r, st);
        lc_rep_putf(r, "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%.1f%%</td></tr>\n",
                    lc_rep_num(b1, sizeof b1, sp.overlap_m2, 2), lc_rep_mu(b2, sp.overlap_m2),
                    100 * sp.share_of_parcel);
    }
    lc_rep_put(r, "</tbody>\n</table></div>\n");
    free(bl);
}

static void site_constraints(lc_rep *r, int site_id)
{
    char b1[LC_REP_NUMBUF], b2[LC_REP_NUMBUF];
    for (size_t k = 0; k < lc_analysis_constraint_count(r->a); k++) {
        lc_constraint_info ci;
        lc_analysis_constraint(r->a, k, &ci);
        if (ci.site_id != site_id) continue;
        lc_rep_put(r, "<p class=\"note\">⚠ 压占限制图层 overlaps constraint <code>");
        lc_rep_esc(r, ci.layer_path);
        lc_rep_putf(r, "</code> 要素 feature %lld", (long long)ci.fid);
        if (ci.name) {
            lc_rep_put(r, "（");
            lc_rep_esc(r, ci.name);
            lc_rep_put(r, "）");
        }
        lc_rep_putf(r, "：%s m²（%s 亩）</p>\n", lc_rep_num(b1, sizeof b1, ci.overlap_m2, 2),
                    lc_rep_mu(b2, ci.overlap_m2));
    }
}

void lc_rep_sites_section(lc_rep *r)
{
    char b[LC_REP_NUMBUF];
    size_t n = lc_analysis_site_count(r->a);
    lc_rep_put(r, "<section id=\"sites\">\n<h2>项目用地开工核查<small>Project sites — sign-off before "
                  "groundbreaking</small></h2>\n");
    if (!n) {
        lc_rep_put(r, "<p>未给出项目用地（--site）。No project site given.</p>\n</section>\n");
        return;
    }
    lc_rep_num(b, sizeof b, r->a->opts.min_overlap_m2, 2);
    lc_rep_putf(r, "<p class=\"note\">用地上所有压占超过 %s m² 的地块均已流转、且用地至少一半位于地块上时方可开工；"
                   "阻碍地块按压占面积从大到小列出。"
                   "A site is ready when no untransferred parcel overlaps it by more than %s m² and at least half "
                   "of it lies on parcels; blocking parcels, largest overlap first.</p>\n", b, b);
    for (size_t i = 0; i < n; i++) {
        lc_site_info si;
        lc_analysis_site(r->a, i, &si);
        /* the heading, the facts and the map stay together on a printed page */
        lc_rep_putf(r, "<div class=\"site\" data-site=\"%d\"><div class=\"sitehead\"><h3>用地 %d ", si.id, si.id);
        lc_rep_esc(r, si.name ? si.name : "（未命名）");
        lc_rep_putf(r, " <span class=\"badge %s\">%s</span><small>", si.ready ? "ok" : "no",
                    si.ready ? "可以开工 READY" : "不能开工 NOT READY");
        if (!si.ready) lc_rep_putf(r, "%zu 块阻碍地块 blocking parcels · ", si.n_blocking);
        lc_rep_esc(r, si.layer_path);
        lc_rep_put(r, "</small></h3>\n");
        if (si.reason) {
            lc_rep_put(r, "<p class=\"reason\">不能开工原因 Not ready: ");
            lc_rep_esc(r, si.reason);
            lc_rep_put(r, "</p>\n");
        }
        site_facts(r, &si);
        lc_rep_site_map(r, i);
        lc_rep_put(r, "</div>\n");
        site_blocking(r, i, &si);
        site_constraints(r, si.id);
        lc_rep_put(r, "</div>\n");
    }
    lc_rep_put(r, "</section>\n");
}

/* ---- QA and audit -------------------------------------------------------------- */

typedef struct kind_count { const char *kind; lc_severity sev; size_t n; } kind_count;

static void qa_table(lc_rep *r)
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
                lc_rep_fail(r, LC_ENOMEM, "QA table");
                free(kinds);
                return;
            }
            kinds[nk++] = (kind_count){f.kind ? f.kind : "?", f.severity, 0};
        }
        kinds[k].n++;
    }
    lc_rep_put(r, "<h3>质检<small>Quality findings (details: qa_issues in the database)</small></h3>\n");
    if (!nk) lc_rep_put(r, "<p>无质检问题。No finding.</p>\n");
    else {
        lc_rep_put(r, "<div class=\"tscroll\"><table>\n<thead><tr><th>严重程度<small>severity</small></th>"
                      "<th>问题类型<small>kind</small></th><th class=\"n\">数量<small>count</small></th></tr>"
                      "</thead>\n<tbody>\n");
        for (int sev = LC_SEV_ERROR; sev <= LC_SEV_INFO; sev++)
            for (size_t k = 0; k < nk; k++) {
                if (kinds[k].sev != (lc_severity)sev) continue;
                lc_rep_putf(r, "<tr><td>%s</td><td><code>", lc_severity_name(kinds[k].sev));
                lc_rep_esc(r, kinds[k].kind);
                lc_rep_putf(r, "</code></td><td class=\"n\">%zu</td></tr>\n", kinds[k].n);
            }
        lc_rep_put(r, "</tbody>\n</table></div>\n");
    }
    free(kinds);
}

static void kv_row(lc_rep *r, const char *zh, const char *en, const char *value)
{
    lc_rep_putf(r, "<tr><th>%s <small>%s</small></th><td>", zh, en);
    lc_rep_esc(r, value);
    lc_rep_put(r, "</td></tr>\n");
}

static void kv_rowf(lc_rep *r, const char *zh, const char *en, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void kv_rowf(lc_rep *r, const char *zh, const char *en, const char *fmt, ...)
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
static void orphan_rows(lc_rep *r)
{
    const lc_analysis *a = r->a;
    enum { SHOWN = 200 };
    if (a->st.n_orphan_entries) {
        lc_rep_putf(r, "<tr><th>无地块的台账编码 <small>register keys without a parcel</small></th><td>%zu：",
                    a->st.n_orphan_entries);
        for (size_t i = 0; i < a->st.n_orphan_entries && i < SHOWN; i++) {
            const lc_reg_entry *e = &a->reg->entries[a->st.orphan_entries[i]];
            lc_rep_put(r, i ? "，<code>" : "<code>");
            lc_rep_esc(r, e->key);
            lc_rep_putf(r, "</code>（第 %lld 行 row）", (long long)e->line);
        }
        if (a->st.n_orphan_entries > SHOWN)
            lc_rep_putf(r, "…（另 %zu 个 more: qa_issues）", a->st.n_orphan_entries - SHOWN);
        lc_rep_put(r, "</td></tr>\n");
    }
    if (a->st.n_unregistered) {
        lc_rep_putf(r, "<tr><th>不在台账中的地块 <small>parcels without a register row</small></th><td>%zu：",
                    a->st.n_unregistered);
        for (size_t i = 0; i < a->st.n_unregistered && i < SHOWN; i++) {
            lc_rep_put(r, i ? "，<code>" : "<code>");
            lc_rep_esc(r, a->parcels->items[a->st.unregistered[i]].key);
            lc_rep_put(r, "</code>");
        }
        if (a->st.n_unregistered > SHOWN)
            lc_rep_putf(r, "…（另 %zu 个 more: qa_issues）", a->st.n_unregistered - SHOWN);
        lc_rep_put(r, "</td></tr>\n");
    }
}

static void audit_inputs(lc_rep *r)
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

static void audit_settings(lc_rep *r)
{
    const lc_analysis *a = r->a;
    const lc_crs *crs = &a->parcels->crs;
    char b[LC_REP_NUMBUF];
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
    kv_rowf(r, "连片间距", "gap", "%s m", lc_rep_num(b, sizeof b, a->opts.gap_m, 2));
    if (a->opts.target_set)
        kv_rowf(r, "目标", "target", "%s 亩（最大连片的地块面积 largest block's parcel area）",
                lc_rep_num(b, sizeof b, a->opts.target_mu, 2));
    kv_rowf(r, "最小压占", "min overlap", "%s m²", lc_rep_num(b, sizeof b, a->opts.min_overlap_m2, 2));
    kv_rowf(r, "面积容差", "area tolerance", "%.1f%%", 100 * a->opts.area_tolerance);
    kv_row(r, "亩", "mu", "1 亩 = 10000/15 m²（666.67 m²）；面积以 m² 计算，仅在显示时取两位小数");
    kv_row(r, "版本", "landcons version", lc_version());
}

void lc_rep_audit_section(lc_rep *r)
{
    lc_rep_put(r, "<section id=\"audit\">\n<h2>数据与参数<small>Inputs and settings, for audit</small></h2>\n"
                  "<div class=\"tscroll\"><table class=\"kv\">\n<tbody>\n");
    audit_inputs(r);
    audit_settings(r);
    lc_rep_put(r, "</tbody>\n</table></div>\n");
    qa_table(r);
    lc_rep_put(r, "</section>\n");
}
