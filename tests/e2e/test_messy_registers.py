#!/usr/bin/python3
"""Registers as clerks keep them (SPEC §1a), from the corpus that
scripts/gen_registers.py writes for the bundled sample:

- every register its manifest calls equivalent gives each parcel exactly the
  status and signing date of the tidy register (and its declared area and
  holder where the register has those columns), compared parcel by parcel,
  with the sheet, header row and skipped rows reported in the JSON summary;
- every register it calls refused stops with exit 2, the message given, and
  no output;
- keys with typos are listed as orphans (JSON, qa_issues, report, verify per
  site, recomputed here from the database);
- `check` lists unknown status words as errors and goes on;
- the key-match guard names the best parcel field (a wrong --key);
- a 19-digit key in a numeric DBF field N(19,0), and --key @fid;
- township and village names from the 发包方 table (FBF.dbf beside the
  parcels, --units DBF or CSV) equal those of DK_units.csv;
- implausible signing dates are QA errors and stay out of the progress series.

usage: test_messy_registers.py --landcons BIN --data-dir GIS_DATA"""
import csv
import json
import os
import re
import shutil
import sqlite3
import struct
import subprocess
import sys
import tempfile

from osgeo import gdal, ogr

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lctest  # noqa: E402

gdal.UseExceptions()
AS_OF = "2019-05-01"


def analyze(t, landcons, shp, reg, out, *extra):
    r = lctest.run([landcons, "analyze", shp, "--register", reg, "-o", out, "--as-of", AS_OF, "-q", "--json",
                    "--overwrite", *extra])
    return r, (json.loads(r.stdout) if r.returncode == 0 else None)


def parcels(db, cols):
    con = sqlite3.connect(db)
    rows = con.execute(f"SELECT source_fid, {', '.join(cols)} FROM parcels ORDER BY source_fid").fetchall()
    con.close()
    return rows


def compare(t, what, got, ref):
    t.eq(len(got), len(ref), f"{what}: parcel count")
    diff = [(g, r) for g, r in zip(got, ref) if g != r]
    t.check(not diff, f"{what}: {len(diff)} parcels differ from the tidy register, e.g. {diff[:3]}")


def equivalent(t, a, shp, regdir, manifest, ref_db, tmp):
    for k, case in enumerate(manifest["equivalent"]):
        name = f"{case['file']} {' '.join(case['args'])}".strip()
        out = os.path.join(tmp, f"eq{k}.sqlite")
        r, js = analyze(t, a.landcons, shp, os.path.join(regdir, case["file"]), out, *case["args"])
        if not t.eq(r.returncode, 0, f"{name}: exit code ({r.stderr.strip()[:400]})"):
            continue
        cols = ["status", "signed_on"] + [c for c, f in (("declared_mu", "area"), ("holder", "holder"))
                                          if f in case.get("columns", [])]
        compare(t, name, parcels(out, cols), parcels(ref_db, cols))
        reg = js["register"]
        t.eq(reg["sheet"], case.get("sheet"), f"{name}: sheet in the JSON summary")
        t.eq(reg["header_row"], case["header_row"], f"{name}: header row")
        t.eq(reg["header_rows"], case.get("header_rows", 1), f"{name}: header rows")
        for what in ("title_rows", "total_rows", "note_rows"):
            if what in case:
                t.eq(reg["skipped"][what], case[what], f"{name}: {what} skipped")
        con = sqlite3.connect(out)
        if case.get("title_rows"):
            n = con.execute("SELECT count(*) FROM qa_issues WHERE kind='register_title_rows' AND severity='info'").fetchone()[0]
            t.eq(n, 1, f"{name}: the title rows are one info finding")
        if case.get("total_rows"):
            n = con.execute("SELECT count(*) FROM qa_issues WHERE kind='register_total_row' AND severity='info'").fetchone()[0]
            t.eq(n, case["total_rows"], f"{name}: a finding per totals row")
        con.close()


