//! Nothing lost (SPEC §7): `wrangler dev` is stopped while deliveries are in flight — some
//! failing and waiting for a retry, some just written and perhaps not yet fanned out — which
//! empties its local queue; started again on the same state, the sweeper finds every one and
//! every event arrives.

use std::collections::BTreeSet;
use std::time::Duration;

use serde_json::json;

use crate::client::req;
use crate::harness::{fresh_state, launch, Server, WEBHOOK_VARS};
use crate::receiver::{Behaviour, Receiver};

fn leak(server: Server) -> &'static Server {
    Box::leak(Box::new(server))
}

#[test]
fn a_restart_with_events_in_flight_loses_none() {
    let state = fresh_state("webhook-restart");
    let first = leak(launch(&state, WEBHOOK_VARS));
    let rx = Receiver::start(Behaviour::FailAll);
    let tenant = req("POST", "/v1/operator/tenants")
        .on(first)
        .operator()
        .json(&json!({"name": "Restart Co", "tier": "enterprise", "timezone": "UTC"}))
        .send()
        .expect(201);
    let (tenant_id, key) = (tenant.data()["id"].as_str().unwrap(), tenant.data()["api_key"]["key"].as_str().unwrap());
    crate::webhook_endpoints::create(Some(first), tenant_id, key, json!({"url": rx.url, "events": ["worker.created"]}));
    let create = |server: &'static Server, i: usize| -> String {
        let r =
            req("POST", "/v1/workers").on(server).key(key).json(&json!({"name": format!("R{i}")})).send().expect(201);
        r.data()["id"].as_str().unwrap().to_string()
    };
    // Ten that the receiver refuses, and which are then waiting for a retry…
    let mut workers: BTreeSet<String> = (0..10).map(|i| create(first, i)).collect();
    rx.wait_until(Duration::from_secs(60), |r| r.len() >= 10);
    // …and ten more written right before the stop: the fan-out after their response may not run.
    workers.extend((10..20).map(|i| create(first, i)));
    first.stop();

    rx.set(Behaviour::Ok);
    let second = leak(launch(&state, WEBHOOK_VARS));
    let arrived = |all: &[crate::receiver::Received]| -> BTreeSet<String> {
        all.iter().filter(|r| r.ok()).map(|r| r.json()["data"]["id"].as_str().unwrap_or("").to_string()).collect()
    };
    let all = rx.wait_until(Duration::from_secs(120), |all| arrived(all).len() >= 20);
    second.stop();
    assert_eq!(arrived(&all), workers, "every event arrived after the restart");
}
