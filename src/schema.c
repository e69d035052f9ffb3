/*
** The output schema: one table per layer (see schema.h). Each value is a
** small function of the results; the writers bind what these give, in the
** order of the table, so no bind position is numbered by hand.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include "dates.h"
#include "qa.h"
#include "schema.h"

/* ---- cell helpers --------------------------------------------------------- */

static void cell_null(lc_cell_value *v) { v->kind = LC_VALUE_NULL; }
static void cell_int(lc_cell_value *v, int64_t i) { v->kind = LC_VALUE_INT; v->i = i; }
static void cell_real(lc_cell_value *v, double d)
{
    if (isfinite(d)) {
        v->kind = LC_VALUE_REAL;
        v->d = d;
    } else {
        v->kind = LC_VALUE_NULL;
    }
}
static void cell_text(lc_cell_value *v, const char *s)
{
    v->kind = s ? LC_VALUE_TEXT : LC_VALUE_NULL;
    v->s = s;
}
static void cell_date(lc_cell_value *v, int32_t day)
{
    if (day == LC_NO_DATE) {
        v->kind = LC_VALUE_NULL;
        return;
    }
    lc_date_format(day, v->buf);
    cell_text(v, v->buf);
}
static double mu(double m2) { return lc_mu_from_m2(m2); }

/* ---- parcels ---------------------------------------------------------------- */

#define PARCEL(i) (&a->parcels->items[i])
#define STATE(i) (&a->st.state[i])

static size_t parcel_rows(const lc_analysis *a) { return a->parcels->n; }
static const GEOSGeometry *parcel_geom(const lc_analysis *a, size_t i) { return PARCEL(i)->geom; }
static void p_fid(const lc_analysis *a, size_t i, lc_cell_value *v) { (void)a; cell_int(v, (int64_t)i + 1); }
static void p_key(const lc_analysis *a, size_t i, lc_cell_value *v) { cell_text(v, PARCEL(i)->key); }
static void p_township(const lc_analysis *a, size_t i, lc_cell_value *v) { cell_text(v, STATE(i)->township); }
static void p_village(const lc_analysis *a, size_t i, lc_cell_value *v) { cell_text(v, STATE(i)->village); }
static void p_township_name(const lc_analysis *a, size_t i, lc_cell_value *v)
{
    cell_text(v, lc_units_name(&a->units, STATE(i)->township));
}
static void p_village_name(const lc_analysis *a, size_t i, lc_cell_value *v)
{
    cell_text(v, lc_units_name(&a->units, STATE(i)->village));
}
static void p_holder(const lc_analysis *a, size_t i, lc_cell_value *v) { cell_text(v, lc_analysis_holder(a, i)); }
static void p_status(const lc_analysis *a, size_t i, lc_cell_value *v)
{
    cell_text(v, lc_parcel_status_name(STATE(i)->status));
}
static void p_signed_on(const lc_analysis *a, size_t i, lc_cell_value *v)
{
    const lc_reg_entry *e = STATE(i)->entry;
    cell_date(v, e ? e->signed_on : LC_NO_DATE);
}
static void p_planar_m2(const lc_analysis *a, size_t i, lc_cell_value *v) { cell_real(v, PARCEL(i)->planar_m2); }
static void p_planar_mu(const lc_analysis *a, size_t i, lc_cell_value *v) { cell_real(v, mu(PARCEL(i)->planar_m2)); }
static void p_ell_m2(const lc_analysis *a, size_t i, lc_cell_value *v) { cell_real(v, PARCEL(i)->ellipsoidal_m2); }
static void p_ell_mu(const lc_analysis *a, size_t i, lc_cell_value *v)
{
    cell_real(v, mu(PARCEL(i)->ellipsoidal_m2));
}
static void p_declared_mu(const lc_analysis *a, size_t i, lc_cell_value *v)
{
    const lc_reg_entry *e = STATE(i)->entry;
    if (e) cell_real(v, e->declared_mu);
    else cell_null(v);
}
static void p_block_id(const lc_analysis *a, size_t i, lc_cell_value *v)
{
    int32_t id = lc_analysis_block_of(a, i);
    if (id) cell_int(v, id);
    else cell_null(v);
}
static void p_enclave_of(const lc_analysis *a, size_t i, lc_cell_value *v)
{
    int32_t id = lc_analysis_enclave_of(a, i);
    if (id) cell_int(v, id);
    else cell_null(v);
}
static void p_source_fid(const lc_analysis *a, size_t i, lc_cell_value *v) { cell_int(v, PARCEL(i)->fid); }

static const lc_column parcel_cols[] = {
    {"fid", "INTEGER PRIMARY KEY", "序号", 0, LC_COLF_KEY, p_fid},
    {"key", "TEXT", "地块编码", 0, 0, p_key},
    {"township", "TEXT", "乡镇", 0, 0, p_township},
    {"village", "TEXT", "村", 0, 0, p_village},
    {"township_name", "TEXT", "乡镇名称", 0, 0, p_township_name},
    {"village_name", "TEXT", "村名称", 0, 0, p_village_name},
    {"holder", "TEXT", "承包方", 0, 0, p_holder},
    {"status", "TEXT NOT NULL", "流转状态", LC_WIDGET_STATUS, 0, p_status},
    {"signed_on", "TEXT", "签约日期", 0, 0, p_signed_on},
    {"planar_m2", "REAL", "平面面积(平方米)", 0, 0, p_planar_m2},
    {"planar_mu", "REAL", "平面面积(亩)", 0, 0, p_planar_mu},
    {"ellipsoidal_m2", "REAL", "椭球面积(平方米)", 0, 0, p_ell_m2},
    {"ellipsoidal_mu", "REAL", "椭球面积(亩)", 0, 0, p_ell_mu},
    {"declared_mu", "REAL", "合同面积(亩)", 0, 0, p_declared_mu},
    {"block_id", "INTEGER", "连片编号", 0, 0, p_block_id},
    {"enclave_of", "INTEGER", "所在连片(插花地)", 0, LC_COLF_LATER, p_enclave_of},
    {"source_fid", "INTEGER", "原要素号", 0, 0, p_source_fid},
};

