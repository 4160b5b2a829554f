//! The isolation matrix: every key-authenticated route against A's objects, called by each
//! kind of caller that must not reach them. Each gets exactly the right status, and no body
//! ever contains A's data.

use serde_json::{json, Value};

use crate::client::{req, tenant, Resp, Tenant};
use crate::tenancy::{division, vendor};

struct Fixture {
    a: Tenant,
    /// Strings that must never appear in another caller's response.
    secrets: Vec<String>,
    /// (method, path, body) of every key route, filled in with A's objects.
    calls: Vec<(&'static str, String, Option<Value>)>,
}

fn fixture() -> Fixture {
    let a = tenant();
    let w = a.worker(json!({"name": "Isolated Ivy", "email": "ivy@a.example"}));
    let wid = w["id"].as_str().unwrap().to_string();
    let key = a.post("/v1/api-keys", json!({"label": "ivy-key", "scopes": "read-only"})).expect(201).data().clone();
    let kid = key["id"].as_str().unwrap().to_string();
    let div = a.post("/v1/divisions", json!({"name": "Ivy Division"})).expect(201).data().clone();
    let did = div["id"].as_str().unwrap().to_string();
    let (vid, _) = vendor();
    let prt =
        a.post("/v1/partnerships", json!({"vendor_id": vid, "scopes": ["read:tasks"]})).expect(201).data().clone();
    let pid = prt["id"].as_str().unwrap().to_string();
    let site = a.post("/v1/sites", json!({"name": "Ivy Yard"})).expect(201).data()["id"].as_str().unwrap().to_string();
    let job = a.post("/v1/jobs", json!({"name": "Ivy Job", "site_id": site})).expect(201).data()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let shift = a
        .post("/v1/shifts", json!({"worker_id": wid, "site_id": site, "starts_at": "2026-02-02T08:00:00Z", "ends_at": "2026-02-02T12:00:00Z"}))
        .expect(201)
        .data()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let te = a
        .post("/v1/time-entries", json!({"worker_id": wid, "job_id": job, "started_at": "2026-02-03T08:00:00Z", "ended_at": "2026-02-03T12:00:00Z"}))
        .expect(201)
        .data()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let xpn = a
        .post(
            "/v1/expenses",
            json!({"worker_id": wid, "job_id": job, "spent_date": "2026-02-03", "category": "meals", "amount": 1500}),
        )
        .expect(201)
        .data()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let pos = a
        .post(
            "/v1/positions",
            json!({"worker_id": wid, "latitude": 1.0, "longitude": 2.0, "recorded_at": "2026-02-03T09:00:00Z"}),
        )
        .expect(201)
        .data()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let cus =
        a.post("/v1/customers", json!({"name": "Ivy Customer"})).expect(201).data()["id"].as_str().unwrap().to_string();
    let inv = a
        .post(
            "/v1/invoices",
            json!({"customer_id": cus, "subject": "Ivy Invoice", "line_items": [
            {"kind": "product", "description": "Ivy seeds", "quantity": 1, "unit_price": 100}]}),
        )
        .expect(201)
        .data()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let calls = vec![
        // First, so a caller's own log does not yet hold the ids it is about to try.
        ("GET", "/v1/audit-log".into(), None),
        ("GET", format!("/v1/workers/{wid}"), None),
        ("PATCH", format!("/v1/workers/{wid}"), Some(json!({"name": "pwned"}))),
        ("PATCH", format!("/v1/workers/{wid}/status"), Some(json!({"status": "inactive"}))),
        ("DELETE", format!("/v1/workers/{wid}"), None),
        ("GET", format!("/v1/api-keys/{kid}"), None),
        ("DELETE", format!("/v1/api-keys/{kid}"), None),
        ("GET", format!("/v1/divisions/{did}"), None),
        ("POST", format!("/v1/divisions/{did}/api-keys"), Some(json!({"scopes": "read-only"}))),
        ("GET", format!("/v1/partnerships/{pid}"), None),
        ("DELETE", format!("/v1/partnerships/{pid}"), None),
        ("GET", format!("/v1/sites/{site}"), None),
        ("PATCH", format!("/v1/sites/{site}"), Some(json!({"name": "pwned"}))),
        ("DELETE", format!("/v1/sites/{site}"), None),
        ("GET", format!("/v1/jobs/{job}"), None),
        ("PATCH", format!("/v1/jobs/{job}"), Some(json!({"status": "archived"}))),
        ("DELETE", format!("/v1/jobs/{job}"), None),
        ("GET", format!("/v1/shifts/{shift}"), None),
        ("PATCH", format!("/v1/shifts/{shift}"), Some(json!({"notes": "pwned"}))),
        ("DELETE", format!("/v1/shifts/{shift}"), None),
        ("GET", format!("/v1/time-entries/{te}"), None),
        ("PATCH", format!("/v1/time-entries/{te}"), Some(json!({"notes": "pwned"}))),
        ("POST", format!("/v1/time-entries/{te}/approve"), Some(json!({}))),
        ("POST", format!("/v1/time-entries/{te}/reject"), Some(json!({"note": "pwned"}))),
        ("DELETE", format!("/v1/time-entries/{te}"), None),
        ("GET", format!("/v1/expenses/{xpn}"), None),
        ("PATCH", format!("/v1/expenses/{xpn}"), Some(json!({"notes": "pwned"}))),
        ("POST", format!("/v1/expenses/{xpn}/approve"), Some(json!({}))),
        ("POST", format!("/v1/expenses/{xpn}/reject"), Some(json!({"note": "pwned"}))),
        ("POST", format!("/v1/expenses/{xpn}/unapprove"), Some(json!({}))),
        ("DELETE", format!("/v1/expenses/{xpn}"), None),
        ("GET", "/v1/expenses?include_deleted=true".into(), None),
        ("GET", format!("/v1/attendance/workers/{wid}"), None),
        ("GET", format!("/v1/invoices/{inv}"), None),
        ("PATCH", format!("/v1/invoices/{inv}"), Some(json!({"subject": "pwned"}))),
        ("POST", format!("/v1/invoices/{inv}/send"), Some(json!({}))),
        ("POST", format!("/v1/invoices/{inv}/close"), Some(json!({}))),
        ("DELETE", format!("/v1/invoices/{inv}"), None),
        ("GET", "/v1/workers".into(), None),
        ("GET", "/v1/workers?include_deleted=true".into(), None),
        ("GET", "/v1/sites?include_deleted=true".into(), None),
        ("GET", "/v1/jobs?include_deleted=true".into(), None),
        ("GET", "/v1/shifts?include_deleted=true".into(), None),
        ("GET", "/v1/time-entries?include_deleted=true".into(), None),
        ("GET", "/v1/attendance/today".into(), None),
        ("GET", "/v1/api-keys?include_deleted=true".into(), None),
        ("GET", "/v1/divisions".into(), None),
        ("GET", "/v1/partnerships".into(), None),
        ("GET", "/v1/positions".into(), None),
        ("GET", format!("/v1/positions?worker_id={wid}"), None),
        ("GET", "/v1/invoices?include_deleted=true".into(), None),
    ];
    let secrets = vec![
        wid,
        kid,
        did,
        pid,
        site,
        job,
        shift,
        te,
        xpn,
        pos,
        inv,
        "Ivy Invoice".into(),
        "Isolated Ivy".into(),
        "ivy-key".into(),
        "Ivy Division".into(),
        "Ivy Yard".into(),
        "Ivy Job".into(),
    ];
    Fixture { a, secrets, calls }
}

fn call(key: &str, tenant_header: Option<&str>, method: &str, path: &str, body: &Option<Value>) -> Resp {
    let mut r = req(method, path).key(key);
    if let Some(t) = tenant_header {
        r = r.header("Edgeclock-Tenant-Id", t);
    }
    if let Some(b) = body {
        r = r.json(b);
    }
    r.send()
}

fn assert_no_leak(f: &Fixture, who: &str, r: &Resp, method: &str, path: &str) {
    for s in &f.secrets {
        // A path parameter echoed back in an error would be harmless, but nothing echoes it.
        assert!(!r.text.contains(s.as_str()), "{who}: {method} {path} leaked {s}: {}", r.text);
    }
}

/// Callers from elsewhere (another tenant, a sibling division, the parent on a division's
/// object): object routes are 404, lists are 200 without A's data.
#[test]
fn other_tenants_and_divisions_get_404_and_never_data() {
    let f = fixture();
    let other = tenant();
    let sibling_parent = tenant();
    let sibling = division(&sibling_parent, "Sibling");
    let a_div = division(&f.a, "A child");
    for (who, t) in [("other tenant", &other), ("sibling division", &sibling), ("A's own division", &a_div)] {
        for (method, path, body) in &f.calls {
            let r = call(&t.key, None, method, path, body);
            let is_list = path.contains('?') || path.matches('/').count() == 2 || path == "/v1/attendance/today";
            let expected = if is_list { 200 } else { 404 };
            assert_eq!(r.status, expected, "{who}: {method} {path}: {}", r.text);
            assert_no_leak(&f, who, &r, method, path);
        }
    }
    // The parent on a division's object.
    let dw = a_div.worker(json!({"name": "Child Cora"}));
    let path = format!("/v1/workers/{}", dw["id"].as_str().unwrap());
    f.a.get(&path).expect_error(404, "not_found");
    assert!(!f.a.get("/v1/workers").expect(200).text.contains("Child Cora"));
}

/// Callers that may not pass at all: vendors without a grant or with a narrower one, keys
/// revoked, expired or lacking the scope.
#[test]
fn refused_callers_get_exactly_401_or_403() {
    let f = fixture();
    let a = &f.a;
    let (_, no_grant) = vendor();
    let (narrow_id, narrow) = vendor();
    a.post("/v1/partnerships", json!({"vendor_id": narrow_id, "scopes": ["read:tasks"]})).expect(201);
    let revoked = a.post("/v1/api-keys", json!({"scopes": "read-write"})).expect(201).data().clone();
    a.delete(&format!("/v1/api-keys/{}", revoked["id"].as_str().unwrap())).expect(200);
    let revoked = revoked["key"].as_str().unwrap().to_string();
    let expired = a.mint(json!({"scopes": "read-write", "expires_at": crate::client::instant_in(3_000)}));
    let tasks_only = a.mint(json!({"scopes": ["read:tasks", "write:tasks"]}));
    std::thread::sleep(std::time::Duration::from_millis(3_600));

    let callers: Vec<(&str, &str, Option<&str>, u16)> = vec![
        ("vendor without grant", &no_grant, Some(&a.id), 403),
        ("vendor with narrower grant", &narrow, Some(&a.id), 403),
        ("revoked key", &revoked, None, 401),
        ("expired key", &expired, None, 401),
        ("key lacking the scope", &tasks_only, None, 403),
    ];
    for (who, key, header, status) in callers {
        for (method, path, body) in &f.calls {
            let r = call(key, header, method, path, body);
            let code = if status == 401 { "unauthorized" } else { "forbidden" };
            assert_eq!((r.status, r.error_code()), (status, code), "{who}: {method} {path}: {}", r.text);
            assert_no_leak(&f, who, &r, method, path);
        }
    }
    // Nothing was changed by any of them.
    let w = a.get("/v1/workers").expect(200);
    assert!(w.text.contains("Isolated Ivy") && !w.text.contains("pwned"));
    assert!(!w.text.contains("inactive"));
    assert!(!a.get("/v1/sites").expect(200).text.contains("pwned"));
    assert_eq!(a.get("/v1/time-entries").expect(200).data()[0]["status"], "pending");
    let expense = a.get("/v1/expenses").expect(200).data()[0].clone();
    assert_eq!((expense["status"].as_str(), expense["notes"].clone()), (Some("pending"), Value::Null));
    let invoice = a.get("/v1/invoices").expect(200);
    assert_eq!(invoice.data()[0]["state"], "draft");
    assert!(!invoice.text.contains("pwned"));
}
