//! Positions (SPEC §6) on the real runtime: recording one or a batch, validation, history and
//! its retention sweep, and the live stream — held for `LIVE_DELAY_SECONDS` (3 s on the test
//! server) and never released early, back-dated ones at once, SSE and WebSocket, resuming with
//! `Last-Event-ID`, per-connection filters, tenant isolation, embed tokens and the plan check.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::client::{instant_in, req, tenant, tenant_with, Tenant};
use crate::harness::LIVE_DELAY_SECONDS;
use crate::live_stream::{self, sse, Stream};

const LIFE: Duration = Duration::from_secs(40);

struct Crew {
    t: Tenant,
    site: String,
    worker: String,
}

fn crew(t: Tenant) -> Crew {
    let site = t
        .post("/v1/sites", json!({"name": "Yard", "latitude": 40.4168, "longitude": -3.7038, "geofence_radius_m": 120}))
        .expect(201);
    let site = site.data()["id"].as_str().unwrap().to_string();
    let worker = t.worker(json!({"name": "Lucía", "site_id": site}))["id"].as_str().unwrap().to_string();
    Crew { t, site, worker }
}

fn position(worker: &str, recorded_at: &str) -> Value {
    json!({"worker_id": worker, "latitude": 40.4170, "longitude": -3.7040, "accuracy_m": 8.5, "recorded_at": recorded_at})
}

fn record(t: &Tenant, worker: &str, recorded_at: &str) -> String {
    let r = t.post("/v1/positions", position(worker, recorded_at)).expect(201);
    r.data()["id"].as_str().unwrap().to_string()
}

fn open(t: &Tenant, query: &str) -> Stream {
    let auth = format!("Bearer {}", t.key);
    sse(&format!("/v1/positions/live{query}"), &[("Authorization", &auth)], LIFE).expect("the stream opens")
}

#[test]
fn a_position_is_held_for_the_delay_and_never_released_early() {
    let c = crew(tenant());
    let stream = open(&c.t, "");
    let recorded_at = instant_in(0);
    let sent = Instant::now();
    let id = record(&c.t, &c.worker, &recorded_at);
    let e = stream.position_within(Duration::from_secs(LIVE_DELAY_SECONDS + 10)).expect("released after the delay");
    assert_eq!(e.id.as_deref(), Some(id.as_str()));
    let waited = e.at.duration_since(sent);
    // `sent` is after `recorded_at`, so the delay counted from `sent` is a lower bound.
    assert!(waited >= Duration::from_secs(LIVE_DELAY_SECONDS) - Duration::from_millis(50), "released after {waited:?}");
    // Generous: the suite runs many tests at once on a small machine.
    assert!(waited < Duration::from_secs(LIVE_DELAY_SECONDS + 4), "released late: {waited:?}");
    let p = e.json();
    assert_eq!(p["id"], id.as_str());
    assert_eq!(p["worker_id"], c.worker.as_str());
    assert_eq!(p["site_id"], c.site.as_str());
    assert_eq!(p["accuracy_m"], 8.5);
}

#[test]
fn a_back_dated_position_is_released_at_once_over_sse_and_websocket() {
    let c = crew(tenant());
    let sse_stream = open(&c.t, "");
    let ws = live_stream::websocket("/v1/positions/live", &c.t.key);
    let nobody = format!("wkr_{}", "f".repeat(32));
    let ws_filtered = live_stream::websocket(&format!("/v1/positions/live?worker_ids={nobody}"), &c.t.key);
    let sent = Instant::now();
    let id = record(&c.t, &c.worker, &instant_in(-10 * 60_000));
    let e = sse_stream.position_within(Duration::from_secs(5)).expect("SSE gets it at once");
    assert_eq!(e.id.as_deref(), Some(id.as_str()));
    // Well before the 3 s delay a position recorded now would wait.
    assert!(e.at.duration_since(sent) < Duration::from_millis(2500), "{:?}", e.at.duration_since(sent));
    let m = ws.position_within(Duration::from_secs(5)).expect("the WebSocket gets it at once");
    assert_eq!(m.json()["id"], id.as_str(), "one JSON position per text message");
    assert!(ws_filtered.positions_during(Duration::from_millis(800)).is_empty(), "a WebSocket keeps its filter");
}

