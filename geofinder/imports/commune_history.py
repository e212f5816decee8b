"""What became of a commune: INSEE's movements of communes (mvtcommune) walked forward in time.

Each movement is a row `(MOD, DATE_EFF, TYPECOM_AV, COM_AV, …, TYPECOM_AP, COM_AP, …)`: on that
date the commune before (`AV`) contributed to the commune after (`AP`). A creation of a commune
nouvelle gives one row per merged commune towards the new one (the chef-lieu's code usually
survives); a split ("rétablissement") one row per commune restored; a renaming one row from the
commune to itself. Only rows whose both sides are communes (`COM`) carry territory from one
commune to another; the others record communes déléguées or associées.

Two questions are asked of this history, both pure computations without database:

- `descendants(code, since)`: the current communes covering some of what `code` was at `since`
  (the 2018 commune 91182 Courcouronnes → {91228 Évry-Courcouronnes}; the 2018 commune 15141
  Neussargues en Pinatelle, split in 2025 → the five communes restored from it);
- `successor(code)`: the one current commune that continues a code, for codes carried by data
  (91182 → 91228; 75111, an arrondissement, → 75056 Paris), or none when the code was split
  between several communes and nothing says which one continues it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

COMMUNE = "COM"


@dataclass(frozen=True)
class Movement:
    """One row of INSEE's movements of communes."""

    mod: str  # INSEE's code of the kind of event: 10 renaming, 21 rétablissement, 32 commune nouvelle…
    date: str  # effective date, ISO "YYYY-MM-DD"
    type_before: str  # COM, COMD (commune déléguée), COMA (associée), ARM (arrondissement)
    code_before: str
    name_before: str
    type_after: str
    code_after: str
    name_after: str


def _next_day(day: str) -> str:
    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()


class CommuneHistory:
    """The movements of communes, indexed for walking a code forward in time.

    `current` holds the codes of the communes that exist now (COG `COM` rows); `parents` maps
    the codes of communes déléguées, associées and municipal arrondissements to the current
    commune they belong to (COG `COMPARENT`), which INSEE states directly.
    """

    def __init__(self, movements: Iterable[Movement], *, current: set[str], parents: dict[str, str]):
        self.current = current
        self.parents = parents
        # code → date → codes of the communes (COM) that received its territory that day.
        self._after: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        # code → (date, code of a commune merged into it that day); code → dates it was (re)created.
        self._absorbed: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self._created: dict[str, list[str]] = defaultdict(list)
        for movement in movements:
            if movement.type_after == COMMUNE:
                self._created[movement.code_after].append(movement.date)
            if movement.type_before != COMMUNE:
                continue
            received = self._after[movement.code_before][movement.date]
            if movement.type_after == COMMUNE:
                received.add(movement.code_after)
                if movement.code_after != movement.code_before:
                    self._absorbed[movement.code_after].append((movement.date, movement.code_before))

    def _changes(self, code: str, since: str, *, disappearances_only: bool) -> list[str]:
        """The dates from `since` on when the commune `code` gave territory to another commune
        (when `disappearances_only`: when it ceased to exist), oldest first.

        A day on which it only received territory or was renamed (its own code alone after), or
        became a commune déléguée only (no commune after: INSEE records the délégué) is no change.
        """
        return sorted(
            day
            for day, after in self._after.get(code, {}).items()
            if day >= since and after and after != {code} and not (disappearances_only and code in after)
        )

    def descendants(self, code: str, since: str) -> set[str]:
        """The current communes covering part of the commune `code` as it was on `since` (ISO
        date). Empty when the history loses it (a code INSEE no longer knows).

        A commune déléguée or associée today lies in its parent. A split restores the communes
        merged before it: a commune that was itself, alone, on `since` and whose code comes back
        gets its own territory back; a commune nouvelle split again covers every commune restored
        from it (the history does not say which part went where).
        """
        if code not in self.current and code in self.parents:
            return {self.parents[code]}
        alone = not self._merged_on(code, since)
        return self._descend(code, code, since, alone=alone, seen=set())

    def _merged_on(self, code: str, since: str) -> bool:
        """Whether the commune `code` held on `since` the territory of another commune merged into
        it before (and not restored by then)."""
        for day, other in self._absorbed.get(code, []):
            if day < since and not any(day < again < since for again in self._created.get(other, [])):
                return True
        return False

    def _descend(self, token: str, code: str, since: str, *, alone: bool, seen: set) -> set[str]:
        """Where the territory of the commune `token`, held by commune `code` since `since`, is now."""
        if (token, code, since) in seen:  # a cycle of code changes on one day (none known): stop
            return set()
        seen.add((token, code, since))
        changes = self._changes(code, since, disappearances_only=False)
        if not changes:
            return {code} if code in self.current else set()
        day = changes[0]
        after = self._after[code][day]
        if token in after and (token != code or alone):
            # The token's own commune goes on alone, or is restored: its territory with it.
            return self._descend(token, token, _next_day(day) if token == code else day, alone=True, seen=seen)
        found: set[str] = set()
        for receiver in after:
            # A commune that goes on after a split is followed from the next day; the others
            # from that day on (a commune created on 1 January may merge again that same day).
            next_since = _next_day(day) if receiver == code else day
            found |= self._descend(token, receiver, next_since, alone=False, seen=seen)
        return found

    def successor(self, code: str) -> set[str]:
        """The current commune(s) continuing `code`: itself when current, the parent INSEE names
        for a commune déléguée, associée or an arrondissement, else the communes that received it
        the last time it ceased to exist, followed to today. Several: the code was split."""
        if code in self.current:
            return {code}
        if code in self.parents:
            return {self.parents[code]}
        endings = self._changes(code, "", disappearances_only=True)
        if not endings:
            return set()
        last = endings[-1]
        found: set[str] = set()
        for after in self._after[code][last]:
            found |= self._walk(after, last, disappearances_only=True, seen={(code, last)})
        return found

    def _walk(self, code: str, since: str, *, disappearances_only: bool, seen: set[tuple[str, str]]) -> set[str]:
        if (code, since) in seen:  # a cycle of code changes on one day (none known): stop there
            return set()
        seen.add((code, since))
        changes = self._changes(code, since, disappearances_only=disappearances_only)
        if not changes:
            return {code} if code in self.current else set()
        day = changes[0]
        found: set[str] = set()
        for after in self._after[code][day]:
            # The commune itself goes on after a split: follow it from the next day; the others
            # from that day on (a commune created on 1 January may merge again that same day).
            next_since = _next_day(day) if after == code else day
            found |= self._walk(after, next_since, disappearances_only=disappearances_only, seen=seen)
        return found
