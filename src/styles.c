/*
** QML styles for the output layers. The documents use the QGIS 3 QML
** elements every 3.x release reads (renderer-v2, symbol layers with
** <prop k v>, simple labeling, aliases), so the database opens styled in
** QGIS 3.22 (Debian 12) and later.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "styles.h"

static const lc_style styles[] = {
    {"parcels", "landcons parcels", "地块 — parcels coloured by transfer status"},
    {"blocks", "landcons blocks", "连片地块 — contiguous blocks labelled with their area in mu"},
    {"enclaves", "landcons enclaves", "插花地 — hold-out parcels and gaps inside blocks"},
    {"qa_issues", "landcons QA", "质检问题 — quality findings"},
    {"sites", "landcons sites", "项目用地 — project sites, green when ready to break ground"},
    {"site_overlaps", "landcons site overlaps", "用地压占地块 — parcels under each site, blocking ones in red"},
    {"constraint_overlaps", "landcons constraint overlaps", "压占限制区 — sites over constraint layers"},
    {"qa_overlaps", "landcons overlapping parcels", "重叠地块 — area counted twice"},
};

size_t lc_style_count(void) { return sizeof styles / sizeof styles[0]; }
const lc_style *lc_style_get(size_t i) { return &styles[i]; }

static const struct { const char *table, *field, *alias; } aliases[] = {
    {"parcels", "fid", "序号"},
    {"parcels", "key", "地块编码"},
    {"parcels", "township", "乡镇"},
    {"parcels", "village", "村"},
    {"parcels", "township_name", "乡镇名称"},
    {"parcels", "village_name", "村名称"},
    {"parcels", "holder", "承包方"},
    {"parcels", "status", "流转状态"},
    {"parcels", "signed_on", "签约日期"},
    {"parcels", "planar_m2", "平面面积(平方米)"},
    {"parcels", "planar_mu", "平面面积(亩)"},
    {"parcels", "ellipsoidal_m2", "椭球面积(平方米)"},
    {"parcels", "ellipsoidal_mu", "椭球面积(亩)"},
    {"parcels", "declared_mu", "合同面积(亩)"},
    {"parcels", "block_id", "连片编号"},
    {"parcels", "enclave_of", "所在连片(插花地)"},
    {"parcels", "source_fid", "原要素号"},
    {"blocks", "block_id", "连片编号"},
    {"blocks", "parcel_count", "地块数"},
    {"blocks", "parcel_m2", "地块面积(平方米)"},
    {"blocks", "parcel_mu", "地块面积(亩)"},
    {"blocks", "footprint_m2", "连片范围面积(平方米)"},
    {"blocks", "footprint_mu", "连片范围面积(亩)"},
    {"blocks", "footprint_ellipsoidal_mu", "连片范围椭球面积(亩)"},
    {"blocks", "gained_mu", "新增面积(亩)"},
    {"blocks", "enclave_count", "插花地数"},
    {"blocks", "enclave_mu", "插花地面积(亩)"},
    {"blocks", "villages", "涉及村"},
    {"blocks", "townships", "涉及乡镇"},
    {"enclaves", "block_id", "所在连片"},
    {"enclaves", "key", "地块编码"},
    {"enclaves", "kind", "类型"},
    {"enclaves", "status", "流转状态"},
    {"enclaves", "holder", "承包方"},
    {"enclaves", "area_m2", "面积(平方米)"},
    {"enclaves", "area_mu", "面积(亩)"},
    {"sites", "site_id", "用地编号"},
    {"sites", "name", "用地名称"},
    {"sites", "area_m2", "用地面积(平方米)"},
    {"sites", "area_mu", "用地面积(亩)"},
    {"sites", "transferred_mu", "已流转(亩)"},
    {"sites", "pending_mu", "未签约(亩)"},
    {"sites", "refused_mu", "拒签(亩)"},
    {"sites", "disputed_mu", "争议(亩)"},
    {"sites", "unregistered_mu", "未登记(亩)"},
    {"sites", "no_parcel_mu", "无地块(亩)"},
    {"sites", "ready", "可否开工"},
    {"sites", "blocking_count", "阻碍地块数"},
    {"sites", "layer", "图层"},
    {"site_overlaps", "site_id", "用地编号"},
    {"site_overlaps", "key", "地块编码"},
    {"site_overlaps", "status", "流转状态"},
    {"site_overlaps", "overlap_m2", "压占面积(平方米)"},
    {"site_overlaps", "overlap_mu", "压占面积(亩)"},
    {"site_overlaps", "share_of_parcel", "占地块比例"},
    {"site_overlaps", "share_of_site", "占用地比例"},
    {"site_overlaps", "blocking", "阻碍开工"},
    {"site_overlaps", "village", "村"},
    {"site_overlaps", "holder", "承包方"},
    {"constraint_overlaps", "site_id", "用地编号"},
    {"constraint_overlaps", "layer", "限制图层"},
    {"constraint_overlaps", "feature_id", "要素号"},
    {"constraint_overlaps", "name", "名称"},
    {"constraint_overlaps", "overlap_m2", "压占面积(平方米)"},
    {"constraint_overlaps", "overlap_mu", "压占面积(亩)"},
    {"qa_overlaps", "key_a", "地块编码A"},
    {"qa_overlaps", "key_b", "地块编码B"},
    {"qa_overlaps", "fid_a", "要素号A"},
    {"qa_overlaps", "fid_b", "要素号B"},
    {"qa_overlaps", "overlap_m2", "重叠面积(平方米)"},
    {"qa_overlaps", "overlap_mu", "重叠面积(亩)"},
    {"qa_issues", "severity", "严重程度"},
    {"qa_issues", "kind", "问题类型"},
    {"qa_issues", "key", "地块编码"},
    {"qa_issues", "source", "位置"},
    {"qa_issues", "detail", "说明"},
};

const char *lc_field_alias(const char *table, const char *field)
{
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (!strcmp(aliases[i].table, table) && !strcmp(aliases[i].field, field)) return aliases[i].alias;
    return NULL;
}

/* NY/T 2539 names of common DK attributes, for the input columns. */
static const struct { const char *field, *alias; } dk_aliases[] = {
    {"DKBM", "地块编码"}, {"DKMC", "地块名称"}, {"SYQXZ", "所有权性质"}, {"DKLB", "地块类别"},
    {"TDLYLX", "土地利用类型"}, {"DLDJ", "地力等级"}, {"TDYT", "土地用途"}, {"SFJBNT", "是否基本农田"},
    {"SCMJ", "实测面积(平方米)"}, {"SCMJM", "实测面积(亩)"}, {"DKDZ", "地块东至"}, {"DKXZ", "地块西至"},
    {"DKNZ", "地块南至"}, {"DKBZ", "地块北至"}, {"DKBZXX", "地块备注信息"}, {"ZJRXM", "指界人姓名"},
    {"CBFMC", "承包方名称"}, {"CBFBM", "承包方编码"}, {"HTMJ", "合同面积"},
};

