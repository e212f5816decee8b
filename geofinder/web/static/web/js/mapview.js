// The Leaflet map: clustered markers in sync with the list, the search centre, territory
// boundaries. Without a tile URL (offline) it still draws the boundaries and the markers.
/* global L */
import { config, h, t } from "./config.js";
import { symbolSVG } from "./symbols.js";
import { createOverview } from "./overview.js";

const FRANCE = { center: [46.6, 2.4], zoom: 6 };

// Phones: markers and clusters answer a tap of 44 px around their symbol (WCAG 2.5.8).
const TOUCH_TARGET = 44;
const phone = window.matchMedia("(max-width: 48rem)");

function icon(state, active) {
  const size = active ? 38 : 28;
  const box = phone.matches ? Math.max(size, TOUCH_TARGET) : size;
  return L.divIcon({
    className: `gf-marker gf-marker--${state}${active ? " gf-marker--active" : ""}`,
    html: symbolSVG(state, size),
    iconSize: [box, box],
    iconAnchor: [box / 2, box / 2],
    tooltipAnchor: [box / 2, 0],
  });
}

function clusterIcon(cluster) {
  const count = cluster.getChildCount();
  const size = count < 10 ? "small" : count < 100 ? "medium" : "large";
  const box = phone.matches ? TOUCH_TARGET : 40;
  const number = h("span", {}, String(count));
  return L.divIcon({ html: h("div", {}, number), className: `marker-cluster marker-cluster-${size} gf-cluster-${box}`, iconSize: [box, box] });
}

// Leaflet reads a string given to bindTooltip as HTML: names are given as an element holding text.
function text(value) {
  return h("span", {}, String(value));
}

