#!/usr/bin/python3
"""End-to-end: the HTML report of `landcons analyze --report` (SPEC §3).

Runs analyze on the committed sample (gis-data/shuangcheng: DK.shp,
DK_register.csv, DK_sites.geojson, DK_units.csv, --as-of 2019-05-01,
--target-mu 2000 so the target is reached) with --report, then checks:

1. the file: strict UTF-8, parses with html.parser with every element
   closed in order (a tag stack; void and self-closing elements apart);
2. self-contained: no src/href/xlink:href/... other than a #fragment, no
   <script src>, no <link>, no url() other than url(#...), no @import or
   @font-face, and no "http:"/"https:" anywhere in the file;
3. the figures: total mu, transferred mu, largest block mu, sites ready and
   the target date (elements with data-figure) equal the output database's
   `summary` table, formatted as the report formats them ("12,345.67"), and
   appear in the visible text; the target date also equals the first day of
   the `progress` table on which the largest block reached the target; the
   township and village tables match the `parcels` layer (counts exactly,
   mu to the printed cent); each site's blocking parcels are those of
   `site_overlaps` (blocking = 1), largest first;
3a. units named by fields that disagree (--township-field and a village
   field holding the village's code within its township, so one village
   code lies under several townships, with parcels missing either code,
   from a GeoPackage copy of the sample made here with ogr2ogr): both
   tables, row by row in order (townships by code, each township's
   villages by code, unknown codes last), against the `parcels` layer
   grouped by (township) and by (township, village);
4. the page in headless Chromium with the network blocked: a screenshot
   (kept, default ./report_screenshot.png) that is not blank — many
   distinct colours, the parcel status colours of the QGIS style present
   in quantity, not mostly white;
5. no external request: Chromium loads the report once more with a NetLog
   (--log-net-log, Chromium's structured JSON log of every request its
   network service starts, kept as a stable tool for exactly this). The
   browser's own background traffic (updater, accounts, time) shows up
   there too, with no page behind it; a request the page makes carries the
   page's site, file://, in its network isolation key. So: no
   URL_REQUEST_START_JOB whose isolation key or site-for-cookies names
   file://. A probe page with one external image and one @import is loaded
   the same way first, and both of its requests must be found: the method
   is proven to see what it is meant to see. (file:// loads themselves do
   not go through the network service and never appear.) The dumped DOM of
   the same run must hold the figures, so the log belongs to a real load.

6. the maps: every blocking parcel (site_overlaps, blocking = 1) is one
   symbol of its own on the county map (class "blocker", named by its key;
   a parcel that blocks two sites is drawn once) and the legend has their
   entry; each site has its own map (svg.sitemap, data-site) holding one
   symbol per blocking row of that site, each labelled by the end of its
   key; no site is drawn with a fill of its own (only an outline and a
   hatch pattern), so no status colour is changed under a site;
7. the page at 800 px in Chromium (measured by a script added to a copy
   of the report, the DOM dumped): nothing wider than the viewport
   (document scrollWidth <= 800), every table either wholly in view or
   inside a horizontally scrolling wrapper that is, the legend under the
   map at a readable size; at 1280 px the legend beside the map;
8. print: Chromium --print-to-pdf, every page A4 (pdfinfo), the text of
   every body row of every data table (unit rows and totals, each blocking
   parcel's row with its key, QA counts) on one line of pdftotext -layout,
   cell after cell, so no table is cut; the county map with its scale bar
   and each site map with its heading and blocker labels on one page;
9. the target only when asked for: with --target-mu 2000 its card, the
   chart's line, "reached" marker and legend entry and the settings row;
   a run without it has no "目标"/"target" anywhere in the text, and shows
   the registered area and the transferred share of it instead (against
   the parcels layer).
10. 优先协商 / negotiate first: the table of the top bridges (those with a
   gain, at most 10) row by row against the `bridges` layer (rank, key,
   village, holder, status, mu, gain, largest after = largest today +
   gain, blocks joined, route step), the map with one symbol per bridge in
   rank order each labelled by its rank, the counts in the sentence; with
   a target out of reach (--target-mu 100000) the route table, step by
   step, against the `route` table (keys, households, mu, cumulative
   figures, grown block, largest after) and the layer's route_step, the
   route's totals and shortfall in the text and the steps left out counted.

Prints the report size and the screenshot path; report_800.png and
report_print.pdf are left beside the screenshot to be looked at. Exit 0
pass, 1 fail, 77 skip (no chromium: the file checks still run and a
failure there fails).
"""
import argparse
import html
import html.parser
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections import Counter

import lctest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-quic",
    # every host name resolves to nothing and every connection goes to a
    # closed port: an external load fails instead of leaving the machine
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost",
    "--proxy-server=127.0.0.1:9",
]
WINDOW = (1400, 2200)

# Parcel colours of the QGIS style (src/styles.c), which the map reuses.
STATUS_RGB = {
    "transferred": (77, 175, 74), "pending": (255, 217, 47), "refused": (228, 26, 28),
    "disputed": (152, 78, 163), "unregistered": (189, 189, 189),
}

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
URL_ATTRS = {"src", "href", "xlink:href", "srcset", "data", "poster", "action", "formaction", "background",
             "manifest", "ping", "cite", "longdesc", "codebase"}


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--landcons", required=True)
    ap.add_argument("--data-dir", required=True, help="gis-data folder with shuangcheng/")
    ap.add_argument("--png", default="report_screenshot.png",
                    help="where to keep the screenshot (default: ./report_screenshot.png)")
    return ap.parse_args()


