//! Attendance views (SPEC §6): daily, range (≤ 31 days), a worker's history, the monthly
//! summary with overtime and absences, and today's board. A day is a local day in the
//! worker's site zone, else the tenant's; a session belongs to the day it began.

use chrono::{Datelike, Days, NaiveDate};
use chrono_tz::Tz;
use serde_json::{json, Value};

use crate::domain::attendance::{hours, status, timeline, EntryRow};
use crate::domain::listing::Query;
use crate::domain::overtime::{self, daily_totals, local_date, summarize, Rules};
use crate::domain::params::{self, Param, ParamKind};
use crate::domain::workers::WorkerStatus;
use crate::error::{ApiError, ApiResult};
use crate::i18n::{FieldCode, Msg};
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
#[cfg(not(target_arch = "wasm32"))]
use crate::pipeline::route_doc::QueryDoc;
use crate::pipeline::router::RouteDef;
use crate::route;
use crate::storage::attendance::{self as store, WorkerRow};

const MAX_RANGE_DAYS: u64 = 31;

const DAY: &[Param] = &[Param::required("date", ParamKind::Date)
    .doc("The local day, `YYYY-MM-DD` (each worker's day in the worker's zone).")];
const TODAY: &[Param] =
    &[Param::optional("date", ParamKind::Date)
        .doc("The local day to show; defaults to today in the tenant's time zone.")];
const RANGE: &[Param] = &[
    Param::required("start", ParamKind::Date).doc("The first local day."),
    Param::required("end", ParamKind::Date).doc("The last local day (included), at most 30 days after `start`."),
];
const MONTH: &[Param] = &[
    Param::required("month", ParamKind::Int(1, 12)).doc("The month."),
    Param::required("year", ParamKind::Int(2000, 2100)).doc("The year."),
];
/// What a worker's history takes: the time-entry list's parameters but its worker filter.
const HISTORY: &[&str] =
    &["limit", "cursor", "from", "to", "status", "job_id", "site_id", "is_running", "updated_since", "include_deleted"];

fn bad(param: &str) -> ApiError {
    ApiError::bad_request(Msg::InvalidQuery(param.to_string()))
}

/// The required date `p` of `params` (checked to be the only parameters).
fn day(q: &Query, all: &[Param], p: &Param) -> ApiResult<Option<NaiveDate>> {
    params::only(q, all)?;
    params::date(q, p)
}

fn zone(tz: &str) -> Tz {
    tz.parse().unwrap_or(Tz::UTC)
}

fn utc(date: NaiveDate) -> String {
    format!("{}T00:00:00Z", date.format("%Y-%m-%d"))
}

/// Entries started between the day before `first` and the day after `last` (UTC), enough
/// for any zone's local days.
async fn window(call: &Call<'_>, first: NaiveDate, last: NaiveDate, only: Option<&str>) -> ApiResult<Vec<EntryRow>> {
    let from = first.checked_sub_days(Days::new(1)).unwrap_or(first);
    let to = last.checked_add_days(Days::new(2)).unwrap_or(last);
    store::entries(&call.db()?, call.tenant_id()?, &utc(from), &utc(to), only).await
}

fn on_days<'a>(entries: &'a [EntryRow], w: &WorkerRow, first: NaiveDate, last: NaiveDate) -> Vec<&'a EntryRow> {
    let tz = zone(&w.tz);
    entries
        .iter()
        .filter(|e| e.worker_id == w.id)
        .filter(|e| {
            let d = local_date(e.session(0).start_ms, tz);
            d >= first && d <= last
        })
        .collect()
}

fn day_block(call: &Call<'_>, w: &WorkerRow, mine: &[&EntryRow]) -> Value {
    let sessions: Vec<_> = mine.iter().map(|e| e.session(call.now_ms)).collect();
    let worked: i64 = sessions.iter().map(|s| s.worked_ms()).sum();
    let breaks: i64 = sessions.iter().map(|s| s.break_ms).sum();
    json!({
        "worker_id": w.id,
        "name": w.name,
        "timezone": w.tz,
        "status": status(mine),
        "sessions": mine.iter().map(|e| json!({"time_entry_id": e.id, "started_at": e.started_at, "ended_at": e.ended_at})).collect::<Vec<_>>(),
        "breaks": mine.iter().flat_map(|e| e.breaks.iter()).collect::<Vec<_>>(),
        "timeline": timeline(mine),
        "totals": {"worked_hours": hours(worked), "break_hours": hours(breaks)},
    })
}

