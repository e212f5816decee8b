#!/usr/bin/env bash
# Install the Debian/Ubuntu packages geofinder needs when they are missing:
# PostgreSQL + PostGIS 3 (15 preferred), GDAL (GeoDjango), Python venv support.
# Extra packages can be asked for as arguments (e.g. chromium chromium-driver).
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# Any installed postgresql-NN-postgis-3 will do; else install the best available version.
if ! dpkg-query -W -f='${Package}\n' 'postgresql-*-postgis-3' 2>/dev/null | grep -q .; then
  missing+=("POSTGIS")
fi
installed gdal-bin || missing+=(gdal-bin)
python3 -c "import ensurepip, venv" 2>/dev/null || missing+=(python3-venv)
for pkg in "$@"; do installed "$pkg" || missing+=("$pkg"); done

if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi

if ! command -v apt-get >/dev/null; then
  echo "error: missing system packages (${missing[*]}) and no apt-get: install PostgreSQL + PostGIS 3 and GDAL by hand" >&2
  exit 1
fi

echo "installing system packages: ${missing[*]}"
$SUDO apt-get update -q
if [[ " ${missing[*]} " == *" POSTGIS "* ]]; then
  postgis=""
  for version in 15 16 17 14; do
    if apt-cache show "postgresql-$version-postgis-3" >/dev/null 2>&1; then
      postgis="postgresql-$version postgresql-$version-postgis-3"
      break
    fi
  done
  if [ -z "$postgis" ]; then echo "error: no postgresql-NN-postgis-3 package in the apt sources" >&2; exit 1; fi
  missing=("${missing[@]/POSTGIS/}")
  missing+=($postgis)
fi
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends postgresql-contrib ${missing[*]}
