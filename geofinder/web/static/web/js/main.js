// The residents' map page and the embed: one search (GET /api/v1/places/), a map and a list
// kept in sync, a detail panel, live opening labels and a permalink.
import { config, getJSON, h, t } from "./config.js";
import { apiParams, emptyState, exportUrl, hasLocation, MAX_PAGES, permalinkQuery, RESULT_LIMIT, stateFromQuery } from "./state.js";
import { isStale } from "./opening.js";
import { categoryLabel, distanceText, ofPlace, rememberCategories } from "./format.js";
import { symbolElement } from "./symbols.js";
import { createMap } from "./mapview.js";
import { createList } from "./listview.js";
import { createDetail } from "./detail.js";
import { createForm } from "./form.js";

const REFRESH_MS = 60 * 1000;
// Results all within this many metres are "près de" the place; farther, their distances are said.
const NEAR_M = 5000;
const status = document.getElementById("gf-status");
const explanation = document.getElementById("gf-explain");
const errors = document.getElementById("gf-errors");
const more = document.getElementById("gf-more");
const searchArea = document.getElementById("gf-search-area");
const layout = document.querySelector(".gf-layout");
const phone = window.matchMedia("(max-width: 48rem)");
const embed = config.embed;
let state = embed ? { ...emptyState(), ...embed.state } : stateFromQuery(window.location.search);
let lastWhere = null;
let searchCount = 0;
let nextAfter = null; // the cursor of the next page (next_after of the last answer)
let nearLabel = t("around_me");

const map = createMap(document.getElementById("gf-map"), {
  onSelect: select,
  onHover: hover,
  // The reader moved the map: offer to search the area it shows.
  onUserMove: () => { if (lastWhere) searchArea.hidden = false; },
});
const list = createList(document.getElementById("gf-results"), { onSelect: select, onHover: hover });
const detail = createDetail(document.getElementById("gf-detail"), { onClose: closed });
const form = createForm(document.getElementById("gf-search"), {
  onSearch: (options) => {
    state = { ...form.read(), place: "" };
    search(options);
  },
  onBoundaries: drawBoundaries,
  onMessage: say,
});

function say(message) {
  status.textContent = message;
}

function showErrors(body) {
  errors.hidden = !body;
  if (!body) {
    errors.replaceChildren();
    return;
  }
  const messages = errorMessages(body);
  const candidates = (body.hints && body.hints.where) || [];
  const retry = (candidate) => {
    state = { ...state, where: candidate.label, near: "", place: "" };
    form.write(state);
    search({ fit: true });
  };
  errors.replaceChildren(...[
    h("p", {}, t("search_failed")),
    h("ul", {}, messages.map((message) => h("li", {}, message))),
    candidates.length ? h("p", {}, t("did_you_mean")) : null,
    candidates.length
      ? h("ul", {}, candidates.map((c) => h("li", {}, h("button", { type: "button", class: "gf-link", onclick: () => retry(c) }, c.label))))
      : null,
  ].filter(Boolean));
}

// The API answers in English; the page says in its own language which field is wrong.
const FIELD_ERRORS = {
  where: "error_where", near: "error_where", what: "error_what", category: "error_category", radius: "error_radius",
  open: "error_open", territory: "error_territory", services: "error_services", bbox: "error_bbox", after: "error_after",
};

function errorMessages(body) {
  if (!body || !body.errors || !Object.keys(body.errors).length) return [t(body && body.status === 503 ? "error_busy" : "error_other")];
  // The place as typed (text, never markup: t() fills it in, h() makes a text node of it).
  return Object.keys(body.errors).map((field) => t(FIELD_ERRORS[field] || "error_other", { value: state.where }));
}

function updatePermalink() {
  const query = permalinkQuery(state);
  if (!embed) window.history.replaceState(null, "", query ? `?${query}` : window.location.pathname);
  for (const link of document.querySelectorAll("[data-keep-query]")) {
    link.search = query;
  }
  updateExports();
}

/** The "Exporter" menu: every place of the current search, as a file. */
function updateExports() {
  const menu = document.getElementById("gf-export");
  menu.hidden = !hasLocation(state);
  if (menu.hidden) return;
  const links = {
    "gf-export-csv-fr": exportUrl(config.api.export, state, "csv", { dialect: "excel-fr" }),
    "gf-export-csv": exportUrl(config.api.export, state, "csv"),
    // Flat properties: the CSV's columns, which QGIS shows as the layer's attribute table.
    "gf-export-geojson": exportUrl(config.api.export, state, "geojson", { properties: "flat" }),
  };
  for (const [id, href] of Object.entries(links)) document.getElementById(id).setAttribute("href", href);
}

