//! `/v1/workers` end to end: CRUD, status, validation, uniqueness, tenant isolation,
//! filters, tombstones and cursor pagination.

use std::collections::HashSet;

use serde_json::{json, Value};

use crate::client::{tenant, walk};

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_string()
}

#[test]
fn create_with_defaults_and_with_every_field() {
    let t = tenant();
    let w = t.worker(json!({"name": "Ana Lima"}));
    assert!(id(&w).starts_with("wkr_"));
    assert_eq!(w["status"], "active");
    assert!(w["employee_code"].as_str().unwrap().starts_with("EMP-"));
    for f in ["email", "phone", "position", "department_id", "site_id", "pay_rate"] {
        assert!(w[f].is_null(), "{f}");
    }
    assert_eq!(w["created_at"], w["updated_at"]);

    let dep = t.post("/v1/departments", json!({"name": "Electrical"})).expect(201).data()["id"].clone();
    let site = t.post("/v1/sites", json!({"name": "Depot"})).expect(201).data()["id"].clone();
    let full = json!({
        "name": "Ben Okafor", "email": "ben@example.com", "phone": "+1 (555) 010-2030",
        "employee_code": "E-100", "position": "Electrician",
        "department_id": dep, "site_id": site,
        "pay_rate": 2850, "status": "inactive"
    });
    let w = t.worker(full.clone());
    for (k, v) in full.as_object().unwrap() {
        assert_eq!(&w[k], v, "{k}");
    }
    let got = t.get(&format!("/v1/workers/{}", id(&w))).expect(200);
    assert_eq!(got.data(), &w);
    // References must exist in this tenant.
    let r = t
        .post("/v1/workers", json!({"name": "Ghost", "site_id": "site_0193c2aa000070008000000000000001"}))
        .expect_error(422, "validation_failed");
    assert_eq!(r.body["error"]["details"][0]["code"], "not_found");
    let other = tenant();
    other.post("/v1/workers", json!({"name": "Cross", "department_id": dep})).expect_error(422, "validation_failed");
}

#[test]
fn validation_reports_every_field() {
    let t = tenant();
    let r = t
        .post(
            "/v1/workers",
            json!({"email": "not-an-email", "pay_rate": -5, "status": "fired", "site_id": "job_1", "nickname": "x"}),
        )
        .expect_error(422, "validation_failed");
    let mut fields = r.detail_fields();
    fields.sort();
    assert_eq!(fields, vec!["email", "name", "nickname", "pay_rate", "site_id", "status"]);
    for d in r.body["error"]["details"].as_array().unwrap() {
        assert!(d["code"].is_string() && d["message"].is_string());
    }
    t.post("/v1/workers", json!({"name": "x".repeat(201)})).expect_error(422, "validation_failed");
    t.post("/v1/workers", json!({"name": 42})).expect_error(422, "validation_failed");
    t.post("/v1/workers", json!({"name": "A", "pay_rate": 1.5})).expect_error(422, "validation_failed");
    // Nothing was written by the failures.
    assert_eq!(walk(&t, "/v1/workers", 50).len(), 0);
}

#[test]
fn employee_codes_are_unique_per_tenant() {
    let (a, b) = (tenant(), tenant());
    a.worker(json!({"name": "One", "employee_code": "K-1"}));
    let r = a.post("/v1/workers", json!({"name": "Two", "employee_code": "K-1"})).expect_error(409, "conflict");
    assert!(r.body["error"]["message"].as_str().unwrap().contains("employee_code"));
    // Another tenant may use the same code.
    b.worker(json!({"name": "Other", "employee_code": "K-1"}));
    // So may an update, only if free.
    let two = a.worker(json!({"name": "Two", "employee_code": "K-2"}));
    a.patch(&format!("/v1/workers/{}", id(&two)), json!({"employee_code": "K-1"})).expect_error(409, "conflict");
}

