#!/usr/bin/python3
"""End-to-end: the printable sign-off (`verify/analyze --pdf`, SPEC §5a).

Everything is read back with poppler's own tools, not with landcons:

1. analyze on the committed sample (--as-of 2019-05-01) with -o and --pdf:
   pdfinfo (A4 portrait on every page, at least one page per site), pdffonts
   (every font embedded, Noto Sans CJK SC among them), pdftotext per page
   (each page group names its site and runs "第 1 页" to "共 n 页"; the
   verdict 可以开工/不能开工 equals the database's `sites.ready`; every figure
   (site area, each status, under no parcel) in mu equals the database's
   `sites` table and in m² equals `verify --json`, printed to the cent);
   the sources of each site: every input file (the shapefile's five) with
   its sha256 (hashlib), the command line as run, the version; pdftoppm
   (the page is not blank, and the map area holds the parcel colours of
   the QGIS style in the database's `layer_styles`).
2. verify --as-of 2019-03-03 (62 blocking parcels under site 1) with --pdf:
   site 1 continues on further pages; every blocking parcel of
   `verify --json` is a row of its site's table, in order, with its key,
   village, group (DKBM digits 13-14), holder, status, overlap m² and mu,
   and the signing date from the register CSV itself (marked 截至日后 when
   after the as-of date); the map holds the pending yellow.
3. --paper A3: every page 297 × 420 mm.
4. a site made ready by cutting its blocking parcels out, plus a 0.5 m²
   square over a refused parcel (a sliver): 可以开工 and the sliver counted.
5. a fontconfig without Noto Sans CJK SC: exit 2 naming the font and its
   Debian package, no file; from analyze, no database or report either.

Page renders (PNG at 60 dpi) are left in the build folder as artifacts.
Usage: test_signoff_pdf.py --landcons BIN --data-dir GIS_DATA"""
import csv
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile

from osgeo import ogr

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lctest  # noqa: E402

ogr.UseExceptions()
STATUS = ("transferred", "pending", "refused", "disputed", "unregistered")
STATUS_ZH = {"transferred": "已流转", "pending": "未签约", "refused": "拒签", "disputed": "争议",
             "unregistered": "未登记"}
MM = 72 / 25.4
# The map is left of the panel (56 mm + 4 mm gap) and below the title and
# verdict (about 50 mm): this crop lies inside it on A4 whatever the height.
MAP_CROP_MM = (18, 62, 118, 136)


def tool(*args):
    r = subprocess.run(args, capture_output=True)
    if r.returncode != 0:
        raise SystemExit(f"{args[0]} failed: {r.stderr.decode(errors='replace')}")
    return r.stdout


def page_count(pdf):
    return int(re.search(r"^Pages:\s+(\d+)", tool("pdfinfo", pdf).decode(), re.M).group(1))