/** The search's place as the strings' %(where)s: with its preposition in French ("de Labège",
 * "d’Albi", "de vous"), the name alone in English. */
function placeWords(where) {
  const near = form.currentNearLabel();
  if (state.near && near === t("around_me")) return { where: t("of_you") };
  if (state.near && near === t("map_centre")) return { where: t("of_map_centre") };
  return { where: ofPlace(state.near ? near : where.label) };
}

/** What the answer holds, its distances said truthfully: "près de" only when every place is
 * within NEAR_M, the distances otherwise. */
function summary(body, shown) {
  // An embed's territory, named when the search is still limited to it: "en Haute-Garonne".
  const scope = embed && embed.territory && state.territory === embed.territory.value ? embed.territory.in : "";
  const words = { ...placeWords(body.where), in: scope };
  const scoped = (key, values) => t(scope ? `${key}_in` : key, values);
  if (state.bbox && !state.near && !state.where) {
    if (!shown.length) return t("no_results_area");
    return t(shown.length === 1 ? "result_one_area" : "results_area", { count: shown.length });
  }
  if (!shown.length) return scoped("no_results", words);
  const first = shown[0].properties.distance_m;
  const last = shown[shown.length - 1].properties.distance_m;
  if (last <= NEAR_M) return scoped(shown.length === 1 ? "result_one" : "results_count", { count: shown.length, ...words });
  if (shown.length === 1) return scoped("result_one_at", { distance: distanceText(first), ...words });
  return scoped("results_range", { count: shown.length, from: distanceText(first), to: distanceText(last), ...words });
}

/** Why a list is empty or thin, with a way out: hours unknown (open now), nothing within the
 * filters, or no place of that category at all. */
async function explain(body, number) {
  const notes = [];
  const what = body.what.categories.length === 1 ? categoryLabel(body.what.categories[0]) : null;
  let looseCount = null;
  if (state.open) {
    const all = await getJSON(config.api.places, { ...apiParams({ ...state, open: false }), limit: RESULT_LIMIT });
    if (number !== searchCount || !all.ok) return;
    looseCount = all.body.count;
    const shownIds = new Set(body.features.map((f) => f.id));
    const others = all.body.features.filter((f) => !shownIds.has(f.id));
    const unknown = others.filter((f) => f.properties.opening.state === "unknown").length;
    const showAll = { label: t("show_without_open"), action: () => { state = { ...state, open: false }; form.write(state, form.currentNearLabel()); search({ fit: true }); } };
    if (unknown && unknown === others.length && !body.count) notes.push({ text: t("none_with_hours", { count: unknown }), ...showAll });
    else if (unknown) notes.push({ text: t("some_without_hours", { count: unknown }), ...showAll });
    else if (others.length && !body.count) notes.push({ text: t("none_open_now", { count: others.length }), ...showAll });
  }
  if (!body.count && !looseCount) {
    const filtered = state.radius || state.territory || state.services.length || (state.bbox && (state.near || state.where));
    let nearest = null;
    if (filtered || state.open) {
      const loose = { ...state, open: false, radius: "", territory: "", services: [], bbox: state.near || state.where ? "" : state.bbox };
      const answer = await getJSON(config.api.places, { ...apiParams(loose), limit: 1 });
      if (number !== searchCount || !answer.ok) return;
      nearest = answer.body.features[0] || null;
    }
    if (nearest && filtered) {
      notes.push({
        text: t("none_within_filters", { distance: distanceText(nearest.properties.distance_m), ...placeWords(body.where) }),
        label: t("remove_filters"),
        action: () => { state = { ...state, radius: "", territory: "", services: [] }; form.write(state, form.currentNearLabel()); search({ fit: true }); },
      });
    } else if (!nearest && state.bbox && !state.near && !state.where) {
      notes.push({ text: what ? t("no_category_in_area", { category: what }) : t("no_results_area") });
    } else if (!nearest) {
      notes.push({ text: what ? t("no_category_here", { category: what }) : body.what.name_query ? t("no_name_here", { name: body.what.name_query }) : t("nothing_here") });
    }
  }
  explanation.replaceChildren(...notes.map((note) => h("p", {}, note.text, note.action ? " " : "",
    note.action ? h("button", { type: "button", class: "gf-link", onclick: note.action }, note.label) : null)));
  explanation.hidden = !notes.length;
}

