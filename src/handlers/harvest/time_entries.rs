//! `/v2/time_entries` (SPEC §9): Harvest's time entries over `/v1`'s. Every write is turned
//! into a `/v1` body and goes through `/v1`'s handler code — the same overlap, approval-lock
//! and one-running-entry checks and statements — then the entry is read back in Harvest's
//! shape. Durations are placed right after the worker's last entry of that local day, so
//! they never overlap; a restart is a new running entry copying the stopped one.

use chrono::Duration;
use chrono_tz::Tz;
use serde_json::{json, Map, Value};

use super::{by_int, int_id, list_mapped, named};
use crate::domain::harvest::entries::{self, Placement};
use crate::domain::harvest::unprocessable;
use crate::domain::model::{field, not_null, required, FieldDef, Kind as Field};
#[cfg(not(target_arch = "wasm32"))]
use crate::domain::params::{Param, ParamKind};
use crate::domain::time;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::handlers::time_entries as v1;
use crate::i18n::{FieldCode, Msg, Noun};
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
#[cfg(not(target_arch = "wasm32"))]
use crate::pipeline::route_doc::{Body, QueryDoc};
use crate::pipeline::router::RouteDef;
use crate::route;
use crate::storage::harvest::{self as store, Conditions, TIME_ENTRIES};
use crate::storage::harvest_ids::{self, Kind};

const MAX_ID: i64 = crate::storage::harvest_ids::MAX;

/// The fields of a Harvest time entry body (`user_id` required on create).
const fn body_fields(user: FieldDef) -> [FieldDef; 11] {
    [
        user,
        field("project_id", Field::Int(0, MAX_ID)).doc("The project's integer id; `0` or `null`: none."),
        field("task_id", Field::Int(0, MAX_ID)).doc("The task's integer id; `0` or `null`: none."),
        field("spent_date", Field::Date).doc("The local day, `YYYY-MM-DD` (needed with `hours` or `started_time`)."),
        field("started_time", Field::Clock).doc("Local start, `HH:MM` or `9:30am`."),
        field("ended_time", Field::Clock).doc("Local end, after `started_time` (same day)."),
        field("hours", Field::Real(0.0, 24.0))
            .doc("A duration: placed after the day's last entry, or from `started_time`."),
        field("notes", Field::Text(2000)),
        field("source", Field::OneOf(crate::domain::time_entries::EntrySource::NAMES)),
        field("metadata", Field::Json(crate::domain::time_entries::METADATA_MAX)),
        field("external_reference", Field::Json(4096)).doc("Accepted and not kept."),
    ]
}

pub const CREATE: &[FieldDef] =
    &body_fields(required("user_id", Field::Int(1, MAX_ID)).doc("The user's (worker's) integer id."));
pub const UPDATE: &[FieldDef] =
    &body_fields(not_null("user_id", Field::Int(1, MAX_ID)).doc("Moves the entry to this user (never `null`)."));

fn not_found() -> ApiError {
    ApiError::not_found(Msg::NotFound(Noun::TimeEntry))
}

/// The entry (text id) in Harvest's shape.
async fn wire(call: &Call<'_>, id: &str) -> ApiResult<Value> {
    let row = store::entry_row(&call.db()?, call.tenant_id()?, id).await?.ok_or_else(not_found)?;
    Ok(entries::to_wire(&serde_json::from_str(&row)?, call.now_ms))
}

fn reply(status: u16, written: &str, body: Value) -> Reply {
    Reply::written(status, written, body.to_string())
}

/// The entry (text id) a path's integer id names.
async fn entry_id(call: &Call<'_>) -> ApiResult<String> {
    let n = int_id(call.param("time_entry_id"), Noun::TimeEntry)?;
    harvest_ids::id_for(&call.db()?, Kind::TimeEntries, call.tenant_id()?, n).await?.ok_or_else(not_found)
}

