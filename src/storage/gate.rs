//! The worker's side of the per-key `KeyGate` Durable Object: one call per request that
//! answers "revoked?", "within limits?" and, for idempotent writes, "run, wait or replay?"
//! together; plus the calls that finish or drop a claim and that revoke the key.

use worker::{Env, Method, Request, RequestInit};

use crate::domain::gate::{self, Verdict};
use crate::domain::idempotency::{Claim, Stored};
use crate::domain::tenants::Limits;
use crate::error::{ApiError, ApiResult};

fn stub(env: &Env, key_id: &str) -> ApiResult<worker::Stub> {
    Ok(env.durable_object("KEY_GATE")?.id_from_name(key_id)?.get_stub()?)
}

/// An idempotency claim to take along with the check: the record name and fingerprint.
pub struct ClaimRequest {
    pub record: String,
    pub fingerprint: String,
}

/// Counts this request against the key's limits (unless the key is revoked) and, if asked,
/// claims its idempotency key.
pub async fn check(
    env: &Env,
    key_id: &str,
    limits: &Limits,
    claim: Option<&ClaimRequest>,
) -> ApiResult<(Verdict, Option<Claim>)> {
    let mut url =
        format!("https://gate/check?k={key_id}&s={}&m={}&d={}", limits.per_second, limits.per_minute, limits.per_day);
    if let Some(c) = claim {
        url.push_str(&format!("&i={}&f={}", c.record, c.fingerprint));
    }
    let mut resp = stub(env, key_id)?.fetch_with_str(&url).await?;
    let text = resp.text().await?;
    gate::parse_reply(&text).ok_or_else(|| {
        worker::console_error!("unreadable gate reply: {text}");
        ApiError::internal()
    })
}

async fn post(env: &Env, key_id: &str, url: &str, body: Option<String>) -> ApiResult<()> {
    let mut init = RequestInit::new();
    init.with_method(Method::Post);
    if let Some(b) = body {
        init.with_body(Some(b.into()));
    }
    let resp = stub(env, key_id)?.fetch_with_request(Request::new_with_init(url, &init)?).await?;
    if resp.status_code() == 200 {
        Ok(())
    } else {
        Err(ApiError::internal())
    }
}

/// Stores the response of a claimed request for replay during `ttl_ms`.
pub async fn complete(env: &Env, key_id: &str, record: &str, stored: &Stored, ttl_ms: i64) -> ApiResult<()> {
    let url = format!("https://gate/complete?i={record}&ttl={ttl_ms}");
    post(env, key_id, &url, Some(serde_json::to_string(stored)?)).await
}

/// Drops a claim whose request failed with a server error, so a retry may run.
pub async fn release(env: &Env, key_id: &str, record: &str) -> ApiResult<()> {
    post(env, key_id, &format!("https://gate/release?i={record}"), None).await
}

/// Marks the key revoked; from the next request on, every isolate is refused.
pub async fn revoke(env: &Env, key_id: &str) -> ApiResult<()> {
    post(env, key_id, "https://gate/revoke", None).await
}
