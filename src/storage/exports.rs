//! Payroll exports (SPEC §6): the table, and the guarded writes of an export's life. Each
//! write says in its own statement what it expects — a page moves the export on only from where
//! the page began; completion, failure and a re-send happen only to an export still in
//! progress — so repeated or late queue messages, and two runs at once, change nothing twice.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::domain::events::Event;
use crate::domain::exports::{ExportStatus, NewExport, PAYROLL};
use crate::domain::formats::Format;
use crate::domain::listing::{Arg, Filter, FilterKind, ListSpec};
use crate::domain::payroll::Payee;
use crate::domain::time;
use crate::error::ApiResult;
use crate::i18n::Noun;
use crate::storage::counted::Counted;
use crate::storage::db::{self, Database, Statement};
use crate::storage::resource::{self, event_stmt, Table};

pub static EXPORTS: Table = Table {
    list: ListSpec {
        table: "exports",
        scope: "tenant_id",
        json: "json_object('id', id, 'harvest_id', harvest_id, 'kind', kind, 'status', status, 'format', format, \
               'from', range_from, 'to', range_to, 'row_count', row_count, 'error', error, \
               'completed_at', completed_at, \
               'created_at', created_at, 'updated_at', updated_at)",
        filters: &[Filter { param: "status", column: "status", kind: FilterKind::OneOf(ExportStatus::NAMES) }],
        date_column: None,
    },
    noun: Noun::Export,
    unique_field: "id",
    created_event: None,
    updated_event: None,
    referenced_by: &[],
};

/// An export as its computation and its download see it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Export {
    pub id: String,
    pub tenant_id: String,
    pub status: ExportStatus,
    pub format: Format,
    pub range_from: String,
    pub range_to: String,
    pub last_worker_id: Option<String>,
    pub file_key: Option<String>,
    pub updated_at: String,
    /// The export as the API shows it (JSON text).
    pub j: String,
}

const IN_PROGRESS: &str = "status IN ('queued', 'processing')";

/// Records a new `queued` export; returns it as JSON text.
pub async fn create(db: &impl Database, tenant: &str, id: &str, e: &NewExport, now_ms: i64) -> ApiResult<String> {
    let cols = vec![
        ("kind", Arg::from(PAYROLL)),
        ("format", e.format.into()),
        ("range_from", e.from.to_string().into()),
        ("range_to", e.to.to_string().into()),
        ("status", ExportStatus::Queued.into()),
    ];
    resource::create(db, &EXPORTS, tenant, id, now_ms, cols).await
}

/// The export `id`, of `tenant` when one is given (a signed link names no tenant: its
/// signature is over the id itself).
pub async fn find(db: &impl Database, tenant: Option<&str>, id: &str) -> ApiResult<Option<Export>> {
    let sql = format!(
        "SELECT id, tenant_id, status, format, range_from, range_to, last_worker_id, file_key, updated_at, {} AS j \
         FROM exports WHERE id = ?1 AND (?2 IS NULL OR tenant_id = ?2) AND deleted_at IS NULL",
        EXPORTS.list.json
    );
    Ok(db.first(&sql, &[id.into(), Arg::from(tenant.map(str::to_string))]).await?)
}

/// Up to `limit` of the tenant's workers after `after`, in id order.
pub async fn payees(db: &impl Database, tenant: &str, after: Option<&str>, limit: usize) -> ApiResult<Vec<Payee>> {
    let sql = format!(
        "SELECT id, employee_code, name, pay_rate FROM workers WHERE tenant_id = ?1 AND id > ?2 ORDER BY id LIMIT {limit}"
    );
    let rows: Vec<(String, String, String, Option<i64>)> =
        db.raw(&sql, &[tenant.into(), after.unwrap_or("").into()]).await?;
    Ok(rows
        .into_iter()
        .map(|(id, employee_code, name, pay_rate)| Payee { id, employee_code, name, pay_rate })
        .collect())
}

/// The counted entries as `(worker_id, started_at, worked_seconds, zone)`.
pub async fn worked(db: &impl Database, counted: &Counted) -> ApiResult<Vec<(String, String, i64, String)>> {
    let (from_where, args) = counted.from_where("");
    let sql =
        format!("SELECT te.worker_id, te.started_at, te.worked_seconds, json_extract(z.value, '$[0]') {from_where}");
    Ok(db.raw(&sql, &args).await?)
}

