/* One application: its draft (saved as you type, with the version the server gave), attachments against the
   rule file's checklist, submission, deadlines, the frozen analysis and its re-run, the case's steps and the
   decision. The hearing lives in casehearing.js, the parties in caseparties.js. Every change sends the version read: a 409 says reload. */

import { $, el, empty, download, finnishToday, finnishTime } from './dom.js';
import { fitView } from './map.js';
import { createCaseHearing } from './casehearing.js';
import { createCaseParties } from './caseparties.js';
import { renderDigFindings, renderFees, renderSiteUnits } from './render.js';

const KINDS = ['building_permit', 'deviation', 'planning_need', 'minor_deviation', 'area_use'];
const ATTACH_TYPES = ['application/pdf', 'image/png', 'image/jpeg'];
const MAX_BYTES = 4000000; // the server's default limit (RAJAPISTE_ATTACHMENT_MAX_BYTES)
const SAVE_DELAY_MS = 600;
const DRAFT_INPUTS = { kind: 'case-kind', heard_by: 'case-heard-by', applicant: 'case-applicant', description: 'case-description' };
const DRAFT_FIELDS = Object.keys(DRAFT_INPUTS);

/** A deadline's days left, "(1 päivä)" or "(3 päivää)", for the case view and the lists. */
export function daysLeft(n, i18n) {
  return `(${n} ${i18n.t(n === 1 ? 'days_left_one' : 'days_left')})`;
}
const SITE_STYLE = { color: '#1a9850', weight: 3, fillOpacity: 0.2 };
const today = finnishToday;

const isAuthority = (user) => Boolean(user) && (user.role === 'officer' || user.role === 'admin');

/** A checklist item as a list entry: its title, the reason (scale), attached or missing. */
function checklistItem(item, i18n) {
  const mark = item.attached ? `✓ ${i18n.t('attached')}` : `✗ ${i18n.t('missing')}`;
  const scale = item.scale ? ` 1:${item.scale}` : '';
  return el('li', { class: item.attached ? 'ok' : 'fail', 'data-code': item.code },
    `${i18n.t('att_' + item.code, item.title)}${scale}: ${mark}`);
}

/** The analysis' provenance: when, on which data and rules, what it found. */
function analysisText(info, i18n, saidDwelling) {
  if (!info) return '–';
  const at = new Date(info.computed_at); // the server's time is UTC: shown as the Finnish day and time
  const when = `${i18n.day(finnishToday(at))} ${finnishTime(at)}`;
  // a flag an exception lifted is named, with its basis and on whose word a dwelling stands there
  const whose = i18n.t(saidDwelling == null ? 'dwelling_register' : 'by_applicant');
  const lifted = (info.exemptions || []).map((e) => `${i18n.t('f_' + e.code, e.code)} (${e.legal_basis_text?.[i18n.lang] || e.legal_basis}, ${whose})`);
  return `${when} · ${i18n.t('data_version')} ${info.data_version ?? '–'} · ${i18n.t('rules_version')} ${info.rules_version}`
    + ` (${info.rules_files.join(', ')}) · ${info.neighbours} ${i18n.t('neighbours_count')}`
    + (info.flags.length ? ` · ${info.flags.map((f) => i18n.t('f_' + f, f)).join(', ')}` : '')
    + (lifted.length ? ` · ${i18n.t('lifted_flags')}: ${lifted.join(', ')}` : '');
}

/** The re-run's difference as list items (ids and codes only). */
function diffItems(diff, i18n) {
  if (diff.same) return [el('li', { class: 'ok' }, i18n.t('no_diff'))];
  const rows = [
    ...diff.neighbours_added.map((n) => `${i18n.t('diff_added')}: ${n.property_id} (${i18n.relation(n)})`),
    ...diff.neighbours_removed.map((n) => `${i18n.t('diff_removed')}: ${n.property_id}`),
    ...diff.relations_changed.map((n) => `${i18n.t('diff_changed')}: ${n.property_id} `
      + `${i18n.t('rel_' + (n.shown_before || n.relation_before))} → ${i18n.t('rel_' + (n.shown_after || n.relation_after))}`),
    ...diff.flags_added.map((f) => `${i18n.t('diff_flags_added')}: ${i18n.t('f_' + f.code, f.code)}`),
    ...diff.flags_removed.map((f) => `${i18n.t('diff_flags_removed')}: ${i18n.t('f_' + f.code, f.code)}`),
  ];
  return rows.map((text) => el('li', { class: 'diff' }, text));
}