pub async fn daily(call: &Call<'_>) -> ApiResult<Reply> {
    let date = day(&call.query, DAY, &DAY[0])?.ok_or_else(|| bad("date"))?;
    let workers = store::workers(&call.db()?, call.tenant_id()?, None).await?;
    let entries = window(call, date, date, None).await?;
    let blocks: Vec<Value> = workers
        .iter()
        .filter_map(|w| {
            let mine = on_days(&entries, w, date, date);
            (!mine.is_empty()).then(|| day_block(call, w, &mine))
        })
        .collect();
    Ok(Reply::value(200, &json!({"date": date.to_string(), "workers": blocks})))
}

pub async fn today(call: &Call<'_>) -> ApiResult<Reply> {
    let chosen = day(&call.query, TODAY, &TODAY[0])?;
    let (db, tenant) = (call.db()?, call.tenant_id()?);
    let date = match chosen {
        Some(d) => d,
        None => local_date(call.now_ms, zone(&store::tenant_tz(&db, tenant).await?)),
    };
    let workers = store::workers(&db, tenant, None).await?;
    let entries = window(call, date, date, None).await?;
    let blocks: Vec<Value> = workers
        .iter()
        .filter(|w| w.status == WorkerStatus::Active)
        .map(|w| {
            let mut mine = on_days(&entries, w, date, date);
            // A session still running from the day before decides the current status too.
            for e in entries.iter().filter(|e| e.worker_id == w.id && e.ended_at.is_none()) {
                if !mine.iter().any(|m| m.id == e.id) {
                    mine.insert(0, e);
                }
            }
            day_block(call, w, &mine)
        })
        .collect();
    Ok(Reply::value(200, &json!({"date": date.to_string(), "workers": blocks})))
}

/// The tenant's overtime rules.
async fn rules(call: &Call<'_>) -> ApiResult<Rules> {
    Ok(crate::storage::tenants::settings_of(&call.db()?, call.tenant_id()?).await?.overtime_rules())
}

fn per_worker_days(
    call: &Call<'_>,
    rules: &Rules,
    w: &WorkerRow,
    mine: &[&EntryRow],
    first: NaiveDate,
    last: NaiveDate,
) -> Vec<overtime::DayTotals> {
    let sessions: Vec<_> = mine.iter().map(|e| e.session(call.now_ms)).collect();
    daily_totals(&sessions, zone(&w.tz), rules).into_iter().filter(|d| d.date >= first && d.date <= last).collect()
}

pub async fn range(call: &Call<'_>) -> ApiResult<Reply> {
    let start = day(&call.query, RANGE, &RANGE[0])?.ok_or_else(|| bad("start"))?;
    let end = params::date(&call.query, &RANGE[1])?.ok_or_else(|| bad("end"))?;
    if end < start {
        return Err(ApiError::invalid_field("end", FieldCode::OutOfRange));
    }
    if (end - start).num_days() as u64 >= MAX_RANGE_DAYS {
        return Err(ApiError::invalid_field("end", FieldCode::OutOfRange));
    }
    let workers = store::workers(&call.db()?, call.tenant_id()?, None).await?;
    let entries = window(call, start, end, None).await?;
    let rules = rules(call).await?;
    let blocks: Vec<Value> = workers
        .iter()
        .filter_map(|w| {
            let mine = on_days(&entries, w, start, end);
            let days = per_worker_days(call, &rules, w, &mine, start, end);
            (!days.is_empty()).then(|| {
                let s = summarize(&days);
                json!({
                    "worker_id": w.id, "name": w.name, "timezone": w.tz,
                    "days": days.iter().map(|d| json!({"date": d.date.to_string(), "worked_hours": hours(d.worked_ms),
                        "regular_hours": hours(d.regular_ms), "overtime_hours": hours(d.overtime_ms)})).collect::<Vec<_>>(),
                    "total_hours": hours(s.worked_ms), "days_present": s.days_present,
                })
            })
        })
        .collect();
    Ok(Reply::value(200, &json!({"start": start.to_string(), "end": end.to_string(), "workers": blocks})))
}

