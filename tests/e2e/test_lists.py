#!/usr/bin/python3
"""End-to-end: the lists for village cadres (--xlsx LISTS.xlsx, --csv DIR; SPEC §5a).

On the committed sample (gis-data/shuangcheng, --as-of 2019-05-01, with
--unit-names and the two sites) and a copy of its register changed so that
every table has something to show: one blocking parcel signed after the
as-of day (a late blocker, with a signing date), and register rows whose
keys match no parcel (a duplicate row, a holder with a comma and quotes, a
key too short for a township, a township without a name).

1. analyze -o OUT.sqlite --xlsx --csv: the workbook, read with openpyxl,
   has the sheets 汇总 阻碍开工 插花地 质检 未匹配 优先协商; each has its title line,
   the Chinese header row (frozen: panes at A3), an autofilter over the
   header and every row, columns at least as wide as their widest shown
   value (CJK characters count double) and no wider than needed, numbers
   as numbers with their display format (mu #,##0.00 and never rounded),
   dates as Excel dates.
   Every cell equals the database written in the same run:
   - 汇总: per township and village, parcel counts and mu by status and the
     two shares, recomputed from the parcels table (math.fsum of planar_m2,
     correctly rounded like landcons's exact sums, × 15 / 10000), names
     where --unit-names has them, codes otherwise; the total row;
   - 阻碍开工: site_overlaps with blocking = 1 joined with sites and
     parcels (township, village, group = key characters 13-14, signing
     date, days from the as-of day);
   - 插花地: the enclaves table's parcel enclaves;
   - 质检: qa_issues, row for row;
   - 未匹配: register rows whose key is not in the parcels table (read from
     the register file itself), then the parcels without a row;
   - 优先协商: the bridges layer row for row (rank, key, township, village,
     group, holder, status, mu, gain, largest block after, blocks joined,
     route step), a row per untransferred parcel; the route in the title.
   The workbook stores numbers with 16 significant digits (libxlsxwriter's
   %.16G), so a workbook number must equal float('%.16G' % value); the
   CSV's must equal the value itself (full precision).
2. The CSV files: one per sheet, named after it, starting with the UTF-8
   BOM, CRLF line ends only, parsed with the csv module (RFC 4180): the
   same header and, cell by cell, the same values as the workbook.
3. verify --xlsx/--csv gives 汇总 and 阻碍开工, cell for cell those of
   analyze; check --register gives 质检 (against its own -o database) and
   未匹配 (as analyze's), check without a register only 质检.
4. Outputs refused before any work: an existing workbook or CSV without
   --overwrite (exit 2, files untouched); --overwrite replaces them.
Exit 0 pass, 1 fail, 77 skip (no openpyxl).
"""
import csv
import datetime
import hashlib
import io
import json
import math
import os
import sqlite3
import sys
import tempfile
import unicodedata

import lctest

try:
    import openpyxl
except ImportError:
    print("SKIP: python3-openpyxl is not installed")
    sys.exit(lctest.SKIP)

AS_OF = "2019-05-01"
LATE = "2019-05-10"          # the late blocker's signing day
STATUS_ZH = {"transferred": "已流转", "pending": "未签约", "refused": "拒签", "disputed": "争议",
             "unregistered": "未登记"}
STATUSES = list(STATUS_ZH)
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
REG_STATUS_ZH = {"已签约": "已签约", "未签约": "未签约", "拒签": "拒签", "争议": "争议"}
UNKNOWN = "（无编码）"
FORMATS = {"id": "0", "count": "#,##0", "area": "#,##0.00", "share": "0.0%", "date": "yyyy-mm-dd"}

