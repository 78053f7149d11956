/* The server's HTTP API: JSON in and out; an error response (problem+json or text) is thrown as an object with a detail. */

/** Fetch a path; resolve to the parsed JSON (any *json content type) or the text, reject with the error body. */
export async function request(path, opts = {}) {
  const r = await fetch(path, opts);
  const ct = r.headers.get('content-type') || '';
  if (!r.ok) {
    const body = ct.includes('json') ? await r.json() : { detail: await r.text() };
    throw { status: r.status, ...body };
  }
  return ct.includes('json') ? r.json() : r.text();
}

/** A request counter: only the answer to the latest request started with next() is still wanted. */
export function createSequence() {
  let last = 0;
  return { next: () => ++last, isLatest: (n) => n === last };
}

let inFlight = 0;
/** The page's loading indicator (body[data-loading]) follows the requests under way. */
function busy(delta) {
  inFlight += delta;
  if (inFlight > 0) document.body.dataset.loading = '1'; else delete document.body.dataset.loading;
}

/**
 * The API as the signed-in user (session.token, if any, goes in the Authorization header: never a cookie, so
 * another site cannot make the browser send it). A 401 while signed in means the token expired: the session ends.
 */
export function createApi(session) {
  // The language the server writes its texts in (flags, findings, fee lines, reasons, errors): the page's.
  let lang = null;
  const withLang = (path) => (lang && path.startsWith('/api/') && !/[?&]lang=/.test(path)
    ? `${path}${path.includes('?') ? '&' : '?'}lang=${lang}` : path);
  const withToken = (headers = {}) => (session.token ? { ...headers, authorization: `Bearer ${session.token}` } : headers);
  async function call(path, opts = {}) {
    const sent = session.token;
    busy(1);
    try {
      return await request(withLang(path), { ...opts, headers: withToken(opts.headers) });
    } catch (e) {
      if (e.status === 401 && sent && sent === session.token) session.expired();
      throw e;
    } finally { busy(-1); }
  }
  const json = (method) => (path, body) => call(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
  /** A file the server sends (a PDF, an attachment), as a Blob: fetched with the token, never through a cookie. */
  async function blob(path) {
    const r = await fetch(withLang(path), { headers: withToken() });
    if (!r.ok) {
      const ct = r.headers.get('content-type') || '';
      throw { status: r.status, ...(ct.includes('json') ? await r.json() : { detail: await r.text() }) };
    }
    return r.blob();
  }
  return {
    get: (path) => call(path),
    post: json('POST'),
    patch: json('PATCH'),
    put: json('PUT'),
    del: (path) => call(path, { method: 'DELETE' }),
    /** A multipart form (a file upload); the browser sets its content type. */
    form: (path, formData) => call(path, { method: 'POST', body: formData }),
    blob,
    createSequence,
    /** Ask the server for its texts in this language from now on (?lang= on every API request). */
    setLang: (l) => { lang = l; },
  };
}
