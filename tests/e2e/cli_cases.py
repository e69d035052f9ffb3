#!/usr/bin/python3
"""Runs the declarative CLI cases of tests/cli/*.cases (format in the file).
For each case: builds its fixture in a fresh folder, hashes every file there,
runs landcons, and checks the exit code, the stderr message, that no file was
created and that every input is byte-identical afterwards.

Placeholders in the arguments: {dir} the fixture's folder; {readonly} a
folder nobody may write to; {long} a folder whose path is over 1,200 bytes;
{fulldisk} a 64 KiB tmpfs mounted in a private mount namespace (the run is
wrapped in unshare -m; skipped where that is not permitted).
Usage: cli_cases.py --landcons BIN CASES_FILE"""
import argparse
import hashlib
import os
import re
import shlex
import shutil
import socket
import sqlite3
import stat
import subprocess
import sys
import tempfile
import zipfile

from osgeo import ogr, osr

import lctest

ogr.UseExceptions()

E0, N0 = 42512000.0, 5030000.0   # CGCS2000 GK zone 42 (EPSG:4530)


def srs(epsg):
    s = osr.SpatialReference()
    s.ImportFromEPSG(epsg)
    return s


def write_strips(path, driver="ESRI Shapefile", epsg=4530, n=3, dx=0.0, layer=None, coords=None):
    """n 20 m x 300 m strips 0.5 m apart; coords overrides one ring's WKT."""
    drv = ogr.GetDriverByName(driver)
    ds = drv.CreateDataSource(path)
    name = layer or os.path.splitext(os.path.basename(path))[0]
    lyr = ds.CreateLayer(name, srs(epsg) if epsg else None, ogr.wkbPolygon)
    lyr.CreateField(ogr.FieldDefn("DKBM", ogr.OFTString))
    for i in range(n):
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetField("DKBM", "2301131012010100%03d" % (i + 1))
        x = E0 + dx + i * 20.5
        wkt = coords[i] if coords and i < len(coords) and coords[i] else \
            f"POLYGON(({x} {N0},{x + 20} {N0},{x + 20} {N0 + 300},{x} {N0 + 300},{x} {N0}))"
        f.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
        lyr.CreateFeature(f)
    ds = None


REG_HEADER = "地块编码,流转状态,签约日期,流转面积\n"
REG_ROWS = ["2301131012010100001,已签约,2019-03-05,9.0\n", "2301131012010100002,未签约,,9.0\n",
            "2301131012010100003,拒签,,9.0\n"]


def write_register(d, header=REG_HEADER, rows=REG_ROWS, name="reg.csv"):
    with open(os.path.join(d, name), "w", encoding="utf-8") as f:
        f.write(header + "".join(rows))


def one_feature(driver, path, geom_type, wkt):
    """A layer named after the file holding one feature of the given geometry, in EPSG:4530."""
    ds = ogr.GetDriverByName(driver).CreateDataSource(path)
    lyr = ds.CreateLayer(os.path.splitext(os.path.basename(path))[0], srs(4530), geom_type)
    f = ogr.Feature(lyr.GetLayerDefn())
    f.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
    lyr.CreateFeature(f)
    ds = None


class Skip(Exception):
    """A case this machine cannot run (no mknod, no mount namespace)."""


LONG = os.path.join(*(["d" * 200] * 6))   # 1,205 bytes below {dir}
SAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "gis-data", "shuangcheng")


def hold_database(path, wal):
    """A process keeping the SQLite database at path open (WAL) or in a
    write transaction (rollback journal), until terminated."""
    code = ("import sqlite3, sys, time\n"
            "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            + ("c.execute('PRAGMA journal_mode=WAL'); c.execute('SELECT * FROM t').fetchall()\n" if wal
               else "c.execute('BEGIN IMMEDIATE'); c.execute('INSERT INTO t VALUES (2)')\n")
            + "print('ready', flush=True)\ntime.sleep(600)\n")
    p = subprocess.Popen([sys.executable, "-c", code, path], stdout=subprocess.PIPE, text=True)
    if p.stdout.readline().strip() != "ready":
        p.kill()
        raise Skip("cannot hold a database open")
    return lambda: (p.kill(), p.wait())


