/* Applicant mode: draw a building site (or pick a property) and buildings; live analysis of flags, setbacks, neighbours, fees. */

import { $, el, empty, download } from './dom.js';
import { fitView } from './map.js';
import { renderCoverage, renderFees, renderNeighbours, renderSiteUnits, reportButton } from './render.js';
import { createDraftStore, createHistory, renderShapes, watchLayer } from './sketch.js';
import { createNumericEntry, siteRing } from './numeric.js';

const SITE_STYLE = { color: '#1a9850', weight: 3, fillOpacity: 0.15 };
const BUILDING_STYLE = { color: '#542788', weight: 2, fillOpacity: 0.35 };
const DEBOUNCE_MS = 120;

/** The building form's values, as the analysis wants them. */
function buildingProps() {
  return { use: $('b-use').value, floor_area_m2: Number($('b-floor').value) || null, height_m: Number($('b-height').value) || null };
}

/**
 * The flags, each with "report an inaccuracy"; with none, all-clear only when every check had its data
 * (else the checks not made are named in the coverage list).
 */
function renderFlags(doc, ctx) {
  const { i18n } = ctx;
  const ul = $('flags');
  if (!doc.flags.length) {
    ul.append(doc.all_checked === false
      ? el('li', { class: 'not-checked' }, i18n.t('not_all_checked')) : el('li', { class: 'ok' }, i18n.t('no_flags')));
  }
  for (const f of doc.flags) {
    const report = { source: 'analysis', code: f.code, municipality: doc.municipality, property_id: doc.property_id || null, message: f.message || null };
    ul.append(el('li', { 'data-code': f.code }, el('span', { class: 'flag-code' }, i18n.t('f_' + f.code, f.code)),
      ...(f.message ? [': ', f.message] : []), el('br'), el('small', {}, `${f.decision_text || f.decision} — ${f.legal_basis_text || f.legal_basis}`),
      ' ', reportButton({ ...ctx, report })));
  }
  // a flag a statutory exception lifted (an outbuilding of an existing dwelling): said, and on which basis
  for (const e of doc.exemptions || []) {
    ul.append(el('li', { class: 'lifted ok', 'data-code': e.code, 'data-exemption': e.exemption },
      el('span', { class: 'flag-code' }, i18n.t('f_' + e.code, e.code)), ` — ${i18n.t('lifted')}: `, e.reason,
      el('br'), el('small', {}, e.legal_basis_text || e.legal_basis)));
  }
}

function setbackRow(s, i18n) {
  return el('tr', { class: s.ok ? 'ok' : 'fail', 'data-rule': s.rule },
    el('td', {}, `${i18n.t('building')} ${s.building + 1}`), el('td', {}, i18n.t('rule_' + s.rule, s.rule)),
    el('td', {}, `${i18n.num(s.measured_m, 2)} m`), el('td', {}, `${i18n.t('required')} ${i18n.num(s.required_m, 1)} m`),
    el('td', {}, s.ok ? '✓' : '✗'));
}

/** The dimension line of a setback on the map: path.setback-ok or path.setback-fail. */
function setbackEvidence(s, i18n) {
  const { ok } = s;
  const tip = `${i18n.t('rule_' + s.rule, s.rule)}: ${i18n.num(s.measured_m, 2)} m (${i18n.t('required')} ${i18n.num(s.required_m, 1)} m)`;
  return L.geoJSON(s.evidence, {
    style: { color: ok ? '#1a9850' : '#d73027', weight: 3, dashArray: ok ? null : '6 4', className: ok ? 'setback-ok' : 'setback-fail' },
    pmIgnore: true,
  }).bindTooltip(tip, { sticky: true });
}

function renderSetbacks(setbacks, i18n, results) {
  const body = $('setbacks').tBodies[0];
  for (const s of setbacks) {
    body.append(setbackRow(s, i18n));
    if (s.evidence) setbackEvidence(s, i18n).addTo(results);
  }
}

/** The drawing as a GeoJSON FeatureCollection (coordinates unrounded: Leaflet's default 6 decimals move a corner by up to 11 cm): the site (drawn, or a property id) and the buildings with their properties. */
function drawingAsGeoJSON(state) {
  const fc = { type: 'FeatureCollection', features: [] };
  if (state.site) fc.features.push({ ...state.site.toGeoJSON(false), properties: { role: 'site' } });
  if (state.siteId) fc.features.push({ type: 'Feature', geometry: null, properties: { role: 'site', property_id: state.siteId } });
  state.buildings.forEach((b) => fc.features.push({ ...b.toGeoJSON(false), properties: { role: 'building', ...b.props } }));
  return fc;
}

