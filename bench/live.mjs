// One run of bench/live.sh: an enterprise tenant with WORKERS workers, SUBSCRIBERS Server-Sent
// Events streams on GET /v1/positions/live, then positions posted at RATE per second (batches
// of BATCH, round-robin over the workers, `recorded_at` = now to the millisecond) for DURATION
// seconds. Every `id:` line a stream reads is one delivery; its release lag is arrival −
// (recorded_at + DELAY). The tenant's live-feed figures, the worker isolate's JS heap and the
// workerd RSS are sampled every SAMPLE seconds. Prints the sample table and the results
// (stdout), progress (stderr); exits 2 when a check fails (a stream not open, a position
// missing or twice, one released early, a refused post, a position not streamed).
//
// Client and server run on one machine and read one clock (Date.now()), so the lag needs no
// clock correction; it includes the time this process takes to read a chunk.
import { readdirSync, readFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { parseArgs } from "node:util";

import { api, percentile } from "./api.mjs";

const { values: opt } = parseArgs({
  options: Object.fromEntries(["base", "operator", "subscribers", "workers", "rate", "batch", "duration",
    "delay", "sample", "grace", "early", "pgid", "inspector"].map((k) => [k, { type: "string" }])),
});
const [subscribers, workerCount, rate, batch] = [opt.subscribers, opt.workers, opt.rate, opt.batch].map(Number);
const [durationMs, delayMs, sampleMs, graceMs] = [opt.duration, opt.delay, opt.sample, opt.grace].map((s) => Number(s) * 1000);
const earlyMs = Number(opt.early);
const { call, must, benchTenant } = api(opt.base);
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
const MiB = (bytes) => (bytes / 1048576).toFixed(1);

/** A growable typed array (millions of deliveries stay cheap). */
class Column {
  constructor(Type) { this.Type = Type; this.a = new Type(4096); this.length = 0; }
  push(v) {
    if (this.length === this.a.length) { const b = new this.Type(this.a.length * 2); b.set(this.a); this.a = b; }
    this.a[this.length++] = v;
  }
  view() { return this.a.subarray(0, this.length); }
}

// --- tenant and workers -----------------------------------------------------------------
const tenant = await benchTenant(opt.operator, "Live bench");
const key = tenant.api_key.key;
const workers = [];
for (let i = 0; i < workerCount; i += 8) {
  const made = await Promise.all(Array.from({ length: Math.min(8, workerCount - i) }, (_, k) =>
    call("POST", "/v1/workers", key, { name: `Courier ${i + k}` })));
  for (const r of made) workers.push(must(r, 201, "worker").id);
}
const feedStats = async () =>
  must(await call("GET", `/v1/operator/tenants/${tenant.id}/live-feed`, opt.operator), 200, "live-feed");

// --- positions posted, by index ------------------------------------------------------------
const index = new Map(); // position id -> index
const due = new Column(Float64Array); // index -> recorded_at + delay (unix ms)
let sent = 0, refused = 0, failedPosts = 0, inFlight = 0, maxInFlight = 0, firstRefusal = null;
const postMs = [];

async function post() {
  const recorded = Date.now();
  const recorded_at = new Date(recorded).toISOString();
  const positions = Array.from({ length: batch }, () => {
    const w = sent++ % workers.length;
    return { worker_id: workers[w], latitude: 40.4 + w / 1000, longitude: -3.7, accuracy_m: 5, recorded_at };
  });
  maxInFlight = Math.max(maxInFlight, ++inFlight);
  const t0 = performance.now();
  try {
    const r = await call("POST", "/v1/positions", key, { positions });
    postMs.push(performance.now() - t0);
    if (r.status !== 207) throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
    for (const item of r.body.data) {
      if (item.status === 201) { index.set(item.data.id, due.length); due.push(recorded + delayMs); }
      else { refused++; firstRefusal ??= JSON.stringify(item); }
    }
  } catch (e) {
    failedPosts++; refused += batch; firstRefusal ??= String(e.message ?? e);
  } finally {
    inFlight--;
  }
}

// --- subscribers ---------------------------------------------------------------------------
const lag = new Column(Float64Array), arrival = new Column(Float64Array);
const deferred = []; // [subscriber, id, arrival] of ids read before their post's answer
let duplicates = 0, heartbeats = 0, stopping = false;

function deliver(sub, id, at) {
  const i = index.get(id);
  if (i === undefined) { deferred.push([sub, id, at]); return; }
  if (i >= sub.seen.length) { const b = new Uint8Array(Math.max(i + 1, sub.seen.length * 2)); b.set(sub.seen); sub.seen = b; }
  if (sub.seen[i]++ > 0) { duplicates++; return; }
  lag.push(at - due.a[i]);
  arrival.push(at);
}

// Reads one stream: only `id:` lines (one per position frame) and heartbeats matter.
async function read(sub, body) {
  const decoder = new TextDecoder();
  let rest = "";
  try {
    for await (const chunk of body) {
      const at = Date.now();
      const text = rest + decoder.decode(chunk, { stream: true });
      const end = text.lastIndexOf("\n");
      rest = text.slice(end + 1);
      for (const line of text.slice(0, end).split("\n")) {
        if (line.startsWith("id: ")) deliver(sub, line.slice(4), at);
        else if (line.startsWith(": heartbeat")) heartbeats++;
      }
    }
    if (!stopping) sub.ended = "closed by the server";
  } catch (e) {
    if (!stopping) sub.ended = String(e.message ?? e);
  }
}

async function subscribe(n) {
  const ctl = new AbortController();
  const res = await fetch(`${opt.base}/v1/positions/live`, {
    headers: { Authorization: `Bearer ${key}`, Accept: "text/event-stream" }, signal: ctl.signal,
  });
  if (res.status !== 200) throw new Error(`stream ${n}: ${res.status} ${await res.text()}`);
  const sub = { n, ctl, seen: new Uint8Array(1024), ended: null };
  sub.reading = read(sub, res.body);
  return sub;
}

const subs = [];
for (let i = 0; i < subscribers; i += 20) {
  subs.push(...await Promise.all(Array.from({ length: Math.min(20, subscribers - i) }, (_, k) => subscribe(i + k))));
}
let counted = 0;
for (const deadline = Date.now() + 30000; Date.now() < deadline; await sleep(250)) {
  counted = (await feedStats()).sse_streams;
  if (counted >= subscribers) break;
}
console.error(`  ${subs.length} streams open, the feed counts ${counted}; posting ${rate}/s for ${durationMs / 1000} s`);

// --- samples: the feed's figures and workerd's resident memory -----------------------------
// The memory of each workerd process of the server's group (wrangler dev runs two: the
// worker's and its proxy's), by pid: resident, and of that anonymous (heaps, not file pages).
function workerdMemory() {
  const byPid = {};
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const pgrp = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2];
      if (comm !== "workerd" || pgrp !== opt.pgid) continue;
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const kib = (field) => 1024 * Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
      byPid[pid] = { rss: kib("VmRSS"), anon: kib("RssAnon") };
    } catch { /* the process ended meanwhile */ }
  }
  return byPid;
}
// The worker isolate's JS heap, through wrangler's inspector proxy (the DevTools protocol; the
// proxy wants an Origin header from a client that sends a User-Agent). null without one.
async function inspector(port) {
  try {
    const targets = await (await fetch(`http://127.0.0.1:${port}/json`)).json();
    const ws = new WebSocket(targets[0].webSocketDebuggerUrl, { headers: { Origin: "http://localhost" } });
    await new Promise((ok, fail) => { ws.onopen = ok; ws.onerror = () => fail(new Error("no connection")); });
    let next = 0;
    const waiting = new Map();
    ws.onmessage = (m) => { const d = JSON.parse(m.data); waiting.get(d.id)?.(d.result); waiting.delete(d.id); };
    const send = (method) => new Promise((ok) => {
      const id = ++next;
      waiting.set(id, ok);
      ws.send(JSON.stringify({ id, method }));
      setTimeout(() => { waiting.delete(id); ok(null); }, 5000);
    });
    await send("Runtime.enable");
    return { heapUsed: async () => (await send("Runtime.getHeapUsage"))?.usedSize ?? NaN, close: () => ws.close() };
  } catch (e) {
    console.error(`  no heap figures: the inspector on port ${port}: ${e.message}`);
    return null;
  }
}
const isolate = opt.inspector ? await inspector(opt.inspector) : null;
const procs = (byPid) => Object.entries(byPid).map(([pid, m]) => `${pid}: ${MiB(m.rss)} (anon ${MiB(m.anon)})`).join(", ");
const samples = [];
async function sample(start) {
  const t = Date.now() - start;
  const stats = await feedStats();
  const byPid = workerdMemory();
  const heap = isolate ? await isolate.heapUsed() : NaN;
  const s = { t, ...stats, heap, byPid, rss: Object.values(byPid).reduce((a, m) => a + m.rss, 0) };
  samples.push(s);
  console.error(`  ${(t / 1000).toFixed(0).padStart(4)} s: ${sent} positions sent, pending ${s.pending}, ` +
    `released ${s.released}, sse_streams ${s.sse_streams}, wasm ${MiB(s.memory_bytes)} MiB, heap ${MiB(heap)} MiB, ` +
    `workerd RSS ${MiB(s.rss)} MiB (${procs(byPid)})`);
}

