"""A static map of a search: one self-contained HTML page drawn with folium.

The places come from the search's stream (`selectors.py`: the one read path, every matching
place, no limit). One clustered layer per category, a popup per place (escaped, `popup.py`), the
territory's outline, a legend with the moment the statuses were computed, and opening statuses
that the page re-evaluates when a popup is opened (`opening.py`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import folium
from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from folium.utilities import get_bounds

from geofinder.maps.elements import (
    MAX_ZOOM,
    BoundaryLayer,
    CategoryCluster,
    Legend,
    OfflineMap,
    OpeningStatusScript,
    PlaceMarkers,
)
from geofinder.maps.opening import TimelineTable
from geofinder.maps.page import FitBounds, LayerControl, TileLayer
from geofinder.maps.popup import SERVICE_LABELS, popup_html, stamp_text, tooltip_html
from geofinder.maps.selectors import map_places
from geofinder.places.licences import TERRITORY_LICENCE, licence_for
from geofinder.places.selectors import announcements_shown
from geofinder.search.query import SearchQuery
from geofinder.search.place_row import PlaceHit
from geofinder.territories.selectors import territory_boundary

# One colour per category layer, in order (distinct for the colour-blind where possible).
PALETTE = (
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e",
    "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f",
)
BOUNDARY_DIGITS = 5  # decimal places of the outline: about 1 m
MAX_FIT_ZOOM = 16

FRANCE_CENTRE = [46.6, 2.4]  # lat, lon: the first view, before fitting the places found

Progress = Callable[[Iterable[PlaceHit]], Iterable[PlaceHit]]


@dataclass(frozen=True)
class RenderedMap:
    html: str
    count: int
    layers: list[tuple[str, int]]  # category label, number of places
    computed_at: datetime


def moment_label(instant: datetime) -> str:
    """"25/11/2026 à 10:42" in the server's zone (Europe/Paris)."""
    local = instant.astimezone(ZoneInfo(settings.TIME_ZONE))
    return f"{local:%d/%m/%Y} à {local:%H:%M}"


def area_label(query: SearchQuery, territory_name: str | None) -> str:
    """What the map covers, in French: "Haute-Garonne (31)", "à 2,5 km de Labège (31)", "France"."""
    parts = []
    if query.territory is not None:
        parts.append(f"{territory_name or query.territory.kind} ({query.territory.code})")
    if query.radius_m is not None and query.where is not None:
        kilometres = f"{query.radius_m / 1000:g}".replace(".", ",")
        parts.append(f"à {kilometres} km de {query.where.label}")
    return ", ".join(parts) or "France"


def default_title(query: SearchQuery, area: str) -> str:
    """"Boulangerie, Fromagerie — Haute-Garonne (31)"."""
    what = ", ".join(category.label for category in query.what.categories)
    if not what:
        what = f"« {query.what.text} »" if query.what.text else "Commerces et artisans"
    return f"{what} — {area}"


