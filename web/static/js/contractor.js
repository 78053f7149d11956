/* Contractor mode: excavation (dig) permits in phases; live findings and fee; submit. */

import { $, el, empty, finnishToday } from './dom.js';
import { fitView } from './map.js';
import { createDigEntry } from './numeric.js';
import { renderCoverage, renderDigFindings, renderFees } from './render.js';
import { createDraftStore, createHistory, renderShapes, watchLayer } from './sketch.js';

const DEBOUNCE_MS = 120;
/** Phase property -> its form field. */
const PHASE_FIELDS = { start: 'c-start', end: 'c-end', on_carriageway: 'c-carriageway', traffic_plan: 'c-plan', width_m: 'c-width' };
/** The form fields whose change re-checks the application. */
const FORM_FIELDS = ['c-start', 'c-end', 'c-carriageway', 'c-plan', 'c-width', 'c-emergency'];

/** A phase's width for the lines drawn in it, metres (the form's default). */
const LINE_WIDTH_M = 1.0;

const pad = (n) => String(n).padStart(2, '0');
/** A local calendar day as YYYY-MM-DD (toISOString would give the UTC day). */
const isoDay = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/**
 * The first phase: starts in ten days, on the first working day from then (not on a weekend or on one of
 * `daysOff`, Finland's holidays and eves as the server lists them), and lasts ten; from today in Finland.
 */
function firstPhase(today, daysOff) {
  const day = new Date(`${today}T12:00:00`);
  day.setDate(day.getDate() + 10);
  while ([0, 6].includes(day.getDay()) || daysOff.has(isoDay(day))) day.setDate(day.getDate() + 1);
  const end = new Date(day);
  end.setDate(end.getDate() + 10);
  return {
    start: isoDay(day), end: isoDay(end),
    on_carriageway: false, traffic_plan: '', width_m: LINE_WIDTH_M, digs: [],
  };
}

/** A next phase: like the last one, starting the day after it ends and lasting a week. */
function nextPhase(last) {
  const start = new Date(last.end + 'T12:00:00');
  start.setDate(start.getDate() + 1);
  const end = new Date(start);
  end.setDate(end.getDate() + 7);
  return { ...last, start: isoDay(start), end: isoDay(end), digs: [] };
}

const DIG_STYLE = (isLine) => ({ color: '#d7301f', weight: isLine ? 4 : 2, fillOpacity: 0.4 });

/**
 * Contractor mode. Owns the phases (each with its dig areas and lines), the phase shown in the form and the last check.
 * layers is reloaded after a submission (the new works appear); requests is shared with the applicant's live analysis.
 * Every change is kept in the browser (restored on reload) and can be undone; a submission is sent once.
 */
export class Contractor {
  constructor({ map, draw, layers, api, i18n, results, showError, requests, openCase, daysOff }) {
    Object.assign(this, { map, draw, layers, api, i18n, results, showError, requests, openCase });
    // editing: a filed application being changed ({ id, version } and what the form does not show), else null
    this.state = { phases: [firstPhase(finnishToday(), daysOff)], phase: 0, digs: [], lastCheck: null, timer: null, sending: false, sent: null, editing: null };
    this.draft = createDraftStore('rajapiste.draft.contractor');
    this.history = createHistory();
    this.changed = this.changed.bind(this);
    this.showPhase();
    $('c-phase').addEventListener('change', (e) => this.selectPhase(Number(e.target.value)));
    $('c-add-phase').addEventListener('click', () => this.addPhase());
    $('draw-dig').addEventListener('click', () => draw.start('Polygon', (layer) => this.onDigDrawn(layer, false)));
    $('draw-dig-line').addEventListener('click', () => draw.start('Line', (layer) => this.onDigDrawn(layer, true)));
    createDigEntry({ map, api, i18n, showError, add: (layer) => this.onDigDrawn(layer, false) });
    $('c-clear').addEventListener('click', () => this.clear());
    $('c-edit-stop').addEventListener('click', () => this.stopEditing());
    FORM_FIELDS.forEach((id) => $(id).addEventListener('change', () => { this.storePhase(); this.changed(); }));
    $('submit').addEventListener('click', () => this.submit());
  }

