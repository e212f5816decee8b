"""Downloading the current geolocated establishments file of a département (network use)."""

from __future__ import annotations

import re
import shutil
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings

from geofinder.imports.errors import SourceError

# Départements of Etalab's files: 01…95 with 2A/2B, 971…978; Paris comes by arrondissement
# (75101…75120).
_DEPARTMENT = re.compile(r"(0[1-9]|1[0-9]|2[1-9AB]|[3-8][0-9]|9[0-5]|97[1-8]|751(0[1-9]|1[0-9]|20))")


def department_file_url(department: str) -> str:
    """The URL of the current file of `department` (GEOFINDER_SIRENE_URL with its code)."""
    code = department.strip().upper()
    if not _DEPARTMENT.fullmatch(code):
        raise SourceError(
            f"unknown département {department!r}: expected 01–95, 2A, 2B, 971–978, "
            "or a Paris arrondissement 75101–75120"
        )
    return settings.GEOFINDER_SIRENE_URL.format(department=code)


def department_file_download(department: str, *, directory: Path, timeout: float = 60) -> Path:
    """Download the current file of `department` into `directory`, streamed (no more than a
    buffer in memory); returns its path. An HTTP or network error raises SourceError with the
    URL; a partial download is not left behind."""
    url = department_file_url(department)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / Path(url.rsplit("/", 1)[-1] or f"geo_siret_{department}.csv.gz").name
    partial = target.with_name(target.name + ".part")
    request = urllib.request.Request(url, headers={"User-Agent": settings.GEOFINDER_GEOCODER_USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response, partial.open("wb") as out:
            shutil.copyfileobj(response, out, length=1 << 20)
    except (urllib.error.URLError, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise SourceError(f"{url}: download failed ({exc})") from exc
    partial.replace(target)
    return target
