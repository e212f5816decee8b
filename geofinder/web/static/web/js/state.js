// The search state, the API parameters it gives, and the permalink that restores it.

export const SERVICES = ["click_and_collect", "delivery", "takeaway", "appointment"];
export const RESULT_LIMIT = 30;
// "Voir plus" pages a permalink may reopen (MAX_PAGES × RESULT_LIMIT places at most).
export const MAX_PAGES = 10;

export function emptyState() {
  return { what: "", category: "", where: "", near: "", bbox: "", radius: "", open: false, services: [], territory: "", place: "", pages: 1 };
}

/** The state encoded in a query string (the permalink of `/`, or the parameters of `/embed/`). */
export function stateFromQuery(search) {
  const query = new URLSearchParams(search);
  const list = (name) => (query.get(name) || "").split(",").map((s) => s.trim()).filter(Boolean);
  return {
    what: query.get("what") || "",
    category: list("category").join(","),
    where: query.get("where") || "",
    near: query.get("near") || "",
    bbox: query.get("bbox") || "",
    radius: query.get("radius") || "",
    open: openFromQuery(query.get("open")),
    services: list("services").filter((s) => SERVICES.includes(s)),
    territory: query.get("territory") || "",
    place: query.get("place") || "",
    pages: pagesFromQuery(query.get("pages")),
  };
}

/** The number of pages "Voir plus" had shown: a whole number from 1 to MAX_PAGES (1 otherwise). */
function pagesFromQuery(value) {
  const pages = /^\d{1,3}$/.test((value || "").trim()) ? Number(value) : 1;
  return Math.min(Math.max(pages, 1), MAX_PAGES);
}

/** The `open` of a query string, as the API reads it: true for now (now, maintenant, true, 1,
 * yes, on, oui), a date-time as it is (the API checks it), false for nothing. */
function openFromQuery(value) {
  const word = (value || "").trim().toLowerCase();
  if (["now", "maintenant", "true", "1", "yes", "on", "oui"].includes(word)) return true;
  if (["", "false", "0", "no", "off", "non"].includes(word)) return false;
  return value.trim();
}

/** Parameters of GET /api/v1/places/ for a state (the one search path of the page). */
export function apiParams(state) {
  const params = {};
  if (state.category) params.category = state.category;
  else if (state.what) params.what = state.what;
  if (state.near) params.near = state.near;
  else if (state.where) params.where = state.where;
  // "Rechercher dans cette zone": the places of the map's box, nearest to its centre first.
  if (state.bbox) params.bbox = state.bbox;
  if (state.radius) params.radius = state.radius;
  if (state.open) params.open = state.open === true ? "now" : state.open;
  if (state.services.length) params.services = state.services.join(",");
  if (state.territory) params.territory = state.territory;
  return params;
}

/** The address of the export of a state's search (every match), as GeoJSON or CSV. */
export function exportUrl(template, state, format, extra = {}) {
  const query = new URLSearchParams({ ...apiParams(state), ...extra }).toString();
  return `${template.replace("{format}", format)}?${query}`;
}

/** The query string of the permalink: the search, its filters, the pages "Voir plus" showed
 * and the selected place. */
export function permalinkQuery(state) {
  const params = apiParams(state);
  if (state.pages > 1) params.pages = String(state.pages);
  if (state.place) params.place = state.place;
  return new URLSearchParams(params).toString();
}

export function hasLocation(state) {
  return Boolean(state.where || state.near || state.bbox);
}
