//! Who is calling: the operator's token, or an API key from `Authorization: Bearer` or
//! `X-API-Key` (SPEC §2). Every failure is the same 401, whatever the reason.

use worker::Env;

use crate::domain::embed_tokens;
use crate::domain::keys::{self, KeyRecord};
use crate::domain::live::Filter;
use crate::domain::scopes::{self, Scope};
use crate::error::{ApiError, ApiResult};
use crate::i18n::Msg;
use crate::storage;

/// The credential a request presents, if any: the bearer token, else `X-API-Key`.
pub fn credential<'a>(authorization: Option<&'a str>, x_api_key: Option<&'a str>) -> Option<&'a str> {
    let bearer = authorization.and_then(|h| {
        let (scheme, token) = h.trim().split_once(' ')?;
        scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
    });
    bearer.or(x_api_key.map(str::trim)).filter(|t| !t.is_empty())
}

/// Checks the operator token against the `OPERATOR_TOKEN` secret in constant time.
pub fn operator(env: &Env, presented: Option<&str>) -> ApiResult<()> {
    let expected = env.secret("OPERATOR_TOKEN").map(|s| s.to_string()).ok().filter(|s| !s.is_empty());
    match (expected, presented) {
        (Some(expected), Some(token)) if keys::secrets_match(&expected, token) => Ok(()),
        (None, _) => {
            worker::console_error!("OPERATOR_TOKEN is not configured");
            Err(ApiError::new(crate::error::ErrorCode::Unauthorized, Msg::BadOperatorToken))
        }
        _ => Err(ApiError::new(crate::error::ErrorCode::Unauthorized, Msg::BadOperatorToken)),
    }
}

/// Resolves an API key to its record: well-formed, known, hash equal in constant time,
/// not expired.
pub async fn api_key(env: &Env, presented: Option<&str>, now_ms: i64) -> ApiResult<KeyRecord> {
    let key = presented.filter(|k| keys::is_well_formed(k)).ok_or_else(ApiError::unauthorized)?;
    let hash = keys::hash_hex(key);
    let rec = storage::keys::lookup(env, &hash, now_ms).await?.ok_or_else(ApiError::unauthorized)?;
    if !keys::secrets_match(&rec.hash, &hash) || rec.is_expired(now_ms) {
        return Err(ApiError::unauthorized());
    }
    Ok(rec)
}

/// The secret embed tokens are signed with (`EMBED_TOKEN_SECRET`, else one derived from the
/// operator token); a deployment with neither cannot mint or read tokens (500, logged).
pub fn embed_secret(env: &Env) -> ApiResult<Vec<u8>> {
    let var = |name: &str| env.secret(name).ok().map(|s| s.to_string());
    embed_tokens::secret(var("EMBED_TOKEN_SECRET").as_deref(), var("OPERATOR_TOKEN").as_deref()).ok_or_else(|| {
        worker::console_error!("neither EMBED_TOKEN_SECRET nor OPERATOR_TOKEN is configured");
        ApiError::internal()
    })
}

/// An embed token as a caller (SPEC §6): a stand-in for the key that minted it that may only
/// read positions, and only those of the token's workers and sites. 401 when it does not
/// verify or has expired.
pub fn embed_token(env: &Env, token: &str, now_ms: i64) -> ApiResult<Principal> {
    let grant =
        embed_tokens::verify(&embed_secret(env)?, token, now_ms.div_euclid(1000)).ok_or_else(ApiError::unauthorized)?;
    let tier = crate::domain::tenants::Tier::Enterprise;
    let key = KeyRecord {
        key_id: grant.key_id,
        tenant_id: Some(grant.tenant_id.clone()),
        vendor_id: None,
        label: "embed token".into(),
        scopes: vec![scopes::required(false, scopes::Resource::Positions)],
        tier,
        limits: crate::domain::tenants::tier_limits(tier),
        expires_at_ms: Some(grant.expires_at.saturating_mul(1000)),
        hash: String::new(),
    };
    Ok(Principal { key, tenant_id: Some(grant.tenant_id), grant: None, embed: Some(grant.filter) })
}

/// An authenticated caller: the key, the tenant it acts on, and (for a vendor) the scopes
/// that tenant granted.
#[derive(Debug, Clone)]
pub struct Principal {
    pub key: KeyRecord,
    /// The tenant every lookup is scoped to; `None` only for a vendor calling `/v1/me`
    /// without naming a tenant.
    pub tenant_id: Option<String>,
    /// For vendor keys: the partnership's granted scopes.
    pub grant: Option<Vec<Scope>>,
    /// For an embed token: the workers and sites it is limited to.
    pub embed: Option<Filter>,
}

impl Principal {
    /// Effective scopes are the key's, intersected with the grant for vendors.
    pub fn allows(&self, scope: Scope) -> bool {
        scopes::allows(&self.key.scopes, scope) && self.grant.as_ref().is_none_or(|g| scopes::allows(g, scope))
    }

    /// The first of `wanted` this caller does not hold (no escalation).
    pub fn first_not_held(&self, wanted: &[Scope]) -> Option<Scope> {
        wanted.iter().copied().find(|w| !self.allows(*w))
    }
}

/// Decides which tenant a key acts on. Tenant keys act on their own tenant. A vendor key
/// must name one in `Edgeclock-Tenant-Id` that has an active partnership with the vendor:
/// missing header, unknown tenant or no grant are all 403. `optional` lets `/v1/me` answer a
/// vendor that names no tenant.
pub async fn principal(env: &Env, key: KeyRecord, tenant_header: Option<&str>, optional: bool) -> ApiResult<Principal> {
    let Some(vendor_id) = key.vendor_id.clone() else {
        let tenant_id = key.tenant_id.clone();
        return Ok(Principal { key, tenant_id, grant: None, embed: None });
    };
    let Some(tenant) = tenant_header.map(str::trim).filter(|t| !t.is_empty()) else {
        if optional {
            return Ok(Principal { key, tenant_id: None, grant: None, embed: None });
        }
        return Err(ApiError::forbidden(Msg::TenantHeaderRequired));
    };
    let db = storage::d1::db(env)?;
    match storage::partnerships::granted_scopes(&db, tenant, &vendor_id).await? {
        Some(grant) => Ok(Principal { key, tenant_id: Some(tenant.to_string()), grant: Some(grant), embed: None }),
        None => Err(ApiError::forbidden(Msg::NoPartnership)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_then_x_api_key() {
        assert_eq!(credential(Some("Bearer abc"), None), Some("abc"));
        assert_eq!(credential(Some("bearer  abc "), Some("x")), Some("abc"));
        assert_eq!(credential(Some("Basic abc"), Some("k")), Some("k"));
        assert_eq!(credential(None, Some("k")), Some("k"));
        assert_eq!(credential(Some("Bearer "), None), None);
        assert_eq!(credential(None, None), None);
    }
}
