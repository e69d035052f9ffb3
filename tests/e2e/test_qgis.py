#!/usr/bin/python3
"""End-to-end: the SpatiaLite file of `landcons analyze` opens in QGIS
(3.22, Debian 12) styled, whichever way it is opened (SPEC §4).

Runs analyze on the committed sample (gis-data/shuangcheng/DK.shp and
DK_register.csv, --as-of 2019-05-01) into a temporary folder, then opens
every layer (parcels, blocks, enclaves, qa_issues, ..., bridges) through QGIS's OGR
provider (`file|layername=L`: drag and drop, the browser's file items) and
through its SpatiaLite provider (`dbname=... table="L" (geom)`) the way the
QGIS application adds a layer: created without a style, then
QgsMapLayer.loadDefaultStyle(), which reads the layer's default row of
`layer_styles`. Checks validity, CRS (the summary's work_srid), feature
counts against sqlite3, the style (renderer, colours, block labels), the
Chinese field aliases, Chinese attribute values, and that each provider
finds its own `layer_styles` row; then renders the layers to a PNG
(qgis_render.png in the working directory, or --png) and checks the image.

Exit 0 pass, 1 fail, 77 skip (no qgis.core for /usr/bin/python3).
"""
import argparse
import os
import re
import shutil
import sqlite3
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter

import lctest

LAYERS = ("parcels", "blocks", "enclaves", "qa_issues", "sites", "site_overlaps", "constraint_overlaps", "bridges")

# How each class of the other layers looks, read from its symbol layers:
# (fill or None, ((hatch angle, hatch colour), ...), outline colour). Sites,
# blockers and constraint overlaps are hatched and outlined, never filled, so
# the parcels' status colours show through them (issue 16 point 5).
SITE_LOOK = {
    "1": (None, ((45, (0, 109, 44, 150)),), (0, 109, 44, 255)),
    "0": (None, ((45, (165, 15, 21, 140)),), (165, 15, 21, 255)),
}
CATEGORIZED = {
    "sites": ("ready", SITE_LOOK),
    "site_overlaps": ("blocking", {
        "1": (None, ((45, (228, 26, 28, 255)), (135, (228, 26, 28, 255))), (103, 0, 13, 255)),
        "0": (None, (), (35, 139, 69, 255)),
    }),
    "enclaves": ("kind", {
        "parcel": ((255, 127, 0, 180), (), (166, 54, 3, 255)),
        "gap": (None, ((45, (255, 127, 0, 200)),), (166, 54, 3, 255)),
    }),
}
# Rule-based layers: (filter, look, outline width in mm) per rule. Block 1,
# the largest, is drawn wider than the others.
RULES = {
    "blocks": [('"block_id" = 1', (None, (), (8, 48, 107, 255)), 1.2),
               ('"block_id" <> 1', (None, (), (8, 81, 156, 255)), 0.3)],
    "constraint_overlaps": [("", (None, ((0, (152, 78, 163, 200)),), (84, 39, 143, 255)), 0.5)],
    # bridges: filled by gain in blues (no fill without a gain), the route hatched at 135°, no outline
    "bridges": [('"gain_mu" > 0 AND "gain_mu" <= 20', ((198, 219, 239, 255), (), (8, 48, 107, 255)), 0.2),
                ('"gain_mu" > 20 AND "gain_mu" <= 100', ((158, 202, 225, 255), (), (8, 48, 107, 255)), 0.2),
                ('"gain_mu" > 100 AND "gain_mu" <= 500', ((107, 174, 214, 255), (), (8, 48, 107, 255)), 0.2),
                ('"gain_mu" > 500 AND "gain_mu" <= 2000', ((49, 130, 189, 255), (), (8, 48, 107, 255)), 0.2),
                ('"gain_mu" > 2000', ((8, 81, 156, 255), (), (8, 48, 107, 255)), 0.2),
                ('"route_step" IS NOT NULL', (None, ((135, (0, 0, 0, 255)),), None), 0)],
}
# Labels: (labeling kind, [(rule filter, shown at this scale denominator and
# closer — 0: at every scale, text that the expression must hold)]).
LABELS = {
    "parcels": ("simple", [(None, 5000, '"holder"')]),
    "sites": ("simple", [(None, 0, 'represent_value("ready")')]),
    "blocks": ("rules", [('"block_id" = 1', 0, "parcel_mu"), ('"block_id" <> 1', 50000, "parcel_mu")]),
    "site_overlaps": ("rules", [('"blocking" = 1', 20000, 'represent_value("status")')]),
    "bridges": ("rules", [('"gain_mu" > 0', 10000, "gain_mu"),
                          ('"gain_mu" = 0 AND "route_step" IS NOT NULL', 10000, "route_step")]),
}
# The Chinese words of the status value map.
STATUS_ZH = {"transferred": "已流转", "pending": "未签约", "refused": "拒签", "disputed": "争议",
             "unregistered": "未登记"}
