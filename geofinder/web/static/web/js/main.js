// The residents' map page and the embed: one search (GET /api/v1/places/), a map and a list
// kept in sync, a detail panel, live opening labels and a permalink.
import { config, getJSON, h, t } from "./config.js";
import { apiParams, emptyState, hasLocation, permalinkQuery, RESULT_LIMIT, stateFromQuery } from "./state.js";
import { isStale } from "./opening.js";
import { rememberCategories } from "./format.js";
import { symbolElement } from "./symbols.js";
import { createMap } from "./mapview.js";
import { createList } from "./listview.js";
import { createDetail } from "./detail.js";
import { createForm } from "./form.js";

const REFRESH_MS = 60 * 1000;
const status = document.getElementById("gf-status");
const errors = document.getElementById("gf-errors");
const embed = config.embed;
let state = embed ? { ...emptyState(), ...embed.state } : stateFromQuery(window.location.search);
let lastWhere = null;
let searchCount = 0;

const map = createMap(document.getElementById("gf-map"), { onSelect: select, onHover: hover });
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
  const messages = Object.values(body.errors || { detail: [body.detail] }).flat();
  const candidates = (body.hints && body.hints.where) || [];
  const retry = (candidate) => {
    state = { ...state, where: candidate.label, near: "", place: "" };
    form.write(state);
    search({ fit: true });
  };
  errors.replaceChildren(
    h("p", {}, t("search_failed")),
    h("ul", {}, messages.map((message) => h("li", {}, message))),
    candidates.length ? h("p", {}, t("did_you_mean")) : null,
    candidates.length
      ? h("ul", {}, candidates.map((c) => h("li", {}, h("button", { type: "button", class: "gf-link", onclick: () => retry(c) }, c.label))))
      : null,
  );
}

function updatePermalink() {
  const query = permalinkQuery(state);
  if (!embed) window.history.replaceState(null, "", query ? `?${query}` : window.location.pathname);
  for (const link of document.querySelectorAll("[data-keep-query]")) {
    link.search = query;
  }
}

/** Run the current state's search; `fit` frames the results, `quiet` only refreshes them. */
async function search({ fit = true, quiet = false } = {}) {
  updatePermalink();
  if (!hasLocation(state)) {
    say(t("give_a_place"));
    return;
  }
  const number = ++searchCount;
  if (!quiet) say(t("searching"));
  const answer = await getJSON(config.api.places, { ...apiParams(state), limit: RESULT_LIMIT });
  if (number !== searchCount) return; // a newer search has started
  if (!answer.ok) {
    showErrors(answer.body);
    say(t("search_failed"));
    return;
  }
  showErrors(null);
  const body = answer.body;
  if (quiet) {
    list.refreshLabels(body.features);
    map.updateStates(body.features);
  } else {
    list.show(body.features);
    map.show(body.features, body.where, { fit });
  }
  lastWhere = body.where;
  const suggestions = (body.what.suggestions || []).map((s) => s.label).join(", ");
  // How the words were read (a name first, filters, words not understood): French, from the API.
  const reading = body.what.message || "";
  say(
    (body.count === 0 ? t("no_results", { where: body.where.label }) : t(body.count === 1 ? "result_one" : "results_count", { count: body.count, where: body.where.label }))
      + (suggestions ? ` ${t("suggestions", { list: suggestions })}` : "")
      + (reading ? ` ${reading}` : ""),
  );
  if (!quiet) {
    drawBoundaries(form.boundariesWanted());
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
    search({ fit: false, quiet: !state.open });
    if (shown && state.place) select(state.place, { from: "permalink" });
  }
}, REFRESH_MS);

async function start() {
  if (document.body.dataset.accent) document.documentElement.style.setProperty("--gf-accent", document.body.dataset.accent);
  for (const slot of document.querySelectorAll("[data-symbol]")) slot.replaceWith(symbolElement(slot.dataset.symbol));
  const categories = getJSON(config.api.categories);
  let nearLabel = t("around_me");
  if (embed && embed.center) {
    map.setView(embed.center[1], embed.center[0], embed.zoom || 13);
    nearLabel = t("map_centre");
  } else if (embed && !hasLocation(state) && state.territory) {
    // A territory without a centre: frame it and search around its middle.
    const feature = await boundary(state.territory);
    if (feature) {
      map.showBoundaries([feature]);
      const middle = map.fitBoundaries();
      state.near = `${middle.lng.toFixed(5)},${middle.lat.toFixed(5)}`;
      nearLabel = feature.properties.name;
    }
  }
  form.write(state, nearLabel);
  const answer = await categories;
  if (answer.ok) {
    rememberCategories(answer.body.families);
    form.loadCategories(answer.body.families);
  }
  search({ fit: !(embed && embed.center && embed.zoom) });
}

start();
