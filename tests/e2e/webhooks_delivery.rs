//! Webhook delivery end to end (SPEC §7) on `wrangler dev`, to a real HTTP receiver in this
//! process: both signature schemes verify by the published algorithms; a retry keeps the
//! `webhook-id` and the bytes; a receiver failing half of all attempts still gets every one of
//! 100 events; a 410 disables the endpoint; an answer after 12 s is a failed attempt; filters,
//! the Slack format, replay, and the deliveries log with its isolation. (The restart test is
//! in `webhooks_recovery.rs`.)

use std::collections::BTreeSet;
use std::time::Duration;

use serde_json::{json, Value};

use crate::client::{tenant, walk, Tenant};
use crate::receiver::{Behaviour, Receiver, FAILURE_BODY_LEN};
use crate::webhook_verify;

/// Long enough for a delivery behind a stalled batch (a 10 s timeout) and a few retries.
pub const WAIT: Duration = Duration::from_secs(90);

/// Creates an endpoint; returns its id and signing secret.
pub fn endpoint(t: &Tenant, body: Value) -> (String, String) {
    crate::webhook_endpoints::create(None, &t.id, &t.key, body)
}

/// The endpoint's whole delivery log, oldest first.
pub fn log(t: &Tenant, hook: &str) -> Vec<Value> {
    walk(t, &format!("/v1/webhooks/{hook}/deliveries"), 200)
}

fn statuses(delivery: &Value) -> Vec<Value> {
    delivery["attempts"].as_array().unwrap().iter().map(|a| a["status_code"].clone()).collect()
}

