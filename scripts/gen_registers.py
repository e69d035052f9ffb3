#!/usr/bin/python3
"""Messy transfer registers for the bundled sample, the way township clerks
keep them, made from the tidy register DK_register.csv: title rows, a two-row
header, an instructions sheet first, totals and blank rows, synonyms of
headers and status words, a GBK CSV with a title line, a UTF-16 text export,
keys mangled by Excel, full-width digits; and the 发包方 table FBF.dbf.

Every register listed in MANIFEST["equivalent"] gives each parcel exactly the
status, signing date (and, where the register has the column, declared area
and holder) of the tidy register, with the arguments given there; the ones in
MANIFEST["refused"] must stop with exit 2 and the message given.
tests/e2e/test_messy_registers.py reads manifest.json and checks both.

Deterministic: fixed seed, fixed timestamps inside the workbooks.

usage: gen_registers.py --tidy DK_register.csv --units DK_units.csv --parcels DK.shp --out DIR
"""
import argparse
import csv
import datetime
import io
import json
import os
import random
import re
import zipfile

import openpyxl
from openpyxl.styles import Alignment, Font
from osgeo import ogr

FIXED = datetime.datetime(2019, 5, 8, 0, 0, 0)
EXCEL_EPOCH = datetime.date(1899, 12, 30)

# tidy status word -> synonyms of the same class (SPEC §1a, docs/REGISTER.md)
SYNONYMS = {
    "已签约": ["已签约", "已签订", "签约完成", "已流转"],
    "未签约": ["未签约", "未签", "待签", "待签约"],
    "拒签": ["拒签", "不同意"],
    "争议": ["争议", "有争议", "纠纷"],
}
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def parse_date(s):
    """The tidy register's spellings (2019-03-05, 2019/3/5, 2019年3月5日)."""
    m = re.fullmatch(r"\s*(\d{4})\D+(\d{1,2})\D+(\d{1,2})\D*\s*", s or "")
    return datetime.date(int(m[1]), int(m[2]), int(m[3])) if m else None


def spell_date(d, rnd):
    """One of the spellings of SPEC §1 for date d."""
    k = rnd.randrange(5)
    if k == 0:
        return d.isoformat()
    if k == 1:
        return f"{d.year}/{d.month}/{d.day}"
    if k == 2:
        return f"{d.year}.{d.month}.{d.day}"
    if k == 3:
        return f"{d.year}年{d.month}月{d.day}日"
    return d.strftime("%Y%m%d")


def read_tidy(path):
    with open(path, encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def read_units(path):
    with open(path, encoding="utf-8-sig") as f:
        return {r["code"]: r["name"] for r in csv.DictReader(f)}


def fix_zip(path):
    """Rewrites a workbook with fixed member timestamps (byte-identical reruns)."""
    with zipfile.ZipFile(path) as z:
        members = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=FIXED.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)


def new_workbook():
    wb = openpyxl.Workbook()
    wb.properties.creator = "双城区农业农村局"
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    return wb


def save(wb, path):
    wb.save(path)
    fix_zip(path)


def village_of(key):
    return key[:12]


def write_csv(path, rows, encoding, bom=False, delimiter=","):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    data = buf.getvalue().encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    with open(path, "wb") as f:
        f.write(data)


# ---- tidy-equivalent registers ---------------------------------------------

def title_rows_xlsx(rows, out, rnd):
    """Title and unit rows above the header, a blank row, Excel date cells,
    numeric areas, blank rows inside, a notes footer and a 合计 row."""
    wb = new_workbook()
    ws = wb.active
    ws.title = "流转台账"
    ws.append(["双城区2019年土地流转台账"])
    ws.merge_cells("A1:H1")
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(["填报单位：双城区农业农村局", None, None, None, None, None, "单位：亩"])
    ws.append([])
    ws.append(["序号", "地块编码", "承包方", "流转状态", "签约日期", "流转面积（亩）", "流入方", "备注"])
    total = 0.0
    for i, r in enumerate(rows, 1):
        d = parse_date(r["签约日期"])
        area = float(r["流转面积"]) if r["流转面积"] else None
        total += area or 0
        ws.append([i, r["地块编码"], r["承包方"] or None, r["流转状态"], d, area, r["流入方"] or None, None])
        if d:
            ws.cell(ws.max_row, 5).number_format = "yyyy-mm-dd"
        if rnd.random() < 0.01:
            ws.append([])
    ws.append(["合计", None, None, None, None, round(total, 2)])
    ws.append([])
    ws.append(["填表人：张丽", None, None, "审核人：李国庆", None, "填报日期：2019年5月8日"])
    save(wb, out)


