/* The data layers as vector tiles (vendored Leaflet.VectorGrid), the parcel under a click, parcel
   ids at street level, and the layer control (labelled from the catalogue). */

import { createSequence } from './api.js';
import { gridOptions, gridUrl, tileIndexPath } from './background.js';
import { escapeHtml } from './dom.js';

const PUBLIC_COLOURS = { street: '#bdbdbd', park: '#a6d96a', water: '#9ecae1', square: '#d9d9d9', traffic: '#bdbdbd' };
const PLAN_COLOURS = {
  'detailed-plan': '#e66101', 'building-area': '#fdb863', 'planning-need': '#b2abd2', 'shore-plan': '#5e3c99', 'master-plan': '#999',
};
const LABEL_ZOOM = 17; // parcel ids, from street level
const MAX_ZOOM = 22;
const INDEX_EVERY_MS = 5 * 60 * 1000; // a map left open reads the tile index again this often

/** Tile styles by layer: what each feature (public attributes only) looks like. */
const STYLES = {
  parcels: (p) => ({
    color: '#555', weight: 1, fill: true, fillOpacity: p.kind === 'public' ? 0.5 : 0.05,
    fillColor: PUBLIC_COLOURS[p.public_type] || '#fee08b',
  }),
  buildings: () => ({ color: '#6a3d9a', weight: 1, fill: true, fillColor: '#6a3d9a', fillOpacity: 0.3 }),
  plans: (p) => ({ color: PLAN_COLOURS[p.kind] || '#999', weight: 1, fill: false, dashArray: [4, 3] }),
  water: (p) => (p.kind === 'water'
    ? { color: '#4393c3', weight: 1, fill: true, fillColor: '#92c5de', fillOpacity: 0.6 }
    : { color: '#2166ac', weight: 1, dashArray: [2, 4], fill: true, fillColor: '#2166ac', fillOpacity: 0.05 }),
  excavations: (p) => {
    const colour = p.status === 'active' ? '#d7301f' : '#fc8d59';
    return { color: colour, weight: 2, fill: true, fillColor: colour, fillOpacity: 0.4 };
  },
};
// [tile layer, catalogue key, English fallback, stacking order], in the control's order
const OVERLAYS = [
  ['parcels', 'layer_parcels', 'Parcels', 3],
  ['buildings', 'layer_buildings', 'Buildings', 4],
  ['plans', 'layer_plans', 'Plans', 2],
  ['water', 'layer_water', 'Water', 1],
  ['excavations', 'layer_excavations', 'Works', 5],
];

/** A property id in its short form, e.g. 09102206940025 -> 91-22-694-25. */
function shortId(pid) {
  if (!pid || pid.length < 14) return pid;
  return [pid.slice(0, 3), pid.slice(3, 6), pid.slice(6, 10), pid.slice(10, 14)].map((x) => String(parseInt(x, 10))).join('-');
}

/** One vector tile layer of the tile index entry t (its URL names the data version), in the map's tile grid. */
function tileLayer(map, t, zIndex) {
  return L.vectorGrid.protobuf(gridUrl(map, t.url), {
    rendererFactory: L.canvas.tile, interactive: false, vectorTileLayerStyles: { [t.name]: STYLES[t.name] },
    maxZoom: MAX_ZOOM, maxNativeZoom: 20, zIndex, attribution: '', className: `tiles-${t.name}`, ...gridOptions(map, t),
  });
}

/** Street-level parcel ids: each written at its unit's label point (the labels layer), a point
    inside the unit (a bent lot's centroid, where Leaflet would centre it, can lie on the next
    lot). A label lets clicks through (Leaflet's tooltips do), so a click on it picks the unit it
    names. */
function detailLayer() {
  const group = L.layerGroup();
  group.show = (data) => {
    group.clearLayers();
    (data?.features || []).forEach((f) => {
      const [lon, lat] = f.geometry.coordinates;
      group.addLayer(L.tooltip({ direction: 'center', className: 'parcel-label' })
        .setLatLng([lat, lon]).setContent(shortId(f.properties.property_id)));
    });
  };
  return group;
}

