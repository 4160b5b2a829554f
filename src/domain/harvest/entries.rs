//! Time entries on the Harvest wire (SPEC §9 "Time entries"): a stored entry as Harvest shows
//! it (local `spent_date`, `"HH:MM"` times in the site's zone, hours, the running timer, locks),
//! and a Harvest create or update read into `/v1`'s terms — the span the entry covers — so the
//! same rules and statements decide it.

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde_json::{json, Value};

use super::unprocessable;
use super::wire::{fmt_clock, hours, parse_clock, parse_date};
use crate::domain::time;
use crate::error::ApiResult;

fn zone(row: &Value) -> Tz {
    row["zone"].as_str().and_then(|z| z.parse().ok()).unwrap_or(Tz::UTC)
}

fn instant(s: &str) -> Option<DateTime<Utc>> {
    time::parse_instant(s, false).and_then(DateTime::<Utc>::from_timestamp_millis)
}

/// A stored entry (the row storage reads: integer id, span, references, zone) as Harvest's
/// time entry, at `now_ms` (a running entry's hours grow until it stops).
pub fn to_wire(row: &Value, now_ms: i64) -> Value {
    let tz = zone(row);
    let started = row["started_at"].as_str().and_then(instant).unwrap_or_default();
    let ended = row["ended_at"].as_str().and_then(instant);
    let running = ended.is_none();
    let local_start = started.with_timezone(&tz);
    let seconds = match ended {
        Some(_) => row["worked_seconds"].as_i64().unwrap_or(0),
        None => ((now_ms - started.timestamp_millis()) / 1000).max(0),
    };
    let approved = row["status"] == "approved";
    // SPEC §9: `is_billed` is invoiced; an invoiced entry is locked like an approved one.
    let invoiced = row["invoice"].is_object();
    let locked = approved || invoiced;
    let clock = |t: DateTime<Utc>| {
        let l = t.with_timezone(&tz);
        fmt_clock(chrono::Timelike::hour(&l), chrono::Timelike::minute(&l))
    };
    json!({
        "id": row["id"],
        "spent_date": local_start.date_naive().format("%Y-%m-%d").to_string(),
        "hours": hours(seconds),
        "hours_without_timer": hours(seconds),
        "rounded_hours": hours(seconds),
        "notes": row["notes"],
        "is_locked": locked,
        "locked_reason": if invoiced { json!("Invoiced") } else if approved { json!("Approved") } else { Value::Null },
        "is_closed": locked,
        "approval_status": if approved { "approved" } else { "unsubmitted" },
        "is_billed": invoiced,
        "timer_started_at": if running { row["started_at"].clone() } else { Value::Null },
        "started_time": clock(started),
        "ended_time": ended.map(clock),
        "is_running": running,
        "billable": row["billable"].as_i64().map(|b| b != 0).unwrap_or(true),
        "budgeted": false,
        "billable_rate": Value::Null,
        "cost_rate": Value::Null,
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "user": row["user"],
        "client": row["client"],
        "project": row["project"],
        "task": row["task"],
        "user_assignment": Value::Null,
        "task_assignment": Value::Null,
        "external_reference": Value::Null,
        "invoice": row["invoice"],
        "source": row["source"],
        "metadata": row["metadata"],
    })
}

/// The UTC instant of a local date and time in `tz` (the earlier one when a clock change makes
/// it ambiguous, the first valid one after a gap).
pub fn local_instant(tz: Tz, date: NaiveDate, t: NaiveTime) -> DateTime<Utc> {
    let naive = date.and_time(t);
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(d) | LocalResult::Ambiguous(d, _) => d.with_timezone(&Utc),
        LocalResult::None => tz
            .from_local_datetime(&(naive + Duration::hours(1)))
            .earliest()
            .map_or_else(|| Utc.from_utc_datetime(&naive), |d| d.with_timezone(&Utc)),
    }
}

/// The UTC bounds `[start, end)` of local day `date` in `tz`.
pub fn day_bounds(tz: Tz, date: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = local_instant(tz, date, NaiveTime::MIN);
    let end = local_instant(tz, date + Duration::days(1), NaiveTime::MIN);
    (start, end)
}

/// How a Harvest create places its entry.
#[derive(Debug, Clone, PartialEq)]
pub enum Placement {
    /// `spent_date` + `hours`: right after the worker's last entry that day (storage finds
    /// where that is), lasting this many seconds.
    Duration { date: NaiveDate, seconds: i64 },
    /// `started_time` (and `ended_time`): exactly there; no end means running.
    Times { started: DateTime<Utc>, ended: Option<DateTime<Utc>> },
    /// Neither `hours` nor `ended_time`: a timer running from now.
    Timer,
}

/// `hours` as seconds: a decimal from 0 to 24.
pub fn hours_seconds(v: &Value) -> ApiResult<i64> {
    let h =
        v.as_f64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok())).ok_or_else(|| unprocessable("hours"))?;
    if !(0.0..=24.0).contains(&h) {
        return Err(unprocessable("hours"));
    }
    Ok((h * 3600.0).round() as i64)
}