/** Put a saved drawing's features into state (and on the map) through adopt.site(layer) and adopt.building(layer, props). */
function restoreDrawing(state, map, fc, adopt) {
  for (const f of fc.features || []) {
    const role = (f.properties || {}).role;
    if (role === 'site' && f.properties.property_id) { state.siteId = f.properties.property_id; continue; }
    if (!f.geometry) continue;
    const layer = L.geoJSON(f).getLayers()[0];
    layer.addTo(map);
    if (role === 'building') {
      adopt.building(layer, { use: f.properties.use || 'dwelling', floor_area_m2: f.properties.floor_area_m2, height_m: f.properties.height_m });
    } else {
      adopt.site(layer);
    }
  }
}

/**
 * Applicant mode. Owns the drawn site (or picked property id), the buildings and the last analysis.
 * requests is the request sequence shared with the other live-checking mode: only the latest answer renders.
 * Every change is kept in the browser (restored on reload) and can be undone.
 */
export class Applicant {
  constructor({ map, draw, api, i18n, results, showError, requests, openCase }) {
    Object.assign(this, { map, draw, api, i18n, results, showError, requests, openCase });
    this.state = { site: null, siteId: null, buildings: [], selected: -1, picking: false, lastAnalysis: null, timer: null, filed: false, filing: false };
    this.draft = createDraftStore('rajapiste.draft.applicant');
    this.history = createHistory();
    this.changed = this.changed.bind(this);
    $('draw-site').addEventListener('click', () => draw.start('Polygon', (layer) => this.onSiteDrawn(layer)));
    $('draw-building').addEventListener('click', () => this.startBuilding());
    $('pick-property').addEventListener('click', () => this.startPicking());
    // buildings drawn on another site when a plot is picked: moved onto it, kept, or removed
    ['move', 'keep', 'remove'].forEach((how) => $(`buildings-${how}`).addEventListener('click', () => this.placeBuildings(how)));
    // Escape: no answer, so no new site (the former one and its buildings stay as they were)
    $('buildings-elsewhere').addEventListener('keydown', (e) => {
      if (e.key !== 'Escape') return;
      this.dropChoice();
      $('draw-status').textContent = '';
      $('pick-property').focus();
    });
    ['b-use', 'b-floor', 'b-height'].forEach((id) => $(id).addEventListener('change', () => this.onBuildingFormChange()));
    $('new-kind').addEventListener('change', () => this.persist());
    $('existing-dwelling').addEventListener('change', () => { this.persist(); this.schedule(); });
    $('save').addEventListener('click', () => this.save());
    $('load').addEventListener('change', (e) => this.load(e));
    $('clear').addEventListener('click', () => this.clear());
    $('create-application').addEventListener('click', () => this.createApplication());
    this.numeric = createNumericEntry({
      map, api, i18n, showError, site: () => siteRing(this.state.site, this.state.lastAnalysis),
      add: (kind, layer) => (kind === 'site' ? this.onSiteDrawn(layer) : this.onBuildingDrawn(layer)),
    });
  }

  /** A building needs a site first: say so instead of doing nothing. */
  startBuilding() {
    if (!this.state.site && !this.state.siteId) { this.showError({ detail: this.i18n.t('need_site_first') }); return; }
    this.showError(null);
    this.draw.start('Polygon', (layer) => this.onBuildingDrawn(layer));
  }

  /** File a draft application from the drawing (site or property, buildings) and open it; one at a time. */
  async createApplication() {
    const { state } = this;
    if (!state.site && !state.siteId) { this.showError({ detail: this.i18n.t('need_site_first') }); return; }
    if (state.filing) return;
    state.filing = true;
    $('create-application').disabled = true;
    try {
      const doc = await this.api.post('/api/v1/applications', { kind: $('new-kind').value, ...this.requestBody() });
      this.showError(null);
      state.filed = true;
      this.draft.clear();
      this.openCase(doc.id);
    } catch (e) { this.showError(e); } finally {
      state.filing = false;
      $('create-application').disabled = false;
    }
  }

