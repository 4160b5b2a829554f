//! Attendance actions (SPEC §6): the kiosk's clock-in, clock-out, break-start and break-end
//! over time entries, each a 409 when the worker's state does not allow it.

use serde_json::{json, Value};

use super::time_entries::{create_one, span_columns, transition_entry};
use crate::domain::attendance::Presence;
use crate::domain::events::Event;
use crate::domain::listing::Arg;
use crate::domain::model::{field, FieldDef, Kind, Rule};
use crate::domain::reader;
use crate::domain::time_entries::{self as rules, Break, EntrySource};
use crate::error::{ApiError, ApiResult};
use crate::i18n::{FieldCode, Msg};
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
#[cfg(not(target_arch = "wasm32"))]
use crate::pipeline::route_doc::Body;
use crate::pipeline::router::RouteDef;
use crate::route;
use crate::storage::time_entries::{self as store, Current};

/// The worker named by `worker_id` or `employee_code`, plus optional coordinates, site and
/// job (clock-in takes all; the others take the worker and coordinates).
struct Who {
    worker_id: String,
    location: Option<(f64, f64)>,
    site_id: Option<String>,
    job_id: Option<String>,
}

/// Who an action is for, and where they are: the body of clock-out and the breaks.
pub const ACTION: &[FieldDef] = &[
    field("worker_id", Kind::Id("wkr")).doc(
        "The worker; wins over `employee_code` when both are sent. One that names no live worker of this tenant is \
         `422` (`worker_id` `not_found`).",
    ),
    field("employee_code", Kind::Text(64)).doc(
        "The worker's `employee_code`, instead of `worker_id` (as typed at a kiosk). One that names no live worker \
         is `422` (`employee_code` `not_found`).",
    ),
    field("latitude", Kind::Real(-90.0, 90.0)).doc("Where the worker is, with `longitude`: both or neither."),
    field("longitude", Kind::Real(-180.0, 180.0)).doc("With `latitude`."),
];

/// The body of clock-in: [`ACTION`] plus the site and job recorded on the new entry.
pub const CLOCK_IN: &[FieldDef] = &[
    ACTION[0],
    ACTION[1],
    ACTION[2],
    ACTION[3],
    field("site_id", Kind::Id("site")).doc("The site clocked in at, recorded on the entry (it must be a live site)."),
    field("job_id", Kind::Id("job")).doc("The job worked on, recorded on the entry (it must be a live job)."),
];

/// One of `worker_id` and `employee_code`; coordinates in pairs.
pub const RULES: &[Rule] = &[
    Rule::AnyOf(&["worker_id", "employee_code"]),
    Rule::Requires("latitude", "longitude"),
    Rule::Requires("longitude", "latitude"),
];

async fn who(call: &Call<'_>, clock_in: bool) -> ApiResult<Who> {
    let cols = reader::parse_with(&call.body, if clock_in { CLOCK_IN } else { ACTION }, RULES, &[], true)?;
    let text = |name: &str| cols.text(name).map(str::to_string);
    let (by_id, by_code) = (text("worker_id"), text("employee_code"));
    let found = store::worker(&call.db()?, call.tenant_id()?, by_id.as_deref(), by_code.as_deref()).await?;
    let field = if by_id.is_some() { "worker_id" } else { "employee_code" };
    let (worker_id, _) = found.ok_or_else(|| ApiError::invalid_field(field, FieldCode::NotFound))?;
    let location = cols.real("latitude").zip(cols.real("longitude"));
    Ok(Who { worker_id, location, site_id: text("site_id"), job_id: text("job_id") })
}

fn state_error(current: Option<&Current>) -> ApiError {
    let state = match current {
        None => Presence::Off,
        Some(c) if c.breaks.last().is_some_and(|b| b.ended_at.is_none()) => Presence::OnBreak,
        Some(_) => Presence::Working,
    };
    ApiError::conflict(Msg::AttendanceState(state))
}

async fn running(call: &Call<'_>, worker: &str) -> ApiResult<Option<Current>> {
    store::running(&call.db()?, call.tenant_id()?, worker).await
}

pub async fn clock_in(call: &Call<'_>) -> ApiResult<Reply> {
    let w = who(call, true).await?;
    if let Some(current) = running(call, &w.worker_id).await? {
        return Err(state_error(Some(&current)));
    }
    let mut body = json!({"worker_id": w.worker_id, "started_at": call.now(), "source": EntrySource::Kiosk});
    if let Some((lat, lng)) = w.location {
        body["clock_in_location"] = json!({"latitude": lat, "longitude": lng});
    }
    if let Some(s) = w.site_id {
        body["site_id"] = Value::String(s);
    }
    if let Some(j) = w.job_id {
        body["job_id"] = Value::String(j);
    }
    let (id, entry) = create_one(call, &body, &[Event::AttendanceClockIn]).await.map_err(|e| {
        // A concurrent clock-in won the race: say so in attendance terms.
        if e.code == crate::error::ErrorCode::Conflict {
            ApiError::conflict(Msg::AttendanceState(Presence::Working))
        } else {
            e
        }
    })?;
    Ok(Reply::created(&id, entry))
}

