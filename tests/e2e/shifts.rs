//! Shifts: references, time order, no overlap for one worker (half-open), publishing.

use serde_json::{json, Value};

use crate::client::{tenant, walk, Tenant};

fn setup(t: &Tenant) -> (Value, Value) {
    let site = t.post("/v1/sites", json!({"name": "Yard"})).expect(201).data()["id"].clone();
    let w = t.worker(json!({"name": "Sam Shift"}))["id"].clone();
    (site, w)
}

fn shift(t: &Tenant, w: &Value, site: &Value, from: &str, to: &str) -> crate::client::Resp {
    t.post("/v1/shifts", json!({"worker_id": w, "site_id": site, "starts_at": from, "ends_at": to}))
}

#[test]
fn overlapping_shifts_for_one_worker_are_409() {
    let t = tenant();
    let (site, w) = setup(&t);
    let first = shift(&t, &w, &site, "2026-03-02T08:00:00Z", "2026-03-02T16:00:00Z").expect(201).data().clone();
    assert_eq!(first["published"], false);
    let r = shift(&t, &w, &site, "2026-03-02T15:00:00Z", "2026-03-02T20:00:00Z").expect_error(409, "conflict");
    assert!(r.text.contains(first["id"].as_str().unwrap()), "names the clash: {}", r.text);
    shift(&t, &w, &site, "2026-03-02T06:00:00Z", "2026-03-02T23:00:00Z").expect_error(409, "conflict");
    // Touching is not overlapping.
    let second = shift(&t, &w, &site, "2026-03-02T16:00:00Z", "2026-03-02T20:00:00Z").expect(201).data().clone();
    // Another worker may work the same hours.
    let other = t.worker(json!({"name": "Other"}))["id"].clone();
    shift(&t, &other, &site, "2026-03-02T09:00:00Z", "2026-03-02T17:00:00Z").expect(201);
    // Edits: a shift never collides with itself, but may not move onto another.
    let p1 = format!("/v1/shifts/{}", first["id"].as_str().unwrap());
    t.patch(&p1, json!({"starts_at": "2026-03-02T07:00:00Z"})).expect(200);
    t.patch(&p1, json!({"ends_at": "2026-03-02T17:00:00Z"})).expect_error(409, "conflict");
    t.patch(&format!("/v1/shifts/{}", second["id"].as_str().unwrap()), json!({"worker_id": other}))
        .expect_error(409, "conflict");
    // After a delete the slot is free.
    t.delete(&p1).expect(200);
    shift(&t, &w, &site, "2026-03-02T09:00:00Z", "2026-03-02T12:00:00Z").expect(201);
}

#[test]
fn shifts_validate_times_and_references() {
    let t = tenant();
    let (site, w) = setup(&t);
    let r = shift(&t, &w, &site, "2026-03-02T08:00:00Z", "2026-03-02T08:00:00Z").expect_error(422, "validation_failed");
    assert_eq!(r.detail_fields(), vec!["ends_at"]);
    shift(&t, &w, &site, "2026-03-02T08:00:00Z", "2026-03-01T08:00:00Z").expect_error(422, "validation_failed");
    shift(&t, &w, &site, "not a time", "2026-03-01T08:00:00Z").expect_error(422, "validation_failed");
    let other = tenant();
    let (their_site, their_worker) = setup(&other);
    shift(&t, &their_worker, &site, "2026-03-02T08:00:00Z", "2026-03-02T10:00:00Z")
        .expect_error(422, "validation_failed");
    shift(&t, &w, &their_site, "2026-03-02T08:00:00Z", "2026-03-02T10:00:00Z").expect_error(422, "validation_failed");
    t.post("/v1/shifts", json!({"worker_id": w, "site_id": site, "job_id": "job_0193c2aa000070008000000000000001", "starts_at": "2026-03-02T08:00:00Z", "ends_at": "2026-03-02T10:00:00Z"}))
        .expect_error(422, "validation_failed");
    let r = t
        .post("/v1/shifts", json!({"worker_id": w, "site_id": site, "starts_at": "2026-03-02T08:00:00Z", "ends_at": "2026-03-02T10:00:00Z", "published": null}))
        .expect_error(422, "validation_failed");
    assert_eq!(r.detail_fields(), vec!["published"]);
    assert!(walk(&t, "/v1/shifts", 50).is_empty());
}

#[test]
fn publishing_a_range_publishes_its_drafts() {
    let t = tenant();
    let (site, w) = setup(&t);
    let a = shift(&t, &w, &site, "2026-04-06T08:00:00Z", "2026-04-06T16:00:00Z").expect(201).data()["id"].clone();
    let b = shift(&t, &w, &site, "2026-04-08T08:00:00Z", "2026-04-08T16:00:00Z").expect(201).data()["id"].clone();
    let later = shift(&t, &w, &site, "2026-04-20T08:00:00Z", "2026-04-20T16:00:00Z").expect(201).data()["id"].clone();
    let r = t.post("/v1/shifts/publish", json!({"from": "2026-04-06", "to": "2026-04-12"})).expect(200);
    assert_eq!(r.data()["published"], 2);
    assert_eq!(r.data()["shift_ids"], json!([a, b]));
    let published: Vec<Value> = walk(&t, "/v1/shifts?published=true", 50).iter().map(|s| s["id"].clone()).collect();
    assert_eq!(published, vec![a.clone(), b.clone()]);
    let drafts: Vec<Value> = walk(&t, "/v1/shifts?published=false", 50).iter().map(|s| s["id"].clone()).collect();
    assert_eq!(drafts, vec![later]);
    // Publishing again finds nothing new.
    assert_eq!(
        t.post("/v1/shifts/publish", json!({"from": "2026-04-06", "to": "2026-04-12"})).expect(200).data()["published"],
        0
    );
    t.post("/v1/shifts/publish", json!({"from": "2026-04-12", "to": "2026-04-06"}))
        .expect_error(422, "validation_failed");
    let in_range = walk(&t, "/v1/shifts?from=2026-04-07&to=2026-04-30", 50);
    assert_eq!(in_range.len(), 2);
}
