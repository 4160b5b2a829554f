//! Webhook deliveries (SPEC §7): one row per (event, endpoint), whose id is the `webhook-id`
//! and whose body is sent byte for byte on every attempt and replay. Every change of state is
//! one guarded statement:
//!
//! - recorded with `INSERT OR IGNORE` on the unique (event, endpoint) pair, so a request's
//!   fan-out and the sweeper racing over the same event make one delivery, and only the
//!   writer that inserted it enqueues it;
//! - an attempt is *claimed* before it starts (its `next_attempt_at` moves past the attempt's
//!   longest duration), so neither the sweeper nor a duplicate message starts another while
//!   it runs, and *recorded* only if the delivery is still at the attempt count it was claimed
//!   at;
//! - `attempt_count` counts the attempts of the current sending (a replay starts a new one and
//!   a fresh schedule), while `attempts` keeps every attempt ever made.

use serde::Deserialize;

use crate::domain::events::Event;
use crate::domain::filters::{self, Filter, FilterKind};
use crate::domain::listing::{self, Arg, ListQuery, ListSpec, Query};
use crate::domain::time::fmt_ms;
use crate::domain::webhooks::delivery::{Attempt, DeliveryStatus};
use crate::domain::{cursor, ids};
use crate::error::{ApiError, ApiResult};
use crate::i18n::Msg;
use crate::storage::db::{self, Database, Statement};

/// One delivery as the API shows it; `next_attempt_at` only while pending.
const JSON: &str = "json_object('id', id, 'harvest_id', harvest_id, 'webhook_id', webhook_id, 'event_id', event_id, \
     'event', event, 'status', status, 'attempts', json(attempts), \
     'next_attempt_at', CASE WHEN status = 'pending' THEN next_attempt_at END, \
     'created_at', created_at, 'updated_at', updated_at)";

/// Deliveries whose endpoint is live: deleting an endpoint takes its delivery log with it.
const LIVE_ENDPOINT: &str =
    "EXISTS (SELECT 1 FROM webhooks w WHERE w.id = webhook_deliveries.webhook_id AND w.deleted_at IS NULL)";

/// The deliveries log as a list (SPEC §7): an endpoint's deliveries, oldest first, filtered by
/// `status` and `event`. Only `limit`, `cursor` and these filters apply ([`PARAMS`]); there are no
/// tombstones or `updated_since`.
pub static DELIVERIES: ListSpec = ListSpec {
    table: "webhook_deliveries",
    scope: "tenant_id",
    json: JSON,
    filters: &[
        Filter { param: "status", column: "status", kind: FilterKind::OneOf(DeliveryStatus::NAMES) },
        Filter { param: "event", column: "event", kind: FilterKind::OneOf(Event::NAMES) },
    ],
    date_column: None,
};

/// The query parameters of the deliveries log.
pub const PARAMS: &[&str] = &["limit", "cursor", "status", "event"];

/// A delivery to record.
#[derive(Debug, Clone)]
pub struct NewDelivery {
    pub id: String,
    pub tenant_id: String,
    pub webhook_id: String,
    pub event_id: String,
    pub event: Event,
    pub body: String,
}

fn insert(d: &NewDelivery, now: &str) -> Statement {
    Statement::new(
        "INSERT OR IGNORE INTO webhook_deliveries \
         (id, tenant_id, webhook_id, event_id, event, body, next_attempt_at, enqueued_at, created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?7, ?7, ?7, ?7) RETURNING id",
        [
            d.id.as_str().into(),
            d.tenant_id.as_str().into(),
            d.webhook_id.as_str().into(),
            d.event_id.as_str().into(),
            d.event.into(),
            d.body.as_str().into(),
            now.into(),
        ],
    )
}

#[derive(Deserialize)]
struct IdRow {
    id: String,
}

/// D1 binds at most 100 values per statement.
const IDS_PER_STATEMENT: usize = 90;

/// Records `deliveries` and marks `events` dispatched, in one batch: either all of it is
/// recorded or none (and the sweeper tries again). Returns the ids of the deliveries this call
/// inserted — those it must enqueue; a pair someone else recorded first is theirs.
pub async fn record_fan_out(
    db: &impl Database,
    deliveries: &[NewDelivery],
    events: &[String],
    now_ms: i64,
) -> ApiResult<Vec<String>> {
    let now = fmt_ms(now_ms);
    let mut stmts: Vec<Statement> = deliveries.iter().map(|d| insert(d, &now)).collect();
    for chunk in events.chunks(IDS_PER_STATEMENT) {
        let mut args: Vec<Arg> = vec![now.as_str().into()];
        args.extend(chunk.iter().map(|id| Arg::Text(id.clone())));
        let sql = format!(
            "UPDATE events SET dispatched_at = ? WHERE id IN ({}) AND dispatched_at IS NULL",
            vec!["?"; chunk.len()].join(",")
        );
        stmts.push(Statement::new(sql, args));
    }
    if stmts.is_empty() {
        return Ok(Vec::new());
    }
    let written = db::write(db, stmts, "id").await?;
    let mut inserted = Vec::new();
    for w in written.into_iter().take(deliveries.len()) {
        inserted.extend(w.into_rows::<IdRow>()?.into_iter().map(|r| r.id));
    }
    Ok(inserted)
}

