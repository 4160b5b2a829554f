//! Expenses (SPEC §6 "expenses"): the categories, the body a client sends, and the rules an
//! expense follows — approval as for time entries (pending → approved or rejected, rejection
//! with a note), and locks: an approved expense is locked until un-approved, an invoiced one
//! for good (SPEC §6 "invoices": it cannot be edited, deleted, un-approved or rejected).

use super::model::{field, not_null, required, DefaultValue, FieldDef, Kind};
use super::named::named;
use super::time_entries::{self, EntryStatus};
use crate::domain::webhooks::url::MAX_URL;
use crate::error::{ApiError, ApiResult};
use crate::i18n::Msg;

named! {
    /// What an expense was for (SPEC §6); `/v2` numbers them 1–7 in this order (SPEC §9).
    pub enum ExpenseCategory {
        Mileage = "mileage",
        Meals = "meals",
        Lodging = "lodging",
        Travel = "travel",
        Materials = "materials",
        Equipment = "equipment",
        Other = "other",
    }
}

/// Expenses are approved like time entries (SPEC §6: "as for time entries"): the same three
/// states and the same transitions.
pub type ExpenseStatus = EntryStatus;

/// The largest amount one expense may have, in minor units.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000;

/// Every field of an expense a client writes.
pub const FIELDS: &[FieldDef] = &[
    required("worker_id", Kind::Ref("wkr", "workers"))
        .doc("The worker who spent it; must be active (`inactive` otherwise)."),
    field("job_id", Kind::Ref("job", "jobs")).doc("The job it is billed to, if any."),
    required("spent_date", Kind::Date).doc("The local day it was spent, `YYYY-MM-DD`."),
    required("category", Kind::OneOf(ExpenseCategory::NAMES)),
    required("amount", Kind::Int(0, MAX_AMOUNT)).doc("In minor units of `currency` (cents for USD)."),
    not_null("currency", Kind::Currency).doc(
        "Default at creation: the currency of the job's customer when `job_id` names a job with one, else the \
         tenant's `settings.currency` (`USD` unless set).",
    ),
    field("units", Kind::Real(0.0, 1_000_000_000.0)).doc("How many units were spent (miles for `mileage`)."),
    field("notes", Kind::Text(2000)).doc("Free text."),
    not_null("billable", Kind::Bool)
        .or(DefaultValue::Bool(true))
        .doc("Whether the expense is billed to the customer (invoice import takes approved billable ones)."),
    field("receipt_url", Kind::Url(MAX_URL)).doc("Where the receipt is kept."),
];

/// Why an expense in this state cannot be written (PATCH, DELETE, un-approve, reject): invoiced
/// expenses never can; approved ones until un-approved (`for_edit`: PATCH and DELETE).
pub fn check_unlocked(status: ExpenseStatus, invoiced: bool, for_edit: bool) -> ApiResult<()> {
    if invoiced {
        return Err(ApiError::conflict(Msg::Invoiced));
    }
    if for_edit && status == ExpenseStatus::Approved {
        return Err(ApiError::conflict(Msg::ExpenseLocked));
    }
    Ok(())
}

/// Approval transitions, those of time entries (an expense is never running).
pub fn check_status_change(from: ExpenseStatus, to: ExpenseStatus) -> ApiResult<()> {
    time_entries::check_status_change(from, to, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::reader;
    use crate::i18n::FieldCode;
    use serde_json::json;

    #[test]
    fn categories_in_their_order() {
        assert_eq!(
            ExpenseCategory::NAMES,
            ["mileage", "meals", "lodging", "travel", "materials", "equipment", "other"]
        );
        assert_eq!(ExpenseCategory::parse("meals"), Some(ExpenseCategory::Meals));
        assert_eq!(ExpenseCategory::parse("Meals"), None);
    }

    #[test]
    fn locks() {
        use EntryStatus::*;
        assert!(check_unlocked(Pending, false, true).is_ok());
        assert!(check_unlocked(Rejected, false, true).is_ok());
        assert!(check_unlocked(Approved, false, false).is_ok(), "un-approving an approved expense");
        let locked = check_unlocked(Approved, false, true).unwrap_err();
        assert_eq!((locked.status(), locked.msg), (409, Msg::ExpenseLocked));
        for (status, edit) in [(Approved, true), (Approved, false), (Pending, true)] {
            let e = check_unlocked(status, true, edit).unwrap_err();
            assert_eq!((e.status(), e.msg), (409, Msg::Invoiced), "{status} edit={edit}");
        }
        assert!(check_status_change(Pending, Approved).is_ok());
        assert!(check_status_change(Approved, Rejected).is_err());
        assert!(check_status_change(Approved, Pending).is_ok());
    }

    #[test]
    fn body_rules() {
        let ok = json!({"worker_id": "wkr_0193c2aa000070008000000000000001", "spent_date": "2026-03-02",
                        "category": "mileage", "amount": 1250, "units": 12.5});
        let cols = reader::parse(&ok, FIELDS, &[], true).unwrap();
        assert_eq!(cols.int("billable"), Some(1), "billable by default");
        assert_eq!(cols.get("currency"), None, "the handler picks the currency");
        let bad = json!({"spent_date": "2026-02-30", "category": "snacks", "amount": -1, "units": -2});
        let e = reader::parse(&bad, FIELDS, &[], true).unwrap_err();
        let got: Vec<_> = e.details.iter().map(|d| (d.field.as_str(), d.code)).collect();
        for want in [
            ("worker_id", FieldCode::Required),
            ("spent_date", FieldCode::Invalid),
            ("category", FieldCode::NotAllowed),
            ("amount", FieldCode::OutOfRange),
            ("units", FieldCode::OutOfRange),
        ] {
            assert!(got.contains(&want), "{want:?} in {got:?}");
        }
        let e = reader::parse(&json!({"amount": null}), FIELDS, &[], false).unwrap_err();
        assert_eq!(e.details[0].field, "amount", "required fields are never cleared");
    }
}
