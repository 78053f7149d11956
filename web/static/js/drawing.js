/* Drawing that keeps what the user meant: Geoman draws, this module measures (lengths and area
   live, in ground metres) and snaps only when the user asks, only within a small ground distance
   (the server's snap_m, 0.3 m by default: a pixel distance would move a drawing by metres on a
   phone). Escape cancels; Backspace or "Undo" removes the last corner while drawing. */

import { $, touchKey } from './dom.js';
import { area, length, ringsOf, snapTarget } from './measure.js';

const PAD_DEG = 0.0005; // boundaries fetched a little beyond the view (about 50 m)
const DETAIL_ZOOM = 22; // the parcels layer simplifies least at this zoom
// The layer's widest bbox in pixels at the zoom asked (the server's RAJAPISTE_MAX_BBOX_PIXELS,
// 16 384): the server measures the box in EPSG:3067, whose grid turns away from 27° E, so a view
// in the west of Finland is up to a tenth wider there than on the ground; a refusal steps back.
const MAX_SPAN_PX = 14500;

/** The working layer's corners so far (Geoman's polygon or line being drawn). */
function corners(map) {
  const shape = map.pm.Draw.getActiveShape?.();
  const layer = shape && map.pm.Draw[shape]?._layer;
  return layer ? layer.getLatLngs().flat(2) : [];
}

function boundsQuery(map) {
  const b = map.getBounds();
  return [b.getWest() - PAD_DEG, b.getSouth() - PAD_DEG, b.getEast() + PAD_DEG, b.getNorth() + PAD_DEG]
    .map((x) => x.toFixed(6)).join(',');
}

/** The most detailed zoom whose span limit holds the bbox `q` (at zoom 18 the view is wider
 *  than zoom 22 allows: 0.3 km); its simplification is still under a tenth of a metre. */
function detailZoom(map, q) {
  const [w, s, e, n] = q.split(',').map(Number);
  const side = Math.max(map.distance([s, w], [s, e]), map.distance([n, w], [n, e]), map.distance([s, w], [n, w]));
  let z = DETAIL_ZOOM;
  while (z > 1 && side / ((156543 * 0.5) / 2 ** z) > MAX_SPAN_PX) z -= 1; // metres per pixel at 60° N
  return z;
}

/** Live measures while drawing: the current edge to the cursor (at), the length so far and the area. */
function liveText(shape, pts, at, i18n) {
  const m = (x) => `${i18n.num(x, 2)} m`;
  const parts = [];
  if (pts.length) parts.push(`${i18n.t('edge')} ${m(length([pts[pts.length - 1], at]))}`);
  if (shape === 'Line') parts.push(`${i18n.t('total_length')} ${m(length([...pts, at]))}`);
  else if (pts.length >= 2) parts.push(`${i18n.t('area')} ${i18n.num(area([...pts, at]), 1)} m²`);
  return parts;
}

/**
 * Geoman drawing with one pending owner: start(shape, onCreate) enables drawing and hands the
 * finished layer (snapped if the user asked) to onCreate. A shape finished with nobody waiting is removed.
 */
class Drawing {
  constructor(map, { api, i18n }) {
    Object.assign(this, { map, api, i18n });
    this.st = { pending: null, shape: null, snapM: 0.3, lines: [], fetched: null, indicator: null };
    map.on('pm:create', (e) => this.created(e.layer));
    map.on('mousemove', (e) => this.onMove(e));
    // Geoman ends a drawing by itself too (its last corner removed): nobody waits for it any more.
    map.on('pm:drawend', () => { if (this.st.shape) { this.st.pending = null; this.stop(''); } });
    map.on('moveend', () => { if (this.st.shape && this.snapping()) this.fetchBoundaries(); });
    $('snap').addEventListener('change', () => { if (this.snapping()) this.fetchBoundaries(); else this.showIndicator(null); });
  }

  snapping() { return $('snap').checked; }

  status(text) { $('draw-status').textContent = text; }

  get active() { return Boolean(this.st.shape); }

  get snapDistance() { return this.st.snapM; }

  setSnapDistance(x) { if (x > 0) this.st.snapM = x; }

