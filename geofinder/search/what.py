"""The *what* of a search: which categories a resident's text means, or else a name to look for.

"boulangeries", "Pain", "pain et viennoiserie" all mean the bakery category; "Boulangerie
pâtisserie" means bakery and pastry shop; "Chez Marcel" means no category, so the search
selector looks for places named like it; "boulangrie" means no category either, but the bakery
is offered as a suggestion (a typo is never corrected silently).

Matching works on *content words*: the text folded (`geofinder.core.text.fold`: lower case, no
accents, punctuation as spaces), stop words dropped, each word made singular. The same
treatment is applied to every slug, label (French and English) and synonym of the taxonomy to
build the phrase table, so both sides always agree.

The taxonomy is read once into a `CategoryIndex` (one query) and kept in this process:
- saving or deleting a Category through the ORM in this process clears it (signal receivers
  below), which covers `load_categories` run in-process and tests;
- any other change (another process such as the `load_categories` command while the web server
  runs, raw SQL, bulk updates) is seen within `CACHE_TTL_S` seconds, when the index is rebuilt.
The taxonomy changes a few times a year, so a minute of staleness costs nothing, while checking
the table on every search would cost a query per keystroke of the autocomplete.
`clear_category_cache()` forces a rebuild at the next call.
"""

from __future__ import annotations

import time
from bisect import bisect_left
from dataclasses import dataclass, field

from django.db.models.signals import post_delete, post_save

from geofinder.core.text import edit_distance, fold
from geofinder.places.models import Category

# Seconds an index is trusted before being rebuilt from the database.
CACHE_TTL_S = 60.0

# Words ignored when matching categories (folded forms: "à" → "a", "l'" → "l", "près" → "pres").
# "chez" is ignored for categories only: the name search keeps the whole text ("Chez Marcel").
STOP_WORDS = frozenset(
    "de du des la le les l d un une et a au aux en pour pres chez".split()
)

# Phrases too generic to stand for a category when the text names a more precise one:
# "magasin de chaussures" means the shoe shop, not also the department store ("magasin").
GENERIC_PHRASES = frozenset({"magasin"})

# Typos tolerated by suggestions, by length of the typed word: none up to 4 letters,
# one edit up to 7 letters, two edits beyond (edit = insertion, deletion, substitution or swap
# of two neighbouring letters).
_TYPO_FREE_MAX_LEN = 4
_ONE_TYPO_MAX_LEN = 7
# Seconds the typo search of one text may take: a resident's text takes well under a
# millisecond, the longest the query contract lets through (200 characters of typos) about 50;
# past this, the suggestions found so far are given.
FUZZY_BUDGET_S = 0.02


@dataclass(frozen=True)
class CategoryRef:
    """A category as the search uses it: no database access needed."""

    id: int
    slug: str
    label: str  # French
    label_en: str
    family_slug: str
    family_label: str

    def as_dict(self) -> dict:
        return {"slug": self.slug, "label": self.label}


@dataclass(frozen=True)
class What:
    """What a resident asked for."""

    text: str  # as typed, stripped
    categories: tuple[CategoryRef, ...]  # in taxonomy order; empty when none matched
    name_query: str | None  # folded text to match place names; None when categories matched or text empty
    suggestions: tuple[CategoryRef, ...] = ()  # close categories when none matched (typos, prefixes)

    @property
    def kind(self) -> str:
        """"category" (search these categories), "name" (search place names) or "all"."""
        if self.categories:
            return "category"
        return "name" if self.name_query else "all"

    def as_dict(self) -> dict:
        return {
            "text": self.text,
            "kind": self.kind,
            "categories": [category.as_dict() for category in self.categories],
            "suggestions": [category.as_dict() for category in self.suggestions],
        }


@dataclass(frozen=True, eq=False)
class CategoryIndex:
    """The taxonomy in memory, ready for matching.

    `phrases` maps a content-word phrase ("boulangerie", "fruit legume", "cave vin") to the
    position in `categories` of the category it means. For prefix matching, `starts` holds
    every label, English label and synonym folded as written ("cave a vin"), and `word_starts`
    the same texts from each of their later words on ("a vin", "vin"), both sorted, each entry
    as (text, 0 for a French label else 1, category position).
    """

    categories: tuple[CategoryRef, ...]
    by_slug: dict[str, CategoryRef]
    phrases: dict[str, int]
    max_words: int
    starts: tuple[tuple[str, int, int], ...]
    word_starts: tuple[tuple[str, int, int], ...]
    words: dict[str, int] = field(default_factory=dict)  # one-word phrases, for typo checks
    bigrams: dict[str, frozenset[str]] = field(default_factory=dict)  # phrase → its letter pairs


