//! `/v1/shifts` (SPEC §6): references checked, `ends_at` after `starts_at`, no overlapping
//! shifts for one worker (409 naming the clash, checked in the same statement as the write),
//! and `POST /v1/shifts/publish`.

use serde_json::json;

use crate::domain::shifts::{self, text};
use crate::domain::{ids, model};
use crate::error::{ApiError, ApiResult};
use crate::i18n::{Msg, Noun};
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
use crate::storage::resource;
use crate::storage::shifts::{self as store, SHIFTS};

async fn overlap_error(call: &Call<'_>, worker: &str, id: &str, starts: &str, ends: &str) -> ApiResult<ApiError> {
    let other = store::clash(&call.db()?, call.tenant_id()?, worker, id, starts, ends).await?;
    Ok(ApiError::conflict(Msg::Overlaps(other.unwrap_or_else(|| "another shift".into()))))
}

pub async fn create(call: &Call<'_>) -> ApiResult<Reply> {
    let cols = model::parse(&call.body, shifts::FIELDS, &[], true)?;
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
    match resource::create_if(&db, &SHIFTS, tenant, &id, call.now_ms, cols.values, Some(guard), &[]).await? {
        Some(json) => Ok(Reply::created(json)),
        None => Err(overlap_error(call, &worker, &id, &starts, &ends).await?),
    }
}

pub async fn update(call: &Call<'_>) -> ApiResult<Reply> {
    let cols = model::parse(&call.body, shifts::FIELDS, &[], false)?;
    let (db, tenant, id) = (call.db()?, call.tenant_id()?, call.param(0));
    let (cur_worker, cur_starts, cur_ends) =
        store::times(&db, tenant, id).await?.ok_or_else(|| ApiError::not_found(Msg::NotFound(Noun::Shift)))?;
    let worker = text(cols.get("worker_id")).map(str::to_string).unwrap_or(cur_worker);
    let starts = text(cols.get("starts_at")).map(str::to_string).unwrap_or(cur_starts);
    let ends = text(cols.get("ends_at")).map(str::to_string).unwrap_or(cur_ends);
    shifts::check_order(&starts, &ends)?;
    resource::check_refs(&db, tenant, &cols.refs).await?;
    let guard = store::no_overlap(tenant, &worker, id, &starts, &ends);
    match resource::update_if(&db, &SHIFTS, tenant, id, call.now_ms, cols.values, Some(guard), &[]).await? {
        Some(json) => Ok(Reply::ok(json)),
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
