//! `/v1/workers`: employees (SPEC §6).

use crate::domain::fields::Patch;
use crate::domain::ids;
use crate::domain::listing::Arg;
use crate::domain::model::RefCheck;
use crate::domain::workers::{self, WorkerInput, WorkerStatus};
use crate::error::ApiResult;
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
use crate::pipeline::router::RouteDef;
use crate::route;
use crate::storage::resource;
use crate::storage::workers::WORKERS;

/// The department and site a worker input points at, to check they exist in the tenant.
fn references(input: &WorkerInput) -> Vec<RefCheck> {
    let mut refs = Vec::new();
    if let Patch::Set(d) = &input.department_id {
        refs.push(("department_id", "departments", d.clone()));
    }
    if let Patch::Set(s) = &input.site_id {
        refs.push(("site_id", "sites", s.clone()));
    }
    refs
}

/// The columns an input sets: `Set` writes the value, `Null` clears, `Absent` leaves it.
fn columns(input: WorkerInput) -> Vec<(&'static str, Arg)> {
    let fields = [
        ("name", input.name.map(Arg::Text)),
        ("email", input.email.map(Arg::Text)),
        ("phone", input.phone.map(Arg::Text)),
        ("employee_code", input.employee_code.map(Arg::Text)),
        ("position", input.position.map(Arg::Text)),
        ("department_id", input.department_id.map(Arg::Text)),
        ("site_id", input.site_id.map(Arg::Text)),
        ("pay_rate", input.pay_rate.map(Arg::Int)),
        ("status", input.status.map(Arg::from)),
    ];
    fields
        .into_iter()
        .filter_map(|(name, p)| match p {
            Patch::Set(v) => Some((name, v)),
            Patch::Null => Some((name, Arg::Null)),
            Patch::Absent => None,
        })
        .collect()
}

pub async fn list(call: &Call<'_>) -> ApiResult<Reply> {
    let page = resource::list(&call.db()?, &WORKERS, call.tenant_id()?, &call.query).await?;
    Ok(Reply::page(page))
}

pub async fn create(call: &Call<'_>) -> ApiResult<Reply> {
    let mut input = workers::parse(&call.body, true)?;
    let id = ids::new_id("wkr", call.now_ms as u64);
    if !input.employee_code.is_set() {
        input.employee_code = Patch::Set(workers::generated_employee_code(&id));
    }
    if !input.status.is_set() {
        input.status = Patch::Set(WorkerStatus::Active);
    }
    let (db, tenant) = (call.db()?, call.tenant_id()?);
    resource::check_refs(&db, tenant, &references(&input)).await?;
    let json = resource::create(&db, &WORKERS, tenant, &id, call.now_ms, columns(input)).await?;
    Ok(Reply::created(&id, json))
}

pub async fn show(call: &Call<'_>, id: &str) -> ApiResult<Reply> {
    Ok(Reply::ok(resource::get(&call.db()?, &WORKERS, call.tenant_id()?, id).await?))
}

pub async fn update(call: &Call<'_>, id: &str) -> ApiResult<Reply> {
    let input = workers::parse(&call.body, false)?;
    let (db, tenant) = (call.db()?, call.tenant_id()?);
    let refs = references(&input);
    if !refs.is_empty() {
        // A missing worker is a 404 before its references are judged.
        resource::get(&db, &WORKERS, tenant, id).await?;
        resource::check_refs(&db, tenant, &refs).await?;
    }
    let json = resource::update(&db, &WORKERS, tenant, id, call.now_ms, columns(input)).await?;
    Ok(Reply::changed(id, json))
}

pub async fn delete(call: &Call<'_>, id: &str) -> ApiResult<Reply> {
    Ok(Reply::changed(id, resource::delete(&call.db()?, &WORKERS, call.tenant_id()?, id, call.now_ms).await?))
}

pub async fn set_status(call: &Call<'_>, id: &str) -> ApiResult<Reply> {
    let status = workers::parse_status(&call.body)?;
    let sets = vec![("status", Arg::from(status))];
    let json = resource::update(&call.db()?, &WORKERS, call.tenant_id()?, id, call.now_ms, sets).await?;
    Ok(Reply::changed(id, json))
}

/// The routes this module serves.
pub static ROUTES: &[RouteDef] = &[
    route!(GET "/v1/workers", Key, |call| list(call), {
        id: "listWorkers",
        tag: "Workers",
        summary: "List workers",
        description: "The tenant's workers in creation order, a page at a time, filtered by `status`, `department_id`, `site_id` and `q`. Unknown parameters and unacceptable values are `400`. Needs `read:workers`.",
        body: None,
        ok: 200,
        response: "WorkerListResponse",
        errors: &[],
    }),
    route!(POST "/v1/workers", Key, |call| create(call), {
        id: "createWorker",
        tag: "Workers",
        summary: "Create a worker",
        description: "Creates a worker. `name` is required; `employee_code` is generated (`EMP-…`) when omitted and `status` defaults to `active`. `department_id` and `site_id` must name a live department and site of the tenant (`422`, `details[].code` `not_found`). Every invalid field is listed in one `422`; a duplicate `employee_code` is `409`. Emits `worker.created`. Needs `write:workers`.",
        body: Some("WorkerCreate"),
        ok: 201,
        response: "WorkerResponse",
        errors: &[],
    }),
    route!(GET "/v1/workers/{worker_id}", Key, |call| show(call, call.param("worker_id")), {
        id: "getWorker",
        tag: "Workers",
        summary: "Get a worker",
        description: "One live worker of the tenant. Needs `read:workers`.",
        body: None,
        ok: 200,
        response: "WorkerResponse",
        errors: &[],
    }),
    route!(PATCH "/v1/workers/{worker_id}", Key, |call| update(call, call.param("worker_id")), {
        id: "updateWorker",
        tag: "Workers",
        summary: "Update a worker",
        description: "Changes only the fields sent; `null` clears an optional field; `name`, `status` and `employee_code` cannot be cleared. A `department_id` or `site_id` sent must name a live department or site of the tenant (`422`, `details[].code` `not_found`). An empty body changes nothing but `updated_at`. Emits `worker.updated`. Needs `write:workers`.",
        body: Some("WorkerUpdate"),
        ok: 200,
        response: "WorkerResponse",
        errors: &[],
    }),
    route!(DELETE "/v1/workers/{worker_id}", Key, |call| delete(call, call.param("worker_id")), {
        id: "deleteWorker",
        tag: "Workers",
        summary: "Delete a worker",
        description: "Soft-deletes the worker and answers `200` with its tombstone. Afterwards the worker is `404`, its `employee_code` is free again, and it is listed (as a tombstone) only with `include_deleted=true`. Deleting it again is `404`. While live shifts or time entries still refer to the worker, the delete is refused with `409 conflict`: delete or reassign them first (or deactivate the worker instead). Needs `write:workers`.",
        body: None,
        ok: 200,
        response: "TombstoneResponse",
        errors: &[],
    }),
    route!(PATCH "/v1/workers/{worker_id}/status", Key, |call| set_status(call, call.param("worker_id")), {
        id: "setWorkerStatus",
        tag: "Workers",
        summary: "Activate or deactivate a worker",
        description: "Sets `status` to `active` or `inactive` (inactive workers cannot clock in). Emits `worker.updated`. Needs `write:workers`.",
        body: Some("WorkerStatusUpdate"),
        ok: 200,
        response: "WorkerResponse",
        errors: &[],
    }),
];
