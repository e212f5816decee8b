"""A real PostgreSQL streaming replica of a local cluster, for the tests and `make bench-scale`.

`pg_basebackup` copies the whole cluster (every database: replication is by cluster) into a
directory and the replica is started there, on a port of its own, with the primary's
PostgreSQL binaries (Debian's, /usr/lib/postgresql/15/bin; GEOFINDER_PG_BIN otherwise). As
root, every PostgreSQL program runs as the `postgres` OS user. The primary must accept
replication connections from 127.0.0.1 (scripts/allow-local-replication.sh).

A full copy of a cluster holding the 2,000,000-place bench database takes over a minute, so the
directory is kept between runs (GEOFINDER_REPLICA_DIR, default
/var/tmp/geofinder-replica-<primary port>): a kept replica is started again and streams what the
primary wrote meanwhile; when it cannot catch up (the primary recycled that WAL), it is copied
again. One user at a time (a lock file beside the directory).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

PG_BIN = Path(os.environ.get("GEOFINDER_PG_BIN", "/usr/lib/postgresql/15/bin"))
OS_USER = "postgres"
# Settings a hot standby must have at least as high as its primary's.
AT_LEAST_PRIMARY = (
    "max_connections", "max_worker_processes", "max_wal_senders", "max_prepared_transactions",
    "max_locks_per_transaction",
)
# A busy shared primary (other imports, test databases created) may take minutes to stream.
CATCH_UP_TIMEOUT_S = 300


def unavailable_reason() -> str | None:
    """Why no replica can be made here (None when one can)."""
    for program in ("pg_basebackup", "pg_ctl"):
        if not (PG_BIN / program).is_file():
            return f"{PG_BIN / program} not found: PostgreSQL's server binaries are needed (GEOFINDER_PG_BIN)"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "runuser not found (needed to run PostgreSQL as the postgres user)"
    return None


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", OS_USER, "--", *command] if os.geteuid() == 0 else command


def _run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run `command` (as postgres when root); its error output in the exception when it fails
    (pg_basebackup refused: allow replication from 127.0.0.1, scripts/allow-local-replication.sh)."""
    done = subprocess.run(_as_postgres(command), capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed (exit {done.returncode}): {done.stderr.strip()}")
    return done


def _superuser(host: str, port: int, dbname: str = "postgres") -> psycopg.Connection:
    return psycopg.connect(host=host, port=port, user="postgres", dbname=dbname, autocommit=True, connect_timeout=5)


class LocalReplica:
    """A streaming replica of the cluster at primary_host:primary_port, in `data_dir`, on `port`."""

    def __init__(
        self, *, primary_host: str, primary_port: int, data_dir: Path, port: int, shared_buffers: str = "128MB",
    ):
        self.primary_host, self.primary_port = primary_host, primary_port
        self.data_dir, self.port, self.shared_buffers = data_dir, port, shared_buffers
        self.log = data_dir.parent / f"{data_dir.name}.log"

    # --- life cycle ------------------------------------------------------------------------

    def create(self) -> None:
        """Copy the primary's cluster (pg_basebackup, WAL streamed alongside, a fast checkpoint)
        and write the replica's own configuration."""
        if self.data_dir.exists():
            _run(["rm", "-rf", str(self.data_dir)])
        conninfo = (f"host={self.primary_host} port={self.primary_port} user=postgres"
                    f" application_name={self.data_dir.name}")
        _run([str(PG_BIN / "pg_basebackup"), "--dbname", conninfo, "-D", str(self.data_dir), "-X", "stream",
              "--checkpoint=fast", "--write-recovery-conf", "--no-sync"])
        self._configure()

    def _configure(self) -> None:
        with _superuser(self.primary_host, self.primary_port) as primary:
            at_least = {name: primary.execute(f"SHOW {name}").fetchone()[0] for name in AT_LEAST_PRIMARY}
        settings = {
            "port": str(self.port), "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.data_dir}'", "hot_standby": "on",
            # Queries on the replica hold back the primary's vacuum rather than being cancelled.
            "hot_standby_feedback": "on", "shared_buffers": self.shared_buffers, "ssl": "off",
            "logging_collector": "off", "wal_receiver_status_interval": "1s", **at_least,
        }
        conf = "".join(f"{name} = {value}\n" for name, value in settings.items())
        hba = "local all all trust\nhost all all 127.0.0.1/32 trust\n"
        for name, text in (("postgresql.conf", conf), ("pg_hba.conf", hba), ("pg_ident.conf", "")):
            _run(["tee", str(self.data_dir / name)], input=text)

    def start(self) -> None:
        self.log.touch()
        if os.geteuid() == 0:
            shutil.chown(self.log, OS_USER)
        _run([str(PG_BIN / "pg_ctl"), "-D", str(self.data_dir), "-l", str(self.log), "-w", "-t", "120", "start"])

    def stop(self, mode: str = "fast") -> None:
        """Stop the replica (`fast`: its sessions are ended, as a server shut down)."""
        _run([str(PG_BIN / "pg_ctl"), "-D", str(self.data_dir), "-m", mode, "-w", "stop"])

    def running(self) -> bool:
        status = subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data_dir), "status"]),
                                capture_output=True, text=True)
        return status.returncode == 0

    # --- state -----------------------------------------------------------------------------

    def connect(self, dbname: str = "postgres") -> psycopg.Connection:
        return _superuser("127.0.0.1", self.port, dbname)

    def wait_caught_up(self, timeout_s: float = CATCH_UP_TIMEOUT_S) -> bool:
        """Whether the replica replays the primary's current WAL position within `timeout_s`;
        False at once when the primary no longer holds the WAL it needs (kept too long: it must
        be copied again, waiting would not help).

        A transaction is committed on the primary first, so that, once caught up, the replica has
        replayed one since it started: else the age of its last replayed transaction is unknown
        (NULL), and a server process's first health check of a replica paused behind the
        primary finds its lag infinite (geofinder.core.replicas.measure_lag)."""
        with _superuser(self.primary_host, self.primary_port) as primary:
            primary.execute("SELECT txid_current()")
            target = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
        logged = self.log.stat().st_size if self.log.exists() else 0
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._wal_gone_since(logged):
                return False
            try:
                with self.connect() as replica:
                    done = replica.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]).fetchone()[0]
                if done:
                    return True
            except psycopg.OperationalError:
                pass  # still starting: the deadline decides
            time.sleep(0.2)
        return False

    def _wal_gone_since(self, offset: int) -> bool:
        """Whether the replica's log says, past `offset`, that the primary removed WAL it needs."""
        try:
            with self.log.open("rb") as log:
                log.seek(offset)
                return b"has already been removed" in log.read()
        except OSError:
            return False

    def pause_replay(self, timeout_s: float = 30) -> None:
        """Pause the replay, and wait until it is paused (a pause is only requested at first: the
        replica went on replaying a moment, sometimes the very write a test made next)."""
        with self.connect() as replica:
            replica.execute("SELECT pg_wal_replay_pause()")
            deadline = time.monotonic() + timeout_s
            while replica.execute("SELECT pg_get_wal_replay_pause_state()").fetchone()[0] != "paused":
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the replica's replay did not pause within {timeout_s} s")
                # The replay pauses at its next record: give it one.
                with _superuser(self.primary_host, self.primary_port) as primary:
                    primary.execute("SELECT txid_current()")
                time.sleep(0.05)

    def resume_replay(self) -> None:
        with self.connect() as replica:
            replica.execute("SELECT pg_wal_replay_resume()")

    def url(self, dbname: str, user: str, password: str) -> str:
        return f"postgis://{user}:{password}@127.0.0.1:{self.port}/{dbname}"


