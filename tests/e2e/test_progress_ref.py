#!/usr/bin/python3
"""The progress series (SPEC §3 progress, §4 progress table) against a per-day
recomputation from scratch in PostGIS: for every day of the campaign, the
area signed that day, the cumulative transferred area, the cumulative area
per township and per village, and the largest block's parcel area by
ST_ClusterDBSCAN over the parcels transferred by that day. PostGIS's own
ST_Area sums agree to 1e-12; the same per-day blocks summed exactly
(math.fsum) over landcons's own parcel areas must equal the series bit for
bit: landcons sums areas exactly, whatever the grouping. Then a target
placed between two days' largest-block areas must be reported reached on
the later day. progress --by village and township: each unit's registered
and transferred area and the days it reached 50, 80 and 100 % of its
registered area, recomputed from PostGIS's statuses.
Usage: test_progress_ref.py --landcons BIN --data-dir GIS_DATA"""
import datetime
import json
import math
import os
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lctest  # noqa: E402
from pgref import PostGIS  # noqa: E402
from test_analyze_ref import load_sample  # noqa: E402

AS_OF = "2019-05-01"
GAP = 10.0
REL = 1e-12
MU = 15 / 10000


MILESTONES = (("50", 0.5), ("80", 0.8), ("100", 1.0))


def milestones(days, registered):
    """{share: first day the cumulative area reached share x registered},
    from [(day, parcel m2)] of the transferred parcels; exact sums."""
    out = {k: None for k, _ in MILESTONES}
    if registered <= 0:
        return out
    by_day = {}
    for day, m2 in days:
        by_day.setdefault(day, []).append(m2)
    done = []
    for day in sorted(by_day):
        done += by_day[day]
        cum = math.fsum(done)
        for k, share in MILESTONES:
            if out[k] is None and cum >= share * registered:
                out[k] = str(day)
    return out


def check_units(t, a, base, prog, pg, own_m2):
    """progress --by: each unit's registered and transferred area and the days
    it reached 50, 80 and 100 % of its registered area, recomputed from the
    statuses PostGIS gives every parcel (SPEC §1-§2 in SQL) and landcons's own
    parcel areas summed exactly; the overall shares and milestones too; the
    text table says what the JSON says."""
    st = pg.query("SELECT fid, key, status, signed_on FROM st")
    def expect(prefix):
        units = {}
        for fid, key, status, signed in st:
            u = units.setdefault(key[:prefix], {"reg": [], "tr": [], "days": []})
            if status != "unregistered":
                u["reg"].append(own_m2[fid])
            if status == "transferred":
                u["tr"].append(own_m2[fid])
                u["days"].append((signed, own_m2[fid]))
        return {c: (math.fsum(u["reg"]), math.fsum(u["tr"]), milestones(u["days"], math.fsum(u["reg"])))
                for c, u in units.items()}
    # the whole layer
    whole = expect(0)[""]
    # (the registered area is all parcels less the unregistered: a subtraction, to an ulp)
    t.rel(prog["transferred"]["registered_mu"], whole[0] * 15 / 10000, 1e-14, "overall: registered mu")
    t.rel(prog["transferred"]["share_of_registered"], whole[1] / whole[0], 1e-14, "overall: share of the registered area")
    t.rel(prog["transferred"]["share_of_all"], whole[1] / math.fsum(own_m2.values()), 1e-14,
          "overall: share of all parcels")
    t.eq(prog["reached"], whole[2], "overall: the days 50, 80 and 100 % of the registered area were reached")
    for by, prefix in (("village", 12), ("township", 9)):
        r = subprocess.run(base + ["--by", by], capture_output=True, text=True) if by == "township" else None
        j = json.loads(r.stdout) if r else prog
        ref = expect(prefix)
        got = {u["code"]: u for u in j["units"]}
        t.eq(sorted(got), sorted(ref), f"{by}: one row per unit, every unit")
        reached_any = 0
        for code, (reg, tr, ms) in ref.items():
            u = got.get(code, {})
            t.eq(u.get("registered_mu"), reg * 15 / 10000, f"{by} {code}: registered mu, exact")
            t.eq(u.get("transferred_mu"), tr * 15 / 10000, f"{by} {code}: transferred mu, exact")
            t.eq(u.get("reached"), ms, f"{by} {code}: days of 50, 80 and 100 %")
            reached_any += sum(1 for d in ms.values() if d)
        t.check(reached_any > 0, f"{by}: some unit reached a milestone ({reached_any})")
    # the text table: one row per village, the same days
    r = subprocess.run([x for x in base if x != "--json"] + ["--by", "village"], capture_output=True, text=True)
    rows = [ln.split() for ln in r.stdout.splitlines() if ln[:12].isdigit() and len(ln) > 12 and ln[12] == " "]
    t.eq({row[0]: row[-3:] for row in rows},
         {u["code"]: [u["reached"][k] or "-" for k, _ in MILESTONES] for u in prog["units"]},
         "text: one row per village with the days of the JSON")
    t.check("Day by day" not in r.stdout, "text: no day rows without --daily")
    r = subprocess.run([x for x in base if x != "--json"] + ["--by", "village", "--daily"], capture_output=True,
                       text=True)
    t.check("Day by day" in r.stdout and "Day by day, by village" in r.stdout, "text: --daily adds the series")