def output_fixture(name, d):
    """Fixtures of the output cases (issue: never a destroyed file). Returns a
    cleanup function or None."""
    shp = os.path.join(d, "dk.shp")
    write_strips(shp)
    write_register(d)
    out = os.path.join(d, "out.sqlite")
    if name == "out_units":
        with open(os.path.join(d, "units.csv"), "w", encoding="utf-8") as f:
            f.write("code,name\n230113101,东方红乡\n")
    elif name == "out_site":
        write_strips(os.path.join(d, "site.geojson"), driver="GeoJSON", n=1)
    elif name == "out_folder":
        os.mkdir(os.path.join(d, "shp"))
        for f in os.listdir(d):
            if f.startswith("dk."):
                os.replace(os.path.join(d, f), os.path.join(d, "shp", f))
    elif name == "out_zip":
        with zipfile.ZipFile(os.path.join(d, "dk.zip"), "w") as z:
            for f in sorted(os.listdir(d)):
                if f.startswith("dk.") and f != "dk.zip":
                    z.write(os.path.join(d, f), f)
                    os.remove(os.path.join(d, f))
    elif name == "out_links":
        os.symlink("reg.csv", os.path.join(d, "link.sqlite"))
        os.link(os.path.join(d, "reg.csv"), os.path.join(d, "hard.sqlite"))
    elif name == "out_fifo":
        os.mkfifo(out)
    elif name == "out_socket":
        s = socket.socket(socket.AF_UNIX)
        s.bind(out)
        s.close()
    elif name == "out_device":
        try:   # a character device nothing answers to (major 240: local use)
            os.mknod(out, 0o644 | stat.S_IFCHR, os.makedev(240, 0))
        except PermissionError:
            raise Skip("mknod not permitted")
    elif name == "out_folder_target":
        os.mkdir(out)
    elif name in ("out_db_wal", "out_db_locked", "out_other_db"):
        path = os.path.join(d, "other.sqlite") if name == "out_other_db" else out
        with sqlite3.connect(path) as c:
            c.execute("CREATE TABLE t (x)")
            c.execute("INSERT INTO t VALUES (1)")
        c.close()
        if name != "out_other_db":
            return hold_database(out, wal=name == "out_db_wal")
        with open(out, "w") as f:   # an earlier result a late refusal would cost
            f.write("an earlier result\n")
    elif name == "out_long":
        os.makedirs(os.path.join(d, LONG))
        for f in os.listdir(d):
            if f.startswith("dk."):
                os.replace(os.path.join(d, f), os.path.join(d, LONG, f))
    elif name == "out_long_noshx":
        output_fixture("out_long", d)
        os.remove(os.path.join(d, LONG, "dk.shx"))
    elif name == "out_prj_zone":
        # the .prj says zone 41 (EPSG:4529), the eastings carry zone 42
        with open(os.path.join(d, "dk.prj"), "w") as f:
            f.write(srs(4529).ExportToWkt())
    elif name == "out_far_site":
        write_strips(os.path.join(d, "far.geojson"), driver="GeoJSON", n=1, dx=3e6)
    elif name in ("out_sample", "out_sample_existing"):
        # the committed sample: a database of 2.4 MB, a report of 140 KB
        for f in os.listdir(d):
            os.remove(os.path.join(d, f))
        for f in ("DK.shp", "DK.shx", "DK.dbf", "DK.prj", "DK.cpg", "DK_register.csv"):
            shutil.copy(os.path.join(SAMPLE, f), d)
        if name == "out_sample_existing":
            with open(out, "w") as f:
                f.write("an earlier result\n")
    elif name != "out_good":
        raise SystemExit(f"unknown fixture {name}")
    return None


