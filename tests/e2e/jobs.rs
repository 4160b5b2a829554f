//! Jobs: references in the tenant, geofence defaulting to the site's, budgets and
//! `budget_used`, status transitions, filters, the `job.created` outbox event.

use serde_json::json;

use crate::client::{tenant, walk};

#[test]
fn a_job_takes_its_sites_geofence_and_shows_budget_use() {
    let t = tenant();
    let site = t
        .post("/v1/sites", json!({"name": "Tower", "latitude": 51.5, "longitude": -0.12, "geofence_radius_m": 250}))
        .expect(201)
        .data()
        .clone();
    let cus = t.post("/v1/customers", json!({"name": "Client", "currency": "GBP"})).expect(201).data().clone();
    let job = t
        .post("/v1/jobs", json!({"name": "Fit-out", "site_id": site["id"], "customer_id": cus["id"], "budget": {"hours": 120, "amount": 900000, "currency": "GBP"}}))
        .expect(201)
        .data()
        .clone();
    assert!(job["id"].as_str().unwrap().starts_with("job_"));
    assert_eq!(job["status"], "active");
    assert_eq!(job["geofence"], json!({"latitude": 51.5, "longitude": -0.12, "radius_m": 250.0}));
    assert_eq!(job["budget"], json!({"hours": 120.0, "amount": 900000, "currency": "GBP"}));
    assert_eq!(job["budget_used"], json!({"hours": 0.0, "amount": 0, "percent": 0.0}));
    let path = format!("/v1/jobs/{}", job["id"].as_str().unwrap());
    assert_eq!(t.get(&path).expect(200).data(), &job);

    // An explicit fence wins; null clears it.
    let own = t
        .post("/v1/jobs", json!({"name": "Own fence", "site_id": site["id"], "geofence": {"latitude": 1, "longitude": 2, "radius_m": 30}}))
        .expect(201);
    assert_eq!(own.data()["geofence"]["radius_m"], 30.0);
    let cleared = t.patch(&path, json!({"geofence": null, "budget": null})).expect(200);
    assert!(cleared.data()["geofence"].is_null() && cleared.data()["budget"].is_null());
    assert!(cleared.data()["budget_used"]["percent"].is_null());
}

#[test]
fn references_must_exist_in_the_tenant() {
    let (a, b) = (tenant(), tenant());
    let site = b.post("/v1/sites", json!({"name": "Theirs"})).expect(201).data()["id"].clone();
    let r = a.post("/v1/jobs", json!({"name": "J", "site_id": site})).expect_error(422, "validation_failed");
    assert_eq!(r.detail_fields(), vec!["site_id"]);
    a.post("/v1/jobs", json!({"name": "J", "customer_id": "cus_0193c2aa000070008000000000000001"}))
        .expect_error(422, "validation_failed");
    a.post("/v1/jobs", json!({"name": "J", "budget": {"amount": 10}})).expect_error(422, "validation_failed");
    a.post("/v1/jobs", json!({"name": "J", "geofence": {"latitude": 0}})).expect_error(422, "validation_failed");
    a.post("/v1/jobs", json!({"name": "J", "status": "paused"})).expect_error(422, "validation_failed");
    assert!(walk(&a, "/v1/jobs", 50).is_empty());
}

#[test]
fn status_transitions() {
    let t = tenant();
    let id = t.post("/v1/jobs", json!({"name": "Phases"})).expect(201).data()["id"].as_str().unwrap().to_string();
    let path = format!("/v1/jobs/{id}");
    assert_eq!(t.patch(&path, json!({"status": "completed"})).expect(200).data()["status"], "completed");
    assert_eq!(t.patch(&path, json!({"status": "archived"})).expect(200).data()["status"], "archived");
    t.patch(&path, json!({"status": "completed"})).expect_error(409, "conflict");
    assert_eq!(t.patch(&path, json!({"status": "active"})).expect(200).data()["status"], "active");
    t.patch(&path, json!({"status": null})).expect_error(422, "validation_failed");
    let names = |q: &str| -> usize { walk(&t, q, 50).len() };
    assert_eq!(names("/v1/jobs?status=active"), 1);
    assert_eq!(names("/v1/jobs?status=completed,archived"), 0);
    let other = tenant();
    other.get(&path).expect_error(404, "not_found");
    other.patch(&path, json!({"status": "completed"})).expect_error(404, "not_found");
}
