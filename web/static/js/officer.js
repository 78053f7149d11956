/* Officer mode: a property's neighbour list for the hearing, with manual additions and removals, CSV export and the hearing package. */

import { $, el, download, keepUnits, propertyId } from './dom.js';
import { fitView } from './map.js';
import { afterRelation } from './i18n.js';
import { hearingCost, renderNeighbours } from './render.js';

const SITE_STYLE = { color: '#1a9850', weight: 3, fillOpacity: 0.2 };

// a cell that starts like a formula gets a ' first, so that a spreadsheet shows it as text
// (CSV injection: an owner's name or a reason starting with = + - @; api/services/office.py)
const sheetText = (s) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
const csvField = (s) => `"${sheetText(String(s ?? '')).replace(/"/g, '""')}"`;

/** An owner as shown: a name (and an estate's contact), or the kind and "withheld" for a caller who may not see it. */
const ownerText = (w, i18n) => (w.withheld
  ? `${i18n.t('kind_' + w.kind, w.kind)}: ${i18n.t('withheld')}`
  : w.name + (w.contact_name ? ` (${w.contact_name})` : ''));

const ownersText = (n, i18n) => (n.owners || []).map((w) => ownerText(w, i18n)).join('; ');

/**
 * The neighbour list as CSV (with a BOM, CRLF line ends) for a spreadsheet: `;` between the fields,
 * what a Finnish or Swedish Excel expects (as the server's list.csv), headers and relations in the
 * page's language.
 */
function neighboursCsv(rows, i18n) {
  const header = ['property', 'relation', 'reason', 'owners'].map((k) => csvField(i18n.t(k))).join(';');
  const lines = rows.map((n) => [csvField(n.property_id_short), csvField(i18n.relation(n)),
    csvField(n.reason), csvField(ownersText(n, i18n))].join(';'));
  return '\ufeff' + [header].concat(lines).join('\r\n');
}

/** Post a form into a new window: the package page then runs under its own content security policy. */
function postToNewWindow(action, fields) {
  const form = el('form', { method: 'post', action, target: '_blank', hidden: '' });
  for (const [name, value] of Object.entries(fields)) {
    if (value != null) form.append(el('input', { type: 'hidden', name, value }));
  }
  document.body.append(form);
  form.submit();
  form.remove();
}

/** The owners cell; marked data-withheld when some owner is withheld from this user. */
function ownersCell(n, i18n) {
  const hidden = (n.owners || []).some((w) => w.withheld);
  return el('td', hidden ? { class: 'withheld', 'data-withheld': '1' } : {}, ownersText(n, i18n) || '—');
}

function totalsText(t, i18n) {
  return `${i18n.t('letters')}: ${t.letters} · ${i18n.t('cost')}: ${hearingCost(t.hearing_cost_eur, t.hearing_cost_note, i18n)} · `
    + `${i18n.t('deadline')}: ${i18n.day(t.hearing_deadline)} · ${i18n.t('earliest')}: ${i18n.day(t.earliest_decision_date)}`;
}

/** Officer mode. Owns the open property's neighbour document and the officer's additions and removals. */
export class Officer {
  constructor({ map, api, session, i18n, results, showError }) {
    Object.assign(this, { map, api, session, i18n, results, showError });
    this.state = { id: null, doc: null, added: [], removed: [] };
    $('open-property').addEventListener('click', () => this.openFromSearchBox());
    $('add-btn').addEventListener('click', () => this.addByHand());
    $('export-csv').addEventListener('click', () => this.exportCsv());
    $('package').addEventListener('click', () => this.openPackage());
  }

  /** The neighbours as listed: the server's list with the officer's additions and removals (its letters recounted). */
  rows() {
    return this.state.doc ? this.state.doc.neighbours : [];
  }

  /**
   * The neighbour list of pid with the changes in keep: the server applies them (a made-up property id is
   * refused there and then) and recounts the letters, so the screen counts what the package will.
   */
  async fetchList(pid, keep) {
    if (!keep.added.length && !keep.removed.length) return this.api.get(`/api/v1/parcels/${encodeURIComponent(pid)}/neighbours`);
    return this.api.post('/api/v1/hearing/list', { property_id: pid, added: keep.added, removed: keep.removed });
  }

  async open(pid, keep = { added: [], removed: [] }, fit = true) {
    try {
      const doc = await this.fetchList(pid, keep);
      this.state = { id: doc.property_id, doc, added: keep.added, removed: keep.removed, lang: this.i18n.lang };
      this.showError(null);
      if (fit) fitView(this.map, L.geoJSON(doc.site.geometry).getBounds().pad(1.5));
      this.render();
      return true;
    } catch (e) { this.showError(e); return false; }
  }

