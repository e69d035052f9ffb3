#!/usr/bin/python3
"""End-to-end: the progress line on a terminal (SPEC §7: progress shown on a
terminal) and clean stderr elsewhere.

Runs `landcons analyze -v` on the committed sample under a pseudo-terminal
and replays what a terminal would show (carriage return, erase to end of
line): progress was drawn for reading, adjacency, footprints and (with one
thread, when the parcels layer is not written alongside) writing;
every -v timing line starts at the left margin, never glued to a progress
line; no progress line is left on the screen at the end. Without -v, the
summary of analyze --report (on a generated layer large enough for the
report's progress), verify and progress (also in Chinese) starts at the
left margin with no progress text left on any line. The sample as GeoJSON:
its features counted while fetched (no total yet), then checked of the total.
Then the first run with stderr on a pipe: no progress at all and no escape
sequence.
"""
import os
import pty
import re
import subprocess
import tempfile

import lctest


def run_on_pty(cmd, env=None):
    """Runs cmd with stdout and stderr on a new pseudo-terminal; returns (exit, text)."""
    master, slave = pty.openpty()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, close_fds=True, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            b = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not b:
            break
        chunks.append(b)
    os.close(master)
    return p.wait(), b"".join(chunks).decode("utf-8", "replace")


def screen_lines(raw):
    """The lines a terminal shows: \\r returns to column 0, ESC[K erases to the end."""
    shown = []
    for line in raw.replace("\r\n", "\n").split("\n"):
        cur, col = [], 0
        for tok in re.split(r"(\r|\x1b\[K)", line):
            if tok == "\r":
                col = 0
            elif tok == "\x1b[K":
                del cur[col:]
            else:
                for ch in tok:
                    if col < len(cur):
                        cur[col] = ch
                    else:
                        cur.append(ch)
                    col += 1
        shown.append("".join(cur))
    return shown


PROGRESS = re.compile(r"\d+/\d+ \(\d+%\)")


def summaries_clean(t, a, d, tmp):
    """Without -v nothing but the summary takes the progress line down: each
    command's first line of output must start at the left margin, with no
    progress text left on any line of the screen (analyze --report on a
    layer large enough for the report's own progress: 30,000 parcels, as it
    reports every 4,096 at most ten times a second; verify, progress; and
    progress in Chinese, whose phases are drawn in Chinese)."""
    shp, reg, sites = (os.path.join(d, n) for n in ("DK.shp", "DK_register.csv", "DK_sites.geojson"))
    gen = os.path.join(tmp, "gen")
    subprocess.run(["/usr/bin/python3", a.generator, "--parcels", "30000", "--seed", "3", "--out", gen, "--name",
                    "DK", "--no-sites"], check=True, capture_output=True)
    runs = [
        ("analyze --report", [a.landcons, "analyze", os.path.join(gen, "DK.shp"), "--register",
                              os.path.join(gen, "DK_register.csv"), "--as-of", "2019-05-01", "--threads", "1",
                              "-o", os.path.join(tmp, "gen.sqlite"), "--report", os.path.join(tmp, "gen.html"),
                              "--overwrite"], 0, "writing the report", "Parcels:", None),
        ("verify", [a.landcons, "verify", shp, "--register", reg, "--site", sites, "--as-of", "2019-03-03"], 1,
         "reading parcels", "Register:", None),
        ("progress", [a.landcons, "progress", shp, "--register", reg, "--as-of", "2019-05-01", "--by", "village"],
         0, "reading parcels", "Register:", None),
        ("progress in Chinese", [a.landcons, "progress", shp, "--register", reg, "--as-of", "2019-05-01"], 0,
         "读取地块", "台账：", "zh_CN"),
    ]
    for label, cmd, code, phase, first, language in runs:
        env = dict(os.environ, LANGUAGE=language, LANG="C.UTF-8", LC_ALL="", LC_MESSAGES="") if language else None
        rc, raw = run_on_pty(cmd, env)
        t.eq(rc, code, f"{label} on a terminal: exit")
        t.check(re.search(re.escape(phase) + r" \d+/\d+ \(\d+%\)", raw) is not None,
                f"{label}: progress drawn for {phase}")
        lines = screen_lines(raw)
        t.eq([ln for ln in lines if PROGRESS.search(ln)], [], f"{label}: no progress text left on the screen")
        t.check(any(ln.startswith(first) for ln in lines), f"{label}: the summary's {first!r} at the left margin")


