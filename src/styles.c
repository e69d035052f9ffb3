/*
** QML styles for the output layers. The documents use the QGIS 3 QML
** elements every 3.x release reads (renderer-v2, symbol layers with
** <prop k v>, simple and rule-based labeling, value maps, aliases), so the
** database opens styled in QGIS 3.22 (Debian 12) and later. The QGIS
** project (qgis_project.c) carries the same documents.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "landcons.h"
#include "schema.h"
#include "status_table.h"
#include "styles.h"
#include "textbuf.h"

static const lc_style styles[] = {
    {"parcels", "landcons parcels", "地块 — parcels coloured by transfer status"},
    {"blocks", "landcons blocks", "连片地块 — contiguous blocks labelled with their area in mu"},
    {"enclaves", "landcons enclaves", "插花地 — hold-out parcels and gaps inside blocks"},
    {"qa_issues", "landcons QA", "质检问题 — quality findings"},
    {"sites", "landcons sites", "项目用地 — project sites, green when ready to break ground"},
    {"site_overlaps", "landcons site overlaps", "用地压占地块 — parcels under each site, blocking ones in red"},
    {"constraint_overlaps", "landcons constraint overlaps", "压占限制区 — sites over constraint layers"},
    {"qa_overlaps", "landcons overlapping parcels", "重叠地块 — area counted twice"},
    /* last: the rows of the older layers keep their place in layer_styles */
    {"bridges", "landcons bridges", "优先协商 — untransferred parcels by the contiguous mu each would add"},
};

size_t lc_style_count(void) { return sizeof styles / sizeof styles[0]; }
const lc_style *lc_style_get(size_t i) { return &styles[i]; }

/* NY/T 2539 names of common DK attributes, for the input columns. */
static const struct { const char *field, *alias; } dk_aliases[] = {
    {"DKBM", "地块编码"}, {"DKMC", "地块名称"}, {"SYQXZ", "所有权性质"}, {"DKLB", "地块类别"},
    {"TDLYLX", "土地利用类型"}, {"DLDJ", "地力等级"}, {"TDYT", "土地用途"}, {"SFJBNT", "是否基本农田"},
    {"SCMJ", "实测面积(平方米)"}, {"SCMJM", "实测面积(亩)"}, {"DKDZ", "地块东至"}, {"DKXZ", "地块西至"},
    {"DKNZ", "地块南至"}, {"DKBZ", "地块北至"}, {"DKBZXX", "地块备注信息"}, {"ZJRXM", "指界人姓名"},
    {"CBFMC", "承包方名称"}, {"CBFBM", "承包方编码"}, {"HTMJ", "合同面积"},
};

/* ---- the status vocabulary of the styles ---------------------------------- */

/* The parcel statuses come from the one status table (status_table.c): the
** legend says both words; the value map on `status` shows the Chinese one
** in forms, tables and labels. */
const char *lc_style_status_word(size_t k) { return k < LC_STATUS_COUNT ? lc_parcel_status_zh((lc_parcel_status)k) : ""; }

/* ---- scales ------------------------------------------------------------------
** Label thresholds are scale denominators: a label shows at that scale and
** closer (zoomed in), never farther out. "Block labels above 1:50,000" is
** read as a cartographer reads it: at scales larger than 1:50,000, so at
** 1:80,000 only the largest block is labelled (its label shows at every
** scale) and the 170 other labels no longer pile up. */
#define BLOCK_LABEL_SCALE 50000    /* the other blocks' "连片 n: x 亩" */
#define BLOCKER_LABEL_SCALE 20000  /* holder and status of a blocking parcel */
#define HOLDER_LABEL_SCALE 5000    /* the holder of every parcel */
#define BRIDGE_LABEL_SCALE 10000   /* holder and gain of a bridge, the step of a route parcel */