#[test]
fn last_event_id_resumes_after_that_position() {
    let c = crew(tenant());
    let ids: Vec<String> = (0..3).map(|n| record(&c.t, &c.worker, &instant_in(-600_000 + n * 1000))).collect();
    // Wait until all three are released (the stream shows them when they are).
    let first = open(&c.t, "");
    let auth = format!("Bearer {}", c.t.key);
    let _ = first.positions_during(Duration::from_millis(500));
    let resumed = sse("/v1/positions/live", &[("Authorization", &auth), ("Last-Event-ID", &ids[0])], LIFE).unwrap();
    let got: Vec<String> =
        resumed.positions_during(Duration::from_secs(2)).iter().filter_map(|e| e.id.clone()).collect();
    assert_eq!(got, ids[1..].to_vec());
    // The same through the query (for clients that cannot set the header), and `latest`.
    let by_query = open(&c.t, &format!("?last_event_id={}", ids[1]));
    let got: Vec<String> =
        by_query.positions_during(Duration::from_secs(2)).iter().filter_map(|e| e.id.clone()).collect();
    assert_eq!(got, ids[2..].to_vec());
    let latest = open(&c.t, "?include=latest");
    let got: Vec<String> =
        latest.positions_during(Duration::from_secs(2)).iter().filter_map(|e| e.id.clone()).collect();
    assert_eq!(got, ids[2..].to_vec(), "one latest position per worker");
}

#[test]
fn filters_narrow_each_connection_and_tenants_never_see_each_other() {
    let c = crew(tenant());
    let other_site =
        c.t.post("/v1/sites", json!({"name": "Dock"})).expect(201).data()["id"].as_str().unwrap().to_string();
    let second = c.t.worker(json!({"name": "Omar", "site_id": other_site}))["id"].as_str().unwrap().to_string();
    let by_worker = open(&c.t, &format!("?worker_ids={}", c.worker));
    let by_site = open(&c.t, &format!("?site_ids={other_site}"));
    let stranger = crew(tenant());
    let theirs = open(&stranger.t, "");
    let mine = record(&c.t, &c.worker, &instant_in(-120_000));
    let his = record(&c.t, &second, &instant_in(-120_000));
    let ids = |s: &Stream| -> Vec<String> {
        s.positions_during(Duration::from_secs(2)).iter().filter_map(|e| e.id.clone()).collect()
    };
    assert_eq!(ids(&by_worker), [mine]);
    assert_eq!(ids(&by_site), [his]);
    assert!(ids(&theirs).is_empty(), "another tenant's stream carried a position");
}

#[test]
fn embed_tokens_are_read_only_narrowed_and_expire() {
    let c = crew(tenant());
    let other = c.t.worker(json!({"name": "Omar"}))["id"].as_str().unwrap().to_string();
    let minted =
        c.t.post("/v1/positions/embed-tokens", json!({"ttl_seconds": 600, "worker_ids": [c.worker]})).expect(201);
    let data = minted.data();
    let token = data["token"].as_str().unwrap().to_string();
    assert!(token.starts_with("ect_"));
    assert_eq!(data["worker_ids"], json!([c.worker]));
    assert!(data["embed_url"].as_str().unwrap().ends_with(&format!("/embed/live-map?token={token}")));

    let stream =
        sse(&format!("/v1/positions/live?token={token}&include=context"), &[], LIFE).expect("a token opens it");
    let context = stream.next_within(Duration::from_secs(3)).expect("context first");
    assert_eq!(context.event, "context");
    let context = context.json();
    let workers: Vec<&str> = context["workers"].as_array().unwrap().iter().map(|w| w["id"].as_str().unwrap()).collect();
    assert_eq!(workers, [c.worker.as_str()], "the map names only the token's workers");
    let mine = record(&c.t, &c.worker, &instant_in(-120_000));
    record(&c.t, &other, &instant_in(-120_000));
    let got: Vec<String> =
        stream.positions_during(Duration::from_secs(2)).iter().filter_map(|e| e.id.clone()).collect();
    assert_eq!(got, [mine], "a token never widens to other workers");
    // Asking for more than the token allows gets nothing more.
    let wider = sse(&format!("/v1/positions/live?token={token}&worker_ids={other}"), &[], LIFE).unwrap();
    record(&c.t, &other, &instant_in(-60_000));
    assert!(wider.positions_during(Duration::from_millis(1500)).is_empty());

    // Only the live stream takes a token, and only an intact one that has not expired.
    req("GET", &format!("/v1/positions?token={token}")).send().expect_error(401, "unauthorized");
    // The last character changed (to one it is not: a token ending in `A` would otherwise stay intact).
    let last = if token.ends_with('A') { 'B' } else { 'A' };
    let tampered = format!("{}{last}", &token[..token.len() - 1]);
    let refused = sse(&format!("/v1/positions/live?token={tampered}"), &[], LIFE).err().expect("refused");
    assert_eq!((refused.status, refused.body["error"]["code"].as_str()), (401, Some("unauthorized")));
    let short = c.t.post("/v1/positions/embed-tokens", json!({"ttl_seconds": 1})).expect(201);
    let short = short.data()["token"].as_str().unwrap().to_string();
    std::thread::sleep(Duration::from_millis(2100));
    let expired = sse(&format!("/v1/positions/live?token={short}"), &[], LIFE).err().expect("expired");
    assert_eq!(expired.status, 401);
}