/** The next page: the places after the last one shown, in the same order; kept in the
 * permalink (pages=), so that a shared link reopens the same list. False if it failed. */
async function loadMore(number) {
  const answer = await getJSON(config.api.places, { ...apiParams(state), limit: RESULT_LIMIT, after: nextAfter });
  if (number !== searchCount) return false;
  if (!answer.ok) {
    showErrors(answer.body);
    return false;
  }
  const added = list.append(answer.body.features);
  map.append(added);
  nextAfter = answer.body.next_after;
  more.hidden = !nextAfter;
  state.pages = Math.min((state.pages || 1) + 1, MAX_PAGES);
  if (state.pages >= MAX_PAGES) more.hidden = true;
  updatePermalink();
  say(summary(lastAnswer, list.features()));
  return added;
}

async function showMore() {
  if (!nextAfter) return;
  more.disabled = true;
  const added = await loadMore(searchCount);
  more.disabled = false;
  if (added && added.length) list.focus(added[0].id);
}
more.addEventListener("click", showMore);

/** Phones: the list or the map. */
function showView(view) {
  layout.dataset.view = view;
  document.getElementById("gf-show-list").setAttribute("aria-pressed", String(view === "list"));
  document.getElementById("gf-show-map").setAttribute("aria-pressed", String(view === "map"));
  if (view === "map") map.refresh();
}
document.getElementById("gf-show-list").addEventListener("click", () => showView("list"));
document.getElementById("gf-show-map").addEventListener("click", () => showView("map"));

searchArea.addEventListener("click", () => {
  state = { ...state, where: "", near: "", bbox: map.box(), place: "" };
  form.write(state, form.currentNearLabel());
  searchArea.hidden = true;
  search({ fit: false });
});

let lastAnswer = null;
let revealNext = false; // a search asked to bring its results into view (kept by a newer one)

/** Run the current state's search; `fit` frames the results, `quiet` only refreshes them,
 * `reveal` brings the results into view (phones, after the form was sent). */
async function search({ fit = true, quiet = false, reveal = false, pages = 1 } = {}) {
  // A new list starts with one page; `pages` reopens those of a shared link (or a refresh).
  const wantedPages = quiet ? state.pages : Math.min(pages, MAX_PAGES);
  if (!quiet) state.pages = 1;
  updatePermalink();
  if (!hasLocation(state)) {
    say(t("give_a_place"));
    return;
  }
  // A search of the map's area keeps the map where the reader put it.
  if (state.bbox && !state.near && !state.where) fit = false;
  const number = ++searchCount;
  if (!quiet) {
    say(t("searching"));
    searchArea.hidden = true;
  }
  revealNext = revealNext || reveal;
  if (revealNext && phone.matches) document.querySelector(".gf-view-switch").scrollIntoView({ block: "start" });
  const answer = await getJSON(config.api.places, { ...apiParams(state), limit: RESULT_LIMIT });
  if (number !== searchCount) return; // a newer search has started
  if (!answer.ok) {
    showErrors(answer.body ? { ...answer.body, status: answer.status } : { status: answer.status });
    say(t("search_failed"));
    explanation.hidden = true;
    more.hidden = true;
    return;
  }
  showErrors(null);
  const body = answer.body;
  if (quiet) {
    list.refreshLabels(body.features);
    map.updateStates(body.features);
  } else {
    list.show(body.features);
    map.show(body.features, state.near && body.where ? { ...body.where, label: form.currentNearLabel() } : body.where, { fit });
    map.overview(apiParams(state));
    nextAfter = body.next_after;
    more.hidden = !nextAfter;
    explanation.hidden = true;
    lastAnswer = body;
  }
  lastWhere = body.where;
  const suggestions = (body.what.suggestions || []).map((s) => s.label).join(", ");
  // How the words were read (a name first, filters, words not understood): French, from the API.
  const reading = body.what.message || "";
  say(summary(body, quiet ? list.features() : body.features)
    + (suggestions ? ` ${t("suggestions", { list: suggestions })}` : "")
    + (reading ? ` ${reading}` : ""));
  if (!quiet && (body.count === 0 || (state.open && body.count < RESULT_LIMIT))) explain(body, number);
  if (revealNext && phone.matches) document.querySelector(".gf-view-switch").scrollIntoView({ block: "start" });
  revealNext = false;
  if (!quiet) {
    drawBoundaries(form.boundariesWanted());
    while (state.pages < wantedPages && nextAfter) {
      if (!(await loadMore(number))) return;
    }
    if (state.place) select(state.place, { from: "permalink" });
  }
}

