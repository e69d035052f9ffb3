#!/usr/bin/python3
"""Runs the declarative CLI cases of tests/cli/*.cases (format in the file).
For each case: builds its fixture in a fresh folder, hashes every file there,
runs landcons, and checks the exit code, the stderr message, that no file was
created and that every input is byte-identical afterwards.
Usage: cli_cases.py --landcons BIN CASES_FILE"""
import argparse
import hashlib
import os
import re
import shlex
import subprocess
import tempfile

from osgeo import ogr, osr

import lctest

ogr.UseExceptions()

E0, N0 = 42512000.0, 5030000.0   # CGCS2000 GK zone 42 (EPSG:4530)


def srs(epsg):
    s = osr.SpatialReference()
    s.ImportFromEPSG(epsg)
    return s


def write_strips(path, driver="ESRI Shapefile", epsg=4530, n=3, dx=0.0, layer=None, coords=None):
    """n 20 m x 300 m strips 0.5 m apart; coords overrides one ring's WKT."""
    drv = ogr.GetDriverByName(driver)
    ds = drv.CreateDataSource(path)
    name = layer or os.path.splitext(os.path.basename(path))[0]
    lyr = ds.CreateLayer(name, srs(epsg) if epsg else None, ogr.wkbPolygon)
    lyr.CreateField(ogr.FieldDefn("DKBM", ogr.OFTString))
    for i in range(n):
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetField("DKBM", "2301131012010100%03d" % (i + 1))
        x = E0 + dx + i * 20.5
        wkt = coords[i] if coords and i < len(coords) and coords[i] else \
            f"POLYGON(({x} {N0},{x + 20} {N0},{x + 20} {N0 + 300},{x} {N0 + 300},{x} {N0}))"
        f.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
        lyr.CreateFeature(f)
    ds = None


REG_HEADER = "地块编码,流转状态,签约日期,流转面积\n"
REG_ROWS = ["2301131012010100001,已签约,2019-03-05,9.0\n", "2301131012010100002,未签约,,9.0\n",
            "2301131012010100003,拒签,,9.0\n"]


def write_register(d, header=REG_HEADER, rows=REG_ROWS, name="reg.csv"):
    with open(os.path.join(d, name), "w", encoding="utf-8") as f:
        f.write(header + "".join(rows))


def one_feature(driver, path, geom_type, wkt):
    """A layer named after the file holding one feature of the given geometry, in EPSG:4530."""
    ds = ogr.GetDriverByName(driver).CreateDataSource(path)
    lyr = ds.CreateLayer(os.path.splitext(os.path.basename(path))[0], srs(4530), geom_type)
    f = ogr.Feature(lyr.GetLayerDefn())
    f.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
    lyr.CreateFeature(f)
    ds = None


