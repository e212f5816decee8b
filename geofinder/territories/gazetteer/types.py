"""What the gazetteer answers: a `Where`, or an error naming the problem with candidates."""

from __future__ import annotations

from dataclasses import dataclass

MAX_CANDIDATES = 10  # communes listed by WhereAmbiguous
APPROXIMATE = "adresse approchée à la commune"


@dataclass(frozen=True)
class Where:
    """Where a search is centred, and how the text was understood."""

    label: str  # for residents, in French: "Labège (31)", "31670 Labège", "Position 1.52000, 43.55000"
    lon: float  # WGS84 degrees
    lat: float
    kind: str  # "point" | "commune" | "postcode" | "address"
    commune_code: str | None = None  # INSEE code, when known
    department_code: str | None = None
    # False: a point whose commune is not looked up yet (see geofinder.search.where.located; the
    # search looks it up within its own statement).
    located: bool = True

    def as_dict(self) -> dict:
        if not self.located:
            raise ValueError("the commune of this point is not looked up yet: show located(where)")
        data = {"label": self.label, "lon": self.lon, "lat": self.lat, "kind": self.kind}
        if self.commune_code:
            data["commune_code"] = self.commune_code
        return data


class WhereError(ValueError):
    """A where text that cannot be resolved; `message` names the problem (English)."""

    def __init__(self, message: str, candidates: list[Where] | None = None):
        super().__init__(message)
        self.message = message
        self.candidates = list(candidates or [])


class WhereNotFound(WhereError):
    """Nothing matches; `candidates` may hold close suggestions."""


class WhereAmbiguous(WhereError):
    """Several communes match equally; `candidates` lists them (up to MAX_CANDIDATES)."""
