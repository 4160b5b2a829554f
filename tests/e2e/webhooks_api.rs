//! The webhook endpoints API end to end (SPEC §7): the secret shown once (at create and
//! rotation, never in list or detail), each validation rule's 422, PATCH with status and
//! `disabled_reason`, delete's tombstone, rotation's shape, `test` → a 202 ping delivery, and
//! isolation (another tenant 404, a key without the `webhooks` scope 403, a vendor's write 403).
//! The test server runs with `ALLOW_HTTP_WEBHOOKS=true`, so the SSRF rules are tested natively
//! (`domain::webhooks::url`); here only their wiring shows (a non-http scheme is still refused).

use serde_json::{json, Value};

use crate::client::{tenant, walk, Tenant};
use crate::tenancy::{as_vendor, vendor};

const URL: &str = "https://hooks.example.com/edgeclock";

fn create(t: &Tenant, body: Value) -> Value {
    t.post("/v1/webhooks", body).expect(201).data().clone()
}

fn id(v: &Value) -> &str {
    v["id"].as_str().unwrap()
}

fn is_secret(v: &Value) -> bool {
    v.as_str().is_some_and(|s| s.starts_with("whsec_") && s.len() == 38)
}

#[test]
fn the_secret_is_shown_once_and_the_endpoint_reads_back() {
    let t = tenant();
    let made = create(
        &t,
        json!({"url": URL, "events": ["time_entry.approved", "worker.created"], "description": "Payroll",
               "filters": {"days_of_week": [5, 1], "time_range": {"start": "22:00", "end": "06:00"}}}),
    );
    assert!(id(&made).starts_with("whk_"));
    assert!(is_secret(&made["secret"]), "{made}");
    assert_eq!(made["events"], json!(["time_entry.approved", "worker.created"]));
    assert_eq!(made["filters"], json!({"days_of_week": [1, 5], "time_range": {"start": "22:00", "end": "06:00"}}));
    assert_eq!((made["format"].as_str(), made["status"].as_str()), (Some("json"), Some("enabled")));
    assert!(made["disabled_reason"].is_null() && made["template"].is_null());

    let path = format!("/v1/webhooks/{}", id(&made));
    let detail = t.get(&path).expect(200);
    let secret = made["secret"].as_str().unwrap();
    assert!(detail.data().get("secret").is_none() && !detail.text.contains(secret), "{}", detail.text);
    let mut without = made.clone();
    without.as_object_mut().unwrap().remove("secret");
    assert_eq!(detail.data(), &without);
    let listed = walk(&t, "/v1/webhooks", 10);
    assert_eq!(listed, vec![without]);
    assert!(!t.get("/v1/webhooks").text.contains("whsec_"));
    // Filtering nothing is stored as no filters.
    let plain = create(&t, json!({"url": URL, "events": ["*"], "filters": {}, "format": "slack"}));
    assert!(plain["filters"].is_null());
    assert_eq!(plain["format"], "slack");
    assert_eq!(t.get("/v1/webhooks?status=disabled").expect(200).data(), &json!([]));
}

