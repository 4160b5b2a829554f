//! The audit log: every authenticated request, written after the response, tenant-scoped,
//! filterable; the operator can read any tenant's.

use serde_json::{json, Value};

use crate::client::{eventually, req, tenant};

/// The tenant's audit entries matching `query`, once at least `at_least` have been written.
pub fn entries(t: &crate::client::Tenant, query: &str, at_least: usize) -> Vec<Value> {
    eventually(|| {
        let r = t.get(&format!("/v1/audit-log?{query}")).expect(200);
        let list = r.data().as_array().unwrap().clone();
        (list.len() >= at_least).then_some(list)
    })
}

#[test]
fn every_call_is_recorded_with_its_details() {
    let t = tenant();
    let w = req("POST", "/v1/workers")
        .key(&t.key)
        .header("X-Request-Id", "audit-create-1")
        .header("CF-Connecting-IP", "203.0.113.9")
        .json(&json!({"name": "Audited Al"}))
        .send()
        .expect(201);
    let wid = w.data()["id"].as_str().unwrap().to_string();
    t.get("/v1/workers?status=active").expect(200);
    t.post("/v1/workers", json!({})).expect_error(422, "validation_failed");

    let posts = entries(&t, "method=POST", 2);
    let created = posts.iter().find(|e| e["request_id"] == "audit-create-1").expect("create entry");
    assert!(created["id"].as_str().unwrap().starts_with("aud_"));
    assert_eq!(created["status"], 201);
    assert_eq!(created["path"], "/v1/workers");
    assert_eq!(created["resource"], "workers");
    assert_eq!(created["resource_id"], wid.as_str());
    assert_eq!(created["ip"], "203.0.113.9");
    assert_eq!(created["tenant_id"], t.id.as_str());
    assert_eq!(created["key_label"], "Owner");
    assert!(created["key_id"].as_str().unwrap().starts_with("key_"));
    assert!(created["occurred_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(created["replay"], false);

    let gets = entries(&t, "method=GET&resource=workers", 0);
    assert!(gets.is_empty(), "resource is recorded for writes only");
    let list = entries(&t, "status=200", 1);
    let l = list.iter().find(|e| e["path"] == "/v1/workers" && e["query"] == "status=active").expect("list entry");
    assert_eq!(l["method"], "GET");
    assert!(l["resource_id"].is_null());
    let failed = entries(&t, "status=422", 1);
    assert_eq!(failed[0]["method"], "POST");
    let key_id = created["key_id"].as_str().unwrap();
    assert!(entries(&t, &format!("key_id={key_id}&from=2000-01-01&to=2999-01-01"), 3).len() >= 3);
    t.get("/v1/audit-log?status=abc").expect_error(400, "bad_request");
    t.get("/v1/audit-log?method=FETCH").expect_error(400, "bad_request");
}

#[test]
fn refused_requests_are_recorded_too() {
    let t = tenant();
    let ro = t.mint(json!({"scopes": "read-only", "label": "ro"}));
    req("POST", "/v1/workers").key(&ro).json(&json!({"name": "x"})).send().expect_error(403, "forbidden");
    let e = entries(&t, "status=403", 1);
    assert_eq!(e[0]["key_label"], "ro");
}

#[test]
fn the_log_is_tenant_scoped_and_the_operator_reads_any() {
    let (a, b) = (tenant(), tenant());
    a.post("/v1/workers", json!({"name": "Only A"})).expect(201);
    entries(&a, "method=POST", 1);
    let theirs = b.get("/v1/audit-log").expect(200);
    assert!(!theirs.text.contains(&a.id));
    let op = eventually(|| {
        let r =
            req("GET", &format!("/v1/operator/audit-log?tenant_id={}&method=POST", a.id)).operator().send().expect(200);
        (!r.data().as_array().unwrap().is_empty()).then_some(r)
    });
    assert!(op.data().as_array().unwrap().iter().all(|e| e["tenant_id"] == a.id.as_str()));
    req("GET", "/v1/operator/audit-log").operator().send().expect_error(400, "bad_request");
    req("GET", "/v1/operator/audit-log?tenant_id=x").key(&a.key).send().expect_error(401, "unauthorized");
}
