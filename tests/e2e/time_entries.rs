//! Time entries: CRUD with computed hours, the overlap/lock/order/future/break/metadata
//! rules, actions, filters, batch (207), geofence and verification flags, budgets.

use serde_json::{json, Value};

use crate::client::{tenant, walk, Resp, Tenant};

fn worker(t: &Tenant) -> String {
    t.worker(json!({"name": "Tess Time", "pay_rate": 3600}))["id"].as_str().unwrap().to_string()
}

fn entry(t: &Tenant, body: Value) -> Resp {
    t.post("/v1/time-entries", body)
}

fn span(w: &str, from: &str, to: Option<&str>) -> Value {
    json!({"worker_id": w, "started_at": from, "ended_at": to})
}

#[test]
fn create_computes_hours_without_breaks() {
    let t = tenant();
    let w = worker(&t);
    let e = entry(
        &t,
        json!({"worker_id": w, "started_at": "2026-05-04T08:00:00Z", "ended_at": "2026-05-04T16:45:00Z",
        "breaks": [{"started_at": "2026-05-04T12:00:00Z", "ended_at": "2026-05-04T12:45:00Z"}],
        "notes": "Level 3", "metadata": {"device": "tablet-7"}, "verification_score": 91}),
    )
    .expect(201);
    let d = e.data();
    assert!(d["id"].as_str().unwrap().starts_with("te_"));
    assert_eq!(d["hours"], 8.0);
    assert_eq!(d["status"], "pending");
    assert_eq!(d["source"], "api");
    assert_eq!(d["is_running"], false);
    assert_eq!(d["outside_fence"], false);
    assert_eq!(d["metadata"], json!({"device": "tablet-7"}));
    assert_eq!(d["breaks"][0]["ended_at"], "2026-05-04T12:45:00Z");
    let path = format!("/v1/time-entries/{}", d["id"].as_str().unwrap());
    assert_eq!(t.get(&path).expect(200).data(), d);
    // Running entries have no hours yet and can be stopped.
    let r = entry(&t, span(&w, "2026-11-26T08:00:00Z", None)).expect(201);
    assert_eq!(r.data()["is_running"], true);
    assert!(r.data()["hours"].is_null());
    let stopped = t.post(&format!("/v1/time-entries/{}/stop", r.data()["id"].as_str().unwrap()), json!({})).expect(200);
    assert_eq!(stopped.data()["is_running"], false);
    assert!(stopped.data()["hours"].as_f64().unwrap() > 0.0);
    t.post(&format!("/v1/time-entries/{}/stop", r.data()["id"].as_str().unwrap()), json!({}))
        .expect_error(409, "conflict");
}

#[test]
fn entries_never_overlap_and_half_open_is_fine() {
    let t = tenant();
    let w = worker(&t);
    let a = entry(&t, span(&w, "2026-05-05T08:00:00Z", Some("2026-05-05T12:00:00Z"))).expect(201).data().clone();
    let r = entry(&t, span(&w, "2026-05-05T11:00:00Z", Some("2026-05-05T13:00:00Z"))).expect_error(409, "conflict");
    assert!(r.text.contains(a["id"].as_str().unwrap()), "names the clash");
    let b = entry(&t, span(&w, "2026-05-05T12:00:00Z", Some("2026-05-05T13:00:00Z"))).expect(201).data().clone();
    // An entry never collides with itself on edit, but cannot be moved onto another.
    let pa = format!("/v1/time-entries/{}", a["id"].as_str().unwrap());
    t.patch(&pa, json!({"started_at": "2026-05-05T07:30:00Z"})).expect(200);
    t.patch(&pa, json!({"ended_at": "2026-05-05T12:30:00Z"})).expect_error(409, "conflict");
    // At most one running entry: a running entry reaches forever.
    entry(&t, span(&w, "2026-11-20T08:00:00Z", None)).expect(201);
    entry(&t, span(&w, "2026-11-21T08:00:00Z", None)).expect_error(409, "conflict");
    entry(&t, span(&w, "2026-11-22T08:00:00Z", Some("2026-11-22T09:00:00Z"))).expect_error(409, "conflict");
    let _ = b;
}

