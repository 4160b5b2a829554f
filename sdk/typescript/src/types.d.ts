// Helper types over the generated `operations` (schema.d.ts): an operation's query, body and
// the `data` of its success answer.

type JsonOf<R> = R extends { content: { "application/json": infer B } } ? B : never;
type SuccessOf<O> = O extends { responses: infer R }
  ? JsonOf<R[Extract<keyof R, 200 | 201 | 202 | 207>]>
  : never;

/** The `data` of an operation's success envelope. */
export type Data<O> = SuccessOf<O> extends { data: infer D } ? D : SuccessOf<O>;
/** One item of a list operation. */
export type Item<O> = Data<O> extends (infer I)[] ? I : never;
/** An operation's query parameters. */
export type Query<O> = O extends { parameters: { query?: infer Q } } ? Q : never;
/** An operation's JSON body. */
export type Body<O> = O extends { requestBody?: { content: { "application/json": infer B } } } ? B : never;

export interface RequestOptions {
  /** Sent as `Idempotency-Key` (a write gets a fresh UUID without one, reused across retries). */
  idempotencyKey?: string;
  headers?: Record<string, string>;
  query?: Record<string, unknown>;
  body?: unknown;
}

export interface Page<T> {
  data: T[];
  meta: { request_id: string; next_cursor: string | null; has_more: boolean };
}

export interface Paginator<T> extends AsyncIterable<T> {
  page(cursor?: string): Promise<Page<T>>;
  all(): Promise<T[]>;
}
