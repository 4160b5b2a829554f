//! Time entries: the table, the no-overlap guard, what a handler needs to know of an
//! entry, its worker and its fence, and the job budget thresholds it may cross.

use serde::Deserialize;

use crate::domain::budget;
use crate::domain::events::Event;
use crate::domain::geo::Fence;
use crate::domain::ids;
use crate::domain::listing::{Arg, Filter, FilterKind, ListSpec};
use crate::domain::time_entries::{Break, EntrySource, EntryStatus, Span, OPEN_END};
use crate::domain::workers::WorkerStatus;
use crate::error::ApiResult;
use crate::i18n::Noun;
use crate::storage::db::{self, Database, Statement};
use crate::storage::jobs::{self, Budgeted};
use crate::storage::resource::{Guard, Table};

pub static TIME_ENTRIES: Table = Table {
    list: ListSpec {
        table: "time_entries",
        scope: "tenant_id",
        json: "json_object('id', id, 'harvest_id', harvest_id, 'worker_id', worker_id, 'job_id', job_id, \
               'task_id', task_id, 'cost_code_id', cost_code_id, 'site_id', site_id, 'started_at', started_at, \
               'ended_at', ended_at, \
               'breaks', json(breaks), 'hours', CASE WHEN ended_at IS NULL THEN NULL ELSE round(worked_seconds / 3600.0, 2) END, \
               'is_running', json(CASE WHEN ended_at IS NULL THEN 'true' ELSE 'false' END), 'notes', notes, 'source', source, \
               'status', status, 'clock_in_location', json(CASE WHEN clock_in_latitude IS NULL THEN NULL ELSE \
               json_object('latitude', clock_in_latitude, 'longitude', clock_in_longitude) END), \
               'clock_out_location', json(CASE WHEN clock_out_latitude IS NULL THEN NULL ELSE \
               json_object('latitude', clock_out_latitude, 'longitude', clock_out_longitude) END), \
               'outside_fence', json(CASE WHEN outside_fence THEN 'true' ELSE 'false' END), \
               'verification_score', verification_score, 'metadata', json(metadata), \
               'billable', json(CASE WHEN billable THEN 'true' ELSE 'false' END), 'approved_at', approved_at, \
               'approved_by', approved_by, 'rejection_note', rejection_note, 'invoice_id', invoice_id, \
               'created_at', created_at, 'updated_at', updated_at)",
        filters: &[
            Filter { param: "status", column: "status", kind: FilterKind::OneOf(EntryStatus::NAMES) },
            Filter { param: "worker_id", column: "worker_id", kind: FilterKind::Ids("wkr") },
            Filter { param: "job_id", column: "job_id", kind: FilterKind::Ids("job") },
            Filter { param: "site_id", column: "site_id", kind: FilterKind::Ids("site") },
            Filter { param: "task_id", column: "task_id", kind: FilterKind::Ids("tsk") },
            Filter { param: "cost_code_id", column: "cost_code_id", kind: FilterKind::Ids("cc") },
            Filter { param: "source", column: "source", kind: FilterKind::OneOf(EntrySource::NAMES) },
            Filter { param: "is_running", column: "(ended_at IS NULL)", kind: FilterKind::Flag },
            Filter { param: "billable", column: "billable", kind: FilterKind::Flag },
            Filter { param: "is_invoiced", column: "(invoice_id IS NOT NULL)", kind: FilterKind::Flag },
        ],
        date_column: Some("started_at"),
    },
    noun: Noun::TimeEntry,
    unique_field: "id",
    created_event: Some(Event::TimeEntryCreated),
    updated_event: None,
    referenced_by: &[],
};

const OVERLAP: &str = "SELECT id FROM time_entries o WHERE o.tenant_id = ? AND o.worker_id = ? AND o.id != ? \
                       AND o.deleted_at IS NULL AND o.started_at < ? AND COALESCE(o.ended_at, '9999-12-31T23:59:59Z') > ?";

fn overlap_args(tenant: &str, worker: &str, id: &str, span: &Span) -> Vec<Arg> {
    let end = span.ended_at.clone().unwrap_or_else(|| OPEN_END.to_string());
    vec![tenant.into(), worker.into(), id.into(), end.into(), span.started_at.clone().into()]
}