def refused(t, a, shp, regdir, manifest, tmp):
    for k, case in enumerate(manifest["refused"]):
        name = f"{case['file']} {' '.join(case['args'])}".strip()
        out = os.path.join(tmp, f"ref{k}.sqlite")
        r, _ = analyze(t, a.landcons, shp, os.path.join(regdir, case["file"]), out, *case["args"])
        t.eq(r.returncode, 2, f"{name}: exit code")
        t.check(re.search(case["message"], r.stderr) is not None,
                f"{name}: message {r.stderr.strip()[:600]!r} lacks {case['message']!r}")
        t.check(not os.path.exists(out), f"{name}: no output")
        if "unreadable dates" in case["message"]:
            t.eq(len(re.findall(r"^    row \d+: ", r.stderr, re.M)), 20, f"{name}: 20 rows named")
            t.check("and 10 more" in r.stderr, f"{name}: the other 10 counted")
        if "rounded by Excel" in case["message"]:
            t.check(re.search(r"rows 2, 3, 4", r.stderr) is not None, f"{name}: the rows are named")


def typo_keys(t, a, d, regdir, manifest, tmp):
    shp, sites = os.path.join(d, "DK.shp"), os.path.join(d, "DK_sites.geojson")
    case = manifest["typo_keys"]
    reg = os.path.join(regdir, case["file"])
    out, report = os.path.join(tmp, "typo.sqlite"), os.path.join(tmp, "typo.html")
    r, js = analyze(t, a.landcons, shp, reg, out, "--site", sites, "--report", report)
    if not t.eq(r.returncode, 0, f"typo keys: exit code ({r.stderr.strip()[:300]})"):
        return
    listed = sorted(x["key"] for x in js["register"]["register_keys_without_parcel"])
    t.eq(listed, sorted(case["keys"]), "typo keys: the JSON lists exactly the mistyped keys")
    con = sqlite3.connect(out)
    qa = sorted(k for (k,) in con.execute("SELECT key FROM qa_issues WHERE kind='register_key_without_parcel'"))
    t.eq(qa, sorted(case["keys"]), "typo keys: qa_issues has each of them")
    unreg = sorted(k for (k,) in con.execute("SELECT key FROM parcels WHERE status='unregistered'"))
    t.eq(sorted(js["register"]["parcels_without_row_keys"]), unreg, "typo keys: parcels without a row listed")
    html = open(report, encoding="utf-8").read()
    t.check(all(k in html for k in case["keys"]), "typo keys: the report's audit section names them")
    # verify: orphans in the villages of the parcels under each site, recomputed
    expect = {}
    for sid, in con.execute("SELECT site_id FROM sites"):
        villages = {v for (v,) in con.execute("SELECT DISTINCT p.village FROM site_overlaps o JOIN parcels p "
                                                 "ON p.key = o.key WHERE o.site_id = ?", (sid,))}
        expect[sid] = sorted(k for k in case["keys"] if k[:12] in villages)
    con.close()
    r = lctest.run([a.landcons, "verify", shp, "--register", reg, "--site", sites, "--as-of", AS_OF, "--json"])
    v = json.loads(r.stdout)
    for s in v["sites"]:
        t.eq(sorted(s["village_register_keys_without_parcel_list"]), expect[s["site_id"]],
             f"verify site {s['site_id']}: register keys of its villages without a parcel")
    t.check(any(expect.values()), "typo keys: at least one site shows one (the test would be empty otherwise)")
    r = lctest.run([a.landcons, "verify", shp, "--register", reg, "--site", sites, "--as-of", AS_OF])
    for sid, keys in expect.items():
        if keys:
            t.check(re.search(rf"register: {len(keys)} rows? of these villages match", r.stdout) is not None,
                    f"verify text names the count for site {sid}: {r.stdout[:800]}")


