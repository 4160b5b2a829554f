//! Workers (employees, SPEC §6): the fields a client may set and their rules.

use serde_json::Value;

use super::model::{field, not_null, required, Columns, DefaultValue, FieldDef, Kind};
use super::named::named;
use super::reader;
use crate::error::{ApiError, ApiResult};
use crate::i18n::FieldCode;

named! {
    /// Whether a worker may clock in (SPEC §6).
    pub enum WorkerStatus {
        Active = "active",
        Inactive = "inactive",
    }
}
/// Highest pay rate accepted, in minor units per hour (keeps sums far from 2^53).
pub const MAX_PAY_RATE: i64 = 100_000_000;

pub const FIELDS: &[FieldDef] = &[
    required("name", Kind::Text(200)),
    field("email", Kind::Email),
    field("phone", Kind::Phone),
    not_null("employee_code", Kind::Code(64)).doc(
        "Unique among the tenant's live workers (a duplicate is `409 conflict`). Generated from the id when \
         omitted: `EMP-` and its last twelve hex digits.",
    ),
    field("position", Kind::Text(100)).doc("Job title."),
    field("department_id", Kind::Ref("dep", "departments")),
    field("site_id", Kind::Ref("site", "sites")),
    field("pay_rate", Kind::Int(0, MAX_PAY_RATE)).doc("Minor currency units per hour."),
    not_null("status", Kind::OneOf(WorkerStatus::NAMES))
        .or(DefaultValue::Text(WorkerStatus::Active.as_str()))
        .doc("Inactive workers cannot clock in."),
];

/// `PATCH /v1/workers/{id}/status`: `{"status": "active" | "inactive"}`.
pub const STATUS_BODY: &[FieldDef] =
    &[required("status", Kind::OneOf(WorkerStatus::NAMES)).doc("Inactive workers cannot clock in.")];

/// Employee codes: 1–64 letters, digits, `-`, `_` or `.`.
pub fn is_employee_code(s: &str) -> bool {
    s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
}

/// A code for a worker created without one, derived from its (unique) id: `EMP-` and the
/// id's last twelve hex digits in upper case.
pub fn generated_employee_code(worker_id: &str) -> String {
    let tail = worker_id.get(worker_id.len().saturating_sub(12)..).unwrap_or(worker_id);
    format!("EMP-{}", tail.to_ascii_uppercase())
}

/// Validates a worker body; `create` makes `name` required and fills `status`.
pub fn parse(body: &Value, create: bool) -> ApiResult<Columns> {
    reader::parse(body, FIELDS, &[], create)
}

/// Validates `PATCH /v1/workers/{id}/status`.
pub fn parse_status(body: &Value) -> ApiResult<WorkerStatus> {
    let cols = reader::parse(body, STATUS_BODY, &[], true)?;
    cols.text("status")
        .and_then(WorkerStatus::parse)
        .ok_or_else(|| ApiError::invalid_field("status", FieldCode::Required))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::listing::Arg;
    use serde_json::json;

    #[test]
    fn create_requires_name() {
        let e = parse(&json!({}), true).unwrap_err();
        assert_eq!(e.details[0].field, "name");
        assert_eq!(e.details[0].code, FieldCode::Required);
        assert!(parse(&json!({}), false).is_ok());
    }

    #[test]
    fn validates_every_field() {
        let e = parse(
            &json!({"name": "A", "email": "nope", "phone": "x", "employee_code": "a b", "department_id": "wkr_1",
                    "site_id": 4, "pay_rate": -1, "status": "fired"}),
            true,
        )
        .unwrap_err();
        let fields: Vec<_> = e.details.iter().map(|d| d.field.as_str()).collect();
        assert_eq!(fields, vec!["email", "phone", "employee_code", "department_id", "site_id", "pay_rate", "status"]);
    }

    #[test]
    fn update_cannot_clear_name_or_status_but_can_clear_email() {
        assert!(parse(&json!({"name": null}), false).is_err());
        assert!(parse(&json!({"status": null}), false).is_err());
        assert_eq!(parse(&json!({"email": null}), false).unwrap().get("email"), Some(&Arg::Null));
    }

    #[test]
    fn generated_codes_come_from_the_id() {
        assert_eq!(generated_employee_code("wkr_0193c2aa00000000000000001234abcd"), "EMP-00001234ABCD");
        assert!(is_employee_code("EMP-00001234ABCD"));
    }

    #[test]
    fn status_body() {
        assert_eq!(parse_status(&json!({"status": "inactive"})).unwrap(), WorkerStatus::Inactive);
        assert!(parse_status(&json!({})).is_err());
        assert!(parse_status(&json!({"status": "x"})).is_err());
    }
}
