#!/usr/bin/python3
"""Self-test of pgref (the private PostGIS cluster used as a reference):
starts a cluster, loads polygons written here with OGR (three 20 m x 300 m
rectangles 0.5 m apart and one 30 m away, EPSG:4530, as a GBK shapefile) and
checks: exact planar ST_Area, ST_ClusterDBSCAN grouping, geodesic area on
CGCS2000 (EPSG:4490) close to the planar one, FIDs and GBK text kept, float8
round-trip, params, load_csv. Prints the timings of start, load and stop.
Exit 0 pass, 1 fail, 77 skip (PostgreSQL/PostGIS absent)."""
import os
import shutil
import struct
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pgref import PostGIS  # noqa: E402
import lctest  # noqa: E402

from osgeo import ogr, osr  # noqa: E402

ogr.UseExceptions()
osr.UseExceptions()

E0, N0 = 42512000.0, 5030000.0
W, H = 20.0, 300.0
NAMES = ["东地块", "西地块", "南地块", "北地块"]


def rect(x0, y0):
    ring = ogr.Geometry(ogr.wkbLinearRing)
    for x, y in ((x0, y0), (x0 + W, y0), (x0 + W, y0 + H), (x0, y0 + H), (x0, y0)):
        ring.AddPoint_2D(x, y)
    poly = ogr.Geometry(ogr.wkbPolygon)
    poly.AddGeometry(ring)
    return poly


def write_layer(path):
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4530)
    ds = ogr.GetDriverByName("ESRI Shapefile").CreateDataSource(path)
    lyr = ds.CreateLayer("plots", srs, ogr.wkbPolygon, ["ENCODING=CP936"])
    lyr.CreateField(ogr.FieldDefn("name", ogr.OFTString))
    d = ogr.FieldDefn("weight", ogr.OFTReal)
    d.SetWidth(24)
    d.SetPrecision(15)
    lyr.CreateField(d)
    xs = [E0, E0 + W + 0.5, E0 + 2 * (W + 0.5), E0 + 3 * W + 2 * 0.5 + 30.0]
    for i, x in enumerate(xs):
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetField("name", NAMES[i])
        f.SetField("weight", 0.1 * (i + 1))
        f.SetGeometry(rect(x, N0))
        lyr.CreateFeature(f)
    ds = None
    # drop the .cpg, so the encoding must come from the caller (the usual
    # case of Chinese shapefiles: GBK text, no .cpg, LDID 0 or wrong)
    os.remove(path[:-4] + ".cpg")


def main():
    c = lctest.Checker("pgref_selftest")
    PostGIS.require()
    work = tempfile.mkdtemp(prefix="pgref-selftest-")
    try:
        shp = os.path.join(work, "plots.shp")
        write_layer(shp)
        csv = os.path.join(work, "t.csv")
        with open(csv, "w", encoding="utf-8") as f:
            f.write("key,value\na,1.5\nb,\"x,y\"\n中,文\n")

        t0 = time.monotonic()
        with PostGIS() as pg:
            t1 = time.monotonic()
            print(f"driver {pg.driver}, cluster {pg.root}, port {pg.port}")
            pg.load(shp, "plots", extra=("-oo", "ENCODING=CP936"))
            t2 = time.monotonic()

            rows = pg.query("SELECT fid, name, weight, ST_SRID(geom), GeometryType(geom), "
                            "ST_Area(geom) FROM plots ORDER BY fid")
            c.eq(len(rows), 4, "rows loaded")
            c.eq([r[0] for r in rows], [0, 1, 2, 3], "source FIDs kept in fid")
            c.eq([r[1] for r in rows], NAMES, "GBK names read as UTF-8 text")
            c.eq([r[3] for r in rows], [4530] * 4, "SRID")
            c.eq({r[4] for r in rows}, {"MULTIPOLYGON"}, "promoted to multi")
            for r in rows:
                c.check(isinstance(r[2], float), f"weight is a float: {r[2]!r}")
                c.rel(r[2], 0.1 * (r[0] + 1), 1e-15, f"weight fid {r[0]}")
                c.check(isinstance(r[5], float), f"area is a float: {r[5]!r}")
                c.rel(r[5], W * H, 1e-9, f"ST_Area fid {r[0]}")

            cl = pg.query("SELECT fid, ST_ClusterDBSCAN(geom, eps := 1, minpoints := 1) OVER () "
                          "FROM plots ORDER BY fid")
            ids = [r[1] for r in cl]
            c.check(ids[0] == ids[1] == ids[2] and ids[3] != ids[0],
                    f"DBSCAN clusters: {ids} (want first three together, last apart)")

            geo = pg.query("SELECT fid, ST_Area(ST_Transform(geom, 4490)::geography) "
                           "FROM plots ORDER BY fid")
            for fid, a in geo:
                c.rel(a, W * H, 1e-3, f"geodesic area fid {fid}")

            # float8 round-trip: awkward values, both directions
            vals = [0.1, 1 / 3, 42512000.123456789, 5e-324, 1.7976931348623157e308,
                    -2.220446049250313e-16, 6000.000000000001]
            for v in vals:
                got = pg.query("SELECT %s::float8, (%s::float8)::text", (v, v))[0]
                same = isinstance(got[0], float) and \
                    struct.pack("<d", got[0]) == struct.pack("<d", v)
                c.check(same,
                        f"float8 round-trip {v!r}: got {got[0]!r} (text {got[1]})")
            c.eq(pg.query("SELECT 1::int, 2::bigint, 3::numeric, 2.5::numeric, NULL, "
                          "'a''b'::text, true, count(*) FROM plots"),
                 [(1, 2, 3, 2.5, None, "a'b", True, 4)], "types")
            c.eq(pg.query("SELECT %(a)s || '%%', %(b)s::int", {"a": "x'y", "b": 7}),
                 [("x'y%", 7)], "dict params")
            c.eq(pg.query("SELECT 1 WHERE false"), [], "no rows")

            pg.execute("CREATE TABLE t1 (a int); INSERT INTO t1 VALUES (1), (2);")
            c.eq(pg.query("SELECT sum(a) FROM t1"), [(3,)], "execute multi-statement")
            try:
                pg.query("SELECT no_such_column FROM t1")
                c.check(False, "a bad query must raise")
            except Exception as e:
                c.check("no_such_column" in str(e), f"error mentions the column: {e}")
            c.eq(pg.query("SELECT count(*) FROM t1"), [(2,)], "usable after an error")

            pg.load_csv(csv, "kv", None)
            c.eq(pg.query("SELECT key, value FROM kv ORDER BY key"),
                 [("a", "1.5"), ("b", "x,y"), ("中", "文")], "load_csv")
            root = pg.root
            t3 = time.monotonic()
        t4 = time.monotonic()
        c.check(not os.path.exists(root), f"cluster folder {root} removed")
        tm = pg.timings
        print(f"timings: start {t1 - t0:.2f} s (initdb {tm['initdb']:.2f}, server "
              f"{tm['start']:.2f}, db+postgis {tm['db']:.2f}), load {t2 - t1:.2f} s, "
              f"queries {t3 - t2:.2f} s, stop {t4 - t3:.2f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    c.done()


if __name__ == "__main__":
    main()
