//! The `events` outbox as webhook fan-out reads it (SPEC §7): the events a request committed,
//! those nobody dispatched (the sweeper's), what each is about (its worker's name and
//! department, its site and the site's name — for filters and Slack text), and the purge of
//! dispatched events after 30 days.

use std::collections::HashMap;

use serde::Deserialize;

use crate::domain::events::Event;
use crate::domain::ids;
use crate::domain::listing::Arg;
use crate::domain::time::fmt_ms;
use crate::domain::webhooks::payload::Subject;
use crate::error::ApiResult;
use crate::storage::db::{self, Database, Statement};

/// An undispatched outbox event, with its tenant's time zone.
#[derive(Debug, Clone, Deserialize)]
pub struct OutboxEvent {
    pub id: String,
    pub tenant_id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub occurred_at: String,
    pub data: String,
    pub timezone: Option<String>,
}

impl OutboxEvent {
    pub fn event(&self) -> Option<Event> {
        Event::parse(&self.kind)
    }
}

/// D1 binds at most 100 values per statement.
const IDS_PER_STATEMENT: usize = 90;

/// The events among `ids` that are not dispatched yet, in id order.
pub async fn undispatched_by_id(db: &impl Database, ids: &[String]) -> ApiResult<Vec<OutboxEvent>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IDS_PER_STATEMENT) {
        let sql = format!(
            "SELECT json_object('id', e.id, 'tenant_id', e.tenant_id, 'type', e.type, 'occurred_at', e.occurred_at, \
             'data', e.data, 'timezone', t.timezone) FROM events e LEFT JOIN tenants t ON t.id = e.tenant_id \
             WHERE e.id IN ({}) AND e.dispatched_at IS NULL ORDER BY e.id",
            vec!["?"; chunk.len()].join(",")
        );
        let args: Vec<Arg> = chunk.iter().map(|id| Arg::Text(id.clone())).collect();
        let rows: Vec<(String,)> = db.raw(&sql, &args).await?;
        for (json,) in rows {
            out.push(serde_json::from_str(&json)?);
        }
    }
    Ok(out)
}

/// Ids of events committed before `before_ms` that nobody has dispatched (an isolate that died
/// after its commit), oldest first: a range of the `(dispatched_at, id)` index.
pub async fn stale_undispatched(db: &impl Database, before_ms: i64, limit: usize) -> ApiResult<Vec<String>> {
    let rows: Vec<(String,)> = db.raw(STALE, &[ids::floor("evt", before_ms).into(), Arg::Int(limit as i64)]).await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// The query of [`stale_undispatched`]: a range of the `(dispatched_at, id)` index.
pub const STALE: &str = "SELECT id FROM events WHERE dispatched_at IS NULL AND id < ? ORDER BY id LIMIT ?";

/// What an event is about, resolved: SPEC §7's site (the event's own, else its job's, else its
/// worker's), the worker's department, and the names Slack text shows.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Context {
    pub worker_id: Option<String>,
    pub worker_name: Option<String>,
    pub department_id: Option<String>,
    pub site_id: Option<String>,
    pub site_name: Option<String>,
}

/// Values per subject in the lookup below (and one for the tenant).
const VALUES_PER_SUBJECT: usize = 4;

/// The context of each `(event id, subject)` of `tenant`, by event id: one query per 24 events.
/// Deleted workers and sites still lend their names (the event happened while they lived).
pub async fn contexts(
    db: &impl Database,
    tenant: &str,
    subjects: &[(String, Subject)],
) -> ApiResult<HashMap<String, Context>> {
    let mut out = HashMap::with_capacity(subjects.len());
    for chunk in subjects.chunks((100 - 1) / VALUES_PER_SUBJECT) {
        let mut args: Vec<Arg> = vec![tenant.into()];
        let rows: Vec<String> = chunk
            .iter()
            .enumerate()
            .map(|(i, (event_id, s))| {
                args.extend([
                    event_id.as_str().into(),
                    s.worker_id.clone().into(),
                    s.job_id.clone().into(),
                    s.site_id.clone().into(),
                ]);
                let n = 2 + i * VALUES_PER_SUBJECT;
                format!("(?{}, ?{}, ?{}, ?{})", n, n + 1, n + 2, n + 3)
            })
            .collect();
        let sql = format!(
            "WITH s(event_id, worker_id, job_id, site_id) AS (VALUES {}) \
             SELECT s.event_id, json_object('worker_id', w.id, 'worker_name', w.name, 'department_id', w.department_id, \
             'site_id', si.id, 'site_name', si.name) \
             FROM s LEFT JOIN workers w ON w.tenant_id = ?1 AND w.id = s.worker_id \
             LEFT JOIN jobs j ON j.tenant_id = ?1 AND j.id = s.job_id \
             LEFT JOIN sites si ON si.tenant_id = ?1 AND si.id = COALESCE(s.site_id, j.site_id, w.site_id)",
            rows.join(", ")
        );
        let found: Vec<(String, String)> = db.raw(&sql, &args).await?;
        for (event_id, json) in found {
            out.insert(event_id, serde_json::from_str(&json)?);
        }
    }
    Ok(out)
}

/// Deletes events dispatched before `before_ms` (SPEC §7: delivery records and delivered outbox
/// rows are kept 30 days), at most `limit` per call; returns how many.
pub async fn purge_dispatched(db: &impl Database, before_ms: i64, limit: usize) -> ApiResult<u64> {
    let args = [fmt_ms(before_ms).into(), Arg::Int(limit as i64)];
    let written = db::write(db, vec![Statement::new(PURGE, args)], "id").await?;
    Ok(written.first().map_or(0, |w| w.changes))
}

/// The statement of [`purge_dispatched`]: a range of the `(dispatched_at, id)` index.
pub const PURGE: &str =
    "DELETE FROM events WHERE id IN (SELECT id FROM events WHERE dispatched_at < ? ORDER BY dispatched_at LIMIT ?)";
