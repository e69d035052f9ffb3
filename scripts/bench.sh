#!/usr/bin/env bash
# landcons benchmark: the same `landcons analyze` job on the same synthetic
# data done by landcons, by SpatiaLite SQL and by PostGIS, alternating the
# tools run by run; checks that the three agree and appends a table to
# docs/BENCHMARKS.md. See docs/BENCHMARKS.md for what exactly each peer runs.
#
# usage: scripts/bench.sh [--sizes 3000,30000] [--gaps 3,12] [--reps 3]
#                         [--timeout 1800] [--data DIR] [--no-md] [--no-build]
#                         [--landcons BIN]
#   --sizes  parcel counts (default 3000,30000; 3000,30000,300000 for the full
#            table); sizes >= 100000 run once per tool, the others --reps times
#   --data   cache of generated data (default /tmp/landcons-bench/<n>)
#   --no-md  print the table only, do not append it to docs/BENCHMARKS.md
#   --no-build  use build-bench/landcons as it is; --landcons BIN: use BIN
# Exit 0 when the three tools give the same results, 1 on a mismatch.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

sizes=3000,30000 gaps=3,12 reps=3 timeout=1800 data=/tmp/landcons-bench md=1 build=1
landcons=""
cmdline="scripts/bench.sh $*"
while [ $# -gt 0 ]; do
  case $1 in
    --sizes) sizes=$2; shift 2 ;;
    --gaps) gaps=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --no-md) md=0; shift ;;
    --no-build) build=0; shift ;;
    --landcons) landcons=$(realpath "$2"); build=0; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

# --- packages (installed only when missing): landcons's build dependencies,
# then the peers and the measuring tools
scripts/deps.sh build >&2
need=()
for p in time spatialite-bin postgresql-15-postgis-3 python3-psycopg2 gdal-bin python3-gdal; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "bench.sh: installing ${need[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

# --- landcons, Release, in its own build folder
[ -n "$landcons" ] || landcons=$root/build-bench/landcons
if [ "$build" = 1 ]; then
  cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
  make -C "$root/build-bench" -j"$(nproc)" >/dev/null
fi

# --- data, generated once per size
IFS=, read -r -a size_list <<<"$sizes"
for n in "${size_list[@]}"; do
  if [ ! -f "$data/$n/DK.shp" ] || [ ! -f "$data/$n/DK_register.csv" ]; then
    echo "bench.sh: generating $n parcels into $data/$n" >&2
    rm -rf "$data/$n"
    /usr/bin/python3 "$root/scripts/gen_parcels.py" --parcels "$n" --seed 42 --canal-every 8-14 \
      --name DK --out "$data/$n" >&2
  fi
done

args=(--landcons "$landcons" --data-root "$data" --sizes "$sizes" --gaps "$gaps"
      --reps "$reps" --timeout "$timeout" --command "$cmdline")
[ "$md" = 1 ] && args+=(--md "$root/docs/BENCHMARKS.md")
exec /usr/bin/python3 "$root/scripts/bench/driver.py" "${args[@]}"
