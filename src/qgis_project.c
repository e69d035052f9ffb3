/*
** The QGIS project document (QGIS 3.22's .qgs format, read by every later
** 3.x) and its .qgz zip. The layers reference the database through QGIS's
** OGR provider with a path relative to the project ("./out.sqlite|
** layername=parcels"), which QGIS resolves against the project's own
** folder: the folder can be moved, zipped and mailed. Each layer carries
** the style document the database's layer_styles holds, spliced into its
** <maplayer> element (a QML document is the style part of that element).
**
** Elements QGIS fills with defaults when absent are left out; what is
** written is what an analyst would otherwise set by hand: the layer order
** and visibility, the CRS, the first view, and the print layouts.
*/
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cpl_conv.h>
#include <cpl_vsi.h>

#include "gdal_errors.h"
#include "qgis_project.h"
#include "textbuf.h"

#define QGIS_VERSION "3.22.16-Białowieża"
#define TEXT_FONT "Noto Sans CJK SC"

typedef lc_textbuf buf;
#define put lc_textbuf_printf
#define xml lc_textbuf_xml

/* ---- page geometry (mm): A4 landscape ----------------------------------------
** The map takes the left two thirds, with the north arrow in its top right
** corner and the scale (1:N over the bar) in its bottom left; the right
** column holds the legend, and the figures at its foot. */
#define PAGE_W 297.0
#define PAGE_H 210.0
#define MARGIN 10.0
#define MAP_X MARGIN
#define MAP_Y 25.0
#define MAP_W 180.0
#define MAP_H 172.0
#define COL_X (MAP_X + MAP_W + 6.0)
#define COL_W (PAGE_W - MARGIN - COL_X)
#define ROW_H 6.3                     /* a row of the figures table */
#define FOCUS_MARGIN 0.05             /* share of the focus added on each side */

static int extent_known(const lc_qgis_extent *e) { return e->maxx > e->minx || e->maxy > e->miny; }

static void srs(buf *b, const lc_qgis_crs *c, const char *indent)
{
    put(b, "%s<spatialrefsys>\n%s  <wkt>", indent, indent);
    xml(b, c->wkt ? c->wkt : "");
    put(b, "</wkt>\n%s  <proj4>", indent);
    xml(b, c->proj4 ? c->proj4 : "");
    /* srsid 0: QGIS looks the CRS up by authid, or builds it from the WKT */
    put(b, "</proj4>\n%s  <srsid>0</srsid>\n%s  <srid>%d</srid>\n%s  <authid>", indent, indent, c->epsg,
        indent);
    if (c->epsg > 0) put(b, "EPSG:%d", c->epsg);
    put(b, "</authid>\n%s  <description>", indent);
    xml(b, c->description ? c->description : "");
    put(b, "</description>\n%s</spatialrefsys>\n", indent);
}

static void extent_elements(buf *b, const lc_qgis_extent *e, const char *indent)
{
    put(b, "%s<extent>\n%s  <xmin>%.17g</xmin>\n%s  <ymin>%.17g</ymin>\n%s  <xmax>%.17g</xmax>\n"
           "%s  <ymax>%.17g</ymax>\n%s</extent>\n",
        indent, indent, e->minx, indent, e->miny, indent, e->maxx, indent, e->maxy, indent);
}

/* Layer ids: the same table may appear twice (a filtered copy), so the
** position in the list is part of the id. */
static void layer_id(buf *b, const lc_qgis_project *p, size_t i)
{
    put(b, "landcons_%zu_", i);
    xml(b, p->layers[i].table);
}

static void datasource(buf *b, const lc_qgis_project *p, const lc_qgis_layer *l)
{
    xml(b, p->database);
    put(b, "|layername=");
    xml(b, l->table);
    if (l->filter) {
        put(b, "|subset=");
        xml(b, l->filter);
    }
}

/* The body of a QML document (between <qgis ...> and </qgis>), and
** whether its root enables labels: QGIS reads labelsEnabled from the
** element that holds the style, here <maplayer>. */
typedef struct qml_parts {
    const char *body;
    size_t n;
    int labels;
} qml_parts;

static qml_parts qml_split(const char *qml)
{
    qml_parts q = {"", 0, 0};
    const char *root = qml ? strstr(qml, "<qgis") : NULL;
    const char *open_end = root ? strchr(root, '>') : NULL;
    const char *close = open_end ? strstr(open_end, "</qgis>") : NULL;
    if (!close) return q;
    const char *lab = strstr(root, "labelsEnabled=\"1\"");
    q.labels = lab && lab < open_end;
    q.body = open_end + 1;
    q.n = (size_t)(close - q.body);
    return q;
}

