//! The worker's side of the per-tenant `LiveFeed` Durable Object (SPEC §6 positions): hand it
//! the positions a request recorded (one call per request), open a subscriber's stream (SSE
//! or WebSocket), read its figures. Messages are those of [`crate::domain::live`].

use worker::{Env, Headers, Method, Request, RequestInit, Response};

use crate::domain::live::{Published, Stats, Subscribe};
use crate::error::{ApiError, ApiResult};
use crate::objects::live_feed::SUBSCRIPTION_HEADER;

fn stub(env: &Env, tenant: &str) -> ApiResult<worker::Stub> {
    Ok(env.durable_object("LIVE_FEED")?.id_from_name(tenant)?.get_stub()?)
}

async fn send(env: &Env, tenant: &str, path: &str, init: &RequestInit) -> ApiResult<Response> {
    let request = Request::new_with_init(&format!("https://live{path}"), init)?;
    let response = stub(env, tenant)?.fetch_with_request(request).await?;
    if !(200..300).contains(&response.status_code()) && response.status_code() != 101 {
        worker::console_error!("live feed call {path} answered {}", response.status_code());
        return Err(ApiError::internal());
    }
    Ok(response)
}

fn post(body: String) -> RequestInit {
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_body(Some(body.into()));
    init
}

/// Hands recorded positions to the tenant's feed.
pub async fn publish(env: &Env, tenant: &str, items: &[Published]) -> ApiResult<()> {
    if items.is_empty() {
        return Ok(());
    }
    send(env, tenant, "/publish", &post(serde_json::to_string(items)?)).await?;
    Ok(())
}

/// Opens a Server-Sent Events stream on the tenant's feed.
pub async fn sse(env: &Env, tenant: &str, sub: &Subscribe) -> ApiResult<Response> {
    send(env, tenant, "/subscribe", &post(serde_json::to_string(sub)?)).await
}

/// Opens a WebSocket on the tenant's feed (the object answers `101` with the client's end).
pub async fn websocket(env: &Env, tenant: &str, sub: &Subscribe) -> ApiResult<Response> {
    let headers = Headers::new();
    headers.set("Upgrade", "websocket")?;
    headers.set(SUBSCRIPTION_HEADER, &serde_json::to_string(sub)?)?;
    let mut init = RequestInit::new();
    init.with_method(Method::Get).with_headers(headers);
    send(env, tenant, "/subscribe", &init).await
}

/// What the tenant's feed holds now.
pub async fn stats(env: &Env, tenant: &str) -> ApiResult<Stats> {
    let mut response = send(env, tenant, "/stats", &RequestInit::new()).await?;
    Ok(serde_json::from_str(&response.text().await?)?)
}