def fixture(name, d):
    shp = os.path.join(d, "dk.shp")
    if name.startswith("out_"):
        return output_fixture(name, d)
    if name == "-":
        return
    if name.startswith("site_"):
        write_strips(shp)
        write_register(d)
        if name == "site_points":
            fixture("points", d)
        elif name == "site_empty":
            fixture("empty", d)
        elif name == "site_badprj":
            write_strips(os.path.join(d, "site.shp"), n=1)
            with open(os.path.join(d, "site.prj"), "w") as f:
                f.write("PROJCS[this is not a CRS\n")
        return
    if name.startswith("reg_"):
        write_strips(shp)
        if name in ("reg_good", "reg_existing", "reg_existing_qgz"):
            write_register(d)
        if name == "reg_existing":
            with open(os.path.join(d, "out.sqlite"), "w") as f:
                f.write("an earlier result\n")
        elif name == "reg_existing_qgz":
            with open(os.path.join(d, "p.qgz"), "w") as f:
                f.write("an earlier project\n")
        elif name == "reg_nokey":
            write_register(d, header="编号,流转状态,签约日期,流转面积\n")
        elif name == "reg_nostatus":
            write_register(d, header="地块编码,备注,签约日期,流转面积\n")
        elif name == "reg_badstatus":
            write_register(d, rows=[REG_ROWS[0], "2301131012010100002,已签,2019-03-06,9.0\n", REG_ROWS[2]])
        elif name == "reg_baddate":
            write_register(d, rows=["2301131012010100001,已签约,2019-02-30,9.0\n"] + REG_ROWS[1:])
        elif name == "reg_garbage":
            with open(os.path.join(d, "reg.csv"), "wb") as f:
                f.write(bytes((i * 7919 + 13) % 256 for i in range(20000)))
        elif name == "reg_dat":
            write_register(d, name="reg.dat")
        elif name == "reg_hugeline":
            # a 100 MB field on the fourth data row (file row 5)
            write_register(d, rows=REG_ROWS + ["2301131012010100004,已签约,2019-03-05,9.0,"
                                                + "x" * 100_000_000 + "\n"])
        elif name == "reg_empty":
            open(os.path.join(d, "reg.csv"), "w").close()
        return
    if name in ("good", "truncated_shp", "zero_shp", "missing_dbf", "missing_shx", "mismatch", "zero_dbf"):
        write_strips(shp)
    if name == "zero_dbf":
        open(os.path.join(d, "dk.dbf"), "w").close()
    if name == "truncated_shp":
        size = os.path.getsize(shp)
        with open(shp, "r+b") as f:
            f.truncate(size - 40)
    elif name == "zero_shp":
        open(shp, "wb").close()
    elif name == "missing_dbf":
        os.remove(os.path.join(d, "dk.dbf"))
    elif name == "missing_shx":
        os.remove(os.path.join(d, "dk.shx"))
    elif name == "mismatch":
        other = os.path.join(d, "o")
        os.mkdir(other)
        write_strips(os.path.join(other, "dk.shp"), n=5)
        os.replace(os.path.join(other, "dk.dbf"), os.path.join(d, "dk.dbf"))
        for f in os.listdir(other):
            os.remove(os.path.join(other, f))
        os.rmdir(other)
    elif name == "text_shp":
        with open(shp, "w") as f:
            f.write("DKBM,area\n230113101201010000001,12.5\n" * 10)
    elif name == "points":
        one_feature("ESRI Shapefile", os.path.join(d, "pts.shp"), ogr.wkbPoint, f"POINT({E0} {N0})")
    elif name == "lines":
        one_feature("GPKG", os.path.join(d, "lines.gpkg"), ogr.wkbLineString,
                    f"LINESTRING({E0} {N0},{E0 + 5} {N0 + 5})")
    elif name == "empty":
        write_strips(os.path.join(d, "empty.shp"), n=0)
    elif name == "unprefixed":
        write_strips(os.path.join(d, "bare.shp"), epsg=None, dx=-42000000.0)
    elif name in ("nan", "absurd", "inf"):
        bad = {"nan": "nan", "absurd": "1e30", "inf": "1e999"}[name]
        path = os.path.join(d, name + ".geojson")
        with open(path, "w") as f:
            x = E0
            f.write('{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:4530"}},'
                    '"features":[')
            for i in range(3):
                xi = x + i * 21
                ring = [[xi, N0], [xi + 20, N0], [xi + 20, N0 + 300], [xi, N0 + 300], [xi, N0]]
                coords = ",".join(f"[{bad if (i == 1 and k == 2) else repr(p[0])},{p[1]!r}]"
                                  for k, p in enumerate(ring))
                f.write(('' if i == 0 else ',') + '{"type":"Feature","properties":{"DKBM":"k%d"},'
                        '"geometry":{"type":"Polygon","coordinates":[[%s]]}}' % (i, coords))
            f.write("]}")
    elif name == "nogeom":
        # every feature without a geometry: no extent to choose the CRS from
        with open(os.path.join(d, "nogeom.geojson"), "w") as f:
            f.write('{"type":"FeatureCollection","features":['
                    '{"type":"Feature","properties":{"DKBM":"k0"},"geometry":null},'
                    '{"type":"Feature","properties":{"DKBM":"k1"},"geometry":null}]}')
    elif name == "not_vector":
        with open(os.path.join(d, "notes.txt"), "w") as f:
            f.write("just some notes\n")