def check_goes_on(t, a, shp, regdir):
    r = lctest.run([a.landcons, "check", shp, "--register", os.path.join(regdir, "台账_未知状态.csv"), "--json"])
    t.eq(r.returncode, 1, f"check with unknown status words: exit 1 (errors found), stderr {r.stderr[:300]}")
    js = json.loads(r.stdout)
    words = [f["detail"] for f in js["findings"] if f["kind"] == "register_unknown_status"]
    t.eq(len(words), 2, "check: one error per unknown word")
    t.check(any('"已签字"' in w and "72 row" in w for w in words), f"check: 已签字 with its count: {words}")


def wrong_key(t, a, d, tmp):
    """A layer with a BSM field that is not the register's key."""
    src = os.path.join(d, "DK.shp")
    dst = os.path.join(tmp, "bsm", "DK.shp")
    os.makedirs(os.path.dirname(dst))
    subprocess.run(["ogr2ogr", "-q", dst, src, "-dialect", "sqlite", "-sql",
                    "SELECT *, 100000 + rowid AS BSM FROM DK", "-lco", "ENCODING=CP936"], check=True)
    out = os.path.join(tmp, "bsm.sqlite")
    r, _ = analyze(t, a.landcons, dst, os.path.join(d, "DK_register.csv"), out, "--key", "BSM")
    t.eq(r.returncode, 2, "--key BSM: exit 2")
    t.check(re.search(r"0 of 2952 register keys \(0\.0%\) match a parcel's BSM", r.stderr) is not None,
            f"--key BSM: both shares: {r.stderr[:300]}")
    t.check(re.search(r"best match the register's keys is DKBM \(2952 of 2952 keys\): use --key DKBM",
                      r.stderr) is not None, f"--key BSM: names DKBM: {r.stderr[:600]}")
    t.check(not os.path.exists(out), "--key BSM: no output")
    r = lctest.run([a.landcons, "check", dst, "--register", os.path.join(d, "DK_register.csv"), "--key", "BSM",
                    "--json"])
    js = json.loads(r.stdout)
    t.check(any(f["kind"] == "register_keys_unmatched" and f["severity"] == "error" for f in js["findings"]),
            "check --key BSM: an error finding, the run goes on")


def numeric_key(t, a, d, ref_db, tmp):
    """DKBM as a numeric N(19,0) DBF field holding all 19 digits."""
    src = ogr.Open(os.path.join(d, "DK.shp"))
    lyr = src.GetLayer()
    keys = [f.GetField("DKBM") for f in lyr]
    lyr.ResetReading()
    os.makedirs(os.path.join(tmp, "num"))
    path = os.path.join(tmp, "num", "DK.shp")
    ds = ogr.GetDriverByName("ESRI Shapefile").CreateDataSource(path)
    out = ds.CreateLayer("DK", lyr.GetSpatialRef(), ogr.wkbPolygon)
    fd = ogr.FieldDefn("DKBM", ogr.OFTReal)
    fd.SetWidth(19)
    fd.SetPrecision(0)
    out.CreateField(fd)
    gdal.PushErrorHandler("CPLQuietErrorHandler")
    for f in lyr:
        n = ogr.Feature(out.GetLayerDefn())
        n.SetField("DKBM", float(f.GetField("DKBM")))
        n.SetGeometry(f.GetGeometryRef())
        out.CreateFeature(n)
    gdal.PopErrorHandler()
    ds = None
    # a double keeps 15-17 digits: write the real ones, as other software does
    raw = bytearray(open(os.path.join(tmp, "num", "DK.dbf"), "rb").read())
    hl, rl = struct.unpack("<HH", raw[8:12])
    for i, k in enumerate(keys):
        raw[hl + i * rl + 1: hl + i * rl + 20] = k.encode()
    open(os.path.join(tmp, "num", "DK.dbf"), "wb").write(raw)
    t.check(any(str(int(float(k))) != k for k in keys), "the keys do not survive a double (else this tests nothing)")
    db = os.path.join(tmp, "num.sqlite")
    r, _ = analyze(t, a.landcons, path, os.path.join(d, "DK_register.csv"), db)
    if t.eq(r.returncode, 0, f"N(19,0) key: exit code ({r.stderr[:300]})"):
        compare(t, "N(19,0) key", parcels(db, ["key", "status", "signed_on"]),
                parcels(ref_db, ["key", "status", "signed_on"]))


