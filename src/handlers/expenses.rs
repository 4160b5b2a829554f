//! `/v1/expenses` (SPEC §6 "expenses"): create, edit, delete, approve, reject and un-approve,
//! with the locks (approved: until un-approved; invoiced: for good) checked in each write's own
//! statement and the events (`expense.created`, `expense.approved`, SPEC §7) in its batch. The
//! `/v2` mapping ([`super::harvest::expenses`]) writes through [`create_with`] and
//! [`update_with`], so both sides follow the same rules.

use serde_json::Value;

use super::time_entries::check_worker;
use crate::domain::events::Event;
use crate::domain::expenses::{self as rules, ExpenseStatus, FIELDS};
use crate::domain::listing::Arg;
use crate::domain::model::Columns;
use crate::domain::webhooks::url;
use crate::domain::{ids, reader, time_entries};
use crate::error::{ApiError, ApiResult};
use crate::i18n::{Msg, Noun};
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
use crate::storage::expenses::{self as store, Current, EXPENSES};
use crate::storage::resource::{self, Guard, Guarded};

fn not_found() -> ApiError {
    ApiError::not_found(Msg::NotFound(Noun::Expense))
}

async fn load(call: &Call<'_>, id: &str) -> ApiResult<Current> {
    store::current(&call.db()?, call.tenant_id()?, id).await?.ok_or_else(not_found)
}

/// Why a guarded write of expense `id` did not happen, read after the fact: it is gone (404),
/// locked (409 naming the lock), or changed meanwhile (409: re-read and retry).
async fn refused(call: &Call<'_>, id: &str, for_edit: bool) -> ApiResult<ApiError> {
    let current = load(call, id).await?;
    Ok(match rules::check_unlocked(current.status, current.invoice_id.is_some(), for_edit) {
        Err(locked) => locked,
        Ok(()) => ApiError::conflict(Msg::Default),
    })
}

/// The body's references exist, a new worker is active, and a receipt is a web address.
async fn check(call: &Call<'_>, cols: &Columns, worker_changes: bool) -> ApiResult<()> {
    resource::check_refs(&call.db()?, call.tenant_id()?, &cols.refs).await?;
    if let (true, Some(worker)) = (worker_changes, cols.text("worker_id")) {
        check_worker(call, worker).await?;
    }
    if let Some(receipt) = cols.text("receipt_url") {
        // Never fetched by the API, so any host will do; `http(s)://` and a host it must have.
        url::check(receipt, true).map_err(|code| ApiError::invalid_field("receipt_url", code))?;
    }
    Ok(())
}

/// The currency a new expense of `job` takes: its customer's, else the tenant's.
pub async fn currency_for(call: &Call<'_>, job: Option<&str>) -> ApiResult<String> {
    store::default_currency(&call.db()?, call.tenant_id()?, job).await
}

/// Creates an expense from a `/v1` body; returns its id and JSON.
pub async fn create_with(call: &Call<'_>, body: &Value) -> ApiResult<(String, String)> {
    let mut cols = reader::parse(body, FIELDS, &[], true)?;
    check(call, &cols, true).await?;
    if cols.get("currency").is_none() {
        cols.set("currency", Arg::Text(currency_for(call, cols.text("job_id")).await?));
    }
    let (db, tenant) = (call.db()?, call.tenant_id()?);
    cols.set("status", ExpenseStatus::Pending.into());
    let id = ids::new_id("xpn", call.now_ms as u64);
    let json = resource::create(&db, &EXPENSES, tenant, &id, call.now_ms, cols.values).await?;
    Ok((id, json))
}

pub async fn create(call: &Call<'_>) -> ApiResult<Reply> {
    let (id, json) = create_with(call, &call.body).await?;
    Ok(Reply::created(&id, json))
}

pub async fn update(call: &Call<'_>, id: &str) -> ApiResult<Reply> {
    Ok(Reply::changed(id, update_with(call, id, &call.body).await?))
}

/// Applies a `/v1` PATCH body to expense `id`; returns its JSON.
pub async fn update_with(call: &Call<'_>, id: &str, body: &Value) -> ApiResult<String> {
    let cols = reader::parse(body, FIELDS, &[], false)?;
    let current = load(call, id).await?;
    rules::check_unlocked(current.status, current.invoice_id.is_some(), true)?;
    let worker_changes = cols.text("worker_id").is_some_and(|w| w != current.worker_id);
    check(call, &cols, worker_changes).await?;
    let (db, tenant) = (call.db()?, call.tenant_id()?);
    let guarded = Guarded { guard: Some(store::editable()), events: &[] };
    match resource::update_if(&db, &EXPENSES, tenant, id, call.now_ms, cols.values, guarded).await? {
        Some(json) => Ok(json),
        None => Err(refused(call, id, true).await?),
    }
}

pub async fn delete(call: &Call<'_>, id: &str) -> ApiResult<Reply> {
    let current = load(call, id).await?;
    rules::check_unlocked(current.status, current.invoice_id.is_some(), true)?;
    let (db, tenant) = (call.db()?, call.tenant_id()?);
    match resource::delete_if(&db, &EXPENSES, tenant, id, call.now_ms, Some(store::editable())).await? {
        Some(tombstone) => Ok(Reply::changed(id, tombstone)),
        None => Err(refused(call, id, true).await?),
    }
}

/// Moves expense `id` to `to` with `sets`, if it is still in the status it was read in and not
/// invoiced (both in the statement), recording `events`.
async fn transition(
    call: &Call<'_>,
    id: &str,
    to: ExpenseStatus,
    sets: Vec<(&'static str, Arg)>,
    events: &[Event],
) -> ApiResult<Reply> {
    let current = load(call, id).await?;
    // Approving needs no unlock (an invoiced expense is approved, which the transition refuses).
    if to != ExpenseStatus::Approved {
        rules::check_unlocked(current.status, current.invoice_id.is_some(), false)?;
    }
    rules::check_status_change(current.status, to)?;
    let mut all = vec![("status", to.into())];
    all.extend(sets);
    let guard: Guard = store::still(current.status);
    let (db, tenant) = (call.db()?, call.tenant_id()?);
    match resource::update_if(&db, &EXPENSES, tenant, id, call.now_ms, all, Guarded { guard: Some(guard), events })
        .await?
    {
        Some(json) => Ok(Reply::changed(id, json)),
        None => Err(refused(call, id, false).await?),
    }
}

pub async fn approve(call: &Call<'_>, id: &str) -> ApiResult<Reply> {
    let by = call.key()?.key_id.clone();
    let sets =
        vec![("approved_at", Arg::Text(call.now())), ("approved_by", Arg::Text(by)), ("rejection_note", Arg::Null)];
    transition(call, id, ExpenseStatus::Approved, sets, &[Event::ExpenseApproved]).await
}

pub async fn reject(call: &Call<'_>, id: &str) -> ApiResult<Reply> {
    let note = time_entries::rejection_note(&call.body)?;
    transition(call, id, ExpenseStatus::Rejected, vec![("rejection_note", Arg::Text(note))], &[]).await
}

pub async fn unapprove(call: &Call<'_>, id: &str) -> ApiResult<Reply> {
    let sets = vec![("approved_at", Arg::Null), ("approved_by", Arg::Null)];
    transition(call, id, ExpenseStatus::Pending, sets, &[]).await
}
