// The detail panel of the selected place: address, phone, website, the week's opening hours
// (today highlighted) and a directions link. Focus moves to its title when it opens and back
// to the list when it closes (button or Escape). Every value is text; the website, online shop,
// e-mail and phone are links only when they are addresses of their kind (links.js).
import { config, h, t } from "./config.js";
import { httpUrl, mailtoUrl, telUrl } from "./links.js";
import { openingLabel } from "./opening.js";
import { symbolElement } from "./symbols.js";
import { addressText, categoryLabel, distanceText, phoneText } from "./format.js";

const NOTES = { "Jour férié": "note_holiday", "Fermeture exceptionnelle": "note_closure", "Horaires incertains": "note_uncertain" };

function weekday(isoDate) {
  return new Date(`${isoDate}T12:00:00Z`).toLocaleDateString(config.lang, { weekday: "long", timeZone: "UTC" });
}

function weekTable(week) {
  const rows = week.map((day) => {
    const hours = day.intervals.length ? day.intervals.join(", ") : t("closed");
    const note = day.note ? ` (${Object.hasOwn(NOTES, day.note) ? t(NOTES[day.note]) : day.note})` : "";
    return h("tr", { class: day.today ? "is-today" : null, "aria-current": day.today ? "date" : null },
      h("th", { scope: "row" }, h("span", { class: "gf-weekday" }, weekday(day.date)), day.today ? h("span", { class: "gf-today" }, ` (${t("today")})`) : ""),
      h("td", {}, hours + note));
  });
  return h("table", { class: "gf-week" }, h("caption", {}, t("week_hours")), h("tbody", {}, rows));
}

function directionsLinks(lat, lon) {
  return h("p", { class: "gf-directions" },
    h("a", { href: `https://www.openstreetmap.org/directions?to=${lat}%2C${lon}`, target: "_blank", rel: "noopener noreferrer" }, t("directions")),
    " · ",
    h("a", { href: `geo:${lat},${lon}` }, t("open_in_maps_app")));
}

/** A fact of the panel (term and value) when `value` is given: a link to `href` when there is
 * one, the value as text otherwise. */
function fact(term, value, href, { shown = value, external = false } = {}) {
  if (!value) return null;
  const link = external ? { href, target: "_blank", rel: "noopener noreferrer" } : { href };
  return [h("dt", {}, term), h("dd", {}, href ? h("a", link, shown) : value)];
}

function webFact(term, value) {
  const url = httpUrl(value);
  return fact(term, value, url, { shown: url ? value.trim().replace(/^https?:\/\//i, "") : value, external: true });
}

function day(isoDate) {
  return new Date(`${isoDate.slice(0, 10)}T12:00:00Z`).toLocaleDateString(config.lang, { day: "numeric", month: "long", timeZone: "UTC" });
}

/** The merchant's announcements shown today (title, kind, text, end date), as text. */
function announcementList(announcements) {
  if (!announcements || !announcements.length) return null;
  return h("section", { class: "gf-announcements", "aria-label": t("announcements") },
    h("h3", {}, t("announcements")),
    h("ul", {}, announcements.map((a) => h("li", { class: `gf-announcement gf-announcement--${a.kind}` },
      h("strong", {}, a.title), ` (${t(`announcement_${a.kind}`)}, ${t("announcement_until", { date: day(a.end) })}) `,
      h("span", {}, a.text)))));
}

function claimLink(id) {
  // In the embed (another site's frame, which the merchants' pages refuse), in a new tab.
  const target = config.embed ? { target: "_blank", rel: "noopener noreferrer" } : {};
  return h("p", { class: "gf-claim" },
    h("a", { href: config.claim.replace("/0/", `/${encodeURIComponent(id)}/`), ...target }, t("claim")));
}

export function createDetail(element, { onClose }) {
  let current = null;

  function close() {
    if (current === null) return;
    const id = current.id;
    current = null;
    element.hidden = true;
    element.replaceChildren();
    onClose(id);
  }

  element.addEventListener("keydown", (event) => {
    if (event.key === "Escape") close();
  });

  return {
    /** Show a place (a GeoJSON Feature from /api/v1/places/<id>/). */
    show(feature, { focus = true } = {}) {
      current = feature;
      // Shown again while the reader is in the panel (a search finishing late): keep them there.
      const hadFocus = element.contains(document.activeElement);
      const p = feature.properties;
      const [lon, lat] = feature.geometry.coordinates;
      const title = h("h2", { id: "gf-detail-title", tabindex: "-1" }, p.name);
      const opening = h("p", { class: `gf-opening gf-opening--${p.opening.state}` }, symbolElement(p.opening.state), " ",
        h("span", { class: "gf-opening-label" }, openingLabel(p.opening)));
      const address = addressText(p);
      const facts = h("dl", { class: "gf-facts" },
        h("dt", {}, t("address")), h("dd", {}, address || "—"),
        fact(t("phone"), p.phone, telUrl(p.phone), { shown: phoneText(p.phone) }),
        webFact(t("website"), p.website),
        webFact(t("online_shop"), p.shop_url),
        fact(t("email"), p.email, mailtoUrl(p.email)),
      );
      const services = Object.entries(p.services).filter(([, on]) => on).map(([name]) => t(`service_${name}`));
      const week = p.week && p.week.length ? weekTable(p.week) : h("p", { class: "gf-week-missing" }, t("hours_not_given"));
      element.replaceChildren(...[
        h("button", { type: "button", class: "gf-close", "aria-label": t("close_detail"), onclick: close }, "×"),
        title,
        h("p", { class: "gf-detail-category" }, categoryLabel(p.category), p.distance_m ? ` · ${distanceText(p.distance_m)}` : ""),
        opening,
        announcementList(p.announcements),
        facts,
        p.artisan ? h("p", { class: "gf-artisan" }, t("artisan")) : null,
        services.length ? h("p", { class: "gf-services" }, t("services_list", { list: services.join(", ") })) : null,
        week,
        directionsLinks(lat, lon),
        h("p", { class: "gf-source" }, t("source", { source: p.source })),
        p.verified_at ? h("p", { class: "gf-verified" }, t("verified_on", { date: day(p.verified_at) })) : null,
        config.claim ? claimLink(feature.id) : null,
      ].filter(Boolean));
      element.hidden = false;
      if (focus || hadFocus) title.focus();
    },

    refreshLabel() {
      const label = element.querySelector(".gf-opening-label");
      if (current && label) label.textContent = openingLabel(current.properties.opening);
    },

    current() {
      return current;
    },

    close,
  };
}
