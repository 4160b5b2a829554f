//! `/v1/positions` (SPEC §6): recording positions (one, or a phone's buffered batch), their
//! history, and embed tokens. Each request's accepted positions are recorded with one worker
//! lookup and one statement, then handed to the tenant's live feed in one call after the
//! response (`waitUntil`). The live stream itself is in [`super::live`].

use serde_json::{json, Value};

use crate::domain::embed_tokens::{self, Grant};
use crate::domain::live::{Filter, Published};
use crate::domain::positions::{self, NewPosition};
use crate::domain::{ids, reader, tenants::Tier, time};
use crate::error::{ApiError, ApiResult, ErrorCode, FieldError};
use crate::i18n::{FieldCode, Msg};
use crate::pipeline::call::Call;
use crate::pipeline::envelope::{self, Reply};
#[cfg(not(target_arch = "wasm32"))]
use crate::pipeline::route_doc::{Batch, Body, QueryDoc};
use crate::pipeline::router::RouteDef;
use crate::route;
use crate::storage::live;
use crate::storage::positions::{self as store, Row, POSITIONS};

/// 403 `plan_required` unless the caller's tenant is on the enterprise plan.
pub async fn require_enterprise(call: &Call<'_>) -> ApiResult<()> {
    let tier = crate::storage::tenants::inheritance(&call.db()?, call.tenant_id()?).await?.map(|t| t.tier);
    match tier {
        Some(Tier::Enterprise) => Ok(()),
        _ => Err(ApiError::new(ErrorCode::PlanRequired, Msg::EnterpriseOnly)),
    }
}

/// Records the positions that passed their own checks and whose worker is a live, active
/// worker of the tenant; returns each item's outcome, in order: its id and JSON, or why not.
async fn record(call: &Call<'_>, items: Vec<ApiResult<NewPosition>>) -> ApiResult<Vec<ApiResult<(String, String)>>> {
    let (db, tenant) = (call.db()?, call.tenant_id()?);
    let mut wanted: Vec<&str> = items.iter().filter_map(|p| p.as_ref().ok()).map(|p| p.worker_id.as_str()).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let workers = if wanted.is_empty() { Vec::new() } else { store::workers(&db, tenant, &wanted).await? };

    let mut rows: Vec<Row> = Vec::new();
    let mut refused: Vec<Option<ApiError>> = Vec::with_capacity(items.len());
    for item in &items {
        let outcome = match item {
            Err(e) => Some(e.clone()),
            Ok(p) => {
                let worker = workers.iter().find(|w| w.id == p.worker_id);
                let refusal = positions::worker_refusal(worker);
                if refusal.is_none() {
                    let site_id = worker.and_then(|w| w.site_id.clone());
                    rows.push(Row { id: ids::new_id("pos", call.now_ms as u64), position: p, site_id });
                }
                refusal
            }
        };
        refused.push(outcome);
    }
    let mut recorded = store::insert(&db, tenant, &call.now(), &rows).await?;
    publish(call, tenant, &rows, &recorded);

    let mut accepted = rows.iter().map(|r| r.id.clone());
    let outcomes = refused
        .into_iter()
        .map(|refusal| match refusal {
            Some(e) => Err(e),
            None => {
                let id = accepted.next().unwrap_or_default();
                match recorded.iter().position(|(rid, _)| *rid == id) {
                    Some(at) => Ok(recorded.swap_remove(at)),
                    None => Err(ApiError::internal()),
                }
            }
        })
        .collect();
    Ok(outcomes)
}

/// Hands the recorded positions to the tenant's live feed after the response.
fn publish(call: &Call<'_>, tenant: &str, rows: &[Row<'_>], recorded: &[(String, String)]) {
    let delay =
        positions::live_delay_seconds(call.env.var("LIVE_DELAY_SECONDS").ok().map(|v| v.to_string()).as_deref());
    let items: Vec<Published> = rows
        .iter()
        .filter_map(|r| {
            let json = recorded.iter().find(|(id, _)| *id == r.id)?.1.clone();
            Some(Published {
                id: r.id.clone(),
                worker_id: r.position.worker_id.clone(),
                site_id: r.site_id.clone(),
                due_ms: positions::due_ms(r.position.recorded_ms, delay),
                json,
            })
        })
        .collect();
    if items.is_empty() {
        return;
    }
    let (env, tenant) = (call.env.clone(), tenant.to_string());
    call.ctx.wait_until(async move {
        if let Err(e) = live::publish(&env, &tenant, &items).await {
            worker::console_error!("live feed publish failed for {tenant}: {e:?}");
        }
    });
}

/// `POST /v1/positions`: one position → 201, or `{positions: [...]}` → 207 with one result
/// per item.
pub async fn create(call: &Call<'_>) -> ApiResult<Reply> {
    if positions::is_batch(&call.body) {
        let items = positions::batch_items(&call.body)?;
        let parsed = items.iter().map(|i| positions::parse(i, call.now_ms)).collect();
        let results: Vec<Value> = record(call, parsed)
            .await?
            .into_iter()
            .enumerate()
            .map(|(index, outcome)| match outcome {
                Ok((_, json)) => {
                    Ok(json!({"index": index, "status": 201, "data": serde_json::from_str::<Value>(&json)?}))
                }
                Err(e) => Ok(json!({"index": index, "status": e.status(),
                                    "error": envelope::error_object(&e, call.request_id, call.lang)})),
            })
            .collect::<ApiResult<_>>()?;
        return Ok(Reply::value(207, &Value::Array(results)));
    }
    let one = positions::parse(&call.body, call.now_ms)?;
    match record(call, vec![Ok(one)]).await?.pop() {
        Some(Ok((id, json))) => Ok(Reply::created(&id, json)),
        Some(Err(e)) => Err(e),
        None => Err(ApiError::internal()),
    }
}

