/* The Leaflet map (global L from the vendored classic scripts): scale, attribution, basemap, start view. */

import { addBackground, mapOptions } from './background.js';

const START = { centre: [60.2, 24.95], zoom: 15 };
const EXTENT_ZOOM = 16;

/** The map in the element with this id (in the CRS /api/v1/config asks for), with Geoman's options and a metric scale. */
export function createMap(id, cfg) {
  const map = L.map(id, { zoomControl: true, ...mapOptions(cfg) }).setView(START.centre, START.zoom);
  // Geoman's own snapping is by screen pixels (metres on a phone): drawing.js snaps by ground distance instead.
  map.pm.setGlobalOptions({ allowSelfIntersection: true, snappable: false });
  L.control.scale({ imperial: false }).addTo(map);
  return map;
}

/** Apply /api/v1/config: attribution (no Leaflet prefix) and the background map when one is configured. */
export function applyConfig(map, cfg) {
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(cfg.attribution);
  addBackground(map, cfg);
}

/** The phone's results sheet (app.css: fixed at the bottom below 760 px, 55 % of the screen when open). */
const PHONE = '(max-width: 760px)';
const SHEET_SHARE = 0.55;

/**
 * Fit the map to bounds, in view above the phone's results sheet: the sheet opens over the lower part of the
 * map when results arrive, and a site fitted to the whole map would lie behind it (walkthrough 2).
 */
export function fitView(map, bounds) {
  const phone = window.matchMedia(PHONE).matches;
  map.fitBounds(bounds, phone ? { paddingBottomRight: [0, Math.round(window.innerHeight * SHEET_SHARE)] } : {});
}

/** Centre the map on ?at=lat,lng,zoom (a shared view) or else the data extent; false when the map did not move. */
export function showExtent(map, extent, at) {
  const v = (at || '').split(',').map(Number);
  if (v.length === 3 && v.every(Number.isFinite)) { map.setView([v[0], v[1]], v[2], { animate: false }); return true; }
  if (!extent) return false;
  map.setView(L.geoJSON(extent).getBounds().getCenter(), EXTENT_ZOOM);
  return true;
}

/** Below the zoom where parcels are drawn, a note on the map says to zoom in (instead of a blank map). */
export function addZoomNote(map, i18n, minZoom = 14) {
  const Note = L.Control.extend({
    onAdd() {
      const div = L.DomUtil.create('div', 'zoom-note');
      div.id = 'zoom-note';
      div.setAttribute('role', 'status');
      return div;
    },
  });
  new Note({ position: 'topright' }).addTo(map);
  const update = () => {
    const note = document.getElementById('zoom-note');
    note.hidden = map.getZoom() >= minZoom;
    note.textContent = i18n.t('zoom_in');
  };
  map.on('zoomend', update);
  i18n.onChange(update);
  update();
}