/* ---- the layer panel, the layers, their order ------------------------------ */

static void tree_layer(buf *b, const lc_qgis_project *p, size_t i, const char *indent)
{
    const lc_qgis_layer *l = &p->layers[i];
    put(b, "%s<layer-tree-layer id=\"", indent);
    layer_id(b, p, i);
    put(b, "\" name=\"");
    xml(b, l->name);
    put(b, "\" source=\"");
    datasource(b, p, l);
    put(b, "\" providerKey=\"ogr\" checked=\"Qt::%s\" expanded=\"%d\">\n%s  <customproperties/>\n"
           "%s</layer-tree-layer>\n",
        l->visible ? "Checked" : "Unchecked", l->visible, indent, indent);
}

static void layer_tree(buf *b, const lc_qgis_project *p)
{
    put(b, "  <layer-tree-group>\n    <customproperties/>\n");
    for (size_t i = 0; i < p->n_layers; i++) tree_layer(b, p, i, "    ");
    put(b, "  </layer-tree-group>\n");
}

static void map_layer(buf *b, const lc_qgis_project *p, size_t i)
{
    const lc_qgis_layer *l = &p->layers[i];
    qml_parts q = qml_split(l->qml);
    int scaled = l->min_scale > 0 || l->max_scale > 0;
    put(b, "    <maplayer type=\"vector\" geometry=\"%s\" wkbType=\"%s\" styleCategories=\"AllStyleCategories\" "
           "labelsEnabled=\"%d\" hasScaleBasedVisibilityFlag=\"%d\" minScale=\"%.17g\" maxScale=\"%.17g\" "
           "readOnly=\"0\" simplifyDrawingHints=\"1\" simplifyAlgorithm=\"0\" simplifyDrawingTol=\"1\" "
           "simplifyLocal=\"1\" simplifyMaxScale=\"1\">\n",
        l->geometry == LC_QGIS_POINT ? "Point" : "Polygon",
        l->geometry == LC_QGIS_POINT ? "Point" : "MultiPolygon", q.labels, scaled,
        l->min_scale > 0 ? l->min_scale : 1e8, l->max_scale > 0 ? l->max_scale : 0.0);
    if (extent_known(&l->extent)) extent_elements(b, &l->extent, "      ");
    put(b, "      <id>");
    layer_id(b, p, i);
    put(b, "</id>\n      <datasource>");
    datasource(b, p, l);
    put(b, "</datasource>\n      <layername>");
    xml(b, l->name);
    put(b, "</layername>\n      <srs>\n");
    srs(b, &p->crs, "        ");
    put(b, "      </srs>\n      <provider encoding=\"UTF-8\">ogr</provider>\n");
    lc_textbuf_append(b, q.body, q.n);
    put(b, "    </maplayer>\n");
}

/* The first view: the map canvas of the QGIS application and the
** project's default view (QgsProjectViewSettings). The scales offered in
** the scale box are those of Chinese cadastral and land-use maps. */
static void view(buf *b, const lc_qgis_project *p)
{
    const lc_qgis_extent *e = &p->view;
    put(b, "  <mapcanvas annotationsVisible=\"1\" name=\"theMapCanvas\">\n    <units>meters</units>\n");
    extent_elements(b, e, "    ");
    put(b, "    <rotation>0</rotation>\n    <destinationsrs>\n");
    srs(b, &p->crs, "      ");
    put(b, "    </destinationsrs>\n    <rendermaptile>0</rendermaptile>\n  </mapcanvas>\n");
    put(b, "  <ProjectViewSettings UseProjectScales=\"1\" rotation=\"0\">\n    <Scales>\n");
    static const int scales[] = {500, 1000, 2000, 5000, 10000, 25000, 50000, 100000, 250000};
    for (size_t i = 0; i < sizeof scales / sizeof scales[0]; i++)
        put(b, "      <Scale value=\"1:%d\"/>\n", scales[i]);
    put(b, "    </Scales>\n    <DefaultViewExtent xmin=\"%.17g\" ymin=\"%.17g\" xmax=\"%.17g\" ymax=\"%.17g\">\n",
        e->minx, e->miny, e->maxx, e->maxy);
    srs(b, &p->crs, "      ");
    put(b, "    </DefaultViewExtent>\n  </ProjectViewSettings>\n");
}

