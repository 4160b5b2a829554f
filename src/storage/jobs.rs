//! Jobs in D1: the table, geofence defaults from the site, and budget use summed from the
//! job's approved and pending time entries.

use serde_json::Value;
use worker::D1Database;

use crate::domain::jobs::{percent_used, STATUSES};
use crate::domain::listing::{Arg, Filter, FilterKind, ListSpec};
use crate::error::{ApiError, ApiResult};
use crate::i18n::{Msg, Noun};
use crate::storage::d1;
use crate::storage::resource::Table;

pub static JOBS: Table = Table {
    list: ListSpec {
        table: "jobs",
        scope: "tenant_id",
        json: "json_object('id', id, 'name', name, 'customer_id', customer_id, 'site_id', site_id, 'status', status, \
               'geofence', json(CASE WHEN geofence_latitude IS NULL THEN NULL ELSE json_object('latitude', geofence_latitude, \
               'longitude', geofence_longitude, 'radius_m', geofence_radius_m) END), \
               'budget', json(CASE WHEN budget_hours IS NULL AND budget_amount IS NULL THEN NULL ELSE json_object('hours', \
               budget_hours, 'amount', budget_amount, 'currency', budget_currency) END), \
               'created_at', created_at, 'updated_at', updated_at)",
        filters: &[
            Filter { param: "status", column: "status", kind: FilterKind::OneOf(STATUSES) },
            Filter { param: "customer_id", column: "customer_id", kind: FilterKind::Ids("cus") },
            Filter { param: "site_id", column: "site_id", kind: FilterKind::Ids("site") },
            Filter { param: "q", column: "", kind: FilterKind::Search(&["name"]) },
        ],
        date_column: None,
    },
    noun: Noun::Job,
    unique_field: "id",
    created_event: Some("job.created"),
    updated_event: None,
    referenced_by: &[("shifts", "job_id"), ("time_entries", "job_id")],
};

/// A site's fence `(latitude, longitude, radius_m)`, if it has coordinates.
pub async fn site_fence(db: &D1Database, tenant: &str, site_id: &str) -> ApiResult<Option<(f64, f64, f64)>> {
    let sql = "SELECT json_array(latitude, longitude, geofence_radius_m) FROM sites \
               WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL AND latitude IS NOT NULL AND longitude IS NOT NULL";
    let Some(text) = d1::first_text(db, sql, &[tenant.into(), site_id.into()]).await? else { return Ok(None) };
    let v: (f64, f64, Option<f64>) = serde_json::from_str(&text)?;
    Ok(Some((v.0, v.1, v.2.unwrap_or(100.0))))
}

/// The job's current status, or 404.
pub async fn status_of(db: &D1Database, tenant: &str, id: &str) -> ApiResult<String> {
    let sql = "SELECT status FROM jobs WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL";
    d1::first_text(db, sql, &[tenant.into(), id.into()])
        .await?
        .ok_or_else(|| ApiError::not_found(Msg::NotFound(Noun::Job)))
}

/// The job's detail: its JSON plus `budget_used` `{hours, amount, percent}`.
pub async fn detail(db: &D1Database, tenant: &str, id: &str) -> ApiResult<Value> {
    let sql = format!(
        "SELECT json_array({json}, \
           (SELECT COALESCE(SUM(te.worked_seconds), 0) FROM time_entries te WHERE te.tenant_id = ?1 AND te.job_id = ?2 \
              AND te.deleted_at IS NULL AND te.status IN ('approved', 'pending')), \
           (SELECT COALESCE(SUM(te.worked_seconds * COALESCE(w.pay_rate, 0)), 0) FROM time_entries te \
              LEFT JOIN workers w ON w.id = te.worker_id WHERE te.tenant_id = ?1 AND te.job_id = ?2 \
              AND te.deleted_at IS NULL AND te.status IN ('approved', 'pending')), \
           budget_hours, budget_amount) \
         FROM jobs WHERE tenant_id = ?1 AND id = ?2 AND deleted_at IS NULL",
        json = JOBS.list.json
    );
    let text = d1::first_text(db, &sql, &[Arg::from(tenant), Arg::from(id)])
        .await?
        .ok_or_else(|| ApiError::not_found(Msg::NotFound(Noun::Job)))?;
    let (mut job, secs, cost, b_hours, b_amount): (Value, f64, f64, Option<f64>, Option<i64>) =
        serde_json::from_str(&text)?;
    let hours = (secs / 36.0).round() / 100.0;
    let amount = (cost / 3600.0).round() as i64;
    job["budget_used"] = serde_json::json!({
        "hours": hours,
        "amount": amount,
        "percent": percent_used(secs / 3600.0, amount, b_hours, b_amount),
    });
    Ok(job)
}
