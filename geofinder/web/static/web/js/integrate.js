// "Intégrer cette carte": builds the /embed/ address and the iframe snippet from the form, with
// a live preview (the same iframe, same origin).
(function () {
  const form = document.getElementById("gf-builder");
  const snippet = document.getElementById("b-snippet");
  const preview = document.getElementById("b-preview");
  const copied = document.getElementById("b-copied");
  const strings = JSON.parse(document.getElementById("gf-builder-strings").textContent);
  let timer = null;

  // The territory by its name: the datalist's départements and régions, communes from the
  // geocoding API as one types; the hidden field holds its kind:code.
  const territoryName = document.getElementById("b-territory-name");
  const territory = document.getElementById("b-territory");
  const territoryOptions = document.getElementById("b-territory-options");
  const territoryChosen = document.getElementById("b-territory-chosen");
  const fixedOptions = [...territoryOptions.options];
  let asked = "";
  let lookup = null;

  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, (_, name) => String(values[name] ?? ""));
  }

  // Framing by moving the map, as uMap's builder does: once the reader has moved or zoomed it,
  // its centre and zoom go into the code (the embed opens there and searches around that centre).
  const centerInput = form.elements.center;
  const zoomInput = form.elements.zoom;
  const framing = document.getElementById("b-framing");
  const unframe = document.getElementById("b-unframe");
  const mapElement = document.getElementById("b-map");
  const map = L.map(mapElement, { zoomSnap: 1, maxZoom: 19 }).setView([46.6, 2.4], 5);
  if (form.dataset.tileUrl) {
    L.tileLayer(form.dataset.tileUrl, { attribution: form.dataset.tileAttribution, maxZoom: 19 }).addTo(map);
  } else {
    map.attributionControl.addAttribution(strings.no_tiles);
  }
  const outline = L.featureGroup().addTo(map);
  let touched = false; // a move of the reader (drag, wheel, pinch, zoom buttons, keys), not of the page
  for (const type of ["pointerdown", "wheel", "keydown", "touchstart"]) {
    mapElement.addEventListener(type, () => { touched = true; }, { passive: true });
  }
  map.on("moveend", () => {
    if (!touched) return;
    touched = false;
    const centre = map.getCenter();
    centerInput.value = `${centre.lng.toFixed(5)},${centre.lat.toFixed(5)}`;
    zoomInput.value = String(Math.round(map.getZoom()));
    showFraming();
    update();
  });

  function showFraming() {
    const framed = Boolean(centerInput.value.trim());
    framing.textContent = framed ? format(strings.framed, { zoom: zoomInput.value || 13 }) : strings.framing_auto;
    unframe.hidden = !framed;
  }

  unframe.addEventListener("click", () => {
    centerInput.value = "";
    zoomInput.value = "";
    showFraming();
    update();
    if (outline.getLayers().length) map.fitBounds(outline.getBounds(), { padding: [10, 10] });
    mapElement.focus();
  });

  // A centre typed by hand (advanced settings) moves the map there.
  for (const input of [centerInput, zoomInput]) {
    input.addEventListener("change", () => {
      const [lon, lat] = centerInput.value.split(",").map((v) => Number(v.trim()));
      if (centerInput.value.trim() && Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lon) <= 180 && Math.abs(lat) <= 90) {
        touched = false;
        map.setView([lat, lon], Number(zoomInput.value) || 13);
      }
      showFraming();
    });
  }

  // The chosen territory's outline; the map frames it unless the reader framed it by hand.
  let outlined = "";
  async function showTerritory() {
    const value = territory.value;
    if (value === outlined) return;
    outlined = value;
    outline.clearLayers();
    if (!value) return;
    const [kind, code] = value.split(":");
    const response = await fetch(`${form.dataset.territoriesUrl}${kind}/${encodeURIComponent(code)}/`, { headers: { Accept: "application/json" } });
    if (!response.ok || territory.value !== value) return;
    const feature = await response.json();
    L.geoJSON(feature, { interactive: false, style: { className: "gf-boundary gf-boundary--main", fill: true, fillOpacity: 0.05 } }).addTo(outline);
    if (!centerInput.value.trim()) {
      touched = false;
      map.fitBounds(outline.getBounds(), { padding: [10, 10] });
    }
  }

  function chooseTerritory() {
    const text = territoryName.value.trim();
    const option = [...territoryOptions.options].find((o) => o.value === text);
    territory.value = option ? option.dataset.territory : "";
    showTerritory();
    territoryChosen.textContent = !text ? strings.territory_none
      : option ? format(strings.territory_chosen, { name: `${option.value} (${option.textContent})` }) : strings.territory_unknown;
  }

  territoryName.addEventListener("input", () => {
    chooseTerritory();
    const text = territoryName.value.trim();
    clearTimeout(lookup);
    if (text.length < 2 || text === asked || territory.value) return;
    lookup = setTimeout(async () => {
      asked = text;
      const response = await fetch(`${form.dataset.geocodeUrl}?${new URLSearchParams({ q: text, limit: 8 })}`, { headers: { Accept: "application/json" } });
      if (!response.ok || territoryName.value.trim() !== text) return;
      const body = await response.json();
      const communes = body.results.filter((r) => r.kind === "commune" && r.commune_code).map((r) => {
        const option = document.createElement("option");
        option.value = r.label;
        option.dataset.territory = `commune:${r.commune_code}`;
        option.textContent = strings.commune;
        return option;
      });
      territoryOptions.replaceChildren(...communes, ...fixedOptions);
      chooseTerritory();
      update();
    }, 200);
  });

  function embedURL() {
    const data = new FormData(form);
    const params = new URLSearchParams();
    for (const name of ["where", "center", "zoom", "territory", "radius", "open"]) {
      const value = (data.get(name) || "").trim();
      if (value) params.set(name, value);
    }
    for (const name of ["services", "categories"]) {
      const values = data.getAll(name);
      if (values.length) params.set(name, values.join(","));
    }
    if (params.get("center")) params.delete("where");
    params.set("accent", data.get("accent"));
    params.set("lang", data.get("lang"));
    return new URL(`${form.dataset.embedUrl}?${params}`, window.location.origin).toString();
  }

  function escapeAttribute(text) {
    return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  }

  function update() {
    const url = embedURL();
    const height = Math.min(Math.max(Number(form.elements.height.value) || 520, 300), 1200);
    snippet.value = `<iframe src="${escapeAttribute(url)}" title="${escapeAttribute(strings.title)}" width="100%" height="${height}" style="border:0" loading="lazy"></iframe>`;
    preview.height = String(height);
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (preview.src !== url) preview.src = url;
    }, 400);
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("submit", (event) => event.preventDefault());
  document.getElementById("b-copy").addEventListener("click", async () => {
    snippet.select();
    try {
      await navigator.clipboard.writeText(snippet.value);
      copied.textContent = strings.copied;
    } catch {
      copied.textContent = strings.copy_by_hand;
    }
  });
  showFraming();
  update();
})();
