/*
** The cadres' lists from an analysis: the one place that turns lc_analysis
** into the plain view of lists.h. Every figure comes as computed (m², mu
** = m² × 15 / 10000, the per-unit totals of unit_totals.c, the blocking
** rule of the sites); nothing is rounded here, the sinks only format.
** Names are the --unit-names names where known and the codes otherwise.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis.h"
#include "dates.h"
#include "lists_build.h"
#include "unit_totals.h"

#define UNKNOWN_UNIT "（无编码）"

typedef struct builder {
    lc_ctx *ctx;
    const lc_analysis *a;
    lc_lists *l;
    int32_t as_of;
    lc_status rc;
} builder;

/* A unit's name, else its code; NULL when it has neither. */
static const char *unit_label(const lc_analysis *a, const char *code)
{
    const char *name = lc_units_name(&a->units, code);
    return name ? name : code;
}

/* 村民小组: characters 13-14 of a 19-character DKBM (SPEC §1). */
static void group_of(const char *key, char out[3])
{
    out[0] = '\0';
    if (key && strlen(key) >= 14) {
        out[0] = key[12];
        out[1] = key[13];
        out[2] = '\0';
    }
}

/* Setters that remember the first failure, so a table is built in one go. */
static void text(builder *b, lc_cell *c, const char *s)
{
    if (b->rc == LC_OK) b->rc = lc_cell_text(b->ctx, b->l, c, s);
}

static lc_cell *row(builder *b, lc_list *t, int strong)
{
    lc_cell *r = b->rc == LC_OK ? lc_list_add_row(b->ctx, t, strong) : NULL;
    if (!r && b->rc == LC_OK) b->rc = LC_ENOMEM;
    return r;
}

static lc_list *table(builder *b, unsigned bit, const char *const *headers, size_t n_cols)
{
    lc_list *t = b->rc == LC_OK ? lc_lists_add(b->ctx, b->l, lc_list_name(bit), headers, n_cols) : NULL;
    if (!t && b->rc == LC_OK) b->rc = LC_ENOMEM;
    return t;
}

static void title(builder *b, lc_list *t, const char *s)
{
    if (b->rc != LC_OK) return;
    if (!s) b->rc = lc_error(b->ctx, LC_ENOMEM, "out of memory");
    t->title = s;
}

/* ---- 汇总: by township and village --------------------------------------------- */

static void summary_cells(builder *b, lc_cell *c, const lc_unit_total *u)
{
    lc_cell_number(&c[4], (double)u->parcels, LC_NUM_COUNT);
    lc_cell_number(&c[5], lc_mu_from_m2(u->total_m2), LC_NUM_AREA);
    for (int s = 0; s < LC_ST_N; s++) {
        lc_cell_number(&c[6 + 2 * s], (double)u->count[s], LC_NUM_COUNT);
        lc_cell_number(&c[7 + 2 * s], lc_mu_from_m2(u->m2[s]), LC_NUM_AREA);
    }
    /* a share of nothing is left empty rather than shown as 0 % */
    if (u->registered_m2 > 0)
        lc_cell_number(&c[16], u->m2[LC_ST_TRANSFERRED] / u->registered_m2, LC_NUM_SHARE);
    if (u->total_m2 > 0) lc_cell_number(&c[17], u->m2[LC_ST_TRANSFERRED] / u->total_m2, LC_NUM_SHARE);
}