// --- the run: post on a fixed schedule, sample alongside, then wait for the last releases ---
// This process's own share: a delivery's lag includes any wait for this event loop.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
const cpuAtStart = process.cpuUsage();
const start = Date.now();
const sampling = [sample(start)];
const sampler = setInterval(() => sampling.push(sample(start)), sampleMs);
const posts = [];
const interval = (batch * 1000) / rate, batches = Math.round((durationMs / 1000) * rate / batch);
for (let k = 0; k < batches; k++) {
  const wait = start + k * interval - Date.now();
  if (wait > 0) await sleep(wait);
  posts.push(post());
}
await Promise.all(posts);
const postedFor = Date.now() - start;
const settle = () => { for (const [sub, id, at] of deferred.splice(0)) deliver(sub, id, at); };
settle();
const expected = due.length * subscribers;
const lastDue = due.view().reduce((a, b) => Math.max(a, b), Date.now());
while (lag.length < expected && Date.now() < lastDue + graceMs && subs.some((s) => !s.ended)) {
  await sleep(200);
  settle();
}
clearInterval(sampler);
await Promise.all(sampling);
await sample(start);
stopping = true;
for (const s of subs) s.ctl.abort();
isolate?.close();
loopDelay.disable();
const cpu = process.cpuUsage(cpuAtStart);
const clientCpu = (100 * (cpu.user + cpu.system) / 1000 / (Date.now() - start)).toFixed(0);
const unknown = deferred.length;