/** The dig decision's inputs that an error can be about. */
const DIG_INPUTS = ['dig-refusal', 'dig-decided-on', 'dig-notice-sent'];

/** A dig decision's input marked at fault (pointing at the error beside the buttons), or no longer. */
function markDigInput(id, bad) {
  if (bad) {
    $(id).setAttribute('aria-invalid', 'true');
    $(id).setAttribute('aria-describedby', 'dig-decide-error');
  } else ['aria-invalid', 'aria-describedby'].forEach((a) => $(id).removeAttribute(a));
}

/** The building decision form's inputs as for a new case: nothing typed, the first choices
    (its error and marks go with `CaseView.clearBeside`). */
function clearDecisionForm() {
  ['decision-conditions', 'decision-reasons', 'decision-on', 'decision-posted'].forEach((id) => { $(id).value = ''; });
  ['decision-outcome', 'decision-by'].forEach((id) => { $(id).selectedIndex = 0; });
}

/** A text box's lines: trimmed, blank ones dropped (conditions, one per line). */
const lines = (id) => $(id).value.split('\n').map((s) => s.trim()).filter(Boolean);

/** The case view: owns the open application's document and its pending draft save. */
export class CaseView {
  constructor(shared) {
    Object.assign(this, shared);
    this.doc = null;
    this.timer = null;
    this.saving = Promise.resolve();
    this.hearing = createCaseHearing({ ...shared, view: this });
    this.parties = createCaseParties({ ...shared, view: this });
    this.wire();
  }

  wire() {
    $('case-back').addEventListener('click', () => this.onBack());
    ['case-applicant', 'case-description'].forEach((id) => $(id).addEventListener('input', () => this.scheduleSave()));
    ['case-kind', 'case-heard-by'].forEach((id) => $(id).addEventListener('change', () => this.scheduleSave()));
    $('attach-file').addEventListener('change', (e) => this.attach(e.target));
    $('case-submit').addEventListener('click', () => this.submit());
    $('case-rerun').addEventListener('click', () => this.rerun());
    $('record-decision').addEventListener('click', () => this.decide());
    $('dig-approve').addEventListener('click', () => this.decideDig('approved'));
    $('dig-refuse').addEventListener('click', () => this.decideDig('refused'));
    $('case-dig-edit').addEventListener('click', () => this.editDig(this.doc.id));
    // the decision document, in the page's language (the hearing's PDFs are fetched the same way)
    $('case-decision-pdf').addEventListener('click', () => this.hearing.pdf(`/decision.pdf?lang=${this.i18n.lang}`, 'file_decision'));
  }

  isOpen() { return Boolean(this.doc); }

  url(path = '') { return `/api/v1/applications/${this.doc.id}${path}`; }

  async open(id) {
    this.hearing.clear(); // the last case's hearing is not shown, nor listed under this one's decision
    try {
      this.doc = await this.api.get(`/api/v1/applications/${id}`);
      this.showError(null);
      $('case').hidden = false;
      this.fillDraft();
      this.render();
      this.fitMap();
      await this.hearing.load();
      $('case-title').focus();
    } catch (e) { this.showError(e); this.onBack(); }
  }

  /**
   * Close the case. What was typed and not yet saved is saved first (Back within the save's
   * delay lost it), unless the user changed (`flush` false: not under another user's name).
   * `clearMap` false leaves the shared results layer to the mode on show.
   */
  close({ flush = true, clearMap = true } = {}) {
    if (flush && this.timer && this.doc) {
      const url = this.url();
      const { version, ...fields } = this.draftBody();
      // after the save in flight (if any): with the version it left, not the one read before it
      this.saving = this.saving
        .then((after) => this.api.patch(url, { ...fields, version: typeof after === 'number' ? after : version }))
        .catch(this.showError);
    }
    if (!flush) delete $('decision-form').dataset.case; // another user: nothing typed stays
    this.doc = null;
    this.dig = null;
    clearTimeout(this.timer);
    this.timer = null;
    $('case').hidden = true;
    if (clearMap) this.results.clearLayers();
    this.hearing.clear();
  }