async fn list(call: &Call<'_>) -> ApiResult<Reply> {
    let mut cond = Conditions::default();
    by_int(&call.query, &mut cond, "user_id", "t.worker_id = (SELECT id FROM workers WHERE harvest_id = ?)")?;
    by_int(&call.query, &mut cond, "project_id", "t.job_id = (SELECT id FROM jobs WHERE harvest_id = ?)")?;
    by_int(&call.query, &mut cond, "task_id", "t.task_id = (SELECT id FROM tasks WHERE harvest_id = ?)")?;
    by_int(
        &call.query,
        &mut cond,
        "client_id",
        "t.job_id IN (SELECT id FROM jobs WHERE customer_id = (SELECT id FROM customers WHERE harvest_id = ?))",
    )?;
    if let Some(running) = super::flag(call, "is_running")? {
        cond.add(if running { "t.ended_at IS NULL" } else { "t.ended_at IS NOT NULL" }, []);
    }
    // SPEC §9: billed means invoiced.
    if let Some(billed) = super::flag(call, "is_billed")? {
        cond.add(if billed { "t.invoice_id IS NOT NULL" } else { "t.invoice_id IS NULL" }, []);
    }
    if let Some(source) = call.query.get("source") {
        cond.add("t.source = ?", [source.into()]);
    }
    let tz = tenant_zone(call).await?;
    for (param, op, end) in [("from", ">=", false), ("to", "<", true)] {
        if let Some(v) = call.query.get(param) {
            let date = crate::domain::harvest::wire::parse_date(v).ok_or_else(|| unprocessable(param))?;
            let (start, next) = entries::day_bounds(tz, date);
            let bound = if end { next } else { start };
            cond.add(format!("t.started_at {op} ?"), [time::fmt_ms(bound.timestamp_millis()).into()]);
        }
    }
    let now = call.now_ms;
    list_mapped(call, &TIME_ENTRIES, "/v2/time_entries", cond, &|row| {
        serde_json::from_str::<Value>(row).map(|r| entries::to_wire(&r, now).to_string()).unwrap_or_default()
    })
    .await
}

async fn tenant_zone(call: &Call<'_>) -> ApiResult<Tz> {
    let zone = store::entry_zone(&call.db()?, call.tenant_id()?, None).await?;
    Ok(zone.parse().unwrap_or(Tz::UTC))
}

async fn detail(call: &Call<'_>) -> ApiResult<Reply> {
    let id = entry_id(call).await?;
    Ok(Reply::ok(wire(call, &id).await?.to_string()))
}

/// The fields a Harvest body may carry through unchanged into `/v1`'s.
fn carry(body: &Value, out: &mut Map<String, Value>) {
    for (from, to) in [("notes", "notes"), ("metadata", "metadata"), ("source", "source")] {
        if let Some(v) = body.get(from).filter(|v| !v.is_null()) {
            out.insert(to.into(), v.clone());
        }
    }
}

async fn create(call: &Call<'_>) -> ApiResult<Reply> {
    crate::domain::reader::parse(&call.body, CREATE, &[], true)?;
    let body = &call.body;
    let worker = named(call, Kind::Workers, "user_id", body.get("user_id"))
        .await?
        .ok_or_else(|| ApiError::validation(vec![FieldError::new("user_id", FieldCode::Required)]))?;
    let job = named(call, Kind::Jobs, "project_id", body.get("project_id")).await?;
    let task = named(call, Kind::Tasks, "task_id", body.get("task_id")).await?;
    let (db, tenant) = (call.db()?, call.tenant_id()?);
    let tz: Tz = store::entry_zone(&db, tenant, job.as_deref()).await?.parse().unwrap_or(Tz::UTC);
    let (started, ended) = match entries::placement(body, tz)? {
        Placement::Timer => (call.now(), None),
        Placement::Times { started, ended } => {
            (time::fmt_ms(started.timestamp_millis()), ended.map(|e| time::fmt_ms(e.timestamp_millis())))
        }
        Placement::Duration { date, seconds } => {
            let (start, end) = entries::day_bounds(tz, date);
            let (start, end) = (time::fmt_ms(start.timestamp_millis()), time::fmt_ms(end.timestamp_millis()));
            let from = store::day_free_from(&db, tenant, &worker, &start, &end, &call.now()).await?;
            let from_ms = time::parse_instant(&from, false).unwrap_or_default();
            (from, Some(time::fmt_ms(from_ms + Duration::seconds(seconds).num_milliseconds())))
        }
    };
    let mut v1_body = Map::new();
    v1_body.insert("worker_id".into(), json!(worker));
    v1_body.insert("started_at".into(), json!(started));
    if let Some(e) = ended {
        v1_body.insert("ended_at".into(), json!(e));
    }
    if let Some(j) = job {
        v1_body.insert("job_id".into(), json!(j));
    }
    if let Some(t) = task {
        v1_body.insert("task_id".into(), json!(t));
    }
    carry(body, &mut v1_body);
    let (id, _) = v1::create_one(call, &Value::Object(v1_body), &[]).await?;
    Ok(reply(201, &id, wire(call, &id).await?))
}

