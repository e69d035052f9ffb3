#!/usr/bin/env bash
# landcons against itself: the benchmark's landcons job (scripts/bench.sh, the
# same data and command line) with the binaries of two commits, alternating
# run by run, so that both see the same machine; prints the median wall and
# CPU time of each by shape and gap, and their ratio. For "did this change
# make it slower": a refactoring must show no slowdown beyond noise.
#
# usage: scripts/bench_compare.sh OLD_REV [NEW_REV] [--reps 5] [--sizes 30000]
#                                 [--shapes strips,project,mosaic,fr] [--gaps 3,12]
#   NEW_REV defaults to the working tree as it is (HEAD plus uncommitted changes);
#   each commit is built (Release) in a worktree under /tmp/landcons-compare.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

old="" new="" reps=5 sizes=30000 shapes=strips,project,mosaic,fr gaps=3,12
while [ $# -gt 0 ]; do
  case $1 in
    --reps) reps=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --shapes) shapes=$2; shift 2 ;;
    --gaps) gaps=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    -*) echo "bench_compare.sh: unknown option $1" >&2; exit 2 ;;
    *) if [ -z "$old" ]; then old=$1; elif [ -z "$new" ]; then new=$1;
       else echo "bench_compare.sh: one old and one new revision" >&2; exit 2; fi; shift ;;
  esac
done
[ -n "$old" ] || { echo "usage: scripts/bench_compare.sh OLD_REV [NEW_REV] [options]" >&2; exit 2; }

work=/tmp/landcons-compare
mkdir -p "$work"
# build REV (or the working tree when REV is empty) into $work/<name>; prints the binary
build() {
  local rev=$1 name src
  if [ -z "$rev" ]; then
    name=worktree src=$root
  else
    name=$(git rev-parse --short "$rev") src=$work/src-$name
    [ -d "$src" ] || git worktree add --detach "$src" "$rev" >/dev/null 2>&1
  fi
  cmake -S "$src" -B "$work/build-$name" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
  make -C "$work/build-$name" -j"$(nproc)" landcons_cli >/dev/null 2>&1 || make -C "$work/build-$name" -j"$(nproc)" >/dev/null
  echo "$work/build-$name/landcons"
}
old_bin=$(build "$old")
new_bin=$(build "$new")
old_name=$(git rev-parse --short "$old")
new_name=${new:+$(git rev-parse --short "$new")}
new_name=${new_name:-"working tree ($(git rev-parse --short HEAD))"}

log=$work/runs.log
: >"$log"
for ((i = 1; i <= reps; i++)); do
  for tag in old new; do
    bin=$old_bin; [ "$tag" = new ] && bin=$new_bin
    scripts/bench.sh --tools landcons --reps 1 --no-md --landcons "$bin" --sizes "$sizes" \
      --shapes "$shapes" --gaps "$gaps" 2>&1 | sed -n "s/^\(.*\) landcons run 1: wall \([0-9.]*\) s, CPU \([0-9.]*\) s.*/$tag|\1|\2|\3/p" >>"$log"
  done
done

/usr/bin/python3 - "$log" "$old_name" "$new_name" "$reps" <<'EOF'
import statistics, sys
log, old_name, new_name, reps = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
runs = {}
for line in open(log):
    tag, case, wall, cpu = line.rstrip("\n").split("|")
    runs.setdefault(case, {}).setdefault(tag, []).append((float(wall), float(cpu)))
print(f"landcons {old_name} (old) vs {new_name} (new), medians of {reps} alternating runs")
print()
print("| case | old wall s | new wall s | new ÷ old | old CPU s | new CPU s | new ÷ old |")
print("|---|---:|---:|---:|---:|---:|---:|")
for case, r in runs.items():
    if "old" not in r or "new" not in r:
        continue
    ow, oc = (statistics.median(x[k] for x in r["old"]) for k in (0, 1))
    nw, nc = (statistics.median(x[k] for x in r["new"]) for k in (0, 1))
    print(f"| {case} | {ow:.2f} | {nw:.2f} | {nw / ow:.2f} | {oc:.2f} | {nc:.2f} | {nc / oc:.2f} |")
EOF