  /** Fetch the document again (after a change elsewhere, or a 409); `keepTyped`: the user's text stays. */
  async reload(keepTyped = false) {
    // the fields this user changed since the form was filled: those alone are kept (a draft's,
    // as its applicant edits it: no other case has typed fields, and a dig's kind is none of KINDS)
    const typed = keepTyped && this.editable() ? this.draftBody() : null;
    const offered = $('case-status').contains(document.activeElement); // the reload button, gone after it
    const mine = typed ? DRAFT_FIELDS.filter((k) => typed[k] !== this.filled?.[k]) : [];
    this.doc = await this.api.get(this.url());
    $('case-status').textContent = ''; // the conflict's offer is answered
    this.clearBeside();
    this.fillDraft();
    if (mine.length) {
      // what the user typed is not thrown away by the other change, and the other party's
      // change to the fields this user left alone is not written back over
      mine.forEach((k) => { $(DRAFT_INPUTS[k]).value = typed[k]; });
      this.scheduleSave();
    }
    this.render();
    await this.hearing.load();
    if (offered) $(this.doc.works && !$('case-dig-decision').hidden ? 'case-dig-decision-head' : 'case-title').focus();
  }

  /**
   * Answers of the server to a change: the new document, or a 409 offering to reload. `inline`: a box
   * beside the form that sent it, which says the error too (the panel's top one is out of view on a phone).
   */
  async change(promise, inline = null) {
    try {
      const doc = await promise;
      if (doc && this.doc && doc.id === this.doc.id && doc.state) this.doc = doc; // an application (not an attachment)
      this.showError(null);
      this.clearBeside();
      this.lastError = null;
      return true;
    } catch (e) {
      this.lastError = e;
      if (e.status === 409 && e.code === 'stale_version') this.conflict();
      else { this.showError(e); this.sayBeside(inline, e); }
      return false;
    }
  }

  /** The errors beside the forms and the inputs marked for them: what was refused no longer stands
      once the case moved on (a change went through, or the case was read again: a hearing's answer). */
  clearBeside() {
    ['decision-error', 'dig-decide-error'].forEach((id) => this.sayBeside(id, null));
    ['aria-invalid', 'aria-describedby'].forEach((a) => $('decision-reasons').removeAttribute(a));
    DIG_INPUTS.forEach((id) => markDigInput(id, false));
  }

  /** An error in the box `id` beside a form (hidden for a null error); the panel's top box says it as well. */
  sayBeside(id, err) {
    if (!id) return;
    $(id).hidden = !err;
    $(id).textContent = err ? this.i18n.error(err) : '';
    $(id).rpError = err; // said again in the language the page switches to
    if (err) $(id).scrollIntoView({ block: 'nearest' }); // whole, not cut by the screen's edge
  }

  /** The draft form is open for editing: the applicant's own building-case draft. */
  editable() {
    const { doc } = this;
    return doc.state === 'draft' && doc.yours && !doc.works;
  }

  conflict() {
    const status = $('case-status');
    status.textContent = `${this.i18n.t('conflict')} `;
    const again = el('button', { type: 'button', onclick: () => this.reload(true).catch(this.showError) }, this.i18n.t('reload'));
    status.append(again);
    // the offer is at the case's head: brought into view with focus, unless the user is typing
    // in the draft (its save met the conflict, and the typing goes on)
    const typing = Object.values(DRAFT_INPUTS).includes(document.activeElement?.id);
    if (!typing) again.focus();
  }

  fillDraft() {
    const { doc, i18n } = this;
    const sel = $('case-kind');
    sel.textContent = '';
    KINDS.forEach((k) => sel.append(el('option', { value: k }, i18n.t('kind_' + k, k))));
    sel.value = doc.kind;
    $('case-heard-by').value = doc.heard_by;
    $('case-applicant').value = doc.applicant || '';
    $('case-description').value = doc.description || '';
    // as the form holds them (what reload compares the typed fields with)
    this.filled = Object.fromEntries(DRAFT_FIELDS.map((k) => [k, $(DRAFT_INPUTS[k]).value]));
  }

