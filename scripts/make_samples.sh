#!/usr/bin/env bash
# Regenerates the sample datasets under gis-data/ with scripts/gen_parcels.py.
#
# Deterministic: every run writes byte-identical files (fixed seeds, pinned
# DBF/GeoPackage dates).  gis-data/README.md is hand-written and left alone;
# only gis-data/shuangcheng/ and gis-data/variants/ are replaced.
#
# Usage: scripts/make_samples.sh            (from anywhere in the repository)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$(dirname "$here")/gis-data"
gen="$here/gen_parcels.py"
# Debian's interpreter: a pyenv python3 earlier on PATH has no GDAL bindings.
py=/usr/bin/python3

# python3-gdal for the generator, gdal-bin (ogrinfo) to inspect the result.
missing=()
for pkg in python3-gdal gdal-bin python3-openpyxl; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if ((${#missing[@]})); then
    echo "installing ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
fi

rm -rf "$out/shuangcheng" "$out/variants"
mkdir -p "$out/shuangcheng" "$out/variants"

run() {
    local dir="$1"
    shift
    printf '%-22s ' "$dir:"
    "$py" "$gen" --seed 42 --name DK --out "$out/$dir" "$@" 2>/dev/null
}

# Main sample: GBK shapefile + .cpg + .prj, register, sites, unit names and
# the list of deliberate defects (DK_truth.json).
run shuangcheng --parcels 3000 --truth
# Registers as township clerks keep them, made from the tidy one, and the
# 发包方 table FBF.dbf (python3-openpyxl).
printf '%-22s ' "shuangcheng/registers:"
"$py" "$here/gen_registers.py" --tidy "$out/shuangcheng/DK_register.csv" \
    --units "$out/shuangcheng/DK_units.csv" --parcels "$out/shuangcheng/DK.shp" \
    --out "$out/shuangcheng/registers" 2>/dev/null && echo ok

# Small variants.  The 200-parcel ones are the same parcels (same seed and
# count), so e.g. geo4490 can be checked against noprj's projected areas;
# the two 100-parcel ones are the same parcels as each other.
run variants/noprj --parcels 200 --no-prj --no-register --no-sites --no-units
run variants/nocpg --parcels 200 --no-cpg --register-encoding gbk --no-sites --no-units
run variants/geo4490 --parcels 200 --format geojson --crs 4490 --no-register --no-sites --no-units
run variants/gpkg --parcels 200 --format gpkg --no-register --no-sites --no-units
run variants/cpg65001 --parcels 100 --encoding utf-8 --cpg 65001 --no-register --no-sites --no-units
run variants/cpgansi936 --parcels 100 --cpg "ANSI 936" --no-register --no-sites --no-units

du -sh "$out"
