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
})();