  /** The user changed: forget the list (it may hold owners the new user may not see) and fetch it again. */
  accountChanged(visible) {
    const { id, added, removed } = this.state;
    this.state = { ...this.state, doc: null, stale: Boolean(id) && !visible };
    if (!visible) return; // fetched again when shown: the map is another mode's now
    this.render();
    if (id) this.open(id, { added, removed }, false);
  }

  /** A parcel clicked on the map, or a property found with the search box, is opened. */
  parcelClicked(pid) { this.open(pid); }

  propertyFound(pid) { this.open(pid); }

  /** Remove a row of o (asking for the reason): a manual row is dropped, a computed one is recorded as removed. */
  removeRow(o, n) {
    const reason = window.prompt(this.i18n.t('reason'), '');
    if (!reason) return;
    const added = n.relation === 'manual' ? o.added.filter((a) => a.property_id !== n.property_id) : o.added;
    const removed = n.relation === 'manual' ? o.removed : [...o.removed, { property_id: n.property_id, reason }];
    this.open(o.id, { added, removed }, false);
  }

  tableRow(n) {
    const { i18n } = this;
    const o = this.state;
    const btn = el('button', { onclick: () => this.removeRow(o, n) }, i18n.t('remove'));
    btn.setAttribute('aria-label', `${i18n.t('remove')} ${n.property_id_short}`);
    const relation = i18n.relation(n);
    return el('tr', { 'data-relation': n.relation },
      el('td', {}, propertyId(n.property_id_short)), el('td', {}, relation),
      el('td', {}, ...keepUnits(afterRelation(i18n.reason(n), relation))), ownersCell(n, i18n), el('td', {}, btn));
  }

  render() {
    const { doc } = this.state;
    this.results.clearLayers();
    const body = $('o-table').tBodies[0];
    body.textContent = '';
    if (!doc && this.state.stale) { // the user changed while another mode was shown
      this.state.stale = false;
      this.open(this.state.id, { added: this.state.added, removed: this.state.removed }, false);
    }
    if (!doc) return;
    const { id, added, removed, lang } = this.state;
    if (lang !== this.i18n.lang) this.open(id, { added, removed }, false); // reasons and notes in the page's new language
    L.geoJSON(doc.site.geometry, { style: { ...SITE_STYLE }, pmIgnore: true }).addTo(this.results);
    const list = this.rows();
    renderNeighbours({ list, ul: null, results: this.results, i18n: this.i18n });
    $('o-title').textContent = `${doc.property_id_short} — ${doc.legal_basis_text || doc.legal_basis}`;
    for (const n of list) body.append(this.tableRow(n));
    $('o-totals').textContent = totalsText(doc.totals, this.i18n);
  }

  openFromSearchBox() {
    const q = $('search').value.trim();
    if (q) this.open(q); else $('search').focus();
  }

  /** Add a neighbour by hand: kept only when the server finds the property (else its reason is shown at once). */
  async addByHand() {
    const { i18n } = this;
    const id = $('add-id').value.trim();
    const reason = $('add-reason').value.trim();
    if (!id || !reason || !this.state.doc) { this.showError({ detail: `${i18n.t('property')} + ${i18n.t('reason')}` }); return; }
    const { added, removed } = this.state;
    const manual = (doc) => new Set((doc?.neighbours || []).filter((n) => n.relation === 'manual').map((n) => n.property_id));
    const before = manual(this.state.doc);
    if (!(await this.open(this.state.id, { added: [...added, { property_id: id, reason }], removed }, false))) return;
    // keep the id as the server stores it (14 digits), not as typed: removing the row compares them
    const found = [...manual(this.state.doc)].find((p) => !before.has(p));
    if (found) this.state.added[this.state.added.length - 1].property_id = found;
    $('add-id').value = '';
    $('add-reason').value = '';
  }

  exportCsv() {
    download(new Blob([neighboursCsv(this.rows(), this.i18n)], { type: 'text/csv' }), `${this.i18n.t('file_neighbours')}-${this.state.doc?.property_id_short || this.state.id}.csv`);
  }

  /** The printable hearing package in a new window (a form post: the token travels in the body, not a cookie). */
  openPackage() {
    const o = this.state;
    if (!o.doc) return;
    const body = { property_id: o.id, lang: this.i18n.lang, added: o.added, removed: o.removed };
    postToNewWindow('/api/v1/hearing/package/form', { request: JSON.stringify(body), access_token: this.session.token });
  }
}

export const createOfficer = (deps) => new Officer(deps);
