/* Drawing by numbers, for keyboard users and exact plans: a building of width × depth at a distance from a
   chosen edge of the site (turned by a rotation if asked), and a site or building from typed corner
   coordinates in ETRS-TM35FIN (EPSG:3067), read by the server's CRS-aware GeoJSON endpoint. */

import { $, el } from './dom.js';
import { fitView } from './map.js';
import { area, distance, plane } from './measure.js';

/** A GeoJSON polygon's outer ring as latlngs, without the closing point (it repeats the first: an edge of 0 m). */
const ringOf = (coords) => coords[0].slice(0, -1).map(([lng, lat]) => L.latLng(lat, lng));

/** The site's outer ring as latlngs: the drawn site, else the picked property's (largest) polygon from the analysis. */
export function siteRing(site, analysis) {
  if (site) return site.getLatLngs()[0];
  const g = analysis?.site?.geometry;
  if (!g) return null;
  const polys = g.type === 'MultiPolygon' ? g.coordinates.map(ringOf) : [ringOf(g.coordinates)];
  return polys.reduce((best, r) => (area(r) > area(best) ? r : best));
}

/** The site's edges as options of the select ("edge 3 (12,40 m)"), keeping the chosen one where it still exists. */
export function listEdges(select, ring, i18n) {
  const keep = select.value;
  select.textContent = '';
  (ring || []).forEach((a, i) => {
    const b = ring[(i + 1) % ring.length];
    select.append(el('option', { value: String(i) }, `${i18n.t('edge')} ${i + 1} (${i18n.num(distance(a, b), 2)} m)`));
  });
  if (keep && Number(keep) < select.options.length) select.value = keep;
}

/** Signed area of xy points (positive counter-clockwise). */
function signedArea(xy) {
  let s = 0;
  xy.forEach(([x1, y1], i) => { const [x2, y2] = xy[(i + 1) % xy.length]; s += x1 * y2 - x2 * y1; });
  return s / 2;
}

/**
 * The corners (latlngs) of a w × d rectangle whose side faces edge i of ring at gap metres inside the site,
 * centred on the edge and turned by rot degrees about its own centre.
 */
export function rectangleFromEdge(ring, i, { w, d, gap, rot }) {
  const pl = plane(ring[0]);
  const xy = ring.map(pl.toXY);
  const a = xy[i];
  const b = xy[(i + 1) % xy.length];
  const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
  const u = [(b[0] - a[0]) / len, (b[1] - a[1]) / len];
  const inward = signedArea(xy) > 0 ? [-u[1], u[0]] : [u[1], -u[0]]; // the interior lies left of a CCW ring
  const c = [(a[0] + b[0]) / 2 + inward[0] * (gap + d / 2), (a[1] + b[1]) / 2 + inward[1] * (gap + d / 2)];
  const t = (rot * Math.PI) / 180;
  const turn = ([x, y]) => [x * Math.cos(t) - y * Math.sin(t), x * Math.sin(t) + y * Math.cos(t)];
  return [[-w / 2, -d / 2], [w / 2, -d / 2], [w / 2, d / 2], [-w / 2, d / 2]].map(([p, q]) => {
    const [x, y] = turn([p * u[0] + q * inward[0], p * u[1] + q * inward[1]]);
    return pl.toLatLng([c[0] + x, c[1] + y]);
  });
}

/**
 * One typed corner as [E, N], or null. The two numbers are split by a semicolon or tab, a comma and a space,
 * white space, or a comma, the first of these that gives two numbers: so a Finnish or Swedish decimal comma
 * reads too ("385432,5 6672345,25", "385432,5; 6672345,25"), as does "385432.5,6672345.25".
 */
function corner(line) {
  for (const sep of [/\s*[;\t]\s*/, /,\s+/, /\s+/, /,/]) {
    const parts = line.split(sep);
    if (parts.length !== 2) continue;
    const nums = parts.map((p) => (/^[+-]?\d+(?:[.,]\d*)?$/.test(p) ? Number(p.replace(',', '.')) : NaN));
    if (nums.every(Number.isFinite)) return nums;
  }
  return null;
}

