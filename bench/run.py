#!/usr/bin/env python
"""geofinder benchmarks, run with one command: `make bench` (or `python bench/run.py`).

1. A separate database (BENCH_DATABASE_URL, default `geofinder_bench` beside DATABASE_URL)
   is migrated and loaded with the real territories and categories, plus SYNTHETIC places
   (bench/synthetic.py, source "synthetic") up to --places (default 2,000,000).
2. gunicorn serves the API on 127.0.0.1 and wrk loads `GET /api/v1/places/` with a category,
   a point and limit 20, at 8 concurrent connections (points next to places: the dense load),
   then the same with 30 % of the points drawn anywhere over mainland France and the border
   regions of its neighbours, the sea included (the mixed load: the nearest places may be
   100 km away), then the dense load with `open=now` and at fixed instants.
3. pgbench runs the raw SQL KNN query (the reference the API is measured against).
Results are printed and written to bench/results/<date>.json. No test asserts timings.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from synthetic import CATEGORY_WEIGHTS  # bench/ is this script's directory, first on sys.path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
PYTHON = sys.executable

PARIS = ZoneInfo("Europe/Paris")
OPEN_AT_INSTANTS = {
    "places_open_tuesday_10_30": datetime(2027, 3, 9, 10, 30, tzinfo=PARIS),
    "places_open_sunday_23_30": datetime(2027, 3, 7, 23, 30, tzinfo=PARIS),
}

TARGETS = {
    "places": {"rps": 800, "p99_ms": 25},
    "places_open_now": {"rps": 400},
}
# The mixed load's far points: anywhere in this lon/lat box (mainland France, Corsica, the sea
# around them, and the border regions of Spain, Andorra, Italy, Switzerland, Germany,
# Luxembourg and Belgium), drawn uniformly.
FAR_BOX = (-5.5, 41.3, 10.0, 51.3)
FAR_SHARE = 0.3
LOADS = ("places", "places_mixed", "places_open_now", *OPEN_AT_INSTANTS)


def bench_database_url(name: str = "geofinder_bench", override: str = "BENCH_DATABASE_URL") -> str:
    """The URL of a benchmark's own database `name` on DATABASE_URL's server, unless the
    environment variable `override` gives one."""
    if os.environ.get(override):
        return os.environ[override]
    base = os.environ.get("DATABASE_URL", "postgis://geofinder:geofinder@127.0.0.1:5432/geofinder")
    return urlunsplit(urlsplit(base)._replace(path=f"/{name}"))


def run(cmd: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    print("$", " ".join(cmd), flush=True)
    return subprocess.run(cmd, env=env, check=True, cwd=ROOT, **kwargs)


DJANGO_SETUP = (
    "import django, os, json; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'geofinder.settings'); django.setup();"
)


def django_json(env: dict, code: str) -> object:
    """What `code`, run after Django's set-up in a child process on the bench database, prints as JSON."""
    out = subprocess.run([PYTHON, "-c", DJANGO_SETUP + code], env=env, check=True, cwd=ROOT, capture_output=True, text=True)
    return json.loads(out.stdout)


def prepare_database(env: dict, places: int) -> None:
    run(["bash", "scripts/ensure-db.sh"], env)
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    run([PYTHON, "manage.py", "load_data"], env)
    code = DJANGO_SETUP + (
        "import sys; sys.path.insert(0, 'bench');"
        "from geofinder.places.models import Place; from synthetic import SOURCE, synthetic_places_generate;"
        "from tqdm import tqdm;"
        f"n = Place.objects.filter(source=SOURCE).count(); target = {places};"
        "bar = tqdm(total=target, unit=' places', desc='synthetic places') if n != target else None;"
        "n == target or synthetic_places_generate(count=target, progress=bar.update);"
        "print('synthetic places:', Place.objects.filter(source=SOURCE).count())"
    )
    run([PYTHON, "-c", code], env)
    # The opening filter's prefilter: the open half-hours of the places without them (the
    # synthetic ones are written with theirs).
    pending = django_json(env, "from geofinder.places.models import Place; "
                          "print(json.dumps(Place.objects.filter(open_slots_at=None).exists()))")
    if pending:
        run([PYTHON, "manage.py", "refresh_opening_slots", "--no-progress", "--missing"], env)


