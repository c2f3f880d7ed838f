// The five functions' public JSON APIs, and nothing else: every call goes to /functions/v1/<name>.
import { session } from './session.js';

export const FUNCTIONS_BASE = '/functions/v1';

export class APIError extends Error {
  constructor(status, message, { code, param, body } = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.param = param;
    this.body = body;
  }
}

function url(fn, path, query) {
  const target = new URL(`${FUNCTIONS_BASE}/${fn}${path}`, location.origin);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '' && value !== false) target.searchParams.set(name, String(value));
  }
  return target;
}

async function errorFrom(response) {
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  const error = body?.error ?? {};
  const message = error.message || `The gateway answered ${response.status} ${response.statusText}.`;
  return new APIError(response.status, message, { code: error.code, param: error.param, body });
}

/**
 * Calls a function and returns its JSON. Options: method, body (sent as JSON), query, signal,
 * `raw` (return the Response for streams and files), `keepSessionOn401` (the sign-in check).
 */
export async function call(fn, path = '', options = {}) {
  const { method = 'GET', body, query, signal, raw = false, keepSessionOn401 = false } = options;
  const headers = { Authorization: `Bearer ${session.token() ?? ''}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(url(fn, path, query), { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new APIError(0, `The gateway could not be reached (${error.message}).`, { code: 'network_error' });
  }
  if (!response.ok) {
    const error = await errorFrom(response);
    if (response.status === 401 && !keepSessionOn401) session.expire(error.message);
    throw error;
  }
  if (raw) return response;
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

export const api = {
  providers: () => call('providers'),
  provider: (id) => call('providers', `/${encodeURIComponent(id)}`),
  addProvider: (body) => call('providers', '', { method: 'POST', body }),
  updateProvider: (id, body) => call('providers', `/${encodeURIComponent(id)}`, { method: 'PUT', body }),
  removeProvider: (id) => call('providers', `/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  testProvider: (id) => call('providers', `/${encodeURIComponent(id)}/test`, { method: 'POST' }),
  saveCatalogueEntry: (id, body) => call('providers', `/catalogue/${encodeURIComponent(id)}`, { method: 'PUT', body }),

  sync: (providerID) => call('sync-models', '', { method: 'POST', body: providerID ? { provider_id: providerID } : {} }),

  models: (query) => call('models', '', { query }),
  updateModel: (id, body) => call('models', `/${encodeURIComponent(id)}`, { method: 'PUT', body }),
  discover: () => call('models', '/discover'),
  aliases: () => call('models', '/aliases'),
  saveAlias: (alias, body) => call('models', `/aliases/${encodeURIComponent(alias)}`, { method: 'PUT', body }),
  deleteAlias: (alias, global) => call('models', `/aliases/${encodeURIComponent(alias)}`, { method: 'DELETE', query: { global: global ? 'true' : '' } }),

  usage: (query) => call('usage-stats', '', { query }),
  exportUsage: (query) => call('usage-stats', '/export', { query: { ...query, format: 'csv' }, raw: true }),
  requests: (query) => call('usage-stats', '/requests', { query }),
  request: (id) => call('usage-stats', `/requests/${encodeURIComponent(id)}`),
  budgets: (query) => call('usage-stats', '/budgets', { query }),
  saveBudget: (body) => call('usage-stats', '/budgets', { method: 'PUT', body }),
  deleteBudget: (query) => call('usage-stats', '/budgets', { method: 'DELETE', query }),

  /** A streamed chat completion: the Response, for its body and `X-Request-ID`. */
  chatStream: (body, signal) => call('v1-chat', '/v1/chat/completions', { method: 'POST', body, signal, raw: true }),
};