// --- results -------------------------------------------------------------------------------
let missing = 0;
for (const s of subs) for (let i = 0; i < due.length; i++) if ((s.seen[i] ?? 0) === 0) missing++;
const closedEarly = subs.filter((s) => s.ended);
const lags = lag.view().slice().sort();
const early = lags.filter((l) => l < -earlyMs).length;

// Lag by window of arrival: each sample's row shows the deliveries since the sample before.
samples.sort((a, b) => a.t - b.t);
const windows = samples.map(() => []);
const arrivals = arrival.view(), lagsInOrder = lag.view();
for (let i = 0; i < arrivals.length; i++) {
  const t = arrivals[i] - start;
  let [lo, hi] = [0, samples.length - 1]; // the first sample taken at or after t
  while (lo < hi) { const mid = (lo + hi) >> 1; if (samples[mid].t >= t) hi = mid; else lo = mid + 1; }
  windows[lo].push(lagsInOrder[i]);
}
const F = (cols) => cols.map((c, i) => String(c).padStart([9, 8, 9, 8, 8, 12, 9, 9, 12, 11, 11, 11][i])).join(" ");
console.log(`live feed every ${sampleMs / 1000} s (deliveries and lag: those that arrived since the sample before)`);
console.log(F(["elapsed s", "pending", "released", "workers", "skipped", "sse_streams", "wasm MiB", "heap MiB", "workerd MiB",
  "deliveries", "lag p99 ms", "lag max ms"]));
