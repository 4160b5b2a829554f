//! `/v1/invoices` (SPEC §6 "invoices"): create from explicit lines or by importing a customer's
//! billable time and expenses, edit and delete drafts, and move invoices through
//! `send`/`pay`/`close`/`reopen`. The rules are the domain's ([`crate::domain::invoices`]); the
//! guards that make them hold under concurrent requests are in the statements of
//! [`crate::storage::invoices`]. The routes are declared in [`super::invoice_routes`].

use chrono_tz::Tz;

use crate::domain::invoice_request::{self as request, Billing};
use crate::domain::invoices::{self as rules, Action, Line};
use crate::domain::listing::Arg;
use crate::domain::{events::Event, ids, overtime};
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::i18n::{FieldCode, Msg, Noun};
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
use crate::storage::counted::Counted;
use crate::storage::invoices::{self as store, NewInvoice, Numbering};
use crate::storage::{db, reports, resource};

/// How many times an import re-reads what is left to bill after a concurrent import took part
/// of it, before answering `409` (retry later).
const IMPORT_ATTEMPTS: usize = 5;

fn not_found() -> ApiError {
    ApiError::not_found(Msg::NotFound(Noun::Invoice))
}

fn not_draft() -> ApiError {
    ApiError::conflict(Msg::InvoiceNotDraft)
}

/// The customer's currency; 422 on `customer_id` when it is not a live customer of the tenant.
pub async fn currency_of(call: &Call<'_>, customer: &str) -> ApiResult<String> {
    let sql = "SELECT currency FROM customers WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL";
    db::first_text(&call.db()?, sql, &[call.tenant_id()?.into(), customer.into()])
        .await?
        .ok_or_else(|| ApiError::invalid_field("customer_id", FieldCode::NotFound))
}

async fn check_lines(call: &Call<'_>, lines: &[Line]) -> ApiResult<()> {
    let mut refs = request::line_refs(lines);
    refs.sort();
    refs.dedup();
    resource::check_refs(&call.db()?, call.tenant_id()?, &refs).await
}

pub async fn create(call: &Call<'_>) -> ApiResult<Reply> {
    let (id, json) = create_from(call, &call.body).await?;
    Ok(Reply::created(&id, json))
}

/// Creates an invoice from a `POST /v1/invoices` body (shared with `/v2`): its id and JSON.
pub async fn create_from(call: &Call<'_>, body: &serde_json::Value) -> ApiResult<(String, String)> {
    let new = request::parse_create(body)?;
    let (db, tenant) = (call.db()?, call.tenant_id()?);
    let customer = new.cols.text("customer_id").unwrap_or_default().to_string();
    let currency = currency_of(call, &customer).await?;
    let context = reports::context(&db, tenant).await?;
    let mut cols = new.cols.values.clone();
    let numbering = match new.cols.text("number") {
        Some(n) => Numbering::Given(n.to_string()),
        None => Numbering::Next,
    };
    cols.retain(|(c, _)| *c != "number");
    if !new.cols.is_set("issue_date") {
        let zone: Tz = context.timezone.parse().unwrap_or(Tz::UTC);
        cols.push(("issue_date", Arg::Text(overtime::local_date(call.now_ms, zone).to_string())));
    }
    cols.push(("currency", Arg::Text(currency.clone())));
    let id = ids::new_id("inv", call.now_ms as u64);
    let write = |lines: Vec<Line>, period: Option<(String, String)>| {
        let (id, cols, numbering) = (id.clone(), cols.clone(), numbering.clone());
        let db = &db;
        async move {
            let new = NewInvoice { id: &id, tenant, now_ms: call.now_ms, cols, numbering, lines: &lines, period };
            store::create(db, new).await
        }
    };
    let json = match new.billing {
        Billing::Lines(lines) => {
            check_lines(call, &lines).await?;
            write(lines, None).await?.ok_or_else(ApiError::internal)?
        }
        Billing::Import { from, to, time, expenses, jobs } => {
            if let Some(jobs) = &jobs {
                if !store::all_jobs_of(&db, tenant, &customer, jobs).await? {
                    return Err(ApiError::invalid_field("job_ids", FieldCode::NotFound));
                }
            }
            let counted = time.then(|| Counted::over(tenant, &context, from, to));
            let (from_day, to_day) = (from.to_string(), to.to_string());
            let between = expenses.then_some((from_day.as_str(), to_day.as_str()));
            let mut made = None;
            for _ in 0..IMPORT_ATTEMPTS {
                let (entries, expenses) =
                    store::billable(&db, tenant, counted.as_ref(), &customer, &currency, between, jobs.as_deref())
                        .await?;
                let lines = rules::import_lines(&entries, &expenses);
                if lines.is_empty() {
                    return Err(ApiError::new(ErrorCode::ValidationFailed, Msg::NothingToInvoice));
                }
                // `None`: a concurrent import billed some of these first; read what is left.
                made = write(lines, Some((from_day.clone(), to_day.clone()))).await?;
                if made.is_some() {
                    break;
                }
            }
            made.ok_or_else(|| ApiError::conflict(Msg::Default))?
        }
    };
    Ok((id, json))
}