/// A delivery claimed for one attempt.
#[derive(Debug, Clone, Deserialize)]
pub struct Claimed {
    pub id: String,
    pub tenant_id: String,
    pub webhook_id: String,
    pub event: String,
    pub body: String,
    /// Attempts already made in this sending.
    pub attempt_count: i64,
}

/// Claims pending delivery `id` for an attempt if it is due by `due_by_ms` (a message may
/// arrive a little before the second it was due), holding it until `lease_until_ms`. `None`:
/// it is delivered, failed, not due, or another attempt holds it.
pub async fn claim(db: &impl Database, id: &str, due_by_ms: i64, lease_until_ms: i64) -> ApiResult<Option<Claimed>> {
    let sql = "UPDATE webhook_deliveries SET next_attempt_at = ? \
               WHERE id = ? AND status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= ?) \
               RETURNING id, tenant_id, webhook_id, event, body, attempt_count";
    let args = [fmt_ms(lease_until_ms).into(), id.into(), fmt_ms(due_by_ms).into()];
    let written = db::write(db, vec![Statement::new(sql, args)], "id").await?;
    Ok(written.into_iter().next().map(|w| w.into_rows::<Claimed>()).transpose()?.and_then(|mut r| r.pop()))
}

/// Records an attempt of a claimed delivery and where it leaves it: `status`, and for a retry
/// when the next attempt is due. Only if the delivery is still at the claim's attempt count (a
/// replay in between starts over); returns whether it was recorded.
pub async fn record_attempt(
    db: &impl Database,
    claimed: &Claimed,
    attempt: &Attempt,
    status: DeliveryStatus,
    next_attempt_ms: Option<i64>,
    now_ms: i64,
) -> ApiResult<bool> {
    let sql = "UPDATE webhook_deliveries SET attempts = json_insert(attempts, '$[#]', json(?)), \
               attempt_count = attempt_count + 1, status = ?, next_attempt_at = ?, updated_at = ? \
               WHERE id = ? AND status = 'pending' AND attempt_count = ?";
    let args = [
        Arg::Text(serde_json::to_string(attempt)?),
        status.into(),
        next_attempt_ms.map(fmt_ms).into(),
        fmt_ms(now_ms).into(),
        claimed.id.as_str().into(),
        Arg::Int(claimed.attempt_count),
    ];
    let written = db::write(db, vec![Statement::new(sql, args)], "id").await?;
    Ok(written.first().is_some_and(|w| w.changes == 1))
}

/// One page of endpoint `webhook_id`'s deliveries, oldest first: a range of the
/// `(tenant_id, webhook_id, id)` index.
pub fn page_query(tenant: &str, webhook_id: &str, query: &Query) -> ApiResult<ListQuery> {
    query.only(PARAMS)?;
    let limit = listing::page_limit(query)?;
    let mut clauses = vec!["tenant_id = ?".to_string(), "webhook_id = ?".to_string()];
    let mut args: Vec<Arg> = vec![tenant.into(), webhook_id.into()];
    if let Some(c) = query.get("cursor") {
        let after = cursor::decode(c).ok_or_else(|| ApiError::bad_request(Msg::InvalidCursor))?;
        clauses.push("id > ?".into());
        args.push(after.into());
    }
    for f in DELIVERIES.filters {
        if let Some(raw) = query.get(f.param) {
            let (clause, values) = filters::condition(f, raw)?;
            clauses.push(clause);
            args.extend(values);
        }
    }
    let sql = format!(
        "SELECT id, {JSON} AS j FROM webhook_deliveries WHERE {} ORDER BY id LIMIT {}",
        clauses.join(" AND "),
        limit + 1
    );
    Ok(ListQuery { sql, args, limit })
}

/// Delivery `id` of `tenant` as JSON, if its endpoint is still live (deleting an endpoint
/// takes its delivery log with it).
pub async fn get(db: &impl Database, tenant: &str, id: &str) -> ApiResult<Option<String>> {
    let sql = format!("SELECT {JSON} FROM webhook_deliveries WHERE tenant_id = ? AND id = ? AND {LIVE_ENDPOINT}");
    db::first_text(db, &sql, &[tenant.into(), id.into()]).await
}