def main():
    a = lctest.arg_parser()
    a.add_argument("--generator", required=True)
    a = a.parse_args()
    t = lctest.Checker("terminal")
    d = os.path.join(a.data_dir, "shuangcheng")
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [a.landcons, "analyze", os.path.join(d, "DK.shp"), "--register", os.path.join(d, "DK_register.csv"),
               "--as-of", "2019-05-01", "-o", os.path.join(tmp, "out.sqlite"), "--overwrite", "-v"]
        # with two threads the parcels layer is written alongside the footprints
        # (no line of its own); with one, after them
        for extra, phases in (([], ("reading parcels", "adjacency", "footprints")),
                              (["--threads", "1"], ("reading parcels", "adjacency", "footprints", "writing parcels"))):
            label = " ".join(extra) or "default threads"
            code, raw = run_on_pty(cmd + extra)
            t.eq(code, 0, f"{label}: analyze on a terminal: exit")
            for phase in phases:
                t.check(re.search(re.escape(phase) + r" \d+/\d+ \(\d+%\)", raw) is not None,
                        f"{label}: progress drawn for {phase}")
            lines = screen_lines(raw)
            timing = [ln for ln in lines if "landcons: " in ln and re.search(r"\d\.\d{3} s$", ln)]
            t.check(len(timing) >= 8, f"{label}: -v timing lines on the screen: {len(timing)}")
            glued = [ln for ln in timing if not ln.startswith("landcons: ")]
            t.eq(glued, [], f"{label}: every timing line starts at the left margin")
            # with two threads the register is read on a worker while the
            # parcels are read; with one, after them
            register = [ln.split("  ")[0] for ln in timing if ln.startswith("landcons: read register")]
            t.eq(register, ["landcons: read register" + (" (alongside)" if not extra else "")],
                 f"{label}: the register's timing line")
            leftover = [ln for ln in lines if re.search(r"\d+/\d+ \(\d+%\)", ln)]
            t.eq(leftover, [], f"{label}: no progress line left on the screen")
            t.check(any(ln.startswith("Blocks:") for ln in lines), f"{label}: the summary is shown")

        # a GeoJSON layer: its features are counted while fetched beside
        # GDAL's opening (their total is not known yet), then checked out of
        # the total; the count is drawn as a count, then taken down
        gj = os.path.join(tmp, "DK.geojson")
        made = subprocess.run(["ogr2ogr", "-f", "GeoJSON", "-t_srs", "EPSG:4490", gj, os.path.join(d, "DK.shp")],
                              capture_output=True, text=True)
        t.eq(made.returncode, 0, f"the sample as GeoJSON: {made.stderr[-300:]}")
        code, raw = run_on_pty([a.landcons, "analyze", gj, "--key", "DKBM", "--register",
                                os.path.join(d, "DK_register.csv"), "--min-key-match", "0", "--as-of", "2019-05-01",
                                "-o", os.path.join(tmp, "gj.sqlite"), "--overwrite", "-v", "--threads", "2"])
        t.eq(code, 0, "GeoJSON on a terminal: exit")
        t.check(re.search(r"reading parcels \d+(\r|\x1b)", raw) is not None, "GeoJSON: the fetch drawn as a count")
        t.check(re.search(r"checking parcels \d+/\d+ \(\d+%\)", raw) is not None, "GeoJSON: the checking drawn of the total")
        t.check("/0 (" not in raw, "GeoJSON: no total of 0 drawn")
        lines = screen_lines(raw)
        t.check(any(ln.startswith("landcons: fetch features (alongside the opening)") for ln in lines),
                "GeoJSON: the fetch's timing line at the left margin")
        leftover = [ln for ln in lines if re.search(r"(reading|checking) parcels \d", ln)]
        t.eq(leftover, [], "GeoJSON: no progress line left on the screen")

        summaries_clean(t, a, d, tmp)

        r = lctest.run(cmd)
        t.eq(r.returncode, 0, "analyze with stderr on a pipe: exit")
        t.check("\x1b" not in r.stderr and "\r" not in r.stderr, "no escape sequence or carriage return on a pipe")
        t.check(re.search(r"\d+/\d+ \(\d+%\)", r.stderr) is None, "no progress on a pipe")
    t.done()


if __name__ == "__main__":
    main()
