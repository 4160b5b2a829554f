// The SDK against a running edgeclock (`wrangler dev`, started by the end-to-end suite, which
// passes EDGECLOCK_TEST_BASE_URL, EDGECLOCK_TEST_KEY and EDGECLOCK_TEST_LOW_KEY — a key of one
// request a second). Skipped when they are not set.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { Edgeclock, EdgeclockError } from "../src/index.js";
import { verifyWebhook } from "../src/index.js";

const base = process.env.EDGECLOCK_TEST_BASE_URL;
const key = process.env.EDGECLOCK_TEST_KEY;
const lowKey = process.env.EDGECLOCK_TEST_LOW_KEY;
const live = { skip: !base || !key ? "no server (EDGECLOCK_TEST_BASE_URL)" : false };
const unique = () => `sdk-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;

test("creates, lists and paginates over several pages", live, async () => {
  const client = new Edgeclock({ apiKey: key, baseUrl: base });
  const tag = unique();
  const made = [];
  for (let i = 0; i < 7; i++) made.push((await client.departments.create({ name: `${tag} ${i}` })).id);
  const pages = [];
  const paginator = client.departments.list({ q: tag, limit: 3 });
  let cursor;
  do {
    const page = await paginator.page(cursor);
    pages.push(page.data.length);
    cursor = page.meta.next_cursor;
  } while (cursor);
  assert.deepEqual(pages, [3, 3, 1]);
  const seen = [];
  for await (const d of client.departments.list({ q: tag, limit: 3 })) seen.push(d.id);
  assert.deepEqual(seen, made, "every item once, in creation order");
});

test("a 429 is retried with the same idempotency key, and the write happens once", { skip: live.skip || (!lowKey && "no low-limit key") }, async () => {
  const sent = [];
  const recording = async (url, init) => {
    const response = await fetch(url, init);
    sent.push({ method: init.method, key: init.headers["Idempotency-Key"], status: response.status });
    return response;
  };
  const client = new Edgeclock({ apiKey: lowKey, baseUrl: base, fetch: recording, retry: { maxAttempts: 8 } });
  const tag = unique();
  const created = await Promise.all([0, 1, 2].map((i) => client.departments.create({ name: `${tag} ${i}` })));
  assert.equal(created.length, 3);
  const limited = sent.filter((s) => s.status === 429);
  assert.ok(limited.length >= 1, `at least one 429 was retried: ${JSON.stringify(sent)}`);
  for (const l of limited) {
    const attempts = sent.filter((s) => s.key === l.key);
    assert.ok(attempts.some((a) => a.status === 201), "the retried write succeeded under the same key");
    assert.equal(new Set(attempts.map((a) => a.key)).size, 1);
  }
  const owner = new Edgeclock({ apiKey: key, baseUrl: base });
  const listed = await owner.departments.list({ q: tag }).all();
  assert.equal(listed.length, 3, "exactly one object per create");
});

test("an invalid body is a typed error with details", live, async () => {
  const client = new Edgeclock({ apiKey: key, baseUrl: base });
  await assert.rejects(client.workers.create({ name: "X", email: "not-an-email" }), (e) => {
    assert.ok(e instanceof EdgeclockError);
    assert.equal(e.status, 422);
    assert.equal(e.code, "validation_failed");
    assert.match(e.requestId, /^req_/);
    assert.equal(e.details[0].field, "email");
    return true;
  });
  await assert.rejects(client.workers.get("wkr_missing"), (e) => e.status === 404 && e.code === "not_found");
});

test("sync returns changed objects and tombstones", live, async () => {
  const client = new Edgeclock({ apiKey: key, baseUrl: base });
  const since = new Date(Date.now() - 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  const kept = await client.departments.create({ name: `${unique()} kept` });
  const gone = await client.departments.create({ name: `${unique()} gone` });
  await client.departments.delete(gone.id);
  const { items, tombstones, syncedAt } = await client.sync("departments", since);
  assert.ok(items.some((d) => d.id === kept.id));
  assert.ok(tombstones.some((d) => d.id === gone.id && d.deleted === true));
  assert.ok(syncedAt >= since);
});

test("verifies a real delivery from a webhook endpoint", live, async () => {
  let resolve;
  const received = new Promise((r) => (resolve = r));
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      res.writeHead(200).end("ok");
      resolve({ body: Buffer.concat(chunks), headers: req.headers });
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  try {
    const client = new Edgeclock({ apiKey: key, baseUrl: base });
    const url = `http://127.0.0.1:${server.address().port}/hook`;
    const endpoint = await client.webhooks.create({ url, events: ["worker.created"] });
    await client.webhooks.testWebhook(endpoint.id);
    const { body, headers } = await received;
    const event = await verifyWebhook(body, headers, endpoint.secret);
    assert.equal(event.event, "ping");
    for (const scheme of ["edgeclock", "standard"]) {
      assert.equal((await verifyWebhook(body, headers, endpoint.secret, { scheme })).id, event.id);
    }
    const tampered = Buffer.from(body.toString().replace("ping", "pong"));
    await assert.rejects(verifyWebhook(tampered, headers, endpoint.secret), /matches/);
    await assert.rejects(verifyWebhook(body, headers, endpoint.secret, { now: Date.now() / 1000 + 3600 }), /tolerance/);
  } finally {
    server.close();
  }
});
