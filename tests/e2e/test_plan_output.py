#!/usr/bin/python3
"""analyze writes the plan: its bridges layer and route table equal
`landcons plan --json --top 0` of the same inputs, row for row and bit for
bit, and their figures hold against independent computations.

For each run (the sample as of 2019-05-01 with no target, so no route; as
of 2019-04-01 with a 4,000 mu target the route reaches through refused
parcels; a generated layer with --generator and a 100,000 mu target, out of
reach):

- bridges: rank = the plan's order; key, holder, village, village name,
  status, mu, gain_mu, largest_mu_after (==), joins_blocks ("3,17", NULL for
  none) and join_count; route_step = the step whose keys hold the parcel;
  parcel_fid names the parcel of that key;
- route: a row per step: keys, holders ("、", an unknown holder named), parcel
  and household counts, mu, cumulative figures, the grown block, the
  largest block after, blocks joined, last resort, target reached
  (largest after >= target) and the mu still missing;
- from the database alone (SpatiaLite SQL, no landcons figure): the blocks
  within the gap of every bridge (ST_Distance over the spatial index) are
  its joins_blocks, so the plan numbers blocks as the blocks layer does;
  and its largest_mu_after is the larger of block 1 and the parcel plus
  those blocks, summed from the parcels' planar_m2 (math.fsum, correctly
  rounded like landcons's exact sums), bit for bit;
- a few bridges (the top three, one from the middle, the last one with a
  gain) by running analyze again with that parcel transferred
  (test_plan_ref's helpers): analyze's largest block equals the layer's
  largest_mu_after.

usage: test_plan_output.py --landcons BIN --data-dir GIS_DATA
       test_plan_output.py --landcons BIN --generator gen_parcels.py [--parcels N]"""
import argparse
import concurrent.futures
import json
import math
import os
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lctest  # noqa: E402
from test_plan_ref import Layer, check_alone, mu  # noqa: E402

GAP = 10.0
UNKNOWN_HOLDER = "(无承包方)"


def connect(path):
    con = sqlite3.connect(path)
    con.enable_load_extension(True)
    con.load_extension("mod_spatialite")
    return con


def ids(text):
    return [int(x) for x in text.split(",")] if text else []


def check_bridges(t, tag, con, plan):
    rows = con.execute("SELECT rank, key, village, village_name, holder, status, mu, gain_mu, largest_mu_after, "
                       "join_count, joins_blocks, route_step, parcel_fid FROM bridges ORDER BY rank").fetchall()
    want = plan["bridges"]
    t.eq(len(rows), len(want), f"{tag}: bridges rows")
    step_of = {k: s + 1 for s, st in enumerate(plan["route"]) for k in st["keys"]}
    key_of_fid = dict(con.execute("SELECT fid, key FROM parcels"))
    bad = []
    for n, (row, b) in enumerate(zip(rows, want)):
        rank, key, village, vname, holder, status, m, gain, after, n_joins, joins, step, pfid = row
        got = (rank, key, village, vname, holder, status, m, gain, after, n_joins, ids(joins), step,
               key_of_fid.get(pfid))
        exp = (n + 1, b["key"], b["village"], b["village_name"], b["holder"], b["status"], b["mu"], b["gain_mu"],
               b["largest_mu_after"], len(b["joins_blocks"]), b["joins_blocks"], step_of.get(b["key"]), b["key"])
        if got != exp or (joins is None) != (not b["joins_blocks"]):
            bad.append((n + 1, got, exp))
    t.check(not bad, f"{tag}: {len(bad)} bridges differ from plan --json, first: {bad[:2]}")
    return rows


def check_route(t, tag, con, plan):
    rows = con.execute("SELECT step, keys, holders, parcel_count, households, cumulative_households, mu, "
                       "cumulative_mu, grown_mu, largest_mu_after, joins_blocks, last_resort, target_reached, "
                       "missing_mu FROM route ORDER BY step").fetchall()
    want = plan["route"]
    t.eq(len(rows), len(want), f"{tag}: route rows")
    target = plan["target_mu"]
    bad = []
    for n, (row, s) in enumerate(zip(rows, want)):
        reached = s["largest_mu_after"] >= target
        exp = (n + 1, ",".join(s["keys"]), "、".join(h or UNKNOWN_HOLDER for h in s["holders"]), len(s["keys"]),
               s["households"], s["cumulative_households"], s["mu"], s["cumulative_mu"], s["grown_mu"],
               s["largest_mu_after"], s["joins_blocks"], int(s["last_resort"]), int(reached),
               0.0 if reached else target - s["largest_mu_after"])
        got = row[:10] + (ids(row[10]),) + row[11:]
        if got != exp:
            bad.append((n + 1, got, exp))
    t.check(not bad, f"{tag}: {len(bad)} route steps differ from plan --json, first: {bad[:2]}")
    if want:
        last = rows[-1]
        t.eq(bool(last[12]), plan["target_reachable"], f"{tag}: the last step reaches the target iff plan says so")
        t.eq(sum(r[12] for r in rows), int(plan["target_reachable"]), f"{tag}: only the last step reaches it")
        if not plan["target_reachable"]:
            t.eq(last[13], plan["missing_mu"], f"{tag}: missing mu after the last step")


