#!/usr/bin/python3
"""Same input, same output: analyze runs produce identical layer contents
(every row of every table, geometries byte for byte) and the same JSON
summary — run twice with the default threads, once single-threaded and once
with four threads (more than the cores: work interleaves differently).
Usage: test_deterministic.py --landcons BIN --data-dir GIS_DATA"""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lctest  # noqa: E402

TABLES = ["parcels", "blocks", "enclaves", "qa_issues", "qa_overlaps", "sites", "site_overlaps",
          "constraint_overlaps", "progress", "bridges", "route", "summary", "layer_styles"]


def contents(db):
    con = sqlite3.connect(db)
    out = {}
    for t in TABLES:
        cols = [r[1] for r in con.execute(f"PRAGMA table_info({t})")]
        rows = con.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
        out[t] = (cols, rows)
    con.close()
    return out


def main():
    a = lctest.arg_parser().parse_args()
    t = lctest.Checker("deterministic output")
    d = os.path.join(a.data_dir, "shuangcheng")
    with tempfile.TemporaryDirectory() as tmp:
        runs = []
        sites = os.path.join(d, "DK_sites.geojson")
        for k, threads in enumerate((None, None, "1", "4")):
            out = os.path.join(tmp, f"run{k}.sqlite")
            args = [a.landcons, "analyze", os.path.join(d, "DK.shp"), "--register",
                    os.path.join(d, "DK_register.csv"), "--site", sites, "--constraint", sites,
                    "-o", out, "--as-of", "2019-05-01", "--target-mu", "100000", "--json"]
            if threads:
                args += ["--threads", threads]
            r = subprocess.run(args, capture_output=True, text=True)
            t.eq(r.returncode, 0, f"run {k}: {r.stderr}")
            runs.append((contents(out), json.loads(r.stdout), threads or "default"))
        c0, j0, _ = runs[0]
        j0["inputs"]["output"] = None
        for tab in TABLES:
            if tab != "qa_overlaps":  # the clean sample has no overlapping parcels
                t.check(len(c0[tab][1]) > 0, f"{tab}: has rows")
        for c1, j1, threads in runs[1:]:
            for tab in TABLES:
                t.eq(c0[tab][0], c1[tab][0], f"{tab}: columns")
                t.check(c0[tab][1] == c1[tab][1], f"{tab}: rows differ (threads {threads} vs default)")
            j1["inputs"]["output"] = None
            t.eq(j0, j1, f"JSON summary (threads {threads})")
    t.done()


if __name__ == "__main__":
    main()
