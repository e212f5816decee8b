"""A small lexer for OSM `opening_hours` strings.

It does not validate (opening-hours-py does); it only cuts a string that the
library accepted into tokens precise enough to find rule boundaries and the
weekday selectors that hold `PH`/`SH`, so that `rewrite.py` can replace them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN_RE = re.compile(
    r"""
     (?P<comment>"[^"]*")
    |(?P<ws>\s+)
    |(?P<fallback>\|\|)
    |(?P<semi>;)
    |(?P<comma>,)
    |(?P<always>24/7)
    |(?P<holiday>(?:PH|SH)(?![A-Za-z]))
    |(?P<offset>[+-]\s*\d+\s*days?(?![A-Za-z]))
    |(?P<weekday>(?i:mo|tu|we|th|fr|sa|su)(?![A-Za-z]))
    |(?P<nth>\[[^\]]*\])
    |(?P<time>\d{1,2}:\d{2}\+?)
    |(?P<number>\d+)
    |(?P<word>[A-Za-z_]+)
    |(?P<dash>-)
    |(?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

MONTHS = frozenset(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
)
WIDE_WORDS = MONTHS | {"week", "easter"}
EVENT_WORDS = frozenset(("sunrise", "sunset", "dawn", "dusk"))
MODIFIER_WORDS = frozenset(("open", "closed", "off", "unknown"))


@dataclass(frozen=True, slots=True)
class Token:
    """One lexeme: its kind (a group name of the regex), text and span."""

    kind: str
    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower()

    def is_wide(self) -> bool:
        """True for tokens that may appear in year/month/week selectors."""
        if self.kind in ("number", "dash", "comma", "offset"):
            return True
        if self.kind == "word":
            return self.lower in WIDE_WORDS
        return self.kind == "other" and self.text in (":", "/")

    def continues_time_list(self) -> bool:
        """True for tokens that may follow a comma inside a time selector."""
        if self.kind in ("time", "number"):
            return True
        if self.kind == "word":
            return self.lower in EVENT_WORDS
        return self.kind == "other" and self.text == "("


def tokenize(*, text: str) -> list[Token]:
    """Cut `text` into tokens, whitespace dropped."""
    tokens = []
    for match in _TOKEN_RE.finditer(text):
        kind = match.lastgroup or "other"
        if kind != "ws":
            tokens.append(
                Token(kind=kind, text=match.group(), start=match.start(), end=match.end())
            )
    return tokens
