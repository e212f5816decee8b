#!/usr/bin/env python
"""Hostile load, one command: `make bench-hostile` (or `python bench/hostile.py`).

Does an ordinary search keep its latency while other clients send the costliest requests the API
accepts, and the ones it refuses? On the bench database (2,000,000 synthetic places, prepared by
bench/run.py, reused here), gunicorn as `make bench` runs it, then:

1. ordinary alone: wrk, 8 connections, category + near + limit 20 (the `make bench` load);
2. ordinary again, while a second wrk sends hostile requests on 8 more connections: free text of
   the longest length accepted (names that match no place, typos of categories, long addresses),
   autocomplete of long texts, 30 categories at once with limit 100, open at night far from any
   place of a rare category, and inputs refused at once (3 KB of words, NUL bytes, dates out of
   range).

The server runs as behind the README's nginx (GEOFINDER_TRUSTED_PROXIES=1): the ordinary
requests come from many addresses (residents), the hostile ones from one, which the per-client
limit (GEOFINDER_API_RATE, default 20/s, geofinder/api/throttles.py) answers with 429 beyond its
rate. `--api-rate off` measures the service without that limit.

Both wrk runs report p50/p99 and req/s; the hostile one also its answers by status (200, 400,
429 past the client's rate, 503 for a statement cut by the requests' timeout). Results:
bench/results/hostile-<date>.json.
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
import threading
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import (  # noqa: E402
    BENCH,
    RESULTS,
    ROOT,
    _ms,
    bench_database_url,
    category_ids,
    django_json,
    prepare_database,
    start_server,
    sample_queries,
    write_results,
)

ORDINARY_CONNECTIONS = 8
HOSTILE_CONNECTIONS = 8
# Who sends the loads (X-Forwarded-For, see bench/statuses.lua): the residents each from their
# own address, the hostile load from one (a documentation address, RFC 5737).
RESIDENTS = "many"
ATTACKER = "203.0.113.66"
FREE_TEXT = 200  # the contract's cap (geofinder.search.contract.FREE_TEXT_MAX_LENGTH)


def _text(rng: random.Random, words: list[str], length: int = FREE_TEXT) -> str:
    out = ""
    while True:
        word = rng.choice(words)
        if len(out) + len(word) + 1 > length:
            return out
        out = f"{out} {word}".strip()


def hostile_paths(rng: random.Random, points: list[tuple[float, float, str]], slugs: list[str]) -> list[str]:
    """The costliest requests the API accepts, and some it refuses at once."""
    nonsense = ["zyx", "qwvk", "plorbe", "gnarf", "xylo", "brumpf", "kwazi", "vlorn", "zebulon", "quixote"]
    typos = ["boulangrie", "patiserie", "fromagrie", "boucheri", "plombiez", "coiffeure", "librarie", "pharmacee"]
    streets = ["rue", "de", "la", "grande", "avenue", "chemin", "du", "moulin", "vieux", "pont", "saint"]
    paths = []
    for index in range(400):
        lon, lat, _slug = points[index % len(points)]
        near = f"{lon},{lat}"
        kind = index % 8
        if kind == 0:  # a name that matches no place: the name search reads far
            query = {"what": _text(rng, nonsense), "near": near, "limit": 100}
        elif kind == 1:  # typos of categories: the fuzzy matching of what
            query = {"what": _text(rng, typos), "near": near}
        elif kind == 2:  # a long address: the gazetteer
            query = {"where": _text(rng, streets), "category": "boulangerie"}
        elif kind == 3:  # autocomplete of a long text
            query = {"q": _text(rng, streets + typos)}
        elif kind == 4:  # 30 categories, the largest page
            query = {"category": ",".join(rng.sample(slugs, 30)), "near": near, "limit": 100}
        elif kind == 5:  # far out at sea, at night, a rare category
            query = {"category": "horloger", "near": f"{rng.uniform(-30, -20):.4f},{rng.uniform(35, 45):.4f}",
                     "open": "2027-03-07T03:30", "limit": 100}
        elif kind == 6:  # refused at once: 3 KB of words
            query = {"where": " ".join(["ab"] * 650), "category": "boulangerie"}
        else:  # refused at once: NUL byte, a date out of range
            query = {"near": near, "territory": "department:\x00", "open": "9999-12-31T23:59-12:00"}
        endpoint = "/api/v1/geocode/" if "q" in query else "/api/v1/places/"
        paths.append(f"{endpoint}?{urlencode(query)}")
    return paths


def wrk(port: int, paths: list[str], seconds: int, connections: int, name: str, client: str) -> dict:
    """wrk's figures, the requests sent as from `client` ("many": each from another address)."""
    queries = RESULTS / f"hostile-{name}.txt"
    queries.write_text("\n".join(paths) + "\n")
    out = subprocess.run(
        ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "30s", "--latency",
         "-s", str(BENCH / "statuses.lua"), f"http://127.0.0.1:{port}", "--", str(queries), client],
        check=True, capture_output=True, text=True,
    ).stdout
    print(f"--- {name}\n{out}")
    percentiles = {m.group(1): _ms(m.group(2)) for m in re.finditer(r"^\s+(50|75|90|99)%\s+([\d.]+\w+)", out, re.M)}
    statuses = json.loads(re.search(r"^statuses (\{.*\})$", out, re.M).group(1))
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": percentiles.get("50"),
        "p99_ms": percentiles.get("99"),
        "statuses": dict(sorted(statuses.items())),
    }