def two_row_header_xlsx(rows, units, out, rnd):
    """Instructions and a summary sheet first; the register on the third
    sheet under a title and a two-row header (merged group cells); status
    and header synonyms; dates as date cells, text and Excel serial numbers;
    a 小计 row after each village and a 总计 at the end."""
    wb = new_workbook()
    ws = wb.active
    ws.title = "填表说明"
    for line in ["填表说明", "1. 地块编号填写19位地块编码，与确权数据库一致。",
                 "2. 签约状态填写：已签订、签约完成、未签、待签约、不同意、有争议。",
                 "3. 签订日期按“年月日”填写。", "4. 合同面积以亩为单位，保留两位小数。"]:
        ws.append([line])
    summ = wb.create_sheet("汇总")
    summ.append(["村名", "签约状态", "合同面积（亩）"])
    by_village = {}
    for r in rows:
        by_village.setdefault(village_of(r["地块编码"]), []).append(r)
    for v, rs in sorted(by_village.items()):
        summ.append([units.get(v, v), "已签订", round(sum(float(x["流转面积"] or 0) for x in rs
                                                            if x["流转状态"] == "已签约"), 2)])
    ws = wb.create_sheet("台账")
    ws.append(["双城区土地流转台账（2019年）"])
    ws.merge_cells("A1:G1")
    ws.append(["序号", "地块编号", "承包方信息", None, "合同信息", None, None])
    ws.append([None, None, "户主", "联系电话", "签约状态", "签订日期", "合同面积（亩）"])
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:B3")
    ws.merge_cells("C2:D2")
    ws.merge_cells("E2:G2")
    n = 0
    for v, rs in sorted(by_village.items()):
        sub = 0.0
        for r in rs:
            n += 1
            d = parse_date(r["签约日期"])
            area = float(r["流转面积"]) if r["流转面积"] else None
            sub += area or 0
            word = rnd.choice(SYNONYMS[r["流转状态"]])
            k = rnd.randrange(3)
            if not d:
                date = None
            elif k == 0:
                date = d
            elif k == 1:
                date = f"{d.year}年{d.month}月{d.day}日"
            else:
                date = (d - EXCEL_EPOCH).days
            ws.append([n, r["地块编码"], r["承包方"] or None, "1%010d" % rnd.randrange(10**10), word, date, area])
            if isinstance(date, datetime.date):
                ws.cell(ws.max_row, 6).number_format = "yyyy\"年\"m\"月\"d\"日\""
        ws.append([f"{units.get(v, v)}小计", None, None, None, None, None, round(sub, 2)])
    ws.append(["总计", None, None, None, None, None, None])
    save(wb, out)


def synonyms_csv(rows, out, rnd):
    """UTF-8 with BOM: other header names, status synonyms, every date
    spelling, keys with full-width digits, blanks and Excel's text mark,
    blank lines inside."""
    table = [["宗地编码", "承包方名称", "状态", "流转日期", "签约面积"]]
    for r in rows:
        key = r["地块编码"]
        k = rnd.randrange(10)
        if k == 0:
            key = key.translate(FULLWIDTH)
        elif k == 1:
            key = "\u3000" + key + " "
        elif k == 2:
            key = "'" + key
        d = parse_date(r["签约日期"])
        table.append([key, r["承包方"], rnd.choice(SYNONYMS[r["流转状态"]]),
                      spell_date(d, rnd) if d else "", r["流转面积"]])
        if rnd.random() < 0.005:
            table.append(["", "", "", "", ""])
    write_csv(out, table, "utf-8", bom=True)


