// Errors the client throws: the API's error envelope as a typed error (SPEC §1), or a webhook
// that does not verify.

/** An error answer of the API: its status and the envelope's `code`, `message`, `request_id`, `details`. */
export class EdgeclockError extends Error {
  constructor(status, body, headers) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.name = "EdgeclockError";
    this.status = status;
    this.code = e.code || "unknown";
    this.requestId = e.request_id || (headers && headers.get("x-request-id")) || null;
    this.details = e.details || [];
    this.body = body;
  }
}

/** A request that never got an answer (after every retry). */
export class ConnectionError extends Error {
  constructor(cause) {
    super(`could not reach the API: ${cause && cause.message ? cause.message : cause}`);
    this.name = "ConnectionError";
    this.cause = cause;
  }
}

/** A webhook whose signature, timestamp or headers do not verify. */
export class WebhookVerificationError extends Error {
  constructor(message) {
    super(message);
    this.name = "WebhookVerificationError";
  }
}