#[test]
fn rules_are_422() {
    let t = tenant();
    let w = worker(&t);
    let cases: Vec<(Value, &str)> = vec![
        (span(&w, "2026-05-06T10:00:00Z", Some("2026-05-06T10:00:00Z")), "ended_at"),
        (span(&w, "2026-05-06T10:00:00Z", Some("2026-05-06T09:00:00Z")), "ended_at"),
        (span(&w, "2099-01-01T00:00:00Z", None), "started_at"),
        (
            json!({"worker_id": w, "started_at": "2026-05-06T08:00:00Z", "ended_at": "2026-05-06T10:00:00Z",
                "breaks": [{"started_at": "2026-05-06T07:00:00Z", "ended_at": "2026-05-06T08:30:00Z"}]}),
            "breaks[0]",
        ),
        (
            json!({"worker_id": w, "started_at": "2026-05-06T08:00:00Z", "ended_at": "2026-05-06T16:00:00Z",
                "breaks": [{"started_at": "2026-05-06T10:00:00Z", "ended_at": "2026-05-06T11:00:00Z"},
                           {"started_at": "2026-05-06T10:30:00Z", "ended_at": "2026-05-06T11:30:00Z"}]}),
            "breaks[1]",
        ),
        (
            json!({"worker_id": w, "started_at": "2026-05-06T08:00:00Z", "metadata": {"blob": "x".repeat(5000)}}),
            "metadata",
        ),
        (json!({"worker_id": w, "started_at": "2026-05-06T08:00:00Z", "metadata": [1, 2]}), "metadata"),
        (json!({"worker_id": w, "started_at": "2026-05-06T08:00:00Z", "source": "fax"}), "source"),
        (
            json!({"worker_id": w, "started_at": "2026-05-06T08:00:00Z", "verification_score": 101}),
            "verification_score",
        ),
        (json!({"started_at": "2026-05-06T08:00:00Z"}), "worker_id"),
        (
            json!({"worker_id": "wkr_0193c2aa000070008000000000000001", "started_at": "2026-05-06T08:00:00Z"}),
            "worker_id",
        ),
    ];
    for (body, field) in cases {
        let r = entry(&t, body.clone()).expect_error(422, "validation_failed");
        assert!(r.detail_fields().contains(&field.to_string()), "{body}: {}", r.text);
    }
    // Inactive workers cannot have time recorded.
    t.patch(&format!("/v1/workers/{w}/status"), json!({"status": "inactive"})).expect(200);
    let r = entry(&t, span(&w, "2026-05-06T08:00:00Z", Some("2026-05-06T09:00:00Z")))
        .expect_error(422, "validation_failed");
    assert_eq!(r.body["error"]["details"][0]["code"], "inactive");
    assert!(walk(&t, "/v1/time-entries", 50).is_empty());
}

#[test]
fn approval_locks_until_unapproved() {
    let t = tenant();
    let w = worker(&t);
    let e = entry(&t, span(&w, "2026-05-07T08:00:00Z", Some("2026-05-07T12:00:00Z"))).expect(201).data().clone();
    let p = format!("/v1/time-entries/{}", e["id"].as_str().unwrap());
    let a = t.post(&format!("{p}/approve"), json!({})).expect(200);
    assert_eq!(a.data()["status"], "approved");
    assert!(a.data()["approved_at"].is_string() && a.data()["approved_by"].as_str().unwrap().starts_with("key_"));
    t.patch(&p, json!({"notes": "late edit"})).expect_error(409, "conflict");
    t.delete(&p).expect_error(409, "conflict");
    t.post(&format!("{p}/approve"), json!({})).expect_error(409, "conflict");
    t.post(&format!("{p}/reject"), json!({"note": "no"})).expect_error(409, "conflict");
    let u = t.post(&format!("{p}/unapprove"), json!({})).expect(200);
    assert_eq!(u.data()["status"], "pending");
    assert!(u.data()["approved_at"].is_null());
    t.post(&format!("{p}/reject"), json!({})).expect_error(422, "validation_failed");
    let r = t.post(&format!("{p}/reject"), json!({"note": "wrong job"})).expect(200);
    assert_eq!(
        (r.data()["status"].as_str(), r.data()["rejection_note"].as_str()),
        (Some("rejected"), Some("wrong job"))
    );
    t.patch(&p, json!({"notes": "fixed"})).expect(200);
    t.post(&format!("{p}/approve"), json!({})).expect(200);
    // A running entry cannot be approved.
    let run = entry(&t, span(&w, "2026-11-26T06:00:00Z", None)).expect(201).data()["id"].as_str().unwrap().to_string();
    t.post(&format!("/v1/time-entries/{run}/approve"), json!({})).expect_error(409, "conflict");
}

