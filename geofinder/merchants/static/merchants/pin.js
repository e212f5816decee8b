// The pin of a place's position: click the map or drag the pin; the longitude and latitude
// fields follow (and the pin follows them when typed). Nothing typed becomes markup.
(function () {
  const element = document.getElementById("gf-pin-map");
  const lon = document.getElementById("id_lon");
  const lat = document.getElementById("id_lat");
  if (!element || !lon || !lat || typeof L === "undefined") return;
  const start = [parseFloat(lat.value) || 43.6045, parseFloat(lon.value) || 1.4440];
  const map = L.map(element).setView(start, lat.value ? 17 : 11);
  const tiles = element.dataset.tileUrl;
  if (tiles) L.tileLayer(tiles, { maxZoom: 19, attribution: "© OpenStreetMap" }).addTo(map);
  const marker = L.marker(start, { draggable: true, keyboard: true, title: element.getAttribute("aria-label") }).addTo(map);
  function write(latlng) {
    lon.value = latlng.lng.toFixed(7);
    lat.value = latlng.lat.toFixed(7);
  }
  marker.on("dragend", () => write(marker.getLatLng()));
  map.on("click", (event) => { marker.setLatLng(event.latlng); write(event.latlng); });
  function read() {
    const point = [parseFloat(lat.value), parseFloat(lon.value)];
    if (Number.isFinite(point[0]) && Number.isFinite(point[1])) { marker.setLatLng(point); map.panTo(point); }
  }
  lon.addEventListener("change", read);
  lat.addEventListener("change", read);
  // The address typed, through the search's gazetteer (/api/v1/geocode/): its best answer.
  const button = document.getElementById("gf-pin-address");
  const status = document.getElementById("gf-pin-status");
  if (button) {
    button.addEventListener("click", async () => {
      const text = ["id_street", "id_postcode", "id_city"].map((id) => (document.getElementById(id) || {}).value || "")
        .filter(Boolean).join(" ");
      const response = await fetch(`${button.dataset.geocodeUrl}?${new URLSearchParams({ q: text })}`);
      const body = response.ok ? await response.json() : { results: [] };
      const best = (body.results || [])[0];
      if (!best) { status.textContent = "Adresse introuvable : placez l’épingle sur la carte."; return; }
      const point = L.latLng(best.lat, best.lon);
      marker.setLatLng(point);
      map.setView(point, 16);
      write(point);
      status.textContent = best.label;
    });
  }
})();
