#!/usr/bin/python3
"""landcons plan against the analysis itself and against PostGIS.

Every figure of `plan` is checked by doing what it predicts: the parcel (or
the route's parcels) is made transferred in a copy of the register, the
analysis is run again, and its largest block must be the predicted one, bit
for bit (plan and analyze sum the same parcel areas exactly).

Bridges. Running `analyze` once per untransferred parcel (1,589 on the
sample) would take minutes, so parcels are transferred in batches and each
one is read off the batch's own output database: in the batch, the block
holding parcel c is c plus the blocks c touches, unless another parcel of
the batch is in that block too. Then c's block (its parcel_m2 and the
original blocks in it) is exactly what transferring c alone makes, and the
largest block after c is the larger of that block and the largest original
block not in it. A parcel whose batch block holds another candidate and
some originally transferred parcel is tried again in a later batch apart
from that candidate. Batches are laid out from plan's own joins_blocks
(parcels that share a block go to different batches, parcels touching no
block together), which only decides how fast this goes, never the verdict.
The top few bridges are also checked alone, one analyze --json each.

The route. Each step's parcels are signed one day after the previous
step's (step k on as-of + k days) and one `progress` run gives the largest
block after every step (progress's largest block equals analyze's block 1,
bit for bit: test_progress_ref.py); a few steps are also checked with
analyze --json on the register with steps 1..k transferred. Each step's
households are recounted from the register's holders (the parcel's CBFMC
when it has no row), one per (village, holder).

PostGIS (sample only): for the top 10 bridges, ST_ClusterDBSCAN(eps := gap)
over the transferred parcels plus the candidate; the largest cluster's area
(ST_Area sums, and landcons's own parcel areas summed exactly) and the
blocks the candidate's cluster absorbs.

--quick (the sanitizer builds, where a run is several times slower): the
same checks on fewer candidates — a fixed draw of bridges instead of every
one, the first and last steps of each route by analyze — so that the code
paths are all run under the sanitizers without repeating them a hundred times.

Usage: test_plan_ref.py --landcons BIN --data-dir GIS_DATA [--quick]
       test_plan_ref.py --landcons BIN --generator gen_parcels.py [--parcels 30000] [--seed S] [--quick]"""
import argparse
import concurrent.futures
import csv
import datetime
import json
import math
import os
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lctest  # noqa: E402

MU = 15 / 10000
REL = 1e-12          # PostGIS's ST_Area sums vs landcons's exact sums
WORKERS = 2          # analyze runs side by side, one thread each


def mu(m2):
    return m2 * 15.0 / 10000.0


class Register:
    """The register CSV as rows; copies with some parcels signed on given days."""

    def __init__(self, path):
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        self.header, self.rows = rows[0], rows[1:]
        h = self.header
        self.k, self.s, self.d, self.h = h.index("地块编码"), h.index("流转状态"), h.index("签约日期"), h.index("承包方")
        self.holder = {}
        for r in self.rows:
            if r[self.h]:
                self.holder[r[self.k]] = r[self.h]

    @staticmethod
    def _date(text):
        m = re.match(r"\s*(\d{4})\D+(\d{1,2})\D+(\d{1,2})", text)
        return datetime.date(int(m[1]), int(m[2]), int(m[3])).isoformat() if m else None

    def write(self, path, signed, freeze=None):
        """signed: key -> ISO date; every row of the key becomes signed that
        day (a key without a row gets one). freeze: a date; parcels signed
        after it become pending, so that a later as-of date changes nothing
        else than `signed`."""
        late = set()
        if freeze:
            first = {}
            for r in self.rows:
                if r[self.s] == "已签约" and self._date(r[self.d]):
                    first[r[self.k]] = min(first.get(r[self.k], "9999"), self._date(r[self.d]))
            late = {k for k, d in first.items() if d > freeze}
        left = dict(signed)
        out = []
        for r in self.rows:
            day = signed.get(r[self.k])
            if day is not None:
                r = list(r)
                r[self.s], r[self.d] = "已签约", day
                left.pop(r[self.k], None)
            elif r[self.k] in late and r[self.s] == "已签约":
                r = list(r)
                r[self.s], r[self.d] = "未签约", ""
            out.append(r)
        for key, day in left.items():
            r = [""] * len(self.header)
            r[self.k], r[self.s], r[self.d] = key, "已签约", day
            out.append(r)
        with open(path, "w", encoding="utf-8-sig", newline="") as f:
            csv.writer(f, lineterminator="\r\n").writerows([self.header] + out)


