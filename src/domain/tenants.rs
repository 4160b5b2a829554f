//! Tenants: tiers and their rate limits (SPEC §3), IANA time zones, and the operator's
//! create-tenant input.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::model::{defaulted, field, not_null, required, Columns, DefaultValue, FieldDef, Kind, Nested, Rule, Shape};
use super::named::named;
use super::reader;
use crate::error::ApiResult;

named! {
    /// A tenant's (or vendor's) plan, which sets its rate limits (SPEC §3).
    pub enum Tier {
        Standard = "standard",
        Pro = "pro",
        Enterprise = "enterprise",
    }
}
/// The most requests a custom limit may allow in any window.
pub const MAX_LIMIT: i64 = 1_000_000_000;

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

/// A tenant's own rules: overtime thresholds, the day weeks start on, the verification score
/// under which a time entry is flagged, and how payroll pays (overtime rate, currency).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub daily_overtime_hours: f64,
    pub weekly_overtime_hours: f64,
    pub week_start: WeekStart,
    pub pinshot_threshold: i64,
    /// Overtime hours are paid at the pay rate times this (payroll exports).
    pub overtime_multiplier: f64,
    /// The currency pay rates, labour costs and payroll are in (ISO 4217).
    pub currency: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            daily_overtime_hours: 8.0,
            weekly_overtime_hours: 40.0,
            week_start: WeekStart::Monday,
            pinshot_threshold: 60,
            overtime_multiplier: 1.5,
            currency: "USD".into(),
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
    /// The overtime rules attendance and payroll apply.
    pub fn overtime_rules(&self) -> super::overtime::Rules {
        super::overtime::Rules {
            daily_hours: self.daily_overtime_hours,
            weekly_hours: self.weekly_overtime_hours,
            week_start: self.week_start_day(),
        }
    }

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

/// Custom limits: each window optional (an omitted one keeps the owner's or tier's).
pub static LIMITS: Shape = Shape::new(
    &[
        field("per_second", Kind::Int(1, MAX_LIMIT)).doc("Requests per second."),
        field("per_minute", Kind::Int(1, MAX_LIMIT)).doc("Requests per minute."),
        field("per_day", Kind::Int(1, MAX_LIMIT)).doc("Requests per UTC day."),
    ],
    &[],
    "LimitsInput",
    "Custom rate limits; a window left out (or `null`) keeps the owner's or tier's.",
);

/// A tenant's settings: each field optional (an omitted one keeps its current value).
pub static SETTINGS: Shape = Shape::new(
    &[
        field("daily_overtime_hours", Kind::Real(0.5, 24.0)).doc("Hours a local day before overtime (8 by default)."),
        field("weekly_overtime_hours", Kind::Real(1.0, 168.0)).doc("Hours a week before overtime (40 by default)."),
        field("week_start", Kind::OneOf(WeekStart::NAMES)).doc("The day weeks start on (`monday` by default)."),
        field("pinshot_threshold", Kind::Int(0, 100))
            .doc("A time entry whose `verification_score` is under it emits `time_entry.flagged_pinshot_low` (60 by default)."),
        field("overtime_multiplier", Kind::Real(1.0, 10.0))
            .doc("Payroll pays overtime hours at the pay rate times this (1.5 by default)."),
        field("currency", Kind::Currency)
            .doc("The currency of pay rates, labour costs and payroll (`USD` by default)."),
    ],
    &[],
    "TenantSettingsInput",
    "The tenant's own rules; a field left out (or `null`) keeps its current value (its default on create). \
     Divisions copy their parent's settings when created.",
);

const NAME: FieldDef = required("name", Kind::Text(200)).doc("The company's name.");
const TIMEZONE: FieldDef =
    defaulted("timezone", Kind::Timezone, DefaultValue::Text("UTC")).doc("The zone its days are counted in.");
const TENANT_SETTINGS: FieldDef = field("settings", Kind::Object(&SETTINGS));

/// `POST /v1/operator/tenants`.
pub const NEW_TENANT: &[FieldDef] = &[
    NAME,
    defaulted("tier", Kind::OneOf(Tier::NAMES), DefaultValue::Text(Tier::Standard.as_str()))
        .doc("Plan tier; sets the default rate limits."),
    TIMEZONE,
    field("limits", Kind::Object(&LIMITS)).doc(
        "Custom limits, for `enterprise` tenants only (`not_allowed` otherwise); each window left out keeps the \
         enterprise default (50/s, 3,000/min, 1,000,000/day).",
    ),
    TENANT_SETTINGS,
];
pub const NEW_TENANT_RULES: &[Rule] = &[Rule::OnlyWhen("limits", "tier", Tier::Enterprise.as_str())];