typedef struct buf {
    char *s;
    size_t n, cap;
    int oom;
} buf;

static void put(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(buf *b, const char *fmt, ...)
{
    if (b->oom) return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(b->s ? b->s + b->n : NULL, b->s ? b->cap - b->n : 0, fmt, ap);
        va_end(ap);
        if (k < 0) {
            b->oom = 1;
            return;
        }
        if (b->s && b->n + (size_t)k < b->cap) {
            b->n += (size_t)k;
            return;
        }
        size_t cap = b->cap ? b->cap * 2 : 8192;
        while (cap < b->n + (size_t)k + 1) cap *= 2;
        char *s = realloc(b->s, cap);
        if (!s) {
            b->oom = 1;
            return;
        }
        b->s = s;
        b->cap = cap;
    }
}

/* XML-escaped copy of s into b */
static void put_escaped(buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': put(b, "&lt;"); break;
        case '>': put(b, "&gt;"); break;
        case '&': put(b, "&amp;"); break;
        case '"': put(b, "&quot;"); break;
        default: put(b, "%c", *s);
        }
    }
}

static void fill_symbol(buf *b, const char *name, const char *color, const char *outline,
                        const char *width, const char *style)
{
    put(b, "      <symbol name=\"%s\" type=\"fill\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n"
           "        <layer class=\"SimpleFill\" enabled=\"1\" locked=\"0\" pass=\"0\">\n"
           "          <prop k=\"color\" v=\"%s\"/>\n"
           "          <prop k=\"joinstyle\" v=\"bevel\"/>\n"
           "          <prop k=\"outline_color\" v=\"%s\"/>\n"
           "          <prop k=\"outline_style\" v=\"solid\"/>\n"
           "          <prop k=\"outline_width\" v=\"%s\"/>\n"
           "          <prop k=\"outline_width_unit\" v=\"MM\"/>\n"
           "          <prop k=\"style\" v=\"%s\"/>\n"
           "        </layer>\n"
           "      </symbol>\n", name, color, outline, width, style);
}

