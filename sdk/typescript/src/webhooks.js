// Webhook verification (SPEC §7), both schemes every delivery carries:
// - `Edgeclock-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` (Stripe's
//   scheme; the secret's full string is the key; during a rotation there are two `v1=`),
// - Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64
//   HMAC-SHA256(base64-decoded secret, "<id>.<t>.<body>")>` (space-separated when several).
// A delivery verifies when any signature of a scheme it carries matches and its timestamp is
// within the tolerance; the event (parsed body) is returned.
import { webCrypto } from "./crypto.js";
import { WebhookVerificationError } from "./errors.js";

const enc = new TextEncoder();

function header(headers, name) {
  if (!headers) return null;
  if (typeof headers.get === "function") return headers.get(name);
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const v = key === undefined ? null : headers[key];
  return Array.isArray(v) ? v[0] : v;
}

function bytes(body) {
  if (typeof body === "string") return enc.encode(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new WebhookVerificationError("the raw body must be a string, Uint8Array or ArrayBuffer");
}

function fromBase64(s) {
  const bin = atob(s);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

function toBase64(b) {
  return btoa(String.fromCharCode(...new Uint8Array(b)));
}

function toHex(b) {
  return [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, "0")).join("");
}

async function hmac(key, parts) {
  const c = await webCrypto();
  const k = await c.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const total = parts.reduce((n, p) => n + p.length, 0);
  const msg = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    msg.set(p, at);
    at += p.length;
  }
  return c.subtle.sign("HMAC", k, msg);
}

/** Compares two strings in time independent of where they differ. */
function same(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

function checkTime(t, tolerance, now) {
  const ts = Number(t);
  if (!Number.isInteger(ts)) throw new WebhookVerificationError("the timestamp is not a number");
  if (Math.abs(now - ts) > tolerance) throw new WebhookVerificationError("the timestamp is outside the tolerance");
}

async function standard(raw, headers, secret, tolerance, now) {
  const id = header(headers, "webhook-id");
  const t = header(headers, "webhook-timestamp");
  const sigs = header(headers, "webhook-signature");
  if (!id || !t || !sigs) throw new WebhookVerificationError("missing webhook-id, webhook-timestamp or webhook-signature");
  checkTime(t, tolerance, now);
  const key = fromBase64(secret.startsWith("whsec_") ? secret.slice(6) : secret);
  const want = toBase64(await hmac(key, [enc.encode(`${id}.${t}.`), raw]));
  const ok = sigs.split(" ").some((s) => {
    const [version, sig] = s.split(",", 2);
    return version === "v1" && sig !== undefined && same(sig, want);
  });
  if (!ok) throw new WebhookVerificationError("no webhook-signature matches");
}

async function stripeLike(raw, headers, secret, tolerance, now) {
  const value = header(headers, "edgeclock-signature");
  if (!value) throw new WebhookVerificationError("missing Edgeclock-Signature");
  const parts = value.split(",").map((p) => p.split("=", 2));
  const t = parts.find(([k]) => k === "t")?.[1];
  const sigs = parts.filter(([k]) => k === "v1").map(([, v]) => v);
  if (!t || !sigs.length) throw new WebhookVerificationError("Edgeclock-Signature has no t= or v1=");
  checkTime(t, tolerance, now);
  const want = toHex(await hmac(enc.encode(secret), [enc.encode(`${t}.`), raw]));
  if (!sigs.some((s) => same(s, want))) throw new WebhookVerificationError("no Edgeclock-Signature v1 matches");
}

/**
 * Verifies a delivery and returns its event. `rawBody` is the body exactly as received;
 * `headers` a `Headers` or a plain object; `secret` the endpoint's `whsec_…` secret. Options:
 * `toleranceSeconds` (default 300), `scheme` (`"edgeclock"`, `"standard"`, or by default
 * every scheme whose headers are present, at least one), `now` (unix seconds, for tests).
 */
export async function verifyWebhook(rawBody, headers, secret, options = {}) {
  const tolerance = options.toleranceSeconds ?? 300;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const raw = bytes(rawBody);
  const has = { standard: !!header(headers, "webhook-signature"), edgeclock: !!header(headers, "edgeclock-signature") };
  const schemes = options.scheme ? [options.scheme] : Object.keys(has).filter((k) => has[k]);
  if (!schemes.length) throw new WebhookVerificationError("no signature headers");
  for (const s of schemes) {
    if (s === "standard") await standard(raw, headers, secret, tolerance, now);
    else if (s === "edgeclock") await stripeLike(raw, headers, secret, tolerance, now);
    else throw new WebhookVerificationError(`unknown scheme ${s}`);
  }
  try {
    return JSON.parse(new TextDecoder().decode(raw));
  } catch {
    throw new WebhookVerificationError("the body is not JSON");
  }
}
