/*
** The report's section "优先协商 / negotiate first" (see report_plan.h):
** what the plan of the analysis says, as the bridges layer, the route
** table and the 优先协商 sheet say it.
**
** Only the top bridges with a gain are shown (a parcel that joins nothing
** adds nothing, and there are thousands of them on a county's layer); the
** route is given in full up to REPORT_ROUTE_ROWS steps, the rest counted
** and left to the route table. Without --target-mu there is no route, and
** the section says so without speaking of a target the user never set.
*/
#include <stdio.h>

#include "report_map.h"
#include "report_plan.h"

#define REPORT_TOP_BRIDGES 10
#define REPORT_ROUTE_ROWS 30

static void text_cell(lc_rep *r, const char *s)
{
    lc_rep_put(r, "<td>");
    lc_rep_esc(r, s && *s ? s : "—");
    lc_rep_put(r, "</td>");
}

static void bridges_table(lc_rep *r, size_t n)
{
    const lc_analysis *a = r->a;
    const lc_plan *plan = a->plan;
    char b1[LC_REP_NUMBUF], b2[LC_REP_NUMBUF], b3[LC_REP_NUMBUF];
    lc_rep_put(r, "<div class=\"tscroll\"><table class=\"bridges\">\n<thead><tr>"
                  "<th class=\"n\">次序<small>rank</small></th><th>地块编码<small>key</small></th><th>村<small>village</small></th>"
                  "<th>承包方<small>holder</small></th><th>状态<small>status</small></th>"
                  "<th class=\"n\">面积 亩<small>mu</small></th>"
                  "<th class=\"n\">最大连片增加 亩<small>gain mu</small></th>"
                  "<th class=\"n\">流转后最大连片 亩<small>largest after, mu</small></th>"
                  "<th>相连连片<small>joins blocks</small></th>");
    if (a->opts.target_set) lc_rep_put(r, "<th class=\"n\">路线步骤<small>route step</small></th>");
    lc_rep_put(r, "</tr></thead>\n<tbody>\n");
    for (size_t k = 0; k < n; k++) {
        const lc_plan_bridge *br = &plan->bridges[k];
        lc_rep_putf(r, "<tr data-rank=\"%zu\"><td class=\"n\"><b class=\"rank\">%zu</b></td>", k + 1, k + 1);
        lc_rep_put(r, "<td class=\"bkey\"><code>");
        lc_rep_esc(r, br->key ? br->key : "—");
        lc_rep_put(r, "</code></td>");
        text_cell(r, br->village_name ? br->village_name : br->village);
        text_cell(r, br->holder);
        lc_rep_status_cell(r, (int)a->st.state[br->parcel].status);
        lc_rep_putf(r, "<td class=\"n\">%s</td><td class=\"n\"><b>%s</b></td><td class=\"n\">%s</td>",
                    lc_rep_mu(b1, br->m2), lc_rep_mu(b2, br->gain_m2), lc_rep_mu(b3, br->largest_after_m2));
        text_cell(r, a->plan_text.bridge_joins[k]);
        if (a->opts.target_set) {
            int32_t step = a->plan_text.bridge_step[k];
            if (step) lc_rep_putf(r, "<td class=\"n\">%d</td>", (int)step);
            else lc_rep_put(r, "<td class=\"n\">—</td>");
        }
        lc_rep_put(r, "</tr>\n");
    }
    lc_rep_put(r, "</tbody>\n</table></div>\n");
}

