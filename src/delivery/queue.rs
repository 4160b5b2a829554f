//! The `WEBHOOKS` queue: one message per delivery to attempt, `{"delivery_id", "manual"}`. The
//! message carries no body or secret — the consumer reads the delivery row — so a message that
//! is lost, duplicated or late costs nothing but the sweeper's re-send or a skipped claim.

use serde::{Deserialize, Serialize};
use worker::Env;

/// A delivery to attempt.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Message {
    pub delivery_id: String,
    /// Sent by the tenant (`test`, replay): attempted even while the endpoint is disabled.
    #[serde(default)]
    pub manual: bool,
}

/// Cloudflare accepts at most 100 messages per `sendBatch`.
const BATCH: usize = 100;

/// Enqueues deliveries `ids` for an attempt now. A failure is logged, not returned: the
/// deliveries are recorded as pending, so the sweeper sends them once they are overdue.
pub async fn enqueue(env: &Env, ids: Vec<String>, manual: bool) {
    if ids.is_empty() {
        return;
    }
    let queue = match env.queue("WEBHOOKS") {
        Ok(q) => q,
        Err(e) => return worker::console_error!("no WEBHOOKS queue: {e}"),
    };
    for chunk in ids.chunks(BATCH) {
        let messages: Vec<Message> = chunk.iter().map(|id| Message { delivery_id: id.clone(), manual }).collect();
        if let Err(e) = queue.send_batch(messages).await {
            worker::console_error!("webhook enqueue failed ({} deliveries; the sweeper will resend): {e}", chunk.len());
        }
    }
}