  /** Something in the drawing changed: keep it, list it, analyse it soon. */
  changed() {
    this.dropChoice(); // a question about the drawing as it was no longer stands
    this.state.filed = false;
    this.persist();
    this.renderShapes();
    this.schedule();
  }

  /** The drawing and the form into the browser's storage and the undo history. */
  persist() {
    const snapshot = this.snapshot();
    this.history.record(JSON.stringify(snapshot));
    if (this.state.site || this.state.siteId || this.state.buildings.length) this.draft.save(snapshot); else this.draft.clear();
  }

  /** What undo and the kept draft bring back: the drawing, the kind, the selection and the dwelling answer. */
  snapshot() {
    const { state } = this;
    return { fc: drawingAsGeoJSON(state), kind: $('new-kind').value, selected: state.selected, dwelling: $('existing-dwelling').value };
  }

  /** Work not yet filed as an application (the page warns before it is left). */
  unsaved() {
    const { site, siteId, buildings, filed } = this.state;
    return !filed && Boolean(site || siteId || buildings.length);
  }

  /** Back to a snapshot (undo, or the draft kept from the last visit). */
  restore(snapshot) {
    this.removeAll();
    restoreDrawing(this.state, this.map, snapshot.fc || {}, {
      site: (layer) => this.adoptSite(layer), building: (layer, props) => this.adoptBuilding(layer, props),
    });
    if (snapshot.kind) $('new-kind').value = snapshot.kind;
    $('existing-dwelling').value = snapshot.dwelling || '';
    this.state.selected = Math.min(snapshot.selected ?? this.state.buildings.length - 1, this.state.buildings.length - 1);
    this.showSelected();
    this.renderShapes();
    this.schedule();
  }

  /** The draft of the last visit, if any, back on the map. */
  restoreDraft() {
    const snapshot = this.draft.load();
    if (!snapshot) { this.persist(); return; }
    this.restore(snapshot);
    this.history.record(JSON.stringify(this.snapshot()));
    const g = L.featureGroup([this.state.site, ...this.state.buildings].filter(Boolean));
    if (g.getLayers().length) fitView(this.map, g.getBounds().pad(0.5));
  }

  undo() {
    const previous = this.history.undo();
    if (!previous) return false;
    this.restore(JSON.parse(previous));
    this.state.filed = false;
    this.draft.save(JSON.parse(previous));
    return true;
  }

  /** Analyse soon: changes in quick succession make one request. */
  schedule() {
    clearTimeout(this.state.timer);
    this.state.timer = setTimeout(() => this.run(), DEBOUNCE_MS);
  }

  requestBody() {
    const { site, siteId, buildings } = this.state;
    const body = { buildings: buildings.map((b) => ({ footprint: b.toGeoJSON(false).geometry, ...b.props })) };
    if (siteId) body.property_id = siteId; else body.site = site.toGeoJSON(false).geometry;
    // an outbuilding beside an existing dwelling needs no exception (shore, planning need): the
    // applicant may say so where the building register does not know the dwelling
    const dwelling = $('existing-dwelling').value;
    if (dwelling) body.existing_dwelling = dwelling === 'yes';
    return body;
  }

  async run() {
    const { state, requests } = this;
    if (!state.site && !state.siteId) { state.lastAnalysis = null; this.render(); return; }
    const body = this.requestBody();
    const mine = requests.next();
    try {
      const doc = await this.api.post('/api/v1/analysis/site', body);
      if (!requests.isLatest(mine)) return;
      this.showError(null);
      state.lastAnalysis = doc;
      this.render();
    } catch (e) {
      if (!requests.isLatest(mine)) return;
      // the last answer was for another drawing: not left on the map and in the panel as this one's
      state.lastAnalysis = null;
      this.render();
      this.showError(e, state.site);
    }
  }