class Page(html.parser.HTMLParser):
    """Collects what the checks need in one pass over the report."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []            # open elements
        self.problems = []         # structure and self-containment
        self.figures = {}          # data-figure -> text
        self._figure = None
        self.text = []             # visible text
        self._skip = 0             # inside <style>
        self.units = []            # (kind, code, [cell texts])
        self._units_kind = None
        self._row = None
        self._cell = None
        self.site_keys = {}        # site id -> [keys of blocking parcels]
        self._site = None
        self._key = None
        self.styles = []           # <style> contents and style="" values
        self.svgs = []             # maps: {"cls", "site", "blockers": [keys], "labels": [...], "site_fills": [...]}
        self._svg = None
        self._label = None
        self.legend_blocker = []   # text of the legend entries of blocking parcels
        self._legend_item = None
        self.tables = []           # every table: {"cls", "rows": [[cell texts]], "head": [bool]}
        self._trow = None
        self._tcell = None
        self._in_thead = False

    def where(self):
        line, col = self.getpos()
        return f"line {line}:{col}"

    def check_attrs(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if name in URL_ATTRS and value and not value.startswith("#"):
                self.problems.append(f"{self.where()}: <{tag} {name}=\"{value[:60]}\"> refers outside the file")
            if name == "style":
                self.styles.append(value)
            if re.search(r"url\(\s*['\"]?(?!#)", value):
                self.problems.append(f"{self.where()}: <{tag} {name}> has a url() that is not a #fragment")
        if tag == "script" and any(n == "src" for n, _ in attrs):
            self.problems.append(f"{self.where()}: <script src>")
        if tag == "link":
            self.problems.append(f"{self.where()}: <link {dict(attrs)}> (stylesheets, fonts and icons must be inline)")

    def handle_starttag(self, tag, attrs):
        self.check_attrs(tag, attrs)
        a = dict(attrs)
        if "data-figure" in a:
            self._figure = a["data-figure"]
            self.figures[self._figure] = ""
        if tag == "table":
            self._units_kind = a.get("data-units")
        if tag == "tr" and self._units_kind and "data-unit" in a:
            self._row = (self._units_kind, a["data-unit"], [])
        if tag == "td" and self._row is not None:
            self._cell = []
        if tag == "div" and "data-site" in a:
            self._site = int(a["data-site"])
            self.site_keys[self._site] = []
        if tag == "td" and "key" in (a.get("class") or "").split() and self._site is not None:
            self._key = []
        if tag == "style":
            self._skip += 1
        self.start_maps(tag, a)
        self.start_tables(tag, a)
        if tag not in VOID:
            self.stack.append((tag, self.where()))

    def start_maps(self, tag, a):
        classes = (a.get("class") or "").split()
        if tag == "svg" and ("map" in classes or "sitemap" in classes or "planmap" in classes):
            self._svg = {"cls": classes[0], "site": int(a["data-site"]) if "data-site" in a else None,
                         "blockers": [], "bridges": [], "labels": [], "site_fills": [], "depth": len(self.stack)}
            self.svgs.append(self._svg)
        if self._svg is not None:
            if "blocker" in classes:
                self._svg["blockers"].append(a.get("data-key"))
            if "bridge" in classes:
                self._svg["bridges"].append((a.get("data-rank"), a.get("data-key")))
            if "blocker-label" in classes or "bridge-label" in classes:
                self._label = []
            if any(c.startswith("sites-") or c == "site-hatch" for c in classes):
                self._svg["site_fills"].append((classes[0], a.get("fill")))
        if tag == "li" and "lg-blocker" in classes:
            self._legend_item = []

    def start_tables(self, tag, a):
        if tag == "table":
            self.tables.append({"cls": a.get("class") or "", "rows": [], "head": []})
        if tag == "thead":
            self._in_thead = True
        if tag == "tr" and self.tables:
            self._trow = []
        if tag in ("td", "th") and self._trow is not None:
            self._tcell = []

    def end_maps_tables(self, tag):
        if tag == "text" and self._label is not None:
            self._svg["labels"].append("".join(self._label).strip())
            self._label = None
        if tag == "svg" and self._svg is not None and len(self.stack) == self._svg["depth"]:
            self._svg = None
        if tag == "li" and self._legend_item is not None:
            self.legend_blocker.append(" ".join("".join(self._legend_item).split()))
            self._legend_item = None
        if tag in ("td", "th") and self._tcell is not None:
            self._trow.append(" ".join("".join(self._tcell).split()))
            self._tcell = None
        if tag == "tr" and self._trow is not None:
            self.tables[-1]["rows"].append(self._trow)
            self.tables[-1]["head"].append(self._in_thead)
            self._trow = None
        if tag == "thead":
            self._in_thead = False

    def handle_startendtag(self, tag, attrs):
        self.check_attrs(tag, attrs)
        self.start_maps(tag, dict(attrs))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack:
            self.problems.append(f"{self.where()}: </{tag}> closes nothing")
            return
        top, opened = self.stack.pop()
        if top != tag:
            self.problems.append(f"{self.where()}: </{tag}> closes <{top}> opened at {opened}")
        if self._figure is not None and tag in ("span", "b"):
            self._figure = None
        if tag == "td" and self._cell is not None:
            self._row[2].append("".join(self._cell).strip())
            self._cell = None
        if tag == "td" and self._key is not None:
            self.site_keys[self._site].append("".join(self._key).strip())
            self._key = None
        if tag == "tr" and self._row is not None:
            self.units.append(self._row)
            self._row = None
        if tag == "table":
            self._units_kind = None
        if tag == "style":
            self._skip -= 1
        self.end_maps_tables(tag)

    def handle_data(self, data):
        if self._skip:
            self.styles.append(data)
            return
        self.text.append(data)
        if self._figure is not None:
            self.figures[self._figure] += data
        if self._cell is not None:
            self._cell.append(data)
        if self._key is not None:
            self._key.append(data)
        for part in (self._label, self._legend_item, self._tcell):
            if part is not None:
                part.append(data)


def mu2(v):
    return f"{v:,.2f}"


def number(text):
    return float(text.replace(",", "").replace("%", ""))


def run_analyze(args, out_dir):
    sample = os.path.join(args.data_dir, "shuangcheng")
    db = os.path.join(out_dir, "out.sqlite")
    report = os.path.join(out_dir, "report.html")
    cmd = [args.landcons, "analyze", os.path.join(sample, "DK.shp"),
           "--register", os.path.join(sample, "DK_register.csv"),
           "--site", os.path.join(sample, "DK_sites.geojson"),
           "--unit-names", os.path.join(sample, "DK_units.csv"),
           "--as-of", "2019-05-01", "--target-mu", "2000", "-o", db, "--report", report, "-q"]
    r = lctest.run(cmd)
    if r.returncode != 0:
        raise SystemExit(f"FAIL: landcons analyze exited {r.returncode}: {r.stderr.strip()}")
    return db, report


def check_file(c, raw, page):
    try:
        text = raw.decode("utf-8", errors="strict")
    except UnicodeDecodeError as e:
        c.check(False, f"the report is not UTF-8: {e}")
        return None
    c.check(text.startswith("<!DOCTYPE html>"), "the report starts with <!DOCTYPE html>")
    c.check('<meta charset="utf-8">' in text[:400], "the charset is declared UTF-8 at the top")
    page.feed(text)
    page.close()
    c.check(not page.stack, f"elements left open: {page.stack[:5]}")
    for p in page.problems[:20]:
        c.check(False, p)
    c.check(not page.problems, f"{len(page.problems)} structure/self-containment problems")
    for bad in ("http:", "https:"):
        c.check(bad not in text, f"'{bad}' occurs in the report (at {text.find(bad)})")
    css = "\n".join(page.styles)
    c.check("@import" not in css, "@import in the CSS")
    c.check("@font-face" not in css, "@font-face in the CSS (fonts must be the system's)")
    c.check(not re.search(r"url\(\s*['\"]?(?!#)", css), "url() in the CSS other than a #fragment")
    c.check(not re.search(r"""(?:src|href)\s*=\s*["']?//""", text), "a protocol-relative // reference")
    return text


