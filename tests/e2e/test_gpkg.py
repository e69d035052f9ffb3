#!/usr/bin/python3
"""-o OUT.gpkg writes a GeoPackage from the same schema as the SpatiaLite
output (SPEC §5a): GDAL's validate_gpkg.py accepts it, ogrinfo opens it,
every layer and table holds the same rows as the SpatiaLite database of the
same run (FIDs, every attribute, every geometry's WKB as OGR reads both),
and QGIS opens each layer through its OGR provider styled from the
GeoPackage's layer_styles table (renderer, aliases, the status value map).
An output database with another extension is refused before any work.

usage: test_gpkg.py --landcons BIN --data-dir GIS_DATA"""
import os
import sqlite3
import subprocess
import sys
import tempfile

from osgeo import gdal, ogr

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lctest  # noqa: E402

gdal.UseExceptions()
LAYERS = ["parcels", "blocks", "enclaves", "qa_issues", "sites", "site_overlaps", "constraint_overlaps",
          "qa_overlaps", "bridges"]
VALIDATE = "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py"


def features(path, layer):
    ds = ogr.Open(path)
    lyr = ds.GetLayerByName(layer)
    defn = lyr.GetLayerDefn()
    names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    out = {}
    for f in lyr:
        g = f.GetGeometryRef()
        out[f.GetFID()] = ({n: f.GetField(n) for n in names}, g.ExportToIsoWkb() if g else None)
    return names, out


def qgis_checks(t, gpkg):
    """In a process of its own: QGIS and GDAL's Python bindings do not share one."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    r = subprocess.run(["/usr/bin/python3", os.path.abspath(__file__), "--qgis", gpkg], capture_output=True,
                       text=True, env=env)
    print(r.stdout, end="")
    t.eq(r.returncode, 0, f"QGIS opens every layer styled: {r.stderr.strip()[-800:]}")


def qgis_child(gpkg):
    try:
        from qgis.core import QgsApplication, QgsVectorLayer
    except ImportError:
        print("qgis.core not available: QGIS checks skipped")
        return 0
    t = lctest.Checker("gpkg in QGIS")
    app = QgsApplication([], False)
    app.initQgis()
    layers = []
    for name in LAYERS:
        lyr = QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr")
        layers.append(lyr)
        if not t.check(lyr.isValid(), f"QGIS: {name} is valid"):
            continue
        msg, ok = lyr.loadDefaultStyle()
        t.check(ok, f"QGIS: {name} has a default style in layer_styles ({msg})")
        r = lyr.renderer()
        t.check(r is not None and r.type() in ("categorizedSymbol", "RuleRenderer", "singleSymbol"),
                f"QGIS: {name} renderer {r.type() if r else None}")
        if name == "parcels":
            t.eq(r.type(), "categorizedSymbol", "QGIS: parcels coloured by status")
            t.eq(r.classAttribute(), "status", "QGIS: parcels classified on status")
            idx = lyr.fields().indexOf("status")
            t.eq(lyr.attributeAlias(idx), "流转状态", "QGIS: the status alias")
            setup = lyr.editorWidgetSetup(idx)
            t.eq(setup.type(), "ValueMap", "QGIS: status shown through a value map")
    failures = t.failures
    print(f"gpkg in QGIS: {t.checks} checks, {failures} failures", flush=True)
    # QGIS 3.22 may crash tearing down after GDAL's layers: leave without it
    os._exit(1 if failures else 0)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--qgis":
        sys.exit(qgis_child(sys.argv[2]))
    a = lctest.arg_parser().parse_args()
    t = lctest.Checker("gpkg")
    d = os.path.join(a.data_dir, "shuangcheng")
    args = [f"{d}/DK.shp", "--register", f"{d}/DK_register.csv", "--site", f"{d}/DK_sites.geojson",
            "--constraint", f"{d}/DK_sites.geojson", "--unit-names", f"{d}/DK_units.csv", "--as-of", "2019-05-01",
            "-q"]
    with tempfile.TemporaryDirectory() as tmp:
        db, gpkg = os.path.join(tmp, "out.sqlite"), os.path.join(tmp, "out.gpkg")
        for out in (db, gpkg):
            r = lctest.run([a.landcons, "analyze", *args, "-o", out])
            t.eq(r.returncode, 0, f"analyze -o {os.path.basename(out)}: {r.stderr}")
        v = subprocess.run(["/usr/bin/python3", VALIDATE, gpkg], capture_output=True, text=True)
        t.eq(v.returncode, 0, f"validate_gpkg.py accepts it: {v.stdout}{v.stderr}")
        r = lctest.run(["ogrinfo", "-ro", "-so", gpkg])
        t.eq(r.returncode, 0, f"ogrinfo opens it: {r.stderr}")
        for layer in LAYERS:
            names_s, fs = features(db, layer)
            names_g, fg = features(gpkg, layer)
            key = {"blocks": "block_id", "sites": "site_id", "bridges": "rank"}.get(layer, "fid")
            t.eq([n for n in names_g], [n for n in names_s if n != key], f"{layer}: the same columns")
            t.eq(sorted(fg), sorted(fs), f"{layer}: the same FIDs ({len(fs)} rows)")
            diff = [k for k in fs if k in fg and (fs[k][0] != fg[k][0] or fs[k][1] != fg[k][1])]
            t.check(not diff, f"{layer}: {len(diff)} rows differ in values or geometry, e.g. FID {diff[:3]}")
            t.check(len(fs) > 0 or layer in ("qa_overlaps",), f"{layer}: has rows to compare")
        cs, cg = sqlite3.connect(db), sqlite3.connect(gpkg)
        for table, order in (("progress", "id"), ("summary", "name"), ("route", "step")):
            rs = cs.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
            rg = cg.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
            if table == "summary":  # the GeoPackage's summary has its own FID column first
                rg = [r[1:] for r in rg]
                # the SRID of a GeoPackage is its srs_id: the same EPSG code here
            t.eq(rg, rs, f"{table}: the same rows ({len(rs)})")
        srid = cs.execute("SELECT srid FROM geometry_columns WHERE f_table_name='parcels'").fetchone()[0]
        gsrs = cg.execute("SELECT srs_id FROM gpkg_geometry_columns WHERE table_name='parcels'").fetchone()[0]
        t.eq(gsrs, srid, "the working CRS registered as the parcels' SRS")
        n_idx = cg.execute("SELECT count(*) FROM gpkg_extensions WHERE extension_name='gpkg_rtree_index'").fetchone()[0]
        t.eq(n_idx, len(LAYERS), "a spatial index per geometry layer")
        qgis_checks(t, gpkg)
        bad = os.path.join(tmp, "out.txt")
        r = lctest.run([a.landcons, "analyze", *args, "-o", bad])
        t.eq(r.returncode, 2, "-o out.txt: exit 2")
        t.check("the extension chooses the format" in r.stderr, f"-o out.txt: message {r.stderr.strip()}")
        t.check(not os.path.exists(bad), "-o out.txt: nothing written")
    t.done()


if __name__ == "__main__":
    main()
