// The search form: what + where with autocomplete (categories; communes and postcodes), "Autour
// de moi" from the browser's geolocation, and the filters. Reads and writes the search state.
import { config, getJSON, h, t } from "./config.js";
import { emptyState } from "./state.js";
import { categoryLabel } from "./format.js";

const TERRITORY_KINDS = { commune: "territory_commune", department: "territory_department", region: "territory_region" };

export function createForm(form, { onSearch, onBoundaries, onMessage }) {
  const field = (id) => form.querySelector(`#${id}`);
  const what = field("gf-what");
  const where = field("gf-where");
  const category = field("gf-category");
  const radius = field("gf-radius");
  const open = field("gf-open");
  const territory = field("gf-territory");
  const boundaries = field("gf-boundaries");
  const locate = field("gf-locate");
  const whereOptions = document.getElementById("gf-where-options");
  const whatOptions = document.getElementById("gf-what-options");
  let near = ""; // "lon,lat" of "Autour de moi" (or the embed's centre), shown as nearLabel
  let nearLabel = "";
  let bbox = ""; // the map's box of "Rechercher dans cette zone", shown as t("map_area")
  const filters = form.querySelector(".gf-filters");
  const phone = window.matchMedia("(max-width: 48rem)");
  // Phones: the filters folded, so that the results come into view after a search.
  if (phone.matches) filters.open = false;

  // Categories: autocomplete of "what" and the category filter (kept if the embed fixed them).
  function loadCategories(families) {
    if (!category.dataset.fixed) {
      const value = category.value;
      for (const family of families) {
        const group = h("optgroup", { label: config.lang === "en" ? family.label_en || family.label : family.label });
        for (const c of family.categories) {
          // A category without any place is shown as such, and cannot be chosen.
          const empty = c.has_places === false;
          group.append(h("option", { value: c.slug, disabled: empty && c.slug !== value },
            empty ? t("category_empty", { label: categoryLabel(c) }) : categoryLabel(c)));
        }
        category.append(group);
      }
      // The option written from the permalink before the taxonomy came: now a real one, if any.
      if ([...category.options].some((o) => o.value === value && !o.dataset.provisional)) {
        for (const option of category.querySelectorAll("option[data-provisional]")) option.remove();
      }
      category.value = value;
    }
    const labels = families.flatMap((f) => f.categories.filter((c) => c.has_places !== false).map((c) => categoryLabel(c)));
    whatOptions.replaceChildren(...labels.map((label) => h("option", { value: label })));
  }

  // Communes and postcodes, as the resident types.
  let timer = null;
  let asked = "";
  where.addEventListener("input", () => {
    near = "";
    bbox = "";
    clearTimeout(timer);
    const text = where.value.trim();
    if (text.length < 2 || text === asked) return;
    timer = setTimeout(async () => {
      asked = text;
      const answer = await getJSON(config.api.geocode, { q: text, limit: 8 });
      if (answer.ok && where.value.trim() === text) {
        whereOptions.replaceChildren(...answer.body.results.map((r) => h("option", { value: r.label })));
      }
    }, 200);
  });

  what.addEventListener("input", () => {
    if (!category.dataset.fixed) category.value = "";
  });
  category.addEventListener("change", () => {
    if (category.value && !category.dataset.fixed) what.value = "";
  });

  locate.addEventListener("click", () => {
    if (!navigator.geolocation) {
      onMessage(t("geolocation_unavailable"));
      return;
    }
    onMessage(t("locating"));
    navigator.geolocation.getCurrentPosition(
      (position) => {
        near = `${position.coords.longitude.toFixed(5)},${position.coords.latitude.toFixed(5)}`;
        bbox = "";
        nearLabel = t("around_me");
        where.value = nearLabel;
        onSearch({ fit: true });
      },
      () => onMessage(t("geolocation_refused")),
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 60000 },
    );
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (phone.matches) filters.open = false;
    onSearch({ fit: true, reveal: true });
  });
  for (const input of [category, radius, open, territory, ...form.querySelectorAll("input[name=services]")]) {
    input.addEventListener("change", () => onSearch({ fit: input !== open }));
  }
  boundaries.addEventListener("change", () => onBoundaries(boundaries.checked));

  function setTerritoryOptions(options, selected) {
    const keep = territory.querySelector("option[value='']");
    const choices = [...options];
    if (selected && !choices.some((o) => o.value === selected)) choices.push({ value: selected, label: selected });
    territory.replaceChildren(keep, ...choices.map((o) => h("option", { value: o.value }, o.label)));
    territory.value = selected || "";
  }

  return {
    loadCategories,

    read() {
      const state = emptyState();
      state.what = what.value.trim();
      state.category = category.value;
      const typed = where.value.trim();
      if (bbox && typed === t("map_area")) state.bbox = bbox;
      else if (near && typed === nearLabel) state.near = near;
      else state.where = typed;
      state.radius = radius.value;
      state.open = open.checked;
      state.services = [...form.querySelectorAll("input[name=services]:checked")].map((i) => i.value);
      state.territory = territory.value;
      return state;
    },

    write(state, label = t("around_me")) {
      what.value = state.what;
      if (state.category && !category.querySelector(`option[value="${CSS.escape(state.category)}"]`)) {
        category.append(h("option", { value: state.category, "data-provisional": true }, state.category));
      }
      category.value = state.category;
      near = state.near;
      nearLabel = label;
      bbox = state.bbox && !state.near && !state.where ? state.bbox : "";
      where.value = bbox ? t("map_area") : state.near ? nearLabel : state.where;
      if (state.radius && !radius.querySelector(`option[value="${CSS.escape(state.radius)}"]`)) {
        radius.append(h("option", { value: state.radius }, `${state.radius} m`));
      }
      radius.value = state.radius;
      open.checked = state.open;
      for (const input of form.querySelectorAll("input[name=services]")) input.checked = state.services.includes(input.value);
      setTerritoryOptions([], state.territory);
    },

    /** Territory choices around the search location: its commune, département and région. */
    offerTerritories(commune, selected) {
      const options = [];
      if (commune) {
        const p = commune.properties;
        options.push({ value: `commune:${p.code}`, label: t(TERRITORY_KINDS.commune, { name: p.name }) });
        if (p.department) options.push({ value: `department:${p.department.code}`, label: t(TERRITORY_KINDS.department, { name: p.department.name }) });
        if (p.region) options.push({ value: `region:${p.region.code}`, label: t(TERRITORY_KINDS.region, { name: p.region.name }) });
      }
      setTerritoryOptions(options, selected);
    },

    /** The words shown in "Où ?" for `near` ("Autour de moi", the embed's centre or territory). */
    currentNearLabel() {
      return nearLabel;
    },

    boundariesWanted() {
      return boundaries.checked;
    },

  };
}
