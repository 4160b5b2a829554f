//! Invoices (SPEC §6 "invoices"): the table, what an import may bill, and the guarded batches
//! that create, edit, delete and move invoices. Every rule that must hold under concurrent
//! requests is in the statements themselves (STYLE point 2): an import's invoice is inserted only
//! if every entry and expense it bills is still approved, billable, live and uninvoiced, and
//! those rows get its `invoice_id` only if it was; numbers come from a per-tenant sequence bumped
//! in the same batch; only a draft is edited or deleted, and deleting one frees what it billed.

use serde_json::json;

use crate::domain::events::Event;
use crate::domain::invoices::{self, BillableEntry, BillableExpense, InvoiceState, Line};
use crate::domain::listing::{Arg, Filter, FilterKind, ListSpec};
use crate::domain::time_entries::EntryStatus;
use crate::error::ApiResult;
use crate::i18n::Noun;
use crate::storage::counted::Counted;
use crate::storage::db::{self, Database, Statement};
use crate::storage::resource::{self, event_stmt, Table};

pub static INVOICES: Table = Table {
    list: ListSpec {
        table: "invoices",
        scope: "tenant_id",
        json: "json_object('id', id, 'harvest_id', harvest_id, 'customer_id', customer_id, 'number', number, \
               'subject', subject, 'notes', notes, 'issue_date', issue_date, 'due_date', due_date, 'currency', currency, \
               'state', state, 'line_items', json(line_items), 'amount', amount, \
               'due_amount', CASE WHEN state = 'paid' THEN 0 ELSE amount END, \
               'period_from', period_from, 'period_to', period_to, 'sent_at', sent_at, 'paid_at', paid_at, \
               'closed_at', closed_at, 'created_at', created_at, 'updated_at', updated_at)",
        filters: &[
            Filter { param: "customer_id", column: "customer_id", kind: FilterKind::Ids("cus") },
            Filter { param: "state", column: "state", kind: FilterKind::OneOf(InvoiceState::NAMES) },
        ],
        // Dates compare as the first instant of their day, so `from`/`to` (dates or instants)
        // bound `issue_date` inclusively.
        date_column: Some("(issue_date || 'T00:00:00Z')"),
    },
    noun: Noun::Invoice,
    unique_field: "number",
    created_event: Some(Event::InvoiceCreated),
    updated_event: None,
    referenced_by: &[],
};

/// A condition on the rows of `table` whose ids are the JSON array bound next: all of them
/// (the count bound after it) are live, approved, billable and on no invoice.
fn all_billable(table: &str) -> String {
    format!(
        "(SELECT count(*) FROM {table} WHERE tenant_id = ? AND id IN (SELECT value FROM json_each(?)) \
         AND deleted_at IS NULL AND status = '{}' AND billable = 1 AND invoice_id IS NULL) = ?",
        EntryStatus::Approved.as_str()
    )
}

/// The customer's approved, billable, uninvoiced entries whose local day is in the counted
/// range (of the jobs in the JSON array `jobs`, when given), with the rate each bills at,
/// grouped by job and rate.
pub fn billable_entries_sql(counted: &Counted, customer: &str, jobs: Option<&str>) -> (String, Vec<Arg>) {
    let mut c = counted.clone();
    if let Some(jobs) = jobs {
        // First, so that the scan is a range of those jobs' entries (`time_entries_job_started`).
        c.conditions.push(("te.job_id IN (SELECT value FROM json_each(?))".into(), vec![jobs.into()]));
    }
    c.conditions.push((format!("te.status = '{}'", EntryStatus::Approved.as_str()), vec![]));
    c.conditions.push(("te.billable = 1 AND te.invoice_id IS NULL".into(), vec![]));
    c.conditions.push(("j.customer_id = ?".into(), vec![customer.into()]));
    let (from_where, args) = c.from_where("LEFT JOIN tasks k ON k.id = te.task_id");
    let sql = format!(
        "SELECT json_group_array(json(r)) FROM (SELECT json_object('id', te.id, 'job_id', te.job_id, 'job_name', j.name, \
         'rate', COALESCE(k.default_hourly_rate, j.hourly_rate, 0), 'seconds', te.worked_seconds) AS r, \
         te.job_id AS job, te.started_at AS started, te.id AS id \
         {from_where} ORDER BY job, started, id)"
    );
    (sql, args)
}

