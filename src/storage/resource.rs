//! Tenant-scoped CRUD on one D1 table, shared by every resource: create, detail, update and
//! soft delete (tombstone), each answering the object as JSON text rendered by SQLite, and
//! writing its event to the outbox in the same atomic batch.

use worker::D1Database;

use crate::domain::ids;
use crate::domain::listing::{self, Arg, ListSpec, Page, Query};
use crate::error::{ApiError, ApiResult};
use crate::i18n::{Msg, Noun};
use crate::storage::d1;

/// A resource's table and how it appears on the wire.
pub struct Table {
    pub list: ListSpec,
    pub noun: Noun,
    /// The field a unique-constraint violation is reported against (409).
    pub unique_field: &'static str,
    pub created_event: Option<&'static str>,
    pub updated_event: Option<&'static str>,
}

impl Table {
    fn name(&self) -> &'static str {
        self.list.table
    }
    fn scope(&self) -> &'static str {
        self.list.scope
    }
    fn not_found(&self) -> ApiError {
        ApiError::not_found(Msg::NotFound(self.noun))
    }
}

#[derive(serde::Deserialize)]
struct JsonRow {
    j: Option<String>,
}

/// The outbox row for `event` about object `id`: its JSON as of this batch.
fn event_stmt(db: &D1Database, t: &Table, event: &str, tenant: &str, id: &str, now_ms: i64) -> ApiResult<worker::D1PreparedStatement> {
    let sql = format!(
        "INSERT INTO events (id, tenant_id, type, occurred_at, data) \
         SELECT ?, ?, ?, ?, {} FROM {} WHERE {} = ? AND id = ? AND deleted_at IS NULL",
        t.list.json,
        t.name(),
        t.scope()
    );
    let args = [
        Arg::Text(ids::new_id("evt", now_ms as u64)),
        tenant.into(),
        event.into(),
        crate::domain::time::fmt_ms(now_ms).into(),
        tenant.into(),
        id.into(),
    ];
    d1::stmt(db, &sql, &args)
}

/// Runs a statement `… RETURNING <json> AS j` (plus an optional event) and returns the JSON.
async fn write_returning(
    db: &D1Database,
    t: &Table,
    main: worker::D1PreparedStatement,
    event: Option<worker::D1PreparedStatement>,
) -> ApiResult<Option<String>> {
    let mut stmts = vec![main];
    stmts.extend(event);
    let results = d1::write(db, stmts, t.unique_field).await?;
    let rows: Vec<JsonRow> = match results.first() {
        Some(r) => r.results()?,
        None => Vec::new(),
    };
    Ok(rows.into_iter().next().and_then(|r| r.j))
}

/// Inserts a row (`id`, `tenant_id`, `created_at`, `updated_at` added here) and returns it.
pub async fn create(db: &D1Database, t: &Table, tenant: &str, id: &str, now_ms: i64, cols: Vec<(&str, Arg)>) -> ApiResult<String> {
    let now = crate::domain::time::fmt_ms(now_ms);
    let mut names = vec!["id", t.scope(), "created_at", "updated_at"];
    let mut args: Vec<Arg> = vec![id.into(), tenant.into(), now.clone().into(), now.into()];
    for (c, a) in cols {
        names.push(c);
        args.push(a);
    }
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({}) RETURNING {} AS j",
        t.name(),
        names.join(", "),
        vec!["?"; names.len()].join(", "),
        t.list.json
    );
    let main = d1::stmt(db, &sql, &args)?;
    let event = t.created_event.map(|e| event_stmt(db, t, e, tenant, id, now_ms)).transpose()?;
    write_returning(db, t, main, event).await?.ok_or_else(ApiError::internal)
}

/// The live object `id` of `tenant`, or 404.
pub async fn get(db: &D1Database, t: &Table, tenant: &str, id: &str) -> ApiResult<String> {
    let sql = format!("SELECT {} FROM {} WHERE {} = ? AND id = ? AND deleted_at IS NULL", t.list.json, t.name(), t.scope());
    d1::first_text(db, &sql, &[tenant.into(), id.into()]).await?.ok_or_else(|| t.not_found())
}

/// Sets columns of a live object (and `updated_at`), returning it; 404 if there is none.
pub async fn update(db: &D1Database, t: &Table, tenant: &str, id: &str, now_ms: i64, sets: Vec<(&str, Arg)>) -> ApiResult<String> {
    let mut assignments = vec!["updated_at = ?".to_string()];
    let mut args: Vec<Arg> = vec![crate::domain::time::fmt_ms(now_ms).into()];
    for (c, a) in sets {
        assignments.push(format!("{c} = ?"));
        args.push(a);
    }
    args.push(tenant.into());
    args.push(id.into());
    let sql = format!(
        "UPDATE {} SET {} WHERE {} = ? AND id = ? AND deleted_at IS NULL RETURNING {} AS j",
        t.name(),
        assignments.join(", "),
        t.scope(),
        t.list.json
    );
    let main = d1::stmt(db, &sql, &args)?;
    let event = t.updated_event.map(|e| event_stmt(db, t, e, tenant, id, now_ms)).transpose()?;
    write_returning(db, t, main, event).await?.ok_or_else(|| t.not_found())
}

/// Deletes a live object, leaving a tombstone (SPEC §1.1); returns the tombstone.
pub async fn delete(db: &D1Database, t: &Table, tenant: &str, id: &str, now_ms: i64) -> ApiResult<String> {
    let now = crate::domain::time::fmt_ms(now_ms);
    let sql = format!(
        "UPDATE {} SET deleted_at = ?, updated_at = ? WHERE {} = ? AND id = ? AND deleted_at IS NULL \
         RETURNING json_object('id', id, 'deleted', json('true'), 'deleted_at', deleted_at) AS j",
        t.name(),
        t.scope()
    );
    let main = d1::stmt(db, &sql, &[now.clone().into(), now.into(), tenant.into(), id.into()])?;
    write_returning(db, t, main, None).await?.ok_or_else(|| t.not_found())
}

/// One page of the tenant's objects per the shared listing rules.
pub async fn list(db: &D1Database, t: &Table, tenant: &str, query: &Query) -> ApiResult<Page> {
    let lq = listing::compile(&t.list, Some(tenant), query)?;
    let rows = d1::id_json_rows(db, &lq.sql, &lq.args).await?;
    Ok(listing::paginate(rows, lq.limit))
}