  showPhase() {
    const { phases, phase } = this.state;
    const ph = phases[phase];
    for (const [k, id] of Object.entries(PHASE_FIELDS)) {
      if ($(id).type === 'checkbox') $(id).checked = ph[k]; else $(id).value = ph[k] ?? '';
    }
    $('c-phase-n').textContent = String(phase + 1);
    $('c-phase').textContent = '';
    phases.forEach((_, i) => $('c-phase').append(el('option', { value: String(i) }, String(i + 1))));
    $('c-phase').value = String(phase);
  }

  /** The form's values into the phase shown. */
  storePhase() {
    const ph = this.state.phases[this.state.phase];
    for (const [k, id] of Object.entries(PHASE_FIELDS)) {
      ph[k] = $(id).type === 'checkbox' ? $(id).checked : (k === 'width_m' ? Number($(id).value) || null : $(id).value);
    }
  }

  selectPhase(i) {
    this.storePhase();
    this.state.phase = i;
    this.showPhase();
  }

  addPhase() {
    const { phases } = this.state;
    this.storePhase();
    phases.push(nextPhase(phases[phases.length - 1]));
    this.state.phase = phases.length - 1;
    this.showPhase();
    this.changed();
  }

  /** Check soon: changes in quick succession make one request. */
  schedule() {
    clearTimeout(this.state.timer);
    this.state.timer = setTimeout(() => this.run(), DEBOUNCE_MS);
  }

  /** Something changed: keep it, list it, check it soon; a changed application may be sent again. */
  changed() {
    this.state.sent = null;
    $('submit').disabled = false;
    this.persist();
    this.renderShapes();
    this.schedule();
  }

  snapshot() {
    const { phases, phase } = this.state;
    return {
      phase, emergency: $('c-emergency').checked, editing: this.state.editing,
      phases: phases.map((ph) => ({ ...ph, digs: ph.digs.map((d) => ({ line: Boolean(d.isLine), feature: d.toGeoJSON(false) })) })),
    };
  }

  persist() {
    const snap = this.snapshot();
    this.history.record(JSON.stringify(snap));
    if (this.state.digs.length) this.draft.save(snap); else this.draft.clear();
  }

  unsaved() { return !this.state.sent && this.state.digs.length > 0; }

  /** Back to a snapshot: phases, their form values and dig areas. */
  restore(snap) {
    this.removeAll();
    const { state } = this;
    state.phases = snap.phases.map((ph) => ({ ...ph, digs: [] }));
    snap.phases.forEach((ph, i) => ph.digs.forEach((d) => {
      const layer = L.geoJSON(d.feature).getLayers()[0].addTo(this.map);
      this.adoptDig(layer, d.line, state.phases[i]);
    }));
    state.phase = Math.min(snap.phase || 0, state.phases.length - 1);
    // an undo within an edit keeps the version its last save left (an older one would be a 409)
    const same = snap.editing && snap.editing.id === state.editing?.id;
    state.editing = snap.editing ? { ...snap.editing, version: Math.max(snap.editing.version, same ? state.editing.version : 0) } : null;
    state.sent = null; // a drawing restored (undone, or kept from before a reload) is not what was sent
    $('submit').disabled = false;
    $('c-emergency').checked = Boolean(snap.emergency);
    this.showEditing();
    this.showPhase();
    this.renderShapes();
    this.schedule();
  }

  restoreDraft() {
    const snap = this.draft.load();
    if (!snap || !snap.phases || !snap.phases.length) { this.persist(); return; }
    this.restore(snap);
    this.history.record(JSON.stringify(this.snapshot()));
  }