@dataclass
class _Layers:
    """The markers of each category, as PlaceMarkers rows, and what the legend says of them."""

    rows: dict[str, list[list]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    sources: set[str] = field(default_factory=set)
    south_west: list[float] = field(default_factory=lambda: [90.0, 180.0])
    north_east: list[float] = field(default_factory=lambda: [-90.0, -180.0])

    def add(self, hit: PlaceHit, row: list) -> None:
        self.rows.setdefault(hit.category_slug, []).append(row)
        self.labels[hit.category_slug] = hit.category_label
        self.sources.add(hit.source)
        self.south_west = [min(self.south_west[0], hit.lat), min(self.south_west[1], hit.lon)]
        self.north_east = [max(self.north_east[0], hit.lat), max(self.north_east[1], hit.lon)]

    @property
    def count(self) -> int:
        return sum(len(rows) for rows in self.rows.values())


def render_map(
    *,
    query: SearchQuery,
    title: str | None = None,
    tiles: str | None = None,
    attribution: str | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> RenderedMap:
    """The self-contained HTML map of every place `query` finds.

    `tiles`: an XYZ URL template (default: the GEOFINDER_TILE_URL setting; "" for none) with its
    `attribution` (HTML). Statuses are computed at `now` (default: this instant). `progress`
    wraps the iterator of places (a progress bar).
    """
    now = now or timezone.now()
    tiles = settings.GEOFINDER_TILE_URL if tiles is None else tiles
    attribution = settings.GEOFINDER_TILE_ATTRIBUTION if attribution is None else attribution
    boundary = None
    if query.territory is not None:
        boundary = territory_boundary(kind=query.territory.kind, code=query.territory.code, digits=BOUNDARY_DIGITS)
    area = area_label(query, boundary["properties"]["name"] if boundary else None)
    title = title or default_title(query, area)
    stamp = stamp_text(moment_label(now))

    table = TimelineTable(computed_at=now)
    announcements = announcements_shown(on=timezone.localtime(now).date())
    found = _Layers()
    hits = map_places(query=query, now=now)
    for hit in progress(hits) if progress else hits:
        status = table.status_of(
            hit.id, hit.opening_hours, department_code=hit.department_code, closures=hit.closures,
            position=(hit.lon, hit.lat),
        )
        popup = popup_html(hit, status=status, stamp=stamp if str(hit.id) in table.places else None, at=now,
                           announcements=announcements.get(hit.id, ()))
        found.add(hit, [hit.id, hit.lat, hit.lon, popup, tooltip_html(hit)])

    fmap = OfflineMap(location=FRANCE_CENTRE, zoom_start=6, tiles=None, control_scale=True)
    fmap.get_root().title = format_html("{}", title)
    if tiles:
        TileLayer(tiles=tiles, attr=attribution, name="Fond de carte", max_zoom=MAX_ZOOM, control=False).add_to(
            fmap
        )
    outline = _add_boundary(fmap, boundary) if boundary is not None else None
    layers = []
    for position, slug in enumerate(_layer_order(query, found.rows)):
        color = PALETTE[position % len(PALETTE)]
        rows = found.rows[slug]
        cluster = CategoryCluster(name=f"{found.labels[slug]} ({len(rows)})", color=color).add_to(fmap)
        PlaceMarkers(rows, color=color).add_to(cluster)
        layers.append((found.labels[slug], len(rows), color))
    LayerControl(collapsed=len(layers) < 2).add_to(fmap)
    # The view: the whole territory when there is one, else the places found; set at once (an
    # animated zoom would still be running when the page's script opens a #place=… popup).
    bounds = get_bounds(outline, lonlat=True) if outline is not None else [found.south_west, found.north_east]
    if outline is not None or found.count:
        view = FitBounds(bounds, max_zoom=MAX_FIT_ZOOM)
        view.options["animate"] = False
        fmap.add_child(view)
    OpeningStatusScript(table.as_json()).add_to(fmap)
    Legend(_legend_html(query, title, area, found, layers, table=table)).add_to(fmap)
    return RenderedMap(
        html=fmap.get_root().render(),
        count=found.count,
        layers=[(label, count) for label, count, _color in layers],
        computed_at=now,
    )


def _add_boundary(fmap: folium.Map, boundary: dict) -> dict:
    """Draw a territory's outline; gives its GeoJSON Feature."""
    feature = {
        "type": "Feature",
        "properties": {"name": boundary["properties"]["name"]},
        "geometry": json.loads(boundary["geometry_json"]),
    }
    BoundaryLayer(feature, name=f"Limite : {boundary['properties']['name']}").add_to(fmap)
    return feature


def _layer_order(query: SearchQuery, rows_by_layer: dict[str, list]) -> list[str]:
    """The categories asked for in their order, then the others by number of places."""
    asked = [category.slug for category in query.what.categories if category.slug in rows_by_layer]
    others = sorted((slug for slug in rows_by_layer if slug not in asked), key=lambda slug: -len(rows_by_layer[slug]))
    return asked + others


def _legend_html(
    query: SearchQuery,
    title: str,
    area: str,
    found: _Layers,
    layers: list[tuple[str, int, str]],
    *,
    table: TimelineTable,
) -> SafeString:
    lines = [
        format_html("<summary><h1>{}</h1></summary>", title),
        format_html("<p>{} · {}</p>", area, _places_count(found.count)),
    ]
    if query.open_at is not None:
        lines.append(format_html("<p>Lieux ouverts le {}</p>", moment_label(query.open_at)))
    if query.services:
        lines.append(format_html("<p>Services : {}</p>", ", ".join(SERVICE_LABELS[s] for s in query.services)))
    if layers:
        lines.append(
            format_html(
                "<ul>{}</ul>",
                format_html_join(
                    "",
                    '<li><span class="gf-swatch" style="background-color: {}"></span>{} ({})</li>',
                    ((color, label, number) for label, number, color in layers),
                ),
            )
        )
    lines.append(format_html('<p class="gf-computed"><small>{}</small></p>', _computed_note(table)))
    attributions = [licence_for(source).attribution for source in sorted(found.sources)]
    attributions.append(TERRITORY_LICENCE.attribution)
    lines.append(format_html("<p><small>Données : {}</small></p>", " ; ".join(attributions)))
    return format_html_join("", "{}", ((line,) for line in lines))


def _places_count(count: int) -> str:
    if count == 0:
        return "aucun lieu trouvé"
    return "1 lieu" if count == 1 else f"{count:,} lieux".replace(",", "\u202f")


def _computed_note(table: TimelineTable) -> str:
    """The stamp of the statuses, always shown: when they were computed, and until when the
    page re-evaluates them."""
    note = f"Statuts d'ouverture calculés le {moment_label(table.computed_at)} (heure de Paris)"
    if table.places:
        until = (table.computed_at + timedelta(days=table.days)).astimezone(ZoneInfo(settings.TIME_ZONE))
        note += f", réévalués à l'ouverture de chaque fiche jusqu'au {until:%d/%m/%Y}"
    return note + "."