def summary(db):
    con = sqlite3.connect(db)
    s = dict(con.execute("SELECT name, value FROM summary"))
    con.close()
    return s


def check_figures(c, db, page):
    s = summary(db)
    visible = " ".join(page.text)
    want = {
        "total_mu": mu2(float(s["total_mu"])),
        "transferred_mu": mu2(float(s["transferred_mu"])),
        "largest_block_mu": mu2(float(s["largest_block_parcel_mu"])),
        "sites_ready": str(int(s["sites_ready"])),
        "target_date": s["target_reached_on"],
    }
    c.check(s["target_met"] == "1" and s["target_reached_on"], "the sample reaches --target-mu 2000")
    for name, value in want.items():
        c.eq(page.figures.get(name, "").strip(), value, f"figure {name} (data-figure) vs summary")
        c.check(value in visible, f"{name} {value!r} in the visible text")
    c.check(f"/ {int(s['site_count'])}" in visible, "sites ready shown as N / site count")

    con = sqlite3.connect(db)
    target_m2 = float(s["target_mu"]) * 10000 / 15
    first = con.execute("SELECT min(date) FROM progress WHERE unit_kind = 'all' AND largest_block_m2 >= ?",
                        (target_m2,)).fetchone()[0]
    c.eq(s["target_reached_on"], first, "target date vs the progress table")
    check_units(c, con, page)
    check_sites(c, con, page)
    check_maps(c, con, page)
    check_target_shown(c, page, s)
    check_negotiate(c, con, page)
    con.close()
    return s


def check_target_shown(c, page, s):
    """--target-mu 2000: the card, the chart's line and marker, the settings row."""
    visible = " ".join(" ".join(page.text).split())
    c.check("目标 Target 2,000.00" in visible, "the target card")
    c.check("目标 target 2,000.00 亩" in visible, "the chart's legend entry of the target")
    c.check(f"达标 target reached {s['target_reached_on']}" in visible, "the chart's reached marker")
    c.check(any(r[:1] == ["目标 target"] and r[1].startswith("2,000.00 亩") for t in page.tables for r in t["rows"]),
            "the settings row of the target")


def analyze_report(c, args, inputs, db, report, what):
    """Runs analyze with --report on inputs; the parsed report, None (a failure recorded) when it fails."""
    r = lctest.run([args.landcons, "analyze", *inputs, "-o", db, "--report", report, "-q"])
    if not c.check(r.returncode == 0, f"{what} exited {r.returncode}: {r.stderr.strip()}"):
        return None
    page = Page()
    with open(report, encoding="utf-8") as f:
        page.feed(f.read())
    return page


