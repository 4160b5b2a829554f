//! Tenants: tiers and their rate limits (SPEC §3), IANA time zones, and the operator's
//! create-tenant input.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::fields::Fields;
use super::named::named;
use crate::error::ApiResult;
use crate::i18n::FieldCode;

named! {
    /// A tenant's (or vendor's) plan, which sets its rate limits (SPEC §3).
    pub enum Tier {
        Standard = "standard",
        Pro = "pro",
        Enterprise = "enterprise",
    }
}

/// Requests allowed per window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    pub per_second: u32,
    pub per_minute: u32,
    pub per_day: u32,
}

/// The limits of a tier; enterprise tenants get these unless the operator sets their own.
pub fn tier_limits(tier: Tier) -> Limits {
    match tier {
        Tier::Standard => Limits { per_second: 5, per_minute: 300, per_day: 50_000 },
        Tier::Pro => Limits { per_second: 10, per_minute: 600, per_day: 200_000 },
        Tier::Enterprise => Limits { per_second: 50, per_minute: 3_000, per_day: 1_000_000 },
    }
}

/// Whether `tz` is an IANA time zone name known to the bundled tz database.
pub fn is_timezone(tz: &str) -> bool {
    tz.parse::<chrono_tz::Tz>().is_ok()
}

/// A tenant's own rules: overtime thresholds, the day weeks start on, and the verification
/// score under which a time entry is flagged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub daily_overtime_hours: f64,
    pub weekly_overtime_hours: f64,
    pub week_start: WeekStart,
    pub pinshot_threshold: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            daily_overtime_hours: 8.0,
            weekly_overtime_hours: 40.0,
            week_start: WeekStart::Monday,
            pinshot_threshold: 60,
        }
    }
}

named! {
    /// The day a tenant's weeks start on, for weekly overtime.
    pub enum WeekStart {
        Monday = "monday",
        Tuesday = "tuesday",
        Wednesday = "wednesday",
        Thursday = "thursday",
        Friday = "friday",
        Saturday = "saturday",
        Sunday = "sunday",
    }
}

impl Settings {
    pub fn week_start_day(&self) -> chrono::Weekday {
        match self.week_start {
            WeekStart::Monday => chrono::Weekday::Mon,
            WeekStart::Tuesday => chrono::Weekday::Tue,
            WeekStart::Wednesday => chrono::Weekday::Wed,
            WeekStart::Thursday => chrono::Weekday::Thu,
            WeekStart::Friday => chrono::Weekday::Fri,
            WeekStart::Saturday => chrono::Weekday::Sat,
            WeekStart::Sunday => chrono::Weekday::Sun,
        }
    }
}

/// Reads `settings` over `base`: each field optional, each within its range.
pub fn read_settings(f: &mut Fields, field: &str, base: Settings) -> Option<Settings> {
    let obj = f.object(field).into_option()?;
    let mut inner =
        Fields::new(obj, &["daily_overtime_hours", "weekly_overtime_hours", "week_start", "pinshot_threshold"]);
    let settings = Settings {
        daily_overtime_hours: inner
            .real("daily_overtime_hours", 0.5, 24.0)
            .into_option()
            .unwrap_or(base.daily_overtime_hours),
        weekly_overtime_hours: inner
            .real("weekly_overtime_hours", 1.0, 168.0)
            .into_option()
            .unwrap_or(base.weekly_overtime_hours),
        week_start: inner.choice("week_start").into_option().unwrap_or(base.week_start),
        pinshot_threshold: inner.int("pinshot_threshold", 0, 100).into_option().unwrap_or(base.pinshot_threshold),
    };
    if let Err(e) = inner.finish() {
        for d in e.details {
            f.fail(&format!("{field}.{}", d.field), d.code);
        }
        return None;
    }
    Some(settings)
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewTenant {
    pub name: String,
    pub tier: Tier,
    pub timezone: String,
    pub limits: Limits,
    pub settings: Settings,
}

/// The operator's `PATCH /v1/operator/tenants/{id}`: name, time zone and settings.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TenantChange {
    pub name: Option<String>,
    pub timezone: Option<String>,
    pub settings: Option<Settings>,
}

pub fn parse_change(body: &Value, current: Settings) -> ApiResult<TenantChange> {
    let mut f = Fields::new(body, &["name", "timezone", "settings"]);
    let name = f.text("name", 200);
    let name = f.not_null("name", name).into_option();
    let timezone = f.text_where("timezone", 64, is_timezone);
    let timezone = f.not_null("timezone", timezone).into_option();
    let settings = read_settings(&mut f, "settings", current);
    f.finish()?;
    Ok(TenantChange { name, timezone, settings })
}