STATUSES = ("transferred", "pending", "refused", "disputed", "unregistered")

# The Chinese aliases the default styles give (src/styles.c, table aliases[];
# the input attributes' NY/T 2539 names where the sample has the field).
ALIASES = {
    "parcels": {
        "fid": "序号", "key": "地块编码", "township": "乡镇", "village": "村", "holder": "承包方",
        "status": "流转状态", "signed_on": "签约日期", "planar_m2": "平面面积(平方米)",
        "planar_mu": "平面面积(亩)", "ellipsoidal_m2": "椭球面积(平方米)",
        "ellipsoidal_mu": "椭球面积(亩)", "declared_mu": "合同面积(亩)", "block_id": "连片编号",
        "enclave_of": "所在连片(插花地)", "source_fid": "原要素号",
        "township_name": "乡镇名称", "village_name": "村名称",
    },
    "blocks": {
        "block_id": "连片编号", "parcel_count": "地块数", "parcel_m2": "地块面积(平方米)",
        "parcel_mu": "地块面积(亩)", "footprint_m2": "连片范围面积(平方米)",
        "footprint_mu": "连片范围面积(亩)", "footprint_ellipsoidal_mu": "连片范围椭球面积(亩)",
        "gained_mu": "新增面积(亩)", "enclave_count": "插花地数", "enclave_mu": "插花地面积(亩)",
        "villages": "涉及村", "townships": "涉及乡镇",
    },
    "enclaves": {
        "block_id": "所在连片", "key": "地块编码", "kind": "类型", "status": "流转状态",
        "holder": "承包方", "area_m2": "面积(平方米)", "area_mu": "面积(亩)",
    },
    "qa_issues": {
        "severity": "严重程度", "kind": "问题类型", "key": "地块编码", "source": "位置", "detail": "说明",
    },
    "sites": {
        "site_id": "用地编号", "name": "用地名称", "area_m2": "用地面积(平方米)", "area_mu": "用地面积(亩)",
        "transferred_mu": "已流转(亩)", "pending_mu": "未签约(亩)", "refused_mu": "拒签(亩)",
        "disputed_mu": "争议(亩)", "unregistered_mu": "未登记(亩)", "no_parcel_mu": "无地块(亩)",
        "ready": "可否开工", "blocking_count": "阻碍地块数", "layer": "图层",
    },
    "site_overlaps": {
        "site_id": "用地编号", "key": "地块编码", "status": "流转状态", "overlap_m2": "压占面积(平方米)",
        "overlap_mu": "压占面积(亩)", "share_of_parcel": "占地块比例", "share_of_site": "占用地比例",
        "blocking": "阻碍开工", "village": "村", "holder": "承包方",
    },
    "constraint_overlaps": {
        "site_id": "用地编号", "layer": "限制图层", "feature_id": "要素号", "name": "名称",
        "overlap_m2": "压占面积(平方米)", "overlap_mu": "压占面积(亩)",
    },
    "bridges": {
        "rank": "优先次序", "key": "地块编码", "village": "村", "village_name": "村名称", "holder": "承包方",
        "status": "流转状态", "mu": "地块面积(亩)", "gain_mu": "最大连片增加(亩)",
        "largest_mu_after": "流转后最大连片(亩)", "join_count": "相连连片数", "joins_blocks": "相连连片编号",
        "route_step": "协商路线步骤", "parcel_fid": "地块序号",
    },
}
INPUT_ALIASES = {
    "DKBM": "地块编码", "DKMC": "地块名称", "SYQXZ": "所有权性质", "DKLB": "地块类别",
    "TDLYLX": "土地利用类型", "DLDJ": "地力等级", "TDYT": "土地用途", "SFJBNT": "是否基本农田",
    "SCMJ": "实测面积(平方米)", "SCMJM": "实测面积(亩)", "DKDZ": "地块东至", "DKXZ": "地块西至",
    "DKNZ": "地块南至", "DKBZ": "地块北至", "DKBZXX": "地块备注信息", "ZJRXM": "指界人姓名",
    "CBFMC": "承包方名称", "CBFBM": "承包方编码", "HTMJ": "合同面积",
}