# The contract: every sheet's columns, (header, kind of value).
SHEETS = {
    "汇总": [("级别", "text"), ("乡镇", "text"), ("村", "text"), ("单位编码", "text"),
           ("地块数", "count"), ("面积(亩)", "area")]
    + [c for zh in STATUS_ZH.values() for c in ((f"{zh} 地块数", "count"), (f"{zh} 面积(亩)", "area"))]
    + [("流转率 占台账登记面积", "share"), ("流转率 占全部地块面积", "share")],
    "阻碍开工": [("用地编号", "id"), ("用地名称", "text"), ("地块编码", "text"), ("乡镇", "text"),
             ("村", "text"), ("组", "text"), ("承包方", "text"), ("状态", "text"),
             ("压占面积 (m²)", "area"), ("压占面积 (亩)", "area"), ("签约日期", "date"),
             ("签约日期 距截止日(天)", "count")],
    "插花地": [("连片编号", "id"), ("地块编码", "text"), ("村", "text"), ("组", "text"),
            ("承包方", "text"), ("状态", "text"), ("面积(亩)", "area")],
    "质检": [("严重程度", "text"), ("问题", "text"), ("地块编码", "text"), ("来源", "text"),
           ("说明", "text"), ("问题代码", "text")],
    "未匹配": [("类别", "text"), ("地块编码", "text"), ("乡镇", "text"), ("村", "text"), ("组", "text"),
            ("承包方", "text"), ("台账行号", "id"), ("台账状态", "text"), ("台账面积 (亩)", "area"),
            ("地块面积 (亩)", "area")],
    "优先协商": [("优先次序", "id"), ("地块编码", "text"), ("乡镇", "text"), ("村", "text"), ("组", "text"),
             ("承包方", "text"), ("状态", "text"), ("面积(亩)", "area"), ("最大连片增加(亩)", "area"),
             ("流转后最大连片(亩)", "area"), ("相连连片编号", "text"), ("协商路线步骤", "id")],
}
ANY = object()   # a cell whose value is checked elsewhere (the QA kind's Chinese label)


def mu(m2):
    return m2 * 15.0 / 10000.0


def group(key):
    return key[12:14] if key and len(key) >= 14 else None


def shown_width(text):
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def shown(value, kind):
    """The text Excel shows for a value in a column of this kind."""
    if value is None:
        return ""
    return {"area": lambda v: f"{v:,.2f}", "count": lambda v: f"{v:,.0f}", "id": lambda v: f"{v:.0f}",
            "share": lambda v: f"{100 * v:.1f}%", "date": lambda v: "2019-01-01"}.get(kind, str)(value)


# ---- fixtures -------------------------------------------------------------------------

