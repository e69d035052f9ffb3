#!/usr/bin/python3
"""The output database stays what it was: the sample's analyze (sites,
constraint, unit names) and check databases, in canonical form
(tests/tools/db_canon.py: every table landcons writes, rows in order,
geometry blobs by their SHA-256), equal the fixtures in tests/fixtures,
written before the architecture was redesigned. A deliberate change of
the output regenerates them with --update and says why in its commit.

Tables added since are allowed in addition, and only those (NEW: analyze's
bridges and route): landcons's tables (every table but SpatiaLite's own
metadata and R*Trees) are the fixture's plus the new ones, and the rows the
new tables add to layer_styles and geometry_columns are left out before the
comparison, so every row of the fixture's tables stays as it was.

usage: test_output_fixture.py --landcons BIN --data-dir GIS_DATA --fixtures DIR [--update]"""
import argparse
import datetime
import difflib
import gzip
import os
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import db_canon  # noqa: E402


def runs(data):
    d = os.path.join(data, "shuangcheng")
    return {
        "sample_analyze": ["analyze", f"{d}/DK.shp", "--register", f"{d}/DK_register.csv", "--site",
                           f"{d}/DK_sites.geojson", "--constraint", f"{d}/DK_sites.geojson", "--unit-names",
                           f"{d}/DK_units.csv", "--as-of", "2019-05-01", "--target-mu", "2000"],
        "sample_check": ["check", f"{d}/DK.shp", "--register", f"{d}/DK_register.csv"],
    }


# Tables written after the fixtures, by run.
NEW = {"sample_analyze": {"bridges", "route"}, "sample_check": set()}


def spatialite_own(tmp):
    """The tables SpatiaLite makes in a new database landcons's way (metadata,
    an EPSG SRID inserted)."""
    path = os.path.join(tmp, "empty.sqlite")
    con = sqlite3.connect(path)
    con.enable_load_extension(True)
    con.load_extension("mod_spatialite")
    con.execute("SELECT InitSpatialMetadata(1, 'NONE')")
    con.execute("SELECT InsertEpsgSrid(4530)")
    con.commit()
    own = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    con.close()
    return own


def landcons_tables(db, own):
    """Every table of db but SpatiaLite's own and the R*Trees of the geometry columns."""
    con = sqlite3.connect(db)
    names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    rtrees = {f"idx_{t}_geom{s}" for (t,) in con.execute("SELECT f_table_name FROM geometry_columns")
              for s in ("", "_rowid", "_node", "_parent")}
    con.close()
    return names - own - rtrees


def fixture_tables(text):
    return {line[3:].split(" ")[0] for line in text.splitlines()
            if line.startswith("## ") and line != "## geometry_columns"}


def without_new(text, new):
    """The canonical text without the rows of the new tables in layer_styles
    and geometry_columns, and those rows as (section, table)."""
    out, dropped, section = [], [], None
    for line in text.splitlines():
        if line.startswith("## "):
            section = line[3:].split(" ")[0]
        else:
            cells = line.split("\t")
            table = {"layer_styles": 3, "geometry_columns": 0}.get(section)
            if table is not None and len(cells) > table and cells[table].strip("'") in new:
                dropped.append((section, cells[table].strip("'")))
                continue
        out.append(line)
    return "\n".join(out) + "\n", dropped


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--landcons", required=True)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--fixtures", required=True)
    ap.add_argument("--update", action="store_true")
    a = ap.parse_args()
    data = os.path.abspath(a.data_dir)
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        own = spatialite_own(tmp)
        for name, args in runs(data).items():
            db = os.path.join(tmp, name + ".sqlite")
            r = subprocess.run([a.landcons, *args, "-o", db, "-q"], capture_output=True, text=True)
            if r.returncode not in (0, 1) or not os.path.exists(db):
                print(f"FAIL {name}: landcons exited {r.returncode}: {r.stderr}", file=sys.stderr)
                failures += 1
                continue
            got = db_canon.canon(db, data, hash_blobs=True)
            if "--as-of" not in args:
                # check without --as-of reads the register as of today
                got = got.replace(f"'as_of'\t'{datetime.date.today().isoformat()}'", "'as_of'\t'TODAY'")
            path = os.path.join(a.fixtures, name + ".canon.gz")
            new = NEW[name]
            if not a.update:
                want = gzip.open(path).read().decode()
                extra = landcons_tables(db, own) - fixture_tables(want)
                if extra != new:
                    print(f"FAIL {name}: tables beyond the fixture's: {sorted(extra)}, want {sorted(new)}",
                          file=sys.stderr)
                    failures += 1
                got, dropped = without_new(got, new)
                styled = {t for s, t in dropped if s == "layer_styles"}
                if new and not styled:
                    print(f"FAIL {name}: no layer_styles rows for the new tables", file=sys.stderr)
                    failures += 1
                print(f"{name}: new tables {sorted(new) or 'none'} ({len(dropped)} rows of layer_styles and "
                      "geometry_columns for them left out of the comparison)")
            if a.update:
                got, _ = without_new(got, new)   # the new tables stay checked as additions
                with gzip.GzipFile(path, "wb", mtime=0) as f:
                    f.write(got.encode())
                print(f"{name}: fixture written ({len(got.splitlines())} lines)")
                continue
            if got == want:
                print(f"{name}: identical to the fixture ({len(want.splitlines())} lines)")
                continue
            failures += 1
            diff = list(difflib.unified_diff(want.splitlines(), got.splitlines(), "fixture", "now", n=0,
                                             lineterm=""))
            print(f"FAIL {name}: {sum(1 for x in diff if x[:1] in '+-') - 2} lines differ; first:", file=sys.stderr)
            for line in diff[:40]:
                print("  " + line[:300], file=sys.stderr)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