/// `GET /v1/positions`: the history, a page at a time.
pub async fn list(call: &Call<'_>) -> ApiResult<Reply> {
    super::crud::page_of(call, &POSITIONS, Some(call.tenant_id()?), &call.query).await
}

/// The ids a token body lists, as read by [`reader`] (a JSON array as text).
fn id_list(cols: &crate::domain::model::Columns, name: &str) -> Option<Vec<String>> {
    cols.text(name).and_then(|t| serde_json::from_str(t).ok())
}

/// `POST /v1/positions/embed-tokens`: a read-only token for one tenant's live stream.
pub async fn mint(call: &Call<'_>) -> ApiResult<Reply> {
    require_enterprise(call).await?;
    let cols = reader::parse(&call.body, embed_tokens::FIELDS, &[], true)?;
    let (db, tenant) = (call.db()?, call.tenant_id()?);
    let filter = Filter { worker_ids: id_list(&cols, "worker_ids"), site_ids: id_list(&cols, "site_ids") };
    let mut missing = Vec::new();
    for (field, table, ids) in [("worker_ids", "workers", &filter.worker_ids), ("site_ids", "sites", &filter.site_ids)]
    {
        if let Some(ids) = ids {
            if !store::unknown_ids(&db, table, tenant, ids).await?.is_empty() {
                missing.push(FieldError::new(field, FieldCode::NotFound));
            }
        }
    }
    if !missing.is_empty() {
        return Err(ApiError::validation(missing));
    }
    let ttl = cols.int("ttl_seconds").unwrap_or(embed_tokens::DEFAULT_TTL_SECONDS);
    let expires_at = call.now_ms.div_euclid(1000) + ttl;
    let grant = Grant { tenant_id: tenant.to_string(), key_id: call.key()?.key_id.clone(), expires_at, filter };
    let token = embed_tokens::mint(&crate::pipeline::auth::embed_secret(call.env)?, &grant);
    let data = json!({
        "token": token,
        "expires_at": time::fmt_ms(expires_at * 1000),
        "worker_ids": grant.filter.worker_ids,
        "site_ids": grant.filter.site_ids,
        "stream_url": format!("{}/v1/positions/live?token={token}", call.origin),
        "embed_url": format!("{}/embed/live-map?token={token}", call.origin),
    });
    Ok(Reply::value(201, &data))
}

/// The routes this module serves.
pub static ROUTES: &[RouteDef] = &[
    route!(POST "/v1/positions", Key, |call| create(call), {
        id: "createPositions",
        tag: "Positions",
        summary: "Record a position, or a batch",
        description: "Records one position (`201` with it), or a phone's buffered batch `{positions: [...]}` of 1–500 (`207` with one result per item, in order: `{index, status: 201, data}` or `{index, status, error}`; items are independent). The worker must be a live, active worker of the tenant (`422`, `worker_id` `not_found` or `inactive`); `recorded_at` may be at most 5 minutes in the future. Each position records its worker's `site_id` at that moment. Accepted positions are kept in the history for 90 days (by `recorded_at`) and appear on the live stream `LIVE_DELAY_SECONDS` (default 60) after `recorded_at` — at once when older than that. With `Idempotency-Key` the whole answer is stored and replayed. Needs `write:positions`.",
        body: Some(Body::create("PositionCreate", &[positions::FIELDS])),
        batch: Some(Batch { body: Body::create("PositionBatch", &[positions::BATCH]), ok: 207, response: "PositionBatchResponse" }),
        ok: 201,
        response: "PositionResponse",
    }),
    route!(GET "/v1/positions", Key, |call| list(call), {
        id: "listPositions",
        tag: "Positions",
        summary: "List position history",
        description: "The tenant's recorded positions in the order they were recorded, a page at a time; `worker_id` filters by worker, `from`/`to` (inclusive) by `recorded_at`. Positions are kept 90 days after `recorded_at`. Needs `read:positions`.",
        query: QueryDoc::list(&POSITIONS),
        ok: 200,
        response: "PositionListResponse",
    }),
    route!(POST "/v1/positions/embed-tokens", Key, |call| mint(call), {
        id: "createEmbedToken",
        tag: "Positions",
        summary: "Mint an embed token",
        description: "A short-lived, read-only token (`ect_…`) for browsers: `GET /v1/positions/live?token=…` accepts it (and nothing else does), limited to the given `worker_ids` and `site_ids`. It lives `ttl_seconds` (1–86,400; default 3,600) and cannot be revoked: keep lifetimes short. `embed_url` opens the live map with it. Enterprise plan only (`403 plan_required`). Unknown workers or sites are `422 not_found`. Needs `write:positions`.",
        body: Some(Body::create("EmbedTokenCreate", &[embed_tokens::FIELDS])),
        enterprise: true,
        ok: 201,
        response: "EmbedTokenResponse",
    }),
];
