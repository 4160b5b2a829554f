//! `/v1/time-entries` (SPEC §6): create (one or a batch of up to 100), list, detail, edit,
//! delete, stop, approve, reject, unapprove — with the overlap, lock, geofence and
//! verification rules, events in the same batch as each write, and job budget thresholds.

use serde_json::{json, Value};

use crate::domain::events::Event;
use crate::domain::fields::Patch;
use crate::domain::geo;
use crate::domain::listing::Arg;
use crate::domain::time_entries::{self as rules, EntryStatus, Input, Span};
use crate::domain::workers::WorkerStatus;
use crate::domain::{ids, reader, time};
use crate::error::{ApiError, ApiResult};
use crate::i18n::{FieldCode, Msg, Noun};
use crate::pipeline::call::Call;
use crate::pipeline::envelope::{self, Reply};
use crate::storage::resource::{self, Guarded};
use crate::storage::time_entries::{self as store, Current, TIME_ENTRIES};

fn not_found() -> ApiError {
    ApiError::not_found(Msg::NotFound(Noun::TimeEntry))
}

fn locked() -> ApiError {
    ApiError::conflict(Msg::EntryLocked)
}

fn invoiced() -> ApiError {
    ApiError::conflict(Msg::Invoiced)
}

/// Why a stored entry cannot be edited or deleted, if it cannot: on an invoice (SPEC §6), or
/// approved.
fn lock_of(current: &Current) -> Option<ApiError> {
    if current.invoice_id.is_some() {
        Some(invoiced())
    } else if current.status == EntryStatus::Approved {
        Some(locked())
    } else {
        None
    }
}

/// The stored columns of a span, with its worked time.
pub fn span_columns(span: &Span) -> Vec<(&'static str, Arg)> {
    vec![
        ("started_at", Arg::Text(span.started_at.clone())),
        ("ended_at", span.ended_at.clone().into()),
        ("breaks", Arg::Text(serde_json::to_string(&span.breaks).unwrap_or_else(|_| "[]".into()))),
        ("worked_seconds", Arg::Int(rules::worked_seconds(span))),
    ]
}

fn text(a: Option<&Arg>) -> Option<String> {
    match a {
        Some(Arg::Text(s)) => Some(s.clone()),
        _ => None,
    }
}

/// 422 unless the worker exists here and is active.
pub async fn check_worker(call: &Call<'_>, worker: &str) -> ApiResult<()> {
    let db = call.db()?;
    match store::worker(&db, call.tenant_id()?, Some(worker), None).await? {
        Some((_, WorkerStatus::Active)) => Ok(()),
        Some(_) => Err(ApiError::invalid_field("worker_id", FieldCode::Inactive)),
        None => Err(ApiError::invalid_field("worker_id", FieldCode::NotFound)),
    }
}