const boundaryCache = new Map();
async function boundary(value) {
  if (!boundaryCache.has(value)) {
    const [kind, code] = value.split(":");
    boundaryCache.set(value, getJSON(`${config.api.territories}${kind}/${encodeURIComponent(code)}/`).then((a) => (a.ok ? a.body : null)));
  }
  return boundaryCache.get(value);
}

/** Territory boundaries: the chosen territory, else the commune of the search and its département. */
async function drawBoundaries(wanted) {
  const commune = lastWhere && lastWhere.commune_code ? await boundary(`commune:${lastWhere.commune_code}`) : null;
  form.offerTerritories(commune, state.territory);
  if (!wanted) {
    map.showBoundaries([]);
    return;
  }
  const keys = state.territory ? [state.territory] : [];
  if (commune) {
    if (!state.territory) keys.push(`commune:${commune.properties.code}`);
    if (commune.properties.department) keys.push(`department:${commune.properties.department.code}`);
  }
  const features = (await Promise.all([...new Set(keys)].map(boundary))).filter(Boolean);
  map.showBoundaries(features);
}

function hover(id, on) {
  map.highlight(id, on);
  list.highlight(id, on);
}

async function select(id, { from = "list" } = {}) {
  state.place = String(id);
  updatePermalink();
  list.select(id, { scroll: from !== "list" });
  map.select(id, { pan: from !== "map" });
  const answer = await getJSON(`${config.api.places}${encodeURIComponent(id)}/`);
  if (!answer.ok || state.place !== String(id)) return;
  const known = list.feature(id);
  const feature = answer.body;
  if (known) feature.properties.distance_m = known.properties.distance_m;
  detail.show(feature, { focus: from !== "permalink" });
}

function closed(id) {
  state.place = "";
  updatePermalink();
  map.select(null);
  list.select(null);
  list.focus(id);
}

// Live opening labels: rewritten every minute; asked again from the API when a status expires.
setInterval(() => {
  const now = new Date();
  list.refreshLabels();
  detail.refreshLabel();
  const shown = detail.current();
  if (list.features().some((f) => isStale(f.properties.opening, now)) || (shown && isStale(shown.properties.opening, now))) {
    search({ fit: false, quiet: !state.open, pages: state.pages });
    if (shown && state.place) select(state.place, { from: "permalink" });
  }
}, REFRESH_MS);

async function start() {
  if (document.body.dataset.accent) document.documentElement.style.setProperty("--gf-accent", document.body.dataset.accent);
  for (const slot of document.querySelectorAll("[data-symbol]")) slot.replaceWith(symbolElement(slot.dataset.symbol));
  const categories = getJSON(config.api.categories);
  if (state.bbox && !state.near && !state.where) map.frameBox(state.bbox);
  if (embed && embed.center) {
    map.setView(embed.center[1], embed.center[0], embed.zoom || 13);
    nearLabel = t("map_centre");
  } else if (embed && !hasLocation(state) && state.territory) {
    // A territory without a place: frame it and search from its main town (the chef-lieu of a
    // département or région, a commune itself), named as such: "près de Toulouse".
    // The chef-lieu comes with the page: the search starts at once (its boundary is drawn after).
    const seat = embed.territory && embed.territory.seat;
    if (seat) {
      state.near = `${seat.lon.toFixed(5)},${seat.lat.toFixed(5)}`;
      nearLabel = seat.name;
    } else {
      // No chef-lieu known (territories loaded without the COG's): the territory's middle.
      const feature = await boundary(state.territory);
      if (feature) {
        map.showBoundaries([feature]);
        const middle = map.fitBoundaries();
        state.near = `${middle.lng.toFixed(5)},${middle.lat.toFixed(5)}`;
        nearLabel = t("map_centre");
      }
    }
  }
  form.write(state, nearLabel);
  // The search and the taxonomy at once on French pages (the answers name categories in French:
  // a shared link shows its results without waiting for the category list); other languages
  // need the taxonomy's labels first. Unless the reader has already searched meanwhile.
  const fit = !(embed && embed.center && embed.zoom);
  const pages = state.pages;
  if (config.lang === "fr" && !searchCount) search({ fit, pages });
  const answer = await categories;
  if (answer.ok) {
    rememberCategories(answer.body.families);
    form.loadCategories(answer.body.families);
  }
  if (config.lang !== "fr" && !searchCount) search({ fit, pages });
}

start();
