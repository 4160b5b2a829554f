//! Positions (SPEC §6): the body a phone sends for one position or a buffered batch, the
//! rules each must follow, and what the live feed needs to know of an accepted one.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::model::{field, required, FieldDef, Kind, Shape};
use super::{reader, time};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::i18n::FieldCode;

/// Most positions one batch may carry (a phone's buffer).
pub const MAX_BATCH: usize = 500;
/// How far in the future `recorded_at` may be (clock skew), as for time entries.
pub const FUTURE_SLACK_MS: i64 = 5 * 60 * 1000;
/// How long history is kept, counted from `recorded_at`.
pub const RETENTION_DAYS: i64 = 90;
/// The live delay when `LIVE_DELAY_SECONDS` is unset or unreadable.
pub const DEFAULT_LIVE_DELAY_SECONDS: i64 = 60;

/// Every field of a position.
pub const FIELDS: &[FieldDef] = &[
    required("worker_id", Kind::Id("wkr"))
        .doc("The worker, who must exist in the tenant and be active (`not_found`, `inactive`)."),
    required("latitude", Kind::Real(-90.0, 90.0)).doc("Degrees, WGS 84."),
    required("longitude", Kind::Real(-180.0, 180.0)).doc("Degrees, WGS 84."),
    field("accuracy_m", Kind::Real(0.0, 1_000_000.0)).doc("Horizontal accuracy in metres (radius, 68 %)."),
    required("recorded_at", Kind::Instant).doc(
        "When the phone took the fix: at most 5 minutes in the future (`out_of_range`). Shown in whole seconds; \
         the live delay counts from the instant as sent.",
    ),
    field("heading", Kind::Real(0.0, 360.0)).doc("Direction of travel in degrees clockwise from true north."),
    field("speed_mps", Kind::Real(0.0, 1_000.0)).doc("Speed over ground in metres per second."),
];

/// A new position, alone or as an item of a batch.
pub static NEW_POSITION: Shape = Shape::new(FIELDS, &[], "PositionCreate", "A position to record.");

/// `POST /v1/positions` with a batch: `{positions: [...]}`, each item read on its own.
pub const BATCH: &[FieldDef] = &[required("positions", Kind::Items(&NEW_POSITION, 1, MAX_BATCH)).doc(
    "Bodies of a single position. An item that breaks a rule does not fail the batch: it gets its own error result.",
)];

/// A validated position, before the worker is looked up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewPosition {
    pub worker_id: String,
    pub latitude: f64,
    pub longitude: f64,
    pub accuracy_m: Option<f64>,
    pub heading: Option<f64>,
    pub speed_mps: Option<f64>,
    /// The stored form, whole seconds.
    pub recorded_at: String,
    /// The instant as sent, to the millisecond: the live delay counts from here.
    #[serde(skip)]
    pub recorded_ms: i64,
}

/// Whether a body is a batch (`{"positions": …}`) rather than one position.
pub fn is_batch(body: &Value) -> bool {
    body.get("positions").is_some()
}

/// Reads one position: every invalid field in one 422.
pub fn parse(body: &Value, now_ms: i64) -> ApiResult<NewPosition> {
    let cols = reader::parse(body, FIELDS, &[], true)?;
    let raw_time = body.get("recorded_at").and_then(Value::as_str).unwrap_or_default();
    let recorded_ms = time::parse_instant(raw_time, false).unwrap_or_default();
    if recorded_ms > now_ms + FUTURE_SLACK_MS {
        return Err(ApiError::validation(vec![FieldError::new("recorded_at", FieldCode::OutOfRange)]));
    }
    Ok(NewPosition {
        worker_id: cols.text("worker_id").unwrap_or_default().to_string(),
        latitude: cols.real("latitude").unwrap_or_default(),
        longitude: cols.real("longitude").unwrap_or_default(),
        accuracy_m: cols.real("accuracy_m"),
        heading: cols.real("heading"),
        speed_mps: cols.real("speed_mps"),
        recorded_at: time::fmt_ms(recorded_ms),
        recorded_ms,
    })
}

/// The items of a batch body, after the batch's own shape is checked (1–500 items, nothing
/// else in the body).
pub fn batch_items(body: &Value) -> ApiResult<&[Value]> {
    reader::parse(body, BATCH, &[], true)?;
    Ok(body["positions"].as_array().map(Vec::as_slice).unwrap_or_default())
}

/// What the worker lookup found for a position's `worker_id`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct WorkerState {
    pub id: String,
    pub status: String,
    pub site_id: Option<String>,
}

