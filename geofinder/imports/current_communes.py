"""The communes of today (INSEE COG 2026) built on the 2018 communes already loaded.

Each commune of today covers the 2018 communes whose territory the movements of communes lead
to it (geofinder.imports.commune_history): its polygon is their union, its point
geo.api.gouv.fr's centre when inside that polygon (else a point on its surface), its population
INSEE's legal population. The gazetteer's names (`CommuneName`) and the codes data may carry
(`CommuneCode`) are derived alongside. Rows are yielded for the territory services' upsert; a
row whose hash is unchanged comes without its geometry, which is only computed when needed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import shapely

from geofinder.core.copy import point_ewkt
from geofinder.core.hashing import content_hash
from geofinder.core.text import place_name_key
from geofinder.imports import cog
from geofinder.imports.boundaries import as_multipolygon
from geofinder.imports.commune_history import CommuneHistory
from geofinder.imports.report import ImportReport
from geofinder.territories.models import Commune, CommuneName, CurrentCommune, Department

# The date of the COG the 2018 boundaries follow: movements from then on are walked.
BOUNDARIES_SINCE = "2018-01-01"
# Kinds of COG rows naming a former commune now inside another (municipal arrondissements are
# read by the gazetteer as "Paris 11e", not as names).
_FORMER_KINDS = ("COMD", "COMA")
# 2018 polygons read per query.
_GEOMETRY_BATCH = 2000
# A centre this close to its commune's polygon (degrees: some 2 km, 0.2 km) is moved just inside.
_CENTRE_GAP_MAX_DEG = 0.02
_CENTRE_GAP_MARGIN_DEG = 0.002
# Bumped when the way a commune's polygon or point is derived changes: every row is redone.
_DERIVATION = 2


@dataclass(frozen=True)
class _Commune2018:
    id: int
    code: str
    name: str
    source_hash: str


class CogLoad:
    """The COG files of `directory`, read once, and the tables built from them."""

    def __init__(self, directory: Path, *, report: ImportReport):
        self.directory = directory
        rows = list(cog.cog_communes(cog.cog_file(directory, cog.COMMUNES_FILE)))
        self.communes = [row for row in rows if row.kind == "COM"]
        self.others = [row for row in rows if row.kind != "COM" and row.parent]
        current = {row.code for row in self.communes}
        parents: dict[str, str] = {}
        for row in self.others:
            parents.setdefault(row.code, row.parent)
        self.movements = cog.movements(cog.cog_file(directory, cog.MOVEMENTS_FILE))
        self.history = CommuneHistory(self.movements, current=current, parents=parents)
        self.populations = cog.populations(cog.cog_file(directory, cog.POPULATIONS_FILE), report=report)
        self.centres = cog.centres(cog.cog_file(directory, cog.CENTRES_FILE), report=report)
        arrondissements = defaultdict(list)
        for row in self.others:
            if row.kind == "ARM":
                arrondissements[row.parent].append(row.code)
        self._arrondissements = arrondissements
        self.old = [
            _Commune2018(*values) for values in Commune.objects.values_list("id", "code", "name", "source_hash")
        ]
        # 2018 commune → the communes of today covering it; and the reverse.
        self.descendants = {old.code: self.history.descendants(old.code, BOUNDARIES_SINCE) for old in self.old}
        self.parts: dict[str, list[_Commune2018]] = defaultdict(list)
        for old in self.old:
            for code in sorted(self.descendants[old.code]):
                self.parts[code].append(old)
        self._geoms: dict[int, object] = {}

    # --- Geometry ----------------------------------------------------------------------------

    def _prefetch(self, ids: set[int]) -> None:
        """Read the polygons of these 2018 communes (those not read yet), in a few queries."""
        missing = sorted(pk for pk in ids if pk not in self._geoms)
        for start in range(0, len(missing), _GEOMETRY_BATCH):
            batch = missing[start : start + _GEOMETRY_BATCH]
            for pk, geom in Commune.objects.filter(id__in=batch).values_list("id", "geom"):
                self._geoms[pk] = shapely.from_wkb(bytes(geom.wkb))

    def _shapes(self, ids: list[int]) -> list:
        """The shapely polygons of these 2018 communes."""
        self._prefetch(set(ids))
        return [self._geoms[pk] for pk in ids]

    @staticmethod
    def _inside(shape, centre: cog.Centre | None):
        """A point of `shape` (always inside) for its centre: the centre itself when inside; when
        just outside (the 2018 polygons are simplified: a coast, a border drawn a few metres
        off), the point nearest to it inside; else the centroid when inside, else a point on the
        surface."""
        if centre is not None:
            point = shapely.Point(centre.lon, centre.lat)
            if shape.covers(point):
                return point
            # Planar degrees here only pick the part of the polygon around the centre (a disc
            # a little wider than the gap), not a distance anyone reads.
            gap = shape.distance(point)
            if gap <= _CENTRE_GAP_MAX_DEG:
                nearby = shape.intersection(point.buffer(gap * 1.5 + _CENTRE_GAP_MARGIN_DEG))
                inside = nearby.point_on_surface()
                if not inside.is_empty and shape.covers(inside):
                    return inside
        centroid = shape.centroid
        return centroid if shape.covers(centroid) else shape.point_on_surface()

    # --- Communes of today -------------------------------------------------------------------

    def population(self, code: str) -> int | None:
        if code in self.populations:
            return self.populations[code]
        parts = [self.populations[arm] for arm in self._arrondissements.get(code, []) if arm in self.populations]
        return sum(parts) if parts else None

    def commune_rows(self, *, report: ImportReport) -> Iterator[dict]:
        """Rows of CurrentCommune, one per COG commune; unknown département or no 2018 commune
        covering it rejects the row."""
        departments = dict(Department.objects.values_list("code", "id"))
        existing = {
            code: (source_hash, point)
            for code, source_hash, point in CurrentCommune.objects.values_list("code", "source_hash", "point")
        }
        shared = {code for code, found in self.descendants.items() if len(found) > 1}
        self._prefetch({
            part.id for row in self.communes for part in self.parts.get(row.code, [])
            if row.code not in existing or existing[row.code][0] != self._commune_hash(row)
        })
        for row in self.communes:
            report.rows_read += 1
            label = f"{row.code} {row.name}"
            if row.department not in departments:
                report.reject(label, f"unknown département {row.department!r}")
                continue
            parts = self.parts.get(row.code)
            if not parts:
                report.reject(label, "no 2018 commune covers it: the movements of communes do not lead to it")
                continue
            centre = self.centres.get(row.code)
            population = self.population(row.code)
            approximate = any(part.code in shared for part in parts)
            if approximate:
                restored = ", ".join(sorted(part.code for part in parts if part.code in shared))
                report.warn(label, f"split since 2018 from {restored}: drawn with the whole 2018 commune")
            if population is None:
                report.warn(label, "no legal population published: ranked after the others")
            source_hash = self._commune_hash(row)
            known = existing.get(row.code)
            if known and known[0] == source_hash:
                point = known[1]
                if centre is None or (point.x, point.y) != (centre.lon, centre.lat):
                    report.warn(label, self._point_warning(centre))
                yield {"code": row.code, "source_hash": source_hash}
                continue
            shape = shapely.union_all(self._shapes([part.id for part in parts]))
            point = self._inside(shape, centre)
            if centre is None or (point.x, point.y) != (centre.lon, centre.lat):
                report.warn(label, self._point_warning(centre))
            yield {
                "code": row.code,
                "name": row.name,
                "search_name": place_name_key(row.name),
                "department_id": departments[row.department],
                "population": population,
                "geom": as_multipolygon(shape),
                "point": point_ewkt(point.x, point.y),
                "approximate": approximate,
                "source_hash": source_hash,
            }

    def _commune_hash(self, row: cog.CogCommune) -> str:
        """What a commune of today is made of: its COG row, population, 2018 parts and centre."""
        centre = self.centres.get(row.code)
        return content_hash([
            _DERIVATION, row.code, row.name, row.department, self.population(row.code),
            sorted(part.source_hash for part in self.parts.get(row.code, [])),
            centre and [centre.lon, centre.lat],
        ])

    @staticmethod
    def _point_warning(centre: cog.Centre | None) -> str:
        if centre is None:
            return "no geo.api.gouv.fr centre: a point inside its polygon is used"
        return "geo.api.gouv.fr's centre lies outside its 2018 polygon: the nearest point inside is used"

    def part_pairs(self, ids: dict[str, int]) -> set[tuple[int, int]]:
        """(commune of today id, 2018 commune id) for every part of every commune of today."""
        return {(ids[code], part.id) for code, parts in self.parts.items() if code in ids for part in parts}

    # --- Names -------------------------------------------------------------------------------

    def name_rows(self, communes: dict[str, tuple[int, str]], *, report: ImportReport) -> Iterator[dict]:
        """Rows of CommuneName: each commune's name, then the 2018 names now elsewhere (a whole
        commune renamed, or part of a commune of today), then communes déléguées and associées.

        `communes` maps the codes of today to (id, search_name). Each name is read once.
        """
        existing = dict(
            ((commune_id, code, key), source_hash)
            for commune_id, code, key, source_hash in CommuneName.objects.values_list(
                "commune_id", "code", "search_name", "source_hash"
            )
        )
        seen: set[tuple[int, str, str]] = set()

        def row(commune_id, code, name, kind, point_of=None):
            key = place_name_key(name)
            if (commune_id, code, key) in seen or not key:
                return None
            seen.add((commune_id, code, key))
            report.rows_read += 1
            old, centre = point_of or (None, None)
            source_hash = content_hash([_DERIVATION, commune_id, code, name, kind, old and old.source_hash,
                                        centre and [centre.lon, centre.lat]])
            values = {"commune_id": commune_id, "code": code, "search_name": key, "source_hash": source_hash}
            if existing.get((commune_id, code, key)) == source_hash:
                return values
            point = None
            if old is not None:
                inside = self._inside(self._shapes([old.id])[0], centre)
                point = point_ewkt(inside.x, inside.y)
            return values | {"name": name, "kind": kind, "point": point}

        for commune in self.communes:
            if commune.code in communes:
                found = row(communes[commune.code][0], commune.code, commune.name, CommuneName.Kind.CURRENT)
                if found:
                    yield found
        for old in self.old:
            successor = self.history.successor(old.code)
            if len(successor) != 1 or next(iter(successor)) not in communes:
                continue
            code = successor.pop()
            commune_id, current_key = communes[code]
            if place_name_key(old.name) == current_key:
                continue
            if old.code == code and [part.code for part in self.parts[code]] == [old.code]:
                found = row(commune_id, old.code, old.name, CommuneName.Kind.FORMER)
            else:
                centre = self.centres.get(old.code)
                if centre is not None and place_name_key(centre.name) != place_name_key(old.name):
                    centre = None  # the code went on under another name: not this commune's centre
                found = row(commune_id, old.code, old.name, CommuneName.Kind.PART, (old, centre))
            if found:
                yield found
        for other in self.others:
            if other.kind in _FORMER_KINDS and other.parent in communes:
                commune_id, current_key = communes[other.parent]
                if place_name_key(other.name) != current_key:
                    found = row(commune_id, other.code, other.name, CommuneName.Kind.PART)
                    if found:
                        yield found

    # --- Codes -------------------------------------------------------------------------------

    def code_rows(self, communes: dict[str, int], *, report: ImportReport) -> Iterator[dict]:
        """Rows of CommuneCode: every code the COG, its history and the 2018 boundaries know,
        with the commune of today continuing it; a code split between several, or continued by
        none (a collectivité d'outre-mer since), is rejected with that reason."""
        codes = {row.code for row in self.communes} | {row.code for row in self.others}
        codes |= {old.code for old in self.old}
        codes |= {m.code_before for m in self.movements} | {m.code_after for m in self.movements}
        for code in sorted(codes - {""}):
            report.rows_read += 1
            successor = sorted(self.history.successor(code))
            if len(successor) > 1:
                report.reject(code, f"split between {', '.join(successor)}: no one commune of today continues it")
            elif not successor or successor[0] not in communes:
                report.reject(code, "no commune of today continues it (collectivité d'outre-mer, or unknown)")
            else:
                commune_id = communes[successor[0]]
                yield {"code": code, "commune_id": commune_id, "source_hash": content_hash([code, successor[0]])}
