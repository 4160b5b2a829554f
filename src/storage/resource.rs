//! Tenant-scoped CRUD on one table, shared by every resource: create, detail, update and
//! soft delete (tombstone), each answering the object as JSON text rendered by SQLite, and
//! writing its event to the outbox in the same atomic batch.

use crate::domain::events::Event;
use crate::domain::ids;
use crate::domain::listing::{self, Arg, ListSpec, Page, Query};
use crate::error::{ApiError, ApiResult};
use crate::i18n::{Msg, Noun};
use crate::storage::db::{self, Database, Statement};

/// A resource's table and how it appears on the wire.
pub struct Table {
    pub list: ListSpec,
    pub noun: Noun,
    /// The field a unique-constraint violation is reported against (409).
    pub unique_field: &'static str,
    pub created_event: Option<Event>,
    pub updated_event: Option<Event>,
    /// Live rows elsewhere that point here, `(table, column)`: while any exists, a delete is
    /// a 409 rather than a dangling reference.
    pub referenced_by: &'static [(&'static str, &'static str)],
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

/// The outbox row for `event` about object `id`: its JSON as of this batch. It goes right after
/// the write it records, and lands only if that statement changed a row (`changes()` is the
/// previous statement's: the write, or the event before this one), so a guarded create or
/// update that did not happen records nothing; nor does an object that is not there.
pub fn event_stmt(t: &Table, event: Event, tenant: &str, id: &str, now_ms: i64) -> Statement {
    let sql = format!(
        "INSERT INTO events (id, tenant_id, type, occurred_at, data) \
         SELECT ?, ?, ?, ?, {} FROM {} WHERE {} = ? AND id = ? AND deleted_at IS NULL AND changes() = 1",
        t.list.json,
        t.name(),
        t.scope()
    );
    let event_id = ids::new_id("evt", now_ms as u64);
    let args = [
        Arg::Text(event_id.clone()),
        tenant.into(),
        event.into(),
        crate::domain::time::fmt_ms(now_ms).into(),
        tenant.into(),
        id.into(),
    ];
    Statement::new(sql, args).inserting_event(&event_id)
}

/// Runs `stmts` as one batch and returns the JSON (`… AS j`) of the statement at `answer`: the
/// write's own `RETURNING` for updates and deletes, a read-back at the end of the batch for
/// creates (see [`create_if`]).
async fn write_answering(
    db: &impl Database,
    t: &Table,
    stmts: Vec<Statement>,
    answer: usize,
) -> ApiResult<Option<String>> {
    let Some(written) = db::write(db, stmts, t.unique_field).await?.into_iter().nth(answer) else { return Ok(None) };
    let rows: Vec<JsonRow> = written.into_rows()?;
    Ok(rows.into_iter().next().and_then(|r| r.j))
}

/// A condition a write must meet, checked in the same statement (so no other write can slip
/// in between): SQL with `?` placeholders, bound in order after the write's own values.
pub struct Guard {
    pub sql: String,
    pub args: Vec<Arg>,
}

/// What a conditional write adds to a plain one: the guard it must meet (if any) and the
/// events it records besides the table's own, all in its batch.
pub struct Guarded<'a> {
    pub guard: Option<Guard>,
    pub events: &'a [Event],
}

impl Guarded<'_> {
    /// No guard, no extra events.
    pub const NONE: Guarded<'static> = Guarded { guard: None, events: &[] };
}

/// Inserts a row (`id`, `tenant_id`, `created_at`, `updated_at` added here) and returns it.
pub async fn create(
    db: &impl Database,
    t: &Table,
    tenant: &str,
    id: &str,
    now_ms: i64,
    cols: Vec<(&str, Arg)>,
) -> ApiResult<String> {
    create_if(db, t, tenant, id, now_ms, cols, Guarded::NONE).await?.ok_or_else(ApiError::internal)
}

