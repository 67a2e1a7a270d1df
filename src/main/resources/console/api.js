// The console's two helpers: calling Vigil's API with the session (and its CSRF token), and building DOM
// nodes from data without ever parsing data as HTML.

let csrf = null;

/** Thrown for an answer that is not 2xx; message is the API's own "error" text. */
export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.error) || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

/** The session: {signedIn, via}; remembers its CSRF token for later state-changing calls. */
export async function session() {
  const res = await fetch('/console/session', { credentials: 'same-origin' });
  const body = await res.json();
  csrf = body.csrf || null;
  return { signedIn: Boolean(body.csrf), via: body.via };
}

export async function signIn(secret) {
  const body = await call('POST', '/console/session', { secret });
  csrf = body.csrf;
  return body;
}

export async function signOut() {
  await call('DELETE', '/console/session');
  csrf = null;
}

/** One API call; body: an object (sent as JSON), a File/Blob (sent raw with its type) or nothing. */
export async function call(method, path, body) {
  const headers = {};
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  let payload;
  if (body instanceof Blob) {
    payload = body;
    headers['Content-Type'] = body.type || 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  const res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  const type = res.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await res.json() : null;
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

export const get = (path) => call('GET', path);

/** el('p', {class: 'x'}, 'text', child...): attributes set as attributes (on* as listeners), children as text or nodes. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Local date and time of an ISO instant, e.g. "Sun 6 Dec, 21:04". */
export function when(iso) {
  if (!iso) return '';
  return new Date(iso).toLocaleString(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}