  /** The parcel boundaries around the view, in detail, for snapping. */
  async fetchBoundaries() {
    const q = boundsQuery(this.map);
    if (this.st.fetched === q) return;
    this.st.fetched = q;
    for (let zoom = detailZoom(this.map, q), tries = 0; ; zoom -= 1, tries += 1) {
      try {
        this.st.lines = ringsOf(await this.api.get(`/api/v1/layers/parcels?bbox=${q}&zoom=${zoom}`));
        return;
      } catch (e) {
        if (e.status !== 422 || tries >= 2 || zoom <= 1) { this.st.lines = []; this.st.fetched = null; return; }
      }
    }
  }

  /** A ring on the map where the corner would snap to; none for null. */
  showIndicator(target) {
    const { st, map } = this;
    if (!target) { if (st.indicator) { map.removeLayer(st.indicator); st.indicator = null; } return; }
    if (st.indicator) { st.indicator.setLatLng(target.latlng); return; }
    st.indicator = L.circleMarker(target.latlng, {
      radius: 7, color: '#d95f02', weight: 3, fill: false, className: 'snap-indicator', pmIgnore: true, interactive: false,
    }).addTo(map);
  }

  onMove(e) {
    if (!this.st.shape) return;
    const target = this.snapping() ? snapTarget(e.latlng, this.st.lines, this.st.snapM) : null;
    this.showIndicator(target);
    const parts = liveText(this.st.shape, corners(this.map), target ? target.latlng : e.latlng, this.i18n);
    if (target) parts.push(this.i18n.t('snaps_to_boundary'));
    this.status(parts.join(' · '));
  }

  /** Move each corner within snapM of a boundary onto it (only when snapping is on); how many moved. */
  snapLayer(layer) {
    if (!this.snapping() || !this.st.lines.length) return 0;
    let moved = 0;
    const fix = (ll) => {
      const t = snapTarget(ll, this.st.lines, this.st.snapM);
      if (!t) return ll;
      moved += 1;
      return t.latlng;
    };
    const lls = layer.getLatLngs();
    layer.setLatLngs(Array.isArray(lls[0]) ? lls.map((ring) => ring.map(fix)) : lls.map(fix));
    return moved;
  }

  stop(message) {
    this.st.shape = null;
    this.showIndicator(null);
    this.status(message || '');
  }

  created(layer) {
    const onCreate = this.st.pending;
    this.st.pending = null;
    const moved = this.snapLayer(layer);
    this.stop(describe(layer, this.i18n) + (moved ? ` · ${this.i18n.t('snapped_corners')}: ${moved}` : ''));
    if (onCreate) onCreate(layer);
    else this.map.removeLayer(layer);
  }

  start(shape, onCreate) {
    this.map.pm.disableDraw();
    this.st.pending = onCreate;
    this.st.shape = shape;
    if (this.snapping()) this.fetchBoundaries();
    this.map.pm.enableDraw(shape, { snappable: false, finishOn: null });
    this.status(this.hint());
  }

  /** How to draw the shape under way; a finger has no Esc or Backspace: the touch hint names the Undo button. */
  hint() {
    return this.i18n.t(touchKey(this.st.shape === 'Line' ? 'hint_drawing_line' : 'hint_drawing'));
  }

  /** Cancel the drawing under way (Escape); false when none was. */
  cancel() {
    if (!this.st.shape) return false;
    this.st.pending = null;
    this.map.pm.disableDraw();
    this.stop(this.i18n.t('drawing_cancelled'));
    return true;
  }

  /** Remove the last corner of the drawing under way; false when there is none. */
  undoCorner() {
    const shape = this.st.shape && this.map.pm.Draw[this.st.shape];
    if (!shape || corners(this.map).length === 0) return false;
    shape._removeLastVertex();
    this.status(this.hint()); // the measures shown were the removed corner's (a finger moves no pointer)
    return true;
  }
}

export const createDrawing = (map, deps) => new Drawing(map, deps);

/** "area 120,0 m² · perimeter 44,00 m" (or a line's length) of a finished layer. */
export function describe(layer, i18n) {
  const lls = layer.getLatLngs();
  if (Array.isArray(lls[0])) {
    const ring = lls[0];
    return `${i18n.t('area')} ${i18n.num(area(ring), 1)} m² · ${i18n.t('perimeter')} ${i18n.num(length(ring, true), 2)} m`;
  }
  return `${i18n.t('total_length')} ${i18n.num(length(lls), 2)} m`;
}