/* ---- blocks ----------------------------------------------------------------- */

#define BLOCK(i) (&a->blocks.items[i])
#define FOOTPRINT(i) (&a->footprints.items[i])
static size_t block_rows(const lc_analysis *a) { return a->blocks.n; }
static const GEOSGeometry *block_geom(const lc_analysis *a, size_t i) { return FOOTPRINT(i)->geom; }
static void b_id(const lc_analysis *a, size_t i, lc_cell_value *v) { cell_int(v, BLOCK(i)->id); }
static void b_count(const lc_analysis *a, size_t i, lc_cell_value *v) { cell_int(v, (int64_t)BLOCK(i)->n_members); }
static void b_parcel_m2(const lc_analysis *a, size_t i, lc_cell_value *v) { cell_real(v, BLOCK(i)->parcel_m2); }
static void b_parcel_mu(const lc_analysis *a, size_t i, lc_cell_value *v) { cell_real(v, mu(BLOCK(i)->parcel_m2)); }
static void b_fp_m2(const lc_analysis *a, size_t i, lc_cell_value *v) { cell_real(v, FOOTPRINT(i)->m2); }
static void b_fp_mu(const lc_analysis *a, size_t i, lc_cell_value *v) { cell_real(v, mu(FOOTPRINT(i)->m2)); }
static void b_fp_ell_mu(const lc_analysis *a, size_t i, lc_cell_value *v)
{
    cell_real(v, mu(FOOTPRINT(i)->ellipsoidal_m2));
}
static void b_gained_mu(const lc_analysis *a, size_t i, lc_cell_value *v)
{
    cell_real(v, mu(FOOTPRINT(i)->m2 - BLOCK(i)->parcel_m2));
}
static void b_enc_count(const lc_analysis *a, size_t i, lc_cell_value *v)
{
    cell_int(v, (int64_t)a->enclaves.block_count[i]);
}
static void b_enc_mu(const lc_analysis *a, size_t i, lc_cell_value *v) { cell_real(v, mu(a->enclaves.block_m2[i])); }
static void b_villages(const lc_analysis *a, size_t i, lc_cell_value *v) { cell_text(v, BLOCK(i)->villages); }
static void b_townships(const lc_analysis *a, size_t i, lc_cell_value *v) { cell_text(v, BLOCK(i)->townships); }

static const lc_column block_cols[] = {
    {"block_id", "INTEGER PRIMARY KEY", "连片编号", 0, LC_COLF_KEY, b_id},
    {"parcel_count", "INTEGER", "地块数", 0, 0, b_count},
    {"parcel_m2", "REAL", "地块面积(平方米)", 0, 0, b_parcel_m2},
    {"parcel_mu", "REAL", "地块面积(亩)", 0, 0, b_parcel_mu},
    {"footprint_m2", "REAL", "连片范围面积(平方米)", 0, 0, b_fp_m2},
    {"footprint_mu", "REAL", "连片范围面积(亩)", 0, 0, b_fp_mu},
    {"footprint_ellipsoidal_mu", "REAL", "连片范围椭球面积(亩)", 0, 0, b_fp_ell_mu},
    {"gained_mu", "REAL", "新增面积(亩)", 0, 0, b_gained_mu},
    {"enclave_count", "INTEGER", "插花地数", 0, 0, b_enc_count},
    {"enclave_mu", "REAL", "插花地面积(亩)", 0, 0, b_enc_mu},
    {"villages", "TEXT", "涉及村", 0, 0, b_villages},
    {"townships", "TEXT", "涉及乡镇", 0, 0, b_townships},
};

/* ---- enclaves ----------------------------------------------------------------- */

#define ENCLAVE(k) (&a->enclaves.items[k])
#define IS_GAP(e) ((e)->parcel == SIZE_MAX)
static size_t enclave_rows(const lc_analysis *a) { return a->enclaves.n; }
static const GEOSGeometry *enclave_geom(const lc_analysis *a, size_t k)
{
    const lc_enclave *e = ENCLAVE(k);
    return IS_GAP(e) ? e->geom : PARCEL(e->parcel)->geom;
}
static void e_fid(const lc_analysis *a, size_t k, lc_cell_value *v) { (void)a; cell_int(v, (int64_t)k + 1); }
static void e_block(const lc_analysis *a, size_t k, lc_cell_value *v) { cell_int(v, ENCLAVE(k)->block_id); }
static void e_key(const lc_analysis *a, size_t k, lc_cell_value *v)
{
    const lc_enclave *e = ENCLAVE(k);
    cell_text(v, IS_GAP(e) ? NULL : PARCEL(e->parcel)->key);
}
static void e_kind(const lc_analysis *a, size_t k, lc_cell_value *v) { cell_text(v, IS_GAP(ENCLAVE(k)) ? "gap" : "parcel"); }
static void e_status(const lc_analysis *a, size_t k, lc_cell_value *v)
{
    const lc_enclave *e = ENCLAVE(k);
    cell_text(v, IS_GAP(e) ? NULL : lc_parcel_status_name(STATE(e->parcel)->status));
}
static void e_holder(const lc_analysis *a, size_t k, lc_cell_value *v)
{
    const lc_enclave *e = ENCLAVE(k);
    cell_text(v, IS_GAP(e) ? NULL : lc_analysis_holder(a, e->parcel));
}
static void e_m2(const lc_analysis *a, size_t k, lc_cell_value *v) { cell_real(v, ENCLAVE(k)->area_m2); }
static void e_mu(const lc_analysis *a, size_t k, lc_cell_value *v) { cell_real(v, mu(ENCLAVE(k)->area_m2)); }