pub async fn summary(call: &Call<'_>) -> ApiResult<Reply> {
    params::only(&call.query, MONTH)?;
    let month = params::int(&call.query, &MONTH[0])?.ok_or_else(|| bad("month"))? as u32;
    let year = params::int(&call.query, &MONTH[1])?.ok_or_else(|| bad("year"))? as i32;
    let first = NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(|| bad("month"))?;
    let next = first.checked_add_months(chrono::Months::new(1)).ok_or_else(|| bad("month"))?;
    let last = next.pred_opt().unwrap_or(first);
    let (db, tenant) = (call.db()?, call.tenant_id()?);
    let workers = store::workers(&db, tenant, None).await?;
    let entries = window(call, first, last, None).await?;
    let from = utc(first.checked_sub_days(Days::new(1)).unwrap_or(first));
    let to = utc(next.checked_add_days(Days::new(1)).unwrap_or(next));
    let shifts = store::published_shifts(&db, tenant, &from, &to).await?;
    let rules = rules(call).await?;
    let blocks: Vec<Value> = workers
        .iter()
        .map(|w| {
            let mine = on_days(&entries, w, first, last);
            let days = per_worker_days(call, &rules, w, &mine, first, last);
            let s = summarize(&days);
            let tz = zone(&w.tz);
            let mut scheduled: Vec<NaiveDate> = shifts
                .iter()
                .filter(|sh| sh.worker_id == w.id)
                .filter_map(|sh| crate::domain::time::parse_instant(&sh.starts_at, false).map(|ms| local_date(ms, tz)))
                .filter(|d| *d >= first && *d <= last)
                .collect();
            scheduled.sort();
            scheduled.dedup();
            let absences = scheduled.iter().filter(|d| !days.iter().any(|t| t.date == **d)).count();
            json!({
                "worker_id": w.id, "name": w.name, "timezone": w.tz,
                "total_hours": hours(s.worked_ms), "regular_hours": hours(s.regular_ms), "overtime_hours": hours(s.overtime_ms),
                "days_present": s.days_present, "scheduled_days": scheduled.len(), "absences": absences,
            })
        })
        .collect();
    Ok(Reply::value(200, &json!({"year": year, "month": month, "days_in_month": last.day(), "workers": blocks})))
}

/// `GET /v1/attendance/workers/{id}`: the worker's entries, newest rules of listing apply.
pub async fn worker(call: &Call<'_>, id: &str) -> ApiResult<Reply> {
    let (db, tenant) = (call.db()?, call.tenant_id()?);
    if store::workers(&db, tenant, Some(id)).await?.is_empty() {
        return Err(ApiError::not_found(Msg::NotFound(crate::i18n::Noun::Worker)));
    }
    if call.query.get("worker_id").is_some() {
        return Err(bad("worker_id"));
    }
    let mut pairs: Vec<(String, String)> = Vec::new();
    for p in HISTORY {
        if let Some(v) = call.query.get(p) {
            pairs.push((p.to_string(), v.to_string()));
        }
    }
    call.query.only(HISTORY)?;
    pairs.push(("worker_id".into(), id.to_string()));
    let page =
        crate::storage::resource::list(&db, &crate::storage::time_entries::TIME_ENTRIES, tenant, &Query::new(pairs))
            .await?;
    Ok(Reply::page(page))
}

