// The dashboard's only way to the service: the HTTP API with the signed-in token.
// The token lives in sessionStorage (gone when the tab closes) and travels only in the
// Authorization header, never in a URL.

const TOKEN_KEY = "batch-source.token";

export class APIError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function signIn(value) {
  sessionStorage.setItem(TOKEN_KEY, value.trim());
}

export function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
}

// A path under the service with its query built from an object (empty values left out).
export function path(base, query = {}) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${base}?${text}` : base;
}

export function seg(name) {
  return encodeURIComponent(name);
}

export async function call(method, url, body) {
  const headers = { Accept: "application/json" };
  const current = token();
  if (current) headers.Authorization = `Bearer ${current}`;
  const init = { method, headers, cache: "no-store", credentials: "omit" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(url, init);
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (_) {
    json = null;
  }
  if (!response.ok) {
    const error = json && json.error ? json.error : {};
    throw new APIError(response.status, error.code || "http_" + response.status, error.message || text || response.statusText);
  }
  return json;
}

export const get = (url) => call("GET", url);

// Every item of a paged list, page by page (1000 a page, the API's largest).
export async function all(base, query = {}, max = 100000) {
  const items = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await get(path(base, { ...query, limit: 1000, offset }));
    items.push(...page.items);
    if (items.length >= page.total || page.items.length === 0 || items.length >= max) return { items, total: page.total };
  }
}

// Who the token is, and the scope each operation demands as the OpenAPI document states it,
// so the page offers exactly what the API would allow.
export async function session() {
  const [me, doc] = await Promise.all([get("/api/v1/whoami"), get("/api/v1/openapi.json")]);
  const demands = {};
  for (const [route, item] of Object.entries(doc.paths || {})) {
    for (const [method, op] of Object.entries(item)) {
      if (op && op["x-required-scope"]) demands[`${method.toUpperCase()} ${route}`] = op["x-required-scope"];
    }
  }
  const rank = { read: 0, claim: 1, admin: 2 };
  return {
    name: me.name,
    scope: me.scope,
    may(method, route) {
      const needed = demands[`${method} ${route}`];
      return needed !== undefined && rank[me.scope] >= rank[needed];
    },
    // Acting for a batch's holder (release from here) sends force, which needs the admin scope.
    mayForce() {
      return me.scope === "admin";
    },
  };
}
