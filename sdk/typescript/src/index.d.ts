import type { Resources } from "./resources.js";
import type { components, operations, paths } from "./schema.js";
import type { Paginator, Page, RequestOptions, Data, Item, Query, Body } from "./types.js";

export type { components, operations, paths, Paginator, Page, RequestOptions, Data, Item, Query, Body };
/** An object of the API by its schema name: `Schema<"Worker">`. */
export type Schema<N extends keyof components["schemas"]> = components["schemas"][N];

export interface RetryPolicy {
  /** Attempts in all, the first included (default 5). */
  maxAttempts?: number;
  /** The first backoff cap; doubled each attempt (default 250 ms). */
  baseDelayMs?: number;
  /** The largest backoff cap (default 8 s). */
  maxDelayMs?: number;
  /** No retry starts later than this after the first attempt (default 60 s). */
  maxElapsedMs?: number;
}

export interface ClientOptions {
  apiKey?: string;
  baseUrl?: string;
  tenantId?: string;
  retry?: RetryPolicy;
  fetch?: typeof fetch;
  headers?: Record<string, string>;
}

export interface Edgeclock extends Resources {}
export class Edgeclock {
  constructor(options?: ClientOptions);
  readonly baseUrl: string;
  raw<K extends keyof operations>(operationId: K, params?: string[], options?: RequestOptions): Promise<unknown>;
  request(method: string, path: string, options?: RequestOptions): Promise<unknown>;
  sync<R extends keyof Resources>(
    resource: R,
    since: string,
    query?: Record<string, unknown>,
  ): Promise<{ items: unknown[]; tombstones: { id: string; deleted: true; deleted_at: string }[]; syncedAt: string }>;
}

export class EdgeclockError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | null;
  readonly details: { field: string; code: string; message: string }[];
  readonly body: unknown;
}
export class ConnectionError extends Error {}
export class WebhookVerificationError extends Error {}

export interface WebhookEvent {
  id: string;
  event: string;
  occurred_at: string;
  tenant_id: string;
  data: Record<string, unknown>;
}

export function verifyWebhook(
  rawBody: string | Uint8Array | ArrayBuffer,
  headers: Headers | Record<string, string | string[] | undefined>,
  secret: string,
  options?: { toleranceSeconds?: number; scheme?: "edgeclock" | "standard"; now?: number },
): Promise<WebhookEvent>;

export const OPERATIONS: Record<keyof operations, unknown>;
