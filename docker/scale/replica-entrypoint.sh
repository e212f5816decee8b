#!/bin/sh
# A streaming replica of $PRIMARY_HOST: on its first start (an empty volume) a copy of the
# primary's cluster by pg_basebackup (with the recovery settings, -R), then PostgreSQL as a hot
# standby. Runs as the postgres user (compose `user: postgres`).
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -q -h "$PRIMARY_HOST" -U replicator; do echo "waiting for $PRIMARY_HOST"; sleep 2; done
  PGPASSWORD="$REPLICATION_PASSWORD" pg_basebackup -h "$PRIMARY_HOST" -U replicator -D "$PGDATA" \
    -X stream -R --checkpoint=fast -d "application_name=$REPLICA_NAME"
  chmod 0700 "$PGDATA"
fi
# Queries on the replica hold back the primary's vacuum rather than being cancelled by it.
exec postgres -c hot_standby=on -c hot_standby_feedback=on
