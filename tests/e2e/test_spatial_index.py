#!/usr/bin/python3
"""End-to-end: the geometries and spatial indexes `landcons analyze` writes
are what SpatiaLite itself would write, and SpatiaLite keeps maintaining them.

landcons encodes geometry blobs itself and packs each layer's R*Tree in one
go (src/splite_blob.c, src/rtree_pack.c). On the committed sample (with
sites and a constraint layer, at gaps 10 and 3 m) this checks, for every
geometry table: every blob is byte-identical to SpatiaLite's encoding of the
same geometry (GeomFromWKB(AsBinary(geom), srid)) and valid; the index is
enabled, passes SQLite's rtreecheck(), holds exactly the rows that have a
geometry, each with a box containing the geometry's MBR; window searches
through SpatiaLite's SpatialIndex give the same rows as a full scan with
MbrIntersects; geometry_columns_statistics holds the table's row count and
the extent of its MBRs; SpatiaLite's triggers are in place, and an insert, an update
and a delete made afterwards keep the index in step.
"""
import os
import random
import sqlite3
import tempfile

import lctest


def connect(path):
    con = sqlite3.connect(path)
    con.enable_load_extension(True)
    con.load_extension("mod_spatialite")
    return con


def check_db(c, db, label):
    con = connect(db)
    tables = [(t, srid, enabled) for t, srid, enabled in con.execute(
        "SELECT f_table_name, srid, spatial_index_enabled FROM geometry_columns ORDER BY 1")]
    c.check(len(tables) >= 8, f"{label}: {len(tables)} geometry tables")
    for t, srid, enabled in tables:
        idx = f"idx_{t}_geom"
        c.eq(enabled, 1, f"{label} {t}: spatial index enabled")
        c.eq(con.execute(f"SELECT rtreecheck('{idx}')").fetchone()[0], "ok", f"{label} {t}: rtreecheck")
        rows = {r for (r,) in con.execute(f'SELECT rowid FROM "{t}" WHERE geom IS NOT NULL')}
        indexed = {r for (r,) in con.execute(f'SELECT pkid FROM "{idx}"')}
        c.eq(indexed, rows, f"{label} {t}: index rows = rows with a geometry ({len(rows)})")
        outside = con.execute(
            f'SELECT count(*) FROM "{t}" g JOIN "{idx}" i ON i.pkid = g.rowid WHERE i.xmin > MbrMinX(g.geom) '
            f'OR i.xmax < MbrMaxX(g.geom) OR i.ymin > MbrMinY(g.geom) OR i.ymax < MbrMaxY(g.geom)').fetchone()[0]
        c.eq(outside, 0, f"{label} {t}: index boxes contain the geometries")
        # the statistics QGIS reads instead of scanning: the table's own count and MBR extent
        stats = con.execute("SELECT row_count, extent_min_x, extent_min_y, extent_max_x, extent_max_y FROM "
                            "geometry_columns_statistics WHERE f_table_name = ?", (t,)).fetchone()
        scan = con.execute(f'SELECT count(*), min(MbrMinX(geom)), min(MbrMinY(geom)), max(MbrMaxX(geom)), '
                           f'max(MbrMaxY(geom)) FROM "{t}"').fetchone()
        c.eq(stats, scan, f"{label} {t}: statistics = count and extent of the table")
        if t == "qa_issues":
            continue  # points, written by SpatiaLite's MakePoint()
        differ = con.execute(
            f'SELECT count(*) FROM "{t}" WHERE geom IS NOT NULL AND geom IS NOT GeomFromWKB(AsBinary(geom), {srid})'
        ).fetchone()[0]
        c.eq(differ, 0, f"{label} {t}: blobs byte-identical to SpatiaLite's encoding ({len(rows)} rows)")
        invalid = con.execute(f'SELECT count(*) FROM "{t}" WHERE geom IS NOT NULL AND ST_IsValid(geom) IS NOT 1'
                              ).fetchone()[0]
        c.eq(invalid, 0, f"{label} {t}: valid geometries")
        c.eq(con.execute(f'SELECT count(*) FROM "{t}" WHERE geom IS NOT NULL AND (GeometryType(geom) IS NOT '
                         f"'MULTIPOLYGON' OR Srid(geom) IS NOT {srid})").fetchone()[0], 0,
             f"{label} {t}: MULTIPOLYGON in SRID {srid}")
        trig = {n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?",
                                          (t,))}
        for kind in ("gii", "giu", "gid"):
            c.check(f"{kind}_{t}_geom" in trig, f"{label} {t}: trigger {kind}_{t}_geom present")

    # window searches through SpatiaLite's index vs a scan
    (x0, y0, x1, y1), = con.execute("SELECT min(MbrMinX(geom)), min(MbrMinY(geom)), max(MbrMaxX(geom)), "
                                    "max(MbrMaxY(geom)) FROM parcels")
    rnd = random.Random(7)
    bad = 0
    for q in range(40):
        s = (x1 - x0) * (0.3, 0.05, 0.005)[q % 3]
        x, y = rnd.uniform(x0, x1), rnd.uniform(y0, y1)
        frame = f"BuildMbr({x!r}, {y!r}, {x + s!r}, {y + s!r})"
        via_index = {r for (r,) in con.execute(
            f"SELECT rowid FROM parcels WHERE rowid IN (SELECT rowid FROM SpatialIndex WHERE "
            f"f_table_name = 'parcels' AND search_frame = {frame}) AND MbrIntersects(geom, {frame})")}
        by_scan = {r for (r,) in con.execute(f"SELECT rowid FROM parcels WHERE MbrIntersects(geom, {frame})")}
        bad += via_index != by_scan
    c.eq(bad, 0, f"{label}: window searches through SpatialIndex that differ from a scan (of 40)")

    # edits after the fact, as a QGIS user would make them
    n0 = con.execute("SELECT count(*) FROM idx_parcels_geom").fetchone()[0]
    new = con.execute("INSERT INTO parcels (key, status, geom) SELECT 'EDIT', 'pending', "
                      "ST_Translate(geom, 5000, 0, 0) FROM parcels WHERE fid = 1").lastrowid
    con.execute("DELETE FROM parcels WHERE fid = 2")
    con.execute("UPDATE parcels SET geom = ST_Translate(geom, 0, 7000, 0) WHERE fid = 3")
    c.eq(con.execute("SELECT count(*) FROM idx_parcels_geom").fetchone()[0], n0,
         f"{label}: index count after one insert and one delete")
    c.eq(con.execute("SELECT count(*) FROM idx_parcels_geom WHERE pkid = 2").fetchone()[0], 0,
         f"{label}: deleted parcel left the index")
    got = con.execute("SELECT i.ymin, MbrMinY(p.geom) FROM idx_parcels_geom i JOIN parcels p ON p.fid = i.pkid "
                      "WHERE i.pkid = 3").fetchone()
    c.check(got is not None and got[0] <= got[1] and got[1] - got[0] < 1.0,
            f"{label}: updated parcel's box follows it: {got}")
    c.eq(con.execute("SELECT count(*) FROM idx_parcels_geom WHERE pkid = ?", (new,)).fetchone()[0], 1,
         f"{label}: inserted parcel indexed")
    c.eq(con.execute("SELECT rtreecheck('idx_parcels_geom')").fetchone()[0], "ok", f"{label}: rtreecheck after edits")
    con.close()


def main():
    args = lctest.arg_parser().parse_args()
    c = lctest.Checker("spatial_index")
    sample = os.path.join(args.data_dir, "shuangcheng")
    shp, reg, sites = (os.path.join(sample, f) for f in ("DK.shp", "DK_register.csv", "DK_sites.geojson"))
    with tempfile.TemporaryDirectory() as tmp:
        for gap in ("10", "3"):
            db = os.path.join(tmp, f"out{gap}.sqlite")
            r = lctest.run([args.landcons, "analyze", shp, "--register", reg, "--site", sites, "--constraint", sites,
                            "-o", db, "--as-of", "2019-05-01", "--gap", gap, "-q"])
            if not c.eq(r.returncode, 0, f"analyze --gap {gap} exit ({r.stderr.strip()})"):
                continue
            check_db(c, db, f"gap {gap}")
    c.done()


if __name__ == "__main__":
    main()
