// Produce expectations.json with the reference implementation, opening_hours.js (a test-only
// tool: `make test` reads the committed expectations.json and needs no Node).
//
//     cd tests/opening/conformance && npm ci && node expect.js
//
// For every case (a value, a place, an instant) it records the reference's state ("open",
// "closed", "unknown", or "invalid" when it rejects the value), its comment, the next instant
// its state differs (within HORIZON_DAYS, else null) and how many warnings it gave on the value
// (it reads some forms outside the specification after correcting them, with a warning). opening_hours.js evaluates in
// the process time zone, so each time zone of cases.json runs in a child process with TZ set.
//
// The values are those of handwritten.json, and the real values found in the OpenStreetMap
// files of GEOFINDER_DATA_DIR (default: ../shared/data beside the repository, as in
// geofinder/settings.py). The real data is not copied into the repository: its cases are
// keyed by a digest of the value ("sha256:…", see compare.py), and a comment of the reference
// that is the value's own text is not kept.
"use strict";

const { execFileSync } = require("child_process");
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const HORIZON_DAYS = 60;
const here = __dirname;
const cases = JSON.parse(fs.readFileSync(path.join(here, "cases.json"), "utf8"));
const handwritten = JSON.parse(fs.readFileSync(path.join(here, "handwritten.json"), "utf8"));
const dataDir = process.env.GEOFINDER_DATA_DIR || path.resolve(here, "../../../../shared/data");

// The same rules as compare.py: the keys of geofinder.imports.osm.readers.POI_KEYS, the suite's
// nearest place within NEAREST_PLACE_KM.
const POI_KEYS = ["shop", "craft", "amenity", "healthcare", "office"];
const NEAREST_PLACE_KM = 60;

function digest(value) {
  return "sha256:" + crypto.createHash("sha256").update(value, "utf8").digest("hex").slice(0, 16);
}

function kilometres([lon1, lat1], [lon2, lat2]) {
  const rad = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(a));
}

function nearestPlace(lon, lat) {
  let best = null;
  for (const [name, place] of Object.entries(cases.places)) {
    const distance = kilometres([lon, lat], [place.lon, place.lat]);
    if (best === null || distance < best[1]) best = [name, distance];
  }
  return best[1] <= NEAREST_PLACE_KM ? best[0] : null;
}

// [value, lon, lat] of every element with opening_hours in the GeoJSON and Overpass JSON files
// of dataDir/osm (the formats expect.js reads; compare.py reads every format geofinder imports).
function dataElements() {
  const folder = path.join(dataDir, "osm");
  if (!fs.existsSync(folder)) throw new Error(`${folder}: no such folder (set GEOFINDER_DATA_DIR)`);
  const found = [];
  for (const name of fs.readdirSync(folder).sort()) {
    if (!/\.(geo)?json$/.test(name)) continue;
    const data = JSON.parse(fs.readFileSync(path.join(folder, name), "utf8"));
    for (const feature of data.features || []) {
      const tags = feature.properties || {};
      const geometry = feature.geometry || {};
      let point = geometry.coordinates;
      while (Array.isArray(point) && Array.isArray(point[0])) point = point[0]; // near enough to choose a place
      if (tags.opening_hours && POI_KEYS.some((key) => key in tags) && point) found.push([tags.opening_hours, point[0], point[1], name]);
    }
    for (const element of data.elements || []) {
      const tags = element.tags || {};
      const point = "lat" in element ? element : element.center;
      if (tags.opening_hours && POI_KEYS.some((key) => key in tags) && point) found.push([tags.opening_hours, point.lon, point.lat, name]);
    }
  }
  return found;
}

