//! The worker's side of the per-key `KeyGate` Durable Object: one typed call per request that
//! answers "revoked?", "within limits?" and, for idempotent writes, "run, wait or replay?"
//! together; plus the calls that finish or drop a claim and that revoke the key. Messages are
//! those of [`crate::domain::gate`]; anything but a readable 200 is a 500 `internal`.

use worker::{Env, Headers, Method, Request, RequestInit};

use crate::domain::gate::{
    self, CheckGroup, CheckReply, CheckRequest, ClaimRequest, CompleteRequest, GateCall, ReleaseRequest, RevokeRequest,
};
use crate::domain::idempotency::Stored;
use crate::domain::tenants::Limits;
use crate::error::{ApiError, ApiResult};

fn stub(env: &Env, key_id: &str) -> ApiResult<worker::Stub> {
    Ok(env.durable_object("KEY_GATE")?.id_from_name(key_id)?.get_stub()?)
}

/// Sends one call to the gate of `key_id` and reads its reply.
async fn call<C: GateCall>(env: &Env, key_id: &str, message: &C) -> ApiResult<C::Reply> {
    let text = gate::encode(message)?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post);
    if gate::fits_header(&text) {
        let headers = Headers::new();
        headers.set(gate::MESSAGE_HEADER, &text)?;
        init.with_headers(headers);
    } else {
        init.with_body(Some(text.into()));
    }
    let request = Request::new_with_init(&format!("https://gate{}", C::PATH), &init)?;
    let mut resp = stub(env, key_id)?.fetch_with_request(request).await?;
    let text = resp.text().await?;
    if resp.status_code() != 200 {
        worker::console_error!("gate call {} answered {}: {text}", C::PATH, resp.status_code());
        return Err(ApiError::internal());
    }
    gate::decode(&text).map_err(|e| {
        worker::console_error!("unreadable reply to gate call {}: {e}", C::PATH);
        ApiError::internal()
    })
}

/// Counts this request against the key's limits (unless the key is revoked) and, if asked,
/// claims its idempotency key.
/// Within this isolate, the key's requests that arrive while a check is on its way go
/// together in the next call ([`super::gate_queue`]).
pub async fn check(env: &Env, key_id: &str, limits: &Limits, claim: Option<ClaimRequest>) -> ApiResult<CheckReply> {
    let check = CheckRequest { key_id: key_id.to_string(), limits: *limits, claim };
    super::gate_queue::check(key_id, check, |checks| async move {
        Ok(call(env, key_id, &CheckGroup { checks }).await?.replies)
    })
    .await
}

/// Stores the response of a claimed request (and the object it wrote) for replay during
/// `ttl_ms`.
pub async fn complete(
    env: &Env,
    key_id: &str,
    record: &str,
    response: Stored,
    resource_id: Option<String>,
    ttl_ms: i64,
) -> ApiResult<()> {
    call(env, key_id, &CompleteRequest { record: record.to_string(), ttl_ms, response, resource_id }).await?;
    Ok(())
}

/// Drops a claim whose request failed with a server error, so a retry may run.
pub async fn release(env: &Env, key_id: &str, record: &str) -> ApiResult<()> {
    call(env, key_id, &ReleaseRequest { record: record.to_string() }).await?;
    Ok(())
}

/// Marks the key revoked; from the next request on, every isolate is refused.
pub async fn revoke(env: &Env, key_id: &str) -> ApiResult<()> {
    call(env, key_id, &RevokeRequest {}).await?;
    Ok(())
}
