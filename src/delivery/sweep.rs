//! The sweeper (SPEC §7 "a committed event always reaches its endpoints"): every
//! `WEBHOOK_SWEEP_SECONDS` it fans out events that stayed undispatched longer than that (an
//! isolate died between commit and fan-out), re-enqueues pending deliveries whose attempt is
//! that much overdue (a message was lost — a local runtime restart empties the local queue),
//! and purges delivery records and dispatched events older than 30 days.
//!
//! It runs in the `WebhookSweeper` Durable Object's alarm, which re-arms itself after each
//! sweep and persists across restarts (it fires under local `wrangler dev` too, unlike a Cron
//! Trigger). Fan-out and the consumer make sure it is running, at most every few minutes per
//! isolate.

use std::cell::Cell;

use worker::{Env, Method, Request, RequestInit};

use super::{fanout, queue, settings};
use crate::error::ApiResult;
use crate::storage::{d1, deliveries, events};

/// How long delivery records and dispatched events are kept (SPEC §7).
pub const RETENTION_MS: i64 = 30 * 24 * 3600 * 1000;

/// At most this many events, deliveries and purged rows per kind and sweep; a backlog drains
/// over successive sweeps.
const PER_SWEEP: usize = 200;

/// One sweep at `now_ms`.
pub async fn run(env: &Env, now_ms: i64) -> ApiResult<()> {
    let db = d1::db(env)?;
    let period = settings::sweep_period_ms(env);

    let stale = events::stale_undispatched(&db, now_ms - period, PER_SWEEP).await?;
    let fanned = fanout::dispatch(&db, &stale, now_ms).await?;
    queue::enqueue(env, fanned, false).await;

    let overdue = deliveries::overdue(&db, now_ms - period, PER_SWEEP).await?;
    deliveries::requeued(&db, &overdue, now_ms).await?;
    queue::enqueue(env, overdue, false).await;

    deliveries::purge(&db, now_ms - RETENTION_MS, PER_SWEEP).await?;
    events::purge_dispatched(&db, now_ms - RETENTION_MS, PER_SWEEP).await?;
    Ok(())
}

/// How often one isolate reminds the sweeper to run (it normally keeps itself running).
const REMIND_EVERY_MS: i64 = 5 * 60 * 1000;

thread_local! {
    static REMINDED_AT: Cell<Option<i64>> = const { Cell::new(None) };
}

/// Makes sure the sweeper's alarm is set (arming it if no alarm is pending). Cheap: one
/// Durable Object call per isolate every few minutes; errors are logged.
pub async fn ensure_running(env: &Env) {
    let now = crate::pipeline::now_ms();
    if REMINDED_AT.with(|r| r.get()).is_some_and(|at| now - at < REMIND_EVERY_MS) {
        return;
    }
    REMINDED_AT.with(|r| r.set(Some(now)));
    let poke = async {
        let stub = env.durable_object("WEBHOOK_SWEEPER")?.id_from_name("sweeper")?.get_stub()?;
        let mut init = RequestInit::new();
        init.with_method(Method::Post);
        stub.fetch_with_request(Request::new_with_init("https://sweeper/arm", &init)?).await
    };
    if let Err(e) = poke.await {
        REMINDED_AT.with(|r| r.set(None));
        worker::console_error!("could not reach the webhook sweeper: {e}");
    }
}
