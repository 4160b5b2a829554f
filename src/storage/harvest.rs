//! `/v2` reads in D1 (SPEC §9): each resource's Harvest object rendered by SQLite from the same
//! rows `/v1` reads (integer ids, names split, references as `{id, name}` or the `(none)`
//! placeholder), and numbered pages that find their start by index: the page's first integer
//! id is read from the `(tenant_id, harvest_id)` index with `OFFSET` (index entries, not rows),
//! then the page itself is a range below it. A page never reads the rows before it.

use crate::domain::harvest::paging::PageRequest;
use crate::domain::listing::Arg;
use crate::error::ApiResult;
use crate::storage::db::{self, Database};

/// A `{id, name}` reference to a row of `table` whose text id is `column`, or the placeholder.
macro_rules! reference {
    ($table:literal, $column:literal) => {
        concat!(
            "coalesce((SELECT json_object('id', r.harvest_id, 'name', r.name) FROM ",
            $table,
            " r WHERE r.id = t.",
            $column,
            "), json_object('id', 0, 'name', '(none)'))"
        )
    };
}

/// The divisor that makes minor units of the currency named by SQL `$currency` a decimal
/// ([`crate::domain::money::sql_minor_per_unit`], as a literal for the `concat!`s here).
macro_rules! per_unit {
    ($($currency:tt)*) => {
        concat!("(CASE WHEN ", $($currency)*, " IN ('CLP', 'ISK', 'JPY', 'KRW', 'VND') THEN 1.0 ELSE 100.0 END)")
    };
}

/// The currency a job bills in: its customer's, else its tenant's.
macro_rules! job_currency {
    () => {
        "coalesce((SELECT c.currency FROM customers c WHERE c.id = t.customer_id), \
         (SELECT json_extract(settings, '$.currency') FROM tenants WHERE id = t.tenant_id), 'USD')"
    };
}

/// One `/v2` resource over one table.
pub struct Resource {
    pub table: &'static str,
    /// The list's name in Harvest's body.
    pub name: &'static str,
    /// The Harvest object of row `t`, in SQL.
    pub json: &'static str,
    /// `is_active` as SQL over `t`, for the filter of that name.
    pub active: Option<&'static str>,
}

/// Workers as users. `first_name` is the name up to its last space: `rtrim` by the set of
/// every other character leaves exactly that prefix.
pub static USERS: Resource = Resource {
    table: "workers",
    name: "users",
    json: concat!(
        "json_object('id', t.harvest_id, ",
        "'first_name', CASE WHEN instr(t.name, ' ') > 0 THEN rtrim(rtrim(t.name, replace(t.name, ' ', ''))) ELSE t.name END, ",
        "'last_name', CASE WHEN instr(t.name, ' ') > 0 THEN substr(t.name, length(rtrim(t.name, replace(t.name, ' ', ''))) + 1) ELSE '' END, ",
        "'email', coalesce(t.email, ''), 'telephone', coalesce(t.phone, ''), ",
        "'timezone', (SELECT timezone FROM tenants WHERE id = t.tenant_id), ",
        "'has_access_to_all_future_projects', json('false'), 'is_contractor', json('false'), ",
        "'is_active', json(CASE WHEN t.status = 'active' THEN 'true' ELSE 'false' END), ",
        "'weekly_capacity', CAST(round(coalesce((SELECT json_extract(settings, '$.weekly_overtime_hours') FROM tenants ",
        "WHERE id = t.tenant_id), 40) * 3600) AS INTEGER), ",
        "'default_hourly_rate', CASE WHEN t.pay_rate IS NULL THEN NULL ELSE t.pay_rate / 100.0 END, ",
        "'cost_rate', CASE WHEN t.pay_rate IS NULL THEN NULL ELSE t.pay_rate / 100.0 END, ",
        "'roles', json(CASE WHEN t.position IS NULL THEN '[]' ELSE json_array(t.position) END), ",
        "'access_roles', json('[\"member\"]'), 'avatar_url', '', 'employee_code', t.employee_code, ",
        "'created_at', t.created_at, 'updated_at', t.updated_at)"
    ),
    active: Some("(t.status = 'active')"),
};

pub static CLIENTS: Resource = Resource {
    table: "customers",
    name: "clients",
    json: "json_object('id', t.harvest_id, 'name', t.name, 'is_active', json('true'), 'address', t.address, \
           'statement_key', t.id, 'currency', t.currency, 'created_at', t.created_at, 'updated_at', t.updated_at)",
    active: Some("1"),
};

