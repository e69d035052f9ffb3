#!/usr/bin/python3
"""Honest defaults: no target is reported unless --target-mu asks for one
(analyze, progress, plan: text and JSON); with one, analyze says whether the
largest block (from its database) meets it. The transferred share is given
of the registered area and of all parcels, both named, with the figures the
database's parcels layer sums to (math.fsum).

usage: test_defaults.py --landcons BIN --data-dir GIS_DATA"""
import json
import math
import os
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lctest  # noqa: E402


def run(args):
    r = subprocess.run(args, capture_output=True, text=True)
    return r.returncode, r.stdout, r.stderr


def main():
    a = lctest.arg_parser().parse_args()
    t = lctest.Checker("defaults")
    d = os.path.abspath(os.path.join(a.data_dir, "shuangcheng"))
    shp, reg = os.path.join(d, "DK.shp"), os.path.join(d, "DK_register.csv")
    common = ["--register", reg, "--as-of", "2019-05-01", "-q"]
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "out.sqlite")
        analyze = [a.landcons, "analyze", shp, *common, "-o", db, "--overwrite"]
        code, out, err = run(analyze + ["--json"])
        t.eq(code, 0, f"analyze ({err.strip()})")
        j = json.loads(out)
        t.eq(j["target"], None, "analyze --json: no target unless asked for")
        code, out, _ = run(analyze)
        t.check("Target:" not in out, "analyze: no Target line unless asked for")
        con = sqlite3.connect(db)
        keys = {k for (k,) in con.execute("SELECT name FROM summary")}
        t.eq(sorted(keys & {"target_mu", "target_met", "target_reached_on"}), [],
             "analyze: the database's summary holds no target unless asked for")
        largest = con.execute("SELECT parcel_m2 FROM blocks WHERE block_id = 1").fetchone()[0] * 15 / 10000
        by_status = {}
        for status, m2 in con.execute("SELECT status, planar_m2 FROM parcels"):
            by_status.setdefault(status, []).append(m2)
        by_status = {s: math.fsum(v) for s, v in by_status.items()}
        con.close()
        total = math.fsum(by_status.values())
        registered = total - by_status.get("unregistered", 0.0)
        tr = by_status.get("transferred", 0.0)
        line = next((ln for ln in out.splitlines() if ln.startswith("Transferred:")), "")
        t.eq(line, f"Transferred: {tr * 15 / 10000:.2f} mu, {100 * tr / registered:.1f} % of the registered area "
                   f"({registered * 15 / 10000:.2f} mu) and {100 * tr / total:.1f} % of all parcels "
                   f"({total * 15 / 10000:.2f} mu)", "analyze: the transferred share of both, named")
        t.rel(j["transferred"]["share_of_registered"], tr / registered, 1e-12, "JSON share of the registered area")
        t.rel(j["transferred"]["share_of_all"], tr / total, 1e-12, "JSON share of all parcels")
        for target in (largest - 1, largest + 1):
            code, out, _ = run(analyze + ["--target-mu", repr(target), "--json"])
            j = json.loads(out)
            t.eq(j["target"], {"mu": target, "met": largest >= target},
                 f"analyze --target-mu {target:.2f}: reported, met iff block 1 ({largest:.2f} mu) reaches it")
            con = sqlite3.connect(db)
            rows = dict(con.execute("SELECT name, value FROM summary WHERE name LIKE 'target%'"))
            con.close()
            t.rel(float(rows.get("target_mu", "nan")), target, 1e-15, f"analyze --target-mu {target:.2f}: in the summary")
            t.eq(rows.get("target_met"), str(int(largest >= target)),
                 f"analyze --target-mu {target:.2f}: the summary says whether block 1 ({largest:.2f} mu) meets it")
            code, out, _ = run(analyze + ["--target-mu", repr(target)])
            want = "— met" if largest >= target else "— not met"
            t.check(any(ln.startswith("Target:") and want in ln for ln in out.splitlines()),
                    f"analyze --target-mu {target:.2f}: the Target line says {want!r}")

        progress = [a.landcons, "progress", shp, *common]
        j = json.loads(run(progress + ["--json"])[1])
        t.eq((j["target_mu"], j["target_reached_on"]), (None, None), "progress --json: no target unless asked for")
        t.check("Target:" not in run(progress)[1], "progress: no Target line unless asked for")
        j = json.loads(run(progress + ["--json", "--target-mu", "2000"])[1])
        t.check(j["target_mu"] == 2000 and j["target_reached_on"], "progress --target-mu 2000: reported, reached")
        t.check("Target:" in run(progress + ["--target-mu", "2000"])[1], "progress --target-mu: a Target line")

        plan = [a.landcons, "plan", shp, *common, "--top", "3"]
        j = json.loads(run(plan + ["--json"])[1])
        t.eq((j["target_mu"], j["end"], j["route"]), (None, None, []), "plan --json: no target, no route")
        out = run(plan)[1]
        t.check("Give --target-mu N" in out and "Route to" not in out, "plan: how to get a route, no route")
        j = json.loads(run(plan + ["--json", "--target-mu", "4000"])[1])
        t.check(j["target_mu"] == 4000 and j["route"], "plan --target-mu 4000: a route")
    t.done()


if __name__ == "__main__":
    main()
