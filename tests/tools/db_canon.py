#!/usr/bin/python3
"""A canonical text of a landcons output database: every table landcons
writes, rows in rowid order, values as Python reprs with blobs (geometries)
as hex (or their SHA-256), the data folder replaced by {DATA}; SpatiaLite's own metadata and
the R*Tree shadow tables are left out (their content follows from the rows).
Two databases with the same canonical text hold the same results.

usage: db_canon.py DB [--data-dir DIR] [--hash-blobs] [-o OUT.gz]"""
import argparse
import gzip
import hashlib
import sqlite3
import sys

# what landcons writes; anything else (spatial_ref_sys, idx_*, ...) is SpatiaLite's
TABLES = ["parcels", "blocks", "enclaves", "sites", "site_overlaps", "constraint_overlaps", "progress",
          "qa_issues", "qa_overlaps", "summary", "layer_styles"]


def canon(db, data_dir=None, hash_blobs=False):
    con = sqlite3.connect(db)
    names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    out = []
    for t in TABLES:
        if t not in names:
            continue
        cols = [r[1] for r in con.execute(f'PRAGMA table_info("{t}")')]
        out.append(f"## {t} ({', '.join(cols)})")
        for row in con.execute(f'SELECT * FROM "{t}" ORDER BY rowid'):
            vals = []
            for v in row:
                if isinstance(v, bytes):
                    vals.append("sha256:" + hashlib.sha256(v).hexdigest() if hash_blobs else v.hex())
                else:
                    s = repr(v)
                    if data_dir:
                        s = s.replace(data_dir.rstrip("/"), "{DATA}")
                    vals.append(s)
            out.append("\t".join(vals))
    gc = con.execute("SELECT f_table_name, f_geometry_column, geometry_type, coord_dimension, srid, "
                     "spatial_index_enabled FROM geometry_columns ORDER BY f_table_name").fetchall()
    out.append("## geometry_columns")
    out.extend("\t".join(map(repr, r)) for r in gc)
    con.close()
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("db")
    ap.add_argument("--data-dir")
    ap.add_argument("-o")
    ap.add_argument("--hash-blobs", action="store_true", help="geometries as the SHA-256 of their blob")
    a = ap.parse_args()
    text = canon(a.db, a.data_dir, a.hash_blobs)
    if a.o:
        with gzip.GzipFile(a.o, "wb", mtime=0) as f:
            f.write(text.encode())
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
