//! Integer ids (SPEC §9): every object's stable positive integer, unique per resource type and
//! never reused, shown as `harvest_id` on `/v1` and as `id` on the Harvest-compatible `/v2`.
//!
//! The database hands them out (migration 0006): each object table has a `harvest_id` column
//! under a unique index, and an AFTER INSERT trigger gives each new row the next number of its
//! table's row in `harvest_sequences`, so no insert statement names the column and a number
//! outlives its row (a purged position's is never handed out again). SQLite computes an
//! insert's `RETURNING` before AFTER triggers run, so a create that answers its object reads it
//! back in the same batch instead ([`number_of`] here, `resource::create_if` for resources).
//!
//! What `/v2` needs of them: [`id_for`] turns a number from a path, body or filter into the text
//! id of a live object of the tenant (one probe of the unique index), [`account`] finds the
//! tenant a `Harvest-Account-Id` names, and [`harvest_ids`] gives the numbers of text ids read
//! from rows (references such as a time entry's `job_id`).

use std::collections::HashMap;

use serde_json::json;

use crate::domain::listing::Arg;
use crate::error::ApiResult;
use crate::storage::db::{first_text, Database, DbError, DbResult, Statement, Written};

/// The largest integer id: JavaScript clients read numbers exactly up to 2^53 − 1.
pub const MAX: i64 = (1 << 53) - 1;

/// A table whose rows are objects of the API, and so have integer ids (each its own sequence).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Tenants,
    ApiKeys,
    Vendors,
    Partnerships,
    AuditLog,
    Workers,
    Sites,
    Departments,
    CostCodes,
    Tasks,
    Customers,
    Jobs,
    Shifts,
    TimeEntries,
    Webhooks,
    WebhookDeliveries,
    Exports,
    Positions,
    Contacts,
    Expenses,
    Invoices,
}

impl Kind {
    /// Every kind; the outbox (`events`) and `export_rows` are not API objects and have none.
    pub const ALL: &'static [Kind] = &[
        Kind::Tenants,
        Kind::ApiKeys,
        Kind::Vendors,
        Kind::Partnerships,
        Kind::AuditLog,
        Kind::Workers,
        Kind::Sites,
        Kind::Departments,
        Kind::CostCodes,
        Kind::Tasks,
        Kind::Customers,
        Kind::Jobs,
        Kind::Shifts,
        Kind::TimeEntries,
        Kind::Webhooks,
        Kind::WebhookDeliveries,
        Kind::Exports,
        Kind::Positions,
        Kind::Contacts,
        Kind::Expenses,
        Kind::Invoices,
    ];

    /// The table, which is also the kind's name in `harvest_sequences`.
    pub const fn table(self) -> &'static str {
        match self {
            Kind::Tenants => "tenants",
            Kind::ApiKeys => "api_keys",
            Kind::Vendors => "vendors",
            Kind::Partnerships => "partnerships",
            Kind::AuditLog => "audit_log",
            Kind::Workers => "workers",
            Kind::Sites => "sites",
            Kind::Departments => "departments",
            Kind::CostCodes => "cost_codes",
            Kind::Tasks => "tasks",
            Kind::Customers => "customers",
            Kind::Jobs => "jobs",
            Kind::Shifts => "shifts",
            Kind::TimeEntries => "time_entries",
            Kind::Webhooks => "webhooks",
            Kind::WebhookDeliveries => "webhook_deliveries",
            Kind::Exports => "exports",
            Kind::Positions => "positions",
            Kind::Contacts => "contacts",
            Kind::Expenses => "expenses",
            Kind::Invoices => "invoices",
        }
    }

    /// The column naming the tenant a row belongs to: a tenant is its own, a vendor nobody's.
    const fn owner(self) -> Option<&'static str> {
        match self {
            Kind::Tenants => Some("id"),
            Kind::Vendors => None,
            _ => Some("tenant_id"),
        }
    }

    /// The condition for a row that is not deleted (deliveries are never tombstoned).
    const fn live(self) -> &'static str {
        match self {
            Kind::WebhookDeliveries => "",
            _ => " AND deleted_at IS NULL",
        }
    }
}

/// Whether `n` can be an integer id at all. Checked before a lookup: a number past 2^53 would
/// reach D1 rounded, and could name another row.
pub fn in_range(n: i64) -> bool {
    (1..=MAX).contains(&n)
}

