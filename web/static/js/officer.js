/* Officer mode: a property's neighbour list for the hearing, with manual additions and removals, CSV export and the hearing package. */

import { $, el, download } from './dom.js';
import { renderNeighbours } from './render.js';

const SITE_STYLE = { color: '#1a9850', weight: 3, fillOpacity: 0.2 };

const csvField = (s) => `"${String(s ?? '').replace(/"/g, '""')}"`;

/** The neighbour list as CSV (with a BOM, CRLF line ends) for a spreadsheet. */
function neighboursCsv(rows) {
  const header = ['property_id', 'relation', 'reason', 'owners'].join(',');
  const lines = rows.map((n) => [csvField(n.property_id_short), csvField(n.relation), csvField(n.reason),
    csvField((n.owners || []).map((w) => w.name).join('; '))].join(','));
  return '\ufeff' + [header].concat(lines).join('\r\n');
}

const ownersText = (n) => (n.owners || []).map((w) => w.name + (w.contact_name ? ` (${w.contact_name})` : '')).join('; ');

function totalsText(t, i18n) {
  return `${i18n.t('letters')}: ${t.letters} · ${i18n.t('cost')}: ${i18n.eur(t.hearing_cost_eur)} · `
    + `${i18n.t('deadline')}: ${i18n.day(t.hearing_deadline)} · ${i18n.t('earliest')}: ${i18n.day(t.earliest_decision_date)}`;
}

/** Officer mode. Owns the open property's neighbour document and the officer's additions and removals. */
export class Officer {
  constructor({ map, api, i18n, results, showError }) {
    Object.assign(this, { map, api, i18n, results, showError });
    this.state = { id: null, doc: null, added: [], removed: [] };
    $('open-property').addEventListener('click', () => this.openFromSearchBox());
    $('add-btn').addEventListener('click', () => this.addByHand());
    $('export-csv').addEventListener('click', () => this.exportCsv());
    $('package').addEventListener('click', () => this.openPackage());
  }

  /** The neighbours as listed: the computed ones less the removed, then the ones added by hand. */
  rows() {
    const o = this.state;
    if (!o.doc) return [];
    const removed = new Set(o.removed.map((r) => r.property_id));
    return o.doc.neighbours.filter((n) => !removed.has(n.property_id)).concat(o.added.map((a) => ({
      property_id: a.property_id, property_id_short: a.property_id, relation: 'manual', reason: a.reason, reason_fi: a.reason, owners: [],
    })));
  }

  async open(pid) {
    try {
      const doc = await this.api.get(`/api/v1/parcels/${encodeURIComponent(pid)}/neighbours`);
      this.state = { id: doc.property_id, doc, added: [], removed: [] };
      this.showError(null);
      this.map.fitBounds(L.geoJSON(doc.site.geometry).getBounds().pad(1.5));
      this.render();
    } catch (e) { this.showError(e); }
  }

  /** A parcel clicked on the map, or a property found with the search box, is opened. */
  parcelClicked(pid) { this.open(pid); }

  propertyFound(pid) { this.open(pid); }

  /** Remove a row of o (asking for the reason): a manual row is dropped, a computed one is recorded as removed. */
  removeRow(o, n) {
    const reason = window.prompt(this.i18n.t('reason'), '');
    if (!reason) return;
    if (n.relation === 'manual') o.added = o.added.filter((a) => a.property_id !== n.property_id);
    else o.removed.push({ property_id: n.property_id, reason });
    this.render();
  }

  tableRow(n) {
    const { i18n } = this;
    const o = this.state;
    const btn = el('button', { onclick: () => this.removeRow(o, n) }, i18n.t('remove'));
    btn.setAttribute('aria-label', `${i18n.t('remove')} ${n.property_id_short}`);
    return el('tr', { 'data-relation': n.relation },
      el('td', {}, n.property_id_short), el('td', {}, i18n.t('rel_' + n.relation, n.relation)),
      el('td', {}, i18n.reason(n)), el('td', {}, ownersText(n) || '—'), el('td', {}, btn));
  }

  render() {
    const { doc } = this.state;
    this.results.clearLayers();
    const body = $('o-table').tBodies[0];
    body.textContent = '';
    if (!doc) return;
    L.geoJSON(doc.site.geometry, { style: { ...SITE_STYLE }, pmIgnore: true }).addTo(this.results);
    const list = this.rows();
    renderNeighbours({ list, ul: null, results: this.results, i18n: this.i18n });
    $('o-title').textContent = `${doc.property_id_short} — ${doc.legal_basis}`;
    for (const n of list) body.append(this.tableRow(n));
    $('o-totals').textContent = totalsText(doc.totals, this.i18n);
  }

  openFromSearchBox() {
    const q = $('search').value.trim();
    if (q) this.open(q); else $('search').focus();
  }

  addByHand() {
    const { i18n } = this;
    const id = $('add-id').value.trim();
    const reason = $('add-reason').value.trim();
    if (!id || !reason || !this.state.doc) { this.showError({ detail: `${i18n.t('property')} + ${i18n.t('reason')}` }); return; }
    this.state.added.push({ property_id: id, reason });
    $('add-id').value = '';
    $('add-reason').value = '';
    this.showError(null);
    this.render();
  }

  exportCsv() {
    download(new Blob([neighboursCsv(this.rows())], { type: 'text/csv' }), `naapurit-${this.state.id}.csv`);
  }

  /** The printable hearing package, opened in a new window. */
  async openPackage() {
    const o = this.state;
    if (!o.doc) return;
    try {
      const body = { property_id: o.id, lang: this.i18n.lang, added: o.added, removed: o.removed };
      const html = await this.api.post('/api/v1/hearing/package', body);
      const w = window.open('', '_blank');
      if (w) { w.document.open(); w.document.write(html); w.document.close(); }
    } catch (e) { this.showError(e); }
  }
}

export const createOfficer = (deps) => new Officer(deps);
