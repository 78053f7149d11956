/* The parties of the open application: the applicant, the co-applicants and the designer with their
   invitations' status, and the applicant's form to invite one more by e-mail. Accepted co-applicants
   are named in the hearing letters beside the applicant. */

import { $, el, empty } from './dom.js';

/** A party as a list entry: role, name, e-mail address, the invitation's status. */
function partyItem(p, i18n) {
  const who = [p.name, p.email].filter(Boolean).join(', ') || '–';
  const status = p.role === 'applicant' ? '' : ` (${i18n.t('party_' + p.status, p.status)})`;
  return el('li', { 'data-role': p.role, 'data-status': p.status }, `${i18n.t('party_' + p.role, p.role)}: ${who}${status}`);
}

/** The parties section of the case view. */
export class CaseParties {
  constructor(shared) {
    Object.assign(this, shared);
    $('invite-form').addEventListener('submit', (e) => { e.preventDefault(); this.invite(); });
  }

  render() {
    const { doc } = this.view;
    const { i18n } = this;
    empty('case-parties');
    doc.parties.forEach((p) => $('case-parties').append(partyItem(p, i18n)));
    $('invite-form').hidden = !doc.may_invite; // the server's rule (case_view.document)
  }

  async invite() {
    const email = $('invite-email').value.trim();
    if (!$('invite-form').reportValidity() || !email) return;
    const body = { version: this.view.doc.version, role: $('invite-role').value, email, name: $('invite-name').value.trim() || null };
    if (await this.view.change(this.api.post(this.view.url('/parties'), body))) {
      $('invite-email').value = '';
      $('invite-name').value = '';
      this.view.render();
      $('invite-email').focus();
    }
  }
}

export const createCaseParties = (deps) => new CaseParties(deps);
