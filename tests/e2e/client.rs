//! A small blocking HTTP client for the suite, and helpers that make tenants and keys
//! through the operator API so that no test depends on another's data.

use std::sync::OnceLock;
use std::time::Duration;

use serde_json::{json, Value};

use crate::harness::{operator_token, server};

fn agent() -> &'static ureq::Agent {
    static AGENT: OnceLock<ureq::Agent> = OnceLock::new();
    AGENT.get_or_init(|| {
        ureq::AgentBuilder::new().timeout(Duration::from_secs(30)).max_idle_connections_per_host(64).build()
    })
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub text: String,
    pub body: Value,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    pub fn data(&self) -> &Value {
        &self.body["data"]
    }
    pub fn error_code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }
    /// Asserts the status, printing the body on failure.
    pub fn expect(self, status: u16) -> Self {
        assert_eq!(self.status, status, "unexpected status; body: {}", self.text);
        self
    }
    /// Asserts an error status and code.
    pub fn expect_error(self, status: u16, code: &str) -> Self {
        assert_eq!((self.status, self.error_code()), (status, code), "body: {}", self.text);
        assert_eq!(self.body["error"]["request_id"].as_str(), self.header("X-Request-Id"), "request id");
        self
    }
    pub fn detail_fields(&self) -> Vec<String> {
        self.body["error"]["details"]
            .as_array()
            .map(|d| d.iter().map(|x| x["field"].as_str().unwrap_or("").to_string()).collect())
            .unwrap_or_default()
    }
}

pub struct Req {
    base: Option<&'static str>,
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Option<(Vec<u8>, String)>,
}

pub fn req(method: &str, path: &str) -> Req {
    Req { base: None, method: method.into(), path: path.into(), headers: Vec::new(), body: None }
}

impl Req {
    /// Sends to another server than the shared one.
    pub fn on(mut self, server: &'static crate::harness::Server) -> Self {
        self.base = Some(&server.base);
        self
    }
    pub fn key(self, key: &str) -> Self {
        self.header("Authorization", &format!("Bearer {key}"))
    }
    pub fn operator(self) -> Self {
        self.key(operator_token())
    }
    pub fn header(mut self, k: &str, v: &str) -> Self {
        self.headers.push((k.into(), v.into()));
        self
    }
    pub fn json(self, v: &Value) -> Self {
        self.raw(v.to_string().into_bytes(), "application/json")
    }
    pub fn raw(mut self, body: Vec<u8>, content_type: &str) -> Self {
        self.body = Some((body, content_type.into()));
        self
    }
    pub fn send(self) -> Resp {
        let url = format!("{}{}", self.base.unwrap_or(&server().base), self.path);
        let mut r = agent().request(&self.method, &url);
        for (k, v) in &self.headers {
            r = r.set(k, v);
        }
        let result = match self.body {
            Some((bytes, ct)) => r.set("Content-Type", &ct).send_bytes(&bytes),
            None => r.call(),
        };
        let resp = match result {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("{} {}: transport error {e}", self.method, self.path),
        };
        let status = resp.status();
        let headers = resp
            .headers_names()
            .into_iter()
            .filter_map(|n| resp.header(&n).map(|v| (n.clone(), v.to_string())))
            .collect();
        let text = resp.into_string().unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Resp { status, headers, text, body }
    }
}

/// Now plus `offset_ms`, as a client would send an instant: RFC 3339 in UTC with milliseconds.
pub fn instant_in(offset_ms: i64) -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    let at = chrono::DateTime::from_timestamp_millis(now + offset_ms).expect("a representable instant");
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// A fresh tenant made through the operator API, with its owner key.
pub struct Tenant {
    pub id: String,
    pub key: String,
    pub body: Value,
}

pub fn tenant_with(body: Value) -> Tenant {
    let r = req("POST", "/v1/operator/tenants").operator().json(&body).send().expect(201);
    let data = r.data().clone();
    Tenant {
        id: data["id"].as_str().unwrap().to_string(),
        key: data["api_key"]["key"].as_str().unwrap().to_string(),
        body: data,
    }
}

/// A tenant whose limits stay out of the way of functional tests.
pub fn tenant() -> Tenant {
    tenant_with(json!({
        "name": "Test Co",
        "tier": "enterprise",
        "timezone": "Europe/Madrid",
        "limits": {"per_second": 10000, "per_minute": 100000, "per_day": 1000000}
    }))
}

impl Tenant {
    pub fn get(&self, path: &str) -> Resp {
        req("GET", path).key(&self.key).send()
    }
    pub fn post(&self, path: &str, body: Value) -> Resp {
        req("POST", path).key(&self.key).json(&body).send()
    }
    pub fn patch(&self, path: &str, body: Value) -> Resp {
        req("PATCH", path).key(&self.key).json(&body).send()
    }
    pub fn delete(&self, path: &str) -> Resp {
        req("DELETE", path).key(&self.key).send()
    }
    /// Creates a worker and returns its JSON.
    pub fn worker(&self, body: Value) -> Value {
        self.post("/v1/workers", body).expect(201).data().clone()
    }
}

/// Every item of a list, following cursors `limit` at a time.
pub fn walk(t: &Tenant, path: &str, limit: usize) -> Vec<Value> {
    let mut out = Vec::new();
    let sep = if path.contains('?') { '&' } else { '?' };
    let mut url = format!("{path}{sep}limit={limit}");
    loop {
        let r = t.get(&url).expect(200);
        out.extend(r.data().as_array().unwrap().iter().cloned());
        match r.body["meta"]["next_cursor"].as_str() {
            Some(c) => {
                assert_eq!(r.body["meta"]["has_more"], true);
                url = format!("{path}{sep}limit={limit}&cursor={c}");
            }
            None => {
                assert_eq!(r.body["meta"]["has_more"], false);
                return out;
            }
        }
    }
}

impl Tenant {
    /// Mints another key of this tenant with the given body (scopes etc.); returns the secret.
    pub fn mint(&self, body: Value) -> String {
        let r = self.post("/v1/api-keys", body).expect(201);
        r.data()["key"].as_str().unwrap().to_string()
    }
    /// This tenant seen through another of its keys.
    pub fn as_key(&self, key: &str) -> Tenant {
        Tenant { id: self.id.clone(), key: key.to_string(), body: self.body.clone() }
    }
}

/// Polls `f` until it returns `Some` or about five seconds pass (for work done after the
/// response, such as audit entries).
pub fn eventually<T>(f: impl FnMut() -> Option<T>) -> T {
    eventually_within(Duration::from_secs(5), f)
}

/// Polls `f` every 100 ms until it returns `Some` or `timeout` passes.
pub fn eventually_within<T>(timeout: Duration, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = std::time::Instant::now() + timeout;
    while std::time::Instant::now() < deadline {
        if let Some(v) = f() {
            return v;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    f().unwrap_or_else(|| panic!("condition not met within {timeout:?}"))
}