def main():
    a = lctest.arg_parser().parse_args()
    PostGIS.require()
    d = os.path.abspath(os.path.join(a.data_dir, "shuangcheng"))
    shp, reg, units = (os.path.join(d, n) for n in ("DK.shp", "DK_register.csv", "DK_units.csv"))
    t = lctest.Checker("progress vs PostGIS")
    base = [a.landcons, "progress", shp, "--register", reg, "--as-of", AS_OF, "--gap", repr(GAP),
            "--unit-names", units, "--json"]
    r = subprocess.run(base + ["--by", "village"], capture_output=True, text=True)
    t.eq(r.returncode, 0, f"progress runs ({r.stderr.strip()})")
    prog = json.loads(r.stdout)
    days = prog["days"]
    with tempfile.TemporaryDirectory() as tmp, PostGIS() as pg:
        db = os.path.join(tmp, "out.sqlite")
        r = subprocess.run([a.landcons, "analyze", shp, "--register", reg, "--as-of", AS_OF, "--gap", repr(GAP),
                            "--unit-names", units, "-o", db, "-q"], capture_output=True, text=True)
        t.eq(r.returncode, 0, f"analyze runs ({r.stderr.strip()})")
        load_sample(pg, shp, reg, AS_OF)
        pg.execute("""CREATE TABLE tr AS SELECT fid, key, geom, signed_on, ST_Area(geom) AS m2
                      FROM st WHERE status = 'transferred';
                      CREATE INDEX ON tr USING gist (geom); ANALYZE tr""")
        con = sqlite3.connect(db)
        own_m2 = dict(con.execute("SELECT source_fid, planar_m2 FROM parcels"))
        con.close()
        first, last = pg.query("SELECT min(signed_on), max(signed_on) FROM tr")[0]
        pg_m2 = dict(pg.query("SELECT fid, m2 FROM tr"))
        n_days = (last - first).days + 1
        t.eq(len(days), n_days, "one row per day from the first signing to the last")
        for k in range(n_days):
            day = first + datetime.timedelta(days=k)
            ds = day.isoformat()
            row = days[k] if k < len(days) else {}
            t.eq(row.get("date"), ds, f"day {k}: date")
            signed, cum = pg.query("SELECT coalesce(sum(m2) FILTER (WHERE signed_on = %s), 0), "
                                   "coalesce(sum(m2), 0) FROM tr WHERE signed_on <= %s", (day, day))[0]
            clusters = {}
            for fid, c in pg.query(f"""SELECT fid, ST_ClusterDBSCAN(geom, eps := {GAP!r}, minpoints := 1)
                                       OVER () FROM tr WHERE signed_on <= %s""", (day,)):
                clusters.setdefault(c, []).append(fid)
            largest = max((sum(pg_m2[f] for f in fids) for fids in clusters.values()), default=0.0)
            t.rel(row.get("signed_m2", -1), signed, REL, f"{ds}: signed that day", 1e-9)
            t.rel(row.get("cumulative_m2", -1), cum, REL, f"{ds}: cumulative")
            t.rel(row.get("largest_block_m2", -1), largest, REL, f"{ds}: largest block by ST_ClusterDBSCAN")
            # exact: the same blocks, landcons's own parcel areas, an exact sum
            exact_largest = max((math.fsum(own_m2[f] for f in fids) for fids in clusters.values()), default=0.0)
            exact_cum = math.fsum(own_m2[f] for fids in clusters.values() for f in fids)
            t.eq(row.get("largest_block_m2"), exact_largest, f"{ds}: largest block, exact")
            t.eq(row.get("cumulative_m2"), exact_cum, f"{ds}: cumulative, exact")
        # per village: cumulative on each signing day, and the unit's total (all parcels)
        ref = {(v, str(dd)): c for v, dd, c in pg.query("""
            SELECT substr(key, 1, 12), signed_on,
                   sum(sum(m2)) OVER (PARTITION BY substr(key, 1, 12) ORDER BY signed_on)
            FROM tr GROUP BY 1, 2""")}
        totals = dict(pg.query("SELECT substr(dkbm, 1, 12), sum(ST_Area(geom)) FROM dk GROUP BY 1"))
        got = {}
        for u in prog["units"]:
            t.rel(u["total_mu"], totals[u["code"]] * MU, REL, f"village {u['code']}: total")
            for dd in u["days"]:
                got[(u["code"], dd["date"])] = dd["cumulative_mu"] / MU
        t.eq(sorted(got), sorted(ref), "village x signing-day rows")
        for key, c in ref.items():
            if key in got:
                t.rel(got[key], c, 1e-9, f"village {key}: cumulative")
        check_units(t, a, base, prog, pg, own_m2)
        # the database's progress table says the same
        con = sqlite3.connect(db)
        rows = con.execute("SELECT date, cumulative_m2, largest_block_m2 FROM progress "
                           "WHERE unit_kind = 'all' ORDER BY date").fetchall()
        n_town = con.execute("SELECT count(*) FROM progress WHERE unit_kind = 'township'").fetchone()[0]
        con.close()
        t.eq([(x["date"], x["cumulative_m2"], x["largest_block_m2"]) for x in days], rows,
             "progress table equals the progress command")
        t.check(n_town > 0, "township rows present")
        con = sqlite3.connect(db)
        block1 = con.execute("SELECT parcel_m2 FROM blocks WHERE block_id = 1").fetchone()[0]
        con.close()
        t.eq(days[-1]["largest_block_m2"], block1, "the last day's largest block is block 1, bit for bit")
        # a target between two days' largest-block areas is reached on the later day
        grow = [k for k in range(1, len(days)) if days[k]["largest_block_m2"] > days[k - 1]["largest_block_m2"]]
        k = grow[len(grow) // 2]
        target_mu = (days[k - 1]["largest_block_m2"] + days[k]["largest_block_m2"]) / 2 * MU
        r = subprocess.run(base + ["--target-mu", repr(target_mu)], capture_output=True, text=True)
        t.eq(json.loads(r.stdout)["target_reached_on"], days[k]["date"],
             f"target {target_mu:.2f} mu reached on the day the largest block passed it")
        r = subprocess.run(base + ["--target-mu", repr(days[-1]["largest_block_m2"] * MU * 1.01)],
                           capture_output=True, text=True)
        t.eq(json.loads(r.stdout)["target_reached_on"], None, "a target above the final block: not reached")
        print(f"{n_days} days from {first} to {last}; target case: {days[k]['date']}")
    t.done()


if __name__ == "__main__":
    main()
