#!/usr/bin/env python
"""Read scaling with streaming replicas: `make bench-scale` (or `python bench/scale.py`).

The search load of bench/run.py (wrk, `GET /api/v1/places/` with a category, a point where
places are and limit 20) is run against gunicorn serving the bench database
(BENCH_DATABASE_URL, default geofinder_bench: 2,000,000 places, prepared by `make bench`; only
read here, and refused when behind the code's migrations):

1. on the primary alone (no DATABASE_REPLICA_URLS: today's set-up);
2. with 1 (--replicas N: N) streaming replica(s) of the local cluster (tests/replica_cluster.py:
   pg_basebackup of the whole cluster, kept in /var/tmp between runs), the searches reading
   there (geofinder/core/replica_routing.py).

Beside requests per second and latencies, the CPU time the load costs is read from /proc for
the database backends serving it and for the gunicorn workers: CPU-seconds per search, the
figures a deployment is sized from. On one machine the replicas share its cores with the
primary, gunicorn and wrk: more replicas add no CPU, only processes. The model printed at the
end (and written with the figures to bench/results/scale-<date>.json) scales the measured cost
per search to a target rate on servers of their own.
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import time
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))
from run import (  # noqa: E402
    RESULTS, ROOT, bench_database_url, sample_queries, start_server, stop_server, write_results, wrk,
)

from tests.replica_cluster import default_dir, running_replica, unavailable_reason  # noqa: E402
from tests.servers import free_port  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
TARGET_RPS = 5000
# Sizing assumptions of the model (stated with its result): cores of a database server, the
# share of them a server may use at the peak, the same for the application servers.
DB_CORES = 8
APP_CORES = 8
UTILISATION = 0.6


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of process `pid` (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def _processes() -> list[tuple[int, int, int, str]]:
    """(pid, parent pid, process group, command line) of every process."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found.append((int(entry.name), int(fields[1]), int(fields[2]), cmdline))
    return found


def _postmaster_pid(data_dir: Path) -> int:
    return int((data_dir / "postmaster.pid").read_text().split()[0])


class CpuMeter:
    """CPU seconds spent by the bench database's backends of each server (by postmaster pid)
    and by the gunicorn workers (process group of the server) between start() and stop()."""

    def __init__(self, postmasters: dict[str, int], dbname: str, server_group: int):
        self.postmasters, self.dbname, self.server_group = postmasters, dbname, server_group

    def _sample(self) -> dict[int, tuple[str, float]]:
        roles = {pid: name for name, pid in self.postmasters.items()}
        sample = {}
        for pid, parent, group, cmdline in _processes():
            if parent in roles and f" {self.dbname} " in f" {cmdline} ":
                sample[pid] = (roles[parent], _cpu_s(pid))
            elif group == self.server_group:
                sample[pid] = ("app", _cpu_s(pid))
        return sample

    def start(self) -> None:
        self.before = self._sample()

    def stop(self) -> dict[str, float]:
        after = self._sample()
        spent: dict[str, float] = {}
        for pid, (role, cpu) in after.items():
            spent[role] = spent.get(role, 0.0) + cpu - self.before.get(pid, (role, 0.0))[1]
        return {role: round(seconds, 2) for role, seconds in spent.items()}