/// Stores a page's rows and moves the export past worker `next` — only if it still stands where
/// the page began. Whether it did.
pub async fn commit_page(
    db: &impl Database,
    export: &Export,
    next: &str,
    rows: &[(String, Vec<Value>)],
    now_ms: i64,
) -> ApiResult<bool> {
    let now = time::fmt_ms(now_ms);
    let advance = Statement::new(
        format!(
            "UPDATE exports SET status = ?1, last_worker_id = ?2, failures = 0, updated_at = ?3 \
             WHERE id = ?4 AND {IN_PROGRESS} AND last_worker_id IS ?5"
        ),
        [
            ExportStatus::Processing.into(),
            next.into(),
            now.into(),
            export.id.as_str().into(),
            Arg::from(export.last_worker_id.clone()),
        ],
    );
    let data = json!(rows.iter().map(|(worker, values)| json!([worker, values])).collect::<Vec<_>>()).to_string();
    // Lands only when the move above did (`changes()` is its count).
    let store = Statement::new(
        "INSERT OR REPLACE INTO export_rows (export_id, worker_id, data) \
         SELECT ?1, json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?2) WHERE changes() = 1",
        [export.id.as_str().into(), data.into()],
    );
    let written = db::write(db, vec![advance, store], "id").await?;
    Ok(written.first().is_some_and(|w| w.changes == 1))
}

/// Up to `limit` stored rows after worker `after`, in worker order: `(worker_id, values)`.
pub async fn rows(db: &impl Database, export_id: &str, after: &str, limit: usize) -> ApiResult<Vec<(String, String)>> {
    let sql = format!(
        "SELECT worker_id, data FROM export_rows WHERE export_id = ?1 AND worker_id > ?2 ORDER BY worker_id LIMIT {limit}"
    );
    Ok(db.raw(&sql, &[export_id.into(), after.into()]).await?)
}

/// Marks an export in progress `completed` with its file, records `payroll.export_completed`
/// with it, and drops its gathered rows — all or nothing. Whether this call completed it.
pub async fn complete(
    db: &impl Database,
    export: &Export,
    row_count: i64,
    file_key: &str,
    now_ms: i64,
) -> ApiResult<bool> {
    let now = time::fmt_ms(now_ms);
    let done = Statement::new(
        format!(
            "UPDATE exports SET status = ?1, row_count = ?2, file_key = ?3, error = NULL, completed_at = ?4, \
             updated_at = ?4 WHERE id = ?5 AND {IN_PROGRESS}"
        ),
        [ExportStatus::Completed.into(), row_count.into(), file_key.into(), now.into(), export.id.as_str().into()],
    );
    let event = event_stmt(&EXPORTS, Event::PayrollExportCompleted, &export.tenant_id, &export.id, now_ms);
    let cleanup = Statement::new("DELETE FROM export_rows WHERE export_id = ?", [export.id.as_str().into()]);
    let written = db::write(db, vec![done, event, cleanup], "id").await?;
    Ok(written.first().is_some_and(|w| w.changes == 1))
}

/// Counts one more failed computation of an export in progress; returns how many in a row.
pub async fn failed_once(db: &impl Database, export_id: &str, now_ms: i64) -> ApiResult<i64> {
    let sql = format!(
        "UPDATE exports SET failures = failures + 1, updated_at = ?1 WHERE id = ?2 AND {IN_PROGRESS} RETURNING failures"
    );
    let written =
        db::write(db, vec![Statement::new(sql, [time::fmt_ms(now_ms).into(), export_id.into()])], "id").await?;
    let failures = written.into_iter().next().and_then(|w| w.rows.into_iter().next());
    Ok(failures.and_then(|r| r["failures"].as_i64()).unwrap_or(0))
}

/// Marks an export in progress `failed` with `error`, and drops its gathered rows.
pub async fn fail(db: &impl Database, export_id: &str, error: &str, now_ms: i64) -> ApiResult<()> {
    let now = time::fmt_ms(now_ms);
    let failed = Statement::new(
        format!("UPDATE exports SET status = ?1, error = ?2, completed_at = ?3, updated_at = ?3 WHERE id = ?4 AND {IN_PROGRESS}"),
        [ExportStatus::Failed.into(), error.into(), now.into(), export_id.into()],
    );
    let cleanup = Statement::new("DELETE FROM export_rows WHERE export_id = ?", [export_id.into()]);
    db::write(db, vec![failed, cleanup], "id").await?;
    Ok(())
}

/// Claims the re-send of an export in progress that has not moved since before `stale_before`
/// (its message was lost: a runtime restart empties a local queue). Only one reader wins the
/// claim; it gets where the computation stands, to send the next step from there.
pub async fn claim_resend(
    db: &impl Database,
    tenant: &str,
    export_id: &str,
    stale_before: &str,
    now_ms: i64,
) -> ApiResult<Option<Option<String>>> {
    let sql = format!(
        "UPDATE exports SET updated_at = ?1 WHERE tenant_id = ?2 AND id = ?3 AND {IN_PROGRESS} AND updated_at < ?4 \
         RETURNING last_worker_id"
    );
    let args = [time::fmt_ms(now_ms).into(), tenant.into(), export_id.into(), stale_before.into()];
    let written = db::write(db, vec![Statement::new(sql, args)], "id").await?;
    let claimed = written.into_iter().next().and_then(|w| w.rows.into_iter().next());
    Ok(claimed.map(|row| row["last_worker_id"].as_str().map(str::to_string)))
}