/// The customer's approved, billable, uninvoiced expenses in `currency` spent in `[from, to]`
/// (of the jobs in the JSON array `?6`, unless it is null).
pub const BILLABLE_EXPENSES: &str = "SELECT json_group_array(json(r)) FROM (SELECT json_object('id', x.id, \
     'job_id', x.job_id, 'category', x.category, 'notes', x.notes, 'spent_date', x.spent_date, 'amount', x.amount) AS r \
     FROM expenses x INDEXED BY expenses_spent JOIN jobs j ON j.id = x.job_id \
     WHERE x.tenant_id = ?1 AND x.spent_date >= ?2 AND x.spent_date <= ?3 AND x.deleted_at IS NULL \
     AND x.status = 'approved' AND x.billable = 1 AND x.invoice_id IS NULL AND x.currency = ?4 \
     AND j.customer_id = ?5 AND (?6 IS NULL OR x.job_id IN (SELECT value FROM json_each(?6))) \
     ORDER BY x.job_id, x.spent_date, x.id)";

/// How many of the jobs in the JSON array `?3` are live jobs of customer `?2` (an import's
/// `job_ids` must all be).
pub const CUSTOMER_JOBS: &str = "SELECT count(*) FROM jobs WHERE id IN (SELECT value FROM json_each(?3)) \
     AND tenant_id = ?1 AND customer_id = ?2 AND deleted_at IS NULL";

/// Whether every job of `jobs` (a list) is a live job of `customer`.
pub async fn all_jobs_of(db: &impl Database, tenant: &str, customer: &str, jobs: &[String]) -> ApiResult<bool> {
    let args = [tenant.into(), customer.into(), json!(jobs).to_string().into()];
    let count: Option<(i64,)> = db::first_raw(db, CUSTOMER_JOBS, &args).await?;
    Ok(count.is_some_and(|(n,)| n == jobs.len() as i64))
}

async fn json_rows<T: serde::de::DeserializeOwned>(db: &impl Database, sql: &str, args: &[Arg]) -> ApiResult<Vec<T>> {
    let text = db::first_text(db, sql, args).await?.unwrap_or_else(|| "[]".into());
    Ok(serde_json::from_str(&text)?)
}

/// What an import may bill now.
pub async fn billable(
    db: &impl Database,
    tenant: &str,
    counted: Option<&Counted>,
    customer: &str,
    currency: &str,
    expenses_between: Option<(&str, &str)>,
    jobs: Option<&[String]>,
) -> ApiResult<(Vec<BillableEntry>, Vec<BillableExpense>)> {
    let jobs = jobs.map(|j| json!(j).to_string());
    let entries = match counted {
        Some(c) => {
            let (sql, args) = billable_entries_sql(c, customer, jobs.as_deref());
            json_rows(db, &sql, &args).await?
        }
        None => Vec::new(),
    };
    let expenses = match expenses_between {
        Some((from, to)) => {
            let jobs = jobs.map_or(Arg::Null, Arg::Text);
            let args = [tenant.into(), from.into(), to.into(), currency.into(), customer.into(), jobs];
            json_rows(db, BILLABLE_EXPENSES, &args).await?
        }
        None => Vec::new(),
    };
    Ok((entries, expenses))
}

/// How a new invoice is numbered.
#[derive(Debug, Clone, PartialEq)]
pub enum Numbering {
    /// The next of the tenant's sequence.
    Next,
    /// As given; a number of the sequence's form moves the sequence to at least its value.
    Given(String),
}

/// The statement that moves the tenant's sequence (when it must move), guarded by `guard`
/// (SQL, then its arguments), so that a create that does not happen consumes no number.
fn bump(tenant: &str, numbering: &Numbering, guard: &str, guard_args: Vec<Arg>) -> Option<Statement> {
    let (value, update) = match numbering {
        Numbering::Next => (1, "last + 1"),
        Numbering::Given(n) => (invoices::sequence_of(n)?, "max(last, excluded.last)"),
    };
    let sql = format!(
        "INSERT INTO invoice_sequences (tenant_id, last) SELECT ?, ? WHERE {guard} \
         ON CONFLICT (tenant_id) DO UPDATE SET last = {update}"
    );
    let mut args = vec![tenant.into(), Arg::Int(value)];
    args.extend(guard_args);
    Some(Statement::new(sql, args))
}

