//! Time entries in D1: the table, the no-overlap guard, what a handler needs to know of an
//! entry, its worker and its fence, and the job budget thresholds it may cross.

use serde::Deserialize;
use worker::D1Database;

use crate::domain::budget;
use crate::domain::geo::Fence;
use crate::domain::ids;
use crate::domain::listing::{Arg, Filter, FilterKind, ListSpec};
use crate::domain::time_entries::{Break, Span, OPEN_END, SOURCES, STATUSES};
use crate::error::ApiResult;
use crate::i18n::Noun;
use crate::storage::d1;
use crate::storage::resource::{Guard, Table};

pub static TIME_ENTRIES: Table = Table {
    list: ListSpec {
        table: "time_entries",
        scope: "tenant_id",
        json: "json_object('id', id, 'worker_id', worker_id, 'job_id', job_id, 'task_id', task_id, \
               'cost_code_id', cost_code_id, 'site_id', site_id, 'started_at', started_at, 'ended_at', ended_at, \
               'breaks', json(breaks), 'hours', CASE WHEN ended_at IS NULL THEN NULL ELSE round(worked_seconds / 3600.0, 2) END, \
               'is_running', json(CASE WHEN ended_at IS NULL THEN 'true' ELSE 'false' END), 'notes', notes, 'source', source, \
               'status', status, 'clock_in_location', json(CASE WHEN clock_in_latitude IS NULL THEN NULL ELSE \
               json_object('latitude', clock_in_latitude, 'longitude', clock_in_longitude) END), \
               'clock_out_location', json(CASE WHEN clock_out_latitude IS NULL THEN NULL ELSE \
               json_object('latitude', clock_out_latitude, 'longitude', clock_out_longitude) END), \
               'outside_fence', json(CASE WHEN outside_fence THEN 'true' ELSE 'false' END), \
               'verification_score', verification_score, 'metadata', json(metadata), 'approved_at', approved_at, \
               'approved_by', approved_by, 'rejection_note', rejection_note, 'created_at', created_at, 'updated_at', updated_at)",
        filters: &[
            Filter { param: "status", column: "status", kind: FilterKind::OneOf(STATUSES) },
            Filter { param: "worker_id", column: "worker_id", kind: FilterKind::Ids("wkr") },
            Filter { param: "job_id", column: "job_id", kind: FilterKind::Ids("job") },
            Filter { param: "site_id", column: "site_id", kind: FilterKind::Ids("site") },
            Filter { param: "task_id", column: "task_id", kind: FilterKind::Ids("tsk") },
            Filter { param: "cost_code_id", column: "cost_code_id", kind: FilterKind::Ids("cc") },
            Filter { param: "source", column: "source", kind: FilterKind::OneOf(SOURCES) },
            Filter { param: "is_running", column: "(ended_at IS NULL)", kind: FilterKind::Flag },
        ],
        date_column: Some("started_at"),
    },
    noun: Noun::TimeEntry,
    unique_field: "id",
    created_event: Some("time_entry.created"),
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
/// entry, it is not approved.
pub fn guard(tenant: &str, worker: &str, id: &str, span: &Span, existing: bool) -> Guard {
    let lock = if existing { "status != 'approved' AND " } else { "" };
    Guard { sql: format!("{lock}NOT EXISTS ({OVERLAP})"), args: overlap_args(tenant, worker, id, span) }
}

/// The first entry of `worker` overlapping the span, other than `id`.
pub async fn clash(db: &D1Database, tenant: &str, worker: &str, id: &str, span: &Span) -> ApiResult<Option<String>> {
    d1::first_text(db, &format!("{OVERLAP} ORDER BY o.started_at LIMIT 1"), &overlap_args(tenant, worker, id, span))
        .await
}

/// What handlers need to know of a stored entry.
#[derive(Debug, Deserialize)]
pub struct Current {
    pub worker_id: String,
    pub job_id: Option<String>,
    pub site_id: Option<String>,
    pub status: String,
    pub started_at: String,
    pub ended_at: Option<String>,
    pub breaks: Vec<Break>,
}

impl Current {
    pub fn span(&self) -> Span {
        Span { started_at: self.started_at.clone(), ended_at: self.ended_at.clone(), breaks: self.breaks.clone() }
    }
}

const CURRENT: &str = "json_object('worker_id', worker_id, 'job_id', job_id, 'site_id', site_id, 'status', status, \
                       'started_at', started_at, 'ended_at', ended_at, 'breaks', json(breaks))";

pub async fn current(db: &D1Database, tenant: &str, id: &str) -> ApiResult<Option<Current>> {
    let sql = format!("SELECT {CURRENT} FROM time_entries WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL");
    match d1::first_text(db, &sql, &[tenant.into(), id.into()]).await? {
        Some(t) => Ok(Some(serde_json::from_str(&t)?)),
        None => Ok(None),
    }
}

/// The worker's running entry, if any: `(id, entry)`.
pub async fn running(db: &D1Database, tenant: &str, worker: &str) -> ApiResult<Option<(String, Current)>> {
    let sql = format!(
        "SELECT json_array(id, {CURRENT}) FROM time_entries WHERE tenant_id = ? AND worker_id = ? \
         AND deleted_at IS NULL AND ended_at IS NULL LIMIT 1"
    );
    match d1::first_text(db, &sql, &[tenant.into(), worker.into()]).await? {
        Some(t) => Ok(Some(serde_json::from_str(&t)?)),
        None => Ok(None),
    }
}

/// `(id, status)` of a live worker found by id or employee code.
pub async fn worker(
    db: &D1Database,
    tenant: &str,
    by_id: Option<&str>,
    by_code: Option<&str>,
) -> ApiResult<Option<(String, String)>> {
    let (sql, key) = match (by_id, by_code) {
        (Some(id), _) => ("SELECT json_array(id, status) FROM workers WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL", id),
        (None, Some(code)) => ("SELECT json_array(id, status) FROM workers WHERE tenant_id = ? AND employee_code = ? AND deleted_at IS NULL", code),
        (None, None) => return Ok(None),
    };
    match d1::first_text(db, sql, &[tenant.into(), key.into()]).await? {
        Some(t) => Ok(Some(serde_json::from_str(&t)?)),
        None => Ok(None),
    }
}

/// The fence an entry is checked against: its job's, else its site's (else the job's site's).
pub async fn fence(db: &D1Database, tenant: &str, job: Option<&str>, site: Option<&str>) -> ApiResult<Option<Fence>> {
    let sql = "SELECT json_array(\
                 (SELECT json_array(geofence_latitude, geofence_longitude, geofence_radius_m) FROM jobs \
                    WHERE tenant_id = ?1 AND id = ?2 AND geofence_latitude IS NOT NULL), \
                 (SELECT json_array(latitude, longitude, geofence_radius_m) FROM sites \
                    WHERE tenant_id = ?1 AND latitude IS NOT NULL AND id = COALESCE(?3, (SELECT site_id FROM jobs WHERE tenant_id = ?1 AND id = ?2))))";
    let args = [Arg::from(tenant), Arg::from(job.map(str::to_string)), Arg::from(site.map(str::to_string))];
    let Some(text) = d1::first_text(db, sql, &args).await? else { return Ok(None) };
    let (from_job, from_site): (Option<(f64, f64, Option<f64>)>, Option<(f64, f64, Option<f64>)>) =
        serde_json::from_str(&text)?;
    Ok(from_job.or(from_site).map(|(latitude, longitude, r)| Fence {
        latitude,
        longitude,
        radius_m: r.unwrap_or(100.0),
    }))
}

/// Records `job.budget_threshold` once for each of 75/100/110 % the job has newly reached:
/// the job's mask is updated only if unchanged since it was read, in the same batch as the
/// events, so concurrent writers never announce a threshold twice.
pub async fn announce_thresholds(db: &D1Database, tenant: &str, job_id: &str, now_ms: i64) -> ApiResult<()> {
    let job = crate::storage::jobs::detail(db, tenant, job_id).await?;
    let percent = job["budget_used"]["percent"].as_f64();
    let sql = "SELECT CAST(thresholds_crossed AS TEXT) FROM jobs WHERE tenant_id = ? AND id = ?";
    let already: i64 =
        d1::first_text(db, sql, &[tenant.into(), job_id.into()]).await?.and_then(|t| t.parse().ok()).unwrap_or(0);
    let crossed = budget::newly_crossed(percent, already);
    if crossed.is_empty() {
        return Ok(());
    }
    let now = crate::domain::time::fmt_ms(now_ms);
    let mask = already | budget::mask_of(&crossed);
    let mut stmts = vec![d1::stmt(
        db,
        "UPDATE jobs SET thresholds_crossed = ? WHERE tenant_id = ? AND id = ? AND thresholds_crossed = ?",
        &[Arg::Int(mask), tenant.into(), job_id.into(), Arg::Int(already)],
    )?];
    for t in &crossed {
        let data = serde_json::json!({"job_id": job_id, "threshold": t, "percent": percent, "budget": job["budget"], "budget_used": job["budget_used"]});
        stmts.push(d1::stmt(
            db,
            // `changes()` is the previous statement's: the mask update won, then each event landed.
            "INSERT INTO events (id, tenant_id, type, occurred_at, data) SELECT ?, ?, 'job.budget_threshold', ?, ? WHERE changes() = 1",
            &[Arg::Text(ids::new_id("evt", now_ms as u64)), tenant.into(), now.clone().into(), Arg::Text(data.to_string())],
        )?);
    }
    d1::write(db, stmts, "id").await?;
    Ok(())
}