/// Reads where a Harvest create puts its entry, in `tz`.
pub fn placement(body: &Value, tz: Tz) -> ApiResult<Placement> {
    let date = match body.get("spent_date") {
        Some(v) => Some(v.as_str().and_then(parse_date).ok_or_else(|| unprocessable("spent_date"))?),
        None => None,
    };
    let clock = |name: &str| -> ApiResult<Option<NaiveTime>> {
        match body.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => {
                let (h, m) = v.as_str().and_then(parse_clock).ok_or_else(|| unprocessable(name))?;
                Ok(NaiveTime::from_hms_opt(h, m, 0))
            }
        }
    };
    let (started, ended) = (clock("started_time")?, clock("ended_time")?);
    if let Some(h) = body.get("hours").filter(|v| !v.is_null()) {
        let seconds = hours_seconds(h)?;
        let date = date.ok_or_else(|| unprocessable("spent_date"))?;
        return Ok(match started {
            Some(s) => {
                let start = local_instant(tz, date, s);
                Placement::Times { started: start, ended: Some(start + Duration::seconds(seconds)) }
            }
            None => Placement::Duration { date, seconds },
        });
    }
    match (started, ended) {
        (Some(s), e) => {
            let date = date.ok_or_else(|| unprocessable("spent_date"))?;
            let start = local_instant(tz, date, s);
            let end = e.map(|e| local_instant(tz, date, e));
            if end.is_some_and(|e| e <= start) {
                return Err(unprocessable("ended_time"));
            }
            Ok(Placement::Times { started: start, ended: end })
        }
        (None, Some(_)) => Err(unprocessable("started_time")),
        (None, None) => Ok(Placement::Timer),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn madrid() -> Tz {
        "Europe/Madrid".parse().unwrap()
    }

    fn row(ended: Option<&str>) -> Value {
        json!({"id": 7, "started_at": "2026-01-05T08:00:00Z", "ended_at": ended, "worked_seconds": 5400,
               "notes": "n", "source": "api", "status": "approved", "billable": 1, "zone": "Europe/Madrid",
               "user": {"id": 1, "name": "Ana"}, "client": {"id": 0, "name": "(none)"},
               "project": {"id": 3, "name": "Roof"}, "task": {"id": 0, "name": "(none)"},
               "created_at": "2026-01-05T08:00:00Z", "updated_at": "2026-01-05T09:30:00Z", "metadata": null})
    }

    #[test]
    fn an_entry_in_the_sites_zone() {
        let w = to_wire(&row(Some("2026-01-05T09:30:00Z")), 0);
        assert_eq!(
            (w["spent_date"].as_str(), w["started_time"].as_str(), w["ended_time"].as_str()),
            (Some("2026-01-05"), Some("09:00"), Some("10:30"))
        );
        assert_eq!(w["hours"], json!(1.5));
        assert_eq!(
            (w["is_locked"].as_bool(), w["locked_reason"].as_str(), w["is_running"].as_bool()),
            (Some(true), Some("Approved"), Some(false))
        );
        assert_eq!(w["timer_started_at"], Value::Null);
        assert_eq!(w["client"]["name"], "(none)");
        assert_eq!(w["is_billed"], false);
        let mut invoiced = row(Some("2026-01-05T09:30:00Z"));
        invoiced["invoice"] = json!({"id": 4, "number": "INV-000004"});
        let w = to_wire(&invoiced, 0);
        assert_eq!((w["is_billed"].as_bool(), w["locked_reason"].as_str()), (Some(true), Some("Invoiced")));
        assert_eq!(w["invoice"]["number"], "INV-000004");
    }

    #[test]
    fn a_running_entry_counts_until_now() {
        let now = time::parse_instant("2026-01-05T08:45:00Z", false).unwrap();
        let w = to_wire(&row(None), now);
        assert_eq!((w["is_running"].as_bool(), w["hours"].clone()), (Some(true), json!(0.75)));
        assert_eq!(w["timer_started_at"], "2026-01-05T08:00:00Z");
        assert_eq!(w["ended_time"], Value::Null);
    }

    #[test]
    fn placements() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        assert_eq!(
            placement(&json!({"spent_date": "20260105", "hours": 1.25}), madrid()).unwrap(),
            Placement::Duration { date: d, seconds: 4500 }
        );
        let p =
            placement(&json!({"spent_date": "2026-01-05", "started_time": "9:30am", "ended_time": "11:00"}), madrid())
                .unwrap();
        let at = |s: &str| instant(s).unwrap();
        assert_eq!(
            p,
            Placement::Times { started: at("2026-01-05T08:30:00Z"), ended: Some(at("2026-01-05T10:00:00Z")) }
        );
        let running = placement(&json!({"spent_date": "2026-01-05", "started_time": "09:00"}), madrid()).unwrap();
        assert_eq!(running, Placement::Times { started: at("2026-01-05T08:00:00Z"), ended: None });
        assert_eq!(placement(&json!({"spent_date": "2026-01-05"}), madrid()).unwrap(), Placement::Timer);
        for bad in [
            json!({"hours": 1}),
            json!({"spent_date": "x", "hours": 1}),
            json!({"spent_date": "2026-01-05", "hours": 25}),
            json!({"spent_date": "2026-01-05", "ended_time": "10:00"}),
            json!({"spent_date": "2026-01-05", "started_time": "10:00", "ended_time": "09:00"}),
        ] {
            assert_eq!(placement(&bad, madrid()).unwrap_err().status(), 422, "{bad}");
        }
    }

    #[test]
    fn local_days_across_a_clock_change() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap();
        let (start, end) = day_bounds(madrid(), d);
        assert_eq!((end - start).num_hours(), 23, "the spring day is 23 hours long");
    }
}