#[test]
fn each_rule_is_a_422_naming_its_field() {
    let t = tenant();
    let cases: Vec<(Value, &str, &str)> = vec![
        (json!({"events": ["*"]}), "url", "required"),
        (json!({"url": URL}), "events", "required"),
        (json!({"url": "ftp://example.com/x", "events": ["*"]}), "url", "invalid"),
        (json!({"url": "not a url", "events": ["*"]}), "url", "invalid"),
        (json!({"url": URL, "events": []}), "events", "out_of_range"),
        (json!({"url": URL, "events": "*"}), "events", "wrong_type"),
        (json!({"url": URL, "events": ["job.deleted"]}), "events", "invalid"),
        (json!({"url": URL, "events": ["ping"]}), "events", "invalid"),
        (json!({"url": URL, "events": ["*", "job.created"]}), "events", "not_allowed"),
        (json!({"url": URL, "events": ["*"], "format": "xml"}), "format", "not_allowed"),
        (json!({"url": URL, "events": ["*"], "template": "x".repeat(1001)}), "template", "too_long"),
        (json!({"url": URL, "events": ["*"], "filters": []}), "filters", "wrong_type"),
        (json!({"url": URL, "events": ["*"], "filters": {"sites": []}}), "filters.sites", "unknown_field"),
        (json!({"url": URL, "events": ["*"], "filters": {"site_ids": ["wkr_1"]}}), "filters.site_ids", "invalid"),
        (json!({"url": URL, "events": ["*"], "filters": {"worker_ids": []}}), "filters.worker_ids", "out_of_range"),
        (
            json!({"url": URL, "events": ["*"], "filters": {"department_ids": "d"}}),
            "filters.department_ids",
            "wrong_type",
        ),
        (
            json!({"url": URL, "events": ["*"], "filters": {"days_of_week": [0]}}),
            "filters.days_of_week",
            "out_of_range",
        ),
        (
            json!({"url": URL, "events": ["*"], "filters": {"days_of_week": [8]}}),
            "filters.days_of_week",
            "out_of_range",
        ),
        (
            json!({"url": URL, "events": ["*"], "filters": {"time_range": {"start": "25:00", "end": "06:00"}}}),
            "filters.time_range.start",
            "invalid",
        ),
        (
            json!({"url": URL, "events": ["*"], "filters": {"time_range": {"start": "06:00"}}}),
            "filters.time_range.end",
            "required",
        ),
        (json!({"url": URL, "events": ["*"], "status": "disabled"}), "status", "unknown_field"),
    ];
    for (body, field, code) in cases {
        let r = t.post("/v1/webhooks", body.clone()).expect_error(422, "validation_failed");
        let details = &r.body["error"]["details"];
        let found = details.as_array().unwrap().iter().any(|d| d["field"] == field && d["code"] == code);
        assert!(found, "{body}: expected {field} {code}, got {details}");
    }
    // Every problem in one answer.
    let r = t.post("/v1/webhooks", json!({"url": "x", "events": [], "format": "xml"})).expect(422);
    let mut fields = r.detail_fields();
    fields.sort();
    assert_eq!(fields, ["events", "format", "url"]);
    assert!(t.get("/v1/webhooks").expect(200).data().as_array().unwrap().is_empty(), "nothing was created");
}

#[test]
fn patch_changes_what_is_sent_and_status_carries_its_reason() {
    let t = tenant();
    let made = create(&t, json!({"url": URL, "events": ["worker.created"], "template": "hi"}));
    let path = format!("/v1/webhooks/{}", id(&made));
    let r = t.patch(
        &path,
        json!({"url": "https://other.example.com/h", "events": ["*"], "template": null,
        "filters": {"site_ids": ["site_0123456789abcdef0123456789abcdef"]}, "format": "slack"}),
    );
    let d = r.expect(200).data().clone();
    assert_eq!((d["url"].as_str(), d["format"].as_str()), (Some("https://other.example.com/h"), Some("slack")));
    assert_eq!(d["events"], json!(["*"]));
    assert!(d["template"].is_null() && d.get("secret").is_none());
    assert_eq!(d["filters"]["site_ids"], json!(["site_0123456789abcdef0123456789abcdef"]));

    let off = t.patch(&path, json!({"status": "disabled"})).expect(200).data().clone();
    assert_eq!(
        (off["status"].as_str(), off["disabled_reason"].as_str()),
        (Some("disabled"), Some("disabled by the tenant"))
    );
    assert_eq!(t.get("/v1/webhooks?status=disabled").expect(200).data().as_array().unwrap().len(), 1);
    let on = t.patch(&path, json!({"status": "enabled"})).expect(200).data().clone();
    assert_eq!(on["status"], "enabled");
    assert!(on["disabled_reason"].is_null());

    for (body, field, code) in [
        (json!({"status": "paused"}), "status", "not_allowed"),
        (json!({"status": null}), "status", "required"),
        (json!({"url": null}), "url", "required"),
        (json!({"events": ["*", "worker.created"]}), "events", "not_allowed"),
        (json!({"filters": {"days_of_week": [9]}}), "filters.days_of_week", "out_of_range"),
        (json!({"secret": "whsec_mine"}), "secret", "unknown_field"),
    ] {
        let r = t.patch(&path, body.clone()).expect(422);
        assert_eq!(r.detail_fields(), [field], "{body}: {}", r.text);
        assert_eq!(r.body["error"]["details"][0]["code"], code, "{body}");
    }
    t.patch("/v1/webhooks/whk_0123456789abcdef0123456789abcdef", json!({"status": "enabled"}))
        .expect_error(404, "not_found");
}

#[test]
fn delete_leaves_a_tombstone() {
    let t = tenant();
    let made = create(&t, json!({"url": URL, "events": ["*"]}));
    let path = format!("/v1/webhooks/{}", id(&made));
    let tomb = t.delete(&path).expect(200).data().clone();
    assert_eq!((tomb["id"].as_str(), tomb["deleted"].as_bool()), (Some(id(&made)), Some(true)));
    assert!(tomb["deleted_at"].is_string());
    t.get(&path).expect_error(404, "not_found");
    t.delete(&path).expect_error(404, "not_found");
    t.post(&format!("{path}/test"), json!({})).expect_error(404, "not_found");
    t.post(&format!("{path}/rotate-secret"), json!({})).expect_error(404, "not_found");
    assert!(t.get("/v1/webhooks").expect(200).data().as_array().unwrap().is_empty());
    let listed = t.get("/v1/webhooks?include_deleted=true").expect(200);
    assert_eq!(listed.data()[0]["deleted"], true);
}