  render() {
    const { i18n, results } = this;
    const doc = this.state.lastAnalysis;
    results.clearLayers();
    empty('flags', 'a-neighbours', 'fees', 'a-coverage');
    $('neighbours-of').hidden = true;
    $('setbacks').tBodies[0].textContent = '';
    this.renderShapes();
    this.sayChoice();
    this.resay();
    if (!doc) return;
    // written by the server in another language (the page's changed since): fetch it again in this one
    if (doc.lang && doc.lang !== i18n.lang) this.schedule();
    if (this.state.siteId) L.geoJSON(doc.site.geometry, { style: { ...SITE_STYLE }, pmIgnore: true }).addTo(results);
    renderFlags(doc, this);
    renderCoverage($('a-coverage'), doc, i18n);
    renderSetbacks(doc.setbacks, i18n, results);
    renderSiteUnits($('neighbours-of'), doc.site, i18n);
    renderNeighbours({ list: doc.neighbours, ul: $('a-neighbours'), results, i18n });
    renderFees($('fees'), doc.fees.lines, doc.fees.total_eur, i18n, doc.fees.not_configured || [], doc.fees.note);
    document.dispatchEvent(new CustomEvent('rajapiste:results'));
  }

  /** The drawn site and buildings, each with edit, move and delete; a building's name selects it for the form. */
  renderShapes() {
    const { state, i18n } = this;
    const items = [];
    if (state.site) items.push({ key: 'site', label: i18n.t('site'), layer: state.site, onDelete: () => this.deleteSite() });
    state.buildings.forEach((b, i) => items.push({
      key: `building-${i + 1}`, label: `${i18n.t('building')} ${i + 1}`, layer: b, selected: i === state.selected,
      onSelect: () => this.select(i), onDelete: () => this.deleteBuilding(i),
    }));
    renderShapes($('a-shapes'), items, i18n);
  }

  adoptSite(layer) {
    if (this.state.site) this.map.removeLayer(this.state.site);
    this.state.site = layer;
    this.state.siteId = null;
    layer.setStyle(SITE_STYLE);
    watchLayer(layer, this.changed);
  }

  adoptBuilding(layer, props) {
    layer.setStyle(BUILDING_STYLE);
    layer.props = props;
    watchLayer(layer, this.changed);
    this.state.buildings.push(layer);
  }

  onSiteDrawn(layer) {
    this.adoptSite(layer);
    this.changed();
  }

  onBuildingDrawn(layer) {
    this.adoptBuilding(layer, buildingProps());
    this.state.selected = this.state.buildings.length - 1;
    this.showSelected();
    this.changed();
  }

  deleteSite() {
    if (this.state.site) this.map.removeLayer(this.state.site);
    this.state.site = null;
    this.state.lastAnalysis = null;
    this.changed();
  }

  deleteBuilding(i) {
    this.map.removeLayer(this.state.buildings[i]);
    this.state.buildings.splice(i, 1);
    this.state.selected = Math.min(this.state.selected, this.state.buildings.length - 1);
    this.showSelected();
    this.changed();
  }

  /** The building form shows, and applies to, the selected building. */
  select(i) {
    this.state.selected = i;
    this.showSelected();
    this.renderShapes();
  }

  showSelected() {
    const b = this.state.buildings[this.state.selected];
    $('b-selected').textContent = b ? `${this.i18n.t('building')} ${this.state.selected + 1}` : this.i18n.t('next_building');
    if (!b) return;
    $('b-use').value = b.props.use;
    $('b-floor').value = b.props.floor_area_m2 ?? '';
    $('b-height').value = b.props.height_m ?? '';
  }

  onBuildingFormChange() {
    const b = this.state.buildings[this.state.selected];
    if (b) { b.props = buildingProps(); this.changed(); }
  }

  startPicking() {
    this.dropChoice();
    this.state.picking = true;
    $('pick-property').classList.add('active');
    this.say('hint_pick');
  }

  /**
   * A parcel clicked on the map becomes the site while "pick a property" is on. Buildings drawn on
   * another site may lie outside it (the analysis refuses them): the applicant chooses first.
   */
  async parcelClicked(pid, at) {
    if (this.state.picking) await this.choosePlot(pid, at);
  }

  /**
   * A property found with the search box becomes the site, as a picked one does: buildings drawn on
   * another site are asked about first (the search was the keyboard's way to lose them unasked).
   */
  async propertyFound(pid, at) {
    this.dropChoice();
    this.unsay(); // what was said of the drawing before the search (buildings removed, the pick hint)
    await this.choosePlot(pid, at);
  }

  /** A street (or another place with no plot) found: the map left the plot a question about the buildings named. */
  placeFound() {
    this.dropChoice();
  }

