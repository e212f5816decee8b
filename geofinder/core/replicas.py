"""Read replicas: which database a read goes to, and whether a replica may serve it.

PostgreSQL's streaming replicas (DATABASE_REPLICA_URLS, one Django database alias each:
`replica_1`, `replica_2`, …) serve the reads of the requests that only read (see
geofinder/core/replica_routing.py for which requests those are); everything else reads and writes
the primary (`default`). The alias a request reads from is held in a context variable for the
thread serving it: the ORM follows it through ReplicaRouter, raw SQL through `read_connection()`.
Outside a routed request (management commands, imports, the shell, tests calling selectors)
every read goes to the primary, as it always did.

A replica serves only while it answers and lags the primary by at most
GEOFINDER_REPLICA_MAX_LAG_S seconds. Each process checks each replica at most every
GEOFINDER_REPLICA_CHECK_S seconds, on short connections of its own, and keeps the primary's WAL
position (LSN) at each check. The lag is compared in LSNs, not by the time of the last
transaction the replica replayed: an idle primary, or one writing a long transaction, commits
nothing, so that time grows old while the replica is in fact up to date. The lag is zero when
the replica has replayed the primary's current position; else at most the time since the latest
earlier check whose position it has replayed (all that was committed then, it has); else (a
first check) the age of its last replayed transaction.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections import deque
from contextvars import ContextVar
from dataclasses import dataclass

import psycopg
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

logger = logging.getLogger(__name__)

REPLICA_PREFIX = "replica_"
# Seconds a health check may wait for a replica or the primary to answer.
CHECK_CONNECT_TIMEOUT_S = 2
# A replica just behind the primary's position is given this long to replay it before its lag is
# taken from the age of its last replayed transaction (seconds; a few short waits).
CATCH_UP_WAIT_S = 0.06

_reading_alias: ContextVar[str] = ContextVar("geofinder_reading_alias", default=DEFAULT_DB_ALIAS)


def replica_aliases() -> list[str]:
    """The database aliases of the configured replicas, in the order of DATABASE_REPLICA_URLS."""
    return [alias for alias in settings.DATABASES if alias.startswith(REPLICA_PREFIX)]


def reading_alias() -> str:
    """The database alias this thread's reads go to now (`default` outside routed requests)."""
    return _reading_alias.get()


def read_on(alias: str) -> str:
    """Send this thread's reads to `alias` from now on; returns the alias they went to before."""
    previous = _reading_alias.get()
    _reading_alias.set(alias)
    return previous


def read_connection() -> BaseDatabaseWrapper:
    """The Django connection reads go to (raw cursors of the read paths: `read_connection().cursor()`)."""
    return connections[reading_alias()]


class ReplicaRouter:
    """Django database router: ORM reads follow the request's reading alias, writes and
    migrations stay on the primary."""

    def db_for_read(self, model, **hints) -> str:
        return reading_alias()

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the same database, replicated

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS


@dataclass
class ReplicaState:
    healthy: bool = False
    lag_s: float | None = None
    checked_at: float = float("-inf")  # time.monotonic() of the last check
    reason: str = "not checked yet"


def _connect(alias: str) -> psycopg.Connection:
    """A short connection of its own to the database of `alias` (not the thread's Django one)."""
    params = connections[alias].get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params["connect_timeout"] = CHECK_CONNECT_TIMEOUT_S
    params["autocommit"] = True
    return psycopg.connect(**params)


_LSN_SQL = "SELECT pg_current_wal_lsn()::text"
_REPLICA_SQL = (
    "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text,"
    " extract(epoch FROM now() - pg_last_xact_replay_timestamp())"
)
# Positions of the primary kept per replica (one per check).
HISTORY_LENGTH = 64


def _lsn(text: str | None) -> int:
    """A WAL position ('16/B374D848') as a number of bytes."""
    if not text:
        return 0
    high, low = text.split("/")
    return (int(high, 16) << 32) + int(low, 16)


