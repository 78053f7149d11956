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

/** Text in a span that does not wrap (.nb). */
const noBreak = (text) => el('span', { class: 'nb' }, text);

// kept on one line: a property id in a reason ("91-22-9901-100", "vastapäätä kiinteistöä 244-1-20-2"),
// a number and its unit ("18,0 m", "42,6 m²", "120 €")
const NUMBER_UNIT = /\d+-\d+-\d+-\d+(?:-[A-Z]\d+)?|\d+(?:[,.]\d+)? (?:m²|m|km|€|%)(?![\p{L}\d])/gu;

/**
 * Text as nodes whose property ids and numbers with units keep to one line (a phone broke "91-22- / 695-1"
 * and "18,0 / m"): each in a span that does not wrap, the text itself unchanged (copied, plain spaces).
 */
export function keepUnits(text) {
  const s = String(text);
  const out = [];
  let at = 0;
  for (const m of s.matchAll(NUMBER_UNIT)) {
    out.push(s.slice(at, m.index), noBreak(m[0]));
    at = m.index + m[0].length;
  }
  out.push(s.slice(at));
  return out.filter((x) => x !== '');
}

/** A property id as a span that does not break at its hyphens ("91-22-" / "695-1" on a phone). */
export const propertyId = noBreak;

/** Property ids, each on one line, separated by ", " where the line may break. */
export const propertyIds = (ids) => ids.flatMap((id, i) => (i ? [', ', propertyId(id)] : [propertyId(id)]));
