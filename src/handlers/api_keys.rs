//! `/v1/api-keys` (SPEC §2, §6): create (secret shown once), list, detail, revoke; and the one
//! minting path that division and operator key routes share.

use crate::domain::key_request;
use crate::error::{ApiError, ApiResult};
use crate::i18n::{Msg, Noun};
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
#[cfg(not(target_arch = "wasm32"))]
use crate::pipeline::route_doc::{Body, QueryDoc};
use crate::pipeline::router::RouteDef;
use crate::route;
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
    let (id, key) = api_keys::create(call.env, &db, new, call.now_ms).await?;
    Ok(Reply::written(201, &id, key.to_string()))
}

pub async fn create(call: &Call<'_>) -> ApiResult<Reply> {
    mint_for(call, Owner::Tenant(call.tenant_id()?.to_string()), Noun::Tenant).await
}

pub async fn list(call: &Call<'_>) -> ApiResult<Reply> {
    Ok(Reply::page(resource::list(&call.db()?, &API_KEYS, call.tenant_id()?, &call.query).await?))
}

pub async fn show(call: &Call<'_>, id: &str) -> ApiResult<Reply> {
    Ok(Reply::ok(resource::get(&call.db()?, &API_KEYS, call.tenant_id()?, id).await?))
}

pub async fn revoke(call: &Call<'_>, id: &str) -> ApiResult<Reply> {
    let tombstone = api_keys::revoke(call.env, &call.db()?, call.tenant_id()?, id, call.now_ms).await?;
    Ok(Reply::changed(id, tombstone))
}

/// The routes this module serves.
pub static ROUTES: &[RouteDef] = &[
    route!(POST "/v1/api-keys", Key, |call| create(call), {
        id: "createApiKey",
        tag: "API keys",
        summary: "Create an API key",
        description: "Mints a key for the calling tenant, with the tenant's tier. Needs `write:api-keys`. Vendor keys are refused with `403 forbidden`, whatever their scopes. `scopes` is required and may only contain scopes the calling key holds, else `403 forbidden` naming the first one it lacks; `limits` may only be lower than the tenant's; `expires_at` must be in the future. Answers `201` with the secret in `key`, shown this once: it is stored only as a SHA-256 hash, and lists and details never show it. To rotate a key, create the new one, switch over, then revoke the old one.",
        body: Some(Body::create("ApiKeyCreate", &[crate::domain::key_request::FIELDS])),
        ok: 201,
        response: "CreatedApiKeyResponse",
    }),
    route!(GET "/v1/api-keys", Key, |call| list(call), {
        id: "listApiKeys",
        tag: "API keys",
        summary: "List API keys",
        description: "The tenant's live keys in creation order, a page at a time, without secrets (`prefix` and `last_four` tell them apart). Revoked keys appear only with `include_deleted=true`, as tombstones. Vendor keys are not listed. Needs `read:api-keys`.",
        query: QueryDoc::list(&API_KEYS.list),
        ok: 200,
        response: "ApiKeyListResponse",
    }),
    route!(GET "/v1/api-keys/{key_id}", Key, |call| show(call, call.param("key_id")), {
        id: "getApiKey",
        tag: "API keys",
        summary: "Get an API key",
        description: "One live key of the tenant, without its secret. Needs `read:api-keys`.",
        ok: 200,
        response: "ApiKeyResponse",
    }),
    route!(DELETE "/v1/api-keys/{key_id}", Key, |call| revoke(call, call.param("key_id")), {
        id: "revokeApiKey",
        tag: "API keys",
        summary: "Revoke an API key",
        description: "Revokes the key: from its very next request, anywhere, it is refused with `401` (revocation is held by the key's own Durable Object, not left to cache expiry). Answers `200` with the tombstone `{id, deleted: true, deleted_at, revoked_at}`; afterwards the key is `404` here and listed only with `include_deleted=true`. A key may revoke itself. Needs `write:api-keys`. Vendor keys are refused with `403 forbidden`, whatever their scopes.",
        ok: 200,
        response: "RevokedApiKeyResponse",
    }),
];