def make_register(src, dst, late_key):
    """The sample register with late_key signed after the as-of day and rows
    whose keys match no parcel appended."""
    with open(src, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    assert header[:5] == ["地块编码", "承包方", "流转状态", "签约日期", "流转面积"], header
    hits = [r for r in body if r[0] == late_key]
    assert len(hits) == 1, late_key
    hits[0][2], hits[0][3] = "已签约", LATE
    extra = [
        ["2301131012019900001", "张三", "未签约", "", "3.5", "", ""],
        ["2301131012019900001", "张三", "未签约", "", "3.5", "", ""],     # an identical row
        ["2301131059999900002", '王"大",明', "拒签", "", "", "", ""],     # quotes and a comma
        ["2301139990010100001", "赵六", "争议", "", "2.75", "", ""],      # township without a name
        ["23011310", "李四", "未签约", "", "1.25", "", ""],               # too short for a township
    ]
    with open(dst, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([header] + body + extra)
    # line numbers as landcons counts them: the header is line 1
    return [(r[0], i + 2, r) for i, r in enumerate(body + extra)]


# ---- expectations from the database ---------------------------------------------------

def expect_summary(db, names):
    rows = db.execute("SELECT township, township_name, village, village_name, status, planar_m2 "
                      "FROM parcels ORDER BY fid").fetchall()
    units = {}
    for tw, twn, vl, vln, st, m2 in rows:
        units.setdefault(tw, {}).setdefault(vl, []).append((st, m2))

    def label(code):
        return names.get(code, code) if code is not None else UNKNOWN

    def cells(parcels):
        total = math.fsum(m2 for _, m2 in parcels)
        registered = math.fsum(m2 for st, m2 in parcels if st != "unregistered")
        out = [len(parcels), mu(total)]
        for s in STATUSES:
            out += [sum(1 for st, _ in parcels if st == s), mu(math.fsum(m2 for st, m2 in parcels if st == s))]
        tr = math.fsum(m2 for st, m2 in parcels if st == "transferred")
        out += [tr / registered if registered > 0 else None, tr / total if total > 0 else None]
        return out

    def order(codes):
        return sorted(codes, key=lambda c: (c is None, c or ""))

    exp, strong = [], []
    for tw in order(units):
        all_tw = [p for v in units[tw].values() for p in v]
        exp.append(["乡镇", label(tw), None, tw] + cells(all_tw))
        strong.append(True)
        for vl in order(units[tw]):
            exp.append(["村", label(tw), label(vl), vl] + cells(units[tw][vl]))
            strong.append(False)
    exp.append(["合计", None, None, None] + cells([(st, m2) for *_, st, m2 in rows]))
    strong.append(True)
    # the sample's names come from --unit-names: no township may show a bare code there
    return exp, strong


def expect_blocking(db, as_of):
    rows = db.execute(
        "SELECT o.site_id, s.name, o.key, coalesce(p.township_name, p.township), o.village, o.holder, "
        "o.status, o.overlap_m2, o.overlap_mu, p.signed_on FROM site_overlaps o "
        "JOIN sites s ON s.site_id = o.site_id JOIN parcels p ON p.key = o.key "
        "WHERE o.blocking = 1 ORDER BY o.fid").fetchall()
    exp = []
    for site, name, key, tw, vl, holder, st, m2, m2mu, signed in rows:
        day = datetime.date.fromisoformat(signed) if signed else None
        exp.append([site, name, key, tw, vl, group(key), holder, STATUS_ZH[st], m2, m2mu, day,
                    (day - as_of).days if day else None])
    return exp


def expect_enclaves(db):
    rows = db.execute(
        "SELECT e.block_id, e.key, coalesce(p.village_name, p.village), e.holder, e.status, e.area_mu "
        "FROM enclaves e JOIN parcels p ON p.key = e.key WHERE e.kind = 'parcel' ORDER BY e.fid").fetchall()
    return [[b, k, v, group(k), h, STATUS_ZH[s], a] for b, k, v, h, s, a in rows]


def expect_qa(db):
    rows = db.execute("SELECT severity, kind, key, source, detail FROM qa_issues ORDER BY fid").fetchall()
    return [[SEVERITY_ZH[sev], ANY, key, src, detail, kind] for sev, kind, key, src, detail in rows]


def expect_unmatched(db, reg_rows, names):
    keys = {k for (k,) in db.execute("SELECT key FROM parcels WHERE key IS NOT NULL")}
    exp = []
    for key, line, r in sorted((x for x in reg_rows if x[0] not in keys), key=lambda x: (x[0], x[1])):
        tw = names.get(key[:9], key[:9]) if len(key) >= 9 else None
        vl = names.get(key[:12], key[:12]) if len(key) >= 12 else None
        exp.append(["台账有，地块图无", key, tw, vl, group(key), r[1] or None, line, REG_STATUS_ZH[r[2]],
                    float(r[4]) if r[4] else None, None])
    for key, tw, vl, holder, m2mu in db.execute(
            "SELECT key, coalesce(township_name, township), coalesce(village_name, village), holder, "
            "planar_mu FROM parcels WHERE status = 'unregistered' AND key IS NOT NULL ORDER BY fid"):
        exp.append(["地块图有，台账无", key, tw, vl, group(key), holder, None, None, None, m2mu])
    return exp


def expect_negotiate(db):
    """The bridges layer row for row, the township from the parcel it is."""
    rows = db.execute(
        "SELECT b.rank, b.key, coalesce(p.township_name, p.township), coalesce(b.village_name, b.village), "
        "b.holder, b.status, b.mu, b.gain_mu, b.largest_mu_after, b.joins_blocks, b.route_step "
        "FROM bridges b JOIN parcels p ON p.fid = b.parcel_fid ORDER BY b.rank").fetchall()
    return [[rank, k, tw, vl, group(k), h, STATUS_ZH[st], m, g, after, joins, step]
            for rank, k, tw, vl, h, st, m, g, after, joins, step in rows]


# ---- reading the outputs ---------------------------------------------------------------

def read_csv(t, path):
    with open(path, "rb") as f:
        raw = f.read()
    t.check(raw.startswith(b"\xef\xbb\xbf"), f"{path}: starts with the UTF-8 BOM")
    t.check(raw.count(b"\n") == raw.count(b"\r\n") and raw.endswith(b"\r\n"), f"{path}: CRLF line ends only")
    text = raw[3:].decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline="")))


