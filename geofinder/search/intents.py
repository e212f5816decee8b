"""Words of intent in a `what` text: "ouvert dimanche", "livraison", "à emporter"…

A resident types what they want in one box: "boulangerie ouverte dimanche", "pizza à emporter",
"fleuriste livraison". The category words are read by `geofinder.search.what`; the words read
here become the search's filters, and the answer says which words made which filter:

- opening: "ouvert", "ouvert maintenant", "open now", "maintenant" → open now; "ouvert dimanche",
  "ouvert le dimanche", "dimanche" (any weekday, plural too) → open that day at `DAY_HOUR`
  (see `open_instant`); "ouvert demain" → tomorrow at `DAY_HOUR`; "ouvert aujourd'hui" → today;
- services (the fields of every place, `geofinder.search.query.SERVICES`): "livraison" →
  delivery, "à emporter" → takeaway, "click and collect" / "retrait en magasin" →
  click_and_collect, "sur rendez-vous" → appointment;
- criteria no place records ("terrasse", "wifi", "parking", "accessible"): never a filter that
  would pretend to check them; the answer gives them back as not understood, with the reason.

Matching is on folded words (`geofinder.core.text.fold`), plurals made singular, longest phrase
first, so "à emporter" and "emporter", "click & collect" and "click and collect" are the same.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

# Hour (local time) an "ouvert <day>" search is evaluated at: late morning is when shops open on
# every day of the week, Sunday included (bakeries, markets, most shops that open Sundays).
DAY_HOUR = 11
# On the asked day itself, between DAY_HOUR and this hour, the search is for now (the resident
# is out already); after it, the same day of next week.
DAY_ENDS_HOUR = 19

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
WEEKDAYS_EN = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# Labels as residents read them (French first; geofinder.web.strings says the same).
SERVICE_LABELS = {
    "click_and_collect": "retrait en magasin (click and collect)",
    "delivery": "livraison",
    "takeaway": "vente à emporter",
    "appointment": "sur rendez-vous",
}

_OPEN = ("ouvert", "ouverte", "open")  # singular forms; "ouverts", "ouvertes" are made singular
_NOW = ("maintenant", "now", "actuellement", "immediatement")
_TODAY = ("aujourd hui", "aujourdhui", "today")
_TOMORROW = ("demain", "tomorrow")

# Service phrases (folded, singular words) → service.
_SERVICE_PHRASES = {
    "livraison": "delivery",
    "livraison a domicile": "delivery",
    "livre a domicile": "delivery",
    "delivery": "delivery",
    "a emporter": "takeaway",
    "emporter": "takeaway",
    "vente a emporter": "takeaway",
    "takeaway": "takeaway",
    "take away": "takeaway",
    "click and collect": "click_and_collect",
    "click collect": "click_and_collect",
    "click et collect": "click_and_collect",
    "clique et collecte": "click_and_collect",
    "retrait en magasin": "click_and_collect",
    "sur rendez vou": "appointment",
    "rendez vou": "appointment",
    "rdv": "appointment",
    "sur rdv": "appointment",
}
# Criteria residents ask for that no place records: given back, never filtered on.
UNSUPPORTED = {
    "terrasse": "les fiches ne disent pas si le lieu a une terrasse",
    "wifi": "les fiches ne disent pas si le lieu a le wifi",
    "parking": "les fiches ne disent pas si le lieu a un parking",
    "accessible": "les fiches ne disent pas encore l'accessibilité en fauteuil roulant",
    "pmr": "les fiches ne disent pas encore l'accessibilité en fauteuil roulant",
    "drive": "les fiches ne distinguent pas le drive du retrait en magasin : essayez « click and collect »",
}


@dataclass(frozen=True)
class Intent:
    """A filter a resident asked for in words."""

    words: str  # the folded words that said it: "ouvert dimanche"
    filter: str  # "open" or "services"
    value: str  # "now", a weekday ("dimanche"), "today", "tomorrow"; or a service name
    label: str  # French, for the answer: "ouvert dimanche", "livraison"

    def as_dict(self, open_at: datetime | None = None) -> dict:
        body = {"words": self.words, "filter": self.filter, "value": self.value, "label": self.label}
        if self.filter == "open" and open_at is not None:
            body["open_at"] = open_at.isoformat()
        return body


@dataclass(frozen=True)
class Unread:
    """A word neither a category, nor an intent, nor a word of no meaning here."""

    word: str  # folded
    reason: str  # French

    def as_dict(self) -> dict:
        return {"word": self.word, "reason": self.reason}


def _singular(word: str) -> str:
    # Imported late: what.py imports this module.
    from geofinder.search.what import singularize

    return singularize(word)


def read_intents(words: list[str]) -> tuple[list[Intent], set[int], list[tuple[int, str]]]:
    """The intents in `words` (folded words of the text, stop words included), the positions of
    the words they took, and the (position, reason) of the unsupported criteria found."""
    singular = [_singular(word) for word in words]
    intents: list[Intent] = []
    taken: set[int] = set()
    unsupported: list[tuple[int, str]] = []
    i = 0
    while i < len(words):
        length, intent = _open_at(singular, i)
        if not length:
            length, intent = _service_at(singular, i)
        if length:
            intent = replace(intent, words=" ".join(words[i:i + length]))  # as typed, folded
            if intent not in intents:
                intents.append(intent)
            taken.update(range(i, i + length))
            i += length
            continue
        if singular[i] in UNSUPPORTED:
            unsupported.append((i, UNSUPPORTED[singular[i]]))
        i += 1
    return intents, taken, unsupported


def _open_at(words: list[str], i: int) -> tuple[int, Intent | None]:
    """An opening phrase starting at `i`: (words taken, intent), or (0, None)."""
    start = i
    said_open = words[i] in _OPEN
    if said_open:
        i += 1
        while i < len(words) and words[i] in ("le", "les", "l", "en", "ce"):  # "ouvert le dimanche"
            i += 1
    day = _day_at(words, i)
    if day is not None:
        length, value = day
        end = i + length
        label = {"now": "ouvert maintenant", "today": "ouvert aujourd’hui", "tomorrow": "ouvert demain"}.get(
            value, f"ouvert {value}"
        )
        return end - start, Intent(" ".join(words[start:end]), "open", value, label)
    if said_open:
        return 1, Intent(words[start], "open", "now", "ouvert maintenant")
    return 0, None


def _day_at(words: list[str], i: int) -> tuple[int, str] | None:
    if i >= len(words):
        return None
    word = words[i]
    if word in _NOW:
        return 1, "now"
    if word in WEEKDAYS:
        return 1, word
    if word in WEEKDAYS_EN:
        return 1, WEEKDAYS[WEEKDAYS_EN.index(word)]
    if word in _TOMORROW:
        return 1, "tomorrow"
    for phrase in _TODAY:
        parts = phrase.split()
        if words[i:i + len(parts)] == parts:
            return len(parts), "today"
    return None


def _service_at(words: list[str], i: int) -> tuple[int, Intent | None]:
    for length in (4, 3, 2, 1):
        phrase = " ".join(words[i:i + length])
        if len(words) - i >= length and phrase in _SERVICE_PHRASES:
            service = _SERVICE_PHRASES[phrase]
            return length, Intent(phrase, "services", service, SERVICE_LABELS[service])
    return 0, None


def open_instant(value: str, now: datetime) -> datetime:
    """The instant an opening intent asks about, in the server's zone (Europe/Paris).

    "now" → `now`; a weekday → that day at DAY_HOUR: today's if today is that day and DAY_HOUR
    is still to come, `now` on that day until DAY_ENDS_HOUR (the resident is out already), else
    the next such day; "today" → the same for today; "tomorrow" → tomorrow at DAY_HOUR.
    """
    zone = ZoneInfo(settings.TIME_ZONE)
    local = now.astimezone(zone)
    if value == "now":
        return now
    if value == "tomorrow":
        return _at_hour(local.date() + timedelta(days=1), zone)
    weekday = local.weekday() if value == "today" else WEEKDAYS.index(value)
    ahead = (weekday - local.weekday()) % 7
    if ahead == 0:
        if local.hour < DAY_HOUR:
            return _at_hour(local.date(), zone)
        if local.hour < DAY_ENDS_HOUR or value == "today":
            return now
        ahead = 7
    return _at_hour(local.date() + timedelta(days=ahead), zone)


def _at_hour(day, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(DAY_HOUR), tzinfo=zone)