def check_no_target(c, args, out_dir):
    """Without --target-mu: no target anywhere; the registered area instead."""
    sample = os.path.join(args.data_dir, "shuangcheng")
    db, report = os.path.join(out_dir, "nt.sqlite"), os.path.join(out_dir, "nt.html")
    page = analyze_report(c, args, [os.path.join(sample, "DK.shp"), "--register",
                                    os.path.join(sample, "DK_register.csv"), "--site",
                                    os.path.join(sample, "DK_sites.geojson"), "--as-of", "2019-05-01"],
                          db, report, "analyze without --target-mu")
    if page is None:
        return
    visible = " ".join(page.text)
    for word in ("目标", "达标"):
        c.check(word not in visible, f"no target asked for, yet {word!r} is in the report")
    c.check("无协商路线" in visible and 'id="negotiate"' in open(report, encoding="utf-8").read(),
            "without a target the negotiate section is there and says there is no route")
    m = re.search(r".{0,40}target.{0,40}", visible, re.I | re.S)
    c.check(m is None, f"no target asked for, yet: {m.group(0) if m else ''!r}")
    con = sqlite3.connect(db)
    reg, tr = con.execute("SELECT total(CASE WHEN status <> 'unregistered' THEN planar_m2 END), "
                          "total(CASE WHEN status = 'transferred' THEN planar_m2 END) FROM parcels").fetchone()
    con.close()
    c.eq(page.figures.get("registered_mu", "").strip(), mu2(reg * 15 / 10000), "registered area (data-figure)")
    c.eq(page.figures.get("share_of_registered", "").strip(), f"{100 * tr / reg:.1f}%",
         "transferred share of the registered area")


def check_negotiate(c, con, page):
    """优先协商: the top bridges with a gain (map and table) against the bridges layer."""
    want = con.execute("SELECT rank, key, coalesce(village_name, village), holder, status, mu, gain_mu, "
                       "largest_mu_after, joins_blocks, route_step FROM bridges WHERE gain_mu > 0 "
                       "ORDER BY rank LIMIT 10").fetchall()
    n_gain, n_all = con.execute("SELECT sum(gain_mu > 0), count(*) FROM bridges").fetchone()
    largest = con.execute("SELECT value FROM summary WHERE name = 'largest_block_parcel_mu'").fetchone()[0]
    c.check(len(want) == 10, f"the sample has at least 10 bridges with a gain ({len(want)})")
    c.eq([w[0] for w in want], list(range(1, len(want) + 1)), "the bridges with a gain come first in the layer")
    tables = [t for t in page.tables if "bridges" in t["cls"].split()]
    if not c.eq(len(tables), 1, "one table of bridges"):
        return
    rows = [r for r, h in zip(tables[0]["rows"], tables[0]["head"]) if not h]
    c.eq(len(rows), len(want), "bridges table rows: the top 10 with a gain")
    status_words = {"transferred": "已流转", "pending": "未签约", "refused": "拒签", "disputed": "争议",
                    "unregistered": "未登记"}
    for cells, (rank, key, village, holder, status, mu, gain, after, joins, step) in zip(rows, want):
        c.eq(cells[:5], [str(rank), key, village or "—", holder or "—", f"{status_words[status]} {status}"],
             f"bridge {rank}: rank, key, village, holder, status")
        c.eq(cells[5:8], [mu2(mu), mu2(gain), mu2(after)], f"bridge {rank} {key}: mu, gain, largest after")
        c.eq(cells[8], joins or "—", f"bridge {rank} {key}: blocks it joins")
        c.eq(cells[9], str(step) if step else "—", f"bridge {rank} {key}: route step")
        c.rel(after, float(largest) + gain, 1e-9, f"bridge {rank}: largest after = largest today + gain",
              abs_floor=0.0051)
    maps = [v for v in page.svgs if v["cls"] == "planmap"]
    if c.eq(len(maps), 1, "one map of the parcels to negotiate first"):
        c.eq(maps[0]["bridges"], [(str(w[0]), w[1]) for w in want], "plan map: one symbol per bridge, by rank")
        c.eq(sorted(maps[0]["labels"], key=int), [str(w[0]) for w in want], "plan map: each bridge labelled by rank")
    text = " ".join(page.text)
    c.check(f"未流转地块 {n_all} 块中，{n_gain} 块单独流转即可扩大最大连片" in " ".join(text.split()),
            f"the counts of untransferred parcels ({n_all}) and of bridges with a gain ({n_gain})")
    c.check("已达到目标 2,000.00 亩" in " ".join(text.split()), "the route part says the target is met today")


def check_route(c, args, out_dir):
    """A target out of reach: the route table against the database's route table."""
    sample = os.path.join(args.data_dir, "shuangcheng")
    db, report = os.path.join(out_dir, "rt.sqlite"), os.path.join(out_dir, "rt.html")
    page = analyze_report(c, args, [os.path.join(sample, "DK.shp"), "--register",
                                    os.path.join(sample, "DK_register.csv"), "--as-of", "2019-05-01",
                                    "--target-mu", "100000"], db, report, "analyze --target-mu 100000")
    if page is None:
        return
    con = sqlite3.connect(db)
    steps = con.execute("SELECT step, keys, households, mu, cumulative_households, cumulative_mu, grown_mu, "
                        "largest_mu_after, target_reached, missing_mu FROM route ORDER BY step").fetchall()
    bridge_steps = dict(con.execute("SELECT key, route_step FROM bridges WHERE route_step IS NOT NULL"))
    con.close()
    c.check(len(steps) > 30 and not steps[-1][8], f"the route to 100,000 mu is long and falls short ({len(steps)})")
    tables = [t for t in page.tables if "route" in t["cls"].split()]
    if not c.eq(len(tables), 1, "one route table"):
        return
    rows = [r for r, h in zip(tables[0]["rows"], tables[0]["head"]) if not h]
    c.eq(len(rows), min(30, len(steps)), "route table: the first 30 steps")
    for cells, (step, keys, hh, mu, cum_hh, cum_mu, grown, after, _, _) in zip(rows, steps):
        c.eq(cells[0].rstrip(" ⚠"), str(step), "route step number")
        c.eq(cells[1].split(), keys.split(","), f"step {step}: its parcels' keys")
        c.eq(cells[3:], [str(hh), mu2(mu), str(cum_hh), mu2(cum_mu), mu2(grown), mu2(after)],
             f"step {step}: households, mu, cumulative, grown block, largest after")
        for k in keys.split(","):
            c.eq(bridge_steps.get(k), step, f"bridge {k}: route_step of the layer")
    visible = " ".join(" ".join(page.text).split())
    last = steps[-1]
    c.check(f"共 {len(steps)} 步、{last[4]} 户、{mu2(last[5])} 亩" in visible, "the route's totals in the sentence")
    c.check(f"达不到目标 100,000.00 亩 ，尚差 {mu2(last[9])} 亩" in visible or
            f"达不到目标 100,000.00 亩，尚差 {mu2(last[9])} 亩" in visible, "what the route misses, in mu")
    c.check(f"全部 {len(steps)} 步见数据库 route 表" in visible, "the steps left out are counted")