/// [`create`] only when `guard` holds; `None` when it does not.
pub async fn create_if(
    db: &impl Database,
    t: &Table,
    tenant: &str,
    id: &str,
    now_ms: i64,
    cols: Vec<(&str, Arg)>,
    guarded: Guarded<'_>,
) -> ApiResult<Option<String>> {
    let now = crate::domain::time::fmt_ms(now_ms);
    let mut names = vec!["id", t.scope(), "created_at", "updated_at"];
    let mut args: Vec<Arg> = vec![id.into(), tenant.into(), now.clone().into(), now.into()];
    for (c, a) in cols {
        names.push(c);
        args.push(a);
    }
    let condition = match guarded.guard {
        Some(g) => {
            args.extend(g.args);
            format!(" WHERE {}", g.sql)
        }
        None => String::new(),
    };
    let sql = format!(
        "INSERT INTO {} ({}) SELECT {}{condition}",
        t.name(),
        names.join(", "),
        vec!["?"; names.len()].join(", ")
    );
    let mut stmts = vec![Statement::new(sql, args)];
    stmts.extend(t.created_event.iter().chain(guarded.events).map(|e| event_stmt(t, *e, tenant, id, now_ms)));
    // Read back rather than `RETURNING`: SQLite computes `RETURNING` before AFTER triggers run,
    // and the trigger is what gives the row its `harvest_id` (SPEC §9). The id is new, so the
    // row is there exactly when the insert (its guard held) happened.
    stmts.push(Statement::new(read_back_sql(t), [tenant.into(), id.into()]));
    let answer = stmts.len() - 1;
    write_answering(db, t, stmts, answer).await
}

/// How [`create_if`] reads its new object back: by its owner and id.
pub fn read_back_sql(t: &Table) -> String {
    format!("SELECT {} AS j FROM {} WHERE {} = ? AND id = ?", t.list.json, t.name(), t.scope())
}

/// The live object `id` of `tenant`, or 404.
pub async fn get(db: &impl Database, t: &Table, tenant: &str, id: &str) -> ApiResult<String> {
    let sql =
        format!("SELECT {} FROM {} WHERE {} = ? AND id = ? AND deleted_at IS NULL", t.list.json, t.name(), t.scope());
    db::first_text(db, &sql, &[tenant.into(), id.into()]).await?.ok_or_else(|| t.not_found())
}

/// Sets columns of a live object (and `updated_at`), returning it; 404 if there is none.
pub async fn update(
    db: &impl Database,
    t: &Table,
    tenant: &str,
    id: &str,
    now_ms: i64,
    sets: Vec<(&str, Arg)>,
) -> ApiResult<String> {
    update_if(db, t, tenant, id, now_ms, sets, Guarded::NONE).await?.ok_or_else(|| t.not_found())
}

/// [`update`] only when `guard` holds; `None` when there is no such object or it does not.
pub async fn update_if(
    db: &impl Database,
    t: &Table,
    tenant: &str,
    id: &str,
    now_ms: i64,
    sets: Vec<(&str, Arg)>,
    guarded: Guarded<'_>,
) -> ApiResult<Option<String>> {
    let mut assignments = vec!["updated_at = ?".to_string()];
    let mut args: Vec<Arg> = vec![crate::domain::time::fmt_ms(now_ms).into()];
    for (c, a) in sets {
        assignments.push(format!("{c} = ?"));
        args.push(a);
    }
    args.push(tenant.into());
    args.push(id.into());
    let condition = match guarded.guard {
        Some(g) => {
            args.extend(g.args);
            format!(" AND {}", g.sql)
        }
        None => String::new(),
    };
    let sql = format!(
        "UPDATE {} SET {} WHERE {} = ? AND id = ? AND deleted_at IS NULL{condition} RETURNING {} AS j",
        t.name(),
        assignments.join(", "),
        t.scope(),
        t.list.json
    );
    let mut stmts = vec![Statement::new(sql, args)];
    stmts.extend(t.updated_event.iter().chain(guarded.events).map(|e| event_stmt(t, *e, tenant, id, now_ms)));
    write_answering(db, t, stmts, 0).await
}

