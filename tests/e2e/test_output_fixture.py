#!/usr/bin/python3
"""The output database stays what it was: the sample's analyze (sites,
constraint, unit names) and check databases, in canonical form
(tests/tools/db_canon.py: every table landcons writes, rows in order,
geometry blobs by their SHA-256), equal the fixtures in tests/fixtures,
written before the architecture was redesigned. A deliberate change of
the output regenerates them with --update and says why in its commit.

usage: test_output_fixture.py --landcons BIN --data-dir GIS_DATA --fixtures DIR [--update]"""
import argparse
import difflib
import gzip
import os
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
        for name, args in runs(data).items():
            db = os.path.join(tmp, name + ".sqlite")
            r = subprocess.run([a.landcons, *args, "-o", db, "-q"], capture_output=True, text=True)
            if r.returncode not in (0, 1) or not os.path.exists(db):
                print(f"FAIL {name}: landcons exited {r.returncode}: {r.stderr}", file=sys.stderr)
                failures += 1
                continue
            got = db_canon.canon(db, data, hash_blobs=True)
            path = os.path.join(a.fixtures, name + ".canon.gz")
            if a.update:
                with gzip.GzipFile(path, "wb", mtime=0) as f:
                    f.write(got.encode())
                print(f"{name}: fixture written ({len(got.splitlines())} lines)")
                continue
            want = gzip.open(path).read().decode()
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