def check_units(c, con, page):
    """Township and village tables against the parcels layer."""
    for kind in ("township", "village"):
        rows = {code: cells for k, code, cells in page.units if k == kind}
        db = con.execute(f"""SELECT coalesce({kind}, ''), count(*), sum(planar_m2),
                    total(CASE WHEN status = 'transferred' THEN planar_m2 END),
                    sum(status = 'pending'), sum(status = 'refused'), sum(status = 'disputed'),
                    sum(status = 'unregistered'), sum(enclave_of IS NOT NULL)
                FROM parcels GROUP BY 1 ORDER BY 1""").fetchall()
        c.eq(sorted(rows), [r[0] for r in db], f"{kind} codes in the table")
        off = 1 if kind == "village" else 0     # the village table starts with its township
        for code, n, total, tr, pend, ref, disp, unreg, encl in db:
            cells = rows.get(code)
            if not c.check(cells is not None and len(cells) == 11 + off, f"{kind} {code}: row {cells}"):
                continue
            cells = cells[off:]
            c.eq(int(number(cells[2])), n, f"{kind} {code} parcels")
            c.rel(number(cells[3]), total * 15 / 10000, 0, f"{kind} {code} total mu", abs_floor=0.0051)
            c.rel(number(cells[4]), tr * 15 / 10000, 0, f"{kind} {code} transferred mu", abs_floor=0.0051)
            holdouts = zip(("pending", "refused", "disputed", "unregistered", "enclaves"),
                           (pend, ref, disp, unreg, encl))
            for j, (what, want) in enumerate(holdouts):
                c.eq(int(number(cells[6 + j])), want, f"{kind} {code} {what}")


def check_sites(c, con, page):
    for site_id, ready in con.execute("SELECT site_id, ready FROM sites ORDER BY site_id"):
        keys = [k for (k,) in con.execute("SELECT key FROM site_overlaps WHERE site_id = ? AND blocking = 1 "
                                          "ORDER BY overlap_m2 DESC", (site_id,))]
        c.eq(page.site_keys.get(site_id), keys, f"site {site_id}: blocking parcels, largest first")
        c.eq(ready, 0 if keys else 1, f"site {site_id}: ready flag vs blocking parcels")


def check_maps(c, con, page):
    """Blocking parcels on the county map and on each site's map."""
    rows = con.execute("SELECT site_id, key FROM site_overlaps WHERE blocking = 1 "
                       "ORDER BY site_id, overlap_m2 DESC").fetchall()
    c.check(rows, "the sample has blocking parcels")
    county = [v for v in page.svgs if v["cls"] == "map"]
    if not c.eq(len(county), 1, "one county map"):
        return
    keys = sorted({k for _, k in rows})
    c.eq(sorted(county[0]["blockers"]), keys,
         f"county map: one blocker symbol per blocking parcel ({len(rows)} blocking rows, {len(keys)} parcels)")
    n_sites = con.execute("SELECT count(*) FROM sites").fetchone()[0]
    c.check(len(page.legend_blocker) == 1 + n_sites and
            all("阻碍地块" in t and "blocking parcel" in t for t in page.legend_blocker),
            f"the legend's entry of blocking parcels (the county map's, each site map's): {page.legend_blocker}")
    c.check(f"{len(keys)} 块" in page.legend_blocker[0] if page.legend_blocker else False,
            f"the legend counts the {len(keys)} blocking parcels drawn: {page.legend_blocker[:1]}")
    sites = [sid for (sid,) in con.execute("SELECT site_id FROM sites ORDER BY site_id")]
    site_maps = {v["site"]: v for v in page.svgs if v["cls"] == "sitemap"}
    c.eq(sorted(site_maps), sites, "one map per site (svg.sitemap data-site)")
    total = 0
    for sid in sites:
        v = site_maps.get(sid)
        if v is None:
            continue
        want = [k for s_, k in rows if s_ == sid]
        total += len(v["blockers"])
        c.eq(v["blockers"], want, f"site {sid} map: one symbol per blocking row, largest first")
        c.eq(len(v["labels"]), len(want), f"site {sid} map: every blocker labelled")
        for key, label in zip(want, v["labels"]):
            tail = label.lstrip("…")
            c.check(len(tail) >= 4 and key.endswith(tail), f"site {sid}: label {label!r} ends key {key}")
    c.eq(total, len(rows), "site maps: as many blocker symbols as blocking rows")
    for v in page.svgs:
        if v["cls"] == "planmap":
            continue          # the parcels to negotiate first: no site on it
        for cls, fill in v["site_fills"]:
            c.check(fill == "none" or (fill or "").startswith("url(#"),
                    f"{v['cls']} {v['site']}: {cls} is filled with {fill!r}, which would change the status colours")
        c.check(v["site_fills"], f"{v['cls']} {v['site']}: site outlines drawn")