pub static PROJECTS: Resource = Resource {
    table: "jobs",
    name: "projects",
    json: concat!(
        "json_object('id', t.harvest_id, 'name', t.name, 'code', NULL, ",
        "'is_active', json(CASE WHEN t.status = 'active' THEN 'true' ELSE 'false' END), ",
        "'is_billable', json('true'), 'is_fixed_fee', json('false'), 'bill_by', 'none', 'budget', t.budget_hours, ",
        "'budget_by', CASE WHEN t.budget_hours IS NULL THEN 'none' ELSE 'project' END, ",
        "'budget_is_monthly', json('false'), 'notify_when_over_budget', json('false'), ",
        "'show_budget_to_all', json('false'), 'cost_budget', NULL, ",
        "'hourly_rate', t.hourly_rate / ",
        per_unit!(job_currency!()),
        ", 'fee', NULL, 'notes', '', ",
        "'starts_on', NULL, 'ends_on', NULL, ",
        "'client', ",
        reference!("customers", "customer_id"),
        ", 'created_at', t.created_at, 'updated_at', t.updated_at)"
    ),
    active: Some("(t.status = 'active')"),
};

/// Customer contacts as Harvest contacts (`phone` is the office phone).
pub static CONTACTS: Resource = Resource {
    table: "contacts",
    name: "contacts",
    json: concat!(
        "json_object('id', t.harvest_id, 'title', t.title, 'first_name', t.first_name, ",
        "'last_name', coalesce(t.last_name, ''), 'email', coalesce(t.email, ''), 'phone_office', coalesce(t.phone, ''), ",
        "'phone_mobile', '', 'fax', '', 'client', ",
        reference!("customers", "customer_id"),
        ", 'created_at', t.created_at, 'updated_at', t.updated_at)"
    ),
    active: None,
};

pub static TASKS: Resource = Resource {
    table: "tasks",
    name: "tasks",
    json: "json_object('id', t.harvest_id, 'name', t.name, \
           'billable_by_default', json(CASE WHEN t.billable_by_default THEN 'true' ELSE 'false' END), \
           'default_hourly_rate', CASE WHEN t.default_hourly_rate IS NULL THEN NULL ELSE t.default_hourly_rate / 100.0 END, \
           'is_default', json('false'), 'is_active', json('true'), 'created_at', t.created_at, 'updated_at', t.updated_at)",
    active: Some("1"),
};

/// Time entries: the stored row with its references and zone, which
/// [`crate::domain::harvest::entries::to_wire`] turns into Harvest's entry (local times need
/// the zone's rules, which SQLite does not have).
pub static TIME_ENTRIES: Resource = Resource {
    table: "time_entries",
    name: "time_entries",
    json: concat!(
        "json_object('id', t.harvest_id, 'started_at', t.started_at, 'ended_at', t.ended_at, ",
        "'worked_seconds', t.worked_seconds, 'notes', t.notes, 'source', t.source, 'status', t.status, ",
        "'billable', t.billable, 'metadata', json(t.metadata), 'created_at', t.created_at, 'updated_at', t.updated_at, ",
        "'invoice', (SELECT json_object('id', i.harvest_id, 'number', i.number) FROM invoices i WHERE i.id = t.invoice_id), ",
        "'user', ",
        reference!("workers", "worker_id"),
        ", 'project', ",
        reference!("jobs", "job_id"),
        ", 'task', ",
        reference!("tasks", "task_id"),
        ", 'client', coalesce((SELECT json_object('id', c.harvest_id, 'name', c.name) FROM jobs j ",
        "JOIN customers c ON c.id = j.customer_id WHERE j.id = t.job_id), json_object('id', 0, 'name', '(none)')), ",
        "'zone', coalesce((SELECT s.timezone FROM sites s WHERE s.id = coalesce(t.site_id, ",
        "(SELECT site_id FROM jobs WHERE id = t.job_id))), (SELECT timezone FROM tenants WHERE id = t.tenant_id)))"
    ),
    active: None,
};