// Every [set, value, place, instant] to evaluate, by time zone.
function work() {
  const byZone = {};
  const seen = new Set();
  const add = (set, value, place) => {
    if (seen.has(`${set}\u0000${value}\u0000${place}`)) return;
    seen.add(`${set}\u0000${value}\u0000${place}`);
    const zone = cases.places[place].zone;
    for (const instant of cases.instants[zone]) (byZone[zone] = byZone[zone] || []).push([set, value, place, instant]);
  };
  for (const value of handwritten.at_every_place) for (const place of Object.keys(cases.places)) add("hand", value, place);
  for (const [place, values] of Object.entries(handwritten.by_place)) for (const value of values) add("hand", value, place);
  for (const [value, lon, lat, file] of dataElements()) {
    const place = nearestPlace(lon, lat);
    if (place === null) throw new Error(`${file}: an element lies farther than ${NEAREST_PLACE_KM} km from every place of cases.json`);
    add("data", value, place);
  }
  return byZone;
}

function evaluateAll(items) {
  const opening_hours = require("opening_hours");
  const parsed = new Map();
  return items.map(([set, value, place, instant]) => {
    const where = cases.places[place];
    const key = `${value}\u0000${place}`;
    if (!parsed.has(key)) {
      const nominatim = {
        lat: String(where.lat),
        lon: String(where.lon),
        address: { country_code: "fr", state: where.state },
      };
      try {
        parsed.set(key, new opening_hours(value, nominatim, { mode: 0, tag_key: "opening_hours" }));
      } catch (error) {
        parsed.set(key, null);
      }
    }
    const name = set === "data" ? digest(value) : value;
    const hours = parsed.get(key);
    if (hours === null) return [set, name, place, instant, "invalid", null, null, 0];
    let warnings = 0;
    try {
      warnings = hours.getWarnings().length;
    } catch (error) {
      // counted as none: the evaluation below reports the failure
    }
    const at = new Date(instant);
    try {
      const iterator = hours.getIterator(at);
      const state = iterator.getStateString(true);
      let comment = iterator.getComment() || null;
      if (set === "data" && comment !== null && value.includes(comment)) comment = "(the value's comment)";
      const limit = new Date(at.getTime() + HORIZON_DAYS * 86400000);
      let next = null;
      while (iterator.advance(limit)) {
        if (iterator.getStateString(true) !== state) {
          next = iterator.getDate().toISOString();
          break;
        }
      }
      return [set, name, place, instant, state, next, comment, warnings];
    } catch (error) {
      // The reference fails on this case (e.g. a sun event it cannot place on a day).
      return [set, name, place, instant, "error", null, String(error.message || error), warnings];
    }
  });
}

if (process.argv[2] === "--zone") {
  // Child: evaluate the items given on stdin, in this process's TZ.
  const items = JSON.parse(fs.readFileSync(0, "utf8"));
  process.stdout.write(JSON.stringify(evaluateAll(items)));
} else {
  const results = [];
  for (const [zone, items] of Object.entries(work())) {
    const out = execFileSync(process.execPath, [__filename, "--zone"], {
      input: JSON.stringify(items),
      stdio: ["pipe", "pipe", "ignore"], // the reference logs its own warnings (SH undefined…)
      env: { ...process.env, TZ: zone },
      maxBuffer: 1 << 28,
    });
    results.push(...JSON.parse(out.toString()));
  }
  const version = require("opening_hours/package.json").version;
  const document = {
    generator: `opening_hours.js ${version}, tests/opening/conformance/expect.js`,
    horizon_days: HORIZON_DAYS,
    columns: ["set", "value (hand) or digest of the value (data)", "place", "instant", "state", "next_change", "comment", "warnings"],
    cases: results,
  };
  const lines = document.cases.map((row) => JSON.stringify(row));
  const head = JSON.stringify({ ...document, cases: undefined }, null, 1).replace(/\n}$/, "");
  fs.writeFileSync(path.join(here, "expectations.json"), `${head},\n "cases": [\n${lines.join(",\n")}\n ]\n}\n`);
  const data = results.filter((row) => row[0] === "data");
  console.log(`${results.length} cases written to expectations.json (${data.length} of values found in ${dataDir})`);
}