/// Deletes a live object, leaving a tombstone (SPEC §1.1); returns the tombstone. The check
/// for references and the delete are one statement, so nothing can slip in between.
pub async fn delete(db: &impl Database, t: &Table, tenant: &str, id: &str, now_ms: i64) -> ApiResult<String> {
    match delete_if(db, t, tenant, id, now_ms, None).await? {
        Some(tombstone) => Ok(tombstone),
        None => {
            // Either there is no such object, or something still points at it.
            get(db, t, tenant, id).await?;
            Err(ApiError::conflict(Msg::StillReferenced))
        }
    }
}

/// [`delete`] only when `guard` holds too; `None` when there is no such object, something
/// still points at it, or the guard does not hold (the caller re-reads to say which).
pub async fn delete_if(
    db: &impl Database,
    t: &Table,
    tenant: &str,
    id: &str,
    now_ms: i64,
    guard: Option<Guard>,
) -> ApiResult<Option<String>> {
    let now = crate::domain::time::fmt_ms(now_ms);
    let mut guards: String = t
        .referenced_by
        .iter()
        .map(|(table, column)| {
            format!(
                " AND NOT EXISTS (SELECT 1 FROM {table} WHERE tenant_id = ?2 AND {column} = ?3 AND deleted_at IS NULL)"
            )
        })
        .collect();
    let mut args: Vec<Arg> = vec![now.into(), tenant.into(), id.into()];
    if let Some(g) = guard {
        // Numbered after the three above, so the guard's own `?`s bind in order.
        guards.push_str(&format!(" AND {}", number_placeholders(&g.sql, args.len() + 1)));
        args.extend(g.args);
    }
    let sql = format!(
        "UPDATE {} SET deleted_at = ?1, updated_at = ?1 WHERE {} = ?2 AND id = ?3 AND deleted_at IS NULL{guards} \
         RETURNING json_object('id', id, 'deleted', json('true'), 'deleted_at', deleted_at) AS j",
        t.name(),
        t.scope()
    );
    write_answering(db, t, vec![Statement::new(sql, args)], 0).await
}

/// `sql` with each bare `?` numbered in order from `first` (`?4`, `?5`, …), so it can follow
/// numbered placeholders.
fn number_placeholders(sql: &str, first: usize) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut next = first;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '?' && !chars.peek().is_some_and(char::is_ascii_digit) {
            out.push_str(&next.to_string());
            next += 1;
        }
    }
    out
}

/// Checks that each referenced id exists, live, in the tenant; 422 naming the fields that
/// point nowhere. One query for all of them.
pub async fn check_refs(db: &impl Database, tenant: &str, refs: &[crate::domain::model::RefCheck]) -> ApiResult<()> {
    if refs.is_empty() {
        return Ok(());
    }
    let parts: Vec<String> = refs
        .iter()
        .map(|(_, table, _)| {
            format!("(SELECT count(*) FROM {table} WHERE tenant_id = ?1 AND id = ? AND deleted_at IS NULL)")
        })
        .collect();
    let sql = format!("SELECT {}", parts.join(", "));
    let mut args: Vec<Arg> = vec![tenant.into()];
    args.extend(refs.iter().map(|(_, _, id)| Arg::Text(id.clone())));
    let counts: Vec<i64> = db::first_raw(db, &sql, &args).await?.unwrap_or_default();
    let missing: Vec<_> = refs
        .iter()
        .zip(counts.iter().chain(std::iter::repeat(&0)))
        .filter(|(_, n)| **n == 0)
        .map(|((field, _, _), _)| crate::error::FieldError::new(*field, crate::i18n::FieldCode::NotFound))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(ApiError::validation(missing))
    }
}

/// One page of the tenant's objects per the shared listing rules.
pub async fn list(db: &impl Database, t: &Table, tenant: &str, query: &Query) -> ApiResult<Page> {
    let lq = listing::compile(&t.list, Some(tenant), query)?;
    let rows = db::id_json_rows(db, &lq.sql, &lq.args).await?;
    Ok(listing::paginate(rows, lq.limit))
}