#[test]
fn rotation_shows_the_new_secret_once_with_its_overlap() {
    let t = tenant();
    let made = create(&t, json!({"url": URL, "events": ["*"]}));
    let path = format!("/v1/webhooks/{}/rotate-secret", id(&made));
    let now = t.post(&path, json!({})).expect(200).data().clone();
    assert!(is_secret(&now["secret"]) && now["secret"] != made["secret"]);
    assert!(now["previous_secret_expires_at"].is_null(), "default 0: the old secret stops at once");
    let overlap = t.post(&path, json!({"expire_previous_in_seconds": 3600})).expect(200).data().clone();
    assert!(is_secret(&overlap["secret"]) && overlap["secret"] != now["secret"]);
    assert!(overlap["previous_secret_expires_at"].as_str().unwrap() > overlap["updated_at"].as_str().unwrap());
    let detail = t.get(&format!("/v1/webhooks/{}", id(&made))).expect(200);
    assert!(!detail.text.contains("whsec_"));
    assert_eq!(detail.data()["previous_secret_expires_at"], overlap["previous_secret_expires_at"]);
    for bad in [json!({"expire_previous_in_seconds": -1}), json!({"expire_previous_in_seconds": 86401})] {
        let r = t.post(&path, bad).expect(422);
        assert_eq!(r.body["error"]["details"][0]["code"], "out_of_range");
    }
    t.post(&path, json!({"expire": 1})).expect(422);
}

#[test]
fn test_sends_a_ping_delivery() {
    let t = tenant();
    let made = create(&t, json!({"url": "http://127.0.0.1:9/none", "events": ["worker.created"]}));
    let hook = id(&made);
    t.patch(&format!("/v1/webhooks/{hook}"), json!({"status": "disabled"})).expect(200);
    let d = t.post(&format!("/v1/webhooks/{hook}/test"), json!({})).expect(202).data().clone();
    assert!(d["id"].as_str().unwrap().starts_with("dlv_"));
    assert_eq!((d["webhook_id"].as_str(), d["event"].as_str()), (Some(hook), Some("ping")));
    let logged = walk(&t, &format!("/v1/webhooks/{hook}/deliveries"), 10);
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0]["id"], d["id"]);
}

#[test]
fn endpoints_are_isolated_and_need_the_webhooks_scope() {
    let a = tenant();
    let b = tenant();
    let made = create(&a, json!({"url": URL, "events": ["*"]}));
    let path = format!("/v1/webhooks/{}", id(&made));
    b.get(&path).expect_error(404, "not_found");
    b.patch(&path, json!({"status": "disabled"})).expect_error(404, "not_found");
    b.post(&format!("{path}/rotate-secret"), json!({})).expect_error(404, "not_found");
    b.post(&format!("{path}/test"), json!({})).expect_error(404, "not_found");
    b.delete(&path).expect_error(404, "not_found");
    assert!(b.get("/v1/webhooks").expect(200).data().as_array().unwrap().is_empty());

    let tasks_only = a.as_key(&a.mint(json!({"scopes": ["read:tasks", "write:tasks"]})));
    tasks_only.get("/v1/webhooks").expect_error(403, "forbidden");
    tasks_only.get(&path).expect_error(403, "forbidden");
    tasks_only.post("/v1/webhooks", json!({"url": URL, "events": ["*"]})).expect_error(403, "forbidden");
    let reader = a.as_key(&a.mint(json!({"scopes": ["read:webhooks"]})));
    reader.get(&path).expect(200);
    reader.patch(&path, json!({"status": "disabled"})).expect_error(403, "forbidden");

    let (vendor_id, vendor_key) = vendor();
    a.post("/v1/partnerships", json!({"vendor_id": vendor_id, "scopes": ["read:webhooks", "write:webhooks"]}))
        .expect(201);
    as_vendor(&vendor_key, &a.id, "GET", &path, None).expect(200);
    let body = json!({"url": URL, "events": ["*"]});
    as_vendor(&vendor_key, &a.id, "POST", "/v1/webhooks", Some(body)).expect_error(403, "forbidden");
    as_vendor(&vendor_key, &a.id, "POST", &format!("{path}/rotate-secret"), Some(json!({})))
        .expect_error(403, "forbidden");
    assert_eq!(a.get(&path).expect(200).data()["status"], "enabled", "nothing was changed");
}