/// The refusal for a position whose worker is missing or inactive, if it is.
pub fn worker_refusal(worker: Option<&WorkerState>) -> Option<ApiError> {
    let code = match worker {
        None => FieldCode::NotFound,
        Some(w) if w.status != "active" => FieldCode::Inactive,
        Some(_) => return None,
    };
    Some(ApiError::validation(vec![FieldError::new("worker_id", code)]))
}

/// The instant (unix ms) from which a position recorded at `recorded_ms` may be streamed.
pub fn due_ms(recorded_ms: i64, delay_seconds: i64) -> i64 {
    recorded_ms.saturating_add(delay_seconds.max(0).saturating_mul(1000))
}

/// `LIVE_DELAY_SECONDS` as configured: a whole number of seconds ≥ 0, else the default.
pub fn live_delay_seconds(configured: Option<&str>) -> i64 {
    configured.and_then(|v| v.trim().parse::<i64>().ok()).filter(|s| *s >= 0).unwrap_or(DEFAULT_LIVE_DELAY_SECONDS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NOW: i64 = 1_780_000_000_000;

    fn codes(e: ApiError) -> Vec<(String, &'static str)> {
        e.details.iter().map(|d| (d.field.clone(), d.code.as_str())).collect()
    }

    fn body() -> Value {
        json!({"worker_id": format!("wkr_{}", "0".repeat(32)), "latitude": 52.52, "longitude": 13.405,
               "recorded_at": "2026-05-28T20:26:40.750Z"})
    }

    #[test]
    fn reads_a_position_keeping_the_exact_instant() {
        let p = parse(&body(), NOW).unwrap();
        assert_eq!(p.latitude, 52.52);
        assert_eq!(p.recorded_at, "2026-05-28T20:26:40Z");
        assert_eq!(p.recorded_ms, 1_780_000_000_750);
        assert_eq!(p.accuracy_m, None);
        assert_eq!(due_ms(p.recorded_ms, 60), 1_780_000_060_750);
    }

    #[test]
    fn every_bad_field_is_named() {
        let mut b = body();
        b["latitude"] = json!(90.5);
        b["longitude"] = json!(-181);
        b["accuracy_m"] = json!(-1);
        b["heading"] = json!("north");
        let got = codes(parse(&b, NOW).unwrap_err());
        let fields: Vec<&str> = got.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["latitude", "longitude", "accuracy_m", "heading"], "{got:?}");
        let missing = codes(parse(&json!({}), NOW).unwrap_err());
        assert!(missing.iter().all(|(_, c)| *c == "required") && missing.len() == 4, "{missing:?}");
    }

    #[test]
    fn the_future_is_five_minutes_away() {
        let mut b = body();
        b["recorded_at"] = json!(time::fmt_ms(NOW + FUTURE_SLACK_MS));
        assert!(parse(&b, NOW).is_ok());
        b["recorded_at"] = json!(time::fmt_ms(NOW + FUTURE_SLACK_MS + 1000));
        assert_eq!(codes(parse(&b, NOW).unwrap_err()), [("recorded_at".to_string(), "out_of_range")]);
    }

    #[test]
    fn batches_hold_one_to_five_hundred() {
        assert!(is_batch(&json!({"positions": []})) && !is_batch(&body()));
        assert_eq!(batch_items(&json!({"positions": [body(), body()]})).unwrap().len(), 2);
        assert_eq!(codes(batch_items(&json!({"positions": []})).unwrap_err()), [("positions".into(), "out_of_range")]);
        let many: Vec<Value> = (0..=MAX_BATCH).map(|_| body()).collect();
        assert!(batch_items(&json!({ "positions": many })).is_err());
        assert_eq!(codes(batch_items(&json!({"positions": [body()], "x": 1})).unwrap_err())[0].1, "unknown_field");
    }

    #[test]
    fn only_active_workers_record() {
        let active = WorkerState { id: "w".into(), status: "active".into(), site_id: None };
        let inactive = WorkerState { status: "inactive".into(), ..active.clone() };
        assert!(worker_refusal(Some(&active)).is_none());
        assert_eq!(codes(worker_refusal(Some(&inactive)).unwrap()), [("worker_id".into(), "inactive")]);
        assert_eq!(codes(worker_refusal(None).unwrap()), [("worker_id".into(), "not_found")]);
    }

    #[test]
    fn the_delay_setting() {
        assert_eq!(live_delay_seconds(None), 60);
        assert_eq!(live_delay_seconds(Some("2")), 2);
        assert_eq!(live_delay_seconds(Some("0")), 0);
        assert_eq!(live_delay_seconds(Some("-1")), 60);
        assert_eq!(live_delay_seconds(Some("soon")), 60);
    }
}
