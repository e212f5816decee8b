"""The popup of a place on a static map: HTML in which every value from the data is escaped.

Names, addresses, phones and websites come from public data: they go through `format_html`
(which escapes its arguments), and a website becomes a link only when it is an http(s) address
as a browser reads it (a `javascript:` value, in any case or with a tab inside, stays text). The
pages' script applies the same rule (geofinder/web/static/web/js/links.js).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from urllib.parse import urlsplit

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from geofinder.opening import OpeningStatus
from geofinder.opening.week import week_schedule
from geofinder.search.place_row import PlaceHit

SERVICE_LABELS = {
    "click_and_collect": "retrait en magasin (click & collect)",
    "delivery": "livraison",
    "takeaway": "à emporter",
    "appointment": "sur rendez-vous",
}
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
# What a browser strips around an address (C0 controls and spaces; Unicode spaces too, which
# would make it no address at all) and removes anywhere in it (tab, LF, CR): WHATWG URL parsing.
_AROUND = re.compile(r"^[\x00-\x20\s]+|[\x00-\x20\s]+$")
_TAB_OR_NEWLINE = str.maketrans("", "", "\t\n\r")
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f\s]")
STATUS_NOTES = {
    "temporarily_closed": "Fermé temporairement",
    "permanently_closed": "Fermé définitivement",
}


def safe_url(value: str) -> str | None:
    """An http(s) address for a link, "https://" added to a bare host ("www.example.fr");
    None for anything else (javascript:, data:, mailto:, text).

    The value is first read the way a browser reads an href (controls and spaces around it
    stripped, tabs and newlines inside removed, the scheme in any case), so that
    " \x01JaVa\tScript:…" is recognised as the javascript: address a browser would follow."""
    value = _AROUND.sub("", value or "").translate(_TAB_OR_NEWLINE)
    if not value or _CONTROL_OR_SPACE.search(value):
        return None
    if not _SCHEME.match(value):
        value = "https://" + value
    parts = urlsplit(value)
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    return value


def stamp_text(at_label: str) -> str:
    """The stamp of a status computed at the render instant: "statut calculé le 25/11/2026 à 10:42"."""
    return f"statut calculé le {at_label}"


def week_html(hit: PlaceHit, at: datetime) -> SafeString:
    """The hours of the week of `at` in words, day by day ("mardi : 12:00–14:30, 19:00–22:00",
    "lundi : fermé", holidays noted), as the pages' detail panel shows them; the value as it
    was written when it cannot be read (an invalid opening_hours)."""
    week = week_schedule(
        hit.opening_hours, at=at, department_code=hit.department_code, closures=hit.closures,
        position=(hit.lon, hit.lat),
    )
    if not week:
        return format_html('<p>Horaires (tels que saisis) : <code class="gf-hours">{}</code></p>', hit.opening_hours)
    rows = (
        (
            mark_safe(' class="gf-today"') if day["today"] else "",  # a constant
            day["weekday"],
            ", ".join(day["intervals"]) or "fermé",
            f" ({day['note']})" if day["note"] else "",
        )
        for day in week
    )
    monday = date.fromisoformat(week[0]["date"]).strftime("%d/%m/%Y")
    return format_html(
        '<p class="gf-week-title">Horaires de la semaine du {}</p><ul class="gf-week">{}</ul>',
        monday,
        format_html_join("", "<li{}>{} : {}{}</li>", rows),
    )


def popup_html(
    hit: PlaceHit, *, status: OpeningStatus, stamp: str | None, at: datetime | None = None,
    announcements: list[dict] = (),
) -> SafeString:
    """The popup of one place: name, category, the merchant's `announcements` of the day,
    address, contacts, services, opening status
    and the hours of the week of `at` in words (the raw opening_hours without `at`). With a
    `stamp`, the status is the one computed at the render instant, which the page's script
    replaces by the status when the popup opens; without, it never changes by itself
    ("Horaires inconnus")."""
    lines = [
        format_html('<strong class="gf-name">{}</strong>', hit.name),
        format_html('<span class="gf-category">{}</span>', hit.category_label),
    ]
    if hit.status in STATUS_NOTES:
        lines.append(format_html('<span class="gf-closed">{}</span>', STATUS_NOTES[hit.status]))
    for announcement in announcements:  # the merchant's, shown that day (text, escaped)
        lines.append(format_html('<span class="gf-announcement"><strong>{}</strong> : {}</span>',
                                 announcement["title"], announcement["text"]))
    if hit.street:
        lines.append(format_html("{}", hit.street))
    locality = " ".join(part for part in (hit.postcode, hit.city or hit.commune_name) if part)
    lines.append(format_html("{}", locality))
    if hit.phone:
        lines.append(format_html("Tél. {}", hit.phone))
    for label, value in (("Site web", hit.website), ("Boutique en ligne", hit.shop_url)):
        url = safe_url(value)
        if url:
            lines.append(format_html('<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>', url, label))
        elif value:
            lines.append(format_html("{} : {}", label, value))
    if hit.artisan:
        lines.append(format_html("{}", "Artisan, inscrit au répertoire des métiers"))
    services = [label for key, label in SERVICE_LABELS.items() if hit.services.get(key)]
    if services:
        lines.append(format_html("Services : {}", ", ".join(services)))
    if stamp:
        lines.append(
            format_html(
                '<span class="gf-status gf-{}" data-place="{}" data-stamp="{}">{}</span>'
                '<br><small class="gf-stamp">{}</small>',
                status.state,
                hit.id,
                stamp,
                status.label,
                stamp,
            )
        )
    else:
        lines.append(format_html('<span class="gf-status gf-{}">{}</span>', status.state, status.label))
    week = ""
    if hit.opening_hours and at is not None:
        week = week_html(hit, at)
    elif hit.opening_hours:
        lines.append(format_html('Horaires : <code class="gf-hours">{}</code>', hit.opening_hours))
    return format_html(
        '<div class="gf-popup">{}{}</div>', format_html_join("", "<p>{}</p>", ((line,) for line in lines)), week
    )


def tooltip_html(hit: PlaceHit) -> SafeString:
    """The text shown on hover: the place's name, escaped."""
    return format_html("{}", hit.name)