class Layer:
    def __init__(self, a, shp, reg, tmp, gap, units=None):
        self.landcons, self.shp, self.reg, self.tmp, self.gap = a.landcons, shp, Register(reg), tmp, gap
        self.reg_path = reg
        self.units = units
        self.runs = 0
        self.seconds = 0.0
        from osgeo import ogr
        ds = ogr.Open(shp)
        lyr = ds.GetLayer(0)
        self.cbfmc = {}
        for f in lyr:
            self.cbfmc[f.GetField("DKBM")] = f.GetField("CBFMC")

    def _run(self, args):
        t0 = time.monotonic()
        r = subprocess.run([self.landcons] + args, capture_output=True, text=True)
        self.runs += 1
        self.seconds += time.monotonic() - t0
        if r.returncode != 0:
            raise SystemExit(f"landcons {' '.join(args[:1])} failed ({r.returncode}): {r.stderr[-500:]}")
        return r.stdout

    def common(self, as_of):
        x = ["--as-of", as_of, "--gap", repr(self.gap), "-q"]
        return x + (["--unit-names", self.units] if self.units else [])

    def plan(self, as_of, *extra):
        return json.loads(self._run(["plan", self.shp, "--register", self.reg_path, "--json", "--top", "0"]
                                    + self.common(as_of) + list(extra)))

    def analyze(self, as_of, signed, name, db=True):
        """analyze with `signed` transferred; returns (summary JSON, parcels, blocks) from its database."""
        reg = os.path.join(self.tmp, name + ".csv")
        out = os.path.join(self.tmp, name + ".sqlite")
        self.reg.write(reg, signed)
        j = json.loads(self._run(["analyze", self.shp, "--register", reg, "-o", out, "--overwrite", "--json",
                                  "--threads", "1"] + self.common(as_of)))
        con = sqlite3.connect(out)
        parcels = {fid: (key, status, block, m2) for fid, key, status, block, m2 in
                   con.execute("SELECT source_fid, key, status, block_id, planar_m2 FROM parcels")}
        blocks = dict(con.execute("SELECT block_id, parcel_m2 FROM blocks"))
        con.close()
        os.remove(out)
        os.remove(reg)
        return j, parcels, blocks

    def progress(self, as_of, signed, name, freeze):
        reg = os.path.join(self.tmp, name + ".csv")
        self.reg.write(reg, signed, freeze)
        j = json.loads(self._run(["progress", self.shp, "--register", reg, "--json"] + self.common(as_of)))
        os.remove(reg)
        return j

    def household(self, key):
        holder = self.reg.holder.get(key) or self.cbfmc.get(key)
        return (key[:12], holder) if holder else ("parcel", key)


def day_after(as_of, k):
    return (datetime.date.fromisoformat(as_of) + datetime.timedelta(days=k)).isoformat()


class Base:
    """The analysis as of the date, nothing changed."""

    def __init__(self, layer, as_of):
        self.j, self.parcels, self.blocks = layer.analyze(as_of, {}, f"base_{as_of}")
        self.fids = {}
        for fid, (key, *_rest) in self.parcels.items():
            self.fids.setdefault(key, []).append(fid)
        self.largest = self.blocks.get(1, 0.0)
        self.by_area = sorted(self.blocks.items(), key=lambda kv: -kv[1])

    def largest_without(self, absorbed):
        for b, m2 in self.by_area:
            if b not in absorbed:
                return m2
        return 0.0


