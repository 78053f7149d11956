/* The server's HTTP API: JSON in and out; an error response (problem+json or text) is thrown as an object with a detail. */

/** Fetch a path; resolve to the parsed JSON (any *json content type) or the text, reject with the error body. */
export async function request(path, opts = {}) {
  const r = await fetch(path, opts);
  const ct = r.headers.get('content-type') || '';
  if (!r.ok) {
    const body = ct.includes('json') ? await r.json() : { detail: await r.text() };
    throw body;
  }
  return ct.includes('json') ? r.json() : r.text();
}

export const get = (path) => request(path);

export const post = (path, body) => request(path, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
});

/** A request counter: only the answer to the latest request started with next() is still wanted. */
export function createSequence() {
  let last = 0;
  return { next: () => ++last, isLatest: (n) => n === last };
}
