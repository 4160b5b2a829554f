//! Idempotency in the pipeline (SPEC §4): every write route gets it for free. A write with
//! an `Idempotency-Key` claims it in the key's gate together with the rate-limit check; the
//! outcome is then stored for replay (anything but a 5xx) or the claim released (5xx).

use worker::Env;

use crate::domain::gate::ClaimRequest;
use crate::domain::idempotency::{self, Claim, Replay, Stored};
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::i18n::Msg;
use crate::storage::gate;

/// Default time a finished request is remembered (24 h); `IDEMPOTENCY_TTL_SECONDS` overrides.
const DEFAULT_TTL_SECONDS: i64 = 86_400;

/// The claim a write asks for, from its `Idempotency-Key` header (400 if malformed).
pub fn claim_request(
    header: Option<&str>,
    method: &str,
    path_and_query: &str,
    body: &[u8],
) -> ApiResult<Option<ClaimRequest>> {
    let Some(key) = header else { return Ok(None) };
    if !idempotency::is_valid_key(key) {
        return Err(ApiError::bad_request(Msg::InvalidIdempotencyKey));
    }
    Ok(Some(ClaimRequest {
        record: idempotency::record_name(key),
        fingerprint: idempotency::fingerprint(method, path_and_query, body),
    }))
}

/// Turns the gate's claim decision into "go on" (`Ok(None)`), a replay, or an error.
pub fn on_claim(claim: Claim) -> ApiResult<Option<Replay>> {
    match claim {
        Claim::Run => Ok(None),
        Claim::Replay(replay) => Ok(Some(replay)),
        Claim::Mismatch => Err(ApiError::new(ErrorCode::IdempotencyKeyReused, Msg::Default)),
        Claim::InFlight => Err(ApiError { retry_after: Some(1), ..ApiError::conflict(Msg::IdempotencyInFlight) }),
    }
}

fn ttl_ms(env: &Env) -> i64 {
    let secs = env
        .var("IDEMPOTENCY_TTL_SECONDS")
        .ok()
        .and_then(|v| v.to_string().parse::<i64>().ok())
        .filter(|s| *s > 0)
        .unwrap_or(DEFAULT_TTL_SECONDS);
    secs * 1000
}

/// Stores the outcome of a claimed request (and the object it wrote), or releases the claim
/// after a server error.
pub async fn finish(env: &Env, key_id: &str, record: &str, response: Stored, resource_id: Option<String>) {
    let result = if idempotency::is_stored(response.status) {
        gate::complete(env, key_id, record, response, resource_id, ttl_ms(env)).await
    } else {
        gate::release(env, key_id, record).await
    };
    if result.is_err() {
        // The claim expires by itself, so a retry is never blocked for long.
        worker::console_error!("could not finish idempotency record {record}");
    }
}