  scheduleSave() {
    clearTimeout(this.timer);
    $('case-status').textContent = this.i18n.t('saving');
    this.timer = setTimeout(() => {
      this.timer = null; // no longer pending: close() has nothing to flush
      this.saving = this.saving.then(() => this.save());
    }, SAVE_DELAY_MS);
  }

  /** The draft's fields as typed, with the version last read. */
  draftBody() {
    const fields = Object.fromEntries(DRAFT_FIELDS.map((k) => [k, $(DRAFT_INPUTS[k]).value]));
    return { version: this.doc.version, ...fields };
  }

  /** Save the draft's fields with the version last read (one save at a time); returns the version it left. */
  async save() {
    if (!this.doc) return undefined;
    const body = this.draftBody();
    let saved = null;
    const ok = await this.change(this.api.patch(this.url(), body).then((d) => { saved = d; return d; }));
    if (ok && this.doc) {
      const time = finnishTime(new Date());
      $('case-status').textContent = `${this.i18n.t('saved')} ${time} (${this.i18n.t('version')} ${this.doc.version})`;
      this.renderChecklist();
    }
    return saved?.version;
  }

  async attach(input) {
    const file = input.files[0];
    input.value = '';
    if (!file) return;
    if (!ATTACH_TYPES.includes(file.type)) { this.showError({ detail: `${file.name}: ${this.i18n.t('file_type')}` }); return; }
    if (file.size > MAX_BYTES) { this.showError({ detail: `${file.name}: ${this.i18n.t('file_too_large')}` }); return; }
    const form = new FormData();
    form.append('file', file, file.name);
    form.append('kind', $('attach-kind').value);
    form.append('version', String(this.doc.version));
    if (await this.change(this.api.form(this.url('/attachments'), form))) await this.reload();
  }

  async submit() {
    if (await this.change(this.api.post(this.url('/submit'), { version: this.doc.version }))) {
      this.render();
      await this.hearing.load();
    }
  }

  /** Take a step of the case's lifecycle; true when it was taken. */
  async step(state, extra = {}, inline = null) {
    // withdrawing is final (and its personal data is cleared after the retention): asked first
    if (state === 'withdrawn' && !window.confirm(this.i18n.t('confirm_withdraw'))) return false;
    const ruling = this.ruling();
    if (!ruling) return false;
    const body = { state, version: this.doc.version, date: $('step-date')?.value || today(), ...ruling, ...extra };
    if (!(await this.change(this.api.post(this.url('/state'), body), inline))) return false;
    this.render();
    await this.hearing.load();
    return true;
  }

  /**
   * The ruling typed for a step out of an appeal, as the request's `ruling` ({} when none is typed); null
   * when it is typed in part: who ruled and its day are both needed (the day is never assumed).
   */
  ruling() {
    if (this.doc.state !== 'appealed' || !$('ruling-by')) return {};
    const [by, on, reference] = ['ruling-by', 'ruling-on', 'ruling-reference'].map((id) => $(id).value.trim());
    if (!by && !on && !reference) return {};
    if (!by || !on) { this.showError({ detail: this.i18n.t('ruling_incomplete') }); $(by ? 'ruling-on' : 'ruling-by').focus(); return null; }
    return { ruling: { by, ruled_on: on, reference: reference || null } };
  }

  /**
   * A dig permit granted on the conditions as edited, or refused with its reasons (which it needs). Errors
   * are said beside the buttons too; once decided, focus goes to the decision as shown.
   */
  async decideDig(state) {
    const { i18n } = this;
    // what was marked at fault last time is not any more (each input points at the error while it is)
    DIG_INPUTS.forEach((id) => markDigInput(id, false));
    const date = $('dig-decided-on').value || today();
    // how the decision goes to the applicant, and when (the claim's days run from its receipt)
    const notice = { method: $('dig-notice-method').value, sent_on: $('dig-notice-sent').value || null };
    let extra;
    if (state === 'approved') {
      const conditions = lines('dig-conditions');
      // none (or the suggestions not in yet): said before a permit is granted on nothing in particular
      if (!conditions.length && !window.confirm(i18n.t('confirm_no_conditions'))) return;
      extra = { conditions, date, notice };
    } else {
      const reason = $('dig-refusal').value.trim();
      if (!reason) {
        markDigInput('dig-refusal', true);
        const err = { detail: i18n.t('refusal_reason_needed') };
        this.showError(err);
        this.sayBeside('dig-decide-error', err);
        $('dig-refusal').focus();
        return;
      }
      if (!window.confirm(i18n.t('confirm_refuse'))) return;
      extra = { reason, date, notice };
    }
    if (await this.step(state, extra, 'dig-decide-error')) {
      await this.dig?.loaded; // the check's sections above are filled again: then the heading stays in view
      $('case-dig-decision-head').focus();
    } else {
      const at = { date: 'dig-decided-on', 'notice.sent_on': 'dig-notice-sent' }[this.lastError?.field];
      if (at) { markDigInput(at, true); $(at).focus(); }
    }
  }