def gbk_title_csv(rows, out, rnd):
    """GBK without BOM, as Excel on a Chinese Windows saves "CSV": a title
    line and a blank line above the header, a 合计 line and a signature
    line under the data."""
    table = [["双城区2019年土地流转台账", "", "", "", "", ""], ["", "", "", "", "", ""],
             ["地块编码", "户主", "流转状态", "签约日期", "流转面积", "流入方"]]
    total = 0.0
    for r in rows:
        total += float(r["流转面积"] or 0)
        d = parse_date(r["签约日期"])
        table.append([r["地块编码"], r["承包方"], r["流转状态"], f"{d.year}/{d.month}/{d.day}" if d else "",
                      r["流转面积"], r["流入方"]])
    table.append(["合计", "", "", "", f"{total:.2f}", ""])
    table.append(["填表人：王五", "", "审核人：赵六", "", "", ""])
    write_csv(out, table, "gbk")


def utf16_txt(rows, out):
    """Excel's "Unicode text": UTF-16LE with BOM, tab-separated, a title."""
    table = [["双城区土地流转台账"], ["地块编码", "承包方", "流转状态", "签约日期", "流转面积"]]
    for r in rows:
        table.append([r["地块编码"], r["承包方"], r["流转状态"], r["签约日期"], r["流转面积"]])
    buf = io.StringIO()
    w = csv.writer(buf, delimiter="\t", lineterminator="\r\n")
    w.writerows(table)
    with open(out, "wb") as f:
        f.write(b"\xff\xfe" + buf.getvalue().encode("utf-16-le"))


def unknown_status_csv(rows, out, rnd):
    """Signed rows spelled 已签字 (and three 同意): words outside the
    vocabulary, mapped with --status-map."""
    table = [["地块编码", "承包方", "流转状态", "签约日期", "流转面积"]]
    agreed = 0
    for r in rows:
        word = r["流转状态"]
        if word == "已签约" and rnd.random() < 0.05:
            word = "已签字"
        elif word == "已签约" and agreed < 3 and rnd.random() < 0.01:
            word, agreed = "同意", agreed + 1
        table.append([r["地块编码"], r["承包方"], word, r["签约日期"], r["流转面积"]])
    write_csv(out, table, "utf-8")


def two_key_columns_xlsx(rows, out):
    """Two 地块编码 columns, the first holding row numbers (a copy-paste
    left over): ambiguous until --map key=@C chooses."""
    wb = new_workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(["序号", "地块编码", "地块编码", "流转状态", "签约日期", "流转面积"])
    for i, r in enumerate(rows, 1):
        ws.append([i, str(i), r["地块编码"], r["流转状态"], r["签约日期"] or None,
                   float(r["流转面积"]) if r["流转面积"] else None])
    save(wb, out)


def ods(rows, out):
    """A LibreOffice Calc register (written by GDAL: header in row 1)."""
    if os.path.exists(out):
        os.remove(out)
    ds = ogr.GetDriverByName("ODS").CreateDataSource(out)
    lyr = ds.CreateLayer("台账", geom_type=ogr.wkbNone)
    for h in ["地块编码", "承包方", "流转状态", "签约日期", "流转面积"]:
        lyr.CreateField(ogr.FieldDefn(h, ogr.OFTString))
    for r in rows:
        f = ogr.Feature(lyr.GetLayerDefn())
        for h in ["地块编码", "承包方", "流转状态", "签约日期", "流转面积"]:
            if r[h]:
                f.SetField(h, r[h])
        lyr.CreateFeature(f)
    ds = None
    fix_zip(out)


# ---- registers that must be refused ----------------------------------------

def mangled_csv(rows, out):
    """Keys as Excel writes a 19-digit number back: 2.30113E+18."""
    table = [["地块编码", "承包方", "流转状态", "签约日期", "流转面积"]]
    for r in rows:
        table.append(["%.5E" % int(r["地块编码"]), r["承包方"], r["流转状态"], r["签约日期"], r["流转面积"]])
    write_csv(out, table, "utf-8", bom=True)


def numeric_keys_xlsx(rows, out):
    """Keys typed into number cells: Excel keeps 15 significant digits."""
    wb = new_workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(["地块编码", "承包方", "流转状态", "签约日期", "流转面积"])
    for r in rows:
        ws.append([float(r["地块编码"]), r["承包方"], r["流转状态"], r["签约日期"] or None,
                   float(r["流转面积"]) if r["流转面积"] else None])
    save(wb, out)


