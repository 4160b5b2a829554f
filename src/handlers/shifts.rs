//! `/v1/shifts` (SPEC §6): references checked, `ends_at` after `starts_at`, no overlapping
//! shifts for one worker (409 naming the clash, checked in the same statement as the write),
//! and `POST /v1/shifts/publish`.

use serde_json::json;

use super::crud;
use crate::domain::shifts::{self, text};
use crate::domain::{ids, reader};
use crate::error::{ApiError, ApiResult};
use crate::i18n::{Msg, Noun};
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
#[cfg(not(target_arch = "wasm32"))]
use crate::pipeline::route_doc::{Body, QueryDoc};
use crate::pipeline::router::RouteDef;
use crate::route;
use crate::storage::resource::{self, Guarded};
use crate::storage::shifts::{self as store, SHIFTS};

async fn overlap_error(call: &Call<'_>, worker: &str, id: &str, starts: &str, ends: &str) -> ApiResult<ApiError> {
    let other = store::clash(&call.db()?, call.tenant_id()?, worker, id, starts, ends).await?;
    Ok(ApiError::conflict(Msg::Overlaps(other.unwrap_or_else(|| "another shift".into()))))
}

pub async fn create(call: &Call<'_>) -> ApiResult<Reply> {
    let cols = reader::parse(&call.body, shifts::FIELDS, &[], true)?;
    let (worker, starts, ends) = (
        text(cols.get("worker_id")).unwrap_or_default().to_string(),
        text(cols.get("starts_at")).unwrap_or_default().to_string(),
        text(cols.get("ends_at")).unwrap_or_default().to_string(),
    );
    shifts::check_order(&starts, &ends)?;
    let (db, tenant) = (call.db()?, call.tenant_id()?);
    resource::check_refs(&db, tenant, &cols.refs).await?;
    let id = ids::new_id("shf", call.now_ms as u64);
    let guard = store::no_overlap(tenant, &worker, &id, &starts, &ends);
    match resource::create_if(
        &db,
        &SHIFTS,
        tenant,
        &id,
        call.now_ms,
        cols.values,
        Guarded { guard: Some(guard), events: &[] },
    )
    .await?
    {
        Some(json) => Ok(Reply::created(&id, json)),
        None => Err(overlap_error(call, &worker, &id, &starts, &ends).await?),
    }
}

pub async fn update(call: &Call<'_>, id: &str) -> ApiResult<Reply> {
    let cols = reader::parse(&call.body, shifts::FIELDS, &[], false)?;
    let (db, tenant) = (call.db()?, call.tenant_id()?);
    let (cur_worker, cur_starts, cur_ends) =
        store::times(&db, tenant, id).await?.ok_or_else(|| ApiError::not_found(Msg::NotFound(Noun::Shift)))?;
    let worker = text(cols.get("worker_id")).map(str::to_string).unwrap_or(cur_worker);
    let starts = text(cols.get("starts_at")).map(str::to_string).unwrap_or(cur_starts);
    let ends = text(cols.get("ends_at")).map(str::to_string).unwrap_or(cur_ends);
    shifts::check_order(&starts, &ends)?;
    resource::check_refs(&db, tenant, &cols.refs).await?;
    let guard = store::no_overlap(tenant, &worker, id, &starts, &ends);
    match resource::update_if(
        &db,
        &SHIFTS,
        tenant,
        id,
        call.now_ms,
        cols.values,
        Guarded { guard: Some(guard), events: &[] },
    )
    .await?
    {
        Some(json) => Ok(Reply::changed(id, json)),
        None => {
            // Deleted meanwhile (404), else the guard failed.
            resource::get(&db, &SHIFTS, tenant, id).await?;
            Err(overlap_error(call, &worker, id, &starts, &ends).await?)
        }
    }
}

pub async fn publish(call: &Call<'_>) -> ApiResult<Reply> {
    let (from, to) = shifts::parse_range(&call.body)?;
    let ids = store::publish(&call.db()?, call.tenant_id()?, &from, &to, call.now_ms).await?;
    Ok(Reply::value(200, &json!({"from": from, "to": to, "published": ids.len(), "shift_ids": ids})))
}