/// Flags from the clock-in location and verification score, as columns and event names.
async fn flags(
    call: &Call<'_>,
    input: &Input,
    job: Option<&str>,
    site: Option<&str>,
) -> ApiResult<(Vec<(&'static str, Arg)>, Vec<Event>)> {
    let mut cols = Vec::new();
    let mut events = Vec::new();
    match input.clock_in {
        Patch::Set((lat, lng)) => {
            cols.push(("clock_in_latitude", Arg::Real(lat)));
            cols.push(("clock_in_longitude", Arg::Real(lng)));
            let fence = store::fence(&call.db()?, call.tenant_id()?, job, site).await?;
            let outside = fence.is_some_and(|f| geo::outside(&f, lat, lng));
            cols.push(("outside_fence", Arg::Int(outside as i64)));
            if outside {
                events.push(Event::TimeEntryFlaggedOutsideFence);
            }
        }
        Patch::Null => {
            cols.extend([
                ("clock_in_latitude", Arg::Null),
                ("clock_in_longitude", Arg::Null),
                ("outside_fence", Arg::Int(0)),
            ]);
        }
        Patch::Absent => {}
    }
    match input.clock_out {
        Patch::Set((lat, lng)) => {
            cols.extend([("clock_out_latitude", Arg::Real(lat)), ("clock_out_longitude", Arg::Real(lng))])
        }
        Patch::Null => cols.extend([("clock_out_latitude", Arg::Null), ("clock_out_longitude", Arg::Null)]),
        Patch::Absent => {}
    }
    match &input.metadata {
        Patch::Set(m) => cols.push(("metadata", Arg::Text(m.clone()))),
        Patch::Null => cols.push(("metadata", Arg::Null)),
        Patch::Absent => {}
    }
    if let Some(Arg::Int(score)) = input.cols.get("verification_score") {
        // A verification score under the tenant's threshold (default 60) is flagged.
        let threshold = crate::storage::tenants::settings_of(&call.db()?, call.tenant_id()?).await?.pinshot_threshold;
        if *score < threshold {
            events.push(Event::TimeEntryFlaggedPinshotLow);
        }
    }
    Ok((cols, events))
}

async fn after_write(call: &Call<'_>, job: Option<&str>) {
    if let (Some(job), Ok(db), Ok(tenant)) = (job, call.db(), call.tenant_id()) {
        if let Err(e) = store::announce_thresholds(&db, tenant, job, call.now_ms).await {
            worker::console_error!("budget thresholds: {:?}", e.code);
        }
    }
}

/// Creates one entry from a body; shared by the single and batch routes. Returns its id and
/// JSON.
pub async fn create_one(call: &Call<'_>, body: &Value, extra_events: &[Event]) -> ApiResult<(String, String)> {
    let input = rules::parse(body, true)?;
    let span = Span {
        started_at: input.started_at.clone().into_option().unwrap_or_default(),
        ended_at: input.ended_at.clone().into_option(),
        breaks: input.breaks.clone().unwrap_or_default(),
    };
    rules::check_span(&span, call.now_ms, true)?;
    let (db, tenant) = (call.db()?, call.tenant_id()?);
    resource::check_refs(&db, tenant, &input.cols.refs).await?;
    let worker = text(input.cols.get("worker_id")).unwrap_or_default();
    check_worker(call, &worker).await?;
    let (job, site) = (text(input.cols.get("job_id")), text(input.cols.get("site_id")));
    let (flag_cols, mut events) = flags(call, &input, job.as_deref(), site.as_deref()).await?;
    events.extend_from_slice(extra_events);
    let id = ids::new_id("te", call.now_ms as u64);
    let mut cols = input.cols.values.clone();
    if let (None, Some(task)) = (input.cols.get("billable"), text(input.cols.get("task_id"))) {
        cols.push(("billable", Arg::Int(store::task_billable(&db, tenant, &task).await? as i64)));
    }
    cols.extend(span_columns(&span));
    cols.extend(flag_cols);
    cols.push(("status", EntryStatus::Pending.into()));
    let guard = store::guard(tenant, &worker, &id, &span, false);
    match resource::create_if(
        &db,
        &TIME_ENTRIES,
        tenant,
        &id,
        call.now_ms,
        cols,
        Guarded { guard: Some(guard), events: &events },
    )
    .await?
    {
        Some(json) => {
            after_write(call, job.as_deref()).await;
            Ok((id, json))
        }
        None => Err(overlap(call, &worker, &id, &span).await?),
    }
}

async fn overlap(call: &Call<'_>, worker: &str, id: &str, span: &Span) -> ApiResult<ApiError> {
    let other = store::clash(&call.db()?, call.tenant_id()?, worker, id, span).await?;
    Ok(ApiError::conflict(Msg::Overlaps(other.unwrap_or_else(|| "another entry".into()))))
}

pub async fn create(call: &Call<'_>) -> ApiResult<Reply> {
    let (id, json) = create_one(call, &call.body, &[]).await?;
    Ok(Reply::created(&id, json))
}

/// `POST /v1/time-entries/batch`: `{entries: [...]}` (≤ 100) → 207 with one result per item.
/// Items are independent and run in order, so overlaps within the batch are caught too.
pub async fn batch(call: &Call<'_>) -> ApiResult<Reply> {
    reader::parse(&call.body, rules::BATCH, &[], true)?;
    let items = call.body["entries"].as_array().map(Vec::as_slice).unwrap_or_default();
    let mut results = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let result = match create_one(call, item, &[]).await {
            // Parsed so the item sits in the 207 as an object (with the keys in the order
            // every 207 has had).
            Ok((_, json)) => json!({"index": index, "status": 201, "data": serde_json::from_str::<Value>(&json)?}),
            Err(e) => {
                let error = envelope::error_object(&e, call.request_id, call.lang);
                json!({"index": index, "status": e.status(), "error": error})
            }
        };
        results.push(result);
    }
    Ok(Reply::value(207, &Value::Array(results)))
}