def snapshot(d):
    """Every entry below d: a regular file by its hash, anything else (FIFO,
    socket, device, link, folder) by its type and target, never opened."""
    out = {}
    for root, dirs, files in os.walk(d):
        for f in files + [x for x in dirs if os.path.islink(os.path.join(root, x))]:
            p = os.path.join(root, f)
            st = os.lstat(p)
            if stat.S_ISREG(st.st_mode):
                with open(p, "rb") as fh:
                    out[p] = hashlib.sha256(fh.read()).hexdigest()
            elif stat.S_ISLNK(st.st_mode):
                out[p] = "link to " + os.readlink(p)
            else:
                out[p] = f"mode {st.st_mode:o} dev {st.st_rdev}"
        for x in dirs:
            out.setdefault(os.path.join(root, x) + "/", "folder")
    return out


FULLDISK = re.compile(r"\{fulldisk(?::(\w+))?\}")


def fulldisk_argv(argv, full, size):
    """argv run with a tmpfs of `size` mounted on `full` in a private mount
    namespace: the machine's mounts are not touched, and the tmpfs is gone
    with the run. Raises Skip where namespaces or mounts are not permitted."""
    probe = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c",
                            f"mount -t tmpfs -o size={size} tmpfs {shlex.quote(full)}"], capture_output=True)
    if probe.returncode != 0:
        raise Skip("no private mount namespace")
    return ["unshare", "-m", "--propagation", "private", "sh", "-c",
            f'mount -t tmpfs -o size={size} tmpfs "$1" && shift && exec "$@"', "sh", full] + argv


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--landcons", required=True)
    ap.add_argument("cases")
    a = ap.parse_args()
    a.landcons = os.path.abspath(a.landcons)
    t = lctest.Checker(os.path.basename(a.cases))
    with open(a.cases, encoding="utf-8") as fh:
        lines = [l.rstrip("\n") for l in fh if l.strip() and not l.lstrip().startswith("#")]
    for line in lines:
        name, fix, args, code, pattern = [c.strip() for c in line.split("|", 4)]
        with tempfile.TemporaryDirectory() as d:
            try:
                cleanup = fixture(fix, d)
            except Skip as e:
                print(f"skip {name}: {e}")
                continue
            full = os.path.join(d, "full")
            disk = FULLDISK.search(args)
            if disk:
                os.mkdir(full)
                args = FULLDISK.sub(full.replace("\\", "\\\\"), args)
            before = snapshot(d)
            # a folder nobody may write to: as root, permissions do not stop
            # writes, so /proc (where no file can be created) stands in
            readonly = os.path.join(d, "ro")
            if "{readonly}" in args:
                if os.geteuid() == 0:
                    readonly = "/proc"
                else:
                    os.mkdir(readonly)
                    os.chmod(readonly, 0o555)
            argv = [a.landcons] + [x.replace("{long}", os.path.join(d, LONG)).replace("{dir}", d)
                                   .replace("{readonly}", readonly)
                                   for x in shlex.split(args)]
            try:
                if disk:
                    argv = fulldisk_argv(argv, full, disk.group(1) or "64k")
            except Skip as e:
                if cleanup:
                    cleanup()
                print(f"skip {name}: {e}")
                continue
            try:
                # a landcons that blocks (opening a FIFO) fails its case rather than hanging the
                # suite; generous, as the 100 MB register line takes minutes under ASan
                r = subprocess.run(argv, capture_output=True, text=True, cwd=d, timeout=1800)
            except subprocess.TimeoutExpired as e:
                r = subprocess.CompletedProcess(argv, -1, "", f"timed out: {(e.stderr or b'')!r}")
            if cleanup:
                cleanup()
            after = snapshot(d)
            t.eq(r.returncode, int(code), f"{name}: exit code (stderr: {r.stderr.strip()})")
            t.check(re.search(pattern, r.stderr.strip()) is not None,
                    f"{name}: stderr {r.stderr.strip()!r} does not match {pattern!r}")
            if int(code) == 2:
                # one message: one line names landcons; a listing of rows may follow it
                t.check(sum(ln.startswith("landcons") for ln in r.stderr.splitlines()) == 1
                        and r.stderr.count("\n") <= 60, f"{name}: one clear message, got {r.stderr!r}")
            t.eq(sorted(after), sorted(before), f"{name}: files in the folder")
            t.check(all(after.get(p) == h for p, h in before.items()), f"{name}: inputs modified")
    t.done()


if __name__ == "__main__":
    main()
