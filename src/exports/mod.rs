//! Payroll exports off the request path (SPEC §6): the `EXPORTS` queue that carries an export's
//! computation a step at a time, its consumer, and the `EXPORT_FILES` bucket its file lands in.
//!
//! A step computes pages of workers until its time budget is spent, storing each page's rows
//! with the move past it (one guarded batch), then sends the next step; the last step gathers
//! the rows into the file, stores it under the export's one key and marks the export
//! `completed` with `payroll.export_completed` in the outbox. A step that fails is retried by the
//! queue; after [`MAX_FAILURES`](crate::domain::exports::MAX_FAILURES) failures in a row the
//! export is `failed`. A step lost on the way (a restart empties a local queue) is sent again
//! when the export is read after standing still for [`RESEND_AFTER_MS`].

pub mod consumer;
pub mod files;

use worker::Env;

use crate::domain::exports::Step;
use crate::error::ApiResult;

/// The binding of the exports queue, and the queue's name (`wrangler.toml`).
pub const BINDING: &str = "EXPORTS";
pub const QUEUE: &str = "edgeclock-exports";

/// An export in progress that has not moved for this long has lost its step.
pub const RESEND_AFTER_MS: i64 = 60_000;

/// Sends `step` to the exports queue.
pub async fn send(env: &Env, step: &Step) -> ApiResult<()> {
    env.queue(BINDING)?.send(step).await?;
    Ok(())
}
