//! Instants on the wire (SPEC §1): RFC 3339 in UTC with `Z`, whole seconds; filters accept
//! ISO-8601 dates or date-times. Stored in D1 in the same text form, which sorts by time.

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};

/// `2026-05-30T14:23:11Z` for a unix time in milliseconds.
pub fn fmt_ms(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default().to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Parses an instant: RFC 3339 with any offset, a date-time without offset (taken as UTC),
/// or a date. For a date, `end_of_day` picks its last second (inclusive upper bounds).
pub fn parse_instant(s: &str, end_of_day: bool) -> Option<i64> {
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt.timestamp_millis());
    }
    if let Ok(dt) = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S") {
        return Some(dt.and_utc().timestamp_millis());
    }
    let date = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    let t = if end_of_day { date.and_hms_opt(23, 59, 59)? } else { date.and_hms_opt(0, 0, 0)? };
    Some(t.and_utc().timestamp_millis())
}

/// Parses and normalises an instant to the stored form.
pub fn normalize(s: &str, end_of_day: bool) -> Option<String> {
    parse_instant(s, end_of_day).map(fmt_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_utc_with_z() {
        assert_eq!(fmt_ms(1_780_151_391_000), "2026-05-30T14:29:51Z");
        assert_eq!(fmt_ms(0), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn parses_dates_and_date_times() {
        assert_eq!(normalize("2026-05-30T16:23:11+02:00", false).unwrap(), "2026-05-30T14:23:11Z");
        assert_eq!(normalize("2026-05-30T14:23:11", false).unwrap(), "2026-05-30T14:23:11Z");
        assert_eq!(normalize("2026-05-30", false).unwrap(), "2026-05-30T00:00:00Z");
        assert_eq!(normalize("2026-05-30", true).unwrap(), "2026-05-30T23:59:59Z");
        assert_eq!(normalize("2026-02-30", false), None);
        assert_eq!(normalize("yesterday", false), None);
    }
}