#[test]
fn filters_and_cross_tenant_isolation() {
    let t = tenant();
    let (w1, w2) = (worker(&t), worker(&t));
    let job = t.post("/v1/jobs", json!({"name": "J"})).expect(201).data()["id"].as_str().unwrap().to_string();
    entry(&t, json!({"worker_id": w1, "job_id": job, "started_at": "2026-05-08T08:00:00Z", "ended_at": "2026-05-08T10:00:00Z", "source": "kiosk"})).expect(201);
    entry(&t, span(&w2, "2026-05-09T08:00:00Z", Some("2026-05-09T10:00:00Z"))).expect(201);
    entry(&t, span(&w2, "2026-11-26T07:00:00Z", None)).expect(201);
    let count = |q: &str| walk(&t, &format!("/v1/time-entries?{q}"), 50).len();
    assert_eq!(count(&format!("worker_id={w1}")), 1);
    assert_eq!(count(&format!("worker_id={w1},{w2}")), 3);
    assert_eq!(count(&format!("job_id={job}")), 1);
    assert_eq!(count("is_running=true"), 1);
    assert_eq!(count("is_running=false"), 2);
    assert_eq!(count("source=kiosk"), 1);
    assert_eq!(count("from=2026-05-09&to=2026-05-09"), 1);
    assert_eq!(count("status=pending"), 3);
    t.get("/v1/time-entries?status=done").expect_error(400, "bad_request");
    t.get("/v1/time-entries?from=yesterday").expect_error(400, "bad_request");
    let other = tenant();
    let any = walk(&t, "/v1/time-entries", 50)[0]["id"].as_str().unwrap().to_string();
    other.get(&format!("/v1/time-entries/{any}")).expect_error(404, "not_found");
    other.patch(&format!("/v1/time-entries/{any}"), json!({"notes": "x"})).expect_error(404, "not_found");
    other.post(&format!("/v1/time-entries/{any}/approve"), json!({})).expect_error(404, "not_found");
    other.delete(&format!("/v1/time-entries/{any}")).expect_error(404, "not_found");
    other.post("/v1/time-entries", span(&w1, "2026-05-10T08:00:00Z", None)).expect_error(422, "validation_failed");
}

#[test]
fn batch_answers_207_per_item_and_catches_overlaps_inside() {
    let t = tenant();
    let w = worker(&t);
    let r = t
        .post(
            "/v1/time-entries/batch",
            json!({"entries": [
                span(&w, "2026-05-11T08:00:00Z", Some("2026-05-11T12:00:00Z")),
                span(&w, "2026-05-11T11:00:00Z", Some("2026-05-11T13:00:00Z")),
                {"worker_id": w, "started_at": "nope"},
                span(&w, "2026-05-12T08:00:00Z", Some("2026-05-12T12:00:00Z")),
            ]}),
        )
        .expect(207);
    let items = r.data().as_array().unwrap();
    let statuses: Vec<u64> = items.iter().map(|i| i["status"].as_u64().unwrap()).collect();
    assert_eq!(statuses, vec![201, 409, 422, 201]);
    assert!(items[0]["data"]["id"].as_str().unwrap().starts_with("te_"));
    assert_eq!(items[1]["error"]["code"], "conflict");
    assert_eq!(items[2]["error"]["code"], "validation_failed");
    assert_eq!(walk(&t, "/v1/time-entries", 50).len(), 2, "good items stay");
    let many: Vec<Value> = (0..101).map(|i| span(&w, &format!("2026-06-01T{:02}:00:00Z", i % 24), None)).collect();
    t.post("/v1/time-entries/batch", json!({"entries": many})).expect_error(422, "validation_failed");
    t.post("/v1/time-entries/batch", json!({"entries": []})).expect_error(422, "validation_failed");
}