static void properties(buf *b)
{
    put(b, "  <properties>\n"
           "    <Paths>\n      <Absolute type=\"bool\">false</Absolute>\n    </Paths>\n"
           "    <Measurement>\n      <DistanceUnits type=\"QString\">meters</DistanceUnits>\n"
           "      <AreaUnits type=\"QString\">m2</AreaUnits>\n    </Measurement>\n"
           "    <PositionPrecision>\n      <Automatic type=\"bool\">false</Automatic>\n"
           "      <DecimalPlaces type=\"int\">2</DecimalPlaces>\n    </PositionPrecision>\n"
           /* without it QGIS 3.22 ignores <projectCrs> */
           "    <SpatialRefSys>\n      <ProjectionsEnabled type=\"int\">1</ProjectionsEnabled>\n"
           "    </SpatialRefSys>\n"
           "  </properties>\n");
}

/* ---- print layouts ------------------------------------------------------------ */

typedef struct layout_writer {
    buf *b;
    const lc_qgis_project *p;
    size_t index;              /* of the layout */
    unsigned next;             /* items made so far in this layout */
    int z;
} layout_writer;

/* Deterministic item uuids, unique in the project. */
static void new_uuid(layout_writer *w, char out[40])
{
    snprintf(out, 40, "{1c0a5000-0000-4000-8000-%06zx%06x}", w->index & 0xffffff, ++w->next & 0xffffff);
}

/* Opens a <LayoutItem> with the attributes every item has; the caller
** adds its own and closes the start tag. */
static void item_open(layout_writer *w, int type, const char *uuid, const char *id, double x, double y,
                      double width, double height, int frame, int background)
{
    put(w->b, "      <LayoutItem type=\"%d\" uuid=\"%s\" templateUuid=\"%s\" id=\"", type, uuid, uuid);
    xml(w->b, id);
    put(w->b, "\" position=\"%g,%g,mm\" positionOnPage=\"%g,%g,mm\" size=\"%g,%g,mm\" referencePoint=\"0\" "
              "zValue=\"%d\" visibility=\"1\" opacity=\"1\" itemRotation=\"0\" positionLock=\"false\" "
              "frame=\"%s\" background=\"%s\" outlineWidthM=\"0.3,mm\" excludeFromExports=\"0\" "
              "groupUuid=\"\" blendMode=\"0\" frameJoinStyle=\"miter\"",
        x, y, x, y, width, height, ++w->z, frame ? "true" : "false", background ? "true" : "false");
}

static void item_colours(buf *b)
{
    put(b, "        <FrameColor red=\"0\" green=\"0\" blue=\"0\" alpha=\"255\"/>\n"
           "        <BackgroundColor red=\"255\" green=\"255\" blue=\"255\" alpha=\"255\"/>\n");
}

/* A QFont description (Qt 5's QFont::toString): family, points, pixels,
** style hint, weight (50 normal, 75 bold), italic, underline, strike-out,
** fixed pitch, raw mode. */
static void font_description(buf *b, double points, int bold)
{
    put(b, TEXT_FONT ",%g,-1,5,%d,0,0,0,0,0", points, bold ? 75 : 50);
}

static void text_style(buf *b, double points, int bold, const char *indent)
{
    put(b, "%s<text-style fontFamily=\"" TEXT_FONT "\" namedStyle=\"%s\" fontSize=\"%g\" fontSizeUnit=\"Point\" "
           "fontWeight=\"%d\" fontItalic=\"0\" textColor=\"0,0,0,255\" textOpacity=\"1\" multilineHeight=\"1\">\n"
           "%s  <text-buffer bufferDraw=\"0\"/>\n%s</text-style>\n",
        indent, bold ? "Bold" : "Regular", points, bold ? 75 : 50, indent, indent);
}

static void label_item(layout_writer *w, const char *id, const char *text, double x, double y, double width,
                       double height, double points, int bold)
{
    char uuid[40];
    new_uuid(w, uuid);
    item_open(w, 65641, uuid, id, x, y, width, height, 0, 0);
    /* halign 1: left (Qt::AlignLeft), valign 128: centred (Qt::AlignVCenter) */
    put(w->b, " labelText=\"");
    xml(w->b, text ? text : "");
    put(w->b, "\" htmlState=\"0\" halign=\"1\" valign=\"128\" marginX=\"0\" marginY=\"0\">\n");
    item_colours(w->b);
    put(w->b, "        <LabelFont style=\"\" description=\"");
    font_description(w->b, points, bold);
    put(w->b, "\"/>\n        <FontColor red=\"0\" green=\"0\" blue=\"0\" alpha=\"255\"/>\n      </LayoutItem>\n");
}

