#!/usr/bin/python3
"""End-to-end: `landcons analyze --qgis PROJECT.qgz` writes a QGIS project
that QGIS 3.22 (Debian 12) opens as designed (SPEC §5a, issue 15 point 3,
issue 16 point 5).

Runs analyze on the committed sample (gis-data/shuangcheng, its two sites,
the sites again as a constraint layer, --unit-names) into a folder with a
Chinese name, checks the .qgz (one .qgs inside, every data source relative,
no absolute path of the folder in it), moves the folder elsewhere, and
opens the project there with PyQGIS:

- QgsProject.read succeeds; the CRS is the database's work_srid;
- the layers, in panel and drawing order: sites, constraint overlaps, the
  blocking parcels (site_overlaps filtered on blocking = 1), enclaves,
  blocks, the bridges (parcels to negotiate first), parcels, then the QA
  layers switched off; each valid, resolved
  into the moved folder, with the feature count sqlite3 gives;
- each styled with the style of the database's layer_styles row: renderer
  class, categories or rules, labels, value maps, display expression;
- the layouts: the overview and one per site, each with its map (the site
  inside it, a round scale), legend, scale bars, north arrow, title and a
  figures table equal to the database's figures; each exported to PDF
  through QgsLayoutExporter (A4 landscape, pdfinfo; real text, pdftotext;
  not blank and with the status colours, pdftoppm and pixel counts);
- the map rendered at 1:80,000 and 1:4,000 through QGIS's labelling
  engine: at 1:80,000 the largest block's label only and no holder
  labels; at 1:4,000 holder labels, the other blocks' labels, and every
  blocking parcel labelled "holder status" with the status in Chinese
  through the value map; bridges ("holder +gain 亩", "第n步 holder")
  labelled only at 1:4,000. The renderings and the exported pages are
  left in the working directory (qgis_project_*.png) to be looked at.

Exit 0 pass, 1 fail, 77 skip (no qgis.core for /usr/bin/python3).
"""
import argparse
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
import zipfile

import lctest

# The designed order, top first: (table, filter, switched on)
ORDER = [
    ("sites", "", True),
    ("constraint_overlaps", "", True),
    ("site_overlaps", '"blocking" = 1', True),
    ("enclaves", "", True),
    ("blocks", "", True),
    ("bridges", "", True),
    ("parcels", "", True),
    ("qa_issues", "", False),
]
TRANSFERRED_RGB = (77, 175, 74)
A4_LANDSCAPE_PT = (841.89, 595.28)


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--landcons", required=True, help="the landcons binary")
    ap.add_argument("--data-dir", required=True, help="gis-data folder with shuangcheng/")
    ap.add_argument("--artifacts", default=".", help="folder for the PNGs (default: working directory)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    return ap.parse_args()


def qml_root(qml):
    return ET.fromstring(qml.split("\n", 1)[1] if qml.startswith("<!DOCTYPE") else qml)


def db_facts(db):
    """What the database says, read with sqlite3 (and its SpatiaLite MBR
    functions on the blobs' headers) before QGIS opens anything."""
    con = sqlite3.connect(db)
    f = {"srid": int(con.execute("SELECT value FROM summary WHERE name = 'work_srid'").fetchone()[0])}
    f["summary"] = dict(con.execute("SELECT name, value FROM summary"))
    tables = {t for t, _f, _v in ORDER} | {"qa_overlaps"}
    f["count"] = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    f["blocking"] = con.execute("SELECT count(*) FROM site_overlaps WHERE blocking = 1").fetchone()[0]
    f["qml"] = {t: q for t, q in con.execute("SELECT f_table_name, styleQML FROM layer_styles "
                                             "WHERE f_table_schema = ''")}
    # blob header MBR: bytes 6..38 of a SpatiaLite geometry blob are min x, min y, max x, max y
    import struct

    def mbr(blob):
        return struct.unpack("<4d", blob[6:38])
    f["sites"] = []
    for row in con.execute("SELECT site_id, name, area_m2, transferred_mu, pending_mu, refused_mu, "
                           "disputed_mu, unregistered_mu, no_parcel_mu, ready, blocking_count, geom "
                           "FROM sites ORDER BY site_id"):
        f["sites"].append(dict(zip(("id", "name", "area_m2", "transferred", "pending", "refused", "disputed",
                                    "unregistered", "no_parcel", "ready", "blocking"), row[:11]),
                               bbox=mbr(row[11])))
    f["blockers"] = [dict(site=s, holder=h, status=st, bbox=mbr(g)) for s, h, st, g in con.execute(
        "SELECT site_id, holder, status, geom FROM site_overlaps WHERE blocking = 1")]
    f["holders"] = {h for (h,) in con.execute("SELECT DISTINCT holder FROM parcels WHERE holder IS NOT NULL")}
    f["largest_mu"] = con.execute("SELECT parcel_mu FROM blocks WHERE block_id = 1").fetchone()[0]
    f["status_values"] = {s for (s,) in con.execute("SELECT DISTINCT status FROM parcels")}
    f["parcels_extent"] = con.execute("SELECT extent_min_x, extent_min_y, extent_max_x, extent_max_y FROM "
                                      "geometry_columns_statistics WHERE f_table_name = 'parcels'").fetchone()
    con.close()
    return f


def mu(m2):
    return m2 * 15 / 10000


def round_scale(s):
    """1, 1.5, 2, 2.5, 3, 4, 5, 6 or 7.5 times a power of ten"""
    k = 10 ** int(f"{s:e}".split("e")[1])
    return any(abs(s - m * k) < 1e-6 * s for m in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5, 10))