def prepare_merchants(env: dict, managers: int, history: int) -> None:
    """The bench's merchant accounts and their places' history rows (bench/merchants.py), brought
    to these figures (0 and 0 remove them)."""
    code = DJANGO_SETUP + (
        "import sys; sys.path.insert(0, 'bench'); from merchants import merchant_rows_generate;"
        f"print('merchant accounts:', merchant_rows_generate(managers={managers}, history={history}))"
    )
    run([PYTHON, "-c", code], env)


def sample_queries(env: dict, count: int = 4000) -> list[tuple[float, float, str]]:
    """Points where places are (so searches look like residents'), with weighted categories."""
    code = (
        "from django.db import connection; c = connection.cursor();"
        f"c.execute(\"SELECT ST_X(location::geometry), ST_Y(location::geometry) FROM places_place TABLESAMPLE SYSTEM (1) LIMIT {count}\");"
        "print(json.dumps(c.fetchall()))"
    )
    points = django_json(env, code)
    slugs = [slug for slug, weight in CATEGORY_WEIGHTS for _ in range(weight)]
    rng = random.Random(7)
    return [(round(lon, 5), round(lat, 5), rng.choice(slugs)) for lon, lat in points]


def mixed_queries(queries: list[tuple[float, float, str]], share: float = FAR_SHARE) -> list[tuple[float, float, str]]:
    """The same queries with `share` of their points drawn anywhere in FAR_BOX instead."""
    rng = random.Random(11)
    xmin, ymin, xmax, ymax = FAR_BOX
    return [
        (round(rng.uniform(xmin, xmax), 5), round(rng.uniform(ymin, ymax), 5), slug) if rng.random() < share
        else (lon, lat, slug)
        for lon, lat, slug in queries
    ]


def start_server(
    env: dict, port: int, workers: int, options: tuple[str, ...] = (), root: Path = ROOT, *, client_limit: bool = False,
    quiet: bool = False,
) -> subprocess.Popen:
    """gunicorn serving the checkout at `root` (another version, to compare: the same database,
    the same load), once it answers. Without `client_limit`, GEOFINDER_API_RATE=off: a bench's
    load comes from one address, which the per-client limit would refuse (bench/hostile.py
    measures the service with it)."""
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "geofinder.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--log-level", "critical" if quiet else "warning", *options],
        env=env if client_limit else {**env, "GEOFINDER_API_RATE": "off"}, cwd=root, start_new_session=True,
        stderr=subprocess.DEVNULL if quiet else None,
    )
    for _ in range(60):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/categories/", timeout=2).read()
            return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("the server did not answer")


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def write_results(results: dict, prefix: str) -> Path:
    """Write the results to bench/results/<prefix>-<date>.json and print them."""
    out = RESULTS / f"{prefix}-{datetime.now():%Y%m%dT%H%M%S}.json"
    out.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
    return out


