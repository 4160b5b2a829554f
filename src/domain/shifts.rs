//! Shifts (SPEC §6): scheduled work for a worker at a site, as half-open `[starts_at,
//! ends_at)` intervals that must not overlap for one worker; published in date ranges.

use serde_json::Value;

use super::fields::Fields;
use super::listing::Arg;
use super::model::{field, required, FieldDef, Kind};
use super::time;
use crate::error::{ApiError, ApiResult};
use crate::i18n::FieldCode;

pub const FIELDS: &[FieldDef] = &[
    required("worker_id", Kind::Ref("wkr", "workers")),
    required("site_id", Kind::Ref("site", "sites")),
    field("job_id", Kind::Ref("job", "jobs")),
    required("starts_at", Kind::Instant),
    required("ends_at", Kind::Instant),
    field("published", Kind::Bool),
    field("notes", Kind::Text(1000)),
];

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
    let mut f = Fields::new(body, &["from", "to"]);
    let read = |f: &mut Fields, name: &str, end: bool| {
        let raw = f.text(name, 40);
        let raw = f.require(name, raw)?;
        let t = time::normalize(&raw, end);
        if t.is_none() {
            f.fail(name, FieldCode::Invalid);
        }
        t
    };
    let from = read(&mut f, "from", false);
    let to = read(&mut f, "to", true);
    if let (Some(a), Some(b)) = (&from, &to) {
        if b < a {
            f.fail("to", FieldCode::OutOfRange);
        }
    }
    f.finish()?;
    Ok((from.unwrap_or_default(), to.unwrap_or_default()))
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
