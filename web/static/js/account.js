/* The header's account box: a sign-in form while anonymous; the user's e-mail, role and a sign-out button after. */

import { $ } from './dom.js';

/** Who is signed in, in the page's language. */
function whoText(user, i18n) {
  if (!user) return i18n.t('not_signed_in');
  const where = user.municipality ? ` (${user.municipality_name || user.municipality})` : '';
  return `${i18n.t('signed_in_as')}: ${user.email} · ${i18n.t('role_' + user.role, user.role)}${where}`;
}

/** Wire the account box to the session; render() shows the current state (call it on a language change too). */
export function createAccount({ session, i18n, showError }) {
  /** A line cut short on a small phone opens whole when tapped or tabbed to (the CSS's :focus). */
  function reachable() {
    const who = $('who');
    if (document.activeElement !== who) who.tabIndex = who.scrollWidth > who.clientWidth ? 0 : -1;
  }

  function render() {
    const { user } = session;
    $('who').textContent = whoText(user, i18n);
    document.body.dataset.role = user ? user.role : 'anonymous';
    $('signin').hidden = Boolean(user);
    $('signout').hidden = !user;
    reachable();
  }

  $('signin-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const password = $('signin-password');
    try {
      await session.signIn($('signin-email').value.trim(), password.value);
      $('signin').open = false;
      showError(null);
      $('signout').focus(); // keyboard users land on the control that now exists
    } catch (err) {
      showError({ detail: `${i18n.t('sign_in_failed')}: ${err.detail || err}` });
    } finally {
      password.value = ''; // never kept in the page
    }
  });
  $('signout').addEventListener('click', () => session.signOut().catch(showError));
  // Escape closes the sign-in popover, focus back on its button (a keyboard user is not stuck in it)
  $('signin').addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || !$('signin').open) return;
    e.preventDefault();
    e.stopPropagation();
    $('signin').open = false;
    $('signin').querySelector('summary').focus();
  });
  session.onChange(render);
  window.addEventListener('resize', reachable);
  return { render };
}