  async decide() {
    const conditions = lines('decision-conditions');
    const outcome = $('decision-outcome').value;
    const decision = { outcome, decided_by: $('decision-by').value, decided_on: $('decision-on').value || today(),
      posted_on: $('decision-posted').value || null, conditions, reasons: $('decision-reasons').value.trim() || null };
    const ruling = this.ruling();
    if (!ruling) return;
    const body = { state: outcome === 'granted' ? 'decided' : 'refused', version: this.doc.version, decision, ...ruling };
    // the error is said beside the form too (the panel's top is out of view on a phone)
    const done = await this.change(this.api.post(this.url('/state'), body), 'decision-error');
    // a decision without the reasons it needs (a refusal, a grant over remarks; Hallintolaki
    // 45 §): the box is marked, pointing at the error, and takes focus
    const unreasoned = this.lastError?.field === 'decision.reasons';
    if (unreasoned) {
      $('decision-reasons').setAttribute('aria-invalid', 'true');
      $('decision-reasons').setAttribute('aria-describedby', 'decision-error');
      $('decision-reasons').focus();
    } else ['aria-invalid', 'aria-describedby'].forEach((a) => $('decision-reasons').removeAttribute(a));
    if (done) { clearDecisionForm(); this.render(); await this.hearing.load(); }
  }

  async rerun() {
    try {
      const r = await this.api.post(this.url('/analysis/rerun'), { version: this.doc.version });
      this.showError(null); // an earlier refusal no longer stands once the re-run went through
      empty('case-diff');
      diffItems(r.diff, this.i18n).forEach((li) => $('case-diff').append(li));
    } catch (e) { this.showError(e); }
  }

  render() {
    if (!this.doc) return;
    this.drawSite();
    this.renderHead();
    this.parties.render();
    this.renderChecklist();
    this.renderDeadlines();
    this.renderSteps();
    this.renderDig();
    this.renderDigDecision();
    this.hearing.render();
  }

