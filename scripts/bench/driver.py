#!/usr/bin/python3
"""landcons benchmark driver (run by scripts/bench.sh; see docs/BENCHMARKS.md).

The same `landcons analyze` job on the same data, done three ways, plus the
I/O floor, alternating the tools run by run:
  landcons    build-bench/landcons analyze ... --site ... --gap G -q -v --json
  spatialite  ogr2ogr (parcels, register, sites) into a SpatiaLite file, then
              scripts/bench/spatialite_job.sql through the spatialite CLI
  postgis     ogr2ogr (parcels, register, sites) into PostGIS 15, then
              scripts/bench/postgis_job.sql through psql
  floor       a plain ogr2ogr copy of the parcels into a SpatiaLite file
on each shape of input (SHAPES): generated strips with two small sites or
with a site around the whole campaign, a generated shared-edge mosaic, and
the French cadastral mosaic. Then the results are compared (partition,
areas, enclaves, site overlaps, each site's area under no parcel, the QA
overlaps) and markdown tables are printed and appended to docs/BENCHMARKS.md.

Measures per run: wall time (monotonic clock around the whole job, loads
included), CPU (user+sys of the client processes and their children from
/usr/bin/time; for PostGIS plus the server's CPU: the growth of the
postmaster's cutime+cstime, which collects every backend that exited, plus
the growth of utime+stime of its live children), peak RSS (/usr/bin/time %M;
for PostGIS also each job backend's VmHWM read by the backend itself from
/proc/self/status at the end of its session)."""
import argparse
import datetime
import json
import math
import os
import platform
import re
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
from pgref import PostGIS, _clean_env  # noqa: E402

TOOLS = ("landcons", "spatialite", "postgis", "floor")
PEERS = ("landcons", "spatialite", "postgis")   # the tools that do the job (compared)
SHAPES = ("strips", "project", "mosaic", "fr")
SHAPE_DESC = {
    "strips": "strips, two small sites",
    "project": "strips, whole-project site",
    "mosaic": "mosaic, one giant block",
    "fr": "French cadastre (GeoJSON, EPSG:4326)",
}
# Areas under no parcel are compared relative to themselves, but at least to
# this share of the site's area: they are site - covered, and near 0 the
# difference is rounding of the site's own size (2e-8 m² on a 6.7 ha site
# that parcels cover wholly: 0 in PostGIS, 2e-8 m² in landcons).
NO_PARCEL_FLOOR = 1e-3
TICK = os.sysconf("SC_CLK_TCK")
PARCEL_REL = 1e-9      # block parcel area: sums of the same parcel areas
FOOTPRINT_REL = 1e-6   # block footprint area: buffers/unions by different code paths
GAP_REL = 1e-3         # a gap enclave's area: a small hole, its arcs' chords placed apart
APPNAME = "landcons-bench"
PG_TABLES = ("dk", "reg_raw", "reg_rows", "reg", "st", "cl", "clsum", "fp", "fpoly", "pos", "encl",
             "holes", "gap_encl", "parcels_out", "enclaves", "blocks", "site", "site_ov", "site_overlaps",
             "site_np", "qa_ov", "bench_backend")


class Timeout(Exception):
    pass


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# ------------------------------------------------------------------ running
def run_timed(cmd, timeout, env=None, stdin=None, stdout=None, cwd=None):
    """Runs cmd under /usr/bin/time; returns wall (monotonic), user, sys, maxrss_kb, rc."""
    tfile = os.path.join(WORK, ".time")
    full = ["/usr/bin/time", "-f", "%U %S %M", "-o", tfile] + cmd
    out = open(stdout, "w") if stdout else subprocess.DEVNULL
    inp = open(stdin, "rb") if stdin else subprocess.DEVNULL
    errf = open(os.path.join(WORK, ".stderr"), "w+")
    t0 = time.monotonic()
    p = subprocess.Popen(full, stdin=inp, stdout=out, stderr=errf, env=env, cwd=cwd,
                         start_new_session=True)
    # a blocking wait, the timeout kept by a timer: Popen.wait(timeout=...)
    # polls with sleeps of up to 50 ms, which would add 0-50 ms to every wall
    expired = threading.Event()

    def kill():
        expired.set()
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:   # it ended meanwhile
            pass
    timer = threading.Timer(timeout, kill)
    timer.start()
    try:
        rc = p.wait()
    finally:
        timer.cancel()
        for f in (out, inp):
            if hasattr(f, "close"):
                f.close()
    wall = time.monotonic() - t0
    if expired.is_set():
        raise Timeout(" ".join(cmd[:2]))
    errf.seek(0)
    err = errf.read()
    errf.close()
    with open(tfile) as f:
        last = [ln for ln in f.read().splitlines() if ln.strip()][-1].split()
    u, s, m = float(last[0]), float(last[1]), int(last[2])
    if rc != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({rc}):\n{err[-3000:]}")
    return {"wall": wall, "user": u, "sys": s, "rss_kb": m, "stderr": err}


def steps_from(path):
    """'step|NAME|epoch' lines -> {NAME: seconds until the next mark}."""
    marks = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for ln in f:
            parts = ln.strip().split("|")
            if len(parts) == 3 and parts[0] == "step":
                marks.append((parts[1], float(parts[2])))
    return {a[0]: b[1] - a[1] for a, b in zip(marks, marks[1:])}


def landcons_phases(stderr, layer):
    """-v lines 'landcons: PHASE   1.234 s' -> {PHASE: seconds}; the parcel
    layer's read is named 'read parcels', the site layers' reads are left out
    (they are inside 'read sites and constraints')."""
    out = {}
    for ln in stderr.splitlines():
        m = re.match(r"landcons: (.+?)\s+([0-9.]+) s$", ln)
        if not m:
            continue
        name = m.group(1).strip()
        if name.startswith("read layer "):
            if name != "read layer " + layer[:40]:
                continue
            name = "read parcels"
        out[name] = out.get(name, 0.0) + float(m.group(2))
    return out


