/* Who is signed in. The token lives in sessionStorage (this tab only, gone when it closes) and in memory; it is sent
   only as an Authorization header, so there is no cookie for another site to ride on (no CSRF). Sign-out revokes it
   on the server. */

import { request } from './api.js';

const KEY = 'rajapiste.token';

/** The session: token, user ({email, role, municipality, municipality_name}) and change listeners. */
export function createSession(storage = window.sessionStorage) {
  const listeners = [];
  const session = { token: storage.getItem(KEY), user: null };
  const changed = () => listeners.forEach((fn) => fn(session.user));
  const forget = () => { session.token = null; session.user = null; storage.removeItem(KEY); };
  const auth = () => ({ authorization: `Bearer ${session.token}` });

  /** Ask the server who the stored token belongs to (an expired one is forgotten). */
  async function restore() {
    if (!session.token) { changed(); return; }
    try { session.user = await request('/api/v1/auth/me', { headers: auth() }); } catch (e) { forget(); }
    changed();
  }

  /** Sign in with the OAuth2 password form; the token is kept for this tab. */
  async function signIn(email, password) {
    const body = new URLSearchParams({ username: email, password });
    const answer = await request('/api/v1/auth/token', { method: 'POST', body });
    session.token = answer.access_token;
    storage.setItem(KEY, session.token);
    await restore();
  }

  /** Sign out: the server revokes the token, and this tab forgets it either way. */
  async function signOut() {
    if (session.token) {
      try { await request('/api/v1/auth/logout', { method: 'POST', headers: auth() }); } catch (e) { /* already gone */ }
    }
    forget();
    changed();
  }

  return Object.assign(session, {
    restore, signIn, signOut,
    expired: () => { forget(); changed(); },
    onChange: (fn) => { listeners.push(fn); },
  });
}