static const lc_column enclave_cols[] = {
    {"fid", "INTEGER PRIMARY KEY", NULL, 0, LC_COLF_KEY, e_fid},
    {"block_id", "INTEGER", "所在连片", 0, 0, e_block},
    {"key", "TEXT", "地块编码", 0, 0, e_key},
    {"kind", "TEXT NOT NULL", "类型", LC_WIDGET_KIND, 0, e_kind},
    {"status", "TEXT", "流转状态", LC_WIDGET_STATUS, 0, e_status},
    {"holder", "TEXT", "承包方", 0, 0, e_holder},
    {"area_m2", "REAL", "面积(平方米)", 0, 0, e_m2},
    {"area_mu", "REAL", "面积(亩)", 0, 0, e_mu},
};

/* ---- qa_issues -------------------------------------------------------------------- */

static size_t qa_rows(const lc_analysis *a) { return lc_analysis_finding_count(a); }
/* Finding i of all QA lists, walking the lists (rows are visited in order,
** so the walk restarts only when a list ends). */
static const lc_qa_item *finding(const lc_analysis *a, size_t i)
{
    for (size_t k = 0; k < lc_analysis_qa_list_count(a); k++) {
        const lc_qa *q = lc_analysis_qa_list(a, k);
        if (i < q->n) return &q->items[i];
        i -= q->n;
    }
    return NULL;
}
static int qa_point(const lc_analysis *a, size_t i, double *x, double *y)
{
    const lc_qa_item *q = finding(a, i);
    *x = q->x;
    *y = q->y;
    return q->has_point;
}
static void q_fid(const lc_analysis *a, size_t i, lc_cell_value *v) { (void)a; cell_int(v, (int64_t)i + 1); }
static void q_severity(const lc_analysis *a, size_t i, lc_cell_value *v)
{
    cell_text(v, lc_severity_name(finding(a, i)->severity));
}
static void q_kind(const lc_analysis *a, size_t i, lc_cell_value *v) { cell_text(v, finding(a, i)->kind); }
static void q_key(const lc_analysis *a, size_t i, lc_cell_value *v) { cell_text(v, finding(a, i)->key); }
static void q_source(const lc_analysis *a, size_t i, lc_cell_value *v) { cell_text(v, finding(a, i)->source); }
static void q_detail(const lc_analysis *a, size_t i, lc_cell_value *v) { cell_text(v, finding(a, i)->detail); }

static const lc_column qa_cols[] = {
    {"fid", "INTEGER PRIMARY KEY", NULL, 0, LC_COLF_KEY, q_fid},
    {"severity", "TEXT NOT NULL", "严重程度", LC_WIDGET_SEVERITY, 0, q_severity},
    {"kind", "TEXT NOT NULL", "问题类型", 0, 0, q_kind},
    {"key", "TEXT", "地块编码", 0, 0, q_key},
    {"source", "TEXT", "位置", 0, 0, q_source},
    {"detail", "TEXT", "说明", 0, 0, q_detail},
};

/* ---- sites ----------------------------------------------------------------------- */

#define SITE(k) (&a->sites.items[k])
static size_t site_rows(const lc_analysis *a) { return a->sites.n; }
static const GEOSGeometry *site_geom(const lc_analysis *a, size_t k)
{
    return SITE(k)->set->items[SITE(k)->index].geom;
}
static void s_id(const lc_analysis *a, size_t k, lc_cell_value *v) { cell_int(v, SITE(k)->id); }
static void s_name(const lc_analysis *a, size_t k, lc_cell_value *v) { cell_text(v, SITE(k)->name); }
static void s_m2(const lc_analysis *a, size_t k, lc_cell_value *v) { cell_real(v, SITE(k)->area_m2); }
static void s_mu(const lc_analysis *a, size_t k, lc_cell_value *v) { cell_real(v, mu(SITE(k)->area_m2)); }
#define STATUS_MU(fn, st) \
    static void fn(const lc_analysis *a, size_t k, lc_cell_value *v) { cell_real(v, mu(SITE(k)->status_m2[st])); }
STATUS_MU(s_transferred, LC_ST_TRANSFERRED)
STATUS_MU(s_pending, LC_ST_PENDING)
STATUS_MU(s_refused, LC_ST_REFUSED)
STATUS_MU(s_disputed, LC_ST_DISPUTED)
STATUS_MU(s_unregistered, LC_ST_UNREGISTERED)
#undef STATUS_MU
static void s_no_parcel(const lc_analysis *a, size_t k, lc_cell_value *v) { cell_real(v, mu(SITE(k)->no_parcel_m2)); }
static void s_ready(const lc_analysis *a, size_t k, lc_cell_value *v) { cell_int(v, SITE(k)->ready); }
static void s_blocking(const lc_analysis *a, size_t k, lc_cell_value *v) { cell_int(v, (int64_t)SITE(k)->n_blocking); }
static void s_layer(const lc_analysis *a, size_t k, lc_cell_value *v) { cell_text(v, SITE(k)->set->path); }
static void s_source_fid(const lc_analysis *a, size_t k, lc_cell_value *v)
{
    cell_int(v, SITE(k)->set->items[SITE(k)->index].fid);
}
static void s_reason(const lc_analysis *a, size_t k, lc_cell_value *v) { cell_text(v, SITE(k)->reason); }

static const lc_column site_cols[] = {
    {"site_id", "INTEGER PRIMARY KEY", "用地编号", 0, LC_COLF_KEY, s_id},
    {"name", "TEXT", "用地名称", 0, 0, s_name},
    {"area_m2", "REAL", "用地面积(平方米)", 0, 0, s_m2},
    {"area_mu", "REAL", "用地面积(亩)", 0, 0, s_mu},
    {"transferred_mu", "REAL", "已流转(亩)", 0, 0, s_transferred},
    {"pending_mu", "REAL", "未签约(亩)", 0, 0, s_pending},
    {"refused_mu", "REAL", "拒签(亩)", 0, 0, s_refused},
    {"disputed_mu", "REAL", "争议(亩)", 0, 0, s_disputed},
    {"unregistered_mu", "REAL", "未登记(亩)", 0, 0, s_unregistered},
    {"no_parcel_mu", "REAL", "无地块(亩)", 0, 0, s_no_parcel},
    {"ready", "INTEGER", "可否开工", LC_WIDGET_READY, 0, s_ready},
    {"blocking_count", "INTEGER", "阻碍地块数", 0, 0, s_blocking},
    {"layer", "TEXT", "图层", 0, 0, s_layer},
    {"source_fid", "INTEGER", NULL, 0, 0, s_source_fid},
    {"not_ready_reason", "TEXT", NULL, 0, 0, s_reason},
};