def fixture(name, d):
    shp = os.path.join(d, "dk.shp")
    if name == "-":
        return
    if name.startswith("site_"):
        write_strips(shp)
        write_register(d)
        if name == "site_points":
            fixture("points", d)
        elif name == "site_empty":
            fixture("empty", d)
        elif name == "site_badprj":
            write_strips(os.path.join(d, "site.shp"), n=1)
            with open(os.path.join(d, "site.prj"), "w") as f:
                f.write("PROJCS[this is not a CRS\n")
        return
    if name.startswith("reg_"):
        write_strips(shp)
        if name in ("reg_good", "reg_existing", "reg_existing_qgz"):
            write_register(d)
        if name == "reg_existing":
            with open(os.path.join(d, "out.sqlite"), "w") as f:
                f.write("an earlier result\n")
        elif name == "reg_existing_qgz":
            with open(os.path.join(d, "p.qgz"), "w") as f:
                f.write("an earlier project\n")
        elif name == "reg_nokey":
            write_register(d, header="编号,流转状态,签约日期,流转面积\n")
        elif name == "reg_nostatus":
            write_register(d, header="地块编码,备注,签约日期,流转面积\n")
        elif name == "reg_badstatus":
            write_register(d, rows=[REG_ROWS[0], "2301131012010100002,已签,2019-03-06,9.0\n", REG_ROWS[2]])
        elif name == "reg_baddate":
            write_register(d, rows=["2301131012010100001,已签约,2019-02-30,9.0\n"] + REG_ROWS[1:])
        elif name == "reg_garbage":
            with open(os.path.join(d, "reg.csv"), "wb") as f:
                f.write(bytes((i * 7919 + 13) % 256 for i in range(20000)))
        elif name == "reg_dat":
            write_register(d, name="reg.dat")
        elif name == "reg_hugeline":
            # a 100 MB field on the fourth data row (file row 5)
            write_register(d, rows=REG_ROWS + ["2301131012010100004,已签约,2019-03-05,9.0,"
                                                + "x" * 100_000_000 + "\n"])
        elif name == "reg_empty":
            open(os.path.join(d, "reg.csv"), "w").close()
        return
    if name in ("good", "truncated_shp", "zero_shp", "missing_dbf", "missing_shx", "mismatch", "zero_dbf"):
        write_strips(shp)
    if name == "zero_dbf":
        open(os.path.join(d, "dk.dbf"), "w").close()
    if name == "truncated_shp":
        size = os.path.getsize(shp)
        with open(shp, "r+b") as f:
            f.truncate(size - 40)
    elif name == "zero_shp":
        open(shp, "wb").close()
    elif name == "missing_dbf":
        os.remove(os.path.join(d, "dk.dbf"))
    elif name == "missing_shx":
        os.remove(os.path.join(d, "dk.shx"))
    elif name == "mismatch":
        other = os.path.join(d, "o")
        os.mkdir(other)
        write_strips(os.path.join(other, "dk.shp"), n=5)
        os.replace(os.path.join(other, "dk.dbf"), os.path.join(d, "dk.dbf"))
        for f in os.listdir(other):
            os.remove(os.path.join(other, f))
        os.rmdir(other)
    elif name == "text_shp":
        with open(shp, "w") as f:
            f.write("DKBM,area\n230113101201010000001,12.5\n" * 10)
    elif name == "points":
        one_feature("ESRI Shapefile", os.path.join(d, "pts.shp"), ogr.wkbPoint, f"POINT({E0} {N0})")
    elif name == "lines":
        one_feature("GPKG", os.path.join(d, "lines.gpkg"), ogr.wkbLineString,
                    f"LINESTRING({E0} {N0},{E0 + 5} {N0 + 5})")
    elif name == "empty":
        write_strips(os.path.join(d, "empty.shp"), n=0)
    elif name == "unprefixed":
        write_strips(os.path.join(d, "bare.shp"), epsg=None, dx=-42000000.0)
    elif name in ("nan", "absurd", "inf"):
        bad = {"nan": "nan", "absurd": "1e30", "inf": "1e999"}[name]
        path = os.path.join(d, name + ".geojson")
        with open(path, "w") as f:
            x = E0
            f.write('{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:4530"}},'
                    '"features":[')
            for i in range(3):
                xi = x + i * 21
                ring = [[xi, N0], [xi + 20, N0], [xi + 20, N0 + 300], [xi, N0 + 300], [xi, N0]]
                coords = ",".join(f"[{bad if (i == 1 and k == 2) else repr(p[0])},{p[1]!r}]"
                                  for k, p in enumerate(ring))
                f.write(('' if i == 0 else ',') + '{"type":"Feature","properties":{"DKBM":"k%d"},'
                        '"geometry":{"type":"Polygon","coordinates":[[%s]]}}' % (i, coords))
            f.write("]}")
    elif name == "not_vector":
        with open(os.path.join(d, "notes.txt"), "w") as f:
            f.write("just some notes\n")


def snapshot(d):
    out = {}
    for root, _, files in os.walk(d):
        for f in files:
            p = os.path.join(root, f)
            with open(p, "rb") as fh:
                out[p] = hashlib.sha256(fh.read()).hexdigest()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--landcons", required=True)
    ap.add_argument("cases")
    a = ap.parse_args()
    a.landcons = os.path.abspath(a.landcons)
    t = lctest.Checker(os.path.basename(a.cases))
    with open(a.cases, encoding="utf-8") as fh:
        lines = [l.rstrip("\n") for l in fh if l.strip() and not l.lstrip().startswith("#")]
    for line in lines:
        name, fix, args, code, pattern = [c.strip() for c in line.split("|", 4)]
        with tempfile.TemporaryDirectory() as d:
            fixture(fix, d)
            before = snapshot(d)
            # a folder nobody may write to: as root, permissions do not stop
            # writes, so /proc (where no file can be created) stands in
            readonly = os.path.join(d, "ro")
            if "{readonly}" in args:
                if os.geteuid() == 0:
                    readonly = "/proc"
                else:
                    os.mkdir(readonly)
                    os.chmod(readonly, 0o555)
            argv = [a.landcons] + [x.replace("{dir}", d).replace("{readonly}", readonly)
                                   for x in shlex.split(args)]
            r = subprocess.run(argv, capture_output=True, text=True, cwd=d)
            after = snapshot(d)
            t.eq(r.returncode, int(code), f"{name}: exit code (stderr: {r.stderr.strip()})")
            t.check(re.search(pattern, r.stderr.strip()) is not None,
                    f"{name}: stderr {r.stderr.strip()!r} does not match {pattern!r}")
            if int(code) == 2:
                # one message: one line names landcons; a listing of rows may follow it
                t.check(sum(ln.startswith("landcons") for ln in r.stderr.splitlines()) == 1
                        and r.stderr.count("\n") <= 60, f"{name}: one clear message, got {r.stderr!r}")
            t.eq(sorted(after), sorted(before), f"{name}: files in the folder")
            t.check(all(after.get(p) == h for p, h in before.items()), f"{name}: inputs modified")
    t.done()


if __name__ == "__main__":
    main()
