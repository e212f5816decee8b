"""One row of the register → the place the public may see, or the reason there is none.

Only what the public may see is kept (see `EstablishmentParser.parse`): active establishments
of a public-facing trade (data/naf_categories.toml), diffusible ones as the register gives them,
partially diffusible ones without street, exact position or a person's name (at their
commune's point, named after their trade).
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass

from geofinder.imports.sirene.layout import (
    GEO_SIRET_COORDINATES,
    INDIVIDUAL,
    LEGAL_CATEGORY,
    LEGAL_DENOMINATION,
    NOT_DIFFUSED,
    PERSON_NAME_COLUMNS,
    REPETITION,
    STREET_TYPES,
)
from geofinder.imports.sirene.names import readable_case
from geofinder.imports.sirene.naf import NafCategory
from geofinder.places.models import Place
from geofinder.places.records import PlaceRecord

SOURCE = "sirene"
DIFFUSIBLE, PARTIALLY_DIFFUSIBLE = "O", "P"
ACTIVE, CLOSED = "A", "F"
NAF_REV2 = "NAFRev2"
CLOSED_REASON = "closed (etatAdministratifEtablissement = F)"
# geo_type of the BAN geocoding whose point is only the commune's.
_COMMUNE_GEO_TYPES = frozenset({"municipality"})


@dataclass(slots=True)
class Establishment:
    """A row that may become a place: its record (coordinates None when they are to be taken
    from the commune's point or the geolocation file), the commune code, and whether the
    register says it is closed (then it only updates a place imported earlier)."""

    record: PlaceRecord
    commune_code: str
    closed: bool
    partial: bool


class EstablishmentParser:
    """Reads rows (lists of cells) of a file whose header is `header`, by column name."""

    def __init__(
        self, header: list[str], *, naf: dict[str, NafCategory], category_labels: dict[str, str],
        naf_labels: dict[str, str] | None = None,
    ):
        self.index = {}
        for position, name in enumerate(header):
            self.index.setdefault(name.strip(), position)
        self.width = len(header)
        self.naf = naf
        self.naf_labels = naf_labels or {}  # INSEE's labels of every sous-classe, for the report
        self.category_labels = category_labels
        self.has_coordinates = all(name in self.index for name in GEO_SIRET_COORDINATES)
        # Positions of the columns every row is judged on (REQUIRED, so present; the
        # nomenclature's may be absent: an empty cell past the row's end).
        self._judged = tuple(
            self.index.get(name, self.width + 1)
            for name in ("siret", "statutDiffusionEtablissement", "etatAdministratifEtablissement",
                         "nomenclatureActivitePrincipaleEtablissement", "activitePrincipaleEtablissement")
        )
        self._judged_cells = operator.itemgetter(*self._judged)  # for a row that holds them all
        self._judged_width = max(self._judged) + 1
        self._reasons: dict[tuple, str] = {}  # shared reason strings (a file has few kinds)

    def cell(self, row: list[str], name: str) -> str:
        """The value of column `name` ("" when absent from the file, short or not diffused)."""
        position = self.index.get(name)
        if position is None or position >= len(row):
            return ""
        value = row[position].strip()
        return "" if value == NOT_DIFFUSED else value

    def _reason(self, *key) -> str:
        reason = self._reasons.get(key)
        if reason is None:
            kind, value = key
            reason = {
                "diffusion": f"not diffusible (statutDiffusionEtablissement = {value!r})",
                "state": f"unknown administrative state (etatAdministratifEtablissement = {value!r})",
                "nomenclature": f"activity in another nomenclature than NAF rév. 2 ({value or 'none given'})",
                "naf": f"not a public-facing trade: NAF {value}"
                + (f" ({self.naf_labels[value]})" if value in self.naf_labels else ""),
            }[kind]
            self._reasons[key] = reason
        return reason

    def siret(self, row: list[str]) -> str:
        at = self._judged[0]
        return row[at].strip() if at < len(row) else ""

    def parse(self, row: list[str], *, known: bool = False) -> Establishment | str:
        """The establishment of `row`, or the reason it is not shown.

        Rejected: a row without a valid SIRET or commune code; a non-diffusible one (any
        statutDiffusionEtablissement but O or P); an activity outside NAF rév. 2 or not
        public-facing. A closed one (F) is rejected as such, unless a place was made of it
        earlier (`known`): it comes back `closed`, to close that place."""
        # The columns every row is judged on, read by their positions in this file's header.
        if len(row) >= self._judged_width:
            siret, diffusion, state, nomenclature, code = map(str.strip, self._judged_cells(row))
        else:  # a short row, or a file without the nomenclature's column
            siret, diffusion, state, nomenclature, code = (
                row[at].strip() if at < len(row) else "" for at in self._judged
            )
        if len(siret) != 14 or not siret.isdigit() or not siret.isascii():
            return f"invalid SIRET {siret!r} (14 digits expected)"
        if diffusion not in (DIFFUSIBLE, PARTIALLY_DIFFUSIBLE):
            return self._reason("diffusion", diffusion)
        if state not in (ACTIVE, CLOSED):
            return self._reason("state", state)
        if state == CLOSED and not known:
            return CLOSED_REASON
        if nomenclature and nomenclature != NAF_REV2:
            return self._reason("nomenclature", nomenclature)
        trade = self.naf.get(code)
        if trade is None:
            return self._reason("naf", code or "(none)")
        commune_code = self.cell(row, "codeCommuneEtablissement")
        if not re.fullmatch(r"[0-9][0-9AB][0-9]{3}", commune_code):
            return f"invalid commune code {commune_code!r}"
        partial = diffusion == PARTIALLY_DIFFUSIBLE
        record = self._partial(row, siret, trade) if partial else self._diffusible(row, siret, trade)
        if isinstance(record, str):
            return record
        if state == CLOSED:
            record.status = Place.Status.PERMANENTLY_CLOSED
            record.extra["closed_since"] = self.cell(row, "dateDebut")
        return Establishment(record=record, commune_code=commune_code, closed=state == CLOSED, partial=partial)

    def _diffusible(self, row: list[str], siret: str, trade: NafCategory) -> PlaceRecord | str:
        lon = lat = None
        precision = Place.LocationPrecision.SOURCE
        if self.has_coordinates:
            lon_text, lat_text = self.cell(row, "longitude"), self.cell(row, "latitude")
            if lon_text or lat_text:
                try:
                    lon, lat = float(lon_text), float(lat_text)
                except ValueError:
                    return f"unreadable coordinates {lon_text!r}, {lat_text!r}"
                if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                    return f"coordinates out of range: {lon_text}, {lat_text}"
                if self.cell(row, "geo_type") in _COMMUNE_GEO_TYPES:
                    precision = Place.LocationPrecision.COMMUNE
        name, name_from = self._name(row, trade)
        artisan_activity = self.cell(row, "activitePrincipaleRegistreMetiersEtablissement")
        return PlaceRecord(
            source_id=siret,
            name=name,
            category=trade.category,
            secondary_categories=list(trade.secondary),
            lon=lon,
            lat=lat,
            location_precision=precision,
            street=self._street(row),
            postcode=self.cell(row, "codePostalEtablissement"),
            city=readable_case(self.cell(row, "libelleCommuneEtablissement")),
            artisan=bool(artisan_activity),
            extra={
                "siret": siret,
                "naf": trade.code,
                "naf_label": trade.label,
                "artisan_activity": artisan_activity,
                "created": self.cell(row, "dateCreationEtablissement"),
                "name_from": name_from,
            },
        )

    def _partial(self, row: list[str], siret: str, trade: NafCategory) -> PlaceRecord:
        """A partially diffusible establishment: at its commune's point (filled in later), no
        street, no postcode, named after its trade unless a company (not a person) names it."""
        denomination, legal_category = self.cell(row, LEGAL_DENOMINATION), self.cell(row, LEGAL_CATEGORY)
        if denomination and legal_category and legal_category != INDIVIDUAL:
            name, name_from = readable_case(denomination), "legal_name"
        else:
            name, name_from = self.category_labels[trade.category], "category"
        return PlaceRecord(
            source_id=siret,
            name=name,
            category=trade.category,
            secondary_categories=list(trade.secondary),
            lon=None,
            lat=None,
            location_precision=Place.LocationPrecision.COMMUNE,
            city=readable_case(self.cell(row, "libelleCommuneEtablissement")),
            artisan=bool(self.cell(row, "activitePrincipaleRegistreMetiersEtablissement")),
            extra={"siret": siret, "naf": trade.code, "naf_label": trade.label, "diffusion": "partial",
                   "name_from": name_from},
        )

    def _name(self, row: list[str], trade: NafCategory) -> tuple[str, str]:
        """The shop sign first, then the establishment's usual name, the legal name last (a
        company's denomination, or the person's name of a sole trader); the trade's category
        label when the file holds none of them (a geo_siret file has no legal names)."""
        for column, name_from in (
            ("enseigne1Etablissement", "sign"),
            ("denominationUsuelleEtablissement", "usual_name"),
            (LEGAL_DENOMINATION, "legal_name"),
        ):
            value = self.cell(row, column)
            if value:
                return readable_case(value), name_from
        first, usage, birth = (self.cell(row, column) for column in PERSON_NAME_COLUMNS)
        if usage or birth:
            return readable_case(" ".join(part for part in (first, usage or birth) if part)), "legal_name"
        return self.category_labels[trade.category], "category"

    def _street(self, row: list[str]) -> str:
        number = self.cell(row, "numeroVoieEtablissement")
        repetition = self.cell(row, "indiceRepetitionEtablissement")
        kind = self.cell(row, "typeVoieEtablissement")
        street = readable_case(self.cell(row, "libelleVoieEtablissement"), initial=not (number or kind))
        parts = [
            number + (f" {REPETITION.get(repetition.upper(), repetition.lower())}" if number and repetition else ""),
            STREET_TYPES.get(kind.upper(), readable_case(kind)),
            street,
        ]
        return " ".join(part for part in parts if part)
