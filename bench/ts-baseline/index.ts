// An idiomatic TypeScript Worker doing what edgeclock's `GET /v1/workers?limit=50` does, as the
// benchmark's comparison (bench/run.sh): the bearer key hashed and its record read from KV
// (cached in the isolate), a Durable Object per key deciding three rate windows, the page read
// from D1 and rendered as the same envelope, and an audit row inserted after the response.
import { DurableObject } from "cloudflare:workers";

interface Env {
  DB: D1Database;
  KEYS: KVNamespace;
  LIMITER: DurableObjectNamespace<Limiter>;
}

interface KeyRecord {
  key_id: string;
  tenant_id: string | null;
  label: string;
  limits: { per_second: number; per_minute: number; per_day: number };
  hash: string;
}

const WINDOWS = [
  ["per_second", 1_000],
  ["per_minute", 60_000],
  ["per_day", 86_400_000],
] as const;

/** One per key: a fixed-window counter for each limit, in memory. */
export class Limiter extends DurableObject {
  private counts = new Map<string, number>();

  admit(limits: KeyRecord["limits"]): boolean {
    const now = Date.now();
    const keys = WINDOWS.map(([name, ms]) => `${name}:${Math.floor(now / ms)}`);
    const over = WINDOWS.some(([name], i) => (this.counts.get(keys[i]) ?? 0) >= limits[name]);
    if (over) return false;
    for (const k of keys) this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
    if (this.counts.size > 64) this.counts = new Map([...this.counts].slice(-3));
    return true;
  }
}

const cache = new Map<string, { record: KeyRecord; at: number }>();

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function error(status: number, code: string, message: string, requestId: string): Response {
  return Response.json({ error: { code, message, request_id: requestId } }, { status, headers: { "X-Request-Id": requestId } });
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const requestId = `req_${crypto.randomUUID().replaceAll("-", "")}`;
    const url = new URL(request.url);
    if (request.method !== "GET" || url.pathname !== "/v1/workers") return error(404, "not_found", "Route not found", requestId);
    const token = request.headers.get("Authorization")?.replace(/^Bearer /, "") ?? "";
    const hash = await sha256Hex(token);
    let hit = cache.get(hash);
    if (!hit || Date.now() - hit.at > 60_000) {
      const record = await env.KEYS.get<KeyRecord>(`key:${hash}`, "json");
      if (!record) return error(401, "unauthorized", "Invalid API key", requestId);
      hit = { record, at: Date.now() };
      cache.set(hash, hit);
    }
    const key = hit.record;
    const limiter = env.LIMITER.get(env.LIMITER.idFromName(key.key_id));
    if (!(await limiter.admit(key.limits))) return error(429, "rate_limited", "Too many requests", requestId);
    const limit = Math.min(200, Math.max(1, Number(url.searchParams.get("limit") ?? 50)));
    const { results } = await env.DB.prepare(
      "SELECT id, harvest_id, name, email, phone, employee_code, position, department_id, site_id, pay_rate, status, " +
        "created_at, updated_at FROM workers WHERE tenant_id = ? AND deleted_at IS NULL ORDER BY id LIMIT ?",
    )
      .bind(key.tenant_id, limit + 1)
      .all();
    const hasMore = results.length > limit;
    const data = results.slice(0, limit);
    const now = new Date().toISOString();
    ctx.waitUntil(
      env.DB.prepare(
        "INSERT INTO audit_log (id, tenant_id, key_id, key_label, method, path, query, status, request_id, created_at, updated_at) " +
          "VALUES (?, ?, ?, ?, 'GET', ?, ?, 200, ?, ?, ?)",
      )
        .bind(`aud_${crypto.randomUUID()}`, key.tenant_id, key.key_id, key.label, url.pathname, url.search.slice(1), requestId, now, now)
        .run(),
    );
    return Response.json(
      { data, meta: { request_id: requestId, next_cursor: hasMore ? String(data[data.length - 1]?.id) : null, has_more: hasMore } },
      { headers: { "X-Request-Id": requestId } },
    );
  },
};