def page_sizes(pdf, n):
    out = tool("pdfinfo", "-f", "1", "-l", str(n), pdf).decode()
    return [(float(w), float(h)) for w, h in re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", out, re.M)]


def page_text(pdf, i, layout=True):
    args = ["pdftotext", "-f", str(i), "-l", str(i)] + (["-layout"] if layout else []) + [pdf, "-"]
    return tool(*args).decode()


def fonts(pdf):
    lines = tool("pdffonts", pdf).decode().splitlines()[2:]
    # name type... emb sub uni object ID: emb is the fifth field from the end
    return [(ln.split()[0], ln.split()[-5]) for ln in lines if ln.strip()]


def render(pdf, page, dpi, crop_mm=None, png=None):
    """Page `page` as rows of (r, g, b) through pdftoppm's PPM output."""
    with tempfile.TemporaryDirectory() as d:
        base = os.path.join(d, "p")
        args = ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile"]
        if crop_mm:
            px = [round(v / 25.4 * dpi) for v in crop_mm]
            args += ["-x", str(px[0]), "-y", str(px[1]), "-W", str(px[2] - px[0]), "-H", str(px[3] - px[1])]
        tool(*args, pdf, base)
        data = open(base + ".ppm", "rb").read()
        if png:
            tool("pdftoppm", "-r", "60", "-f", str(page), "-l", str(page), "-singlefile", "-png", pdf, png)
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", data)
    w, h = int(m.group(1)), int(m.group(2))
    px = data[m.end():]
    return [[tuple(px[3 * (y * w + x):3 * (y * w + x) + 3]) for x in range(w)] for y in range(h)]


def count_near(img, rgb, tol=6):
    return sum(1 for row in img for p in row if all(abs(p[k] - rgb[k]) <= tol for k in range(3)))


def qml_status_colours(db):
    """The parcels style's fill colour of each status, from layer_styles."""
    con = sqlite3.connect(db)
    qml = con.execute("SELECT styleQML FROM layer_styles WHERE f_table_name = 'parcels' LIMIT 1").fetchone()[0]
    con.close()
    cats = re.findall(r'<category render="true" symbol="(\d+)" value="(\w+)"', qml)
    cols = {}
    for sym, value in cats:
        block = re.search(r'<symbol name="%s" type="fill".*?<prop k="color" v="(\d+),(\d+),(\d+),' % sym, qml, re.S)
        cols[value] = tuple(int(v) for v in block.groups())
    return cols


def money(v):
    """A figure as the sign-off prints it: two decimals, thousands with commas."""
    return f"{v:,.2f}"


def register_dates(path):
    """Earliest signing date of each key in the register CSV (its own date spellings)."""
    dates = {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            s = (row.get("签约日期") or "").strip()
            m = re.match(r"(\d{4})\D(\d{1,2})\D(\d{1,2})", s)
            if not m:
                continue
            d = "%04d-%02d-%02d" % tuple(int(g) for g in m.groups())
            k = row["地块编码"].strip()
            dates[k] = min(d, dates.get(k, d))
    return dates


def site_groups(t, pdf, n_pages):
    """{site_id: [page texts]}, checking the page footers: 第 i 页，共 n 页."""
    groups, expect = {}, None
    for i in range(1, n_pages + 1):
        txt = page_text(pdf, i)
        m = re.search(r"用地 (\d+)\s.*第 (\d+) 页，共 (\d+) 页", txt)
        if not t.check(m is not None, f"page {i}: footer names the site and the page"):
            continue
        sid, k, n = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if expect is None or k == 1:
            t.check(k == 1 and (expect is None or expect[1] == expect[2]), f"page {i}: a site group begins on page 1")
            expect = [sid, 0, n]
        t.eq((sid, k, n), (expect[0], expect[1] + 1, expect[2]), f"page {i}: page of the site's group")
        expect[1] = k
        groups.setdefault(sid, []).append(txt)
    t.check(expect is None or expect[1] == expect[2], "the last site group is complete")
    return groups


ROW = re.compile(r"^\s*(\d+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+([\d,]+\.\d\d)\s+([\d,]+\.\d\d)\s+(\S+)(.*)$")


def table_rows(pages):
    rows = []
    for txt in pages:
        for ln in txt.splitlines():
            m = ROW.match(ln)
            if m and re.fullmatch(r"\d{19}", m.group(2)):
                rows.append(m.groups())
    return rows


def check_figures(t, tag, text, site_db, site_json):
    """Every figure of the site: mu from the database, m² from verify --json."""
    flat = re.sub(r"\s+", " ", text)
    area_mu = site_db["area_mu"]
    t.check(f"用地面积 {money(area_mu)} 亩（{money(site_json['area_m2'])} m²）" in flat,
            f"{tag}: site area {money(area_mu)} mu / {money(site_json['area_m2'])} m² in the title")
    for s in STATUS:
        t.check(f"{money(site_db[s + '_mu'])} 亩" in flat, f"{tag}: {s} {money(site_db[s + '_mu'])} mu")
        m2 = site_json["by_status_m2"][s]
        share = 100 * m2 / site_json["area_m2"]
        t.check(f"{money(m2)} m² · {share:.1f}%" in flat, f"{tag}: {s} {money(m2)} m², {share:.1f}%")
    t.check(f"{money(site_db['no_parcel_mu'])} 亩" in flat, f"{tag}: under no parcel mu")
    t.check(f"{money(site_json['no_parcel_m2'])} m²" in flat, f"{tag}: under no parcel m²")


def check_blockers(t, tag, pages, site_json, reg_dates, as_of):
    rows = table_rows(pages)
    want = site_json["blocking"]
    t.eq(len(rows), len(want), f"{tag}: table rows = blocking parcels of verify --json")
    for i, (row, b) in enumerate(zip(rows, want)):
        no, key, village, group, holder, status, m2, mu, date, rest = row
        t.eq((int(no), key), (i + 1, b["key"]), f"{tag}: row {i + 1} key (largest overlap first)")
        t.eq(village, b["village_name"] or b["village"], f"{tag}: {key} village")
        t.eq(group, key[12:14], f"{tag}: {key} group")
        t.eq(holder, b["holder"], f"{tag}: {key} holder")
        t.eq(status, STATUS_ZH[b["status"]], f"{tag}: {key} status")
        t.eq(m2, money(b["overlap_m2"]), f"{tag}: {key} overlap m²")
        t.eq(mu, money(b["overlap_m2"] * 15 / 10000), f"{tag}: {key} overlap mu")
        d = reg_dates.get(key)
        t.eq(date.replace("（截至日后）", ""), d or "—", f"{tag}: {key} signing date from the register")
        t.eq("（截至日后）" in date + rest, bool(d and d > as_of), f"{tag}: {key} marked as signed after the as-of date")


def check_sources(t, tag, pages, files, argv, version):
    """The sources of a site's pages: each file with its sha256 (hashlib),
    the command line as run, the version. Compared without white space:
    long paths and the command wrap."""
    flat = re.sub(r"\s+", "", "".join(pages))
    for path in files:
        digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
        t.check(re.sub(r"\s+", "", path) + digest in flat or
                (re.sub(r"\s+", "", path) in flat and digest in flat), f"{tag}: {os.path.basename(path)} and its sha256")
    t.check("".join(["landcons"] + argv[1:]) in flat, f"{tag}: the command line")
    t.check(f"landcons{version}" in flat, f"{tag}: the version {version}")


def check_pdf_basics(t, tag, pdf, n_sites, paper_pts):
    n = page_count(pdf)
    t.check(n >= n_sites, f"{tag}: {n} pages for {n_sites} sites")
    for i, (w, h) in enumerate(page_sizes(pdf, n)):
        t.check(abs(w - paper_pts[0]) < 1 and abs(h - paper_pts[1]) < 1, f"{tag}: page {i + 1} is {w}x{h} pts")
    fl = fonts(pdf)
    t.check(len(fl) > 0 and all(emb == "yes" for _, emb in fl), f"{tag}: every font embedded ({fl})")
    t.check(any("NotoSansCJKsc" in name for name, _ in fl), f"{tag}: Noto Sans CJK SC used ({fl})")
    return n


def check_map_colours(t, tag, pdf, page, colours, statuses, artifact):
    img = render(pdf, page, 100, png=artifact)
    total = len(img) * len(img[0])
    white = count_near(img, (255, 255, 255), 3)
    t.check(white < 0.85 * total, f"{tag}: page {page} is not blank ({white}/{total} white)")
    crop = render(pdf, page, 100, crop_mm=MAP_CROP_MM)
    for s in statuses:
        n = count_near(crop, colours[s])
        t.check(n >= 50, f"{tag}: the map shows {s} {colours[s]} ({n} px)")


def run(t, landcons, *args, expect=(0, 1)):
    r = lctest.run([landcons, *args])
    t.check(r.returncode in expect, f"{' '.join(args[:2])}: exit {r.returncode} ({r.stderr.strip()})")
    return r


def ready_site_with_sliver(landcons, shp, reg, sites, as_of, out_path):
    """Site 1 with its blocking parcels cut out (0.05 m clear) and a 0.5 m²
    square inside the largest refused one: ready, one sliver. Returns the
    square's overlap with that parcel (OGR) and its key."""
    r = lctest.run([landcons, "verify", shp, "--register", reg, "--site", sites, "--as-of", as_of, "--json", "-q"])
    blocking = json.loads(r.stdout)["sites"][0]["blocking"]
    keys = {b["key"] for b in blocking}
    refused = next(b["key"] for b in blocking if b["status"] == "refused")
    ds = ogr.Open(sites)
    first = ds.GetLayer(0).GetNextFeature()  # the feature owns the geometry: keep it
    site = first.GetGeometryRef().Clone()
    pds = ogr.Open(shp)
    lyr = pds.GetLayer(0)
    target = None
    for f in lyr:
        if f.GetField("DKBM") in keys:
            g = f.GetGeometryRef()
            site = site.Difference(g.Buffer(0.05, 8))
            if f.GetField("DKBM") == refused:
                target = g.Clone()
    c = target.PointOnSurface()
    h = 0.5 ** 0.5 / 2
    sq = ogr.CreateGeometryFromWkt(
        f"POLYGON(({c.GetX()-h} {c.GetY()-h},{c.GetX()+h} {c.GetY()-h},{c.GetX()+h} {c.GetY()+h},"
        f"{c.GetX()-h} {c.GetY()+h},{c.GetX()-h} {c.GetY()-h}))")
    lctest.write_sites_geojson(out_path, [("就绪用地", site.Union(sq))])
    return sq.Intersection(target).GetArea(), refused


def main():
    a = lctest.arg_parser().parse_args()
    for prog in ("pdfinfo", "pdftotext", "pdftoppm", "pdffonts"):
        if not shutil.which(prog):
            print(f"SKIP: {prog} (poppler-utils) is not installed")
            sys.exit(lctest.SKIP)
    d = os.path.abspath(os.path.join(a.data_dir, "shuangcheng"))
    shp, reg, sites, units = (os.path.join(d, n) for n in ("DK.shp", "DK_register.csv", "DK_sites.geojson",
                                                            "DK_units.csv"))
    art = os.getcwd()
    t = lctest.Checker("sign-off PDF")
    a4 = (210 * MM, 297 * MM)
    reg_dates = register_dates(reg)
    base = ["--register", reg, "--site", sites, "--unit-names", units, "-q"]
    with tempfile.TemporaryDirectory() as tmp:
        # 1. analyze --pdf: figures against the database and verify --json
        db, pdf = os.path.join(tmp, "out.sqlite"), os.path.join(tmp, "signoff.pdf")
        argv = [a.landcons, "analyze", shp, *base, "--as-of", "2019-05-01", "-o", db, "--pdf", pdf]
        run(t, *argv, expect=(0,))
        version = lctest.run([a.landcons, "--version"]).stdout.split()[-1]
        inputs = [os.path.join(d, n) for n in ("DK.shp", "DK.shx", "DK.dbf", "DK.prj", "DK.cpg", "DK_register.csv",
                                                "DK_units.csv", "DK_sites.geojson")]
        vj = json.loads(run(t, a.landcons, "verify", shp, *base, "--as-of", "2019-05-01", "--json").stdout)
        con = sqlite3.connect(db)
        con.row_factory = sqlite3.Row
        sites_db = {r["site_id"]: dict(r) for r in con.execute("SELECT * FROM sites")}
        con.close()
        n = check_pdf_basics(t, "analyze", pdf, len(sites_db), a4)
        groups = site_groups(t, pdf, n)
        t.eq(sorted(groups), sorted(sites_db), "analyze: one page group per site, in order")
        for sj in vj["sites"]:
            sid = sj["site_id"]
            text = "\n".join(groups.get(sid, []))
            verdicts = text.replace("即不能开工", "")  # the rule under the verdict
            tag = f"analyze site {sid}"
            t.check(sj["name"] in text, f"{tag}: names the site {sj['name']}")
            verdict = "可以开工" if sites_db[sid]["ready"] else "不能开工"
            t.check(verdict in verdicts and ("不能开工" if verdict == "可以开工" else "可以开工") not in verdicts,
                    f"{tag}: verdict {verdict} as the database's ready flag")
            check_figures(t, tag, text, sites_db[sid], sj)
            check_blockers(t, tag, groups.get(sid, []), sj, reg_dates, "2019-05-01")
            check_sources(t, tag, groups.get(sid, []), inputs, argv, version)
        colours = qml_status_colours(db)
        t.eq(sorted(colours), sorted(STATUS), "the database's parcel style has every status")
        check_map_colours(t, "analyze", pdf, 1, colours, ("transferred",), os.path.join(art, "signoff_page1"))

        # 2. an early date: 62 blockers under site 1, continued on further pages
        pdf2 = os.path.join(tmp, "early.pdf")
        run(t, a.landcons, "verify", shp, *base, "--as-of", "2019-03-03", "--pdf", pdf2)
        vj2 = json.loads(run(t, a.landcons, "verify", shp, *base, "--as-of", "2019-03-03", "--json").stdout)
        n2 = check_pdf_basics(t, "early", pdf2, len(vj2["sites"]), a4)
        groups2 = site_groups(t, pdf2, n2)
        s1 = vj2["sites"][0]
        t.check(len(s1["blocking"]) > 40, f"early: site 1 has many blocking parcels ({len(s1['blocking'])})")
        t.check(len(groups2.get(1, [])) >= 2, f"early: site 1 continues on a second page ({len(groups2.get(1, []))})")
        if len(groups2.get(1, [])) >= 2:
            t.check("续 continued" in groups2[1][1], "early: the second page says it continues")
            t.check(len(table_rows(groups2[1][1:])) > 0, "early: table rows on the second page")
        late = sum(1 for b in s1["blocking"] if reg_dates.get(b["key"], "") > "2019-03-03")
        t.check(late > 0, f"early: some blockers signed after the as-of date ({late})")
        for sj in vj2["sites"]:
            check_blockers(t, f"early site {sj['site_id']}", groups2.get(sj["site_id"], []), sj, reg_dates,
                           "2019-03-03")
        check_map_colours(t, "early", pdf2, 1, colours, ("transferred", "pending"), os.path.join(art, "signoff_early"))

        # 3. A3
        pdf3 = os.path.join(tmp, "a3.pdf")
        run(t, a.landcons, "verify", shp, *base, "--as-of", "2019-03-03", "--pdf", pdf3, "--paper", "A3")
        n3 = check_pdf_basics(t, "A3", pdf3, len(vj2["sites"]), (297 * MM, 420 * MM))
        t.check(n3 <= n2, f"A3: no more pages than A4 ({n3} vs {n2})")
        for sj in vj2["sites"]:
            check_blockers(t, f"A3 site {sj['site_id']}", site_groups(t, pdf3, n3).get(sj["site_id"], []), sj,
                           reg_dates, "2019-03-03")

        # 4. a ready site with a sliver
        ready = os.path.join(tmp, "ready.geojson")
        sliver_m2, _ = ready_site_with_sliver(a.landcons, shp, reg, sites, "2019-05-01", ready)
        pdf4 = os.path.join(tmp, "ready.pdf")
        run(t, a.landcons, "verify", shp, "--register", reg, "--site", ready, "--as-of", "2019-05-01", "--pdf", pdf4,
            "-q", expect=(0,))
        text = re.sub(r"\s+", " ", page_text(pdf4, 1, layout=False))
        # the rule printed under the verdict says when a site is 不能开工
        verdicts = text.replace("即不能开工", "")
        t.check("可以开工" in verdicts and "不能开工" not in verdicts, "ready: verdict 可以开工")
        t.check("就绪用地" in text, "ready: names the site")
        t.check(f"另有 1 宗未流转地块仅压占 ≤ 1.00 m²（合计 {money(sliver_m2)} m²）" in text,
                f"ready: the sliver counted ({money(sliver_m2)} m²)")
        t.check("阻碍开工地块（0 宗）" in text, "ready: no blocking parcel in the table")
        t.eq(page_count(pdf4), 1, "ready: one page")
        render(pdf4, 1, 60, png=os.path.join(art, "signoff_ready"))

        # 5. without the CJK font: exit 2 naming it, no file (a fontconfig
        # that knows only an empty folder)
        fc = os.path.join(tmp, "fc")
        os.makedirs(os.path.join(fc, "fonts"))
        with open(os.path.join(fc, "fonts.conf"), "w") as f:
            f.write(f'<?xml version="1.0"?>\n<fontconfig><dir>{fc}/fonts</dir><cachedir>{fc}/cache</cachedir>'
                    f'</fontconfig>\n')
        pdf5 = os.path.join(tmp, "nofont.pdf")
        r = lctest.run([a.landcons, "verify", shp, "--register", reg, "--site", sites, "--as-of", "2019-05-01",
                        "--pdf", pdf5, "-q"], env=dict(os.environ, FONTCONFIG_FILE=os.path.join(fc, "fonts.conf")))
        t.eq(r.returncode, 2, "no CJK font: exit 2")
        t.check("Noto Sans CJK SC" in r.stderr and "fonts-noto-cjk" in r.stderr, f"no CJK font: says so ({r.stderr})")
        t.check(not [n for n in os.listdir(tmp) if n.startswith("nofont.pdf")], "no CJK font: no file left")
        # analyze: all outputs or none, the database and the report go too
        db6, html6 = os.path.join(tmp, "nofont.sqlite"), os.path.join(tmp, "nofont.html")
        r = lctest.run([a.landcons, "analyze", shp, "--register", reg, "--site", sites, "--as-of", "2019-05-01",
                        "-o", db6, "--report", html6, "--pdf", pdf5, "-q"],
                       env=dict(os.environ, FONTCONFIG_FILE=os.path.join(fc, "fonts.conf")))
        t.eq(r.returncode, 2, "no CJK font, analyze: exit 2")
        t.check(not [n for n in os.listdir(tmp) if n.startswith("nofont.")], "no CJK font, analyze: no output left")
    t.done()


if __name__ == "__main__":
    main()
