//! `GET /v1/positions/live` (SPEC §6): the tenant's positions as they are released, over
//! Server-Sent Events or (with `Upgrade: websocket`) a WebSocket, both served by the tenant's
//! `LiveFeed` Durable Object; this handler only checks the caller, reads the filters and, for
//! a map, prepares the `context` event. A key or an embed token (`?token=`) may call it.

use crate::domain::live::{self, Filter, Subscribe};
use crate::domain::params::{self, Param, ParamKind};
use crate::error::ApiResult;
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
#[cfg(not(target_arch = "wasm32"))]
use crate::pipeline::route_doc::{Media, QueryDoc};
use crate::pipeline::router::RouteDef;
use crate::route;
use crate::storage::{live as feed, positions as store};

/// What a connection may add to the stream: the map's `context`, and each worker's `latest`.
const INCLUDE: &[&str] = &["context", "latest"];

const PARAMS: &[Param] = &[
    Param::optional("worker_ids", ParamKind::Ids("wkr")).doc("Only these workers' positions (comma-separated, 1–100)."),
    Param::optional("site_ids", ParamKind::Ids("site"))
        .doc("Only positions of workers assigned to these sites (the position's `site_id`; comma-separated, 1–100)."),
    Param::optional("include", ParamKind::Words(INCLUDE)).doc(
        "Comma-separated. `context`: first an `event: context` whose data is `{sites, workers}` (each site's name, \
         centre and `geofence_radius_m`, each worker's name and `site_id`, as the filters narrow them; at most 1,000 \
         each; SSE only). `latest`: then each worker's latest released position (unless resuming).",
    ),
    Param::optional("last_event_id", ParamKind::Opaque(64))
        .doc("Resume after this position id, as the `Last-Event-ID` header does (which wins when both are sent)."),
    Param::optional("token", ParamKind::Opaque(8192)).doc(
        "An embed token, for callers that cannot send a key (a browser's `EventSource`). Ignored when a key is sent.",
    ),
];

fn owned(ids: Option<Vec<&str>>) -> Option<Vec<String>> {
    ids.map(|l| l.into_iter().map(str::to_string).collect())
}

/// Opens the stream.
pub async fn open(call: &Call<'_>) -> ApiResult<Reply> {
    params::only(&call.query, PARAMS)?;
    let mut filter = Filter {
        worker_ids: owned(params::ids(&call.query, &PARAMS[0])?),
        site_ids: owned(params::ids(&call.query, &PARAMS[1])?),
    };
    let include = params::words(&call.query, &PARAMS[2])?.unwrap_or_default();
    let from_query = params::opaque(&call.query, &PARAMS[3])?.map(str::to_string);
    params::opaque(&call.query, &PARAMS[4])?;
    super::positions::require_enterprise(call).await?;
    if let Some(outer) = &call.principal()?.embed {
        filter = filter.within(outer);
    }
    // A `Last-Event-ID` the stream could not have sent is no position to resume after.
    let header = call.header("Last-Event-ID").filter(|v| !v.is_empty() && v.len() <= 64);
    let websocket = call.header("Upgrade").is_some_and(|u| u.eq_ignore_ascii_case("websocket"));
    let tenant = call.tenant_id()?;
    let head = if include.contains(&"context") && !websocket {
        let context = store::context(&call.db()?, tenant, &filter).await?;
        Some(live::sse_event("context", &context))
    } else {
        None
    };
    let sub = Subscribe { filter, last_event_id: header.or(from_query), latest: include.contains(&"latest"), head };
    let response = if websocket {
        feed::websocket(call.env, tenant, &sub).await?
    } else {
        feed::sse(call.env, tenant, &sub).await?
    };
    Ok(Reply::stream(response))
}

/// `GET /v1/operator/tenants/{id}/live-feed`: what a tenant's feed holds (the benchmark's
/// memory check, and an operator's look at a busy tenant).
pub async fn stats(call: &Call<'_>, tenant: &str) -> ApiResult<Reply> {
    crate::storage::tenants::get(&call.db()?, tenant).await?;
    let stats = feed::stats(call.env, tenant).await?;
    Ok(Reply::value(200, &serde_json::to_value(stats)?))
}

/// The routes this module serves.
pub static ROUTES: &[RouteDef] = &[
    route!(GET "/v1/operator/tenants/{tenant_id}/live-feed", Operator, |call| stats(call, call.param("tenant_id")), {
        id: "getLiveFeedStats",
        tag: "Operator",
        summary: "Look at a tenant's live feed",
        description: "What the tenant's live position feed holds now: positions waiting for their release time, released ones kept for resuming, workers with a latest position, positions not streamed because the waiting buffer was full, open SSE streams and WebSockets, and the object's memory. Operator token required.",
        ok: 200,
        response: "LiveFeedStatsResponse",
    }),
    route!(GET "/v1/positions/live", KeyOrEmbedToken, |call| open(call), {
        id: "streamPositions",
        tag: "Positions",
        summary: "Stream live positions",
        description: "The tenant's positions as they are released: each `LIVE_DELAY_SECONDS` (default 60) after its `recorded_at` and never earlier; one older than that at once. Server-Sent Events by default (`text/event-stream`): `event: position`, `id:` the position id, `data:` the position JSON; a `: heartbeat` comment every 15 s; `retry: 2000` first. Reconnecting with `Last-Event-ID` resumes after that position from the recent-release buffer (the last 2,000 positions); an id no longer held resumes from now. With `Upgrade: websocket` the same positions arrive one JSON position per text message. `worker_ids` and `site_ids` filter per connection. Called with a key (`read:positions`) or an embed token in `token` (which narrows the filters to its own). Enterprise plan only (`403 plan_required`). A client that stops reading for long is disconnected and resumes on reconnecting.",
        query: QueryDoc::params(PARAMS),
        enterprise: true,
        ok: 200,
        response: "",
        media: Media::EventStream("Server-Sent Events: `event: position` frames (`id:` the position id, `data:` the position JSON), `: heartbeat` comments, and with `include=context` a first `event: context`."),
    }),
];