# Township: the key's, but every 17th parcel in a township of its own and
# every 23rd without one; village: the key's three village digits (the same
# codes in every township), every 29th without one.
MIXED_SQL = ("SELECT *, CASE WHEN rowid % 23 = 0 THEN NULL WHEN rowid % 17 = 0 THEN '230113199' "
             "ELSE substr(DKBM, 1, 9) END AS TWP, "
             "CASE WHEN rowid % 29 = 0 THEN NULL ELSE substr(DKBM, 10, 3) END AS VIL FROM DK")


def table_rows(page, kind):
    return [(code, cells) for k, code, cells in page.units if k == kind]


def check_mixed_units(c, args, out_dir):
    """Both unit tables of a run whose unit fields disagree, in order."""
    sample = os.path.join(args.data_dir, "shuangcheng")
    gpkg, db, report = (os.path.join(out_dir, n) for n in ("mixed.gpkg", "mixed.sqlite", "mixed.html"))
    r = subprocess.run(["ogr2ogr", "-f", "GPKG", gpkg, os.path.join(sample, "DK.shp"), "-nln", "DK",
                        "-nlt", "PROMOTE_TO_MULTI", "-dialect", "sqlite", "-sql", MIXED_SQL],
                       capture_output=True, text=True)
    if not c.check(r.returncode == 0, f"ogr2ogr (the mixed-units copy): {r.stderr.strip()}"):
        return
    page = analyze_report(c, args, [gpkg, "--register", os.path.join(sample, "DK_register.csv"),
                                    "--township-field", "TWP", "--village-field", "VIL", "--as-of", "2019-05-01"],
                          db, report, "analyze (mixed units)")
    if page is None:
        return
    con = sqlite3.connect(db)
    order = {"township": "township IS NULL, township",
             "village": "township IS NULL, township, village IS NULL, village"}
    c.check(con.execute("SELECT count(DISTINCT township) FROM parcels WHERE village = '201'").fetchone()[0] > 1,
            "the mixed units put village 201 under several townships")
    for kind, group in (("township", "township"), ("village", "township, village")):
        want = con.execute(f"""SELECT township, {'village' if kind == 'village' else 'NULL'}, count(*),
                    sum(planar_m2), total(CASE WHEN status = 'transferred' THEN planar_m2 END),
                    sum(status = 'pending'), sum(status = 'refused'), sum(status = 'disputed'),
                    sum(status = 'unregistered'), sum(enclave_of IS NOT NULL)
                FROM parcels GROUP BY {group} ORDER BY {order[kind]}""").fetchall()
        got = table_rows(page, kind)
        c.eq(len(got), len(want), f"mixed units: {kind} rows")
        for (code, cells), (tw, vl, n, total, tr, *holdouts) in zip(got, want):
            unit = vl if kind == "village" else tw
            what = f"mixed units: {kind} {tw}/{vl}"
            c.eq(code, unit or "", f"{what}: data-unit (order)")
            if kind == "village":
                # no --unit-names: the township column shows its code
                c.eq(cells[0], tw or "—", f"{what}: township column")
                cells = cells[1:]
            c.eq(cells[1], unit or "—", f"{what}: code column")
            c.eq(int(number(cells[2])), n, f"{what}: parcels")
            c.rel(number(cells[3]), total * 15 / 10000, 0, f"{what}: total mu", abs_floor=0.0051)
            c.rel(number(cells[4]), tr * 15 / 10000, 0, f"{what}: transferred mu", abs_floor=0.0051)
            c.eq([int(number(x)) for x in cells[6:11]], list(holdouts), f"{what}: hold-outs by status, enclaves")
    con.close()


def chromium(args_list, timeout=180):
    return subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, *args_list], capture_output=True, text=True,
                          timeout=timeout)


def page_requests(netlog):
    """URLs of requests made on behalf of a file:// page, from a NetLog."""
    with open(netlog, encoding="utf-8") as f:
        log = json.load(f)
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    urls = []
    for e in log["events"]:
        p = e.get("params") or {}
        if e.get("type") != start or "url" not in p:
            continue
        page_site = "file://" in p.get("network_isolation_key", "") or "file://" in p.get("site_for_cookies", "")
        if page_site or p.get("initiator") == "null":
            urls.append(p["url"])
    return urls


def check_screenshot(c, png, counts):
    try:
        from PIL import Image
    except ImportError:
        c.check(False, "python3-pil is needed to read the screenshot")
        return
    im = Image.open(png).convert("RGB")
    c.eq(im.size, WINDOW, "screenshot size")
    pixels = Counter(im.getdata())
    total = im.size[0] * im.size[1]
    c.check(len(pixels) >= 2000, f"only {len(pixels)} distinct colours: the page looks blank")
    white = sum(n for col, n in pixels.items() if min(col) >= 250)
    c.check(white / total < 0.75, f"{white / total:.0%} of the screenshot is white")
    area = sum(counts.values())
    for status, rgb in STATUS_RGB.items():
        n = sum(k for col, k in pixels.items() if all(abs(a - b) <= 3 for a, b in zip(col, rgb)))
        # a legend swatch alone is ~250 px; a class with a real share of the
        # land must fill much more of the map than that
        need = 2000 if counts.get(status, 0) >= 0.02 * area else 150 if counts.get(status, 0) else 0
        c.check(n >= need, f"status colour {status} {rgb}: {n} px, want >= {need}")


