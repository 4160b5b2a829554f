// Shared by the bench scripts' Node helpers (imported, not run): calls to the API, a tenant
// whose rate limits stay out of a benchmark's way, and percentiles.

export function api(base) {
  async function call(method, path, token, body) {
    const res = await fetch(base + path, {
      method, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: body && JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }
  function must(r, status, what) {
    if (r.status !== status) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.data;
  }
  // An enterprise tenant (webhooks and positions need that plan) with limits far above any load.
  async function benchTenant(operator, name) {
    const limits = { per_second: 1000000, per_minute: 100000000, per_day: 1000000000 };
    const body = { name, tier: "enterprise", timezone: "UTC", limits };
    return must(await call("POST", "/v1/operator/tenants", operator, body), 201, "tenant");
  }
  return { call, must, benchTenant };
}

// The p-th percentile (nearest rank) of an ascending array or typed array; NaN when empty.
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
