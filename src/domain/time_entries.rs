//! Time entries (SPEC §6): the body a client sends, the rules an entry must follow (order,
//! the 5-minute future limit, breaks inside the entry and apart, metadata size), worked time,
//! and the approval state machine.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::fields::{Fields, Patch};
use super::model::{self, field, Columns, FieldDef, Kind};
use super::named::named;
use super::time;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::i18n::{FieldCode, Msg};

named! {
    /// Where an entry stands in approval (SPEC §6); an approved entry is locked.
    pub enum EntryStatus {
        Pending = "pending",
        Approved = "approved",
        Rejected = "rejected",
    }
}

named! {
    /// What recorded an entry (SPEC §6); attendance clock-ins are `kiosk`, the API's default `api`.
    pub enum EntrySource {
        Web = "web",
        Cli = "cli",
        Api = "api",
        Agent = "agent",
        Kiosk = "kiosk",
    }
}
/// How far in the future an entry may start.
pub const FUTURE_SLACK_MS: i64 = 5 * 60 * 1000;
pub const METADATA_MAX: usize = 4096;
/// Stands in for "no end" when comparing a running entry's interval.
pub const OPEN_END: &str = "9999-12-31T23:59:59Z";

pub const FIELDS: &[FieldDef] = &[
    FieldDef { name: "worker_id", kind: Kind::Ref("wkr", "workers"), required: true },
    field("job_id", Kind::Ref("job", "jobs")),
    field("task_id", Kind::Ref("tsk", "tasks")),
    field("cost_code_id", Kind::Ref("cc", "cost_codes")),
    field("site_id", Kind::Ref("site", "sites")),
    field("notes", Kind::Text(2000)),
    field("source", Kind::OneOf(EntrySource::NAMES)),
    field("verification_score", Kind::Int(0, 100)),
];

/// Fields read by hand (times, breaks, locations, metadata).
const EXTRA: &[&str] = &["started_at", "ended_at", "breaks", "clock_in_location", "clock_out_location", "metadata"];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Break {
    pub started_at: String,
    pub ended_at: Option<String>,
}

/// The time-shaped part of an entry, validated together.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub started_at: String,
    pub ended_at: Option<String>,
    pub breaks: Vec<Break>,
}

/// A validated body: flat columns, and the parts given (absent parts keep their values).
#[derive(Debug)]
pub struct Input {
    pub cols: Columns,
    pub started_at: Patch<String>,
    pub ended_at: Patch<String>,
    pub breaks: Option<Vec<Break>>,
    pub clock_in: Patch<(f64, f64)>,
    pub clock_out: Patch<(f64, f64)>,
    pub metadata: Patch<String>,
}

fn instant(f: &mut Fields, name: &str) -> Patch<String> {
    match f.text(name, 40) {
        Patch::Set(s) => match time::normalize(&s, false) {
            Some(t) => Patch::Set(t),
            None => {
                f.fail(name, FieldCode::Invalid);
                Patch::Absent
            }
        },
        other => other,
    }
}

fn location(f: &mut Fields, body: &Value, name: &str) -> Patch<(f64, f64)> {
    match f.object(name) {
        Patch::Set(obj) => {
            let mut inner = Fields::new(obj, &["latitude", "longitude"]);
            let lat = inner.real("latitude", -90.0, 90.0);
            let lat = inner.require("latitude", lat);
            let lng = inner.real("longitude", -180.0, 180.0);
            let lng = inner.require("longitude", lng);
            match inner.finish() {
                Ok(()) => Patch::Set((lat.unwrap_or_default(), lng.unwrap_or_default())),
                Err(e) => {
                    e.details.iter().for_each(|d| f.fail(&format!("{name}.{}", d.field), d.code));
                    Patch::Absent
                }
            }
        }
        other => {
            let _ = body;
            other.map(|_| (0.0, 0.0))
        }
    }
}

fn breaks(f: &mut Fields, body: &Value) -> Option<Vec<Break>> {
    match body.get("breaks") {
        None => None,
        Some(Value::Null) => Some(Vec::new()),
        Some(Value::Array(items)) if items.len() <= 50 => {
            let mut out = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let mut b = Fields::new(item, &["started_at", "ended_at"]);
                let start = instant(&mut b, "started_at");
                let start = b.require("started_at", start);
                let end = instant(&mut b, "ended_at").into_option();
                match (b.finish(), start) {
                    (Ok(()), Some(s)) => out.push(Break { started_at: s, ended_at: end }),
                    // An item that is not an object is reported as the item itself.
                    (Err(_), _) if !item.is_object() => f.fail(&format!("breaks[{i}]"), FieldCode::WrongType),
                    (Err(e), _) => e.details.iter().for_each(|d| f.fail(&format!("breaks[{i}].{}", d.field), d.code)),
                    _ => f.fail(&format!("breaks[{i}]"), FieldCode::Invalid),
                }
            }
            Some(out)
        }
        Some(Value::Array(_)) => {
            f.fail("breaks", FieldCode::TooLong);
            None
        }
        Some(_) => {
            f.fail("breaks", FieldCode::WrongType);
            None
        }
    }
}

