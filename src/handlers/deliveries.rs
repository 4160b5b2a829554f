//! Webhook deliveries (SPEC §7): an endpoint's delivery log (cursor, `status` and `event`
//! filters, each delivery with its attempts), one delivery, a replay (the same `webhook-id`
//! and body, sent again now), and the `ping` that an endpoint's `test` route sends.

use serde_json::json;

use crate::delivery::{fanout, queue};
use crate::domain::events::Event;
use crate::domain::listing;
use crate::domain::time::fmt_ms;
use crate::domain::webhooks::payload;
use crate::domain::webhooks::slack;
use crate::error::{ApiError, ApiResult};
use crate::i18n::{Msg, Noun};
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
#[cfg(not(target_arch = "wasm32"))]
use crate::pipeline::route_doc::QueryDoc;
use crate::pipeline::router::RouteDef;
use crate::route;
use crate::storage::deliveries::{self, NewDelivery};
use crate::storage::webhooks::{self, Endpoint};
use crate::storage::{db, tenants};

fn delivery_not_found() -> ApiError {
    ApiError::not_found(Msg::NotFound(Noun::WebhookDelivery))
}

async fn list(call: &Call<'_>) -> ApiResult<Reply> {
    let tenant = call.tenant_id()?;
    let webhook_id = call.param("webhook_id");
    let lq = deliveries::page_query(tenant, webhook_id, &call.query)?;
    let db = call.db()?;
    if webhooks::endpoint(&db, tenant, webhook_id).await?.is_none() {
        return Err(ApiError::not_found(Msg::NotFound(Noun::Webhook)));
    }
    let rows = db::id_json_rows(&db, &lq.sql, &lq.args).await?;
    Ok(Reply::page(listing::paginate(rows, lq.limit)))
}

async fn show(call: &Call<'_>) -> ApiResult<Reply> {
    let delivery = deliveries::get(&call.db()?, call.tenant_id()?, call.param("delivery_id")).await?;
    delivery.map(Reply::ok).ok_or_else(delivery_not_found)
}

/// Sends a delivery again now: pending with a fresh schedule, same id and body; 202.
async fn replay(call: &Call<'_>) -> ApiResult<Reply> {
    let id = call.param("delivery_id");
    let delivery = deliveries::replay(&call.db()?, call.tenant_id()?, id, call.now_ms).await?;
    let delivery = delivery.ok_or_else(delivery_not_found)?;
    queue::enqueue(call.env, vec![id.to_string()], true).await;
    Ok(Reply::written(202, id, delivery))
}

/// `POST /v1/webhooks/{webhook_id}/test` (declared with the endpoint routes): records a `ping`
/// event and its one delivery to `endpoint` — whatever its events, filters or status — and
/// sends it; 202 with the delivery, which appears in the endpoint's log like any other.
pub async fn send_ping(call: &Call<'_>, endpoint: &Endpoint) -> ApiResult<Reply> {
    let now = call.now_ms;
    let tenant = endpoint.tenant_id.as_str();
    let db = call.db()?;
    let event_id = crate::domain::ids::new_id("evt", now as u64);
    let occurred_at = fmt_ms(now);
    let data = json!({ "webhook_id": endpoint.id }).to_string();
    let json_body = payload::json_body(&event_id, Event::Ping, &occurred_at, tenant, &data);
    let body = if endpoint.format == "slack" {
        let tz = tenants::timezone_of(&db, tenant).await?.unwrap_or_else(|| "UTC".into());
        let timestamp = slack::local_timestamp(now, &tz);
        let values = slack::Values { event: Event::Ping.as_str(), timestamp: Some(&timestamp), ..Default::default() };
        fanout::body_for(endpoint, &json_body, &values)
    } else {
        json_body
    };
    let delivery = NewDelivery {
        id: deliveries::new_id(now),
        tenant_id: tenant.to_string(),
        webhook_id: endpoint.id.clone(),
        event_id,
        event: Event::Ping,
        body,
    };
    let json = deliveries::insert_ping(&db, &delivery, &occurred_at, &data, now).await?;
    queue::enqueue(call.env, vec![delivery.id.clone()], true).await;
    Ok(Reply::written(202, &delivery.id, json))
}

/// The routes this module serves.
pub static ROUTES: &[RouteDef] = &[
    route!(GET "/v1/webhooks/{webhook_id}/deliveries", Key, |call| list(call), {
        id: "listWebhookDeliveries",
        tag: "Webhooks",
        summary: "List an endpoint's deliveries",
        description: "The endpoint's delivery log, oldest first and cursor-paginated: one delivery per event and endpoint (its id is the `webhook-id` header, the same on every retry and replay), with `status` (`pending`, `delivered`, `failed`) and every attempt (`at`, `status_code` or `error`, `duration_ms`, the first 1 KB of the response). Filter by `status` and `event` (comma-separated values). Records are kept 30 days. Needs `read:webhooks`.",
        query: QueryDoc::list(&deliveries::DELIVERIES).only(deliveries::PARAMS),
        ok: 200,
        response: "WebhookDeliveryListResponse",
    }),
    route!(GET "/v1/webhooks/deliveries/{delivery_id}", Key, |call| show(call), {
        id: "getWebhookDelivery",
        tag: "Webhooks",
        summary: "Read a delivery",
        description: "One delivery with its attempts. A delivery of a deleted endpoint is gone with it. Needs `read:webhooks`.",
        ok: 200,
        response: "WebhookDeliveryResponse",
    }),
    route!(POST "/v1/webhooks/deliveries/{delivery_id}/replay", Key, |call| replay(call), {
        id: "replayWebhookDelivery",
        tag: "Webhooks",
        summary: "Send a delivery again",
        description: "Sends the delivery again now, whatever its status: the same `webhook-id` and byte-identical body, signed with a new timestamp, retried on a fresh schedule; also to a disabled endpoint. Answers 202 with the delivery, pending. Needs `write:webhooks`; vendor keys cannot.",
        ok: 202,
        response: "WebhookDeliveryResponse",
    }),
];