pub async fn clock_out(call: &Call<'_>) -> ApiResult<Reply> {
    let w = who(call, false).await?;
    let current = running(call, &w.worker_id).await?.ok_or_else(|| state_error(None))?;
    let span = rules::stop(current.span(), &call.now());
    let mut sets = span_columns(&span);
    if let Some((lat, lng)) = w.location {
        sets.push(("clock_out_latitude", Arg::Real(lat)));
        sets.push(("clock_out_longitude", Arg::Real(lng)));
    }
    transition_entry(call, &current.id, &current, sets, &[Event::AttendanceClockOut, Event::TimeEntryUpdated]).await
}

pub async fn break_start(call: &Call<'_>) -> ApiResult<Reply> {
    let w = who(call, false).await?;
    let current = running(call, &w.worker_id).await?.ok_or_else(|| state_error(None))?;
    if current.breaks.last().is_some_and(|b| b.ended_at.is_none()) {
        return Err(state_error(Some(&current)));
    }
    let mut span = current.span();
    span.breaks.push(Break { started_at: call.now(), ended_at: None });
    transition_entry(call, &current.id, &current, span_columns(&span), &[Event::AttendanceBreakStart]).await
}

pub async fn break_end(call: &Call<'_>) -> ApiResult<Reply> {
    let w = who(call, false).await?;
    let current = running(call, &w.worker_id).await?.ok_or_else(|| state_error(None))?;
    let mut span = current.span();
    match span.breaks.last_mut() {
        Some(b) if b.ended_at.is_none() => b.ended_at = Some(call.now()),
        _ => return Err(state_error(Some(&current))),
    }
    transition_entry(call, &current.id, &current, span_columns(&span), &[Event::AttendanceBreakEnd]).await
}

/// The routes this module serves.
pub static ROUTES: &[RouteDef] = &[
    route!(POST "/v1/attendance/clock-in", Key, |call| clock_in(call), {
        id: "clockIn",
        tag: "Attendance",
        summary: "Clock a worker in",
        description: "Starts a running time entry for the worker named by `worker_id` or `employee_code`, at the current instant, with `source: \"kiosk\"`, and answers `201` with it. `latitude`/`longitude` become its `clock_in_location`, checked against the geofence of `job_id` (else of `site_id`, else of the job's site) as on `POST /v1/time-entries`; `site_id` and `job_id` are recorded on it and must name live objects of the tenant (`422` `not_found`). A worker who is already working or on a break is `409 conflict`; an inactive worker is `422` (`worker_id` `inactive`). Emits `time_entry.created` and `attendance.clock_in` (and the flag events). An unknown worker is `422` (`worker_id` or `employee_code` `not_found`). Two actions racing for the same worker cannot both apply: the loser is `409 conflict`. Needs `write:attendance`.",
        body: Some(Body::create("ClockIn", &[CLOCK_IN]).rules(RULES)),
        ok: 201,
        response: "TimeEntryResponse",
    }),
    route!(POST "/v1/attendance/clock-out", Key, |call| clock_out(call), {
        id: "clockOut",
        tag: "Attendance",
        summary: "Clock a worker out",
        description: "Stops the worker's running entry now, ending an open break at the same instant, and answers `200` with it; `latitude`/`longitude` become its `clock_out_location`. A worker who is off (has no running entry) is `409 conflict`. Emits `attendance.clock_out` and `time_entry.updated`. An unknown worker is `422` (`worker_id` or `employee_code` `not_found`). Two actions racing for the same worker cannot both apply: the loser is `409 conflict`. Needs `write:attendance`.",
        body: Some(Body::create("AttendanceAction", &[ACTION]).rules(RULES)),
        ok: 200,
        response: "TimeEntryResponse",
    }),
    route!(POST "/v1/attendance/break-start", Key, |call| break_start(call), {
        id: "startBreak",
        tag: "Attendance",
        summary: "Start a break",
        description: "Opens a break, starting now, on the worker's running entry and answers `200` with the entry. A worker who is off, or already on a break, is `409 conflict`. Coordinates are validated but not recorded. Emits `attendance.break_start`. An unknown worker is `422` (`worker_id` or `employee_code` `not_found`). Two actions racing for the same worker cannot both apply: the loser is `409 conflict`. Needs `write:attendance`.",
        body: Some(Body::create("AttendanceAction", &[ACTION]).rules(RULES)),
        ok: 200,
        response: "TimeEntryResponse",
    }),
    route!(POST "/v1/attendance/break-end", Key, |call| break_end(call), {
        id: "endBreak",
        tag: "Attendance",
        summary: "End a break",
        description: "Closes the worker's open break now and answers `200` with the entry. A worker who is off, or working (not on a break), is `409 conflict`. Coordinates are validated but not recorded. Emits `attendance.break_end`. An unknown worker is `422` (`worker_id` or `employee_code` `not_found`). Two actions racing for the same worker cannot both apply: the loser is `409 conflict`. Needs `write:attendance`.",
        body: Some(Body::create("AttendanceAction", &[ACTION]).rules(RULES)),
        ok: 200,
        response: "TimeEntryResponse",
    }),
];
