//! Invoices (SPEC §6 "invoices") as the API answers them: the descriptive fields as written,
//! the lines with their computed amounts, the totals, the state and its instants.

use super::super::dsl::{self, array, describe, id, integer, object, one_of, or_null, reference, string};
use super::work::resource;
use super::Registry;
use crate::domain::invoice_request::DESCRIPTIVE;
use crate::domain::invoices::{InvoiceState, LineKind};

fn line(reg: &mut Registry) {
    let ids = |prefix: &str, what: &str| array(id(prefix), what).build();
    let o = object("One line of an invoice: `amount` is `quantity × unit_price` in minor units, rounded half to even.")
        .prop("kind", one_of(LineKind::NAMES))
        .prop("description", describe(string(), "What the line bills."))
        .prop("quantity", describe(dsl::number(0.0, 1.0e9), "Units billed, at most 4 decimals (hours for time)."))
        .prop(
            "unit_price",
            describe(
                integer(-1_000_000_000_000, 1_000_000_000_000),
                "Minor units per unit (for time: the hourly rate).",
            ),
        )
        .prop(
            "amount",
            describe(
                dsl::typed(utoipa::openapi::schema::Type::Integer),
                "Minor units. For an imported time line, the summed worked time at the rate, half to even.",
            ),
        )
        .prop("job_id", or_null(describe(id("job"), "The job the line is for, if any.").build()))
        .optional("time_entry_ids", ids("te", "Imported time lines: the entries billed."))
        .optional("expense_ids", ids("xpn", "Imported expense lines: the expense billed."));
    reg.add("InvoiceLine", o);
}

pub fn add(reg: &mut Registry) {
    line(reg);
    let date_or_null = |d: &str| or_null(describe(dsl::date(), d).build());
    let when = |d: &str| or_null(describe(dsl::date_time(), d).build());
    let invoice = resource(
        reg,
        "inv",
        "A bill to a customer, in the customer's currency; only a `draft` may be edited or deleted.",
        &DESCRIPTIVE,
        |o| {
            o.prop("customer_id", id("cus"))
                .prop("currency", describe(string(), "ISO 4217: the customer's."))
                .prop("state", describe(one_of(InvoiceState::NAMES), "`draft` → `open` (sent) → `paid`, or `closed`."))
                .prop("line_items", array(reference("InvoiceLine"), "In the order written or imported.").build())
                .prop(
                    "amount",
                    describe(
                        dsl::typed(utoipa::openapi::schema::Type::Integer),
                        "Minor units: the exact sum of the lines.",
                    ),
                )
                .prop(
                    "due_amount",
                    describe(
                        dsl::typed(utoipa::openapi::schema::Type::Integer),
                        "Minor units still owed: 0 once paid.",
                    ),
                )
                .prop("period_from", date_or_null("An import's first local day; `null` otherwise."))
                .prop("period_to", date_or_null("An import's last local day; `null` otherwise."))
                .prop("sent_at", when("When it was sent."))
                .prop("paid_at", when("When it was paid; cleared on reopen."))
                .prop("closed_at", when("When it was closed; cleared on reopen."))
        },
    );
    reg.add("Invoice", invoice);
}