  undo() {
    const previous = this.history.undo();
    if (!previous) return false;
    this.restore(JSON.parse(previous));
    this.draft.save(JSON.parse(previous));
    return true;
  }

  adoptDig(layer, isLine, phase) {
    layer.setStyle(DIG_STYLE(isLine));
    layer.isLine = isLine;
    watchLayer(layer, this.changed);
    this.state.digs.push(layer);
    phase.digs.push(layer);
  }

  /** A dig area (polygon) or line drawn: it belongs to the phase shown when it was finished. */
  onDigDrawn(layer, isLine) {
    this.adoptDig(layer, isLine, this.state.phases[this.state.phase]);
    this.changed();
  }

  deleteDig(layer) {
    const { state } = this;
    this.map.removeLayer(layer);
    state.digs = state.digs.filter((d) => d !== layer);
    state.phases.forEach((ph) => { ph.digs = ph.digs.filter((d) => d !== layer); });
    if (!state.digs.length) { state.lastCheck = null; this.render(); }
    this.changed();
  }

  /** Each dig area and line, by phase, with edit, move and delete. */
  renderShapes() {
    const { i18n } = this;
    const items = [];
    this.state.phases.forEach((ph, p) => ph.digs.forEach((d, i) => items.push({
      key: `dig-${p + 1}-${i + 1}`, layer: d, onDelete: () => this.deleteDig(d),
      label: `${i18n.t('phase')} ${p + 1}: ${i18n.t(d.isLine ? 'dig_line' : 'dig_area')} ${i + 1}`,
    })));
    renderShapes($('c-shapes'), items, i18n);
  }

  removeAll() {
    const { state } = this;
    state.digs.forEach((d) => this.map.removeLayer(d));
    state.digs = [];
    state.phases.forEach((ph) => { ph.digs = []; });
    state.lastCheck = null;
  }

  clear() {
    this.removeAll();
    this.state.editing = null; // a new application from here (render says so)
    this.render();
    this.showError(null);
    this.persist();
  }

  /**
   * Edit a filed application (from its case): its phases and dig areas as stored replace the drawing, and
   * saving sends them back with the version read. A drawing not yet sent is replaced only if the user agrees.
   */
  async edit(id) {
    if (this.unsaved() && !window.confirm(this.i18n.t('confirm_replace_digs'))) return;
    try {
      const doc = await this.api.get(`/api/v1/excavations/${id}/application`);
      const { version, kind, applicant, description } = doc;
      this.restore({ // (the version read now: never older than one a save of this edit left)
        phase: 0, emergency: doc.emergency, editing: { id, version, kind, applicant, description },
        phases: doc.phases.map((ph) => ({
          start: ph.start, end: ph.end, on_carriageway: ph.on_carriageway, traffic_plan: ph.traffic_plan || '', width_m: ph.width_m ?? LINE_WIDTH_M,
          // a line comes back as drawn, with its phase's width (one stored before lines were kept: its area)
          digs: ph.areas.map((geometry) => ({ line: geometry.type.endsWith('LineString'), feature: { type: 'Feature', properties: {}, geometry } })),
        })),
      });
      this.persist();
      this.state.sent = id; // as stored: nothing to save until it changes
      $('submit').disabled = true;
      $('submitted').textContent = '';
      fitView(this.map, L.featureGroup(this.state.digs).getBounds());
      $('c-editing-text').focus();
    } catch (e) { this.showError(e); }
  }

  /** Back to a new application: the edit's drawing dropped (changes not saved only if the user agrees). */
  stopEditing() {
    if (this.unsaved() && !window.confirm(this.i18n.t('confirm_stop_editing'))) return;
    this.clear();
    $('c-phase').focus();
  }

  /** The user changed: another user's edit (and its drawing) is not theirs to go on with. */
  accountChanged() {
    if (this.state.editing) this.clear();
  }

