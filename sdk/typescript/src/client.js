// The client: auth, retries, idempotency keys, auto-pagination and the resource methods
// generated from the API's OpenAPI document (operations.js).
import { OPERATIONS } from "./operations.js";
import { uuid } from "./crypto.js";
import { ConnectionError, EdgeclockError } from "./errors.js";
import { DEFAULT_RETRY, RETRY_STATUSES, nextDelay, retryAfterMs } from "./retry.js";

const WRITES = new Set(["POST", "PATCH", "PUT", "DELETE"]);

function env(name) {
  if (globalThis.process && globalThis.process.env) return globalThis.process.env[name];
  try {
    if (globalThis.Deno) return globalThis.Deno.env.get(name);
  } catch {
    // Deno without --allow-env: no variable.
  }
  return undefined;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function queryString(query) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) {
    if (v === undefined || v === null) continue;
    q.set(k, Array.isArray(v) ? v.join(",") : String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** An async iterable over every item of a list, following `meta.next_cursor`. */
export class Paginator {
  constructor(client, op, params, query) {
    Object.assign(this, { client, op, params, query: query || {} });
  }
  /** One page: `{ data, meta }` (pass `meta.next_cursor` as `cursor` for the next). */
  page(cursor) {
    const query = cursor ? { ...this.query, cursor } : this.query;
    return this.client.raw(this.op, this.params, { query });
  }
  async *[Symbol.asyncIterator]() {
    let cursor = this.query.cursor;
    for (;;) {
      const { data, meta } = await this.page(cursor);
      yield* data;
      cursor = meta && meta.next_cursor;
      if (!cursor) return;
    }
  }
  /** Every item as an array (for lists you know are small). */
  async all() {
    const out = [];
    for await (const item of this) out.push(item);
    return out;
  }
}

export class Edgeclock {
  /**
   * Options: `apiKey` (else `EDGECLOCK_API_KEY`), `baseUrl` (else `EDGECLOCK_BASE_URL`, else
   * `http://127.0.0.1:8787`), `tenantId` (a vendor key's `Edgeclock-Tenant-Id`), `retry`
   * (`{maxAttempts, baseDelayMs, maxDelayMs, maxElapsedMs}`), `fetch` (a fetch function),
   * `headers` (sent with every request).
   */
  constructor(options = {}) {
    this.apiKey = options.apiKey ?? env("EDGECLOCK_API_KEY");
    if (!this.apiKey) throw new Error("an API key is needed: pass apiKey or set EDGECLOCK_API_KEY");
    this.baseUrl = (options.baseUrl ?? env("EDGECLOCK_BASE_URL") ?? "http://127.0.0.1:8787").replace(/\/+$/, "");
    this.tenantId = options.tenantId;
    this.retry = { ...DEFAULT_RETRY, ...(options.retry || {}) };
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.headers = options.headers || {};
    for (const [id, op] of Object.entries(OPERATIONS)) {
      const resource = (this[op.resource] ??= {});
      resource[op.action] = (...args) => this.#call(id, op, args);
    }
  }

  #call(id, op, args) {
    const params = args.slice(0, op.params.length);
    const [arg, options] = args.slice(op.params.length);
    if (op.paginated) return new Paginator(this, id, params, arg);
    const input = op.method === "GET" ? { query: arg } : { body: arg };
    return this.raw(id, params, { ...input, ...(options || {}) }).then((r) => r.data);
  }

  /**
   * Calls operation `operationId` with its path parameters in order and answers the whole
   * envelope (`{data, meta}`). `options`: `query`, `body`, `idempotencyKey` (a write gets a
   * fresh UUID when none is given, kept across its retries), `headers`.
   */
  async raw(operationId, params = [], options = {}) {
    const op = OPERATIONS[operationId];
    if (!op) throw new Error(`unknown operation ${operationId}`);
    let i = 0;
    const path = op.path.replace(/\{[a-z_]+\}/g, () => encodeURIComponent(String(params[i++])));
    return this.request(op.method, path + queryString(options.query), options);
  }

  /** Sends one request (retried as the policy says) and answers the parsed body. */
  async request(method, path, options = {}) {
    const headers = { Accept: "application/json", ...this.headers, ...(options.headers || {}) };
    headers.Authorization = `Bearer ${this.apiKey}`;
    if (this.tenantId) headers["Edgeclock-Tenant-Id"] = this.tenantId;
    let body;
    if (options.body !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(options.body);
    }
    if (WRITES.has(method)) headers["Idempotency-Key"] = options.idempotencyKey ?? (await uuid());
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      let response;
      try {
        response = await this.fetch(this.baseUrl + path, { method, headers, body });
      } catch (cause) {
        const delay = nextDelay(this.retry, attempt, Date.now() - started, null);
        if (delay === null) throw new ConnectionError(cause);
        await sleep(delay);
        continue;
      }
      if (RETRY_STATUSES.includes(response.status)) {
        const after = retryAfterMs(response.headers.get("retry-after"));
        const delay = nextDelay(this.retry, attempt, Date.now() - started, after);
        if (delay !== null) {
          await response.arrayBuffer().catch(() => null);
          await sleep(delay);
          continue;
        }
      }
      const text = await response.text();
      let parsed = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        parsed = text;
      }
      if (!response.ok) throw new EdgeclockError(response.status, parsed, response.headers);
      return parsed;
    }
  }

  /**
   * An incremental sync of a list: every object changed at or after `since` (an RFC 3339
   * instant), deletions included. Answers `{items, tombstones, syncedAt}`; pass `syncedAt` (the
   * latest change seen, by the server's clock; `since` when nothing changed) as the next `since`.
   */
  async sync(resource, since, query = {}) {
    const list = this[resource] && this[resource].list;
    if (!list) throw new Error(`${resource} has no list`);
    const items = [];
    const tombstones = [];
    let syncedAt = since;
    for await (const o of list({ ...query, updated_since: since, include_deleted: true })) {
      (o.deleted ? tombstones : items).push(o);
      const at = o.deleted ? o.deleted_at : o.updated_at;
      if (at && at > syncedAt) syncedAt = at;
    }
    return { items, tombstones, syncedAt };
  }
}