def loosely_in(word, text):
    """word in text, where any CJK character may have come out of the PDF as
    a radical (U+2E80..U+2FDF): Qt's PDF writer names some glyphs of the CJK
    font by their radical look-alikes in the ToUnicode map (⽤ for 用, ⺠ for
    民). NFKC maps the Kangxi radicals back, not the radicals supplement."""
    pattern = "".join(f"(?:{re.escape(ch)}|[\u2e80-\u2fdf])" if ord(ch) > 0x2e80 else re.escape(ch)
                      for ch in word)
    return re.search(pattern, text) is not None


def pixel_shares(png, colours, tol=3):
    """Share of non-white pixels and of pixels near each colour."""
    from qgis.PyQt.QtGui import QImage
    img = QImage(png).convertToFormat(QImage.Format_RGB32)
    bits = img.constBits()
    bits.setsize(img.sizeInBytes())
    from collections import Counter
    counts = Counter(memoryview(bytes(bits)).cast("I"))
    total = img.width() * img.height()
    white = sum(k for px, k in counts.items() if (px & 0xFFFFFF) == 0xFFFFFF)
    near = {}
    for name, (r0, g0, b0) in colours.items():
        near[name] = sum(k for px, k in counts.items()
                         if abs((px >> 16 & 255) - r0) <= tol and abs((px >> 8 & 255) - g0) <= tol
                         and abs((px & 255) - b0) <= tol) / total
    return 1 - white / total, near


