/* Applications mode: the signed-in user's applications (an applicant's and a contractor's own, an officer's
   worklist of the municipality's cases by state and deadline), the reminders, and the case view (caseview.js). */

import { $, el, empty } from './dom.js';
import { createCaseView, daysLeft } from './caseview.js';

const STATES = ['draft', 'submitted', 'in_review', 'hearing', 'decided', 'appealed', 'legally_valid', 'started', 'completed',
  'withdrawn', 'refused', 'expired'];

/** The next deadline of a row: its kind, the date and the days left. */
function deadlineText(d, i18n) {
  if (!d) return '–';
  return `${i18n.t('dl_' + d.what, d.what)} ${i18n.day(d.date)} ${daysLeft(d.days_left, i18n)}`;
}

/**
 * A list row; the case number is a button, so the list works by keyboard. A case the reader is invited to
 * opens once the invitation is accepted: a second row, the table's whole width, says who sent it and whose
 * case it is, and offers accepting (under the name the invitation gives, which the reader may correct: it is
 * printed on the letters) and declining.
 */
function caseRows(a, i18n, open, answer) {
  const as = a.invitation_role ? `: ${i18n.t('party_' + a.invitation_role, a.invitation_role).toLowerCase()}` : '';
  const kind = i18n.t('kind_' + a.kind, a.kind) + (a.invited ? ` (${i18n.t('invited')}${as})` : '');
  const first = a.invitation
    ? `#${a.id}`
    : el('button', { type: 'button', class: 'link', 'aria-label': `${i18n.t('open_case')} #${a.id}`, onclick: () => open(a.id) }, `#${a.id}`);
  const soon = a.next_deadline && a.next_deadline.days_left <= 7;
  const row = el('tr', { 'data-id': String(a.id), 'data-state': a.state, class: soon ? 'soon' : '' },
    el('td', {}, first), el('td', {}, kind), el('td', {}, a.property_ids_short.join(', ') || '–'),
    el('td', {}, i18n.t('st_' + a.state, a.state)), el('td', {}, deadlineText(a.next_deadline, i18n)));
  if (!a.invitation) return [row];
  // who sent it, and whose case it is: an invitation from a stranger can be told apart before answering
  const from = [
    a.invitation_from ? i18n.t('invitation_from').replace('{from}', () => a.invitation_from) : '',
    a.invitation_applicant ? i18n.t('invitation_applicant').replace('{name}', () => a.invitation_applicant) : '',
  ].filter(Boolean).join(' ');
  const said = from ? { 'aria-describedby': `invitation-from-${a.id}` } : {};
  const name = el('input', { 'data-invitation-name': '', value: a.invitation_name || '', maxlength: '200', autocomplete: 'name', ...said });
  const controls = el('span', { class: 'buttons' },
    ...(from ? [el('span', { class: 'note', id: `invitation-from-${a.id}`, 'data-invitation-from': '' }, from)] : []),
    el('label', {}, el('span', {}, `${i18n.t('invitation_name')} #${a.id}`), name),
    el('button', { type: 'button', 'data-answer': 'accept', 'aria-label': `${i18n.t('accept_invitation')} #${a.id}`, ...said, onclick: () => answer(a, true, name.value) },
      i18n.t('accept_invitation')),
    el('button', { type: 'button', 'data-answer': 'decline', 'aria-label': `${i18n.t('decline_invitation')} #${a.id}`, ...said, onclick: () => answer(a, false) },
      i18n.t('decline_invitation')));
  return [row, el('tr', { 'data-invitation': String(a.id), class: soon ? 'soon' : '' }, el('td', { colspan: '5' }, controls))];
}

/** Applications mode: owns the list, the reminders and which case is open. */
export class Cases {
  constructor(shared) {
    Object.assign(this, shared);
    this.state = { list: null, reminders: null, loading: null };
    // back to the list by keyboard: the focus goes to the list's heading, not to the page's start
    this.view = createCaseView({ ...shared, onBack: () => { this.showList(); $('cases-heading').focus(); } });
    $('cases-state').addEventListener('change', () => this.load());
    this.fillStates();
  }

  fillStates() {
    const sel = $('cases-state');
    const chosen = sel.value;
    sel.textContent = '';
    sel.append(el('option', { value: '' }, this.i18n.t('all_states')));
    STATES.forEach((s) => sel.append(el('option', { value: s }, this.i18n.t('st_' + s, s))));
    sel.value = chosen;
  }

  /** Fetch the user's applications and reminders (none while signed out). */
  async load() {
    if (!this.session.user) { this.state = { list: null, reminders: null }; this.renderList(); return; }
    const state = $('cases-state').value;
    try {
      const [list, reminders] = await Promise.all([
        this.api.get('/api/v1/applications' + (state ? `?state=${encodeURIComponent(state)}` : '')),
        this.api.get('/api/v1/reminders'),
      ]);
      Object.assign(this.state, { list, reminders });
      this.renderList();
    } catch (e) { this.showError(e); }
  }

  renderList() {
    const { i18n } = this;
    const body = $('cases-table').tBodies[0];
    body.textContent = '';
    empty('reminders');
    $('cases-hint').hidden = Boolean(this.session.user);
    const { list, reminders } = this.state;
    if (!list) return;
    if (!list.applications.length) body.append(el('tr', {}, el('td', { colspan: '5' }, i18n.t('no_applications'))));
    list.applications.forEach((a) => body.append(...caseRows(a, i18n, (id) => this.open(id), (row, yes, name) => this.answer(row, yes, name))));
    if (list.truncated) {
      body.append(el('tr', { class: 'truncated' }, el('td', { colspan: '5' },
        i18n.t('list_truncated').replace('{n}', i18n.num(list.count, 0)))));
    }
    const items = reminders ? reminders.reminders : [];
    if (!items.length) $('reminders').append(el('li', {}, i18n.t('no_reminders')));
    items.forEach((r) => $('reminders').append(el('li', { 'data-id': String(r.application_id) },
      `#${r.application_id} ${i18n.t('kind_' + r.kind, r.kind)}: ${deadlineText(r, i18n)}`)));
  }

  /** Called when the mode is shown and when the language changes. */
  render() {
    this.fillStates();
    if (this.view.isOpen()) { this.view.render(); return; }
    if (this.state.list) this.renderList(); else this.load();
  }

  /**
   * Another user: forget what was shown (it may not be theirs) and start from their list;
   * a mode not in view leaves the map alone and loads the list when shown.
   */
  accountChanged(visible) {
    this.view.close({ flush: false, clearMap: visible });
    if (visible) { this.showList(); return; }
    this.state.list = null;
    $('cases-list').hidden = false;
  }

  /** Accept an invitation (the case then opens) or decline it (asked first: only a new one undoes it). */
  async answer(a, accept, name = '') {
    if (!accept && !window.confirm(this.i18n.t('confirm_decline'))) return;
    try {
      const body = accept && name.trim() ? { name: name.trim() } : {};
      await this.api.post(`/api/v1/applications/${a.id}/parties/${a.invitation}/${accept ? 'accept' : 'decline'}`, body);
      if (accept) await this.open(a.id); else { await this.load(); $('cases-heading').focus(); }
    } catch (e) { this.showError(e); }
  }

  async open(id) {
    $('cases-list').hidden = true;
    await this.view.open(id);
  }

  showList() {
    this.view.close();
    $('cases-list').hidden = false;
    this.load();
  }
}

export const createCases = (deps) => new Cases(deps);