def check_plan_summary(t, tag, plan, base):
    t.eq(plan["largest_mu"], mu(base.largest), f"{tag}: largest block today = analyze's block 1, bit for bit")
    t.eq(plan["block_count"], len(base.blocks), f"{tag}: block count")
    untransferred = sorted(k for k, s, _, _ in base.parcels.values() if s != "transferred")
    t.eq(sorted(b["key"] for b in plan["bridges"]), untransferred, f"{tag}: one bridge entry per untransferred parcel")
    order = [(-b["gain_mu"], -b["mu"], b["key"]) for b in plan["bridges"]]
    t.eq(order, sorted(order), f"{tag}: bridges ranked by gain, own mu, key")
    status = {k: s for k, s, _, _ in base.parcels.values()}
    t.eq([b["status"] for b in plan["bridges"]], [status[b["key"]] for b in plan["bridges"]], f"{tag}: statuses")


def check_bridges(t, tag, layer, as_of, base, bridges, pool):
    """Every bridge in `bridges` against analyze runs on batches (see above)."""
    pending = list(bridges)
    apart = {}                       # key -> keys it must not share a batch with
    checked = 0
    worst_gain = 0.0
    for rnd in range(12):
        if not pending:
            break
        batches = []                 # (blocks used, keys, zero-join batch?)
        for b in pending:
            joins, key = set(b["joins_blocks"]), b["key"]
            for used, keys, zero in batches:
                if zero == (not joins) and not (used & joins) and not (apart.get(key, set()) & set(keys)):
                    used |= joins
                    keys.append(key)
                    break
            else:
                batches.append((set(joins), [key], not joins))
        by_key = {b["key"]: b for b in pending}
        jobs = [pool.submit(layer.analyze, as_of, {k: as_of for k in keys}, f"batch_{as_of}_{rnd}_{n}")
                for n, (_, keys, _) in enumerate(batches)]
        pending = []
        for (_, keys, _), job in zip(batches, jobs):
            _, parcels, blocks = job.result()
            in_batch = set(keys)
            members = {}
            for fid, (key, _, block, _) in parcels.items():
                if block is not None:
                    members.setdefault(block, []).append(fid)
            for key in keys:
                b = by_key[key]
                fid = base.fids[key][0]
                block = parcels[fid][2]
                mine = members[block]
                others = {parcels[f][0] for f in mine} & in_batch - {key}
                originals = [f for f in mine if base.parcels[f][1] == "transferred"]
                if others and originals:
                    apart.setdefault(key, set()).update(others)
                    pending.append(b)
                    continue
                if originals:
                    merged = blocks[block]
                    absorbed = sorted({base.parcels[f][2] for f in originals})
                else:
                    merged = base.parcels[fid][3]
                    absorbed = []
                after = max(merged, base.largest_without(set(absorbed)))
                checked += 1
                t.eq(b["largest_mu_after"], mu(after), f"{tag}: {key} largest block after")
                t.eq(b["joins_blocks"], absorbed, f"{tag}: {key} joins blocks")
                t.rel(b["gain_mu"], mu(after - base.largest), 1e-12, f"{tag}: {key} gain", 1e-9)
                worst_gain = max(worst_gain, abs(b["gain_mu"] - mu(after - base.largest)))
                t.eq(b["mu"], mu(base.parcels[fid][3]), f"{tag}: {key} own mu")
        print(f"{tag}: round {rnd + 1}: {len(batches)} analyze batches, {len(pending)} to try again")
    t.eq(pending, [], f"{tag}: every bridge was checked")
    t.eq(checked, len(bridges), f"{tag}: bridges checked")
    return checked


