#!/usr/bin/python3
"""The transfer register read from CSV UTF-8 (with BOM), CSV GBK (no BOM),
and XLSX (Excel date cells, Excel serial numbers, numeric areas) gives the
same statuses, dates and declared areas for every parcel; an XLSX error
names the spreadsheet row. Usage: test_register_formats.py --landcons BIN
--data-dir GIS_DATA"""
import csv
import datetime
import os
import re
import sqlite3
import subprocess
import sys
import tempfile

from osgeo import gdal, ogr

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lctest  # noqa: E402

gdal.UseExceptions()


def parse_date(s):
    m = re.match(r"\s*(\d{4})\D+(\d{1,2})\D+(\d{1,2})", s or "")
    return datetime.date(int(m[1]), int(m[2]), int(m[3])) if m else None


def write_xlsx(rows, header, path, serial_every=7, bad_status_row=None):
    """Writes the register as XLSX: dates as Excel date cells, every
    `serial_every`-th date as a bare Excel serial number in a text column."""
    ds = ogr.GetDriverByName("XLSX").CreateDataSource(path)
    lyr = ds.CreateLayer("register", geom_type=ogr.wkbNone)
    types = {"签约日期": ogr.OFTDate, "流转面积": ogr.OFTReal}
    for h in header:
        lyr.CreateField(ogr.FieldDefn(h, types.get(h, ogr.OFTString)))
    lyr.CreateField(ogr.FieldDefn("签约日期序号", ogr.OFTString))
    for i, r in enumerate(rows):
        f = ogr.Feature(lyr.GetLayerDefn())
        for h in header:
            v = r[h]
            if not v:
                continue
            if h == "签约日期":
                d = parse_date(v)
                if i % serial_every == 0:   # same date as an Excel serial number in another column
                    f.SetField("签约日期序号", str((d - datetime.date(1899, 12, 30)).days))
                f.SetField(h, d.year, d.month, d.day, 0, 0, 0, 0)
            elif h == "流转面积":
                f.SetField(h, float(v))
            else:
                f.SetField(h, v)
        if bad_status_row is not None and i == bad_status_row:
            f.SetField("流转状态", "已签字")
        lyr.CreateFeature(f)
    ds = None


def analyze(landcons, shp, reg, out, *extra):
    return subprocess.run([landcons, "analyze", shp, "--register", reg, "-o", out, "--as-of", "2019-05-01",
                           "-q", *extra], capture_output=True, text=True)


def parcels(db):
    con = sqlite3.connect(db)
    rows = con.execute("SELECT source_fid, status, signed_on, declared_mu, holder, block_id "
                       "FROM parcels ORDER BY source_fid").fetchall()
    con.close()
    return rows


def main():
    a = lctest.arg_parser().parse_args()
    t = lctest.Checker("register formats")
    d = os.path.join(a.data_dir, "shuangcheng")
    shp, reg = os.path.join(d, "DK.shp"), os.path.join(d, "DK_register.csv")
    with open(reg, encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
        header = list(rows[0].keys())
    with tempfile.TemporaryDirectory() as tmp:
        base = os.path.join(tmp, "csv.sqlite")
        r = analyze(a.landcons, shp, reg, base)
        t.eq(r.returncode, 0, f"CSV UTF-8: {r.stderr}")
        ref = parcels(base)
        t.check(any(s == "transferred" for _, s, *_ in ref), "some parcels transferred")

        gbk = os.path.join(tmp, "reg_gbk.csv")
        with open(reg, encoding="utf-8-sig") as f, open(gbk, "w", encoding="gbk", newline="") as g:
            g.write(f.read())
        out = os.path.join(tmp, "gbk.sqlite")
        r = analyze(a.landcons, shp, gbk, out)
        t.eq(r.returncode, 0, f"CSV GBK: {r.stderr}")
        t.check(parcels(out) == ref, "GBK CSV gives the same parcels as UTF-8 CSV")

        xlsx = os.path.join(tmp, "reg.xlsx")
        write_xlsx(rows, header, xlsx)
        out = os.path.join(tmp, "xlsx.sqlite")
        r = analyze(a.landcons, shp, xlsx, out)
        t.eq(r.returncode, 0, f"XLSX with date cells: {r.stderr}")
        t.check(parcels(out) == ref, "XLSX (date cells) gives the same parcels as the CSV")

        out = os.path.join(tmp, "xlsx_serial.sqlite")
        r = analyze(a.landcons, shp, xlsx, out, "--map", "date=签约日期序号")
        t.eq(r.returncode, 0, f"XLSX with Excel serial numbers: {r.stderr}")
        got = parcels(out)
        # only every 7th row has the serial column filled: those dates must be the CSV's
        dated = [(g, rr) for g, rr in zip(got, ref) if g[2] is not None]
        expected = sum(1 for i in range(0, len(rows), 7) if rows[i]["签约日期"])
        t.check(len(dated) >= expected * 0.9, f"{len(dated)} dates from serials, about {expected} expected")
        t.check(all(g[2] == rr[2] for g, rr in dated), "dates read from Excel serial numbers equal the CSV dates")

        bad = os.path.join(tmp, "bad.xlsx")
        write_xlsx(rows, header, bad, bad_status_row=9)
        r = analyze(a.landcons, shp, bad, os.path.join(tmp, "bad.sqlite"))
        t.eq(r.returncode, 2, "unknown status in XLSX: exit 2")
        t.check(re.search(r'bad\.xlsx, sheet register: the register cannot be used as it is:\n  1 status word in column '
                          r'流转状态 is not in the vocabulary \(1 rows\):\n    "已签字": 1 row, first on row 11', r.stderr) is not None,
                f"XLSX message names spreadsheet row 11 (header is row 1): {r.stderr.strip()}")
        t.check(not os.path.exists(os.path.join(tmp, "bad.sqlite")), "no output on error")
    t.done()


if __name__ == "__main__":
    main()