def default_dir(primary_port: int) -> Path:
    configured = os.environ.get("GEOFINDER_REPLICA_DIR")
    if configured:
        return Path(configured)
    base = Path("/var/tmp") if Path("/var/tmp").is_dir() else Path(tempfile.gettempdir())
    return base / f"geofinder-replica-{primary_port}"


@contextmanager
def running_replica(*, primary_host: str, primary_port: int, port: int, data_dir: Path | None = None,
                    shared_buffers: str = "128MB") -> Iterator[LocalReplica]:
    """A replica of the primary's cluster, started and caught up (kept, or copied anew), then
    stopped at the end (its directory kept for the next run)."""
    data_dir = data_dir or default_dir(primary_port)
    lock_path = data_dir.parent / f"{data_dir.name}.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        replica = LocalReplica(primary_host=primary_host, primary_port=primary_port, data_dir=data_dir, port=port,
                               shared_buffers=shared_buffers)
        if replica.running():
            replica.stop()
        reused = (data_dir / "standby.signal").is_file()
        if reused:
            replica._configure()  # another port, perhaps
            replica.start()
            if not replica.wait_caught_up():
                replica.stop("immediate")
                reused = False
        if not reused:
            replica.create()
            replica.start()
            if not replica.wait_caught_up():
                raise RuntimeError(f"the replica in {data_dir} did not catch up with its primary (log: {replica.log})")
        try:
            yield replica
        finally:
            if replica.running():
                replica.stop()
