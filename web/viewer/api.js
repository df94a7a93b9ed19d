// The API client of the viewer: the signed-in credential (sessionStorage),
// JSON requests with it as a header, paging, and media URLs that carry it
// as access_token (a <video> or <img> cannot send headers).

const k_storage_key = 'frameserve.credential';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function credential() {
  return sessionStorage.getItem(k_storage_key) || '';
}

export function set_credential(value) {
  sessionStorage.setItem(k_storage_key, value);
}

export function clear_credential() {
  sessionStorage.removeItem(k_storage_key);
}

// A JWT has three dot-separated parts; anything else is sent as an API key.
function auth_headers(value) {
  return value.split('.').length === 3 ? { Authorization: 'Bearer ' + value } : { 'X-API-Key': value };
}

// GETs `path` as JSON. Throws ApiError with the server's own error message
// (the JSON envelope), or a network/HTTP description when there is none.
export async function get_json(path, value = credential()) {
  let res;
  try {
    res = await fetch(path, { headers: { ...auth_headers(value), Accept: 'application/json' } });
  } catch (e) {
    throw new ApiError(0, 'network', 'frameserve could not be reached (' + e.message + ')');
  }
  let body = null;
  try {
    body = await res.json();
  } catch (e) {
    body = null;
  }
  if (!res.ok || !body || body.success === false) {
    const error = body && body.error ? body.error : {};
    throw new ApiError(res.status, error.code || 'http_' + res.status, error.message || 'HTTP ' + res.status);
  }
  return body;
}

// Follows next_cursor until the last page; returns every element of `array`.
export async function get_all(path, array, page_size = 1000) {
  const items = [];
  let cursor = null;
  for (;;) {
    const url = new URL(path, location.origin);
    url.searchParams.set('limit', String(page_size));
    if (cursor) url.searchParams.set('cursor', cursor);
    const page = await get_json(url.pathname + url.search);
    items.push(...page[array]);
    if (!page.next_cursor) return items;
    cursor = page.next_cursor;
  }
}

export function file_path(file_uuid) {
  return '/api/v1/file/' + encodeURIComponent(file_uuid);
}

// `path` with `params` and the credential as access_token: for src/href.
export function media_url(path, params = {}) {
  const url = new URL(path, location.origin);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null) url.searchParams.set(name, String(value));
  }
  url.searchParams.set('access_token', credential());
  return url.pathname + url.search;
}
