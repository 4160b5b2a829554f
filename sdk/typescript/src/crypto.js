// Web Crypto wherever the client runs: the global one (browsers, Workers, Deno, Node ≥ 19),
// else Node 18's `node:crypto` export of it.
let cached;

export async function webCrypto() {
  if (cached) return cached;
  if (globalThis.crypto && globalThis.crypto.subtle) return (cached = globalThis.crypto);
  const node = await import("node:crypto");
  return (cached = node.webcrypto);
}

/** A random (version 4) UUID. */
export async function uuid() {
  const c = await webCrypto();
  if (typeof c.randomUUID === "function") return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
