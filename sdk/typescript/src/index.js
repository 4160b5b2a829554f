// @edgeclock/sdk: the edgeclock API from JavaScript and TypeScript (Node ≥ 18, browsers,
// Workers, Deno): `fetch` only, no runtime dependencies.
export { Edgeclock, Paginator } from "./client.js";
export { EdgeclockError, ConnectionError, WebhookVerificationError } from "./errors.js";
export { verifyWebhook } from "./webhooks.js";
export { OPERATIONS } from "./operations.js";