/// The routes this module serves.
pub static ROUTES: &[RouteDef] = &[
    route!(GET "/v1/shifts", Key, |call| crud::list(call, &SHIFTS), {
        id: "listShifts",
        tag: "Shifts",
        summary: "List shifts",
        description: "The tenant's shifts in creation order, a page at a time, filtered by `from`/`to` (inclusive bounds on `starts_at`), `worker_id`, `site_id`, `job_id` and `published`. Unknown parameters and unacceptable values are `400`. Needs `read:shifts`.",
        query: QueryDoc::list(&SHIFTS.list),
        ok: 200,
        response: "ShiftListResponse",
    }),
    route!(POST "/v1/shifts", Key, |call| create(call), {
        id: "createShift",
        tag: "Shifts",
        summary: "Create a shift",
        description: "Schedules a shift, a draft unless `published` is `true`. `worker_id`, `site_id`, `starts_at` and `ends_at` are required; `worker_id`, `site_id` and `job_id` must name live objects of the tenant (`422`, `details[].code` `not_found`). `ends_at` must be after `starts_at` (`422` on `ends_at`). Shifts are half-open intervals `[starts_at, ends_at)`: one may start the instant another ends, but a shift overlapping another live shift of the same worker is `409 conflict` naming that shift (checked in the same statement as the write, so concurrent requests cannot both get in). Needs `write:shifts`.",
        body: Some(Body::create("ShiftCreate", &[shifts::FIELDS])),
        ok: 201,
        response: "ShiftResponse",
    }),
    route!(GET "/v1/shifts/{shift_id}", Key, |call| crud::get(call, &SHIFTS, call.param("shift_id")), {
        id: "getShift",
        tag: "Shifts",
        summary: "Get a shift",
        description: "One live shift of the tenant. Needs `read:shifts`.",
        ok: 200,
        response: "ShiftResponse",
    }),
    route!(PATCH "/v1/shifts/{shift_id}", Key, |call| update(call, call.param("shift_id")), {
        id: "updateShift",
        tag: "Shifts",
        summary: "Update a shift",
        description: "Changes only the fields sent; `worker_id`, `site_id`, `starts_at` and `ends_at` cannot be cleared, `null` clears `job_id` or `notes`. The resulting times must still be in order (`422` on `ends_at`) and must not overlap another live shift of the (possibly new) worker (`409 conflict` naming it); a shift never collides with its own old times. `published` may be set either way here. Needs `write:shifts`.",
        body: Some(Body::update("ShiftUpdate", &[shifts::FIELDS])),
        ok: 200,
        response: "ShiftResponse",
    }),
    route!(DELETE "/v1/shifts/{shift_id}", Key, |call| crud::delete(call, &SHIFTS, call.param("shift_id")), {
        id: "deleteShift",
        tag: "Shifts",
        summary: "Delete a shift",
        description: "Soft-deletes the shift and answers `200` with its tombstone. Afterwards the shift is `404` and is listed (as a tombstone) only with `include_deleted=true`; deleting it again is `404`. Its time slot is then free for the worker's other shifts. Needs `write:shifts`.",
        ok: 200,
        response: "TombstoneResponse",
    }),
    route!(POST "/v1/shifts/publish", Key, |call| publish(call), {
        id: "publishShifts",
        tag: "Shifts",
        summary: "Publish the drafts in a date range",
        description: "Publishes every draft shift of the tenant whose `starts_at` is in `[from, to]` (a date `from` is its first second and a date `to` its last, in UTC), in one atomic write, and answers `200` with the range as instants, how many were published and their ids. When any were published it records one `schedule.published` event (`{from, to, shift_ids, count}`); already published and deleted shifts are left alone, so publishing the same range again publishes `0`. `to` before `from` is `422`. Needs `write:shifts`.",
        body: Some(Body::create("ShiftPublish", &[shifts::RANGE]).rules(shifts::RANGE_RULES)),
        ok: 200,
        response: "ShiftPublishResponse",
    }),
];
