// The Leaflet map: clustered markers in sync with the list, the search centre, territory
// boundaries. Without a tile URL (offline) it still draws the boundaries and the markers.
/* global L */
import { config, h, t } from "./config.js";
import { symbolSVG } from "./symbols.js";

const FRANCE = { center: [46.6, 2.4], zoom: 6 };

function icon(state, active) {
  const size = active ? 38 : 28;
  return L.divIcon({
    className: `gf-marker gf-marker--${state}${active ? " gf-marker--active" : ""}`,
    html: symbolSVG(state, size),
    iconSize: [size, size],
    iconAnchor: [size / 2, size / 2],
    tooltipAnchor: [size / 2, 0],
  });
}

// Leaflet reads a string given to bindTooltip as HTML: names are given as an element holding text.
function text(value) {
  return h("span", {}, String(value));
}

export function createMap(element, { onSelect, onHover }) {
  const map = L.map(element, { zoomSnap: 0.5, maxZoom: 19 }).setView(FRANCE.center, FRANCE.zoom);
  if (config.tiles.url) {
    L.tileLayer(config.tiles.url, { attribution: config.tiles.attribution, maxZoom: 19 }).addTo(map);
  } else {
    element.classList.add("gf-map--offline");
    map.attributionControl.addAttribution(t("no_tiles"));
  }
  const boundaries = L.featureGroup().addTo(map);
  const centre = L.layerGroup().addTo(map);
  const cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40, spiderfyOnMaxZoom: true });
  map.addLayer(cluster);
  const markers = new Map(); // place id → {marker, state}
  let active = null;

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
      for (const feature of features) {
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
      if (where) {
        L.circleMarker([where.lat, where.lon], { radius: 6, color: "#000", weight: 2, fillColor: "#F0E442", fillOpacity: 1, interactive: false })
          .bindTooltip(text(where.label || t("search_centre")))
          .addTo(centre);
      }
      if (fit) {
        const bounds = L.latLngBounds(features.map((f) => [f.geometry.coordinates[1], f.geometry.coordinates[0]]));
        if (where) bounds.extend([where.lat, where.lon]);
        if (bounds.isValid()) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 15 });
      }
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
      if (boundaries.getLayers().length) map.fitBounds(boundaries.getBounds(), { padding: [10, 10] });
      return boundaries.getLayers().length ? boundaries.getBounds().getCenter() : null;
    },

    setView(lat, lon, zoom) {
      map.setView([lat, lon], zoom);
    },
  };
}
