// Every call of the console: same-origin JSON to the documented /api/v1 routes, authenticated by
// the HttpOnly session cookie. Every change carries the session's CSRF token; a 401 sends the
// user back to the login screen.

let csrfToken = null;
let onSignedOut = () => {};

export function bindSession(session, signedOut) {
  csrfToken = session ? session.csrf_token : null;
  onSignedOut = signedOut;
}

class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code ?? null;
    this.issues = body?.error?.issues ?? [];
  }
}

async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  const res = await fetch(path, { method, headers, credentials: "same-origin", body: body === undefined ? undefined : JSON.stringify(body) });
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) {
    if (res.status === 401 && !path.endsWith("/session")) onSignedOut();
    throw new ApiError(res.status, data);
  }
  return data;
}

export const get = (path) => api("GET", path);
export const post = (path, body = {}) => api("POST", path, body);
export const put = (path, body) => api("PUT", path, body);
export const del = (path) => api("DELETE", path);

/** A path with its query string, leaving out empty values. */
export function withQuery(path, params) {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ""));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** The rows of a list answer, whichever key the route names them by (`data`, `messages`, …). */
export function rowsOf(answer, key) {
  if (!answer) return [];
  if (Array.isArray(answer)) return answer;
  return answer[key] ?? answer.data ?? [];
}