#[test]
fn patch_changes_only_what_is_sent() {
    let t = tenant();
    let w = t.worker(json!({"name": "Ana", "email": "ana@example.com", "position": "Lead"}));
    let path = format!("/v1/workers/{}", id(&w));
    let u = t.patch(&path, json!({"position": "Manager", "email": null, "pay_rate": 4000})).expect(200);
    let u = u.data();
    assert_eq!(u["name"], "Ana");
    assert_eq!(u["position"], "Manager");
    assert!(u["email"].is_null());
    assert_eq!(u["pay_rate"], 4000);
    assert_eq!(u["employee_code"], w["employee_code"]);
    assert_eq!(t.get(&path).expect(200).data(), u);
    t.patch(&path, json!({"name": null})).expect_error(422, "validation_failed");
    t.patch(&path, json!({"status": "sacked"})).expect_error(422, "validation_failed");
    t.patch(&path, json!({"id": "wkr_other"})).expect_error(422, "validation_failed");
}

#[test]
fn status_can_be_changed() {
    let t = tenant();
    let w = t.worker(json!({"name": "Ana"}));
    let path = format!("/v1/workers/{}/status", id(&w));
    assert_eq!(t.patch(&path, json!({"status": "inactive"})).expect(200).data()["status"], "inactive");
    assert_eq!(t.patch(&path, json!({"status": "active"})).expect(200).data()["status"], "active");
    t.patch(&path, json!({"status": "retired"})).expect_error(422, "validation_failed");
    t.patch(&path, json!({})).expect_error(422, "validation_failed");
    t.patch("/v1/workers/wkr_00000000000000000000000000000000/status", json!({"status": "active"}))
        .expect_error(404, "not_found");
}

#[test]
fn another_tenants_worker_is_404_everywhere() {
    let (a, b) = (tenant(), tenant());
    let w = a.worker(json!({"name": "Secret Sam", "email": "sam@a.example"}));
    let path = format!("/v1/workers/{}", id(&w));
    b.get(&path).expect_error(404, "not_found");
    b.patch(&path, json!({"name": "Hijack"})).expect_error(404, "not_found");
    // Even with a reference that exists nowhere, another tenant's worker is a 404.
    b.patch(&path, json!({"site_id": "site_0193c2aa000070008000000000000001"})).expect_error(404, "not_found");
    b.patch(&format!("{path}/status"), json!({"status": "inactive"})).expect_error(404, "not_found");
    b.delete(&path).expect_error(404, "not_found");
    let listed = b.get("/v1/workers?include_deleted=true").expect(200);
    assert!(!listed.text.contains("Secret Sam") && !listed.text.contains(&id(&w)));
    // Untouched for its owner.
    let still = a.get(&path).expect(200);
    assert_eq!(still.data()["name"], "Secret Sam");
    assert_eq!(still.data()["status"], "active");
}

#[test]
fn delete_leaves_a_tombstone() {
    let t = tenant();
    let w = t.worker(json!({"name": "Gone", "employee_code": "G-1"}));
    let path = format!("/v1/workers/{}", id(&w));
    let d = t.delete(&path).expect(200);
    assert_eq!(d.data()["id"], w["id"]);
    assert_eq!(d.data()["deleted"], true);
    assert!(d.data()["deleted_at"].as_str().unwrap().ends_with('Z'));
    t.get(&path).expect_error(404, "not_found");
    t.delete(&path).expect_error(404, "not_found");
    t.patch(&path, json!({"name": "Back"})).expect_error(404, "not_found");
    assert!(walk(&t, "/v1/workers", 50).is_empty());
    let with = walk(&t, "/v1/workers?include_deleted=true", 50);
    assert_eq!(with, vec![d.data().clone()]);
    // The code is free again.
    t.worker(json!({"name": "New", "employee_code": "G-1"}));
}