def singularize(word: str) -> str:
    """A French (and English) plural made singular, on a folded word; enough for matching.

    Words of 3 letters or fewer are left alone ("vis", "jus", "bas"); "-eaux" → "-eau"
    ("gateaux"), "-aux" → "-al" ("chevaux", "animaux"), otherwise a final "s" or "x" is dropped
    ("boulangeries", "bijoux", "jeux"), except after another "s" ("express"). Singular words
    ending in s or x lose it too ("tapis" → "tapi"): harmless, since the taxonomy goes through
    the same function.
    """
    if len(word) <= 3:
        return word
    if word.endswith("eaux"):
        return word[:-1]
    if word.endswith("aux"):
        return word[:-3] + "al"
    if word.endswith("x") or (word.endswith("s") and not word.endswith("ss")):
        return word[:-1]
    return word


def content_words(text: str) -> list[str]:
    """The words of `text` that matter for category matching: folded, without stop words, singular."""
    return [singularize(word) for word in fold(text).split() if word not in STOP_WORDS]


def _build_index() -> CategoryIndex:
    rows = Category.objects.select_related("family").order_by("position", "id")
    categories = tuple(
        CategoryRef(
            id=row.id,
            slug=row.slug,
            label=row.label,
            label_en=row.label_en,
            family_slug=row.family.slug,
            family_label=row.family.label,
        )
        for row in rows
    )
    synonyms = [list(row.synonyms) for row in rows]  # the queryset is cached: no second query
    phrases: dict[str, int] = {}

    def claim(text: str, position: int) -> None:
        key = " ".join(content_words(text))
        if key:
            phrases.setdefault(key, position)  # first claim wins: own names before synonyms

    for position, ref in enumerate(categories):
        claim(ref.slug, position)
        claim(ref.label, position)
    for position, ref in enumerate(categories):
        claim(ref.label_en, position)
    for position, words in enumerate(synonyms):
        for synonym in words:
            claim(synonym, position)

    written = [(fold(ref.label), 0, position) for position, ref in enumerate(categories)]
    written += [
        (fold(text), 1, position)
        for position, ref in enumerate(categories)
        for text in [ref.label_en, *synonyms[position]]
    ]
    word_starts = [
        (" ".join(words[start:]), kind, position)
        for text, kind, position in written
        for words in [text.split()]
        for start in range(1, len(words))
    ]
    return CategoryIndex(
        categories=categories,
        by_slug={ref.slug: ref for ref in categories},
        phrases=phrases,
        max_words=max((key.count(" ") + 1 for key in phrases), default=1),
        starts=tuple(sorted(written)),
        word_starts=tuple(sorted(word_starts)),
        words={key: position for key, position in phrases.items() if " " not in key},
        bigrams={key: _bigrams(key) for key in phrases},
    )


_cache: tuple[float, CategoryIndex] | None = None


def category_index() -> CategoryIndex:
    """The taxonomy index of this process: built with one query, rebuilt after `CACHE_TTL_S`
    seconds or after `clear_category_cache()` (called on every Category save or delete)."""
    global _cache
    now = time.monotonic()
    if _cache is None or now - _cache[0] > CACHE_TTL_S:
        _cache = (now, _build_index())
    return _cache[1]


def clear_category_cache(**_signal_kwargs) -> None:
    """Forget the index; the next call rebuilds it from the database."""
    global _cache
    _cache = None


post_save.connect(clear_category_cache, sender=Category, dispatch_uid="search_what_category_saved")
post_delete.connect(clear_category_cache, sender=Category, dispatch_uid="search_what_category_deleted")


def category_by_slug(slug: str) -> CategoryRef | None:
    """The category with this slug, or None."""
    return category_index().by_slug.get(slug)


def resolve_what(text: str | None) -> What:
    """What `text` asks for: the categories it names, else a name to search and suggestions.

    The categories are those of the longest taxonomy phrases found in the text, left to right
    without overlap: "fruits et légumes" is the greengrocer as a whole, "restaurant italien"
    the pizzeria and not also the restaurant, "boulangerie pâtisserie" two categories.
    Categories come deduplicated, in taxonomy order.
    """
    typed = (text or "").strip()
    folded = fold(typed)
    if not folded:
        return What(text=typed, categories=(), name_query=None)
    index = category_index()
    positions = _matched_positions(content_words(folded), index)
    if positions:
        return What(
            text=typed,
            categories=tuple(index.categories[position] for position in sorted(positions)),
            name_query=None,
        )
    return What(
        text=typed,
        categories=(),
        name_query=folded,
        suggestions=tuple(category_suggestions(typed)),
    )