double lc_qgis_round_scale(double need)
{
    static const double steps[] = {1, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5};
    for (double decade = 100; decade < 1e10; decade *= 10)
        for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
            if (steps[i] * decade >= need) return steps[i] * decade;
    return need;
}

/* The map's scale: the smallest round scale at which the focus and its
** margin fit the frame; then the extent of the frame at that scale,
** centred on the focus. A rounded scale reads better on a sign-off than
** 1:6,537. */
static double map_scale(const lc_qgis_extent *focus, lc_qgis_extent *out)
{
    double w = focus->maxx - focus->minx, h = focus->maxy - focus->miny;
    if (w < 50) w = 50;  /* a site of a few metres still gets a readable map */
    if (h < 50) h = 50;
    w *= 1 + 2 * FOCUS_MARGIN;
    h *= 1 + 2 * FOCUS_MARGIN;
    double scale = lc_qgis_round_scale(fmax(w / (MAP_W / 1000.0), h / (MAP_H / 1000.0)));
    double cx = (focus->minx + focus->maxx) / 2, cy = (focus->miny + focus->maxy) / 2;
    double hw = MAP_W / 1000.0 * scale / 2, hh = MAP_H / 1000.0 * scale / 2;
    *out = (lc_qgis_extent){cx - hw, cy - hh, cx + hw, cy + hh};
    return scale;
}

static void map_item(layout_writer *w, const char *uuid, const lc_qgis_extent *e)
{
    item_open(w, 65639, uuid, "地图 map", MAP_X, MAP_Y, MAP_W, MAP_H, 1, 1);
    /* keepLayerSet false: the map shows the layers switched on in the panel */
    put(w->b, " keepLayerSet=\"false\" followPreset=\"false\" followPresetName=\"\" drawCanvasItems=\"true\" "
              "mapRotation=\"0\" mapFlags=\"0\" labelMargin=\"3,mm\" isTemporal=\"0\">\n");
    item_colours(w->b);
    put(w->b, "        <Extent xmin=\"%.17g\" ymin=\"%.17g\" xmax=\"%.17g\" ymax=\"%.17g\"/>\n"
              "        <LayerSet/>\n        <AtlasMap atlasDriven=\"0\" scalingMode=\"2\" margin=\"0.1\"/>\n"
              "      </LayoutItem>\n",
        e->minx, e->miny, e->maxx, e->maxy);
}

/* Round ground length of one scale bar segment: about 12 mm on paper. */
static double segment_length(double scale)
{
    double want = 12.0 / 1000.0 * scale, decade = pow(10, floor(log10(want)));
    double step = want / decade >= 5 ? 5 : want / decade >= 2 ? 2 : 1;
    return step * decade;
}

