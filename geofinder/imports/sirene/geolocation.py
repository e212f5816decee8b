"""Positions of establishments that their own file does not hold: INSEE's geolocation file
(joined by SIRET) and the communes' points (for partially diffusible establishments)."""

from __future__ import annotations

import math
from pathlib import Path

from django.db import connection

from geofinder.imports.sirene.files import register_rows
from geofinder.imports.sirene.layout import GEOLOCATION_REQUIRED, NOT_DIFFUSED

_TABLE = "geofinder_sirene_geolocation"


class GeolocationFile:
    """INSEE's geolocation file, copied into a temporary table of the import's transaction
    (siret → WGS84 lon, lat), so that rows are joined batch by batch in constant memory
    whatever the size of the file (32 million rows for all of France)."""

    def __init__(self, path: Path, *, progress=lambda iterable, **kwargs: iterable):
        self.path = path
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {_TABLE}")
            cursor.execute(f"CREATE TEMPORARY TABLE {_TABLE} (siret text, lon float8, lat float8) ON COMMIT DROP")
            with register_rows(path, required=GEOLOCATION_REQUIRED) as (header, rows):
                siret, lon, lat = (header.index(name) for name in ("siret", "x_longitude", "y_latitude"))
                with cursor.connection.cursor().copy(f"COPY {_TABLE} FROM STDIN") as copy:
                    for _line, row in progress(rows, desc="geolocation"):
                        point = _point(row, lon, lat)
                        if point and siret < len(row):
                            copy.write_row((row[siret].strip(), *point))
            cursor.execute(f"CREATE INDEX ON {_TABLE} (siret)")
            cursor.execute(f"ANALYZE {_TABLE}")

    def positions(self, sirets: list[str]) -> dict[str, tuple[float, float]]:
        """siret → (lon, lat) for those of `sirets` the file places."""
        if not sirets:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT siret, lon, lat FROM {_TABLE} WHERE siret = ANY(%s)", [sirets])
            return {siret: (lon, lat) for siret, lon, lat in cursor.fetchall()}


def _point(row: list[str], lon_at: int, lat_at: int) -> tuple[float, float] | None:
    try:
        lon_text, lat_text = row[lon_at].strip(), row[lat_at].strip()
    except IndexError:
        return None
    if not lon_text or not lat_text or NOT_DIFFUSED in (lon_text, lat_text):
        return None
    try:
        lon, lat = float(lon_text), float(lat_text)
    except ValueError:
        return None
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        return None
    return lon, lat


class CommunePoints:
    """A point inside each commune (PostGIS ST_PointOnSurface of its boundary), by INSEE code,
    looked up as needed and kept for the import."""

    def __init__(self):
        self.known: dict[str, tuple[float, float] | None] = {}

    def points(self, codes: set[str]) -> dict[str, tuple[float, float] | None]:
        missing = [code for code in codes if code not in self.known]
        if missing:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT code, ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom))"
                    " FROM territories_commune WHERE code = ANY(%s)",
                    [missing],
                )
                found = {code: (lon, lat) for code, lon, lat in cursor.fetchall()}
            for code in missing:
                self.known[code] = found.get(code)
        return {code: self.known[code] for code in codes}



class CommuneResolver:
    """The commune of an establishment: the one the register names (codeCommuneEtablissement)
    when its position lies within that commune's bounding box widened by BOX_MARGIN_DEG, else
    the one its position lies in (point-in-polygon, as every importer resolves it: a commune
    created after the 2018 boundaries, a geocoding gone astray, a point at sea).

    Reading a commune by code costs nothing; point-in-polygon tests on the detailed boundaries
    were a fifth of an import's time."""

    BOX_MARGIN_DEG = 0.01  # about 1 km

    def __init__(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT code, id, ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom) FROM territories_commune"
            )
            margin = self.BOX_MARGIN_DEG
            self.boxes = {
                code: (pk, xmin - margin, ymin - margin, xmax + margin, ymax + margin)
                for code, pk, xmin, ymin, xmax, ymax in cursor.fetchall()
            }

    def by_code(self, code: str, lon: float, lat: float) -> int | None:
        """The commune `code` names if (lon, lat) lies within its widened box, else None."""
        box = self.boxes.get(code)
        if box is None:
            return None
        pk, xmin, ymin, xmax, ymax = box
        return pk if xmin <= lon <= xmax and ymin <= lat <= ymax else None