#[test]
fn only_enterprise_tenants_stream() {
    let standard = crew(tenant_with(json!({"name": "Small Co", "tier": "standard", "timezone": "UTC"})));
    // Recording and history are for every plan.
    let id = record(&standard.t, &standard.worker, &instant_in(-1000));
    assert_eq!(standard.t.get("/v1/positions").expect(200).data()[0]["id"], id.as_str());
    // A standard key may make 5 requests a second; let the window pass.
    std::thread::sleep(Duration::from_millis(1100));
    let auth = format!("Bearer {}", standard.t.key);
    let refused = sse("/v1/positions/live", &[("Authorization", &auth)], LIFE).err().expect("refused");
    assert_eq!((refused.status, refused.body["error"]["code"].as_str()), (403, Some("plan_required")));
    standard.t.post("/v1/positions/embed-tokens", json!({})).expect_error(403, "plan_required");
}

#[test]
fn bad_input_is_a_422_naming_the_field() {
    let c = crew(tenant());
    let fields = |body: Value| c.t.post("/v1/positions", body).expect_error(422, "validation_failed").detail_fields();
    let mut p = position(&c.worker, &instant_in(0));
    p["latitude"] = json!(90.01);
    p["longitude"] = json!(-180.5);
    p["accuracy_m"] = json!(-1);
    assert_eq!(fields(p), ["latitude", "longitude", "accuracy_m"]);
    assert_eq!(fields(position(&c.worker, &instant_in(6 * 60_000))), ["recorded_at"]);
    let r = c.t.post("/v1/positions", position(&c.worker, "yesterday")).expect(422);
    assert_eq!(r.body["error"]["details"][0]["code"], "invalid");
    let unknown = format!("wkr_{}", "0".repeat(32));
    let r = c.t.post("/v1/positions", position(&unknown, &instant_in(0))).expect(422);
    assert_eq!(r.body["error"]["details"][0]["code"], "not_found");
    c.t.patch(&format!("/v1/workers/{}/status", c.worker), json!({"status": "inactive"})).expect(200);
    let r = c.t.post("/v1/positions", position(&c.worker, &instant_in(0))).expect(422);
    assert_eq!(r.body["error"]["details"][0]["code"], "inactive");
    let too_many: Vec<Value> = (0..501).map(|_| position(&c.worker, &instant_in(0))).collect();
    assert_eq!(fields(json!({ "positions": too_many })), ["positions"]);
    let r = c.t.post("/v1/positions/embed-tokens", json!({"ttl_seconds": 86_401, "worker_ids": [unknown]})).expect(422);
    assert_eq!(r.detail_fields(), ["ttl_seconds"]);
    let r = c.t.post("/v1/positions/embed-tokens", json!({"worker_ids": [unknown]})).expect(422);
    assert_eq!(r.body["error"]["details"][0]["code"], "not_found");
    let auth = format!("Bearer {}", c.t.key);
    for query in ["?worker_ids=nope", "?include=everything", "?colour=red"] {
        let refused = sse(&format!("/v1/positions/live{query}"), &[("Authorization", &auth)], LIFE).err().expect("400");
        assert_eq!(refused.status, 400, "{query}");
    }
}

#[test]
fn a_batch_answers_per_item_and_history_keeps_ninety_days() {
    let c = crew(tenant());
    let old = instant_in(-91 * 86_400_000);
    let body = json!({"positions": [
        position(&c.worker, &instant_in(-5000)),
        {"worker_id": c.worker, "latitude": 100, "longitude": 0, "recorded_at": instant_in(0)},
        position(&c.worker, &old),
    ]});
    let r = c.t.post("/v1/positions", body).expect(207);
    let results = r.data().as_array().unwrap();
    let statuses: Vec<u64> = results.iter().map(|x| x["status"].as_u64().unwrap()).collect();
    assert_eq!(statuses, [201, 422, 201]);
    assert_eq!(results[1]["error"]["details"][0]["field"], "latitude");
    let kept = results[0]["data"]["id"].as_str().unwrap().to_string();
    let history = c.t.get(&format!("/v1/positions?worker_id={}", c.worker)).expect(200);
    assert_eq!(history.data().as_array().unwrap().len(), 2);
    let recent = c.t.get("/v1/positions?from=2000-01-01T00:00:00Z&to=2100-01-01").expect(200);
    assert_eq!(recent.data().as_array().unwrap().len(), 2);

    // The hourly sweep (run on demand by the test server) removes what is over 90 days old.
    let swept = ureq::get(&format!("{}/__scheduled?cron=17+*+*+*+*", crate::harness::server().base)).call();
    assert!(swept.is_ok(), "the scheduled handler ran: {swept:?}");
    let after: Vec<String> =
        c.t.get("/v1/positions")
            .expect(200)
            .data()
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap().to_string())
            .collect();
    assert_eq!(after, [kept]);
}