/// Reads `{per_second, per_minute, per_day}` under `field`, each 1..=10^9.
pub fn read_limits(f: &mut Fields, field: &str, base: Limits) -> Option<Limits> {
    let obj = f.object(field).into_option()?;
    let mut inner = Fields::new(obj, &["per_second", "per_minute", "per_day"]);
    let mut get =
        |name: &str, default: u32| inner.int(name, 1, 1_000_000_000).into_option().map(|v| v as u32).unwrap_or(default);
    let limits = Limits {
        per_second: get("per_second", base.per_second),
        per_minute: get("per_minute", base.per_minute),
        per_day: get("per_day", base.per_day),
    };
    if let Err(e) = inner.finish() {
        for d in e.details {
            f.fail(&format!("{field}.{}", d.field), d.code);
        }
        return None;
    }
    Some(limits)
}

/// Validates the operator's `POST /v1/operator/tenants` body.
pub fn parse_new_tenant(body: &Value) -> ApiResult<NewTenant> {
    let mut f = Fields::new(body, &["name", "tier", "timezone", "limits", "settings"]);
    let name = f.text("name", 200);
    let name = f.require("name", name);
    let tier = f.choice("tier").into_option().unwrap_or(Tier::Standard);
    let timezone = f.text_where("timezone", 64, is_timezone).into_option().unwrap_or_else(|| "UTC".into());
    let base = tier_limits(tier);
    let custom = read_limits(&mut f, "limits", base);
    if custom.is_some() && tier != Tier::Enterprise {
        f.fail("limits", FieldCode::NotAllowed);
    }
    let settings = read_settings(&mut f, "settings", Settings::default()).unwrap_or_default();
    f.finish()?;
    Ok(NewTenant { name: name.unwrap_or_default(), tier, timezone, limits: custom.unwrap_or(base), settings })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn defaults_to_standard_utc() {
        let t = parse_new_tenant(&json!({"name": "Acme"})).unwrap();
        assert_eq!((t.tier, t.timezone.as_str()), (Tier::Standard, "UTC"));
        assert_eq!(t.limits, Limits { per_second: 5, per_minute: 300, per_day: 50_000 });
    }

    #[test]
    fn enterprise_takes_custom_limits() {
        let t = parse_new_tenant(&json!({"name": "Big", "tier": "enterprise", "timezone": "America/New_York", "limits": {"per_second": 100}})).unwrap();
        assert_eq!(t.limits.per_second, 100);
        assert_eq!(t.limits.per_minute, 3_000);
    }

    #[test]
    fn settings_default_and_validate() {
        let t =
            parse_new_tenant(&json!({"name": "A", "settings": {"daily_overtime_hours": 10, "week_start": "sunday"}}))
                .unwrap();
        assert_eq!(t.settings.daily_overtime_hours, 10.0);
        assert_eq!(t.settings.weekly_overtime_hours, 40.0);
        assert_eq!(t.settings.week_start_day(), chrono::Weekday::Sun);
        let e = parse_new_tenant(&json!({"name": "A", "settings": {"week_start": "funday", "pinshot_threshold": 101}}))
            .unwrap_err();
        let fields: Vec<_> = e.details.iter().map(|d| d.field.as_str()).collect();
        assert_eq!(fields, vec!["settings.week_start", "settings.pinshot_threshold"]);
        let c = parse_change(&json!({"settings": {"weekly_overtime_hours": 38}}), Settings::default()).unwrap();
        assert_eq!(c.settings.unwrap().weekly_overtime_hours, 38.0);
        assert!(parse_change(&json!({"name": null}), Settings::default()).is_err());
    }

    #[test]
    fn rejects_bad_zone_tier_and_limits() {
        let e =
            parse_new_tenant(&json!({"tier": "gold", "timezone": "Mars/Base", "limits": {"per_day": 0}})).unwrap_err();
        let fields: Vec<_> = e.details.iter().map(|d| d.field.as_str()).collect();
        assert_eq!(fields, vec!["name", "tier", "timezone", "limits.per_day"]);
        let e = parse_new_tenant(&json!({"name": "x", "limits": {"per_day": 5}})).unwrap_err();
        assert_eq!(e.details[0].field, "limits");
    }
}
