#!/usr/bin/python3
"""End-to-end: `landcons verify` as text on a terminal (issue: hand-over, point 4).

1. --as-of 2019-03-03 puts 62 blocking parcels under site 1 and 18 under
   site 2: site 1 prints its 20 largest overlaps (the first 20 of
   `verify --json`, which are sorted by overlap, checked here) and "... and
   42 more blocking parcels" with the hints --all and --xlsx; site 2 prints
   all 18 and no such line. Every table line fits 80 terminal columns (CJK
   characters count two).
2. --all prints all 62 rows of site 1 and no "more" line.
3. slivers: a site made ready by cutting its blocking parcels out, plus a
   0.5 m² square over a refused parcel: READY, exit 0, the sliver counted
   with its area (the square's overlap computed by OGR), and the JSON says
   the same (sliver_count, sliver_m2) with no blocking parcel. With
   --min-overlap 0.25 the same overlap blocks: NOT READY, exit 1, no sliver.
Usage: test_verify_text.py --landcons BIN --data-dir GIS_DATA"""
import json
import os
import re
import sys
import tempfile
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lctest  # noqa: E402
from test_signoff_pdf import ready_site_with_sliver  # noqa: E402

KEY_ROW = re.compile(r"^    (\d{19}) ")


def columns(line):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def site_sections(text):
    """{site_id: [lines]} of the text output."""
    out, cur = {}, None
    for ln in text.splitlines():
        m = re.match(r"^Site (\d+) ", ln)
        if m:
            cur = int(m.group(1))
            out[cur] = []
        elif cur is not None:
            out[cur].append(ln)
    return out


def main():
    a = lctest.arg_parser().parse_args()
    d = os.path.abspath(os.path.join(a.data_dir, "shuangcheng"))
    shp, reg, sites = (os.path.join(d, n) for n in ("DK.shp", "DK_register.csv", "DK_sites.geojson"))
    t = lctest.Checker("verify text")
    base = [a.landcons, "verify", shp, "--register", reg, "--site", sites, "--as-of", "2019-03-03", "-q"]

    j = json.loads(lctest.run(base + ["--json"]).stdout)
    blocking = {s["site_id"]: s["blocking"] for s in j["sites"]}
    for sid, bl in blocking.items():
        m2 = [b["overlap_m2"] for b in bl]
        t.eq(m2, sorted(m2, reverse=True), f"site {sid}: JSON blocking parcels largest overlap first")
    t.check(len(blocking[1]) > 20, f"site 1 has more than 20 blocking parcels ({len(blocking[1])})")
    t.check(len(blocking[2]) <= 20, f"site 2 has at most 20 ({len(blocking[2])})")

    # 1. default: 20 rows, the count of the rest, the hints
    r = lctest.run(base)
    t.eq(r.returncode, 1, "default: exit 1 (not ready)")
    sec = site_sections(r.stdout)
    rows1 = [KEY_ROW.match(ln).group(1) for ln in sec.get(1, []) if KEY_ROW.match(ln)]
    t.eq(rows1, [b["key"] for b in blocking[1][:20]], "default: site 1 prints its 20 largest overlaps")
    rest = len(blocking[1]) - 20
    more = [ln for ln in sec.get(1, []) if "more blocking parcels" in ln]
    t.check(len(more) == 1 and f"... and {rest} more blocking parcels" in more[0] and "--all" in more[0],
            f"default: site 1 counts the other {rest} and hints --all ({more})")
    t.check("--xlsx" in "\n".join(sec.get(1, [])), "default: the hint names --xlsx")
    rows2 = [KEY_ROW.match(ln).group(1) for ln in sec.get(2, []) if KEY_ROW.match(ln)]
    t.eq(rows2, [b["key"] for b in blocking[2]], "default: site 2 prints all its blocking parcels")
    t.check(not any("more blocking" in ln for ln in sec.get(2, [])), "default: site 2 has no 'more' line")
    for ln in r.stdout.splitlines():
        if ln.startswith("    ") or ln.startswith("  blocking") or ln.startswith("  transferred"):
            t.check(columns(ln) <= 80, f"default: fits 80 columns ({columns(ln)}): {ln!r}")
    for b in blocking[1][:20]:
        row = next((ln for ln in sec[1] if ln.startswith("    " + b["key"])), "")
        t.check(b["holder"] in row and f"{b['overlap_m2']:.2f}" in row, f"default: row of {b['key']}")

    # 2. --all
    r = lctest.run(base + ["--all"])
    sec = site_sections(r.stdout)
    rows1 = [KEY_ROW.match(ln).group(1) for ln in sec.get(1, []) if KEY_ROW.match(ln)]
    t.eq(rows1, [b["key"] for b in blocking[1]], "--all: every blocking parcel of site 1, in order")
    t.check("more blocking" not in r.stdout, "--all: no 'more' line")

    # 3. slivers
    with tempfile.TemporaryDirectory() as tmp:
        ready = os.path.join(tmp, "ready.geojson")
        sliver_m2, key = ready_site_with_sliver(a.landcons, shp, reg, sites, "2019-05-01", ready)
        v = [a.landcons, "verify", shp, "--register", reg, "--site", ready, "--as-of", "2019-05-01", "-q"]
        r = lctest.run(v)
        t.eq(r.returncode, 0, f"sliver: ready, exit 0 ({r.stderr.strip()})")
        t.check("READY" in r.stdout and "NOT READY" not in r.stdout, "sliver: READY")
        flat = re.sub(r"\s+", " ", r.stdout)
        t.check(f"slivers: 1 untransferred parcel under the site by at most 1 m² ({sliver_m2:.2f} m² in all), "
                f"not blocking" in flat, f"sliver: counted separately ({flat[-200:]!r})")
        js = json.loads(lctest.run(v + ["--json"]).stdout)["sites"][0]
        t.eq((js["sliver_count"], js["blocking"]), (1, []), "sliver: JSON count, no blocking parcel")
        t.rel(js["sliver_m2"], sliver_m2, 1e-6, "sliver: JSON area = the square's overlap (OGR)")
        r = lctest.run(v + ["--min-overlap", "0.25", "--json"])
        t.eq(r.returncode, 1, "sliver at --min-overlap 0.25: not ready, exit 1")
        js = json.loads(r.stdout)["sites"][0]
        t.eq(([b["key"] for b in js["blocking"]], js["sliver_count"]), ([key], 0),
             "sliver at --min-overlap 0.25: the parcel blocks")
    t.done()


if __name__ == "__main__":
    main()
