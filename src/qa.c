/* QA findings list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qa.h"

lc_status lc_qa_add(lc_ctx *ctx, lc_qa *qa, lc_severity sev, const char *kind, const char *key,
                    const char *source, int has_point, double x, double y, const char *fmt, ...)
{
    if (lc_grow(ctx, (void **)&qa->items, &qa->cap, qa->n + 1, sizeof *qa->items)) return LC_ENOMEM;
    char detail[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, lc_tr(fmt), ap);
    va_end(ap);
    lc_qa_item *it = &qa->items[qa->n];
    it->severity = sev;
    it->kind = kind;
    it->key = key ? lc_arena_strdup(&qa->arena, key) : NULL;
    it->source = lc_arena_strdup(&qa->arena, source ? source : "");
    it->detail = lc_arena_strdup(&qa->arena, detail);
    if ((key && !it->key) || !it->source || !it->detail)
        return lc_error(ctx, LC_ENOMEM, "out of memory recording a QA finding");
    it->has_point = has_point;
    it->x = x;
    it->y = y;
    qa->n++;
    return LC_OK;
}

void lc_qa_finding(const lc_qa_item *it, lc_finding *out)
{
    *out = (lc_finding){it->severity, it->kind, it->key, it->source, it->detail, it->has_point, it->x, it->y};
}

size_t lc_qa_count(const lc_qa *qa, lc_severity sev)
{
    size_t n = 0;
    for (size_t i = 0; i < qa->n; i++) n += qa->items[i].severity == sev;
    return n;
}

size_t lc_qa_count_kind(const lc_qa *qa, const char *kind)
{
    size_t n = 0;
    for (size_t i = 0; i < qa->n; i++) n += !strcmp(qa->items[i].kind, kind);
    return n;
}

lc_status lc_qa_take(lc_ctx *ctx, lc_qa *qa, lc_qa *from)
{
    lc_status rc = LC_OK;
    for (size_t i = 0; i < from->n && rc == LC_OK; i++) {
        const lc_qa_item *it = &from->items[i];
        rc = lc_qa_add(ctx, qa, it->severity, it->kind, it->key, it->source, it->has_point, it->x, it->y,
                       "%s", it->detail);
    }
    lc_qa_release(from);
    return rc;
}

void lc_qa_release(lc_qa *qa)
{
    if (!qa) return;
    free(qa->items);
    lc_arena_release(&qa->arena);
    memset(qa, 0, sizeof *qa);
}

/* The words the cadres' lists show; the stable identifiers stay beside them. */
const char *lc_severity_zh(lc_severity s)
{
    static const char *const words[] = {"错误", "警告", "提示"};
    return (unsigned)s < sizeof words / sizeof words[0] ? words[s] : "?";
}

const char *lc_qa_kind_zh(const char *kind)
{
    static const struct { const char *kind, *zh; } labels[] = {
        {"crs_zone_mismatch", "坐标系与坐标带号不符"},
        {"declared_area_mismatch", "台账面积与图斑面积不符"},
        {"deleted_record", "DBF 记录已标记删除"},
        {"duplicate_key", "地块编码重复"},
        {"empty_geometry", "空图形"},
        {"far_from_cluster", "远离其他地块"},
        {"huge_parcel", "地块面积过大"},
        {"invalid_geometry", "图形无效"},
        {"malformed_key", "地块编码格式不符"},
        {"measured_area_mismatch", "属性面积与图斑面积不符"},
        {"missing_key", "缺少地块编码"},
        {"multipart_parcel", "多部件地块"},
        {"non_areal_geometry", "非面状图形"},
        {"overlapping_parcels", "地块相互重叠"},
        {"parcel_without_register_row", "地块无台账记录"},
        {"register_ambiguous_column", "台账列名有歧义"},
        {"register_bad_area", "台账面积无法读取"},
        {"register_bad_date", "台账日期无法识别"},
        {"register_blank_rows", "台账中间有空行"},
        {"register_conflicting_rows", "台账记录相互矛盾"},
        {"register_duplicate_key", "台账地块编码重复"},
        {"register_duplicate_row", "台账重复行"},
        {"register_future_date", "签约日期晚于今天"},
        {"register_implausible_date", "签约日期不合理"},
        {"register_key_mangled", "地块编码被 Excel 舍入"},
        {"register_key_without_parcel", "台账编码无对应地块"},
        {"register_keys_unmatched", "台账编码与地块图对不上"},
        {"register_missing_key", "台账缺少地块编码"},
        {"register_missing_status", "台账缺少流转状态"},
        {"register_note_row", "台账表尾说明行"},
        {"register_signed_without_date", "已签约但无签约日期"},
        {"register_title_rows", "台账标题行"},
        {"register_total_row", "台账合计行"},
        {"register_unknown_status", "流转状态无法识别"},
        {"site_off_parcels", "项目用地未落在地块上"},
        {"tiny_parcel", "地块面积过小"},
        {"undecodable_text", "文字无法解码"},
        {"unknown_cpg", "编码声明无法识别"},
        {"unusable_geometry", "图形无法使用"},
        {"work_crs_distortion", "计算坐标系面积变形"},
        {"work_crs_replaced", "已改用其他计算坐标系"},
    };
    for (size_t i = 0; kind && i < sizeof labels / sizeof labels[0]; i++)
        if (!strcmp(labels[i].kind, kind)) return labels[i].zh;
    return NULL;
}