static void scale_bars(layout_writer *w, const char *map_uuid, double scale)
{
    char uuid[40];
    double seg = segment_length(scale);
    int km = seg >= 1000;
    double seg_mm = seg / scale * 1000.0;
    new_uuid(w, uuid);
    item_open(w, 65646, uuid, "比例尺 scale bar", MAP_X + 2, MAP_Y + MAP_H - 12, 4 * seg_mm + 16, 10, 0, 1);
    put(w->b, " style=\"Single Box\" mapUuid=\"%s\" numSegments=\"4\" numSegmentsLeft=\"0\" numSubdivisions=\"1\" "
              "subdivisionsHeight=\"1.5\" numUnitsPerSegment=\"%g\" segmentSizeMode=\"0\" minBarWidth=\"50\" "
              "maxBarWidth=\"150\" segmentMillimeters=\"%g\" numMapUnitsPerScaleBarUnit=\"1\" unitLabel=\"%s\" "
              "unitType=\"%s\" height=\"2\" labelBarSpace=\"1.5\" boxContentSpace=\"1.5\" alignment=\"0\" "
              "labelVerticalPlacement=\"0\" labelHorizontalPlacement=\"0\">\n",
        map_uuid, km ? seg / 1000 : seg, seg_mm, km ? "公里" : "米",
        km ? "kilometers" : "meters");
    item_colours(w->b);
    text_style(w->b, 7, 0, "        ");
    put(w->b, "        <fillColor red=\"0\" green=\"0\" blue=\"0\" alpha=\"255\"/>\n"
              "        <fillColor2 red=\"255\" green=\"255\" blue=\"255\" alpha=\"255\"/>\n"
              "        <strokeColor red=\"0\" green=\"0\" blue=\"0\" alpha=\"255\"/>\n      </LayoutItem>\n");
    /* the ratio, kept current by QGIS when the map is zoomed */
    new_uuid(w, uuid);
    /* no wider than the bar below it (QGIS fits the bar's box to its labels) */
    item_open(w, 65646, uuid, "数字比例尺 scale", MAP_X + 2, MAP_Y + MAP_H - 19, fmax(4 * seg_mm, 24), 7, 0, 1);
    put(w->b, " style=\"Numeric\" mapUuid=\"%s\" numSegments=\"1\" numSegmentsLeft=\"0\" numUnitsPerSegment=\"1\" "
              "segmentSizeMode=\"0\" numMapUnitsPerScaleBarUnit=\"1\" unitType=\"meters\" unitLabel=\"\" "
              "alignment=\"0\">\n",
        map_uuid);
    item_colours(w->b);
    text_style(w->b, 9, 1, "        ");
    /* "1:5,000", not QGIS's default six decimals of a computed scale */
    put(w->b, "        <numericFormat id=\"basic\">\n          <Option type=\"Map\">\n"
              "            <Option name=\"decimals\" type=\"int\" value=\"0\"/>\n"
              "            <Option name=\"rounding_type\" type=\"int\" value=\"0\"/>\n"
              "            <Option name=\"show_thousand_separator\" type=\"bool\" value=\"true\"/>\n"
              "            <Option name=\"show_trailing_zeros\" type=\"bool\" value=\"false\"/>\n"
              "          </Option>\n        </numericFormat>\n      </LayoutItem>\n");
}

/* QGIS's own layout north arrow (a resource of every QGIS 3 install),
** turned with the map: grid north. */
static void north_arrow(layout_writer *w, const char *map_uuid)
{
    char uuid[40];
    new_uuid(w, uuid);
    item_open(w, 65640, uuid, "指北针 north arrow", MAP_X + MAP_W - 13, MAP_Y + 2, 11, 15, 0, 1);
    put(w->b, " file=\":/images/north_arrows/layout_default_north_arrow.svg\" mode=\"0\" resizeMode=\"0\" "
              "anchorPoint=\"0\" mapUuid=\"%s\" northMode=\"0\" northOffset=\"0\" pictureRotation=\"0\" "
              "svgFillColor=\"0,0,0,255\" svgBorderColor=\"0,0,0,255\" svgBorderWidth=\"0.2\">\n",
        map_uuid);
    item_colours(w->b);
    put(w->b, "      </LayoutItem>\n");
}

/* The legend lists the layers switched on, each with only the classes
** present on this map (legendFilterByMap), so a site's sheet does not
** explain colours it does not show. */
static void legend(layout_writer *w, const char *map_uuid)
{
    char uuid[40];
    new_uuid(w, uuid);
    item_open(w, 65642, uuid, "图例 legend", COL_X, MAP_Y, COL_W, 80, 0, 0);
    put(w->b, " title=\"图例\" map_uuid=\"%s\" legendFilterByMap=\"1\" legendFilterByAtlas=\"0\" "
              "resizeToContents=\"1\" columnCount=\"1\" splitLayer=\"0\" equalColumnWidth=\"0\" "
              "symbolWidth=\"7\" symbolHeight=\"3.2\" lineSpacing=\"0.5\" boxSpace=\"1\" columnSpace=\"2\" "
              "wrapChar=\"\" fontColor=\"#000000\" titleAlignment=\"1\" symbolAlignment=\"1\" "
              "rasterBorder=\"1\" rasterBorderColor=\"0,0,0,255\" rasterBorderWidth=\"0\">\n",
        map_uuid);
    item_colours(w->b);
    static const struct { const char *name; double points, top; int bold; } styles[] = {
        {"title", 10.5, 0, 1}, {"group", 8.5, 1.8, 1}, {"subgroup", 8, 1.8, 1}, {"symbol", 7.5, 1, 0},
        {"symbolLabel", 7.5, 1, 0},
    };
    put(w->b, "        <styles>\n");
    for (size_t i = 0; i < sizeof styles / sizeof styles[0]; i++) {
        put(w->b, "          <style name=\"%s\" marginTop=\"%g\" marginBottom=\"%g\" marginLeft=\"%g\" "
                  "alignment=\"1\">\n            <styleFont style=\"\" description=\"",
            styles[i].name, styles[i].top, i == 0 ? 2.0 : 0.0, i == 4 ? 2.0 : 0.0);
        font_description(w->b, styles[i].points, styles[i].bold);
        put(w->b, "\"/>\n          </style>\n");
    }
    put(w->b, "        </styles>\n        <layer-tree-group>\n          <customproperties/>\n");
    for (size_t i = 0; i < w->p->n_layers; i++)
        if (w->p->layers[i].visible) tree_layer(w->b, w->p, i, "          ");
    put(w->b, "        </layer-tree-group>\n      </LayoutItem>\n");
}

