"""French labels shown to residents ("Ouvert · ferme à 19:00")."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

WEEKDAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

SEPARATOR = " · "
UNKNOWN_LABEL = "Horaires inconnus"
ALWAYS_OPEN_LABEL = "Ouvert 24h/24"
CLOSED_LABEL = "Fermé"
PUBLIC_HOLIDAY_LABEL = f"Fermé{SEPARATOR}jour férié"
OPEN_END_LABEL = f"Ouvert{SEPARATOR}heure de fermeture inconnue"
# A comment shown in a label is cut to this many characters.
COMMENT_MAX = 80
CLOSURE_LABEL = f"Fermé{SEPARATOR}fermeture exceptionnelle"


def is_fixed(label: str) -> bool:
    """True for labels that stay right as time passes (a reason, a comment, an open end): the
    pages' scripts show them as given instead of recomputing them from the next change."""
    return label in (PUBLIC_HOLIDAY_LABEL, CLOSURE_LABEL, OPEN_END_LABEL) or label.startswith(
        f"{UNKNOWN_LABEL}{SEPARATOR}"
    )


def unknown_label(comment: str = "") -> str:
    """Label of an unknown state, with the value's comment when it has one
    ("Horaires inconnus · sur rendez-vous")."""
    if not comment:
        return UNKNOWN_LABEL
    if len(comment) > COMMENT_MAX:
        comment = comment[: COMMENT_MAX - 1].rstrip() + "…"
    return f"{UNKNOWN_LABEL}{SEPARATOR}{comment}"


def clock(moment: datetime) -> str:
    """Local time as "08:30"."""
    return f"{moment.hour:02d}:{moment.minute:02d}"


def when(*, now: datetime, moment: datetime) -> str:
    """When `moment` happens, seen from `now` (both local): "à 14:00", "demain à 08:30",
    "lundi à 09:00" (within the coming week) or "le 12/01 à 09:00"."""
    days = (moment.date() - now.date()).days
    if days <= 0:
        return f"à {clock(moment)}"
    if days == 1:
        return f"demain à {clock(moment)}"
    if days < 7:
        return f"{WEEKDAY_NAMES[moment.weekday()]} à {clock(moment)}"
    return f"le {moment.day:02d}/{moment.month:02d} à {clock(moment)}"


def open_label(*, now: datetime, closes: datetime | None) -> str:
    """Label of an open place; `closes` is the next change (local) or None."""
    if closes is None:
        return ALWAYS_OPEN_LABEL
    if closes.astimezone(timezone.utc) - now.astimezone(timezone.utc) < timedelta(hours=24):
        return f"Ouvert{SEPARATOR}ferme à {clock(closes)}"
    return f"Ouvert{SEPARATOR}ferme {when(now=now, moment=closes)}"


def closed_label(*, now: datetime, opens: datetime | None) -> str:
    """Label of a closed place; `opens` is the next change (local) or None."""
    if opens is None:
        return CLOSED_LABEL
    return f"Fermé{SEPARATOR}ouvre {when(now=now, moment=opens)}"
