"""Postcodes from La Poste's "base officielle des codes postaux" (laposte_hexasmal CSV)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from django.db import connection

from geofinder.core.copy import point_ewkt
from geofinder.core.hashing import content_hash
from geofinder.imports.report import ImportReport
from geofinder.imports.sources import csv_rows
from geofinder.territories.models import CurrentCommune, PostalCode
from geofinder.territories.selectors import commune_ids_at_points

COLUMNS = ["Code_commune_INSEE", "Nom_commune", "Code_postal", "Ligne_5", "Libellé_d_acheminement", "latitude", "longitude"]

# Paris, Lyon and Marseille are single communes in the boundaries; La Poste lists their
# municipal arrondissements (75101…, 69381…, 13201…).
_ARRONDISSEMENT_PREFIXES = {"751": "75056", "693": "69123", "132": "13055"}


def _commune_code(insee: str, known: dict[str, int]) -> str | None:
    if insee in known:
        return insee
    parent = _ARRONDISSEMENT_PREFIXES.get(insee[:3])
    if parent and insee[3:].isdigit() and insee != parent:
        return parent
    return None


def postal_rows(
    path: Path,
    *,
    report: ImportReport,
    commune_ids: dict[str, int],
    current_ids: dict[str, int],
    current_of: dict[int, int],
    progress,
) -> Iterator[dict]:
    """Model rows for PostalCode, each resolved to a 2018 commune and to a commune of today.

    The INSEE code is looked up first (arrondissements map to their city); a code unknown to the
    2018 boundaries (a commune nouvelle created since) is resolved by the commune containing La
    Poste's point and reported as a warning; rows of territories without boundaries
    (collectivités d'outre-mer) keep no commune, also reported. The commune of today is the one
    continuing the INSEE code (`current_ids`: every code INSEE knows, CommuneCode), else the one
    of today covering the 2018 commune found (`current_of`).
    """
    parsed: list[tuple[str, dict, tuple[float, float]]] = []  # (row, values, its point's lon/lat)
    unresolved: list[int] = []
    first_line: dict[tuple[str, str, str, str], int] = {}
    for line, raw in progress(csv_rows(path, required=COLUMNS, delimiter=";"), desc="postcodes"):
        report.rows_read += 1
        row = f"line {line} ({raw['Code_postal']} {raw['Nom_commune']})"
        try:
            lat, lon = float(raw["latitude"]), float(raw["longitude"])
        except ValueError:
            report.reject(row, f"invalid coordinates: latitude={raw['latitude']!r} longitude={raw['longitude']!r}")
            continue
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            report.reject(row, f"coordinates out of range: {lat}, {lon}")
            continue
        code = raw["Code_postal"].strip()
        if not (len(code) == 5 and code.isdigit()):
            report.reject(row, f"invalid postcode: {code!r}")
            continue
        values = {
            "code": code,
            "insee_code": raw["Code_commune_INSEE"].strip(),
            "name": raw["Nom_commune"].strip(),
            "locality": raw["Ligne_5"].strip(),
            "delivery_label": raw["Libellé_d_acheminement"].strip(),
            "point": point_ewkt(lon, lat),
        }
        key = (values["insee_code"], values["code"], values["locality"], values["delivery_label"])
        if key in first_line:
            report.reject(row, f"duplicate row: same commune, postcode, locality and delivery label as line {first_line[key]}")
            continue
        first_line[key] = line
        commune_code = _commune_code(values["insee_code"], commune_ids)
        values["commune_id"] = commune_ids[commune_code] if commune_code else None
        if values["commune_id"] is None:
            unresolved.append(len(parsed))
        parsed.append((row, values, (lon, lat)))

    # No snapping: a point just outside France (Monaco's 98000) must not join a French commune.
    located = commune_ids_at_points([parsed[i][2] for i in unresolved], snap_m=0)
    for i, (commune_id, _snapped) in zip(unresolved, located, strict=True):
        row, values, _point = parsed[i]
        values["commune_id"] = commune_id
        if commune_id is None:
            report.warn(row, f"INSEE code {values['insee_code']} has no 2018 boundary and its point lies in none: kept without commune")
        else:
            report.warn(row, f"INSEE code {values['insee_code']} unknown in 2018 boundaries: attached to the commune containing its point")

    for _row, values, point in parsed:
        values["current_commune_id"] = current_ids.get(values["insee_code"]) or current_of.get(values["commune_id"])
        values["source_hash"] = content_hash({k: (point if k == "point" else v) for k, v in values.items()})
        yield values


# La Poste's points outside the commune of today of their row, with the distance (geodesic
# metres) to its polygon.
_POINTS_OUTSIDE_SQL = f"""
SELECT p.code, p.insee_code, p.name, p.locality, c.code, c.name, ST_Distance(c.geom::geography, p.point)
FROM {PostalCode._meta.db_table} p
JOIN {CurrentCommune._meta.db_table} c ON c.id = p.current_commune_id
WHERE NOT ST_Covers(c.geom, p.point::geometry)
ORDER BY p.code, p.insee_code, p.locality
"""


def report_points_outside(report: ImportReport) -> None:
    """Warn of each postcode row whose La Poste point lies outside its commune: the gazetteer
    puts that postcode at the commune's own point instead."""
    with connection.cursor() as cursor:
        cursor.execute(_POINTS_OUTSIDE_SQL)
        for code, insee, name, locality, commune_code, commune_name, distance in cursor.fetchall():
            row = f"{code} {insee} {name}" + (f" ({locality})" if locality else "")
            report.warn(
                row,
                f"La Poste's point lies {distance:,.0f} m outside {commune_name} ({commune_code}): "
                "the commune's point is used",
            )