def check_sheet(t, wb, name, expected, csv_rows, strong=None):
    """Layout of the sheet, and every cell against the expectation and the CSV."""
    spec = SHEETS[name]
    ws = wb[name]
    headers = [h for h, _ in spec]
    # the workbook breaks a header at its spaces
    t.eq([c.value.replace("\n", " ") for c in ws[2]], headers, f"{name}: header row")
    t.check(all(c.alignment.wrap_text for c in ws[2]), f"{name}: headers wrap")
    t.check(isinstance(ws["A1"].value, str) and len(ws["A1"].value) > 4, f"{name}: title line {ws['A1'].value!r}")
    t.eq(ws.freeze_panes, "A3", f"{name}: frozen header")
    last = openpyxl.utils.get_column_letter(len(spec))
    t.eq(ws.auto_filter.ref, f"A2:{last}{2 + len(expected)}", f"{name}: autofilter")
    t.eq(ws.max_row, 2 + len(expected), f"{name}: rows")
    t.eq(ws.max_column, len(spec), f"{name}: columns")
    t.eq(csv_rows[0], headers, f"{name}.csv: header")
    t.eq(len(csv_rows), 1 + len(expected), f"{name}.csv: rows")
    widest = [0] * len(spec)
    bad = 0
    for r, want_row in enumerate(expected):
        cells = ws[3 + r]
        got_csv = csv_rows[1 + r] if 1 + r < len(csv_rows) else [""] * len(spec)
        if strong is not None:
            bad += not t.check(bool(cells[0].font.b) == strong[r],
                               f"{name} row {3 + r}: bold {cells[0].font.b}, want {strong[r]}")
        for c, ((header, kind), want) in enumerate(zip(spec, want_row)):
            cell, text = cells[c], got_csv[c]
            what = f"{name}!{cell.coordinate} ({header})"
            if want is ANY:
                want = cell.value
                bad += not t.check(isinstance(want, str) and want, f"{what}: {want!r}")
            if want is None:
                bad += not t.check(cell.value is None and text == "", f"{what}: {cell.value!r} / csv {text!r}, want empty")
                continue
            if kind == "text":
                bad += not t.check(cell.value == want and text == want, f"{what}: {cell.value!r} / csv {text!r}, want {want!r}")
                if cell.data_type != "s":
                    bad += not t.check(False, f"{what}: stored as {cell.data_type}, not text")
            elif kind == "date":
                ok = cell.is_date and cell.value.date() == want and text == want.isoformat()
                bad += not t.check(ok, f"{what}: {cell.value!r} (date {cell.is_date}) / csv {text!r}, want {want}")
                bad += not t.check(cell.number_format == FORMATS["date"], f"{what}: format {cell.number_format!r}")
            else:
                v = cell.value
                ok = isinstance(v, (int, float)) and not isinstance(v, bool) and v == float("%.16G" % want)
                bad += not t.check(ok, f"{what}: {v!r}, want {want!r} (as 16 significant digits)")
                bad += not t.check(text != "" and float(text) == want, f"{what}: csv {text!r}, want {want!r} exactly")
                bad += not t.check(cell.number_format == FORMATS[kind],
                                   f"{what}: format {cell.number_format!r}, want {FORMATS[kind]!r}")
            widest[c] = max(widest[c], shown_width(shown(want, kind)))
            if bad > 20:
                t.check(False, f"{name}: too many failures, stopping")
                return
    # fitted widths: the widest shown value fits, and no column is wider than
    # its widest value or header word (headers wrap at their spaces) needs (the file holds the width plus the
    # 5-pixel cell padding, 0.71 of a digit, which Excel adds)
    for c, (header, _) in enumerate(spec):
        letter = openpyxl.utils.get_column_letter(c + 1)
        width = ws.column_dimensions[letter].width
        need = min(widest[c], 78)
        t.check(width >= need, f"{name} column {letter} ({header}): width {width} < content {need}")
        word = max(shown_width(w) for w in header.split(" "))
        t.check(width <= max(widest[c], word, 6) + 2 + 0.72,
                f"{name} column {letter} ({header}): width {width} wider than needed")


def same_sheets(t, wb_a, wb_b, name, what):
    a = [[c.value for c in row] for row in wb_a[name].iter_rows()]
    b = [[c.value for c in row] for row in wb_b[name].iter_rows()]
    t.eq(len(b), len(a), f"{what} {name}: rows")
    t.check(a == b, f"{what} {name}: cells differ from analyze's")