/* ---- site_overlaps ------------------------------------------------------------ */

static size_t overlap_rows(const lc_analysis *a) { return a->sites.n_overlaps; }
static const GEOSGeometry *overlap_geom(const lc_analysis *a, size_t k) { return a->sites.overlaps[k].geom; }
/* The site of overlap k and its rank in it (overlaps are stored by site). */
static void site_parcel(const lc_analysis *a, size_t k, size_t *site, lc_site_parcel *sp)
{
    size_t s = 0;
    while (s + 1 < a->sites.n && a->sites.items[s + 1].first_overlap <= k) s++;
    *site = s;
    lc_analysis_site_parcel(a, s, k - a->sites.items[s].first_overlap, sp);
}
#define OVERLAP_FIELD(fn, expr)                                          \
    static void fn(const lc_analysis *a, size_t k, lc_cell_value *v)    \
    {                                                                    \
        size_t s;                                                        \
        lc_site_parcel sp;                                               \
        site_parcel(a, k, &s, &sp);                                      \
        expr;                                                            \
    }
static void o_fid(const lc_analysis *a, size_t k, lc_cell_value *v) { (void)a; cell_int(v, (int64_t)k + 1); }
OVERLAP_FIELD(o_site, cell_int(v, a->sites.items[s].id))
OVERLAP_FIELD(o_key, cell_text(v, sp.key))
OVERLAP_FIELD(o_status, cell_text(v, sp.status))
OVERLAP_FIELD(o_m2, cell_real(v, sp.overlap_m2))
OVERLAP_FIELD(o_mu, cell_real(v, mu(sp.overlap_m2)))
OVERLAP_FIELD(o_share_parcel, cell_real(v, sp.share_of_parcel))
OVERLAP_FIELD(o_share_site, cell_real(v, sp.share_of_site))
OVERLAP_FIELD(o_blocking, cell_int(v, sp.blocking))
OVERLAP_FIELD(o_village, cell_text(v, sp.village_name ? sp.village_name : sp.village))
OVERLAP_FIELD(o_holder, cell_text(v, sp.holder))
#undef OVERLAP_FIELD

static const lc_column overlap_cols[] = {
    {"fid", "INTEGER PRIMARY KEY", NULL, 0, LC_COLF_KEY, o_fid},
    {"site_id", "INTEGER", "用地编号", 0, 0, o_site},
    {"key", "TEXT", "地块编码", 0, 0, o_key},
    {"status", "TEXT", "流转状态", LC_WIDGET_STATUS, 0, o_status},
    {"overlap_m2", "REAL", "压占面积(平方米)", 0, 0, o_m2},
    {"overlap_mu", "REAL", "压占面积(亩)", 0, 0, o_mu},
    {"share_of_parcel", "REAL", "占地块比例", 0, 0, o_share_parcel},
    {"share_of_site", "REAL", "占用地比例", 0, 0, o_share_site},
    {"blocking", "INTEGER", "阻碍开工", LC_WIDGET_BLOCKING, 0, o_blocking},
    {"village", "TEXT", "村", 0, 0, o_village},
    {"holder", "TEXT", "承包方", 0, 0, o_holder},
};

/* ---- constraint_overlaps --------------------------------------------------------- */

static size_t constraint_rows(const lc_analysis *a) { return a->sites.n_hits; }
static const GEOSGeometry *constraint_geom(const lc_analysis *a, size_t k) { return a->sites.hits[k].geom; }
#define CONSTRAINT_FIELD(fn, expr)                                       \
    static void fn(const lc_analysis *a, size_t k, lc_cell_value *v)    \
    {                                                                    \
        lc_constraint_info ci;                                           \
        lc_analysis_constraint(a, k, &ci);                               \
        expr;                                                            \
    }
static void c_fid(const lc_analysis *a, size_t k, lc_cell_value *v) { (void)a; cell_int(v, (int64_t)k + 1); }
CONSTRAINT_FIELD(c_site, cell_int(v, ci.site_id))
CONSTRAINT_FIELD(c_layer, cell_text(v, ci.layer_path))
CONSTRAINT_FIELD(c_feature, cell_int(v, ci.fid))
CONSTRAINT_FIELD(c_name, cell_text(v, ci.name))
CONSTRAINT_FIELD(c_m2, cell_real(v, ci.overlap_m2))
CONSTRAINT_FIELD(c_mu, cell_real(v, mu(ci.overlap_m2)))
#undef CONSTRAINT_FIELD

static const lc_column constraint_cols[] = {
    {"fid", "INTEGER PRIMARY KEY", NULL, 0, LC_COLF_KEY, c_fid},
    {"site_id", "INTEGER", "用地编号", 0, 0, c_site},
    {"layer", "TEXT", "限制图层", 0, 0, c_layer},
    {"feature_id", "INTEGER", "要素号", 0, 0, c_feature},
    {"name", "TEXT", "名称", 0, 0, c_name},
    {"overlap_m2", "REAL", "压占面积(平方米)", 0, 0, c_m2},
    {"overlap_mu", "REAL", "压占面积(亩)", 0, 0, c_mu},
};

/* ---- progress (a table) -------------------------------------------------------- */

static size_t progress_rows(const lc_analysis *a) { return lc_analysis_progress_count(a); }
#define PROGRESS_FIELD(fn, expr)                                         \
    static void fn(const lc_analysis *a, size_t i, lc_cell_value *v)    \
    {                                                                    \
        lc_progress_row r;                                               \
        lc_analysis_progress(a, i, &r);                                  \
        expr;                                                            \
    }
