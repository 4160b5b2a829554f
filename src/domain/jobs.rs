//! Jobs (SPEC §6): fields, the nested geofence and budget, and status transitions.

use serde_json::Value;

use super::fields::{Fields, Patch, ABOVE_ZERO};
use super::listing::Arg;
use super::model::{self, field, required, Columns, FieldDef, Kind, CURRENCIES};
use super::named::named;
use crate::error::{ApiError, ApiResult};
use crate::i18n::{FieldCode, Msg};

named! {
    /// Where a job is in its life (SPEC §6).
    pub enum JobStatus {
        Active = "active",
        Completed = "completed",
        Archived = "archived",
    }
}

pub const FIELDS: &[FieldDef] = &[
    required("name", Kind::Text(200)),
    field("customer_id", Kind::Ref("cus", "customers")),
    field("site_id", Kind::Ref("site", "sites")),
    field("status", Kind::OneOf(JobStatus::NAMES)),
];

/// Whether a job may move from one status to another: a job is completed or archived from
/// active, reopened from completed or archived, and archived once completed. Archived jobs
/// must be reopened before they can be completed.
pub fn can_transition(from: JobStatus, to: JobStatus) -> bool {
    use JobStatus::*;
    from == to
        || matches!(
            (from, to),
            (Active, Completed) | (Active, Archived) | (Completed, Active) | (Completed, Archived) | (Archived, Active)
        )
}

pub fn check_transition(from: JobStatus, to: JobStatus) -> ApiResult<()> {
    if can_transition(from, to) {
        Ok(())
    } else {
        Err(ApiError::conflict(Msg::InvalidTransition(from.as_str(), to.as_str())))
    }
}

fn nested(f: &mut Fields, body: &Value, name: &str, allowed: &[&str]) -> Patch<Value> {
    match body.get(name) {
        None => Patch::Absent,
        Some(Value::Null) => Patch::Null,
        Some(v @ Value::Object(m)) => {
            for k in m.keys().filter(|k| !allowed.contains(&k.as_str())) {
                f.fail(&format!("{name}.{k}"), FieldCode::UnknownField);
            }
            Patch::Set(v.clone())
        }
        Some(_) => {
            f.fail(name, FieldCode::WrongType);
            Patch::Absent
        }
    }
}

/// The geofence columns from `{latitude, longitude, radius_m}` (all three required).
fn geofence(f: &mut Fields, body: &Value, cols: &mut Columns) {
    let names = ["geofence_latitude", "geofence_longitude", "geofence_radius_m"];
    match nested(f, body, "geofence", &["latitude", "longitude", "radius_m"]) {
        Patch::Absent => {}
        Patch::Null => names.iter().for_each(|n| cols.set(n, Arg::Null)),
        Patch::Set(g) => {
            let mut inner = Fields::new(&g, &["latitude", "longitude", "radius_m"]);
            let lat = inner.real("latitude", -90.0, 90.0);
            let lat = inner.require("latitude", lat);
            let lng = inner.real("longitude", -180.0, 180.0);
            let lng = inner.require("longitude", lng);
            let r = inner.real("radius_m", ABOVE_ZERO, 1_000_000.0);
            let r = inner.require("radius_m", r);
            if let Err(e) = inner.finish() {
                e.details.iter().for_each(|d| f.fail(&format!("geofence.{}", d.field), d.code));
            } else if let (Some(lat), Some(lng), Some(r)) = (lat, lng, r) {
                cols.set(names[0], Arg::Real(lat));
                cols.set(names[1], Arg::Real(lng));
                cols.set(names[2], Arg::Real(r));
            }
        }
    }
}