  /**
   * A dig permit's check on today's data, as the officer reads it before approving (its phases, the
   * findings with their weight, the fee and the inspections); fetched again for another version or language.
   */
  renderDig() {
    const { doc, i18n } = this;
    $('case-dig-box').hidden = !doc.works;
    if (!doc.works) return;
    // its applicant changes the dig on the map until an officer decides (PUT /api/v1/excavations/{id});
    // `yours` is its creator alone: a dig permit has no other parties (error.no_parties_on_works)
    $('case-dig-edit').hidden = !(doc.yours && ['draft', 'submitted'].includes(doc.works.permit_state));
    const key = `${doc.id}:${doc.version}:${i18n.lang}`;
    // an answer counts only for the case, version and language still shown (not after Back)
    const current = () => this.doc && this.dig?.key === key;
    if (this.dig?.key !== key) {
      // the same case's last check stays on screen until the new one is in: nothing jumps under the reader
      const before = this.dig?.id === doc.id ? (this.dig.check || this.dig.before) : null;
      this.dig = { key, id: doc.id, check: null, before };
      this.dig.loaded = this.api.get(`/api/v1/excavations/${doc.id}/check`)
        .then((check) => { if (current()) { this.dig.check = check; this.renderDig(); } })
        .catch((e) => { if (current()) { this.dig = null; $('case-dig-status').textContent = i18n.error(e); } });
    }
    empty('case-dig-phases', 'case-dig-findings', 'case-dig-fees', 'case-dig-inspections');
    const ta = $('dig-conditions');
    if (ta.dataset.case !== String(doc.id)) { // another case: nothing typed for the last one stays
      ta.value = '';
      $('dig-refusal').value = '';
      this.clearBeside();
      $('dig-decided-on').value = today();
      $('dig-notice-sent').value = '';
      $('dig-notice-sent').max = today(); // sent today or earlier, never ahead
      $('dig-notice-method').value = 'letter';
      Object.assign(ta.dataset, { case: String(doc.id), filled: '' });
    }
    const check = this.dig.check || this.dig.before;
    $('case-dig-status').textContent = check ? [`${i18n.num(check.area_m2, 1)} m²`, check.municipality_name,
      i18n.t(check.grantable ? 'grantable' : 'not_grantable'), check.outside_data ? i18n.t('outside_data') : ''].filter(Boolean).join(' · ') : '…';
    if (!check) return;
    for (const ph of check.phases) {
      $('case-dig-phases').append(el('li', { 'data-phase': String(ph.n) }, [`${i18n.t('phase')} ${ph.n}: ${i18n.day(ph.start)}–${i18n.day(ph.end)}`,
        `${i18n.num(ph.area_m2, 1)} m²`, ph.on_carriageway ? i18n.t('on_carriageway_short') : ''].filter(Boolean).join(' · ')));
    }
    renderDigFindings($('case-dig-findings'), check, this);
    renderFees($('case-dig-fees'), check.fee.lines, check.fee.total_eur, i18n, [], check.fee.note);
    for (const x of check.inspections) {
      $('case-dig-inspections').append(el('li', { 'data-kind': x.kind }, `${i18n.t('insp_' + x.kind, x.kind)}: ${i18n.day(x.date)}`));
    }
    $('case-dig-inspections').append(el('li', {}, i18n.t('guarantee_years').replace('{n}', String(check.guarantee_years))));
    // the usual conditions as the officer's starting text: given again in another language until edited
    if (ta.value === ta.dataset.filled) {
      ta.value = check.suggested_conditions.join('\n');
      ta.dataset.filled = ta.value;
    }
  }

  /** What the officer decided on a dig permit: the conditions it was granted on, or why it was refused. */
  renderDigDecision() {
    const { doc, i18n } = this;
    const w = doc.works;
    const given = Boolean(w?.permit_state === 'withdrawn' && w.decided_on); // granted, then given up by its applicant
    const granted = w && (given || ['approved', 'started', 'finished', 'accepted', 'guarantee_ended'].includes(w.permit_state));
    const refused = w?.permit_state === 'refused';
    $('case-dig-decision').hidden = !(granted || refused);
    $('dig-decide').hidden = !(w && doc.next_states.includes('approved'));
    empty('case-dig-conditions');
    if (!(granted || refused)) return;
    // null: approved before Rajapiste kept the conditions (none recorded), []: none in particular
    const said = w.conditions === null ? 'dig_approved_unrecorded' : (w.conditions.length ? 'dig_approved_on' : 'dig_approved_plain');
    $('case-dig-decision-head').textContent = i18n.t(refused ? 'dig_refused' : said);
    // the decision's day, and when it stands: the rectification claim's last day and its legal validity
    $('case-dig-decided-on').textContent = w.decided_on ? [`${i18n.t('decided_on')}: ${i18n.day(w.decided_on)}`,
      i18n.t('notice_sent_' + w.notice_method).replace('{sent}', i18n.day(w.notice_sent_on)).replace('{received}', i18n.day(w.notice_received_on)),
      `${i18n.t('claim_ends_on')}: ${i18n.day(w.claim_ends_on)}`, `${i18n.t('legally_valid_on')}: ${i18n.day(w.legally_valid_on)}`,
      given && w.withdrawn_on ? i18n.t('dig_withdrawn_on').replace('{on}', i18n.day(w.withdrawn_on)) : ''].filter(Boolean).join(' · ') : '';
    if (granted) (w.conditions || []).forEach((c) => $('case-dig-conditions').append(el('li', {}, c)));
    $('case-dig-refusal').textContent = refused ? w.refusal_reason : '';
  }

