"""Importing a register file: streamed in batches through the place upsert, in constant memory.

Rows are read one at a time and written BATCH_SIZE places at a time (geofinder.places.services.
places_upsert, the write path of every importer), so that memory does not grow with the file (a Paris file
holds more than a million rows); what grows is the report (one entry per rejected row, as every
import reports) and the set of SIRETs met (to refuse a SIRET seen twice).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from geofinder.imports.report import ImportReport
from geofinder.imports.sirene.establishments import SOURCE, Establishment, EstablishmentParser
from geofinder.imports.sirene.files import register_rows
from geofinder.imports.sirene.geolocation import CommunePoints, CommuneResolver, GeolocationFile
from geofinder.imports.sirene.layout import GEO_SIRET_COORDINATES, REQUIRED
from geofinder.imports.sirene.naf import NafCategory
from geofinder.places.models import Place, PlaceSource
from geofinder.places.services import places_remove, places_upsert
from geofinder.territories.selectors import commune_ids_at_points

BATCH_SIZE = 5000


def sirene_import(
    *, path: Path, report: ImportReport, naf: dict[str, NafCategory], category_labels: dict[str, str],
    lock: Callable[[str], None], progress: Callable = lambda rows, **kwargs: rows,
    geolocation: GeolocationFile | None = None, naf_labels: dict[str, str] | None = None,
) -> None:
    """Import the establishments of one register file (a geo_siret file, or a StockEtablissement
    file joined to `geolocation`) as places of source "sirene", keyed by SIRET.

    Every row ends in the report: created, updated, unchanged, or rejected with its reason. A
    row rejected whose SIRET has a place from an earlier import removes that place (the
    establishment became non-diffusible, or left the public-facing trades): what the public
    sees follows the register. A closed establishment (F) closes its place ("fermé
    définitivement", with the register's date); without one it is rejected.
    """
    lock(SOURCE)
    # The establishments some place shows: its own, or joined to a place of another source.
    existing = set(Place.objects.filter(source=SOURCE).values_list("source_id", flat=True))
    existing |= set(PlaceSource.objects.filter(source=SOURCE).values_list("source_id", flat=True))
    with register_rows(path, required=REQUIRED) as (header, rows):
        if geolocation is None and not all(name in header for name in GEO_SIRET_COORDINATES):
            report.warn(
                str(path), "no longitude/latitude columns and no geolocation file: places at their commune's point"
            )
        parser = EstablishmentParser(header, naf=naf, category_labels=category_labels, naf_labels=naf_labels)
        batch = _Batch(report=report, lock=lock, geolocation=geolocation)
        seen: dict[str, int] = {}
        for line, row in progress(rows, desc=path.name):
            report.rows_read += 1
            ref = f"line {line}"
            siret = parser.siret(row)
            known = siret in existing
            parsed = parser.parse(row, known=known)
            if isinstance(parsed, str):
                batch.reject(ref, parsed, siret if known else None)
                continue
            if siret in seen:
                report.reject(ref, f"SIRET {siret} already read at line {seen[siret]}: the first row is kept")
                continue
            seen[siret] = line
            batch.add(ref, parsed)
        batch.flush()


class _Batch:
    """Establishments waiting to be written, and the places to remove."""

    def __init__(self, *, report: ImportReport, lock: Callable[[str], None], geolocation: GeolocationFile | None):
        self.report, self.lock, self.geolocation = report, lock, geolocation
        self.communes = CommunePoints()
        self.resolver = CommuneResolver()
        self.items: list[tuple[str, Establishment]] = []
        self.removed: list[str] = []

    def add(self, ref: str, establishment: Establishment) -> None:
        self.items.append((ref, establishment))
        if len(self.items) >= BATCH_SIZE:
            self.flush()

    def reject(self, ref: str, reason: str, existing_siret: str | None) -> None:
        if existing_siret is None:
            self.report.reject(ref, reason)
            return
        self.report.reject(ref, f"{reason}; its place from an earlier import is removed")
        self.removed.append(existing_siret)
        if len(self.removed) >= BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        if self.removed:
            self.lock(SOURCE)
            places_remove(source=SOURCE, source_ids=self.removed)
            self.removed = []
        if not self.items:
            return
        items, self.items = self.items, []
        if self.geolocation is not None:
            wanted = [e.record.source_id for _, e in items if not e.partial]
            positions = self.geolocation.positions(wanted)
            for _, establishment in items:
                found = positions.get(establishment.record.source_id)
                if found and not establishment.partial:
                    establishment.record.lon, establishment.record.lat = found
        unplaced = {e.commune_code for _, e in items if e.record.lon is None}
        points = self.communes.points(unplaced) if unplaced else {}
        placed = list(_placed(items, points, self.report))
        self.lock(SOURCE)
        places_upsert(source=SOURCE, records=self._in_communes(placed), report=self.report)

    def _in_communes(self, placed: list[tuple[str, Establishment]]) -> list:
        """The records with their commune (see CommuneResolver); rejected when their position
        is in no commune (at sea, abroad)."""
        records, astray = [], []
        for ref, establishment in placed:
            record = establishment.record
            record.commune_id = self.resolver.by_code(establishment.commune_code, record.lon, record.lat)
            (records if record.commune_id is not None else astray).append((ref, record))
        if astray:
            resolved = commune_ids_at_points([(record.lon, record.lat) for _, record in astray])
            for (ref, record), (commune_id, snapped) in zip(astray, resolved, strict=True):
                if commune_id is None:
                    self.report.reject(
                        ref, "outside every commune (at sea, abroad, or no boundary loaded): "
                        f"{record.lon:.5f}, {record.lat:.5f}",
                    )
                    continue
                if snapped:
                    self.report.warn(
                        ref, "just outside the simplified commune boundaries: attached to the nearest commune"
                    )
                record.commune_id = commune_id
                records.append((ref, record))
        return [record for _, record in records]


def _placed(items, points, report: ImportReport) -> Iterator[tuple[str, Establishment]]:
    """The items with a position: their own, else their commune's point (a partially diffusible
    establishment always: its exact position is not public); rejected when neither."""
    for ref, establishment in items:
        record = establishment.record
        if record.lon is None:
            point = points.get(establishment.commune_code)
            if point is None:
                report.reject(ref, f"no position and commune {establishment.commune_code} unknown to the boundaries")
                continue
            record.lon, record.lat = point
            record.location_precision = Place.LocationPrecision.COMMUNE
        yield ref, establishment
