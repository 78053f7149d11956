/* The hearing of the open application: each addressee's status in a table and on the map (coloured by status,
   non-responders marked), sending the letters, recording answers, the applicant's request for contacts and the
   officer's publication, and the letters and the package as PDF. Names appear only as the server allows. */

import { $, el, download, finnishToday, propertyIds } from './dom.js';
import { hearingCost } from './render.js';

const STATUSES = ['letter_sent', 'reminded', 'answered_no_remarks', 'answered_remarks', 'consented',
  'heard_by_public_notice', 'heard_by_authority'];
const STATUS_COLOURS = {
  open: '#9e9e9e', letter_sent: '#2171b5', reminded: '#d94801', answered_no_remarks: '#66a61e', answered_remarks: '#6a51a3',
  consented: '#1b7837', heard_by_public_notice: '#8c6d00', heard_by_authority: '#3f007d',
};
const LATE = '#d7301f';
const today = finnishToday;

/** A unit of the hearing map: filled by status, a dashed red outline for a non-responder. */
function unitStyle(f) {
  const p = f.properties;
  if (p.role === 'site') return { color: '#1a9850', weight: 4, fillOpacity: 0.1, className: 'case-site' };
  const colour = STATUS_COLOURS[p.status] || '#555';
  return p.non_responder
    ? { color: LATE, weight: 3, dashArray: '6 4', fillColor: colour, fillOpacity: 0.35, className: `hs-${p.status} non-responder` }
    : { color: colour, weight: 1.5, fillColor: colour, fillOpacity: 0.35, className: `hs-${p.status}` };
}

/** Who the addressee is, as this reader may see it. */
function who(a, i18n) {
  if (a.name) return a.name + (a.contact_name ? ` (${a.contact_name})` : '');
  return a.withheld ? `${i18n.t('kind_' + a.kind, a.kind)}: ${i18n.t('withheld')}` : i18n.t('unknown_owner');
}

/** The hearing of the case view's application. */
export class CaseHearing {
  constructor(shared) {
    Object.assign(this, shared);
    this.doc = null;
    this.fc = null;
    this.layer = null;
    $('send-letters').addEventListener('click', () => this.sendLetters());
    $('request-contacts').addEventListener('click', () => this.contacts('request-contacts'));
    $('publish-contacts').addEventListener('click', () => this.contacts('publish-contacts'));
    $('letters-pdf').addEventListener('click', () => this.pdf('/letters.pdf', 'file_letters'));
    $('package-pdf').addEventListener('click', () => this.pdf(`/hearing.pdf?lang=${this.i18n.lang}`, 'file_package'));
  }

  app() { return this.view.doc; }

  url(path) { return `/api/v1/applications/${this.app().id}${path}`; }

  clear() {
    this.doc = null;
    this.fc = null;
    if (this.layer) this.layer.remove();
    this.layer = null;
    $('hearing-table').tBodies[0].textContent = '';
    this.showRemarks([]);
  }

  /** The remarks made in the hearing, listed under the decision's reasons: a grant over them
      must answer them in its reasons (the server refuses it without). */
  showRemarks(addressees) {
    const remarked = addressees.filter((a) => a.status === 'answered_remarks');
    const list = $('decision-remarks');
    list.textContent = '';
    remarked.forEach((a) => list.append(el('li', {},
      `#${a.n} ${a.property_ids_short.join(', ') || this.i18n.relation(a)}: ${a.remarks || (a.withheld ? this.i18n.t('withheld') : '–')}`)));
    $('decision-remarks-box').hidden = !remarked.length;
  }

  /** Fetch the hearing and its map (none for a draft or a dig permit). */
  async load() {
    const app = this.app();
    if (!app || app.state === 'draft' || app.works) { this.clear(); this.render(); return; }
    try {
      const [doc, fc] = await Promise.all([this.api.get(this.url('/hearing')), this.api.get(this.url('/hearing/map'))]);
      if (this.app()?.id !== app.id) return; // another case opened meanwhile: this one is not drawn under it
      Object.assign(this, { doc, fc });
      this.render();
    } catch (e) { this.clear(); this.showError(e); }
  }

  drawMap() {
    if (this.layer) this.layer.remove();
    if (!this.fc) return;
    this.layer = L.geoJSON(this.fc, {
      style: unitStyle, pmIgnore: true,
      onEachFeature: (f, l) => {
        const p = f.properties;
        if (p.role === 'site') return;
        const late = p.non_responder ? ` – ${this.i18n.t('non_responder')} !` : '';
        l.bindTooltip(`#${p.n} ${p.property_id_short}: ${this.i18n.t('hs_' + p.status, p.status)}${late}`);
      },
    }).addTo(this.results);
  }

  canRecord() {
    const user = this.session.user;
    const authority = Boolean(user) && (user.role === 'officer' || user.role === 'admin');
    return authority || (this.app().yours && this.app().heard_by === 'applicant');
  }