  /** Whether a filed application is being edited: said above the form, and the send button saves it. */
  showEditing() {
    const { editing } = this.state;
    $('c-editing').hidden = !editing;
    $('c-editing-text').textContent = editing ? this.i18n.t('editing_dig').replace('{id}', String(editing.id)) : '';
    $('submit').dataset.i18n = editing ? 'save_changes' : 'submit';
    $('submit').textContent = this.i18n.t($('submit').dataset.i18n);
  }

  /** The application: the phases that have digs (an edit keeps what the form does not show). */
  requestBody() {
    this.storePhase();
    const { editing } = this.state;
    // (the municipality is where the dig lies, as for a new one: a dig moved is checked where it lies now)
    const kept = editing ? { kind: editing.kind, applicant: editing.applicant, description: editing.description } : {};
    return {
      kind: 'excavation', ...kept, emergency: $('c-emergency').checked,
      phases: this.state.phases.filter((ph) => ph.digs.length).map((ph) => ({
        areas: ph.digs.map((d) => d.toGeoJSON(false).geometry), width_m: ph.width_m, start: ph.start, end: ph.end,
        on_carriageway: ph.on_carriageway, traffic_plan: ph.traffic_plan || null,
      })),
    };
  }

  async run() {
    const { state, requests } = this;
    if (!state.digs.length) return;
    const mine = requests.next();
    try {
      const { editing } = state; // an edit is checked as its save will be: its own works are no clash
      const url = editing ? `/api/v1/excavations/${editing.id}/check` : '/api/v1/excavations/check';
      const doc = await this.api.post(url, this.requestBody());
      if (!requests.isLatest(mine)) return;
      this.showError(null);
      state.lastCheck = doc;
      this.render();
    } catch (e) { if (requests.isLatest(mine)) this.showError(e, state.digs[state.digs.length - 1]); }
  }

  render() {
    const { i18n } = this;
    const doc = this.state.lastCheck;
    empty('findings', 'c-fees', 'c-status', 'c-coverage');
    this.results.clearLayers();
    this.renderShapes();
    this.showEditing();
    if (!doc) return;
    if (doc.lang && doc.lang !== i18n.lang) this.schedule(); // the server's texts in the page's new language
    const verdict = doc.grantable ? i18n.t('grantable') : i18n.t('not_grantable');
    const outside = doc.outside_data ? ` · ${i18n.t('outside_data')}` : '';
    $('c-status').textContent = `${i18n.num(doc.area_m2, 1)} m² · ${doc.municipality_name} · ${verdict}${outside}`;
    $('c-status').dataset.outside = doc.outside_data ? '1' : '';
    renderDigFindings($('findings'), doc, this, this.results);
    renderCoverage($('c-coverage'), doc, i18n);
    renderFees($('c-fees'), doc.fee.lines, doc.fee.total_eur, i18n, [], doc.fee.note);
    document.dispatchEvent(new CustomEvent('rajapiste:results'));
  }

  /** Send the application once: the button is off while it travels and after it arrived, until the drawing changes. */
  async submit() {
    const { state } = this;
    if (!state.digs.length) { this.showError({ detail: this.i18n.t('need_dig_first') }); return; }
    if (state.sending || state.sent) return;
    state.sending = true;
    $('submit').disabled = true;
    try {
      const { editing } = state;
      const doc = editing
        ? await this.api.put(`/api/v1/excavations/${editing.id}`, { ...this.requestBody(), version: editing.version })
        : await this.api.post('/api/v1/excavations', this.requestBody());
      state.sent = doc.id;
      if (editing) editing.version = doc.version; // the next save of the same edit
      this.draft.clear();
      $('submitted').textContent = `${this.i18n.t(editing ? 'changes_saved' : 'submitted')} ${doc.id} `;
      $('submitted').append(el('button', { type: 'button', onclick: () => this.openCase(doc.id) }, this.i18n.t('open_application')));
      this.layers.load();
    } catch (e) {
      this.showError(e);
      $('submit').disabled = false;
    } finally { state.sending = false; }
  }
}

export const createContractor = (deps) => new Contractor(deps);