def run_landcons(job):
    out = os.path.join(job["dir"], "landcons.sqlite")
    js = os.path.join(job["dir"], "landcons.json")
    cmd = [LANDCONS, "analyze", job["shp"], "--register", job["reg"], "--site", job["sites"], "-o", out,
           "--overwrite", "--as-of", AS_OF, "--gap", fmt_gap(job["gap"]), "-q", "-v", "--json"]
    if job["key"] != "dkbm":
        cmd += ["--key", job["key"]]
    r = run_timed(cmd, job["timeout"], stdout=js)
    return {"wall": r["wall"], "cpu": r["user"] + r["sys"], "rss_kb": r["rss_kb"],
            "phases": landcons_phases(r["stderr"], job["layer"]), "detail": {}}


def run_floor(job):
    """The I/O floor: the parcels copied as they are into a SpatiaLite file."""
    db = os.path.join(job["dir"], "floor.sqlite")
    if os.path.exists(db):
        os.remove(db)
    r = run_timed(["ogr2ogr", "-f", "SQLite", "-dsco", "SPATIALITE=YES", db, job["shp"], "-nln", "dk",
                   "-nlt", "PROMOTE_TO_MULTI", "-lco", "GEOMETRY_NAME=geom", "-lco", "FID=fid",
                   "-preserve_fid"], job["timeout"])
    return {"wall": r["wall"], "cpu": r["user"] + r["sys"], "rss_kb": r["rss_kb"], "phases": {}, "detail": {}}


def spatialite_sql(job):
    gap = job["gap"]
    with open(os.path.join(HERE, "spatialite_job.sql"), encoding="utf-8") as f:
        sql = f.read()
    attrs = job["attrs"]
    subst = {"@GAP@": repr(float(gap)), "@HALF@": repr(gap / 2), "@AS_OF@": AS_OF,
             "@SRID@": str(job["srid"]), "@GEO_SRID@": str(job["geo_srid"]), "@KEY@": job["key"],
             "@HOLDER@": job["holder"] or "NULL",
             "@ATTR_DEFS@": ", ".join(f"{n} {t}" for n, t in attrs),
             "@ATTR_COLS@": ", ".join(n for n, _ in attrs),
             "@ATTR_SEL@": ", ".join(f"d.{n}" for n, _ in attrs)}
    for k, v in subst.items():
        sql = sql.replace(k, v)
    return sql


def t_srs(job):
    return ["-t_srs", job["t_srs"]] if job["t_srs"] else []


def run_spatialite(job):
    db = os.path.join(job["dir"], "spatialite.sqlite")
    sqlfile = os.path.join(job["dir"], "spatialite_job.sql")
    for p in (db, db + "-journal"):
        if os.path.exists(p):
            os.remove(p)
    with open(sqlfile, "w", encoding="utf-8") as f:
        f.write(spatialite_sql(job))
    deadline = time.monotonic() + job["timeout"]
    steps = [
        ("load parcels", ["ogr2ogr", "-f", "SQLite", "-dsco", "SPATIALITE=YES", db, job["shp"],
                          "-nln", "dk", "-nlt", "PROMOTE_TO_MULTI", "-lco", "GEOMETRY_NAME=geom",
                          "-lco", "FID=fid", "-preserve_fid"] + t_srs(job), None),
        ("load register", ["ogr2ogr", "-update", db, job["reg"], "-nln", "reg_raw"], None),
        ("load sites", ["ogr2ogr", "-update", db, job["sites"], "-nln", "site", "-nlt", "PROMOTE_TO_MULTI",
                        "-lco", "GEOMETRY_NAME=geom", "-lco", "FID=fid", "-preserve_fid"] + t_srs(job), None),
        ("sql", ["spatialite", "-bail", db], sqlfile),
    ]
    res = {"wall": 0.0, "cpu": 0.0, "rss_kb": 0, "phases": {}, "detail": {}}
    outfile = os.path.join(job["dir"], "spatialite.out")
    for name, cmd, stdin in steps:
        r = run_timed(cmd, max(1.0, deadline - time.monotonic()), stdin=stdin,
                      stdout=outfile if name == "sql" else None)
        if name == "sql" and re.search(r"^Error", r["stderr"], re.M):
            raise RuntimeError("spatialite: " + r["stderr"][-3000:])
        res["wall"] += r["wall"]
        res["cpu"] += r["user"] + r["sys"]
        res["rss_kb"] = max(res["rss_kb"], r["rss_kb"])
        if name != "sql":
            res["phases"][name] = r["wall"]
    res["phases"].update(steps_from(outfile))
    return res


def proc_stat(pid):
    with open(f"/proc/{pid}/stat") as f:
        s = f.read()
    fields = s[s.rindex(")") + 2:].split()
    # fields[0] is field 3 (state); utime=14, stime=15, cutime=16, cstime=17
    return [int(fields[i - 3]) for i in (14, 15, 16, 17)], int(fields[1])


def server_ticks(pm):
    """CPU ticks of the whole cluster so far: postmaster's own + reaped children
    (cutime/cstime) + live children."""
    (u, s, cu, cs), _ = proc_stat(pm)
    total = u + s + cu + cs
    kids = set()
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            (ku, ks, _, _), ppid = proc_stat(int(d))
        except (OSError, ValueError, IndexError):
            continue
        if ppid == pm:
            total += ku + ks
            kids.add(int(d))
    return total, kids