async fn load(call: &Call<'_>, id: &str) -> ApiResult<Current> {
    store::current(&call.db()?, call.tenant_id()?, id).await?.ok_or_else(not_found)
}

pub async fn update(call: &Call<'_>, id: &str) -> ApiResult<Reply> {
    update_with(call, id, &call.body).await
}

/// [`update`] with `body` in place of the request's (the `/v2` mapping builds one).
pub async fn update_with(call: &Call<'_>, id: &str, body: &Value) -> ApiResult<Reply> {
    let input = rules::parse(body, false)?;
    let current = load(call, id).await?;
    if let Some(lock) = lock_of(&current) {
        return Err(lock);
    }
    let mut span = current.span();
    if let Patch::Set(s) = &input.started_at {
        span.started_at = s.clone();
    }
    match &input.ended_at {
        Patch::Set(e) => span.ended_at = Some(e.clone()),
        Patch::Null => span.ended_at = None,
        Patch::Absent => {}
    }
    if let Some(b) = &input.breaks {
        span.breaks = b.clone();
    }
    rules::check_span(&span, call.now_ms, input.started_at.is_set())?;
    let (db, tenant) = (call.db()?, call.tenant_id()?);
    resource::check_refs(&db, tenant, &input.cols.refs).await?;
    let worker = text(input.cols.get("worker_id")).unwrap_or(current.worker_id.clone());
    if worker != current.worker_id {
        check_worker(call, &worker).await?;
    }
    let job = text(input.cols.get("job_id")).or(current.job_id.clone());
    let site = text(input.cols.get("site_id")).or(current.site_id.clone());
    let (flag_cols, mut events) = flags(call, &input, job.as_deref(), site.as_deref()).await?;
    events.insert(0, Event::TimeEntryUpdated);
    let mut cols = input.cols.values.clone();
    cols.extend(span_columns(&span));
    cols.extend(flag_cols);
    let guard = store::guard(tenant, &worker, id, &span, true);
    match resource::update_if(
        &db,
        &TIME_ENTRIES,
        tenant,
        id,
        call.now_ms,
        cols,
        Guarded { guard: Some(guard), events: &events },
    )
    .await?
    {
        Some(json) => {
            after_write(call, job.as_deref()).await;
            Ok(Reply::changed(id, json))
        }
        None => match store::current(&db, tenant, id).await? {
            None => Err(not_found()),
            Some(c) => match lock_of(&c) {
                Some(lock) => Err(lock),
                None => Err(overlap(call, &worker, id, &span).await?),
            },
        },
    }
}

/// Deletes an entry that is neither approved nor invoiced, checked in the delete itself.
pub async fn delete(call: &Call<'_>, id: &str) -> ApiResult<Reply> {
    let (db, tenant) = (call.db()?, call.tenant_id()?);
    match resource::delete_if(&db, &TIME_ENTRIES, tenant, id, call.now_ms, Some(store::delete_guard())).await? {
        Some(tombstone) => Ok(Reply::changed(id, tombstone)),
        None => Err(lock_of(&load(call, id).await?).unwrap_or_else(|| ApiError::conflict(Msg::Default))),
    }
}