  renderHead() {
    const { doc, i18n } = this;
    const user = this.session.user;
    $('case-title').setAttribute('tabindex', '-1');
    $('case-title').textContent = `#${doc.id} ${i18n.t('kind_' + doc.kind, doc.kind)} · ${doc.property_ids_short.join(', ') || '–'}`
      + ` · ${i18n.t('st_' + doc.state, doc.state)}`;
    if (!$('case-status').querySelector('button')) {
      $('case-status').textContent = [doc.applicant ? `${i18n.t('applicant')}: ${doc.applicant}` : '', doc.municipality_name, doc.filed_on ? `${i18n.t('filed')} ${i18n.day(doc.filed_on)}${doc.regime ? ` (${i18n.t('regime_' + doc.regime, doc.regime)})` : ''}` : '',
        // what the applicant said of a dwelling on the site (the frozen analysis used it; null: the register's word)
        doc.existing_dwelling == null ? '' : `${i18n.t('existing_dwelling')}: ${i18n.t(doc.existing_dwelling ? 'dwelling_yes' : 'dwelling_no')}`,
        `${i18n.t('version')} ${doc.version}`].filter(Boolean).join(' · ');
    }
    if (doc.works) {
      $('case-status').textContent += ` · ${i18n.t('st_' + doc.works.permit_state, doc.works.permit_state)}`
        + ` ${i18n.day(doc.works.starts_on)}–${i18n.day(doc.works.ends_on)}`;
    }
    $('case-draft').hidden = !this.editable();
    $('attach-form').hidden = !doc.may_attach;
    $('case-submit').hidden = !(doc.yours && doc.next_states.includes('submitted'));
    $('case-analysis').textContent = analysisText(doc.analysis, i18n, doc.existing_dwelling);
    // which properties' neighbours the frozen list heard: the plot, and any plot the site reaches into
    renderSiteUnits($('case-site-units'), doc.analysis, i18n, ['case_reach', 'case_reach_many']);
    $('case-analysis-box').hidden = !doc.analysis;
    $('case-rerun').hidden = !(doc.analysis && isAuthority(user));
    $('decision-form').hidden = !doc.next_states.includes('decided');
    const form = $('decision-form');
    if (form.dataset.case !== String(doc.id)) { // another case: nothing typed for the last one stays
      clearDecisionForm();
      this.clearBeside();
      form.dataset.case = String(doc.id);
    }
    // the server's bound, said before it refuses: a granted decision waits for the hearing's periods
    const first = doc.earliest_on?.decided;
    $('decision-earliest').hidden = !first;
    $('decision-earliest').textContent = first ? i18n.t('decision_earliest').replace('{day}', i18n.day(first)) : '';
    // a pending rectification claim is decided by the board, and its decision gets an appeal period;
    // an officer's decision (their own correction) would get a claim period again
    $('decision-claim').hidden = !(doc.state === 'appealed' && doc.decision?.appeal_kind === 'rectification');
  }

  renderChecklist() {
    const { doc, i18n } = this;
    empty('case-checklist', 'case-attachments');
    doc.checklist.forEach((item) => $('case-checklist').append(checklistItem(item, i18n)));
    const sel = $('attach-kind');
    const chosen = sel.value;
    sel.textContent = '';
    [...doc.checklist.map((c) => c.code), 'other'].forEach((code) => sel.append(el('option', { value: code }, i18n.t('att_' + code, code))));
    if (chosen) sel.value = chosen;
    for (const a of doc.attachments) {
      const get = () => this.api.blob(this.url(`/attachments/${a.id}`)).then((b) => download(b, a.name)).catch(this.showError);
      $('case-attachments').append(el('li', {}, el('button', { type: 'button', class: 'link', onclick: get }, a.name),
        ` ${i18n.t('att_' + a.kind, a.kind)} · ${Math.ceil(a.size_bytes / 1024)} kB`));
    }
  }

