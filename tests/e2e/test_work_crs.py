#!/usr/bin/python3
"""The working CRS is chosen from its distortion over the layer (SPEC §1).

The sample (EPSG:4530, CGCS2000 Gauss-Kruger zone 42) is moved by ogr2ogr
into Web Mercator, the Asia Lambert conformal conic and UTM zone 50N (9
degrees west of the data). Read from any of them, every parcel's planar and
ellipsoidal area equals the sample's own within 1e-6, and so do the
analysis's totals, blocks and footprints: the distorting CRS was replaced
by the CGCS2000 3-degree CM zone of the centroid, and the outputs say so.
Forcing Web Mercator with --work-srs warns with a distortion that the
parcels' own area ratio (OGR in Web Mercator over OGR in the sample's CRS,
independent of landcons) confirms.
Usage: test_work_crs.py --landcons BIN --data-dir GIS_DATA --dump LC_DUMP"""
import json
import os
import re
import sqlite3
import subprocess
import tempfile

from osgeo import ogr

import lctest

ogr.UseExceptions()

TARGETS = [("EPSG:3857", "Web Mercator"), ("ESRI:102012", "Asia Lambert conformal conic"),
           ("EPSG:32650", "UTM 50N")]
REL = 1e-6


def dump(lc_dump, path):
    r = lctest.run([lc_dump, path])
    if r.returncode != 0:
        raise SystemExit(f"lc_dump {path}: {r.stderr}")
    return {d["key"]: d for d in map(json.loads, r.stdout.splitlines())}


def ogr_areas(path):
    """Planar area of every parcel in the layer's own CRS, by OGR."""
    ds = ogr.Open(path)
    return {f.GetField("DKBM"): f.GetGeometryRef().GetArea() for f in ds.GetLayer()}


def analyze(landcons, shp, reg, out, *extra):
    r = lctest.run([landcons, "analyze", shp, "--register", reg, "--as-of", "2019-05-01", "-o", out,
                    "--json", "-q", *extra])
    if r.returncode != 0:
        raise SystemExit(f"analyze {shp}: {r.stderr}")
    return json.loads(r.stdout), r.stderr


