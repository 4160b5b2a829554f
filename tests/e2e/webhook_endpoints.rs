//! Endpoints for the delivery tests, made and driven through the endpoint API (SPEC §7):
//! create, the status a 410 leaves, a rotation with overlap, and `test`.

use serde_json::{json, Value};

use crate::client::{req, Tenant};
use crate::harness::Server;

/// Creates an endpoint of `tenant` (with its `key`) on `server` (the shared one for `None`);
/// its id and secret.
pub fn create(server: Option<&'static Server>, _tenant: &str, key: &str, body: Value) -> (String, String) {
    let mut r = req("POST", "/v1/webhooks").key(key).json(&body);
    if let Some(s) = server {
        r = r.on(s);
    }
    let d = r.send().expect(201).data().clone();
    (d["id"].as_str().unwrap().to_string(), d["secret"].as_str().unwrap().to_string())
}

/// The endpoint was disabled by a 410, and says so.
pub fn assert_disabled(t: &Tenant, hook: &str) {
    let d = t.get(&format!("/v1/webhooks/{hook}")).expect(200).data().clone();
    assert_eq!(d["status"], "disabled", "{d}");
    assert!(d["disabled_reason"].as_str().is_some_and(|r| r.contains("410")), "{d}");
}

/// An endpoint of `t` rotated with `expires_in` seconds of overlap: its current and previous
/// secrets.
pub fn rotated(t: &Tenant, url: &str, expires_in: i64) -> (String, String) {
    let (hook, previous) = create(None, &t.id, &t.key, json!({"url": url, "events": ["worker.created"]}));
    let body = json!({ "expire_previous_in_seconds": expires_in });
    let d = t.post(&format!("/v1/webhooks/{hook}/rotate-secret"), body).expect(200).data().clone();
    (d["secret"].as_str().unwrap().to_string(), previous)
}

/// Sends `hook` a ping through its `test` route.
pub fn ping(t: &Tenant, hook: &str) -> crate::client::Resp {
    t.post(&format!("/v1/webhooks/{hook}/test"), json!({}))
}