/// Sends delivery `id` again from now (SPEC §7 replay): pending, a fresh schedule, due at once,
/// same id and body. Returns it as JSON; `None` if there is no such
/// delivery with a live endpoint in `tenant`.
pub async fn replay(db: &impl Database, tenant: &str, id: &str, now_ms: i64) -> ApiResult<Option<String>> {
    let sql = format!(
        "UPDATE webhook_deliveries SET status = 'pending', attempt_count = 0, next_attempt_at = ?1, \
         enqueued_at = ?1, updated_at = ?1 WHERE tenant_id = ?2 AND id = ?3 AND {LIVE_ENDPOINT} RETURNING {JSON} AS j"
    );
    let args = [fmt_ms(now_ms).into(), tenant.into(), id.into()];
    let written = db::write(db, vec![Statement::new(sql, args)], "id").await?;
    #[derive(Deserialize)]
    struct Row {
        j: String,
    }
    Ok(written.into_iter().next().map(|w| w.into_rows::<Row>()).transpose()?.and_then(|mut r| r.pop()).map(|r| r.j))
}

/// Inserts a ping (SPEC §7 `test`) — its event, already dispatched, and its one delivery —
/// and returns the delivery as JSON.
pub async fn insert_ping(
    db: &impl Database,
    delivery: &NewDelivery,
    occurred_at: &str,
    data: &str,
    now_ms: i64,
) -> ApiResult<String> {
    let now = fmt_ms(now_ms);
    let event = Statement::new(
        "INSERT INTO events (id, tenant_id, type, occurred_at, data, dispatched_at) VALUES (?, ?, ?, ?, ?, ?)",
        [
            delivery.event_id.as_str().into(),
            delivery.tenant_id.as_str().into(),
            Event::Ping.into(),
            occurred_at.into(),
            data.into(),
            now.as_str().into(),
        ],
    );
    db::write(db, vec![event, insert(delivery, &now)], "id").await?;
    get(db, &delivery.tenant_id, &delivery.id).await?.ok_or_else(ApiError::internal)
}

/// Pending deliveries whose message is overdue: due before `before_ms` and not attempted
/// since (their message was lost, or never sent). Oldest due first, at most `limit`.
pub async fn overdue(db: &impl Database, before_ms: i64, limit: usize) -> ApiResult<Vec<String>> {
    let rows: Vec<(String,)> = db.raw(OVERDUE, &[fmt_ms(before_ms).into(), Arg::Int(limit as i64)]).await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// The query of [`overdue`]: a range of the `(status, next_attempt_at)` index.
pub const OVERDUE: &str = "SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at < ? \
                           ORDER BY next_attempt_at LIMIT ?";

/// Marks deliveries as enqueued again at `now_ms` (due at once), unless they moved on.
pub async fn requeued(db: &impl Database, ids: &[String], now_ms: i64) -> ApiResult<()> {
    let now = fmt_ms(now_ms);
    let stmts = ids
        .chunks(IDS_PER_STATEMENT)
        .map(|chunk| {
            let mut args: Vec<Arg> = vec![now.as_str().into()];
            args.extend(chunk.iter().map(|id| Arg::Text(id.clone())));
            let sql = format!(
                "UPDATE webhook_deliveries SET next_attempt_at = ?1, enqueued_at = ?1 \
                 WHERE status = 'pending' AND id IN ({})",
                vec!["?"; chunk.len()].join(",")
            );
            Statement::new(sql, args)
        })
        .collect::<Vec<_>>();
    if !stmts.is_empty() {
        db::write(db, stmts, "id").await?;
    }
    Ok(())
}

/// Deletes finished deliveries created before `before_ms` (SPEC §7: kept 30 days), at most
/// `limit` per call; returns how many.
pub async fn purge(db: &impl Database, before_ms: i64, limit: usize) -> ApiResult<u64> {
    let args = [fmt_ms(before_ms).into(), Arg::Int(limit as i64)];
    let written = db::write(db, vec![Statement::new(PURGE, args)], "id").await?;
    Ok(written.first().map_or(0, |w| w.changes))
}

/// The statement of [`purge`]: a range of the `created_at` index.
pub const PURGE: &str = "DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries \
                         WHERE created_at < ? AND status != 'pending' LIMIT ?)";

/// A new delivery id, which is also the `webhook-id`.
pub fn new_id(now_ms: i64) -> String {
    ids::new_id("dlv", now_ms as u64)
}
