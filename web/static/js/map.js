/* The Leaflet map (global L from the vendored classic scripts): Geoman drawing, scale, attribution, basemap. */

import { addBackground, mapOptions } from './background.js';

const START = { centre: [60.2, 24.95], zoom: 15 };
const EXTENT_ZOOM = 16;

/** The map in the element with this id (in the CRS /api/v1/config asks for), with Geoman's options and a metric scale. */
export function createMap(id, cfg) {
  const map = L.map(id, { zoomControl: true, ...mapOptions(cfg) }).setView(START.centre, START.zoom);
  map.pm.setGlobalOptions({ allowSelfIntersection: true, snappable: true, snapDistance: 12 });
  L.control.scale({ imperial: false }).addTo(map);
  return map;
}

/** Apply /api/v1/config: attribution (no Leaflet prefix) and the background map when one is configured. */
export function applyConfig(map, cfg) {
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(cfg.attribution);
  addBackground(map, cfg);
}

/** Centre the map on the data extent (GeoJSON); false when there is none and the map did not move. */
export function showExtent(map, extent) {
  if (!extent) return false;
  map.setView(L.geoJSON(extent).getBounds().getCenter(), EXTENT_ZOOM);
  return true;
}

/**
 * Geoman drawing with one pending owner: start(shape, onCreate) enables drawing and hands the
 * finished layer to onCreate. A shape finished with nobody waiting for it is removed.
 */
export function createDrawing(map) {
  let pending = null;
  map.on('pm:create', (e) => {
    const onCreate = pending;
    pending = null;
    if (onCreate) onCreate(e.layer);
    else map.removeLayer(e.layer);
  });
  return {
    start(shape, onCreate) {
      pending = onCreate;
      map.pm.enableDraw(shape, { snappable: true, finishOn: null });
    },
  };
}
