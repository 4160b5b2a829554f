//! Fan-out (SPEC §7): committed outbox events become one delivery per (event, endpoint) that
//! wants it — enabled, subscribed to the event (or `*`), created before the event, and passing
//! its filters — recorded together with the events' `dispatched_at` in one batch, then sent to
//! the `WEBHOOKS` queue. A request hands over its own events after its response
//! ([`after_write`], from `waitUntil`); the sweeper hands over any that were left behind.

use std::collections::BTreeMap;

use worker::Env;

use super::{queue, sweep};
use crate::domain::events::Event;
use crate::domain::ids;
use crate::domain::time::parse_instant;
use crate::domain::webhooks::filters::{subscribes, EventFacts};
use crate::domain::webhooks::payload::{self, Subject};
use crate::domain::webhooks::slack;
use crate::error::ApiResult;
use crate::storage::d1;
use crate::storage::db::Database;
use crate::storage::deliveries::{self, NewDelivery};
use crate::storage::events::{self, Context, OutboxEvent};
use crate::storage::webhooks::{self, Endpoint};

/// What an endpoint is posted for an event: the JSON body, or its Slack text.
pub fn body_for(endpoint: &Endpoint, json_body: &str, values: &slack::Values) -> String {
    if endpoint.format == "slack" {
        slack::body(endpoint.template.as_deref(), values)
    } else {
        json_body.to_string()
    }
}

/// Whether `endpoint` existed when event `event_id` happened (both ids carry their time): an
/// endpoint receives only events that occur after its creation, not an old backlog.
fn existed_at(endpoint: &Endpoint, event_id: &str) -> bool {
    match (ids::millis(&endpoint.id), ids::millis(event_id)) {
        (Some(created), Some(occurred)) => created <= occurred,
        _ => true,
    }
}

/// The deliveries one tenant's events make with its enabled endpoints.
async fn plan(
    db: &impl Database,
    events: &[&OutboxEvent],
    endpoints: &[Endpoint],
    now_ms: i64,
) -> ApiResult<Vec<NewDelivery>> {
    // Who is subscribed to what, before any lookup: most events of most tenants go nowhere.
    let candidates: Vec<(&OutboxEvent, Event, Vec<&Endpoint>)> = events
        .iter()
        .filter_map(|e| {
            let event = e.event()?;
            let wanted: Vec<&Endpoint> =
                endpoints.iter().filter(|w| subscribes(&w.events, event) && existed_at(w, &e.id)).collect();
            (!wanted.is_empty()).then_some((*e, event, wanted))
        })
        .collect();
    let Some((first, _, _)) = candidates.first() else { return Ok(Vec::new()) };
    // Names and sites are looked up only for endpoints that filter or post Slack text.
    let needs_context = candidates.iter().flat_map(|(_, _, w)| w).any(|w| w.filters.is_some() || w.format == "slack");
    let contexts = if needs_context {
        let subjects: Vec<(String, Subject)> = candidates
            .iter()
            .map(|(e, event, _)| {
                let data = serde_json::from_str(&e.data).unwrap_or(serde_json::Value::Null);
                (e.id.clone(), payload::subject(*event, &data))
            })
            .collect();
        events::contexts(db, &first.tenant_id, &subjects).await?
    } else {
        Default::default()
    };

    let mut out = Vec::new();
    for (e, event, wanted) in candidates {
        let context = contexts.get(&e.id).cloned().unwrap_or_default();
        let tz = e.timezone.as_deref().unwrap_or("UTC");
        let occurred_ms = parse_instant(&e.occurred_at, false).unwrap_or(now_ms);
        let facts = EventFacts {
            event,
            occurred_at_ms: occurred_ms,
            tenant_tz: tz,
            site_id: context.site_id.as_deref(),
            worker_id: context.worker_id.as_deref(),
            department_id: context.department_id.as_deref(),
        };
        let json = payload::json_body(&e.id, event, &e.occurred_at, &e.tenant_id, &e.data);
        let timestamp = slack::local_timestamp(occurred_ms, tz);
        let values = slack_values(event, &context, &timestamp);
        for endpoint in wanted {
            if endpoint.filters.as_ref().is_some_and(|f| !f.matches(&facts)) {
                continue;
            }
            out.push(NewDelivery {
                id: deliveries::new_id(now_ms),
                tenant_id: e.tenant_id.clone(),
                webhook_id: endpoint.id.clone(),
                event_id: e.id.clone(),
                event,
                body: body_for(endpoint, &json, &values),
            });
        }
    }
    Ok(out)
}

fn slack_values<'a>(event: Event, context: &'a Context, timestamp: &'a str) -> slack::Values<'a> {
    slack::Values {
        event: event.as_str(),
        worker_name: context.worker_name.as_deref(),
        site_name: context.site_name.as_deref(),
        timestamp: Some(timestamp),
    }
}

/// Fans out the events among `ids` that are still undispatched: records their deliveries and
/// marks them dispatched (one batch). Returns the deliveries this call recorded, to enqueue.
pub async fn dispatch(db: &impl Database, ids: &[String], now_ms: i64) -> ApiResult<Vec<String>> {
    let found = events::undispatched_by_id(db, ids).await?;
    if found.is_empty() {
        return Ok(Vec::new());
    }
    let mut by_tenant: BTreeMap<&str, Vec<&OutboxEvent>> = BTreeMap::new();
    for e in &found {
        by_tenant.entry(e.tenant_id.as_str()).or_default().push(e);
    }
    let mut planned = Vec::new();
    for (tenant, tenant_events) in by_tenant {
        let endpoints = webhooks::enabled_endpoints(db, tenant).await?;
        if !endpoints.is_empty() {
            planned.extend(plan(db, &tenant_events, &endpoints, now_ms).await?);
        }
    }
    let event_ids: Vec<String> = found.into_iter().map(|e| e.id).collect();
    deliveries::record_fan_out(db, &planned, &event_ids, now_ms).await
}

/// After a write committed events `ids` (called from `waitUntil`, after the response): fans
/// them out and enqueues their deliveries. On failure the events stay undispatched and the
/// sweeper takes them over.
pub async fn after_write(env: Env, ids: Vec<String>) {
    let now = crate::pipeline::now_ms();
    let recorded = match d1::db(&env) {
        Ok(db) => dispatch(&db, &ids, now).await,
        Err(e) => Err(e),
    };
    match recorded {
        Ok(deliveries) => queue::enqueue(&env, deliveries, false).await,
        Err(_) => worker::console_error!("webhook fan-out of {} events failed; the sweeper will retry", ids.len()),
    }
    sweep::ensure_running(&env).await;
}