def main():
    args = parse_args()
    t0 = time.monotonic()
    missing = lctest.qgis_missing()
    if missing is not None:
        return missing
    for tool in ("pdfinfo", "pdftotext", "pdftoppm"):
        if not shutil.which(tool):
            print(f"SKIP: {tool} (poppler-utils) is not installed")
            return lctest.SKIP

    d = os.path.join(args.data_dir, "shuangcheng")
    shp, reg, sites, units = (os.path.join(d, n) for n in
                              ("DK.shp", "DK_register.csv", "DK_sites.geojson", "DK_units.csv"))
    c = lctest.Checker("test_qgis_project")
    tmp = tempfile.mkdtemp(prefix="landcons-qgisproject-")
    os.environ.setdefault("XDG_RUNTIME_DIR", tmp)
    out = os.path.join(tmp, "成果")
    os.mkdir(out)
    db = os.path.join(out, "双城.sqlite")
    prj = os.path.join(out, "双城.qgz")
    r = lctest.run([args.landcons, "analyze", shp, "--register", reg, "--site", sites, "--constraint", sites,
                    "--unit-names", units, "-o", db, "--qgis", prj, "--as-of", "2019-05-01", "-q"])
    if not c.check(r.returncode == 0 and os.path.exists(prj),
                   f"landcons analyze --qgis failed ({r.returncode}): {r.stderr.strip()}"):
        shutil.rmtree(tmp, ignore_errors=True)
        return 1
    facts = db_facts(db)
    summary = []
    mask = os.umask(0)
    os.umask(mask)
    c.eq(os.stat(prj).st_mode & 0o777, 0o666 & ~mask, "project file mode (the umask's, not mkstemp's 0600)")

    # ---- the archive ---------------------------------------------------------
    with zipfile.ZipFile(prj) as z:
        names = z.namelist()
        c.check(len(names) == 1 and names[0].endswith(".qgs"), f"{prj}: entries {names}, want one .qgs")
        doc = z.read(names[0]).decode("utf-8")
    root = ET.fromstring(doc.split("\n", 1)[1])
    sources = [e.text for e in root.iter("datasource")]
    c.check(sources and all(s.startswith("./双城.sqlite|layername=") for s in sources),
            f"data sources not relative to the project: {sources[:3]}")
    c.check(tmp not in doc, f"the project names the absolute folder {tmp}")
    summary.append(f"{os.path.basename(prj)}: one {names[0]}, {len(sources)} relative data sources")

    # ---- moved elsewhere, as when the folder is zipped and mailed -------------
    moved = os.path.join(tmp, "别处", "收到的文件")
    os.makedirs(os.path.dirname(moved))
    shutil.move(out, moved)
    prj = os.path.join(moved, "双城.qgz")

    from qgis.core import (QgsApplication, QgsCategorizedSymbolRenderer, QgsExpression, QgsExpressionContext,
                           QgsExpressionContextUtils, QgsLayoutExporter, QgsLayoutItemLegend,
                           QgsLayoutItemManualTable, QgsLayoutItemMap, QgsLayoutItemPicture,
                           QgsLayoutItemLabel, QgsLayoutItemScaleBar, QgsMapRendererSequentialJob,
                           QgsMapSettings, QgsProject, QgsRectangle, QgsRenderContext, QgsRuleBasedLabeling,
                           QgsRuleBasedRenderer, QgsSingleSymbolRenderer, QgsVectorLayerSimpleLabeling)
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor
    app = QgsApplication([], False)
    app.setPrefixPath("/usr", True)
    app.initQgis()
    project = QgsProject.instance()
    c.check(project.read(prj), f"QgsProject.read({prj}) failed: {project.error()}")
    c.eq(project.crs().authid(), f"EPSG:{facts['srid']}", "project CRS")

    tree = project.layerTreeRoot()
    nodes = tree.findLayers()
    got = []
    for n in nodes:
        lyr = n.layer()
        m = re.search(r"layername=([^|]+)", lyr.source() if lyr else "")
        got.append((m.group(1) if m else None, lyr.subsetString() if lyr else None, n.isVisible()))
    c.eq(got, ORDER, "layers in the panel, top first: (table, filter, switched on)")
    c.eq([lyr.id() for lyr in tree.layerOrder()], [n.layer().id() for n in nodes], "drawing order")
    layer_of = {}
    for n, (table, filt, _vis) in zip(nodes, ORDER):
        lyr = n.layer()
        what = f"{n.name()} ({table})"
        if not c.check(lyr is not None and lyr.isValid(), f"{what}: not valid"):
            continue
        layer_of[table] = lyr
        c.check(lyr.source().startswith(moved + "/双城.sqlite"), f"{what}: source {lyr.source()} not in {moved}")
        want = facts["blocking"] if filt else facts["count"][table]
        c.eq(lyr.featureCount(), want, f"{what}: features")
        # the database's style
        q = qml_root(facts["qml"][table])
        rnd = lyr.renderer()
        qr = q.find("renderer-v2")
        if qr.get("type") == "categorizedSymbol":
            if c.check(isinstance(rnd, QgsCategorizedSymbolRenderer), f"{what}: {type(rnd).__name__}"):
                c.eq(rnd.classAttribute(), qr.get("attr"), f"{what}: class attribute")
                c.eq([(str(k.value()), k.label()) for k in rnd.categories()],
                     [(k.get("value"), k.get("label")) for k in qr.iter("category")], f"{what}: categories")
        elif qr.get("type") == "RuleRenderer":
            if c.check(isinstance(rnd, QgsRuleBasedRenderer), f"{what}: {type(rnd).__name__}"):
                c.eq([(x.filterExpression(), x.label()) for x in rnd.rootRule().children()],
                     [(x.get("filter"), x.get("label")) for x in qr.iter("rule")], f"{what}: rules")
        else:
            c.check(isinstance(rnd, QgsSingleSymbolRenderer), f"{what}: {type(rnd).__name__}")
        c.eq(lyr.labelsEnabled(), q.get("labelsEnabled") == "1", f"{what}: labels enabled")
        ql = q.find("labeling")
        if ql is not None:
            want_cls = QgsRuleBasedLabeling if ql.get("type") == "rule-based" else QgsVectorLayerSimpleLabeling
            c.check(isinstance(lyr.labeling(), want_cls), f"{what}: labeling {type(lyr.labeling()).__name__}")
        for field in q.iter("field"):
            w = field.find("editWidget")
            setup = lyr.editorWidgetSetup(lyr.fields().indexOf(field.get("name")))
            c.eq(setup.type(), w.get("type"), f"{what}: widget of {field.get('name')}")
        c.eq(lyr.displayExpression(), q.findtext("previewExpression"), f"{what}: display expression")
    summary.append(f"{len(nodes)} layers in the designed order, valid, counted, styled as layer_styles")

    # the status value map covers every status value in the database
    parcels = layer_of.get("parcels")
    zh = {}
    if parcels:
        cfg = parcels.editorWidgetSetup(parcels.fields().indexOf("status")).config()
        zh = {v: k for item in cfg.get("map", []) for k, v in item.items()}
        c.check(facts["status_values"] <= set(zh), f"status values {facts['status_values']} vs map {zh}")
        c.check(all(not w.isascii() for w in zh.values()), f"value map words not Chinese: {zh}")

    # ---- layouts ------------------------------------------------------------------
    sites_db = facts["sites"]
    want_names = ["总览 overview"] + [f"用地 {s['id']} {s['name']}" for s in sites_db]
    layouts = project.layoutManager().printLayouts()
    c.eq([lay.name() for lay in layouts], want_names, "layouts")
    artifacts = os.path.abspath(args.artifacts)
    pages = []
    for i, lay in enumerate(layouts):
        what = f"layout {lay.name()}"
        items = lay.items()
        maps = [x for x in items if isinstance(x, QgsLayoutItemMap)]
        bars = [x for x in items if isinstance(x, QgsLayoutItemScaleBar)]
        legends = [x for x in items if isinstance(x, QgsLayoutItemLegend)]
        arrows = [x for x in items if isinstance(x, QgsLayoutItemPicture)]
        labels = [x.text() for x in items if isinstance(x, QgsLayoutItemLabel)]
        tables = [mf for mf in lay.multiFrames() if isinstance(mf, QgsLayoutItemManualTable)]
        if not c.check(len(maps) == 1 and len(legends) == 1 and len(arrows) == 1 and len(tables) == 1,
                       f"{what}: maps {len(maps)}, legends {len(legends)}, pictures {len(arrows)}, "
                       f"tables {len(tables)}"):
            continue
        m = maps[0]
        c.eq(sorted(b.style() for b in bars), ["Numeric", "Single Box"], f"{what}: scale bars")
        c.check(all(b.linkedMap() is m for b in bars) and legends[0].linkedMap() is m
                and arrows[0].linkedMap() is m, f"{what}: scale bars, legend, arrow not linked to the map")
        c.check(legends[0].legendFilterByMapEnabled(), f"{what}: legend not filtered by the map")
        c.check(round_scale(m.scale()), f"{what}: scale 1:{m.scale():.3f} is not round")
        page = lay.pageCollection().page(0)
        c.check(abs(page.pageSize().width() - 297) < 0.01 and abs(page.pageSize().height() - 210) < 0.01,
                f"{what}: page {page.pageSize().width()} x {page.pageSize().height()} mm")
        ext = m.extent()
        rows = {r[0].content(): r[1].content() for r in tables[0].tableContents()}
        if i == 0:
            s = facts["summary"]
            c.eq(rows.get("地块"), f"{int(s['parcel_count'])} 块, {float(s['total_mu']):.2f} 亩", f"{what}: 地块")
            c.eq(rows.get("最大连片"), f"{float(s['largest_block_parcel_mu']):.2f} 亩 "
                 f"({int(s['largest_block_parcel_count'])} 块)", f"{what}: 最大连片")
            for st in ("transferred", "pending", "refused", "disputed", "unregistered"):
                c.eq(rows.get(zh.get(st)), f"{int(s[st + '_count'])} 块, {float(s[st + '_mu']):.2f} 亩",
                     f"{what}: {st}")
            for sdb in sites_db:
                x0, y0, x1, y1 = sdb["bbox"]
                c.check(ext.contains(QgsRectangle(x0, y0, x1, y1)), f"{what}: site {sdb['id']} outside the map")
        else:
            sdb = sites_db[i - 1]
            x0, y0, x1, y1 = sdb["bbox"]
            c.check(ext.contains(QgsRectangle(x0, y0, x1, y1)), f"{what}: the site is not inside the map")
            c.check(ext.width() < 4 * max(x1 - x0, y1 - y0) * 1.6, f"{what}: map not zoomed to the site")
            c.check(any(sdb["name"] in t for t in labels), f"{what}: no title with the site name: {labels}")
            verdict = "可以开工" if sdb["ready"] else "不能开工"
            c.eq(rows.get("结论"), verdict, f"{what}: verdict")
            c.eq(rows.get("用地面积"), f"{mu(sdb['area_m2']):.2f} 亩", f"{what}: 用地面积")
            for st in ("transferred", "pending", "refused", "disputed", "unregistered"):
                c.eq(rows.get(zh.get(st)), f"{sdb[st]:.2f} 亩", f"{what}: {st}")
            c.eq(rows.get("无地块"), f"{sdb['no_parcel']:.2f} 亩", f"{what}: 无地块")
            c.eq(rows.get("阻碍开工地块"), f"{sdb['blocking']} 块", f"{what}: 阻碍开工地块")

        # exported as the export dialog would, with the layout's text setting
        pdf = os.path.join(tmp, f"layout{i}.pdf")
        settings = QgsLayoutExporter.PdfExportSettings()
        settings.textRenderFormat = QgsRenderContext.TextRenderFormat(int(lay.customProperty("textFormat", 0)))
        res = QgsLayoutExporter(lay).exportToPdf(pdf, settings)
        if not c.eq(res, QgsLayoutExporter.Success, f"{what}: exportToPdf"):
            continue
        info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
        mm = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
        c.check(mm and abs(float(mm.group(1)) - A4_LANDSCAPE_PT[0]) < 1
                and abs(float(mm.group(2)) - A4_LANDSCAPE_PT[1]) < 1, f"{what}: PDF page size {mm and mm.group(0)}")
        c.check(re.search(r"Pages:\s+1\b", info), f"{what}: not one page")
        text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True).stdout
        title_word = sites_db[i - 1]["name"] if i else "总览"
        c.check(loosely_in("图例", text) and loosely_in(title_word, text),
                f"{what}: title or legend not text in the PDF")
        if i > 0:
            mine = [b for b in facts["blockers"] if b["site"] == sites_db[i - 1]["id"]]
            for b in mine:
                c.check(loosely_in(f"{b['holder']} {zh.get(b['status'])}", text),
                        f"{what}: blocker label '{b['holder']} {zh.get(b['status'])}' not in the PDF text")
        png_base = os.path.join(artifacts, f"qgis_project_layout{i}")
        subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", pdf, png_base], check=False)
        png = png_base + ".png"
        if c.check(os.path.exists(png), f"{what}: pdftoppm made no {png}"):
            ink, near = pixel_shares(png, {"transferred": TRANSFERRED_RGB}, tol=24)
            c.check(ink > 0.25, f"{what}: only {ink:.1%} of the page is not white")
            c.check(near["transferred"] > 0.01, f"{what}: transferred green covers {near['transferred']:.2%}")
            pages.append(f"{os.path.basename(png)} ink {ink:.0%} green {near['transferred']:.0%}")
    summary.append(f"{len(layouts)} layouts exported: " + ", ".join(pages))

    # ---- the map at two scales -------------------------------------------------------
    def render(scale, centre, name):
        ms = QgsMapSettings()
        ms.setLayers([lyr for lyr in tree.layerOrder() if tree.findLayer(lyr.id()).isVisible()])
        ms.setDestinationCrs(project.crs())
        ms.setOutputSize(QSize(1600, 1000))
        ms.setOutputDpi(96)
        half_w = 1600 / 96 * 0.0254 * scale / 2
        half_h = 1000 / 96 * 0.0254 * scale / 2
        ms.setExtent(QgsRectangle(centre[0] - half_w, centre[1] - half_h, centre[0] + half_w, centre[1] + half_h))
        ms.setBackgroundColor(QColor(255, 255, 255))
        ms.setFlag(QgsMapSettings.Antialiasing, True)
        ms.setFlag(QgsMapSettings.DrawLabeling, True)
        ms.setLabelingEngineSettings(project.labelingEngineSettings())
        job = QgsMapRendererSequentialJob(ms)
        job.start()
        job.waitForFinished()
        c.check(not job.errors(), f"1:{scale}: render errors {[e.message for e in job.errors()]}")
        png = os.path.join(artifacts, f"qgis_project_{name}.png")
        job.renderedImage().save(png, "PNG")
        c.check(abs(ms.scale() - scale) < 0.01 * scale, f"rendered at 1:{ms.scale():.0f}, want 1:{scale}")
        results = job.takeLabelingResults()
        placed = [p for p in results.allLabels() if not p.isUnplaced]
        by_layer = {}
        for p in placed:
            by_layer.setdefault(p.layerID, []).append(p.labelText)
        return {t: by_layer.get(layer_of[t].id(), []) for t in layer_of}, ms.visibleExtent()

    s1 = sites_db[0]["bbox"]
    centre1 = ((s1[0] + s1[2]) / 2, (s1[1] + s1[3]) / 2)
    x0, y0, x1, y1 = facts["parcels_extent"]
    far, _ = render(80000, ((x0 + x1) / 2, (y0 + y1) / 2), "80000")
    largest = f"{facts['largest_mu']:.2f}"
    c.check(len(far["blocks"]) == 1 and "最大" in far["blocks"][0]
            and re.sub(r"\D", "", far["blocks"][0]).endswith(re.sub(r"\D", "", largest)),
            f"1:80,000: block labels {far['blocks'][:5]} (of {len(far['blocks'])}), want the largest block's "
            f"alone ({largest} 亩)")
    c.eq(len(far["parcels"]), 0, "1:80,000: parcel holder labels")
    c.eq(len(far["site_overlaps"]), 0, "1:80,000: blocker labels")
    c.eq(len(far["bridges"]), 0, "1:80,000: bridge labels (shown from 1:10,000)")
    c.eq(len(far["sites"]), len(sites_db), "1:80,000: site names")

    near, extent = render(4000, centre1, "4000")
    c.check(len(near["parcels"]) >= 5, f"1:4,000: {len(near['parcels'])} holder labels")
    c.check(set(near["parcels"]) <= facts["holders"],
            f"1:4,000: holder labels that are no parcel's holder: {set(near['parcels']) - facts['holders']}")
    c.check(len(near["blocks"]) >= 2, f"1:4,000: block labels {near['blocks']}")
    # every blocker wholly in view is labelled, and no other than one in view
    def text(b):
        return f"{b['holder']} {zh.get(b['status'])}"
    inside = [text(b) for b in facts["blockers"] if extent.contains(QgsRectangle(*b["bbox"]))]
    touching = [text(b) for b in facts["blockers"] if extent.intersects(QgsRectangle(*b["bbox"]))]
    got = list(near["site_overlaps"])
    c.check(len(inside) >= 4, f"1:4,000: only {len(inside)} blockers in view")
    missing = [t for t in inside if t not in got or got.remove(t)]
    got = list(near["site_overlaps"])
    extra = [t for t in got if t not in touching or touching.remove(t)]
    c.check(not missing and not extra, f"1:4,000: blocker labels {near['site_overlaps']}: missing {missing}, "
            f"not in view {extra} (want 'holder status' in Chinese)")
    c.check(not any(w in t for t in near["site_overlaps"] for w in ("refused", "disputed", "pending")),
            "1:4,000: a blocker label shows the stored English status, not the value map's word")
    c.check(len(near["sites"]) >= 1, "1:4,000: the site's name")
    c.check(all(re.fullmatch(r".+ \+[\d,]+\.\d 亩( 第\d+步)?|第\d+步 .+", t) for t in near["bridges"]),
            f"1:4,000: bridge labels not 'holder +gain 亩' or '第n步 holder': {near['bridges'][:5]}")
    summary.append(f"1:80,000: labels blocks {len(far['blocks'])} ({far['blocks'][0] if far['blocks'] else ''}), "
                   f"holders {len(far['parcels'])}, blockers {len(far['site_overlaps'])}, sites {len(far['sites'])}")
    summary.append(f"1:4,000: labels blocks {len(near['blocks'])}, holders {len(near['parcels'])}, "
                   f"blockers {near['site_overlaps']}, sites {len(near['sites'])}")

    # ---- the plain .qgs ---------------------------------------------------------------
    plain = os.path.join(tmp, "plain")
    os.mkdir(plain)
    r = lctest.run([args.landcons, "analyze", shp, "--register", reg, "-o", os.path.join(plain, "db.sqlite"),
                    "--qgis", os.path.join(plain, "p.qgs"), "--as-of", "2019-05-01", "-q"])
    if c.check(r.returncode == 0, f"analyze --qgis p.qgs failed: {r.stderr.strip()}"):
        with open(os.path.join(plain, "p.qgs"), encoding="utf-8") as fh:
            c.check(fh.read(64).startswith("<!DOCTYPE qgis"), "p.qgs is not the plain document")
        project.clear()
        c.check(project.read(os.path.join(plain, "p.qgs")) and
                all(lyr.isValid() for lyr in project.mapLayers().values()),
                "p.qgs: not read or a layer not valid")
        names = [lay.name() for lay in project.layoutManager().printLayouts()]
        c.eq(names, ["总览 overview"], "p.qgs without sites: the overview alone")
        c.eq([re.search(r"layername=([^|]+)", n.layer().source()).group(1)
              for n in project.layerTreeRoot().findLayers()], ["enclaves", "blocks", "bridges", "parcels", "qa_issues"],
             "p.qgs without sites: layers")
    project.clear()

    # a project in a folder below the database's ("../db.sqlite"), and a site
    # name with XML's special characters, a tab, and more bytes than a layout
    # title holds (cut on a character boundary)
    odd = os.path.join(tmp, "odd")
    os.makedirs(os.path.join(odd, "maps"))
    odd_name = "A&B <\"站'>\t" + "双" * 150
    with open(sites, encoding="utf-8") as fh:
        gj = json.load(fh)
    gj["features"] = gj["features"][:1]
    gj["features"][0]["properties"]["name"] = odd_name
    odd_sites = os.path.join(odd, "site.geojson")
    with open(odd_sites, "w", encoding="utf-8") as fh:
        json.dump(gj, fh, ensure_ascii=False)
    odd_prj = os.path.join(odd, "maps", "p.qgz")
    r = lctest.run([args.landcons, "analyze", shp, "--register", reg, "--site", odd_sites,
                    "-o", os.path.join(odd, "db.sqlite"), "--qgis", odd_prj, "--as-of", "2019-05-01", "-q"])
    if c.check(r.returncode == 0, f"analyze with an odd site name failed: {r.stderr.strip()}"):
        with zipfile.ZipFile(odd_prj) as z:
            doc = z.read(z.namelist()[0]).decode("utf-8")
        c.check("<datasource>../db.sqlite|layername=parcels</datasource>" in doc,
                "project below the database: source not ../db.sqlite")
        c.check(project.read(odd_prj) and all(lyr.isValid() for lyr in project.mapLayers().values()),
                f"{odd_prj}: not read or a layer not valid ({project.error()})")
        names = [lay.name() for lay in project.layoutManager().printLayouts()]
        c.check(len(names) == 2 and names[1].startswith("用地 1 " + odd_name[:20]) and "\ufffd" not in names[1],
                f"odd site name: layouts {[n[:40] for n in names]}")
        if len(names) == 2:
            titles = [x.text() for x in project.layoutManager().printLayouts()[1].items()
                      if isinstance(x, QgsLayoutItemLabel)]
            c.check(any(t.startswith("用地 1 " + odd_name[:20]) for t in titles),
                    f"odd site name: titles {[t[:40] for t in titles]}")
    project.clear()

    # a project that cannot be written after the database was: no output at all
    bar = os.path.join(tmp, "bar")
    os.mkdir(bar)
    r = lctest.run([args.landcons, "analyze", shp, "--register", reg, "-o", os.path.join(bar, "a|b.sqlite"),
                    "--report", os.path.join(bar, "r.html"), "--qgis", os.path.join(bar, "p.qgz"),
                    "--as-of", "2019-05-01", "-q"])
    c.check(r.returncode == 2 and "cannot name a database whose name holds '|'" in r.stderr,
            f"database named a|b: exit {r.returncode}, {r.stderr.strip()!r}")
    c.eq(os.listdir(bar), [], "files left after the project failed")

    if args.keep:
        summary.append(f"kept {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    for line in summary:
        print(line)
    print(f"test_qgis_project: {c.checks} checks, {c.failures} failures, {time.monotonic() - t0:.1f} s")
    sys.stdout.flush()
    sys.stderr.flush()
    # PyQGIS may crash while tearing down layouts at interpreter exit; the
    # verdict is known here
    os._exit(1 if c.failures else 0)


if __name__ == "__main__":
    sys.exit(main())