static void build_summary(builder *b)
{
    static const char *const headers[] = {
        "级别", "乡镇", "村", "单位编码", "地块数", "面积(亩)",
        "已流转 地块数", "已流转 面积(亩)", "未签约 地块数", "未签约 面积(亩)",
        "拒签 地块数", "拒签 面积(亩)", "争议 地块数", "争议 面积(亩)",
        "未登记 地块数", "未登记 面积(亩)",
        "流转率 占台账登记面积", "流转率 占全部地块面积",
    };
    _Static_assert(sizeof headers / sizeof headers[0] == 8 + 2 * LC_ST_N, "a count and mu per status");
    const lc_analysis *a = b->a;
    const lc_unit_totals *ut = a->unit_totals;
    lc_list *t = table(b, LC_LIST_SUMMARY, headers, sizeof headers / sizeof headers[0]);
    if (t)
        title(b, t, lc_lists_printf(b->l, "土地流转汇总（按乡镇、村）　状态截至 %s　面积单位：亩　"
                                          "流转率 = 已流转面积 ÷ 台账登记地块面积，或 ÷ 全部地块面积",
                                    a->opts.as_of));
    for (size_t i = 0; ut && i < ut->n && b->rc == LC_OK; i++) {
        const lc_unit_total *u = &ut->rows[i];
        int village = u->kind == LC_UNIT_VILLAGE;
        lc_cell *c = row(b, t, !village);
        if (!c) break;
        const char *tw = unit_label(a, u->township), *vl = unit_label(a, u->village);
        text(b, &c[0], village ? "村" : "乡镇");
        text(b, &c[1], tw ? tw : UNKNOWN_UNIT);
        if (village) text(b, &c[2], vl ? vl : UNKNOWN_UNIT);
        text(b, &c[3], village ? u->village : u->township);
        summary_cells(b, c, u);
    }
    lc_cell *c = ut ? row(b, t, 1) : NULL;
    if (c) {
        text(b, &c[0], "合计");
        summary_cells(b, c, &ut->all);
    }
}

/* ---- 阻碍开工: blocking parcels per site ------------------------------------------ */

static void build_blocking(builder *b)
{
    static const char *const headers[] = {
        "用地编号", "用地名称", "地块编码", "乡镇", "村", "组", "承包方", "状态",
        "压占面积 (m²)", "压占面积 (亩)", "签约日期", "签约日期 距截止日(天)",
    };
    const lc_analysis *a = b->a;
    lc_list *t = table(b, LC_LIST_BLOCKING, headers, sizeof headers / sizeof headers[0]);
    size_t n_blocking = 0;
    for (size_t i = 0; i < a->sites.n && b->rc == LC_OK; i++) {
        const lc_site *s = &a->sites.items[i];
        for (size_t k = 0; k < s->n_overlaps && b->rc == LC_OK; k++) {
            lc_site_parcel sp;
            lc_analysis_site_parcel(a, i, k, &sp);
            if (!sp.blocking) continue;
            size_t p = a->sites.overlaps[s->first_overlap + k].parcel;
            const lc_parcel_state *st = &a->st.state[p];
            lc_cell *c = row(b, t, 0);
            if (!c) break;
            char group[3];
            group_of(sp.key, group);
            lc_cell_number(&c[0], s->id, LC_NUM_ID);
            text(b, &c[1], s->name);
            text(b, &c[2], sp.key);
            text(b, &c[3], unit_label(a, st->township));
            text(b, &c[4], unit_label(a, st->village));
            text(b, &c[5], group[0] ? group : NULL);
            text(b, &c[6], sp.holder);
            text(b, &c[7], lc_parcel_status_zh(st->status));
            lc_cell_number(&c[8], sp.overlap_m2, LC_NUM_AREA);
            lc_cell_number(&c[9], lc_mu_from_m2(sp.overlap_m2), LC_NUM_AREA);
            /* a contract signed after the as-of day: the parcel blocks on
            ** that day, and the list says when it was signed */
            if (st->entry && st->entry->signed_on != LC_NO_DATE) {
                lc_cell_date(&c[10], st->entry->signed_on);
                lc_cell_number(&c[11], (double)st->entry->signed_on - (double)b->as_of, LC_NUM_COUNT);
            }
            n_blocking++;
        }
    }
    if (t)
        title(b, t, lc_lists_printf(b->l, "阻碍开工地块：压占项目用地超过 %g m² 的未流转地块，共 %zu 块　"
                                          "状态截至 %s（此日之后签约的，仍计为未签约）",
                                    a->opts.min_overlap_m2, n_blocking, a->opts.as_of));
}

/* ---- 插花地: enclave parcels --------------------------------------------------------- */

