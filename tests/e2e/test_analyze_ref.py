#!/usr/bin/python3
"""landcons analyze against an independent PostGIS computation (SPEC §2).

The same parcel layer and register are loaded into a private PostGIS 15
cluster and everything is recomputed there in SQL from the raw inputs:
register rows resolved per key, status as of the date, blocks with
ST_ClusterDBSCAN(eps := gap, minpoints := 1) (exactly SPEC's adjacency), block
order, parcel area per block, footprints by ST_Buffer/ST_Union closing,
enclaves by ST_PointOnSurface in the hole-filled footprints, gap enclaves.
Then every figure of the landcons output database is compared.

Usage: test_analyze_ref.py --landcons BIN --data-dir GIS_DATA [--gap M ...]"""
import csv
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lctest  # noqa: E402
from pgref import PostGIS  # noqa: E402

AS_OF = "2019-05-01"
TARGET_MU = "3000"       # between the largest blocks of the gaps compared: met at some, not at others
AREA_REL = 1e-9          # same coordinates, sums of the same parcel areas
FOOTPRINT_REL = 0.005    # issue 3 acceptance: footprint area within 0.5 %

# the register's resolution rules (SPEC §1) in SQL, on text columns
# the register's rules in SQL, shared with the PostGIS benchmark job
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "register_rules.sql"), encoding="utf-8") as _f:
    REGISTER_SQL = _f.read()


def load_sample(pg, shp, register, as_of):
    """Loads the GBK parcel shapefile (table dk) and the register (reg_raw),
    resolves the register (reg) and computes every parcel's status as of the
    date (table st: fid, key, geom, status, signed_on) — SPEC §1-§2 in SQL."""
    pg.load(shp, "dk", extra=("-oo", "ENCODING=CP936"))
    pg.execute("UPDATE dk SET geom = ST_Multi(ST_CollectionExtract(ST_MakeValid(geom), 3)) "
               "WHERE NOT ST_IsValid(geom)")
    pg.load_csv(register, "reg_raw")
    pg.execute(REGISTER_SQL)
    pg.execute(f"""CREATE TABLE st AS
        SELECT p.fid, p.dkbm AS key, p.geom, r.signed_on,
               CASE WHEN r.key IS NULL THEN 'unregistered'
                    WHEN r.class = 'signed' AND r.signed_on <= DATE '{as_of}' THEN 'transferred'
                    WHEN r.class = 'signed' THEN 'pending'
                    ELSE r.class END AS status
        FROM dk p LEFT JOIN reg r ON r.key = p.dkbm;
        CREATE INDEX ON st USING gist (geom); ANALYZE st""")


