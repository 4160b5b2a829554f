//! The operator API (`/v1/operator/…`, SPEC §2): how tenants and their first keys come to be.

use crate::domain::tenants;
use crate::error::ApiResult;
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
use crate::storage;

pub async fn create_tenant(call: &Call<'_>) -> ApiResult<Reply> {
    let new = tenants::parse_new_tenant(&call.body)?;
    let tenant = storage::tenants::create(call.env, &call.db()?, new, call.now_ms).await?;
    Ok(Reply::value(201, &tenant))
}

pub async fn list_tenants(call: &Call<'_>) -> ApiResult<Reply> {
    Ok(Reply::page(storage::tenants::list(&call.db()?, &call.query).await?))
}

pub async fn get_tenant(call: &Call<'_>) -> ApiResult<Reply> {
    Ok(Reply::ok(storage::tenants::get(&call.db()?, call.param(0)).await?))
}
