"""Opening statuses and open slots of many places at once: each distinct (opening_hours,
département, closures) is evaluated once.

The one batch of the imports and the refresh (geofinder.places.services: the open slots of the
places they write), the exports (geofinder.search.stream: the status of every place exported)
and the bench (bench/synthetic.py: the slots of the synthetic places). Callers read the keys of
their places from the database and ask an OpeningBatch for each; geofinder.places.opening puts
what it gives into the temporary table their statements join. Pure Python: a batch knows
neither the database nor the places, only their keys.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, NamedTuple

from geofinder.opening.evaluate import evaluate
from geofinder.opening.slots import open_slots
from geofinder.opening.status import Closure, OpeningStatus

# Keys a batch keeps the values of; past this many distinct keys it starts again (memory stays
# bounded on sources with very varied hours, as an export of every place reads them).
KEYS_KEPT = 50_000


class Evaluated(NamedTuple):
    """The status of a key, and its form given by the batch's `render` (None without one)."""

    status: OpeningStatus
    rendered: Any


def closures_from(items: list | None) -> tuple[Closure, ...]:
    """Closures from their JSON form, [[start, end, reason], …] with ISO dates (or None)."""
    return tuple(
        Closure(start=date.fromisoformat(start), end=date.fromisoformat(end), reason=reason)
        for start, end, reason in (items or ())
    )


class OpeningBatch:
    """The statuses at `at` (to the minute: opening_hours rules have a resolution of one minute)
    and the open slots from `since` (geofinder/opening/slots.py) of places, by key: their
    opening_hours (text, or its UTF-8 bytes), their département's code and, for statuses, their
    closures as JSON text ([[start, end, reason], …], or None/"" for none). Each value is
    computed once per key, then kept (statuses: up to `kept` keys)."""

    def __init__(
        self, *, at: datetime | None = None, since: datetime | None = None,
        render: Callable[[OpeningStatus], Any] | None = None, kept: int = KEYS_KEPT,
    ) -> None:
        self.at = at.replace(second=0, microsecond=0) if at is not None else None
        self.since = since
        self.render = render
        self.kept = kept
        self._statuses: dict[tuple, Evaluated] = {}

    def status(
        self, opening_hours: str | bytes, department_code: str | None, closures: str | bytes | None = None
    ) -> Evaluated:
        """The status at `at` of a place of this key, and its rendered form."""
        key = (opening_hours, department_code, closures)
        evaluated = self._statuses.get(key)
        if evaluated is None:
            if self.at is None:
                raise ValueError("an OpeningBatch evaluates statuses only with `at`")
            if len(self._statuses) >= self.kept:
                self._statuses.clear()
            status = evaluate(
                _text(opening_hours), at=self.at, department_code=department_code,
                closures=closures_from(json.loads(closures) if closures else None),
            )
            evaluated = self._statuses[key] = Evaluated(status, self.render(status) if self.render else None)
        return evaluated

    def slots(self, opening_hours: str | bytes, department_code: str | None) -> list[int]:
        """The open slots from `since` of a place of this key (exceptional closures only close:
        they need no slot); kept by open_slots itself (its values serve every batch of the
        process that shares their hour)."""
        if self.since is None:
            raise ValueError("an OpeningBatch computes open slots only with `since`")
        return list(open_slots(_text(opening_hours), department_code, self.since))


def _text(opening_hours: str | bytes) -> str:
    return opening_hours.decode() if isinstance(opening_hours, bytes) else opening_hours
