"""The category taxonomy file (`data/categories.toml`): parsing and validation."""

from __future__ import annotations

import tomllib
from pathlib import Path

from django.conf import settings

from geofinder.imports.errors import SourceError

TAXONOMY_FILE = settings.BASE_DIR / "data" / "categories.toml"
FAMILY_KEYS = {"slug", "label", "label_en"}
CATEGORY_KEYS = {"slug", "label", "label_en", "family", "synonyms", "osm", "alimconfiance"}


def _toml(path: Path) -> dict:
    """The TOML file at `path`; SourceError naming it when it is missing or not TOML."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourceError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(f"{path}: not valid TOML ({exc})") from exc


def read_taxonomy(path: Path = TAXONOMY_FILE) -> tuple[list[dict], list[dict]]:
    """(families, categories) from the taxonomy file, checked for the mistakes that matter.

    Raises SourceError naming the entry and the problem: a missing key, an unknown family, a
    duplicate slug, or an OSM tag / Alim'confiance label claimed by two categories.
    """
    data = _toml(path)
    families, categories = data.get("family", []), data.get("category", [])
    for kind, entries, keys in (("family", families, FAMILY_KEYS), ("category", categories, CATEGORY_KEYS)):
        seen: set[str] = set()
        for position, entry in enumerate(entries, start=1):
            missing = keys - entry.keys()
            if missing:
                raise SourceError(f"{path}: {kind} #{position} ({entry.get('slug', '?')}) lacks {', '.join(sorted(missing))}")
            if entry["slug"] in seen:
                raise SourceError(f"{path}: duplicate {kind} slug {entry['slug']!r}")
            seen.add(entry["slug"])
    family_slugs = {f["slug"] for f in families}
    owners: dict[str, str] = {}
    for category in categories:
        if category["family"] not in family_slugs:
            raise SourceError(f"{path}: category {category['slug']!r} has unknown family {category['family']!r}")
        for value in [*category["osm"], *category["alimconfiance"]]:
            if value in owners:
                raise SourceError(
                    f"{path}: {value!r} is mapped by both {owners[value]!r} and {category['slug']!r}"
                )
            owners[value] = category["slug"]
    return families, categories


OSM_EXCLUSIONS_FILE = settings.BASE_DIR / "data" / "osm_exclusions.toml"


def read_osm_exclusions(path: Path = OSM_EXCLUSIONS_FILE) -> dict[str, str]:
    """OSM tag ("key=value") → the reason geofinder leaves it out, from the exclusions file.

    Raises SourceError naming the entry and the problem: no reason, a tag not of the form
    key=value, or a tag listed twice.
    """
    data = _toml(path)
    reasons: dict[str, str] = {}
    for position, entry in enumerate(data.get("excluded", []), start=1):
        reason, tags = str(entry.get("reason", "")).strip(), entry.get("tags")
        if not reason or not isinstance(tags, list) or not tags:
            raise SourceError(f"{path}: excluded #{position} needs a reason and a list of tags")
        for tag in tags:
            key, _, value = str(tag).partition("=")
            if not key or not value or "*" in tag:
                raise SourceError(f"{path}: excluded #{position}: {tag!r} is not a key=value tag")
            if tag in reasons:
                raise SourceError(f"{path}: {tag!r} is excluded twice")
            reasons[tag] = reason
    return reasons
