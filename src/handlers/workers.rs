//! `/v1/workers`: employees (SPEC §6).

use super::crud;
use crate::domain::ids;
use crate::domain::listing::Arg;
use crate::domain::workers;
use crate::error::ApiResult;
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
#[cfg(not(target_arch = "wasm32"))]
use crate::pipeline::route_doc::{Body, QueryDoc};
use crate::pipeline::router::RouteDef;
use crate::route;
use crate::storage::resource;
use crate::storage::workers::WORKERS;

pub async fn create(call: &Call<'_>) -> ApiResult<Reply> {
    let mut cols = workers::parse(&call.body, true)?;
    let id = ids::new_id("wkr", call.now_ms as u64);
    if cols.get("employee_code").is_none() {
        cols.set("employee_code", Arg::Text(workers::generated_employee_code(&id)));
    }
    let (db, tenant) = (call.db()?, call.tenant_id()?);
    resource::check_refs(&db, tenant, &cols.refs).await?;
    let json = resource::create(&db, &WORKERS, tenant, &id, call.now_ms, cols.values).await?;
    Ok(Reply::created(&id, json))
}

pub async fn update(call: &Call<'_>, id: &str) -> ApiResult<Reply> {
    crud::apply(call, &WORKERS, id, workers::parse(&call.body, false)?).await
}

pub async fn set_status(call: &Call<'_>, id: &str) -> ApiResult<Reply> {
    let status = workers::parse_status(&call.body)?;
    let sets = vec![("status", Arg::from(status))];
    let json = resource::update(&call.db()?, &WORKERS, call.tenant_id()?, id, call.now_ms, sets).await?;
    Ok(Reply::changed(id, json))
}

/// The routes this module serves.
pub static ROUTES: &[RouteDef] = &[
    route!(GET "/v1/workers", Key, |call| crud::list(call, &WORKERS), {
        id: "listWorkers",
        tag: "Workers",
        summary: "List workers",
        description: "The tenant's workers in creation order, a page at a time, filtered by `status`, `department_id`, `site_id` and `q`. Unknown parameters and unacceptable values are `400`. Needs `read:workers`.",
        query: QueryDoc::list(&WORKERS.list),
        ok: 200,
        response: "WorkerListResponse",
    }),
    route!(POST "/v1/workers", Key, |call| create(call), {
        id: "createWorker",
        tag: "Workers",
        summary: "Create a worker",
        description: "Creates a worker. `name` is required; `employee_code` is generated (`EMP-…`) when omitted and `status` defaults to `active`. `department_id` and `site_id` must name a live department and site of the tenant (`422`, `details[].code` `not_found`). Every invalid field is listed in one `422`; a duplicate `employee_code` is `409`. Emits `worker.created`. Needs `write:workers`.",
        body: Some(Body::create("WorkerCreate", &[workers::FIELDS])),
        ok: 201,
        response: "WorkerResponse",
    }),
    route!(GET "/v1/workers/{worker_id}", Key, |call| crud::get(call, &WORKERS, call.param("worker_id")), {
        id: "getWorker",
        tag: "Workers",
        summary: "Get a worker",
        description: "One live worker of the tenant. Needs `read:workers`.",
        ok: 200,
        response: "WorkerResponse",
    }),
    route!(PATCH "/v1/workers/{worker_id}", Key, |call| update(call, call.param("worker_id")), {
        id: "updateWorker",
        tag: "Workers",
        summary: "Update a worker",
        description: "Changes only the fields sent; `null` clears an optional field; `name`, `status` and `employee_code` cannot be cleared. A `department_id` or `site_id` sent must name a live department or site of the tenant (`422`, `details[].code` `not_found`). An empty body changes nothing but `updated_at`. Emits `worker.updated`. Needs `write:workers`.",
        body: Some(Body::update("WorkerUpdate", &[workers::FIELDS])),
        ok: 200,
        response: "WorkerResponse",
    }),
    route!(DELETE "/v1/workers/{worker_id}", Key, |call| crud::delete(call, &WORKERS, call.param("worker_id")), {
        id: "deleteWorker",
        tag: "Workers",
        summary: "Delete a worker",
        description: "Soft-deletes the worker and answers `200` with its tombstone. Afterwards the worker is `404`, its `employee_code` is free again, and it is listed (as a tombstone) only with `include_deleted=true`. Deleting it again is `404`. While live shifts or time entries still refer to the worker, the delete is refused with `409 conflict`: delete or reassign them first (or deactivate the worker instead). Needs `write:workers`.",
        ok: 200,
        response: "TombstoneResponse",
    }),
    route!(PATCH "/v1/workers/{worker_id}/status", Key, |call| set_status(call, call.param("worker_id")), {
        id: "setWorkerStatus",
        tag: "Workers",
        summary: "Activate or deactivate a worker",
        description: "Sets `status` to `active` or `inactive` (inactive workers cannot clock in). Emits `worker.updated`. Needs `write:workers`.",
        body: Some(Body::create("WorkerStatusUpdate", &[workers::STATUS_BODY])),
        ok: 200,
        response: "WorkerResponse",
    }),
];