/// A new invoice, ready to write.
pub struct NewInvoice<'a> {
    pub id: &'a str,
    pub tenant: &'a str,
    pub now_ms: i64,
    /// `customer_id`, `currency` and the descriptive columns.
    pub cols: Vec<(&'static str, Arg)>,
    pub numbering: Numbering,
    pub lines: &'a [Line],
    pub period: Option<(String, String)>,
}

/// Writes `new` in one batch: the sequence bump and the invoice, both only if every entry and
/// expense its lines bill is still billable; those rows' `invoice_id`; `invoice.created`; the
/// invoice read back. `None` when the guard failed (another import took some of them).
pub async fn create(db: &impl Database, new: NewInvoice<'_>) -> ApiResult<Option<String>> {
    let entry_ids: Vec<&String> = new.lines.iter().flat_map(|l| &l.time_entry_ids).collect();
    let expense_ids: Vec<&String> = new.lines.iter().flat_map(|l| &l.expense_ids).collect();
    let (entries_json, expenses_json) = (json!(entry_ids).to_string(), json!(expense_ids).to_string());
    let guard = format!("{} AND {}", all_billable("time_entries"), all_billable("expenses"));
    let guard_args = || -> Vec<Arg> {
        vec![
            new.tenant.into(),
            entries_json.clone().into(),
            Arg::Int(entry_ids.len() as i64),
            new.tenant.into(),
            expenses_json.clone().into(),
            Arg::Int(expense_ids.len() as i64),
        ]
    };
    let now = crate::domain::time::fmt_ms(new.now_ms);
    let mut stmts: Vec<Statement> = bump(new.tenant, &new.numbering, &guard, guard_args()).into_iter().collect();
    let (number_sql, number_arg) = match &new.numbering {
        Numbering::Given(n) => ("?".to_string(), Arg::Text(n.clone())),
        Numbering::Next => (
            "(SELECT 'INV-' || printf('%06d', last) FROM invoice_sequences WHERE tenant_id = ?)".into(),
            new.tenant.into(),
        ),
    };
    let lines = serde_json::to_string(new.lines)?;
    let (from, to) = new.period.clone().map_or((Arg::Null, Arg::Null), |(f, t)| (f.into(), t.into()));
    let mut names = vec!["id", "tenant_id", "created_at", "updated_at", "state", "line_items", "amount"];
    names.extend(["period_from", "period_to", "number"]);
    let mut args: Vec<Arg> = vec![new.id.into(), new.tenant.into(), now.clone().into(), now.clone().into()];
    args.extend([InvoiceState::Draft.as_str().into(), lines.into(), Arg::Int(invoices::total(new.lines))]);
    args.extend([from, to, number_arg]);
    let mut values = vec!["?"; names.len() - 1].join(", ") + ", " + &number_sql;
    for (c, a) in new.cols {
        names.push(c);
        values.push_str(", ?");
        args.push(a);
    }
    // With a bump, the insert follows it (`changes()`: it happened, so the guard held);
    // without one, the insert carries the guard itself.
    let condition = if stmts.is_empty() {
        args.extend(guard_args());
        guard.clone()
    } else {
        "changes() = 1".into()
    };
    let insert = format!("INSERT INTO invoices ({}) SELECT {values} WHERE {condition}", names.join(", "));
    stmts.push(Statement::new(insert, args));
    stmts.push(event_stmt(&INVOICES, Event::InvoiceCreated, new.tenant, new.id, new.now_ms));
    for (table, ids) in [("time_entries", &entries_json), ("expenses", &expenses_json)] {
        let sql = format!(
            "UPDATE {table} SET invoice_id = ?1, updated_at = ?2 WHERE tenant_id = ?3 \
             AND id IN (SELECT value FROM json_each(?4)) \
             AND EXISTS (SELECT 1 FROM invoices WHERE tenant_id = ?3 AND id = ?1 AND deleted_at IS NULL)"
        );
        stmts.push(Statement::new(sql, [new.id.into(), now.clone().into(), new.tenant.into(), ids.clone().into()]));
    }
    stmts.push(Statement::new(resource::read_back_sql(&INVOICES), [new.tenant.into(), new.id.into()]));
    let answer = stmts.len() - 1;
    read_answer(db, stmts, answer).await
}

