#!/usr/bin/python3
"""A GeoJSON parcel layer reads the same whether its features are fetched
beside GDAL's opening of it (a second handle whose first pass is cut short
at 256 KB) or after it: every row of the parcels and QA layers equal to a
run with one thread, where nothing runs beside. The features fetched beside
are kept for a plain file and dropped where the cut-short pass would read
differently: a field, a wider type or the CRS met only late in the file,
integer feature ids met only late (GDAL takes them for FIDs). The files
are the sample's geographic variant repeated past the cut; those kept are
big enough to be converted in two halves.
Usage: test_geojson_ahead.py --landcons BIN --data-dir GIS_DATA"""
import copy
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lctest  # noqa: E402

REPEATS = 6                        # 6 x 116 KB: well past the 256 KB the cut-short pass reads
HALVES = 12                        # 2,400 features: converted in two halves (from 2,048)
KEPT = "fetch features (alongside the opening)"
DROPPED = "fetch features (alongside, dropped)"


def shifted(feature, k):
    f = copy.deepcopy(feature)

    def move(c):
        if isinstance(c[0], (int, float)):
            return [c[0] + 0.02 * k, c[1]]
        return [move(x) for x in c]
    f["geometry"]["coordinates"] = move(f["geometry"]["coordinates"])
    if k:
        f["properties"]["DKBM"] = f"{f['properties']['DKBM']}-{k}"
    return f


def variants(src):
    """name -> (collection, the features are kept); the kept ones big enough
    for the conversion in halves"""
    base = {k: v for k, v in src.items() if k != "features"}
    out = {}

    def make(name, kept, edit=None, crs_last=False):
        fs = [shifted(f, k) for k in range(HALVES if kept else REPEATS) for f in src["features"]]
        if edit:
            edit(fs)
        doc = {k: v for k, v in base.items() if not (crs_last and k == "crs")}
        doc["features"] = fs
        if crs_last:
            doc["crs"] = base["crs"]
        out[name] = (doc, kept)

    make("plain", True)

    def late_field(fs):
        fs[-1]["properties"]["REMARK"] = "late"
    make("late_field", False, late_field)

    def late_real(fs):
        for f in fs:
            f["properties"]["NUMX"] = 7
        fs[-1]["properties"]["NUMX"] = 1.5
    make("late_real", False, late_real)

    def late_ids(fs):
        for i, f in enumerate(fs[len(fs) // 2:]):
            f["id"] = 100000 + i
    make("late_ids", False, late_ids)

    def ids_everywhere(fs):
        for i, f in enumerate(fs):
            f["id"] = 5000 + i
    make("ids_everywhere", True, ids_everywhere)

    def string_ids(fs):
        for i, f in enumerate(fs[len(fs) // 2:]):
            f["id"] = f"p{i}"
    make("late_string_ids", None, string_ids)   # kept or not: the rows must agree
    make("crs_last", False, crs_last=True)
    return out


def run(t, landcons, path, reg, out, threads):
    r = subprocess.run([landcons, "analyze", path, "--key", "DKBM", "--register", reg, "--min-key-match", "0",
                        "--as-of", "2019-05-01", "-o", out, "-q", "-v", "--threads", threads],
                       capture_output=True, text=True)
    t.eq(r.returncode, 0, f"{os.path.basename(path)} with {threads} threads: {r.stderr[-400:]}")
    return r.stderr


def rows(db, table):
    con = sqlite3.connect(db)
    cols = [r[1] for r in con.execute(f"PRAGMA table_info({table})")]
    data = con.execute(f"SELECT * FROM {table} ORDER BY fid").fetchall()
    con.close()
    return cols, data


def main():
    a = lctest.arg_parser().parse_args()
    t = lctest.Checker("GeoJSON features fetched beside the opening")
    src = json.load(open(os.path.join(a.data_dir, "variants", "geo4490", "DK.geojson"), encoding="utf-8"))
    reg = os.path.join(a.data_dir, "shuangcheng", "DK_register.csv")
    with tempfile.TemporaryDirectory() as tmp:
        for name, (doc, kept) in variants(src).items():
            path = os.path.join(tmp, name + ".geojson")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(doc, f)
            t.check(os.path.getsize(path) > 2 * 262144, f"{name}: the file reaches past the cut")
            one, two = os.path.join(tmp, name + ".1.sqlite"), os.path.join(tmp, name + ".2.sqlite")
            err_one = run(t, a.landcons, path, reg, one, "1")
            err_two = run(t, a.landcons, path, reg, two, "2")
            t.check(KEPT not in err_one and DROPPED not in err_one, f"{name}: one thread fetches after the opening")
            if kept is not None:
                want = KEPT if kept else DROPPED
                t.check(want in err_two, f"{name}: with two threads the -v log says '{want}'")
            for table in ("parcels", "qa_issues"):
                c1, r1 = rows(one, table)
                c2, r2 = rows(two, table)
                t.eq(c2, c1, f"{name}: {table} columns")
                t.check(r1 == r2, f"{name}: {table} rows differ between one and two threads")
            n = len(doc["features"])
            c2, r2 = rows(two, "parcels")
            t.eq(len(r2), n, f"{name}: parcels")
            col = {c: i for i, c in enumerate(c2)}
            if name == "late_field":
                t.eq([r[col["REMARK"]] for r in r2 if r[col["REMARK"]] is not None], ["late"],
                     "late_field: the field met only in the last feature is read")
            if name == "late_real":
                t.eq(r2[-1][col["NUMX"]], 1.5, "late_real: the real met only in the last feature is read whole")
            if name == "late_ids":
                t.eq(r2[n // 2][col["source_fid"]], 100000, "late_ids: GDAL's FID is the feature's id")
            if name == "ids_everywhere":
                t.eq(r2[0][col["source_fid"]], 5000, "ids_everywhere: GDAL's FID is the feature's id")
    t.done()


if __name__ == "__main__":
    main()