def measure_lag(alias: str, history: deque[tuple[float, int]] | None = None) -> float:
    """Seconds `alias` lags the primary by, at most (module docstring); `history`: the
    (time.monotonic(), primary's LSN) of the earlier checks, to which this one is added. Raises
    psycopg.Error when either does not answer, ValueError when `alias` is not a replica."""
    history = deque(maxlen=HISTORY_LENGTH) if history is None else history
    with _connect(DEFAULT_DB_ALIAS) as primary:
        now, primary_lsn = time.monotonic(), _lsn(primary.execute(_LSN_SQL).fetchone()[0])
    with _connect(alias) as replica:
        deadline = time.monotonic() + CATCH_UP_WAIT_S
        while True:
            in_recovery, replayed, age_s = replica.execute(_REPLICA_SQL).fetchone()
            if not in_recovery:
                raise ValueError(f"{alias} is not a replica (not in recovery)")
            replayed = _lsn(replayed)
            if replayed >= primary_lsn or time.monotonic() >= deadline:
                break
            time.sleep(CATCH_UP_WAIT_S / 3)
    reached = [at for at, lsn in history if lsn <= replayed]
    history.append((now, primary_lsn))
    if replayed >= primary_lsn:
        return 0.0
    if reached:
        return max(time.monotonic() - max(reached), 0.0)
    return float("inf") if age_s is None else max(float(age_s), 0.0)


class ReplicaPool:
    """The replicas of this process, handed out round robin among those found healthy."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._states: dict[str, ReplicaState] = {}
        self._checking: set[str] = set()
        self._history: dict[str, deque[tuple[float, int]]] = {}
        self._turn = itertools.count()

    def state(self, alias: str) -> ReplicaState:
        with self._lock:
            return self._states.setdefault(alias, ReplicaState())

    def check(self, alias: str) -> ReplicaState:
        """Measure `alias` now and remember the result."""
        with self._lock:
            history = self._history.setdefault(alias, deque(maxlen=HISTORY_LENGTH))
        try:
            lag = measure_lag(alias, history)
        except (psycopg.Error, ValueError) as error:
            state = ReplicaState(healthy=False, lag_s=None, checked_at=time.monotonic(), reason=str(error).strip())
        else:
            healthy = lag <= settings.GEOFINDER_REPLICA_MAX_LAG_S
            reason = "" if healthy else f"lags {lag:.1f} s (more than {settings.GEOFINDER_REPLICA_MAX_LAG_S} s)"
            state = ReplicaState(healthy=healthy, lag_s=lag, checked_at=time.monotonic(), reason=reason)
        with self._lock:
            before = self._states.get(alias)
            self._states[alias] = state
        first = before is None or before.checked_at == float("-inf")
        if not state.healthy and (first or before.healthy):
            logger.warning("replica %s skipped: %s", alias, state.reason)
        elif state.healthy and not first and not before.healthy:
            logger.info("replica %s serves reads again", alias)
        return state

    def mark_down(self, alias: str, reason: str) -> None:
        """A request found `alias` unusable: skip it until its next check."""
        with self._lock:
            self._states[alias] = ReplicaState(healthy=False, checked_at=time.monotonic(), reason=reason)
        logger.warning("replica %s skipped: %s", alias, reason)

    def _fresh_state(self, alias: str) -> ReplicaState:
        """The state of `alias`, checked again by this thread when older than the check interval
        (by one thread at a time: the others take the last state meanwhile)."""
        with self._lock:
            state = self._states.setdefault(alias, ReplicaState())
            stale = time.monotonic() - state.checked_at >= settings.GEOFINDER_REPLICA_CHECK_S
            if not stale or alias in self._checking:
                return state
            self._checking.add(alias)
        try:
            return self.check(alias)
        finally:
            with self._lock:
                self._checking.discard(alias)

    def choose(self, exclude: frozenset[str] = frozenset()) -> str:
        """A healthy replica, the next in turn; the primary when none is."""
        aliases = [alias for alias in replica_aliases() if alias not in exclude]
        if not aliases:
            return DEFAULT_DB_ALIAS
        start = next(self._turn)
        for offset in range(len(aliases)):
            alias = aliases[(start + offset) % len(aliases)]
            if self._fresh_state(alias).healthy:
                return alias
        return DEFAULT_DB_ALIAS


pool = ReplicaPool()