samples.forEach((s, i) => {
  const w = windows[i].sort((a, b) => a - b);
  const [p99, max] = w.length ? [percentile(w, 99).toFixed(0), w[w.length - 1].toFixed(0)] : ["-", "-"];
  console.log(F([(s.t / 1000).toFixed(0), s.pending, s.released, s.workers, s.skipped, s.sse_streams,
    MiB(s.memory_bytes), MiB(s.heap), MiB(s.rss), w.length, p99, max]));
});
const [first, last] = [samples[0], samples[samples.length - 1]];
const most = (k) => Math.max(...samples.map((s) => s[k]));
const trio = (k) => `${MiB(first[k])} first, ${MiB(last[k])} last, ${MiB(most(k))} max`;
console.log(`memory, MiB: wasm ${trio("memory_bytes")}; isolate heap ${trio("heap")}; workerd RSS ${trio("rss")}; ` +
  `pending at most ${most("pending")}`);
console.log(`workerd processes, MiB: first ${procs(first.byPid)}; last ${procs(last.byPid)}`);
console.log();
postMs.sort((a, b) => a - b);
const row = (label, text) => console.log(`${label.padEnd(16)}${text}`);
row("positions", `${sent} sent in ${batches} batches of ${batch} over ${(postedFor / 1000).toFixed(1)} s ` +
  `(${(sent / (postedFor / 1000)).toFixed(1)}/s), ${due.length} accepted, ${refused} refused (${failedPosts} failed requests)`);
row("POST", `p50 ${percentile(postMs, 50).toFixed(0)} ms, p99 ${percentile(postMs, 99).toFixed(0)} ms, at most ${maxInFlight} in flight`);
row("subscribers", `${subs.length} opened, ${counted} counted by the feed at the start, ${closedEarly.length} closed early, ` +
  `${heartbeats} heartbeats read`);
row("deliveries", `expected ${expected} (${due.length} × ${subscribers}), received ${lag.length}, missing ${missing}, ` +
  `duplicates ${duplicates}, unknown ids ${unknown}`);
row("release lag", `p50 ${percentile(lags, 50).toFixed(0)} ms, p99 ${percentile(lags, 99).toFixed(0)} ms, ` +
  `max ${lags[lags.length - 1]?.toFixed(0)} ms, min ${lags[0]?.toFixed(0)} ms ` +
  `(arrival − (recorded_at + ${delayMs / 1000} s), over ${lags.length} deliveries)`);
row("this client", `${clientCpu}% of one core; event loop delay p99 ${(loopDelay.percentile(99) / 1e6).toFixed(0)} ms, ` +
  `max ${(loopDelay.max / 1e6).toFixed(0)} ms (part of the lag)`);
row("released early", `${early} (lag below −${earlyMs} ms)`);
row("target", `p99 ≤ 1000 ms: ${percentile(lags, 99) <= 1000 ? "met" : "NOT met"}`);

const failures = [
  [counted !== subscribers, `the feed counted ${counted} streams, not ${subscribers}`],
  [closedEarly.length > 0, `${closedEarly.length} stream(s) closed early (first: ${closedEarly[0]?.ended})`],
  [missing > 0, `${missing} deliveries missing`],
  [duplicates > 0, `${duplicates} deliveries arrived twice`],
  [early > 0, `${early} deliveries released early`],
  [refused > 0, `${refused} positions refused (first: ${firstRefusal})`],
  [unknown > 0, `${unknown} deliveries of ids no post answered with`],
  [last.skipped > 0, `${last.skipped} positions not streamed (the feed's pending buffer was full)`],
].filter(([bad]) => bad).map(([, what]) => what);
for (const f of failures) console.log(`FAILED: ${f}`);
process.exit(failures.length ? 2 : 0);
