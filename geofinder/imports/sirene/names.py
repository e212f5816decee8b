"""Names a resident recognises, from the register's capitals.

The register writes names in capitals ("BOULANGERIE DU CHATEAU D'EAU", "SARL BTP MARTIN"):
`readable_case` writes them as a sign would ("Boulangerie du Château d'Eau" without the accent
the register dropped: accents are not guessed), keeping acronyms and legal forms in capitals.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Words written in lower case inside a name (French articles, prepositions, conjunctions).
SMALL_WORDS = frozenset({
    "a", "à", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "ou", "par",
    "pour", "sur", "sous", "chez", "dans",
})
# Acronyms that have vowels, kept in capitals (legal forms, common abbreviations of trades).
ACRONYMS = frozenset({
    "SA", "SAS", "SASU", "SARL", "EURL", "EI", "EIRL", "SCI", "SCEA", "SCOP", "SELARL", "SNC", "GAEC",
    "EARL", "SEL", "SICA", "GIE", "BTP", "TV", "HIFI", "II", "III", "IV", "VI", "VII", "VIII", "IX", "XI",
    "XII", "UE", "USA", "EU", "IDF", "CBD",
})
_VOWELS = set("AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŸ")
# A word and what follows it: letters (with apostrophes and hyphens handled by parts), else any.
_TOKEN = re.compile(r"[^\W\d_]+|\d+|[^\w]+|_+", re.UNICODE)


@lru_cache(maxsize=1 << 15)  # communes and street names come again and again in a file
def readable_case(text: str, *, initial: bool = True) -> str:
    """`text` in the case a sign would use when it is written in capitals; as it is otherwise
    (a name already in mixed case was written so by its owner).

    Words take a capital initial; articles and prepositions inside the name are in lower case
    ("de", "la", "l'", "d'"); acronyms stay in capitals: legal forms and known abbreviations
    (SARL, BTP), words without a vowel (SNCF, JMB) and dotted initials (S.A.R.L.). With
    `initial` false, the text continues a phrase ("DE LA PAIX" after "Rue": "de la Paix").
    """
    text = " ".join(text.split())
    if not text or text != text.upper():
        return text
    out: list[str] = []
    first_word = initial
    tokens = _TOKEN.findall(text)
    for position, token in enumerate(tokens):
        if not token[0].isalpha():
            out.append(token)
            continue
        following = tokens[position + 1] if position + 1 < len(tokens) else ""
        previous = tokens[position - 1] if position > 0 else ""
        out.append(_word(token, first=first_word, elided=following.startswith("'"), dotted=following.startswith(".")
                         or previous.endswith(".") and len(token) == 1))
        first_word = False
    return "".join(out)


def _word(word: str, *, first: bool, elided: bool, dotted: bool) -> str:
    lower = word.lower()
    if dotted and len(word) <= 2:
        return word  # initials: S.A.R.L., J.-P.
    if word in ACRONYMS or not (set(word) & _VOWELS) and len(word) > 1:
        return word
    if not first and (lower in SMALL_WORDS or elided and lower in {"l", "d"}):
        return lower
    return lower[:1].upper() + lower[1:]
