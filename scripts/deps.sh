#!/usr/bin/env bash
# Installs the Debian 12 packages landcons needs, only those missing.
# usage: scripts/deps.sh [build|test]   (test adds the reference tools)
set -euo pipefail

build_pkgs=(build-essential cmake pkg-config
  libgdal-dev libgeos-dev libproj-dev libspatialite-dev libsqlite3-dev
  libsqlite3-mod-spatialite gdal-bin spatialite-bin python3-gdal libxlsxwriter-dev
  libcairo2-dev libpango1.0-dev fonts-noto-cjk gettext libjemalloc-dev)
test_pkgs=(geographiclib-tools proj-bin postgresql-15-postgis-3 python3-psycopg2
  qgis python3-qgis fonts-noto-cjk chromium valgrind clang libclang-rt-14-dev python3-pil python3-openpyxl
  poppler-utils locales)

want=("${build_pkgs[@]}")
if [ "${1:-build}" = test ]; then want+=("${test_pkgs[@]}"); fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
