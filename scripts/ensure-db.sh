#!/usr/bin/env bash
# Make the DATABASE_URL database answer, with the extensions geofinder needs.
# When nothing answers and the host is local, start PostgreSQL (creating the cluster if
# needed); create the role and the database when missing. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

url="${DATABASE_URL:-}"
if [ -z "$url" ] && [ -f .env ]; then url=$(sed -n 's/^DATABASE_URL=//p' .env | tail -n 1); fi
url="${url:-postgis://geofinder:geofinder@127.0.0.1:5432/geofinder}"

read -r DB_HOST DB_PORT DB_USER DB_PASS DB_NAME < <(python3 - "$url" <<'PY'
import sys
from urllib.parse import unquote, urlsplit
u = urlsplit(sys.argv[1])
print(u.hostname or "127.0.0.1", u.port or 5432, unquote(u.username or "postgres"),
      unquote(u.password or "") or "-", u.path.lstrip("/") or "geofinder")
PY
)
[ "$DB_PASS" = "-" ] && DB_PASS=""
export PGPASSWORD="$DB_PASS"
local_host=false
case "$DB_HOST" in 127.*|localhost|::1) local_host=true ;; esac

if ! pg_isready -q -h "$DB_HOST" -p "$DB_PORT"; then
  if ! $local_host; then
    echo "error: PostgreSQL at $DB_HOST:$DB_PORT does not answer (DATABASE_URL)" >&2
    exit 1
  fi
  version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
  if ! pg_lsclusters -h 2>/dev/null | grep -q .; then
    # A quarter of the memory for PostgreSQL's cache (at most 8 GB): with millions of places the
    # 128 MB default reads the table and its indexes through the system's cache (bench/README.md).
    buffers_mb=$(awk '/^MemTotal:/ {mb = int($2 / 4096); print (mb > 8192 ? 8192 : (mb < 128 ? 128 : mb))}' /proc/meminfo)
    echo "creating PostgreSQL $version cluster 'main' on port $DB_PORT (shared_buffers ${buffers_mb}MB)"
    pg_createcluster "$version" main --port "$DB_PORT" -o "shared_buffers=${buffers_mb}MB"
  fi
  cluster=$(pg_lsclusters -h | awk -v p="$DB_PORT" '$3 == p {print $1, $2; exit}')
  [ -n "$cluster" ] || cluster=$(pg_lsclusters -h | awk '{print $1, $2; exit}')
  echo "starting PostgreSQL cluster $cluster"
  pg_ctlcluster --skip-systemctl-redirect $cluster start || pg_ctlcluster $cluster start
  for _ in $(seq 30); do pg_isready -q -h "$DB_HOST" -p "$DB_PORT" && break; sleep 1; done
  pg_isready -q -h "$DB_HOST" -p "$DB_PORT" || { echo "error: PostgreSQL did not start" >&2; exit 1; }
fi

as_role() { psql -X -q -v ON_ERROR_STOP=1 -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" "$@"; }
if ! as_role -d postgres -tAc "select 1" >/dev/null 2>&1; then
  if ! $local_host; then echo "error: cannot connect to $DB_HOST:$DB_PORT as $DB_USER" >&2; exit 1; fi
  # The role runs the test suite, which creates a test database with PostGIS: superuser.
  echo "creating PostgreSQL role $DB_USER"
  runuser -u postgres -- psql -X -q -p "$DB_PORT" -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE \"$DB_USER\" LOGIN SUPERUSER PASSWORD '$DB_PASS'"
fi
if [ "$(as_role -d postgres -tAc "select 1 from pg_database where datname = '$DB_NAME'")" != "1" ]; then
  echo "creating database $DB_NAME"
  as_role -d postgres -c "CREATE DATABASE \"$DB_NAME\""
fi
as_role -d "$DB_NAME" -c "SET client_min_messages = warning;
  CREATE EXTENSION IF NOT EXISTS postgis; CREATE EXTENSION IF NOT EXISTS btree_gist;
  CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE EXTENSION IF NOT EXISTS unaccent;"
echo "database ready: $DB_HOST:$DB_PORT/$DB_NAME"