static void g_id(const lc_analysis *a, size_t i, lc_cell_value *v) { (void)a; cell_int(v, (int64_t)i + 1); }
PROGRESS_FIELD(g_date, (memcpy(v->buf, r.date, sizeof r.date), cell_text(v, v->buf)))
PROGRESS_FIELD(g_kind, cell_text(v, r.unit_kind))
PROGRESS_FIELD(g_code, cell_text(v, r.unit_code))
PROGRESS_FIELD(g_name, cell_text(v, r.unit_name))
PROGRESS_FIELD(g_signed_m2, cell_real(v, r.signed_m2))
PROGRESS_FIELD(g_signed_mu, cell_real(v, mu(r.signed_m2)))
PROGRESS_FIELD(g_cum_m2, cell_real(v, r.cumulative_m2))
PROGRESS_FIELD(g_cum_mu, cell_real(v, mu(r.cumulative_m2)))
PROGRESS_FIELD(g_total_mu, cell_real(v, mu(r.unit_total_m2)))
PROGRESS_FIELD(g_share, cell_real(v, r.unit_total_m2 > 0 ? r.cumulative_m2 / r.unit_total_m2 : NAN))
PROGRESS_FIELD(g_largest_m2, cell_real(v, r.largest_block_m2))
PROGRESS_FIELD(g_largest_mu, cell_real(v, mu(r.largest_block_m2)))
#undef PROGRESS_FIELD

static const lc_column progress_cols[] = {
    {"id", "INTEGER PRIMARY KEY", NULL, 0, LC_COLF_KEY, g_id},
    {"date", "TEXT NOT NULL", "日期", 0, 0, g_date},
    {"unit_kind", "TEXT NOT NULL", "单位类型", 0, 0, g_kind},
    {"unit_code", "TEXT", "单位编码", 0, 0, g_code},
    {"unit_name", "TEXT", "单位名称", 0, 0, g_name},
    {"signed_m2", "REAL", "当日签约(平方米)", 0, 0, g_signed_m2},
    {"signed_mu", "REAL", "当日签约(亩)", 0, 0, g_signed_mu},
    {"cumulative_m2", "REAL", "累计(平方米)", 0, 0, g_cum_m2},
    {"cumulative_mu", "REAL", "累计(亩)", 0, 0, g_cum_mu},
    {"unit_total_mu", "REAL", "单位地块总面积(亩)", 0, 0, g_total_mu},
    {"share", "REAL", "累计比例", 0, 0, g_share},
    {"largest_block_m2", "REAL", "最大连片(平方米)", 0, 0, g_largest_m2},
    {"largest_block_mu", "REAL", "最大连片(亩)", 0, 0, g_largest_mu},
};

/* ---- qa_overlaps ------------------------------------------------------------------ */

#define PAIR(k) (&a->pairs.items[k])
static size_t pair_rows(const lc_analysis *a) { return a->pairs.n; }
static const GEOSGeometry *pair_geom(const lc_analysis *a, size_t k) { return PAIR(k)->geom; }
static void r_fid(const lc_analysis *a, size_t k, lc_cell_value *v) { (void)a; cell_int(v, (int64_t)k + 1); }
static void r_key_a(const lc_analysis *a, size_t k, lc_cell_value *v) { cell_text(v, PARCEL(PAIR(k)->a)->key); }
static void r_key_b(const lc_analysis *a, size_t k, lc_cell_value *v) { cell_text(v, PARCEL(PAIR(k)->b)->key); }
static void r_fid_a(const lc_analysis *a, size_t k, lc_cell_value *v) { cell_int(v, PARCEL(PAIR(k)->a)->fid); }
static void r_fid_b(const lc_analysis *a, size_t k, lc_cell_value *v) { cell_int(v, PARCEL(PAIR(k)->b)->fid); }
static void r_m2(const lc_analysis *a, size_t k, lc_cell_value *v) { cell_real(v, PAIR(k)->m2); }
static void r_mu(const lc_analysis *a, size_t k, lc_cell_value *v) { cell_real(v, mu(PAIR(k)->m2)); }

static const lc_column pair_cols[] = {
    {"fid", "INTEGER PRIMARY KEY", NULL, 0, LC_COLF_KEY, r_fid},
    {"key_a", "TEXT", "地块编码A", 0, 0, r_key_a},
    {"key_b", "TEXT", "地块编码B", 0, 0, r_key_b},
    {"fid_a", "INTEGER", "要素号A", 0, 0, r_fid_a},
    {"fid_b", "INTEGER", "要素号B", 0, 0, r_fid_b},
    {"overlap_m2", "REAL", "重叠面积(平方米)", 0, 0, r_m2},
    {"overlap_mu", "REAL", "重叠面积(亩)", 0, 0, r_mu},
};

/* ---- bridges: untransferred parcels by what transferring each alone gains ------- */

