#!/usr/bin/python3
"""The house as docs/ARCHITECTURE.md draws it, checked on the code:

- no dependency circle between the modules of src/ (a module is a .c file
  with its .h; an arrow runs from a module to each module whose header it
  includes or whose function it calls);
- compute never reaches into writing: no arrow from a compute module to a
  writer module (and none from a writer to the orchestrator); only the
  orchestrator and the CLI stand above both;
- no function in src/ longer than MAX_LINES lines without a comment saying
  why (a comment in the lines just above it containing "long:").

Calls are found as text (identifiers followed by "(" that some module of
src/ defines), which is what a reader of the code sees too.

usage: test_structure.py --src DIR"""
import argparse
import os
import re
import sys

MAX_LINES = 80

# The layers of the house (docs/ARCHITECTURE.md); every module of src/ is in
# exactly one of them. The test fails on a module it does not know, so the
# map stays complete.
LAYERS = {
    "base": ["context", "i18n", "arena", "qa", "geom", "spindex", "unionfind", "parallel", "dates", "encoding",
             "crs", "area", "tdt", "gdal_errors", "textbuf", "file_digest"],
    "read": ["shp_check", "dbf_raw", "layer_read", "geojson_ahead", "table_read", "register", "status_table", "units", "parcels",
             "info"],
    "compute": ["status", "keymatch", "unit_totals", "adjacency", "edge_contact", "ring_distance", "blocks", "footprints",
                "union_disjoint", "coverage_union", "closing", "tiling", "enclaves", "points", "sites", "checks",
                "progress", "plan", "map_geom"],
    "results": ["analysis", "plan_analysis", "unit_figures"],
    "write": ["outfile", "schema", "styles", "splite_blob", "rtree_pack", "out_spatialite", "out_gpkg",
              "report", "report_page", "report_map", "report_chart", "report_plan", "lists", "lists_view", "lists_build",
              "lists_xlsx", "lists_csv", "signoff_pdf", "signoff_build", "qgis_project", "qgis_build", "office"],
    "run": ["run"],
}
# who may use whom (the orchestrator stands above compute and write)
MAY_USE = {
    "base": {"base"},
    "read": {"base", "read"},
    "compute": {"base", "read", "compute"},
    "results": {"base", "read", "compute", "results"},
    "write": {"base", "read", "compute", "results", "write"},
    "run": {"base", "read", "compute", "results", "write", "run"},
}

DEF_RE = re.compile(r"^(?:static\s+)?(?:inline\s+)?[A-Za-z_][\w \t\*]*?\b([A-Za-z_]\w*)\s*\(([^;{]*)\)\s*$")
CALL_RE = re.compile(r"\b([A-Za-z_]\w*)\s*\(")
INCLUDE_RE = re.compile(r'^\s*#\s*include\s+"([^"]+)\.h"')


def strip_comments_and_strings(text):
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    return re.sub(r'"(?:\\.|[^"\\\n])*"', '""', text)


def functions(path):
    """(name, first line, last line, is_static) of each function defined in a .c file."""
    lines = open(path, encoding="utf-8").read().split("\n")
    clean = strip_comments_and_strings("\n".join(lines)).split("\n")
    out, i = [], 0
    while i < len(clean):
        line = clean[i]
        # a definition: a signature at column 0 (possibly over lines) followed by "{" at column 0
        if line and not line[0].isspace() and "(" in line and not line.startswith(("#", "typedef", "}")):
            sig, j = line, i
            while ")" not in sig and j + 1 < len(clean):
                j += 1
                sig += " " + clean[j].strip()
            if j + 1 < len(clean) and clean[j + 1].startswith("{") and not sig.rstrip().endswith(";"):
                m = re.search(r"\b([A-Za-z_]\w*)\s*\(", sig)
                depth, k = 0, j + 1
                while k < len(clean):
                    depth += clean[k].count("{") - clean[k].count("}")
                    if depth == 0:
                        break
                    k += 1
                out.append((m.group(1), i + 1, k + 1, sig.startswith("static")))
                i = k + 1
                continue
        i += 1
    return out, lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", required=True)
    a = ap.parse_args()
    failures = []
    modules = sorted({os.path.splitext(f)[0] for f in os.listdir(a.src) if f.endswith((".c", ".h"))})
    layer_of = {m: layer for layer, ms in LAYERS.items() for m in ms}
    # office_module.c is the office module's glue: its lc_error, lc_clock ...
    # forward to the library's own through the host table (office.h), so it
    # defines nothing another module should be said to use
    glue = {"office_module"}
    internal = {"lc_internal", "lc_version"} | glue
    for m in modules:
        if m not in layer_of and m not in internal:
            failures.append(f"module {m} is in no layer of the house (add it to LAYERS and ARCHITECTURE.md)")

    # which module defines each non-static function
    defines, long_functions = {}, []
    for m in modules:
        c = os.path.join(a.src, m + ".c")
        if not os.path.exists(c):
            continue
        fns, raw = functions(c)
        for name, first, last, static in fns:
            if not static and m not in glue:
                defines[name] = m
            if last - first + 1 > MAX_LINES:
                above = "\n".join(raw[max(0, first - 8):first - 1])
                if "long:" not in above:
                    long_functions.append(f"{m}.c:{first} {name}() is {last - first + 1} lines, over "
                                          f"{MAX_LINES}, without a comment saying why (\"long: ...\")")
    failures.extend(long_functions)

    # arrows
    arrows = {m: {} for m in modules}
    for m in modules:
        for ext in (".c", ".h"):
            p = os.path.join(a.src, m + ext)
            if not os.path.exists(p):
                continue
            text = open(p, encoding="utf-8").read()
            for line in text.split("\n"):
                inc = INCLUDE_RE.match(line)
                if inc and inc.group(1) in arrows and inc.group(1) != m:
                    arrows[m].setdefault(inc.group(1), set()).add("#include")
            if ext == ".c":
                for name in set(CALL_RE.findall(strip_comments_and_strings(text))):
                    d = defines.get(name)
                    if d and d != m:
                        arrows[m].setdefault(d, set()).add(name)
    # circles (Tarjan's strongly connected components)
    index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in arrows[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                sccs.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in modules:
        if v not in index:
            visit(v)
    for comp in sccs:
        ties = [f"{x} -> {y} ({', '.join(sorted(arrows[x][y])[:4])})" for x in comp for y in comp if y in arrows[x]]
        failures.append(f"dependency circle: {' , '.join(comp)}: " + "; ".join(ties))
    # layers
    for m in modules:
        lm = layer_of.get(m)
        if not lm:
            continue
        for d, why in arrows[m].items():
            ld = layer_of.get(d)
            if ld and ld not in MAY_USE[lm]:
                failures.append(f"{m} ({lm}) uses {d} ({ld}): {', '.join(sorted(why)[:4])}")
    n_arrows = sum(len(v) for v in arrows.values())
    for f in failures:
        print("FAIL", f, file=sys.stderr)
    print(f"structure: {len(modules)} modules, {n_arrows} arrows, {len(defines)} functions defined, "
          f"{len(failures)} failures")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
