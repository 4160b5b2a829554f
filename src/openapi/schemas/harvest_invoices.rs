//! `/v2` invoices (SPEC §9) as the Harvest-compatible API answers them: money as decimals of
//! the invoice's currency, line kinds as Harvest's item categories, no taxes or discounts.

use super::super::dsl::{array, boolean, describe, integer, object, one_of, or_null, reference, string};
use super::harvest::{int_id, list, null_schema, nullable_string, number_schema, stamps};
use super::Registry;

pub fn add(reg: &mut Registry) {
    let decimal = |what: &str| describe(number_schema(), what);
    let project = object("The line's project.").prop("id", int_id()).prop("name", string()).prop("code", null_schema());
    let line = object("An invoice line in Harvest's shape.")
        .prop("id", describe(integer(1, 500), "The line's place on the invoice, from 1."))
        .prop(
            "kind",
            describe(
                one_of(&["Service", "Product"]),
                "`Service` for time and services, `Product` for goods and expenses.",
            ),
        )
        .prop("description", string())
        .prop("quantity", decimal("Up to 4 decimals (hours for time)."))
        .prop("unit_price", decimal("A decimal of the invoice's currency."))
        .prop("amount", decimal("`quantity × unit_price`, rounded half to even to the minor unit."))
        .prop("taxed", boolean())
        .prop("taxed2", boolean())
        .prop("project", or_null(project.build()));
    reg.add("HarvestInvoiceLineItem", line);
    let date = |what: &str| or_null(describe(string(), what).build());
    let instant = || or_null(describe(string(), "`2026-01-05T14:00:00Z`, no fractional seconds.").build());
    let invoice = object("An invoice in Harvest's shape.")
        .prop("id", int_id())
        .prop("client_key", describe(string(), "The invoice's `/v1` id."))
        .prop("number", string())
        .prop("purchase_order", describe(string(), "Always `\"\"`."))
        .prop("amount", decimal("The sum of the lines, a decimal of the invoice's currency."))
        .prop("due_amount", decimal("What is still owed: `0` once paid, else `amount`."))
        .prop("tax", null_schema())
        .prop("tax_amount", decimal("Always `0`."))
        .prop("tax2", null_schema())
        .prop("tax2_amount", decimal("Always `0`."))
        .prop("discount", null_schema())
        .prop("discount_amount", decimal("Always `0`."))
        .prop("subject", nullable_string())
        .prop("notes", nullable_string())
        .prop("currency", string())
        .prop("state", one_of(&["draft", "open", "paid", "closed"]))
        .prop("period_start", date("An import's first day, `YYYY-MM-DD`."))
        .prop("period_end", date("An import's last day."))
        .prop("issue_date", date("`YYYY-MM-DD`."))
        .prop("due_date", date("`YYYY-MM-DD`."))
        .prop("payment_term", one_of(&["custom"]))
        .prop("payment_options", array(string(), "Always empty.").build())
        .prop("sent_at", instant())
        .prop("paid_at", instant())
        .prop("paid_date", date("The day of `paid_at` (UTC)."))
        .prop("closed_at", instant())
        .prop("recurring_invoice_id", null_schema())
        .prop("client", reference("HarvestReference"))
        .prop("estimate", null_schema())
        .prop("retainer", null_schema())
        .prop("creator", null_schema())
        .prop("line_items", array(reference("HarvestInvoiceLineItem"), "").build());
    reg.add("HarvestInvoice", stamps(invoice));
    list(reg, "HarvestInvoices", "invoices", "HarvestInvoice");
}