# Single-symbol colours (r, g, b, a) of the other layers' default styles.
SINGLE = {
    "qa_issues": {"fill": (255, 0, 255, 255)},
}
BACKGROUND = (255, 255, 255)


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--landcons", required=True, help="the landcons binary")
    ap.add_argument("--data-dir", required=True, help="gis-data folder with shuangcheng/")
    ap.add_argument("--png", default="qgis_render.png",
                    help="where to save the rendering (default: ./qgis_render.png)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    return ap.parse_args()


def rgba(qcolor):
    return tuple(qcolor.getRgb())


def db_facts(db):
    """What the file says, read with sqlite3 before QGIS opens it."""
    con = sqlite3.connect(db)
    f = {}
    f["work_srid"] = int(con.execute("SELECT value FROM summary WHERE name = 'work_srid'").fetchone()[0])
    f["count"] = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in LAYERS}
    f["with_geom"] = {t: con.execute(f'SELECT count(geom) FROM "{t}"').fetchone()[0] for t in LAYERS}
    f["geom_col"] = dict(con.execute("SELECT f_table_name, f_geometry_column FROM geometry_columns"))
    f["styles"] = con.execute(
        "SELECT id, f_table_schema, f_table_name, f_geometry_column, useAsDefault, styleQML "
        "FROM layer_styles ORDER BY id").fetchall()
    f["columns"] = {t: [r[1] for r in con.execute(f'PRAGMA table_info("{t}")')] for t in LAYERS}
    # parcels whose holder / CBFMC are not ASCII, for the round trip
    cols = ["key", "holder", "village"] + (["CBFMC"] if "CBFMC" in f["columns"]["parcels"] else [])
    rows = con.execute(f'SELECT {", ".join(cols)} FROM parcels ORDER BY fid').fetchall()
    chinese = [dict(zip(cols, r)) for r in rows
               if any(isinstance(v, str) and not v.isascii() for v in r[1:])]
    f["chinese"] = chinese[:2] + chinese[len(chinese) // 2:len(chinese) // 2 + 1] + chinese[-1:]
    f["holder_count"] = {}
    for r in f["chinese"]:
        f["holder_count"][r["holder"]] = con.execute(
            "SELECT count(*) FROM parcels WHERE holder = ?", (r["holder"],)).fetchone()[0]
    f["block_mu"] = dict(con.execute("SELECT block_id, parcel_mu FROM blocks"))
    con.close()
    return f


def ogr_geometry_columns(db):
    """The geometry column names as OGR reports them (what QGIS's OGR provider
    looks up in layer_styles); None without the GDAL bindings."""
    try:
        from osgeo import ogr
    except ImportError:
        return None
    ds = ogr.Open(db)
    if ds is None:
        return None
    out = {t: ds.GetLayerByName(t).GetGeometryColumn() for t in LAYERS if ds.GetLayerByName(t)}
    ds = None
    return out


def look(symbol):
    """(fill or None, ((hatch angle, hatch colour), ...), outline colour) of a fill symbol"""
    from qgis.PyQt.QtCore import Qt
    fill, hatches, outline = None, [], None
    for sl in symbol.symbolLayers():
        if sl.layerType() == "SimpleFill":
            if sl.brushStyle() != Qt.NoBrush:
                fill = rgba(sl.color())
            if sl.strokeStyle() != Qt.NoPen:
                outline = rgba(sl.strokeColor())
        elif sl.layerType() == "LinePatternFill":
            hatches.append((round(sl.lineAngle()), rgba(sl.subSymbol().color())))
    return fill, tuple(hatches), outline


def outline_width(symbol):
    return max((sl.strokeWidth() for sl in symbol.symbolLayers() if sl.layerType() == "SimpleFill"), default=0)


def qml_aliases(qml):
    root = ET.fromstring(qml.split("\n", 1)[1] if qml.startswith("<!DOCTYPE") else qml)
    return {a.get("field"): a.get("name") for a in root.iter("alias")}


def label_rules(layer):
    """[(filter or None, scale denominator shown at and closer (0: always), settings)]"""
    from qgis.core import QgsRuleBasedLabeling, QgsVectorLayerSimpleLabeling
    lab = layer.labeling()
    if isinstance(lab, QgsVectorLayerSimpleLabeling):
        st = lab.settings()
        return "simple", [(None, st.minimumScale if st.scaleVisibility else 0, st)]
    if isinstance(lab, QgsRuleBasedLabeling):
        return "rules", [(r.filterExpression(), r.minimumScale() if r.dependsOnScale() else 0, r.settings())
                         for r in lab.rootRule().children()]
    return type(lab).__name__, []


def check_labels(c, layer, name, what, facts):
    """The label rules and scales of LABELS; block labels evaluate to the
    block's mu, feature by feature."""
    from qgis.core import QgsExpression, QgsExpressionContext, QgsExpressionContextUtils, QgsFeatureRequest
    if name not in LABELS:
        c.check(not layer.labelsEnabled(), f"{what}: labels enabled")
        return
    kind, want = LABELS[name]
    got_kind, rules = label_rules(layer)
    if not c.check(layer.labelsEnabled() and got_kind == kind and len(rules) == len(want),
                   f"{what}: labels {got_kind} with {len(rules)} rules, want {kind} with {len(want)}"):
        return
    for (filt, scale, st), (want_filt, want_scale, holds) in zip(rules, want):
        c.eq((filt, scale), (want_filt, want_scale), f"{what}: label rule and scale")
        c.check(st.isExpression and holds in st.fieldName, f"{what}: label {st.fieldName!r} lacks {holds}")
        if name == "bridges":
            check_bridge_labels(c, layer, filt, st.fieldName, what)
            continue
        if name != "blocks":
            continue
        ctx = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
        ex = QgsExpression(st.fieldName)
        ex.prepare(ctx)
        bad, n = [], 0
        for f in layer.getFeatures(QgsFeatureRequest().setFilterExpression(filt)):
            n += 1
            ctx.setFeature(f)
            v = ex.evaluate(ctx)
            mu = facts["block_mu"][f["block_id"]]
            if ex.hasEvalError() or not isinstance(v, str) or \
                    not re.sub(r"\D", "", v).endswith(re.sub(r"\D", "", f"{mu:.2f}")):
                bad.append((f["block_id"], v, ex.evalErrorString()))
        c.check(n > 0 and not bad, f"{what}: {n} labels of {filt}, without the block's mu: {bad[:3]}")


def check_bridge_labels(c, layer, filt, expr, what):
    """Each feature of the rule labelled with its holder and gain (one
    decimal) and its route step, or its step and holder without a gain."""
    from qgis.core import QgsExpression, QgsExpressionContext, QgsExpressionContextUtils, QgsFeatureRequest
    ctx = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    ex = QgsExpression(expr)
    ex.prepare(ctx)
    bad, n = [], 0
    for f in layer.getFeatures(QgsFeatureRequest().setFilterExpression(filt)):
        n += 1
        ctx.setFeature(f)
        got = ex.evaluate(ctx)
        holder = f["holder"] or "(无承包方)"
        step = f["route_step"]
        if f["gain_mu"] > 0:
            want = f"{holder} +{f['gain_mu']:,.1f} 亩" + (f" 第{step}步" if step else "")
        else:
            want = f"第{step}步 {holder}"
        if ex.hasEvalError() or got != want:
            bad.append((f["rank"], got, want, ex.evalErrorString()))
    c.check(n > 0 and not bad, f"{what}: {n} labels of {filt}, wrong: {bad[:3]}")


def check_forms(c, layer, name, what):
    """The value map on status shows the Chinese word; the parcels' display
    expression names the village, by its code when no name is known."""
    from qgis.core import QgsExpression, QgsExpressionContext, QgsExpressionContextUtils
    ctx = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    if layer.fields().indexOf("status") >= 0:
        setup = layer.editorWidgetSetup(layer.fields().indexOf("status"))
        c.eq(setup.type(), "ValueMap", f"{what}: widget of status")
        ex = QgsExpression('represent_value("status")')
        bad, seen = [], {}
        for f in layer.getFeatures():  # a few features of every status
            if not f["status"] or seen.get(f["status"], 0) >= 3:
                continue
            seen[f["status"]] = seen.get(f["status"], 0) + 1
            ctx.setFeature(f)
            if ex.evaluate(ctx) != STATUS_ZH[f["status"]]:
                bad.append((f["status"], ex.evaluate(ctx)))
        c.check(seen and not bad, f"{what}: represent_value(status) {bad[:3]} (statuses seen {seen})")
    if name == "parcels":
        ex = QgsExpression(layer.displayExpression())
        f = next(layer.getFeatures())
        ctx.setFeature(f)
        shown = ex.evaluate(ctx)
        want = f["village_name"] or f["village"]
        c.check(isinstance(shown, str) and shown.startswith(want),
                f"{what}: display {shown!r} does not start with the village {want!r}")
        f["village_name"] = None
        ctx.setFeature(f)
        shown = ex.evaluate(ctx)
        c.check(isinstance(shown, str) and shown.startswith(f["village"]) and f["key"] in shown,
                f"{what}: display without a village name {shown!r}, want the code {f['village']!r} first")
        f["village_name"] = "某某村"
        ctx.setFeature(f)
        shown = ex.evaluate(ctx)
        c.check(isinstance(shown, str) and shown.startswith("某某村"), f"{what}: display with a name {shown!r}")


def main():
    args = parse_args()
    t0 = time.monotonic()
    missing = lctest.qgis_missing()
    if missing is not None:
        return missing
    from qgis.core import (Qgis, QgsApplication, QgsCategorizedSymbolRenderer, QgsDataSourceUri, QgsRuleBasedRenderer,
                           QgsExpression, QgsExpressionContext, QgsExpressionContextUtils,
                           QgsFeatureRequest, QgsFeatureSource, QgsMapRendererParallelJob,
                           QgsMapSettings, QgsProject, QgsSingleSymbolRenderer, QgsVectorLayer,
                           QgsVectorLayerSimpleLabeling, QgsWkbTypes)
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor, QFontDatabase, QImage

    shp = os.path.join(args.data_dir, "shuangcheng", "DK.shp")
    reg = os.path.join(args.data_dir, "shuangcheng", "DK_register.csv")
    for p in (args.landcons, shp, reg):
        if not os.path.exists(p):
            print(f"FAIL test_qgis: {p} is missing", file=sys.stderr)
            return 1

    c = lctest.Checker("test_qgis")
    tmp = tempfile.mkdtemp(prefix="landcons-qgis-")
    db = os.path.join(tmp, "shuangcheng.sqlite")
    sites = os.path.join(os.path.dirname(shp), "DK_sites.geojson")
    # the sites serve as their own constraint layer, so constraint_overlaps has rows
    r = lctest.run([args.landcons, "analyze", shp, "--register", reg, "--site", sites,
                    "--constraint", sites, "-o", db, "--as-of", "2019-05-01", "--target-mu", "100000", "-q"])
    if not c.check(r.returncode == 0 and os.path.exists(db),
                   f"landcons analyze failed ({r.returncode}): {r.stderr.strip()}"):
        shutil.rmtree(tmp, ignore_errors=True)
        return 1
    os.environ.setdefault("XDG_RUNTIME_DIR", tmp)  # private (0700), quiets Qt
    facts = db_facts(db)
    srid = facts["work_srid"]
    want_authid = f"EPSG:{srid}"

    # ---- the layer_styles rows as SPEC §4 has them -------------------------
    ogr_cols = ogr_geometry_columns(db)
    for t in LAYERS:
        rows = [s for s in facts["styles"] if s[2] == t]
        ogr_rows = [s for s in rows if s[1] == ""]
        spl_rows = [s for s in rows if s[1] is None]
        c.eq(len(ogr_rows), 1, f"{t}: layer_styles rows with f_table_schema = '' (OGR provider)")
        c.eq(len(spl_rows), 1, f"{t}: layer_styles rows with f_table_schema NULL (SpatiaLite provider)")
        if ogr_cols is not None and ogr_rows:
            c.eq(ogr_rows[0][3], ogr_cols.get(t), f"{t}: OGR row's f_geometry_column vs OGR's name")
        if spl_rows:
            c.eq(spl_rows[0][3], facts["geom_col"].get(t, "").lower(),
                 f"{t}: SpatiaLite row's f_geometry_column vs geometry_columns")
        c.check(all(s[4] == 1 for s in rows), f"{t}: useAsDefault = 1 on every row")
    qml_of = {s[2]: s[5] for s in facts["styles"] if s[1] == ""}

    # No sidecar style a file-based fallback could load instead.
    c.check(not [n for n in os.listdir(tmp) if n.lower().endswith((".qml", ".qmldb"))],
            "a .qml file next to the database")

    app = QgsApplication([], False)
    app.setPrefixPath("/usr", True)
    app.initQgis()
    log = []
    QgsApplication.messageLog().messageReceived.connect(
        lambda msg, tag, level: log.append((tag, msg)) if level >= Qgis.Warning else None)
    project = QgsProject.instance()
    summary = []

    def open_layer(provider, name, path=db, auto_style=False):
        """A layer as QGIS's application adds one (QgsAppLayerHandling /
        QgisApp::addSublayers create it with loadDefaultStyle = false, then
        postProcessAddedLayer calls loadDefaultStyle()); auto_style: the
        plain constructor (PyQGIS, iface.addVectorLayer)."""
        opts = QgsVectorLayer.LayerOptions(project.transformContext())
        opts.loadDefaultStyle = auto_style
        if provider == "ogr":
            uri = f"{path}|layername={name}"
        else:
            u = QgsDataSourceUri()
            u.setDatabase(path)
            u.setDataSource("", name, "geom")
            uri = u.uri()
        return QgsVectorLayer(uri, name, provider, opts)

    def styled_as_parcels(layer):
        rnd = layer.renderer()
        return isinstance(rnd, QgsCategorizedSymbolRenderer) and rnd.classAttribute() == "status"

    keep = {}  # styled OGR layers, for the rendering
    status_colour = {}
    for provider in ("ogr", "spatialite"):
        for name in LAYERS:
            what = f"{name} ({provider})"
            layer = open_layer(provider, name)
            if not c.check(layer.isValid(), f"{what}: layer is not valid"):
                continue
            c.eq(layer.crs().authid(), want_authid, f"{what}: CRS")
            n = layer.featureCount()
            hint = ""
            if n != facts["count"][name] and facts["with_geom"][name] == 0:
                hint = (" — none of its rows has a geometry, and QGIS's SpatiaLite provider counts "
                        "no features in a layer without any (SPEC §4: parcel findings carry the "
                        "parcel's point-on-surface)")
            c.check(n == facts["count"][name],
                    f"{what}: featureCount {n}, sqlite3 count(*) {facts['count'][name]}{hint}")
            c.eq(sum(1 for _ in layer.getFeatures()), facts["count"][name], f"{what}: features read")
            geom = QgsWkbTypes.flatType(layer.wkbType())
            c.eq(geom, QgsWkbTypes.Point if name == "qa_issues" else QgsWkbTypes.MultiPolygon,
                 f"{what}: geometry type")
            c.eq(layer.hasSpatialIndex(), QgsFeatureSource.SpatialIndexPresent, f"{what}: spatial index")

            # the default style, from the database
            c.check(not styled_as_parcels(layer), f"{what}: styled before loadDefaultStyle()")
            msg, ok = layer.loadDefaultStyle()
            c.check(ok and msg == "Loaded from Provider",
                    f"{what}: loadDefaultStyle() -> ({msg!r}, {ok}), want the database's style "
                    "('Loaded from Provider', True)")
            rnd = layer.renderer()
            if name == "parcels":
                if c.check(styled_as_parcels(layer),
                           f"{what}: renderer {type(rnd).__name__} on "
                           f"{getattr(rnd, 'classAttribute', lambda: None)()!r}, "
                           "want categorized on 'status'"):
                    cats = {cat.value(): rgba(cat.symbol().color()) for cat in rnd.categories()}
                    c.eq(sorted(cats), sorted(STATUSES), f"{what}: categories")
                    c.eq(len(set(cats.values())), len(STATUSES), f"{what}: distinct category colours")
                    c.check(all(cat.renderState() for cat in rnd.categories()),
                            f"{what}: a category is switched off")
                    status_colour = status_colour or cats
            elif name in CATEGORIZED:
                attr, want = CATEGORIZED[name]
                if c.check(isinstance(rnd, QgsCategorizedSymbolRenderer) and rnd.classAttribute() == attr,
                           f"{what}: renderer {type(rnd).__name__}, want categorized on {attr!r}"):
                    cats = {str(cat.value()): look(cat.symbol()) for cat in rnd.categories()}
                    c.eq(cats, want, f"{what}: categories and their looks")
            elif name in RULES:
                want = RULES[name]
                if c.check(isinstance(rnd, QgsRuleBasedRenderer),
                           f"{what}: renderer {type(rnd).__name__}, want rule-based"):
                    got = [(r.filterExpression(), look(r.symbol()), round(outline_width(r.symbol()), 3))
                           for r in rnd.rootRule().children()]
                    c.eq(got, want, f"{what}: rules (filter, look, outline width)")
            else:
                want = SINGLE[name]
                if c.check(isinstance(rnd, QgsSingleSymbolRenderer),
                           f"{what}: renderer {type(rnd).__name__}, want single symbol"):
                    sym = rnd.symbol()
                    sl = sym.symbolLayer(0)
                    c.eq(rgba(sl.color()), want["fill"], f"{what}: symbol colour")
                    if "outline" in want:
                        c.eq(rgba(sl.strokeColor()), want["outline"], f"{what}: outline colour")
            check_labels(c, layer, name, what, facts)
            check_forms(c, layer, name, what)

            # aliases: the expected ones, and every one the stored style has
            fields = layer.fields()
            want_alias = dict(ALIASES[name])
            if name == "parcels":
                want_alias.update({k: v for k, v in INPUT_ALIASES.items() if k in facts["columns"][name]})
            want_alias.update(qml_aliases(qml_of.get(name, "<qgis/>")))
            wrong = []
            for field, alias in sorted(want_alias.items()):
                i = fields.indexOf(field)
                got = layer.attributeAlias(i) if i >= 0 else "<no such field>"
                if got != alias:
                    wrong.append(f"{field}: {got!r} != {alias!r}")
            c.check(not wrong, f"{what}: aliases: {'; '.join(wrong)}")
            if name == "parcels":
                c.eq(layer.attributeDisplayName(fields.indexOf("status")), "流转状态",
                     f"{what}: display name of status")

            # Chinese text values
            if name == "parcels":
                for row in facts["chinese"]:
                    req = QgsFeatureRequest().setFilterExpression(
                        f'"key" = {QgsExpression.quotedValue(row["key"])}')
                    feats = list(layer.getFeatures(req))
                    if c.eq(len(feats), 1, f"{what}: features with key {row['key']}"):
                        for col, v in row.items():
                            c.eq(feats[0][col], v, f"{what}: {row['key']} {col}")
                for holder, n in facts["holder_count"].items():
                    req = QgsFeatureRequest().setFilterExpression(
                        f'"holder" = {QgsExpression.quotedValue(holder)}')
                    c.eq(sum(1 for _ in layer.getFeatures(req)), n, f"{what}: parcels of {holder}")
            if provider == "ogr":
                keep[name] = layer
            else:
                del layer
        summary.append(f"{provider}: {len(LAYERS)} layers valid, {want_authid}, counts, default style "
                       "from layer_styles, aliases")

    # The plain constructor (PyQGIS, iface.addVectorLayer) styles on its own.
    for provider in ("ogr", "spatialite"):
        p = open_layer(provider, "parcels", auto_style=True)
        b = open_layer(provider, "blocks", auto_style=True)
        c.check(styled_as_parcels(p) and b.labelsEnabled(),
                f"parcels/blocks ({provider}): not styled by the constructor's default style")
        del p, b

    # Each provider finds its own row: a copy with only that provider's rows.
    for provider, keep_where in (("ogr", "f_table_schema IS ''"), ("spatialite", "f_table_schema IS NULL")):
        copy = os.path.join(tmp, f"only_{provider}_rows.sqlite")
        shutil.copyfile(db, copy)
        con = sqlite3.connect(copy)
        con.execute(f"DELETE FROM layer_styles WHERE NOT ({keep_where})")
        con.commit()
        con.close()
        for name in ("parcels", "blocks"):
            layer = open_layer(provider, name, path=copy)
            msg, ok = layer.loadDefaultStyle()
            styled = styled_as_parcels(layer) if name == "parcels" else layer.labelsEnabled()
            c.check(ok and styled, f"{name} ({provider}): not styled from its own row alone "
                    f"({keep_where}): ({msg!r}, {ok})")
            # QGIS's list (Load Style > From Database): each row once
            n_related, ids, names, _, err = layer.listStylesInDatabase()
            c.check(len(ids) == len(set(ids)), f"{name} ({provider}): style list repeats rows: {ids}")
            del layer
    summary.append("each provider styled from its own layer_styles row alone; style lists without repeats")

    # ---- rendering ----------------------------------------------------------
    png = os.path.abspath(args.png)
    order = [keep[n] for n in ("qa_issues", "enclaves", "blocks", "parcels") if n in keep]
    n_colours = 0
    if c.check("parcels" in keep and status_colour, "nothing to render"):
        ms = QgsMapSettings()
        ms.setLayers(order)  # first on top
        ms.setDestinationCrs(keep["parcels"].crs())
        ms.setOutputSize(QSize(1200, 1200))
        ms.setExtent(keep["parcels"].extent().buffered(keep["parcels"].extent().width() * 0.02))
        ms.setBackgroundColor(QColor(*BACKGROUND))
        ms.setFlag(QgsMapSettings.Antialiasing, True)
        ms.setFlag(QgsMapSettings.DrawLabeling, True)
        job = QgsMapRendererParallelJob(ms)
        job.start()
        job.waitForFinished()
        c.check(not job.errors(), f"render errors: {[(e.layerID, e.message) for e in job.errors()]}")
        c.check(job.renderedImage().save(png, "PNG"), f"cannot save {png}")
        del job
        img = QImage(png)
        if c.check(not img.isNull() and img.width() == 1200 and img.height() == 1200,
                   f"{png}: not a 1200x1200 image"):
            img = img.convertToFormat(QImage.Format_ARGB32)
            bits = img.constBits()
            bits.setsize(img.sizeInBytes())
            counts = Counter(memoryview(bytes(bits)).cast("I"))
            total = img.width() * img.height()
            n_colours = len(counts)

            def share(colour, tol=2):
                r0, g0, b0 = colour[:3]
                n = 0
                for px, k in counts.items():
                    if abs((px >> 16 & 255) - r0) <= tol and abs((px >> 8 & 255) - g0) <= tol \
                            and abs((px & 255) - b0) <= tol and px >> 24 == 255:
                        n += k
                return n / total

            c.check(n_colours > 5, f"{png}: {n_colours} distinct colours")
            bg = share(BACKGROUND, 0)
            c.check(bg < 0.9, f"{png}: {bg:.1%} of the pixels are background")
            shares = {s: share(col) for s, col in status_colour.items()}
            for s in ("transferred", "pending"):
                c.check(shares[s] >= 0.01, f"{png}: the {s} colour {status_colour[s][:3]} covers "
                        f"{shares[s]:.2%} of the image")
            summary.append(f"rendered {png}: {n_colours} colours, background {bg:.0%}, " +
                           ", ".join(f"{s} {v:.1%}" for s, v in shares.items()))

    cjk = QFontDatabase().families(QFontDatabase.SimplifiedChinese)
    if not cjk:
        summary.append("note: no font for Chinese here; the Chinese parts of block labels render as boxes")
    if log:
        summary.append("QGIS warnings: " + "; ".join(f"[{t}] {m}" for t, m in log[:5]))

    keep.clear()
    order.clear()
    project.clear()
    app.exitQgis()
    if args.keep:
        summary.append(f"kept {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    for line in summary:
        print(line)
    print(f"test_qgis: {c.checks} checks, {c.failures} failures, {time.monotonic() - t0:.1f} s")
    return 1 if c.failures else 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    sys.exit(code)