async fn read_answer(db: &impl Database, stmts: Vec<Statement>, answer: usize) -> ApiResult<Option<String>> {
    let Some(written) = db::write(db, stmts, INVOICES.unique_field).await?.into_iter().nth(answer) else {
        return Ok(None);
    };
    let rows: Vec<(Option<String>,)> =
        written.rows.into_iter().map(|r| (r.get("j").and_then(|j| j.as_str()).map(str::to_string),)).collect();
    Ok(rows.into_iter().next().and_then(|(j,)| j))
}

/// The state of the live invoice `id`, if any.
pub async fn state(db: &impl Database, tenant: &str, id: &str) -> ApiResult<Option<InvoiceState>> {
    let sql = "SELECT state FROM invoices WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL";
    let text = db::first_text(db, sql, &[tenant.into(), id.into()]).await?;
    Ok(text.as_deref().and_then(InvoiceState::parse))
}

/// The guard of every change to a draft: it is still one.
fn draft_guard() -> resource::Guard {
    resource::Guard { sql: "state = ?".into(), args: vec![InvoiceState::Draft.as_str().into()] }
}

/// Edits draft `id`: `sets` (with new lines' `line_items` and `amount` when given), moving the
/// sequence past an explicit number of its form. `None` if there is no such draft.
pub async fn edit(
    db: &impl Database,
    tenant: &str,
    id: &str,
    now_ms: i64,
    mut sets: Vec<(&'static str, Arg)>,
    lines: Option<&[Line]>,
) -> ApiResult<Option<String>> {
    if let Some(lines) = lines {
        sets.push(("line_items", Arg::Text(serde_json::to_string(lines)?)));
        sets.push(("amount", Arg::Int(invoices::total(lines))));
    }
    let given = sets.iter().find(|(c, _)| *c == "number").and_then(|(_, a)| match a {
        Arg::Text(n) => Some(Numbering::Given(n.clone())),
        _ => None,
    });
    if let Some(bump) = given.and_then(|n| {
        let exists =
            "EXISTS (SELECT 1 FROM invoices WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL AND state = ?)";
        bump(tenant, &n, exists, vec![tenant.into(), id.into(), InvoiceState::Draft.as_str().into()])
    }) {
        // Its own batch first: a failed edit at most moves the sequence past a number no one has.
        db::write(db, vec![bump], INVOICES.unique_field).await?;
    }
    let guarded = resource::Guarded { guard: Some(draft_guard()), events: &[] };
    resource::update_if(db, &INVOICES, tenant, id, now_ms, sets, guarded).await
}

/// Moves invoice `id` from `from` to `to` with `sets`, recording `events`; `None` if it is no
/// longer in `from`.
pub async fn transition(
    db: &impl Database,
    tenant: &str,
    id: &str,
    now_ms: i64,
    from: InvoiceState,
    sets: Vec<(&'static str, Arg)>,
    events: &[Event],
) -> ApiResult<Option<String>> {
    let guard = resource::Guard { sql: "state = ?".into(), args: vec![from.as_str().into()] };
    resource::update_if(db, &INVOICES, tenant, id, now_ms, sets, resource::Guarded { guard: Some(guard), events }).await
}

/// Deletes draft `id` (a tombstone) and frees its entries and expenses in the same batch.
/// `None` if there is no such draft.
pub async fn delete_draft(db: &impl Database, tenant: &str, id: &str, now_ms: i64) -> ApiResult<Option<String>> {
    let now = crate::domain::time::fmt_ms(now_ms);
    let delete = Statement::new(
        "UPDATE invoices SET deleted_at = ?1, updated_at = ?1 WHERE tenant_id = ?2 AND id = ?3 \
         AND deleted_at IS NULL AND state = ?4 \
         RETURNING json_object('id', id, 'deleted', json('true'), 'deleted_at', deleted_at) AS j",
        [now.clone().into(), tenant.into(), id.into(), InvoiceState::Draft.as_str().into()],
    );
    let mut stmts = vec![delete];
    for table in ["time_entries", "expenses"] {
        // Only once the invoice is gone (this batch's delete, or an earlier one).
        stmts.push(Statement::new(
            format!(
                "UPDATE {table} SET invoice_id = NULL, updated_at = ?1 WHERE tenant_id = ?2 AND invoice_id = ?3 \
                 AND EXISTS (SELECT 1 FROM invoices WHERE tenant_id = ?2 AND id = ?3 AND deleted_at IS NOT NULL)"
            ),
            [now.clone().into(), tenant.into(), id.into()],
        ));
    }
    read_answer(db, stmts, 0).await
}