static void route_table(lc_rep *r, size_t n)
{
    const lc_analysis *a = r->a;
    const lc_plan *plan = a->plan;
    char b1[LC_REP_NUMBUF], b2[LC_REP_NUMBUF], b3[LC_REP_NUMBUF], b4[LC_REP_NUMBUF];
    lc_rep_put(r, "<div class=\"tscroll\"><table class=\"route\">\n<thead><tr>"
                  "<th class=\"n\">步骤<small>step</small></th><th>地块编码<small>keys</small></th><th>承包方<small>holders</small></th>"
                  "<th class=\"n\">户数<small>households</small></th><th class=\"n\">面积 亩<small>mu</small></th>"
                  "<th class=\"n\">累计户数<small>households so far</small></th>"
                  "<th class=\"n\">累计面积 亩<small>mu so far</small></th>"
                  "<th class=\"n\">所扩连片 亩<small>grown block, mu</small></th>"
                  "<th class=\"n\">此步后最大连片 亩<small>largest block after, mu</small></th></tr></thead>\n"
                  "<tbody>\n");
    for (size_t s = 0; s < n; s++) {
        const lc_plan_step *st = &plan->steps[s];
        lc_rep_putf(r, "<tr data-step=\"%zu\"><td class=\"n\">%zu%s</td>", s + 1, s + 1,
                    st->last_resort ? " ⚠" : "");
        /* a step of two or three parcels: one key and its holder a line */
        lc_rep_put(r, "<td class=\"bkey\"><code>");
        for (size_t j = 0; j < st->n_parcels; j++) {
            lc_rep_put(r, j ? "<br>\n" : "");
            lc_rep_esc(r, plan->bridges[st->bridges[j]].key ? plan->bridges[st->bridges[j]].key : "—");
        }
        lc_rep_put(r, "</code></td><td>");
        for (size_t j = 0; j < st->n_parcels; j++) {
            lc_rep_put(r, j ? "<br>\n" : "");
            lc_rep_esc(r, plan->bridges[st->bridges[j]].holder ? plan->bridges[st->bridges[j]].holder : "—");
        }
        lc_rep_put(r, "</td>");
        lc_rep_putf(r, "<td class=\"n\">%zu</td><td class=\"n\">%s</td><td class=\"n\">%zu</td>"
                       "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\"><b>%s</b></td></tr>\n",
                    st->households, lc_rep_mu(b1, st->m2), st->total_households, lc_rep_mu(b2, st->total_m2),
                    lc_rep_mu(b3, st->grown_m2), lc_rep_mu(b4, st->largest_after_m2));
    }
    lc_rep_put(r, "</tbody>\n</table></div>\n");
}

/* The route: how it ends, in a sentence, and its steps. */
static void route_part(lc_rep *r)
{
    const lc_analysis *a = r->a;
    const lc_plan *plan = a->plan;
    char b1[LC_REP_NUMBUF], b2[LC_REP_NUMBUF], b3[LC_REP_NUMBUF], b4[LC_REP_NUMBUF];
    lc_rep_put(r, "<h3>协商路线<small>Route to the target</small></h3>\n");
    double target_m2 = plan->target_mu * 10000.0 / 15.0;
    switch (plan->end) {
    case LC_PLAN_NO_BLOCK:
        lc_rep_put(r, "<p>尚无已流转地块，没有可扩大的连片。Nothing is transferred yet: there is no block to "
                      "grow.</p>\n");
        return;
    case LC_PLAN_ALREADY_MET:
        lc_rep_putf(r, "<p>最大连片 %s 亩，已达到目标 %s 亩，无需协商路线。The largest block, %s mu, already meets "
                       "the target of %s mu.</p>\n", lc_rep_mu(b1, plan->largest_m2), lc_rep_mu(b2, target_m2),
                    lc_rep_mu(b3, plan->largest_m2), lc_rep_mu(b4, target_m2));
        return;
    default: break;
    }
    const lc_plan_step *last = plan->n_steps ? &plan->steps[plan->n_steps - 1] : NULL;
    size_t households = last ? last->total_households : 0;
    double mu_m2 = last ? last->total_m2 : 0;
    int per_mu = plan->cost == LC_PLAN_COST_MU;
    lc_rep_putf(r, "<p>依次协商下列地块（每步选每%s所增连片面积最多者），"
                   "连片 %d 由 %s 亩扩大到 <b>%s 亩</b>：共 %zu 步、%zu 户、%s 亩。",
                per_mu ? "亩" : "户", (int)plan->grown_block, lc_rep_mu(b1, plan->grown_block_m2),
                lc_rep_mu(b2, plan->reached_m2), plan->n_steps, households, lc_rep_mu(b3, mu_m2));
    if (plan->end == LC_PLAN_REACHED)
        lc_rep_putf(r, "达到目标 %s 亩。", lc_rep_mu(b1, target_m2));
    else
        lc_rep_putf(r, "<b>达不到目标 %s 亩</b>，尚差 %s 亩：连片 %d 在 %s m 以内经可协商地块相连的土地共 %s 亩。",
                    lc_rep_mu(b1, target_m2), lc_rep_mu(b2, target_m2 - plan->reached_m2), (int)plan->grown_block,
                    lc_rep_num(b3, sizeof b3, a->opts.gap_m, 1), lc_rep_mu(b4, plan->reachable_m2));
    lc_rep_putf(r, " Negotiating these parcels in this order (each step the most contiguous mu per %s) "
                   "grows block %d from %s to <b>%s mu</b>: %zu steps, %zu households, %s mu; ",
                per_mu ? "mu negotiated" : "household", (int)plan->grown_block,
                lc_rep_mu(b1, plan->grown_block_m2), lc_rep_mu(b2, plan->reached_m2), plan->n_steps, households,
                lc_rep_mu(b3, mu_m2));
    if (plan->end == LC_PLAN_REACHED)
        lc_rep_putf(r, "the target of %s mu is reached.", lc_rep_mu(b1, target_m2));
    else
        lc_rep_putf(r, "the target of %s mu <b>cannot be reached</b> (%s mu short).", lc_rep_mu(b1, target_m2),
                    lc_rep_mu(b2, target_m2 - plan->reached_m2));
    lc_rep_put(r, "</p>\n");
    if (plan->exclude_hard && plan->reachable_with_hard_m2 > plan->reachable_m2)
        lc_rep_putf(r, "<p class=\"note\">计入拒签、争议地块，连片最多可达 %s 亩；其中 %zu 块现与连片 %d 相邻（已按 "
                       "--exclude-refused 排除）。Counting refused and disputed parcels a block could reach %s mu; "
                       "%zu of them lie next to block %d now (left out by --exclude-refused).</p>\n",
                    lc_rep_mu(b1, plan->reachable_with_hard_m2), plan->hard_connectors, (int)plan->grown_block,
                    lc_rep_mu(b2, plan->reachable_with_hard_m2), plan->hard_connectors, (int)plan->grown_block);
    if (!plan->n_steps) return;
    size_t shown = plan->n_steps < REPORT_ROUTE_ROWS ? plan->n_steps : REPORT_ROUTE_ROWS;
    int hard = 0;
    for (size_t s = 0; s < shown; s++) hard |= plan->steps[s].last_resort;
    route_table(r, shown);
    lc_rep_put(r, "<p class=\"note\">");
    if (shown < plan->n_steps)
        lc_rep_putf(r, "仅列前 %zu 步，全部 %zu 步见数据库 route 表。The first %zu of %zu steps; all of them are in "
                       "the route table of the database. ", shown, plan->n_steps, shown, plan->n_steps);
    if (hard) lc_rep_put(r, "⚠ 此步含拒签或争议地块。⚠: the step takes a refused or disputed parcel. ");
    lc_rep_put(r, "路线为逐步贪心所得，不保证户数最少。The route is greedy, step by step: not guaranteed to need the "
                  "fewest households.</p>\n");
}