def check_alone(t, tag, layer, as_of, bridges, pool):
    """The literal check: one parcel transferred, analyze --json's largest block."""
    jobs = [(b, pool.submit(layer.analyze, as_of, {b["key"]: as_of}, f"alone_{as_of}_{n}"))
            for n, b in enumerate(bridges)]
    for b, job in jobs:
        j = job.result()[0]
        t.eq(b["largest_mu_after"], j["largest_block"]["parcel_mu"], f"{tag}: {b['key']} alone: analyze --json")


def check_route(t, tag, layer, as_of, base, plan, pool, literal_steps):
    route = plan["route"]
    status = {k: s for k, s, _, _ in base.parcels.values()}
    own = {k: m2 for k, _, _, m2 in base.parcels.values()}
    seen, households, cum = set(), set(), []
    for k, st in enumerate(route):
        keys = st["keys"]
        t.check(all(status.get(x) not in (None, "transferred") for x in keys), f"{tag}: step {k + 1} untransferred")
        t.check(not (seen & set(keys)), f"{tag}: step {k + 1} parcels not taken before")
        seen |= set(keys)
        t.eq(st["statuses"], [status[x] for x in keys], f"{tag}: step {k + 1} statuses")
        t.eq(st["last_resort"], any(status[x] in ("refused", "disputed") for x in keys),
             f"{tag}: step {k + 1} last resort flag")
        hh = {layer.household(x) for x in keys}
        households |= hh
        cum += [own[x] for x in keys]
        t.eq(st["households"], len(hh), f"{tag}: step {k + 1} households")
        t.eq(st["cumulative_households"], len(households), f"{tag}: step {k + 1} households so far")
        t.rel(st["mu"], mu(math.fsum(own[x] for x in keys)), 1e-12, f"{tag}: step {k + 1} mu")
        t.rel(st["cumulative_mu"], mu(math.fsum(cum)), 1e-12, f"{tag}: step {k + 1} mu so far")
        if plan.get("exclude_refused"):
            t.check(not st["last_resort"], f"{tag}: step {k + 1}: no refused parcel when excluded")
    if not route:
        return
    # every step by progress: step k signed on as-of + k
    signed = {x: day_after(as_of, k + 1) for k, st in enumerate(route) for x in st["keys"]}
    prog = layer.progress(day_after(as_of, len(route)), signed, f"route_{as_of}", as_of)
    days = {d["date"]: d["largest_block_mu"] for d in prog["days"]}
    t.eq(days.get(as_of), plan["largest_mu"], f"{tag}: progress on the as-of day = plan's largest today")
    for k, st in enumerate(route):
        t.eq(days.get(day_after(as_of, k + 1)), st["largest_mu_after"], f"{tag}: step {k + 1} largest after (progress)")
    # some steps by analyze --json on the register with steps 1..k transferred
    jobs = []
    for k in literal_steps:
        if 0 <= k < len(route):
            sig = {x: as_of for st in route[:k + 1] for x in st["keys"]}
            jobs.append((k, pool.submit(layer.analyze, as_of, sig, f"route_{as_of}_{k}")))
    for k, job in jobs:
        t.eq(job.result()[0]["largest_block"]["parcel_mu"], route[k]["largest_mu_after"],
             f"{tag}: step {k + 1} largest after (analyze --json)")
    last = route[-1]["largest_mu_after"]
    t.eq(plan["reached_mu"], last, f"{tag}: reached = the last step's largest block")
    t.eq(plan["target_reachable"], last >= plan["target_mu"], f"{tag}: target reachable iff the last step meets it")
    print(f"{tag}: route of {len(route)} steps ({plan['end']}), {route[-1]['cumulative_households']} households, "
          f"largest block {plan['largest_mu']:.2f} -> {last:.2f} mu; every step by progress, "
          f"{len(jobs)} by analyze")


