//! Jobs: the table, geofence defaults from the site, and budget use summed from the job's
//! approved and pending time entries.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::events::Event;
use crate::domain::jobs::{percent_used, JobStatus};
use crate::domain::labor;
use crate::domain::listing::{Arg, Filter, FilterKind, ListSpec};
use crate::domain::time_entries::EntryStatus;
use crate::error::{ApiError, ApiResult};
use crate::i18n::{Msg, Noun};
use crate::storage::db::{self, Database};
use crate::storage::resource::Table;

pub static JOBS: Table = Table {
    list: ListSpec {
        table: "jobs",
        scope: "tenant_id",
        json: "json_object('id', id, 'harvest_id', harvest_id, 'name', name, 'customer_id', customer_id, \
               'site_id', site_id, 'status', status, \
               'geofence', json(CASE WHEN geofence_latitude IS NULL THEN NULL ELSE json_object('latitude', geofence_latitude, \
               'longitude', geofence_longitude, 'radius_m', geofence_radius_m) END), \
               'budget', json(CASE WHEN budget_hours IS NULL AND budget_amount IS NULL THEN NULL ELSE json_object('hours', \
               budget_hours, 'amount', budget_amount, 'currency', budget_currency) END), \
               'hourly_rate', hourly_rate, 'created_at', created_at, 'updated_at', updated_at)",
        filters: &[
            Filter { param: "status", column: "status", kind: FilterKind::OneOf(JobStatus::NAMES) },
            Filter { param: "customer_id", column: "customer_id", kind: FilterKind::Ids("cus") },
            Filter { param: "site_id", column: "site_id", kind: FilterKind::Ids("site") },
            Filter { param: "q", column: "", kind: FilterKind::Search(&["name"]) },
        ],
        date_column: None,
    },
    noun: Noun::Job,
    unique_field: "id",
    created_event: Some(Event::JobCreated),
    updated_event: None,
    referenced_by: &[("shifts", "job_id"), ("time_entries", "job_id"), ("expenses", "job_id")],
};

/// A site's fence `(latitude, longitude, radius_m)`, if it has coordinates.
pub async fn site_fence(db: &impl Database, tenant: &str, site_id: &str) -> ApiResult<Option<(f64, f64, f64)>> {
    let sql = "SELECT latitude, longitude, geofence_radius_m FROM sites \
               WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL AND latitude IS NOT NULL AND longitude IS NOT NULL";
    let fence: Option<(f64, f64, Option<f64>)> = db::first_raw(db, sql, &[tenant.into(), site_id.into()]).await?;
    Ok(fence.map(|(latitude, longitude, radius_m)| (latitude, longitude, radius_m.unwrap_or(100.0))))
}

/// The job's current status, or 404.
pub async fn status_of(db: &impl Database, tenant: &str, id: &str) -> ApiResult<JobStatus> {
    #[derive(Deserialize)]
    struct Row {
        status: JobStatus,
    }
    let sql = "SELECT status FROM jobs WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL";
    let row: Row = db
        .first(sql, &[tenant.into(), id.into()])
        .await?
        .ok_or_else(|| ApiError::not_found(Msg::NotFound(Noun::Job)))?;
    Ok(row.status)
}

/// A job's `budget_used`: hours and labour cost of its approved and pending entries, and the
/// percentage of its budget they use.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetUsed {
    pub hours: f64,
    pub amount: i64,
    pub percent: Option<f64>,
}

/// A live job with its budget use and the thresholds already announced (a bit set).
#[derive(Debug)]
pub struct Budgeted {
    pub job: Value,
    pub used: BudgetUsed,
    pub announced: i64,
}

/// The row [`budgeted`] reads: the job's JSON and what its budget use is computed from.
#[derive(Deserialize)]
struct BudgetRow {
    j: String,
    worked_seconds: f64,
    labour_cost: f64,
    budget_hours: Option<f64>,
    budget_amount: Option<i64>,
    thresholds_crossed: i64,
}

/// The two sums a job's budget use is computed from — Σ worked seconds, and Σ worked seconds ×
/// the worker's pay rate, of its live approved and pending entries — as correlated subqueries
/// on the job the SQL expression `job` names, in the tenant `tenant` names, with the two
/// statuses bound at `approved` and `pending`. Job detail and job costing share them.
pub fn budget_use_sums(tenant: &str, job: &str, approved: &str, pending: &str) -> [String; 2] {
    let entries = format!(
        "FROM time_entries u WHERE u.tenant_id = {tenant} AND u.job_id = {job} AND u.deleted_at IS NULL \
         AND u.status IN ({approved}, {pending})"
    );
    [
        format!("(SELECT COALESCE(SUM(u.worked_seconds), 0) {entries})"),
        format!(
            "(SELECT COALESCE(SUM(u.worked_seconds * COALESCE((SELECT pay_rate FROM workers WHERE id = u.worker_id), 0)), 0) \
             {entries})"
        ),
    ]
}

/// The live job `id` with its budget use, in one query; 404 if there is none.
pub async fn budgeted(db: &impl Database, tenant: &str, id: &str) -> ApiResult<Budgeted> {
    let [worked, labour] = budget_use_sums("?1", "?2", "?3", "?4");
    let sql = format!(
        "SELECT {json} AS j, {worked} AS worked_seconds, {labour} AS labour_cost, \
           budget_hours, budget_amount, thresholds_crossed \
         FROM jobs WHERE tenant_id = ?1 AND id = ?2 AND deleted_at IS NULL",
        json = JOBS.list.json
    );
    // Budget use counts the entries that are approved or may yet be (SPEC §6).
    let args = [Arg::from(tenant), Arg::from(id), EntryStatus::Approved.into(), EntryStatus::Pending.into()];
    let row: BudgetRow = db.first(&sql, &args).await?.ok_or_else(|| ApiError::not_found(Msg::NotFound(Noun::Job)))?;
    let hours = labor::hours(row.worked_seconds);
    let amount = labor::cost(row.labour_cost);
    let percent = percent_used(row.worked_seconds / 3600.0, amount, row.budget_hours, row.budget_amount);
    Ok(Budgeted {
        job: serde_json::from_str(&row.j)?,
        used: BudgetUsed { hours, amount, percent },
        announced: row.thresholds_crossed,
    })
}

/// The job's detail: its JSON plus `budget_used` `{hours, amount, percent}`.
pub async fn detail(db: &impl Database, tenant: &str, id: &str) -> ApiResult<Value> {
    let Budgeted { mut job, used, .. } = budgeted(db, tenant, id).await?;
    job["budget_used"] = serde_json::to_value(used)?;
    Ok(job)
}
