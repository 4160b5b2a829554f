// When and how long to wait before trying a request again: 429, 503 and network errors are
// retried with exponential backoff and full jitter (a random wait up to the backoff), never
// sooner than the answer's `Retry-After`, bounded by the attempts and the total time allowed.

export const RETRY_STATUSES = [429, 503];

export const DEFAULT_RETRY = { maxAttempts: 5, baseDelayMs: 250, maxDelayMs: 8000, maxElapsedMs: 60000 };

/** Seconds (or an HTTP date) in a `Retry-After` header, as milliseconds; `null` if none. */
export function retryAfterMs(value, now = Date.now()) {
  if (value == null || value === "") return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}

/** The wait before attempt `attempt + 1` (attempt counts from 1), or `null` to stop. */
export function nextDelay(policy, attempt, elapsedMs, retryAfter, random = Math.random) {
  if (attempt >= policy.maxAttempts) return null;
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const delay = Math.max(random() * cap, retryAfter ?? 0);
  if (elapsedMs + delay > policy.maxElapsedMs) return null;
  return delay;
}
