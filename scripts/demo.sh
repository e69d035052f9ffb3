#!/usr/bin/env bash
# Installs what is missing, builds landcons, and runs the main job on the
# bundled Shuangcheng sample (gis-data/shuangcheng): layer description, then
# analyze as of the end of the campaign with its two project sites and the
# HTML report and the QGIS project, then the groundbreaking sign-off. Prints where the results are.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh build
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build -j "$(nproc 2>/dev/null || echo 2)" >/dev/null

out=${LANDCONS_DEMO_OUT:-out}
mkdir -p "$out"
data=gis-data/shuangcheng

echo "== landcons info $data/DK.shp"
build/landcons info "$data/DK.shp"
echo
echo "== landcons analyze (as of 2019-05-01, gap 10 m)"
build/landcons analyze "$data/DK.shp" --register "$data/DK_register.csv" \
  --site "$data/DK_sites.geojson" --unit-names "$data/DK_units.csv" --as-of 2019-05-01 \
  --target-mu 2000 -o "$out/shuangcheng.sqlite" --report "$out/shuangcheng.html" \
  --xlsx "$out/shuangcheng.xlsx" --csv "$out/shuangcheng_csv" --qgis "$out/shuangcheng.qgz" --overwrite
echo
echo "== landcons verify (the sign-off before groundbreaking)"
build/landcons verify "$data/DK.shp" --register "$data/DK_register.csv" \
  --site "$data/DK_sites.geojson" --unit-names "$data/DK_units.csv" --as-of 2019-05-01 \
  --pdf "$out/signoff.pdf" --overwrite || true
echo
echo "Results:"
echo "  $out/shuangcheng.sqlite  SpatiaLite database; open it in QGIS: parcels, blocks, enclaves,"
echo "                           sites, site_overlaps, qa_issues, bridges open styled (tables progress,"
echo "                           summary, route)"
echo "  $out/shuangcheng.html    report for reading without GIS software (open in a browser; prints on A4):"
echo "                           figures, map, chart, townships and villages, sites, 优先协商 negotiate first"
echo "  $out/shuangcheng.xlsx    lists for village cadres (Excel): 汇总 by township and village,"
echo "                           阻碍开工 blockers per site, 插花地 enclaves, 质检 QA, 未匹配 unmatched,"
echo "                           优先协商 the parcels to negotiate first"
echo "  $out/shuangcheng_csv/    the same lists as CSV files (UTF-8 with BOM)"
echo "  $out/shuangcheng.qgz     QGIS project over the database: layers in order, labels by scale,"
echo "                           print layouts (an overview, one A4 page per site); zip the folder to send it"
echo "  $out/signoff.pdf         the sign-off to print and sign: a page per site (A4; --paper A3)"
