//! `/v1/jobs` (SPEC §6): customer and site checked in the tenant, geofence defaulting to the
//! site's, budgets, status transitions, and `budget_used` on the detail.

use crate::domain::jobs;
use crate::domain::listing::Arg;
use crate::error::ApiResult;
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
use crate::storage::jobs::{self as store, JOBS};
use crate::storage::resource;

async fn detail(call: &Call<'_>, id: &str, status: u16) -> ApiResult<Reply> {
    let job = store::detail(&call.db()?, call.tenant_id()?, id).await?;
    Ok(Reply::value(status, &job))
}

pub async fn create(call: &Call<'_>) -> ApiResult<Reply> {
    let mut cols = jobs::parse(&call.body, true)?;
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
    if cols.get("status").is_none() {
        cols.set("status", Arg::Text("active".into()));
    }
    let id = crate::domain::ids::new_id("job", call.now_ms as u64);
    resource::create(&db, &JOBS, tenant, &id, call.now_ms, cols.values).await?;
    detail(call, &id, 201).await
}

pub async fn show(call: &Call<'_>) -> ApiResult<Reply> {
    detail(call, call.param(0), 200).await
}

pub async fn update(call: &Call<'_>) -> ApiResult<Reply> {
    let cols = jobs::parse(&call.body, false)?;
    let (db, tenant, id) = (call.db()?, call.tenant_id()?, call.param(0));
    let current = store::status_of(&db, tenant, id).await?;
    if let Some(Arg::Text(to)) = cols.get("status") {
        jobs::check_transition(&current, to)?;
    }
    resource::check_refs(&db, tenant, &cols.refs).await?;
    // The transition was judged against `current`: apply it only if that is still so.
    let guard = resource::Guard { sql: "status = ?".into(), args: vec![Arg::Text(current.clone())] };
    if resource::update_if(&db, &JOBS, tenant, id, call.now_ms, cols.values, Some(guard), &[]).await?.is_none() {
        let now = store::status_of(&db, tenant, id).await?;
        return Err(crate::error::ApiError::conflict(crate::i18n::Msg::InvalidTransition(current, now)));
    }
    detail(call, id, 200).await
}
