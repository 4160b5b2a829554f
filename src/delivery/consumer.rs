//! The `WEBHOOKS` queue consumer (SPEC §7): each message is one attempt of one delivery. The
//! attempt is claimed first (so no other message or sweep starts it meanwhile), then the
//! stored body is posted with fresh signatures, the attempt recorded with its answer, and the
//! message acknowledged or retried with the schedule's next delay: 2xx delivered; 410 failed
//! and the endpoint disabled; anything else retried until the schedule is spent, then failed.
//! A delivery whose endpoint was deleted or disabled fails without being sent (a disabled
//! endpoint still gets what the tenant sends it on purpose: `test` pings and replays).

use futures_util::future::join_all;
use worker::{Env, Message, MessageBatch, MessageExt, QueueRetryOptionsBuilder};

use super::{http, queue, settings, sweep};
use crate::domain::ids::random_bytes;
use crate::domain::time::fmt_ms;
use crate::domain::webhooks::delivery::{classify, Answer, Attempt, DeliveryStatus, Outcome, TIMEOUT_MS};
use crate::domain::webhooks::schedule::Schedule;
use crate::domain::webhooks::signing;
use crate::error::ApiResult;
use crate::pipeline::now_ms;
use crate::storage::db::Database;
use crate::storage::deliveries::{self, Claimed};
use crate::storage::{d1, webhooks};

/// A claimed attempt is held this long: the timeout and a margin for recording it.
const LEASE_MS: i64 = TIMEOUT_MS + 5_000;
/// A message may arrive this much before its delivery's due time (whole-second delays).
const EARLY_MS: i64 = 2_000;

/// What became of one message.
enum Next {
    Done,
    RetryIn(u32),
}

/// Handles a batch: its messages' attempts run concurrently.
pub async fn consume(batch: MessageBatch<serde_json::Value>, env: Env) -> worker::Result<()> {
    let schedule = settings::schedule(&env);
    let db = d1::db(&env).map_err(|_| worker::Error::RustError("no DB binding".into()))?;
    let messages = batch.messages()?;
    join_all(messages.iter().map(|m| handle(m, &db, &schedule))).await;
    sweep::ensure_running(&env).await;
    Ok(())
}

async fn handle(message: &Message<serde_json::Value>, db: &worker::D1Database, schedule: &Schedule) {
    let Ok(msg) = serde_json::from_value::<queue::Message>(message.body().clone()) else {
        worker::console_error!("unreadable webhook message dropped: {}", message.body());
        return message.ack();
    };
    match attempt(db, schedule, &msg).await {
        Ok(Next::Done) => message.ack(),
        Ok(Next::RetryIn(seconds)) => {
            message.retry_with_options(&QueueRetryOptionsBuilder::new().with_delay_seconds(seconds).build())
        }
        Err(_) => {
            // The database failed mid-way; try again once the claim (if it was taken) lapses.
            worker::console_error!("webhook attempt of {} failed to run; retrying", msg.delivery_id);
            let lapse = (LEASE_MS / 1000) as u32;
            message.retry_with_options(&QueueRetryOptionsBuilder::new().with_delay_seconds(lapse).build())
        }
    }
}

/// Records an attempt that was not sent, and fails the delivery.
async fn not_sent(db: &impl Database, claimed: &Claimed, why: &str, now: i64) -> ApiResult<Next> {
    let attempt = Attempt::new(fmt_ms(now), 0, &Answer::Error(why.to_string()));
    deliveries::record_attempt(db, claimed, &attempt, DeliveryStatus::Failed, None, now).await?;
    Ok(Next::Done)
}

async fn attempt(db: &worker::D1Database, schedule: &Schedule, msg: &queue::Message) -> ApiResult<Next> {
    let now = now_ms();
    let Some(claimed) = deliveries::claim(db, &msg.delivery_id, now + EARLY_MS, now + LEASE_MS).await? else {
        return Ok(Next::Done);
    };
    let Some(endpoint) = webhooks::endpoint(db, &claimed.tenant_id, &claimed.webhook_id).await? else {
        return not_sent(db, &claimed, "not sent: the endpoint was deleted", now).await;
    };
    let on_purpose = msg.manual || claimed.event == crate::domain::events::Event::Ping.as_str();
    if endpoint.status != "enabled" && !on_purpose {
        return not_sent(db, &claimed, "not sent: the endpoint is disabled", now).await;
    }

    let started = now_ms();
    let secrets = signing::active_secrets(
        &endpoint.secret,
        endpoint.previous_secret.as_deref(),
        endpoint.previous_secret_expires_at.as_deref(),
        started,
    );
    let headers = signing::headers(&secrets, &claimed.id, &claimed.event, started / 1000, claimed.body.as_bytes());
    let answer = http::post(&endpoint.url, &headers, &claimed.body).await;
    let finished = now_ms();

    let attempt = Attempt::new(fmt_ms(started), finished - started, &answer);
    let random = random_bytes::<4>().map_or(0, u32::from_le_bytes);
    let outcome = classify(&answer, claimed.attempt_count as u32 + 1, schedule, random);
    let next_at = match outcome {
        Outcome::Retry(seconds) => Some(finished + i64::from(seconds) * 1000),
        _ => None,
    };
    let recorded = deliveries::record_attempt(db, &claimed, &attempt, outcome.status(), next_at, finished).await?;
    if outcome == Outcome::Gone {
        webhooks::disable(db, &endpoint.id, "the endpoint answered 410 Gone", finished).await?;
    }
    Ok(match outcome {
        Outcome::Retry(seconds) if recorded => Next::RetryIn(seconds),
        _ => Next::Done,
    })
}
