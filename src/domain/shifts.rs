//! Shifts (SPEC §6): scheduled work for a worker at a site, as half-open `[starts_at,
//! ends_at)` intervals that must not overlap for one worker; published in date ranges.

use serde_json::Value;

use super::listing::Arg;
use super::model::{field, not_null, required, DefaultValue, FieldDef, Kind, Rule};
use super::reader;
use crate::error::{ApiError, ApiResult};
use crate::i18n::FieldCode;

pub const FIELDS: &[FieldDef] = &[
    required("worker_id", Kind::Ref("wkr", "workers")).doc("The worker the shift is for."),
    required("site_id", Kind::Ref("site", "sites")).doc("Where the shift is worked."),
    field("job_id", Kind::Ref("job", "jobs")).doc("The job worked on, if any."),
    required("starts_at", Kind::Instant),
    required("ends_at", Kind::Instant).doc("After `starts_at` (`out_of_range` otherwise)."),
    not_null("published", Kind::Bool)
        .or(DefaultValue::Bool(false))
        .doc("`false` (the default) for a draft; `POST /v1/shifts/publish` publishes drafts in a date range."),
    field("notes", Kind::Text(1000)).doc("Free text."),
];

/// `POST /v1/shifts/publish`: the range of `starts_at` to publish, both ends inclusive.
pub const RANGE: &[FieldDef] = &[
    required("from", Kind::Instant).doc("The start of the range."),
    required("to", Kind::EndInstant).doc("The inclusive end of the range; not before `from` (`out_of_range`)."),
];
pub const RANGE_RULES: &[Rule] = &[Rule::NotBefore("to", "from")];

/// Two half-open intervals overlap when each starts before the other ends (touching ends do
/// not overlap). Instants are in the stored RFC 3339 form, which sorts as time.
pub fn overlaps(a_start: &str, a_end: &str, b_start: &str, b_end: &str) -> bool {
    a_start < b_end && b_start < a_end
}

/// `ends_at` must be after `starts_at` (422 naming `ends_at`).
pub fn check_order(starts_at: &str, ends_at: &str) -> ApiResult<()> {
    if ends_at > starts_at {
        Ok(())
    } else {
        Err(ApiError::invalid_field("ends_at", FieldCode::OutOfRange))
    }
}

pub fn text(arg: Option<&Arg>) -> Option<&str> {
    match arg {
        Some(Arg::Text(s)) => Some(s),
        _ => None,
    }
}

/// `POST /v1/shifts/publish` body: `{from, to}` as dates or instants (inclusive).
pub fn parse_range(body: &Value) -> ApiResult<(String, String)> {
    let cols = reader::parse_with(body, RANGE, RANGE_RULES, &[], true)?;
    Ok((cols.text("from").unwrap_or_default().to_string(), cols.text("to").unwrap_or_default().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn half_open_overlap() {
        let (a, b, c) = ("2026-01-01T08:00:00Z", "2026-01-01T12:00:00Z", "2026-01-01T16:00:00Z");
        assert!(!overlaps(a, b, b, c), "touching is fine");
        assert!(overlaps(a, c, b, c));
        assert!(overlaps(a, b, a, b));
        assert!(!overlaps(b, c, a, b));
    }

    #[test]
    fn order_and_ranges() {
        assert!(check_order("2026-01-01T08:00:00Z", "2026-01-01T08:00:00Z").is_err());
        assert!(check_order("2026-01-01T08:00:00Z", "2026-01-01T08:00:01Z").is_ok());
        let (from, to) = parse_range(&json!({"from": "2026-03-01", "to": "2026-03-07"})).unwrap();
        assert_eq!((from.as_str(), to.as_str()), ("2026-03-01T00:00:00Z", "2026-03-07T23:59:59Z"));
        assert!(parse_range(&json!({"from": "2026-03-07", "to": "2026-03-01"})).is_err());
        assert!(parse_range(&json!({"from": "x"})).is_err());
    }
}
