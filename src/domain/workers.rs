//! Workers (employees, SPEC §6): the fields a client may set and their rules.

use serde_json::Value;

use super::fields::{is_email, is_phone, Fields, Patch};
use super::ids;
use super::named::named;
use crate::error::{ApiError, ApiResult};
use crate::i18n::FieldCode;

named! {
    /// Whether a worker may clock in (SPEC §6).
    pub enum WorkerStatus {
        Active = "active",
        Inactive = "inactive",
    }
}

const FIELDS: &[&str] =
    &["name", "email", "phone", "employee_code", "position", "department_id", "site_id", "pay_rate", "status"];
/// Highest pay rate accepted, in minor units per hour (keeps sums far from 2^53).
pub const MAX_PAY_RATE: i64 = 100_000_000;

/// A validated create or update; on create, absent and `null` mean the same.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerInput {
    pub name: Patch<String>,
    pub email: Patch<String>,
    pub phone: Patch<String>,
    pub employee_code: Patch<String>,
    pub position: Patch<String>,
    pub department_id: Patch<String>,
    pub site_id: Patch<String>,
    pub pay_rate: Patch<i64>,
    pub status: Patch<WorkerStatus>,
}

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

/// Validates a worker body; `create` makes `name` required and forbids clearing it.
pub fn parse(body: &Value, create: bool) -> ApiResult<WorkerInput> {
    let mut f = Fields::new(body, FIELDS);
    let name = f.text("name", 200);
    let name =
        if create { f.require("name", name).map_or(Patch::Absent, Patch::Set) } else { f.not_null("name", name) };
    let input = WorkerInput {
        name,
        email: f.text_where("email", 254, is_email),
        phone: f.text_where("phone", 32, is_phone),
        employee_code: f.text_where("employee_code", 64, is_employee_code),
        position: f.text("position", 100),
        department_id: f.text_where("department_id", 64, |s| ids::is_id("dep", s)),
        site_id: f.text_where("site_id", 64, |s| ids::is_id("site", s)),
        pay_rate: f.int("pay_rate", 0, MAX_PAY_RATE),
        status: f.choice("status"),
    };
    let status = f.not_null("status", input.status.clone());
    let employee_code = f.not_null("employee_code", input.employee_code.clone());
    f.finish()?;
    Ok(WorkerInput { status, employee_code, ..input })
}

/// Validates `PATCH /v1/workers/{id}/status`: `{"status": "active" | "inactive"}`.
pub fn parse_status(body: &Value) -> ApiResult<WorkerStatus> {
    let mut f = Fields::new(body, &["status"]);
    let status = f.choice("status");
    let status = f.require("status", status);
    f.finish()?;
    status.ok_or_else(|| ApiError::invalid_field("status", FieldCode::Required))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::FieldCode;
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
        assert_eq!(parse(&json!({"email": null}), false).unwrap().email, Patch::Null);
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