static void figures_table(layout_writer *w, const lc_qgis_layout *l)
{
    if (!l->n_figures) return;
    char table[40], frame[40];
    new_uuid(w, table);
    new_uuid(w, frame);
    double height = ROW_H * (double)l->n_figures + 1;
    double y = MAP_Y + MAP_H - height;
    item_open(w, 65647, frame, "数据表 figures", COL_X, y, COL_W, height, 0, 0);
    put(w->b, " multiFrame=\"%s\" multiFrameTemplateUuid=\"%s\" sectionX=\"0\" sectionY=\"0\" "
              "sectionWidth=\"%g\" sectionHeight=\"%g\" hidePageIfEmpty=\"0\" hideBackgroundIfEmpty=\"0\">\n",
        table, table, COL_W, height);
    item_colours(w->b);
    put(w->b, "      </LayoutItem>\n");

    /* resizeMode 0: the one frame above; no header row */
    put(w->b, "      <LayoutMultiFrame type=\"65652\" uuid=\"%s\" templateUuid=\"%s\" resizeMode=\"0\" "
              "includeHeader=\"0\" headerMode=\"2\" showGrid=\"1\" horizontalGrid=\"1\" verticalGrid=\"1\" "
              "gridStrokeWidth=\"0.15\" gridColor=\"120,120,120,255\" cellMargin=\"1\" "
              "backgroundColor=\"255,255,255,255\" emptyTableMode=\"0\" showEmptyRows=\"0\" wrapBehavior=\"0\">\n"
              "        <childFrame uuid=\"%s\" templateUuid=\"%s\"/>\n        <headerTextFormat>\n",
        table, table, frame, frame);
    text_style(w->b, 8, 1, "          ");
    put(w->b, "        </headerTextFormat>\n        <contentTextFormat>\n");
    text_style(w->b, 8, 0, "          ");
    put(w->b, "        </contentTextFormat>\n        <displayColumns>\n");
    for (int c = 0; c < 2; c++)
        put(w->b, "          <column attribute=\"\" heading=\"\" hAlignment=\"%d\" vAlignment=\"128\" "
                  "sortByRank=\"0\" sortOrder=\"0\" width=\"0\">\n"
                  "            <backgroundColor red=\"0\" green=\"0\" blue=\"0\" alpha=\"0\"/>\n"
                  "          </column>\n",
            c ? 2 : 1);  /* labels left, values right (Qt::AlignRight) */
    put(w->b, "        </displayColumns>\n        <contents>\n");
    for (size_t r = 0; r < l->n_figures; r++) {
        const char *cells[2] = {l->figures[r].label, l->figures[r].value};
        put(w->b, "          <row>\n");
        for (int c = 0; c < 2; c++) {
            put(w->b, "            <Option type=\"Map\">\n"
                      "              <Option name=\"background\" type=\"color\" value=\"%s\"/>\n"
                      "              <Option name=\"content\" type=\"QString\" value=\"",
                c ? "" : "236,236,236,255");
            xml(w->b, cells[c] ? cells[c] : "");
            put(w->b, "\"/>\n              <Option name=\"foreground\" type=\"color\" value=\"\"/>\n"
                      "              <Option name=\"halign\" type=\"int\" value=\"%d\"/>\n"
                      "              <Option name=\"valign\" type=\"int\" value=\"128\"/>\n"
                      "            </Option>\n",
                c ? 2 : 1);
        }
        put(w->b, "          </row>\n");
    }
    put(w->b, "        </contents>\n        <rowHeights/>\n        <columnWidths>\n"
              "          <column width=\"%g\"/>\n          <column width=\"0\"/>\n        </columnWidths>\n"
              "      </LayoutMultiFrame>\n",
        COL_W * 0.42);
}

