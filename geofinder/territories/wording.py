"""How a page names a territory in a sentence: "en Haute-Garonne", "dans le Rhône", "dans
l’Ain", "à Paris" — from the article of its name in INSEE's COG (TNCC). Pure Python."""

from __future__ import annotations

# INSEE's TNCC (type de nom en clair): the article the name takes.
NO_ARTICLE, NO_ARTICLE_ELIDED, LE, LA, LES, L_APOSTROPHE = 0, 1, 2, 3, 4, 5

# Names without an article that take "à" rather than "en": a city and the islands whose name
# is used without article ("à Mayotte", "à La Réunion" whose article is part of the name).
AT = {("department", "75"), ("department", "974"), ("department", "976"), ("region", "04"), ("region", "06")}


def territory_in(*, kind: str, code: str, name: str, article: int | None, language: str = "fr") -> str:
    """The territory as the place of a sentence: "en Haute-Garonne", "in Haute-Garonne".

    French: "à" for a commune and the names of AT; "dans le/la/les/l’" for names with a
    masculine or plural article (the Rhône, the Landes) and for those in l’ (whose gender the
    COG does not say: "dans l’Ain", "dans l’Ardèche" are both right); "en" for feminine names
    and names without article (Haute-Garonne, Occitanie, Bretagne, Seine-et-Marne)."""
    if language != "fr":
        return f"in {name}"
    if kind == "commune" or (kind, code) in AT:
        if name.startswith("Le "):
            return f"au {name[3:]}"
        if name.startswith("Les "):
            return f"aux {name[4:]}"
        return f"à {name}"
    if article == LE:
        return f"dans le {name}"
    if article == LES:
        return f"dans les {name}"
    if article == L_APOSTROPHE:
        return f"dans l’{name}"
    # LA, no article, or not loaded (None): "en".
    return f"en {name}"
