//! An endpoint's filters (SPEC §7): which of its subscribed events it wants. Every filter given
//! must pass: the event's site, worker and department among those listed (an event without one
//! does not pass), its `occurred_at` on one of `days_of_week` (ISO, 1 = Monday) and inside
//! `time_range` (start inclusive, end exclusive, may wrap midnight), both in the tenant's zone.
//! Read here from a body (errors named `filters.…`), stored as JSON, and matched by fan-out.

use chrono::{Datelike, TimeZone, Timelike};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::domain::events::Event;
use crate::domain::ids;
use crate::error::FieldError;
use crate::i18n::FieldCode;

/// Most ids one filter lists.
pub const MAX_IDS: usize = 100;

/// The filters that list ids, and the prefix of those ids.
pub const ID_LISTS: [(&str, &str); 3] = [("site_ids", "site"), ("worker_ids", "wkr"), ("department_ids", "dep")];

/// The other two filters (with the id lists, every filter a body may give).
pub const DAYS_OF_WEEK: &str = "days_of_week";
pub const TIME_RANGE: &str = "time_range";

/// ISO weekdays: 1 = Monday … 7 = Sunday.
pub const DAYS: (i64, i64) = (1, 7);

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TimeRange {
    pub start: String,
    pub end: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Filters {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_ids: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worker_ids: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department_ids: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_of_week: Option<Vec<u32>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_range: Option<TimeRange>,
}

/// What the filters look at, for one event.
pub struct EventFacts<'a> {
    pub event: Event,
    pub occurred_at_ms: i64,
    pub tenant_tz: &'a str,
    pub site_id: Option<&'a str>,
    pub worker_id: Option<&'a str>,
    pub department_id: Option<&'a str>,
}

/// Minutes after midnight of a strict `HH:MM` (00:00 … 23:59).
pub fn minutes(hh_mm: &str) -> Option<u32> {
    let (h, m) = hh_mm.split_once(':')?;
    if h.len() != 2 || m.len() != 2 || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m) = (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

fn listed(list: &Option<Vec<String>>, value: Option<&str>) -> bool {
    list.as_ref().is_none_or(|l| value.is_some_and(|v| l.iter().any(|x| x == v)))
}

impl Filters {
    /// Whether an event passes every filter given (none given: it does).
    pub fn matches(&self, facts: &EventFacts) -> bool {
        let ids_ok = listed(&self.site_ids, facts.site_id)
            && listed(&self.worker_ids, facts.worker_id)
            && listed(&self.department_ids, facts.department_id);
        if !ids_ok {
            return false;
        }
        if self.days_of_week.is_none() && self.time_range.is_none() {
            return true;
        }
        let tz: Tz = facts.tenant_tz.parse().unwrap_or(Tz::UTC);
        let Some(local) = tz.timestamp_millis_opt(facts.occurred_at_ms).single() else { return false };
        let day_ok = self.days_of_week.as_ref().is_none_or(|d| d.contains(&local.weekday().number_from_monday()));
        let now = local.hour() * 60 + local.minute();
        let time_ok = self.time_range.as_ref().is_none_or(|r| match (minutes(&r.start), minutes(&r.end)) {
            (Some(s), Some(e)) if s <= e => s <= now && now < e,
            (Some(s), Some(e)) => now >= s || now < e,
            _ => false,
        });
        day_ok && time_ok
    }

    /// Whether no filter is given (stored as `NULL`).
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }
}

/// Whether an endpoint subscribed to `events` wants `event`: `*` or its name.
pub fn subscribes(events: &[String], event: Event) -> bool {
    events.iter().any(|e| e == super::endpoint::ALL || e == event.as_str())
}

/// Reads `filters` from a body: an object of the five filters, each optional (`null` = not
/// given). Every problem is reported, named `filters.<name>`.
pub fn read(value: &Value) -> Result<Filters, Vec<FieldError>> {
    let Some(obj) = value.as_object() else { return Err(vec![FieldError::new("filters", FieldCode::WrongType)]) };
    let mut errors = Vec::new();
    let mut fail = |name: &str, code| errors.push(FieldError::new(format!("filters.{name}"), code));
    let known = |k: &str| k == DAYS_OF_WEEK || k == TIME_RANGE || ID_LISTS.iter().any(|(name, _)| *name == k);
    for key in obj.keys().filter(|k| !known(k)) {
        fail(key, FieldCode::UnknownField);
    }
    let [site_ids, worker_ids, department_ids] = ID_LISTS.map(|(name, prefix)| id_list(obj, name, prefix, &mut fail));
    let days_of_week = days(obj, &mut fail);
    let time_range = range(obj, &mut fail);
    if errors.is_empty() {
        Ok(Filters { site_ids, worker_ids, department_ids, days_of_week, time_range })
    } else {
        Err(errors)
    }
}