  render() {
    const app = this.app();
    $('hearing-box').hidden = !this.doc;
    if (!this.doc || !app) return;
    this.drawMap();
    const { doc, i18n } = this;
    const user = this.session.user;
    const authority = Boolean(user) && (user.role === 'officer' || user.role === 'admin');
    const open = ['submitted', 'in_review', 'hearing'].includes(app.state);
    $('hearing-summary').textContent = [doc.complete ? i18n.t('complete') : i18n.t('incomplete'),
      `${i18n.t('heard_by')} ${i18n.t('heard_' + doc.heard_by)}`, `${i18n.t('letters')} ${doc.letters}`,
      `${i18n.t('cost')}: ${hearingCost(doc.hearing_cost_eur, doc.hearing_cost_note, i18n)}`,
      doc.deadline ? `${i18n.t('deadline')} ${i18n.day(doc.deadline)}` : '',
      doc.earliest_decision_date ? `${i18n.t('dl_earliest_decision')} ${i18n.day(doc.earliest_decision_date)}` : '',
      doc.contacts_published ? i18n.t('published') : '', doc.legal_basis_text || doc.legal_basis || ''].filter(Boolean).join(' · ');
    $('letters-form').hidden = !(open && this.canRecord() && doc.addressees.some((a) => a.status === 'open' && a.address_known));
    if (!$('letters-sent').value) $('letters-sent').value = today();
    $('letters-heard-by').value = doc.heard_by;
    $('request-contacts').hidden = !(open && app.yours && !doc.contacts_requested && !(doc.letters_sent && doc.heard_by === 'authority'));
    $('publish-contacts').hidden = !(open && authority && doc.contacts_requested && !doc.contacts_published);
    $('letters-pdf').hidden = !(authority || (app.yours && doc.contacts_published));
    const body = $('hearing-table').tBodies[0];
    body.textContent = '';
    doc.addressees.forEach((a) => body.append(this.row(a, open && this.canRecord())));
    this.showRemarks(doc.addressees);
  }

  row(a, editable) {
    const { i18n } = this;
    const late = a.non_responder ? el('strong', { class: 'late', title: i18n.t('non_responder') }, ' !') : '';
    const status = el('td', { class: `hs hs-${a.status}` }, i18n.t('hs_' + a.status, a.status), late);
    const tr = el('tr', { 'data-id': String(a.id), 'data-status': a.status, class: a.non_responder ? 'non-responder' : '' },
      el('td', {}, String(a.n)), el('td', {}, ...(a.property_ids_short.length ? propertyIds(a.property_ids_short) : ['–'])),
      el('td', {}, i18n.relation(a)), el('td', a.withheld ? { class: 'withheld' } : {}, who(a, i18n)),
      status, el('td', {}, a.deadline ? i18n.day(a.deadline) : '–'));
    tr.append(el('td', {}, editable ? this.controls(a) : (a.remarks || '')));
    return tr;
  }

  /** Status, day and remarks of one addressee, saved with the hearing's version. */
  controls(a) {
    const { i18n } = this;
    const label = `#${a.n}`;
    const sel = el('select', { 'aria-label': `${i18n.t('state')} ${label}` },
      ...STATUSES.map((s) => el('option', { value: s }, i18n.t('hs_' + s, s))));
    sel.value = a.status === 'open' ? 'letter_sent' : a.status;
    const day = el('input', { type: 'date', value: today(), 'aria-label': `${i18n.t('sent_on')} ${label}` });
    const remarks = el('input', { type: 'text', value: a.remarks || '', placeholder: i18n.t('remarks'), 'aria-label': `${i18n.t('remarks')} ${label}` });
    const save = el('button', { type: 'button', onclick: () => this.record(a, sel.value, day.value, remarks.value) }, i18n.t('save_status'));
    save.setAttribute('aria-label', `${i18n.t('save_status')} ${label}`);
    return el('div', { class: 'row-controls' }, sel, day, remarks, save);
  }

  async record(a, status, date, remarks) {
    const body = { status, date: date || today(), remarks: remarks || null, version: this.doc.version };
    await this.act(this.api.patch(this.url(`/hearing/${a.id}`), body));
  }

  async sendLetters() {
    const body = { sent: $('letters-sent').value || today(), heard_by: $('letters-heard-by').value, version: this.doc.version };
    await this.act(this.api.post(this.url('/hearing/letters'), body));
  }

  async contacts(what) {
    await this.act(this.api.post(this.url(`/hearing/${what}`), { version: this.doc.version }));
  }

  /** A change of the hearing: on success the case is read again (its version moved on); a 409 offers a reload. */
  async act(promise) {
    try {
      await promise;
      this.showError(null);
      await this.view.reload();
    } catch (e) {
      if (e.status === 409 && e.code === 'stale_version') this.view.conflict();
      else this.showError(e);
    }
  }

  async pdf(path, name) {
    try {
      download(await this.api.blob(this.url(path)), `${this.i18n.t(name)}-${this.app().id}.pdf`);
    } catch (e) { this.showError(e); }
  }
}

export const createCaseHearing = (deps) => new CaseHearing(deps);