# Measures the laid-out page; added to a copy of the report (the report
# itself has no script), the result read back from the dumped DOM.
LAYOUT_JS = r"""
(function () {
  var de = document.documentElement, vw = de.clientWidth;
  function box(e) { var r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }
  var out = {innerWidth: window.innerWidth, clientWidth: vw, scrollWidth: de.scrollWidth,
             bodyScrollWidth: document.body.scrollWidth, tables: [], wide: []};
  document.querySelectorAll("table").forEach(function (t, i) {
    var r = box(t), scroller = null, clipper = null;
    for (var p = t.parentElement; p && p !== document.body; p = p.parentElement) {
      var ox = getComputedStyle(p).overflowX;
      if (!scroller && (ox === "auto" || ox === "scroll")) scroller = p;
      if (!clipper && (ox === "hidden" || ox === "clip")) clipper = p;
    }
    out.tables.push({i: i, box: r, scroller: scroller ? box(scroller) : null,
                     scrollerWidths: scroller ? [scroller.scrollWidth, scroller.clientWidth] : null,
                     clipper: clipper ? box(clipper) : null});
  });
  // the parts of a picture are clipped by it (their boxes are not): the <svg> itself counts
  document.querySelectorAll("body *").forEach(function (e) {
    if (e.closest("table") || (e.ownerSVGElement && e.tagName.toLowerCase() !== "svg")) return;
    var r = e.getBoundingClientRect();
    if (r.width && r.right > vw + 0.5) out.wide.push(e.tagName + "." + (e.getAttribute("class") || ""));
  });
  var map = document.querySelector("svg.map"), legend = document.querySelector(".legend");
  if (map && legend) {
    out.map = box(map);
    out.legend = box(legend);
    out.legendFont = parseFloat(getComputedStyle(legend.querySelector("li")).fontSize);
  }
  var pre = document.createElement("pre");
  pre.id = "lc-layout";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
"""


def measure(c, report, tmp, width, tag):
    probe = os.path.join(tmp, f"layout{width}.html")
    with open(report, encoding="utf-8") as f:
        text = f.read()
    with open(probe, "w", encoding="utf-8") as f:
        f.write(text.replace("</body>", "<script>" + LAYOUT_JS + "</script>\n</body>"))
    r = chromium([f"--user-data-dir={os.path.join(tmp, 'profile-' + tag)}", f"--window-size={width},1200",
                  "--hide-scrollbars", "--dump-dom", "file://" + probe])
    m = re.search(r'<pre id="lc-layout">(.*?)</pre>', r.stdout, re.S)
    if not c.check(m, f"no layout measured at {width} px ({r.returncode}): {r.stderr[-300:]}"):
        return None
    return json.loads(html.unescape(m.group(1)))


def check_layout(c, report, tmp):
    """800 px: nothing overflows, tables in view or scrolling, legend under the map."""
    lay = measure(c, report, tmp, 800, "w800")
    if lay is None:
        return
    c.eq(lay["clientWidth"], 800, "the viewport is 800 px wide")
    c.check(lay["scrollWidth"] <= 800, f"the page is {lay['scrollWidth']} px wide at 800 px")
    c.check(not lay["wide"], f"elements wider than the viewport: {lay['wide'][:5]}")
    c.check(len(lay["tables"]) >= 5, f"{len(lay['tables'])} tables measured")
    scrolled = 0
    for t in lay["tables"]:
        x0, _, x1, _ = t["box"]
        in_view = x0 >= -0.5 and x1 <= 800.5 and (t["clipper"] is None or
                                                  (x0 >= t["clipper"][0] - 0.5 and x1 <= t["clipper"][2] + 0.5))
        sc = t["scroller"]
        scrolls = sc is not None and sc[0] >= -0.5 and sc[2] <= 800.5 and t["scrollerWidths"][0] >= x1 - x0 - 0.5
        if not in_view:
            scrolled += 1
        c.check(in_view or scrolls, f"table {t['i']} at {t['box'][0]:.0f}..{t['box'][2]:.0f} px is cut "
                                    f"(scroller {sc})")
    c.check(scrolled >= 1, "at 800 px the unit tables are wider than the page and scroll")
    if c.check("legend" in lay, "the map and its legend measured"):
        c.check(lay["legend"][1] >= lay["map"][3] - 0.5, f"at 800 px the legend is under the map: {lay['legend']} "
                                                         f"vs {lay['map']}")
        c.check(lay["legendFont"] >= 12, f"legend text {lay['legendFont']} px")
    wide = measure(c, report, tmp, 1280, "w1280")
    if wide is not None and c.check("legend" in wide, "the legend measured at 1280 px"):
        c.check(wide["scrollWidth"] <= 1280, f"the page is {wide['scrollWidth']} px wide at 1280 px")
        c.check(wide["legend"][0] >= wide["map"][2] - 0.5, f"at 1280 px the legend is beside the map: "
                                                           f"{wide['legend']} vs {wide['map']}")


def pdf_pages(pdf):
    info = lctest.run(["pdfinfo", "-f", "1", "-l", "1000", pdf]).stdout
    return [tuple(map(float, m)) for m in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)]


