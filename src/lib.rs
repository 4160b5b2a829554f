//! edgeclock: a multi-tenant workforce time-tracking and attendance API on Cloudflare
//! Workers.
//!
//! Layers, outermost first:
//! - [`pipeline`]: routing, credentials, bodies and the envelope — every request's path;
//! - [`handlers`]: one module per resource;
//! - [`domain`]: the rules, as pure functions tested natively;
//! - [`storage`]: adapters to D1, KV, Durable Objects and Queues;
//! - [`objects`]: the Durable Object classes;
//! - [`delivery`]: webhook fan-out, the queue consumer and the sweeper, off the request path;
//! - [`exports`]: payroll exports computed off the request path (a queue consumer);
//! - `openapi` (native builds only): the OpenAPI document, generated from the declarations.

pub mod delivery;
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

/// Every queue's consumer, by the queue the batch came from: payroll exports, else webhook
/// deliveries (one attempt per message, SPEC §7).
#[event(queue)]
async fn queue(batch: MessageBatch<serde_json::Value>, env: Env, _ctx: Context) -> Result<()> {
    match batch.queue().as_str() {
        exports::QUEUE => exports::consumer::consume(batch, env).await,
        _ => delivery::consumer::consume(batch, env).await,
    }
}
