// What the SDK decides alone: webhook signatures (the Standard Webhooks published test vector
// and a Stripe-style one), the retry policy, and that the committed generated files are current.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { verifyWebhook, WebhookVerificationError } from "../src/index.js";
import { nextDelay, retryAfterMs, DEFAULT_RETRY } from "../src/retry.js";

test("the Standard Webhooks test vector verifies", async () => {
  // From the Standard Webhooks specification's reference libraries.
  const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  const headers = {
    "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
    "webhook-timestamp": "1614265330",
    "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
  };
  const event = await verifyWebhook('{"test": 2432232314}', headers, secret, { now: 1614265330 });
  assert.deepEqual(event, { test: 2432232314 });
  await assert.rejects(verifyWebhook('{"test": 2432232315}', headers, secret, { now: 1614265330 }), WebhookVerificationError);
  await assert.rejects(verifyWebhook('{"test": 2432232314}', headers, secret, { now: 1614265330 + 301 }), /tolerance/);
  const rotated = { ...headers, "webhook-signature": "v1,bm90IGl0 v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=" };
  assert.ok(await verifyWebhook('{"test": 2432232314}', rotated, secret, { now: 1614265330 }));
});

test("the Edgeclock-Signature scheme verifies with either signature of a rotation", async () => {
  const body = '{"id":"evt_1","event":"ping"}';
  const t = 1_800_000_000;
  const sig = (secret) => createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
  const headers = { "Edgeclock-Signature": `t=${t},v1=${sig("whsec_new")},v1=${sig("whsec_old")}` };
  assert.equal((await verifyWebhook(body, headers, "whsec_old", { now: t })).id, "evt_1");
  assert.equal((await verifyWebhook(body, headers, "whsec_new", { now: t })).id, "evt_1");
  await assert.rejects(verifyWebhook(body, headers, "whsec_other", { now: t }), /matches/);
  await assert.rejects(verifyWebhook(body, {}, "whsec_old"), /no signature headers/);
});

test("backoff is jittered, honours Retry-After and stops at its bounds", () => {
  const policy = { ...DEFAULT_RETRY, maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 300, maxElapsedMs: 5000 };
  assert.equal(nextDelay(policy, 1, 0, null, () => 1), 100);
  assert.equal(nextDelay(policy, 3, 0, null, () => 1), 300, "capped");
  assert.equal(nextDelay(policy, 2, 0, null, () => 0), 0, "full jitter reaches zero");
  assert.equal(nextDelay(policy, 1, 0, 1000, () => 0.5), 1000, "never sooner than Retry-After");
  assert.equal(nextDelay(policy, 4, 0, null), null, "attempts exhausted");
  assert.equal(nextDelay(policy, 1, 4500, 1000), null, "out of time");
  assert.equal(retryAfterMs("2"), 2000);
  assert.equal(retryAfterMs(new Date(10_000).toUTCString(), 4_000), 6000);
  assert.equal(retryAfterMs(null), null);
});

test("the generated files match openapi.json", () => {
  const script = fileURLToPath(new URL("../../generate.mjs", import.meta.url));
  execFileSync(process.execPath, [script, "--check"], { stdio: "pipe" });
});