def wrk(port: int, paths: list[str], seconds: int, connections: int) -> dict:
    queries = RESULTS / "queries.txt"
    queries.write_text("\n".join(paths) + "\n")
    out = subprocess.run(
        ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency",
         "-s", str(BENCH / "places.lua"), f"http://127.0.0.1:{port}", "--", str(queries)],
        check=True, capture_output=True, text=True,
    ).stdout
    print(out)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p = {m.group(1): _ms(m.group(2)) for m in re.finditer(r"^\s+(50|75|90|99)%\s+([\d.]+\w+)", out, re.M)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    non_2xx = int(errors.group(1)) if errors else 0
    if non_2xx:
        # Figures of error answers measure nothing (a database not migrated answers 500s fast).
        print(f"WARNING: {non_2xx} answers were not 2xx: these figures are not a search's", flush=True)
    return {"rps": rps, "p50_ms": p.get("50"), "p99_ms": p.get("99"), "non_2xx": non_2xx}


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def category_ids(env: dict) -> dict[str, int]:
    code = (
        "from geofinder.places.models import Category;"
        "print(json.dumps(dict(Category.objects.values_list('slug', 'id'))))"
    )
    return django_json(env, code)


def server_settings(env: dict) -> dict:
    """The PostgreSQL settings the figures depend on most (shared_buffers: whether the 2M places
    and their indexes fit in the server's cache)."""
    code = (
        "from django.db import connection; c = connection.cursor();"
        "c.execute(\"SELECT name, current_setting(name) FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'max_connections')\");"
        "print(json.dumps(dict(c.fetchall())))"
    )
    return django_json(env, code)


def pgbench(env: dict, seconds: int, connections: int, categories: list[int]) -> dict:
    """The KNN statement of the search, prepared, on the categories the API load asks for
    (`categories`, repeated by weight) around random points of metropolitan France."""
    url = urlsplit(env["DATABASE_URL"])
    script = RESULTS / "knn.sql"
    point = "ST_SetSRID(ST_MakePoint(:lon / 100.0, :lat / 100.0), 4326)"
    script.write_text(
        f"\\set lon random(-150, 750)\n\\set lat random(4300, 5050)\n\\set i random(1, {len(categories)})\n"
        f"SELECT id, ST_Distance(location, {point}::geography)\n"
        f"FROM places_place WHERE category_id = (ARRAY{categories}::bigint[])[:i]\n"
        f"ORDER BY location::geometry <-> {point} LIMIT 20;\n"
    )
    pg_env = {**env, "PGPASSWORD": url.password or ""}
    out = subprocess.run(
        ["pgbench", "-n", "-M", "prepared", "-c", str(connections), "-j", "2", "-T", str(seconds), "-r", "-f", str(script),
         "-h", url.hostname, "-p", str(url.port or 5432), "-U", url.username, url.path.lstrip("/")],
        env=pg_env, check=True, capture_output=True, text=True,
    ).stdout
    print(out)
    tps = float(re.search(r"tps = ([\d.]+)", out).group(1))
    latency = float(re.search(r"latency average = ([\d.]+) ms", out).group(1))
    return {"tps": tps, "latency_avg_ms": latency}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--places", type=int, default=2_000_000, help="synthetic places (default 2,000,000)")
    parser.add_argument("--seconds", type=int, default=20, help="duration of each load run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", "4")))
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--prepare-only", action="store_true", help="prepare the database, measure nothing")
    parser.add_argument("--loads", default=",".join(LOADS),
                        help=f"comma-separated loads to run (default all: {','.join(LOADS)})")
    parser.add_argument("--server-root", type=Path, default=ROOT,
                        help="the checkout of geofinder to serve (default: this one), to compare versions")
    parser.add_argument("--no-pgbench", action="store_true", help="skip the raw SQL reference")
    parser.add_argument("--no-prepare", action="store_true",
                        help="use the bench database as it is (prepared by an earlier run)")
    parser.add_argument("--managers", type=int, default=None,
                        help="merchant accounts, each a verified manager of a synthetic place "
                        "(bench/merchants.py; e.g. 10000; 0 removes them; unset: as they are)")
    parser.add_argument("--history", type=int, default=None,
                        help="history rows (django-simple-history) of the managed places (e.g. 100000)")
    args = parser.parse_args()
    loads = [load.strip() for load in args.loads.split(",") if load.strip()]
    unknown = set(loads) - set(LOADS)
    if unknown:
        parser.error(f"unknown loads: {', '.join(sorted(unknown))} (known: {', '.join(LOADS)})")

    env = {**os.environ, "DATABASE_URL": bench_database_url(), "DJANGO_DEBUG": "false"}
    RESULTS.mkdir(parents=True, exist_ok=True)
    if not args.no_prepare:
        prepare_database(env, args.places)
    if args.managers is not None or args.history is not None:
        prepare_merchants(env, args.managers or 0, args.history or 0)
    if args.prepare_only:
        return
    queries = sample_queries(env)
    base = [f"/api/v1/places/?category={slug}&near={lon},{lat}&limit=20" for lon, lat, slug in queries]
    mixed = [f"/api/v1/places/?category={slug}&near={lon},{lat}&limit=20" for lon, lat, slug in mixed_queries(queries)]
    results = {"date": datetime.now().isoformat(timespec="seconds"), "synthetic_places": args.places,
               "connections": args.connections, "workers": args.workers, "targets": TARGETS,
               "server_root": str(args.server_root.resolve())}
    # What the search runs beside: manager links and history rows (bench/merchants.py, --managers).
    results["merchant_rows"] = django_json(env, (
        "from django.db import connection; c = connection.cursor();"
        "c.execute('SELECT (SELECT count(*) FROM auth_user), (SELECT count(*) FROM merchants_manager),"
        " (SELECT count(*) FROM places_historicalplace)');"
        "print(json.dumps(dict(zip(('users', 'manager_links', 'history_rows'), c.fetchone()))))"))
    ids = category_ids(env)
    weighted = [ids[slug] for slug, weight in CATEGORY_WEIGHTS for _ in range(weight)]
    results["postgresql"] = server_settings(env)
    if not args.no_pgbench:
        results["sql_knn_reference"] = pgbench(env, args.seconds, args.connections, weighted)
    server = start_server(env, args.port, args.workers, root=args.server_root)
    try:
        wrk(args.port, base[:50], 3, args.connections)  # warm-up
        if "places" in loads:
            results["places"] = wrk(args.port, base, args.seconds, args.connections)
        if "places_mixed" in loads:
            results["places_mixed"] = wrk(args.port, mixed, args.seconds, args.connections) | {
                "far_share": FAR_SHARE, "far_box": FAR_BOX}
        if "places_open_now" in loads:
            results["places_open_now"] = wrk(args.port, [p + "&open=now" for p in base], args.seconds, args.connections)
        # `open=now` depends on the hour it runs at: also at fixed instants, a weekday morning
        # (most shops open) and a Sunday night (only the 24/7 ones and a few bars).
        for name, instant in OPEN_AT_INSTANTS.items():
            if name not in loads:
                continue
            at = quote(instant.isoformat(timespec="minutes"), safe=":")
            paths = [f"{p}&open={at}" for p in base]
            results[name] = wrk(args.port, paths, args.seconds, args.connections) | {"open": instant.isoformat()}
    finally:
        stop_server(server)
    out = write_results(results, "bench")
    for name, target in TARGETS.items():
        if name not in results:
            continue
        got = results[name]
        verdict = all(got[k] >= v if k == "rps" else got[k] <= v for k, v in target.items())
        print(f"{name}: {got['rps']:.0f} req/s, p99 {got['p99_ms']:.1f} ms — target {target}: {'met' if verdict else 'NOT met'}")
    if "places" in results and "places_mixed" in results:
        dense, mixed = results["places"], results["places_mixed"]
        print(f"dense load p50 {dense['p50_ms']:.1f} ms p99 {dense['p99_ms']:.1f} ms; mixed load (30 % far points)"
              f" p50 {mixed['p50_ms']:.1f} ms p99 {mixed['p99_ms']:.1f} ms: p99 ratio {mixed['p99_ms'] / dense['p99_ms']:.2f}"
              " (target at most 2)")
    print(f"results: {out}")


if __name__ == "__main__":
    main()
