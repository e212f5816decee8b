// Opening-state symbols: Okabe-Ito colours (safe for colour-blind readers) AND distinct shapes
// (blue circle with a tick = open, vermillion square with a cross = closed, light grey diamond
// with a dark "?" = unknown), so the state never rests on colour alone. Used by the map
// markers, the list and the legend.

const SHAPES = {
  open: '<circle cx="12" cy="12" r="10" fill="#0072B2" stroke="#fff" stroke-width="2"/>'
    + '<path d="M7 12.5l3.2 3.2L17 8.8" fill="none" stroke="#fff" stroke-width="2.6" stroke-linecap="round" stroke-linejoin="round"/>',
  closed: '<rect x="2.5" y="2.5" width="19" height="19" rx="2" fill="#D55E00" stroke="#fff" stroke-width="2"/>'
    + '<path d="M8 8l8 8M16 8l-8 8" stroke="#fff" stroke-width="2.6" stroke-linecap="round"/>',
  unknown: '<path d="M12 1.5L22.5 12 12 22.5 1.5 12z" fill="#DDDDDD" stroke="#333" stroke-width="1.6"/>'
    + '<path d="M9.6 9.4a2.5 2.5 0 1 1 3.4 2.3c-.7.3-1 .8-1 1.5v.6" fill="none" stroke="#111" stroke-width="2" stroke-linecap="round"/>'
    + '<circle cx="12" cy="16.6" r="1.2" fill="#111"/>',
};

export const STATES = Object.keys(SHAPES);

/** The SVG markup of a state's symbol (fixed markup: no user data goes in). */
export function symbolSVG(state, size = 24) {
  const shape = Object.hasOwn(SHAPES, state) ? SHAPES[state] : SHAPES.unknown;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="${size}" height="${size}" aria-hidden="true" focusable="false">${shape}</svg>`;
}

/** The same symbol as a DOM element. */
export function symbolElement(state, size = 16) {
  const wrapper = document.createElement("span");
  wrapper.className = `gf-symbol gf-symbol--${STATES.includes(state) ? state : "unknown"}`;
  wrapper.innerHTML = symbolSVG(state, size);
  return wrapper;
}