/* Chinese fonts tried in order when the first family is not installed
** (QGIS 3.20+): Windows, macOS and other Linux CJK fonts. */
#define LABEL_FONT "Noto Sans CJK SC"
static const char *const fallback_fonts[] = {"Source Han Sans SC", "Noto Sans SC", "Microsoft YaHei",
                                             "PingFang SC", "WenQuanYi Micro Hei", "SimHei"};

typedef lc_textbuf buf;
#define put lc_textbuf_printf
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- symbols ------------------------------------------------------------- */

/* How a polygon looks: an optional fill, an optional hatch, and the
** outline. A hatch keeps what lies beneath readable,
** which a translucent fill does not: red over yellow reads as orange. */
typedef struct look {
    const char *fill;          /* NULL: no fill */
    const char *outline;
    const char *width;         /* outline width, mm */
    const char *outline_style; /* "solid", "dash" */
    const char *hatch;         /* hatch line colour, NULL: none */
    const char *hatch_width;   /* mm */
    const char *hatch_step;    /* distance between hatch lines, mm */
    int hatch_kind;            /* HATCH_* */
} look;

enum { HATCH_45 = 0, HATCH_CROSS, HATCH_0, HATCH_135 };

static void simple_fill(buf *b, const char *fill, const look *l)
{
    put(b, "        <layer class=\"SimpleFill\" enabled=\"1\" locked=\"0\" pass=\"0\">\n"
           "          <prop k=\"color\" v=\"%s\"/>\n"
           "          <prop k=\"joinstyle\" v=\"bevel\"/>\n"
           "          <prop k=\"outline_color\" v=\"%s\"/>\n"
           "          <prop k=\"outline_style\" v=\"%s\"/>\n"
           "          <prop k=\"outline_width\" v=\"%s\"/>\n"
           "          <prop k=\"outline_width_unit\" v=\"MM\"/>\n"
           "          <prop k=\"style\" v=\"%s\"/>\n"
           "        </layer>\n",
        fill ? fill : "0,0,0,0", l->outline, l->outline_style ? l->outline_style : "solid", l->width,
        fill ? "solid" : "no");
}

static void hatch(buf *b, const char *symbol, int index, int angle, const look *l)
{
    put(b, "        <layer class=\"LinePatternFill\" enabled=\"1\" locked=\"0\" pass=\"0\">\n"
           "          <prop k=\"angle\" v=\"%d\"/>\n"
           "          <prop k=\"color\" v=\"%s\"/>\n"
           "          <prop k=\"distance\" v=\"%s\"/>\n"
           "          <prop k=\"distance_unit\" v=\"MM\"/>\n"
           "          <prop k=\"line_width\" v=\"%s\"/>\n"
           "          <prop k=\"line_width_unit\" v=\"MM\"/>\n"
           "          <prop k=\"offset\" v=\"0\"/>\n"
           "          <prop k=\"offset_unit\" v=\"MM\"/>\n"
           "          <symbol name=\"@%s@%d\" type=\"line\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n"
           "            <layer class=\"SimpleLine\" enabled=\"1\" locked=\"0\" pass=\"0\">\n"
           "              <prop k=\"capstyle\" v=\"flat\"/>\n"
           "              <prop k=\"joinstyle\" v=\"bevel\"/>\n"
           "              <prop k=\"line_color\" v=\"%s\"/>\n"
           "              <prop k=\"line_style\" v=\"solid\"/>\n"
           "              <prop k=\"line_width\" v=\"%s\"/>\n"
           "              <prop k=\"line_width_unit\" v=\"MM\"/>\n"
           "            </layer>\n"
           "          </symbol>\n"
           "        </layer>\n",
        angle, l->hatch, l->hatch_step, l->hatch_width, symbol, index, l->hatch, l->hatch_width);
}