static void build_enclaves(builder *b)
{
    static const char *const headers[] = {"连片编号", "地块编码", "村", "组", "承包方", "状态", "面积(亩)"};
    const lc_analysis *a = b->a;
    const lc_parcels *p = a->parcels;
    lc_list *t = table(b, LC_LIST_ENCLAVES, headers, sizeof headers / sizeof headers[0]);
    size_t n = 0;
    for (size_t k = 0; k < a->enclaves.n && b->rc == LC_OK; k++) {
        const lc_enclave *e = &a->enclaves.items[k];
        if (e->parcel == SIZE_MAX) continue;   /* a gap: no parcel, nobody to visit */
        const lc_parcel_state *st = &a->st.state[e->parcel];
        const char *key = p->items[e->parcel].key;
        lc_cell *c = row(b, t, 0);
        if (!c) break;
        char group[3];
        group_of(key, group);
        lc_cell_number(&c[0], e->block_id, LC_NUM_ID);
        text(b, &c[1], key);
        text(b, &c[2], unit_label(a, st->village));
        text(b, &c[3], group[0] ? group : NULL);
        text(b, &c[4], lc_analysis_holder(a, e->parcel));
        text(b, &c[5], lc_parcel_status_zh(st->status));
        lc_cell_number(&c[6], lc_mu_from_m2(e->area_m2), LC_NUM_AREA);
        n++;
    }
    if (t)
        title(b, t, lc_lists_printf(b->l, "插花地：位于连片流转范围内、尚未流转的地块，共 %zu 块　状态截至 %s　"
                                          "连片编号 1 为面积最大的连片",
                                    n, a->opts.as_of));
}

/* ---- 质检: QA findings ---------------------------------------------------------------- */

static void build_qa(builder *b)
{
    static const char *const headers[] = {"严重程度", "问题", "地块编码", "来源", "说明", "问题代码"};
    const lc_analysis *a = b->a;
    lc_list *t = table(b, LC_LIST_QA, headers, sizeof headers / sizeof headers[0]);
    size_t count[3] = {0};
    for (size_t l = 0; l < lc_analysis_qa_list_count(a) && b->rc == LC_OK; l++) {
        const lc_qa *q = lc_analysis_qa_list(a, l);
        for (size_t k = 0; k < q->n && b->rc == LC_OK; k++) {
            const lc_qa_item *it = &q->items[k];
            const char *zh = lc_qa_kind_zh(it->kind);
            lc_cell *c = row(b, t, 0);
            if (!c) break;
            text(b, &c[0], lc_severity_zh(it->severity));
            text(b, &c[1], zh ? zh : it->kind);
            text(b, &c[2], it->key);
            text(b, &c[3], it->source);
            text(b, &c[4], it->detail);
            text(b, &c[5], it->kind);   /* the stable identifier, as in qa_issues */
            if ((unsigned)it->severity < 3) count[it->severity]++;
        }
    }
    if (t)
        title(b, t, lc_lists_printf(b->l, "数据质量检查：错误 %zu 条，警告 %zu 条，提示 %zu 条　"
                                          "错误须先更正；警告请核实",
                                    count[LC_SEV_ERROR], count[LC_SEV_WARNING], count[LC_SEV_INFO]));
}

/* ---- 未匹配: register rows without parcel, parcels without row ---------------------- */

static const char *reg_status_zh(lc_reg_status s)
{
    static const char *const words[LC_REG_N] = {"已签约", "未签约", "拒签", "争议"};
    return (unsigned)s < LC_REG_N ? words[s] : NULL;
}

