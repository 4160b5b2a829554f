//! Expenses (SPEC §6 "expenses"): the table and its list, the locks as guards in the write's
//! own statement (an approved or invoiced expense is never changed, whatever happened between
//! a handler's read and its write), what a handler needs to know of a stored expense, and the
//! currency a new one defaults to.

use serde::Deserialize;

use crate::domain::events::Event;
use crate::domain::expenses::{ExpenseCategory, ExpenseStatus};
use crate::domain::listing::{Arg, Filter, FilterKind, ListSpec};
use crate::domain::tenants::Settings;
use crate::error::ApiResult;
use crate::i18n::Noun;
use crate::storage::db::{self, Database};
use crate::storage::resource::{Guard, Table};

pub static EXPENSES: Table = Table {
    list: ListSpec {
        table: "expenses",
        scope: "tenant_id",
        json: "json_object('id', id, 'harvest_id', harvest_id, 'worker_id', worker_id, 'job_id', job_id, \
               'spent_date', spent_date, 'category', category, 'amount', amount, 'currency', currency, \
               'units', units, 'notes', notes, 'billable', json(CASE WHEN billable THEN 'true' ELSE 'false' END), \
               'receipt_url', receipt_url, 'status', status, 'approved_at', approved_at, 'approved_by', approved_by, \
               'rejection_note', rejection_note, 'invoice_id', invoice_id, \
               'created_at', created_at, 'updated_at', updated_at)",
        filters: &[
            Filter { param: "from", column: "spent_date", kind: FilterKind::OnOrAfter },
            Filter { param: "to", column: "spent_date", kind: FilterKind::OnOrBefore },
            Filter { param: "worker_id", column: "worker_id", kind: FilterKind::Ids("wkr") },
            Filter { param: "job_id", column: "job_id", kind: FilterKind::Ids("job") },
            Filter { param: "category", column: "category", kind: FilterKind::OneOf(ExpenseCategory::NAMES) },
            Filter { param: "status", column: "status", kind: FilterKind::OneOf(ExpenseStatus::NAMES) },
            Filter { param: "billable", column: "billable", kind: FilterKind::Flag },
            Filter { param: "is_invoiced", column: "(invoice_id IS NOT NULL)", kind: FilterKind::Flag },
        ],
        // `from`/`to` are days here (the filters above), not instants.
        date_column: None,
    },
    noun: Noun::Expense,
    unique_field: "id",
    created_event: Some(Event::ExpenseCreated),
    updated_event: None,
    referenced_by: &[],
};

/// An invoiced expense is never written again (SPEC §6 "invoices"); the SQL half of
/// [`crate::domain::expenses::check_unlocked`].
const NOT_INVOICED: &str = "invoice_id IS NULL";

/// PATCH and DELETE: neither approved nor invoiced, checked in the write's statement.
pub fn editable() -> Guard {
    Guard { sql: format!("status != '{}' AND {NOT_INVOICED}", ExpenseStatus::Approved.as_str()), args: vec![] }
}

/// A status change: the expense is still in the status it was read in, and not invoiced.
pub fn still(status: ExpenseStatus) -> Guard {
    Guard { sql: format!("status = '{}' AND {NOT_INVOICED}", status.as_str()), args: vec![] }
}

/// What handlers need to know of a stored expense.
#[derive(Debug, Deserialize)]
pub struct Current {
    pub worker_id: String,
    pub currency: String,
    pub status: ExpenseStatus,
    pub invoice_id: Option<String>,
}

/// The live expense `id`, if any.
pub async fn current(db: &impl Database, tenant: &str, id: &str) -> ApiResult<Option<Current>> {
    let sql =
        "SELECT worker_id, currency, status, invoice_id FROM expenses WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL";
    Ok(db.first(sql, &[tenant.into(), id.into()]).await?)
}

/// The currency of a new expense: that of the customer of `job` (when it has one), else the
/// tenant's (`settings.currency`, with the settings' own default). One read for both.
pub async fn default_currency(db: &impl Database, tenant: &str, job: Option<&str>) -> ApiResult<String> {
    let sql = "SELECT (SELECT c.currency FROM jobs j JOIN customers c ON c.tenant_id = j.tenant_id \
                 AND c.id = j.customer_id WHERE j.tenant_id = ?1 AND j.id = ?2 AND c.deleted_at IS NULL), \
               (SELECT settings FROM tenants WHERE id = ?1)";
    let job = job.map_or(Arg::Null, Arg::from);
    let row: Option<(Option<String>, Option<String>)> = db::first_raw(db, sql, &[tenant.into(), job]).await?;
    let (customer, settings) = row.unwrap_or_default();
    Ok(customer.unwrap_or_else(|| {
        let settings: Settings = settings.and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default();
        settings.currency
    }))
}
