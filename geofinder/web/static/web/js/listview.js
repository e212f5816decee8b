// The results list: a complete alternative to the map (names, categories, distances, opening
// labels as text), each result a button that selects the place.
import { h } from "./config.js";
import { openingLabel } from "./opening.js";
import { symbolElement } from "./symbols.js";
import { addressText, categoryLabel, distanceText } from "./format.js";

export function createList(element, { onSelect, onHover }) {
  const items = new Map(); // place id → {li, button, label, feature}

  function openingLine(feature) {
    const opening = feature.properties.opening;
    return h("span", { class: `gf-opening gf-opening--${opening.state}` }, symbolElement(opening.state), " ",
      h("span", { class: "gf-opening-label" }, openingLabel(opening)));
  }

  return {
    show(features) {
      element.replaceChildren();
      items.clear();
      this.append(features);
    },

    /** Add the places of the next page after those shown (a place already shown is skipped). */
    append(features) {
      const added = [];
      for (const feature of features) {
        if (items.has(String(feature.id))) continue;
        const p = feature.properties;
        const opening = openingLine(feature);
        const button = h("button", { type: "button", class: "gf-result", "data-id": feature.id },
          h("span", { class: "gf-result-name" }, p.name),
          h("span", { class: "gf-result-meta" }, categoryLabel(p.category), p.distance_m !== null ? ` · ${distanceText(p.distance_m)}` : ""),
          opening,
          h("span", { class: "gf-result-address" }, addressText(p)),
        );
        button.addEventListener("click", () => onSelect(feature.id, { from: "list" }));
        button.addEventListener("mouseenter", () => onHover(feature.id, true));
        button.addEventListener("mouseleave", () => onHover(feature.id, false));
        button.addEventListener("focus", () => onHover(feature.id, true));
        button.addEventListener("blur", () => onHover(feature.id, false));
        const li = h("li", { class: "gf-results-item", "data-id": feature.id }, button);
        element.append(li);
        items.set(String(feature.id), { li, button, opening, feature });
        added.push(feature);
      }
      return added;
    },

    /** Refresh the opening labels (every minute) and, when given, the features' statuses. */
    refreshLabels(features = null) {
      for (const feature of features || []) {
        const item = items.get(String(feature.id));
        if (item) item.feature = feature;
      }
      for (const item of items.values()) {
        const fresh = openingLine(item.feature);
        item.opening.replaceWith(fresh);
        item.opening = fresh;
      }
    },

    highlight(id, on) {
      items.get(String(id))?.li.classList.toggle("is-hovered", on);
    },

    select(id, { scroll = true } = {}) {
      for (const item of items.values()) item.button.removeAttribute("aria-current");
      const item = items.get(String(id));
      if (!item) return;
      item.button.setAttribute("aria-current", "true");
      if (scroll) item.li.scrollIntoView({ block: "nearest" });
    },

    focus(id) {
      items.get(String(id))?.button.focus();
    },

    feature(id) {
      return items.get(String(id))?.feature || null;
    },

    features() {
      return [...items.values()].map((item) => item.feature);
    },
  };
}

