// "Intégrer cette carte": builds the /embed/ address and the iframe snippet from the form, with
// a live preview (the same iframe, same origin).
(function () {
  const form = document.getElementById("gf-builder");
  const snippet = document.getElementById("b-snippet");
  const preview = document.getElementById("b-preview");
  const copied = document.getElementById("b-copied");
  const strings = JSON.parse(document.getElementById("gf-builder-strings").textContent);
  let timer = null;

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