def fid_key(t, a, data_dir, ref_db, tmp):
    """--key @fid on the GeoPackage variant, with a register keyed by fid."""
    gpkg = os.path.join(data_dir, "variants", "gpkg", "DK.gpkg")
    ds = ogr.Open(gpkg)
    lyr = ds.GetLayer()
    by_dkbm = {f.GetField("DKBM"): f.GetFID() for f in lyr}
    reg = os.path.join(tmp, "fid_register.csv")
    with open(os.path.join(data_dir, "shuangcheng", "DK_register.csv"), encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    kept = [rows[0]] + [[str(by_dkbm[r[0]])] + r[1:] for r in rows[1:] if r[0] in by_dkbm]
    with open(reg, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(kept)
    db1, db2 = os.path.join(tmp, "fid1.sqlite"), os.path.join(tmp, "fid2.sqlite")
    tidy = os.path.join(tmp, "fid_tidy.csv")
    with open(tidy, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([rows[0]] + [r for r in rows[1:] if r[0] in by_dkbm])
    r1, _ = analyze(t, a.landcons, gpkg, reg, db1, "--key", "@fid")
    r2, _ = analyze(t, a.landcons, gpkg, tidy, db2)
    if t.eq((r1.returncode, r2.returncode), (0, 0), f"--key @fid runs ({r1.stderr[:300]} {r2.stderr[:300]})"):
        compare(t, "--key @fid", parcels(db1, ["status", "signed_on"]), parcels(db2, ["status", "signed_on"]))
        con = sqlite3.connect(db1)
        keys = con.execute("SELECT count(*) FROM parcels WHERE key = CAST(source_fid AS TEXT)").fetchone()[0]
        total = con.execute("SELECT count(*) FROM parcels").fetchone()[0]
        t.eq(keys, total, "--key @fid: each parcel's key is its feature id")


def unit_names(t, a, d, regdir, tmp):
    folder = os.path.join(tmp, "fbf")
    os.makedirs(folder)
    for ext in ("shp", "shx", "dbf", "prj", "cpg"):
        shutil.copy(os.path.join(d, f"DK.{ext}"), folder)
    for ext in ("dbf", "cpg"):
        shutil.copy(os.path.join(regdir, f"FBF.{ext}"), folder)
    reg = os.path.join(d, "DK_register.csv")
    ref = os.path.join(tmp, "names_ref.sqlite")
    r, _ = analyze(t, a.landcons, os.path.join(d, "DK.shp"), reg, ref, "--unit-names", os.path.join(d, "DK_units.csv"))
    t.eq(r.returncode, 0, "names from DK_units.csv")
    fbf_csv = os.path.join(tmp, "fbf.csv")
    subprocess.run(["ogr2ogr", "-q", "-f", "CSV", fbf_csv, os.path.join(regdir, "FBF.dbf")], check=True)
    for label, shp, extra in (("FBF.dbf beside the parcels", os.path.join(folder, "DK.shp"), []),
                              ("--units FBF.dbf", os.path.join(d, "DK.shp"), ["--units", os.path.join(regdir, "FBF.dbf")]),
                              ("--units fbf.csv", os.path.join(d, "DK.shp"), ["--units", fbf_csv])):
        db = os.path.join(tmp, f"names_{len(label)}.sqlite")
        r, js = analyze(t, a.landcons, shp, reg, db, *extra)
        if not t.eq(r.returncode, 0, f"{label}: exit code ({r.stderr[:300]})"):
            continue
        cols = ["township_name", "village_name"]
        got = parcels(db, cols)
        compare(t, label, got, parcels(ref, cols))
        t.check(all(v and not v.isdigit() for _, _, v in got), f"{label}: every parcel has a village name")
        t.check(js["unit_names"] and "FBF" in js["unit_names"].upper(), f"{label}: the summary names the source")
    db = os.path.join(tmp, "nonames.sqlite")
    r, js = analyze(t, a.landcons, os.path.join(d, "DK.shp"), reg, db)
    t.eq(js["unit_names"] if js else "x", None, "no names found: the summary says so (null)")
    r = lctest.run([a.landcons, "analyze", os.path.join(d, "DK.shp"), "--register", reg, "-o", db, "--overwrite",
                    "--as-of", AS_OF, "-q"])
    t.check("codes shown" in r.stdout, f"no names: the text summary says codes are shown: {r.stdout[:400]}")


def implausible_dates(t, a, d, tmp):
    with open(os.path.join(d, "DK_register.csv"), encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    once = {}
    for r in rows[1:]:
        once[r[0]] = once.get(r[0], 0) + 1
    signed = [i for i, r in enumerate(rows) if i and r[2] == "已签约" and r[3] and once[r[0]] == 1]
    bad = {signed[0]: "0001-01-01", signed[1]: "1975-06-01", signed[2]: "2099-01-01"}
    for i, v in bad.items():
        rows[i][3] = v
    reg = os.path.join(tmp, "implausible.csv")
    with open(reg, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    db = os.path.join(tmp, "implausible.sqlite")
    r, js = analyze(t, a.landcons, os.path.join(d, "DK.shp"), reg, db)
    if not t.eq(r.returncode, 0, f"implausible dates: exit code ({r.stderr[:300]})"):
        return
    con = sqlite3.connect(db)
    found = sorted(k for (k,) in con.execute("SELECT key FROM qa_issues WHERE kind='register_implausible_date' "
                                              "AND severity='error'"))
    t.eq(found, sorted(rows[i][0] for i in bad), "implausible dates: one error each")
    st = {k: s for k, s in con.execute("SELECT key, status FROM parcels")}
    t.check(all(st[rows[i][0]] == "pending" for i in bad), "implausible dates: those parcels count as not signed")
    first = con.execute("SELECT min(date) FROM progress").fetchone()[0]
    t.check(first >= "1980-01-01", f"the progress series starts at a real signing day, not {first}")
    n_days = con.execute("SELECT count(*) FROM progress WHERE unit_kind='all'").fetchone()[0]
    t.check(n_days < 400, f"the progress series spans the campaign only ({n_days} days)")


def main():
    a = lctest.arg_parser().parse_args()
    t = lctest.Checker("messy registers")
    d = os.path.join(a.data_dir, "shuangcheng")
    regdir = os.path.join(d, "registers")
    manifest = json.load(open(os.path.join(regdir, "manifest.json"), encoding="utf-8"))
    shp = os.path.join(d, "DK.shp")
    with tempfile.TemporaryDirectory() as tmp:
        ref_db = os.path.join(tmp, "tidy.sqlite")
        r, _ = analyze(t, a.landcons, shp, os.path.join(d, "DK_register.csv"), ref_db)
        if not t.eq(r.returncode, 0, f"tidy register: {r.stderr}"):
            t.done()
        equivalent(t, a, shp, regdir, manifest, ref_db, tmp)
        refused(t, a, shp, regdir, manifest, tmp)
        typo_keys(t, a, d, regdir, manifest, tmp)
        check_goes_on(t, a, shp, regdir)
        wrong_key(t, a, d, tmp)
        numeric_key(t, a, d, ref_db, tmp)
        fid_key(t, a, a.data_dir, ref_db, tmp)
        unit_names(t, a, d, regdir, tmp)
        implausible_dates(t, a, d, tmp)
    t.done()


if __name__ == "__main__":
    main()
