// The page's configuration (rendered by Django with json_script) and its translated strings.
import { allowedHref } from "./links.js";

const element = document.getElementById("gf-config");

export const config = JSON.parse(element.textContent);

/** The translated string `key`, with "%(name)s" placeholders filled from `values`. */
export function t(key, values = {}) {
  const text = config.strings[key] ?? key;
  return text.replace(/%\((\w+)\)s/g, (_, name) => String(values[name] ?? ""));
}

/** A DOM element with attributes and children (strings become text nodes: never HTML).
 * An href must have one of the schemes of links.js (build those from data with httpUrl,
 * mailtoUrl, telUrl): any other is refused with an error rather than made a link. */
export function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "href" && !allowedHref(value)) throw new TypeError(`refused link: ${JSON.stringify(String(value))}`);
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

/** GET a JSON document; resolves to {ok, status, body}. */
export async function getJSON(url, params = {}) {
  const query = new URLSearchParams(params).toString();
  const response = await fetch(query ? `${url}?${query}` : url, { headers: { Accept: "application/json" } });
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = { detail: response.statusText };
  }
  return { ok: response.ok, status: response.status, body };
}
