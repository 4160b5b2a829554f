//! Jobs (SPEC §6): fields, the nested geofence and budget, and status transitions.

use serde_json::Value;

use super::fields::ABOVE_ZERO;
use super::listing::Arg;
use super::model::{field, not_null, required, Columns, DefaultValue, FieldDef, Kind, Nested, Rule, Shape};
use super::named::named;
use super::reader;
use crate::error::{ApiError, ApiResult};
use crate::i18n::Msg;

named! {
    /// Where a job is in its life (SPEC §6).
    pub enum JobStatus {
        Active = "active",
        Completed = "completed",
        Archived = "archived",
    }
}

/// A circle around a point: clock-ins outside it are flagged.
pub static GEOFENCE: Shape = Shape::new(
    &[
        required("latitude", Kind::Real(-90.0, 90.0)).doc("Degrees."),
        required("longitude", Kind::Real(-180.0, 180.0)).doc("Degrees."),
        required("radius_m", Kind::Real(ABOVE_ZERO, 1_000_000.0)).doc("Metres."),
    ],
    &[],
    "GeofenceInput",
    "A job's geofence: all three fields are required.",
);

/// Hours, money or both; money always with its currency.
pub static BUDGET: Shape = Shape::new(
    &[
        field("hours", Kind::Real(ABOVE_ZERO, 10_000_000.0)).doc("Budgeted hours."),
        field("amount", Kind::Int(1, 1_000_000_000_000)).doc("Budgeted money, in minor units of `currency`."),
        field("currency", Kind::Currency).doc("Required with `amount`."),
    ],
    &[Rule::AnyOf(&["hours", "amount"]), Rule::Requires("amount", "currency")],
    "BudgetInput",
    "A job's budget, replaced as a whole when sent: at least one of `hours` and `amount`, and `currency` whenever \
     there is an `amount`.",
);

pub const FIELDS: &[FieldDef] = &[
    required("name", Kind::Text(200)).doc("The job's name."),
    field("customer_id", Kind::Ref("cus", "customers")).doc("The customer the job is for."),
    field("site_id", Kind::Ref("site", "sites")).doc(
        "Where the job is done. A job created without `geofence` at a site with coordinates takes the site's fence.",
    ),
    not_null("status", Kind::OneOf(JobStatus::NAMES)).or(DefaultValue::Text(JobStatus::Active.as_str())).doc(
        "Allowed changes: `active` → `completed` or `archived`; `completed` → `active` or `archived`; `archived` → \
         `active`. Setting the current status again is allowed; any other change is `409 conflict`.",
    ),
    field("geofence", Kind::Object(&GEOFENCE)).doc(
        "Omitted on create: the site's fence (its coordinates and `geofence_radius_m`) when `site_id` names a site \
         with coordinates, else none. `null`: no fence.",
    ),
    field("budget", Kind::Object(&BUDGET)).doc("`null`: no budget."),
    field("hourly_rate", Kind::Int(0, 100_000_000)).doc(
        "Minor units of the customer's currency per hour, for invoicing: time imported onto an invoice is billed at \
         its task's `default_hourly_rate`, else at this rate, else at 0. `null`: none.",
    ),
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

/// The columns of the nested `geofence` and `budget` (`null` clears all of a group's columns;
/// a budget without money or hours stores `null` for it).
fn flatten(cols: &mut Columns, name: &str, columns: [(&'static str, &'static str); 3]) {
    match cols.nested(name).cloned() {
        None => {}
        Some(Nested::Object(inner)) => {
            for (column, field) in columns {
                cols.set(column, inner.get(field).cloned().unwrap_or(Arg::Null));
            }
        }
        Some(_) => columns.iter().for_each(|(column, _)| cols.set(column, Arg::Null)),
    }
}

/// A validated job body: its columns, and the status it asks for (if any), typed.
#[derive(Debug)]
pub struct JobInput {
    pub cols: Columns,
    pub status: Option<JobStatus>,
}

/// Validates a job body into columns (flat fields plus geofence and budget). On create the
/// declaration fills `status` with its default.
pub fn parse(body: &Value, create: bool) -> ApiResult<JobInput> {
    let mut cols = reader::parse(body, FIELDS, &[], create)?;
    let fence =
        [("geofence_latitude", "latitude"), ("geofence_longitude", "longitude"), ("geofence_radius_m", "radius_m")];
    flatten(&mut cols, "geofence", fence);
    flatten(
        &mut cols,
        "budget",
        [("budget_hours", "hours"), ("budget_amount", "amount"), ("budget_currency", "currency")],
    );
    // Checked against the same names by the declaration; read here as the enum.
    let status = cols.text("status").and_then(JobStatus::parse);
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
