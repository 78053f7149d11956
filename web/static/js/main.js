/* Rajapiste map UI: applicants draw sites, officers get neighbour lists, contractors mark dig areas.
   Everything it loads comes from this server (vendored Leaflet and Leaflet-Geoman, loaded before this module).
   This entry point creates the shared pieces and hands them to the modules; it alone knows the current mode. */

import { createApi, request } from './api.js';
import { createSession } from './session.js';
import { createAccount } from './account.js';
import { $, $$, touchKey } from './dom.js';
import { createI18n } from './i18n.js';
import { addZoomNote, applyConfig, createMap, showExtent } from './map.js';
import { createDrawing } from './drawing.js';
import { createLayers } from './layers.js';
import { createApplicant } from './applicant.js';
import { createOfficer } from './officer.js';
import { createContractor } from './contractor.js';
import { createSearch } from './search.js';
import { createCases } from './cases.js';

const MODES = ['applicant', 'officer', 'contractor', 'cases'];
const DRAWING_MODES = ['applicant', 'contractor'];

/** showError(err, layer): the error box (hidden for a null err), and a permanent tooltip on the layer at fault. */
function createErrorReporter(box, i18n) {
  let marked = null; // the layer carrying the last error's tooltip: cleared with the error
  let shown = null; // the error in the box, and its tooltip's text node
  // a language switch says the errors on screen again in the new language, where the server gave
  // them in each (the box, the layer's tooltip and the boxes beside a form)
  i18n.onChange(() => {
    if (shown) {
      box.textContent = i18n.error(shown.err);
      if (shown.tip) { shown.tip.textContent = i18n.detail(shown.err); marked?.getTooltip()?.update(); } // placed anew
    }
    document.querySelectorAll('.error-beside').forEach((n) => { if (!n.hidden && n.rpError) n.textContent = i18n.error(n.rpError); });
  });
  return function showError(err, layer) {
    if (marked) { marked.unbindTooltip(); marked = null; }
    shown = null;
    if (!err) { box.hidden = true; box.textContent = ''; return; }
    box.hidden = false;
    box.textContent = i18n.error(err);
    shown = { err, tip: null };
    if (layer && layer.bindTooltip) {
      // a node, not a string: Leaflet writes a string tooltip as HTML, and the server's
      // message may repeat a value from the user's own file
      const tip = document.createElement('span');
      tip.textContent = i18n.detail(err);
      layer.bindTooltip(tip, { permanent: true, className: 'error-tip' }).openTooltip();
      marked = layer;
      shown.tip = tip;
    }
  };
}

function createApp(cfg) {
  const app = { mode: 'applicant', modes: {} };
  const session = createSession();
  const api = createApi(session);
  const i18n = createI18n({ api });
  const map = createMap('map', cfg);
  const results = L.layerGroup().addTo(map);
  const showError = createErrorReporter($('error'), i18n);
  const current = () => (Object.hasOwn(app.modes, app.mode) ? app.modes[app.mode] : null); // none for an unknown ?mode=
  const layers = createLayers({ map, api, i18n, showError, onParcelClick: (pid, at) => current()?.parcelClicked?.(pid, at) });
  const shared = {
    map, draw: createDrawing(map, { api, i18n }), layers, api, session, i18n, results, showError, requests: api.createSequence(),
    openCase: (id) => { setMode(app, 'cases'); app.modes.cases.open(id); },
    editDig: (id) => { setMode(app, 'contractor'); app.modes.contractor.edit(id); },
    daysOff: new Set(cfg.days_off || []), // Finland's holidays and eves (weekends besides)
  };
  app.modes = {
    applicant: createApplicant(shared), officer: createOfficer(shared), contractor: createContractor(shared), cases: createCases(shared),
  };
  createSearch({
    map, api, i18n, showError, onProperty: (pid, at) => current()?.propertyFound?.(pid, at), onPlace: () => current()?.placeFound?.(),
  });
  const account = createAccount({ session, i18n, showError });
  // When the user changes, what they may see does: open documents are fetched again (owners shown or withheld).
  let shownTo = null;
  session.onChange((user) => {
    const who = user ? user.email : null;
    if (who === shownTo) return;
    shownTo = who;
    Object.values(app.modes).forEach((m) => m.accountChanged?.(m === current()));
    layers.load();
  });
  Object.assign(app, { api, i18n, map, results, showError, layers, current, session, account, draw: shared.draw });
  return app;
}

function setMode(app, mode) {
  app.mode = mode;
  app.draw.cancel();
  $('drawbar').hidden = !DRAWING_MODES.includes(mode);
  $('mode-hint').dataset.i18n = `hint_${mode}`;
  $('mode-hint').textContent = app.i18n.t(`hint_${mode}`);
  $$('.modes button').forEach((b) => b.setAttribute('aria-selected', String(b.dataset.mode === mode)));
  MODES.forEach((m) => { $(m).hidden = m !== mode; });
  app.map.pm.disableDraw();
  app.results.clearLayers();
  app.showError(null);
  app.current()?.render();
}

