// Small formatting helpers shared by the list and the detail panel.
import { config, t } from "./config.js";

const englishLabels = new Map(); // category slug → English label (from /api/v1/categories/)

export function rememberCategories(families) {
  for (const family of families) {
    for (const category of family.categories) englishLabels.set(category.slug, category.label_en);
  }
}

export function categoryLabel(category) {
  if (config.lang === "en" && englishLabels.get(category.slug)) return englishLabels.get(category.slug);
  return category.label;
}

export function distanceText(metres) {
  if (metres < 1000) return t("metres", { n: Math.round(metres) });
  const km = (metres / 1000).toLocaleString(config.lang, { maximumFractionDigits: metres < 10000 ? 1 : 0 });
  return t("kilometres", { n: km });
}

/** "de Labège", "d’Albi", "du Havre", "des Ulis" in French (elision before a vowel or a mute
 * h, the article contracted); the name itself in other languages, whose strings place it. */
export function ofPlace(name) {
  if (config.lang !== "fr") return name;
  if (/^Le\s/.test(name)) return `du ${name.slice(3)}`;
  if (/^Les\s/.test(name)) return `des ${name.slice(4)}`;
  // Elided before a vowel or a mute h, not before the aspirated h of Haute-, Hautes-, Hauts-.
  if (/^[aeiouyàâäéèêëîïôöùûüœæ]/i.test(name) || (/^h/i.test(name) && !/^haut/i.test(name))) return `d’${name}`;
  return `de ${name}`;
}

/** A French phone number as it is written: "05 61 00 00 00", "+33 5 61 00 00 00"; any other
 * value as it was given. */
export function phoneText(value) {
  const digits = String(value || "").replace(/[\s.\-()]/g, "");
  let match = /^0(\d{9})$/.exec(digits);
  if (match) return `0${match[1]}`.replace(/(\d{2})(?=\d)/g, "$1 ");
  match = /^(?:\+|00)33(\d{9})$/.exec(digits);
  if (match) return `+33 ${match[1][0]} ${match[1].slice(1).replace(/(\d{2})(?=\d)/g, "$1 ")}`;
  return value;
}

/** Postcode and commune of an address ("31670 Labège"), the commune's name when the place has
 * no city of its own. */
export function addressText(p) {
  const locality = [p.postcode, p.city || (p.commune && p.commune.name)].filter(Boolean).join(" ");
  return [p.address, locality].filter(Boolean).join(", ");
}
