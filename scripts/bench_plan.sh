#!/usr/bin/env bash
# landcons plan vs landcons analyze on the same generated data: wall and CPU
# time (medians), peak memory, and a check that both report the same largest
# block. plan must take less time than analyze (issue 18); the table goes to a
# dated section at the end of docs/BENCHMARKS.md, with the load average of the
# machine before and after (the machine is shared: a load above the core count
# means the times are inflated).
#
# usage: scripts/bench_plan.sh [--sizes 30000,300000] [--gaps 10] [--reps 3]
#                              [--as-of 2019-05-01] [--data DIR] [--no-md]
#                              [--no-build] [--landcons BIN]
#   --sizes  parcel counts; sizes >= 100000 run once per command, the others --reps times
#   --data   cache of generated data (default /tmp/landcons-bench-plan/<n>);
#            generated as scripts/bench.sh does (seed 42, canals every 8-14 blocks)
#   --no-md  print the table only; --no-build: use build-bench/landcons as it is
# Exit 0 when plan is faster than analyze everywhere and the figures agree, else 1.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

sizes=30000,300000 gaps=10 reps=3 as_of=2019-05-01 data=/tmp/landcons-bench-plan md=1 build=1
landcons=""
cmdline="scripts/bench_plan.sh $*"
while [ $# -gt 0 ]; do
  case $1 in
    --sizes) sizes=$2; shift 2 ;;
    --gaps) gaps=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --as-of) as_of=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --no-md) md=0; shift ;;
    --no-build) build=0; shift ;;
    --landcons) landcons=$(realpath "$2"); build=0; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "bench_plan.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
command -v /usr/bin/time >/dev/null || { echo "bench_plan.sh: needs GNU time (apt-get install time)" >&2; exit 2; }

[ -n "$landcons" ] || landcons=$root/build-bench/landcons
if [ "$build" = 1 ]; then
  cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
  make -C "$root/build-bench" -j"$(nproc)" >/dev/null
fi

IFS=, read -r -a size_list <<<"$sizes"
IFS=, read -r -a gap_list <<<"$gaps"
for n in "${size_list[@]}"; do
  if [ ! -f "$data/$n/DK.shp" ] || [ ! -f "$data/$n/DK_register.csv" ]; then
    echo "bench_plan.sh: generating $n parcels into $data/$n" >&2
    rm -rf "$data/$n"
    /usr/bin/python3 "$root/scripts/gen_parcels.py" --parcels "$n" --seed 42 --canal-every 8-14 \
      --name DK --out "$data/$n" --no-sites >&2
  fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
rows=()
ok=1
# one timed run: "wall user+sys maxrss_kib" into $work/t, its stdout in $work/out
timed() {
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >"$work/out" 2>"$work/err" || {
    echo "bench_plan.sh: failed: $* ($(tail -c 300 "$work/err"))" >&2; exit 1; }
  read -r wall user sys rss <"$work/time"
  python3 -c "print($wall, round($user + $sys, 2), $rss)" >"$work/t"
}
median() { python3 -c "import statistics,sys; print(statistics.median(float(x) for x in sys.argv[1:]))" "$@"; }

for n in "${size_list[@]}"; do
  r=$reps; [ "$n" -ge 100000 ] && r=1
  for gap in "${gap_list[@]}"; do
    common=("$data/$n/DK.shp" --register "$data/$n/DK_register.csv" --as-of "$as_of" --gap "$gap" -q --json)
    aw=() ac=() pw=() pc=() arss=0 prss=0
    for ((k = 0; k < r; k++)); do   # alternate, so a change of load hits both
      timed "$landcons" analyze "${common[@]}" -o "$work/out.sqlite" --overwrite
      read -r w c m <"$work/t"
      a_mu=$(python3 -c "import json; print(json.load(open('$work/out'))['largest_block']['parcel_mu'])")
      aw+=("$w"); ac+=("$c"); [ "$m" -gt "$arss" ] && arss=$m
      timed "$landcons" plan "${common[@]}"
      read -r w c m <"$work/t"
      p_line=$(python3 -c "import json; j=json.load(open('$work/out')); print(j['largest_mu'], j['untransferred'], len(j['route']), j['end'])")
      pw+=("$w"); pc+=("$c"); [ "$m" -gt "$prss" ] && prss=$m
    done
    read -r p_mu untransferred steps end <<<"$p_line"
    same=$([ "$a_mu" = "$p_mu" ] && echo yes || echo NO)
    [ "$same" = yes ] || ok=0
    maw=$(median "${aw[@]}") mac=$(median "${ac[@]}") mpw=$(median "${pw[@]}") mpc=$(median "${pc[@]}")
    faster=$(python3 -c "print('yes' if $mpw < $maw else 'NO')")
    [ "$faster" = yes ] || ok=0
    rows+=("| $(python3 -c "print(f'{$n:,}')") | $gap m | $untransferred | $steps ($end) | ${maw} s / ${mac} s | $((arss / 1024)) MiB | ${mpw} s / ${mpc} s | $((prss / 1024)) MiB | $(python3 -c "print(f'{$mpw / $maw:.2f}')") | $same |")
    echo "bench_plan.sh: $n parcels, gap $gap: analyze ${maw} s, plan ${mpw} s" >&2
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git -C "$root" status --porcelain -- src cli include CMakeLists.txt 2>/dev/null | head -1)
{
  echo
  echo "## plan vs analyze, run of $(date -u '+%Y-%m-%d %H:%M') UTC"
  echo
  echo "\`$cmdline\`, commit $commit${dirty:+ (with uncommitted changes in src/, cli/, include/ or CMakeLists.txt)},"
  echo "as of $as_of, $(nproc) CPUs; medians of $reps runs (one run at 100,000 parcels and more),"
  echo "the two commands alternating. Load average before: $load_before; after: $load_after."
  echo
  echo "| parcels | gap | untransferred | route steps | analyze wall / CPU | analyze peak | plan wall / CPU | plan peak | plan ÷ analyze (wall) | same largest block |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|"
  printf '%s\n' "${rows[@]}"
} >"$work/section"
cat "$work/section"
[ "$md" = 1 ] && cat "$work/section" >>"$root/docs/BENCHMARKS.md"
[ "$ok" = 1 ]
