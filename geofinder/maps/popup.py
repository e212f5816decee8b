"""The popup of a place on a static map: HTML in which every value from the data is escaped.

Names, addresses, phones and websites come from public data: they go through `format_html`
(which escapes its arguments), and a website becomes a link only when it is an http(s) address
as a browser reads it (a `javascript:` value, in any case or with a tab inside, stays text). The
pages' script applies the same rule (geofinder/web/static/web/js/links.js).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from geofinder.opening import OpeningStatus
from geofinder.search.selectors import PlaceHit

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


def popup_html(
    hit: PlaceHit, *, status: OpeningStatus, stamp: str | None, announcements: list[dict] = ()
) -> SafeString:
    """The popup of one place: name, category, the merchant's `announcements` of the day,
    address, contacts, services, opening status and the raw opening_hours. With a `stamp`, the status is the one computed at the render
    instant, which the page's script replaces by the status when the popup opens; without, it
    never changes by itself ("Horaires inconnus")."""
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
    if hit.opening_hours:
        lines.append(format_html('Horaires : <code class="gf-hours">{}</code>', hit.opening_hours))
    return format_html('<div class="gf-popup">{}</div>', format_html_join("", "<p>{}</p>", ((line,) for line in lines)))


def tooltip_html(hit: PlaceHit) -> SafeString:
    """The text shown on hover: the place's name, escaped."""
    return format_html("{}", hit.name)