/// The write goes ahead only if no other live entry of `worker` overlaps the span (a running
/// entry reaches to the end of time, so a worker has at most one) and, for an existing
/// entry, it is neither approved nor on an invoice.
pub fn guard(tenant: &str, worker: &str, id: &str, span: &Span, existing: bool) -> Guard {
    let overlap = format!("NOT EXISTS ({OVERLAP})");
    if !existing {
        return Guard { sql: overlap, args: overlap_args(tenant, worker, id, span) };
    }
    let mut args = vec![EntryStatus::Approved.into()];
    args.extend(overlap_args(tenant, worker, id, span));
    Guard { sql: format!("status != ? AND {UNINVOICED} AND {overlap}"), args }
}

/// The condition that an entry is on no invoice (SPEC §6: an invoiced entry is locked; deleting
/// the draft invoice frees it).
pub const UNINVOICED: &str = "invoice_id IS NULL";

/// The guard of a delete: the entry is neither approved nor invoiced.
pub fn delete_guard() -> Guard {
    Guard { sql: format!("status != ? AND {UNINVOICED}"), args: vec![EntryStatus::Approved.into()] }
}

/// The first entry of `worker` overlapping the span, other than `id`.
pub async fn clash(db: &impl Database, tenant: &str, worker: &str, id: &str, span: &Span) -> ApiResult<Option<String>> {
    db::first_text(db, &format!("{OVERLAP} ORDER BY o.started_at LIMIT 1"), &overlap_args(tenant, worker, id, span))
        .await
}

/// What handlers need to know of a stored entry.
#[derive(Debug, Deserialize)]
pub struct Current {
    pub id: String,
    pub worker_id: String,
    pub job_id: Option<String>,
    pub site_id: Option<String>,
    pub status: EntryStatus,
    pub invoice_id: Option<String>,
    pub started_at: String,
    pub ended_at: Option<String>,
    #[serde(deserialize_with = "db::json_text")]
    pub breaks: Vec<Break>,
}

impl Current {
    pub fn span(&self) -> Span {
        Span { started_at: self.started_at.clone(), ended_at: self.ended_at.clone(), breaks: self.breaks.clone() }
    }
}

const CURRENT: &str =
    "SELECT id, worker_id, job_id, site_id, status, invoice_id, started_at, ended_at, breaks FROM time_entries";

/// The live entry `id`, if any.
pub async fn current(db: &impl Database, tenant: &str, id: &str) -> ApiResult<Option<Current>> {
    let sql = format!("{CURRENT} WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL");
    Ok(db.first(&sql, &[tenant.into(), id.into()]).await?)
}

/// The worker's running entry, if any.
pub async fn running(db: &impl Database, tenant: &str, worker: &str) -> ApiResult<Option<Current>> {
    let sql =
        format!("{CURRENT} WHERE tenant_id = ? AND worker_id = ? AND deleted_at IS NULL AND ended_at IS NULL LIMIT 1");
    Ok(db.first(&sql, &[tenant.into(), worker.into()]).await?)
}

/// Whether the task's time is billable by default (SPEC §6: an entry's `billable` default);
/// `true` when there is no such task.
pub async fn task_billable(db: &impl Database, tenant: &str, task: &str) -> ApiResult<bool> {
    let sql = "SELECT billable_by_default FROM tasks WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL";
    Ok(db::first_raw::<(i64,)>(db, sql, &[tenant.into(), task.into()]).await?.is_none_or(|(b,)| b != 0))
}

/// `(id, status)` of a live worker found by id or employee code.
pub async fn worker(
    db: &impl Database,
    tenant: &str,
    by_id: Option<&str>,
    by_code: Option<&str>,
) -> ApiResult<Option<(String, WorkerStatus)>> {
    let (sql, key) = match (by_id, by_code) {
        (Some(id), _) => ("SELECT id, status FROM workers WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL", id),
        (None, Some(code)) => {
            ("SELECT id, status FROM workers WHERE tenant_id = ? AND employee_code = ? AND deleted_at IS NULL", code)
        }
        (None, None) => return Ok(None),
    };
    db::first_raw(db, sql, &[tenant.into(), key.into()]).await
}

