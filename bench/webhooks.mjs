// One run of bench/webhooks.sh: a receiver on 127.0.0.1 (answers 200 at once, notes when each
// delivery arrives), a fresh tenant with N endpoints pointing at it, warm-up, then EVENTS
// worker creations CONCURRENCY at a time; waits for every delivery and prints one table row
// (stdout) and a note on duplicates and errors (stderr).
import http from "node:http";
import { parseArgs } from "node:util";

import { api, percentile } from "./api.mjs";

const { values: opt } = parseArgs({
  options: {
    base: { type: "string" }, operator: { type: "string" }, endpoints: { type: "string" },
    events: { type: "string" }, concurrency: { type: "string" }, timeout: { type: "string" },
  },
});
const [endpoints, events, concurrency] = [Number(opt.endpoints), Number(opt.events), Number(opt.concurrency)];
const timeoutMs = Number(opt.timeout) * 1000;
const now = () => performance.timeOrigin + performance.now();

// --- receiver ---------------------------------------------------------------------------
const arrivals = new Map(); // worker id -> [arrival ms, …], one per endpoint
let duplicates = 0;
const seen = new Set();
let onArrival = () => {};
const receiver = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const at = now();
    res.writeHead(200, { "Content-Type": "text/plain" }).end("ok");
    const id = req.headers["webhook-id"];
    if (seen.has(id)) { duplicates++; return; }
    seen.add(id);
    const worker = JSON.parse(Buffer.concat(chunks).toString()).data?.id;
    if (!arrivals.has(worker)) arrivals.set(worker, []);
    arrivals.get(worker).push(at);
    onArrival();
  });
});
await new Promise((ok) => receiver.listen(0, "127.0.0.1", ok));
const hookBase = `http://127.0.0.1:${receiver.address().port}`;

// --- API --------------------------------------------------------------------------------
const { call, must, benchTenant } = api(opt.base);
const tenant = await benchTenant(opt.operator, `Webhook bench ${endpoints}`);
const key = tenant.api_key.key;
for (let i = 0; i < endpoints; i++) {
  const body = { url: `${hookBase}/e${i}`, events: ["worker.created"] };
  must(await call("POST", "/v1/webhooks", key, body), 201, "endpoint");
}

function waitFor(count, deadline) {
  return new Promise((ok, fail) => {
    const check = () => {
      if ([...arrivals.values()].reduce((n, a) => n + a.length, 0) >= count) ok();
      else if (now() > deadline) fail(new Error(`only ${[...arrivals.values()].flat().length} of ${count} deliveries arrived`));
    };
    onArrival = check;
    const timer = setInterval(() => { check(); }, 200);
    check();
    setTimeout(() => clearInterval(timer), Math.max(0, deadline - now()) + 500);
  });
}

async function writes(count) {
  const sent = new Map(); // worker id -> write sent at
  let next = 0, errors = 0;
  async function loop() {
    while (next < count) {
      const i = next++;
      const at = now();
      const r = await call("POST", "/v1/workers", key, { name: `Hook ${i}` });
      if (r.status === 201) sent.set(r.body.data.id, at); else errors++;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, loop));
  return { sent, errors };
}

// --- warm-up, then the measured run -----------------------------------------------------
const warm = await writes(5);
await waitFor(warm.sent.size * endpoints, now() + timeoutMs);
arrivals.clear();

const start = now();
const { sent, errors } = await writes(events);
await waitFor(sent.size * endpoints, now() + timeoutMs);
const latencies = [];
let last = 0;
for (const [worker, at] of sent) {
  for (const arrived of arrivals.get(worker) ?? []) {
    latencies.push(arrived - at);
    last = Math.max(last, arrived);
  }
}
latencies.sort((a, b) => a - b);
const pct = (p) => percentile(latencies, p);
const seconds = (last - start) / 1000;
console.log([
  String(endpoints).padEnd(10), String(sent.size).padStart(8), String(latencies.length).padStart(11),
  seconds.toFixed(1).padStart(9), (sent.size / seconds).toFixed(1).padStart(10),
  (latencies.length / seconds).toFixed(1).padStart(13), pct(50).toFixed(0).padStart(9), pct(99).toFixed(0).padStart(9),
].join(" "));
console.error(`  ${endpoints} endpoint(s): ${errors} failed writes, ${duplicates} duplicate deliveries`);
receiver.close();
process.exit(0);