def measured_run(port: int, paths: list[str], seconds: int, connections: int, meter: CpuMeter) -> dict:
    load_before = os.getloadavg()[0]
    meter.start()
    result = wrk(port, paths, seconds, connections)
    cpu = meter.stop()
    # The machine's 1-minute load average before and after: other processes compete for its cores.
    result["load_average"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    requests = result["rps"] * seconds
    result["cpu_s"] = cpu
    result["cpu_ms_per_search"] = {role: round(1000 * spent / requests, 3) for role, spent in cpu.items()}
    return result


def model(cost_db_ms: float, cost_app_ms: float, target_rps: int = TARGET_RPS) -> dict:
    """Servers needed for `target_rps` searches per second from the CPU cost of one search."""
    db_cores = target_rps * cost_db_ms / 1000
    app_cores = target_rps * cost_app_ms / 1000
    replicas = math.ceil(db_cores / (DB_CORES * UTILISATION))
    return {
        "target_searches_per_s": target_rps,
        "db_cpu_ms_per_search": cost_db_ms, "app_cpu_ms_per_search": cost_app_ms,
        "db_cores_busy": round(db_cores, 1), "app_cores_busy": round(app_cores, 1),
        "assumptions": f"{DB_CORES}-core database servers and {APP_CORES}-core application servers used at"
                       f" {UTILISATION:.0%} at the peak; reads only (the primary keeps the writes and is not counted)",
        "replicas": replicas, "replicas_with_one_spare": replicas + 1,
        "app_servers": math.ceil(app_cores / (APP_CORES * UTILISATION)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replicas", type=int, default=1, help="streaming replicas to add (default 1)")
    parser.add_argument("--seconds", type=int, default=20, help="duration of each load run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", "4")))
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--replica-shared-buffers", default="128MB",
                        help="shared_buffers of each replica (default the primary's on this machine: 128MB)")
    args = parser.parse_args()
    reason = unavailable_reason()
    if reason:
        raise SystemExit(f"no streaming replica can be made here: {reason}")

    url = bench_database_url()
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "false"}
    dbname = url.rsplit("/", 1)[1]
    host, primary_port = "127.0.0.1", int(url.rsplit(":", 1)[1].split("/")[0])
    RESULTS.mkdir(parents=True, exist_ok=True)
    # Read only: a bench database behind the code's migrations is not migrated here (`make bench` does).
    check = subprocess.run([sys.executable, "manage.py", "migrate", "--check"], env=env, cwd=ROOT,
                           capture_output=True, text=True)
    if check.returncode != 0:
        raise SystemExit(f"{dbname} lacks migrations of this code: run `make bench` (or point BENCH_DATABASE_URL"
                         f" at a migrated copy)\n{check.stdout}{check.stderr}")
    queries = sample_queries(env)
    paths = [f"/api/v1/places/?category={slug}&near={lon},{lat}&limit=20" for lon, lat, slug in queries]
    primary_data = Path(os.environ.get("GEOFINDER_PRIMARY_DATA_DIR", "/var/lib/postgresql/15/main"))
    results: dict = {
        "date": datetime.now().isoformat(timespec="seconds"), "database": dbname, "cores": os.cpu_count(),
        "connections": args.connections, "workers": args.workers, "seconds": args.seconds,
        "machine": f"one machine of {os.cpu_count()} cores: the primary, the replicas, gunicorn and wrk share them;"
                   " other processes (other checkouts' tests) may have run at the same time",
        "runs": {},
    }

    def run_load(name: str, extra_env: dict, postmasters: dict[str, int]) -> None:
        server = start_server({**env, **extra_env}, args.port, args.workers,
                              options=("--worker-class", "gthread", "--threads", "4"))
        try:
            meter = CpuMeter(postmasters, dbname, os.getpgid(server.pid))
            wrk(args.port, paths[:200], 5, args.connections)  # warm-up (caches of the server(s))
            results["runs"][name] = measured_run(args.port, paths, args.seconds, args.connections, meter)
        finally:
            stop_server(server)

    run_load("primary_alone", {}, {"primary": _postmaster_pid(primary_data)})
    with ExitStack() as stack:
        replicas = []
        for number in range(1, args.replicas + 1):
            base = default_dir(primary_port)
            data_dir = base if number == 1 else base.with_name(f"{base.name}-{number}")
            replicas.append(stack.enter_context(running_replica(
                primary_host=host, primary_port=primary_port, port=free_port(), data_dir=data_dir,
                shared_buffers=args.replica_shared_buffers)))
        replica_urls = ",".join(
            url.replace(f":{primary_port}/", f":{replica.port}/") for replica in replicas
        )
        postmasters = {"primary": _postmaster_pid(primary_data)}
        postmasters |= {f"replica_{i}": _postmaster_pid(r.data_dir) for i, r in enumerate(replicas, start=1)}
        time.sleep(1)
        run_load(f"primary_and_{args.replicas}_replica{'s' if args.replicas > 1 else ''}",
                 {"DATABASE_REPLICA_URLS": replica_urls}, postmasters)

    with_replicas = results["runs"][next(name for name in results["runs"] if name != "primary_alone")]
    costs = with_replicas["cpu_ms_per_search"]
    db_cost = sum(cost for role, cost in costs.items() if role.startswith("replica_"))
    alone = results["runs"]["primary_alone"]["cpu_ms_per_search"]
    results["model"] = model(db_cost or alone.get("primary", 0.0), costs.get("app", alone.get("app", 0.0)))
    out = write_results(results, "scale")
    for name, run in results["runs"].items():
        print(f"{name}: {run['rps']:.0f} searches/s, p50 {run['p50_ms']:.1f} ms, p99 {run['p99_ms']:.1f} ms,"
              f" non-2xx {run['non_2xx']}, CPU ms per search {run['cpu_ms_per_search']}")
    m = results["model"]
    print(f"model: {m['target_searches_per_s']} searches/s = {m['db_cores_busy']} database cores and"
          f" {m['app_cores_busy']} application cores busy -> {m['replicas']} replica(s)"
          f" ({m['replicas_with_one_spare']} with one spare) and {m['app_servers']} application servers"
          f" ({m['assumptions']})")
    print(f"results: {out}")


if __name__ == "__main__":
    main()
