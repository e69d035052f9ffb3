#!/usr/bin/python3
"""landcons check on the committed sample with injected defects (SPEC §5):
a bow-tie, an overlapping pair with a known overlap, a duplicate key. check
must find exactly those errors (and none on the clean sample), with GEOS's
reason and place for the bow-tie, and the overlap area must equal PostGIS
ST_Area(ST_Intersection(...)) to 1e-9. Also: -o writes qa_issues and
qa_overlaps, exit codes 0 (clean) and 1 (errors). The text: the count of
every kind, errors first, the first 3 findings of each kind, --all.
Usage: test_check_ref.py --landcons BIN --data-dir GIS_DATA"""
import json
import math
import re
import os
import sqlite3
import subprocess
import sys
import tempfile

from osgeo import gdal, ogr

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lctest  # noqa: E402
from pgref import PostGIS  # noqa: E402

gdal.UseExceptions()
ogr.UseExceptions()


def translate(g, dx, dy):
    """Moves every vertex of a polygon or multipolygon in place."""
    for k in range(g.GetGeometryCount()):
        sub = g.GetGeometryRef(k)
        # a Polygon's parts are its rings (reported as LINEARRING or LINESTRING)
        rings = [sub] if sub.GetGeometryCount() == 0 else \
            [sub.GetGeometryRef(r) for r in range(sub.GetGeometryCount())]
        for r in rings:
            for i in range(r.GetPointCount()):
                x, y = r.GetPoint_2D(i)
                r.SetPoint_2D(i, x + dx, y + dy)


def check(landcons, path, *extra):
    r = subprocess.run([landcons, "check", path, "--json", *extra], capture_output=True, text=True)
    return r.returncode, (json.loads(r.stdout) if r.stdout.strip() else None), r.stderr