/// `PATCH /v1/operator/tenants/{id}`: tier and limits are fixed at creation.
pub const TENANT_CHANGE: &[FieldDef] = &[NAME, TIMEZONE, TENANT_SETTINGS];

/// `POST /v1/operator/vendors`: a vendor and the scopes of its first key.
pub const NEW_VENDOR: &[FieldDef] = &[
    required("name", Kind::Text(200)).doc("The vendor's name."),
    defaulted("tier", Kind::OneOf(Tier::NAMES), DefaultValue::Text(Tier::Standard.as_str()))
        .doc("Plan tier; sets the default rate limits."),
    field("limits", Kind::Object(&LIMITS)).doc("Custom limits (any tier); each window left out keeps the tier's."),
    not_null("scopes", Kind::Scopes).doc(
        "Scopes of the vendor's first key; `read-write` when left out. What the vendor may do for a tenant is further \
         limited by that tenant's grant.",
    ),
];

/// `limits` over `base`: each window given replaces the base's.
pub fn limits_over(cols: &Columns, field: &str, base: Limits) -> Limits {
    let Some(Nested::Object(l)) = cols.nested(field) else { return base };
    let window = |name: &str, default: u32| l.int(name).map_or(default, |v| v as u32);
    Limits {
        per_second: window("per_second", base.per_second),
        per_minute: window("per_minute", base.per_minute),
        per_day: window("per_day", base.per_day),
    }
}

/// `settings` over `base`: each field given replaces the base's; `None` when none was sent.
pub fn settings_over(cols: &Columns, base: Settings) -> Option<Settings> {
    let Some(Nested::Object(s)) = cols.nested("settings") else { return None };
    Some(Settings {
        daily_overtime_hours: s.real("daily_overtime_hours").unwrap_or(base.daily_overtime_hours),
        weekly_overtime_hours: s.real("weekly_overtime_hours").unwrap_or(base.weekly_overtime_hours),
        week_start: s.text("week_start").and_then(WeekStart::parse).unwrap_or(base.week_start),
        pinshot_threshold: s.int("pinshot_threshold").unwrap_or(base.pinshot_threshold),
        overtime_multiplier: s.real("overtime_multiplier").unwrap_or(base.overtime_multiplier),
        currency: s.text("currency").map_or(base.currency, str::to_string),
    })
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
    let cols = reader::parse(body, TENANT_CHANGE, &[], false)?;
    Ok(TenantChange {
        name: cols.text("name").map(str::to_string),
        timezone: cols.text("timezone").map(str::to_string),
        settings: settings_over(&cols, current),
    })
}

/// Validates the operator's `POST /v1/operator/tenants` body.
pub fn parse_new_tenant(body: &Value) -> ApiResult<NewTenant> {
    let cols = reader::parse_with(body, NEW_TENANT, NEW_TENANT_RULES, &[], true)?;
    let tier = cols.text("tier").and_then(Tier::parse).unwrap_or(Tier::Standard);
    Ok(NewTenant {
        name: cols.text("name").unwrap_or_default().to_string(),
        timezone: cols.text("timezone").unwrap_or("UTC").to_string(),
        limits: limits_over(&cols, "limits", tier_limits(tier)),
        settings: settings_over(&cols, Settings::default()).unwrap_or_default(),
        tier,
    })
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
        let c = parse_change(&json!({"settings": {"overtime_multiplier": 2, "currency": "EUR"}}), Settings::default());
        let s = c.unwrap().settings.unwrap();
        assert_eq!((s.overtime_multiplier, s.currency.as_str(), s.daily_overtime_hours), (2.0, "EUR", 8.0));
        assert_eq!((t.settings.overtime_multiplier, t.settings.currency.as_str()), (1.5, "USD"));
        let e =
            parse_change(&json!({"settings": {"overtime_multiplier": 0.5, "currency": "XYZ"}}), Settings::default())
                .unwrap_err();
        let fields: Vec<_> = e.details.iter().map(|d| d.field.as_str()).collect();
        assert_eq!(fields, vec!["settings.overtime_multiplier", "settings.currency"]);
        // Settings stored before these fields existed read with their defaults.
        let old: Settings = serde_json::from_str(r#"{"daily_overtime_hours":7.5}"#).unwrap();
        assert_eq!((old.daily_overtime_hours, old.overtime_multiplier, old.currency.as_str()), (7.5, 1.5, "USD"));
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
