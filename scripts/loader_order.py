#!/usr/bin/env python3
"""The order of the program's libraries for the dynamic loader's symbol search.

Linked with GDAL, the program loads some 110 shared libraries, and the loader
resolves about 56,000 symbols before main: each lookup tries the libraries of
the global scope in order (the program's DT_NEEDED list, then theirs,
breadth first) until one defines the symbol. Most symbols are defined by a
few big libraries that sit deep in that scope (xerces-c, GEOS, libcrypto
bind their own C++ symbols through it), so the average lookup tries about 30
libraries. Naming those libraries first in the program's DT_NEEDED list
shortens the search; nothing else changes, as long as every symbol that more
than one library defines is still found first in the same library.

  loader_order.py order PLAIN OUT
      PLAIN: the program linked as usual. Writes OUT, a response file for
      the compiler driver naming the libraries of PLAIN's global scope in
      the new order. The order keeps every library that shares a defined
      symbol with another after it whenever it came after it in PLAIN's
      scope (symbols the program defines itself are bound to it whatever
      the order); within that, the libraries bound to most come first.
      When the probe cannot be run, OUT is written empty and the program
      is linked as usual.

  loader_order.py check ORDERED PLAIN
      Exit 1 unless ORDERED, the program linked with the order, binds
      exactly as PLAIN does: the bindings the loader reports for
      `--version` are the same, and every symbol defined by more than one
      library of the scope has the same first definer in both scopes.
"""
import collections
import os
import re
import subprocess
import sys
import tempfile


def loader_trace(program):
    """The global scope (the program first) and the binding count per
    library, from LD_DEBUG for `program --version`; and the bindings as
    (file, symbol, library) with the program's own path replaced."""
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, LD_DEBUG="scopes,bindings", LD_DEBUG_OUTPUT=os.path.join(tmp, "ld"))
        subprocess.run([program, "--version"], env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=True, timeout=60)
        text = "".join(open(os.path.join(tmp, f), errors="replace").read() for f in sorted(os.listdir(tmp)))
    lines = [line.split(":", 1)[1].strip() if ":" in line else line for line in text.splitlines()]
    scope = next((line[len("scope 0:"):].split() for line in lines if line.startswith("scope 0:")), None)
    if not scope:
        raise RuntimeError("no global scope in the loader's trace")
    own = lambda p: "PROGRAM" if p == scope[0] else p
    counts, bindings = collections.Counter(), set()
    for line in lines:
        if line.startswith("binding file "):
            # binding file A [0] to B [0]: normal symbol `name' [VERSION]
            left, _, right = line.partition(": normal symbol `")
            parts = left.split()
            file, lib = parts[2], parts[parts.index("to") + 1]
            symbol = right.split("'")[0]
            counts[lib] += 1
            bindings.add((own(file), symbol, own(lib)))
    return scope, counts, bindings


def defined_symbols(paths):
    """For each of paths, the names (without version) of the dynamic
    symbols it defines."""
    out = subprocess.run(["nm", "-D", "--defined-only", "--no-sort", "--print-file-name", *paths],
                         capture_output=True, text=True, check=True).stdout
    names = {path: set() for path in paths}
    for line in out.splitlines():
        # path:address type name[@version]
        m = re.match(r"(.*):[0-9a-f]+ (\S) (\S+)$", line)
        if not m or m.group(1) not in names:
            raise RuntimeError(f"nm: unexpected line {line!r}")
        if m.group(2) != "A":
            names[m.group(1)].add(m.group(3).split("@")[0])
    return names


def libraries(scope):
    """The scope's libraries that a link can name: not the program, nor the
    loader itself (nor the vDSO, which has no path)."""
    return [p for p in scope[1:] if p.startswith("/") and "/ld-linux" not in p]


def definers_by_symbol(libs, defs, own):
    """For each symbol more than one of libs defines (other than the
    program's own), those libraries in libs' order: the first is where
    the loader finds it."""
    definers = collections.defaultdict(list)
    for lib in libs:
        for name in defs[lib] - own:
            definers[name].append(lib)
    return {name: found for name, found in definers.items() if len(found) > 1}