def pg_env(pg):
    env = _clean_env()
    env["PGAPPNAME"] = APPNAME
    return env


def run_postgis(job):
    pg = job["pg"]
    pm = job["pm"]
    # untimed: an empty database as a running server would have it
    pg.execute("DROP TABLE IF EXISTS " + ", ".join(PG_TABLES) + " CASCADE")
    pg.execute("CREATE TABLE bench_backend (step text, stat text, status text)")
    pg.execute("CHECKPOINT")
    base_ticks, base_kids = server_ticks(pm)
    closing = ("CLOSING_STATEMENTS=INSERT INTO bench_backend SELECT '{}', "
               "pg_read_file('/proc/self/stat'), pg_read_file('/proc/self/status')")
    dsn = pg.ogr_dsn
    psql = [pg._bin("psql"), "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-h", pg.sockdir,
            "-p", str(pg.port), "-U", "postgres", "-d", "ref",
            "-v", f"gap={fmt_gap(job['gap'])}", "-v", f"half={job['gap'] / 2!r}",
            "-v", f"as_of={AS_OF}", "-v", f"key={job['key']}", "-v", f"holder={job['holder'] or 'NULL::text'}",
            "-v", f"geo_srid={job['geo_srid']}", "-v", "attrs=" + ", ".join(f"d.{n}" for n, _ in job["attrs"]),
            "-f", os.path.join(HERE, "postgis_job.sql")]
    steps = [
        ("load parcels", ["ogr2ogr", "-update", "-f", "PostgreSQL", dsn, job["shp"], "-nln", "dk",
                          "-overwrite", "-nlt", "PROMOTE_TO_MULTI", "-lco", "GEOMETRY_NAME=geom",
                          "-lco", "FID=fid", "-lco", "PRECISION=NO", "-preserve_fid",
                          "-doo", closing.format("load parcels")] + t_srs(job)),
        ("load register", ["ogr2ogr", "-update", "-f", "PostgreSQL", dsn, job["reg"], "-nln",
                           "reg_raw", "-overwrite", "-doo", closing.format("load register")]),
        ("load sites", ["ogr2ogr", "-update", "-f", "PostgreSQL", dsn, job["sites"], "-nln", "site",
                        "-overwrite", "-nlt", "PROMOTE_TO_MULTI", "-lco", "GEOMETRY_NAME=geom",
                        "-lco", "FID=fid", "-preserve_fid", "-doo", closing.format("load sites")] + t_srs(job)),
        ("sql", psql),
    ]
    res = {"wall": 0.0, "cpu": 0.0, "rss_kb": 0, "phases": {}, "detail": {}}
    outfile = os.path.join(job["dir"], "postgis.out")
    deadline = time.monotonic() + job["timeout"]
    client_cpu = 0.0
    client_rss = 0
    try:
        for name, cmd in steps:
            r = run_timed(cmd, max(1.0, deadline - time.monotonic()), env=pg_env(pg),
                          stdout=outfile if name == "sql" else None, cwd=pg.root)
            res["wall"] += r["wall"]
            client_cpu += r["user"] + r["sys"]
            client_rss = max(client_rss, r["rss_kb"])
            if name != "sql":
                res["phases"][name] = r["wall"]
    except Timeout:
        pg.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                   "WHERE application_name = %s", (APPNAME,))
        raise
    res["phases"].update(steps_from(outfile))
    # the job's backends have exited; wait until the postmaster has reaped them
    for _ in range(200):
        ticks, kids = server_ticks(pm)
        if kids <= base_kids:
            break
        time.sleep(0.05)
    server_cpu = (ticks - base_ticks) / TICK
    backends = {}
    for step, stat, status in pg.query("SELECT step, stat, status FROM bench_backend"):
        f = stat[stat.rindex(")") + 2:].split()
        hwm = re.search(r"VmHWM:\s*(\d+)", status)
        backends[step] = {"cpu": (int(f[11]) + int(f[12])) / TICK,
                          "hwm_kb": int(hwm.group(1)) if hwm else 0}
    backend_hwm = max((b["hwm_kb"] for b in backends.values()), default=0)
    res["cpu"] = client_cpu + server_cpu
    res["rss_kb"] = max(client_rss, backend_hwm)
    res["detail"] = {"client_cpu": client_cpu, "server_cpu": server_cpu,
                     "client_rss_kb": client_rss, "backend_hwm_kb": backend_hwm,
                     "backends": backends}
    return res


RUNNERS = {"landcons": run_landcons, "spatialite": run_spatialite, "postgis": run_postgis, "floor": run_floor}


# ------------------------------------------------------------------ results
def read_sqlite(db, parcels_table, landcons):
    con = sqlite3.connect(db)
    r = read_rows(lambda q: con.execute(q).fetchall(), parcels_table, landcons)
    con.close()
    return r


