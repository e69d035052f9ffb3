#!/usr/bin/env bash
# landcons benchmark: the same `landcons analyze` job on the same data done
# by landcons, by SpatiaLite SQL and by PostGIS, with a plain ogr2ogr copy of
# the parcels as the I/O floor, alternating the tools run by run, on every
# shape of input; checks that the three agree and appends the tables to
# docs/BENCHMARKS.md. See docs/BENCHMARKS.md for what exactly each peer runs.
#
# usage: scripts/bench.sh [--shapes strips,project,mosaic,fr] [--sizes 30000,300000]
#                         [--gaps 3,12] [--reps 3] [--timeout 1800] [--data DIR]
#                         [--tools landcons,spatialite,postgis,floor]
#                         [--no-md] [--no-build] [--landcons BIN]
#   --shapes strips: generated strips, two small sites; project: the same
#            strips, one site around the whole campaign; mosaic: a generated
#            shared-edge mosaic (one giant block); fr: the French cadastral
#            mosaic from ../shared/data (one size; skipped when absent)
#   --sizes  parcel counts of the generated shapes (default 30000,300000);
#            sizes >= 100000 run once per tool, the others --reps times
#   --data   cache of generated data (default /tmp/landcons-bench)
#   --no-md  print the tables only, do not append them to docs/BENCHMARKS.md
#   --no-build  use build-bench/landcons as it is; --landcons BIN: use BIN
# Exit 0 when the three tools give the same results, 1 on a mismatch.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

sizes=30000,300000 gaps=3,12 reps=3 timeout=1800 data=/tmp/landcons-bench md=1 build=1
shapes=strips,project,mosaic,fr tools=landcons,spatialite,postgis,floor
landcons=""
cmdline="scripts/bench.sh $*"
while [ $# -gt 0 ]; do
  case $1 in
    --sizes) sizes=$2; shift 2 ;;
    --shapes) shapes=$2; shift 2 ;;
    --tools) tools=$2; shift 2 ;;
    --gaps) gaps=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --no-md) md=0; shift ;;
    --no-build) build=0; shift ;;
    --landcons) landcons=$(realpath "$2"); build=0; shift 2 ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
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

# --- data, generated once per shape and size
IFS=, read -r -a size_list <<<"$sizes"
for n in "${size_list[@]}"; do
  case ",$shapes," in *,strips,*|*,project,*)
    if [ ! -f "$data/$n/DK.shp" ] || [ ! -f "$data/$n/DK_register.csv" ] ||
       [ ! -f "$data/$n/DK_project_site.geojson" ]; then
      echo "bench.sh: generating $n parcels (strips) into $data/$n" >&2
      rm -rf "$data/$n"
      /usr/bin/python3 "$root/scripts/gen_parcels.py" --parcels "$n" --seed 42 --canal-every 8-14 \
        --project-site --name DK --out "$data/$n" >&2
    fi ;;
  esac
  case ",$shapes," in *,mosaic,*)
    if [ ! -f "$data/mosaic-$n/DK.shp" ] || [ ! -f "$data/mosaic-$n/DK_register.csv" ]; then
      echo "bench.sh: generating $n parcels (mosaic) into $data/mosaic-$n" >&2
      rm -rf "$data/mosaic-$n"
      /usr/bin/python3 "$root/scripts/gen_parcels.py" --parcels "$n" --seed 42 --mosaic --truth \
        --name DK --out "$data/mosaic-$n" >&2
    fi ;;
  esac
done
# the French cadastral mosaic (real data beside the project), with a register and a site made for it
fr=""
for d in "$root/../shared/data" /work/shared/data; do
  f="$d/fr-cadastre-91216/cadastre-91216-parcelles.json"
  if [ -f "$f" ]; then fr=$(realpath "$f"); break; fi
done
case ",$shapes," in *,fr,*)
  if [ -n "$fr" ] && [ ! -f "$data/fr-91216/fr_register.csv" ]; then
    /usr/bin/python3 "$root/scripts/bench/fr_inputs.py" "$fr" "$data/fr-91216"
  fi ;;
esac

args=(--landcons "$landcons" --data-root "$data" --shapes "$shapes" --sizes "$sizes" --gaps "$gaps"
      --reps "$reps" --timeout "$timeout" --tools "$tools" --command "$cmdline")
[ -n "$fr" ] && args+=(--fr "$fr")
[ "$md" = 1 ] && args+=(--md "$root/docs/BENCHMARKS.md")
exec /usr/bin/python3 "$root/scripts/bench/driver.py" "${args[@]}"