def check_print(c, report, page, tmp, keep_pdf):
    """A4 pages, every table row whole in the text, each map on one page."""
    pdf = os.path.join(tmp, "print.pdf")
    r = chromium([f"--user-data-dir={os.path.join(tmp, 'profile-print')}", "--no-pdf-header-footer",
                  f"--print-to-pdf={pdf}", "file://" + os.path.abspath(report)])
    if not c.check(os.path.exists(pdf), f"chromium --print-to-pdf failed ({r.returncode}): {r.stderr[-300:]}"):
        return
    shutil.copyfile(pdf, keep_pdf)
    sizes = pdf_pages(pdf)
    c.check(len(sizes) >= 2, f"{len(sizes)} printed pages")
    for i, (w, h) in enumerate(sizes):
        # A4 is 210 × 297 mm = 595.28 × 841.89 pt
        c.check(abs(w - 595.28) < 1.5 and abs(h - 841.89) < 1.5, f"page {i + 1} is {w} × {h} pt, not A4")
    lines = [" ".join(l.split()) for l in lctest.run(["pdftotext", "-layout", pdf, "-"]).stdout.splitlines()]
    rows = 0
    for t in page.tables:
        if "kv" in t["cls"].split():
            continue          # inputs and settings: long text that wraps by design
        for cells, head in zip(t["rows"], t["head"]):
            cells = [x for x in cells if x]
            if head or not cells:
                continue
            rows += 1
            pat = re.compile(r"\s*".join(re.escape(x) for x in cells))
            c.check(any(pat.search(l) for l in lines), f"printed table row {cells} is not whole on one line")
    c.check(rows >= 20, f"{rows} printed table rows checked")
    pages = [" ".join(lctest.run(["pdftotext", "-f", str(i), "-l", str(i), "-layout", pdf, "-"]).stdout.split())
             for i in range(1, len(sizes) + 1)]
    c.check(any("比例尺 Scale" in p and "连片 1" in p and "图例 Legend" in p for p in pages),
            "the county map, its scale bar and legend on one page")
    for v in page.svgs:
        if v["cls"] != "sitemap":
            continue
        on = [p for p in pages if f"用地 {v['site']} " in p and "比例尺 Scale" in p
              and all(l in p for l in v["labels"])]
        c.check(on, f"site {v['site']}: heading, map and labels {v['labels']} not on one printed page")


def check_browser(c, report, png, s, page):
    tmp = tempfile.mkdtemp(prefix="lc_report_chromium_")
    try:
        check_layout(c, report, tmp)
        shot = chromium([f"--user-data-dir={os.path.join(tmp, 'profile-shot800')}", "--window-size=800,4000",
                         f"--screenshot={os.path.join(os.path.dirname(png), 'report_800.png')}",
                         "file://" + os.path.abspath(report)])
        c.check(shot.returncode == 0, f"chromium --screenshot at 800 px failed: {shot.stderr[-300:]}")
        check_print(c, report, page, tmp, os.path.join(os.path.dirname(png), "report_print.pdf"))
        shot = chromium([f"--user-data-dir={os.path.join(tmp, 'profile1')}",
                         f"--window-size={WINDOW[0]},{WINDOW[1]}", f"--screenshot={png}",
                         "file://" + os.path.abspath(report)])
        if not c.check(shot.returncode == 0 and os.path.exists(png),
                       f"chromium --screenshot failed ({shot.returncode}): {shot.stderr[-500:]}"):
            return
        con = sqlite3.connect(os.path.join(os.path.dirname(report), "out.sqlite"))
        counts = {st: m2 for st, m2 in con.execute("SELECT status, sum(planar_m2) FROM parcels GROUP BY status")}
        con.close()
        check_screenshot(c, png, counts)

        # positive control: the NetLog method must see a page's external loads
        probe = os.path.join(tmp, "probe.html")
        with open(probe, "w", encoding="utf-8") as f:
            f.write('<!DOCTYPE html><html><head><meta charset="utf-8"><style>'
                    '@import url("https://fonts.probe.invalid/x.css");</style></head>'
                    '<body><img src="http://img.probe.invalid/x.png"><p>probe</p></body></html>')
        log = os.path.join(tmp, "probe.netlog.json")
        chromium([f"--user-data-dir={os.path.join(tmp, 'profile2')}", f"--log-net-log={log}",
                  "--net-log-capture-mode=Everything", "--dump-dom", "file://" + probe])
        seen = page_requests(log) if os.path.exists(log) else []
        c.check(any("img.probe.invalid" in u for u in seen) and any("fonts.probe.invalid" in u for u in seen),
                f"NetLog control: the probe page's two external loads were not seen ({seen})")

        log = os.path.join(tmp, "report.netlog.json")
        dom = chromium([f"--user-data-dir={os.path.join(tmp, 'profile3')}", f"--log-net-log={log}",
                        "--net-log-capture-mode=Everything", "--dump-dom", "file://" + os.path.abspath(report)])
        c.check(mu2(float(s["total_mu"])) in dom.stdout and "<svg" in dom.stdout,
                "the DOM Chromium dumped holds the map and the total area")
        if c.check(os.path.exists(log), "chromium wrote no NetLog"):
            ext = page_requests(log)
            c.check(not ext, f"the report made external requests: {ext[:5]}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    args = parse_args()
    lctest.skip_unless(os.path.join(args.data_dir, "shuangcheng", "DK.shp"))
    c = lctest.Checker("report")
    out_dir = tempfile.mkdtemp(prefix="lc_report_")
    try:
        db, report = run_analyze(args, out_dir)
        with open(report, "rb") as f:
            raw = f.read()
        left = [n for n in os.listdir(out_dir) if ".tmp-" in n]
        c.check(not left, f"temporary files left beside the report: {left}")
        page = Page()
        if check_file(c, raw, page) is not None:
            s = check_figures(c, db, page)
        else:
            s = summary(db)
        check_mixed_units(c, args, out_dir)
        check_no_target(c, args, out_dir)
        check_route(c, args, out_dir)
        png = os.path.abspath(args.png)
        print(f"report: {len(raw)} bytes")
        if not (os.path.exists(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
            if c.failures:
                c.done()
            print(f"SKIP: {CHROMIUM} is not installed (the file checks passed: {c.checks} checks)")
            sys.exit(lctest.SKIP)
        check_browser(c, report, png, s, page)
        print(f"screenshot: {png}")
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)
    c.done()


if __name__ == "__main__":
    main()
