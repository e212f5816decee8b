// The overview of every place matching the search, not only the page of results the list
// shows: from département zoom (MIN_ZOOM), the server counts the places of each tile of the view
// by cell (GET /api/v1/clusters/{z}/{x}/{y}/, PostGIS) and the map draws one counted circle per
// cell; zoomed in (the server's POINTS_ZOOM), a tile gives its places, drawn as markers by a
// markercluster group that adds them in chunks (chunkedLoading: the page stays responsive).
// The browser never holds more than the view's cells or places (bench/map_scale.py measures it).
// Names are text (title attribute, tooltip element), never HTML.
/* global L */
import { config, h } from "./config.js";
import { symbolSVG } from "./symbols.js";

export const MIN_ZOOM = 8; // below, a tile would count a large part of France
const MAX_ZOOM = 19;
const TILE = 256;
// Search parameters that are not filters: the tile is the location.
const NOT_FILTERS = ["near", "where", "bbox", "radius", "after", "limit"];
const CACHED = 200; // tiles kept (the answers of a few pans and zooms)
// Phones: circles and markers answer a tap of 44 px around them (WCAG 2.5.8), as the results' do.
const TOUCH_TARGET = 44;
const phone = window.matchMedia("(max-width: 48rem)");

// `kind`: "cluster", a cell counted by the server; "group", markers near each other (zoomed in).
function clusterIcon(count, kind = "cluster") {
  const drawn = count < 10 ? 30 : count < 100 ? 36 : count < 1000 ? 42 : 50;
  const size = phone.matches ? Math.max(drawn, TOUCH_TARGET) : drawn;
  return L.divIcon({ className: `gf-overview gf-overview-${kind}`, html: h("span", {}, String(count)), iconSize: [size, size] });
}

function pointIcon(state) {
  const box = phone.matches ? TOUCH_TARGET : 18;
  return L.divIcon({ className: `gf-overview gf-overview-point gf-overview-point--${state}`, html: symbolSVG(state, 18), iconSize: [box, box] });
}

/** The overview layers of `map`; `shown(id)` says whether a place is already a result marker. */
export function createOverview(map, { onSelect, shown }) {
  const pane = map.createPane("gf-overview");
  pane.style.zIndex = 550; // under the results' markers (600)
  const cells = L.layerGroup().addTo(map);
  const points = L.markerClusterGroup({
    chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 30, clusterPane: "gf-overview",
    iconCreateFunction: (cluster) => clusterIcon(cluster.getChildCount(), "group"),
  });
  map.addLayer(points);
  const cache = new Map(); // "z/x/y?filters" → the answer's promise
  let filters = null; // query string of the search's filters, null: no overview
  let generation = 0;

  function tile(z, x, y) {
    const key = `${z}/${x}/${y}/?${filters}`;
    if (!cache.has(key)) {
      if (cache.size >= CACHED) cache.delete(cache.keys().next().value);
      cache.set(key, fetch(`${config.api.clusters}${key}`, { headers: { Accept: "application/json" } })
        .then((r) => (r.ok ? r.json() : null)).catch(() => null));
    }
    return cache.get(key);
  }

  function viewTiles() {
    const z = Math.min(MAX_ZOOM, Math.floor(map.getZoom()));
    const bounds = map.getBounds();
    const nw = map.project(bounds.getNorthWest(), z).divideBy(TILE).floor();
    const se = map.project(bounds.getSouthEast(), z).divideBy(TILE).floor();
    const last = 2 ** z - 1;
    const tiles = [];
    for (let x = Math.max(0, nw.x); x <= Math.min(last, se.x); x++) {
      for (let y = Math.max(0, nw.y); y <= Math.min(last, se.y); y++) tiles.push([z, x, y]);
    }
    return tiles;
  }

  async function refresh() {
    const number = ++generation;
    if (filters === null || map.getZoom() < MIN_ZOOM) {
      cells.clearLayers();
      points.clearLayers();
      return;
    }
    const answers = await Promise.all(viewTiles().map(([z, x, y]) => tile(z, x, y)));
    if (number !== generation) return; // the map moved again meanwhile
    const circles = [];
    const markers = [];
    for (const answer of answers.filter(Boolean)) {
      for (const feature of answer.features) {
        const [lon, lat] = feature.geometry.coordinates;
        if (answer.kind === "points") {
          if (shown(feature.id)) continue;
          const marker = L.marker([lat, lon], { icon: pointIcon(feature.properties.state), keyboard: false, title: feature.properties.name, pane: "gf-overview" });
          marker.bindTooltip(h("span", {}, String(feature.properties.name)), { direction: "top" });
          marker.on("click", () => onSelect(feature.id, { from: "map" }));
          markers.push(marker);
        } else {
          const circle = L.marker([lat, lon], { icon: clusterIcon(feature.properties.count), keyboard: false, pane: "gf-overview" });
          circle.on("click", () => map.setView([lat, lon], Math.min(MAX_ZOOM, Math.floor(map.getZoom()) + 2)));
          circles.push(circle);
        }
      }
    }
    cells.clearLayers();
    points.clearLayers();
    for (const circle of circles) cells.addLayer(circle);
    points.addLayers(markers);
  }

  map.on("moveend", refresh);

  return {
    /** Show the places matching these search parameters (those of GET /api/v1/places/); null: none. */
    setFilters(params) {
      if (params === null) {
        filters = null;
      } else {
        const kept = Object.entries(params).filter(([name]) => !NOT_FILTERS.includes(name));
        filters = new URLSearchParams(kept).toString();
      }
      refresh();
    },
  };
}