/** Typed corners (one "E N" per line) as a closed GeoJSON ring; throws a message naming the bad line. */
export function parseCorners(text, i18n) {
  const pts = [];
  text.split('\n').map((s) => s.trim()).filter(Boolean).forEach((line, i) => {
    const xy = corner(line);
    if (!xy) throw { detail: `${i18n.t('coords_bad_line')} ${i + 1}: ${line}` };
    pts.push(xy);
  });
  if (pts.length < 3) throw { detail: i18n.t('coords_too_few') };
  return [...pts, pts[0]];
}

/**
 * The corners (latlngs) of a length × width rectangle centred on centre, its length along bearing degrees
 * clockwise from north (0: north–south, 90: east–west): a dig area placed without a pointer.
 */
export function rectangleAt(centre, { length, width, bearing }) {
  const pl = plane(centre);
  const t = (bearing * Math.PI) / 180;
  const along = [Math.sin(t), Math.cos(t)];
  const across = [Math.cos(t), -Math.sin(t)];
  return [[-1, -1], [1, -1], [1, 1], [-1, 1]].map(([a, b]) => pl.toLatLng([
    (a * length * along[0] + b * width * across[0]) / 2, (a * length * along[1] + b * width * across[1]) / 2]));
}

/** Typed corners in ETRS-TM35FIN as a Leaflet polygon (not yet on the map), through the server's CRS-aware reader. */
export async function polygonFromCorners(api, text, i18n) {
  const ring = parseCorners(text, i18n);
  const fc = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [ring] } }] };
  const doc = await api.post('/api/v1/geometry/geojson?crs=EPSG:3067', fc);
  return L.geoJSON(doc.features[0]).getLayers()[0];
}

/**
 * Wire the contractor's "by numbers" panel: a dig area of length × width at the map's centre (move the map
 * with the arrow keys or the search), or from typed corners; add(layer) receives each area made.
 */
export function createDigEntry({ map, api, i18n, showError, add }) {
  $('cn-add').addEventListener('click', () => {
    const v = (id) => Number($(id).value);
    if (!(v('cn-length') > 0 && v('cn-width') > 0)) { showError({ detail: i18n.t('measures_needed') }); return; }
    showError(null);
    add(L.polygon(rectangleAt(map.getCenter(), { length: v('cn-length'), width: v('cn-width'), bearing: v('cn-bearing') || 0 })).addTo(map));
  });
  $('cn-coords-add').addEventListener('click', async () => {
    try {
      const layer = (await polygonFromCorners(api, $('cn-coords').value, i18n)).addTo(map);
      showError(null);
      add(layer);
      fitView(map, layer.getBounds().pad(1));
    } catch (e) { showError(e); }
  });
}

/** Wire the "by numbers" panel: add(kind, layer) receives each shape made ('site' or 'building'). */
export function createNumericEntry({ map, api, i18n, showError, site, add }) {
  const refresh = () => listEdges($('n-edge'), site(), i18n);
  $('n-edge').addEventListener('focus', refresh);
  $('by-numbers').addEventListener('toggle', refresh);
  i18n.onChange(refresh); // "reuna 3 (12,40 m)" in the page's language, its decimal comma too
  $('n-add').addEventListener('click', () => {
    const ring = site();
    if (!ring) { showError({ detail: i18n.t('need_site_first') }); return; }
    if (!$('n-edge').options.length) refresh();
    const v = (id) => Number($(id).value);
    if (!(v('n-width') > 0 && v('n-depth') > 0 && v('n-distance') >= 0)) { showError({ detail: i18n.t('measures_needed') }); return; }
    const corners = rectangleFromEdge(ring, Number($('n-edge').value) || 0,
      { w: v('n-width'), d: v('n-depth'), gap: v('n-distance'), rot: v('n-rotation') || 0 });
    showError(null);
    add('building', L.polygon(corners).addTo(map));
  });
  $('n-coords-add').addEventListener('click', async () => {
    try {
      const layer = (await polygonFromCorners(api, $('n-coords').value, i18n)).addTo(map);
      const kind = $('n-target').value;
      if (kind === 'building' && !site()) { map.removeLayer(layer); showError({ detail: i18n.t('need_site_first') }); return; }
      showError(null);
      add(kind, layer);
      fitView(map, layer.getBounds().pad(1));
    } catch (e) { showError(e); }
  });
  return { refresh };
}
