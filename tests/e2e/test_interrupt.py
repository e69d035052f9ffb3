#!/usr/bin/python3
"""Interrupting analyze (SIGINT, SIGTERM) at different phases — reading (by
time), computing and writing (right after the -v line of the phase before) —
leaves no output and no temporary file, exits 128 + the
signal's number (130 for SIGINT) and never crashes; so does every other
terminating signal (SIGHUP, SIGUSR1, SIGALRM, a real-time signal, ...).
A signal at start-up, while the dynamic loader may still be mapping the
libraries (before main can install its handlers), ends the process either
way: by the signal's default action or as above; nothing is left.
Usage: test_interrupt.py --landcons BIN --generator scripts/gen_parcels.py [--parcels N]"""
import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lctest  # noqa: E402


def handler_installed(pid, sig):
    """True once the process catches sig (its SigCgt mask in /proc), i.e. main
    has installed its handlers; False if the process is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("SigCgt:"):
                    return bool(int(line.split()[1], 16) >> (sig - 1) & 1)
    except OSError:
        return False
    return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--landcons", required=True)
    ap.add_argument("--generator", required=True)
    ap.add_argument("--parcels", type=int, default=30000)
    a = ap.parse_args()
    t = lctest.Checker("interrupt")
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "data")
        subprocess.run(["/usr/bin/python3", a.generator, "--parcels", str(a.parcels), "--seed", "7",
                        "--canal-every", "8-14", "--out", data, "--name", "DK", "--no-sites"],
                       check=True, capture_output=True)
        args = [a.landcons, "analyze", os.path.join(data, "DK.shp"), "--register",
                os.path.join(data, "DK_register.csv"), "--as-of", "2019-05-01", "--gap", "12", "-q", "-v"]
        # the full run, for its length and phase times
        out = os.path.join(tmp, "full.sqlite")
        t0 = time.monotonic()
        r = subprocess.run(args + ["-o", out], capture_output=True, text=True)
        full = time.monotonic() - t0
        t.eq(r.returncode, 0, f"uninterrupted run ({r.stderr.strip()[-200:]})")
        print(f"uninterrupted: {full:.2f} s\n{r.stderr.strip()}")
        interrupted = 0
        # SIGINT and SIGTERM at every phase; the other terminating signals
        # once each, spread over computing and writing. Reading is cut by
        # time (its -v line comes at its end); later phases right after the
        # -v line of the phase before them, so that a machine slower or
        # faster than during the full run does not move the cut past the end.
        phases = [(0.1, None), (0, "landcons: adjacency "), (0, "landcons: plan: bridges and route"),
                  (0, "landcons: footprints ")]
        others = (signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2, signal.SIGALRM,
                  signal.SIGXCPU, signal.SIGRTMIN + 1)
        runs = [(at, sig) for at in phases for sig in (signal.SIGINT, signal.SIGTERM)]
        runs += [(phases[1 + i % 3], sig) for i, sig in enumerate(others)]
        for k, ((frac, after), sig) in enumerate(runs):
            sig = int(sig)
            name = signal.Signals(sig).name if sig != signal.SIGRTMIN + 1 else "SIGRTMIN+1"
            out = os.path.join(tmp, f"cut{k}_{sig}.sqlite")
            p = subprocess.Popen(args + ["-o", out], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            seen = []
            if after:
                for line in p.stderr:
                    seen.append(line)
                    if line.startswith(after):
                        break
            else:
                # the cut by time counts from the handlers being in place: a
                # machine busy with the tests beside this one can take longer
                # than 10 % of the full run just to load the libraries
                t0 = time.monotonic()
                while p.poll() is None and not handler_installed(p.pid, sig) and time.monotonic() - t0 < 60:
                    time.sleep(0.002)
                time.sleep(full * frac)
            p.send_signal(sig)
            _, err = p.communicate(timeout=120)
            err = "".join(seen) + err
            left = [f for f in os.listdir(tmp) if f.startswith(f"cut{k}_")]
            what = f"{name} after '{after}'" if after else f"{name} at {frac:.0%} of the run"
            if p.returncode == 0:
                t.eq(left, [os.path.basename(out)], f"{what}: finished before the signal, complete output")
                continue
            interrupted += 1
            t.eq(p.returncode, 128 + sig, f"{what}: exit code 128 + {sig} ({err.strip()[-200:]})")
            t.check(f"interrupted ({name}); no output written" in err, f"{what}: says so: {err.strip()[-120:]}")
            t.eq(left, [], f"{what}: no output and no temporary file left")
        # at start-up: killed by the default action before main, or handled
        for k, sig in enumerate((signal.SIGINT, signal.SIGTERM), start=len(runs)):
            sig = int(sig)
            out = os.path.join(tmp, f"cut{k}_{sig}.sqlite")
            p = subprocess.Popen(args + ["-o", out], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            p.send_signal(sig)
            _, err = p.communicate(timeout=120)
            name = signal.Signals(sig).name
            t.check(p.returncode in (-sig, 128 + sig),
                    f"{name} at start-up: ended by the signal ({p.returncode}; {err.strip()[-200:]})")
            if p.returncode == 128 + sig:
                t.check(f"interrupted ({name}); no output written" in err, f"{name} at start-up: says so")
            left = [f for f in os.listdir(tmp) if f.startswith(f"cut{k}_")]
            t.eq(left, [], f"{name} at start-up: no output and no temporary file left")
        t.check(interrupted >= 12, f"{interrupted} of {len(runs)} runs were interrupted")
        print(f"{interrupted} of {len(runs)} runs interrupted")
    t.done()


if __name__ == "__main__":
    main()
