//! The reads behind reports (SPEC §6): what a report needs of the tenant (its zones, currency),
//! and the time and job-costing sums, each one aggregate query over the counted entries
//! ([`Counted`]) — no entry is loaded into the Worker; rows come back as one JSON text.

use serde::Deserialize;

use crate::domain::listing::Arg;
use crate::domain::reports::{GroupBy, JobRow, Sums, TimeRow};
use crate::domain::tenants::Settings;
use crate::domain::time_entries::EntryStatus;
use crate::error::{ApiError, ApiResult};
use crate::i18n::{Msg, Noun};
use crate::storage::counted::Counted;
use crate::storage::db::{self, Database};
use crate::storage::jobs::budget_use_sums;

/// What a report needs to know of its tenant.
#[derive(Debug, Clone)]
pub struct TenantContext {
    pub timezone: String,
    /// Every zone a site of the tenant has.
    pub site_zones: Vec<String>,
    pub settings: Settings,
}

/// The tenant's zone, its sites' zones and its settings, in one query.
pub async fn context(db: &impl Database, tenant: &str) -> ApiResult<TenantContext> {
    let sql = "SELECT timezone, settings, \
                 (SELECT json_group_array(DISTINCT timezone) FROM sites WHERE tenant_id = ?1 AND timezone IS NOT NULL) \
               FROM tenants WHERE id = ?1";
    let row: Option<(String, String, String)> = db::first_raw(db, sql, &[tenant.into()]).await?;
    let (timezone, settings, zones) = row.ok_or_else(|| ApiError::not_found(Msg::NotFound(Noun::Tenant)))?;
    Ok(TenantContext {
        timezone,
        site_zones: serde_json::from_str(&zones)?,
        settings: serde_json::from_str(&settings).unwrap_or_default(),
    })
}

/// The sums over the counted entries of one group, as JSON object members.
const SUMS: &str = "'seconds', SUM(te.worked_seconds), \
     'billable_seconds', SUM(CASE WHEN te.billable THEN te.worked_seconds ELSE 0 END), \
     'rate_seconds', SUM(te.worked_seconds * COALESCE(w.pay_rate, 0)), \
     'bill_rate_seconds', SUM(CASE WHEN te.billable THEN te.worked_seconds * COALESCE((SELECT bt.default_hourly_rate \
       FROM tasks bt WHERE bt.id = te.task_id), j.hourly_rate, 0) ELSE 0 END), 'entries', COUNT(*)";

/// Rows rendered by SQLite as one JSON array, read into `T`s.
async fn json_rows<T: for<'de> Deserialize<'de>>(db: &impl Database, sql: &str, args: &[Arg]) -> ApiResult<Vec<T>> {
    let text = db::first_text(db, sql, args).await?.unwrap_or_else(|| "[]".into());
    Ok(serde_json::from_str(&text)?)
}

#[derive(Deserialize)]
struct TimeRowJson {
    id: Option<String>,
    name: Option<String>,
    #[serde(flatten)]
    sums: Sums,
}

/// Per group: its id, its name and the sums of its counted entries, in id order (entries
/// without a job, customer or task form the group whose id is `null`, first).
pub async fn time(db: &impl Database, counted: &Counted, group: GroupBy) -> ApiResult<Vec<TimeRow>> {
    let (sql, args) = time_sql(counted, group);
    let rows: Vec<TimeRowJson> = json_rows(db, &sql, &args).await?;
    Ok(rows.into_iter().map(|r| TimeRow { id: r.id, name: r.name, sums: r.sums }).collect())
}

/// The time report's statement and its arguments.
pub fn time_sql(counted: &Counted, group: GroupBy) -> (String, Vec<Arg>) {
    let (key, name, joins) = match group {
        GroupBy::Worker => ("te.worker_id", "w.name", ""),
        GroupBy::Job => ("te.job_id", "j.name", ""),
        GroupBy::Customer => ("j.customer_id", "c.name", "LEFT JOIN customers c ON c.id = j.customer_id"),
        GroupBy::Task => ("te.task_id", "k.name", "LEFT JOIN tasks k ON k.id = te.task_id"),
    };
    let (from_where, args) = counted.from_where(joins);
    let sql = format!(
        "SELECT json_group_array(json(r)) FROM (SELECT json_object('id', {key}, 'name', MAX({name}), {SUMS}) AS r \
         {from_where} GROUP BY {key} ORDER BY {key})"
    );
    (sql, args)
}

/// Per job with counted entries: the job, the sums of those entries, and the sums of its whole
/// life that its `budget_used` is computed from, in id order.
pub async fn job_costing(db: &impl Database, counted: &Counted) -> ApiResult<Vec<JobRow>> {
    let (sql, args) = job_costing_sql(counted);
    json_rows(db, &sql, &args).await
}

/// The job-costing statement and its arguments.
pub fn job_costing_sql(counted: &Counted) -> (String, Vec<Arg>) {
    let [life_seconds, life_rate_seconds] = budget_use_sums("?", "j.id", "?", "?");
    let (from_where, where_args) = counted.from_where("");
    let sql = format!(
        "SELECT json_group_array(json(r)) FROM (SELECT json_object('job_id', j.id, 'name', MAX(j.name), \
           'customer_id', MAX(j.customer_id), 'status', MAX(j.status), 'budget_hours', MAX(j.budget_hours), \
           'budget_amount', MAX(j.budget_amount), 'budget_currency', MAX(j.budget_currency), {SUMS}, \
           'life_seconds', {life_seconds}, 'life_rate_seconds', {life_rate_seconds}) AS r \
         {from_where} AND te.job_id IS NOT NULL GROUP BY j.id ORDER BY j.id)"
    );
    // Budget use counts approved and pending entries whatever the report's own statuses.
    let life = [Arg::from(counted.tenant.as_str()), EntryStatus::Approved.into(), EntryStatus::Pending.into()];
    let mut args: Vec<Arg> = life.iter().chain(life.iter()).cloned().collect();
    args.extend(where_args);
    (sql, args)
}
