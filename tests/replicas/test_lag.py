"""A replica's lag and health as a process measures them (geofinder/core/replicas.py), on the
session's real streaming replica (conftest.py), registered here as the alias `replica_1`."""

from __future__ import annotations

import time
from collections import deque

import psycopg
import pytest
from django.db import connection, connections

from geofinder.core.replicas import ReplicaPool, measure_lag
from tests.servers import own_connection

# The test database is set up for the tests that ask for it (the replica is a copy of its cluster).
# One worker runs every replica test (they pause and stop the replica of the whole cluster).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("replica")]

ALIAS = "replica_1"


@pytest.fixture
def replica_alias(running, settings):
    """`replica_1` naming the replica's copy of the test database, in this process's settings."""
    replica_settings = {**connections.settings["default"], "PORT": str(running.port), "HOST": "127.0.0.1"}
    connections.settings[ALIAS] = replica_settings
    settings.DATABASES = {**settings.DATABASES, ALIAS: replica_settings}
    yield running
    if ALIAS in connections:
        connections[ALIAS].close()
        del connections[ALIAS]
    del connections.settings[ALIAS]


def test_a_replica_lags_at_most_the_time_since_the_primary_position_it_has_replayed(replica_alias, settings):
    # The primary (shared with other sessions) may never be idle: the replica is often a few
    # records behind its current position, and then as stale as the time since the earlier
    # check whose position it has replayed, however old its last replayed commit.
    history = deque()
    measure_lag(ALIAS, history)
    first_check = history[0][0]
    assert replica_alias.wait_caught_up()  # past the position of the first check
    lag = measure_lag(ALIAS, history)
    assert lag <= time.monotonic() - first_check
    settings.GEOFINDER_REPLICA_CHECK_S = 0
    settings.GEOFINDER_REPLICA_MAX_LAG_S = 3600
    assert ReplicaPool().choose() == ALIAS


def test_a_replica_behind_a_write_lags_by_the_age_of_its_last_replayed_transaction(replica_alias, settings):
    replica_alias.pause_replay()
    try:
        with own_connection(connection.settings_dict) as conn:
            conn.execute("SELECT txid_current()")  # a transaction the replica will not replay yet
        time.sleep(0.5)
        lag = measure_lag(ALIAS)
        assert lag >= 0.5
        settings.GEOFINDER_REPLICA_CHECK_S = 0
        # Below the half second slept, not lag / 2: a replica started for this session that has
        # replayed no transaction yet lags by infinity (no replay timestamp), and half of that
        # is infinity again, a bound it never exceeds (the test failed so in full runs).
        settings.GEOFINDER_REPLICA_MAX_LAG_S = 0.25
        pool = ReplicaPool()
        assert pool.choose() == "default"
        assert "lags" in pool.state(ALIAS).reason
    finally:
        replica_alias.resume_replay()


def test_the_primary_is_not_taken_for_a_replica():
    with pytest.raises(ValueError, match="not a replica"):
        measure_lag("default")


def test_a_stopped_replica_is_skipped(replica_alias, settings):
    replica_alias.stop("fast")
    with pytest.raises(psycopg.OperationalError):
        measure_lag(ALIAS)
    settings.GEOFINDER_REPLICA_CHECK_S = 0
    pool = ReplicaPool()
    assert pool.choose() == "default"
    assert not pool.state(ALIAS).healthy