export function createMap(element, { onSelect, onHover, onUserMove = () => {} }) {
  const map = L.map(element, { zoomSnap: 0.5, maxZoom: 19 }).setView(FRANCE.center, FRANCE.zoom);
  if (config.tiles.url) {
    L.tileLayer(config.tiles.url, { attribution: config.tiles.attribution, maxZoom: 19 }).addTo(map);
  } else {
    element.classList.add("gf-map--offline");
    map.attributionControl.addAttribution(t("no_tiles"));
  }
  const boundaries = L.featureGroup().addTo(map);
  const centre = L.layerGroup().addTo(map);
  const cluster = L.markerClusterGroup({
    showCoverageOnHover: false, maxClusterRadius: 40, spiderfyOnMaxZoom: true, iconCreateFunction: clusterIcon,
  });
  map.addLayer(cluster);
  const markers = new Map(); // place id → {marker, state}
  let active = null;
  let pending = null; // a framing asked while the map was hidden (done when it is shown)
  // Every place matching the search, counted by the server at département zoom (overview.js).
  const overview = createOverview(map, { onSelect, shown: (id) => markers.has(String(id)) });

  // Moves of the reader (drag, wheel, pinch, zoom buttons, keys), not those of the page.
  let touched = false;
  for (const type of ["pointerdown", "wheel", "keydown", "touchstart"]) {
    element.addEventListener(type, () => { touched = true; }, { passive: true });
  }
  map.on("moveend", () => {
    if (touched) onUserMove();
    touched = false;
  });

  function frame(bounds, options) {
    pending = element.offsetWidth ? null : { bounds, options };
    if (!pending) map.fitBounds(bounds, options);
  }

  function addMarkers(features) {
    for (const feature of features) {
      if (markers.has(String(feature.id))) continue;
      const [lon, lat] = feature.geometry.coordinates;
      const state = feature.properties.opening.state;
      const marker = L.marker([lat, lon], { icon: icon(state, false), keyboard: false, title: feature.properties.name });
      // The merchant's announcements of the day follow the name (as text).
      const titles = (feature.properties.announcements || []).map((a) => a.title);
      marker.bindTooltip(text([feature.properties.name, ...titles].join(" · ")), { direction: "top" });
      marker.on("click", () => onSelect(feature.id, { from: "map" }));
      marker.on("mouseover", () => onHover(feature.id, true));
      marker.on("mouseout", () => onHover(feature.id, false));
      markers.set(String(feature.id), { marker, state });
      cluster.addLayer(marker);
    }
  }

  function setActive(id, on) {
    const entry = markers.get(String(id));
    if (!entry) return;
    entry.marker.setIcon(icon(entry.state, on));
    entry.marker.setZIndexOffset(on ? 1000 : 0);
  }

  return {
    /** Replace the markers by `features`; `where` is the search centre. */
    show(features, where, { fit = true } = {}) {
      cluster.clearLayers();
      centre.clearLayers();
      markers.clear();
      active = null;
      addMarkers(features);
      if (where) {
        L.circleMarker([where.lat, where.lon], { radius: 6, color: "#000", weight: 2, fillColor: "#F0E442", fillOpacity: 1, interactive: false })
          .bindTooltip(text(where.label || t("search_centre")))
          .addTo(centre);
      }
      if (fit) {
        const bounds = L.latLngBounds(features.map((f) => [f.geometry.coordinates[1], f.geometry.coordinates[0]]));
        if (where) bounds.extend([where.lat, where.lon]);
        if (bounds.isValid()) frame(bounds, { padding: [30, 30], maxZoom: 15 });
      }
    },

    /** The overview of every place matching these search parameters (null: none). */
    overview(params) {
      overview.setFilters(params);
    },

    /** The markers of the next page, beside those shown (the map stays where it is). */
    append(features) {
      addMarkers(features);
    },

    /** The box shown, "min lon,min lat,max lon,max lat" (5 decimals: about a metre). */
    box() {
      const b = map.getBounds();
      const clamp = (value, limit) => Math.max(-limit, Math.min(limit, value));
      return [clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180), clamp(b.getNorth(), 90)]
        .map((value) => value.toFixed(5)).join(",");
    },

    /** Frame a box given as "min lon,min lat,max lon,max lat". */
    frameBox(box) {
      const [west, south, east, north] = box.split(",").map(Number);
      if ([west, south, east, north].every(Number.isFinite)) frame(L.latLngBounds([south, west], [north, east]), {});
    },

    /** After the map was hidden (phones: the list shown instead): its size, and the last framing. */
    refresh() {
      map.invalidateSize();
      if (pending) map.fitBounds(pending.bounds, pending.options);
      pending = null;
    },

    /** New opening states (live refresh) without moving the map. */
    updateStates(features) {
      for (const feature of features) {
        const entry = markers.get(String(feature.id));
        if (entry && entry.state !== feature.properties.opening.state) {
          entry.state = feature.properties.opening.state;
          setActive(feature.id, String(feature.id) === active);
        }
      }
    },

    highlight(id, on) {
      if (String(id) !== active) setActive(id, on);
    },

    /** Mark a place as selected; `pan` brings it into view (opening its cluster). */
    select(id, { pan = true } = {}) {
      if (active !== null) setActive(active, false);
      active = id === null ? null : String(id);
      const entry = active === null ? null : markers.get(active);
      if (!entry) return;
      setActive(active, true);
      if (pan) cluster.zoomToShowLayer(entry.marker, () => map.panTo(entry.marker.getLatLng()));
    },

    /** Draw boundary Features (GeoJSON); the first is the main one, the others context. */
    showBoundaries(features) {
      boundaries.clearLayers();
      features.forEach((feature, index) => {
        L.geoJSON(feature, {
          interactive: false,
          style: { className: index === 0 ? "gf-boundary gf-boundary--main" : "gf-boundary", fill: index === 0, fillOpacity: 0.05 },
        }).addTo(boundaries);
      });
    },

    fitBoundaries() {
      if (boundaries.getLayers().length) frame(boundaries.getBounds(), { padding: [10, 10] });
      return boundaries.getLayers().length ? boundaries.getBounds().getCenter() : null;
    },

    setView(lat, lon, zoom) {
      map.setView([lat, lon], zoom);
    },
  };
}
