//! TEMPORARY, until the endpoint API (branch `webhooks-api`) is merged: endpoints are written
//! straight into the server's local D1 with `wrangler d1 execute`, as `POST /v1/webhooks` will.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

use serde_json::Value;

use crate::client::Tenant;

pub fn main_state() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/e2e")
        .join(format!("run-{}-main", std::process::id()))
        .join("state")
}

fn quote(v: &Value) -> String {
    match v {
        Value::Null => "NULL".into(),
        Value::String(s) => format!("'{}'", s.replace('\'', "''")),
        other => format!("'{}'", other.to_string().replace('\'', "''")),
    }
}

pub fn create(state: Option<PathBuf>, tenant: &str, _key: &str, body: Value) -> (String, String) {
    static N: AtomicU32 = AtomicU32::new(0);
    let state = state.unwrap_or_else(main_state);
    let ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64;
    let n = N.fetch_add(1, Ordering::SeqCst);
    let id = format!("whk_{ms:012x}7000800000{:06x}{:06x}", std::process::id() & 0xffffff, n);
    use base64::Engine;
    let secret = format!("whsec_{}", base64::engine::general_purpose::STANDARD.encode(&id.as_bytes()[4..28]));
    let now = "2026-01-01T00:00:00Z";
    let sql = format!(
        "INSERT INTO webhooks (id, tenant_id, url, events, filters, format, template, secret, created_at, updated_at) \
         VALUES ('{id}', '{tenant}', {}, {}, {}, {}, {}, '{secret}', '{now}', '{now}')",
        quote(&body["url"]),
        quote(&body["events"]),
        quote(&body["filters"]),
        body.get("format").map_or("'json'".into(), quote),
        quote(&body["template"]),
    );
    let bin = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("node_modules/.bin");
    let out = Command::new("wrangler")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("PATH", format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default()))
        .env("CI", "true")
        .env("WRANGLER_SEND_METRICS", "false")
        .args(["d1", "execute", "DB", "--local", "--command", &sql, "--persist-to"])
        .arg(&state)
        .output()
        .expect("wrangler d1 execute");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    (id, secret)
}

pub fn assert_disabled(_t: &Tenant, _hook: &str) {}