/// Expenses: the stored row with its references and invoice, which
/// [`crate::domain::harvest::expenses::to_wire`] turns into Harvest's expense (money as a
/// decimal of its currency, the category as Harvest's).
pub static EXPENSES: Resource = Resource {
    table: "expenses",
    name: "expenses",
    json: concat!(
        "json_object('id', t.harvest_id, 'spent_date', t.spent_date, 'amount', t.amount, 'currency', t.currency, ",
        "'units', t.units, 'notes', t.notes, 'billable', t.billable, 'status', t.status, 'category', t.category, ",
        "'receipt_url', t.receipt_url, 'created_at', t.created_at, 'updated_at', t.updated_at, ",
        "'user', ",
        reference!("workers", "worker_id"),
        ", 'project', coalesce((SELECT json_object('id', j.harvest_id, 'name', j.name, 'code', NULL) FROM jobs j ",
        "WHERE j.id = t.job_id), json_object('id', 0, 'name', '(none)')), ",
        "'client', coalesce((SELECT json_object('id', c.harvest_id, 'name', c.name, 'currency', c.currency) FROM jobs j ",
        "JOIN customers c ON c.id = j.customer_id WHERE j.id = t.job_id), json_object('id', 0, 'name', '(none)')), ",
        "'invoice', (SELECT json_object('id', i.harvest_id, 'number', i.number) FROM invoices i ",
        "WHERE i.id = t.invoice_id))"
    ),
    active: None,
};

/// Invoices: the stored row (amounts in minor units, `/v1`'s lines) with its client and the
/// `{id, name}` of each job its lines name, which [`crate::domain::harvest::invoices::to_wire`]
/// turns into Harvest's invoice (decimals need the currency's exponent, kinds Harvest's names).
pub static INVOICES: Resource = Resource {
    table: "invoices",
    name: "invoices",
    json: concat!(
        "json_object('id', t.harvest_id, 'client_key', t.id, 'number', t.number, 'amount', t.amount, ",
        "'state', t.state, 'currency', t.currency, 'subject', t.subject, 'notes', t.notes, ",
        "'issue_date', t.issue_date, 'due_date', t.due_date, 'period_start', t.period_from, 'period_end', t.period_to, ",
        "'sent_at', t.sent_at, 'paid_at', t.paid_at, 'closed_at', t.closed_at, ",
        "'created_at', t.created_at, 'updated_at', t.updated_at, 'line_items', json(t.line_items), ",
        "'projects', json((SELECT json_group_object(j.id, json_object('id', j.harvest_id, 'name', j.name)) FROM jobs j ",
        "WHERE j.id IN (SELECT json_extract(li.value, '$.job_id') FROM json_each(t.line_items) li))), ",
        "'client', ",
        reference!("customers", "customer_id"),
        ")"
    ),
    active: None,
};

/// Conditions of a `/v2` list beyond the tenant, as SQL over `t` and its arguments.
#[derive(Default)]
pub struct Conditions {
    pub sql: Vec<String>,
    pub args: Vec<Arg>,
}

impl Conditions {
    pub fn add(&mut self, sql: impl Into<String>, args: impl IntoIterator<Item = Arg>) {
        self.sql.push(sql.into());
        self.args.extend(args);
    }
}

/// A page of `r` for `tenant`: its objects (JSON text), how many the list holds, and the
/// highest integer id among them (the ceiling later pages keep).
pub async fn page(
    db: &impl Database,
    r: &Resource,
    tenant: &str,
    cond: &Conditions,
    req: &PageRequest,
) -> ApiResult<(Vec<String>, u64, Option<i64>)> {
    let (filter, args) = page_filter(tenant, cond, req);
    let count_sql = format!("SELECT count(*), max(t.harvest_id) FROM {} t WHERE {filter}", r.table);
    let (total, top): (i64, Option<i64>) = db::first_raw(db, &count_sql, &args).await?.unwrap_or((0, None));
    if total == 0 || req.offset() >= total as u64 {
        return Ok((Vec::new(), total as u64, req.ceiling.or(top)));
    }
    let sql = page_sql(r, &filter, req);
    let mut all = args.clone();
    all.extend(args);
    let rows: Vec<(String,)> = db.raw(&sql, &all).await?;
    Ok((rows.into_iter().map(|(j,)| j).collect(), total as u64, req.ceiling.or(top)))
}

/// The conditions of a page of `tenant`'s live objects (below the request's ceiling), as SQL
/// over `t` and its arguments.
pub fn page_filter(tenant: &str, cond: &Conditions, req: &PageRequest) -> (String, Vec<Arg>) {
    let mut clauses = vec!["t.tenant_id = ?".to_string(), "t.deleted_at IS NULL".to_string()];
    clauses.extend(cond.sql.iter().cloned());
    let mut args: Vec<Arg> = vec![tenant.into()];
    args.extend(cond.args.iter().cloned());
    if let Some(c) = req.ceiling {
        clauses.push("t.harvest_id <= ?".into());
        args.push(Arg::Int(c));
    }
    (clauses.join(" AND "), args)
}