pub async fn get(call: &Call<'_>, id: &str) -> ApiResult<Reply> {
    super::crud::get(call, &store::INVOICES, id).await
}

/// After a guarded write on `id` changed nothing: 404 if it is gone, else 409 `InvoiceNotDraft`.
async fn refused(call: &Call<'_>, id: &str) -> ApiResult<ApiError> {
    Ok(match store::state(&call.db()?, call.tenant_id()?, id).await? {
        None => not_found(),
        Some(_) => not_draft(),
    })
}

/// `PATCH`: a draft's number, subject, notes, dates or lines. New lines replace the old ones as
/// written; entries and expenses an import put on the draft stay on it (locked) until the
/// draft is deleted.
pub async fn update(call: &Call<'_>, id: &str) -> ApiResult<Reply> {
    let (cols, lines) = request::parse_edit(&call.body)?;
    if let Some(lines) = &lines {
        check_lines(call, lines).await?;
    }
    let (db, tenant) = (call.db()?, call.tenant_id()?);
    match store::edit(&db, tenant, id, call.now_ms, cols.values, lines.as_deref()).await? {
        Some(json) => Ok(Reply::changed(id, json)),
        None => Err(refused(call, id).await?),
    }
}

/// `DELETE`: a draft only; its entries and expenses are freed in the same batch.
pub async fn delete(call: &Call<'_>, id: &str) -> ApiResult<Reply> {
    match store::delete_draft(&call.db()?, call.tenant_id()?, id, call.now_ms).await? {
        Some(tombstone) => Ok(Reply::changed(id, tombstone)),
        None => Err(refused(call, id).await?),
    }
}

/// `POST …/{id}/<action>`: the state the domain allows, written only if the invoice is still
/// in the state read; `sent_at`, `paid_at` or `closed_at` stamped, and cleared on reopen.
pub async fn act(call: &Call<'_>, id: &str, action: Action) -> ApiResult<Reply> {
    let (db, tenant) = (call.db()?, call.tenant_id()?);
    let from = store::state(&db, tenant, id).await?.ok_or_else(not_found)?;
    let to = rules::transition(from, action)?;
    let now = Arg::Text(call.now());
    let mut sets = vec![("state", Arg::from(to.as_str()))];
    let mut events: &[Event] = &[];
    match action {
        Action::Send => sets.push(("sent_at", now)),
        Action::Pay => {
            sets.push(("paid_at", now));
            events = &[Event::InvoicePaid];
        }
        Action::Close => sets.push(("closed_at", now)),
        Action::Reopen => sets.extend([("paid_at", Arg::Null), ("closed_at", Arg::Null)]),
    }
    match store::transition(&db, tenant, id, call.now_ms, from, sets, events).await? {
        Some(json) => Ok(Reply::changed(id, json)),
        // Moved meanwhile: the client may re-read and retry.
        None => Err(ApiError::conflict(Msg::Default)),
    }
}
