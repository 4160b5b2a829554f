//! Time entries (SPEC §6): the body a client sends, the rules an entry must follow (order,
//! the 5-minute future limit, breaks inside the entry and apart, metadata size), worked time,
//! and the approval state machine.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::fields::Patch;
use super::listing::Arg;
use super::model::{field, names, not_null, required, Columns, DefaultValue, FieldDef, Kind, Nested, Shape};
use super::named::named;
use super::{reader, time};
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
/// Most breaks one entry may have.
pub const MAX_BREAKS: usize = 50;

/// Every field of an entry: the plain ones, then (from [`SPAN_START`]) the span, locations and
/// metadata, which are read once the plain ones are valid.
pub const ENTRY: &[FieldDef] = &[
    required("worker_id", Kind::Ref("wkr", "workers")).doc("The worker, who must be active (`inactive` otherwise)."),
    field("job_id", Kind::Ref("job", "jobs"))
        .doc("Its geofence, when it has one, is what `clock_in_location` is checked against."),
    field("task_id", Kind::Ref("tsk", "tasks")),
    field("cost_code_id", Kind::Ref("cc", "cost_codes")),
    field("site_id", Kind::Ref("site", "sites")).doc("Its geofence is used when the job has none."),
    field("notes", Kind::Text(2000)).doc("Free text."),
    not_null("billable", Kind::Bool).doc(
        "Whether the time is billed to the customer. Default at creation: the task's `billable_by_default`, else \
         `true`.",
    ),
    not_null("source", Kind::OneOf(EntrySource::NAMES))
        .or(DefaultValue::Text(EntrySource::Api.as_str()))
        .doc("Where the entry was recorded. Attendance clock-ins are `kiosk`."),
    field("verification_score", Kind::Int(0, 100)).doc(
        "A photo-check score; under the tenant's threshold (60 by default) it emits `time_entry.flagged_pinshot_low`.",
    ),
    required("started_at", Kind::Instant).doc("At most 5 minutes in the future (`out_of_range`)."),
    field("ended_at", Kind::Instant).doc(
        "After `started_at` (`out_of_range` otherwise). Absent or `null`: the entry is running (a worker has at \
         most one running entry).",
    ),
    field("breaks", Kind::List(&BREAK, MAX_BREAKS))
        .doc("Inside the entry, in time order and not overlapping; replaced as a whole. `null`: none."),
    field("clock_in_location", Kind::Object(&LOCATION)).doc(
        "Where the worker clocked in. Outside the geofence of the entry's job (else of its site, else of the job's \
         site) it sets `outside_fence: true` and emits `time_entry.flagged_outside_fence`.",
    ),
    field("clock_out_location", Kind::Object(&LOCATION)).doc("Where the worker clocked out."),
    field("metadata", Kind::Json(METADATA_MAX))
        .doc("Any JSON object of at most 4,096 bytes as serialised (`too_long`), kept and returned as sent."),
];
const SPAN_START: usize = 9;
/// The plain fields of an entry.
pub const FIELDS: &[FieldDef] = ENTRY.split_at(SPAN_START).0;
/// The time-shaped and free-form fields.
pub const SPAN_FIELDS: &[FieldDef] = ENTRY.split_at(SPAN_START).1;

/// A new entry, as one item of a batch.
pub static NEW_ENTRY: Shape = Shape::new(ENTRY, &[], "TimeEntryCreate", "A new time entry.");

/// Most entries one batch may create.
pub const MAX_BATCH: usize = 100;

/// `POST /v1/time-entries/batch`: `{entries: [...]}`, each item read on its own by the handler.
pub const BATCH: &[FieldDef] = &[required("entries", Kind::Items(&NEW_ENTRY, 1, MAX_BATCH))
    .doc("Bodies of `POST /v1/time-entries`. An item that breaks a rule does not fail the batch: it gets its own error result.")];

/// A break inside an entry; its time is not worked time.
pub static BREAK: Shape = Shape::new(
    &[
        required("started_at", Kind::Instant),
        field("ended_at", Kind::Instant).doc(
            "After `started_at`. Absent or `null`: the break is open (only as the last break of a running entry).",
        ),
    ],
    &[],
    "BreakInput",
    "One break. A break outside the entry, before the previous one ends, or open when it may not be is \
     `breaks[<index>]` `out_of_range`.",
);

/// A point on the ground, in degrees.
pub static LOCATION: Shape = Shape::new(
    &[
        required("latitude", Kind::Real(-90.0, 90.0)).doc("Degrees."),
        required("longitude", Kind::Real(-180.0, 180.0)).doc("Degrees."),
    ],
    &[],
    "LocationInput",
    "A point: both fields are required.",
);

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

fn text(cols: &Columns, name: &str) -> Patch<String> {
    match cols.get(name) {
        None => Patch::Absent,
        Some(Arg::Text(s)) => Patch::Set(s.clone()),
        Some(_) => Patch::Null,
    }
}

fn point(cols: &Columns, name: &str) -> Patch<(f64, f64)> {
    match cols.nested(name) {
        None => Patch::Absent,
        Some(Nested::Object(p)) => {
            Patch::Set((p.real("latitude").unwrap_or_default(), p.real("longitude").unwrap_or_default()))
        }
        Some(_) => Patch::Null,
    }
}

fn breaks(cols: &Columns) -> Option<Vec<Break>> {
    match cols.nested("breaks")? {
        Nested::List(items) => Some(
            items
                .iter()
                .map(|b| Break {
                    started_at: b.text("started_at").unwrap_or_default().to_string(),
                    ended_at: b.text("ended_at").map(str::to_string),
                })
                .collect(),
        ),
        _ => Some(Vec::new()),
    }
}

/// Reads a create (`create`) or update body: the plain fields first (a body whose plain fields
/// are invalid is reported on those alone), then the span, locations and metadata.
pub fn parse(body: &Value, create: bool) -> ApiResult<Input> {
    let cols = reader::parse(body, FIELDS, &names(SPAN_FIELDS), create)?;
    let span = reader::parse(body, SPAN_FIELDS, &names(FIELDS), create)?;
    Ok(Input {
        cols,
        started_at: text(&span, "started_at"),
        ended_at: text(&span, "ended_at"),
        breaks: breaks(&span),
        clock_in: point(&span, "clock_in_location"),
        clock_out: point(&span, "clock_out_location"),
        metadata: text(&span, "metadata"),
    })
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

/// `POST /v1/time-entries/{id}/reject`: why the entry is rejected.
pub const REJECTION: &[FieldDef] =
    &[required("note", Kind::Text(2000)).doc("Why the entry is rejected; kept as `rejection_note`.")];

/// Reads the rejection note (required, ≤ 2000 characters).
pub fn rejection_note(body: &Value) -> ApiResult<String> {
    let cols = reader::parse(body, REJECTION, &[], true)?;
    Ok(cols.text("note").unwrap_or_default().to_string())
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
    fn the_span_fields_follow_the_plain_ones() {
        assert_eq!(FIELDS.last().map(|d| d.name), Some("verification_score"));
        assert_eq!(SPAN_FIELDS.first().map(|d| d.name), Some("started_at"));
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