def check_from_database(t, tag, con, gap):
    """joins_blocks and largest_mu_after from the parcels and blocks layers
    alone: SpatiaLite's ST_Distance within the gap, fsum of planar_m2."""
    near = {}
    for rank, block in con.execute(f"""
            SELECT b.rank, p.block_id FROM bridges b JOIN parcels p
              ON p.block_id IS NOT NULL
             AND p.ROWID IN (SELECT ROWID FROM SpatialIndex WHERE f_table_name = 'parcels'
                             AND search_frame = BuildMbr(MbrMinX(b.geom) - {gap!r}, MbrMinY(b.geom) - {gap!r},
                                                         MbrMaxX(b.geom) + {gap!r}, MbrMaxY(b.geom) + {gap!r}))
             AND ST_Distance(b.geom, p.geom) <= {gap!r}"""):
        near.setdefault(rank, set()).add(block)
    members = {}
    for block, m2 in con.execute("SELECT block_id, planar_m2 FROM parcels WHERE block_id IS NOT NULL"):
        members.setdefault(block, []).append(m2)
    own = dict(con.execute("SELECT fid, planar_m2 FROM parcels"))
    largest = math.fsum(members.get(1, []))
    if members:
        t.eq(mu(largest), con.execute("SELECT parcel_mu FROM blocks WHERE block_id = 1").fetchone()[0],
             f"{tag}: block 1 from its parcels")
    bad_joins, bad_after, worst_gain = [], [], 0.0
    rows = con.execute("SELECT rank, joins_blocks, parcel_fid, largest_mu_after, gain_mu FROM bridges").fetchall()
    for rank, joins, pfid, after, gain in rows:
        blocks = sorted(near.get(rank, ()))
        if ids(joins) != blocks:
            bad_joins.append((rank, joins, blocks))
        merged = math.fsum([own[pfid]] + [m2 for b in blocks for m2 in members[b]])
        want = mu(max(merged, largest))
        if after != want:
            bad_after.append((rank, after, want))
        worst_gain = max(worst_gain, abs(gain - (want - mu(largest))))
    t.check(not bad_joins, f"{tag}: {len(bad_joins)} bridges whose joins_blocks are not the blocks within "
            f"{gap} m (ST_Distance), first: {bad_joins[:3]}")
    t.check(not bad_after, f"{tag}: {len(bad_after)} bridges whose largest_mu_after is not the parcel plus "
            f"those blocks (fsum), first: {bad_after[:3]}")
    t.check(worst_gain <= 1e-9, f"{tag}: gain_mu off the recomputed gain by {worst_gain:.3g} mu")
    print(f"{tag}: {len(rows)} bridges, {sum(1 for r in rows if r[1])} joining blocks: joins_blocks = "
          f"SpatiaLite's blocks within {gap} m, largest after = fsum of the parcels (bit for bit), "
          f"gain within {worst_gain:.2g} mu")


def one_run(t, a, tmp, pool, tag, shp, reg, as_of, units, extra):
    common = ["--as-of", as_of, "--gap", repr(GAP), "-q"] + (["--unit-names", units] if units else []) + extra
    db = os.path.join(tmp, f"{tag.replace(' ', '_')}.sqlite")
    r = lctest.run([a.landcons, "analyze", shp, "--register", reg, "-o", db, *common])
    if not t.eq(r.returncode, 0, f"{tag}: analyze ({r.stderr.strip()[-300:]})"):
        return
    r = lctest.run([a.landcons, "plan", shp, "--register", reg, "--json", "--top", "0", *common])
    if not t.eq(r.returncode, 0, f"{tag}: plan ({r.stderr.strip()[-300:]})"):
        return
    plan = json.loads(r.stdout)
    con = connect(db)
    rows = check_bridges(t, tag, con, plan)
    check_route(t, tag, con, plan)
    check_from_database(t, tag, con, GAP)
    con.close()
    print(f"{tag}: bridges ({len(rows)}) and route ({len(plan['route'])} steps, {plan['end']}) equal plan --json")
    # a few bridges by analyze with the parcel transferred
    layer = Layer(a, shp, reg, tmp, GAP, units)
    with_gain = [r for r in rows if r[7] > 0]
    picks = sorted({0, 1, 2, len(rows) // 2, len(with_gain) - 1} - {-1})
    chosen = [{"key": rows[k][1], "largest_mu_after": rows[k][8]} for k in picks if k < len(rows)]
    check_alone(t, tag, layer, as_of, chosen, pool)
    print(f"{tag}: bridges ranked {[k + 1 for k in picks]} checked by analyze with the parcel transferred")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--landcons", required=True)
    ap.add_argument("--data-dir")
    ap.add_argument("--generator")
    ap.add_argument("--parcels", type=int, default=8000)
    a = ap.parse_args()
    if not a.data_dir and not a.generator:
        ap.error("--data-dir or --generator")
    t = lctest.Checker("plan in analyze's output")
    with tempfile.TemporaryDirectory() as tmp, concurrent.futures.ThreadPoolExecutor(2) as pool:
        if a.data_dir:
            d = os.path.abspath(os.path.join(a.data_dir, "shuangcheng"))
            shp, reg, units = (os.path.join(d, n) for n in ("DK.shp", "DK_register.csv", "DK_units.csv"))
            one_run(t, a, tmp, pool, "sample 2019-05-01", shp, reg, "2019-05-01", units, [])
            one_run(t, a, tmp, pool, "sample 2019-04-01 to 4000 mu", shp, reg, "2019-04-01", units,
                    ["--target-mu", "4000"])
        else:
            data = os.path.join(tmp, "gen")
            subprocess.run(["/usr/bin/python3", a.generator, "--parcels", str(a.parcels), "--out", data,
                            "--name", "DK", "--no-sites", "--canal-every", "8-14"], check=True, capture_output=True)
            one_run(t, a, tmp, pool, f"{a.parcels} parcels 2019-03-20", os.path.join(data, "DK.shp"),
                    os.path.join(data, "DK_register.csv"), "2019-03-20", None, ["--target-mu", "100000"])
    t.done()


if __name__ == "__main__":
    main()
