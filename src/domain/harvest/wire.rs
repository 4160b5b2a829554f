//! Harvest's formats for values `/v1` keeps otherwise (SPEC §9 "Mapping", "Time entries").

use chrono::NaiveDate;
use serde_json::{json, Value};

/// A worker's name as Harvest's `first_name` (up to the last space) and `last_name` (the rest).
pub fn split_name(name: &str) -> (&str, &str) {
    let name = name.trim();
    match name.rsplit_once(' ') {
        Some((first, last)) => (first.trim_end(), last),
        None => (name, ""),
    }
}

/// Minor units as a decimal amount of the currency (`1234` cents → `12.34`).
pub fn decimal(minor: i64, exponent: u32) -> Value {
    let scale = 10f64.powi(exponent as i32);
    json!((minor as f64) / scale)
}

/// Hours to 2 decimals from seconds.
pub fn hours(seconds: i64) -> Value {
    json!(((seconds as f64) / 36.0).round() / 100.0)
}

/// `"HH:MM"` or `"H:MMam"`/`"H:MMpm"` as (hour, minute) of a 24-hour clock.
pub fn parse_clock(s: &str) -> Option<(u32, u32)> {
    let s = s.trim().to_ascii_lowercase();
    let (body, meridiem) = match (s.strip_suffix("am"), s.strip_suffix("pm")) {
        (Some(b), _) => (b.trim_end(), Some(false)),
        (_, Some(b)) => (b.trim_end(), Some(true)),
        _ => (s.as_str(), None),
    };
    let (h, m) = body.split_once(':')?;
    let valid_digits =
        |t: &str, max_len: usize| !t.is_empty() && t.len() <= max_len && t.bytes().all(|b| b.is_ascii_digit());
    if !valid_digits(h, 2) || !valid_digits(m, 2) || m.len() != 2 {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    let h = match meridiem {
        None if h < 24 => h,
        Some(pm) if (1..=12).contains(&h) => (h % 12) + if pm { 12 } else { 0 },
        _ => return None,
    };
    (m < 60).then_some((h, m))
}

/// `"HH:MM"` (24 h).
pub fn fmt_clock(hour: u32, minute: u32) -> String {
    format!("{hour:02}:{minute:02}")
}

/// `YYYYMMDD` or `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().or_else(|| {
        (s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit())).then(|| NaiveDate::parse_from_str(s, "%Y%m%d").ok())?
    })
}

/// What Harvest clients need where `/v1` leaves a reference empty (SPEC §9).
pub fn placeholder() -> Value {
    json!({"id": 0, "name": "(none)"})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(split_name("Ada King Lovelace"), ("Ada King", "Lovelace"));
        assert_eq!(split_name("Cher"), ("Cher", ""));
        assert_eq!(split_name("  Ana García "), ("Ana", "García"));
    }

    #[test]
    fn money_and_hours() {
        assert_eq!(decimal(1234, 2), json!(12.34));
        assert_eq!(decimal(500, 0), json!(500.0));
        assert_eq!(hours(5400), json!(1.5));
        assert_eq!(hours(1000), json!(0.28));
    }

    #[test]
    fn clocks() {
        assert_eq!(parse_clock("09:30"), Some((9, 30)));
        assert_eq!(parse_clock("9:30am"), Some((9, 30)));
        assert_eq!(parse_clock("12:05am"), Some((0, 5)));
        assert_eq!(parse_clock("12:05pm"), Some((12, 5)));
        assert_eq!(parse_clock("1:00 PM"), Some((13, 0)));
        for bad in ["24:00", "9:3", "13:00pm", "0:10am", "930", "ab:cd", "9:60"] {
            assert_eq!(parse_clock(bad), None, "{bad}");
        }
        assert_eq!(fmt_clock(7, 5), "07:05");
    }

    #[test]
    fn dates() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        assert_eq!(parse_date("20260105"), Some(d));
        assert_eq!(parse_date("2026-01-05"), Some(d));
        assert_eq!(parse_date("2026015"), None);
        assert_eq!(parse_date("20260230"), None);
    }
}
