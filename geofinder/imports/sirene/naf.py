"""The NAF rév. 2 → category mapping of `data/naf_categories.toml`, checked as it is read."""

from __future__ import annotations

import csv
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from geofinder.imports.errors import SourceError

NAF_CATEGORIES_FILE = settings.BASE_DIR / "data" / "naf_categories.toml"
# INSEE's list of the 732 NAF rév. 2 sous-classes (code,libelle), in the real data directory.
NAF_NOMENCLATURE = Path("sirene") / "naf2008_liste_n5.csv"
_CODE = re.compile(r"\d{2}\.\d{2}[A-Z]")


@dataclass(frozen=True, slots=True)
class NafCategory:
    """Where the establishments of one NAF sous-classe are filed."""

    code: str  # "43.22A"
    label: str  # INSEE's label of the sous-classe
    category: str  # slug
    secondary: tuple[str, ...]  # slugs


def naf_nomenclature(path: Path | None = None) -> dict[str, str]:
    """INSEE's NAF rév. 2 sous-classes, code → label."""
    path = path or settings.GEOFINDER_DATA_DIR / NAF_NOMENCLATURE
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if not {"code", "libelle"} <= set(reader.fieldnames or ()):
                raise SourceError(f"{path}: expected the columns code,libelle; found {reader.fieldnames}")
            return {row["code"].strip(): row["libelle"].strip() for row in reader}
    except FileNotFoundError:
        raise SourceError(f"{path}: file not found (the NAF rév. 2 list of INSEE, see data/sources.toml)") from None


def read_naf_categories(
    *, categories: set[str], path: Path = NAF_CATEGORIES_FILE, nomenclature: dict[str, str] | None = None
) -> dict[str, NafCategory]:
    """code → NafCategory for every code of the mapping file.

    Raises SourceError naming the entry: a code not of the form NN.NNX, a code that is not a
    sous-classe of INSEE's nomenclature, a code mapped twice, a slug not in `categories` (the
    slugs of the taxonomy), a family without its review.
    """
    nomenclature = naf_nomenclature() if nomenclature is None else nomenclature
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourceError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(f"{path}: not valid TOML ({exc})") from exc
    mapping: dict[str, NafCategory] = {}
    for position, family in enumerate(data.get("family", []), start=1):
        name = family.get("naf", f"#{position}")
        if not str(family.get("review", "")).strip():
            raise SourceError(f"{path}: family {name!r} has no review (say what was kept and left out, and why)")
        for code, target in family.get("codes", {}).items():
            where = f"{path}: family {name!r}, code {code!r}"
            if not _CODE.fullmatch(code):
                raise SourceError(f"{where}: not a NAF rév. 2 sous-classe code (NN.NNX)")
            if code not in nomenclature:
                raise SourceError(f"{where}: not in INSEE's NAF rév. 2 nomenclature")
            if code in mapping:
                raise SourceError(f"{where}: mapped twice")
            slugs = [target] if isinstance(target, str) else list(target)
            if not slugs or not all(isinstance(slug, str) for slug in slugs):
                raise SourceError(f"{where}: expected a category slug or a list of slugs")
            unknown = [slug for slug in slugs if slug not in categories]
            if unknown:
                raise SourceError(f"{where}: unknown category {', '.join(unknown)} (not in data/categories.toml)")
            mapping[code] = NafCategory(code, nomenclature[code], slugs[0], tuple(dict.fromkeys(slugs[1:])))
    if not mapping:
        raise SourceError(f"{path}: no NAF code mapped")
    return mapping