def check_postgis(t, tag, pg, shp, reg_path, as_of, gap, base, bridges):
    from test_analyze_ref import load_sample
    if pg is None:
        return
    pg.execute("DROP TABLE IF EXISTS reg_rows, reg, st")
    load_sample(pg, shp, reg_path, as_of)
    if True:
        pg_m2 = dict(pg.query("SELECT fid, ST_Area(geom) FROM st"))
        for b in bridges:
            clusters = {}
            for fid, cid in pg.query(f"""SELECT fid, ST_ClusterDBSCAN(geom, eps := {gap!r}, minpoints := 1) OVER ()
                                         FROM st WHERE status = 'transferred' OR key = %s""", (b["key"],)):
                clusters.setdefault(cid, []).append(fid)
            largest = max(math.fsum(pg_m2[f] for f in fids) for fids in clusters.values())
            exact = max(math.fsum(base.parcels[f][3] for f in fids) for fids in clusters.values())
            t.rel(b["largest_mu_after"], mu(largest), REL, f"{tag}: {b['key']}: ST_ClusterDBSCAN largest cluster")
            t.eq(b["largest_mu_after"], mu(exact), f"{tag}: {b['key']}: the same clusters summed exactly")
            fid = base.fids[b["key"]][0]
            mine = next(fids for fids in clusters.values() if fid in fids)
            absorbed = sorted({base.parcels[f][2] for f in mine if f != fid})
            t.eq(b["joins_blocks"], absorbed, f"{tag}: {b['key']}: blocks in its PostGIS cluster")
        print(f"{tag}: top {len(bridges)} bridges match ST_ClusterDBSCAN")


def some_bridges(bridges, top, drawn, seed):
    """The `top` first bridges and `drawn` more drawn from the rest with `seed`."""
    rest = bridges[top:]
    return bridges[:top] + random.Random(seed).sample(rest, min(drawn, len(rest)))


def sample(a, t, pool, tmp):
    d = os.path.abspath(os.path.join(a.data_dir, "shuangcheng"))
    shp, reg, units = (os.path.join(d, n) for n in ("DK.shp", "DK_register.csv", "DK_units.csv"))
    layer = Layer(a, shp, reg, tmp, 10.0, units)
    from pgref import PostGIS
    if PostGIS.available():
        pg = PostGIS().start()
    else:
        pg = None
        print(f"SKIP the PostGIS part: {PostGIS.why_unavailable()}")
    try:
        sample_dates(t, pool, layer, pg, shp, reg, a.quick)
    finally:
        if pg is not None:
            pg.stop()
    sample_route(t, pool, layer, a.quick)
    return layer


def sample_dates(t, pool, layer, pg, shp, reg, quick):
    # 2019-05-01: the campaign's end; 2019-04-01: a month in, the blocks split
    for as_of in ("2019-05-01", "2019-04-01"):
        tag = f"sample {as_of}"
        base = Base(layer, as_of)
        plan = layer.plan(as_of, "--target-mu", "100000")
        check_plan_summary(t, tag, plan, base)
        bridges = some_bridges(plan["bridges"], 4, 4, 1) if quick else plan["bridges"]
        n = check_bridges(t, tag, layer, as_of, base, bridges, pool)
        check_alone(t, tag, layer, as_of, plan["bridges"][:1 if quick else 3], pool)
        print(f"{tag}: {base.j['block_count']} blocks, {n} bridges checked, "
              f"{sum(1 for b in plan['bridges'] if b['gain_mu'] > 0)} with a gain")
        check_postgis(t, tag, pg, shp, reg, as_of, layer.gap, base, plan["bridges"][:10])
        # the route to 100000 mu (out of reach: the whole connected land)
        check_route(t, f"{tag} route", layer, as_of, base, plan, pool, [0, len(plan["route"]) - 1])
        t.check(not plan["target_reachable"] and plan["end"] == "exhausted", f"{tag}: 100000 mu out of reach")
        t.eq(plan["reached_mu"], plan["reachable_mu"], f"{tag}: the route takes all connected land")


