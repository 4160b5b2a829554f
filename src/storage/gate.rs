//! The worker's side of the per-key `KeyGate` Durable Object: one call per request that
//! answers "revoked?" and "within limits?" together.

use worker::Env;

use crate::domain::gate::{self, Verdict};
use crate::domain::tenants::Limits;
use crate::error::{ApiError, ApiResult};

fn stub(env: &Env, key_id: &str) -> ApiResult<worker::Stub> {
    Ok(env.durable_object("KEY_GATE")?.id_from_name(key_id)?.get_stub()?)
}

/// Counts this request against the key's limits (unless the key is revoked).
pub async fn check(env: &Env, key_id: &str, limits: &Limits) -> ApiResult<Verdict> {
    let url = format!(
        "https://gate/check?k={key_id}&s={}&m={}&d={}",
        limits.per_second, limits.per_minute, limits.per_day
    );
    let mut resp = stub(env, key_id)?.fetch_with_str(&url).await?;
    let text = resp.text().await?;
    gate::parse(&text).ok_or_else(|| {
        worker::console_error!("unreadable gate reply: {text}");
        ApiError::internal()
    })
}

/// Marks the key revoked; from the next request on, every isolate is refused.
pub async fn revoke(env: &Env, key_id: &str) -> ApiResult<()> {
    let mut init = worker::RequestInit::new();
    init.with_method(worker::Method::Post);
    let req = worker::Request::new_with_init("https://gate/revoke", &init)?;
    let resp = stub(env, key_id)?.fetch_with_request(req).await?;
    if resp.status_code() == 200 {
        Ok(())
    } else {
        Err(ApiError::internal())
    }
}