  /** The plot `pid` (a point `at` inside it) as the site: asked about the buildings drawn elsewhere, if any. */
  async choosePlot(pid, at) {
    const { state } = this;
    state.picking = false;
    $('pick-property').classList.remove('active');
    if (this.said?.key === 'hint_pick') this.unsay();
    const elsewhere = (state.site || state.siteId) && pid !== state.siteId && state.buildings.length;
    if (!elsewhere || !at) { this.pickSite(pid); return; }
    try { // where moved buildings would go: the centre of the largest circle inside the plot
      // the room the buildings need: half their extent's diagonal (a smaller free room: the whole plot's);
      // the drawing does not change while the question stands (an edit withdraws it)
      const box = L.featureGroup(state.buildings).getBounds();
      const need = this.map.distance(box.getSouthWest(), box.getNorthEast()) / 2;
      const q = `lon=${at.lng.toFixed(7)}&lat=${at.lat.toFixed(7)}&inside=true&need_m=${need.toFixed(1)}`;
      const found = await this.api.get(`/api/v1/parcels/at?${q}`);
      if (found.property_id !== pid || !found.inside) { this.pickSite(pid); return; }
      // a drawn site: the buildings may well lie on the plot, so leaving them is the first choice
      this.pending = { pid, hit: found, drawn: Boolean(state.site), box, need };
    } catch (e) { this.showError(e); return; }
    this.sayChoice();
    $('buildings-elsewhere').hidden = false;
    $(this.pending.drawn ? 'buildings-keep' : 'buildings-move').focus();
  }

  /** The status line from the catalogue (`key` null: cleared), with its {placeholders} filled from `vars`. */
  say(key, vars = {}) {
    const text = key ? Object.entries(vars).reduce((t, [k, v]) => t.replace(`{${k}}`, v), this.i18n.t(key)) : '';
    $('draw-status').textContent = text;
    this.said = key ? { key, vars, text } : null;
  }

  /** What say() said still stands: the drawing's own hints have not replaced it. */
  stands() { return Boolean(this.said) && $('draw-status').textContent === this.said.text; }

  /** What say() said, cleared while it stands. */
  unsay() { if (this.stands()) this.say(null); }

  /** What say() said, again in the page's language while it stands. */
  resay() {
    if (this.stands()) this.say(this.said.key, this.said.vars);
    else this.said = null;
  }

  /** The question about the buildings, in the page's language (said again after a language change). */
  sayChoice() {
    if (!this.pending) return;
    const n = String(this.state.buildings.length);
    const [before, after = ''] = this.i18n.t('buildings_elsewhere').replace('{n}', n).split('{id}');
    $('buildings-elsewhere-text').replaceChildren(before, el('span', { class: 'nb' }, this.pending.hit.property_id_short), after);
  }

  /** The question withdrawn (the drawing changed, another pick, a new site). */
  dropChoice() {
    if (!this.pending) return;
    this.pending = null;
    $('buildings-elsewhere').hidden = true;
  }

  /** The picked plot becomes the site, the buildings moved onto it (to the centre of the largest circle inside it), kept or removed. */
  placeBuildings(how) {
    const { state, pending } = this;
    this.dropChoice();
    if (!pending) return;
    if (how === 'move' && state.buildings.length) {
      const c = pending.box.getCenter();
      const [lon, lat] = pending.hit.inside;
      const shift = (ll) => (Array.isArray(ll) ? ll.map(shift) : L.latLng(ll.lat + lat - c.lat, ll.lng + lon - c.lng));
      state.buildings.forEach((b) => { b.pm?.disable(); b.setLatLngs(shift(b.getLatLngs())); });
      // the buildings' extent against the room inside the plot: said when they may not fit as they are
      const fits = pending.need <= pending.hit.inside_radius_m;
      // the room around them in view, where the panel leaves the map free (on a phone it covers the lower part)
      const room = L.latLng(lat, lon).toBounds(Math.max(4 * pending.hit.inside_radius_m, 60));
      fitView(this.map, room.extend(L.featureGroup(state.buildings).getBounds()));
      this.say(fits ? 'buildings_moved' : 'buildings_moved_tight');
    } else if (how === 'remove') {
      state.buildings.forEach((b) => this.map.removeLayer(b));
      state.buildings = [];
      state.selected = -1;
      this.showSelected();
      this.say('buildings_removed');
    } else {
      this.say('buildings_kept');
    }
    this.pickSite(pending.pid);
    $('pick-property').focus();
  }

