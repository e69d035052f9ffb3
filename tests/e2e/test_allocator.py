#!/usr/bin/python3
"""The program's allocator: built with tcmalloc, every library the program
loads (GEOS, GDAL, PROJ, SQLite, SpatiaLite, libstdc++'s operator new, glibc
itself) allocates and frees through tcmalloc, none through glibc's malloc --
one block freed by the other allocator would corrupt the heap. Checked on the
dynamic linker's own account of its bindings (LD_DEBUG=bindings, every
symbol bound at start with LD_BIND_NOW). Registered where the build asks
for tcmalloc (LANDCONS_TCMALLOC, not the sanitizer builds): a build that
did not find it (--allocator glibc) fails.
Usage: test_allocator.py --landcons BIN --allocator tcmalloc|glibc"""
import argparse
import os
import re
import subprocess
import sys

ALLOC_SYMBOLS = {"malloc", "free", "calloc", "realloc", "posix_memalign", "aligned_alloc",
                 "memalign", "_Znwm", "_Znam", "_ZdlPv", "_ZdaPv"}
# the libraries whose allocations are the run's bulk: each must be seen bound
MUST_BIND = ["libgeos.so", "libgdal.so", "libproj.so", "libsqlite3.so", "libspatialite.so",
             "libstdc++.so", "libc.so"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--landcons", required=True)
    ap.add_argument("--allocator", required=True, choices=["tcmalloc", "glibc"])
    a = ap.parse_args()
    if a.allocator != "tcmalloc":
        print("FAIL: the build did not find tcmalloc (libgoogle-perftools-dev; scripts/deps.sh installs it)")
        return 1

    env = dict(os.environ, LD_BIND_NOW="1", LD_DEBUG="bindings")
    r = subprocess.run([a.landcons, "--version"], env=env, capture_output=True, text=True)
    if r.returncode != 0:
        print("FAIL: landcons --version exited %d: %s" % (r.returncode, r.stderr[-500:]))
        return 1
    pat = re.compile(r"binding file (\S+) \[\d+\] to (\S+) \[\d+\]: normal symbol `([^'\[]+)'")
    bound, wrong = {}, []
    for line in r.stderr.splitlines():
        m = pat.search(line)
        if not m or m.group(3) not in ALLOC_SYMBOLS:
            continue
        user, provider, sym = os.path.basename(m.group(1)), os.path.basename(m.group(2)), m.group(3)
        bound.setdefault(user, set()).add(sym)
        if not provider.startswith("libtcmalloc"):
            wrong.append("%s: %s from %s" % (user, sym, provider))
    failures = []
    if wrong:
        failures.append("%d bindings not to tcmalloc, e.g. %s" % (len(wrong), "; ".join(wrong[:5])))
    for lib in MUST_BIND:
        users = [u for u in bound if u.startswith(lib)]
        if not users:
            failures.append("no allocation symbol of %s seen bound" % lib)
        elif lib == "libstdc++.so" and not any({"malloc", "free"} & bound[u] for u in users):
            failures.append("libstdc++'s operator new does not allocate through tcmalloc")
    n = sum(len(v) for v in bound.values())
    print("%d allocation bindings in %d files, all to tcmalloc: %s" % (n, len(bound), "no" if wrong else "yes"))
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