def sample_route(t, pool, layer, quick):
    """A month in, 4000 mu are reachable only through refused or disputed
    parcels: every step by analyze; then by area, and with them excluded."""
    as_of, target = "2019-04-01", 4000
    base = Base(layer, as_of)
    for extra, literal in (([], None), (["--cost", "mu"], [0, -1]), (["--exclude-refused"], [0, -1])):
        tag = f"sample {as_of} route to {target} mu {' '.join(extra)}".rstrip()
        plan = layer.plan(as_of, "--target-mu", str(target), *extra)
        n = len(plan["route"])
        if literal is None and quick:
            literal = [0, -1]
        check_route(t, tag, layer, as_of, base, plan, pool, range(n) if literal is None else [k % n for k in literal])
        t.eq(plan["target_reachable"], plan["reachable_mu"] >= target, f"{tag}: reachable iff its land reaches it")
        t.check(plan["reachable_mu"] <= plan["reachable_with_refused_mu"], f"{tag}: refused parcels add land")
        last = [k + 1 for k, s in enumerate(plan["route"]) if s["last_resort"]]
        multi = [k + 1 for k, s in enumerate(plan["route"]) if len(s["keys"]) > 1]
        print(f"{tag}: last-resort steps {last}, steps of 2-3 parcels {multi}")
        if extra != ["--exclude-refused"]:
            t.check(plan["target_reachable"] and last, f"{tag}: reachable, through refused or disputed parcels")
        else:
            t.check(not plan["target_reachable"] and plan["reachable_with_refused_mu"] >= target,
                    f"{tag}: out of reach without them ({plan['reachable_mu']:.2f} of "
                    f"{plan['reachable_with_refused_mu']:.2f} mu)")
            t.check(plan["refused_connectors"] > 0, f"{tag}: names the refused connectors left out")


def generated(a, t, pool, tmp):
    data = os.path.join(tmp, "gen")
    subprocess.run(["/usr/bin/python3", a.generator, "--parcels", str(a.parcels), "--out", data, "--name", "DK",
                    "--no-sites"], check=True, capture_output=True)
    layer = Layer(a, os.path.join(data, "DK.shp"), os.path.join(data, "DK_register.csv"), tmp, 10.0)
    as_of = "2019-03-20"   # three weeks into the campaign
    tag = f"{a.parcels} parcels {as_of}"
    base = Base(layer, as_of)
    plan = layer.plan(as_of, "--target-mu", "100000")
    check_plan_summary(t, tag, plan, base)
    seed = a.seed if a.seed is not None else int(time.time())
    some = 5 if a.quick else 50
    print(f"{tag}: {base.j['block_count']} blocks; {some} bridges drawn with seed {seed} (replay: --seed {seed})")
    check_bridges(t, tag, layer, as_of, base, some_bridges(plan["bridges"], some, some, seed), pool)
    check_alone(t, tag, layer, as_of, plan["bridges"][:1 if a.quick else 2], pool)
    n = len(plan["route"])
    check_route(t, f"{tag} route", layer, as_of, base, plan, pool, [0, n - 1] if a.quick else [0, n // 2, n - 1])
    return layer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--landcons", required=True)
    ap.add_argument("--data-dir", help="the committed samples: every bridge, routes, PostGIS")
    ap.add_argument("--generator", help="gen_parcels.py: a generated layer instead")
    ap.add_argument("--parcels", type=int, default=30000)
    ap.add_argument("--seed", type=int, help="seed of the random bridges (default: the clock, printed)")
    ap.add_argument("--quick", action="store_true", help="fewer candidates (the sanitizer builds)")
    a = ap.parse_args()
    if not a.data_dir and not a.generator:
        ap.error("--data-dir or --generator")
    t = lctest.Checker("plan vs analyze")
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp, concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        layer = sample(a, t, pool, tmp) if a.data_dir else generated(a, t, pool, tmp)
    print(f"{layer.runs} landcons runs, {layer.seconds:.1f} s of them; {time.monotonic() - t0:.1f} s in all")
    t.done()


if __name__ == "__main__":
    main()