  pickSite(pid) {
    const { state } = this;
    if (state.site) { this.map.removeLayer(state.site); state.site = null; }
    if (pid !== state.siteId) $('existing-dwelling').value = ''; // another plot: the register's word again
    state.siteId = pid;
    this.changed();
  }

  removeAll() {
    this.dropChoice();
    if (this.state.site) this.map.removeLayer(this.state.site);
    this.state.buildings.forEach((b) => this.map.removeLayer(b));
    Object.assign(this.state, { site: null, siteId: null, buildings: [], selected: -1, lastAnalysis: null });
    $('existing-dwelling').value = ''; // another site: the register's word until told otherwise
  }

  clear() {
    this.removeAll();
    this.render();
    this.showSelected();
    this.showError(null);
    this.persist();
  }

  save() {
    const json = JSON.stringify(drawingAsGeoJSON(this.state));
    download(new Blob([json], { type: 'application/geo+json' }), 'rajapiste-site.geojson');
  }

  /** A file's features in EPSG:4326, read by the server (a GeoPackage, or GeoJSON; a property-id site kept as it is). */
  async readFile(file, crs) {
    const q = crs ? `?crs=${crs}` : '';
    if (/\.gpkg$/i.test(file.name)) {
      const form = new FormData();
      form.append('file', file);
      return (await this.api.form(`/api/v1/geometry/geopackage${q}`, form)).features;
    }
    const raw = JSON.parse(await file.text());
    const fc = raw.type === 'FeatureCollection' ? raw : { type: 'FeatureCollection', features: [raw.type === 'Feature' ? raw : { type: 'Feature', properties: {}, geometry: raw }] };
    const drawn = fc.features.filter((f) => f.geometry);
    const doc = drawn.length ? await this.api.post(`/api/v1/geometry/geojson${q}`, { ...fc, features: drawn }) : { features: [] };
    return fc.features.filter((f) => !f.geometry).concat(doc.features);
  }

  /**
   * Open a GeoJSON file or GeoPackage: its shapes are read by the server in the file's CRS (3067, GK zones, 4326: chosen,
   * or the file's own `crs`, or its extent). Features with role site/building keep it; else the first polygon
   * is the site (when there is none) and the others are buildings.
   */
  async load(e) {
    const file = e.target.files[0];
    if (!file) return;
    try {
      const read = await this.readFile(file, $('load-crs').value);
      // only areas are a site or a building: a point (an address from a GIS) or a line is left out, and said so
      const shapes = read.filter((f) => !f.geometry || /Polygon$/.test(f.geometry.type));
      // A file with its own site (a saved drawing) replaces the drawing; a file of buildings joins
      // what is drawn (a site drawn by hand is not lost, nor doubled by opening the same drawing)
      const ownSite = shapes.some((f) => (f.properties || {}).role === 'site');
      const features = withRoles(shapes, !ownSite && Boolean(this.state.site || this.state.siteId));
      const drawn = ownSite ? [] : drawingAsGeoJSON(this.state).features;
      this.restore({ fc: { type: 'FeatureCollection', features: [...drawn, ...features] }, kind: $('new-kind').value, dwelling: $('existing-dwelling').value });
      const left = read.length - shapes.length;
      this.say(left ? (left === 1 ? 'file_not_areas_one' : 'file_not_areas') : null, { n: String(left) });
      const g = L.featureGroup([this.state.site, ...this.state.buildings].filter(Boolean));
      if (g.getLayers().length) fitView(this.map, g.getBounds().pad(0.5));
      this.changed();
    } catch (err) { this.showError({ detail: `${file.name}: ${err.detail || err.message || err}` }); }
    e.target.value = '';
  }
}

/** Roles for a loaded file's features: the ones given are kept; else the first polygon is the site (unless hasSite), the rest buildings. */
function withRoles(features, hasSite) {
  let site = hasSite || features.some((f) => (f.properties || {}).role === 'site');
  return features.map((f) => {
    const props = f.properties || {};
    if (props.role) return f;
    const role = site ? 'building' : 'site';
    site = true;
    return { ...f, properties: { ...props, role } };
  });
}

export const createApplicant = (deps) => new Applicant(deps);
