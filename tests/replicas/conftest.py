"""A real streaming replica of the test cluster (tests/replica_cluster.py) for the tests of
reads on replicas, started once per session after the test database is loaded."""

import pytest

from tests.replica_cluster import running_replica, unavailable_reason
from tests.servers import free_port


@pytest.fixture(scope="session")
def replica(django_db_setup, django_db_blocker):
    """The replica, caught up with the loaded test database; stopped at the session's end."""
    from django.db import connection

    reason = unavailable_reason()
    if reason:
        pytest.skip(f"no streaming replica can be made here: {reason}")
    host = connection.settings_dict["HOST"] or "127.0.0.1"
    port = int(connection.settings_dict["PORT"] or 5432)
    with running_replica(primary_host=host, primary_port=port, port=free_port(), shared_buffers="64MB") as replica:
        yield replica


@pytest.fixture
def running(replica):
    """The replica, started again and caught up if a test before stopped it."""
    if not replica.running():
        replica.start()
    replica.resume_replay()
    assert replica.wait_caught_up(), f"the replica did not catch up (log: {replica.log})"
    return replica