def main():
    ap = lctest.arg_parser()
    ap.add_argument("--dump", required=True)
    a = ap.parse_args()
    t = lctest.Checker("work_crs")
    sample = os.path.join(a.data_dir, "shuangcheng", "DK.shp")
    reg = os.path.join(a.data_dir, "shuangcheng", "DK_register.csv")
    own = dump(a.dump, sample)
    with tempfile.TemporaryDirectory() as d:
        ref, _ = analyze(a.landcons, sample, reg, os.path.join(d, "own.sqlite"))
        for crs, label in TARGETS:
            name = crs.replace(":", "_")
            shp = os.path.join(d, name + ".shp")
            subprocess.run(["ogr2ogr", "-t_srs", crs, "-lco", "ENCODING=UTF-8", shp, sample], check=True,
                           capture_output=True)
            info = lctest.info_json(a.landcons, shp)["crs"]
            t.eq(info["work"]["id"], "EPSG:4551", f"{label}: working CRS")
            t.check(info["replaced"], f"{label}: says the layer's CRS was replaced")
            t.check(info["source_distortion"] > 1e-4, f"{label}: source distortion {info['source_distortion']}")
            t.check(info["work_distortion"] < 2e-5, f"{label}: work distortion {info['work_distortion']}")
            # the reported area scale of the layer's CRS holds the parcels' own ratio
            theirs, mine = ogr_areas(shp), ogr_areas(sample)
            ratio = sum(theirs.values()) / sum(mine.values())
            lo, hi = info["source_area_scale"]
            t.check(lo - 1e-6 <= ratio <= hi + 1e-6,
                    f"{label}: OGR area ratio {ratio:.7f} outside the reported scale {lo:.7f}..{hi:.7f}")

            got = dump(a.dump, shp)
            t.eq(sorted(got), sorted(own), f"{label}: same parcels")
            worst = max(abs(got[k]["planar_m2"] / own[k]["planar_m2"] - 1) for k in own)
            t.check(worst <= REL, f"{label}: planar areas off the sample's by up to {worst:.3g}")
            worst = max(abs(got[k]["ellipsoidal_m2"] / own[k]["ellipsoidal_m2"] - 1) for k in own)
            t.check(worst <= REL, f"{label}: ellipsoidal areas off the sample's by up to {worst:.3g}")

            out = os.path.join(d, name + ".sqlite")
            res, _ = analyze(a.landcons, shp, reg, out)
            for k in ("total_mu",):
                t.rel(res["parcels"][k], ref["parcels"][k], REL, f"{label}: {k}")
            for s in res["by_status"]:
                t.rel(res["by_status"][s]["mu"], ref["by_status"][s]["mu"], REL, f"{label}: {s} mu",
                      abs_floor=1e-9)
            t.eq(res["block_count"], ref["block_count"], f"{label}: blocks")
            for k in ("parcel_mu", "footprint_mu"):
                t.rel(res["largest_block"][k], ref["largest_block"][k], REL, f"{label}: largest block {k}")
            t.eq(res["crs"]["work"], "EPSG:4551", f"{label}: analyze JSON names the working CRS")
            t.check(res["crs"]["replaced"], f"{label}: analyze JSON says it replaced the layer's CRS")
            with sqlite3.connect(out) as db:
                summary = dict(db.execute("SELECT name, value FROM summary"))
                kinds = [r[0] for r in db.execute("SELECT kind FROM qa_issues WHERE kind LIKE 'work_crs%'")]
            t.eq(summary.get("work_crs_replaced"), "1", f"{label}: summary table work_crs_replaced")
            t.check(float(summary.get("source_crs_distortion", "0")) > 1e-4,
                    f"{label}: summary table source_crs_distortion {summary.get('source_crs_distortion')}")
            t.eq(kinds, ["work_crs_replaced"], f"{label}: one QA finding says so")

        # forcing the distorting CRS: a warning stating the distortion
        out = os.path.join(d, "forced.sqlite")
        res, err = analyze(a.landcons, sample, reg, out, "--work-srs", "EPSG:3857")
        m = re.search(r"warning: --work-srs EPSG:3857 distorts areas by up to ([0-9.e+-]+) % over the "
                      r"layer's extent \(area scale ([0-9.]+)\.\.([0-9.]+)\)", err)
        if t.check(m is not None, f"--work-srs EPSG:3857 warns with the distortion: {err!r}"):
            pct, lo, hi = float(m.group(1)), float(m.group(2)), float(m.group(3))
            merc = os.path.join(d, "EPSG_3857.shp")
            ratio = sum(ogr_areas(merc).values()) / sum(ogr_areas(sample).values())
            t.check(lo - 1e-6 <= ratio <= hi + 1e-6, f"forced: OGR area ratio {ratio:.7f} outside {lo}..{hi}")
            t.rel(pct / 100, hi - 1, 5e-3, "forced: the stated distortion is the largest area scale - 1")
            t.rel(res["parcels"]["total_mu"], ref["parcels"]["total_mu"] * ratio, 1e-6,
                  "forced: areas are computed in Web Mercator as asked")
        t.eq(res["crs"]["work"], "EPSG:3857", "forced: the JSON names Web Mercator")
        with sqlite3.connect(out) as db:
            kinds = [r[0] for r in db.execute("SELECT kind FROM qa_issues WHERE kind LIKE 'work_crs%'")]
        t.eq(kinds, ["work_crs_distortion"], "forced: a QA warning in the database")
        r = lctest.run([a.landcons, "info", sample, "--work-srs", "EPSG:3857"])
        t.check("distorts areas by up to" in r.stderr, f"info --work-srs warns too: {r.stderr!r}")
        # an undistorting --work-srs says nothing
        r = lctest.run([a.landcons, "info", sample, "--work-srs", "EPSG:4551"])
        t.eq(r.stderr, "", "no warning for --work-srs EPSG:4551")
    t.done()


if __name__ == "__main__":
    main()
