//! The reads behind attendance views: a tenant's workers with their zones, and entries,
//! published shifts in a UTC window — one query each, rendered as JSON by SQLite.

use serde::Deserialize;

use crate::domain::attendance::EntryRow;
use crate::domain::listing::Arg;
use crate::domain::time_entries::EntryStatus;
use crate::domain::workers::WorkerStatus;
use crate::error::ApiResult;
use crate::storage::db::{self, Database};

/// A worker with the zone its days are counted in (its site's, else the tenant's).
#[derive(Debug, Clone, Deserialize)]
pub struct WorkerRow {
    pub id: String,
    pub name: String,
    pub status: WorkerStatus,
    pub tz: String,
}

async fn json_rows<T: for<'a> Deserialize<'a>>(db: &impl Database, sql: &str, args: &[Arg]) -> ApiResult<Vec<T>> {
    let text = db::first_text(db, sql, args).await?.unwrap_or_else(|| "[]".into());
    Ok(serde_json::from_str(&text)?)
}

pub async fn workers(db: &impl Database, tenant: &str, only: Option<&str>) -> ApiResult<Vec<WorkerRow>> {
    let sql = "SELECT json_group_array(json_object('id', w.id, 'name', w.name, 'status', w.status, \
                 'tz', COALESCE(s.timezone, t.timezone, 'UTC'))) \
               FROM (SELECT * FROM workers WHERE tenant_id = ?1 AND deleted_at IS NULL AND (?2 IS NULL OR id = ?2) ORDER BY id) w \
               JOIN tenants t ON t.id = w.tenant_id LEFT JOIN sites s ON s.id = w.site_id";
    json_rows(db, sql, &[tenant.into(), Arg::from(only.map(str::to_string))]).await
}

/// Entries (not rejected) that started in `[from, to)`.
pub async fn entries(
    db: &impl Database,
    tenant: &str,
    from: &str,
    to: &str,
    only: Option<&str>,
) -> ApiResult<Vec<EntryRow>> {
    let sql = "SELECT json_group_array(json_object('id', id, 'worker_id', worker_id, 'started_at', started_at, \
                 'ended_at', ended_at, 'breaks', json(breaks))) FROM (SELECT * FROM time_entries \
               WHERE tenant_id = ?1 AND deleted_at IS NULL AND status != ?5 AND started_at >= ?2 AND started_at < ?3 \
               AND (?4 IS NULL OR worker_id = ?4) ORDER BY started_at)";
    let args =
        [tenant.into(), from.into(), to.into(), Arg::from(only.map(str::to_string)), EntryStatus::Rejected.into()];
    json_rows(db, sql, &args).await
}

#[derive(Debug, Clone, Deserialize)]
pub struct ShiftRow {
    pub worker_id: String,
    pub starts_at: String,
}

/// Published shifts that start in `[from, to)`.
pub async fn published_shifts(db: &impl Database, tenant: &str, from: &str, to: &str) -> ApiResult<Vec<ShiftRow>> {
    let sql = "SELECT json_group_array(json_object('worker_id', worker_id, 'starts_at', starts_at)) FROM shifts \
               WHERE tenant_id = ?1 AND deleted_at IS NULL AND published = 1 AND starts_at >= ?2 AND starts_at < ?3";
    json_rows(db, sql, &[tenant.into(), from.into(), to.into()]).await
}

/// The tenant's own zone.
pub async fn tenant_tz(db: &impl Database, tenant: &str) -> ApiResult<String> {
    Ok(crate::storage::tenants::timezone_of(db, tenant).await?.unwrap_or_else(|| "UTC".into()))
}