#define BRIDGE(k) (&a->plan->bridges[k])
static size_t bridge_rows(const lc_analysis *a) { return a->plan ? a->plan->n_bridges : 0; }
static const GEOSGeometry *bridge_geom(const lc_analysis *a, size_t k) { return PARCEL(BRIDGE(k)->parcel)->geom; }
static void br_rank(const lc_analysis *a, size_t k, lc_cell_value *v) { (void)a; cell_int(v, (int64_t)k + 1); }
static void br_key(const lc_analysis *a, size_t k, lc_cell_value *v) { cell_text(v, BRIDGE(k)->key); }
static void br_village(const lc_analysis *a, size_t k, lc_cell_value *v) { cell_text(v, BRIDGE(k)->village); }
static void br_village_name(const lc_analysis *a, size_t k, lc_cell_value *v)
{
    cell_text(v, BRIDGE(k)->village_name);
}
static void br_holder(const lc_analysis *a, size_t k, lc_cell_value *v) { cell_text(v, BRIDGE(k)->holder); }
static void br_status(const lc_analysis *a, size_t k, lc_cell_value *v) { cell_text(v, BRIDGE(k)->status); }
static void br_mu(const lc_analysis *a, size_t k, lc_cell_value *v) { cell_real(v, mu(BRIDGE(k)->m2)); }
static void br_gain_mu(const lc_analysis *a, size_t k, lc_cell_value *v) { cell_real(v, mu(BRIDGE(k)->gain_m2)); }
static void br_after_mu(const lc_analysis *a, size_t k, lc_cell_value *v)
{
    cell_real(v, mu(BRIDGE(k)->largest_after_m2));
}
static void br_join_count(const lc_analysis *a, size_t k, lc_cell_value *v)
{
    cell_int(v, (int64_t)BRIDGE(k)->n_joins);
}
static void br_joins(const lc_analysis *a, size_t k, lc_cell_value *v) { cell_text(v, a->plan_text.bridge_joins[k]); }
static void br_step(const lc_analysis *a, size_t k, lc_cell_value *v)
{
    int32_t s = a->plan_text.bridge_step[k];
    if (s) cell_int(v, s);
    else cell_null(v);
}
static void br_parcel_fid(const lc_analysis *a, size_t k, lc_cell_value *v)
{
    cell_int(v, (int64_t)BRIDGE(k)->parcel + 1);
}

static const lc_column bridge_cols[] = {
    {"rank", "INTEGER PRIMARY KEY", "优先次序", 0, LC_COLF_KEY, br_rank},
    {"key", "TEXT", "地块编码", 0, 0, br_key},
    {"village", "TEXT", "村", 0, 0, br_village},
    {"village_name", "TEXT", "村名称", 0, 0, br_village_name},
    {"holder", "TEXT", "承包方", 0, 0, br_holder},
    {"status", "TEXT NOT NULL", "流转状态", LC_WIDGET_STATUS, 0, br_status},
    {"mu", "REAL", "地块面积(亩)", 0, 0, br_mu},
    {"gain_mu", "REAL", "最大连片增加(亩)", 0, 0, br_gain_mu},
    {"largest_mu_after", "REAL", "流转后最大连片(亩)", 0, 0, br_after_mu},
    {"join_count", "INTEGER", "相连连片数", 0, 0, br_join_count},
    {"joins_blocks", "TEXT", "相连连片编号", 0, 0, br_joins},
    {"route_step", "INTEGER", "协商路线步骤", 0, 0, br_step},
    {"parcel_fid", "INTEGER", "地块序号", 0, 0, br_parcel_fid},
};

/* ---- route: the greedy route to the target, a step a row (a table) --------------- */

#define STEP(s) (&a->plan->steps[s])
static size_t route_rows(const lc_analysis *a) { return a->plan ? a->plan->n_steps : 0; }
static void rt_step(const lc_analysis *a, size_t s, lc_cell_value *v) { (void)a; cell_int(v, (int64_t)s + 1); }
static void rt_keys(const lc_analysis *a, size_t s, lc_cell_value *v) { cell_text(v, a->plan_text.step_keys[s]); }
static void rt_holders(const lc_analysis *a, size_t s, lc_cell_value *v)
{
    cell_text(v, a->plan_text.step_holders[s]);
}
static void rt_count(const lc_analysis *a, size_t s, lc_cell_value *v) { cell_int(v, (int64_t)STEP(s)->n_parcels); }
static void rt_households(const lc_analysis *a, size_t s, lc_cell_value *v)
{
    cell_int(v, (int64_t)STEP(s)->households);
}
static void rt_cum_households(const lc_analysis *a, size_t s, lc_cell_value *v)
{
    cell_int(v, (int64_t)STEP(s)->total_households);
}
static void rt_mu(const lc_analysis *a, size_t s, lc_cell_value *v) { cell_real(v, mu(STEP(s)->m2)); }
static void rt_cum_mu(const lc_analysis *a, size_t s, lc_cell_value *v) { cell_real(v, mu(STEP(s)->total_m2)); }
static void rt_grown_mu(const lc_analysis *a, size_t s, lc_cell_value *v) { cell_real(v, mu(STEP(s)->grown_m2)); }
static void rt_after_mu(const lc_analysis *a, size_t s, lc_cell_value *v)
{
    cell_real(v, mu(STEP(s)->largest_after_m2));
}
static void rt_joins(const lc_analysis *a, size_t s, lc_cell_value *v) { cell_text(v, a->plan_text.step_joins[s]); }
static void rt_last_resort(const lc_analysis *a, size_t s, lc_cell_value *v) { cell_int(v, STEP(s)->last_resort); }
/* as the route decides it: the largest block's mu at or above the target */
static int reached(const lc_analysis *a, size_t s) { return mu(STEP(s)->largest_after_m2) >= a->plan->target_mu; }
static void rt_reached(const lc_analysis *a, size_t s, lc_cell_value *v) { cell_int(v, reached(a, s)); }
static void rt_missing(const lc_analysis *a, size_t s, lc_cell_value *v)
{
    cell_real(v, reached(a, s) ? 0 : a->plan->target_mu - mu(STEP(s)->largest_after_m2));
}

static const lc_column route_cols[] = {
    {"step", "INTEGER PRIMARY KEY", "步骤", 0, LC_COLF_KEY, rt_step},
    {"keys", "TEXT", "地块编码", 0, 0, rt_keys},
    {"holders", "TEXT", "承包方", 0, 0, rt_holders},
    {"parcel_count", "INTEGER", "地块数", 0, 0, rt_count},
    {"households", "INTEGER", "户数", 0, 0, rt_households},
    {"cumulative_households", "INTEGER", "累计户数", 0, 0, rt_cum_households},
    {"mu", "REAL", "地块面积(亩)", 0, 0, rt_mu},
    {"cumulative_mu", "REAL", "累计面积(亩)", 0, 0, rt_cum_mu},
    {"grown_mu", "REAL", "所扩连片(亩)", 0, 0, rt_grown_mu},
    {"largest_mu_after", "REAL", "此步后最大连片(亩)", 0, 0, rt_after_mu},
    {"joins_blocks", "TEXT", "相连连片编号", 0, 0, rt_joins},
    {"last_resort", "INTEGER", "含拒签或争议地块", 0, 0, rt_last_resort},
    {"target_reached", "INTEGER", "达到目标", 0, 0, rt_reached},
    {"missing_mu", "REAL", "距目标(亩)", 0, 0, rt_missing},
};

