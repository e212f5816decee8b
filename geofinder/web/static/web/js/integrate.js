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

  function chooseTerritory() {
    const text = territoryName.value.trim();
    const option = [...territoryOptions.options].find((o) => o.value === text);
    territory.value = option ? option.dataset.territory : "";
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
  update();
})();
