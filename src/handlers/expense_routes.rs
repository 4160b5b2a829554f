//! The routes of `/v1/expenses` (SPEC §6 "expenses"), declared apart from their handlers in
//! [`super::expenses`]: the rules there, the surface here.

use super::crud;
use super::expenses::{approve, create, delete, reject, unapprove, update};
#[cfg(not(target_arch = "wasm32"))]
use crate::domain::{expenses::FIELDS, time_entries::REJECTION};
#[cfg(not(target_arch = "wasm32"))]
use crate::pipeline::route_doc::{Body, QueryDoc};
use crate::pipeline::router::RouteDef;
use crate::route;
use crate::storage::expenses::EXPENSES;

/// The expense routes.
pub static ROUTES: &[RouteDef] = &[
    route!(GET "/v1/expenses", Key, |call| crud::list(call, &EXPENSES), {
        id: "listExpenses",
        tag: "Expenses",
        summary: "List expenses",
        description: "The tenant's expenses in creation order, a page at a time, filtered by `from`/`to` (days, inclusive bounds on `spent_date`), `worker_id`, `job_id`, `category`, `status`, `billable` and `is_invoiced` (whether `invoice_id` is set). Unknown parameters and unacceptable values are `400`. Needs `read:expenses`.",
        query: QueryDoc::list(&EXPENSES.list),
        ok: 200,
        response: "ExpenseListResponse",
    }),
    route!(POST "/v1/expenses", Key, |call| create(call), {
        id: "createExpense",
        tag: "Expenses",
        summary: "Create an expense",
        description: "Records money a worker spent, `pending` approval. `worker_id`, `spent_date`, `category` and `amount` (minor units) are required. `worker_id` and `job_id` must name live objects of the tenant (`422`, `details[].code` `not_found`), and the worker must be active (`inactive`). `currency` defaults to the currency of the job's customer when `job_id` names a job with a customer, else to the tenant's `settings.currency` (`USD` unless set); `billable` defaults to `true`. `receipt_url` is an `http(s)://` address with a host. Emits `expense.created`. Needs `write:expenses`.",
        body: Some(Body::create("ExpenseCreate", &[FIELDS])),
        ok: 201,
        response: "ExpenseResponse",
    }),
    route!(GET "/v1/expenses/{expense_id}", Key, |call| crud::get(call, &EXPENSES, call.param("expense_id")), {
        id: "getExpense",
        tag: "Expenses",
        summary: "Get an expense",
        description: "One live expense of the tenant. Needs `read:expenses`.",
        ok: 200,
        response: "ExpenseResponse",
    }),
    route!(PATCH "/v1/expenses/{expense_id}", Key, |call| update(call, call.param("expense_id")), {
        id: "updateExpense",
        tag: "Expenses",
        summary: "Update an expense",
        description: "Changes only the fields sent; `null` clears an optional field; `worker_id`, `spent_date`, `category`, `amount`, `currency` and `billable` cannot be cleared. A new `worker_id` must be an active worker. An approved expense is locked (`409 conflict` until `POST …/unapprove`), and an invoiced one (`invoice_id` set) for good (`409 conflict`); both are checked in the same statement as the write. Needs `write:expenses`.",
        body: Some(Body::update("ExpenseUpdate", &[FIELDS])),
        ok: 200,
        response: "ExpenseResponse",
    }),
    route!(DELETE "/v1/expenses/{expense_id}", Key, |call| delete(call, call.param("expense_id")), {
        id: "deleteExpense",
        tag: "Expenses",
        summary: "Delete an expense",
        description: "Soft-deletes the expense and answers `200` with its tombstone. Afterwards the expense is `404` and is listed (as a tombstone) only with `include_deleted=true`; deleting it again is `404`. An approved expense is locked (`409 conflict` until un-approved), an invoiced one for good (`409 conflict`). Needs `write:expenses`.",
        ok: 200,
        response: "TombstoneResponse",
    }),
    route!(POST "/v1/expenses/{expense_id}/approve", Key, |call| approve(call, call.param("expense_id")), {
        id: "approveExpense",
        tag: "Expenses",
        summary: "Approve an expense",
        description: "Approves a `pending` or `rejected` expense: `status` becomes `approved`, `approved_at` now and `approved_by` the calling key's id, and `rejection_note` is cleared. One already approved is `409 conflict`. The expense is then locked (`PATCH` and `DELETE` are `409`) until it is un-approved. No body is needed. Emits `expense.approved`. If the expense was changed by another request meanwhile, `409 conflict`: re-read it and retry. Needs `write:expenses`.",
        ok: 200,
        response: "ExpenseResponse",
    }),
    route!(POST "/v1/expenses/{expense_id}/reject", Key, |call| reject(call, call.param("expense_id")), {
        id: "rejectExpense",
        tag: "Expenses",
        summary: "Reject an expense",
        description: "Rejects a `pending` expense, keeping `note` (required) as `rejection_note`. Any other status is `409 conflict` (un-approve an approved expense first), and so is an invoiced expense. A rejected expense may still be edited, and approved later. If the expense was changed by another request meanwhile, `409 conflict`: re-read it and retry. Needs `write:expenses`.",
        body: Some(Body::create("ExpenseReject", &[REJECTION])),
        ok: 200,
        response: "ExpenseResponse",
    }),
    route!(POST "/v1/expenses/{expense_id}/unapprove", Key, |call| unapprove(call, call.param("expense_id")), {
        id: "unapproveExpense",
        tag: "Expenses",
        summary: "Un-approve an expense",
        description: "Returns an `approved` expense to `pending`, clearing `approved_at` and `approved_by`, so that it can be edited or deleted again (an addition to SPEC §6 mirroring time entries). Any other status is `409 conflict`, and so is an invoiced expense. No body is needed. If the expense was changed by another request meanwhile, `409 conflict`: re-read it and retry. Needs `write:expenses`.",
        ok: 200,
        response: "ExpenseResponse",
    }),
];
