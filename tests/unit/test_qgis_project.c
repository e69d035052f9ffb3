/* The QGIS project writer's pieces: relative paths, round scales, XML text
** escaping, and the document of a small description (order, sources, the
** spliced style). QGIS reading the whole project is tests/e2e/test_qgis_project.py. */
#include <stdlib.h>

#include "lc_test.h"
#include "qgis_project.h"
#include "textbuf.h"

/* position of needle in hay, -1 when absent */
static long at(const char *hay, const char *needle)
{
    const char *p = strstr(hay, needle);
    return p ? (long)(p - hay) : -1;
}

int main(void)
{
    static const struct { const char *dir, *file, *want; } paths[] = {
        {"/tmp/x", "/tmp/x/db.sqlite", "./db.sqlite"},
        {"/tmp/x/", "/tmp/x/db.sqlite", "./db.sqlite"},           /* trailing slash */
        {"/tmp/x", "/tmp/x/data/db.sqlite", "./data/db.sqlite"},
        {"/tmp/x/maps", "/tmp/x/db.sqlite", "../db.sqlite"},
        {"/tmp/x/a/b", "/tmp/x/c/db.sqlite", "../../c/db.sqlite"},
        {"/tmp/x", "/tmp/xy/db.sqlite", "../xy/db.sqlite"},       /* a prefix, not a folder */
        {"/tmp/xy", "/tmp/x/db.sqlite", "../x/db.sqlite"},
        {"/", "/db.sqlite", "./db.sqlite"},
        {"/", "/srv/db.sqlite", "./srv/db.sqlite"},
        {"/home/u", "/db.sqlite", "../../db.sqlite"},
        {"/数据/项目", "/数据/成果/双城.sqlite", "../成果/双城.sqlite"},
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        char out[256];
        int ok = lc_qgis_relative_path(paths[i].dir, paths[i].file, out, sizeof out);
        CHECK(ok, "%s from %s: does not fit", paths[i].file, paths[i].dir);
        if (ok) CHECK_STR(out, paths[i].want, paths[i].file);
    }
    char small[8];
    CHECK(!lc_qgis_relative_path("/a", "/a/long-name.sqlite", small, sizeof small), "too long for 8 bytes");

    static const struct { double need, want; } scales[] = {
        {1, 100},         {100, 100},       {101, 150},       {4999, 5000},   {5000, 5000},
        {5001, 6000},     {6537, 7500},     {7501, 10000},    {46800, 50000}, {50240, 60000},
        {120000, 150000}, {2.6e6, 3e6},
    };
    for (size_t i = 0; i < sizeof scales / sizeof scales[0]; i++)
        CHECK_ABS(lc_qgis_round_scale(scales[i].need), scales[i].want, 0, "scale", "round scale");

    lc_textbuf b = {0};
    lc_textbuf_xml(&b, "a<b>&\"c'\td\ne\x01");
    char *s = lc_textbuf_take(&b);
    CHECK_STR(s, "a&lt;b&gt;&amp;&quot;c&apos;&#9;d&#10;e ", "XML escaping");
    free(s);
    s = lc_textbuf_take(&b);
    CHECK_STR(s, "", "an empty buffer gives an empty string");
    free(s);

    const char *qml = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
                      "<qgis version=\"3.22\" labelsEnabled=\"1\">\n  <renderer-v2 type=\"x\"/>\n</qgis>\n";
    const lc_qgis_layer layers[] = {
        {.table = "sites", .name = "项目用地 <A&B>", .qml = qml, .visible = 1},
        {.table = "site_overlaps", .name = "阻碍", .filter = "\"blocking\" = 1", .qml = qml, .visible = 1},
        {.table = "qa_issues", .name = "质检", .geometry = LC_QGIS_POINT, .qml = "<qgis/>", .visible = 0,
         .min_scale = 100000},
    };
    const lc_qgis_row rows[] = {{"用地面积", "600.00 亩"}};
    const lc_qgis_layout layouts[] = {
        {.name = "总览", .title = "T", .focus = {0, 0, 1000, 1000}, .figures = rows, .n_figures = 1},
    };
    const lc_qgis_project p = {.title = "t", .database = "./db.sqlite", .crs = {4530, "CGCS2000", NULL, NULL},
                               .layers = layers, .n_layers = 3, .view = {0, 0, 1000, 1000},
                               .layouts = layouts, .n_layouts = 1, .footer = "f"};
    char *doc = lc_qgis_project_xml(&p);
    CHECK(doc != NULL, "document");
    if (doc) {
        long t0 = at(doc, "<layer-tree-group>"), o0 = at(doc, "<layerorder>");
        long sites = at(doc + t0, "landcons_0_sites"), blockers = at(doc + t0, "landcons_1_site_overlaps"),
             qa = at(doc + t0, "landcons_2_qa_issues");
        CHECK(sites >= 0 && sites < blockers && blockers < qa, "panel order %ld %ld %ld", sites, blockers, qa);
        sites = at(doc + o0, "landcons_0_sites");
        qa = at(doc + o0, "landcons_2_qa_issues");
        CHECK(sites >= 0 && sites < qa, "drawing order %ld %ld", sites, qa);
        CHECK(at(doc, "<datasource>./db.sqlite|layername=site_overlaps|subset=&quot;blocking&quot; = 1"
                      "</datasource>") > 0, "filtered source");
        CHECK(at(doc, "name=\"项目用地 &lt;A&amp;B&gt;\"") > 0, "escaped layer name");
        CHECK(at(doc, "checked=\"Qt::Unchecked\"") > 0, "the QA layer switched off");
        CHECK(at(doc, "<authid>EPSG:4530</authid>") > 0, "CRS");
        CHECK(at(doc, "labelsEnabled=\"1\" hasScaleBasedVisibilityFlag") > 0, "labels of the style's root");
        CHECK(at(doc, "  <renderer-v2 type=\"x\"/>\n    </maplayer>") > 0, "style body spliced");
        CHECK(at(doc, "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n<qgis version") < 0,
              "the style's own prologue is not copied");
        CHECK(at(doc, "value=\"600.00 亩\"") > 0, "figures");
        CHECK(at(doc, "wkbType=\"Point\" styleCategories=\"AllStyleCategories\" labelsEnabled=\"0\" "
                      "hasScaleBasedVisibilityFlag=\"1\" minScale=\"100000\" maxScale=\"0\"") > 0,
              "the QA layer's scale range");
        /* 1000 m with 5 % margins on 172 mm: 1:6,395 needed, 1:7,500 drawn */
        CHECK(at(doc, "numUnitsPerSegment=\"50\"") > 0, "scale bar segments of 50 m at 1:7,500");
        free(doc);
    }
    return lc_test_report("test_qgis_project");
}
