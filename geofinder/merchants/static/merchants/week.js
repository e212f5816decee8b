// The week editor's live preview: each change asks the server (the search's own evaluator)
// for the value the days make, today's status and the next 7 days, and shows them as text.
(function () {
  const form = document.getElementById("gf-place-form");
  if (!form) return;
  const raw = document.getElementById("id_opening_hours");
  const status = document.getElementById("gf-preview-status");
  const list = document.getElementById("gf-preview-days");
  // The page's words, in its language (data-* of the preview, translated by the server).
  const words = document.getElementById("gf-hours-preview").dataset;
  let timer = null;
  let sequence = 0;

  function params() {
    const data = new FormData(form);
    const query = new URLSearchParams({ place: form.dataset.place || "", hours_mode: data.get("hours_mode") || "raw",
      opening_hours: raw.value, ph: data.get("ph") || "", ph_ranges: data.get("ph_ranges") || "",
      lon: data.get("lon") || "", lat: data.get("lat") || "" });
    if (data.get("school_on")) query.set("school_on", "1");
    for (const day of ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]) {
      query.set(`day_${day}`, data.get(`day_${day}`) || "");
      query.set(`sh_${day}`, data.get(`sh_${day}`) || "");
    }
    return query;
  }

  function item(text) {
    const li = document.createElement("li");
    li.textContent = text;
    return li;
  }

  async function preview() {
    const mine = ++sequence;
    const response = await fetch(`${form.dataset.previewUrl}?${params()}`, { headers: { Accept: "application/json" } });
    const body = await response.json();
    if (mine !== sequence) return;
    if (body.error) {
      status.textContent = body.error;
      status.className = "gf-preview-error";
      list.replaceChildren();
      return;
    }
    status.className = "";
    if (params().get("hours_mode") === "week") raw.value = body.opening_hours;
    status.textContent = body.status ? `${words.now} ${body.status.label}` : words.unknown;
    list.replaceChildren(...body.days.map((day) =>
      item(`${day.weekday} ${day.date}${day.today ? ` (${words.today})` : ""} : ${day.intervals.length ? day.intervals.join(", ") : words.closed}${day.note ? ` — ${day.note}` : ""}`)));
  }

  form.addEventListener("input", (event) => {
    if (event.target === raw) form.querySelector("input[name=hours_mode][value=raw]").checked = true;
    clearTimeout(timer);
    timer = setTimeout(preview, 250);
  });
  form.addEventListener("change", () => { clearTimeout(timer); timer = setTimeout(preview, 100); });
  preview();
})();
