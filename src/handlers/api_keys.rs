//! `/v1/api-keys` (SPEC §2, §6): create (secret shown once), list, detail, revoke; and the one
//! minting path that division and operator key routes share.

use crate::domain::key_request;
use crate::error::{ApiError, ApiResult};
use crate::i18n::{Msg, Noun};
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
use crate::storage::api_keys::{self, NewKey, Owner, API_KEYS};
use crate::storage::resource;

/// Mints a key for `owner` from the request body. When a key makes it (`call.principal`),
/// the new key's scopes must be ones that key holds (no escalation); the operator may grant
/// any scopes.
pub async fn mint_for(call: &Call<'_>, owner: Owner, not_found: Noun) -> ApiResult<Reply> {
    let db = call.db()?;
    let (tier, limits) =
        api_keys::owner_plan(&db, &owner).await?.ok_or_else(|| ApiError::not_found(Msg::NotFound(not_found)))?;
    let req = key_request::parse(&call.body, limits, call.now_ms)?;
    if let Some(p) = &call.principal {
        if let Some(s) = p.first_not_held(&req.scopes) {
            return Err(ApiError::forbidden(Msg::ScopeEscalation(s.to_string())));
        }
    }
    let (tenant_id, vendor_id) = match owner {
        Owner::Tenant(t) => (Some(t), None),
        Owner::Vendor(v) => (None, Some(v)),
    };
    let new = NewKey {
        tenant_id,
        vendor_id,
        label: req.label,
        scopes: req.scopes,
        tier,
        limits: req.limits,
        expires_at_ms: req.expires_at_ms,
    };
    let key = api_keys::create(call.env, &db, new, call.now_ms).await?;
    Ok(Reply::value(201, &key))
}

pub async fn create(call: &Call<'_>) -> ApiResult<Reply> {
    mint_for(call, Owner::Tenant(call.tenant_id()?.to_string()), Noun::Tenant).await
}

pub async fn list(call: &Call<'_>) -> ApiResult<Reply> {
    Ok(Reply::page(resource::list(&call.db()?, &API_KEYS, call.tenant_id()?, &call.query).await?))
}

pub async fn show(call: &Call<'_>) -> ApiResult<Reply> {
    Ok(Reply::ok(resource::get(&call.db()?, &API_KEYS, call.tenant_id()?, call.param(0)).await?))
}

pub async fn revoke(call: &Call<'_>) -> ApiResult<Reply> {
    let tombstone = api_keys::revoke(call.env, &call.db()?, call.tenant_id()?, call.param(0), call.now_ms).await?;
    Ok(Reply::ok(tombstone))
}