#[test]
fn geofence_flags_and_budget_use() {
    let t = tenant();
    let w = worker(&t);
    let site = t
        .post("/v1/sites", json!({"name": "Gate", "latitude": 40.4168, "longitude": -3.7038, "geofence_radius_m": 200}))
        .expect(201)
        .data()["id"]
        .clone();
    let job =
        t.post("/v1/jobs", json!({"name": "Fenced", "site_id": site, "budget": {"hours": 10}})).expect(201).data()
            ["id"]
            .as_str()
            .unwrap()
            .to_string();
    let inside = entry(
        &t,
        json!({"worker_id": w, "job_id": job, "started_at": "2026-05-13T08:00:00Z", "ended_at": "2026-05-13T16:00:00Z",
        "clock_in_location": {"latitude": 40.4170, "longitude": -3.7040}}),
    )
    .expect(201);
    assert_eq!(inside.data()["outside_fence"], false);
    let outside = entry(
        &t,
        json!({"worker_id": w, "job_id": job, "started_at": "2026-05-14T08:00:00Z", "ended_at": "2026-05-14T09:00:00Z",
        "clock_in_location": {"latitude": 40.45, "longitude": -3.70}, "verification_score": 30}),
    )
    .expect(201);
    assert_eq!(outside.data()["outside_fence"], true);
    let j = t.get(&format!("/v1/jobs/{job}")).expect(200);
    assert_eq!(j.data()["budget_used"]["hours"], 9.0);
    assert_eq!(j.data()["budget_used"]["percent"], 90.0);
    assert_eq!(j.data()["budget_used"]["amount"], 9 * 3600);
    // Rejected entries do not count.
    t.post(&format!("/v1/time-entries/{}/reject", outside.data()["id"].as_str().unwrap()), json!({"note": "off site"}))
        .expect(200);
    assert_eq!(t.get(&format!("/v1/jobs/{job}")).expect(200).data()["budget_used"]["hours"], 8.0);
}

#[test]
fn billable_defaults_to_the_task_and_can_be_set_and_filtered() {
    let t = tenant();
    let w = worker(&t);
    let internal = t.post("/v1/tasks", json!({"name": "Training", "billable_by_default": false})).expect(201);
    let internal = internal.data()["id"].as_str().unwrap().to_string();
    let install =
        t.post("/v1/tasks", json!({"name": "Install"})).expect(201).data()["id"].as_str().unwrap().to_string();
    let at = |h: u32| json!({"worker_id": w, "started_at": format!("2026-05-04T{h:02}:00:00Z"), "ended_at": format!("2026-05-04T{:02}:30:00Z", h)});
    let mut a = at(8);
    a["task_id"] = json!(internal);
    let a = entry(&t, a).expect(201);
    assert_eq!(a.data()["billable"], false, "the task's default");
    let mut b = at(9);
    b["task_id"] = json!(install);
    assert_eq!(entry(&t, b).expect(201).data()["billable"], true);
    assert_eq!(entry(&t, at(10)).expect(201).data()["billable"], true, "no task: billable");
    let mut d = at(11);
    d["task_id"] = json!(internal);
    d["billable"] = json!(true);
    assert_eq!(entry(&t, d).expect(201).data()["billable"], true, "an explicit value wins");

    let path = format!("/v1/time-entries/{}", a.data()["id"].as_str().unwrap());
    assert_eq!(t.patch(&path, json!({"billable": true})).expect(200).data()["billable"], true);
    let r = t.patch(&path, json!({"billable": null})).expect_error(422, "validation_failed");
    assert_eq!(r.detail_fields(), vec!["billable"]);
    t.patch(&path, json!({"billable": false})).expect(200);
    let listed = walk(&t, "/v1/time-entries?billable=false", 50);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], a.data()["id"]);
    t.get("/v1/time-entries?billable=maybe").expect_error(400, "bad_request");
}
