// Opening labels computed in the browser from the API's state and next change, so that they
// stay right as time passes ("ferme à 19:00", then "ouvre demain à 08:30") in either language.
import { config, t } from "./config.js";

// Labels the server gives for a closed place with a reason (geofinder/opening/labels.py).
const REASONS = { "Fermé · jour férié": "closed_holiday", "Fermé · fermeture exceptionnelle": "closed_closure" };
// The server's label of an open end, and the start of an unknown state's label followed by the
// value's comment ("Horaires inconnus · sur rendez-vous"; the comment is shown as written).
const OPEN_END = "Ouvert · heure de fermeture inconnue";
const UNKNOWN_WITH_COMMENT = "Horaires inconnus · ";

/** Wall-clock parts of an ISO 8601 date-time with offset, and that offset in minutes. */
function parseLocal(iso) {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.exec(iso);
  if (!match) return null;
  const [, year, month, day, hour, minute, zone] = match;
  const offset = zone === "Z" ? 0 : (zone[0] === "-" ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4)));
  return { day: Date.UTC(year, month - 1, day) / 86400000, clock: `${hour}:${minute}`, offset, date: new Date(iso) };
}

/** "à 14:00", "demain à 08:30", "lundi à 09:00" or "le 12/01 à 09:00", seen from `now`. */
function when(change, now) {
  const localNow = new Date(now.getTime() + change.offset * 60000);
  const today = Math.floor(localNow.getTime() / 86400000);
  const days = change.day - today;
  if (days <= 0) return t("at_time", { time: change.clock });
  if (days === 1) return t("tomorrow_at", { time: change.clock });
  const moment = new Date(change.day * 86400000);
  if (days < 7) {
    const weekday = moment.toLocaleDateString(config.lang, { weekday: "long", timeZone: "UTC" });
    return t("weekday_at", { day: weekday, time: change.clock });
  }
  const date = moment.toLocaleDateString(config.lang, { day: "2-digit", month: "2-digit", timeZone: "UTC" });
  return t("date_at", { date, time: change.clock });
}

/** The label of an `opening` ({state, next_change, label}) at `now`. */
export function openingLabel(opening, now = new Date()) {
  if (!opening) return t("hours_unknown");
  if (opening.state === "unknown") {
    const label = typeof opening.label === "string" ? opening.label : "";
    if (!label.startsWith(UNKNOWN_WITH_COMMENT)) return t("hours_unknown");
    return `${t("hours_unknown")} · ${label.slice(UNKNOWN_WITH_COMMENT.length)}`;
  }
  const change = opening.next_change ? parseLocal(opening.next_change) : null;
  if (opening.state === "open") {
    if (opening.label === OPEN_END) return t("open_end");
    if (!change) return t("open_always");
    if (change.date - now < 24 * 3600000) return t("open_closes_at", { time: change.clock });
    return t("open_closes", { when: when(change, now) });
  }
  if (Object.hasOwn(REASONS, opening.label)) return t(REASONS[opening.label]);
  if (!change) return t("closed");
  return t("closed_opens", { when: when(change, now) });
}

/** True when the status has expired (its next change is past): time to ask the API again. */
export function isStale(opening, now = new Date()) {
  return Boolean(opening && opening.next_change && new Date(opening.next_change) <= now);
}