def run_landcons(landcons, shp, register, out, gap, units):
    r = subprocess.run([landcons, "analyze", shp, "--register", register, "-o", out, "--as-of", AS_OF,
                        "--gap", repr(gap), "--unit-names", units, "--target-mu", TARGET_MU, "--json", "-q"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"landcons analyze failed ({r.returncode}): {r.stderr}")
    return json.loads(r.stdout)


def compare_gap(t, pg, db, gap, summary_json):
    tag = f"gap {gap:g} m"
    con = sqlite3.connect(db)
    pg.execute("DROP TABLE IF EXISTS cl, clsum, fp, fpoly, encl, holes")
    pg.execute(f"""
        CREATE TABLE cl AS
        SELECT fid, key, geom, ST_ClusterDBSCAN(geom, eps := {gap!r}, minpoints := 1) OVER () AS cid
        FROM st WHERE status = 'transferred';
        CREATE TABLE clsum AS
        SELECT cid, count(*) AS n, sum(ST_Area(geom)) AS parcel_m2, min(key) AS min_key,
               row_number() OVER (ORDER BY sum(ST_Area(geom)) DESC, min(key)) AS rank
        FROM cl GROUP BY cid""")
    if gap > 0:
        pg.execute(f"""CREATE TABLE fp AS SELECT cid, ST_Buffer(ST_Union(ST_Buffer(geom, {gap / 2!r},
                       'quad_segs=8 join=round')), {-gap / 2!r}, 'quad_segs=8 join=round') AS geom
                       FROM cl GROUP BY cid""")
    else:
        pg.execute("CREATE TABLE fp AS SELECT cid, ST_Union(geom) AS geom FROM cl GROUP BY cid")
    pg.execute("""
        CREATE TABLE fpoly AS SELECT cid, (ST_Dump(ST_CollectionExtract(geom, 3))).geom AS poly FROM fp;
        CREATE TABLE encl AS
        SELECT DISTINCT ON (s.fid) s.fid, s.key, f.cid
        FROM st s JOIN fpoly f ON ST_Contains(ST_MakePolygon(ST_ExteriorRing(f.poly)), ST_PointOnSurface(s.geom))
        WHERE s.status <> 'transferred'
        ORDER BY s.fid, ST_Area(ST_MakePolygon(ST_ExteriorRing(f.poly)));
        CREATE TABLE holes AS
        SELECT f.cid, ST_MakePolygon(ST_InteriorRingN(f.poly, i)) AS hole
        FROM fpoly f, generate_series(1, ST_NumInteriorRings(f.poly)) i""")

    # partition: landcons block of each parcel vs PostGIS cluster
    mine = {}
    for fid, block in con.execute("SELECT source_fid, block_id FROM parcels WHERE block_id IS NOT NULL"):
        mine.setdefault(block, set()).add(fid)
    ref = {}
    for fid, cid in pg.query("SELECT fid, cid FROM cl"):
        ref.setdefault(cid, set()).add(fid)
    t.eq(len(mine), len(ref), f"{tag}: number of blocks")
    t.eq(sorted(map(sorted, mine.values())), sorted(map(sorted, ref.values())), f"{tag}: block partition")

    # order and per-block parcel area
    rank = {r[0]: r for r in pg.query("SELECT rank, cid, n, parcel_m2, min_key FROM clsum")}
    fp_area = dict(pg.query("SELECT cid, ST_Area(geom) FROM fp"))
    blocks = con.execute("SELECT block_id, parcel_count, parcel_m2, footprint_m2, enclave_count, "
                         "enclave_mu FROM blocks ORDER BY block_id").fetchall()
    worst_fp = 0.0
    for block_id, count, parcel_m2, footprint_m2, _, _ in blocks:
        r = rank.get(block_id)
        if not t.check(r is not None, f"{tag}: block {block_id} has no PostGIS rank"):
            continue
        _, cid, n, ref_m2, _ = r
        t.eq(mine.get(block_id), ref[cid], f"{tag}: block {block_id} members (order by area, then key)")
        t.eq(count, n, f"{tag}: block {block_id} parcel count")
        t.rel(parcel_m2, ref_m2, AREA_REL, f"{tag}: block {block_id} parcel area")
        t.rel(footprint_m2, fp_area[cid], FOOTPRINT_REL, f"{tag}: block {block_id} footprint area")
        worst_fp = max(worst_fp, abs(footprint_m2 - fp_area[cid]) / fp_area[cid])

    # enclaves: same parcels, same blocks
    cid_to_block = {r[1]: r[0] for r in rank.values()}
    ref_encl = {fid: cid_to_block[cid] for fid, _, cid in pg.query("SELECT fid, key, cid FROM encl")}
    mine_encl = dict(con.execute("SELECT source_fid, enclave_of FROM parcels WHERE enclave_of IS NOT NULL"))
    t.eq(mine_encl, ref_encl, f"{tag}: parcel enclaves and their blocks")
    mine_keys = sorted(k for (k,) in con.execute("SELECT key FROM enclaves WHERE kind = 'parcel'"))
    ref_keys = sorted(k for (k,) in pg.query("SELECT key FROM encl"))
    t.eq(mine_keys, ref_keys, f"{tag}: enclave keys in the enclaves layer")
    gaps = pg.query("""SELECT h.cid, ST_Area(h.hole) FROM holes h
                       WHERE NOT EXISTS (SELECT 1 FROM st s WHERE ST_Contains(h.hole, ST_PointOnSurface(s.geom)))
                       ORDER BY 1, 2""")
    gaps = sorted((cid_to_block[cid], area) for cid, area in gaps)
    mine_gaps = con.execute("SELECT block_id, area_m2 FROM enclaves WHERE kind = 'gap' ORDER BY 1, 2").fetchall()
    t.eq(len(mine_gaps), len(gaps), f"{tag}: gap enclave count")
    for (b, a), (rb, ra) in zip(mine_gaps, gaps):
        t.eq(b, rb, f"{tag}: gap enclave block")
        t.rel(a, ra, FOOTPRINT_REL, f"{tag}: gap enclave area")
    # the --json summary tells the same story
    j = summary_json
    t.eq(j["block_count"], len(ref), f"{tag}: JSON block count")
    if ref:
        r1 = rank[1]
        t.eq(j["largest_block"]["parcel_count"], r1[2], f"{tag}: JSON largest block parcels")
        t.rel(j["largest_block"]["parcel_mu"], r1[3] * 15 / 10000, AREA_REL, f"{tag}: JSON largest block mu")
        t.rel(j["largest_block"]["footprint_mu"], fp_area[r1[1]] * 15 / 10000, FOOTPRINT_REL,
              f"{tag}: JSON largest footprint mu")
        t.eq(j["target"]["met"], r1[3] * 15 / 10000 >= j["target"]["mu"], f"{tag}: JSON target met")
    t.eq(j["enclaves"]["parcels"], len(ref_encl), f"{tag}: JSON parcel enclaves")
    t.eq(j["enclaves"]["gaps"], len(gaps), f"{tag}: JSON gap enclaves")
    print(f"{tag}: {len(mine)} blocks, largest {blocks[0][1] if blocks else 0} parcels; "
          f"{len(mine_encl)} parcel enclaves, {len(mine_gaps)} gap enclaves; "
          f"worst footprint difference {worst_fp:.2e}")
    con.close()


def main():
    ap = lctest.arg_parser()
    ap.add_argument("--gap", type=float, action="append")
    a = ap.parse_args()
    PostGIS.require()
    gaps = a.gap or [10.0, 3.0, 0.0]
    shp = os.path.abspath(os.path.join(a.data_dir, "shuangcheng", "DK.shp"))
    register = os.path.abspath(os.path.join(a.data_dir, "shuangcheng", "DK_register.csv"))
    units = os.path.abspath(os.path.join(a.data_dir, "shuangcheng", "DK_units.csv"))
    with open(units, encoding="utf-8-sig") as f:
        unit_names = {r["code"]: r["name"] for r in csv.DictReader(f)}
    t = lctest.Checker("analyze vs PostGIS")
    with tempfile.TemporaryDirectory() as tmp, PostGIS() as pg:
        load_sample(pg, shp, register, AS_OF)

        # statuses: per parcel and per class (count and area)
        for gap in gaps:
            db = os.path.join(tmp, f"out_{gap:g}.sqlite")
            summary_json = run_landcons(a.landcons, shp, register, db, gap, units)
            con = sqlite3.connect(db)
            if gap == gaps[0]:
                mine = dict(con.execute("SELECT source_fid, status FROM parcels"))
                ref = dict(pg.query("SELECT fid, status FROM st"))
                t.eq(mine, ref, "status of every parcel")
                ref_tot = {s: (n, m2) for s, n, m2 in
                           pg.query("SELECT status, count(*), sum(ST_Area(geom)) FROM st GROUP BY status")}
                summary = dict(con.execute("SELECT name, value FROM summary"))
                for s in ("transferred", "pending", "refused", "disputed", "unregistered"):
                    n, m2 = ref_tot.get(s, (0, 0.0))
                    t.eq(int(summary[f"{s}_count"]), n, f"{s} count")
                    t.rel(float(summary[f"{s}_m2"]), m2, AREA_REL, f"{s} area", 1e-6)
                ref_area = dict(pg.query("SELECT fid, ST_Area(geom) FROM st"))
                for fid, m2 in con.execute("SELECT source_fid, planar_m2 FROM parcels"):
                    t.rel(m2, ref_area[fid], AREA_REL, f"planar area FID {fid}")
                for s in ("transferred", "pending", "refused", "disputed", "unregistered"):
                    n, m2 = ref_tot.get(s, (0, 0.0))
                    t.eq(summary_json["by_status"][s]["count"], n, f"JSON {s} count")
                    t.rel(summary_json["by_status"][s]["m2"], m2, AREA_REL, f"JSON {s} m2", 1e-6)
                # the transferred share, of the registered area and of all parcels
                tr_m2 = ref_tot.get("transferred", (0, 0.0))[1]
                all_m2 = sum(m2 for _, m2 in ref_tot.values())
                reg_m2 = all_m2 - ref_tot.get("unregistered", (0, 0.0))[1]
                jt = summary_json["transferred"]
                t.rel(jt["mu"], tr_m2 * 15 / 10000, AREA_REL, "JSON transferred mu")
                t.rel(jt["registered_mu"], reg_m2 * 15 / 10000, AREA_REL, "JSON registered mu")
                t.rel(jt["share_of_registered"], tr_m2 / reg_m2, AREA_REL, "JSON share of the registered area")
                t.rel(jt["share_of_all"], tr_m2 / all_m2, AREA_REL, "JSON share of all parcels")
                t.eq(summary_json["target"]["mu"], float(TARGET_MU), "JSON target: the one asked for")
                names = con.execute("SELECT key, township, village, township_name, village_name FROM parcels")
                for key, tw, vi, twn, vin in names:
                    t.eq((tw, vi), (key[:9], key[:12]), f"{key}: unit codes from the key")
                    t.eq((twn, vin), (unit_names.get(key[:9]), unit_names.get(key[:12])), f"{key}: unit names")
                print(f"statuses: {dict((s, v[0]) for s, v in ref_tot.items())}")
            con.close()
            compare_gap(t, pg, db, gap, summary_json)
    t.done()


if __name__ == "__main__":
    main()
