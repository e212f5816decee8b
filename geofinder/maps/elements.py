"""folium elements of a static map that load nothing from the network and escape what they embed.

folium's own Map and MarkerCluster link Leaflet, jQuery, Bootstrap and awesome-markers from CDNs;
here Leaflet and markercluster are inlined (`assets.py`) and the rest is left out: nothing used
needs it (folium's Popup does: it builds its content with jQuery inside a JavaScript template
literal, so places get their popups through `PlaceMarkers` instead). Data put into inline
scripts goes through `script_json`, which keeps `</script>` and `<!--` from ending the script;
data shown as HTML (popups, tooltips, legend, layer names) is escaped. Every element is
`RenderedAsText` on a `StaticPage` (page.py): what it writes is never read as a template again.
"""

from __future__ import annotations

import json

import folium
from django.utils.html import escape
from folium.map import Layer
from folium.plugins import MarkerCluster
from folium.template import Template

from geofinder.maps.assets import inline_scripts, inline_styles
from geofinder.maps.page import RawHtml, RenderedAsText, StaticPage

MAX_ZOOM = 19
# Characters that JSON leaves as is but that could end or confuse an inline <script>.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def script_json(value) -> str:
    """JSON safe to embed inside an inline <script> element (or a JSON <script> block)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)


class OfflineMap(folium.Map, RenderedAsText):
    """A folium Map whose page needs no network but for its tiles, on a StaticPage."""

    def __init__(self, **kwargs):
        # markercluster needs the map's own maxZoom (folium only sets the tile layer's, and a map
        # may have no tiles).
        super().__init__(maxZoom=MAX_ZOOM, **kwargs)
        StaticPage().add_child(self)  # instead of the Figure folium.Map made
        self.default_js, self.default_css = [], []  # no CDN links: see inline_scripts/styles
        header = self.get_root().header
        header.add_child(RawHtml(inline_styles()), name="geofinder_styles")
        header.add_child(RawHtml(inline_scripts()), name="geofinder_scripts")


class CategoryCluster(MarkerCluster, RenderedAsText):
    """A markercluster layer of one category, its clusters drawn in the category's colour.

    `name` is shown by Leaflet's layer control as HTML: it is escaped here."""

    def __init__(self, *, name: str, color: str):
        # Wider discs for longer counts; `color` is one of the palette's, not data.
        icon = (
            "function (cluster) { var count = cluster.getChildCount();"
            " var inner = count < 100 ? 30 : count < 1000 ? 36 : 44;"
            " return L.divIcon({ html: '<div style=\"background-color: " + color + "; width: ' + inner"
            " + 'px; height: ' + inner + 'px; border-radius: ' + inner / 2 + 'px\"><span style=\"line-height: '"
            " + inner + 'px\">' + count + '</span></div>',"
            " className: 'marker-cluster gf-cluster', iconSize: new L.Point(inner + 10, inner + 10) }); }"
        )
        super().__init__(name=escape(name), icon_create_function=icon, show_coverage_on_hover=False)
        self.default_js, self.default_css = [], []  # inlined by OfflineMap
        self.color = color


class PlaceMarkers(RenderedAsText):
    """Circle markers with popups and tooltips, added in one go to their parent layer.

    `places`: [id, lat, lon, popup HTML, tooltip HTML] each, the HTML already escaped; the whole
    list is embedded with `script_json`. Markers are registered in `window.geofinderMarkers`
    (id → [marker, layer]) for the opening-status script.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (layer) {
            var registry = window.geofinderMarkers = window.geofinderMarkers || {};
            var style = {{ this.style_json }};
            var markers = {{ this.places_json }}.map(function (p) {
                var marker = L.circleMarker([p[1], p[2]], style)
                    .bindPopup(p[3], {maxWidth: 340})
                    .bindTooltip(p[4]);
                registry[p[0]] = [marker, layer];
                return marker;
            });
            if (layer.addLayers) { layer.addLayers(markers); }
            else { markers.forEach(function (marker) { layer.addLayer(marker); }); }
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, places: list[list], *, color: str):
        super().__init__()
        self._name = "PlaceMarkers"
        self.places_json = script_json(places)
        self.style_json = script_json(
            {"radius": 7, "color": "#ffffff", "weight": 1.5, "fillColor": color, "fillOpacity": 0.9}
        )


class BoundaryLayer(Layer, RenderedAsText):
    """A territory's outline, drawn under the markers and letting clicks through."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJSON({{ this.geojson }}, {
            interactive: false,
            style: {color: "#444444", weight: 2, opacity: 0.8, fill: false, dashArray: "6 4"}
        });
        {% endmacro %}
        """
    )

    def __init__(self, feature: dict, *, name: str):
        super().__init__(name=escape(name), overlay=True, control=True, show=True)
        self._name = "BoundaryLayer"
        self.geojson = script_json(feature)


class OpeningStatusScript(RenderedAsText):
    """The timelines of the places (JSON block) and the call that shows live statuses in popups.
    Added last, after every PlaceMarkers."""

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <script type="application/json" id="gf-opening">{{ this.data_json }}</script>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        geofinderOpeningStatus({{ this._parent.get_name() }}, window.geofinderMarkers || {});
        {% endmacro %}
        """
    )

    def __init__(self, data: dict):
        super().__init__()
        self._name = "OpeningStatusScript"
        self.data_json = script_json(data)


class Legend(RenderedAsText):
    """The title box of the map: `html` must be built with escaping (format_html)."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
            .gf-legend { position: absolute; z-index: 1000; left: 10px; bottom: 50px; max-width: 340px;
                background: rgba(255, 255, 255, 0.95); padding: 8px 12px; border-radius: 6px;
                box-shadow: 0 1px 5px rgba(0, 0, 0, 0.4); font: 13px/1.4 system-ui, sans-serif; }
            .gf-legend h1 { font-size: 16px; margin: 0 0 4px; display: inline; }
            .gf-legend summary { cursor: pointer; }
            .gf-legend p { margin: 2px 0; }
            .gf-legend ul { list-style: none; margin: 4px 0; padding: 0; }
            .gf-swatch { display: inline-block; width: 12px; height: 12px; border-radius: 50%;
                margin-right: 6px; vertical-align: -1px; border: 1px solid #fff; }
            .gf-legend small, .gf-stamp { color: #555; }
            .gf-popup p { margin: 3px 0; }
            .gf-name { font-size: 15px; }
            .gf-category { color: #555; }
            .gf-open { color: #1a7f37; font-weight: 600; }
            .gf-closed { color: #b42318; font-weight: 600; }
            .gf-hours { white-space: normal; font-size: 12px; }
            .gf-week-title { font-weight: 600; }
            .gf-week { list-style: none; margin: 2px 0; padding: 0; font-variant-numeric: tabular-nums; }
            .gf-week .gf-today { font-weight: 700; }
            /* Phones: a smaller legend, folded (the script below), so that the map shows. */
            @media (max-width: 600px) {
                .gf-legend { max-width: 70vw; bottom: 24px; padding: 4px 8px; font-size: 12px; }
                .gf-legend h1 { font-size: 14px; }
            }
            .gf-cluster div { color: #fff; font-weight: 600; }
        </style>
        {% endmacro %}
        {% macro html(this, kwargs) %}
        <details class="gf-legend" open>{{ this.legend_html }}</details>
        <script>if (window.matchMedia("(max-width: 600px)").matches) document.querySelector(".gf-legend").open = false;</script>
        {% endmacro %}
        """
    )

    def __init__(self, html: str):
        super().__init__()
        self._name = "Legend"
        self.legend_html = html
