#!/usr/bin/python3
"""What one register may take is bounded (docs/REGISTER.md, Limits): a
1.6 MB XLSX holding a 1.5 GB cell, a workbook with a 200 MB cell inside its
size limit, a CSV with a 2 MB record, a CSV cell of 100 KB and a 200 MB CSV
are each refused with exit 2 and a message naming the file and the limit,
leave nothing behind, and the process never takes more than MEMORY_LIMIT_MB
of memory (peak resident size of the child, from getrusage).

usage: test_register_limits.py --landcons BIN --data-dir GIS_DATA"""
import os
import re
import subprocess
import sys
import struct
import tempfile
import zipfile
import zlib

import openpyxl

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lctest  # noqa: E402

# A normal run on the sample peaks near 60 MB; the bombs must not come near
# what they would take if expanded (1.5 GB and more).
MEMORY_LIMIT_MB = 300


def deflated_repeat(prefix, chunk, times, suffix):
    """Raw deflate of prefix + chunk*times + suffix, CRC-32 and size, made
    without compressing every copy: after a full flush a compressor starts
    afresh, so each copy of the chunk compresses to the same bytes."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = c.compress(prefix) + c.flush(zlib.Z_FULL_FLUSH)
    body = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    tail = c.compress(suffix) + c.flush()
    crc = zlib.crc32(prefix)
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(suffix, crc)
    return head, body, times, tail, crc & 0xFFFFFFFF, len(prefix) + len(chunk) * times + len(suffix)


def write_zip(path, members):
    """A zip archive; members: (name, bytes) stored as they are, or (name,
    deflated_repeat(...)) written with ZIP64 sizes."""
    central, offset = [], 0
    with open(path, "wb") as f:
        for name, data in members:
            nm = name.encode()
            if isinstance(data, bytes):
                crc, usize, method, csize = zlib.crc32(data) & 0xFFFFFFFF, len(data), 0, len(data)
                extra = b""
                f.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0x4EA8, crc, csize, usize,
                                    len(nm), 0) + nm + data)
                cextra = b""
                sizes = (csize, usize)
            else:
                head, body, times, tail, crc, usize = data
                csize = len(head) + len(body) * times + len(tail)
                extra = struct.pack("<HHQQ", 1, 16, usize, csize)
                f.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, 8, 0, 0x4EA8, crc, 0xFFFFFFFF,
                                    0xFFFFFFFF, len(nm), len(extra)) + nm + extra)
                f.write(head)
                for _ in range(times):
                    f.write(body)
                f.write(tail)
                method, cextra, sizes = 8, extra, (0xFFFFFFFF, 0xFFFFFFFF)
            central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, method, 0, 0x4EA8, crc,
                                       sizes[0], sizes[1], len(nm), len(cextra), 0, 0, 0, 0, offset)
                           + nm + cextra)
            offset = f.tell()
        cd = b"".join(central)
        f.write(cd)
        f.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), len(cd), offset, 0))


def cell_bomb(path, cell_bytes):
    """A valid workbook whose one shared string is `cell_bytes` long."""
    base = path + ".base.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["B1"], ws["A2"], ws["B2"] = "地块编码", "流转状态", "2301131012010100001", "x"
    wb.save(base)
    with zipfile.ZipFile(base) as src:
        members = [(i.filename, src.read(i.filename)) for i in src.infolist()
                   if i.filename != "xl/sharedStrings.xml"]
    os.remove(base)
    prefix = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
              'spreadsheetml/2006/main" count="4" uniqueCount="4"><si><t>地块编码</t></si><si><t>流转状态'
              '</t></si><si><t>2301131012010100001</t></si><si><t>').encode()
    mb = 1 << 20
    members.append(("xl/sharedStrings.xml", deflated_repeat(prefix, b"A" * mb, cell_bytes // mb,
                                                            b"</t></si></sst>")))
    write_zip(path, members)


class Result:
    def __init__(self, returncode, stderr):
        self.returncode, self.stderr = returncode, stderr


def run_measured(args, env):
    """Runs a command; returns its result and its own peak resident size (MB)."""
    with tempfile.TemporaryFile() as err:
        p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=err, env=env)
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        return Result(p.returncode, err.read().decode("utf-8", "replace")), usage.ru_maxrss / 1024


def main():
    a = lctest.arg_parser().parse_args()
    t = lctest.Checker("register limits")
    shp = os.path.join(a.data_dir, "shuangcheng", "DK.shp")
    with tempfile.TemporaryDirectory() as tmp:
        cases = []
        big = os.path.join(tmp, "bomb_1500mb.xlsx")
        cell_bomb(big, 1500 << 20)
        cases.append(("1.5 GB cell", big, r"bomb_1500mb\.xlsx: expands to 1500 MiB of XML, more than the 512 MiB"))
        mid = os.path.join(tmp, "bomb_200mb.xlsx")
        cell_bomb(mid, 200 << 20)
        cases.append(("200 MB cell", mid, r"bomb_200mb\.xlsx: holds a cell or attribute of 209715\d\d\d bytes "
                      r"\(at most 98304 are read from one cell\)"))
        line = os.path.join(tmp, "long_record.csv")
        with open(line, "w", encoding="utf-8") as f:
            f.write("地块编码,流转状态,签约日期\n2301131012010100001,已签约,2019-03-05\n")
            f.write("2301131012010100002," + "x" * (2 << 20) + ",\n")
        cases.append(("2 MB record", line, r"long_record\.csv row 3: longer than 1024 KiB"))
        cell = os.path.join(tmp, "long_cell.csv")
        with open(cell, "w", encoding="utf-8") as f:
            f.write("地块编码,流转状态,签约日期,备注\n2301131012010100001,已签约,2019-03-05," + "说" * 40000 + "\n")
        cases.append(("100 KB cell", cell, r"long_cell\.csv row 2, column D: a cell of 120000 bytes "
                      r"\(at most 98304 are read from one cell\)"))
        huge = os.path.join(tmp, "huge.csv")
        with open(huge, "wb") as f:
            f.write(b"\xef\xbb\xbf\xe5\x9c\xb0\xe5\x9d\x97\xe7\xbc\x96\xe7\xa0\x81,ZT,QYRQ\n")
            f.truncate(200 << 20)   # sparse: takes no disk
        cases.append(("200 MB CSV", huge, r"huge\.csv: 200 MiB, more than the 128 MiB landcons reads"))
        env = dict(os.environ)
        # AddressSanitizer keeps freed memory in quarantine (256 MB by
        # default): keep that small; a build without it ignores the variable
        env["ASAN_OPTIONS"] = ":".join(filter(None, [env.get("ASAN_OPTIONS"), "quarantine_size_mb=8"]))
        for name, reg, pattern in cases:
            out = os.path.join(tmp, "out.sqlite")
            r, peak_mb = run_measured([a.landcons, "analyze", shp, "--register", reg, "-o", out, "-q"], env)
            t.eq(r.returncode, 2, f"{name}: exit code (stderr {r.stderr[:300]!r})")
            t.check(re.search(pattern, r.stderr) is not None, f"{name}: message {r.stderr.strip()[:300]!r}")
            t.check(peak_mb < MEMORY_LIMIT_MB, f"{name}: peak memory {peak_mb:.0f} MB (limit {MEMORY_LIMIT_MB} MB)")
            t.check(not os.path.exists(out), f"{name}: no output")
            print(f"{name}: exit {r.returncode}, peak memory {peak_mb:.0f} MB")
        t.check(os.path.getsize(big) < 4 << 20, f"the 1.5 GB cell is a small file ({os.path.getsize(big)} bytes)")
    t.done()


if __name__ == "__main__":
    main()
