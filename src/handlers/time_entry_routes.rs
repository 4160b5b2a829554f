//! The routes of `/v1/time-entries` (SPEC §6), declared apart from their handlers in
//! [`super::time_entries`] so that each file holds one idea: the rules there, the surface here.

use super::crud;
use super::time_entries::{approve, batch, create, delete, reject, stop, unapprove, update};
#[cfg(not(target_arch = "wasm32"))]
use crate::domain::time_entries as rules;
#[cfg(not(target_arch = "wasm32"))]
use crate::pipeline::route_doc::{Body, QueryDoc};
use crate::pipeline::router::RouteDef;
use crate::route;
use crate::storage::time_entries::TIME_ENTRIES;

/// The time-entry routes.
pub static ROUTES: &[RouteDef] = &[
    route!(GET "/v1/time-entries", Key, |call| crud::list(call, &TIME_ENTRIES), {
        id: "listTimeEntries",
        tag: "Time entries",
        summary: "List time entries",
        description: "The tenant's time entries in creation order, a page at a time, filtered by `from`/`to` (inclusive bounds on `started_at`), `status`, `worker_id`, `job_id`, `site_id`, `task_id`, `cost_code_id`, `source`, `is_running`, `billable` and `is_invoiced` (on an invoice or not). Unknown parameters and unacceptable values are `400`. Needs `read:time-entries`.",
        query: QueryDoc::list(&TIME_ENTRIES.list),
        ok: 200,
        response: "TimeEntryListResponse",
    }),
    route!(POST "/v1/time-entries", Key, |call| create(call), {
        id: "createTimeEntry",
        tag: "Time entries",
        summary: "Create a time entry",
        description: "Records worked time for a worker, `pending` approval. `worker_id` and `started_at` are required; without `ended_at` the entry is running; `source` defaults to `api` and `billable` to the task's `billable_by_default` (else `true`). `worker_id`, `job_id`, `task_id`, `cost_code_id` and `site_id` must name live objects of the tenant (`422`, `details[].code` `not_found`), and the worker must be active (`inactive`). `ended_at` must be after `started_at` and `started_at` at most 5 minutes in the future; breaks lie inside the entry, in time order and not overlapping, and only the last break of a running entry may be open (`422` `out_of_range` on the field or `breaks[<index>]`); `metadata` is a JSON object of at most 4,096 bytes. An entry overlapping another live entry of the same worker is `409 conflict` naming it: intervals are half-open, so one may start the instant another ends, and a running entry reaches to the end of time, so a worker has at most one running entry and no entry can start after it (checked in the same statement as the write, so concurrent requests cannot both get in). A `clock_in_location` outside the geofence of the job (else of the site, else of the job's site) sets `outside_fence: true` and emits `time_entry.flagged_outside_fence`; a `verification_score` under 60 emits `time_entry.flagged_pinshot_low`. Emits `time_entry.created`, and `job.budget_threshold` the first time the job's budget use reaches 75, 100 or 110 %. Needs `write:time-entries`.",
        body: Some(Body::create("TimeEntryCreate", &[rules::ENTRY])),
        ok: 201,
        response: "TimeEntryResponse",
    }),
    route!(GET "/v1/time-entries/{time_entry_id}", Key, |call| crud::get(call, &TIME_ENTRIES, call.param("time_entry_id")), {
        id: "getTimeEntry",
        tag: "Time entries",
        summary: "Get a time entry",
        description: "One live time entry of the tenant; `hours` is `null` while it is running. Needs `read:time-entries`.",
        ok: 200,
        response: "TimeEntryResponse",
    }),
    route!(PATCH "/v1/time-entries/{time_entry_id}", Key, |call| update(call, call.param("time_entry_id")), {
        id: "updateTimeEntry",
        tag: "Time entries",
        summary: "Update a time entry",
        description: "Changes only the fields sent; `null` clears an optional field; `worker_id`, `started_at` and `source` cannot be cleared, and `ended_at: null` makes the entry running again. `breaks`, the locations and `metadata` are replaced as a whole. The resulting entry must follow the rules of create (the 5-minute future limit is checked only when `started_at` is sent) and must not overlap another live entry of its (possibly new, and then active) worker (`409 conflict` naming it); an entry never collides with its own old times. An approved entry is locked: `409 conflict` until `POST …/unapprove`. Sending `clock_in_location` recomputes `outside_fence`. Emits `time_entry.updated` (and the flag events, as on create). An entry on an invoice (`invoice_id` set) is locked too: `409 conflict` until its draft invoice is deleted. Needs `write:time-entries`.",
        body: Some(Body::update("TimeEntryUpdate", &[rules::FIELDS, rules::SPAN_FIELDS])),
        ok: 200,
        response: "TimeEntryResponse",
    }),
    route!(DELETE "/v1/time-entries/{time_entry_id}", Key, |call| delete(call, call.param("time_entry_id")), {
        id: "deleteTimeEntry",
        tag: "Time entries",
        summary: "Delete a time entry",
        description: "Soft-deletes the time entry and answers `200` with its tombstone. Afterwards the time entry is `404` and is listed (as a tombstone) only with `include_deleted=true`; deleting it again is `404`. An approved entry is locked: deleting it is `409 conflict` until it is un-approved. Its time slot is then free for the worker's other entries. An entry on an invoice is `409 conflict` as well, until its draft invoice is deleted. Needs `write:time-entries`.",
        ok: 200,
        response: "TombstoneResponse",
    }),
    route!(POST "/v1/time-entries/batch", Key, |call| batch(call), {
        id: "createTimeEntries",
        tag: "Time entries",
        summary: "Create up to 100 time entries",
        description: "Creates each item of `entries` (1–100 bodies of `POST /v1/time-entries`) as if it were posted alone, in order, and answers `207` with one result per item: `{index, status: 201, data}` for a created entry, or `{index, status, error}` with the usual error object (`422` invalid, `409` overlapping) for an item that was not created. Items are independent: a failed item neither stops nor undoes the others, and an item overlapping an earlier item of the same batch is a `409` like any other overlap. Each created entry emits its events as on create. A body without an `entries` array is `422` (`entries` `required`); an empty array or more than 100 items is `422` (`entries` `out_of_range`); any other field is `unknown_field`. With `Idempotency-Key`, the whole `207` is stored and replayed. Needs `write:time-entries`.",
        body: Some(Body::create("TimeEntryBatch", &[rules::BATCH])),
        ok: 207,
        response: "TimeEntryBatchResponse",
    }),
    route!(POST "/v1/time-entries/{time_entry_id}/stop", Key, |call| stop(call, call.param("time_entry_id")), {
        id: "stopTimeEntry",
        tag: "Time entries",
        summary: "Stop a running time entry",
        description: "Ends the running entry now, closing an open break at the same instant, and answers it with its `hours`. An entry that has already ended is `409 conflict`. No body is needed. Emits `time_entry.updated`. If the entry was changed by another request meanwhile, `409 conflict`: re-read it and retry. Needs `write:time-entries`.",
        ok: 200,
        response: "TimeEntryResponse",
    }),
    route!(POST "/v1/time-entries/{time_entry_id}/approve", Key, |call| approve(call, call.param("time_entry_id")), {
        id: "approveTimeEntry",
        tag: "Time entries",
        summary: "Approve a time entry",
        description: "Approves a `pending` or `rejected` entry that has ended: `status` becomes `approved`, `approved_at` now and `approved_by` the calling key's id, and `rejection_note` is cleared. A running entry, or one already approved, is `409 conflict`. The entry is then locked (`PATCH` and `DELETE` are `409`) until it is un-approved. No body is needed. Emits `time_entry.approved`. If the entry was changed by another request meanwhile, `409 conflict`: re-read it and retry. Needs `write:time-entries`.",
        ok: 200,
        response: "TimeEntryResponse",
    }),
    route!(POST "/v1/time-entries/{time_entry_id}/reject", Key, |call| reject(call, call.param("time_entry_id")), {
        id: "rejectTimeEntry",
        tag: "Time entries",
        summary: "Reject a time entry",
        description: "Rejects a `pending` entry, keeping `note` (required) as `rejection_note`. Any other status is `409 conflict` (un-approve an approved entry first). Rejected entries count neither towards a job's `budget_used` nor in attendance views; a rejected entry may still be edited, and approved later. Emits `time_entry.rejected`. If the entry was changed by another request meanwhile, `409 conflict`: re-read it and retry. An entry on an invoice is `409 conflict` until its draft invoice is deleted. Needs `write:time-entries`.",
        body: Some(Body::create("TimeEntryReject", &[rules::REJECTION])),
        ok: 200,
        response: "TimeEntryResponse",
    }),
    route!(POST "/v1/time-entries/{time_entry_id}/unapprove", Key, |call| unapprove(call, call.param("time_entry_id")), {
        id: "unapproveTimeEntry",
        tag: "Time entries",
        summary: "Un-approve a time entry",
        description: "Returns an `approved` entry to `pending`, clearing `approved_at` and `approved_by`, so that it can be edited or deleted again. Any other status is `409 conflict`. No body is needed. Emits `time_entry.updated`. If the entry was changed by another request meanwhile, `409 conflict`: re-read it and retry. An entry on an invoice is `409 conflict` until its draft invoice is deleted. Needs `write:time-entries`.",
        ok: 200,
        response: "TimeEntryResponse",
    }),
];