/** Start-up: configuration, data layers (loaded once, then on every map move), language, mode from the URL. */
async function start(app, cfg) {
  const params = new URLSearchParams(location.search);
  applyConfig(app.map, cfg);
  app.draw.setSnapDistance(cfg.snap_m);
  $('attribution-note').textContent = cfg.attribution;
  app.layers.watch();
  if (!showExtent(app.map, cfg.extent, params.get('at'))) app.layers.load(); // moving to the extent loads them
  // the snapping distance as the server sets it, in the page's number format
  app.i18n.onChange(() => { $('snap-m').textContent = app.i18n.num(app.draw.snapDistance, 1); });
  await app.i18n.setLang(params.get('lang') || 'fi');
  addZoomNote(app.map, app.i18n);
  await app.session.restore();
  setMode(app, params.get('mode') || 'applicant');
  DRAWING_MODES.forEach((m) => app.modes[m].restoreDraft());
  $('lang').addEventListener('change', (e) => app.i18n.setLang(e.target.value).catch(app.showError));
  document.body.dataset.ready = '1';
}

/** Keys while drawing: Escape cancels the drawing, Backspace removes its last corner; Ctrl+Z undoes. */
function onKey(app, e) {
  if (e.key === 'Escape' && app.draw.cancel()) { e.preventDefault(); return; }
  const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName);
  if (e.key === 'Backspace' && !typing && app.draw.active && app.draw.undoCorner()) { e.preventDefault(); return; }
  if (e.key === 'z' && (e.ctrlKey || e.metaKey) && !typing) { e.preventDefault(); undo(app); }
}

/** Undo: the last corner while drawing, else the last change of the mode's drawing. */
function undo(app) {
  if (app.draw.active) { app.draw.undoCorner(); return; }
  if (!app.current()?.undo?.()) $('draw-status').textContent = app.i18n.t('nothing_to_undo');
}

/** Wire what is the page's: keys, undo, the leave-page warning, the phone's results sheet. */
function wirePage(app) {
  document.addEventListener('keydown', (e) => onKey(app, e));
  $('undo').addEventListener('click', () => undo(app));
  // Work not yet sent is kept in the browser, but leaving may still be a mistake: the browser asks.
  window.addEventListener('beforeunload', (e) => {
    if (DRAWING_MODES.some((m) => app.modes[m].unsaved())) { e.preventDefault(); e.returnValue = ''; }
  });
  const sheet = (open) => {
    document.body.classList.toggle('sheet-open', open);
    $('sheet-toggle').setAttribute('aria-expanded', String(open));
  };
  $('sheet-toggle').addEventListener('click', () => sheet(!document.body.classList.contains('sheet-open')));
  document.addEventListener('rajapiste:results', () => sheet(true));
}

/** Geoman's drawing hints this page uses, in its own words: Geoman's Finnish ones are ungrammatical, and a
 * finger taps, it does not click. */
const PM_TOOLTIPS = ['firstVertex', 'continueLine', 'finishPoly', 'finishLine', 'finishRect', 'placeMarker'];

/** The map's own controls in the page's language: Geoman's drawing hints, zoom and layer buttons. */
function relabelMap(map, i18n, lang) {
  const tooltips = Object.fromEntries(PM_TOOLTIPS.map((k) => [k, i18n.t(touchKey(`pm_${k}`))]));
  map.pm.setLang?.(lang, { tooltips }, lang);
  const label = (selector, key) => document.querySelectorAll(selector).forEach((n) => {
    n.title = i18n.t(key);
    n.setAttribute('aria-label', i18n.t(key));
  });
  label('.leaflet-control-zoom-in', 'zoom_in_button');
  label('.leaflet-control-zoom-out', 'zoom_out');
  label('.leaflet-control-layers-toggle', 'map_layers');
}

/** The configuration first: the map's CRS (Web Mercator or EPSG:3067) is fixed when the map is made. */
async function boot() {
  const cfg = await request('/api/v1/config');
  const app = createApp(cfg);
  wirePage(app);
  $$('.modes button').forEach((b) => b.addEventListener('click', () => setMode(app, b.dataset.mode)));
  app.i18n.onChange((lang) => {
    $('lang').value = lang;
    relabelMap(app.map, app.i18n, lang);
    app.account.render();
    app.current()?.render();
  });
  await start(app, cfg);
}

/** A start that failed (the server starting, the network gone) says so and offers a retry. */
const START_FAILED = { // before any catalogue is loaded: the page's own language
  fi: ['Sivun käynnistys epäonnistui', 'Yritä uudelleen'],
  sv: ['Sidan kunde inte startas', 'Försök igen'],
  en: ['The page could not start', 'Try again'],
};
boot().catch((err) => {
  const [what, retry] = START_FAILED[document.documentElement.lang] || START_FAILED.fi;
  const box = $('error');
  box.hidden = false;
  box.textContent = `${what}: ${err.detail || err.message || err} `;
  const again = document.createElement('button');
  again.type = 'button';
  again.textContent = retry;
  again.addEventListener('click', () => location.reload());
  box.append(again);
});