/// Reads a create (`create`) or update body.
pub fn parse(body: &Value, create: bool) -> ApiResult<Input> {
    let mut cols = model::parse(body, FIELDS, EXTRA, create)?;
    if matches!(cols.get("source"), Some(super::listing::Arg::Null)) {
        return Err(ApiError::invalid_field("source", FieldCode::Required));
    }
    if create && cols.get("source").is_none() {
        cols.set("source", EntrySource::Api.into());
    }
    let names: Vec<&str> = FIELDS.iter().map(|d| d.name).chain(EXTRA.iter().copied()).collect();
    let mut f = Fields::new(body, &names);
    let started_at = instant(&mut f, "started_at");
    let started_at = if create {
        f.require("started_at", started_at).map_or(Patch::Absent, Patch::Set)
    } else {
        f.not_null("started_at", started_at)
    };
    let ended_at = instant(&mut f, "ended_at");
    let breaks = breaks(&mut f, body);
    let clock_in = location(&mut f, body, "clock_in_location");
    let clock_out = location(&mut f, body, "clock_out_location");
    let metadata = match f.object("metadata") {
        Patch::Set(m) => {
            let text = m.to_string();
            if text.len() > METADATA_MAX {
                f.fail("metadata", FieldCode::TooLong);
                Patch::Absent
            } else {
                Patch::Set(text)
            }
        }
        other => other.map(|_| String::new()),
    };
    f.finish()?;
    Ok(Input { cols, started_at, ended_at, breaks, clock_in, clock_out, metadata })
}

/// Checks a span against the rules at `now_ms`; every violation is reported.
pub fn check_span(span: &Span, now_ms: i64, check_future: bool) -> ApiResult<()> {
    let mut errors = Vec::new();
    let start_ms = time::parse_instant(&span.started_at, false).unwrap_or(0);
    if check_future && start_ms > now_ms + FUTURE_SLACK_MS {
        errors.push(FieldError::new("started_at", FieldCode::OutOfRange));
    }
    if let Some(end) = &span.ended_at {
        if end <= &span.started_at {
            errors.push(FieldError::new("ended_at", FieldCode::OutOfRange));
        }
    }
    let limit = span.ended_at.clone().unwrap_or_else(|| OPEN_END.to_string());
    let mut previous_end: Option<&str> = None;
    for (i, b) in span.breaks.iter().enumerate() {
        let last = i + 1 == span.breaks.len();
        let open_ok = last && span.ended_at.is_none();
        let end = b.ended_at.as_deref();
        let bad = b.started_at < span.started_at
            || b.started_at.as_str() >= limit.as_str()
            || end.is_some_and(|e| e <= b.started_at.as_str() || e > limit.as_str())
            || (end.is_none() && !open_ok)
            || previous_end.is_some_and(|p| b.started_at.as_str() < p);
        if bad {
            errors.push(FieldError::new(format!("breaks[{i}]"), FieldCode::OutOfRange));
        }
        previous_end = Some(end.unwrap_or(OPEN_END));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::validation(errors))
    }
}

/// Worked seconds of a finished span: its length less its breaks.
pub fn worked_seconds(span: &Span) -> i64 {
    let secs = |s: &str| time::parse_instant(s, false).unwrap_or(0) / 1000;
    let Some(end) = &span.ended_at else { return 0 };
    let breaks: i64 =
        span.breaks.iter().map(|b| b.ended_at.as_deref().map_or(0, |e| (secs(e) - secs(&b.started_at)).max(0))).sum();
    (secs(end) - secs(&span.started_at) - breaks).max(0)
}

/// Closes a running span at `now`: ends an open break, then the entry.
pub fn stop(mut span: Span, now: &str) -> Span {
    if let Some(b) = span.breaks.last_mut() {
        if b.ended_at.is_none() {
            b.ended_at = Some(now.to_string());
        }
    }
    span.ended_at = Some(now.to_string());
    span
}

/// Approval transitions: approve from pending or rejected; reject from pending; unapprove
/// from approved. Running entries cannot be approved.
pub fn check_status_change(from: EntryStatus, to: EntryStatus, running: bool) -> ApiResult<()> {
    use EntryStatus::*;
    let ok = match to {
        Approved => !running && (from == Pending || from == Rejected),
        Rejected => from == Pending,
        Pending => from == Approved,
    };
    if ok {
        Ok(())
    } else {
        Err(ApiError::conflict(Msg::InvalidTransition(from.as_str(), to.as_str())))
    }
}

