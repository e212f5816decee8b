// Links built from data (a place's website, online shop, e-mail, phone): a value becomes a link
// only when it is an address of the expected kind, and is shown as text otherwise.
//
// An address is read the way the browser will read the href (WHATWG URL parsing: controls and
// spaces around it stripped, tabs and newlines inside removed, the scheme in any case), so that
// " JaVa\tScript:…" is seen as the javascript: address the browser would follow. The static maps
// apply the same rule to their popups (geofinder/maps/popup.py, safe_url).

// What the browser strips around an href (C0 controls and spaces; Unicode spaces too, which
// would make it no address at all) and what it removes anywhere in it (tab, LF, CR).
const AROUND = /^[\u0000-\u0020\s]+|[\u0000-\u0020\s]+$/g;
const TAB_OR_NEWLINE = /[\t\n\r]/g;
const CONTROL_OR_SPACE = /[\u0000-\u0020\u007f\s]/;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const EMAIL = /^[A-Za-z0-9.!$'*+/=^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** The schemes an href of these pages may have (anything else is a bug: see h() in config.js). */
export const LINK_SCHEMES = new Set(["http:", "https:", "mailto:", "tel:", "geo:"]);

/** An http(s) address for a link ("https://" added to a bare host such as "www.example.fr"),
 * or null (javascript:, data:, mailto:, text). */
export function httpUrl(value) {
  if (typeof value !== "string") return null;
  let address = value.replace(AROUND, "").replace(TAB_OR_NEWLINE, "");
  if (!address || CONTROL_OR_SPACE.test(address)) return null;
  if (!SCHEME.test(address)) address = `https://${address}`;
  let url;
  try {
    url = new URL(address);
  } catch {
    return null;
  }
  return (url.protocol === "http:" || url.protocol === "https:") && url.hostname ? url.href : null;
}

/** A mailto: address for a plain e-mail address (no "?", no second address), or null. */
export function mailtoUrl(value) {
  const address = typeof value === "string" ? value.trim() : "";
  return EMAIL.test(address) ? `mailto:${address}` : null;
}

/** A tel: address of the dialling characters of a phone number (digits and "+"), or null. */
export function telUrl(value) {
  const dial = typeof value === "string" ? value.replace(/[^\d+]/g, "") : "";
  return /^\+?\d{3,}$/.test(dial) ? `tel:${dial}` : null;
}

/** True when the browser would read `href` with one of LINK_SCHEMES (relative ones included). */
export function allowedHref(href) {
  try {
    return LINK_SCHEMES.has(new URL(String(href), document.baseURI).protocol);
  } catch {
    return false;
  }
}
