//! edgeclock: a multi-tenant workforce time-tracking and attendance API on Cloudflare
//! Workers.
//!
//! Layers, outermost first:
//! - [`pipeline`]: routing, credentials, bodies and the envelope — every request's path;
//! - [`handlers`]: one module per resource;
//! - [`domain`]: the rules, as pure functions tested natively;
//! - [`storage`]: adapters to D1, KV, Durable Objects and Queues;
//! - [`objects`]: the Durable Object classes;
//! - `openapi` (native builds only): the OpenAPI document, generated from the declarations.

pub mod domain;
pub mod error;
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

/// Webhook deliveries. Until delivery exists, messages are retried rather than dropped, so
/// nothing enqueued is ever lost (after `max_retries` they move to the dead-letter queue).
#[event(queue)]
async fn queue(batch: MessageBatch<serde_json::Value>, _env: Env, _ctx: Context) -> Result<()> {
    batch.retry_all();
    Ok(())
}