def read_rows(q, parcels_table, landcons=False):
    res = {"status": {}, "block_of": {}, "encl_of": {}, "planar": {}, "ell": {}}
    for fid, status, block, encl, planar, ell in q(
            f"SELECT source_fid, status, block_id, enclave_of, planar_m2, ellipsoidal_m2 "
            f"FROM {parcels_table}"):
        res["status"][fid] = status
        res["planar"][fid] = planar
        res["ell"][fid] = ell
        if block is not None:
            res["block_of"][fid] = block
        if encl is not None:
            res["encl_of"][fid] = encl
    res["blocks"] = {b: (n, pm2, fm2, fell) for b, n, pm2, fm2, fell in q(
        "SELECT block_id, parcel_count, parcel_m2, footprint_m2, footprint_ellipsoidal_mu FROM blocks")}
    res["encl_keys"] = sorted(k for (k,) in q("SELECT key FROM enclaves WHERE kind = 'parcel'"))
    res["gaps"] = sorted(q("SELECT block_id, area_m2 FROM enclaves WHERE kind = 'gap'"))
    res["site_overlaps"] = {(sid, key): m2 for sid, key, m2 in q(
        "SELECT site_id, key, overlap_m2 FROM site_overlaps")}
    if landcons:
        res["no_parcel"] = {sid: (mu * 10000 / 15, area) for sid, mu, area in q(
            "SELECT site_id, no_parcel_mu, area_m2 FROM sites")}
        qa = "SELECT fid_a, fid_b, overlap_m2 FROM qa_overlaps"
    else:
        res["no_parcel"] = {sid: (m2, area) for sid, m2, area in q("SELECT site_id, no_parcel_m2, area_m2 FROM site_np")}
        qa = "SELECT fid_a, fid_b, m2 FROM qa_ov"
    res["qa_overlaps"] = {frozenset((a, b)): m2 for a, b, m2 in q(qa)}
    return res


def read_results(tool, job):
    if tool == "landcons":
        return read_sqlite(os.path.join(job["dir"], "landcons.sqlite"), "parcels", True)
    if tool == "spatialite":
        return read_sqlite(os.path.join(job["dir"], "spatialite.sqlite"), "parcels_out", False)
    return read_rows(job["pg"].query, "parcels_out")


def partition(r):
    blocks = {}
    for fid, b in r["block_of"].items():
        blocks.setdefault(b, set()).add(fid)
    return {b: frozenset(m) for b, m in blocks.items()}


def rel(a, b):
    if a == b:
        return 0.0
    return abs(a - b) / max(abs(a), abs(b), 1e-300)


def compare(a, b, an, bn):
    """Differences between two tools' results -> (problems, info)."""
    probs, info = [], []
    ds = [f for f in a["status"] if a["status"][f] != b["status"].get(f)]
    if ds or len(a["status"]) != len(b["status"]):
        probs.append(f"status differs for {len(ds)} parcels (e.g. FID {ds[:5]}); "
                     f"parcels {len(a['status'])} vs {len(b['status'])}")
    wp = max((rel(a["planar"][f], b["planar"].get(f, math.nan)) for f in a["planar"]), default=0)
    info.append(f"worst parcel planar area rel diff {wp:.1e}")
    if not wp <= PARCEL_REL:
        probs.append(f"parcel planar areas differ (worst rel {wp:.2e})")
    we = max((rel(a["ell"][f], b["ell"].get(f, math.nan)) for f in a["ell"]), default=0)
    info.append(f"worst parcel ellipsoidal area rel diff {we:.1e}")
    pa, pb = partition(a), partition(b)
    sa, sb = set(pa.values()), set(pb.values())
    if sa != sb:
        only_a, only_b = sa - sb, sb - sa
        probs.append(f"block partition differs: {len(pa)} vs {len(pb)} blocks; "
                     f"{len(only_a)} blocks only in {an}, {len(only_b)} only in {bn}")
        for name, only in ((an, only_a), (bn, only_b)):
            for m in sorted(only, key=len, reverse=True)[:4]:
                probs.append(f"  only in {name}: block of {len(m)} parcels, FIDs {sorted(m)[:8]}")
    else:
        misnum = [ba for ba, m in pa.items() if pb.get(ba) != m]
        if misnum:
            probs.append(f"same partition, different block numbering for {len(misnum)} blocks "
                         f"(e.g. block ids {sorted(misnum)[:5]})")
    inv_b = {m: blk for blk, m in pb.items()}
    worst_p = worst_f = worst_fe = 0.0
    bad_p, bad_f = [], []
    for blk, m in pa.items():
        ob = inv_b.get(m)
        if ob is None or blk not in a["blocks"] or ob not in b["blocks"]:
            continue
        n1, p1, f1, e1 = a["blocks"][blk]
        n2, p2, f2, e2 = b["blocks"][ob]
        if n1 != n2:
            bad_p.append((blk, "count", n1, n2))
        rp, rf = rel(p1, p2), rel(f1, f2)
        worst_p, worst_f = max(worst_p, rp), max(worst_f, rf)
        if e1 is not None and e2 is not None:
            worst_fe = max(worst_fe, rel(e1, e2))
        if not rp <= PARCEL_REL:
            bad_p.append((blk, "parcel_m2", p1, p2))
        if not rf <= FOOTPRINT_REL:
            bad_f.append((blk, "footprint_m2", f1, f2, rf))
    info.append(f"worst block parcel area rel diff {worst_p:.1e}, footprint {worst_f:.1e}, "
                f"footprint ellipsoidal {worst_fe:.1e}")
    if bad_p:
        probs.append(f"{len(bad_p)} blocks with different parcel count/area, e.g. {bad_p[:4]}")
    if bad_f:
        probs.append(f"{len(bad_f)} blocks with footprint area differing > {FOOTPRINT_REL:g}, "
                     f"e.g. (block, what, {an}, {bn}, rel) {bad_f[:4]}")
    if a["encl_keys"] != b["encl_keys"]:
        ka, kb = set(a["encl_keys"]), set(b["encl_keys"])
        probs.append(f"enclave keys differ: {len(ka)} vs {len(kb)}; only in {an}: "
                     f"{sorted(ka - kb)[:6]}, only in {bn}: {sorted(kb - ka)[:6]}")
    else:
        # same enclaves, same blocks (through the partition)
        map_ab = {blk: inv_b.get(m) for blk, m in pa.items()}
        wrong = [f for f, blk in a["encl_of"].items() if map_ab.get(blk) != b["encl_of"].get(f)]
        if wrong:
            probs.append(f"{len(wrong)} enclaves assigned to different blocks, e.g. FIDs {wrong[:6]}")
    if len(a["gaps"]) != len(b["gaps"]):
        probs.append(f"gap enclaves: {len(a['gaps'])} vs {len(b['gaps'])}")
    else:
        # block by block (through the partition), smallest to largest
        map_ab = {blk: inv_b.get(m) for blk, m in pa.items()}
        by_a, by_b = {}, {}
        for blk, m2 in a["gaps"]:
            by_a.setdefault(map_ab.get(blk), []).append(m2)
        for blk, m2 in b["gaps"]:
            by_b.setdefault(blk, []).append(m2)
        wg, worst_pair = 0.0, None
        for blk, areas in by_a.items():
            other = sorted(by_b.get(blk, []))
            if len(other) != len(areas):
                probs.append(f"gap enclaves of block {blk}: {len(areas)} vs {len(other)}")
                continue
            for x, y in zip(sorted(areas), other):
                if rel(x, y) > wg:
                    wg, worst_pair = rel(x, y), (x, y)
        info.append(f"{len(a['gaps'])} gap enclaves, worst area rel diff {wg:.1e}"
                    + (f" ({worst_pair[0]:.4f} vs {worst_pair[1]:.4f} m²)" if worst_pair else ""))
        if not wg <= GAP_REL:
            probs.append(f"gap enclave areas differ (worst rel {wg:.2e}: {worst_pair[0]:.4f} vs "
                         f"{worst_pair[1]:.4f} m²)")
    oa, ob = a["site_overlaps"], b["site_overlaps"]
    if set(oa) != set(ob):
        probs.append(f"site overlaps: {len(oa)} vs {len(ob)} (site, parcel) pairs; only in {an}: "
                     f"{sorted(set(oa) - set(ob))[:4]}, only in {bn}: {sorted(set(ob) - set(oa))[:4]}")
    else:
        wo = max((abs(oa[k] - ob[k]) / max(abs(oa[k]), 1.0) for k in oa), default=0)
        info.append(f"{len(oa)} site overlaps, worst area diff {wo:.1e} (relative, 1 m² floor)")
        if not wo <= PARCEL_REL:
            probs.append(f"site overlap areas differ (worst {wo:.2e})")
    na, nb = a["no_parcel"], b["no_parcel"]
    if set(na) != set(nb):
        probs.append(f"sites with an area under no parcel: {sorted(na)} vs {sorted(nb)}")
    else:
        wn = max((abs(na[k][0] - nb[k][0]) / max(abs(na[k][0]), abs(nb[k][0]), NO_PARCEL_FLOOR * na[k][1])
                  for k in na), default=0)
        info.append(f"area under no parcel of {len(na)} site(s), worst diff {wn:.1e} (relative, floor 1e-3 of "
                    f"the site's area)")
        if not wn <= PARCEL_REL:
            probs.append(f"areas under no parcel differ (worst {wn:.2e}): {an} {na}, {bn} {nb}")
    qa, qb = a["qa_overlaps"], b["qa_overlaps"]
    if set(qa) != set(qb):
        probs.append(f"QA overlaps: {len(qa)} vs {len(qb)} pairs; only in {an}: "
                     f"{[sorted(x) for x in list(set(qa) - set(qb))[:4]]}, only in {bn}: "
                     f"{[sorted(x) for x in list(set(qb) - set(qa))[:4]]}")
    else:
        wq = max((rel(qa[k], qb[k]) for k in qa), default=0)
        info.append(f"{len(qa)} QA overlaps, worst area rel diff {wq:.1e}")
        if not wq <= PARCEL_REL:
            probs.append(f"QA overlap areas differ (worst {wq:.2e})")
    return probs, info


