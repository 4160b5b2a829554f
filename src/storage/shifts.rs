//! Shifts: the table, the no-overlap guard, and publishing drafts in a range together
//! with its `schedule.published` event.

use crate::domain::events::Event;
use crate::domain::ids;
use crate::domain::listing::{Arg, Filter, FilterKind, ListSpec};
use crate::error::ApiResult;
use crate::i18n::Noun;
use crate::storage::db::{self, Database, Statement};
use crate::storage::resource::{Guard, Table};

pub static SHIFTS: Table = Table {
    list: ListSpec {
        table: "shifts",
        scope: "tenant_id",
        json: "json_object('id', id, 'harvest_id', harvest_id, 'worker_id', worker_id, 'site_id', site_id, \
               'job_id', job_id, 'starts_at', starts_at, 'ends_at', ends_at, \
               'published', json(CASE WHEN published THEN 'true' ELSE 'false' END), \
               'notes', notes, 'created_at', created_at, 'updated_at', updated_at)",
        filters: &[
            Filter { param: "worker_id", column: "worker_id", kind: FilterKind::Ids("wkr") },
            Filter { param: "site_id", column: "site_id", kind: FilterKind::Ids("site") },
            Filter { param: "job_id", column: "job_id", kind: FilterKind::Ids("job") },
            Filter { param: "published", column: "published", kind: FilterKind::Flag },
        ],
        date_column: Some("starts_at"),
    },
    noun: Noun::Shift,
    unique_field: "id",
    created_event: None,
    updated_event: None,
    referenced_by: &[],
};

const OVERLAP: &str = "SELECT id FROM shifts WHERE tenant_id = ? AND worker_id = ? AND id != ? \
                       AND deleted_at IS NULL AND starts_at < ? AND ends_at > ?";

/// The write may go ahead only if no other live shift of `worker` overlaps `[starts, ends)`.
pub fn no_overlap(tenant: &str, worker: &str, id: &str, starts: &str, ends: &str) -> Guard {
    Guard {
        sql: format!("NOT EXISTS ({OVERLAP})"),
        args: vec![tenant.into(), worker.into(), id.into(), ends.into(), starts.into()],
    }
}

/// The first shift of `worker` that overlaps `[starts, ends)`, other than `id`.
pub async fn clash(
    db: &impl Database,
    tenant: &str,
    worker: &str,
    id: &str,
    starts: &str,
    ends: &str,
) -> ApiResult<Option<String>> {
    let sql = format!("{OVERLAP} ORDER BY starts_at LIMIT 1");
    db::first_text(db, &sql, &[tenant.into(), worker.into(), id.into(), ends.into(), starts.into()]).await
}

/// `(worker_id, starts_at, ends_at)` of a live shift.
pub async fn times(db: &impl Database, tenant: &str, id: &str) -> ApiResult<Option<(String, String, String)>> {
    let sql = "SELECT worker_id, starts_at, ends_at FROM shifts WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL";
    db::first_raw(db, sql, &[tenant.into(), id.into()]).await
}

/// Publishes the tenant's draft shifts starting in `[from, to]`; records one
/// `schedule.published` event in the same batch when any were published. Returns their ids.
pub async fn publish(db: &impl Database, tenant: &str, from: &str, to: &str, now_ms: i64) -> ApiResult<Vec<String>> {
    let now = crate::domain::time::fmt_ms(now_ms);
    let drafts = "FROM shifts WHERE tenant_id = ?2 AND published = 0 AND deleted_at IS NULL AND starts_at >= ?3 AND starts_at <= ?4";
    let event_id = ids::new_id("evt", now_ms as u64);
    let event = Statement::new(
        format!(
            "INSERT INTO events (id, tenant_id, type, occurred_at, data) \
             SELECT ?1, ?2, ?6, ?5, json_object('from', ?3, 'to', ?4, 'shift_ids', json_group_array(id), \
             'count', count(*)) {drafts} HAVING count(*) > 0"
        ),
        [
            Arg::Text(event_id.clone()),
            tenant.into(),
            from.into(),
            to.into(),
            now.clone().into(),
            Event::SchedulePublished.into(),
        ],
    )
    .inserting_event(&event_id);
    let update = Statement::new(
        format!("UPDATE shifts SET published = 1, updated_at = ?1 WHERE id IN (SELECT id {drafts}) RETURNING id"),
        [now.into(), tenant.into(), from.into(), to.into()],
    );
    #[derive(serde::Deserialize)]
    struct Row {
        id: String,
    }
    let rows: Vec<Row> = match db::write(db, vec![event, update], "id").await?.pop() {
        Some(published) => published.into_rows()?,
        None => Vec::new(),
    };
    let mut ids: Vec<String> = rows.into_iter().map(|r| r.id).collect();
    ids.sort();
    Ok(ids)
}
