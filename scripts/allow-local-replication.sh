#!/usr/bin/env bash
# Let the local PostgreSQL cluster of DATABASE_URL serve streaming replication to 127.0.0.1 (the
# tests' replica, `make bench-scale`'s): pg_hba's "all" does not cover replication connections.
# Trust, as the local connections of a development cluster already are. Idempotent.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
# As the postgres OS user, over the local socket (peer authentication on a fresh Debian cluster).
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }
hba=$(as_postgres psql -Atc "SHOW hba_file")
line="host replication all 127.0.0.1/32 trust"
if grep -Eq '^[[:space:]]*host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba"; then
  echo "replication from 127.0.0.1: already allowed ($hba)"
  exit 0
fi
echo "allowing replication from 127.0.0.1 in $hba"
printf '# geofinder: streaming replicas on this machine (tests, bench-scale)\n%s\n' "$line" | $SUDO tee -a "$hba" >/dev/null
as_postgres psql -Atc "SELECT pg_reload_conf()" >/dev/null
