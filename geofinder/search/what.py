"""The *what* of a search: which categories a resident's text means, or else a name to look for.

"boulangeries", "Pain", "pain et viennoiserie" all mean the bakery category; "Boulangerie
pâtisserie" means bakery and pastry shop; "Chez Marcel" means no category, so the search
selector looks for places named like it; "boulangrie" means no category either, but the bakery
is offered as a suggestion (a typo is never corrected silently).

A shop's name beats the category words inside it. "The Coffee Shop", "Simply Market",
"L'Alliance" hold category words ("thé", "market", "alliance" a ring at the jeweller's), but a
resident typing them means the shop of that name. So a text read as categories keeps its words
as `name_first` too, unless it is one taxonomy name as a whole ("bar", "boulangeries", "fruits
et légumes"): the search then puts the places of exactly that name nearby first, then the
places of the categories (`geofinder.search.named`). Where no place of that name is near, the
category reading stands alone, and its unread words are said (see below). A leading "the"
written without its accent, before other words, is the English article, not tea.

Words of intent ("ouvert dimanche", "livraison", "à emporter", "click and collect") become the
search's filters (`geofinder.search.intents`), and a word that is neither a category, nor an
intent, nor a word without meaning here (STOP_WORDS, FILLER_WORDS) comes back in `unread`
with the reason: no word of a category reading is ever dropped silently. A text with no
category is a shop's name: its words are the name.

A phrase that several categories list among their synonyms means all of them: "bar" is the
café-bar and the pub.

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
from datetime import datetime

from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from geofinder.core.process_cache import ProcessValue
from geofinder.core.text import edit_distance, fold
from geofinder.places.models import Category
from geofinder.search.intents import Intent, Unread, open_instant, read_intents

# Seconds an index is trusted before being rebuilt from the database.
CACHE_TTL_S = 60.0

# Words ignored when matching categories (folded forms: "à" → "a", "l'" → "l", "près" → "pres").
# "chez" is ignored for categories only: the name search keeps the whole text ("Chez Marcel").
STOP_WORDS = frozenset(
    "de du des la le les l d un une et a au aux en pour pres chez".split()
)

# Words of no meaning for the search beyond the stop words (the location comes from where/near):
# neither a category nor a name, and not worth an "unread" note.
FILLER_WORDS = frozenset("moi ici proche autour cote coin je cherche trouver bon bonne".split())
UNREAD_REASON = "ni une catégorie, ni un critère connu : mot ignoré"

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
    # With categories: the folded text, for the places of exactly that name to come first
    # (None when the text is one taxonomy name as a whole).
    name_first: str | None = None
    intents: tuple[Intent, ...] = ()  # filters asked in words, in the order typed
    open_at: datetime | None = None  # the instant an opening intent asks about
    services: tuple[str, ...] = ()  # services asked in words
    unread: tuple[Unread, ...] = ()  # words not understood, with the reason
    # Set by the search (geofinder.search.named): places of exactly the name `name_first` came first.
    names_found: bool = False

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
            "name_first": self.name_first if self.names_found else None,
            "filters": [intent.as_dict(self.open_at) for intent in self.intents],
            "not_understood": [word.as_dict() for word in self.unread],
            "message": self.message(),
        }

    def message(self) -> str | None:
        """How the text was read, in French, when there is more to say than its categories."""
        parts = []
        if self.name_first and self.names_found:
            labels = ", ".join(category.label for category in self.categories)
            parts.append(f"« {self.text} » : les lieux de ce nom d’abord, puis {labels}.")
        if self.intents:
            parts.append("Filtres lus dans la recherche : " + ", ".join(_intent_label(i, self.open_at) for i in self.intents) + ".")
        if self.unread:
            words = " ; ".join(f"« {word.word} » ({word.reason})" for word in self.unread)
            parts.append(f"Non compris : {words}.")
        return " ".join(parts) or None


def _intent_label(intent: Intent, open_at: datetime | None) -> str:
    if intent.filter == "open" and intent.value != "now" and open_at is not None:
        local = timezone.localtime(open_at)
        return f"{intent.label} (à {local.hour} h {local.minute:02d})".replace(" h 00)", " h)")
    return intent.label


@dataclass(frozen=True, eq=False)
class CategoryIndex:
    """The taxonomy in memory, ready for matching.

    `phrases` maps a content-word phrase ("boulangerie", "fruit legume", "cave vin") to the
    positions in `categories` of the categories it means: one, unless several categories list
    it among their synonyms ("bar": café-bar and pub). `whole_names` holds every slug, label
    and synonym with its stop words kept (plurals made singular): a text equal to one of them
    is category words, not a shop's name. For prefix matching, `starts` holds
    every label, English label and synonym folded as written ("cave a vin"), and `word_starts`
    the same texts from each of their later words on ("a vin", "vin"), both sorted, each entry
    as (text, 0 for a French label else 1, category position).
    """

    categories: tuple[CategoryRef, ...]
    by_slug: dict[str, CategoryRef]
    phrases: dict[str, tuple[int, ...]]
    max_words: int
    starts: tuple[tuple[str, int, int], ...]
    word_starts: tuple[tuple[str, int, int], ...]
    words: dict[str, tuple[int, ...]] = field(default_factory=dict)  # one-word phrases, for typo checks
    whole_names: frozenset[str] = frozenset()
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
    phrases: dict[str, tuple[int, ...]] = {}
    named: set[str] = set()  # phrases claimed by a slug or label: theirs alone

    def claim(text: str, position: int, *, synonym: bool = False) -> None:
        key = " ".join(content_words(text))
        if not key:
            return
        if key not in phrases:
            phrases[key] = (position,)  # first claim wins: own names before synonyms
            if not synonym:
                named.add(key)
        elif synonym and key not in named and position not in phrases[key]:
            phrases[key] += (position,)  # a synonym of several categories means all of them

    for position, ref in enumerate(categories):
        claim(ref.slug, position)
        claim(ref.label, position)
    for position, ref in enumerate(categories):
        claim(ref.label_en, position)
    for position, words in enumerate(synonyms):
        for synonym in words:
            claim(synonym, position, synonym=True)
    whole_names = frozenset(
        _written_key(text)
        for position, ref in enumerate(categories)
        for text in [ref.slug, ref.label, ref.label_en, *synonyms[position]]
    )

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
        words={key: positions for key, positions in phrases.items() if " " not in key},
        bigrams={key: _bigrams(key) for key in phrases},
        whole_names=whole_names,
    )


_index = ProcessValue(_build_index, ttl_s=CACHE_TTL_S)


def _written_key(text: str) -> str:
    """A text folded with its stop words kept, each word made singular: "Fruits et légumes" →
    "fruit et legume"."""
    return " ".join(singularize(word) for word in fold(text).split())


def category_index() -> CategoryIndex:
    """The taxonomy index of this process: built with one query, rebuilt after `CACHE_TTL_S`
    seconds or after `clear_category_cache()` (called on every Category save or delete)."""
    return _index.get()


def clear_category_cache(**_signal_kwargs) -> None:
    """Forget the index; the next call rebuilds it from the database."""
    _index.forget()


post_save.connect(clear_category_cache, sender=Category, dispatch_uid="search_what_category_saved")
post_delete.connect(clear_category_cache, sender=Category, dispatch_uid="search_what_category_deleted")


def category_by_slug(slug: str) -> CategoryRef | None:
    """The category with this slug, or None."""
    return category_index().by_slug.get(slug)


def resolve_what(text: str | None, *, now: datetime | None = None) -> What:
    """What `text` asks for: the categories it names, else a name to search and suggestions;
    with the filters its words of intent ask for (an opening instant computed from `now`,
    default this instant) and the words it holds that mean nothing here.

    The categories are those of the longest taxonomy phrases found in the text, left to right
    without overlap: "fruits et légumes" is the greengrocer as a whole, "restaurant italien"
    the pizzeria and not also the restaurant, "boulangerie pâtisserie" two categories.
    Categories come deduplicated, in taxonomy order. Words of intent are read first and taken
    out of a name ("Chez Marcel livraison" is the name "chez marcel" with delivery); a category
    phrase holding one keeps it too ("pizza à emporter": the pizzeria, takeaway).
    """
    typed = (text or "").strip()
    words = fold(typed).split()
    if not words:
        return What(text=typed, categories=(), name_query=None)
    index = category_index()
    intents, taken, unsupported = read_intents(words)
    article = 0 if _is_english_article(typed, words) else None
    content = [
        (i, singularize(word)) for i, word in enumerate(words) if word not in STOP_WORDS and i != article
    ]
    positions, consumed = _matched(content, index, frozenset(taken))
    asked = _asked(intents, now)
    rest = [word for i, word in enumerate(words) if i not in taken]  # the text without its intents
    if positions:
        reasons = dict(unsupported)
        unread = tuple(
            Unread(words[i], reasons.get(i, UNREAD_REASON))
            for i, _word in content
            if i not in consumed and i not in taken and words[i] not in FILLER_WORDS
        )
        name = " ".join(rest)
        return What(
            text=typed,
            categories=tuple(index.categories[position] for position in sorted(positions)),
            name_query=None,
            name_first=None if {_written_key(name), _written_key(typed)} & index.whole_names else name,
            unread=unread,
            **asked,
        )
    if not rest or (intents and all(word in STOP_WORDS for word in rest)):
        # Only intents (and stop words): every place, filtered ("ouvert dimanche", "ouvert le").
        return What(text=typed, categories=(), name_query=None, **asked)
    name = " ".join(rest)
    return What(
        text=typed,
        categories=(),
        name_query=name,
        suggestions=tuple(category_suggestions(name)),
        **asked,
    )


def _is_english_article(typed: str, words: list[str]) -> bool:
    """Whether the text starts with the English article "the" (written without the accent of
    "thé", before other words): "The Coffee Shop", not "thé" nor "salon de the"."""
    first = typed.split(maxsplit=1)[0].lower() if typed else ""
    return len(words) > 1 and words[0] == "the" and first in ("the", "the'")


def _asked(intents: list[Intent], now: datetime | None) -> dict:
    """The What fields of these intents: the first opening one gives the instant."""
    opening = next((intent for intent in intents if intent.filter == "open"), None)
    kept = [intent for intent in intents if intent.filter != "open" or intent is opening]
    return {
        "intents": tuple(kept),
        "open_at": open_instant(opening.value, now or timezone.now()) if opening else None,
        "services": tuple(dict.fromkeys(intent.value for intent in intents if intent.filter == "services")),
    }


def _matched(
    content: list[tuple[int, str]], index: CategoryIndex, taken: frozenset[int] = frozenset()
) -> tuple[set[int], set[int]]:
    """Positions of the longest taxonomy phrases found in `content` ((word position, content
    word) pairs), left to right, no overlap, and the word positions they took; a text that is
    one phrase as a whole ("fruit legume") is thus matched as a whole. A phrase made only of
    words `taken` by intents is not a category ("retrait en magasin" is no department store)."""
    words = [word for _i, word in content]
    found: set[int] = set()
    generic: set[int] = set()
    consumed: set[int] = set()
    start = 0
    while start < len(words):
        for length in range(min(index.max_words, len(words) - start), 0, -1):
            phrase = " ".join(words[start:start + length])
            positions = index.phrases.get(phrase)
            words_at = [i for i, _word in content[start:start + length]]
            if positions is not None and not all(i in taken for i in words_at):
                (generic if phrase in GENERIC_PHRASES else found).update(positions)
                consumed.update(words_at)
                start += length
                break
        else:
            start += 1
    return found or generic, consumed


def _matched_positions(words: list[str], index: CategoryIndex) -> set[int]:
    """Positions of the categories of the longest taxonomy phrases found in `words`."""
    return _matched(list(enumerate(words)), index)[0]


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
        for phrase, positions in table.items():
            if abs(len(phrase) - len(probe)) > budget:
                continue
            if len(probe_bigrams & index.bigrams[phrase]) < shared_needed:
                continue
            distance = edit_distance(probe, phrase, budget)
            for position in positions:
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

