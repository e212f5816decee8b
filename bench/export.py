#!/usr/bin/env python
"""Export benchmark, one command: `make bench-export` (or `python bench/export.py`).

gunicorn (one threaded worker, as `make serve`) serves the 2,000,000 synthetic places of the bench database (prepared
by bench/run.py, which this reuses); a client downloads every feature of
`/api/v1/export/places.geojson` then `/api/v1/export/places.csv` (no filter: the whole
directory) and counts them. Throughput = features / wall time of the download; memory = the peak
resident set of the worker process (VmHWM in /proc/<pid>/status) after each download. The load
average of the machine is recorded with the figures. Results: bench/results/export-<date>.json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import RESULTS, bench_database_url, prepare_database, start_server, stop_server, write_results  # noqa: E402

TARGETS = {"features_per_s": 100_000, "peak_rss_mb": 300}
CHUNK = 1 << 20


def worker_pid(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    if len(children) != 1:
        raise SystemExit(f"expected one gunicorn worker, found {children}")
    return int(children[0])


def memory_mb(pid: int) -> dict:
    status = Path(f"/proc/{pid}/status").read_text()
    kb = {key: int(re.search(rf"^{key}:\s+(\d+) kB", status, re.M).group(1)) for key in ("VmHWM", "VmRSS")}
    return {"peak_rss_mb": round(kb["VmHWM"] / 1024, 1), "rss_mb": round(kb["VmRSS"] / 1024, 1)}


def download(port: int, path: str, fmt: str) -> dict:
    """Read the whole response; count its features (GeoJSON: its `count`; CSV: rows)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    started = time.monotonic()
    conn.request("GET", path)
    response = conn.getresponse()
    if response.status != 200:
        raise SystemExit(f"{path}: HTTP {response.status} {response.read()[:300]!r}")
    size = lines = 0
    last = b""
    while chunk := response.read(CHUNK):
        size += len(chunk)
        lines += chunk.count(b"\n")
        last = (last + chunk)[-4096:]
    seconds = time.monotonic() - started
    if fmt == "geojson":
        features = json.loads(b"{" + last[last.rindex(b'"count"'):])["count"]
    else:
        features = lines - 1  # synthetic rows hold no line break; the header is one line
    return {"features": features, "bytes": size, "seconds": round(seconds, 2),
            "features_per_s": round(features / seconds), "mb_per_s": round(size / seconds / 1e6, 1)}


def load_average() -> list[float]:
    return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--places", type=int, default=2_000_000, help="synthetic places (default 2,000,000)")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--formats", default="geojson,csv")
    parser.add_argument("--skip-prepare", action="store_true", help="use the bench database as it is")
    args = parser.parse_args()

    env = {**os.environ, "DATABASE_URL": bench_database_url(), "DJANGO_DEBUG": "false"}
    RESULTS.mkdir(parents=True, exist_ok=True)
    if not args.skip_prepare:
        prepare_database(env, args.places)
    results = {"date": datetime.now().isoformat(timespec="seconds"), "synthetic_places": args.places,
               "cpus": os.cpu_count(), "targets": TARGETS, "load_average_before": load_average()}
    # Threaded worker, as `make serve` runs it: a sync worker is killed after --timeout (30 s)
    # in the middle of a long response, since it reports to the arbiter only between requests.
    server = start_server(env, args.port, 1, ("--worker-class", "gthread", "--threads", "4"))
    try:
        pid = worker_pid(server.pid)
        results["worker_before"] = memory_mb(pid)
        for fmt in args.formats.split(","):
            result = download(args.port, f"/api/v1/export/places.{fmt}", fmt)
            result.update(memory_mb(pid), load_average=load_average())
            results[fmt] = result
            print(f"{fmt}: {json.dumps(result)}", flush=True)
    finally:
        stop_server(server)
    out = write_results(results, "export")
    for fmt in args.formats.split(","):
        got = results[fmt]
        met = got["features_per_s"] >= TARGETS["features_per_s"] and got["peak_rss_mb"] < TARGETS["peak_rss_mb"]
        print(f"{fmt}: {got['features']:,} features in {got['seconds']} s = {got['features_per_s']:,}/s, "
              f"worker peak RSS {got['peak_rss_mb']} MB — target ≥{TARGETS['features_per_s']:,}/s, "
              f"<{TARGETS['peak_rss_mb']} MB: {'met' if met else 'NOT met'}")
    print(f"results: {out}")


if __name__ == "__main__":
    main()
