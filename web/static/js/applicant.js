/* Applicant mode: draw a building site (or pick a property) and buildings; live analysis of flags, setbacks, neighbours, fees. */

import { $, el, empty, download } from './dom.js';
import { renderFees, renderNeighbours } from './render.js';

const SITE_STYLE = { color: '#1a9850', weight: 3, fillOpacity: 0.15 };
const BUILDING_STYLE = { color: '#542788', weight: 2, fillOpacity: 0.35 };
const DEBOUNCE_MS = 120;

/** The building form's values, as the analysis wants them. */
function buildingProps() {
  return { use: $('b-use').value, floor_area_m2: Number($('b-floor').value) || null, height_m: Number($('b-height').value) || null };
}

function renderFlags(flags, i18n) {
  const ul = $('flags');
  if (!flags.length) ul.append(el('li', { class: 'ok' }, i18n.t('no_flags')));
  for (const f of flags) {
    ul.append(el('li', { 'data-code': f.code }, el('span', { class: 'flag-code' }, i18n.t('f_' + f.code, f.code)), ': ',
      i18n.message(f), el('br'), el('small', {}, `${f.decision} — ${f.legal_basis}`)));
  }
}

function setbackRow(s, i18n) {
  return el('tr', { class: s.ok ? 'ok' : 'fail', 'data-rule': s.rule },
    el('td', {}, `#${s.building + 1}`), el('td', {}, i18n.t('rule_' + s.rule, s.rule)),
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

/** The drawing as a GeoJSON FeatureCollection: the site (drawn, or a property id) and the buildings with their properties. */
function drawingAsGeoJSON(state) {
  const fc = { type: 'FeatureCollection', features: [] };
  if (state.site) fc.features.push({ ...state.site.toGeoJSON(), properties: { role: 'site' } });
  if (state.siteId) fc.features.push({ type: 'Feature', geometry: null, properties: { role: 'site', property_id: state.siteId } });
  state.buildings.forEach((b) => fc.features.push({ ...b.toGeoJSON(), properties: { role: 'building', ...b.props } }));
  return fc;
}

/** Put a saved drawing's features into state (and on the map). */
function restoreDrawing(state, map, fc) {
  for (const f of fc.features || []) {
    const role = (f.properties || {}).role;
    if (role === 'site' && f.properties.property_id) { state.siteId = f.properties.property_id; continue; }
    const layer = L.geoJSON(f).getLayers()[0];
    layer.addTo(map);
    if (role === 'building') {
      layer.props = { use: f.properties.use || 'dwelling', floor_area_m2: f.properties.floor_area_m2, height_m: f.properties.height_m };
      state.buildings.push(layer);
    } else {
      state.site = layer;
    }
  }
}

/**
 * Applicant mode. Owns the drawn site (or picked property id), the buildings and the last analysis.
 * requests is the request sequence shared with the other live-checking mode: only the latest answer renders.
 */
export class Applicant {
  constructor({ map, draw, api, i18n, results, showError, requests, openCase }) {
    Object.assign(this, { map, draw, api, i18n, results, showError, requests, openCase });
    this.state = { site: null, siteId: null, buildings: [], picking: false, lastAnalysis: null, timer: null };
    this.schedule = this.schedule.bind(this);
    $('draw-site').addEventListener('click', () => draw.start('Polygon', (layer) => this.onSiteDrawn(layer)));
    $('draw-building').addEventListener('click', () => draw.start('Polygon', (layer) => this.onBuildingDrawn(layer)));
    $('pick-property').addEventListener('click', () => this.startPicking());
    ['b-use', 'b-floor', 'b-height'].forEach((id) => $(id).addEventListener('change', () => this.onBuildingFormChange()));
    $('save').addEventListener('click', () => this.save());
    $('load').addEventListener('change', (e) => this.load(e));
    $('clear').addEventListener('click', () => this.clear());
    $('create-application').addEventListener('click', () => this.createApplication());
  }

  /** File a draft application from the drawing (site or property, buildings) and open it. */
  async createApplication() {
    if (!this.state.site && !this.state.siteId) { this.showError({ detail: this.i18n.t('draw_site') }); return; }
    try {
      const doc = await this.api.post('/api/v1/applications', { kind: $('new-kind').value, ...this.requestBody() });
      this.showError(null);
      this.openCase(doc.id);
    } catch (e) { this.showError(e); }
  }

  /** Analyse soon: changes in quick succession make one request. */
  schedule() {
    clearTimeout(this.state.timer);
    this.state.timer = setTimeout(() => this.run(), DEBOUNCE_MS);
  }

  requestBody() {
    const { site, siteId, buildings } = this.state;
    const body = { buildings: buildings.map((b) => ({ footprint: b.toGeoJSON().geometry, ...b.props })) };
    if (siteId) body.property_id = siteId; else body.site = site.toGeoJSON().geometry;
    return body;
  }

  async run() {
    const { state, requests } = this;
    if (!state.site && !state.siteId) return;
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
      this.showError(e, state.site);
    }
  }

  render() {
    const { i18n, results } = this;
    const doc = this.state.lastAnalysis;
    results.clearLayers();
    empty('flags', 'a-neighbours', 'fees');
    $('setbacks').tBodies[0].textContent = '';
    if (!doc) return;
    if (this.state.siteId) L.geoJSON(doc.site.geometry, { style: { ...SITE_STYLE }, pmIgnore: true }).addTo(results);
    renderFlags(doc.flags, i18n);
    renderSetbacks(doc.setbacks, i18n, results);
    renderNeighbours({ list: doc.neighbours, ul: $('a-neighbours'), results, i18n });
    renderFees($('fees'), doc.fees.lines, doc.fees.total_eur, i18n);
  }

  onSiteDrawn(layer) {
    if (this.state.site) this.map.removeLayer(this.state.site);
    this.state.site = layer;
    this.state.siteId = null;
    layer.setStyle(SITE_STYLE);
    layer.on('pm:edit', this.schedule);
    this.schedule();
  }

  onBuildingDrawn(layer) {
    layer.setStyle(BUILDING_STYLE);
    layer.props = buildingProps();
    layer.on('pm:edit', this.schedule);
    this.state.buildings.push(layer);
    this.schedule();
  }

  /** The building form applies to the last building drawn. */
  onBuildingFormChange() {
    const last = this.state.buildings[this.state.buildings.length - 1];
    if (last) last.props = buildingProps();
    this.schedule();
  }

  startPicking() {
    this.state.picking = true;
    $('pick-property').classList.add('active');
  }

  /** A parcel clicked on the map becomes the site while "pick a property" is on. */
  parcelClicked(pid) {
    const { state } = this;
    if (!state.picking) return;
    state.picking = false;
    $('pick-property').classList.remove('active');
    if (state.site) { this.map.removeLayer(state.site); state.site = null; }
    state.siteId = pid;
    this.schedule();
  }

  clear() {
    if (this.state.site) this.map.removeLayer(this.state.site);
    this.state.buildings.forEach((b) => this.map.removeLayer(b));
    Object.assign(this.state, { site: null, siteId: null, buildings: [], lastAnalysis: null });
    this.render();
    this.showError(null);
  }

  /** A property found with the search box becomes the site. */
  propertyFound(pid) {
    this.clear();
    this.state.siteId = pid;
    this.schedule();
  }

  save() {
    const json = JSON.stringify(drawingAsGeoJSON(this.state));
    download(new Blob([json], { type: 'application/geo+json' }), 'rajapiste-site.geojson');
  }

  async load(e) {
    const file = e.target.files[0];
    if (!file) return;
    try {
      const fc = JSON.parse(await file.text());
      this.clear();
      restoreDrawing(this.state, this.map, fc);
      const g = L.featureGroup([this.state.site, ...this.state.buildings].filter(Boolean));
      if (g.getLayers().length) this.map.fitBounds(g.getBounds().pad(0.5));
      this.schedule();
    } catch (err) { this.showError({ detail: `${file.name}: ${err.detail || err.message || err}` }); }
    e.target.value = '';
  }
}

export const createApplicant = (deps) => new Applicant(deps);
