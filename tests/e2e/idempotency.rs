//! Idempotency keys: exactly-once effects under concurrent duplicates, byte-for-byte
//! replays, reuse detection, per-key scoping, expiry.

use std::collections::HashSet;

use serde_json::json;

use crate::client::{req, tenant, Resp};
use crate::harness::short_ttl_server;

fn post_worker(key: &str, idem: &str, name: &str) -> Resp {
    req("POST", "/v1/workers").key(key).header("Idempotency-Key", idem).json(&json!({"name": name})).send()
}

#[test]
fn fifty_concurrent_duplicates_create_exactly_one_object() {
    let t = tenant();
    let handles: Vec<_> = (0..50)
        .map(|_| {
            let key = t.key.clone();
            std::thread::spawn(move || post_worker(&key, "create-ana-1", "Ana Once"))
        })
        .collect();
    let rs: Vec<Resp> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let created: Vec<&Resp> = rs.iter().filter(|r| r.status == 201).collect();
    assert!(!created.is_empty());
    let bodies: HashSet<&str> = created.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(bodies.len(), 1, "every 201 carries the same body");
    for r in &rs {
        assert!(r.status == 201 || r.status == 409, "{}: {}", r.status, r.text);
        if r.status == 409 {
            assert_eq!(r.error_code(), "conflict");
            assert!(r.header("Retry-After").is_some());
        }
    }
    let list = t.get("/v1/workers?q=Ana%20Once").expect(200);
    assert_eq!(list.data().as_array().unwrap().len(), 1, "exactly one object exists");
    // Later repeats are hits with the original body.
    let again = post_worker(&t.key, "create-ana-1", "Ana Once").expect(201);
    assert_eq!(again.header("X-Idempotency-Hit"), Some("true"));
    assert_eq!(again.text, created[0].text);
}

#[test]
fn a_replay_is_the_stored_response_byte_for_byte() {
    let t = tenant();
    let first = req("POST", "/v1/workers")
        .key(&t.key)
        .header("Idempotency-Key", "k-replay")
        .header("X-Request-Id", "original-request")
        .json(&json!({"name": "Replay Rita"}))
        .send()
        .expect(201);
    assert!(first.header("X-Idempotency-Hit").is_none());
    let again = req("POST", "/v1/workers")
        .key(&t.key)
        .header("Idempotency-Key", "k-replay")
        .header("X-Request-Id", "second-request")
        .json(&json!({"name": "Replay Rita"}))
        .send()
        .expect(201);
    assert_eq!(again.text, first.text);
    assert_eq!(again.body["meta"]["request_id"], "original-request");
    assert_eq!(again.header("X-Request-Id"), Some("original-request"));
    assert_eq!(again.header("X-Idempotency-Hit"), Some("true"));
    // Errors are stored too (4xx), and replayed as they were.
    let bad = req("POST", "/v1/workers").key(&t.key).header("Idempotency-Key", "k-bad").json(&json!({})).send();
    let bad = bad.expect_error(422, "validation_failed");
    let bad2 = req("POST", "/v1/workers").key(&t.key).header("Idempotency-Key", "k-bad").json(&json!({})).send();
    assert_eq!((bad2.status, bad2.text.as_str()), (422, bad.text.as_str()));
    assert_eq!(bad2.header("X-Idempotency-Hit"), Some("true"));
}

#[test]
fn reuse_with_a_different_request_is_422() {
    let t = tenant();
    post_worker(&t.key, "k-reuse", "First").expect(201);
    post_worker(&t.key, "k-reuse", "Different body").expect_error(422, "idempotency_key_reused");
    req("PATCH", "/v1/workers/wkr_00000000000000000000000000000000")
        .key(&t.key)
        .header("Idempotency-Key", "k-reuse")
        .json(&json!({"name": "First"}))
        .send()
        .expect_error(422, "idempotency_key_reused");
    assert_eq!(t.get("/v1/workers").expect(200).data().as_array().unwrap().len(), 1);
}

#[test]
fn keys_are_scoped_to_the_api_key() {
    let t = tenant();
    let other = t.mint(json!({"scopes": "read-write"}));
    post_worker(&t.key, "shared-string", "From owner").expect(201);
    let r = post_worker(&other, "shared-string", "From other").expect(201);
    assert!(r.header("X-Idempotency-Hit").is_none());
    assert_eq!(t.get("/v1/workers").expect(200).data().as_array().unwrap().len(), 2);
}

#[test]
fn malformed_keys_are_400() {
    let t = tenant();
    for bad in ["has space".to_string(), "k".repeat(256)] {
        let r =
            req("POST", "/v1/workers").key(&t.key).header("Idempotency-Key", &bad).json(&json!({"name": "x"})).send();
        r.expect_error(400, "bad_request");
    }
    post_worker(&t.key, &"k".repeat(255), "Long key").expect(201);
    assert_eq!(t.get("/v1/workers").expect(200).data().as_array().unwrap().len(), 1);
}

#[test]
fn deletes_and_patches_are_idempotent_too() {
    let t = tenant();
    let w = t.worker(json!({"name": "Del"}));
    let path = format!("/v1/workers/{}", w["id"].as_str().unwrap());
    let d1 = req("DELETE", &path).key(&t.key).header("Idempotency-Key", "del-1").send().expect(200);
    let d2 = req("DELETE", &path).key(&t.key).header("Idempotency-Key", "del-1").send().expect(200);
    assert_eq!(d1.text, d2.text);
    // Without the key, the second delete is a plain 404.
    req("DELETE", &path).key(&t.key).send().expect_error(404, "not_found");
}

#[test]
fn replays_are_audited_as_replays_and_cause_no_second_write() {
    let t = tenant();
    post_worker(&t.key, "k-audit", "Audit Once").expect(201);
    post_worker(&t.key, "k-audit", "Audit Once").expect(201);
    let entries = crate::audit::entries(&t, "method=POST", 2);
    let replays: Vec<_> = entries.iter().filter(|e| e["replay"] == true).collect();
    assert_eq!(replays.len(), 1);
    assert_eq!(entries.iter().filter(|e| e["replay"] == false).count(), 1);
    assert_eq!(replays[0]["resource_id"], entries[0]["resource_id"]);
}

#[test]
fn an_expired_key_executes_anew() {
    let server = short_ttl_server();
    let r = req("POST", "/v1/operator/tenants")
        .on(server)
        .operator()
        .json(&json!({"name": "TTL", "tier": "enterprise", "limits": {"per_second": 1000, "per_minute": 10000, "per_day": 100000}}))
        .send()
        .expect(201);
    let key = r.data()["api_key"]["key"].as_str().unwrap().to_string();
    let send = || {
        req("POST", "/v1/workers")
            .on(server)
            .key(&key)
            .header("Idempotency-Key", "ttl-1")
            .json(&json!({"name": "T"}))
            .send()
    };
    let a = send().expect(201);
    let b = send().expect(201);
    assert_eq!(b.header("X-Idempotency-Hit"), Some("true"));
    assert_eq!(a.text, b.text);
    std::thread::sleep(std::time::Duration::from_millis(3_500));
    let c = send().expect(201);
    assert!(c.header("X-Idempotency-Hit").is_none());
    assert_ne!(c.data()["id"], a.data()["id"], "a new object");
}