/// The budget columns from `{hours?, amount?, currency}`: at least one of hours and amount;
/// a currency whenever there is an amount.
fn budget(f: &mut Fields, body: &Value, cols: &mut Columns) {
    let names = ["budget_hours", "budget_amount", "budget_currency"];
    match nested(f, body, "budget", &["hours", "amount", "currency"]) {
        Patch::Absent => {}
        Patch::Null => names.iter().for_each(|n| cols.set(n, Arg::Null)),
        Patch::Set(b) => {
            let mut inner = Fields::new(&b, &["hours", "amount", "currency"]);
            let hours = inner.real("hours", ABOVE_ZERO, 10_000_000.0).into_option();
            let amount = inner.int("amount", 1, 1_000_000_000_000).into_option();
            let currency = inner.one_of("currency", CURRENCIES).into_option();
            if hours.is_none() && amount.is_none() && !inner.has_error("hours") && !inner.has_error("amount") {
                inner.fail("hours", FieldCode::Required);
            }
            if amount.is_some() && currency.is_none() && !inner.has_error("currency") {
                inner.fail("currency", FieldCode::Required);
            }
            if let Err(e) = inner.finish() {
                e.details.iter().for_each(|d| f.fail(&format!("budget.{}", d.field), d.code));
            } else {
                cols.set(names[0], hours.map(Arg::Real).unwrap_or(Arg::Null));
                cols.set(names[1], amount.map(Arg::Int).unwrap_or(Arg::Null));
                cols.set(names[2], currency.map(Arg::Text).unwrap_or(Arg::Null));
            }
        }
    }
}

/// A validated job body: its columns, and the status it asks for (if any), typed.
#[derive(Debug)]
pub struct JobInput {
    pub cols: Columns,
    pub status: Option<JobStatus>,
}

/// Validates a job body into columns (flat fields plus geofence and budget).
pub fn parse(body: &Value, create: bool) -> ApiResult<JobInput> {
    let mut cols = model::parse(body, FIELDS, &["geofence", "budget"], create)?;
    if matches!(cols.get("status"), Some(Arg::Null)) {
        return Err(ApiError::invalid_field("status", FieldCode::Required));
    }
    let mut f = Fields::new(body, &["name", "customer_id", "site_id", "status", "geofence", "budget"]);
    // Already checked against the same names by `model::parse`; read here as the enum.
    let status = f.choice("status").into_option();
    geofence(&mut f, body, &mut cols);
    budget(&mut f, body, &mut cols);
    f.finish()?;
    Ok(JobInput { cols, status })
}

/// Budget use as a percentage of the budget's hours, else its amount (2 decimals).
pub fn percent_used(
    used_hours: f64,
    used_amount: i64,
    budget_hours: Option<f64>,
    budget_amount: Option<i64>,
) -> Option<f64> {
    let pct = match (budget_hours, budget_amount) {
        (Some(h), _) if h > 0.0 => used_hours / h * 100.0,
        (_, Some(a)) if a > 0 => used_amount as f64 / a as f64 * 100.0,
        _ => return None,
    };
    Some((pct * 100.0).round() / 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn transitions() {
        use JobStatus::*;
        assert!(can_transition(Active, Completed));
        assert!(can_transition(Completed, Archived));
        assert!(can_transition(Archived, Active));
        assert!(!can_transition(Archived, Completed));
        assert!(can_transition(Active, Active));
        assert_eq!(check_transition(Archived, Completed).unwrap_err().status(), 409);
    }

    #[test]
    fn geofence_and_budget_become_columns() {
        let c = parse(&json!({"name": "J", "geofence": {"latitude": 1.5, "longitude": 2.5, "radius_m": 80}, "budget": {"hours": 100, "amount": 500000, "currency": "USD"}}), true).unwrap().cols;
        assert_eq!(c.get("geofence_radius_m"), Some(&Arg::Real(80.0)));
        assert_eq!(c.get("budget_amount"), Some(&Arg::Int(500000)));
        assert_eq!(c.get("budget_currency"), Some(&Arg::Text("USD".into())));
    }

    #[test]
    fn nested_errors_are_named() {
        let e = parse(&json!({"name": "J", "geofence": {"latitude": 100}, "budget": {"amount": 5}}), true).unwrap_err();
        let fields: Vec<_> = e.details.iter().map(|d| d.field.as_str()).collect();
        assert_eq!(fields, vec!["geofence.latitude", "geofence.longitude", "geofence.radius_m", "budget.currency"]);
        assert!(parse(&json!({"name": "J", "budget": {}}), true).is_err());
        assert!(parse(&json!({"name": "J", "budget": {"hours": 1, "extra": 1}}), true).is_err());
        assert!(parse(&json!({"status": null}), false).is_err());
    }

    #[test]
    fn percent_prefers_hours() {
        assert_eq!(percent_used(75.0, 0, Some(100.0), Some(1000)), Some(75.0));
        assert_eq!(percent_used(0.0, 333, None, Some(1000)), Some(33.3));
        assert_eq!(percent_used(5.0, 5, None, None), None);
    }
}
