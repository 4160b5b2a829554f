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

use worker::{event, Context, Env, MessageBatch, Request, Response, Result, ScheduleContext, ScheduledEvent};

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

/// The cron trigger (`[triggers]` in wrangler.toml): the 90-day retention of position history
/// (SPEC §6), swept hourly.
#[event(scheduled)]
async fn scheduled(_event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    let swept = match storage::d1::db(&env) {
        Ok(db) => storage::positions::sweep_expired(&db, pipeline::now_ms()).await,
        Err(e) => Err(e),
    };
    match swept {
        Ok(n) if n > 0 => worker::console_log!("position retention: {n} deleted"),
        Ok(_) => {}
        Err(e) => worker::console_error!("position retention failed: {e:?}"),
    }
}