#[test]
fn both_signatures_verify_and_the_body_is_the_event() {
    let rx = Receiver::start(Behaviour::Ok);
    let t = tenant();
    let (hook, secret) = endpoint(&t, json!({"url": rx.url, "events": ["worker.created"]}));
    let w = t.worker(json!({"name": "Sig Nature"}));
    let got = rx.wait_delivered(1, WAIT);
    let r = &got[0];
    assert!(webhook_verify::both(r, &secret), "signatures: {:?}", r.headers);
    assert!(!webhook_verify::both(r, "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), "another secret");
    let mut tampered = r.clone();
    tampered.body.push(b' ');
    assert!(!webhook_verify::both(&tampered, &secret), "another body");
    assert_eq!(r.header("Content-Type"), "application/json");
    assert_eq!(r.header("Edgeclock-Event"), "worker.created");
    assert_eq!(
        r.header("Edgeclock-Signature").split(',').next(),
        Some(&*format!("t={}", r.header("webhook-timestamp")))
    );

    let body = r.json();
    let fields: BTreeSet<&str> = body.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(fields, BTreeSet::from(["id", "event", "occurred_at", "tenant_id", "data"]));
    assert!(body["id"].as_str().unwrap().starts_with("evt_"));
    assert_eq!((body["event"].as_str(), body["tenant_id"].as_str()), (Some("worker.created"), Some(t.id.as_str())));
    let detail = t.get(&format!("/v1/workers/{}", w["id"].as_str().unwrap())).expect(200);
    assert_eq!(&body["data"], detail.data(), "data is the object as its detail route shows it");

    let logged = log(&t, &hook);
    assert_eq!(logged.len(), 1);
    assert_eq!((logged[0]["id"].as_str(), logged[0]["status"].as_str()), (Some(r.id()), Some("delivered")));
    assert_eq!(logged[0]["event_id"], body["id"]);
}

#[test]
fn a_retry_keeps_the_webhook_id_and_the_bytes() {
    let rx = Receiver::start(Behaviour::FailFirst(2));
    let t = tenant();
    let (hook, secret) = endpoint(&t, json!({"url": rx.url, "events": ["worker.created"]}));
    t.worker(json!({"name": "Re Try"}));
    rx.wait_delivered(1, WAIT);
    let all = rx.received();
    assert_eq!(all.iter().map(|r| r.status).collect::<Vec<_>>(), [500, 500, 200]);
    assert!(all.iter().all(|r| r.id() == all[0].id() && r.body == all[0].body), "same webhook-id and bytes");
    assert!(all.iter().all(|r| webhook_verify::both(r, &secret)), "each attempt signed afresh, validly");
    let stamps: Vec<i64> = all.iter().map(|r| r.header("webhook-timestamp").parse().unwrap()).collect();
    assert!(stamps.windows(2).all(|w| w[0] <= w[1]), "{stamps:?}");

    let delivery = crate::client::eventually_within(WAIT, || {
        let d = t.get(&format!("/v1/webhooks/deliveries/{}", all[0].id())).expect(200).data().clone();
        (d["status"] == "delivered").then_some(d)
    });
    assert_eq!(statuses(&delivery), [json!(500), json!(500), json!(200)]);
    let attempts = delivery["attempts"].as_array().unwrap();
    assert_eq!(attempts[0]["response_body"].as_str().unwrap().len(), 1024, "the first 1 KB of {FAILURE_BODY_LEN}");
    assert_eq!(attempts[2]["response_body"], "ok");
    assert!(attempts.iter().all(|a| a["error"].is_null() && a["duration_ms"].as_i64().unwrap() >= 0));
    assert_eq!(log(&t, &hook).len(), 1);
}

#[test]
fn a_receiver_failing_half_of_all_attempts_gets_all_100_events() {
    let rx = Receiver::start(Behaviour::FailHalf { seed: 0x5eed_cafe });
    let t = tenant();
    let (hook, _) = endpoint(&t, json!({"url": rx.url, "events": ["time_entry.created"]}));
    let w = t.worker(json!({"name": "Hundred Entries"}))["id"].as_str().unwrap().to_string();
    let entries: Vec<Value> = (0..100)
        .map(|i| {
            let start = format!("2026-05-{:02}T{:02}:00:00Z", 1 + i / 4, 6 + (i % 4) * 3);
            json!({"worker_id": w, "started_at": start, "ended_at": start.replace(":00:00Z", ":30:00Z")})
        })
        .collect();
    let r = t.post("/v1/time-entries/batch", json!({"entries": entries})).expect(207);
    let ids: BTreeSet<String> =
        r.data().as_array().unwrap().iter().map(|i| i["data"]["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(ids.len(), 100);

    let delivered = |all: &[crate::receiver::Received]| -> BTreeSet<String> {
        all.iter().filter(|r| r.ok()).map(|r| r.json()["data"]["id"].as_str().unwrap_or("").to_string()).collect()
    };
    let all = rx.wait_until(Duration::from_secs(150), |all| delivered(all).len() >= 100);
    assert_eq!(delivered(&all), ids, "every event arrived");
    let failed = all.iter().filter(|r| !r.ok()).count();
    assert!(failed > 20, "about half of the attempts failed: {failed} of {}", all.len());
    let logged = crate::client::eventually_within(WAIT, || {
        let l = log(&t, &hook);
        l.iter().all(|d| d["status"] == "delivered").then_some(l)
    });
    assert_eq!(logged.len(), 100);
}

#[test]
fn a_410_fails_the_delivery_and_disables_the_endpoint() {
    let rx = Receiver::start(Behaviour::Gone);
    let t = tenant();
    let (hook, _) = endpoint(&t, json!({"url": rx.url, "events": ["worker.created", "worker.updated"]}));
    let w = t.worker(json!({"name": "Gone Girl"}));
    rx.wait_until(WAIT, |r| !r.is_empty());
    let failed = crate::client::eventually_within(WAIT, || {
        let l = log(&t, &hook);
        (l.len() == 1 && l[0]["status"] == "failed").then_some(l)
    });
    assert_eq!(statuses(&failed[0]), [json!(410)], "no retry after a 410");
    crate::webhook_endpoints::assert_disabled(&t, &hook);
    // Nothing more is sent, and no delivery is made for it while it is disabled.
    t.patch(&format!("/v1/workers/{}", w["id"].as_str().unwrap()), json!({"name": "Still Gone"})).expect(200);
    std::thread::sleep(Duration::from_secs(4));
    assert_eq!(rx.received().len(), 1);
    assert_eq!(log(&t, &hook).len(), 1);
    // A ping is still sent on purpose to a disabled endpoint.
    crate::webhook_endpoints::ping(&t, &hook).expect(202);
    let pinged = rx.wait_until(WAIT, |r| r.len() == 2);
    assert_eq!(pinged[1].json()["event"], "ping");
}

#[test]
fn an_answer_after_12_seconds_is_a_failed_attempt() {
    let rx = Receiver::start(Behaviour::SlowFirst(Duration::from_secs(12)));
    let t = tenant();
    let (hook, _) = endpoint(&t, json!({"url": rx.url, "events": ["worker.created"]}));
    t.worker(json!({"name": "Slow Poke"}));
    let delivered = crate::client::eventually_within(WAIT, || {
        let l = log(&t, &hook);
        (l.len() == 1 && l[0]["status"] == "delivered").then_some(l)
    });
    let attempts = delivered[0]["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 2, "{attempts:?}");
    assert!(attempts[0]["status_code"].is_null(), "{:?}", attempts[0]);
    assert!(attempts[0]["error"].as_str().unwrap().contains("timed out"), "{:?}", attempts[0]);
    let took = attempts[0]["duration_ms"].as_i64().unwrap();
    assert!((9_500..12_000).contains(&took), "gave up at 10 s: {took}");
    assert_eq!(attempts[1]["status_code"], 200);
}

#[test]
fn during_a_rotation_overlap_both_secrets_sign() {
    let rx = Receiver::start(Behaviour::Ok);
    let t = tenant();
    let overlap = Receiver::start(Behaviour::Ok);
    let (current, previous) = crate::webhook_endpoints::rotated(&t, &overlap.url, 3600);
    let (expired_current, expired_previous) = crate::webhook_endpoints::rotated(&t, &rx.url, 1);
    // Past the one-second overlap of the second endpoint.
    std::thread::sleep(Duration::from_millis(2_100));
    t.worker(json!({"name": "Two Keys"}));
    let both = overlap.wait_delivered(1, WAIT).remove(0);
    assert!(webhook_verify::both(&both, &current) && webhook_verify::both(&both, &previous));
    assert_eq!(both.header("Edgeclock-Signature").matches(",v1=").count(), 2);
    assert_eq!(both.header("webhook-signature").split(' ').count(), 2);
    let after = rx.wait_delivered(1, WAIT).remove(0);
    assert!(webhook_verify::both(&after, &expired_current), "the new secret signs");
    assert!(!webhook_verify::stripe(after.header("Edgeclock-Signature"), &after.body, &expired_previous));
    assert_eq!(after.header("webhook-signature").split(' ').count(), 1, "the expired one no longer signs");
}