static void build_unmatched(builder *b)
{
    static const char *const headers[] = {
        "类别", "地块编码", "乡镇", "村", "组", "承包方", "台账行号", "台账状态", "台账面积 (亩)",
        "地块面积 (亩)",
    };
    const lc_analysis *a = b->a;
    const lc_register *reg = a->reg;
    const lc_parcels *p = a->parcels;
    lc_list *t = table(b, LC_LIST_UNMATCHED, headers, sizeof headers / sizeof headers[0]);
    /* a register row's unit comes from its key, as a parcel's does, unless
    ** the units are fields of the parcel layer, which the register lacks */
    int tw_from_key = !a->opts.township_field, vl_from_key = !a->opts.village_field;
    size_t n_rows = 0, n_parcels = 0;
    for (size_t k = 0; k < reg->n_rows && b->rc == LC_OK; k++) {
        const lc_reg_row *r = &reg->rows[k];
        const lc_reg_entry *e = r->key ? lc_register_find(reg, r->key) : NULL;
        if (!r->key || (e && a->st.entry_matched[e - reg->entries])) continue;
        lc_cell *c = row(b, t, 0);
        if (!c) break;
        char code[2][16] = {"", ""}, group[3];
        size_t len = strlen(r->key);
        if (tw_from_key && len >= 9) snprintf(code[0], sizeof code[0], "%.9s", r->key);
        if (vl_from_key && len >= 12) snprintf(code[1], sizeof code[1], "%.12s", r->key);
        group_of(r->key, group);
        text(b, &c[0], "台账有，地块图无");
        text(b, &c[1], r->key);
        text(b, &c[2], code[0][0] ? unit_label(a, code[0]) : NULL);
        text(b, &c[3], code[1][0] ? unit_label(a, code[1]) : NULL);
        text(b, &c[4], group[0] ? group : NULL);
        text(b, &c[5], r->holder);
        lc_cell_number(&c[6], (double)r->line, LC_NUM_ID);
        text(b, &c[7], reg_status_zh(r->status));
        if (!isnan(r->declared_mu)) lc_cell_number(&c[8], r->declared_mu, LC_NUM_AREA);
        n_rows++;
    }
    for (size_t i = 0; i < p->n && b->rc == LC_OK; i++) {
        const lc_parcel_state *st = &a->st.state[i];
        const char *key = p->items[i].key;
        if (st->entry || !key) continue;  /* keyless parcels are QA errors of their own */
        lc_cell *c = row(b, t, 0);
        if (!c) break;
        char group[3];
        group_of(key, group);
        text(b, &c[0], "地块图有，台账无");
        text(b, &c[1], key);
        text(b, &c[2], unit_label(a, st->township));
        text(b, &c[3], unit_label(a, st->village));
        text(b, &c[4], group[0] ? group : NULL);
        text(b, &c[5], lc_analysis_holder(a, i));
        lc_cell_number(&c[9], lc_mu_from_m2(p->items[i].planar_m2), LC_NUM_AREA);
        n_parcels++;
    }
    const char *file = strrchr(reg->display, '/');
    if (t)
        title(b, t, lc_lists_printf(b->l, "台账与地块图未匹配　台账有，地块图无：%zu 行（台账 %s）　"
                                          "地块图有，台账无：%zu 块（计为未登记）",
                                    n_rows, file ? file + 1 : reg->display, n_parcels));
}

/* ---- 优先协商: untransferred parcels by what each would add, the route -------------- */

/* The route in a sentence, for the sheet's title. */
static const char *route_line(builder *b, const lc_plan *plan)
{
    double mu_target = plan->target_mu;
    if (!b->a->opts.target_set)
        return lc_lists_printf(b->l, "最大连片 %.2f 亩；未设目标（--target-mu），无协商路线",
                               lc_mu_from_m2(plan->largest_m2));
    switch (plan->end) {
    case LC_PLAN_NO_BLOCK: return lc_lists_printf(b->l, "尚无已流转地块，没有可扩大的连片");
    case LC_PLAN_ALREADY_MET:
        return lc_lists_printf(b->l, "最大连片 %.2f 亩，已达到目标 %.2f 亩", lc_mu_from_m2(plan->largest_m2), mu_target);
    default: break;
    }
    const lc_plan_step *last = plan->n_steps ? &plan->steps[plan->n_steps - 1] : NULL;
    double reached = lc_mu_from_m2(plan->reached_m2);
    const char *verdict = plan->end == LC_PLAN_REACHED
        ? lc_lists_printf(b->l, "达到目标 %.2f 亩", mu_target)
        : lc_lists_printf(b->l, "达不到目标 %.2f 亩，尚差 %.2f 亩", mu_target, mu_target - reached);
    return lc_lists_printf(b->l, "协商路线（扩大连片 %d）：%zu 步，%zu 户，%.2f 亩，最大连片由 %.2f 亩到 %.2f 亩，%s",
                           (int)plan->grown_block, plan->n_steps, last ? last->total_households : 0,
                           last ? lc_mu_from_m2(last->total_m2) : 0.0, lc_mu_from_m2(plan->largest_m2), reached,
                           verdict ? verdict : "");
}

