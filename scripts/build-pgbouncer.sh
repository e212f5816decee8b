#!/usr/bin/env bash
# PgBouncer 1.21 or later (prepared statements in transaction mode: max_prepared_statements) for
# the tests of the pooler (tests/core/test_pooler.py), built from Debian 13's source package into
# /var/tmp/geofinder-pgbouncer/ (PGBOUNCER_PREFIX): Debian 12 ships 1.18, which has no max_prepared_statements.
# Does nothing when a pgbouncer >= 1.21 is already there. The source comes from deb.debian.org
# through apt (a temporary deb-src list under a temporary directory; the system's apt
# configuration is not changed), Debian's patches (security fixes) applied, checked by apt
# against Debian's archive keyring; built with this system's toolchain and libraries
# (libevent, OpenSSL, c-ares: installed if missing).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# Outside the checkout, shared by this machine's checkouts (a clean clone does not build it again).
PREFIX="${PGBOUNCER_PREFIX:-/var/tmp/geofinder-pgbouncer}"
SUITE="${PGBOUNCER_SUITE:-trixie}"

recent() {  # is $1 a pgbouncer 1.21 or later?
  local version
  version=$("$1" --version 2>/dev/null | sed -n 's/^PgBouncer \([0-9.]*\).*/\1/p' | head -1)
  [ -n "$version" ] && printf '1.21\n%s\n' "$version" | sort -V -C
}
if [ -x "$PREFIX/bin/pgbouncer" ] && recent "$PREFIX/bin/pgbouncer"; then
  echo "pgbouncer: $("$PREFIX/bin/pgbouncer" --version | head -1) in $PREFIX"
  exit 0
fi

bash "$ROOT/scripts/install-system-deps.sh" build-essential pkg-config libevent-dev libssl-dev libc-ares-dev

work=$(mktemp -d /tmp/geofinder-pgbouncer.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/apt/lists/partial" "$work/apt/parts"
cat > "$work/apt/parts/source.sources" <<SOURCES
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: $SUITE
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
apt_options=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$work/apt/parts"
             -o "Dir::State::Lists=$work/apt/lists" -o "Debug::NoLocking=1")
echo "pgbouncer: fetching the source package of Debian $SUITE"
apt-get "${apt_options[@]}" update -qq
(cd "$work" && apt-get "${apt_options[@]}" source --download-only -qq pgbouncer 2>&1 | grep -v "unsandboxed" || true)
orig=$(ls "$work"/pgbouncer_*.orig.tar.gz)
debian=$(ls "$work"/pgbouncer_*.debian.tar.xz)
mkdir "$work/src"
tar -xzf "$orig" -C "$work/src" --strip-components=1
tar -xJf "$debian" -C "$work/src"
cd "$work/src"
if [ -f debian/patches/series ]; then
  grep -v '^[[:space:]]*#' debian/patches/series | while read -r patch; do
    [ -n "$patch" ] && patch -p1 -s < "debian/patches/$patch"
  done
fi
echo "pgbouncer: building $(basename "$orig" .orig.tar.gz) into $PREFIX"
./configure -q --prefix="$PREFIX" --without-systemd --without-pam --with-cares > "$work/configure.log"
make -s -j"$(nproc)" > "$work/make.log" 2>&1 || { tail -30 "$work/make.log" >&2; exit 1; }
make -s install > /dev/null
recent "$PREFIX/bin/pgbouncer"
echo "pgbouncer: $("$PREFIX/bin/pgbouncer" --version | head -1) in $PREFIX"
