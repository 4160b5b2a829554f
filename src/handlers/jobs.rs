//! `/v1/jobs` (SPEC §6): customer and site checked in the tenant, geofence defaulting to the
//! site's, budgets, status transitions, and `budget_used` on the detail.

use super::crud;
use crate::domain::jobs::{self, JobStatus};
use crate::domain::listing::Arg;
use crate::error::ApiResult;
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
#[cfg(not(target_arch = "wasm32"))]
use crate::pipeline::route_doc::{Body, QueryDoc};
use crate::pipeline::router::RouteDef;
use crate::route;
use crate::storage::jobs::{self as store, JOBS};
use crate::storage::resource::{self, Guarded};

/// The job with its `budget_used`, as JSON text.
async fn detail(call: &Call<'_>, id: &str) -> ApiResult<String> {
    Ok(store::detail(&call.db()?, call.tenant_id()?, id).await?.to_string())
}

pub async fn create(call: &Call<'_>) -> ApiResult<Reply> {
    let jobs::JobInput { mut cols, status } = jobs::parse(&call.body, true)?;
    let (db, tenant) = (call.db()?, call.tenant_id()?);
    resource::check_refs(&db, tenant, &cols.refs).await?;
    if cols.get("geofence_latitude").is_none() {
        if let Some(Arg::Text(site)) = cols.get("site_id").cloned() {
            if let Some((lat, lng, r)) = store::site_fence(&db, tenant, &site).await? {
                cols.set("geofence_latitude", Arg::Real(lat));
                cols.set("geofence_longitude", Arg::Real(lng));
                cols.set("geofence_radius_m", Arg::Real(r));
            }
        }
    }
    if status.is_none() {
        cols.set("status", JobStatus::Active.into());
    }
    let id = crate::domain::ids::new_id("job", call.now_ms as u64);
    resource::create(&db, &JOBS, tenant, &id, call.now_ms, cols.values).await?;
    Ok(Reply::created(&id, detail(call, &id).await?))
}

pub async fn show(call: &Call<'_>, id: &str) -> ApiResult<Reply> {
    Ok(Reply::ok(detail(call, id).await?))
}

pub async fn update(call: &Call<'_>, id: &str) -> ApiResult<Reply> {
    let jobs::JobInput { cols, status } = jobs::parse(&call.body, false)?;
    let (db, tenant) = (call.db()?, call.tenant_id()?);
    let current = store::status_of(&db, tenant, id).await?;
    if let Some(to) = status {
        jobs::check_transition(current, to)?;
    }
    resource::check_refs(&db, tenant, &cols.refs).await?;
    // The transition was judged against `current`: apply it only if that is still so.
    let guard = resource::Guard { sql: "status = ?".into(), args: vec![current.into()] };
    if resource::update_if(
        &db,
        &JOBS,
        tenant,
        id,
        call.now_ms,
        cols.values,
        Guarded { guard: Some(guard), events: &[] },
    )
    .await?
    .is_none()
    {
        let now = store::status_of(&db, tenant, id).await?;
        return Err(crate::error::ApiError::conflict(crate::i18n::Msg::InvalidTransition(
            current.as_str(),
            now.as_str(),
        )));
    }
    Ok(Reply::changed(id, detail(call, id).await?))
}

/// The routes this module serves.
pub static ROUTES: &[RouteDef] = &[
    route!(GET "/v1/jobs", Key, |call| crud::list(call, &JOBS), {
        id: "listJobs",
        tag: "Jobs",
        summary: "List jobs",
        description: "The tenant's jobs in creation order, a page at a time, filtered by `status`, `customer_id`, `site_id` and `q` (name). List items carry no `budget_used`; get a job for it. Unknown parameters and unacceptable values are `400`. Needs `read:jobs`.",
        query: QueryDoc::list(&JOBS.list),
        ok: 200,
        response: "JobListResponse",
    }),
    route!(POST "/v1/jobs", Key, |call| create(call), {
        id: "createJob",
        tag: "Jobs",
        summary: "Create a job",
        description: "Creates a job. `name` is required and `status` defaults to `active`. `customer_id` and `site_id` must name a live customer and site of the tenant (`422`, `details[].code` `not_found`). Without `geofence`, a job at a site with coordinates takes the site's fence (its coordinates and `geofence_radius_m`); `geofence: null` creates it without one. A `budget` has `hours`, an `amount` with its `currency`, or both. Answers `201` with the job and its `budget_used` (zero). Emits `job.created`. Needs `write:jobs`.",
        body: Some(Body::create("JobCreate", &[jobs::FIELDS])),
        ok: 201,
        response: "JobDetailResponse",
    }),
    route!(GET "/v1/jobs/{job_id}", Key, |call| show(call, call.param("job_id")), {
        id: "getJob",
        tag: "Jobs",
        summary: "Get a job",
        description: "One live job of the tenant, with `budget_used`: hours and labour cost (hours times each worker's `pay_rate`) of its `approved` and `pending` time entries, and the percentage of the budget used (of its hours when it has them, else of its amount). Needs `read:jobs`.",
        ok: 200,
        response: "JobDetailResponse",
    }),
    route!(PATCH "/v1/jobs/{job_id}", Key, |call| update(call, call.param("job_id")), {
        id: "updateJob",
        tag: "Jobs",
        summary: "Update a job",
        description: "Changes only the fields sent; `null` clears `customer_id`, `site_id`, `geofence` or `budget`; `name` and `status` cannot be cleared. `geofence` and `budget` are replaced as a whole. A `status` change the current status does not allow is `409 conflict` (`active` → `completed`/`archived`, `completed` → `active`/`archived`, `archived` → `active`). Changing `site_id` does not change the fence. References are checked as on create. Answers the job with its `budget_used`. Needs `write:jobs`.",
        body: Some(Body::update("JobUpdate", &[jobs::FIELDS])),
        ok: 200,
        response: "JobDetailResponse",
    }),
    route!(DELETE "/v1/jobs/{job_id}", Key, |call| crud::delete(call, &JOBS, call.param("job_id")), {
        id: "deleteJob",
        tag: "Jobs",
        summary: "Delete a job",
        description: "Soft-deletes the job and answers `200` with its tombstone. Afterwards the job is `404` and is listed (as a tombstone) only with `include_deleted=true`; deleting it again is `404`. While live shifts or time entries still refer to it, the delete is refused with `409 conflict`: delete or reassign them first. Needs `write:jobs`.",
        ok: 200,
        response: "TombstoneResponse",
    }),
];
