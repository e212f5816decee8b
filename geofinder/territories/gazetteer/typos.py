"""The typo budget of the gazetteer: how many letters a name may be off and still be read.

One budget for every reader of names: the residents' where texts (geofinder.search) and the
localities of imported rows (geofinder.imports.geocoding).
"""

from __future__ import annotations

from collections.abc import Iterable

from geofinder.core.text import edit_distance

# Typos tolerated in a name, by length of its key: none up to 4 letters, 1 up to 8, 2 beyond
# (two in 8 letters made "xyzville" Xonville).
_TYPO_FREE_MAX_LEN, _ONE_TYPO_MAX_LEN = 4, 8
# Longest commune key ("saint remy en bouzemont saint genest et isson" has 45 letters, 8
# words), with room for two typos: longer texts name no commune, and are not looked up by the
# costlier trigram search.
LONGEST_NAME_KEY = 48
LONGEST_NAME_WORDS = 8


def typo_budget(key: str) -> int:
    """Letters `key` may be off a name and still name it."""
    if len(key) <= _TYPO_FREE_MAX_LEN:
        return 0
    return 1 if len(key) <= _ONE_TYPO_MAX_LEN else 2


def closest(key: str, names: Iterable[str]) -> set[str]:
    """The `names` at the smallest edit distance from `key`, if within its typo budget."""
    budget = typo_budget(key)
    distances = {name: edit_distance(key, name, budget) for name in set(names)}
    best = min(distances.values(), default=budget + 1)
    return {name for name, distance in distances.items() if distance == best <= budget}
