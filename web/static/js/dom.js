/* Small DOM helpers. */

export const $ = (id) => document.getElementById(id);

export const $$ = (selector, root = document) => root.querySelectorAll(selector);

/** Create an element: attrs 'class' sets the class name, 'on<event>' adds a listener, anything else is an attribute. */
export function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  return e;
}

/** Remove all children of the elements with these ids. */
export function empty(...ids) {
  for (const id of ids) $(id).textContent = '';
}

/** Offer a Blob as a download under a file name. */
export function download(blob, filename) {
  const a = el('a', { href: URL.createObjectURL(blob), download: filename });
  document.body.append(a);
  a.click();
  a.remove();
}

/** Escape text for the few Leaflet APIs that take HTML (layer control labels). */
export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The parts of a moment (hour, day, ...) as they are in Finland, whatever the device's zone and locale. */
function finnishParts(at, fields) {
  const parts = new Intl.DateTimeFormat('en', { timeZone: 'Europe/Helsinki', ...fields }).formatToParts(at);
  return (type) => parts.find((p) => p.type === type).value;
}

/** A time of day as a Finnish clock shows it (14.05). */
export function finnishTime(at) {
  const part = finnishParts(at, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return `${part('hour')}.${part('minute')}`;
}

/** Today in Finland as YYYY-MM-DD: the service's days (deadlines, decisions) are Finnish calendar days,
    whatever the device's clock zone; toISOString would give the UTC day, yesterday until 02:00 (03:00). */
export function finnishToday(now = new Date()) {
  const part = finnishParts(now, { year: 'numeric', month: '2-digit', day: '2-digit' });
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** A catalogue key's touch variant (`<key>_touch`) on a finger's screen: a finger taps and has no Esc key. */
export function touchKey(key) {
  return window.matchMedia('(pointer: coarse)').matches ? `${key}_touch` : key;
}
