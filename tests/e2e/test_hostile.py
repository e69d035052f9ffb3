#!/usr/bin/python3
"""Hostile inputs of the second round whose result is more than an exit
code (the exit codes and messages are in tests/cli/bad_input.cases):

  json_utf8    --json is valid UTF-8 when a township code cut at 9 bytes
               splits a character and when a path holds GBK bytes; the
               invalid bytes are escaped as \\xHH;
  rowid        an attribute named rowid (or oid) is written as in_rowid and
               the spatial index answers (SpatiaLite's triggers and queries
               use the real rowid);
  deleted      a record the .dbf marks deleted is a QA finding naming it;
  prj_zone     a .prj zone against the eastings' zone prefix is a QA error;
  gap_zero     --gap 0 footprints are the union of their parcels, by
               SpatiaLite's ST_Union (independent of landcons).

Usage: test_hostile.py --landcons BIN --data-dir GIS_DATA"""
import json
import os
import sqlite3
import struct
import tempfile

from osgeo import ogr

import lctest
from cli_cases import srs, write_register, write_strips

ogr.UseExceptions()


def run_json(t, tag, argv, code=0):
    r = lctest.run_bytes(argv)
    t.eq(r.returncode, code, f"{tag}: exit ({r.stderr.decode(errors='replace').strip()[-300:]})")
    try:
        return json.loads(r.stdout.decode("utf-8"))   # strict: invalid UTF-8 raises
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        t.check(False, f"{tag}: --json is not valid UTF-8 JSON: {e}")
        return None


def json_utf8(t, lc, d):
    shp = os.path.join(d, "cut.shp")
    ds = ogr.GetDriverByName("ESRI Shapefile").CreateDataSource(shp, options=[])
    lyr = ds.CreateLayer("cut", srs(4530), ogr.wkbPolygon, options=["ENCODING=UTF-8"])
    lyr.CreateField(ogr.FieldDefn("DKBM", ogr.OFTString))
    keys = ["2301131东0101001", "2301131东0101002"]   # byte 9 is inside 东 (E4 B8 9C)
    for i, k in enumerate(keys):
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetField("DKBM", k)
        x = 42512000 + i * 25
        f.SetGeometry(ogr.CreateGeometryFromWkt(
            f"POLYGON(({x} 5030000,{x + 20} 5030000,{x + 20} 5030300,{x} 5030300,{x} 5030000))"))
        lyr.CreateFeature(f)
    ds = None
    with open(os.path.join(d, "cut.csv"), "w", encoding="utf-8") as f:
        f.write("地块编码,流转状态,签约日期\n" + "".join(f"{k},已签约,2019-03-05\n" for k in keys))
    j = run_json(t, "json_utf8 progress", [lc, "progress", shp, "--register", os.path.join(d, "cut.csv"),
                                           "--as-of", "2019-05-01", "--by", "township", "--json"])
    if j:
        codes = {u["code"] for u in j.get("units", [])}
        t.check(all(c.startswith("2301131") for c in codes) and codes,
                f"json_utf8: township codes {codes!r}")
    # a folder named in GBK (东 = B6 AB), as a Chinese Windows share delivers it
    plain = os.path.join(d, "plain")
    os.mkdir(plain)
    write_strips(os.path.join(plain, "dk.shp"))
    gbk = os.path.join(os.fsencode(d), b"\xb6\xab")
    os.rename(os.fsencode(plain), gbk)
    j = run_json(t, "json_utf8 info", [lc, "info", os.path.join(gbk, b"dk.shp"), "--json"])
    if j:
        t.check(j["path"].endswith("\\xB6\\xAB/dk.shp"), f"json_utf8: GBK bytes escaped in {j['path']!r}")