def bad_dates_csv(rows, out, rnd):
    """30 unreadable dates among the signed rows."""
    bad = ["2019-02-30", "2019/13/01", "三月五日", "2019年3月", "19.3.5", "2019-3-5-1"]
    table = [["地块编码", "承包方", "流转状态", "签约日期", "流转面积"]]
    signed = [i for i, r in enumerate(rows) if r["签约日期"]]
    spoil = set(rnd.sample(signed, 30))
    for i, r in enumerate(rows):
        date = bad[i % len(bad)] if i in spoil else r["签约日期"]
        table.append([r["地块编码"], r["承包方"], r["流转状态"], date, r["流转面积"]])
    write_csv(out, table, "utf-8")


def typo_keys_csv(rows, parcel_keys, out, rnd):
    """Tidy, except three signed contracts whose key has two digits of its
    sequence number swapped (into a key no parcel has): their parcels show
    as unregistered, the keys as orphans."""
    table = [["地块编码", "承包方", "流转状态", "签约日期", "流转面积"]]
    taken = set(parcel_keys) | {r["地块编码"] for r in rows}
    once = {}
    for r in rows:
        once[r["地块编码"]] = once.get(r["地块编码"], 0) + 1
    signed = [i for i, r in enumerate(rows) if r["流转状态"] == "已签约" and once[r["地块编码"]] == 1]
    typos = {}
    for i in rnd.sample(signed, len(signed)):
        k = rows[i]["地块编码"]
        for p in range(14, 18):
            t = k[:p] + k[p + 1] + k[p] + k[p + 2:]
            if t != k and t not in taken:
                typos[i] = t
                taken.add(t)
                break
        if len(typos) == 3:
            break
    for i, r in enumerate(rows):
        table.append([typos.get(i, r["地块编码"]), r["承包方"], r["流转状态"], r["签约日期"], r["流转面积"]])
    write_csv(out, table, "utf-8")
    return sorted(typos.values())


def parcel_keys(shp):
    ds = ogr.Open(shp)
    return [f.GetField("DKBM") for f in ds.GetLayer()]


# ---- the 发包方 table ---------------------------------------------------------

