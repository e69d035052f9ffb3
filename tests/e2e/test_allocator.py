#!/usr/bin/python3
"""The program's allocator: built with jemalloc (or tcmalloc), every library
the program loads (GEOS, GDAL, PROJ, SQLite, SpatiaLite, libstdc++'s
operator new, glibc itself) allocates and frees through it, none through
glibc's malloc -- one block freed by the other allocator would corrupt the
heap. Checked on the dynamic linker's own account of its bindings
(LD_DEBUG=bindings, every symbol bound at start with LD_BIND_NOW). With
jemalloc, also the options the program carries (cli/allocator_conf.c): the
heap and jemalloc's metadata on transparent huge pages, one arena, as jemalloc itself
reports them (MALLOC_CONF=stats_print). Registered where the build asks for
an allocator (LANDCONS_ALLOCATOR, not the sanitizer builds): a build that
did not find it (--allocator glibc) fails.
Usage: test_allocator.py --landcons BIN --wanted jemalloc|tcmalloc --allocator jemalloc|tcmalloc|glibc"""
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
PACKAGES = {"jemalloc": "libjemalloc-dev", "tcmalloc": "libgoogle-perftools-dev"}


def check_bindings(landcons, allocator):
    env = dict(os.environ, LD_BIND_NOW="1", LD_DEBUG="bindings")
    r = subprocess.run([landcons, "--version"], env=env, capture_output=True, text=True)
    if r.returncode != 0:
        return ["landcons --version exited %d: %s" % (r.returncode, r.stderr[-500:])]
    pat = re.compile(r"binding file (\S+) \[\d+\] to (\S+) \[\d+\]: normal symbol `([^'\[]+)'")
    bound, wrong = {}, []
    for line in r.stderr.splitlines():
        m = pat.search(line)
        if not m or m.group(3) not in ALLOC_SYMBOLS:
            continue
        user, provider, sym = os.path.basename(m.group(1)), os.path.basename(m.group(2)), m.group(3)
        bound.setdefault(user, set()).add(sym)
        if not provider.startswith("lib" + allocator):
            wrong.append("%s: %s from %s" % (user, sym, provider))
    failures = []
    if wrong:
        failures.append("%d bindings not to %s, e.g. %s" % (len(wrong), allocator, "; ".join(wrong[:5])))
    for lib in MUST_BIND:
        users = [u for u in bound if u.startswith(lib)]
        if not users:
            failures.append("no allocation symbol of %s seen bound" % lib)
        elif lib == "libstdc++.so" and not any({"malloc", "free"} & bound[u] for u in users):
            failures.append("libstdc++'s operator new does not allocate through %s" % allocator)
    n = sum(len(v) for v in bound.values())
    print("%d allocation bindings in %d files, all to %s: %s" % (n, len(bound), allocator,
                                                                 "no" if wrong else "yes"))
    return failures


def check_jemalloc_options(landcons):
    """jemalloc's own statistics at exit list the options in force."""
    env = dict(os.environ, MALLOC_CONF="stats_print:true")
    r = subprocess.run([landcons, "--version"], env=env, capture_output=True, text=True)
    out = r.stdout + r.stderr
    failures = []
    for opt, want in (("thp", "always"), ("metadata_thp", "always"), ("narenas", "1")):
        m = re.search(r"opt\.%s: \"?(\w+)\"?" % opt, out)
        print("jemalloc opt.%s: %s" % (opt, m.group(1) if m else "not reported"))
        if not m or m.group(1) != want:
            failures.append("jemalloc's opt.%s is %s, not %s (cli/allocator_conf.c not in the program?)"
                            % (opt, m.group(1) if m else "not reported", want))
    return failures


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--landcons", required=True)
    ap.add_argument("--wanted", required=True, choices=["jemalloc", "tcmalloc"])
    ap.add_argument("--allocator", required=True, choices=["jemalloc", "tcmalloc", "glibc"])
    a = ap.parse_args()
    if a.allocator != a.wanted:
        print("FAIL: the build did not find %s (%s; scripts/deps.sh installs it)" % (a.wanted, PACKAGES[a.wanted]))
        return 1
    failures = check_bindings(a.landcons, a.allocator)
    if a.allocator == "jemalloc":
        failures += check_jemalloc_options(a.landcons)
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