# ------------------------------------------------------------------ reporting
def fmt_gap(g):
    return f"{g:g}"


def med(xs):
    return statistics.median(xs) if xs else None


def machine_info(pg):
    info = {}
    info["nproc"] = os.cpu_count()
    cpu = ""
    with open("/proc/cpuinfo") as f:
        for ln in f:
            if ln.startswith("model name"):
                cpu = ln.split(":", 1)[1].strip()
                break
    info["cpu"] = cpu
    with open("/proc/meminfo") as f:
        kb = int(f.readline().split()[1])
    info["ram"] = f"{kb / 1024 / 1024:.1f} GiB"
    info["kernel"] = platform.release()

    def cmd(c):
        try:
            return subprocess.run(c, capture_output=True, text=True, timeout=60).stdout.strip()
        except Exception:
            return "?"
    info["landcons"] = cmd([LANDCONS, "--version"])
    info["landcons_commit"] = cmd(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"])
    dirty = subprocess.run(["git", "-C", ROOT, "diff", "--quiet", "HEAD", "--", "src", "cli",
                            "include", "CMakeLists.txt"]).returncode
    if dirty:
        info["landcons_commit"] += " + uncommitted changes"
    info["gdal"] = cmd(["gdal-config", "--version"]) or cmd(["ogrinfo", "--version"])
    row = cmd(["spatialite", ":memory:",
               "SELECT spatialite_version(), sqlite_version(), geos_version(), proj_version();"])
    row = [x for x in row.splitlines() if "|" in x]
    if row:
        sv, sq, geos, proj = row[-1].split("|")
        info.update(spatialite=sv, sqlite=sq, geos=geos, proj=proj)
    if pg is not None:
        info["postgresql"] = pg.query("SHOW server_version")[0][0]
        info["postgis"] = pg.query("SELECT postgis_full_version()")[0][0]
    return info


def cell_stats(r):
    """(wall, cpu, rss MiB) medians of a row, or None when it timed out / did not run."""
    if r is None or r.get("timeout") or not r["runs"]:
        return None
    return (med([x["wall"] for x in r["runs"]]), med([x["cpu"] for x in r["runs"]]),
            med([x["rss_kb"] for x in r["runs"]]) / 1024)


def md_table(rows, cases):
    """One row per shape (and size and gap): wall times, the ratios to landcons and to the floor."""
    lines = ["| shape | parcels | gap | landcons s | PostGIS s (÷ landcons) | SpatiaLite s (÷ landcons) | "
             "I/O floor s | landcons ÷ floor | results |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for c in cases:
        key = c["key"]
        st = {t: cell_stats(rows.get(key + (t,))) for t in TOOLS}
        lc = st["landcons"]

        def w(t):
            r = rows.get(key + (t,))
            if r is None:
                return "–"
            if st[t] is None:
                return f"> {TIMEOUT:g}"
            if t in ("postgis", "spatialite") and lc:
                # two decimals: a target of 4x is met or not at 3.96x
                return f"{st[t][0]:.2f} ({st[t][0] / lc[0]:.2f}×)"
            return f"{st[t][0]:.3f}" if t == "landcons" else f"{st[t][0]:.2f}"
        fl = st["floor"]
        ratio = f"{lc[0] / fl[0]:.2f}" if lc and fl else "–"
        lines.append(f"| {SHAPE_DESC[c['shape']]} | {c['n']:,} | {c['gap']:g} m | {w('landcons')} | "
                     f"{w('postgis')} | {w('spatialite')} | {w('floor')} | {ratio} | {MATCHES.get(key, '')} |")
    return "\n".join(lines)


def md_cpu_mem(rows, cases):
    lines = ["| shape | parcels | gap | landcons CPU s / MiB | PostGIS CPU s (client + server) / MiB (backend, client) "
             "| SpatiaLite CPU s / MiB | floor CPU s / MiB |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for c in cases:
        key = c["key"]
        cells = []
        for t in ("landcons", "postgis", "spatialite", "floor"):
            r = rows.get(key + (t,))
            stt = cell_stats(r)
            if stt is None:
                cells.append("–")
            elif t == "postgis":
                cc = med([x["detail"]["client_cpu"] for x in r["runs"]])
                sc = med([x["detail"]["server_cpu"] for x in r["runs"]])
                bh = med([x["detail"]["backend_hwm_kb"] for x in r["runs"]]) / 1024
                ch = med([x["detail"]["client_rss_kb"] for x in r["runs"]]) / 1024
                cells.append(f"{stt[1]:.2f} ({cc:.2f} + {sc:.2f}) / {bh:.0f}, {ch:.0f}")
            else:
                cells.append(f"{stt[1]:.2f} / {stt[2]:.0f}")
        lines.append(f"| {SHAPE_DESC[c['shape']]} | {c['n']:,} | {c['gap']:g} m | " + " | ".join(cells) + " |")
    return "\n".join(lines)


# The columns of landcons's phase table: the -v phases summed into each
# ("blocks (adjacency)" is the name older builds gave adjacency and blocks).
LANDCONS_COLUMNS = [
    ("read parcels", ["read parcels"]),
    ("register", ["read register", "register keys against parcel keys"]),
    ("sites read", ["read sites and constraints"]),
    ("status", ["status as of date"]),
    ("checks", ["quality checks", "points on surface"]),
    ("adjacency", ["adjacency", "blocks (adjacency)"]),
    ("progress", ["progress by day", "progress by day (alongside)"]),
    ("blocks", ["blocks"]),
    ("plan", ["plan: bridges and route"]),
    ("output opened", ["output opened"]),
    ("footprints", ["footprints"]),
    ("enclaves", ["enclaves"]),
    ("write", ["write database", "totals by unit"]),
    ("(read register)", ["read register (alongside)"]),
    ("(overlap search)", ["overlap search (alongside)"]),
    ("(site overlaps)", ["site overlaps (alongside)", "site overlaps"]),
    ("(write parcels)", ["write parcels (alongside)", "write parcels, plan (alongside)",
                         "write parcels, plan, sites (alongside)"]),
]


def md_landcons_phases(rows, cases):
    lines = ["| shape | parcels | gap | wall | " + " | ".join(c for c, _ in LANDCONS_COLUMNS) + " |",
             "|---|---:|---:|---:|" + "---:|" * len(LANDCONS_COLUMNS)]
    for c in cases:
        r = rows.get(c["key"] + ("landcons",))
        if cell_stats(r) is None:
            continue
        cells = [f"{med([sum(x['phases'].get(ph, 0.0) for ph in names) for x in r['runs']]):.2f}"
                 for _, names in LANDCONS_COLUMNS]
        lines.append(f"| {SHAPE_DESC[c['shape']]} | {c['n']:,} | {c['gap']:g} m | "
                     f"{cell_stats(r)[0]:.2f} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def md_phases(rows, cases):
    order = ["load parcels", "load register", "load sites", "prepare", "qa overlaps", "register+status", "clusters",
             "footprints", "enclaves", "site overlaps", "site no-parcel", "write"]
    lines = ["| shape | parcels | gap | tool | " + " | ".join(order) + " |",
             "|---|---:|---:|---|" + "---:|" * len(order)]
    for c in cases:
        for tool in ("spatialite", "postgis"):
            r = rows.get(c["key"] + (tool,))
            if cell_stats(r) is None:
                continue
            cells = [f"{med([x['phases'].get(ph, 0.0) for x in r['runs']]):.2f}" for ph in order]
            lines.append(f"| {SHAPE_DESC[c['shape']]} | {c['n']:,} | {c['gap']:g} m | {tool} | "
                         + " | ".join(cells) + " |")
    return "\n".join(lines)


# ------------------------------------------------------------------ inputs
def layer_attrs(path):
    """(name, SQL type) of the layer's fields as ogr2ogr writes them (laundered: lower case)."""
    from osgeo import ogr
    ds = ogr.Open(path)
    lyr = ds.GetLayer(0)
    d = lyr.GetLayerDefn()
    out = []
    for i in range(d.GetFieldCount()):
        f = d.GetFieldDefn(i)
        t = {ogr.OFTInteger: "INTEGER", ogr.OFTInteger64: "INTEGER", ogr.OFTReal: "REAL"}.get(f.GetType(), "TEXT")
        out.append((f.GetName().lower().replace(" ", "_").replace("-", "_"), t))
    return out, lyr.GetName(), lyr.GetFeatureCount()


def shape_inputs(shape, n, data_root, fr_path):
    """The files and parameters of one shape at one size; None when its data is missing."""
    if shape == "fr":
        d = os.path.join(data_root, "fr-91216")
        if not fr_path or not os.path.exists(fr_path) or not os.path.exists(os.path.join(d, "fr_register.csv")):
            return None
        attrs, layer, count = layer_attrs(fr_path)
        return {"shp": fr_path, "reg": os.path.join(d, "fr_register.csv"),
                "sites": os.path.join(d, "fr_sites.geojson"), "key": "id", "holder": None,
                "t_srs": "EPSG:32631", "srid": 32631, "geo_srid": 4326, "attrs": attrs, "layer": layer,
                "n": count, "tag": "fr"}
    d = os.path.join(data_root, f"mosaic-{n}" if shape == "mosaic" else str(n))
    shp = os.path.join(d, "DK.shp")
    if not os.path.exists(shp):
        return None
    attrs, layer, count = layer_attrs(shp)
    return {"shp": shp, "reg": os.path.join(d, "DK_register.csv"),
            "sites": os.path.join(d, "DK_project_site.geojson" if shape == "project" else "DK_sites.geojson"),
            "key": "dkbm", "holder": "p.cbfmc", "t_srs": None, "srid": 4530, "geo_srid": 4490, "attrs": attrs,
            "layer": layer, "n": count, "tag": f"{shape}-{n}"}


# ------------------------------------------------------------------ main
def main():
    global WORK, LANDCONS, AS_OF, TIMEOUT, MATCHES
    ap = argparse.ArgumentParser()
    ap.add_argument("--landcons", required=True)
    ap.add_argument("--data-root", required=True)
    ap.add_argument("--shapes", default=",".join(SHAPES))
    ap.add_argument("--sizes", default="30000,300000")
    ap.add_argument("--gaps", default="3,12")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--reps-large", type=int, default=1, help="repetitions at sizes >= 100000")
    ap.add_argument("--timeout", type=float, default=1800)
    ap.add_argument("--as-of", default="2019-05-01")
    ap.add_argument("--tools", default=",".join(TOOLS))
    ap.add_argument("--fr", help="the French cadastre GeoJSON (shape fr; skipped when absent)")
    ap.add_argument("--md", help="append the results to this markdown file")
    ap.add_argument("--command", default="", help="the command line, for the report")
    a = ap.parse_args()
    LANDCONS, AS_OF, TIMEOUT = os.path.abspath(a.landcons), a.as_of, a.timeout
    sizes = [int(x) for x in a.sizes.split(",") if x]
    gaps = [float(x) for x in a.gaps.split(",") if x]
    tools = [t for t in TOOLS if t in a.tools.split(",")]
    shapes = [s for s in SHAPES if s in a.shapes.split(",")]
    WORK = os.path.join(a.data_root, "runs")
    os.makedirs(WORK, exist_ok=True)
    MATCHES = {}
    rows = {}
    mismatch = False
    details = []
    cases = []
    skipped = []
    for shape in shapes:
        for n in ([None] if shape == "fr" else sizes):
            inp = shape_inputs(shape, n, a.data_root, a.fr)
            if inp is None:
                skipped.append(shape if n is None else f"{shape} {n:,}")
                continue
            for g in gaps:
                cases.append({"shape": shape, "n": inp["n"], "size": n, "gap": g, "inp": inp,
                              "key": (shape, inp["n"], g)})
    if skipped:
        log("bench: no data for " + ", ".join(skipped) + " (skipped)")

    pg = None
    pg_start = None
    pm = None
    if "postgis" in tools:
        if not PostGIS.available():
            sys.exit("bench: PostGIS unavailable: " + PostGIS.why_unavailable())
        t0 = time.monotonic()
        pg = PostGIS().start()
        pg_start = time.monotonic() - t0
        with open(os.path.join(pg.datadir, "postmaster.pid")) as f:
            pm = int(f.readline())
        log(f"PostGIS cluster up in {pg_start:.2f} s ({pg.timings}) - not counted in job times")
    try:
        info = machine_info(pg)
        for c in cases:
            inp, g, key = c["inp"], c["gap"], c["key"]
            reps = a.reps if c["n"] < 100000 else a.reps_large
            d = os.path.join(WORK, f"{inp['tag']}_gap{g:g}")
            os.makedirs(d, exist_ok=True)
            job = dict(inp, gap=g, dir=d, timeout=a.timeout, pg=pg, pm=pm)
            for t in tools:
                rows[key + (t,)] = {"runs": [], "timeout": False}
            for rep in range(reps):
                for t in tools:
                    row = rows[key + (t,)]
                    if row["timeout"]:
                        continue
                    try:
                        r = RUNNERS[t](job)
                    except Timeout:
                        row["timeout"] = True
                        log(f"{c['shape']} {c['n']} gap {g:g} {t} run {rep + 1}: > timeout ({a.timeout:g} s)")
                        continue
                    row["runs"].append(r)
                    ph = ", ".join(f"{k} {v:.2f}" for k, v in r["phases"].items())
                    log(f"{c['shape']} {c['n']} gap {g:g} {t} run {rep + 1}: wall {r['wall']:.2f} s, "
                        f"CPU {r['cpu']:.2f} s, RSS {r['rss_kb'] / 1024:.0f} MiB" + (f" [{ph}]" if ph else ""))
            # compare the last results of each tool that does the job
            res = {t: read_results(t, job) for t in tools
                   if t in PEERS and rows[key + (t,)]["runs"] and not rows[key + (t,)]["timeout"]}
            peers = [t for t in tools if t in PEERS]
            tag = f"{SHAPE_DESC[c['shape']]}, {c['n']} parcels, gap {g:g} m"
            bad = False
            lines = []
            names = list(res)
            for i in range(len(names)):
                for j in range(i + 1, len(names)):
                    probs, inf = compare(res[names[i]], res[names[j]], names[i], names[j])
                    lines.append(f"  {names[i]} vs {names[j]}: " + "; ".join(inf))
                    for p in probs:
                        lines.append(f"  {names[i]} vs {names[j]}: MISMATCH {p}")
                    bad |= bool(probs)
            nb = {t: len(partition(r)) for t, r in res.items()}
            big = {t: max((len(m) for m in partition(r).values()), default=0) for t, r in res.items()}
            ne = {t: len(r["encl_keys"]) for t, r in res.items()}
            ng = {t: len(r["gaps"]) for t, r in res.items()}
            nq = {t: len(r["qa_overlaps"]) for t, r in res.items()}
            head = (f"{'MISMATCH' if bad else 'MATCH'} {tag}: blocks {nb}, largest {big}, parcel enclaves {ne}, "
                    f"gap enclaves {ng}, QA overlaps {nq}"
                    + ("" if len(res) == len(peers) else f" (compared: {', '.join(res)})"))
            print(head)
            print("\n".join(lines), flush=True)
            details.append(head + "\n" + "\n".join(lines))
            MATCHES[key] = ("MISMATCH" if bad else "MATCH") + \
                ("" if len(res) == len(peers) else f" ({'/'.join(res)})")
            mismatch |= bad
        tables = [("Wall time, medians (÷: the peer's wall time over landcons's; the I/O floor is a plain "
                   "`ogr2ogr` copy of the same parcels into SpatiaLite):", md_table(rows, cases)),
                  ("CPU time and peak memory (medians):", md_cpu_mem(rows, cases)),
                  ("Phases of landcons (`-v`, seconds, medians; the last four run alongside the others: the "
                   "register read beside the parcels', the overlap search from the start, the site overlaps "
                   "and the parcels' writing beside the footprints):",
                   md_landcons_phases(rows, cases)),
                  ("Phases of the peers (seconds, medians; the SQL phases are marked inside the scripts):",
                   md_phases(rows, cases))]
        for title, tb in tables:
            print()
            print(title)
            print(tb)
        raw = {"|".join(str(x) for x in k): v for k, v in rows.items()}
        with open(os.path.join(WORK, "results.json"), "w") as f:
            json.dump({"info": info, "rows": raw, "matches": {"|".join(str(x) for x in k): v
                                                              for k, v in MATCHES.items()},
                       "pg_start": pg_start, "pg_timings": pg.timings if pg else None}, f, indent=1)
        if a.md:
            write_md(a.md, info, tables, details, reps_desc(a, sizes), a.command, pg_start,
                     pg.timings if pg else None)
    finally:
        if pg is not None:
            pg.stop()
    sys.exit(1 if mismatch else 0)


def reps_desc(a, sizes):
    return ", ".join(f"{n:,}: {a.reps if n < 100000 else a.reps_large}" for n in sizes)


def write_md(path, info, tables, details, reps, command, pg_start, pg_timings):
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    pgv = info.get("postgis", "")
    m = re.search(r'POSTGIS="([^"]+)"', pgv)
    s = [f"\n## Run of {now}\n",
         f"Command: `{command}` (timeout {TIMEOUT:g} s a run; runs per tool: {reps}; "
         f"the tools alternate run by run; medians shown).\n",
         f"Machine: {info['nproc']} CPUs ({info['cpu']}), {info['ram']} RAM, Linux {info['kernel']}. "
         f"landcons {info['landcons'].replace('landcons ', '')} (commit {info['landcons_commit']}, "
         f"Release build), GDAL {info.get('gdal')}, GEOS {info.get('geos')}, PROJ {info.get('proj')}, "
         f"SpatiaLite {info.get('spatialite')} on SQLite {info.get('sqlite')}, "
         f"PostgreSQL {info.get('postgresql', '-')} with PostGIS {m.group(1) if m else '-'}.\n"]
    if pg_start is not None:
        s.append(f"PostGIS cluster start-up (not in the job times): {pg_start:.2f} s "
                 f"(initdb {pg_timings['initdb']:.2f} s, server start {pg_timings['start']:.2f} s, "
                 f"CREATE DATABASE + EXTENSION postgis {pg_timings['db']:.2f} s).\n")
    for title, tb in tables:
        s.append(title + "\n")
        s.append(tb + "\n")
    s.append("\nResult checks (landcons vs each peer and the peers against each other):\n")
    s.append("```\n" + "\n".join(details) + "\n```\n")
    with open(path, "a", encoding="utf-8") as f:
        f.write("\n".join(s))


if __name__ == "__main__":
    main()
