"""Shared helpers of the end-to-end tests: running landcons, comparing
numbers with a stated tolerance, and exiting with ctest's conventions
(0 pass, 1 fail, 77 skip)."""
import argparse
import json
import os
import subprocess
import sys

SKIP = 77


class Checker:
    def __init__(self, name):
        self.name = name
        self.checks = 0
        self.failures = 0

    def check(self, cond, msg):
        self.checks += 1
        if not cond:
            self.failures += 1
            print(f"FAIL {self.name}: {msg}", file=sys.stderr)
        return cond

    def rel(self, got, want, tol, what, abs_floor=0.0):
        """|got-want| <= max(tol*|want|, abs_floor)"""
        diff = abs(got - want)
        ok = diff <= max(tol * abs(want), abs_floor)
        return self.check(ok, f"{what}: got {got!r}, want {want!r}, rel {diff / abs(want) if want else diff:.3g} (tol {tol:g})")

    def eq(self, got, want, what):
        return self.check(got == want, f"{what}: got {got!r}, want {want!r}")

    def done(self):
        print(f"{self.name}: {self.checks} checks, {self.failures} failures")
        sys.exit(1 if self.failures else 0)


def arg_parser():
    """The options every end-to-end test takes: --landcons BIN --data-dir DIR."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--landcons", required=True)
    ap.add_argument("--data-dir", required=True)
    return ap


def run(args, **kw):
    """Runs a command, returns CompletedProcess with text output."""
    return subprocess.run(args, capture_output=True, text=True, **kw)


def run_bytes(args, **kw):
    """Runs a command, returns CompletedProcess with the raw bytes of its
    output (for checks of the encoding itself)."""
    return subprocess.run(args, capture_output=True, **kw)


def info_json(landcons, path, *extra):
    r = run([landcons, "info", path, "--json", *extra])
    if r.returncode != 0:
        raise SystemExit(f"landcons info {path} failed ({r.returncode}): {r.stderr}")
    return json.loads(r.stdout)


def skip_unless(path):
    if not os.path.exists(path):
        print(f"SKIP: {path} is absent")
        sys.exit(SKIP)


def write_sites_geojson(path, features, epsg=4530):
    """A GeoJSON site layer (field "name") of features [(name, ogr.Geometry)] in EPSG:epsg."""
    from osgeo import ogr, osr
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    ds = ogr.GetDriverByName("GeoJSON").CreateDataSource(path)
    lyr = ds.CreateLayer("sites", srs, ogr.wkbUnknown)
    lyr.CreateField(ogr.FieldDefn("name", ogr.OFTString))
    for name, g in features:
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetField("name", name)
        f.SetGeometry(g)
        lyr.CreateFeature(f)
    ds = None


def qgis_missing():
    """Offscreen Qt for QGIS; None when qgis.core imports, else the SKIP exit code (the reason printed)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from qgis.core import Qgis  # noqa: F401
    except ImportError as e:
        print(f"SKIP: qgis.core is not importable by {sys.executable} ({e})")
        return SKIP
    return None