#[test]
fn filters_by_status_and_search() {
    let t = tenant();
    let ana = t.worker(json!({"name": "Ana Lima", "email": "ana@example.com"}));
    let ben = t.worker(json!({"name": "Ben Okafor", "email": "ben@works.example", "status": "inactive"}));
    let chen = t.worker(json!({"name": "Chen Wei", "employee_code": "CW-7"}));
    let names = |path: &str| -> Vec<String> {
        walk(&t, path, 50).iter().map(|w| w["name"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(names("/v1/workers?status=inactive"), vec!["Ben Okafor"]);
    assert_eq!(names("/v1/workers?status=active"), vec!["Ana Lima", "Chen Wei"]);
    assert_eq!(names("/v1/workers?status=active,inactive").len(), 3);
    assert_eq!(names("/v1/workers?q=lima"), vec!["Ana Lima"]);
    assert_eq!(names("/v1/workers?q=works.example"), vec!["Ben Okafor"]);
    assert_eq!(names("/v1/workers?q=cw-7"), vec!["Chen Wei"]);
    assert_eq!(names("/v1/workers?q=100%25"), Vec::<String>::new());
    // Any `q` up to 200 characters, and up to 100 values in every filter at once.
    assert_eq!(names(&format!("/v1/workers?q={}", "a".repeat(200))), Vec::<String>::new());
    let sites = vec!["site_0193c2aa000070008000000000000001"; 100].join(",");
    let depts = vec!["dep_0193c2aa000070008000000000000001"; 100].join(",");
    let statuses = vec!["active"; 100].join(",");
    let all = format!("/v1/workers?site_id={sites}&department_id={depts}&status={statuses}&q=a");
    assert_eq!(names(&all), Vec::<String>::new());
    t.get(&format!("/v1/workers?q={}", "a".repeat(201))).expect_error(400, "bad_request");
    t.get(&format!("/v1/workers?status={statuses},active")).expect_error(400, "bad_request");
    let _ = (ana, ben, chen);
    for bad in [
        "status=fired",
        "status=active,",
        "limit=0",
        "limit=201",
        "limit=abc",
        "cursor=bogus",
        "colour=red",
        "include_deleted=maybe",
        "updated_since=soon",
        "site_id=wkr_1",
    ] {
        t.get(&format!("/v1/workers?{bad}")).expect_error(400, "bad_request");
    }
}

#[test]
fn updated_since_returns_recent_changes() {
    let t = tenant();
    let old = t.worker(json!({"name": "Old"}));
    let r = t.get("/v1/workers?updated_since=2999-01-01T00:00:00Z").expect(200);
    assert_eq!(r.data().as_array().unwrap().len(), 0);
    let all = walk(&t, "/v1/workers?updated_since=2000-01-01", 50);
    assert_eq!(all.len(), 1);
    let since = old["updated_at"].as_str().unwrap();
    let hits = walk(&t, &format!("/v1/workers?updated_since={since}"), 50);
    assert_eq!(hits.len(), 1);
}

#[test]
fn pagination_walks_every_worker_once_in_creation_order() {
    let t = tenant();
    let made: Vec<String> = (0..7).map(|i| id(&t.worker(json!({"name": format!("W{i}")})))).collect();
    let first = t.get("/v1/workers").expect(200);
    assert_eq!(first.data().as_array().unwrap().len(), 7);
    assert_eq!(first.body["meta"]["has_more"], false);
    assert!(first.body["meta"]["next_cursor"].is_null());
    let walked: Vec<String> = walk(&t, "/v1/workers", 3).iter().map(id).collect();
    assert_eq!(walked, made);
    let exact: Vec<String> = walk(&t, "/v1/workers", 7).iter().map(id).collect();
    assert_eq!(exact, made);
}

#[test]
fn pagination_is_consistent_under_concurrent_inserts() {
    let t = tenant();
    let before: Vec<String> = (0..12).map(|i| id(&t.worker(json!({"name": format!("B{i}")})))).collect();
    // Walk page by page while another thread keeps inserting.
    let key = t.key.clone();
    let writer = std::thread::spawn(move || {
        for i in 0..12 {
            let r = crate::client::req("POST", "/v1/workers").key(&key).json(&json!({"name": format!("N{i}")})).send();
            assert_eq!(r.status, 201);
        }
    });
    let mut seen = Vec::new();
    let mut url = "/v1/workers?limit=2".to_string();
    loop {
        let r = t.get(&url).expect(200);
        seen.extend(r.data().as_array().unwrap().iter().map(id));
        match r.body["meta"]["next_cursor"].as_str() {
            Some(c) => url = format!("/v1/workers?limit=2&cursor={c}"),
            None => break,
        }
    }
    writer.join().unwrap();
    let unique: HashSet<_> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no object repeated");
    for b in &before {
        assert!(seen.contains(b), "{b} skipped");
    }
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted, "stable id order");
}
