"""What opening-hours-py reads differently from the specification, rewritten before it reads.

The specification (OSM wiki, Key:opening_hours/specification) and its reference
implementation opening_hours.js agree on three points where opening-hours-py 2.1.4 does not:

* a rule with a comment and no state (`"sur rendez-vous"`, `Mo-Fr 08:00-12:00 "sur rdv"`) is
  *unknown*, with its comment; the library reads it as open. `unknown` is written in.
* a fallback rule (`A || B`) applies at every instant the rules before it leave closed; the
  library applies it only on days they do not select at all. The value is cut into its
  fallback parts, which `hours.Hours` evaluates in turn.
* an open end (`18:00+`, `18:00-01:00+`) has an unknown closing time; the library closes at
  midnight (or at 01:00). The open-end span is written out with the reference's guess of its
  length (until midnight when it starts before 17:00, 10 hours from 17:00, 8 hours from 22:00)
  as an `unknown` rule whose comment starts with OPEN_END, which `hours.Hours` reads back as
  "open, closing time unknown".

`parts(text)` works on a value the library accepted, with its holidays already rewritten
(`rewrite.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from geofinder.opening.lexer import EVENT_WORDS, MODIFIER_WORDS, Token, tokenize

# Private-use character starting the comment of an open-end span (never in real data: the
# lenient reader and the library keep it, comments shown to residents drop it).
OPEN_END = "\ue000"

DAY_MINUTES = 24 * 60
MAX_MINUTES = 48 * 60  # the specification's largest extended time, 48:00


@dataclass(frozen=True, slots=True)
class _Rule:
    start: int  # token index, inclusive
    end: int  # token index, exclusive


def _ends_time(token: Token) -> bool:
    """True for a token that may end a time selector, a modifier or a comment."""
    if token.kind in ("time", "comment", "always"):
        return True
    if token.kind == "word":
        return token.lower in MODIFIER_WORDS or token.lower in EVENT_WORDS
    return token.kind == "other" and token.text == ")"


def _rules(tokens: list[Token]) -> list[tuple[_Rule, Token | None]]:
    """The rules of a value, each with the separator token that follows it (None at the end)."""
    rules = []
    start = 0
    for index, token in enumerate(tokens):
        separator = token.kind in ("semi", "fallback") or (
            token.kind == "comma"
            and index > 0
            and _ends_time(tokens[index - 1])
            and not (index + 1 < len(tokens) and tokens[index + 1].continues_time_list())
        )
        if separator:
            rules.append((_Rule(start, index), token))
            start = index + 1
    rules.append((_Rule(start, len(tokens)), None))
    return rules


def _minutes(text: str) -> int:
    hours, minutes = text.rstrip("+").split(":")
    return int(hours) * 60 + int(minutes)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def open_end_guess(start: int) -> int:
    """End (minutes from the day's midnight, may pass 24:00) the reference gives an open end
    starting at `start` minutes."""
    if start % DAY_MINUTES < 17 * 60 and start < DAY_MINUTES:
        return DAY_MINUTES
    if start % DAY_MINUTES < 22 * 60 and start % DAY_MINUTES >= 17 * 60:
        return start + 10 * 60
    return start + 8 * 60


def _rewrite_rule(text: str, tokens: list[Token], rule: _Rule) -> str:
    """The rule's text as the library should read it."""
    first, last = tokens[rule.start], tokens[rule.end - 1]
    original = text[first.start : last.end]
    comment = last if last.kind == "comment" else None
    before_comment = rule.end - 1 if comment else rule.end
    modifier = None
    if before_comment > rule.start:
        candidate = tokens[before_comment - 1]
        if candidate.kind == "word" and candidate.lower in MODIFIER_WORDS:
            modifier = candidate
    selectors_end = before_comment - (1 if modifier else 0)

    open_ends = [i for i in range(rule.start, selectors_end) if tokens[i].kind == "time" and tokens[i].text.endswith("+")]
    if open_ends and (modifier is None or modifier.lower == "open"):
        rewritten = _with_open_end(text, tokens, rule, selectors_end, comment)
        if rewritten is not None:
            return rewritten
    if comment is not None and modifier is None:
        # A comment without a state: unknown (the specification's default for a comment).
        return text[first.start : comment.start] + "unknown " + comment.text
    return original


def _with_open_end(text: str, tokens: list[Token], rule: _Rule, selectors_end: int, comment: Token | None) -> str | None:
    """Split the open-end spans of a rule into a rule of their own; None when a span is not a
    plain `HH:MM+` or `HH:MM-HH:MM+` (variable times with an open end are left to the library)."""
    time_start = next(
        (i for i in range(rule.start, selectors_end) if tokens[i].kind == "time" or tokens[i].lower in EVENT_WORDS
         or (tokens[i].kind == "other" and tokens[i].text == "(")),
        None,
    )
    if time_start is None:
        return None
    spans: list[list[Token]] = [[]]
    for token in tokens[time_start:selectors_end]:
        if token.kind == "comma":
            spans.append([])
        else:
            spans[-1].append(token)
    fixed, open_spans = [], []
    for span in spans:
        texts = [token.text for token in span]
        if not span or not span[-1].text.endswith("+"):
            fixed.append(text[span[0].start : span[-1].end] if span else "")
            continue
        if len(span) == 1 and span[0].kind == "time":
            begin = _minutes(span[0].text)
            end_from = begin
        elif len(span) == 3 and span[0].kind == "time" and texts[1] == "-" and span[2].kind == "time":
            begin = _minutes(span[0].text)
            end_from = _minutes(span[2].text)
            if end_from <= begin:
                end_from += DAY_MINUTES
        else:
            return None
        end = min(open_end_guess(end_from), MAX_MINUTES)
        if end <= begin:
            return None
        open_spans.append(f"{_clock(begin)}-{_clock(end)}")
    selectors = text[tokens[rule.start].start : tokens[time_start].start] if time_start > rule.start else ""
    note = comment.text[1:-1] if comment is not None else ""
    open_rule = f'{selectors}{",".join(open_spans)} unknown "{OPEN_END}{note}"'
    if not any(fixed):
        return open_rule
    tail = text[tokens[selectors_end].start : tokens[rule.end - 1].end] if selectors_end < rule.end else ""
    fixed_rule = f"{selectors}{','.join(part for part in fixed if part)}"
    if tail:
        fixed_rule += " " + tail
    return f"{fixed_rule}, {open_rule}"


@lru_cache(maxsize=8192)
def parts(text: str) -> tuple[str, ...]:
    """The fallback parts of a (holiday-free) value, each rewritten for the library.

    `A || B || C` gives (A, B, C): at an instant, the first part whose state is not closed
    decides (see `hours.Hours`). A value without `||` gives one part.
    """
    tokens = tokenize(text=text)
    if not tokens:
        return (text,)
    out: list[str] = []
    current = ""
    for rule, separator in _rules(tokens):
        if rule.end > rule.start:
            current += _rewrite_rule(text, tokens, rule)
        if separator is None:
            break
        if separator.kind == "fallback":
            out.append(current.strip())
            current = ""
        else:
            current += text[separator.start : _next_start(tokens, separator)]
    out.append(current.strip())
    return tuple(part for part in out if part) or (text,)


def _next_start(tokens: list[Token], separator: Token) -> int:
    """Where the text after a separator starts (its following spaces kept)."""
    for token in tokens:
        if token.start > separator.start:
            return token.start
    return separator.end
