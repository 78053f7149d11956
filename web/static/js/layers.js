/* The data layers, loaded for the map's bbox and zoom, and the layer control (labelled from the catalogue). */

import { createSequence } from './api.js';
import { escapeHtml } from './dom.js';

const PUBLIC_COLOURS = { street: '#bdbdbd', park: '#a6d96a', water: '#9ecae1', square: '#d9d9d9', traffic: '#bdbdbd' };
const PLAN_COLOURS = {
  'detailed-plan': '#e66101', 'building-area': '#fdb863', 'planning-need': '#b2abd2', 'shore-plan': '#5e3c99', 'master-plan': '#999',
};
const LABEL_ZOOM = 17;

/** A property id in its short form, e.g. 09102206940025 -> 91-22-694-25. */
function shortId(pid) {
  if (!pid || pid.length < 14) return pid;
  return [pid.slice(0, 3), pid.slice(3, 6), pid.slice(6, 10), pid.slice(10, 14)].map((x) => String(parseInt(x, 10))).join('-');
}

function parcelsLayer(map, onParcelClick) {
  return L.geoJSON(null, {
    style: (f) => ({
      color: '#555', weight: 1, fillOpacity: f.properties.kind === 'public' ? 0.5 : 0.05,
      fillColor: PUBLIC_COLOURS[f.properties.public_type] || '#fee08b',
    }),
    onEachFeature: (f, layer) => {
      layer.on('click', () => onParcelClick(f.properties.property_id));
      if (map.getZoom() >= LABEL_ZOOM) {
        layer.bindTooltip(shortId(f.properties.property_id), { permanent: true, direction: 'center', className: 'parcel-label' });
      }
    },
  });
}

function buildingsLayer() {
  return L.geoJSON(null, { style: { color: '#6a3d9a', weight: 1, fillOpacity: 0.3 }, pmIgnore: true, interactive: false });
}

function plansLayer() {
  return L.geoJSON(null, {
    style: (f) => ({ color: PLAN_COLOURS[f.properties.kind] || '#999', weight: 1, fill: false, dashArray: '4 3' }),
    pmIgnore: true, interactive: false,
  });
}

function waterLayer() {
  return L.geoJSON(null, {
    style: (f) => (f.properties.kind === 'water'
      ? { color: '#4393c3', weight: 1, fillColor: '#92c5de', fillOpacity: 0.6 }
      : { color: '#2166ac', weight: 1, dashArray: '2 4', fillOpacity: 0.05 }),
    pmIgnore: true, interactive: false,
  });
}

function worksLayer() {
  return L.geoJSON(null, {
    style: (f) => ({ color: f.properties.status === 'active' ? '#d7301f' : '#fc8d59', weight: 2, fillOpacity: 0.4 }),
    pmIgnore: true,
    onEachFeature: (f, l) => l.bindTooltip(`#${f.properties.permit_id} ${f.properties.start} – ${f.properties.end}`),
  });
}

function bboxOf(map) {
  const b = map.getBounds();
  return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((x) => x.toFixed(6)).join(',');
}

/**
 * The data layers on the map. load() fetches them for the current view (a late answer to an older
 * view is dropped); watch() reloads them whenever the map stops moving. Clicking a parcel calls
 * onParcelClick(property_id). The layer control's labels follow the language.
 */
export function createLayers({ map, api, i18n, showError, onParcelClick }) {
  const parcels = parcelsLayer(map, onParcelClick);
  const buildings = buildingsLayer();
  const plans = plansLayer();
  const water = waterLayer();
  const works = worksLayer();
  [water, plans, parcels, buildings, works].forEach((l) => l.addTo(map)); // bottom to top
  // [catalogue key, English fallback, layer, its URL for a bbox and zoom], in the control's (and the requests') order
  const overlays = [
    ['layer_parcels', 'Parcels', parcels, (bbox, z) => `/api/v1/layers/parcels?bbox=${bbox}&zoom=${z}`],
    ['layer_buildings', 'Buildings', buildings, (bbox, z) => `/api/v1/layers/buildings?bbox=${bbox}&zoom=${z}`],
    ['layer_plans', 'Plans', plans, (bbox, z) => `/api/v1/layers/plans?bbox=${bbox}&zoom=${z}`],
    ['layer_water', 'Water', water, (bbox, z) => `/api/v1/layers/water?bbox=${bbox}&zoom=${z}`],
    ['layer_excavations', 'Works', works, (bbox) => `/api/v1/excavations?bbox=${bbox}`],
  ];
  const seq = createSequence();
  const label = (key, fallback) => escapeHtml(i18n.t(key, fallback));
  const control = L.control.layers(null, Object.fromEntries(overlays.map(([key, fallback, layer]) => [label(key, fallback), layer])),
    { collapsed: true }).addTo(map);

  async function load() {
    const bbox = bboxOf(map);
    const z = map.getZoom();
    const mine = seq.next();
    try {
      const data = await Promise.all(overlays.map(([, , , url]) => api.get(url(bbox, z))));
      if (!seq.isLatest(mine)) return;
      overlays.forEach(([, , layer], i) => { layer.clearLayers(); layer.addData(data[i]); });
      parcels.eachLayer((l) => { if (l.setStyle) l.bringToBack(); });
    } catch (e) { showError(e); }
  }

  function relabel() {
    overlays.forEach(([, , layer]) => control.removeLayer(layer));
    overlays.forEach(([key, fallback, layer]) => control.addOverlay(layer, label(key, fallback)));
  }

  i18n.onChange(relabel);
  return { load, watch: () => map.on('moveend', load) };
}
