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
