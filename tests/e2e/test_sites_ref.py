#!/usr/bin/python3
"""Project sites against PostGIS (SPEC §2 site overlap, site ready; §3 verify).

Site layers are built from the committed sample, then every overlap area and
per-site total of `landcons analyze --site` is compared with ST_Intersection
areas computed in a private PostGIS cluster, and every ready flag with the
SPEC rule evaluated in SQL. Cases:
  sample      the sample's two sites (both blocked as of the date);
  ready       site 1 with the blocking parcels cut out (0.05 m clear): ready;
  one_refused the same, but one refused parcel left under it: not ready,
              exactly one blocking parcel, `verify` exits 1 and names it;
  threshold   the ready site plus 1.5 m² (blocking) and 0.5 m² (not) of a
              refused parcel, around --min-overlap 1 m²;
  geo4490     the sample's sites in EPSG:4490: same numbers within 0.01 %;
  off parcels the ready site grown by a square beyond the parcels (under half
              of it on parcels), a square in a gap of the map and a site in
              Paris: none is ready, each says why, the far one names both
              extents.
The ready rule is landcons's documented one (docs/DECISIONS.md): no
untransferred parcel over --min-overlap under the site, and at least half of
the site on parcels (ST_Area of the site ∩ the union of the parcels).
A constraint layer (a rectangle over part of site 1) is checked too.
Usage: test_sites_ref.py --landcons BIN --data-dir GIS_DATA"""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

from osgeo import ogr

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lctest  # noqa: E402
from pgref import PostGIS  # noqa: E402
from test_analyze_ref import load_sample  # noqa: E402

ogr.UseExceptions()
AS_OF = "2019-05-01"
AREA_REL = 1e-9
SLIVER_M2 = 0.01
MIN_COVERED_SHARE = 0.5   # a site is ready only with at least half of it on parcels
STATUS = ("transferred", "pending", "refused", "disputed", "unregistered")


def run(landcons, *args):
    return subprocess.run([landcons, *args], capture_output=True, text=True)


def compare(t, pg, tag, db, sites_path, min_overlap=1.0):
    """landcons's sites and site_overlaps tables vs PostGIS on the same sites."""
    pg.load(sites_path, "site", extra=("-lco", "LAUNDER=NO"))
    con = sqlite3.connect(db)
    mine = {(sid, key): (st, m2, sp, ss, blk) for sid, key, st, m2, sp, ss, blk in con.execute(
        "SELECT site_id, key, status, overlap_m2, share_of_parcel, share_of_site, blocking FROM site_overlaps")}
    ref = pg.query("""
        SELECT s.fid, p.key, p.status, ST_Area(ST_Intersection(s.geom, p.geom)) AS m2,
               ST_Area(p.geom) AS parcel_m2, ST_Area(s.geom) AS site_m2
        FROM site s JOIN st p ON ST_Intersects(s.geom, p.geom)""")
    # landcons numbers sites 1.. in feature order; GeoJSON FIDs start at 0
    fids = sorted({r[0] for r in pg.query("SELECT fid FROM site")})
    site_id = {fid: i + 1 for i, fid in enumerate(fids)}
    ref = {(site_id[f], k): (st, m2, pm2, sm2) for f, k, st, m2, pm2, sm2 in ref if m2 >= SLIVER_M2}
    t.eq(sorted(mine), sorted(ref), f"{tag}: site x parcel pairs (slivers < 0.01 m² dropped)")
    for pair, (st, m2, pm2, sm2) in ref.items():
        if pair not in mine:
            continue
        mst, mm2, msp, mss, blk = mine[pair]
        t.eq(mst, st, f"{tag}: status of {pair}")
        t.rel(mm2, m2, AREA_REL, f"{tag}: overlap {pair}", SLIVER_M2)
        t.rel(msp, m2 / pm2, 1e-9, f"{tag}: share of parcel {pair}", 1e-12)
        t.rel(mss, m2 / sm2, 1e-9, f"{tag}: share of site {pair}", 1e-12)
        t.eq(blk, int(st != "transferred" and m2 > min_overlap), f"{tag}: blocking flag {pair}")
    sites = {r[0]: r[1:] for r in con.execute(
        "SELECT site_id, area_m2, transferred_mu, pending_mu, refused_mu, disputed_mu, unregistered_mu, "
        "no_parcel_mu, ready, not_ready_reason FROM sites")}
    covered = {site_id[f]: (a, c) for f, a, c in pg.query("""
        SELECT s.fid, ST_Area(s.geom),
               coalesce((SELECT ST_Area(ST_Intersection(s.geom, ST_Union(p.geom))) FROM st p
                         WHERE ST_Intersects(s.geom, p.geom)), 0)
        FROM site s""")}
    t.eq(sorted(sites), sorted(covered), f"{tag}: site ids")
    for sid, (area, cov) in covered.items():
        got = sites.get(sid)
        if not got:
            continue
        t.rel(got[0], area, AREA_REL, f"{tag}: site {sid} area")
        for k, s in enumerate(STATUS):
            want = sum(m2 for (i, _), (st, m2, _, _) in ref.items() if i == sid and st == s) * 15 / 10000
            t.rel(got[1 + k], want, AREA_REL, f"{tag}: site {sid} {s}_mu", SLIVER_M2 * 15 / 10000)
        # overlaps under 0.01 m² are dropped from landcons's union: allow that much per parcel
        n_pairs = sum(1 for (i, _) in ref if i == sid) + 1
        t.rel(got[6], max(area - cov, 0) * 15 / 10000, 1e-9, f"{tag}: site {sid} no_parcel_mu",
              n_pairs * SLIVER_M2 * 15 / 10000)
        blocking = any(i == sid and st != "transferred" and m2 > min_overlap
                       for (i, _), (st, m2, _, _) in ref.items())
        on_parcels = cov > 0 and cov >= MIN_COVERED_SHARE * area
        t.eq(got[7], int(not blocking and on_parcels), f"{tag}: site {sid} ready flag (documented rule)")
        t.eq(got[8] is None, bool(got[7]), f"{tag}: site {sid} has a reason exactly when not ready ({got[8]})")
    con.close()
    return sites, mine