/** The view's lon/lat box from all four corners: in EPSG:3067 meridians are not vertical, and the
    box of two corners (map.getBounds) would miss slivers of the view at the other two. */
function bboxOf(map) {
  const { x, y } = map.getSize();
  const b = L.latLngBounds([[0, 0], [x, 0], [0, y], [x, y]].map((p) => map.containerPointToLatLng(p)));
  return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6)).join(',');
}

/** A click on the map (not while drawing, not on a result drawn over it): the parcel under it. */
function watchClicks(map, api, showError, onParcelClick) {
  map.on('click', async (e) => {
    if (map.pm.globalDrawModeEnabled()) return;
    const target = e.originalEvent && e.originalEvent.target;
    if (target && target.classList && target.classList.contains('leaflet-interactive')) return;
    const { lat, lng } = e.latlng;
    try {
      const hit = await api.get(`/api/v1/parcels/at?lon=${lng.toFixed(7)}&lat=${lat.toFixed(7)}`);
      if (hit.property_id) onParcelClick(hit.property_id, e.latlng);
    } catch (err) { if (err.status !== 404) showError(err); }
  });
}

/**
 * The data layers on the map. load() (re)reads the tile index: a layer whose data version
 * changed (an import, a submitted work) is redrawn from its new URL. The page reads it again
 * itself when it is shown again and every few minutes. watch() keeps the
 * street-level parcel ids in step with the view (and loads all on the first move). Clicking a parcel calls onParcelClick(property_id, the point clicked).
 */
export function createLayers({ map, api, i18n, showError, onParcelClick }) {
  const grids = {};
  const detail = detailLayer().addTo(map);
  const seq = createSequence();
  const label = (key, fallback) => escapeHtml(i18n.t(key, fallback));
  const control = L.control.layers(null, {}, { collapsed: true }).addTo(map);

  function relabel() {
    OVERLAYS.forEach(([name, key, fallback]) => {
      if (!grids[name]) return;
      control.removeLayer(grids[name].layer);
      control.addOverlay(grids[name].layer, label(key, fallback));
    });
  }

  async function loadTiles() {
    const index = await api.get(tileIndexPath(map));
    const byName = Object.fromEntries(index.layers.map((t) => [t.name, t]));
    OVERLAYS.forEach(([name, , , zIndex]) => {
      const t = byName[name];
      if (!t) return;
      if (!grids[name]) {
        grids[name] = { layer: tileLayer(map, t, zIndex).addTo(map), url: t.url };
      } else if (grids[name].url !== t.url) {
        grids[name].url = t.url;
        grids[name].layer.setUrl(gridUrl(map, t.url));
      }
    });
    relabel();
  }

  async function loadDetail() {
    const mine = seq.next();
    if (map.getZoom() < LABEL_ZOOM) { detail.clearLayers(); return; }
    const data = await api.get(`/api/v1/layers/parcel_labels?bbox=${bboxOf(map)}&zoom=${map.getZoom()}`);
    if (!seq.isLatest(mine)) return;
    detail.show(data);
  }

  async function load() {
    try { await Promise.all([loadTiles(), loadDetail()]); } catch (e) { showError(e); }
  }

  // A map left open sees later imports: the index is read again when the page is shown again
  // and every few minutes while it is shown; only a layer whose version changed is redrawn.
  // A failed read keeps the tiles drawn (the next one tries again), so it is not shown.
  const refresh = () => {
    if (document.visibilityState === 'visible' && Object.keys(grids).length) loadTiles().catch(() => {});
  };
  document.addEventListener('visibilitychange', refresh);
  setInterval(refresh, INDEX_EVERY_MS);

  watchClicks(map, api, showError, onParcelClick);
  i18n.onChange(relabel);
  // the first move (to the data's extent at start-up) reads the tile index too
  const moved = () => (Object.keys(grids).length ? loadDetail().catch(showError) : load());
  return { load, watch: () => map.on('moveend', moved) };
}