def must_precede(libs, defs, own):
    """For each library, those of libs before it that define a symbol it
    defines too."""
    before = {lib: set() for lib in libs}
    for found in definers_by_symbol(libs, defs, own).values():
        for i in range(1, len(found)):
            before[found[i]].update(found[:i])
    return before


def ordered(libs, counts, before):
    """libs in an order that keeps `before`, lookups weighted by count made
    short: repeatedly the library whose group (itself and what must precede
    it, not yet placed) has the most bindings per library, the group placed
    most-bound first among what it allows."""
    ancestors = {}

    def ancestors_of(lib):
        if lib not in ancestors:
            found = set()
            for a in before[lib]:
                found |= {a} | ancestors_of(a)
            ancestors[lib] = found
        return ancestors[lib]

    placed, done = [], set()
    while len(placed) < len(libs):
        best = None
        for lib in libs:
            if lib in done:
                continue
            group = (ancestors_of(lib) - done) | {lib}
            density = sum(counts[g] for g in group) / len(group)
            if best is None or density > best[0]:
                best = (density, group)
        group = best[1]
        while group:
            ready = [g for g in libs if g in group and before[g] <= done]
            pick = max(ready, key=lambda g: counts[g])
            placed.append(pick)
            done.add(pick)
            group.discard(pick)
    return placed


def search_depth(order, counts):
    """Libraries tried per binding, on average, with the libraries in order
    after the program."""
    total = sum(counts.values())
    return sum(counts[lib] * (i + 2) for i, lib in enumerate(order)) / total if total else 0.0


def cmd_order(plain, out):
    try:
        scope, counts, _ = loader_trace(plain)
        libs = libraries(scope)
        defs = defined_symbols([scope[0], *libs])
        own = defs[scope[0]]
        order = ordered(libs, counts, must_precede(libs, defs, own))
    except (OSError, subprocess.SubprocessError, RuntimeError) as e:
        print(f"loader_order: {plain}: {e}; the program is linked as usual", file=sys.stderr)
        order = []
    with open(out + ".tmp", "w") as f:
        if order:
            f.write("-Wl,--push-state,--no-as-needed\n")
            f.write("".join(f"{lib}\n" for lib in order))
            f.write("-Wl,--pop-state\n")
    os.replace(out + ".tmp", out)
    if order:
        print(f"loader_order: {len(order)} libraries; libraries tried per lookup "
              f"{search_depth(libraries(scope), counts):.1f} -> {search_depth(order, counts):.1f}")
    return 0


def cmd_check(ordered_program, plain):
    scope_o, counts_o, bind_o = loader_trace(ordered_program)
    scope_p, counts_p, bind_p = loader_trace(plain)
    libs_o, libs_p = libraries(scope_o), libraries(scope_p)
    failures = []
    if sorted(libs_o) != sorted(libs_p):
        failures.append("the two programs load different libraries: "
                        f"{sorted(set(libs_o) ^ set(libs_p))}")
    if bind_o != bind_p:
        diff = sorted(bind_o ^ bind_p)
        failures.append(f"{len(diff)} bindings differ, e.g. {diff[:3]}")
    defs = defined_symbols([scope_p[0], *sorted(set(libs_o) | set(libs_p))])
    own = defs[scope_p[0]]
    shared_o, shared_p = definers_by_symbol(libs_o, defs, own), definers_by_symbol(libs_p, defs, own)
    shared = sorted(shared_p)
    moved = [n for n in shared if shared_o.get(n, [None])[0] != shared_p[n][0]]
    if moved:
        failures.append(f"{len(moved)} symbols defined more than once have another first definer, "
                        f"e.g. {moved[:3]}")
    print(f"{len(libs_o)} libraries; {len(bind_o)} bindings identical: {bind_o == bind_p}; "
          f"{len(shared)} symbols defined more than once, first definer moved for {len(moved)}; "
          f"libraries tried per lookup {search_depth(libs_p, counts_p):.1f} (plain) -> "
          f"{search_depth(libs_o, counts_o):.1f} (ordered)")
    if libs_o == libs_p:
        failures.append("the ordered program's scope is the plain one: the order was not applied")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


def main(argv):
    if len(argv) == 4 and argv[1] == "order":
        return cmd_order(argv[2], argv[3])
    if len(argv) == 4 and argv[1] == "check":
        return cmd_check(argv[2], argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