static void layout(buf *b, const lc_qgis_project *p, size_t index)
{
    const lc_qgis_layout *l = &p->layouts[index];
    layout_writer w = {b, p, index, 0, 0};
    char page[40], map[40];
    new_uuid(&w, page);
    new_uuid(&w, map);
    put(b, "    <Layout name=\"");
    xml(b, l->name);
    put(b, "\" units=\"mm\" printResolution=\"300\" worldFileMap=\"\">\n"
           "      <PageCollection>\n"
           "        <LayoutItem type=\"65638\" uuid=\"%s\" templateUuid=\"%s\" id=\"\" position=\"0,0,mm\" "
           "positionOnPage=\"0,0,mm\" size=\"%g,%g,mm\" referencePoint=\"0\" zValue=\"0\" visibility=\"1\" "
           "opacity=\"1\" frame=\"false\" background=\"true\"/>\n"
           "        <GuideCollection visible=\"1\"/>\n      </PageCollection>\n",
        page, page, PAGE_W, PAGE_H);
    lc_qgis_extent e;
    double scale = map_scale(&l->focus, &e);
    map_item(&w, map, &e);
    label_item(&w, "标题 title", l->title, MARGIN, 6, PAGE_W - 2 * MARGIN, 11, 16, 1);
    label_item(&w, "副标题 subtitle", l->subtitle, MARGIN, 17, PAGE_W - 2 * MARGIN, 6, 9.5, 0);
    north_arrow(&w, map);
    scale_bars(&w, map, scale);
    legend(&w, map);
    figures_table(&w, l);
    label_item(&w, "页脚 footer", p->footer, MARGIN, MAP_Y + MAP_H + 2, PAGE_W - 2 * MARGIN, 5, 6.5, 0);
    /* QGIS's export dialog then exports text as text (selectable,
    ** searchable) rather than as outlines, in one file */
    put(b, "      <customproperties>\n        <Option type=\"Map\">\n"
           "          <Option name=\"singleFile\" type=\"bool\" value=\"true\"/>\n"
           "          <Option name=\"textFormat\" type=\"int\" value=\"1\"/>\n"
           "        </Option>\n      </customproperties>\n"
           "      <Atlas enabled=\"0\"/>\n    </Layout>\n");
}

/* ---- the document -------------------------------------------------------------- */

char *lc_qgis_project_xml(const lc_qgis_project *p)
{
    buf b = {0};
    put(&b, "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n<qgis projectname=\"");
    xml(&b, p->title ? p->title : "");
    put(&b, "\" version=\"" QGIS_VERSION "\">\n  <homePath path=\"\"/>\n  <title>");
    xml(&b, p->title ? p->title : "");
    put(&b, "</title>\n  <autotransaction active=\"0\"/>\n  <evaluateDefaultValues active=\"0\"/>\n"
            "  <trust active=\"0\"/>\n  <projectCrs>\n");
    srs(&b, &p->crs, "    ");
    put(&b, "  </projectCrs>\n");
    layer_tree(&b, p);
    put(&b, "  <relations/>\n");
    view(&b, p);
    put(&b, "  <projectlayers>\n");
    for (size_t i = 0; i < p->n_layers; i++) map_layer(&b, p, i);
    put(&b, "  </projectlayers>\n  <layerorder>\n");
    for (size_t i = 0; i < p->n_layers; i++) {
        put(&b, "    <layer id=\"");
        layer_id(&b, p, i);
        put(&b, "\"/>\n");
    }
    put(&b, "  </layerorder>\n");
    properties(&b);
    put(&b, "  <Layouts>\n");
    for (size_t i = 0; i < p->n_layouts; i++) layout(&b, p, i);
    put(&b, "  </Layouts>\n</qgis>\n");
    return lc_textbuf_take(&b);
}

/* ---- files ------------------------------------------------------------------------ */

int lc_qgis_project_path_ok(const char *path)
{
    size_t n = strlen(path);
    return n > 4 && (!strcasecmp(path + n - 4, ".qgz") || !strcasecmp(path + n - 4, ".qgs"));
}