static void build_negotiate(builder *b)
{
    static const char *const headers[] = {
        "优先次序", "地块编码", "乡镇", "村", "组", "承包方", "状态", "面积(亩)",
        "最大连片增加(亩)", "流转后最大连片(亩)", "相连连片编号", "协商路线步骤",
    };
    const lc_analysis *a = b->a;
    const lc_plan *plan = a->plan;
    lc_list *t = table(b, LC_LIST_NEGOTIATE, headers, sizeof headers / sizeof headers[0]);
    size_t with_gain = 0;
    for (size_t k = 0; k < plan->n_bridges && b->rc == LC_OK; k++) {
        const lc_plan_bridge *br = &plan->bridges[k];
        const lc_parcel_state *st = &a->st.state[br->parcel];
        lc_cell *c = row(b, t, 0);
        if (!c) break;
        char group[3];
        group_of(br->key, group);
        lc_cell_number(&c[0], (double)(k + 1), LC_NUM_ID);
        text(b, &c[1], br->key);
        text(b, &c[2], unit_label(a, st->township));
        text(b, &c[3], unit_label(a, br->village));
        text(b, &c[4], group[0] ? group : NULL);
        text(b, &c[5], br->holder);
        text(b, &c[6], lc_parcel_status_zh(st->status));
        lc_cell_number(&c[7], lc_mu_from_m2(br->m2), LC_NUM_AREA);
        lc_cell_number(&c[8], lc_mu_from_m2(br->gain_m2), LC_NUM_AREA);
        lc_cell_number(&c[9], lc_mu_from_m2(br->largest_after_m2), LC_NUM_AREA);
        text(b, &c[10], a->plan_text.bridge_joins[k]);
        if (a->plan_text.bridge_step[k]) lc_cell_number(&c[11], a->plan_text.bridge_step[k], LC_NUM_ID);
        with_gain += br->gain_m2 > 0;
    }
    const char *route = t ? route_line(b, plan) : NULL;
    if (t)
        title(b, t, route ? lc_lists_printf(b->l, "优先协商：未流转地块 %zu 块，按单独流转后最大连片增加的面积排序，"
                                                  "其中 %zu 块可使最大连片（今 %.2f 亩）增加　状态截至 %s　%s",
                                            plan->n_bridges, with_gain, lc_mu_from_m2(plan->largest_m2),
                                            a->opts.as_of, route)
                          : NULL);
}

/* ---- the lists ---------------------------------------------------------------------- */

lc_status lc_lists_build(lc_ctx *ctx, const lc_analysis *a, unsigned which, lc_lists *out)
{
    memset(out, 0, sizeof *out);
    builder b = {ctx, a, out, 0, LC_OK};
    if (!lc_date_parse(a->opts.as_of, &b.as_of))
        return lc_error(ctx, LC_EINTERNAL, "as-of date %s unreadable", a->opts.as_of);
    out->subject = lc_lists_printf(out, "landcons %s：流转清单，状态截至 %s", lc_version(), a->opts.as_of);
    if (!out->subject) b.rc = lc_error(ctx, LC_ENOMEM, "out of memory");
    if (which & LC_LIST_SUMMARY) build_summary(&b);
    if (which & LC_LIST_BLOCKING) build_blocking(&b);
    if (which & LC_LIST_ENCLAVES) build_enclaves(&b);
    if (which & LC_LIST_QA) build_qa(&b);
    if ((which & LC_LIST_UNMATCHED) && a->reg) build_unmatched(&b);
    if ((which & LC_LIST_NEGOTIATE) && a->plan) build_negotiate(&b);
    if (b.rc != LC_OK) lc_lists_release(out);
    return b.rc;
}
