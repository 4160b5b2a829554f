//! `/v2` expenses and expense categories (SPEC §9) as the Harvest-compatible API answers them.

use super::super::dsl::{boolean, describe, integer, object, one_of, or_null, reference, string};
use super::harvest::{int_id, list, null_schema, nullable_number, nullable_string, number_schema, stamps};
use super::Registry;

pub fn add(reg: &mut Registry) {
    let category = object("One of `/v1`'s seven expense categories, with a fixed id.")
        .prop(
            "id",
            describe(integer(1, 7), "1–7 in the order mileage, meals, lodging, travel, materials, equipment, other."),
        )
        .prop("name", one_of(&["Mileage", "Meals", "Lodging", "Travel", "Materials", "Equipment", "Other"]))
        .prop("unit_price", null_schema())
        .prop("unit_name", or_null(describe(string(), "`mile` for Mileage, else `null`.").build()))
        .prop("is_active", boolean());
    reg.add("HarvestExpenseCategory", category);
    list(reg, "HarvestExpenseCategories", "expense_categories", "HarvestExpenseCategory");

    let project = object("The expense's project; `{\"id\": 0, \"name\": \"(none)\"}` where there is none.")
        .prop("id", describe(integer(0, 9_007_199_254_740_991), "`0` for the placeholder."))
        .prop("name", string())
        .optional("code", null_schema());
    reg.add("HarvestExpenseProject", project);
    let client = object("The project's client; `{\"id\": 0, \"name\": \"(none)\"}` where there is none.")
        .prop("id", describe(integer(0, 9_007_199_254_740_991), "`0` for the placeholder."))
        .prop("name", string())
        .optional("currency", string());
    reg.add("HarvestExpenseClient", client);
    let receipt = object("Where the receipt is kept (`receipt_url` on `/v1`).")
        .prop("url", string())
        .prop("file_name", null_schema())
        .prop("file_size", null_schema())
        .prop("content_type", null_schema());
    let invoice = object("The invoice that bills the expense.").prop("id", int_id()).prop("number", string());
    let expense = object("An expense in Harvest's shape.")
        .prop("id", int_id())
        .prop("spent_date", describe(string(), "The local day, `YYYY-MM-DD`."))
        .prop(
            "total_cost",
            describe(number_schema(), "A decimal of the expense's currency (minor units ÷ 10^exponent)."),
        )
        .prop("units", nullable_number())
        .prop("notes", nullable_string())
        .prop("billable", boolean())
        .prop("is_closed", describe(boolean(), "True once approved or invoiced."))
        .prop("is_locked", describe(boolean(), "True once approved or invoiced."))
        .prop("locked_reason", or_null(one_of(&["Approved", "Invoiced"]).build()))
        .prop("approval_status", one_of(&["unsubmitted", "approved"]))
        .prop("is_billed", describe(boolean(), "True once invoiced."))
        .prop("receipt", or_null(receipt.build()))
        .prop("user", reference("HarvestReference"))
        .prop("user_assignment", null_schema())
        .prop("project", reference("HarvestExpenseProject"))
        .prop("client", reference("HarvestExpenseClient"))
        .prop("expense_category", reference("HarvestExpenseCategory"))
        .prop("invoice", or_null(invoice.build()));
    reg.add("HarvestExpense", stamps(expense));
    list(reg, "HarvestExpenses", "expenses", "HarvestExpense");
}
