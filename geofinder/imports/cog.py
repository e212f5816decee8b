"""Readers of INSEE's Code officiel géographique and of the files that go with it (`cog/` of the
data directory): the communes of today, the movements of communes since 1943, the legal
populations, and geo.api.gouv.fr's centres of communes. Columns are read by name."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from geofinder.imports.commune_history import Movement
from geofinder.imports.report import ImportReport
from geofinder.imports.sources import csv_rows

COMMUNES_FILE = "insee_cog2026_communes.csv.gz"
MOVEMENTS_FILE = "insee_cog2026_mouvements_communes.csv.gz"
POPULATIONS_FILE = "insee_populations_legales_2023_communes.csv.gz"
CENTRES_FILE = "geoapi_communes_2023-12-29.csv.gz"



def cog_file(directory: Path, name: str) -> Path:
    """The file `name` of the COG directory, or its uncompressed form when only that exists
    (the hand-written fixtures keep theirs uncompressed)."""
    path = directory / name
    plain = path.with_suffix("") if path.suffix == ".gz" else path
    return plain if not path.exists() and plain.exists() else path


_COMMUNE_COLUMNS = ["TYPECOM", "COM", "DEP", "LIBELLE", "COMPARENT"]
_MOVEMENT_COLUMNS = [
    "MOD", "DATE_EFF", "TYPECOM_AV", "COM_AV", "LIBELLE_AV", "TYPECOM_AP", "COM_AP", "LIBELLE_AP",
]
_POPULATION_COLUMNS = ["COM", "PMUN"]
_CENTRE_COLUMNS = ["code", "nom", "longitude", "latitude"]


@dataclass(frozen=True)
class CogCommune:
    """A row of the COG's communes: a commune (`COM`), or a commune déléguée (`COMD`), associée
    (`COMA`) or municipal arrondissement (`ARM`) with the commune it belongs to (`parent`)."""

    kind: str
    code: str
    name: str  # LIBELLE, with its article: "L'Abergement-Clémenciat"
    department: str  # "" but for COM rows
    parent: str  # "" for COM rows
    line: int


def cog_communes(path: Path) -> Iterator[CogCommune]:
    """The rows of the COG communes file (v_commune layout)."""
    for line, raw in csv_rows(path, required=_COMMUNE_COLUMNS):
        yield CogCommune(
            kind=raw["TYPECOM"].strip(),
            code=raw["COM"].strip(),
            name=raw["LIBELLE"].strip(),
            department=raw["DEP"].strip(),
            parent=raw["COMPARENT"].strip(),
            line=line,
        )


def movements(path: Path) -> list[Movement]:
    """The movements of communes (mvtcommune layout)."""
    return [
        Movement(
            mod=raw["MOD"], date=raw["DATE_EFF"], type_before=raw["TYPECOM_AV"], code_before=raw["COM_AV"],
            name_before=raw["LIBELLE_AV"], type_after=raw["TYPECOM_AP"], code_after=raw["COM_AP"],
            name_after=raw["LIBELLE_AP"],
        )
        for _line, raw in csv_rows(path, required=_MOVEMENT_COLUMNS)
    ]


def populations(path: Path, *, report: ImportReport) -> dict[str, int]:
    """Population municipale by INSEE code (communes and municipal arrondissements); a row
    without a whole number is reported and left out."""
    found: dict[str, int] = {}
    for line, raw in csv_rows(path, required=_POPULATION_COLUMNS, delimiter=";"):
        value = raw["PMUN"].strip().replace(" ", "")
        if not value.isdigit():
            report.warn(f"{path.name} line {line} ({raw['COM']})", f"population {raw['PMUN']!r} is not a number: ignored")
            continue
        found[raw["COM"].strip()] = int(value)
    return found


@dataclass(frozen=True)
class Centre:
    """geo.api.gouv.fr's centre of a commune (WGS84 degrees), with the name it had then."""

    name: str
    lon: float
    lat: float


def centres(path: Path, *, report: ImportReport) -> dict[str, Centre]:
    """geo.api.gouv.fr's centres by INSEE code; a row without valid coordinates is reported and left out."""
    found: dict[str, Centre] = {}
    for line, raw in csv_rows(path, required=_CENTRE_COLUMNS):
        try:
            lon, lat = float(raw["longitude"]), float(raw["latitude"])
        except ValueError:
            lon = lat = float("nan")
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            report.warn(f"{path.name} line {line} ({raw['code']})", "centre without valid coordinates: ignored")
            continue
        found[raw["code"].strip()] = Centre(raw["nom"].strip(), lon, lat)
    return found


DEPARTMENTS_FILE = "insee_cog2026_departements.csv"
REGIONS_FILE = "insee_cog2026_regions.csv"


@dataclass(frozen=True)
class Seat:
    """A département's or région's chef-lieu (INSEE code of a commune) and the article of its
    name (TNCC: 0/1 none, 2 le, 3 la, 4 les, 5 l', …)."""

    seat_code: str
    article: int | None


def seats(path: Path, *, code_column: str) -> dict[str, Seat]:
    """Chef-lieu and article by territory code, from the COG's départements (`DEP`) or régions
    (`REG`) file."""
    found: dict[str, Seat] = {}
    for _line, raw in csv_rows(path, required=[code_column, "CHEFLIEU", "TNCC"]):
        article = raw["TNCC"].strip()
        found[raw[code_column].strip()] = Seat(raw["CHEFLIEU"].strip(), int(article) if article.isdigit() else None)
    return found