/// The text id of `tenant`'s live object of `kind` numbered `harvest_id`; `None` if there is none
/// (no such number, another tenant's, deleted). For [`Kind::Tenants`] that is the tenant itself;
/// vendors belong to no tenant, so never.
pub async fn id_for(db: &impl Database, kind: Kind, tenant: &str, harvest_id: i64) -> ApiResult<Option<String>> {
    match lookup_sql(kind) {
        Some(sql) if in_range(harvest_id) => first_text(db, &sql, &[Arg::Int(harvest_id), tenant.into()]).await,
        _ => Ok(None),
    }
}

/// [`id_for`] for several numbers in one read: the text ids of those that name a live object of
/// `kind` in `tenant`, by number (numbers that name none are absent).
pub async fn ids_for(db: &impl Database, kind: Kind, tenant: &str, numbers: &[i64]) -> ApiResult<HashMap<i64, String>> {
    let wanted: Vec<i64> = numbers.iter().copied().filter(|n| in_range(*n)).collect();
    let Some(sql) = lookup_many_sql(kind).filter(|_| !wanted.is_empty()) else { return Ok(HashMap::new()) };
    let rows: Vec<(i64, String)> = db.raw(&sql, &[json!(wanted).to_string().into(), tenant.into()]).await?;
    Ok(rows.into_iter().collect())
}

/// The statement of [`ids_for`]: one probe of `<table>_harvest_id` per number (`CROSS JOIN`
/// keeps the numbers as the outer loop, so the planner never walks the tenant's rows instead).
pub fn lookup_many_sql(kind: Kind) -> Option<String> {
    let owner = kind.owner()?;
    let live = kind.live().replace("deleted_at", "t.deleted_at");
    Some(format!(
        "SELECT t.harvest_id, t.id FROM json_each(?1) AS n CROSS JOIN {} AS t \
         WHERE t.harvest_id = n.value AND t.{owner} = ?2{live}",
        kind.table()
    ))
}

/// The statement of [`id_for`] (none for vendors): an equality probe of `<table>_harvest_id`.
pub fn lookup_sql(kind: Kind) -> Option<String> {
    let owner = kind.owner()?;
    Some(format!("SELECT id FROM {} WHERE harvest_id = ?1 AND {owner} = ?2{}", kind.table(), kind.live()))
}

/// The live tenant (or division) whose account id is `harvest_id`, before any tenant is known:
/// what a `Harvest-Account-Id` header names. Whether the caller may act for it is the caller's
/// question (SPEC §9: another tenant's account is 403 for a tenant key).
pub async fn account(db: &impl Database, harvest_id: i64) -> ApiResult<Option<String>> {
    if !in_range(harvest_id) {
        return Ok(None);
    }
    first_text(db, ACCOUNT, &[Arg::Int(harvest_id)]).await
}

/// The statement of [`account`]: an equality probe of `tenants_harvest_id`.
pub const ACCOUNT: &str = "SELECT id FROM tenants WHERE harvest_id = ?1 AND deleted_at IS NULL";

/// The integer ids of `ids` (text ids of `kind`), deleted objects included: a reference to a
/// deleted job still has its number. Ids with no row are absent from the map. Not scoped by
/// tenant: pass ids read from the tenant's own rows, never ids a client sent.
pub async fn harvest_ids(db: &impl Database, kind: Kind, ids: &[impl AsRef<str>]) -> ApiResult<HashMap<String, i64>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let list: Vec<&str> = ids.iter().map(AsRef::as_ref).collect();
    let rows: Vec<(String, Option<i64>)> = db.raw(&numbers_sql(kind), &[json!(list).to_string().into()]).await?;
    Ok(rows.into_iter().filter_map(|(id, n)| n.map(|n| (id, n))).collect())
}

/// The statement of [`harvest_ids`]: primary-key probes, one per id.
pub fn numbers_sql(kind: Kind) -> String {
    format!("SELECT id, harvest_id FROM {} WHERE id IN (SELECT value FROM json_each(?1))", kind.table())
}

/// A statement that reads the integer id of row `id` of `kind`, for the batch that inserts it
/// (after the insert); [`number_read`] takes the number from what it wrote.
pub fn number_of(kind: Kind, id: &str) -> Statement {
    Statement::new(format!("SELECT harvest_id FROM {} WHERE id = ?", kind.table()), [Arg::Text(id.to_string())])
}

/// The number a [`number_of`] statement read; an error if the row or its number is missing
/// (the batch has just inserted it, so that would be a broken schema).
pub fn number_read(written: Option<Written>) -> DbResult<i64> {
    #[derive(serde::Deserialize)]
    struct Number {
        harvest_id: Option<i64>,
    }
    let rows: Vec<Number> = written.map(Written::into_rows).transpose()?.unwrap_or_default();
    rows.into_iter().next().and_then(|r| r.harvest_id).ok_or_else(|| DbError("a new row has no harvest_id".into()))
}