/* ---- the layers ------------------------------------------------------------------- */

#define COLS(c) c, sizeof c / sizeof c[0]
static const lc_layer layers[] = {
    {"parcels", LC_GEOM_MULTIPOLYGON, COLS(parcel_cols), 1, 1, parcel_rows, parcel_geom, NULL},
    {"blocks", LC_GEOM_MULTIPOLYGON, COLS(block_cols), 0, 0, block_rows, block_geom, NULL},
    {"enclaves", LC_GEOM_MULTIPOLYGON, COLS(enclave_cols), 0, 0, enclave_rows, enclave_geom, NULL},
    {"qa_issues", LC_GEOM_POINT, COLS(qa_cols), 0, 1, qa_rows, NULL, qa_point},
    {"sites", LC_GEOM_MULTIPOLYGON, COLS(site_cols), 0, 0, site_rows, site_geom, NULL, 0, 0, 1},
    {"site_overlaps", LC_GEOM_MULTIPOLYGON, COLS(overlap_cols), 0, 0, overlap_rows, overlap_geom, NULL, 0, 0, 1},
    {"constraint_overlaps", LC_GEOM_MULTIPOLYGON, COLS(constraint_cols), 0, 0, constraint_rows,
     constraint_geom, NULL, 0, 0, 1},
    {"progress", LC_GEOM_NONE, COLS(progress_cols), 0, 0, progress_rows, NULL, NULL, 0, 1},
    {"qa_overlaps", LC_GEOM_MULTIPOLYGON, COLS(pair_cols), 0, 1, pair_rows, pair_geom, NULL},
    {"bridges", LC_GEOM_MULTIPOLYGON, COLS(bridge_cols), 0, 0, bridge_rows, bridge_geom, NULL, LC_HAVE_PLAN, 1},
    {"route", LC_GEOM_NONE, COLS(route_cols), 0, 0, route_rows, NULL, NULL, LC_HAVE_PLAN, 1},
};
#undef COLS

size_t lc_schema_layer_count(void) { return sizeof layers / sizeof layers[0]; }
const lc_layer *lc_schema_layer(size_t i) { return i < lc_schema_layer_count() ? &layers[i] : NULL; }

const lc_layer *lc_schema_layer_named(const char *name)
{
    for (size_t i = 0; i < lc_schema_layer_count(); i++)
        if (!strcmp(layers[i].name, name)) return &layers[i];
    return NULL;
}

int lc_schema_layer_present(const lc_layer *l, const lc_analysis *a)
{
    return (l->in_check || !(a->opts.job == LC_JOB_CHECK)) && (a->have & l->needs) == l->needs;
}

const char *lc_schema_alias(const char *table, const char *column)
{
    const lc_layer *l = lc_schema_layer_named(table);
    for (size_t c = 0; l && c < l->n_cols; c++)
        if (!strcmp(l->cols[c].name, column)) return l->cols[c].alias;
    return NULL;
}

/* ---- input attribute names --------------------------------------------------------- */

static int reserved(const char *name)
{
    static const char *const sqlite_own[] = {"rowid", "oid", "_rowid_", "geom"};
    for (size_t c = 0; c < sizeof parcel_cols / sizeof parcel_cols[0]; c++)
        if (!strcasecmp(name, parcel_cols[c].name)) return 1;
    for (size_t i = 0; i < sizeof sqlite_own / sizeof sqlite_own[0]; i++)
        if (!strcasecmp(name, sqlite_own[i])) return 1;
    return 0;
}

lc_status lc_schema_input_names(lc_ctx *ctx, const lc_parcels *p, char ***out)
{
    char **names = lc_calloc(ctx, p->n_fields ? p->n_fields : 1, sizeof *names);
    *out = names;
    if (!names) return LC_ENOMEM;
    for (size_t j = 0; j < p->n_fields; j++) {
        const char *base = p->fields[j].name;
        char *name = sqlite3_mprintf("%s", base);
        /* case-insensitive, as SQLite compares column names */
        for (int attempt = 0; name; attempt++) {
            int clash = reserved(name);
            for (size_t k = 0; k < j && !clash; k++) clash = !strcasecmp(name, names[k]);
            if (!clash) break;
            sqlite3_free(name);
            name = attempt == 0 ? sqlite3_mprintf("in_%s", base) : sqlite3_mprintf("in%d_%s", attempt, base);
        }
        if (!name) return lc_error(ctx, LC_ENOMEM, "out of memory");
        names[j] = name;
    }
    return LC_OK;
}

void lc_schema_input_names_free(char **names, size_t n)
{
    for (size_t j = 0; names && j < n; j++) sqlite3_free(names[j]);
    free(names);
}

/* ---- the summary table ------------------------------------------------------------ */

typedef struct summary { lc_ctx *ctx; lc_summary_row *rows; size_t n, cap; lc_status rc; } summary;

static void row(summary *s, const char *name, const char *fmt, ...)
{
    if (s->rc != LC_OK) return;
    va_list ap;
    va_start(ap, fmt);
    char *v = sqlite3_vmprintf(fmt, ap);   /* SQLite's printf: the text of every writer */
    va_end(ap);
    if (!v || lc_grow(s->ctx, (void **)&s->rows, &s->cap, s->n + 1, sizeof *s->rows)) {
        sqlite3_free(v);
        s->rc = lc_error(s->ctx, LC_ENOMEM, "out of memory");
        return;
    }
    s->rows[s->n++] = (lc_summary_row){name, v};
}