APPLICATION_NAME = "geofinder-bench-hostile"


def stop_server(server: subprocess.Popen, env: dict) -> None:
    """Stop gunicorn; its workers may be stuck in statements of minutes (versions without a
    statement timeout): killed after 10 s, and what they left running in PostgreSQL ended."""
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
    django_json(env, "from django.db import connection; c = connection.cursor();"
                f"c.execute(\"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '{APPLICATION_NAME}'\");"
                "print(json.dumps(c.fetchone()[0]))")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--places", type=int, default=2_000_000, help="synthetic places (default 2,000,000)")
    parser.add_argument("--seconds", type=int, default=20, help="duration of each load run")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", "4")))
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--server-root", type=Path, default=ROOT,
                        help="the checkout of geofinder to serve (default: this one), to compare versions")
    parser.add_argument("--no-prepare", action="store_true",
                        help="use the bench database as it is (prepared by an earlier run)")
    parser.add_argument("--api-rate", default=None,
                        help="GEOFINDER_API_RATE of the server (default: the settings' default; off: no limit)")
    args = parser.parse_args()

    env = {**os.environ, "DATABASE_URL": bench_database_url(), "DJANGO_DEBUG": "false"}
    # As behind the README's nginx: the client's address is the one the proxy adds to
    # X-Forwarded-For. Residents come from many addresses, the hostile load from one.
    server_env = {**env, "DATABASE_APPLICATION_NAME": APPLICATION_NAME, "GEOFINDER_TRUSTED_PROXIES": "1"}
    if args.api_rate:
        server_env["GEOFINDER_API_RATE"] = args.api_rate
    RESULTS.mkdir(parents=True, exist_ok=True)
    if not args.no_prepare:
        prepare_database(env, args.places)
    points = sample_queries(env)
    ordinary = [f"/api/v1/places/?category={slug}&near={lon},{lat}&limit=20" for lon, lat, slug in points]
    hostile = hostile_paths(random.Random(11), points, sorted(category_ids(env)))
    results = {"date": datetime.now().isoformat(timespec="seconds"), "synthetic_places": args.places,
               "workers": args.workers, "ordinary_connections": ORDINARY_CONNECTIONS,
               "hostile_connections": HOSTILE_CONNECTIONS, "server_root": str(args.server_root.resolve()),
               "api_rate": args.api_rate or "default"}
    # As `make bench` runs it (sync workers), quiet (the hostile requests' 400s), limits on.
    server = start_server(server_env, args.port, args.workers, root=args.server_root, client_limit=True, quiet=True)
    try:
        wrk(args.port, ordinary[:50], 3, ORDINARY_CONNECTIONS, "warm-up", RESIDENTS)
        results["ordinary_alone"] = wrk(args.port, ordinary, args.seconds, ORDINARY_CONNECTIONS, "ordinary", RESIDENTS)
        hostile_result = {}

        def attack() -> None:
            hostile_result.update(wrk(args.port, hostile, args.seconds, HOSTILE_CONNECTIONS, "hostile", ATTACKER))

        attacker = threading.Thread(target=attack)
        attacker.start()
        results["ordinary_with_hostile"] = wrk(args.port, ordinary, args.seconds, ORDINARY_CONNECTIONS, "ordinary",
                                               RESIDENTS)
        attacker.join()
        results["hostile"] = hostile_result
    finally:
        stop_server(server, env)
    out = write_results(results, "hostile")
    alone, mixed = results["ordinary_alone"], results["ordinary_with_hostile"]
    print(f"ordinary alone: p50 {alone['p50_ms']} ms, p99 {alone['p99_ms']} ms, {alone['rps']:.0f} req/s")
    print(f"with {HOSTILE_CONNECTIONS} hostile connections: p50 {mixed['p50_ms']} ms, p99 {mixed['p99_ms']} ms, "
          f"{mixed['rps']:.0f} req/s; hostile {results['hostile']['rps']:.0f} req/s, {results['hostile']['statuses']}")
    print(f"results: {out}")


if __name__ == "__main__":
    main()