def rowid(t, lc, d):
    shp = os.path.join(d, "rowid.shp")
    ds = ogr.GetDriverByName("ESRI Shapefile").CreateDataSource(shp)
    lyr = ds.CreateLayer("rowid", srs(4530), ogr.wkbPolygon)
    for name in ("DKBM", "rowid", "OID"):
        lyr.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    for i in range(3):
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetField("DKBM", "2301131012010100%03d" % (i + 1))
        f.SetField("rowid", f"r{i}")
        f.SetField("OID", f"o{i}")
        x = 42512000 + i * 20.5
        f.SetGeometry(ogr.CreateGeometryFromWkt(
            f"POLYGON(({x} 5030000,{x + 20} 5030000,{x + 20} 5030300,{x} 5030300,{x} 5030000))"))
        lyr.CreateFeature(f)
    ds = None
    write_register(d)
    out = os.path.join(d, "rowid.sqlite")
    r = lctest.run([lc, "analyze", shp, "--register", os.path.join(d, "reg.csv"), "-o", out, "-q"])
    if not t.eq(r.returncode, 0, f"rowid: analyze ({r.stderr.strip()})"):
        return
    con = sqlite3.connect(out)
    con.enable_load_extension(True)
    con.load_extension("mod_spatialite")
    got = con.execute("SELECT in_rowid, in_OID FROM parcels ORDER BY fid").fetchall()
    t.eq(got, [("r0", "o0"), ("r1", "o1"), ("r2", "o2")], "rowid: attributes kept as in_rowid, in_OID")
    n = con.execute("SELECT count(*) FROM parcels WHERE ROWID IN (SELECT ROWID FROM SpatialIndex WHERE "
                    "f_table_name = 'parcels' AND search_frame = BuildMbr(42511990, 5029990, 42512100, "
                    "5030310))").fetchone()[0]
    t.eq(n, 3, "rowid: the spatial index finds the parcels")
    con.close()


def deleted(t, lc, d):
    shp = os.path.join(d, "del.shp")
    write_strips(shp, n=5)
    dbf = os.path.join(d, "del.dbf")
    with open(dbf, "r+b") as f:
        head = f.read(12)
        hl, rl = struct.unpack("<HH", head[8:12])
        f.seek(hl + 2 * rl)
        f.write(b"*")      # record 2 deleted, as dBASE marks it
    j = run_json(t, "deleted", [lc, "check", shp, "--json"])
    if j:
        found = [(x["kind"], x["source"]) for x in j["findings"] if x["kind"] == "deleted_record"]
        t.eq(found, [("deleted_record", "del:FID 2")], "deleted: one finding naming record 2")
        t.eq(j["parcel_count"], 4, "deleted: four parcels read")
    j = run_json(t, "deleted info", [lc, "info", shp, "--json"])
    if j:
        t.eq(j["geometry"].get("deleted_records"), 1, "deleted: info counts it")


def prj_zone(t, lc, d):
    shp = os.path.join(d, "zone.shp")
    write_strips(shp)
    with open(os.path.join(d, "zone.prj"), "w") as f:
        f.write(srs(4529).ExportToWkt())    # zone 41; the eastings say 42
    j = run_json(t, "prj_zone", [lc, "check", shp, "--json"], code=1)
    if j:
        kinds = [(x["severity"], x["kind"]) for x in j["findings"] if "zone" in x["kind"]]
        t.eq(kinds, [("error", "crs_zone_mismatch")], "prj_zone: a QA error")
        t.eq(j["crs"]["work"], "EPSG:4529", "prj_zone: areas in the CRS as declared")


def gap_zero(t, lc, data, d):
    s = os.path.join(data, "shuangcheng")
    out = os.path.join(d, "gap0.sqlite")
    r = lctest.run([lc, "analyze", os.path.join(s, "DK.shp"), "--register", os.path.join(s, "DK_register.csv"),
                    "--as-of", "2019-05-01", "--gap", "0", "-o", out, "-q"])
    if not t.eq(r.returncode, 0, f"gap_zero: analyze ({r.stderr.strip()})"):
        return
    con = sqlite3.connect(out)
    con.enable_load_extension(True)
    con.load_extension("mod_spatialite")
    rows = con.execute("SELECT b.block_id, b.footprint_m2, b.parcel_m2, (SELECT ST_Area(ST_Union(p.geom)) "
                       "FROM parcels p WHERE p.block_id = b.block_id) FROM blocks b").fetchall()
    con.close()
    t.check(len(rows) > 100, f"gap_zero: {len(rows)} blocks")
    worst = max(abs(fp - u) / u for _, fp, _, u in rows)
    t.check(worst <= 1e-9, f"gap_zero: footprints off the SpatiaLite union by up to {worst:.3g}")
    t.check(all(fp > 0 for _, fp, _, _ in rows), "gap_zero: no empty footprint")


def main():
    a = lctest.arg_parser().parse_args()
    t = lctest.Checker("hostile")
    with tempfile.TemporaryDirectory() as d:
        for name, fn in (("json_utf8", json_utf8), ("rowid", rowid), ("deleted", deleted), ("prj_zone", prj_zone)):
            sub = os.path.join(d, name)
            os.mkdir(sub)
            fn(t, a.landcons, sub)
        gap_zero(t, a.landcons, os.path.abspath(a.data_dir), d)
    t.done()


if __name__ == "__main__":
    main()