def _matched_positions(words: list[str], index: CategoryIndex) -> set[int]:
    """Positions of the longest taxonomy phrases found in `words`, left to right, no overlap;
    a text that is one phrase as a whole ("fruit legume") is thus matched as a whole."""
    found: set[int] = set()
    generic: set[int] = set()
    start = 0
    while start < len(words):
        for length in range(min(index.max_words, len(words) - start), 0, -1):
            phrase = " ".join(words[start:start + length])
            position = index.phrases.get(phrase)
            if position is not None:
                (generic if phrase in GENERIC_PHRASES else found).add(position)
                start += length
                break
        else:
            start += 1
    return found or generic


def category_suggestions(text: str, *, limit: int = 5) -> list[CategoryRef]:
    """Categories close to `text`, best first, for autocomplete and "did you mean".

    In order: the categories the text names outright ("boulangeries"); those whose label, then
    English label or synonym, starts with the text ("boul" → Boulangerie); those with a word
    starting with it (3 letters or more: "pât" → Pâtisserie via "pâtes fraîches"… and
    "Épicerie fine"); then near spellings of the text or of one of its words ("boulangrie" →
    Boulangerie). Never more than `limit`.
    """
    folded = fold(text or "")
    if not folded or limit <= 0:
        return []
    index = category_index()
    ranked: list[int] = []

    def add(position: int) -> bool:
        if position not in ranked:
            ranked.append(position)
        return len(ranked) >= limit

    words = content_words(folded)
    for position in sorted(_matched_positions(words, index)):
        if add(position):
            return _refs(ranked, index)
    prefixed = [_starting_with(folded, index.starts)]
    if len(folded) >= 3 and words:
        prefixed.append(_starting_with(folded, index.word_starts))
    for positions in prefixed:
        for position in positions:
            if add(position):
                return _refs(ranked, index)
    for position in _close_positions(words, index):
        if add(position):
            break
    return _refs(ranked, index)


def _starting_with(prefix: str, entries: tuple[tuple[str, int, int], ...]) -> list[int]:
    """Positions of the categories with an entry starting with `prefix`: labels first, then
    taxonomy order."""
    matches = []
    for text, kind, position in entries[bisect_left(entries, (prefix,)):]:
        if not text.startswith(prefix):
            break
        matches.append((kind, position))
    return [position for _kind, position in sorted(matches)]


def _refs(positions: list[int], index: CategoryIndex) -> list[CategoryRef]:
    return [index.categories[position] for position in positions]


def _close_positions(words: list[str], index: CategoryIndex) -> list[int]:
    """Categories whose phrase is a few typos away from the text or from one of its words,
    nearest first (taxonomy order among equals)."""
    best: dict[int, int] = {}
    probes = [(" ".join(words), index.phrases)] if len(words) > 1 else []
    probes += [(word, index.words) for word in words]
    deadline = time.monotonic() + FUZZY_BUDGET_S
    for probe, table in probes:
        if time.monotonic() > deadline:
            break
        budget = _typo_budget(probe)
        if budget == 0:
            continue
        probe_bigrams = _bigrams(probe)
        # One edit changes at most 3 letter pairs (a swap of neighbours): a cheap filter before
        # the edit distance, which costs ~100 times more.
        shared_needed = len(probe_bigrams) - 3 * budget
        for phrase, position in table.items():
            if abs(len(phrase) - len(probe)) > budget:
                continue
            if len(probe_bigrams & index.bigrams[phrase]) < shared_needed:
                continue
            distance = edit_distance(probe, phrase, budget)
            if distance <= budget and distance < best.get(position, budget + 1):
                best[position] = distance
    return sorted(best, key=lambda position: (best[position], position))


def _bigrams(text: str) -> frozenset[str]:
    padded = f" {text} "
    return frozenset(padded[i:i + 2] for i in range(len(padded) - 1))


def _typo_budget(word: str) -> int:
    if len(word) <= _TYPO_FREE_MAX_LEN:
        return 0
    return 1 if len(word) <= _ONE_TYPO_MAX_LEN else 2