/* long: one line per summary row, in the order of the table */
lc_status lc_schema_summary(lc_ctx *ctx, const lc_analysis *a, int srid, lc_summary_row **rows, size_t *n)
{
    const lc_parcels *p = a->parcels;
    lc_analysis_summary s;
    lc_analysis_summarize(a, &s);
    summary t = {ctx, NULL, 0, 0, LC_OK};
    /* names of the per-status rows live as long as the program */
    static const char *const status_rows[LC_ST_N][3] = {
        {"transferred_count", "transferred_m2", "transferred_mu"},
        {"pending_count", "pending_m2", "pending_mu"},
        {"refused_count", "refused_m2", "refused_mu"},
        {"disputed_count", "disputed_m2", "disputed_mu"},
        {"unregistered_count", "unregistered_m2", "unregistered_mu"},
    };
    row(&t, "landcons_version", "%s", lc_version());
    row(&t, "parcels_path", "%s", p->path);
    row(&t, "parcels_layer", "%s", p->layer);
    row(&t, "parcels_driver", "%s", p->driver);
    row(&t, "parcels_encoding", "%s (%s)", p->encoding.name, p->encoding.source);
    if (a->reg) {
        row(&t, "register_path", "%s", a->reg->path);
        row(&t, "register_encoding", "%s (%s)", a->reg->encoding.name, a->reg->encoding.source);
        row(&t, "register_sheet", "%s", a->reg->sheet);
        row(&t, "register_header_row", "%lld", (long long)a->reg->header_line);
        row(&t, "register_rows", "%lld", (long long)a->reg->n_rows);
        row(&t, "register_keys", "%lld", (long long)a->reg->n_entries);
        row(&t, "register_keys_without_parcel", "%lld", (long long)a->st.n_orphan_entries);
        row(&t, "parcels_without_register_row", "%lld", (long long)a->st.n_unregistered);
        row(&t, "register_key_match_share", "%.17g", a->key_match.register_share);
    }
    row(&t, "unit_names", "%s", a->units.n ? a->units.sources : "none: codes shown");
    row(&t, "source_crs", "%s %s", p->crs.source_desc.id, p->crs.source_desc.name);
    row(&t, "source_crs_origin", "%s", lc_crs_origin_name(p->crs.source_origin));
    row(&t, "crs_inferred", "%d", p->crs.source_origin == LC_CRS_INFERRED_GK ||
                                      p->crs.source_origin == LC_CRS_INFERRED_GEOGRAPHIC);
    row(&t, "work_crs", "%s %s", p->crs.work_desc.id, p->crs.work_desc.name);
    row(&t, "work_crs_origin", "%s", lc_work_origin_name(p->crs.work_origin));
    row(&t, "work_crs_replaced", "%d", p->crs.work_origin == LC_WORK_REPLACED);
    row(&t, "work_crs_distortion", "%.17g", p->crs.work_distortion);
    row(&t, "work_area_scale_min", "%.17g", p->crs.work_scale_min);
    row(&t, "work_area_scale_max", "%.17g", p->crs.work_scale_max);
    if (!isnan(p->crs.source_distortion)) row(&t, "source_crs_distortion", "%.17g", p->crs.source_distortion);
    row(&t, "work_srid", "%d", srid);
    row(&t, "ellipsoidal_method", "%s", p->ellipsoidal_method == LC_ELLIPSOIDAL_TDT ? "tdt" : "geodesic");
    row(&t, "as_of", "%s", s.as_of);
    row(&t, "gap_m", "%.17g", s.gap_m);
    if (a->opts.target_set) row(&t, "target_mu", "%.17g", s.target_mu);  /* none unless asked for */
    row(&t, "area_tolerance", "%.17g", a->opts.area_tolerance);
    row(&t, "parcel_count", "%lld", (long long)s.parcels);
    row(&t, "total_m2", "%.17g", s.total_m2);
    row(&t, "total_mu", "%.17g", lc_mu_from_m2(s.total_m2));
    for (int k = 0; k < LC_ST_N; k++) {
        row(&t, status_rows[k][0], "%lld", (long long)s.status_count[k]);
        row(&t, status_rows[k][1], "%.17g", s.status_m2[k]);
        row(&t, status_rows[k][2], "%.17g", lc_mu_from_m2(s.status_m2[k]));
    }
    row(&t, "block_count", "%lld", (long long)s.blocks);
    row(&t, "largest_block_parcel_count", "%lld", (long long)s.largest_block_parcels);
    row(&t, "largest_block_parcel_mu", "%.17g", lc_mu_from_m2(s.largest_block_parcel_m2));
    row(&t, "largest_block_footprint_mu", "%.17g", lc_mu_from_m2(s.largest_block_footprint_m2));
    row(&t, "enclave_count", "%lld", (long long)s.enclaves);
    row(&t, "enclave_mu", "%.17g", lc_mu_from_m2(s.enclave_m2));
    if (a->opts.target_set) {
        row(&t, "target_met", "%d", s.target_met);
        row(&t, "target_reached_on", "%s", s.target_reached_on);
    }
    row(&t, "site_count", "%lld", (long long)s.sites);
    row(&t, "sites_ready", "%lld", (long long)s.sites_ready);
    row(&t, "min_overlap_m2", "%.17g", a->opts.min_overlap_m2);
    row(&t, "overlap_pairs", "%lld", (long long)s.overlap_pairs);
    row(&t, "double_counted_m2", "%.17g", s.double_counted_m2);
    row(&t, "qa_errors", "%lld", (long long)s.qa_errors);
    row(&t, "qa_warnings", "%lld", (long long)s.qa_warnings);
    if (t.rc != LC_OK) {
        lc_schema_summary_free(t.rows, t.n);
        t.rows = NULL;
        t.n = 0;
    }
    *rows = t.rows;
    *n = t.n;
    return t.rc;
}

void lc_schema_summary_free(lc_summary_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) sqlite3_free(rows[i].value);
    free(rows);
}