/// Reads the rejection note (required, ≤ 2000 characters).
pub fn rejection_note(body: &Value) -> ApiResult<String> {
    let mut f = Fields::new(body, &["note"]);
    let note = f.text("note", 2000);
    let note = f.require("note", note);
    f.finish()?;
    Ok(note.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NOW: i64 = 1_780_000_000_000; // 2026-05-28T20:26:40Z

    fn span(start: &str, end: Option<&str>, breaks: &[(&str, Option<&str>)]) -> Span {
        Span {
            started_at: start.into(),
            ended_at: end.map(Into::into),
            breaks: breaks
                .iter()
                .map(|(s, e)| Break { started_at: (*s).into(), ended_at: e.map(Into::into) })
                .collect(),
        }
    }

    #[test]
    fn worked_time_excludes_breaks() {
        let s = span(
            "2026-05-28T08:00:00Z",
            Some("2026-05-28T16:30:00Z"),
            &[("2026-05-28T12:00:00Z", Some("2026-05-28T12:30:00Z"))],
        );
        assert!(check_span(&s, NOW, true).is_ok());
        assert_eq!(worked_seconds(&s), 8 * 3600);
    }

    #[test]
    fn order_future_and_breaks_are_checked() {
        let bad_order = span("2026-05-28T08:00:00Z", Some("2026-05-28T08:00:00Z"), &[]);
        assert_eq!(check_span(&bad_order, NOW, true).unwrap_err().details[0].field, "ended_at");
        let future = span("2026-05-28T20:40:00Z", None, &[]);
        assert_eq!(check_span(&future, NOW, true).unwrap_err().details[0].field, "started_at");
        assert!(check_span(&span("2026-05-28T20:30:00Z", None, &[]), NOW, true).is_ok(), "within 5 minutes");
        let outside = span(
            "2026-05-28T08:00:00Z",
            Some("2026-05-28T10:00:00Z"),
            &[("2026-05-28T07:00:00Z", Some("2026-05-28T08:30:00Z"))],
        );
        assert!(check_span(&outside, NOW, true).is_err());
        let overlapping = span(
            "2026-05-28T08:00:00Z",
            Some("2026-05-28T16:00:00Z"),
            &[
                ("2026-05-28T10:00:00Z", Some("2026-05-28T11:00:00Z")),
                ("2026-05-28T10:30:00Z", Some("2026-05-28T12:00:00Z")),
            ],
        );
        assert_eq!(check_span(&overlapping, NOW, true).unwrap_err().details[0].field, "breaks[1]");
        let open_on_finished =
            span("2026-05-28T08:00:00Z", Some("2026-05-28T16:00:00Z"), &[("2026-05-28T10:00:00Z", None)]);
        assert!(check_span(&open_on_finished, NOW, true).is_err());
        let open_on_running = span("2026-05-28T08:00:00Z", None, &[("2026-05-28T10:00:00Z", None)]);
        assert!(check_span(&open_on_running, NOW, true).is_ok());
    }

    #[test]
    fn stopping_closes_an_open_break() {
        let s = stop(span("2026-05-28T08:00:00Z", None, &[("2026-05-28T10:00:00Z", None)]), "2026-05-28T11:00:00Z");
        assert_eq!(s.breaks[0].ended_at.as_deref(), Some("2026-05-28T11:00:00Z"));
        assert_eq!(worked_seconds(&s), 2 * 3600);
    }

    #[test]
    fn approval_state_machine() {
        use EntryStatus::*;
        assert!(check_status_change(Pending, Approved, false).is_ok());
        assert!(check_status_change(Pending, Approved, true).is_err());
        assert!(check_status_change(Approved, Approved, false).is_err());
        assert!(check_status_change(Approved, Rejected, false).is_err());
        assert!(check_status_change(Approved, Pending, false).is_ok());
        assert!(check_status_change(Rejected, Approved, false).is_ok());
        assert!(rejection_note(&json!({})).is_err());
        assert_eq!(rejection_note(&json!({"note": "wrong job"})).unwrap(), "wrong job");
    }

    #[test]
    fn body_rules() {
        let ok = parse(&json!({"worker_id": "wkr_0193c2aa000070008000000000000001", "started_at": "2026-05-28T08:00:00+02:00",
                               "metadata": {"device": "kiosk-3"}, "clock_in_location": {"latitude": 1, "longitude": 2}}), true).unwrap();
        assert_eq!(ok.started_at, Patch::Set("2026-05-28T06:00:00Z".into()));
        assert_eq!(ok.clock_in, Patch::Set((1.0, 2.0)));
        let big = "x".repeat(METADATA_MAX);
        let e = parse(&json!({"worker_id": "wkr_0193c2aa000070008000000000000001", "started_at": "2026-05-28T08:00:00Z", "metadata": {"k": big}}), true).unwrap_err();
        assert_eq!(e.details[0].field, "metadata");
        let e = parse(&json!({"worker_id": "wkr_0193c2aa000070008000000000000001", "started_at": "2026-05-28T08:00:00Z", "metadata": [1], "source": "fax"}), true).unwrap_err();
        let fields: Vec<_> = e.details.iter().map(|d| d.field.as_str()).collect();
        assert_eq!(fields, vec!["source"]);
        let e = parse(&json!({"worker_id": "wkr_0193c2aa000070008000000000000001", "started_at": "2026-05-28T08:00:00Z", "breaks": [null, {}]}), true).unwrap_err();
        let got: Vec<_> = e.details.iter().map(|d| (d.field.as_str(), d.code)).collect();
        assert_eq!(got, vec![("breaks[0]", FieldCode::WrongType), ("breaks[1].started_at", FieldCode::Required)]);
    }
}