/// A list of 1…100 ids with `prefix`, duplicates dropped.
fn id_list(
    obj: &Map<String, Value>,
    name: &str,
    prefix: &str,
    fail: &mut dyn FnMut(&str, FieldCode),
) -> Option<Vec<String>> {
    let items = match obj.get(name) {
        None | Some(Value::Null) => return None,
        Some(Value::Array(items)) => items,
        Some(_) => {
            fail(name, FieldCode::WrongType);
            return None;
        }
    };
    if items.is_empty() || items.len() > MAX_IDS {
        fail(name, FieldCode::OutOfRange);
        return None;
    }
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for item in items {
        match item.as_str() {
            Some(id) if ids::is_id(prefix, id) => {
                if !out.iter().any(|x| x == id) {
                    out.push(id.to_string());
                }
            }
            _ => {
                fail(name, FieldCode::Invalid);
                return None;
            }
        }
    }
    Some(out)
}

/// 1…7 ISO weekdays, duplicates dropped, sorted.
fn days(obj: &Map<String, Value>, fail: &mut dyn FnMut(&str, FieldCode)) -> Option<Vec<u32>> {
    let items = match obj.get(DAYS_OF_WEEK) {
        None | Some(Value::Null) => return None,
        Some(Value::Array(items)) if !items.is_empty() => items,
        Some(Value::Array(_)) => {
            fail(DAYS_OF_WEEK, FieldCode::OutOfRange);
            return None;
        }
        Some(_) => {
            fail(DAYS_OF_WEEK, FieldCode::WrongType);
            return None;
        }
    };
    let (first, last) = (DAYS.0 as f64, DAYS.1 as f64);
    let mut out: Vec<u32> = Vec::new();
    for item in items {
        // JSON has one number type: `5.0` is the day 5, as JSON Schema's `integer` reads it.
        match item.as_f64() {
            Some(d) if d.fract() == 0.0 && (first..=last).contains(&d) => out.push(d as u32),
            _ => {
                fail(DAYS_OF_WEEK, FieldCode::OutOfRange);
                return None;
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    Some(out)
}

/// `{start, end}`, both `HH:MM`, different (an empty range would match nothing).
fn range(obj: &Map<String, Value>, fail: &mut dyn FnMut(&str, FieldCode)) -> Option<TimeRange> {
    let r = match obj.get(TIME_RANGE) {
        None | Some(Value::Null) => return None,
        Some(Value::Object(r)) => r,
        Some(_) => {
            fail(TIME_RANGE, FieldCode::WrongType);
            return None;
        }
    };
    if let Some(k) = r.keys().find(|k| *k != "start" && *k != "end") {
        fail(&format!("time_range.{k}"), FieldCode::UnknownField);
        return None;
    }
    let mut part = |name: &str| match r.get(name).and_then(Value::as_str) {
        Some(s) if minutes(s).is_some() => Some(s.to_string()),
        Some(_) => {
            fail(&format!("time_range.{name}"), FieldCode::Invalid);
            None
        }
        None => {
            fail(&format!("time_range.{name}"), FieldCode::Required);
            None
        }
    };
    let (start, end) = (part("start"), part("end"));
    let (start, end) = (start?, end?);
    if start == end {
        fail("time_range.end", FieldCode::OutOfRange);
        return None;
    }
    Some(TimeRange { start, end })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SITE: &str = "site_0123456789abcdef0123456789abcdef";
    const OTHER: &str = "site_fedcba9876543210fedcba9876543210";

    fn facts<'a>(ms: i64, tz: &'a str, site: Option<&'static str>) -> EventFacts<'a> {
        EventFacts {
            event: Event::TimeEntryApproved,
            occurred_at_ms: ms,
            tenant_tz: tz,
            site_id: site,
            worker_id: None,
            department_id: None,
        }
    }

    /// 2026-11-30T07:30:00Z, a Monday.
    const MON_0730_UTC: i64 = 1_796_023_800_000;

    #[test]
    fn no_filters_pass_everything() {
        assert!(Filters::default().matches(&facts(MON_0730_UTC, "UTC", None)));
    }

    #[test]
    fn id_lists_need_the_event_to_have_a_listed_id() {
        let f = read(&json!({"site_ids": [SITE]})).unwrap();
        assert!(f.matches(&facts(MON_0730_UTC, "UTC", Some(SITE))));
        assert!(!f.matches(&facts(MON_0730_UTC, "UTC", Some(OTHER))));
        assert!(!f.matches(&facts(MON_0730_UTC, "UTC", None)));
    }

    #[test]
    fn days_and_times_are_in_the_tenant_zone() {
        let monday = read(&json!({"days_of_week": [1]})).unwrap();
        assert!(monday.matches(&facts(MON_0730_UTC, "UTC", None)));
        // 07:30 UTC is Sunday 21:30 in Honolulu (UTC−10).
        assert!(!monday.matches(&facts(MON_0730_UTC, "Pacific/Honolulu", None)));
        let morning = read(&json!({"time_range": {"start": "07:00", "end": "07:30"}})).unwrap();
        assert!(!morning.matches(&facts(MON_0730_UTC, "UTC", None)), "end is exclusive");
        assert!(morning.matches(&facts(MON_0730_UTC - 1_800_000, "UTC", None)), "start is inclusive");
        let night = read(&json!({"time_range": {"start": "21:00", "end": "06:00"}})).unwrap();
        assert!(
            night.matches(&facts(MON_0730_UTC, "Pacific/Honolulu", None)),
            "21:30 is inside a range that wraps midnight"
        );
        assert!(!night.matches(&facts(MON_0730_UTC, "UTC", None)));
        let paris = read(&json!({"time_range": {"start": "08:00", "end": "09:00"}})).unwrap();
        assert!(paris.matches(&facts(MON_0730_UTC, "Europe/Paris", None)));
    }

    fn codes(v: Value) -> Vec<(String, &'static str)> {
        read(&v).unwrap_err().into_iter().map(|e| (e.field, e.code.as_str())).collect()
    }

    #[test]
    fn every_bad_filter_is_named() {
        assert_eq!(codes(json!([])), vec![("filters".into(), "wrong_type")]);
        assert_eq!(codes(json!({"sites": []})), vec![("filters.sites".into(), "unknown_field")]);
        assert_eq!(codes(json!({"site_ids": ["wkr_1"]})), vec![("filters.site_ids".into(), "invalid")]);
        assert_eq!(codes(json!({"worker_ids": []})), vec![("filters.worker_ids".into(), "out_of_range")]);
        assert_eq!(codes(json!({"department_ids": "dep"})), vec![("filters.department_ids".into(), "wrong_type")]);
        assert_eq!(codes(json!({"days_of_week": [0]})), vec![("filters.days_of_week".into(), "out_of_range")]);
        assert_eq!(codes(json!({"days_of_week": [8]})), vec![("filters.days_of_week".into(), "out_of_range")]);
        assert_eq!(codes(json!({"days_of_week": [1.5]})), vec![("filters.days_of_week".into(), "out_of_range")]);
        assert_eq!(codes(json!({"time_range": {"start": "24:00", "end": "7:00"}})).len(), 2);
        assert_eq!(
            codes(json!({"time_range": {"start": "06:00"}})),
            vec![("filters.time_range.end".into(), "required")]
        );
        assert_eq!(
            codes(json!({"time_range": {"start": "06:00", "end": "06:00"}})),
            vec![("filters.time_range.end".into(), "out_of_range")]
        );
        let many: Vec<String> = (0..=MAX_IDS).map(|i| format!("site_{i:032x}")).collect();
        assert_eq!(codes(json!({ "site_ids": many })), vec![("filters.site_ids".into(), "out_of_range")]);
    }

    #[test]
    fn read_filters_round_trip_through_storage() {
        let f = read(&json!({"site_ids": [SITE, SITE], "days_of_week": [5, 1.0, 5e0], "worker_ids": null})).unwrap();
        assert_eq!(f.site_ids.as_deref(), Some(&[SITE.to_string()][..]));
        assert_eq!(f.days_of_week, Some(vec![1, 5]));
        let stored = serde_json::to_string(&f).unwrap();
        assert_eq!(stored, format!(r#"{{"site_ids":["{SITE}"],"days_of_week":[1,5]}}"#));
        assert_eq!(serde_json::from_str::<Filters>(&stored).unwrap(), f);
        assert!(read(&json!({})).unwrap().is_empty());
    }

    #[test]
    fn subscriptions_are_by_name_or_star() {
        assert!(subscribes(&["*".into()], Event::JobCreated));
        assert!(subscribes(&["job.created".into()], Event::JobCreated));
        assert!(!subscribes(&["job.budget_threshold".into()], Event::JobCreated));
    }
}