/// The fence an entry is checked against: its job's, else its site's (else the job's site's).
pub async fn fence(
    db: &impl Database,
    tenant: &str,
    job: Option<&str>,
    site: Option<&str>,
) -> ApiResult<Option<Fence>> {
    // One row of six nullable columns: the job's fence, then the site's.
    let sql = "SELECT j.geofence_latitude, j.geofence_longitude, j.geofence_radius_m, s.latitude, s.longitude, s.geofence_radius_m \
               FROM (SELECT 1) \
               LEFT JOIN jobs j ON j.tenant_id = ?1 AND j.id = ?2 AND j.geofence_latitude IS NOT NULL \
               LEFT JOIN sites s ON s.tenant_id = ?1 AND s.latitude IS NOT NULL \
                 AND s.id = COALESCE(?3, (SELECT site_id FROM jobs WHERE tenant_id = ?1 AND id = ?2))";
    let args = [Arg::from(tenant), Arg::from(job.map(str::to_string)), Arg::from(site.map(str::to_string))];
    type Fences = (Option<f64>, Option<f64>, Option<f64>, Option<f64>, Option<f64>, Option<f64>);
    let Some((job_lat, job_lng, job_r, site_lat, site_lng, site_r)) = db::first_raw::<Fences>(db, sql, &args).await?
    else {
        return Ok(None);
    };
    let fence = |lat: Option<f64>, lng: Option<f64>, r: Option<f64>| {
        Some(Fence { latitude: lat?, longitude: lng?, radius_m: r.unwrap_or(100.0) })
    };
    Ok(fence(job_lat, job_lng, job_r).or_else(|| fence(site_lat, site_lng, site_r)))
}

/// Records `job.budget_threshold` once for each of 75/100/110 % the job has newly reached
/// (see [`announce`]).
pub async fn announce_thresholds(db: &impl Database, tenant: &str, job_id: &str, now_ms: i64) -> ApiResult<()> {
    let job = jobs::budgeted(db, tenant, job_id).await?;
    announce(db, tenant, job_id, &job, now_ms).await?;
    Ok(())
}

/// The compare-and-set behind [`announce_thresholds`]: the thresholds `job` (as read) has
/// newly reached are added to the job's mask only if the mask is still what was read, and
/// their events are inserted in the same batch only if that update happened, so concurrent
/// writers never announce a threshold twice. Returns the thresholds this call announced.
pub async fn announce(
    db: &impl Database,
    tenant: &str,
    job_id: &str,
    job: &Budgeted,
    now_ms: i64,
) -> ApiResult<Vec<u32>> {
    let crossed = budget::newly_crossed(job.used.percent, job.announced);
    if crossed.is_empty() {
        return Ok(crossed);
    }
    let now = crate::domain::time::fmt_ms(now_ms);
    let mask = job.announced | budget::mask_of(&crossed);
    let mut stmts = vec![Statement::new(
        "UPDATE jobs SET thresholds_crossed = ? WHERE tenant_id = ? AND id = ? AND thresholds_crossed = ?",
        [Arg::Int(mask), tenant.into(), job_id.into(), Arg::Int(job.announced)],
    )];
    let budget_used = serde_json::to_value(&job.used)?;
    for t in &crossed {
        let data = serde_json::json!({"job_id": job_id, "threshold": t, "percent": job.used.percent, "budget": job.job["budget"], "budget_used": budget_used});
        let event_id = ids::new_id("evt", now_ms as u64);
        stmts.push(
            Statement::new(
                // `changes()` is the previous statement's: the mask update won, then each event landed.
                "INSERT INTO events (id, tenant_id, type, occurred_at, data) SELECT ?, ?, ?, ?, ? WHERE changes() = 1",
                [
                    Arg::Text(event_id.clone()),
                    tenant.into(),
                    Event::JobBudgetThreshold.into(),
                    now.clone().into(),
                    Arg::Text(data.to_string()),
                ],
            )
            .inserting_event(&event_id),
        );
    }
    let won = db::write(db, stmts, "id").await?.first().is_some_and(|mask_update| mask_update.changes == 1);
    Ok(if won { crossed } else { Vec::new() })
}