/// Writes `sets` if the entry is still in the state it was read in (`expect_status`,
/// running or not) and on no invoice, recording `event`.
async fn transition(
    call: &Call<'_>,
    id: &str,
    current: &Current,
    sets: Vec<(&'static str, Arg)>,
    event: Event,
) -> ApiResult<Reply> {
    transition_entry(call, id, current, sets, &[event]).await
}

/// [`transition`] for entry `id`, recording `events`; shared with attendance.
pub async fn transition_entry(
    call: &Call<'_>,
    id: &str,
    current: &Current,
    sets: Vec<(&'static str, Arg)>,
    events: &[Event],
) -> ApiResult<Reply> {
    let (db, tenant) = (call.db()?, call.tenant_id()?);
    let running = if current.ended_at.is_none() { "ended_at IS NULL" } else { "ended_at IS NOT NULL" };
    // Breaks are compared too, so two attendance actions cannot both apply to one state.
    let breaks = serde_json::to_string(&current.breaks)?;
    if current.invoice_id.is_some() {
        return Err(invoiced());
    }
    let guard = resource::Guard {
        sql: format!("status = ? AND {running} AND json(breaks) = json(?) AND {}", store::UNINVOICED),
        args: vec![current.status.into(), breaks.into()],
    };
    match resource::update_if(&db, &TIME_ENTRIES, tenant, id, call.now_ms, sets, Guarded { guard: Some(guard), events })
        .await?
    {
        Some(json) => {
            after_write(call, current.job_id.as_deref()).await;
            Ok(Reply::changed(id, json))
        }
        // Invoiced meanwhile, or otherwise changed: the client may re-read and retry.
        None => match store::current(&db, tenant, id).await? {
            Some(c) if c.invoice_id.is_some() => Err(invoiced()),
            _ => Err(ApiError::conflict(Msg::Default)),
        },
    }
}

pub async fn stop(call: &Call<'_>, id: &str) -> ApiResult<Reply> {
    let current = load(call, id).await?;
    if current.ended_at.is_some() {
        return Err(ApiError::conflict(Msg::NotRunning));
    }
    let span = rules::stop(current.span(), &time::fmt_ms(call.now_ms));
    transition(call, id, &current, span_columns(&span), Event::TimeEntryUpdated).await
}

pub async fn approve(call: &Call<'_>, id: &str) -> ApiResult<Reply> {
    let current = load(call, id).await?;
    rules::check_status_change(current.status, EntryStatus::Approved, current.ended_at.is_none())?;
    let by = call.key()?.key_id.clone();
    let sets = vec![
        ("status", EntryStatus::Approved.into()),
        ("approved_at", Arg::Text(call.now())),
        ("approved_by", Arg::Text(by)),
        ("rejection_note", Arg::Null),
    ];
    transition(call, id, &current, sets, Event::TimeEntryApproved).await
}

/// The entry, unless it is on an invoice (409 `Invoiced`: it cannot be rejected or un-approved).
async fn unlocked_by_invoice(call: &Call<'_>, id: &str) -> ApiResult<Current> {
    let current = load(call, id).await?;
    match current.invoice_id {
        Some(_) => Err(invoiced()),
        None => Ok(current),
    }
}

pub async fn reject(call: &Call<'_>, id: &str) -> ApiResult<Reply> {
    let note = rules::rejection_note(&call.body)?;
    let current = unlocked_by_invoice(call, id).await?;
    rules::check_status_change(current.status, EntryStatus::Rejected, current.ended_at.is_none())?;
    let sets = vec![("status", EntryStatus::Rejected.into()), ("rejection_note", Arg::Text(note))];
    transition(call, id, &current, sets, Event::TimeEntryRejected).await
}

pub async fn unapprove(call: &Call<'_>, id: &str) -> ApiResult<Reply> {
    let current = unlocked_by_invoice(call, id).await?;
    rules::check_status_change(current.status, EntryStatus::Pending, current.ended_at.is_none())?;
    let sets = vec![("status", EntryStatus::Pending.into()), ("approved_at", Arg::Null), ("approved_by", Arg::Null)];
    transition(call, id, &current, sets, Event::TimeEntryUpdated).await
}