/* A fill symbol: the fill and outline in one layer; with a hatch, the
** hatch first and the outline drawn over it. */
static void fill_symbol(buf *b, const char *name, const look *l)
{
    put(b, "      <symbol name=\"%s\" type=\"fill\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n", name);
    if (!l->hatch) {
        simple_fill(b, l->fill, l);
    } else {
        int k = 0;
        if (l->fill) {
            look fill_only = *l;
            fill_only.outline_style = "no";
            simple_fill(b, l->fill, &fill_only);
            k++;
        }
        if (l->hatch_kind == HATCH_0) hatch(b, name, k++, 0, l);
        if (l->hatch_kind == HATCH_45 || l->hatch_kind == HATCH_CROSS) hatch(b, name, k++, 45, l);
        if (l->hatch_kind == HATCH_CROSS || l->hatch_kind == HATCH_135) hatch(b, name, k++, 135, l);
        simple_fill(b, NULL, l);
    }
    put(b, "      </symbol>\n");
}

typedef struct category {
    const char *value, *label;
    look look;
} category;

static void categorized_renderer(buf *b, const char *attr, const category *c, size_t n)
{
    put(b, "  <renderer-v2 type=\"categorizedSymbol\" attr=\"%s\" forceraster=\"0\" "
           "symbollevels=\"0\" enableorderby=\"0\">\n    <categories>\n", attr);
    for (size_t i = 0; i < n; i++)
        put(b, "      <category render=\"true\" symbol=\"%zu\" value=\"%s\" label=\"%s\"/>\n", i,
            c[i].value, c[i].label);
    put(b, "    </categories>\n    <symbols>\n");
    for (size_t i = 0; i < n; i++) {
        char name[24];
        snprintf(name, sizeof name, "%zu", i);
        fill_symbol(b, name, &c[i].look);
    }
    put(b, "    </symbols>\n  </renderer-v2>\n");
}

/* Rules of a rule-based renderer: each an expression, a legend label and a look. */
typedef struct rule {
    const char *filter, *label;
    look look;
} rule;

