"""Reading a where text: its street, locality name, postcode, département, arrondissement."""

from __future__ import annotations

import re
from dataclasses import dataclass

from geofinder.core.text import fold, place_name_key
from geofinder.territories.gazetteer.types import APPROXIMATE, WhereNotFound

# The country at the end of an address: "Toulouse, France", "31670 Labège France" (dropped only
# after a comma or a postcode: "Roissy-en-France" and "Fort de France" are communes).
_COUNTRY = re.compile(r"[\s,]+france\s*$", re.IGNORECASE)
# Labels given back as where texts: "31320 (Aureville, … et 6 autres communes)",
# "Labège (31), adresse approchée à la commune", "Courcouronnes (Évry-Courcouronnes, 91)".
_POSTCODE_LABEL = re.compile(r"^\s*(?P<code>[0-9]{5}) \(.*\)\s*$")
_DEPARTMENT_CODE = r"(?:0[1-9]|[1-8][0-9]|9[0-5]|2[ABab]|97[1-6])"
_PART_LABEL = re.compile(rf"^\s*(?P<name>[^(),]+?) \((?P<commune>[^(),]+), (?P<code>{_DEPARTMENT_CODE})\)\s*$")
_APPROXIMATE_SUFFIX = re.compile(rf"(?:, | \(){APPROXIMATE}\)?\s*$")
_POSTCODE = re.compile(r"(?<![0-9])[0-9]{5}(?![0-9])")
# "Saint-Martin 32", "Saint-Martin (2A)", "Trois-Rivières 971": a name, then a département code.
_TRAILING_DEPARTMENT = re.compile(rf"^(?P<name>.*[^\W\d_].*?)[\s,(]+(?P<code>{_DEPARTMENT_CODE})\s*\)?$")
# "paris 15e", "paris 15eme arrondissement", "lyon 1er", "marseille 2", "paris xie", "paris
# xveme" (folded, article-free; roman numerals as on street signs).
_ARRONDISSEMENT = re.compile(
    r"^(?P<city>paris|lyon|marseille) (?P<number>[0-9]{1,2}|[ivx]{1,5}) ?(?:e|er|eme|ieme)?"
    r"(?: arr(?:ondissement)?)?$"
)
# Roman numerals up to 39 (tens, then units): "xi" = 11, "xx" = 20.
_ROMAN = re.compile(r"^(?P<tens>x{0,3})(?P<units>ix|iv|v?i{0,3})$")
_ROMAN_UNITS = {"": 0, "i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9}
# The start of a street address (folded): an optional house number then a kind of way.
_STREET = re.compile(
    r"^(?:[0-9]{1,4} ?(?:bis|ter|quater|[a-d])? )?(?:rue|avenue|av|bd|boulevard|chemin|che|impasse|imp"
    r"|allee|allees|place|pl|route|rte|quai|cours|square|passage|lieu dit|lotissement|residence"
    r"|voie|faubourg|fbg|promenade|esplanade|rond point|sentier|montee|traverse|zone|za|zi|zac)\b"
    r"|^[0-9]{1,4} ?(?:bis|ter|quater|[a-d])? [a-z]"
)
# Paris, Lyon, Marseille: INSEE prefix of their arrondissements in La Poste's base, commune
# code and number of arrondissements (75115 = Paris 15e, 69381 = Lyon 1er, 13201 = Marseille 1er).
ARRONDISSEMENTS = {
    "paris": ("751", "75056", 20),
    "lyon": ("6938", "69123", 9),
    "marseille": ("132", "13055", 16),
}


@dataclass(frozen=True)
class WhereText:
    """A where text split into its parts; `name` is as typed, `key` its place_name_key."""

    text: str
    street: str  # "" when the text names no street
    name: str
    key: str
    postcode: str | None
    department: str | None  # upper case: "31", "2A", "971"
    # The key of the commune of today a former commune is part of, from a label given back:
    # "Courcouronnes (Évry-Courcouronnes, 91)".
    within: str | None = None

    @property
    def shown(self) -> str:
        """The name as the resident wrote it, for messages."""
        return self.name.strip() or self.text


def where_text_parse(text: str) -> WhereText:
    """Split a where text into street, locality name, postcode and département."""
    text = (text or "").strip()
    if not fold(text):
        raise WhereNotFound("where is empty")
    text = _APPROXIMATE_SUFFIX.sub("", text)
    part = _PART_LABEL.match(text)
    if part:
        name = part.group("name").strip()
        return WhereText(
            text=text, street="", name=name, key=place_name_key(name), postcode=None,
            department=part.group("code").upper(), within=place_name_key(part.group("commune")),
        )
    label = _POSTCODE_LABEL.match(text)
    if label:
        text = label.group("code")
    country = _COUNTRY.search(text)
    if country and ("," in text or _POSTCODE.search(text)):
        text = text[: country.start()]
    parts = [part.strip() for part in text.split(",") if fold(part)]
    # The locality is the last part, with the one before when the last is only a code
    # ("Labège, 31670", "Saint-Martin, 32").
    start = len(parts) - 1
    if start > 0 and (fold(parts[start]).isdigit() or fold(parts[start]) in {"2a", "2b"}):
        start -= 1
    street, locality = ", ".join(parts[:start]), " ".join(parts[start:])
    postcode = None
    matches = list(_POSTCODE.finditer(locality))
    if matches:
        match = matches[-1]
        postcode = match.group()
        before, after = locality[: match.start()].strip(" ,-"), locality[match.end() :].strip(" ,-")
        if fold(after):  # "12 rue de la Paix 31670 Labège"
            locality = after
            street = ", ".join(part for part in (street, before) if fold(part))
        else:  # "Labège 31670"
            locality = before
    name, department = locality.strip(), None
    if postcode is None:
        match = _TRAILING_DEPARTMENT.match(name)
        if match:
            department = match.group("code").upper()
            name = match.group("name").strip()
    if not street and _STREET.match(fold(name)):
        street, name = name, ""  # the locality is to be found inside the street text
    return WhereText(
        text=text, street=street, name=name, key=place_name_key(name), postcode=postcode, department=department
    )


def arrondissement_named(key: str) -> tuple[str, int | None] | None:
    """The city and number of the arrondissement a place-name key names ("paris 15e", "lyon 3e
    arrondissement", "paris xve" → ("paris", 15)), the number None when written as no roman
    numeral ("paris iiii"); None when the key names no arrondissement. The number is not
    checked against the city's count (see ARRONDISSEMENTS)."""
    match = _ARRONDISSEMENT.match(key)
    if match is None:
        return None
    written = match.group("number")
    if written.isdigit():
        return match.group("city"), int(written)
    roman = _ROMAN.match(written)
    if roman is None:
        return match.group("city"), None
    return match.group("city"), 10 * len(roman.group("tens")) + _ROMAN_UNITS[roman.group("units")]


def city_key(name: str) -> str:
    """The place-name key of a locality as data writes it, an arrondissement standing for its
    city ("Paris 15e Arrondissement", "Lyon 3e" → "paris", "lyon")."""
    key = place_name_key(name or "")
    arrondissement = arrondissement_named(key)
    return arrondissement[0] if arrondissement else key
