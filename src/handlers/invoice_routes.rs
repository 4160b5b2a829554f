//! The routes of `/v1/invoices` (SPEC §6 "invoices"), declared apart from their handlers in
//! [`super::invoices`]: the rules there, the surface here.

use super::crud;
use super::invoices::{act, create, delete, get, update};
#[cfg(not(target_arch = "wasm32"))]
use crate::domain::invoice_request as request;
use crate::domain::invoices::Action;
#[cfg(not(target_arch = "wasm32"))]
use crate::pipeline::route_doc::{Body, QueryDoc};
use crate::pipeline::router::RouteDef;
use crate::route;
use crate::storage::invoices::INVOICES;

/// The invoice routes.
pub static ROUTES: &[RouteDef] = &[
    route!(GET "/v1/invoices", Key, |call| crud::list(call, &INVOICES), {
        id: "listInvoices",
        tag: "Invoices",
        summary: "List invoices",
        description: "The tenant's invoices in creation order, a page at a time, filtered by `customer_id`, `state` and `from`/`to` (inclusive bounds on `issue_date`). Unknown parameters and unacceptable values are `400`. Needs `read:invoices`.",
        query: QueryDoc::list(&INVOICES.list),
        ok: 200,
        response: "InvoiceListResponse",
    }),
    route!(POST "/v1/invoices", Key, |call| create(call), {
        id: "createInvoice",
        tag: "Invoices",
        summary: "Create an invoice",
        description: "Creates a `draft` invoice for `customer_id`, in the customer's `currency`, either from explicit `line_items` (each `amount` is `quantity × unit_price`, rounded half to even to the minor unit; the invoice's `amount` is their exact sum) or by import: `from`/`to` (local days, inclusive, at most 366) and `include` bill the customer's (through its jobs) approved, billable, not yet invoiced time entries whose local day is in the range — one `service` line per job and rate (the task's `default_hourly_rate`, else the job's `hourly_rate`, else 0; quantity the hours to 4 decimals, amount the summed time at the rate) — and approved, billable, not yet invoiced expenses of those jobs in the invoice's currency spent in the range, one `expense` line each; `job_ids` limits an import to those jobs of the customer. The billed entries and expenses get the invoice's id in the same atomic write, which happens only if every one of them is still billable: concurrent imports never bill anything twice, and an import with nothing left to bill is `422 validation_failed`. `number` defaults to the tenant's next `INV-000001`…; an explicit number that a live invoice has is `409`. Emits `invoice.created`. Needs `write:invoices`.",
        body: Some(Body::create("InvoiceCreate", &[request::CREATE])),
        ok: 201,
        response: "InvoiceResponse",
    }),
    route!(GET "/v1/invoices/{invoice_id}", Key, |call| get(call, call.param("invoice_id")), {
        id: "getInvoice",
        tag: "Invoices",
        summary: "Get an invoice",
        description: "One invoice with its lines, `amount` and `due_amount`. Needs `read:invoices`.",
        ok: 200,
        response: "InvoiceResponse",
    }),
    route!(PATCH "/v1/invoices/{invoice_id}", Key, |call| update(call, call.param("invoice_id")), {
        id: "updateInvoice",
        tag: "Invoices",
        summary: "Update a draft invoice",
        description: "Changes only the fields sent of a `draft` invoice; any other state is `409 conflict`. `line_items` replaces every line (amounts recomputed); time entries and expenses an import put on the draft stay on it, locked, until the draft is deleted. A `number` another live invoice has is `409`. Needs `write:invoices`.",
        body: Some(Body::update("InvoiceUpdate", &[request::EDIT])),
        ok: 200,
        response: "InvoiceResponse",
    }),
    route!(DELETE "/v1/invoices/{invoice_id}", Key, |call| delete(call, call.param("invoice_id")), {
        id: "deleteInvoice",
        tag: "Invoices",
        summary: "Delete a draft invoice",
        description: "Soft-deletes a `draft` invoice and answers its tombstone; in the same write, the time entries and expenses it billed are freed (`invoice_id: null`) and can be invoiced again. Any other state is `409 conflict`. Needs `write:invoices`.",
        ok: 200,
        response: "TombstoneResponse",
    }),
    route!(POST "/v1/invoices/{invoice_id}/send", Key, |call| act(call, call.param("invoice_id"), Action::Send), {
        id: "sendInvoice",
        tag: "Invoices",
        summary: "Send an invoice",
        description: "Moves a `draft` to `open` and stamps `sent_at`; it can no longer be edited or deleted. Any other state is `409 conflict`, as is a change by another request meanwhile. No body is needed. Needs `write:invoices`.",
        ok: 200,
        response: "InvoiceResponse",
    }),
    route!(POST "/v1/invoices/{invoice_id}/pay", Key, |call| act(call, call.param("invoice_id"), Action::Pay), {
        id: "payInvoice",
        tag: "Invoices",
        summary: "Mark an invoice paid",
        description: "Moves an `open` invoice to `paid`, stamps `paid_at`, and `due_amount` becomes 0. Any other state is `409 conflict`. Emits `invoice.paid`. No body is needed. Needs `write:invoices`.",
        ok: 200,
        response: "InvoiceResponse",
    }),
    route!(POST "/v1/invoices/{invoice_id}/close", Key, |call| act(call, call.param("invoice_id"), Action::Close), {
        id: "closeInvoice",
        tag: "Invoices",
        summary: "Close an invoice",
        description: "Writes off a `draft` or `open` invoice: `closed`, with `closed_at`. Any other state is `409 conflict`. No body is needed. Needs `write:invoices`.",
        ok: 200,
        response: "InvoiceResponse",
    }),
    route!(POST "/v1/invoices/{invoice_id}/reopen", Key, |call| act(call, call.param("invoice_id"), Action::Reopen), {
        id: "reopenInvoice",
        tag: "Invoices",
        summary: "Reopen an invoice",
        description: "Moves a `closed` or `paid` invoice back to `open` (a write-off withdrawn, a payment undone), clearing `closed_at` and `paid_at`. Any other state is `409 conflict`. No body is needed. Needs `write:invoices`.",
        ok: 200,
        response: "InvoiceResponse",
    }),
];
