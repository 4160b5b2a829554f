//! Expenses (SPEC §6 "expenses") as `/v1` answers them: the fields a client writes, read back
//! from their declarations, and the approval and invoicing state the API adds.

use super::super::dsl::{self, describe, id, one_of, or_null, string};
use super::work::resource;
use super::Registry;
use crate::domain::expenses::{ExpenseStatus, FIELDS};

pub fn add(reg: &mut Registry) {
    let e = resource(
        reg,
        "xpn",
        "Money a worker spent, in minor units of its currency. Approved expenses are locked until un-approved; \
         invoiced ones for good.",
        FIELDS,
        |o| {
            o.prop(
                "status",
                describe(
                    one_of(ExpenseStatus::NAMES),
                    "Approval state; new expenses are `pending`. `approved` expenses are locked until un-approved.",
                ),
            )
            .prop(
                "approved_at",
                or_null(describe(dsl::date_time(), "When it was approved; `null` unless `approved`.").build()),
            )
            .prop(
                "approved_by",
                or_null(describe(id("key"), "The key that approved it; `null` unless `approved`.").build()),
            )
            .prop(
                "rejection_note",
                or_null(describe(string().max_length(Some(2000)), "The note of the last rejection.").build()),
            )
            .prop(
                "invoice_id",
                or_null(describe(id("inv"), "The invoice that bills it; once set, the expense is locked.").build()),
            )
        },
    );
    reg.add("Expense", e);
}
