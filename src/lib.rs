//! edgeclock: a multi-tenant workforce time-tracking and attendance API on Cloudflare
//! Workers.
//!
//! Layers, outermost first:
//! - [`pipeline`]: routing, credentials, bodies and the envelope — every request's path;
//! - [`handlers`]: one module per resource;
//! - [`domain`]: the rules, as pure functions tested natively;
//! - [`storage`]: adapters to D1, KV, Durable Objects and Queues;
//! - [`objects`]: the Durable Object classes;
//! - [`exports`]: payroll exports computed off the request path (a queue consumer);
//! - `openapi` (native builds only): the OpenAPI document, generated from the declarations.

pub mod domain;
pub mod error;
pub mod exports;
pub mod handlers;
pub mod i18n;
pub mod objects;
#[cfg(not(target_arch = "wasm32"))]
pub mod openapi;
pub mod pipeline;
pub mod storage;

use worker::{event, Context, Env, MessageBatch, Request, Response, Result};

#[event(fetch)]
async fn fetch(req: Request, env: Env, ctx: Context) -> Result<Response> {
    Ok(pipeline::handle(req, env, ctx).await)
}

/// Every queue's consumer, by the queue the batch came from.
#[event(queue)]
async fn queue(batch: MessageBatch<serde_json::Value>, env: Env, _ctx: Context) -> Result<()> {
    match batch.queue().as_str() {
        exports::QUEUE => exports::consumer::consume(batch, env).await,
        // Webhook deliveries: until delivery exists, messages are retried rather than dropped,
        // so nothing enqueued is ever lost (after `max_retries` they move to the dead-letter queue).
        _ => {
            batch.retry_all();
            Ok(())
        }
    }
}