  renderDeadlines() {
    const { doc, i18n } = this;
    empty('case-deadlines', 'case-decision');
    $('case-decision-pdf').hidden = !(doc.decision || doc.works?.decided_on);
    if (!doc.deadlines.length) $('case-deadlines').append(el('li', {}, '–'));
    doc.deadlines.forEach((d) => $('case-deadlines').append(el('li', { 'data-what': d.what },
      `${i18n.t('dl_' + d.what, d.what)}: ${i18n.day(d.date)} ${daysLeft(d.days_left, i18n)}`)));
    const d = doc.decision;
    if (!d) return;
    // under appeal the server gives no legally valid day and no limits (null): they are not known yet
    const pending = doc.state === 'appealed';
    const dates = [['decided_on', d.decided_on], ['posted_on', d.posted_on], ['dl_' + d.appeal_kind + '_period_ends', d.appeal_ends_on],
      ['appealed_on', d.appealed_on], [d.valid_after_appeal ? 'dl_valid_after_appeal' : 'dl_legally_valid', d.legally_valid_on],
      ['dl_start_by', d.start_by], ['dl_finish_by', d.finish_by], ['dl_valid_until', d.valid_until]];
    const ruled = d.ruling_by ? [el('li', { id: 'decision-ruling' }, `${i18n.t('ruling')}: ${d.ruling_by}, ${i18n.day(d.ruling_on)}`
      + (d.ruling_reference ? ` (${d.ruling_reference})` : ''))] : [];
    $('case-decision').append(el('h3', {}, `${i18n.t('decision')}: ${i18n.t(d.outcome)} (${i18n.t(d.decided_by)})`),
      el('ul', { id: 'decision-dates' }, ...dates.filter(([, v]) => v).map(([k, v]) => el('li', {}, `${i18n.t(k)}: ${i18n.day(v)}`)),
        ...ruled, ...(pending ? [el('li', { class: 'note' }, i18n.t('appeal_pending'))] : []),
        ...(d.reasons ? [el('li', { id: 'decision-reasons-shown', class: 'written' }, `${i18n.t('reasons')}: ${d.reasons}`)] : []),
        ...d.conditions.map((c) => el('li', {}, c))));
  }

  renderSteps() {
    const { doc, i18n } = this;
    empty('case-steps');
    // deciding is the decision form's; from a pending appeal, 'refused' alone ends it (upheld or annulled)
    // a dig permit is approved or refused in its own box, with its conditions or reasons
    const own = doc.works ? ['approved', 'refused'] : [];
    const steps = doc.next_states.filter((s) => ![...own, 'decided', 'submitted'].includes(s) && (s !== 'refused' || doc.state === 'appealed'));
    if (!steps.length) return;
    if (doc.state === 'appealed') {
      // what settled the appeal goes with the step that ends it (and with a new decision)
      const field = (key, attrs) => el('label', {}, el('span', {}, i18n.t(key)), el('input', attrs));
      $('case-steps').append(el('fieldset', { id: 'ruling' }, el('legend', {}, i18n.t('ruling')),
        field('ruling_by', { id: 'ruling-by', maxlength: '200', autocomplete: 'off' }),
        field('ruling_on', { id: 'ruling-on', type: 'date' }),
        field('ruling_reference', { id: 'ruling-reference', maxlength: '100', autocomplete: 'off' })));
    }
    $('case-steps').append(el('label', {}, el('span', {}, i18n.t('step_date')), el('input', { id: 'step-date', type: 'date', value: today() })));
    // a step the law holds back past today (legally valid, started) says from when, and waits; aria-disabled,
    // not disabled, so that it stays in the tab order and its day is read out
    steps.forEach((s) => {
      const first = doc.earliest_on?.[s];
      const when = first ? ` (${i18n.t('step_earliest').replace('{day}', i18n.day(first))})` : '';
      $('case-steps').append(el('button', { type: 'button', 'data-state': s, ...(first ? { 'aria-disabled': 'true' } : {}),
        onclick: () => { if (!first) this.step(s); } }, `${i18n.t('step_to')}: ${i18n.t('st_' + s, s)}${when}`));
    });
  }

  /** The site on the map (the hearing module adds the neighbours, coloured by status). */
  drawSite() {
    this.results.clearLayers();
    if (this.doc.site) L.geoJSON(this.doc.site, { style: { ...SITE_STYLE }, pmIgnore: true }).addTo(this.results);
  }

  fitMap() {
    if (this.doc.site) fitView(this.map, L.geoJSON(this.doc.site).getBounds().pad(1.2));
  }
}

export const createCaseView = (deps) => new CaseView(deps);