def main():
    a = lctest.arg_parser().parse_args()
    t = lctest.Checker("check with injected defects")
    shp = os.path.abspath(os.path.join(a.data_dir, "shuangcheng", "DK.shp"))
    with tempfile.TemporaryDirectory() as tmp:
        code, clean, err = check(a.landcons, shp)
        t.eq(code, 0, f"clean sample: exit 0 ({err.strip()})")
        t.eq(clean["errors"], 0, "clean sample: no error findings")
        t.eq(clean["overlap_pairs"], 0, "clean sample: no overlapping parcels")

        gpkg = os.path.join(tmp, "defects.gpkg")
        gdal.VectorTranslate(gpkg, gdal.OpenEx(shp, open_options=["ENCODING=CP936"]), format="GPKG",
                             layerName="DK")
        ds = ogr.Open(gpkg, 1)
        lyr = ds.GetLayer(0)
        feats = {f.GetFID(): f for f in lyr}
        keys = {fid: f.GetField("DKBM") for fid, f in feats.items()}
        # parcels far apart in the file: 101, 1501, 2001, 2601 (GeoPackage FIDs start at 1)
        bow, mover, far, dup_a, dup_b = 101, 1501, 2001, 2601, 2701
        # bow-tie: swap the 2nd and 3rd vertices of the outer ring
        g = feats[bow].GetGeometryRef().Clone()
        poly = g if g.GetGeometryType() == ogr.wkbPolygon else g.GetGeometryRef(0)
        ring = poly.GetGeometryRef(0)
        p1, p2 = ring.GetPoint_2D(1), ring.GetPoint_2D(2)
        ring.SetPoint_2D(1, *p2)
        ring.SetPoint_2D(2, *p1)
        feats[bow].SetGeometry(g)
        lyr.SetFeature(feats[bow])
        # overlap: shift a parcel 1.5 m across the ridge onto its neighbour
        g = feats[mover].GetGeometryRef().Clone()
        # toward its nearest neighbour across the ridge, along the axis that separates them
        near = min((f for fid, f in feats.items() if fid != mover),
                   key=lambda f: f.GetGeometryRef().Distance(g))
        c0, c1 = g.Centroid(), near.GetGeometryRef().Centroid()
        ddx, ddy = c1.GetX() - c0.GetX(), c1.GetY() - c0.GetY()
        dx, dy = (1.5 if ddx > 0 else -1.5, 0.0) if abs(ddx) > abs(ddy) else (0.0, 1.5 if ddy > 0 else -1.5)
        translate(g, dx, dy)
        feats[mover].SetGeometry(g)
        lyr.SetFeature(feats[mover])
        # far from the cluster: a parcel moved 80 km east (a warning, not an error)
        g = feats[far].GetGeometryRef().Clone()
        translate(g, 80000.0, 0.0)
        feats[far].SetGeometry(g)
        lyr.SetFeature(feats[far])
        # duplicate key
        feats[dup_b].SetField("DKBM", keys[dup_a])
        lyr.SetFeature(feats[dup_b])
        ds = None

        out = os.path.join(tmp, "qa.sqlite")
        code, res, err = check(a.landcons, gpkg, "-o", out)
        t.eq(code, 1, f"defects: exit 1 ({err.strip()})")
        errors = [f for f in res["findings"] if f["severity"] == "error"]
        kinds = sorted(f["kind"] for f in errors)
        t.eq(kinds, ["duplicate_key", "duplicate_key", "invalid_geometry", "overlapping_parcels"],
             "exactly the injected errors")
        inv = [f for f in errors if f["kind"] == "invalid_geometry"]
        if inv:
            t.eq(inv[0]["key"], keys[bow], "bow-tie: its key")
            t.check("Self-intersection" in inv[0]["detail"] and "repaired" in inv[0]["detail"],
                    f"bow-tie: GEOS reason and repair named: {inv[0]['detail']}")
            t.check("point" in inv[0], "bow-tie: the place of the self-intersection")
        dups = [f for f in errors if f["kind"] == "duplicate_key"]
        t.eq(sorted(f["source"] for f in dups), sorted([f"DK:FID {dup_a}", f"DK:FID {dup_b}"]),
             "duplicate key: both features named")
        t.check(all(f["key"] == keys[dup_a] for f in dups), "duplicate key: the key")

        # far from the cluster, recomputed from GDAL's point-on-surface of every
        # parcel: distance to the median centre (the upper median, index n // 2)
        # against max(5 x its 95th percentile, 5 km)
        ds = ogr.Open(gpkg)
        pts = {f.GetFID(): f.GetGeometryRef().PointOnSurface() for f in ds.GetLayer(0)}
        ds = None
        xs, ys = sorted(q.GetX() for q in pts.values()), sorted(q.GetY() for q in pts.values())
        cx, cy = xs[len(xs) // 2], ys[len(ys) // 2]
        dist = {fid: math.hypot(q.GetX() - cx, q.GetY() - cy) for fid, q in pts.items()}
        ds_sorted = sorted(dist.values())
        p95 = ds_sorted[int(0.95 * (len(ds_sorted) - 1))]
        limit = max(5 * p95, 5000.0)
        want = sorted(fid for fid, dd in dist.items() if dd > limit)
        t.eq(want, [far], "reference: only the moved parcel is beyond the limit")
        outl = [f for f in res["findings"] if f["kind"] == "far_from_cluster"]
        t.eq([f["source"] for f in outl], [f"DK:FID {far}"], "far from the cluster: exactly the moved parcel")
        if outl:
            f = outl[0]
            t.eq(f["severity"], "warning", "far from the cluster: a warning")
            t.eq(f["key"], keys[far], "far from the cluster: its key")
            t.check(abs(f["point"][0] - pts[far].GetX()) < 1e-6 and abs(f["point"][1] - pts[far].GetY()) < 1e-6,
                    f"far from the cluster: placed at its point-on-surface {f['point']}")
            t.check(f"{dist[far] / 1000:.1f} km from the layer's median centre" in f["detail"]
                    and f"within {p95 / 1000:.1f} km" in f["detail"],
                    f"far from the cluster: distance {dist[far] / 1000:.1f} km and 95th percentile "
                    f"{p95 / 1000:.1f} km in: {f['detail']}")

        con = sqlite3.connect(out)
        pairs = con.execute("SELECT key_a, key_b, fid_a, fid_b, overlap_m2 FROM qa_overlaps").fetchall()
        n_issues = con.execute("SELECT count(*) FROM qa_issues WHERE severity = 'error'").fetchone()[0]
        con.close()
        t.eq(n_issues, 4, "qa_issues layer: the four errors")
        t.eq(len(pairs), 1, "qa_overlaps: one pair")
        if pairs and PostGIS.available():
            _, _, fa, fb, m2 = pairs[0]
            t.check(mover in (fa, fb), f"the moved parcel is in the pair ({fa}, {fb})")
            with PostGIS() as pg:
                pg.load(gpkg, "dk")
                ref = pg.query("SELECT ST_Area(ST_Intersection(a.geom, b.geom)) FROM dk a, dk b "
                               "WHERE a.fid = %s AND b.fid = %s", (fa, fb))[0][0]
                t.rel(m2, ref, 1e-9, "overlap area vs PostGIS ST_Area(ST_Intersection)")
                t.rel(res["double_counted_m2"], ref, 1e-9, "double-counted total")
                print(f"overlap {m2:.6f} m² (PostGIS {ref:.6f})")
        elif pairs:
            print("PostGIS unavailable: overlap area not compared")

        # the overlap search runs alongside the other phases on a worker: one
        # thread gives the same findings, in the same order, and the same layers
        out1 = os.path.join(tmp, "qa1.sqlite")
        code1, res1, err1 = check(a.landcons, gpkg, "-o", out1, "--threads", "1")
        t.eq(code1, code, f"--threads 1: same exit ({err1.strip()})")
        t.eq(res1, res, "--threads 1: same JSON findings, in the same order")
        tables = {}
        for path in (out, out1):
            con = sqlite3.connect(path)
            tables[path] = [con.execute(f"SELECT * FROM {tb} ORDER BY fid").fetchall()
                            for tb in ("qa_issues", "qa_overlaps")]
            con.close()
        t.eq(tables[out1], tables[out], "--threads 1: same qa_issues and qa_overlaps rows")
        check_text(t, a, gpkg, os.path.join(os.path.dirname(shp), "DK_register.csv"))
    t.done()


FIRST_PER_KIND = 3
SEVERITIES = ("error", "warning", "info")


def check_text(t, a, gpkg, reg):
    """The text of check with the register (74 warnings of one kind beside the
    four errors): the count of every kind, errors first, as the JSON counts
    them; then the first 3 findings of each error and warning kind with how
    many more there are; --all prints every finding."""
    code, res, _ = check(a.landcons, gpkg, "--register", reg)
    r = subprocess.run([a.landcons, "check", gpkg, "--register", reg, "-q"], capture_output=True, text=True)
    t.eq(r.returncode, code, "text: the same exit as --json")
    lines = r.stdout.splitlines()
    table = [re.match(r"^  (error|warning|info) +(\w+) +(\d+)$", ln) for ln in lines]
    counts = [(m.group(1), m.group(2), int(m.group(3))) for m in table if m]
    by_kind = {}
    for f in res["findings"]:
        by_kind[(f["severity"], f["kind"])] = by_kind.get((f["severity"], f["kind"]), 0) + 1
    t.eq({(sev, k): n for sev, k, n in counts}, by_kind, "text: the count of every kind, as the JSON's findings")
    t.eq([SEVERITIES.index(sev) for sev, _, _ in counts], sorted(SEVERITIES.index(sev) for sev, _, _ in counts),
         "text: errors first, then warnings, then notes")
    t.check(max(by_kind.values()) > 10 and by_kind.get(("error", "duplicate_key")),
            "the case: a kind of more than ten findings beside the errors")
    shown = {}
    cur = None
    for ln in lines:
        m = re.match(r"^  (error|warning|info) · (\w+) \((\d+)\)$", ln)
        if m:
            cur = (m.group(1), m.group(2))
            shown[cur] = {"n": int(m.group(3)), "rows": 0, "more": None}
        elif cur and ln.startswith("    ... and "):
            shown[cur]["more"] = int(re.search(r"and (\d+) more", ln).group(1))
        elif cur and ln.startswith("    "):
            shown[cur]["rows"] += 1
    want = {k: n for k, n in by_kind.items() if k[0] != "info"}
    t.eq({k: v["n"] for k, v in shown.items()}, want, "text: the first findings of every error and warning kind")
    for k, v in shown.items():
        t.eq(v["rows"], min(v["n"], FIRST_PER_KIND), f"text: {k[1]}: the first {FIRST_PER_KIND} findings shown")
        t.eq(v["more"], v["n"] - FIRST_PER_KIND if v["n"] > FIRST_PER_KIND else None, f"text: {k[1]}: how many more")
    for f in res["findings"]:
        if f["severity"] == "error":
            t.check(f"    {f['source']} {f['key']}: {f['detail']}" in lines, f"text: the error {f['kind']} "
                    f"of {f['source']} shown")
    t.check("--all prints every finding" in r.stdout and "--xlsx FILE" in r.stdout, "text: says how to see them all")
    r = subprocess.run([a.landcons, "check", gpkg, "--register", reg, "-q", "--all"], capture_output=True, text=True)
    after = r.stdout.split("every finding, by kind:", 1)[-1]
    rows = [ln for ln in after.splitlines() if ln.startswith("    ") and not ln.startswith("    ... ")]
    t.eq(len(rows), len(res["findings"]), "--all: every finding printed")
    t.check("more of this kind" not in r.stdout, "--all: nothing left out")


if __name__ == "__main__":
    main()