async fn update(call: &Call<'_>) -> ApiResult<Reply> {
    crate::domain::reader::parse(&call.body, UPDATE, &[], false)?;
    let id = entry_id(call).await?;
    let body = &call.body;
    let current: Value =
        serde_json::from_str(&store::entry_row(&call.db()?, call.tenant_id()?, &id).await?.ok_or_else(not_found)?)?;
    let tz: Tz = current["zone"].as_str().and_then(|z| z.parse().ok()).unwrap_or(Tz::UTC);
    let started_ms = current["started_at"].as_str().and_then(|s| time::parse_instant(s, false)).unwrap_or_default();
    let date = chrono::DateTime::<chrono::Utc>::from_timestamp_millis(started_ms)
        .unwrap_or_default()
        .with_timezone(&tz)
        .date_naive();
    let mut v1_body = Map::new();
    let mut span_body = json!({"spent_date": date.format("%Y-%m-%d").to_string()});
    for k in ["spent_date", "started_time", "ended_time"] {
        if let Some(v) = body.get(k) {
            span_body[k] = v.clone();
        }
    }
    if body.get("started_time").is_some() || body.get("ended_time").is_some() || body.get("spent_date").is_some() {
        if let Placement::Times { started, ended } = entries::placement(&span_body, tz)? {
            v1_body.insert("started_at".into(), json!(time::fmt_ms(started.timestamp_millis())));
            if let Some(e) = ended {
                v1_body.insert("ended_at".into(), json!(time::fmt_ms(e.timestamp_millis())));
            }
        }
    }
    if let Some(h) = body.get("hours").filter(|v| !v.is_null()) {
        let seconds = entries::hours_seconds(h)?;
        let start = v1_body
            .get("started_at")
            .and_then(Value::as_str)
            .and_then(|s| time::parse_instant(s, false))
            .unwrap_or(started_ms);
        v1_body.insert("ended_at".into(), json!(time::fmt_ms(start + seconds * 1000)));
    }
    if body.get("project_id").is_some() {
        v1_body.insert("job_id".into(), json!(named(call, Kind::Jobs, "project_id", body.get("project_id")).await?));
    }
    if body.get("task_id").is_some() {
        v1_body.insert("task_id".into(), json!(named(call, Kind::Tasks, "task_id", body.get("task_id")).await?));
    }
    if body.get("user_id").is_some() {
        let worker = named(call, Kind::Workers, "user_id", body.get("user_id")).await?;
        v1_body.insert("worker_id".into(), json!(worker.ok_or_else(|| unprocessable("user_id"))?));
    }
    carry(body, &mut v1_body);
    v1::update_with(call, &id, &Value::Object(v1_body)).await?;
    Ok(reply(200, &id, wire(call, &id).await?))
}

async fn delete(call: &Call<'_>) -> ApiResult<Reply> {
    let id = entry_id(call).await?;
    v1::delete(call, &id).await?;
    Ok(reply(200, &id, json!({})))
}

async fn stop(call: &Call<'_>) -> ApiResult<Reply> {
    let id = entry_id(call).await?;
    v1::stop(call, &id).await?;
    Ok(reply(200, &id, wire(call, &id).await?))
}

/// Harvest's timestamp timers: a new running entry with the stopped one's user, project, task
/// and notes.
async fn restart(call: &Call<'_>) -> ApiResult<Reply> {
    let id = entry_id(call).await?;
    let row = store::entry_row(&call.db()?, call.tenant_id()?, &id).await?.ok_or_else(not_found)?;
    let old: Value = serde_json::from_str(&row)?;
    if old["ended_at"].is_null() {
        return Err(ApiError::conflict(Msg::Default));
    }
    let v1_row = store::v1_refs(&call.db()?, call.tenant_id()?, &id).await?.ok_or_else(not_found)?;
    let mut body = Map::new();
    for (k, v) in v1_row {
        if !v.is_null() {
            body.insert(k, v);
        }
    }
    body.insert("started_at".into(), json!(call.now()));
    let (new_id, _) = v1::create_one(call, &Value::Object(body), &[]).await?;
    Ok(reply(201, &new_id, wire(call, &new_id).await?))
}

