#!/usr/bin/python3
"""The office module (src/office.h): a run that writes no PDF and no
workbook never loads cairo, pango, GLib or libxlsxwriter; --pdf and --xlsx
load them from landcons-office.so beside the program and write both; the
program without its module, asked for either, stops with exit 2, a message
naming the module, and no output. Loaded files are the dynamic linker's own
account (LD_DEBUG=files).
Usage: test_office.py --landcons BIN --data-dir GIS_DATA"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lctest  # noqa: E402

OFFICE_LIBS = ("libcairo.so", "libpango-1.0.so", "libpangocairo-1.0.so", "libglib-2.0.so", "libxlsxwriter.so")
FILE_RE = re.compile(r"file=(\S+) \[\d+\];\s+(?:needed by|dynamically loaded by) (\S+)")


def loaded(landcons, args, cwd):
    """(exit code, stderr without the linker's lines, {file: loaded by})"""
    env = dict(os.environ, LD_DEBUG="files")
    r = subprocess.run([landcons] + args, env=env, capture_output=True, text=True, cwd=cwd)
    files, err = {}, []
    for line in r.stderr.splitlines():
        m = FILE_RE.search(line)
        if m:
            files.setdefault(os.path.basename(m.group(1)), os.path.basename(m.group(2)))
        elif not re.match(r"^\s*\d+:", line):
            err.append(line)
    return r.returncode, "\n".join(err), files


def office_libs(files):
    return sorted(f for f in files if f.startswith(OFFICE_LIBS))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--landcons", required=True)
    ap.add_argument("--data-dir", required=True)
    a = ap.parse_args()
    t = lctest.Checker("office module")
    d = os.path.abspath(os.path.join(a.data_dir, "shuangcheng"))
    base = ["analyze", os.path.join(d, "DK.shp"), "--register", os.path.join(d, "DK_register.csv"),
            "--site", os.path.join(d, "DK_sites.geojson"), "--as-of", "2019-05-01", "-q"]
    with tempfile.TemporaryDirectory() as tmp:
        rc, err, files = loaded(a.landcons, base + ["-o", "plain.sqlite"], tmp)
        t.eq(rc, 0, f"analyze without --pdf/--xlsx ran ({err[-300:]})")
        t.check(len(files) > 50, f"the linker listed the loaded files ({len(files)})")
        t.eq(office_libs(files), [], "no office library loaded without --pdf/--xlsx")
        t.check("landcons-office.so" not in files, "the module not loaded without --pdf/--xlsx")

        rc, err, files = loaded(a.landcons, base + ["-o", "full.sqlite", "--pdf", "s.pdf", "--xlsx", "l.xlsx"], tmp)
        t.eq(rc, 0, f"analyze --pdf --xlsx ran ({err[-300:]})")
        # (by the program; under ASan the linker names the runtime, whose dlopen it is)
        t.check("landcons-office.so" in files, "the module loaded")
        t.check(len(office_libs(files)) == len(OFFICE_LIBS), f"the office libraries loaded: {office_libs(files)}")
        for f in ("s.pdf", "l.xlsx"):
            p = os.path.join(tmp, f)
            t.check(os.path.exists(p) and os.path.getsize(p) > 1000, f"{f} written")
        with open(os.path.join(tmp, "s.pdf"), "rb") as f:
            t.eq(f.read(5), b"%PDF-", "the sign-off is a PDF")

        # the program alone, without its module
        alone = os.path.join(tmp, "alone")
        os.mkdir(alone)
        prog = os.path.join(alone, "landcons")
        shutil.copy2(a.landcons, prog)
        installed = "/usr/local/lib/landcons/landcons-office.so"
        if os.path.exists(installed):
            print(f"note: a module is installed ({installed}): the missing-module case not checked")
        for opt, out in () if os.path.exists(installed) else (("--pdf", "s.pdf"), ("--xlsx", "l.xlsx")):
            before = sorted(os.listdir(alone))
            r = subprocess.run([prog] + base + ["-o", "x.sqlite", opt, out], capture_output=True, text=True,
                               cwd=alone)
            t.eq(r.returncode, 2, f"{opt} without the module: exit 2")
            t.check("need the office module" in r.stderr and "landcons-office.so" in r.stderr,
                    f"{opt} without the module: says so ({r.stderr.strip()[-200:]})")
            t.eq(sorted(os.listdir(alone)), before, f"{opt} without the module: no output, no temporary file")
    t.done()


if __name__ == "__main__":
    main()
