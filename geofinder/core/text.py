"""Text normalisation shared by the gazetteer, the category matcher and the importers."""

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")
_SAINT = re.compile(r"\b(st|ste)\b")
_LEADING_ARTICLE = re.compile(r"^(le|la|les|l) ")


def fold(text: str) -> str:
    """Lower-case, strip accents, and turn every run of punctuation or spaces into one space.

    `fold("Saint-Orens-de-Gameville")` and `fold("ST ORENS DE GAMEVILLE")` both give
    "saint orens de gameville" once `expand_saint` is applied; `fold("L'Isle-Jourdain")` gives
    "l isle jourdain".
    """
    decomposed = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "OE"))
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return _NON_WORD.sub(" ", ascii_only).strip()


def expand_saint(folded: str) -> str:
    """Expand the abbreviations "st" and "ste" of an already folded text."""
    return _SAINT.sub(lambda m: "saint" if m.group(1) == "st" else "sainte", folded)


def place_name_key(text: str) -> str:
    """The gazetteer's key for a place name: folded, saints expanded, leading article dropped.

    "Les Pennes-Mirabeau", "PENNES MIRABEAU" and "les pennes-mirabeau" share the key
    "pennes mirabeau"; "St-Orens-de-Gameville" gives "saint orens de gameville".
    """
    return _LEADING_ARTICLE.sub("", expand_saint(fold(text)))


def edit_distance(a: str, b: str, bound: int) -> int:
    """Optimal-string-alignment distance of `a` and `b`, or `bound + 1` once it must exceed `bound`."""
    before: list[int] | None = None
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if before is not None and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, before[j - 2] + 1)
            current[j] = value
        if min(current) > bound:
            return bound + 1
        before, previous = previous, current
    return previous[-1]
