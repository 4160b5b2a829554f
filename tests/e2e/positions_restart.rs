//! Nothing lost in the live feed (SPEC §6): `wrangler dev` is stopped while a position waits
//! for its release time; started again on the same state, the tenant's `LiveFeed` reloads what
//! it held, so the position is still released — not before its time — and a client resumes
//! after a position released before the stop.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::client::req;
use crate::harness::{fresh_state, launch, Server};
use crate::live_stream::sse_on;

fn leak(server: Server) -> &'static Server {
    Box::leak(Box::new(server))
}

const DELAY: u64 = 20;

#[test]
fn a_restart_loses_no_waiting_position_and_keeps_the_resume_ring() {
    let state = fresh_state("live-restart");
    let vars = [format!("LIVE_DELAY_SECONDS:{DELAY}")];
    let vars: Vec<&str> = vars.iter().map(String::as_str).collect();
    let first = leak(launch(&state, &vars));
    let t = req("POST", "/v1/operator/tenants")
        .on(first)
        .operator()
        .json(&json!({"name": "Restart Co", "tier": "enterprise", "timezone": "UTC"}))
        .send()
        .expect(201);
    let key = t.data()["api_key"]["key"].as_str().unwrap().to_string();
    let post = |server: &'static Server, path: &str, body: serde_json::Value| {
        req("POST", path).on(server).key(&key).json(&body).send().expect(201).data()["id"].as_str().unwrap().to_string()
    };
    let worker = post(first, "/v1/workers", json!({"name": "Kai"}));
    let position =
        |recorded_at: &str| json!({"worker_id": worker, "latitude": 1.5, "longitude": 2.5, "recorded_at": recorded_at});
    // One released at once (back-dated), one waiting for its time.
    let earlier = post(first, "/v1/positions", position("2026-01-01T00:00:00Z"));
    // Taken before the stamp, so the time measured from it is at least the time since recorded_at.
    let recorded = Instant::now();
    let waiting = post(first, "/v1/positions", position(&now_rfc3339()));
    // The hand-over to the feed happens after the response: give it a moment before the stop.
    std::thread::sleep(Duration::from_millis(500));
    first.stop();

    let second = leak(launch(&state, &vars));
    let auth = format!("Bearer {key}");
    let headers = [("Authorization", auth.as_str()), ("Last-Event-ID", earlier.as_str())];
    let stream = sse_on(&second.base, "/v1/positions/live", &headers, Duration::from_secs(90)).expect("opens");
    let e = stream.position_within(Duration::from_secs(DELAY + 30)).expect("the waiting position is released");
    let waited = e.at.duration_since(recorded);
    second.stop();
    assert_eq!(e.id.as_deref(), Some(waiting.as_str()), "resumed after the earlier one, then the waiting one");
    assert!(waited >= Duration::from_secs(DELAY), "released {waited:?} after it was recorded");
}

/// Now, as RFC 3339 UTC with milliseconds.
fn now_rfc3339() -> String {
    crate::client::instant_in(0)
}