int lc_qgis_relative_path(const char *dir, const char *file, char *out, size_t cap)
{
    size_t dlen = strlen(dir);
    while (dlen > 0 && dir[dlen - 1] == '/') dlen--;  /* "/" is the empty run of folders */
    /* the longest common run of whole folders: ends where both have a '/'
    ** (or dir ends where file has one) */
    size_t common = 0;
    for (size_t i = 0;; i++) {
        char a = i < dlen ? dir[i] : '\0', f = file[i];
        if ((a == '/' || a == '\0') && f == '/') common = i;
        if (a != f || a == '\0') break;
    }
    size_t n = 0;
    int up = 0;
    for (size_t i = common; i < dlen; i++)
        if (dir[i] == '/') {
            n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, "../");
            up = 1;
        }
    const char *rest = file + common;
    while (*rest == '/') rest++;
    n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, "%s%s", up ? "" : "./", rest);
    return n < cap;
}

/* `data` into the file `file` (the output's temporary file, which the run
** moves into place with its other outputs); `path` names it in messages. */
static lc_status write_file(lc_ctx *ctx, const char *file, const char *path, const void *data, size_t n)
{
    int fd = open(file, O_WRONLY | O_TRUNC);
    if (fd < 0) return lc_error(ctx, LC_EINPUT, "%s: cannot write here (%s)", path, strerror(errno));
    lc_status rc = LC_OK;
    const char *s = data;
    for (size_t done = 0; done < n && rc == LC_OK;) {
        ssize_t k = write(fd, s + done, n - done);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) rc = lc_error(ctx, LC_EINPUT, "%s: writing the project failed (%s)", path, strerror(errno));
        else done += (size_t)k;
    }
    if (close(fd) != 0 && rc == LC_OK)
        rc = lc_error(ctx, LC_EINPUT, "%s: writing the project failed (%s)", path, strerror(errno));
    if (rc == LC_OK && lc_cancelled(ctx)) rc = lc_error(ctx, LC_EINTERRUPTED, "interrupted");
    return rc;
}

/* The .qgz: a zip holding the document as NAME.qgs (the archive's base
** name, as QGIS names it), made by GDAL's zip writer in memory (/vsimem). */
static lc_status zip_document(lc_ctx *ctx, const char *path, const char *doc, GByte **out, vsi_l_offset *n)
{
    *out = NULL;
    size_t len = strlen(doc);
    if (len > (size_t)INT32_MAX) return lc_error(ctx, LC_EINTERNAL, "%s: the project is too large", path);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t stem = strlen(base) - 4;  /* without .qgz */
    if (stem > 1000) stem = 1000;
    char entry[1024], mem[64];
    snprintf(entry, sizeof entry, "%.*s.qgs", (int)stem, base);
    snprintf(mem, sizeof mem, "/vsimem/landcons-project-%p.qgz", (void *)mem);
    lc_gdal_record rec = {0};
    CPLPushErrorHandlerEx(lc_gdal_record_error, &rec);
    void *z = CPLCreateZip(mem, NULL);
    int ok = z != NULL && CPLCreateFileInZip(z, entry, NULL) == CE_None;
    ok = ok && CPLWriteFileInZip(z, doc, (int)len) == CE_None;
    ok = ok && CPLCloseFileInZip(z) == CE_None;
    if (z && CPLCloseZip(z) != CE_None) ok = 0;
    CPLPopErrorHandler();
    if (ok) *out = VSIGetMemFileBuffer(mem, n, TRUE);
    else VSIUnlink(mem);
    if (!*out)
        return lc_error(ctx, LC_EINTERNAL, "%s: zipping the project failed (%s)", path,
                        rec.failures ? rec.msg : "out of memory");
    return LC_OK;
}

lc_status lc_qgis_project_write(lc_ctx *ctx, const lc_qgis_project *p, const char *path, const char *file)
{
    if (!lc_qgis_project_path_ok(path))
        return lc_error(ctx, LC_EINPUT, "%s: a QGIS project is a .qgz (or .qgs) file", path);
    char *doc = lc_qgis_project_xml(p);
    if (!doc) return lc_error(ctx, LC_ENOMEM, "out of memory");
    lc_status rc;
    size_t n = strlen(path);
    if (!strcasecmp(path + n - 4, ".qgs")) {
        rc = write_file(ctx, file, path, doc, strlen(doc));
    } else {
        GByte *zip = NULL;
        vsi_l_offset size = 0;
        rc = zip_document(ctx, path, doc, &zip, &size);
        if (rc == LC_OK) rc = write_file(ctx, file, path, zip, (size_t)size);
        VSIFree(zip);
    }
    free(doc);
    return rc;
}
