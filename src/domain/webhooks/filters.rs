//! STAND-IN for the API engineer's module (branch `webhooks-api`, seam 1 of the webhooks
//! contract): the same public items, so delivery compiles and is tested before that branch is
//! merged; replaced by its version at the merge.
//!
//! An endpoint's filters (SPEC §7) and whether an event passes them.

use chrono::{Datelike, TimeZone, Timelike};
use chrono_tz::Tz;
use serde::Deserialize;

use crate::domain::events::Event;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct TimeRange {
    pub start: String,
    pub end: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Filters {
    pub site_ids: Option<Vec<String>>,
    pub worker_ids: Option<Vec<String>>,
    pub department_ids: Option<Vec<String>>,
    pub days_of_week: Option<Vec<u32>>,
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

fn minutes(hh_mm: &str) -> Option<u32> {
    let (h, m) = hh_mm.split_once(':')?;
    Some(h.parse::<u32>().ok()? * 60 + m.parse::<u32>().ok()?)
}

fn listed(list: &Option<Vec<String>>, value: Option<&str>) -> bool {
    list.as_ref().is_none_or(|l| value.is_some_and(|v| l.iter().any(|x| x == v)))
}

impl Filters {
    pub fn matches(&self, facts: &EventFacts) -> bool {
        let tz: Tz = facts.tenant_tz.parse().unwrap_or(Tz::UTC);
        let Some(local) = tz.timestamp_millis_opt(facts.occurred_at_ms).single() else { return false };
        let day_ok = self.days_of_week.as_ref().is_none_or(|d| d.contains(&local.weekday().number_from_monday()));
        let now = local.hour() * 60 + local.minute();
        let time_ok = self.time_range.as_ref().is_none_or(|r| match (minutes(&r.start), minutes(&r.end)) {
            (Some(s), Some(e)) if s <= e => s <= now && now < e,
            (Some(s), Some(e)) => now >= s || now < e,
            _ => false,
        });
        listed(&self.site_ids, facts.site_id)
            && listed(&self.worker_ids, facts.worker_id)
            && listed(&self.department_ids, facts.department_id)
            && day_ok
            && time_ok
    }
}

/// Whether an endpoint subscribed to `events` wants `event`: `*` or its name.
pub fn subscribes(events: &[String], event: Event) -> bool {
    events.iter().any(|e| e == "*" || e == event.as_str())
}
