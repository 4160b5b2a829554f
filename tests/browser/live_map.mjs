// The live map in a real browser (SPEC §6 "live map"): opens the embed page in Debian's
// headless Chromium with every request that is not to the server sent to a dead proxy, waits
// until the stream's context (sites, geofences) is drawn, posts a back-dated position through
// the API and waits until that worker's marker shows it; then saves a screenshot.
//
//   node tests/browser/live_map.mjs --base http://127.0.0.1:8787 \
//     --page 'http://127.0.0.1:8787/embed/live-map?token=ect_…' --key ec_live_… \
//     --position '{"worker_id":"wkr_…","latitude":40.4168,"longitude":-3.7038}' --out live-map.png
//
// Prints one line; exits 0 when the marker appeared, 1 with the reason otherwise.
// Run by tests/e2e/live_map.rs.
import { accessSync, constants, mkdirSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { parseArgs } from "node:util";

import puppeteer from "puppeteer-core";

const WAIT_MS = 20_000;
// Recorded this long ago, the position is past the live delay and is released at once.
const BACK_DATED_MS = 10 * 60 * 1000;

class Failure extends Error {}

/** Debian's `chromium`, found on PATH as a shell would. */
function chromium() {
  for (const dir of (process.env.PATH || "").split(delimiter)) {
    const candidate = join(dir || ".", "chromium");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new Failure("no `chromium` on PATH (scripts/tools.sh installs Debian's)");
}

function options() {
  const { values } = parseArgs({
    options: {
      base: { type: "string" },
      page: { type: "string" },
      key: { type: "string" },
      position: { type: "string" },
      out: { type: "string" },
    },
  });
  for (const name of ["base", "page", "key", "position", "out"]) {
    if (!values[name]) throw new Failure(`--${name} is required (see the header of this script)`);
  }
  let position;
  try {
    position = JSON.parse(values.position);
  } catch (e) {
    throw new Failure(`--position is not JSON: ${e.message}`);
  }
  if (typeof position.worker_id !== "string") throw new Failure("--position needs a worker_id");
  return { ...values, position };
}

/** Posts the position, recorded BACK_DATED_MS ago (whole seconds, so any stored precision keeps it). */
async function post(base, key, position) {
  const recordedAt = new Date(Math.floor((Date.now() - BACK_DATED_MS) / 1000) * 1000).toISOString();
  const body = { ...position, recorded_at: recordedAt };
  const response = await fetch(`${base}/v1/positions`, {
    method: "POST",
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) {
    throw new Failure(`POST /v1/positions answered ${response.status}: ${await response.text()}`);
  }
  return Date.parse(recordedAt);
}

/** What the page shows as a reason when a wait times out. */
async function pageState(page) {
  return page.evaluate(() => ({
    status: document.getElementById("status")?.textContent,
    error: document.getElementById("error")?.textContent,
    violations: window.__violations || [],
  }));
}

async function run(browser, args) {
  const page = await browser.newPage();
  await page.setViewport({ width: 960, height: 600 });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // The page must work under its own Content-Security-Policy: any violation fails the test.
  await page.evaluateOnNewDocument(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });

  const response = await page.goto(args.page, { waitUntil: "domcontentloaded" });
  if (!response || response.status() !== 200) {
    throw new Failure(`the page answered ${response ? response.status() : "nothing"}`);
  }
  // Drawn, or refused for good (a closed stream: a bad token), whichever comes first.
  const drawnOrClosed = () =>
    document.documentElement.dataset.context === "drawn" || document.getElementById("status").dataset.state === "closed";
  try {
    await page.waitForFunction(drawnOrClosed, { timeout: WAIT_MS });
  } catch {
    // timed out: reported below
  }
  if (!(await page.evaluate(() => document.documentElement.dataset.context === "drawn"))) {
    throw new Failure(`the stream's context was not drawn: ${JSON.stringify(await pageState(page))}`);
  }

  const id = args.position.worker_id;
  const recordedMs = await post(args.base, args.key, args.position);
  const posted = Date.now();
  // The marker exists and the worker's entry shows this very position (not an earlier one).
  try {
    await page.waitForFunction(
      (id, recordedMs) => {
        const marker = document.querySelector(`.worker-marker[data-worker-id="${id}"]`);
        const seen = document.querySelector(`#worker-list li[data-worker-id="${id}"] .last-seen`);
        return marker && seen && Date.parse(seen.dateTime) === recordedMs;
      },
      { timeout: WAIT_MS },
      id,
      recordedMs,
    );
  } catch {
    throw new Failure(`no marker for ${id} within ${WAIT_MS / 1000} s: ${JSON.stringify(await pageState(page))}`);
  }
  const tookS = ((Date.now() - posted) / 1000).toFixed(1);

  const drawn = await page.evaluate((id) => {
    const map = document.getElementById("map").getBoundingClientRect();
    const dot = document.querySelector(`.worker-marker[data-worker-id="${id}"] .dot`).getBoundingClientRect();
    return {
      label: document.querySelector(`.worker-marker[data-worker-id="${id}"] text`).textContent,
      inside: dot.left >= map.left && dot.right <= map.right && dot.top >= map.top && dot.bottom <= map.bottom,
      sites: document.querySelectorAll(".site-marker").length,
      fences: document.querySelectorAll(".geofence").length,
      workers: document.querySelectorAll(".worker-marker").length,
      violations: window.__violations,
    };
  }, id);
  mkdirSync(dirname(args.out), { recursive: true });
  await page.screenshot({ path: args.out });

  if (!drawn.inside) throw new Failure(`the marker for ${id} is drawn outside the map`);
  if (drawn.violations.length) throw new Failure(`Content-Security-Policy violations: ${drawn.violations.join("; ")}`);
  if (errors.length) throw new Failure(`script errors: ${errors.join("; ")}`);
  return (
    `ok: marker for ${id} "${drawn.label}" drawn ${tookS} s after the post ` +
    `(${drawn.sites} site(s), ${drawn.fences} geofence(s), ${drawn.workers} worker marker(s)); screenshot ${args.out}`
  );
}

async function main() {
  const args = options();
  const browser = await puppeteer.launch({
    executablePath: chromium(),
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      // Anything but the server goes to a port where nothing listens (tiles included).
      "--proxy-server=127.0.0.1:9",
      "--proxy-bypass-list=127.0.0.1",
    ],
  });
  try {
    return await run(browser, args);
  } finally {
    await browser.close();
  }
}

main().then(
  (line) => {
    console.log(line);
    process.exit(0);
  },
  (e) => {
    console.log(`live map test failed: ${e instanceof Failure ? e.message : e.stack || e}`);
    process.exit(1);
  },
);