void lc_rep_plan_section(lc_rep *r)
{
    const lc_analysis *a = r->a;
    const lc_plan *plan = a->plan;
    if (!plan) return;
    char b1[LC_REP_NUMBUF], b2[LC_REP_NUMBUF];
    size_t with_gain = 0;   /* the bridges come by gain, largest first */
    while (with_gain < plan->n_bridges && plan->bridges[with_gain].gain_m2 > 0) with_gain++;
    size_t top = with_gain < REPORT_TOP_BRIDGES ? with_gain : REPORT_TOP_BRIDGES;
    lc_rep_put(r, "<section id=\"negotiate\">\n<h2>优先协商<small>Negotiate first — the untransferred parcels "
                  "that would enlarge the largest block most</small></h2>\n");
    lc_rep_num(b2, sizeof b2, a->opts.gap_m, 1);
    lc_rep_putf(r, "<p>最大连片今 <b>%s 亩</b>。未流转地块 %zu 块中，%zu 块单独流转即可扩大最大连片（与连片相距 %s m "
                   "以内）。", lc_rep_mu(b1, plan->largest_m2), plan->n_bridges, with_gain, b2);
    lc_rep_putf(r, "The largest block is <b>%s mu</b> today. Of %zu untransferred parcels, %zu would enlarge it "
                   "if transferred alone (they lie within %s m of it).</p>\n", lc_rep_mu(b1, plan->largest_m2),
                plan->n_bridges, with_gain, b2);
    if (top) {
        lc_rep_putf(r, "<p class=\"note\">增加最多的前 %zu 块，按增加面积、地块面积、编码排序；全部见数据库 bridges "
                       "图层与清单“优先协商”表。The top %zu by gain, then own area, then key; all of them are in the "
                       "bridges layer of the database and on the 优先协商 sheet of the lists.</p>\n", top, top);
        lc_rep_plan_map(r, top);
        bridges_table(r, top);
    }
    if (a->opts.target_set)
        route_part(r);
    else
        lc_rep_put(r, "<p class=\"note\">无协商路线：运行时未指定所需连片面积（亩）。No route: no contiguous area was "
                      "asked for.</p>\n");
    lc_rep_put(r, "</section>\n");
}
