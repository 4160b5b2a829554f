//! Expenses (SPEC §6 "expenses") as `/v1` answers them: the fields a client writes, read back
//! from their declarations, and the approval and invoicing state the API adds.

use super::super::dsl::{describe, id, one_of, or_null};
use super::common::approval;
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
            let o = o.prop(
                "status",
                describe(
                    one_of(ExpenseStatus::NAMES),
                    "Approval state; new expenses are `pending`. `approved` expenses are locked until un-approved.",
                ),
            );
            approval(o).prop(
                "invoice_id",
                or_null(describe(id("inv"), "The invoice that bills it; once set, the expense is locked.").build()),
            )
        },
    );
    reg.add("Expense", e);
}