#[cfg(not(target_arch = "wasm32"))]
const LIST: &[Param] = &[
    super::LIST_PARAMS[0],
    super::LIST_PARAMS[1],
    super::LIST_PARAMS[2],
    super::LIST_PARAMS[3],
    Param::optional("user_id", ParamKind::Int(1, 9_007_199_254_740_991)).doc("Only this user's entries."),
    Param::optional("client_id", ParamKind::Int(1, 9_007_199_254_740_991))
        .doc("Only entries of this client's projects."),
    Param::optional("project_id", ParamKind::Int(1, 9_007_199_254_740_991)).doc("Only this project's entries."),
    Param::optional("task_id", ParamKind::Int(1, 9_007_199_254_740_991)).doc("Only this task's entries."),
    Param::optional("is_running", ParamKind::OneOf(&["true", "false"])).doc("Only running (or stopped) entries."),
    Param::optional("is_billed", ParamKind::OneOf(&["true", "false"]))
        .doc("`true`: entries on an invoice; `false`: the others."),
    Param::optional("source", ParamKind::Opaque(40))
        .doc("Only entries recorded from this source (`web`, `cli`, `api`, `agent`, `kiosk`)."),
    Param::optional("from", ParamKind::HarvestDate)
        .doc("Only entries from this local day on (`YYYY-MM-DD`; `YYYYMMDD` is accepted too)."),
    Param::optional("to", ParamKind::HarvestDate).doc("Only entries up to this local day (included)."),
];

/// The routes this module serves.
pub static ROUTES: &[RouteDef] = &[
    route!(GET "/v2/time_entries", Key, |call| list(call), {
        id: "harvestListTimeEntries", tag: "Harvest v2", summary: "List time entries",
        description: "Newest first. Filters `user_id`, `client_id`, `project_id`, `task_id` (integer ids), `is_running`, `is_billed`, `source`, `updated_since`, `from`/`to` (local dates, `YYYY-MM-DD` or `YYYYMMDD`). Needs `read:time-entries`.",
        query: QueryDoc::params(LIST), ok: 200, response: "HarvestTimeEntries",
    }),
    route!(POST "/v2/time_entries", Key, |call| create(call), {
        id: "harvestCreateTimeEntry", tag: "Harvest v2", summary: "Create a time entry",
        description: "`user_id` is required. With `spent_date` + `hours` the entry is placed right after the user's last entry that local day (from 00:00), so it never overlaps; with `started_time` (+ `ended_time`, `\"HH:MM\"` or `\"9:30am\"`) at those local times; with neither `hours` nor `ended_time` a timer runs from now. `/v1`'s rules hold (overlap, one running entry: 422). Needs `write:time-entries`.",
        body: Some(Body::create("HarvestTimeEntryCreate", &[CREATE])),
        ok: 201, response: "HarvestTimeEntry",
    }),
    route!(GET "/v2/time_entries/{time_entry_id}", Key, |call| detail(call), {
        id: "harvestGetTimeEntry", tag: "Harvest v2", summary: "Get a time entry",
        description: "One entry in Harvest's shape. Needs `read:time-entries`.",
        ok: 200, response: "HarvestTimeEntry",
    }),
    route!(PATCH "/v2/time_entries/{time_entry_id}", Key, |call| update(call), {
        id: "harvestUpdateTimeEntry", tag: "Harvest v2", summary: "Update a time entry",
        description: "`hours` moves the end; `spent_date`, `started_time`, `ended_time` move the span; `project_id`, `task_id`, `user_id`, `notes`. An approved entry is locked (422). Needs `write:time-entries`.",
        body: Some(Body::update("HarvestTimeEntryUpdate", &[UPDATE])),
        ok: 200, response: "HarvestTimeEntry",
    }),
    route!(DELETE "/v2/time_entries/{time_entry_id}", Key, |call| delete(call), {
        id: "harvestDeleteTimeEntry", tag: "Harvest v2", summary: "Delete a time entry",
        description: "Answers `200` with `{}`. No body needed. Needs `write:time-entries`.",
        ok: 200, response: "HarvestEmpty",
    }),
    route!(PATCH "/v2/time_entries/{time_entry_id}/stop", Key, |call| stop(call), {
        id: "harvestStopTimeEntry", tag: "Harvest v2", summary: "Stop a running time entry",
        description: "Ends the running entry now (422 if it is not running). No body needed. Needs `write:time-entries`.",
        ok: 200, response: "HarvestTimeEntry",
    }),
    route!(PATCH "/v2/time_entries/{time_entry_id}/restart", Key, |call| restart(call), {
        id: "harvestRestartTimeEntry", tag: "Harvest v2", summary: "Restart a stopped time entry",
        description: "Starts a new running entry now with the stopped one's user, project, task and notes, and answers it (Harvest's timestamp timers). 422 if the entry is running or the user already has a running entry. No body needed. Needs `write:time-entries`.",
        ok: 201, response: "HarvestTimeEntry",
    }),
];