/// A page of `r` under `filter` (bound twice): its first id is found in the index, then the
/// page is a range below it.
pub fn page_sql(r: &Resource, filter: &str, req: &PageRequest) -> String {
    format!(
        "SELECT {json} FROM {table} t WHERE {filter} AND t.harvest_id <= \
         (SELECT t.harvest_id FROM {table} t WHERE {filter} ORDER BY t.harvest_id DESC LIMIT 1 OFFSET {offset}) \
         ORDER BY t.harvest_id DESC LIMIT {limit}",
        json = r.json,
        table = r.table,
        offset = req.offset(),
        limit = req.per_page,
    )
}

/// The object of `r` with integer id `id` in `tenant` (one index lookup), if live.
pub async fn one(db: &impl Database, r: &Resource, tenant: &str, id: i64) -> ApiResult<Option<String>> {
    let (json, table) = (r.json, r.table);
    let sql =
        format!("SELECT {json} FROM {table} t WHERE t.harvest_id = ? AND t.tenant_id = ? AND t.deleted_at IS NULL");
    db::first_text(db, &sql, &[Arg::Int(id), tenant.into()]).await
}

/// Entry `id` (text) as [`TIME_ENTRIES`] reads it.
pub async fn entry_row(db: &impl Database, tenant: &str, id: &str) -> ApiResult<Option<String>> {
    let sql = format!("SELECT {} FROM time_entries t WHERE t.id = ? AND t.tenant_id = ?", TIME_ENTRIES.json);
    db::first_text(db, &sql, &[id.into(), tenant.into()]).await
}

/// What a restart copies from entry `id` (text), by `/v1` field name.
pub async fn v1_refs(
    db: &impl Database,
    tenant: &str,
    id: &str,
) -> ApiResult<Option<serde_json::Map<String, serde_json::Value>>> {
    let sql = "SELECT json_object('worker_id', worker_id, 'job_id', job_id, 'task_id', task_id, 'site_id', site_id, \
               'notes', notes) FROM time_entries WHERE id = ? AND tenant_id = ? AND deleted_at IS NULL";
    let text = db::first_text(db, sql, &[id.into(), tenant.into()]).await?;
    Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
}

/// The zone an entry's local times are in: its job's site's, else the tenant's.
pub async fn entry_zone(db: &impl Database, tenant: &str, job: Option<&str>) -> ApiResult<String> {
    let sql =
        "SELECT coalesce((SELECT s.timezone FROM sites s WHERE s.id = (SELECT site_id FROM jobs WHERE id = ?1)), \
               (SELECT timezone FROM tenants WHERE id = ?2), 'UTC')";
    let job = job.map_or(Arg::Null, Arg::from);
    Ok(db::first_text(db, sql, &[job, tenant.into()]).await?.unwrap_or_else(|| "UTC".into()))
}

/// Where a duration entry of `worker` on the local day `[start, end)` begins: after the day's
/// last entry (a running one counts to `now`), else at the day's start.
pub async fn day_free_from(
    db: &impl Database,
    tenant: &str,
    worker: &str,
    start: &str,
    end: &str,
    now: &str,
) -> ApiResult<String> {
    let sql = "SELECT max(coalesce(ended_at, ?5)) FROM time_entries WHERE tenant_id = ?1 AND worker_id = ?2 \
               AND deleted_at IS NULL AND started_at >= ?3 AND started_at < ?4";
    let last = db::first_text(db, sql, &[tenant.into(), worker.into(), start.into(), end.into(), now.into()]).await?;
    Ok(last.filter(|l| l.as_str() > start).unwrap_or_else(|| start.to_string()))
}

/// The object of `r` with text id `id` in `tenant`, in Harvest's shape.
pub async fn by_text_id(db: &impl Database, r: &Resource, tenant: &str, id: &str) -> ApiResult<Option<String>> {
    let sql = format!("SELECT {} FROM {} t WHERE t.id = ? AND t.tenant_id = ?", r.json, r.table);
    db::first_text(db, &sql, &[id.into(), tenant.into()]).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_literal_divisor_is_the_money_rule() {
        assert_eq!(per_unit!("c"), crate::domain::money::sql_minor_per_unit("c"));
    }
}
