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