static void rule_renderer(buf *b, const char *table, const rule *r, size_t n)
{
    put(b, "  <renderer-v2 type=\"RuleRenderer\" forceraster=\"0\" symbollevels=\"0\" "
           "enableorderby=\"0\">\n    <rules key=\"{landcons-%s-rules}\">\n", table);
    for (size_t i = 0; i < n; i++) {
        put(b, "      <rule key=\"{landcons-%s-rule-%zu}\" symbol=\"%zu\" filter=\"", table, i, i);
        lc_textbuf_xml(b, r[i].filter);
        put(b, "\" label=\"%s\"/>\n", r[i].label);
    }
    put(b, "    </rules>\n    <symbols>\n");
    for (size_t i = 0; i < n; i++) {
        char name[24];
        snprintf(name, sizeof name, "%zu", i);
        fill_symbol(b, name, &r[i].look);
    }
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

/* ---- the looks of the layers -------------------------------------------- */

#define PARCEL_OUTLINE "90,90,90,255"

/* Sites are drawn over the parcels: an outline and a light hatch in the
** verdict's colour, so the status colours beneath stay readable. */
static const category ready_classes[] = {
    {"1", "可以开工 ready", {NULL, "0,109,44,255", "0.8", "solid", "0,109,44,150", "0.25", "3", 0}},
    {"0", "不能开工 not ready", {NULL, "165,15,21,255", "0.8", "solid", "165,15,21,140", "0.25", "3", 0}},
};

/* Parcels under a site: a blocking one is cross-hatched in red over its
** status colour (pending yellow, refused red, ... still show through);
** the others only outlined. */
static const category blocking_classes[] = {
    {"1", "阻碍开工 blocking", {NULL, "103,0,13,255", "0.5", "solid", "228,26,28,255", "0.3", "1.5", HATCH_CROSS}},
    {"0", "不阻碍 clear", {NULL, "35,139,69,255", "0.3", "dash", NULL, NULL, NULL, 0}},
};

/* Block 1 is the largest (blocks are numbered by parcel area). */
static const rule block_rules[] = {
    {"\"block_id\" = 1", "最大连片 largest block", {NULL, "8,48,107,255", "1.2", "solid", NULL, NULL, NULL, 0}},
    {"\"block_id\" <> 1", "连片 block", {NULL, "8,81,156,255", "0.3", "solid", NULL, NULL, NULL, 0}},
};

/* Enclaves: a hold-out parcel filled, a gap (a hole of the footprint no
** parcel fills) only outlined and hatched */
static const category enclave_classes[] = {
    {"parcel", "插花地块 hold-out parcel", {"255,127,0,180", "166,54,3,255", "0.4", "solid", NULL, NULL, NULL, 0}},
    {"gap", "连片内空隙 gap", {NULL, "166,54,3,255", "0.4", "dash", "255,127,0,200", "0.25", "1.5", 0}},
};
/* Constraint overlaps are hatched like the sites they lie under, with
** level lines: crossing a site's 45° lines they must not read as the
** blockers' cross-hatch. The parcels' colours show through. One rule matching every feature rather
** than a single symbol: a legend
** draws a single symbol on the layer's own line, where it reads as one
** more class of the layer above; a rule gets a heading and an entry. */
static const rule constraint_rules[] = {
    {"", "压占部分 overlap", {NULL, "84,39,143,255", "0.5", "dash", "152,78,163,200", "0.25", "2", HATCH_0}},
};
/* Bridges: only parcels whose transfer alone would grow the largest block
** are filled, in blues (no status colour is blue, and the blocks are only
** outlined), darker as the gain grows; a gain is the parcel's own area
** (10-30 mu in the sample) up to whole blocks joined, so the classes grow
** about fivefold. Parcels without gain are left undrawn: the parcels
** layer shows them. The route's parcels are hatched on top, at 135°
** (the sites' hatch runs at 45°), without an outline: the parcels are
** strips a few metres wide, which an outline would blacken at the
** overview's scales, and their status colour stays readable beneath. */
#define BRIDGE_OUTLINE "8,48,107,255"
static const rule bridge_rules[] = {
    {"\"gain_mu\" > 0 AND \"gain_mu\" <= 20", "增加 20 亩以内 gain up to 20 mu",
     {"198,219,239,255", BRIDGE_OUTLINE, "0.2", "solid", NULL, NULL, NULL, 0}},
    {"\"gain_mu\" > 20 AND \"gain_mu\" <= 100", "增加 20–100 亩",
     {"158,202,225,255", BRIDGE_OUTLINE, "0.2", "solid", NULL, NULL, NULL, 0}},
    {"\"gain_mu\" > 100 AND \"gain_mu\" <= 500", "增加 100–500 亩",
     {"107,174,214,255", BRIDGE_OUTLINE, "0.2", "solid", NULL, NULL, NULL, 0}},
    {"\"gain_mu\" > 500 AND \"gain_mu\" <= 2000", "增加 500–2000 亩",
     {"49,130,189,255", BRIDGE_OUTLINE, "0.2", "solid", NULL, NULL, NULL, 0}},
    {"\"gain_mu\" > 2000", "增加 2000 亩以上 more than 2000 mu",
     {"8,81,156,255", BRIDGE_OUTLINE, "0.2", "solid", NULL, NULL, NULL, 0}},
    {"\"route_step\" IS NOT NULL", "协商路线 route to the target",
     {NULL, "0,0,0,255", "0", "no", "0,0,0,255", "0.2", "1.2", HATCH_135}},
};

static const rule qa_overlap_rules[] = {
    {"", "重叠部分 overlap", {"255,0,255,160", "120,0,120,255", "0.4", "solid", NULL, NULL, NULL, 0}},
};

static void status_renderer(buf *b)
{
    category c[LC_STATUS_COUNT];
    char labels[LC_STATUS_COUNT][64];
    char fills[LC_STATUS_COUNT][24];
    for (size_t i = 0; i < LC_STATUS_COUNT; i++) {
        const lc_status_def *d = lc_status_def_of((lc_parcel_status)i);
        snprintf(labels[i], sizeof labels[i], "%s %s", d->zh, d->en);
        lc_status_rgba_text((lc_parcel_status)i, fills[i]);
        c[i] = (category){d->code, labels[i], {fills[i], PARCEL_OUTLINE, "0.06", "solid", NULL, NULL, NULL, 0}};
    }
    categorized_renderer(b, "status", c, N_OF(c));
}

/* ---- labels --------------------------------------------------------------- */

typedef struct label {
    const char *expr;          /* QGIS expression of the text */
    double size;               /* points */
    int bold;
    const char *color;
    int max_scale;             /* shown at 1:max_scale and closer; 0: at every scale */
    int priority;              /* 0..10, who wins a collision */
    int show_all;              /* also when it collides with other labels */
    int z;                     /* drawn over labels of lower z */
    int placement;             /* QGIS's: 1 over the centroid, 0 around it */
    int above;                 /* centred above the feature's top instead */
} label;

static void label_settings(buf *b, const label *l, int simple)
{
    put(b, "      <settings calloutType=\"simple\">\n        <text-style fieldName=\"");
    lc_textbuf_xml(b, l->expr);
    put(b, "\" isExpression=\"1\" fontSize=\"%g\" fontSizeUnit=\"Point\" fontWeight=\"%d\" "
           "textColor=\"%s\" textOpacity=\"1\" fontFamily=\"" LABEL_FONT "\" namedStyle=\"%s\" "
           "multilineHeight=\"1\">\n          <families>\n",
        l->size, l->bold ? 75 : 50, l->color, l->bold ? "Bold" : "Regular");
    for (size_t i = 0; i < N_OF(fallback_fonts); i++)
        put(b, "            <family name=\"%s\"/>\n", fallback_fonts[i]);
    put(b, "          </families>\n"
           "          <text-buffer bufferDraw=\"1\" bufferSize=\"0.8\" bufferSizeUnits=\"MM\" "
           "bufferColor=\"255,255,255,255\" bufferOpacity=\"0.85\"/>\n"
           "        </text-style>\n"
           "        <text-format wrapChar=\"\" multilineAlign=\"1\"/>\n");
    /* at the centroid, or a point on the surface when the (concave)
    ** polygon's centroid falls outside it */
    put(b, "        <placement placement=\"%d\" centroidInside=\"1\" dist=\"%g\" distUnits=\"MM\" "
           "priority=\"%d\" fitInPolygonOnly=\"0\" quadOffset=\"%d\" offsetType=\"0\"",
        l->placement, l->placement == 1 ? 0.0 : 1.0, l->priority, l->above ? 1 : 4);
    /* above: a point at the middle of the top edge of the bounding box,
    ** the label over it (quadrant 1); not over what the feature covers */
    if (l->above)
        put(b, " geometryGeneratorEnabled=\"1\" geometryGeneratorType=\"PointGeometry\" "
               "geometryGenerator=\"make_point(x(centroid($geometry)), y_max($geometry))\"");
    put(b, "/>\n");
    /* a simple labeling carries its scale range here, a rule in its attributes */
    int ranged = simple && l->max_scale > 0;
    put(b, "        <rendering obstacle=\"0\" scaleVisibility=\"%d\" scaleMin=\"%d\" scaleMax=\"%d\" "
           "displayAll=\"%d\" zIndex=\"%d\" upsidedownLabels=\"0\" drawLabels=\"1\"/>\n"
           "      </settings>\n",
        ranged, ranged, ranged ? l->max_scale : 0, l->show_all, l->z);
}

static void simple_labels(buf *b, const label *l)
{
    put(b, "  <labeling type=\"simple\">\n");
    label_settings(b, l, 1);
    put(b, "  </labeling>\n");
}

typedef struct label_rule {
    const char *filter, *description;
    label label;
} label_rule;

static void rule_labels(buf *b, const char *table, const label_rule *r, size_t n)
{
    put(b, "  <labeling type=\"rule-based\">\n    <rules key=\"{landcons-%s-labels}\">\n", table);
    for (size_t i = 0; i < n; i++) {
        put(b, "    <rule key=\"{landcons-%s-label-%zu}\" filter=\"", table, i);
        lc_textbuf_xml(b, r[i].filter);
        put(b, "\" description=\"%s\"", r[i].description);
        if (r[i].label.max_scale > 0) put(b, " scalemaxdenom=\"%d\" scalemindenom=\"1\"", r[i].label.max_scale);
        put(b, ">\n");
        label_settings(b, &r[i].label, 0);
        put(b, "    </rule>\n");
    }
    put(b, "    </rules>\n  </labeling>\n");
}

#define BLOCK_TEXT "concat('连片 ', \"block_id\", ': ', format_number(\"parcel_mu\", 2), ' 亩')"

static const label_rule block_labels[] = {
    {"\"block_id\" = 1", "最大连片: 任何比例尺",
     {"concat('最大', " BLOCK_TEXT ")", 11, 1, "8,48,107,255", 0, 9, 1, 1, 1}},
    {"\"block_id\" <> 1", "其他连片: 大于 1:50000 的比例尺",
     {BLOCK_TEXT, 9, 1, "8,48,107,255", BLOCK_LABEL_SCALE, 6, 0, 1, 1}},
};

/* holder and status (through the value map: represent_value), on one
** line; every blocker is labelled, also where two labels would touch */
static const label_rule blocker_labels[] = {
    {"\"blocking\" = 1", "阻碍开工地块: 大于 1:20000 的比例尺",
     {"concat(coalesce(\"holder\", '(无承包方)'), ' ', represent_value(\"status\"))", 8, 1, "103,0,13,255",
      BLOCKER_LABEL_SCALE, 8, 1, 2, 0}},
};
_Static_assert(BLOCKER_LABEL_SCALE == 20000 && BLOCK_LABEL_SCALE == 50000,
               "the rule descriptions above name the scales");

/* a bridge: holder, gain and (on the route) its step; a route parcel
** without gain: its step and holder */
#define BRIDGE_HOLDER "coalesce(\"holder\", '(无承包方)')"
static const label_rule bridge_labels[] = {
    {"\"gain_mu\" > 0", "有增益的地块: 大于 1:10000 的比例尺",
     {"concat(" BRIDGE_HOLDER ", ' +', format_number(\"gain_mu\", 1), ' 亩', "
      "if(\"route_step\" IS NULL, '', concat(' 第', \"route_step\", '步')))",
      8, 1, "8,48,107,255", BRIDGE_LABEL_SCALE, 7, 0, 2, 1}},
    {"\"gain_mu\" = 0 AND \"route_step\" IS NOT NULL", "协商路线地块: 大于 1:10000 的比例尺",
     {"concat('第', \"route_step\", '步 ', " BRIDGE_HOLDER ")", 8, 0, "0,0,0,255", BRIDGE_LABEL_SCALE, 6, 0,
      2, 1}},
};
_Static_assert(BRIDGE_LABEL_SCALE == 10000, "the rule descriptions above name the scale");

static const label holder_label = {"\"holder\"", 7, 0, "40,40,40,255", HOLDER_LABEL_SCALE, 3, 0, 0, 1};

/* the name (the id when the layer has no name field) over the verdict,
** above the site: inside it would cover the blockers' labels */
static const label site_label = {
    "concat(coalesce(\"name\", concat('用地 ', \"site_id\")), char(10), represent_value(\"ready\"))", 11, 1,
    "0,0,0,255", 0, 10, 1, 3, 1, 1};

/* ---- attribute forms: value maps and display expressions ------------------- */

typedef struct value_word { const char *word, *value; } value_word;

static const value_word ready_words[] = {{"可以开工", "1"}, {"不能开工", "0"}};
static const value_word blocking_words[] = {{"阻碍开工", "1"}, {"不阻碍", "0"}};
static const value_word kind_words[] = {{"插花地块", "parcel"}, {"连片内空隙", "gap"}};
static const value_word severity_words[] = {{"错误", "error"}, {"警告", "warning"}, {"提示", "info"}};

static void value_map(buf *b, const char *field, const value_word *w, size_t n)
{
    put(b, "    <field name=\"%s\" configurationFlags=\"None\">\n"
           "      <editWidget type=\"ValueMap\">\n        <config>\n          <Option type=\"Map\">\n"
           "            <Option name=\"map\" type=\"List\">\n", field);
    for (size_t i = 0; i < n; i++)
        put(b, "              <Option type=\"Map\"><Option name=\"%s\" type=\"QString\" value=\"%s\"/></Option>\n",
            w[i].word, w[i].value);
    put(b, "            </Option>\n          </Option>\n        </config>\n      </editWidget>\n    </field>\n");
}

static void field_configuration(buf *b, const char *table)
{
    value_word status_words[LC_STATUS_COUNT];
    for (size_t i = 0; i < LC_STATUS_COUNT; i++)
        status_words[i] = (value_word){lc_parcel_status_zh((lc_parcel_status)i), lc_parcel_status_name((lc_parcel_status)i)};
    put(b, "  <fieldConfiguration>\n");
    if (!strcmp(table, "parcels") || !strcmp(table, "enclaves") || !strcmp(table, "site_overlaps") ||
        !strcmp(table, "bridges"))
        value_map(b, "status", status_words, N_OF(status_words));
    if (!strcmp(table, "sites")) value_map(b, "ready", ready_words, N_OF(ready_words));
    if (!strcmp(table, "site_overlaps")) value_map(b, "blocking", blocking_words, N_OF(blocking_words));
    if (!strcmp(table, "enclaves")) value_map(b, "kind", kind_words, N_OF(kind_words));
    if (!strcmp(table, "qa_issues")) value_map(b, "severity", severity_words, N_OF(severity_words));
    put(b, "  </fieldConfiguration>\n");
}

/* What identifies a feature in QGIS's identify results, forms and lists:
** names where --unit-names gave them, the village code otherwise. */
static const struct { const char *table, *expr; } display_expressions[] = {
    {"parcels", "concat(coalesce(\"village_name\", \"village\"), ' ', coalesce(\"holder\", ''), ' ', \"key\")"},
    {"blocks", BLOCK_TEXT},
    {"enclaves", "concat('连片 ', \"block_id\", ' ', coalesce(\"holder\", ''), ' ', coalesce(\"key\", '空隙'))"},
    {"sites", "coalesce(\"name\", concat('用地 ', \"site_id\"))"},
    {"site_overlaps", "concat('用地 ', \"site_id\", ' ', coalesce(\"village\", ''), ' ', "
                      "coalesce(\"holder\", ''), ' ', \"key\")"},
    {"constraint_overlaps", "concat('用地 ', \"site_id\", ' ', \"layer\", ' ', coalesce(\"name\", \"feature_id\"))"},
    {"qa_overlaps", "concat(\"key_a\", ' / ', \"key_b\")"},
    {"qa_issues", "concat(represent_value(\"severity\"), ' ', \"kind\", ' ', coalesce(\"key\", \"source\"))"},
    {"bridges", "concat('第', \"rank\", ' ', coalesce(\"village_name\", \"village\", ''), ' ', "
                "coalesce(\"holder\", ''), ' ', \"key\", ' +', format_number(\"gain_mu\", 2), ' 亩')"},
};

static void display_expression(buf *b, const char *table)
{
    for (size_t i = 0; i < N_OF(display_expressions); i++) {
        if (strcmp(display_expressions[i].table, table)) continue;
        put(b, "  <previewExpression>");
        lc_textbuf_xml(b, display_expressions[i].expr);
        put(b, "</previewExpression>\n");
    }
}

static void alias_list(buf *b, const char *table, const lc_parcels *p)
{
    put(b, "  <aliases>\n");
    /* the aliases of the output schema, one per column that has one */
    const lc_layer *layer = lc_schema_layer_named(table);
    for (size_t c = 0; layer && c < layer->n_cols; c++)
        if (layer->cols[c].alias)
            put(b, "    <alias field=\"%s\" name=\"%s\"/>\n", layer->cols[c].name, layer->cols[c].alias);
    if (!strcmp(table, "parcels") && p)
        for (size_t j = 0; j < p->n_fields; j++)
            for (size_t k = 0; k < N_OF(dk_aliases); k++)
                if (!strcmp(p->fields[j].name, dk_aliases[k].field)) {
                    put(b, "    <alias field=\"");
                    lc_textbuf_xml(b, p->fields[j].name);
                    put(b, "\" name=\"%s\"/>\n", dk_aliases[k].alias);
                }
    put(b, "  </aliases>\n");
}

const lc_style *lc_style_find(const char *table)
{
    for (size_t i = 0; i < N_OF(styles); i++)
        if (!strcmp(styles[i].table, table)) return &styles[i];
    return NULL;
}

char *lc_style_qml(const lc_style *s, const lc_parcels *p)
{
    buf b = {0};
    const char *t = s->table;
    int labels = !strcmp(t, "parcels") || !strcmp(t, "blocks") || !strcmp(t, "sites") ||
                 !strcmp(t, "site_overlaps") || !strcmp(t, "bridges");
    put(&b, "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
            "<qgis version=\"3.22.16-Białowieża\" styleCategories=\"AllStyleCategories\" "
            "labelsEnabled=\"%d\" hasScaleBasedVisibilityFlag=\"0\">\n", labels);
    if (!strcmp(t, "parcels")) {
        status_renderer(&b);
        simple_labels(&b, &holder_label);
    } else if (!strcmp(t, "sites")) {
        categorized_renderer(&b, "ready", ready_classes, N_OF(ready_classes));
        simple_labels(&b, &site_label);
    } else if (!strcmp(t, "site_overlaps")) {
        categorized_renderer(&b, "blocking", blocking_classes, N_OF(blocking_classes));
        rule_labels(&b, t, blocker_labels, N_OF(blocker_labels));
    } else if (!strcmp(t, "blocks")) {
        rule_renderer(&b, t, block_rules, N_OF(block_rules));
        rule_labels(&b, t, block_labels, N_OF(block_labels));
    } else if (!strcmp(t, "bridges")) {
        rule_renderer(&b, t, bridge_rules, N_OF(bridge_rules));
        rule_labels(&b, t, bridge_labels, N_OF(bridge_labels));
    } else if (!strcmp(t, "qa_overlaps")) {
        rule_renderer(&b, t, qa_overlap_rules, N_OF(qa_overlap_rules));
    } else if (!strcmp(t, "constraint_overlaps")) {
        rule_renderer(&b, t, constraint_rules, N_OF(constraint_rules));
    } else if (!strcmp(t, "enclaves")) {
        categorized_renderer(&b, "kind", enclave_classes, N_OF(enclave_classes));
    } else {
        point_renderer(&b);
    }
    field_configuration(&b, t);
    alias_list(&b, t, p);
    display_expression(&b, t);
    put(&b, "  <layerGeometryType>%d</layerGeometryType>\n</qgis>\n", strcmp(t, "qa_issues") ? 2 : 0);
    return lc_textbuf_take(&b);
}