typedef struct category { const char *value, *label, *color, *outline, *width; } category;

/* Status colours: a sequential reading of how far each parcel is from
** being available to the project. */
static const category status_classes[] = {
    {"transferred", "已流转 transferred", "77,175,74,255", "90,90,90,255", "0.06"},
    {"pending", "未签约 pending", "255,217,47,255", "90,90,90,255", "0.06"},
    {"refused", "拒签 refused", "228,26,28,255", "90,90,90,255", "0.06"},
    {"disputed", "争议 disputed", "152,78,163,255", "90,90,90,255", "0.06"},
    {"unregistered", "未登记 unregistered", "189,189,189,255", "90,90,90,255", "0.06"},
};

void lc_style_status_class(int k, const char **label, double rgb[3])
{
    unsigned r = 0, g = 0, b = 0;
    sscanf(status_classes[k].color, "%u,%u,%u", &r, &g, &b);
    rgb[0] = r / 255.0;
    rgb[1] = g / 255.0;
    rgb[2] = b / 255.0;
    *label = status_classes[k].label;
}

/* Sites: ready to break ground or not */
static const category ready_classes[] = {
    {"1", "可以开工 ready", "77,175,74,70", "0,109,44,255", "0.8"},
    {"0", "不能开工 not ready", "228,26,28,70", "165,15,21,255", "0.8"},
};

/* Parcels under a site: the ones that block the sign-off stand out */
static const category blocking_classes[] = {
    {"1", "阻碍开工 blocking", "228,26,28,220", "103,0,13,255", "0.4"},
    {"0", "已流转 clear", "199,233,192,160", "116,196,118,255", "0.1"},
};

static void categorized_renderer(buf *b, const char *attr, const category *c, size_t n)
{
    put(b, "  <renderer-v2 type=\"categorizedSymbol\" attr=\"%s\" forceraster=\"0\" "
           "symbollevels=\"0\" enableorderby=\"0\">\n    <categories>\n", attr);
    for (size_t i = 0; i < n; i++)
        put(b, "      <category render=\"true\" symbol=\"%zu\" value=\"%s\" label=\"%s\"/>\n", i,
            c[i].value, c[i].label);
    put(b, "    </categories>\n    <symbols>\n");
    for (size_t i = 0; i < n; i++) {
        char name[8];
        snprintf(name, sizeof name, "%zu", i);
        fill_symbol(b, name, c[i].color, c[i].outline, c[i].width, "solid");
    }
    put(b, "    </symbols>\n  </renderer-v2>\n");
}

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static void single_fill_renderer(buf *b, const char *color, const char *outline, const char *width,
                                 const char *style)
{
    put(b, "  <renderer-v2 type=\"singleSymbol\" forceraster=\"0\" symbollevels=\"0\" "
           "enableorderby=\"0\">\n    <symbols>\n");
    fill_symbol(b, "0", color, outline, width, style);
    put(b, "    </symbols>\n  </renderer-v2>\n");
}

static void point_renderer(buf *b)
{
    put(b, "  <renderer-v2 type=\"singleSymbol\" forceraster=\"0\" symbollevels=\"0\" "
           "enableorderby=\"0\">\n    <symbols>\n"
           "      <symbol name=\"0\" type=\"marker\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n"
           "        <layer class=\"SimpleMarker\" enabled=\"1\" locked=\"0\" pass=\"0\">\n"
           "          <prop k=\"color\" v=\"255,0,255,255\"/>\n"
           "          <prop k=\"name\" v=\"triangle\"/>\n"
           "          <prop k=\"outline_color\" v=\"0,0,0,255\"/>\n"
           "          <prop k=\"outline_width\" v=\"0.2\"/>\n"
           "          <prop k=\"size\" v=\"3\"/>\n"
           "          <prop k=\"size_unit\" v=\"MM\"/>\n"
           "        </layer>\n      </symbol>\n    </symbols>\n  </renderer-v2>\n");
}

