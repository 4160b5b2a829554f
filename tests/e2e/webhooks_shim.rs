//! TEMPORARY, until the endpoint API (branch `webhooks-api`) is merged: endpoints are made by
//! the operator-only fixture route, as `POST /v1/webhooks` will make them.

use serde_json::Value;

use crate::client::{req, Tenant};
use crate::harness::Server;

/// Creates an endpoint of `tenant` on `server` (the shared one for `None`); its id and secret.
pub fn create(server: Option<&'static Server>, tenant: &str, _key: &str, mut body: Value) -> (String, String) {
    body["tenant_id"] = tenant.into();
    body["operator_token"] = crate::harness::operator_token().into();
    let mut r = req("POST", "/v1/operator/webhook-fixtures").json(&body);
    if let Some(s) = server {
        r = r.on(s);
    }
    let d = r.send().expect(201).data().clone();
    (d["id"].as_str().unwrap().to_string(), d["secret"].as_str().unwrap().to_string())
}

pub fn assert_disabled(_t: &Tenant, _hook: &str) {}

/// An endpoint of `t` whose previous secret expires `expires_in` seconds from now: its current
/// and previous secrets.
pub fn rotated(t: &Tenant, url: &str, expires_in: i64) -> (String, String) {
    let body = serde_json::json!({"tenant_id": t.id, "url": url, "events": ["worker.created"],
        "previous_secret_expires_in_seconds": expires_in, "operator_token": crate::harness::operator_token()});
    let d = req("POST", "/v1/operator/webhook-fixtures").json(&body).send().expect(201).data().clone();
    (d["secret"].as_str().unwrap().to_string(), d["previous_secret"].as_str().unwrap().to_string())
}

/// Sends `hook` a ping, as `POST /v1/webhooks/{hook}/test` will.
pub fn ping(t: &Tenant, hook: &str) -> crate::client::Resp {
    let body =
        serde_json::json!({"tenant_id": t.id, "webhook_id": hook, "operator_token": crate::harness::operator_token()});
    req("POST", "/v1/operator/webhook-fixtures/ping").json(&body).send()
}