def csv_files(d):
    return sorted(os.listdir(d))


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    a = lctest.arg_parser().parse_args()
    t = lctest.Checker("lists")
    src = os.path.join(a.data_dir, "shuangcheng")
    dk, sites, units = (os.path.join(src, n) for n in ("DK.shp", "DK_sites.geojson", "DK_units.csv"))
    with open(units, encoding="utf-8-sig", newline="") as f:
        names = {r["code"]: r["name"] for r in csv.DictReader(f)}
    as_of = datetime.date.fromisoformat(AS_OF)
    with tempfile.TemporaryDirectory() as d:
        # the late blocker: a refused parcel under a site, signed after the as-of day
        r = lctest.run([a.landcons, "verify", dk, "--register", os.path.join(src, "DK_register.csv"),
                        "--site", sites, "--as-of", AS_OF, "--json"])
        blockers = [b for s in json.loads(r.stdout)["sites"] for b in s["blocking"] if b["status"] == "refused"]
        late_key = blockers[0]["key"]
        reg = os.path.join(d, "reg.csv")
        reg_rows = make_register(os.path.join(src, "DK_register.csv"), reg, late_key)
        common = [dk, "--register", reg, "--site", sites, "--unit-names", units, "--as-of", AS_OF, "-q"]
        target = ["--target-mu", "100000"]  # out of reach: a route, and the sheet's title names it
        out, xlsx, csvdir = (os.path.join(d, n) for n in ("out.sqlite", "lists.xlsx", "csv"))
        r = lctest.run([a.landcons, "analyze", *common, *target, "-o", out, "--xlsx", xlsx, "--csv", csvdir])
        if not t.eq(r.returncode, 0, f"analyze exit code (stderr: {r.stderr.strip()})"):
            t.done()
        wb = openpyxl.load_workbook(xlsx)
        t.eq(wb.sheetnames, list(SHEETS), "analyze: sheets")
        t.eq(csv_files(csvdir), sorted(f"{n}.csv" for n in SHEETS), "analyze: CSV files")
        t.eq([n for n in os.listdir(d) if ".tmp-" in n], [], "no temporary file left")
        db = sqlite3.connect(out)
        t.eq(db.execute("SELECT count(*) - count(DISTINCT key) FROM parcels").fetchone()[0], 0,
             "sample keys are unique (the joins below rely on it)")
        summary, strong = expect_summary(db, names)
        expected = {
            "汇总": summary, "阻碍开工": expect_blocking(db, as_of), "插花地": expect_enclaves(db),
            "质检": expect_qa(db), "未匹配": expect_unmatched(db, reg_rows, names),
            "优先协商": expect_negotiate(db),
        }
        # 优先协商: every untransferred parcel, and the route in the title
        t.eq(len(expected["优先协商"]), db.execute("SELECT count(*) FROM parcels WHERE status <> 'transferred'")
             .fetchone()[0], "优先协商: a row per untransferred parcel")
        steps, households, route_mu = db.execute(
            "SELECT count(*), max(cumulative_households), max(cumulative_mu) FROM route").fetchone()
        head = wb["优先协商"]["A1"].value or ""
        t.check(steps > 0 and f"{steps} 步，{households} 户，{route_mu:.2f} 亩" in head,
                f"优先协商: the title names the route ({steps} steps, {households} households): {head!r}")
        # the fixture shows what it is meant to show
        t.check(any(row[10] == datetime.date.fromisoformat(LATE) and row[11] == 9 for row in expected["阻碍开工"]),
                "the late blocker is listed with its signing date, 9 days after the as-of day")
        t.check(sum(row[0] == "台账有，地块图无" for row in expected["未匹配"]) == 5, "five register rows without parcel")
        t.check(any(row[0] == "地块图有，台账无" for row in expected["未匹配"]), "parcels without a register row")
        t.check(len(expected["插花地"]) > 0 and len(expected["质检"]) > 0, "enclaves and QA findings present")
        t.check(all(row[1] in names.values() for row in summary if row[0] == "乡镇"),
                "every township of the sample is named by --unit-names")
        for name in SHEETS:
            check_sheet(t, wb, name, expected[name], read_csv(t, os.path.join(csvdir, f"{name}.csv")),
                        strong if name == "汇总" else None)
        # the QA kinds have their Chinese label where landcons has one
        qa = wb["质检"]
        t.check(any(qa.cell(row=i, column=2).value != qa.cell(row=i, column=6).value
                    for i in range(3, qa.max_row + 1)), "质检: kinds shown in Chinese")
        db.close()

        # verify: the sign-off's sheets, the same as analyze's
        vx, vc = os.path.join(d, "verify.xlsx"), os.path.join(d, "verify_csv")
        r = lctest.run([a.landcons, "verify", *common, "--xlsx", vx, "--csv", vc + "/"])  # a folder name as typed
        t.eq(r.returncode, 1, f"verify exit code: a site is not ready (stderr: {r.stderr.strip()})")
        if os.path.exists(vx):
            wv = openpyxl.load_workbook(vx)
            t.eq(wv.sheetnames, ["汇总", "阻碍开工"], "verify: sheets")
            for name in wv.sheetnames:
                same_sheets(t, wb, wv, name, "verify")
            t.eq(csv_files(vc), ["汇总.csv", "阻碍开工.csv"], "verify: CSV files")

        # check: the QA findings (against its own database) and the unmatched rows
        cx, cc, co = (os.path.join(d, n) for n in ("check.xlsx", "check_csv", "check.sqlite"))
        r = lctest.run([a.landcons, "check", dk, "--register", reg, "--unit-names", units, "--as-of", AS_OF,
                        "-q", "-o", co, "--xlsx", cx, "--csv", cc])
        t.check(r.returncode in (0, 1), f"check exit code {r.returncode} (stderr: {r.stderr.strip()})")
        if os.path.exists(cx):
            wc = openpyxl.load_workbook(cx)
            t.eq(wc.sheetnames, ["质检", "未匹配"], "check: sheets")
            cdb = sqlite3.connect(co)
            check_sheet(t, wc, "质检", expect_qa(cdb), read_csv(t, os.path.join(cc, "质检.csv")))
            cdb.close()
            same_sheets(t, wb, wc, "未匹配", "check")
        cx2 = os.path.join(d, "check_noreg.xlsx")
        r = lctest.run([a.landcons, "check", dk, "-q", "--xlsx", cx2])
        t.check(r.returncode in (0, 1) and os.path.exists(cx2), f"check without register ({r.stderr.strip()})")
        if os.path.exists(cx2):
            t.eq(openpyxl.load_workbook(cx2).sheetnames, ["质检"], "check without register: sheets")

        # existing outputs: refused before any work, then replaced with --overwrite
        before = {p: digest(p) for p in [xlsx] + [os.path.join(csvdir, n) for n in os.listdir(csvdir)]}
        out2 = os.path.join(d, "out2.sqlite")
        r = lctest.run([a.landcons, "analyze", *common, "-o", out2, "--xlsx", xlsx])
        t.check(r.returncode == 2 and "already exists" in r.stderr and not os.path.exists(out2),
                f"existing --xlsx refused: exit {r.returncode}, {r.stderr.strip()!r}")
        r = lctest.run([a.landcons, "analyze", *common, "-o", out2, "--csv", csvdir])
        t.check(r.returncode == 2 and "汇总.csv already exists" in r.stderr and not os.path.exists(out2),
                f"existing CSV refused: exit {r.returncode}, {r.stderr.strip()!r}")
        t.check(all(digest(p) == h for p, h in before.items()), "refused runs left the lists as they were")
        r = lctest.run([a.landcons, "analyze", *common, "-o", out2, "--xlsx", xlsx, "--csv", csvdir,
                        "--overwrite", "--as-of", "2019-04-01"])
        t.eq(r.returncode, 0, f"--overwrite (stderr: {r.stderr.strip()})")
        t.check(digest(xlsx) != before[xlsx], "--overwrite replaced the workbook")
        head = openpyxl.load_workbook(xlsx)["优先协商"]["A1"].value or ""
        t.check("未设目标" in head and "目标 0" not in head and "协商路线（" not in head,
                f"优先协商 without --target-mu: no target and no route in the title: {head!r}")
        t.eq(csv_files(csvdir), sorted(f"{n}.csv" for n in SHEETS), "--overwrite: the same CSV files")
    t.done()


if __name__ == "__main__":
    main()