def fbf_dbf(rows, units, out_dir):
    """FBF.dbf (GBK, .cpg 936): a row per 村民小组 and one per village
    (code ending in 00), names as the 确权 database writes them."""
    path = os.path.join(out_dir, "FBF.dbf")
    for ext in (".dbf", ".cpg"):
        p = os.path.join(out_dir, "FBF" + ext)
        if os.path.exists(p):
            os.remove(p)
    groups = sorted({r["地块编码"][:14] for r in rows})
    villages = sorted({g[:12] for g in groups})
    ds = ogr.GetDriverByName("ESRI Shapefile").CreateDataSource(path)
    lyr = ds.CreateLayer("FBF", geom_type=ogr.wkbNone, options=["ENCODING=CP936"])
    for name, width in (("FBFBM", 14), ("FBFMC", 100), ("FBFFZRXM", 50)):
        fd = ogr.FieldDefn(name, ogr.OFTString)
        fd.SetWidth(width)
        lyr.CreateField(fd)
    numerals = "一二三四五六七八九十"
    prefix = "黑龙江省哈尔滨市双城区"
    for code in villages + groups:
        town, village = units[code[:9]], units[code[:12]]
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetField("FBFBM", code + "00" if len(code) == 12 else code)
        if len(code) == 12:
            name = prefix + town + village[:-1] + "村民委员会"
        else:
            n = int(code[12:14])
            name = prefix + town + village + "第" + (numerals[n - 1] if n <= 10 else str(n)) + "村民小组"
        f.SetField("FBFMC", name)
        f.SetField("FBFFZRXM", "村委会主任")
        lyr.CreateFeature(f)
    ds = None
    # the DBF header date is today's: pin it (byte-identical reruns)
    with open(path, "r+b") as fh:
        fh.seek(1)
        fh.write(bytes([FIXED.year - 1900, FIXED.month, FIXED.day]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tidy", required=True)
    ap.add_argument("--units", required=True)
    ap.add_argument("--parcels", required=True, help="the sample's DK.shp")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rows = read_tidy(a.tidy)
    units = read_units(a.units)
    rnd = random.Random(a.seed)
    o = lambda name: os.path.join(a.out, name)  # noqa: E731
    title_rows_xlsx(rows, o("台账_标题行.xlsx"), rnd)
    two_row_header_xlsx(rows, units, o("台账_两行表头.xlsx"), rnd)
    synonyms_csv(rows, o("台账_同义表头.csv"), rnd)
    gbk_title_csv(rows, o("台账_GBK标题.csv"), rnd)
    utf16_txt(rows, o("台账_Unicode文本.txt"))
    unknown_status_csv(rows, o("台账_未知状态.csv"), rnd)
    two_key_columns_xlsx(rows, o("台账_两个编码列.xlsx"))
    ods(rows, o("台账.ods"))
    mangled_csv(rows, o("台账_科学计数.csv"))
    numeric_keys_xlsx(rows, o("台账_数值编码.xlsx"))
    bad_dates_csv(rows, o("台账_日期错误.csv"), rnd)
    typos = typo_keys_csv(rows, parcel_keys(a.parcels), o("台账_编码笔误.csv"), rnd)
    fbf_dbf(rows, units, a.out)
    manifest = {
        "equivalent": [
            {"file": "台账_标题行.xlsx", "args": [], "sheet": "流转台账", "header_row": 4,
             "title_rows": 2, "total_rows": 1, "note_rows": 1, "columns": ["area", "holder", "transferee"]},
            {"file": "台账_两行表头.xlsx", "args": [], "sheet": "台账", "header_row": 2, "header_rows": 2,
             "title_rows": 1, "columns": ["area", "holder"]},
            {"file": "台账_两行表头.xlsx", "args": ["--sheet", "3"], "sheet": "台账", "header_row": 2,
             "header_rows": 2},
            {"file": "台账_两行表头.xlsx", "args": ["--sheet", "台账"], "sheet": "台账", "header_row": 2,
             "header_rows": 2},
            {"file": "台账_同义表头.csv", "args": [], "header_row": 1, "columns": ["area", "holder"]},
            {"file": "台账_GBK标题.csv", "args": [], "header_row": 3, "title_rows": 1, "total_rows": 1,
             "note_rows": 1, "columns": ["area", "holder", "transferee"]},
            {"file": "台账_Unicode文本.txt", "args": [], "header_row": 2, "title_rows": 1,
             "columns": ["area", "holder"]},
            {"file": "台账_未知状态.csv", "args": ["--status-map", "已签字=transferred",
                                              "--status-map", "同意=已签约"], "header_row": 1,
             "columns": ["area", "holder"]},
            {"file": "台账_两个编码列.xlsx", "args": ["--map", "key=@C"], "sheet": "台账", "header_row": 1,
             "columns": ["area"]},
            {"file": "台账.ods", "args": [], "sheet": "台账", "header_row": 1, "columns": ["area", "holder"]},
        ],
        "refused": [
            {"file": "台账_科学计数.csv", "args": [], "message": r"2960 register row\(s\) hold keys rounded by Excel"},
            {"file": "台账_数值编码.xlsx", "args": [], "message": r"2960 register row\(s\) hold keys rounded by Excel"},
            {"file": "台账_未知状态.csv", "args": [],
             "message": r"2 status words in column 流转状态 are not in the vocabulary"},
            {"file": "台账_两个编码列.xlsx", "args": [],
             "message": r"two columns qualify as the key column: B \"地块编码\" and C \"地块编码\""},
            {"file": "台账_日期错误.csv", "args": [], "message": r"30 unreadable dates in column 签约日期"},
            {"file": "台账_两行表头.xlsx", "args": ["--sheet", "汇总"],
             "message": r"sheet 汇总: none of its first 20 rows holds both a key column"},
            {"file": "台账_两行表头.xlsx", "args": ["--sheet", "9"], "message": r"--sheet 9: .* has no such sheet"},
        ],
        "typo_keys": {"file": "台账_编码笔误.csv", "keys": typos},
        "fbf": "FBF.dbf",
    }
    with open(o("manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