/// The routes this module serves.
pub static ROUTES: &[RouteDef] = &[
    route!(GET "/v1/attendance/daily", Key, |call| daily(call), {
        id: "getAttendanceDaily",
        tag: "Attendance",
        summary: "Attendance on a day",
        description: "For the local day `date`: every live worker who began a session that day, with their status on that day's sessions (`working` or `on_break` while one of them is running, else `off`), the sessions, their breaks, a timeline of clock-ins, break starts and ends and clock-outs in time order, and the worked and break hours. Workers without a session that day are left out. Days are local days in each worker's zone (the worker's site's, else the tenant's); a session (time entry) belongs wholly to the day it began; rejected entries do not count; running sessions and open breaks count up to now. Unknown or repeated parameters and missing or malformed values are `400`. Needs `read:attendance`.",
        query: QueryDoc::params(DAY),
        ok: 200,
        response: "AttendanceDayResponse",
    }),
    route!(GET "/v1/attendance/range", Key, |call| range(call), {
        id: "getAttendanceRange",
        tag: "Attendance",
        summary: "Hours per day over a range",
        description: "For the local days `start` to `end` (both included, at most 31 days): per worker with at least one session in the range, each day with sessions and its worked, regular and overtime hours, and the worker's total hours and days present. Overtime is time over 8 hours in a day, or over 40 hours in a week (weeks start on Monday), counting only the days of the range. `end` before `start`, or a range over 31 days, is `422` (`end` `out_of_range`). Days are local days in each worker's zone (the worker's site's, else the tenant's); a session (time entry) belongs wholly to the day it began; rejected entries do not count; running sessions and open breaks count up to now. Unknown or repeated parameters and missing or malformed values are `400`. Needs `read:attendance`.",
        query: QueryDoc::params(RANGE),
        ok: 200,
        response: "AttendanceRangeResponse",
        errors: &[422],
    }),
    route!(GET "/v1/attendance/workers/{worker_id}", Key, |call| worker(call, call.param("worker_id")), {
        id: "listAttendanceWorkerEntries",
        tag: "Attendance",
        summary: "A worker's attendance history",
        description: "The worker's time entries, as `GET /v1/time-entries?worker_id=…` lists them: in creation order, a page at a time, filtered by `from`/`to` (inclusive bounds on `started_at`), `status`, `job_id`, `site_id` and `is_running`, with `updated_since` and `include_deleted`. Any other parameter (`worker_id` included) is `400`. An unknown or deleted worker is `404`. Needs `read:attendance`.",
        query: QueryDoc::list(&crate::storage::time_entries::TIME_ENTRIES.list).only(HISTORY),
        ok: 200,
        response: "TimeEntryListResponse",
    }),
    route!(GET "/v1/attendance/summary", Key, |call| summary(call), {
        id: "getAttendanceSummary",
        tag: "Attendance",
        summary: "Monthly attendance summary",
        description: "For the month `month` of `year`: every live worker, with the hours worked, regular and overtime (over 8 hours in a day or 40 in a week, weeks starting on Monday, counting only the days of the month), the days present (with at least one session), the days scheduled (on which one of the worker's published shifts starts, in the worker's zone) and the absences (scheduled days without any session). Days are local days in each worker's zone (the worker's site's, else the tenant's); a session (time entry) belongs wholly to the day it began; rejected entries do not count; running sessions and open breaks count up to now. Unknown or repeated parameters and missing or malformed values are `400`. Needs `read:attendance`.",
        query: QueryDoc::params(MONTH),
        ok: 200,
        response: "AttendanceSummaryResponse",
    }),
    route!(GET "/v1/attendance/today", Key, |call| today(call), {
        id: "getAttendanceToday",
        tag: "Attendance",
        summary: "Today's attendance board",
        description: "Every active worker (inactive ones are left out) with their current status (`off`, `working` or `on_break`), the day's sessions, breaks and timeline, and the worked and break hours so far. `date` defaults to today in the tenant's time zone. An entry still running from the day before is included, so it decides the status. Workers without a session appear as `off` with empty lists. Days are local days in each worker's zone (the worker's site's, else the tenant's); a session (time entry) belongs wholly to the day it began; rejected entries do not count; running sessions and open breaks count up to now. Unknown or repeated parameters and missing or malformed values are `400`. Needs `read:attendance`.",
        query: QueryDoc::params(TODAY),
        ok: 200,
        response: "AttendanceDayResponse",
    }),
];