static void block_labels(buf *b)
{
    put(b, "  <labeling type=\"simple\">\n    <settings calloutType=\"simple\">\n"
           "      <text-style fieldName=\"concat('连片 ', &quot;block_id&quot;, ': ', "
           "format_number(&quot;parcel_mu&quot;, 2), ' 亩')\" isExpression=\"1\" fontSize=\"10\" "
           "fontSizeUnit=\"Point\" fontWeight=\"75\" textColor=\"8,48,107,255\" textOpacity=\"1\" "
           "fontFamily=\"Noto Sans CJK SC\" namedStyle=\"Bold\">\n"
           /* tried in order when the first family is not installed (QGIS
           ** 3.20+); Windows, macOS and other Linux CJK fonts */
           "        <families>\n"
           "          <family name=\"Source Han Sans SC\"/>\n"
           "          <family name=\"Noto Sans SC\"/>\n"
           "          <family name=\"Microsoft YaHei\"/>\n"
           "          <family name=\"PingFang SC\"/>\n"
           "          <family name=\"WenQuanYi Micro Hei\"/>\n"
           "          <family name=\"SimHei\"/>\n"
           "        </families>\n"
           "        <text-buffer bufferDraw=\"1\" bufferSize=\"1\" bufferSizeUnits=\"MM\" "
           "bufferColor=\"255,255,255,255\" bufferOpacity=\"0.8\"/>\n"
           "      </text-style>\n"
           "      <text-format wrapChar=\"\" multilineAlign=\"1\"/>\n"
           /* over the centroid, or a point on the surface when the (concave)
           ** block's centroid falls outside it */
           "      <placement placement=\"1\" centroidInside=\"1\" dist=\"0\" priority=\"9\" "
           "fitInPolygonOnly=\"0\"/>\n"
           "      <rendering obstacle=\"0\" scaleVisibility=\"0\" displayAll=\"0\" upsidedownLabels=\"0\"/>\n"
           "    </settings>\n  </labeling>\n");
}

static void alias_list(buf *b, const char *table, const lc_parcels *p)
{
    put(b, "  <aliases>\n");
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
        if (strcmp(aliases[i].table, table)) continue;
        put(b, "    <alias field=\"%s\" name=\"%s\"/>\n", aliases[i].field, aliases[i].alias);
    }
    if (!strcmp(table, "parcels") && p)
        for (size_t j = 0; j < p->n_fields; j++)
            for (size_t k = 0; k < sizeof dk_aliases / sizeof dk_aliases[0]; k++)
                if (!strcmp(p->fields[j].name, dk_aliases[k].field)) {
                    put(b, "    <alias field=\"");
                    put_escaped(b, p->fields[j].name);
                    put(b, "\" name=\"%s\"/>\n", dk_aliases[k].alias);
                }
    put(b, "  </aliases>\n");
}

char *lc_style_qml(const lc_style *s, const lc_parcels *p)
{
    buf b = {0};
    int labels = !strcmp(s->table, "blocks");
    put(&b, "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
            "<qgis version=\"3.22.16-Białowieża\" styleCategories=\"AllStyleCategories\" "
            "labelsEnabled=\"%d\" hasScaleBasedVisibilityFlag=\"0\">\n", labels);
    if (!strcmp(s->table, "parcels")) categorized_renderer(&b, "status", status_classes, N_OF(status_classes));
    else if (!strcmp(s->table, "sites")) categorized_renderer(&b, "ready", ready_classes, N_OF(ready_classes));
    else if (!strcmp(s->table, "site_overlaps"))
        categorized_renderer(&b, "blocking", blocking_classes, N_OF(blocking_classes));
    else if (!strcmp(s->table, "qa_overlaps"))
        single_fill_renderer(&b, "255,0,255,160", "120,0,120,255", "0.4", "solid");
    else if (!strcmp(s->table, "constraint_overlaps"))
        single_fill_renderer(&b, "152,78,163,110", "84,39,143,255", "0.5", "solid");
    else if (!strcmp(s->table, "blocks")) single_fill_renderer(&b, "0,0,0,0", "8,81,156,255", "0.7", "no");
    else if (!strcmp(s->table, "enclaves"))
        single_fill_renderer(&b, "255,127,0,180", "166,54,3,255", "0.4", "solid");
    else point_renderer(&b);
    if (labels) block_labels(&b);
    alias_list(&b, s->table, p);
    put(&b, "  <layerGeometryType>%d</layerGeometryType>\n</qgis>\n", strcmp(s->table, "qa_issues") ? 2 : 0);
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    return b.s;
}