def main():
    a = lctest.arg_parser().parse_args()
    PostGIS.require()
    d = os.path.abspath(os.path.join(a.data_dir, "shuangcheng"))
    shp, reg, sites = (os.path.join(d, n) for n in ("DK.shp", "DK_register.csv", "DK_sites.geojson"))
    t = lctest.Checker("sites vs PostGIS")
    with tempfile.TemporaryDirectory() as tmp, PostGIS() as pg:
        load_sample(pg, shp, reg, AS_OF)

        def analyze(tag, site_path, *extra):
            db = os.path.join(tmp, f"{tag}.sqlite")
            r = run(a.landcons, "analyze", shp, "--register", reg, "--site", site_path, "-o", db,
                    "--as-of", AS_OF, "-q", *extra)
            t.eq(r.returncode, 0, f"{tag}: analyze ({r.stderr.strip()})")
            return db

        # 1. the sample's sites
        db = analyze("sample", sites)
        s_sample, ov_sample = compare(t, pg, "sample", db, sites)
        t.check(any(v[7] == 0 for v in s_sample.values()), "sample: some site is not ready")

        # blocking parcels of site 1, from PostGIS
        blockers = pg.query("""SELECT p.key, p.status, ST_AsText(p.geom) FROM site s JOIN st p
                               ON ST_Intersects(s.geom, p.geom)
                               WHERE s.fid = (SELECT min(fid) FROM site) AND p.status <> 'transferred'
                                 AND ST_Area(ST_Intersection(s.geom, p.geom)) > 1
                               ORDER BY p.key""")
        t.check(len(blockers) >= 2, f"site 1 has several blocking parcels ({len(blockers)})")
        site1 = ogr.CreateGeometryFromWkt(pg.query("SELECT ST_AsText(geom) FROM site ORDER BY fid LIMIT 1")[0][0])

        def cut(geom, parcels):
            g = geom.Clone()
            for _, _, wkt in parcels:
                g = g.Difference(ogr.CreateGeometryFromWkt(wkt).Buffer(0.05, 8))
            return g

        # 2. exactly ready
        ready = cut(site1, blockers)
        p_ready = os.path.join(tmp, "ready.geojson")
        lctest.write_sites_geojson(p_ready, [("ready", ready)])
        db = analyze("ready", p_ready)
        s, _ = compare(t, pg, "ready", db, p_ready)
        t.eq(s[1][7], 1, "ready: site is ready")
        r = run(a.landcons, "verify", shp, "--register", reg, "--site", p_ready, "--as-of", AS_OF)
        t.eq(r.returncode, 0, f"ready: verify exits 0 ({r.stderr.strip()})")
        t.check("READY" in r.stdout and "NOT READY" not in r.stdout, "ready: verify says READY")

        # 3. missing by one refused parcel
        refused = [b for b in blockers if b[1] == "refused"]
        t.check(len(refused) >= 1, "a refused blocker exists")
        keep = refused[0]
        one = cut(site1, [b for b in blockers if b is not keep])
        p_one = os.path.join(tmp, "one.geojson")
        lctest.write_sites_geojson(p_one, [("one refused", one)])
        db = analyze("one_refused", p_one)
        s, ov = compare(t, pg, "one_refused", db, p_one)
        t.eq(s[1][7], 0, "one refused: site not ready")
        t.eq(sorted(k for (sid, k), v in ov.items() if v[4]), [keep[0]], "one refused: the single blocker")
        r = run(a.landcons, "verify", shp, "--register", reg, "--site", p_one, "--as-of", AS_OF, "--json")
        t.eq(r.returncode, 1, "one refused: verify exits 1")
        j = json.loads(r.stdout)
        t.eq([b["key"] for b in j["sites"][0]["blocking"]], [keep[0]], "one refused: verify names it")
        t.eq(j["sites"][0]["blocking"][0]["status"], "refused", "one refused: its status")
        t.eq(j["all_ready"], False, "one refused: JSON all_ready")

        # 4. threshold of --min-overlap (1 m²): 1.5 m² blocks, 0.5 m² does not
        inner = ogr.CreateGeometryFromWkt(keep[2]).PointOnSurface()
        x, y = inner.GetX(), inner.GetY()

        def square(area):
            h = area ** 0.5 / 2
            return ogr.CreateGeometryFromWkt(f"POLYGON(({x-h} {y-h},{x+h} {y-h},{x+h} {y+h},{x-h} {y+h},{x-h} {y-h}))")

        p_thr = os.path.join(tmp, "threshold.geojson")
        lctest.write_sites_geojson(p_thr, [("ready + 1.5 m2", ready.Union(square(1.5))),
                                           ("ready + 0.5 m2", ready.Union(square(0.5)))])
        db = analyze("threshold", p_thr)
        s, _ = compare(t, pg, "threshold", db, p_thr)
        t.eq((s[1][7], s[2][7]), (0, 1), "threshold: 1.5 m² blocks, 0.5 m² does not")
        db2 = analyze("threshold_min2", p_thr, "--min-overlap", "2")
        s2, _ = compare(t, pg, "threshold_min2", db2, p_thr, min_overlap=2.0)
        t.eq((s2[1][7], s2[2][7]), (1, 1), "threshold: with --min-overlap 2 both are ready")

        # 5. the same sites in EPSG:4490
        p4490 = os.path.join(tmp, "sites4490.geojson")
        subprocess.run(["ogr2ogr", "-t_srs", "EPSG:4490", "-lco", "COORDINATE_PRECISION=12", p4490, sites],
                       check=True, capture_output=True)
        db = analyze("geo4490", p4490)
        con = sqlite3.connect(db)
        s4490 = {r[0]: r[1:] for r in con.execute(
            "SELECT site_id, area_m2, transferred_mu, pending_mu, refused_mu, disputed_mu, unregistered_mu, "
            "no_parcel_mu, ready FROM sites")}
        ov4490 = {(sid, key): m2 for sid, key, m2 in con.execute("SELECT site_id, key, overlap_m2 FROM site_overlaps")}
        con.close()
        t.eq(sorted(s4490), sorted(s_sample), "geo4490: same sites")
        for sid, v in s_sample.items():
            for k, name in enumerate(("area", "transferred", "pending", "refused", "disputed", "unregistered",
                                      "no_parcel")):
                t.rel(s4490[sid][k], v[k], 1e-4, f"geo4490: site {sid} {name}", 1e-6)
            t.eq(s4490[sid][7], v[7], f"geo4490: site {sid} ready")
        t.eq(sorted(ov4490), sorted(ov_sample), "geo4490: same site x parcel pairs")

        # 6. sites off the parcels
        x0, y0, x1, y1 = pg.query("SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM "
                                  "(SELECT ST_Extent(geom)::geometry AS e FROM st) q")[0]
        side = (1.5 * ready.GetArea()) ** 0.5
        beyond = ogr.CreateGeometryFromWkt(f"POLYGON(({x1 + 100} {y0},{x1 + 100 + side} {y0},"
                                           f"{x1 + 100 + side} {y0 + side},{x1 + 100} {y0 + side},{x1 + 100} {y0}))")
        cx, cy, rad = pg.query("""SELECT ST_X(center), ST_Y(center), radius FROM ST_MaximumInscribedCircle(
                                  (SELECT ST_Difference(ST_Envelope(ST_Collect(geom)), ST_Union(geom)) FROM st))""")[0]
        t.check(rad > 2, f"a gap of the map {rad:.1f} m wide")
        h = rad / 2
        hole = ogr.CreateGeometryFromWkt(f"POLYGON(({cx-h} {cy-h},{cx+h} {cy-h},{cx+h} {cy+h},{cx-h} {cy+h},{cx-h} {cy-h}))")
        p_off = os.path.join(tmp, "off.geojson")
        lctest.write_sites_geojson(p_off, [("half off", ready.Union(beyond)), ("in a gap", hole)])
        db = analyze("off_parcels", p_off)
        s, _ = compare(t, pg, "off_parcels", db, p_off)
        t.eq((s[1][7], s[2][7]), (0, 0), "off parcels: neither is ready")
        t.check("lies on parcels" in (s[1][8] or ""), f"off parcels: half off says so: {s[1][8]}")
        t.check("overlaps no parcel" in (s[2][8] or ""), f"off parcels: the gap site says so: {s[2][8]}")
        p_far = os.path.join(tmp, "far.geojson")
        paris = ogr.CreateGeometryFromWkt("POLYGON((2.35 48.85,2.36 48.85,2.36 48.86,2.35 48.86,2.35 48.85))")
        lctest.write_sites_geojson(p_far, [("Paris", paris)], epsg=4326)
        r = run(a.landcons, "verify", shp, "--register", reg, "--site", p_far, "--as-of", AS_OF, "--json")
        t.eq(r.returncode, 1, f"far: verify exits 1 ({r.stderr.strip()})")
        why = json.loads(r.stdout)["sites"][0]["not_ready_reason"] if r.stdout else ""
        t.check(f"{x0:.1f},{y0:.1f} - {x1:.1f},{y1:.1f}" in why and "site's extent" in why,
                f"far: names the site's and the parcels' extents: {why}")

        # 7. a constraint layer over part of site 1
        env = site1.GetEnvelope()
        cx0, cx1, cy0, cy1 = env[0] - 50, (env[0] + env[1]) / 2, env[2] - 50, (env[2] + env[3]) / 2
        farm = ogr.CreateGeometryFromWkt(
            f"POLYGON(({cx0} {cy0},{cx1} {cy0},{cx1} {cy1},{cx0} {cy1},{cx0} {cy0}))")
        p_cons = os.path.join(tmp, "jbnt.geojson")
        lctest.write_sites_geojson(p_cons, [("基本农田 1", farm)])
        db = analyze("constraint", sites, "--constraint", p_cons)
        con = sqlite3.connect(db)
        rows = con.execute("SELECT site_id, feature_id, name, overlap_m2 FROM constraint_overlaps").fetchall()
        con.close()
        pg.load(p_cons, "cons", extra=("-lco", "LAUNDER=NO"))
        pg.load(sites, "site", extra=("-lco", "LAUNDER=NO"))
        want = pg.query("""SELECT s.fid, c.fid, ST_Area(ST_Intersection(s.geom, c.geom)) FROM site s, cons c
                           WHERE ST_Intersects(s.geom, c.geom) ORDER BY 1""")
        want = [w for w in want if w[2] >= SLIVER_M2]
        t.eq(len(rows), len(want), "constraint: overlapping pairs")
        for (sid, fid, name, m2), (_, cfid, wm2) in zip(sorted(rows), want):
            t.eq(fid, cfid, "constraint: feature id")
            t.eq(name, "基本农田 1", "constraint: feature name")
            t.rel(m2, wm2, AREA_REL, "constraint: overlap area")
        r = run(a.landcons, "verify", shp, "--register", reg, "--site", sites, "--constraint", p_cons,
                "--as-of", AS_OF)
        t.check("warning: overlaps constraint" in r.stdout, "constraint: verify warns")
    t.done()


if __name__ == "__main__":
    main()
