#!/usr/bin/python3
"""Outputs that succeed are whole and never silently replace another's
(SPEC §4, §6), checked on the committed sample:

  stale journal  an OUT.sqlite-journal left by a crashed editor (a real hot
                 journal, made by SQLite itself) beside a new or an existing
                 OUT: the new database opens clean (integrity_check ok, all
                 3026 parcels) and the stale journal is gone;
  concurrent     two runs writing the same new OUT at once: one succeeds,
                 the other exits 2 saying the file appeared meanwhile, and
                 OUT is the complete database of the one that succeeded.

Usage: test_outputs.py --landcons BIN --data-dir GIS_DATA"""
import os
import sqlite3
import subprocess
import tempfile

import lctest


def hot_journal(d):
    """The -journal of a database caught in the middle of a transaction, as
    a crashed editor leaves it: SQLite would roll it back into whatever file
    then bears the database's name."""
    db = os.path.join(d, "editor.sqlite")
    with sqlite3.connect(db) as c:
        c.execute("CREATE TABLE t (x BLOB)")
        c.executemany("INSERT INTO t VALUES (?)", [(os.urandom(3000),) for _ in range(300)])
    c.close()
    c = sqlite3.connect(db, isolation_level=None)
    c.execute("PRAGMA journal_mode=DELETE")
    c.execute("BEGIN")
    c.execute("UPDATE t SET x = zeroblob(3000)")
    c.execute("PRAGMA cache_spill=1")
    # the journal holds the original pages once the change reaches the file
    c.execute("PRAGMA cache_size=1")
    c.execute("UPDATE t SET x = zeroblob(3001)")
    with open(db + "-journal", "rb") as f:
        journal = f.read()
    c.execute("ROLLBACK")
    c.close()
    return journal


def check_db(t, path, tag):
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as c:
            ok = c.execute("PRAGMA integrity_check").fetchone()[0]
            n = c.execute("SELECT count(*) FROM parcels").fetchone()[0]
        c.close()
    except sqlite3.DatabaseError as e:
        ok, n = str(e), None
    t.eq(ok, "ok", f"{tag}: integrity_check")
    t.eq(n, 3026, f"{tag}: parcels in the database")


def main():
    a = lctest.arg_parser().parse_args()
    t = lctest.Checker("outputs")
    d0 = os.path.join(os.path.abspath(a.data_dir), "shuangcheng")
    base = [a.landcons, "analyze", os.path.join(d0, "DK.shp"), "--register",
            os.path.join(d0, "DK_register.csv"), "--as-of", "2019-05-01", "-q"]
    with tempfile.TemporaryDirectory() as d:
        journal = hot_journal(d)
        t.check(len(journal) > 512, f"a hot journal of {len(journal)} bytes")
        for tag, existing in (("new output", False), ("--overwrite", True)):
            out = os.path.join(d, tag.strip("-").replace(" ", "_") + ".sqlite")
            if existing:
                with open(out, "w") as f:
                    f.write("an earlier result\n")
            with open(out + "-journal", "wb") as f:
                f.write(journal)
            r = lctest.run(base + ["-o", out] + (["--overwrite"] if existing else []))
            t.eq(r.returncode, 0, f"stale journal, {tag}: exit ({r.stderr.strip()})")
            t.check(not os.path.exists(out + "-journal"), f"stale journal, {tag}: the journal is gone")
            check_db(t, out, f"stale journal, {tag}")
            left = sorted(f for f in os.listdir(d) if f.startswith(os.path.basename(out)))
            t.eq(left, [os.path.basename(out)], f"stale journal, {tag}: nothing else beside it")

        # two runs, one new output
        out = os.path.join(d, "shared.sqlite")
        procs = [subprocess.Popen(base + ["-o", out], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
        res = [(p.wait(timeout=600), p.stderr.read()) for p in procs]
        codes = sorted(c for c, _ in res)
        t.eq(codes, [0, 2], f"concurrent runs: one succeeds, one refuses ({res})")
        err = "".join(e for c, e in res if c == 2)
        t.check("was created by another program while landcons ran" in err or "already exists" in err,
                f"concurrent runs: the refusal says why: {err.strip()}")
        check_db(t, out, "concurrent runs")
        left = sorted(f for f in os.listdir(d) if f.startswith("shared"))
        t.eq(left, ["shared.sqlite"], "concurrent runs: no temporary file left")
    t.done()


if __name__ == "__main__":
    main()
