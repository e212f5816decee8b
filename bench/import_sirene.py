#!/usr/bin/env python
"""SIRENE import benchmark, one command: `make bench-import` (or `python bench/import_sirene.py`).

Writes a **synthetic** register file of 300,000 rows in the layout of Etalab's geo_siret files
(the published header, geofinder/imports/sirene/layout.py) — for this benchmark only: invented
SIRETs (prefix 98), names "ETABLISSEMENT SYNTHETIQUE BENCH <n>", positions drawn around the
interior points of the real communes of Haute-Garonne (31) — then runs `manage.py import_sirene`
on it twice in a child process, in its own database (`geofinder_bench_import`: real territories
and categories, no other place): a first import (every public-facing row created) and a second
(the same file: nothing written). Throughput = rows read / wall time of the import; memory =
the peak resident set of the child (ru_maxrss); its CPU time is recorded too, since on a busy
machine the wall time measures the other processes as much as the import. The mix follows the register's: about 40 % of
rows are closed establishments, 2 % non-diffusible, 5 % partially diffusible, a third of the
activities public-facing. Results: bench/results/import-sirene-<date>.json.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import DJANGO_SETUP, PYTHON, RESULTS, ROOT, bench_database_url, run, write_results  # noqa: E402

TARGETS = {"rows_per_s": 20_000, "peak_rss_mb": 500}
# Real NAF rév. 2 sous-classes of establishments that are not public-facing (offices, wholesale,
# industry, health, building companies…), drawn for the other rows.
OTHER_NAF = ["70.22Z", "68.20A", "62.01Z", "86.21Z", "41.20A", "46.90Z", "69.20Z", "85.59A", "49.41A", "01.11Z",
             "43.99D", "66.22Z", "71.12B", "94.99Z", "88.10A"]



def prepare_database(env: dict) -> None:
    run(["bash", "scripts/ensure-db.sh"], env)
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    code = DJANGO_SETUP + (
        "from django.core.management import call_command; from geofinder.places.models import Category, Place;"
        "from geofinder.territories.models import Commune;"
        "Category.objects.exists() or call_command('load_categories', no_progress=True);"
        "Commune.objects.exists() or call_command('load_territories', no_progress=True);"
        "print('removed', Place.objects.filter(source='sirene').delete()[0], 'rows of an earlier run');"
        # The rows removed are dead until a VACUUM (the machine's autovacuum may be off): without
        # it every run imports into tables and indexes bloated by the runs before, and measures
        # slower (23,800 rows/s, then 17,800 on the next run).
        "from django.db import connection; connection.cursor().execute("
        "'VACUUM (ANALYZE) places_place, places_placesource, places_place_secondary_categories,"
        " places_secondarylocation'); print('vacuumed the places tables')"
    )
    run([PYTHON, "-c", code], env)


def commune_points(env: dict) -> list[tuple[str, str, float, float]]:
    code = DJANGO_SETUP + (
        "from django.db import connection; c = connection.cursor();"
        "c.execute(\"SELECT co.code, co.name, ST_X(ST_PointOnSurface(co.geom)), ST_Y(ST_PointOnSurface(co.geom))"
        " FROM territories_commune co JOIN territories_department d ON d.id = co.department_id"
        " WHERE d.code = '31' ORDER BY co.code\");"
        "print(json.dumps(c.fetchall()))"
    )
    out = subprocess.run([PYTHON, "-c", code], env=env, check=True, cwd=ROOT, capture_output=True, text=True)
    return [tuple(row) for row in json.loads(out.stdout)]


def synthetic_file(path: Path, rows: int, communes: list, seed: int = 31) -> None:
    """The synthetic register file (gzipped, as published)."""
    from geofinder.imports.sirene.layout import GEO_SIRET_HEADER
    from geofinder.imports.sirene.naf import read_naf_categories

    rng = random.Random(seed)
    public = sorted(read_naf_categories(categories=_all_slugs()))
    # Big communes hold more establishments: Toulouse (31555) a third of them.
    weights = [60 if code == "31555" else 1 for code, *_ in communes]
    with gzip.open(path, "wt", encoding="utf-8", newline="", compresslevel=1) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(GEO_SIRET_HEADER)
        index = {name: position for position, name in enumerate(GEO_SIRET_HEADER)}
        for n in range(rows):
            code, name, lon, lat = rng.choices(communes, weights)[0]
            siret = f"98{n:012d}"
            draw = rng.random()
            diffusion = "N" if draw < 0.02 else "P" if draw < 0.07 else "O"
            state = "F" if rng.random() < 0.4 else "A"
            naf = rng.choice(public) if rng.random() < 0.33 else rng.choice(OTHER_NAF)
            row = [""] * len(GEO_SIRET_HEADER)
            values = {
                "siren": siret[:9], "nic": siret[9:], "siret": siret, "statutDiffusionEtablissement": diffusion,
                "dateCreationEtablissement": "2012-05-04", "etablissementSiege": "true",
                "activitePrincipaleRegistreMetiersEtablissement": f"{naf}A" if rng.random() < 0.4 else "",
                "numeroVoieEtablissement": str(rng.randint(1, 120)),
                "typeVoieEtablissement": rng.choice(["RUE", "AV", "CHE", "BD", "RTE"]),
                "libelleVoieEtablissement": "DE LA SYNTHESE", "codePostalEtablissement": "31000",
                "libelleCommuneEtablissement": name.upper(), "codeCommuneEtablissement": code,
                "dateDebut": "2012-05-04",
                "etatAdministratifEtablissement": state,
                "enseigne1Etablissement": f"ETABLISSEMENT SYNTHETIQUE BENCH {n}" if rng.random() < 0.6 else "",
                "activitePrincipaleEtablissement": naf, "nomenclatureActivitePrincipaleEtablissement": "NAFRev2",
                "caractereEmployeurEtablissement": "N",
                # Within about 150 m of the commune's interior point.
                "longitude": f"{lon + rng.uniform(-0.0015, 0.0015):.6f}",
                "latitude": f"{lat + rng.uniform(-0.001, 0.001):.6f}",
                "geo_score": "0.9", "geo_type": "housenumber",
            }
            for column, value in values.items():
                row[index[column]] = value
            writer.writerow(row)


def _all_slugs() -> set[str]:
    from geofinder.imports.taxonomy import read_taxonomy

    return {category["slug"] for category in read_taxonomy()[1]}


def timed_import(env: dict, path: Path, report: Path) -> dict:
    """One `manage.py import_sirene` in a child process: wall time, rows read, peak RSS."""
    command = [PYTHON, "manage.py", "import_sirene", str(path), "--no-progress", "--report", str(report)]
    print("$", " ".join(command), flush=True)
    started = time.monotonic()
    child = subprocess.Popen(command, env=env, cwd=ROOT)
    _pid, status, usage = os.wait4(child.pid, 0)  # this child's own peak resident set
    seconds = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"import_sirene failed (exit {os.waitstatus_to_exitcode(status)})")
    peak_kb = usage.ru_maxrss
    data = json.loads(report.read_text())
    return {
        "rows_read": data["rows_read"],
        "created": data["created"], "updated": data["updated"], "unchanged": data["unchanged"],
        "rejected": data["rejected_count"],
        "seconds_wall": round(seconds, 2),
        "rows_per_s_wall": round(data["rows_read"] / seconds),
        "rows_per_s_import": round(data["rows_per_second"]),  # the import alone, without start-up
        "places_written_per_s": round((data["created"] + data["updated"]) / data["seconds"]) if data["seconds"] else 0,
        "peak_rss_mb": round(peak_kb / 1024, 1),
        # CPU time of the command's process (PostgreSQL's own work not included): on a loaded
        # machine the wall time says more about the other processes than about the import.
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "rows_per_cpu_s": round(data["rows_read"] / (usage.ru_utime + usage.ru_stime)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=300_000)
    args = parser.parse_args()
    env = {**os.environ, "DATABASE_URL": bench_database_url("geofinder_bench_import", "BENCH_IMPORT_DATABASE_URL")}
    env.pop("GEOFINDER_NETWORK", None)
    prepare_database(env)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"geo_siret_synthetic_{args.rows}.csv.gz"
    os.environ["DATABASE_URL"] = env["DATABASE_URL"]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geofinder.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    started = time.monotonic()
    synthetic_file(path, args.rows, commune_points(env))
    print(f"wrote {args.rows:,} synthetic rows to {path} in {time.monotonic() - started:.1f} s")
    results = {
        "rows": args.rows,
        "file_bytes": path.stat().st_size,
        "load_average": os.getloadavg(),
        "first_import": timed_import(env, path, RESULTS / "import-sirene-first.json"),
        "second_import_unchanged": timed_import(env, path, RESULTS / "import-sirene-second.json"),
        "targets": TARGETS,
    }
    write_results(results, "import-sirene")


if __name__ == "__main__":
    main()
