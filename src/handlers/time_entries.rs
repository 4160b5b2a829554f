//! `/v1/time-entries` (SPEC §6): create (one or a batch of up to 100), list, detail, edit,
//! delete, stop, approve, reject, unapprove — with the overlap, lock, geofence and
//! verification rules, events in the same batch as each write, and job budget thresholds.

use serde_json::{json, Value};

use crate::domain::fields::Patch;
use crate::domain::geo;
use crate::domain::listing::Arg;
use crate::domain::time_entries::{self as rules, Input, Span};
use crate::domain::{ids, time};
use crate::error::{ApiError, ApiResult};
use crate::i18n::{FieldCode, Msg, Noun};
use crate::pipeline::call::Call;
use crate::pipeline::envelope::{self, Reply};
use crate::storage::resource;
use crate::storage::time_entries::{self as store, Current, TIME_ENTRIES};

fn not_found() -> ApiError {
    ApiError::not_found(Msg::NotFound(Noun::TimeEntry))
}

fn locked() -> ApiError {
    ApiError::conflict(Msg::EntryLocked)
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
async fn check_worker(call: &Call<'_>, worker: &str) -> ApiResult<()> {
    let db = call.db()?;
    match store::worker(&db, call.tenant_id()?, Some(worker), None).await? {
        Some((_, status)) if status == "active" => Ok(()),
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
) -> ApiResult<(Vec<(&'static str, Arg)>, Vec<&'static str>)> {
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
                events.push("time_entry.flagged_outside_fence");
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
            events.push("time_entry.flagged_pinshot_low");
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

/// Creates one entry from a body; shared by the single and batch routes.
pub async fn create_one(call: &Call<'_>, body: &Value, extra_events: &[&'static str]) -> ApiResult<String> {
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
    cols.extend(span_columns(&span));
    cols.extend(flag_cols);
    cols.push(("status", Arg::Text("pending".into())));
    let guard = store::guard(tenant, &worker, &id, &span, false);
    match resource::create_if(&db, &TIME_ENTRIES, tenant, &id, call.now_ms, cols, Some(guard), &events).await? {
        Some(json) => {
            after_write(call, job.as_deref()).await;
            Ok(json)
        }
        None => Err(overlap(call, &worker, &id, &span).await?),
    }
}

async fn overlap(call: &Call<'_>, worker: &str, id: &str, span: &Span) -> ApiResult<ApiError> {
    let other = store::clash(&call.db()?, call.tenant_id()?, worker, id, span).await?;
    Ok(ApiError::conflict(Msg::Overlaps(other.unwrap_or_else(|| "another entry".into()))))
}

pub async fn create(call: &Call<'_>) -> ApiResult<Reply> {
    Ok(Reply::created(create_one(call, &call.body, &[]).await?))
}

/// `POST /v1/time-entries/batch`: `{entries: [...]}` (≤ 100) → 207 with one result per item.
/// Items are independent and run in order, so overlaps within the batch are caught too.
pub async fn batch(call: &Call<'_>) -> ApiResult<Reply> {
    let items = match call.body.get("entries") {
        Some(Value::Array(items)) => items,
        _ => return Err(ApiError::invalid_field("entries", FieldCode::Required)),
    };
    if items.is_empty() || items.len() > 100 {
        return Err(ApiError::invalid_field("entries", FieldCode::OutOfRange));
    }
    if let Some(extra) = call.body.as_object().and_then(|m| m.keys().find(|k| *k != "entries").cloned()) {
        return Err(ApiError::invalid_field(extra, FieldCode::UnknownField));
    }
    let mut results = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let result = match create_one(call, item, &[]).await {
            Ok(json) => json!({"index": index, "status": 201, "data": serde_json::from_str::<Value>(&json)?}),
            Err(e) => {
                let error: Value = serde_json::from_str(&envelope::error(&e, call.request_id, call.lang))?;
                json!({"index": index, "status": e.status(), "error": error["error"]})
            }
        };
        results.push(result);
    }
    Ok(Reply::value(207, &Value::Array(results)))
}

async fn load(call: &Call<'_>) -> ApiResult<Current> {
    store::current(&call.db()?, call.tenant_id()?, call.param(0)).await?.ok_or_else(not_found)
}

pub async fn update(call: &Call<'_>) -> ApiResult<Reply> {
    let input = rules::parse(&call.body, false)?;
    let current = load(call).await?;
    if current.status == "approved" {
        return Err(locked());
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
    let (db, tenant, id) = (call.db()?, call.tenant_id()?, call.param(0));
    resource::check_refs(&db, tenant, &input.cols.refs).await?;
    let worker = text(input.cols.get("worker_id")).unwrap_or(current.worker_id.clone());
    if worker != current.worker_id {
        check_worker(call, &worker).await?;
    }
    let job = text(input.cols.get("job_id")).or(current.job_id.clone());
    let site = text(input.cols.get("site_id")).or(current.site_id.clone());
    let (flag_cols, mut events) = flags(call, &input, job.as_deref(), site.as_deref()).await?;
    events.insert(0, "time_entry.updated");
    let mut cols = input.cols.values.clone();
    cols.extend(span_columns(&span));
    cols.extend(flag_cols);
    let guard = store::guard(tenant, &worker, id, &span, true);
    match resource::update_if(&db, &TIME_ENTRIES, tenant, id, call.now_ms, cols, Some(guard), &events).await? {
        Some(json) => {
            after_write(call, job.as_deref()).await;
            Ok(Reply::ok(json))
        }
        None => match store::current(&db, tenant, id).await? {
            None => Err(not_found()),
            Some(c) if c.status == "approved" => Err(locked()),
            Some(_) => Err(overlap(call, &worker, id, &span).await?),
        },
    }
}

pub async fn delete(call: &Call<'_>) -> ApiResult<Reply> {
    if load(call).await?.status == "approved" {
        return Err(locked());
    }
    crate::handlers::crud::delete(call, &TIME_ENTRIES).await
}

/// Writes `sets` if the entry is still in the state it was read in (`expect_status`,
/// running or not), recording `event`.
async fn transition(
    call: &Call<'_>,
    current: &Current,
    sets: Vec<(&'static str, Arg)>,
    event: &'static str,
) -> ApiResult<Reply> {
    transition_entry(call, call.param(0), current, sets, &[event]).await
}

/// [`transition`] for entry `id`, recording `events`; shared with attendance.
pub async fn transition_entry(
    call: &Call<'_>,
    id: &str,
    current: &Current,
    sets: Vec<(&'static str, Arg)>,
    events: &[&'static str],
) -> ApiResult<Reply> {
    let (db, tenant) = (call.db()?, call.tenant_id()?);
    let running = if current.ended_at.is_none() { "ended_at IS NULL" } else { "ended_at IS NOT NULL" };
    // Breaks are compared too, so two attendance actions cannot both apply to one state.
    let breaks = serde_json::to_string(&current.breaks)?;
    let guard = resource::Guard {
        sql: format!("status = ? AND {running} AND json(breaks) = json(?)"),
        args: vec![current.status.clone().into(), breaks.into()],
    };
    match resource::update_if(&db, &TIME_ENTRIES, tenant, id, call.now_ms, sets, Some(guard), events).await? {
        Some(json) => {
            after_write(call, current.job_id.as_deref()).await;
            Ok(Reply::ok(json))
        }
        // Changed meanwhile: the client may re-read and retry.
        None => Err(ApiError::conflict(Msg::Default)),
    }
}

pub async fn stop(call: &Call<'_>) -> ApiResult<Reply> {
    let current = load(call).await?;
    if current.ended_at.is_some() {
        return Err(ApiError::conflict(Msg::NotRunning));
    }
    let span = rules::stop(current.span(), &time::fmt_ms(call.now_ms));
    transition(call, &current, span_columns(&span), "time_entry.updated").await
}

pub async fn approve(call: &Call<'_>) -> ApiResult<Reply> {
    let current = load(call).await?;
    rules::check_status_change(&current.status, "approved", current.ended_at.is_none())?;
    let by = call.key()?.key_id.clone();
    let sets = vec![
        ("status", Arg::Text("approved".into())),
        ("approved_at", Arg::Text(call.now())),
        ("approved_by", Arg::Text(by)),
        ("rejection_note", Arg::Null),
    ];
    transition(call, &current, sets, "time_entry.approved").await
}

pub async fn reject(call: &Call<'_>) -> ApiResult<Reply> {
    let note = rules::rejection_note(&call.body)?;
    let current = load(call).await?;
    rules::check_status_change(&current.status, "rejected", current.ended_at.is_none())?;
    let sets = vec![("status", Arg::Text("rejected".into())), ("rejection_note", Arg::Text(note))];
    transition(call, &current, sets, "time_entry.rejected").await
}

pub async fn unapprove(call: &Call<'_>) -> ApiResult<Reply> {
    let current = load(call).await?;
    rules::check_status_change(&current.status, "pending", current.ended_at.is_none())?;
    let sets = vec![("status", Arg::Text("pending".into())), ("approved_at", Arg::Null), ("approved_by", Arg::Null)];
    transition(call, &current, sets, "time_entry.updated").await
}
