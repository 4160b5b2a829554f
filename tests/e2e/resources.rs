//! The workforce resources served by the shared handlers — sites, departments, cost codes,
//! tasks, customers — driven through one table of cases: create, detail, list, update,
//! delete with tombstone, validation, cross-tenant 404.

use serde_json::{json, Value};

use crate::client::{tenant, walk};

struct Case {
    path: &'static str,
    prefix: &'static str,
    create: Value,
    update: Value,
    invalid: Vec<(Value, &'static str)>,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            path: "/v1/sites",
            prefix: "site_",
            create: json!({"name": "Harbour Yard", "address": "1 Quay St", "latitude": 40.4168, "longitude": -3.7038,
                           "geofence_radius_m": 150, "capacity": 40, "timezone": "Europe/Madrid"}),
            update: json!({"capacity": 55, "address": null}),
            invalid: vec![
                (json!({"name": "x", "latitude": 91}), "latitude"),
                (json!({"name": "x", "longitude": -180.5}), "longitude"),
                (json!({"name": "x", "geofence_radius_m": 0}), "geofence_radius_m"),
                (json!({"name": "x", "geofence_radius_m": -5}), "geofence_radius_m"),
                (json!({"name": "x", "timezone": "Europe/Atlantis"}), "timezone"),
                (json!({"name": "x", "capacity": -1}), "capacity"),
                (json!({"address": "no name"}), "name"),
            ],
        },
        Case {
            path: "/v1/departments",
            prefix: "dep_",
            create: json!({"name": "Electrical", "description": "Wiring crews"}),
            update: json!({"name": "Electrical & Data"}),
            invalid: vec![
                (json!({}), "name"),
                (json!({"name": ""}), "name"),
                (json!({"name": "x", "boss": "y"}), "boss"),
            ],
        },
        Case {
            path: "/v1/cost-codes",
            prefix: "cc_",
            create: json!({"code": "LAB-100", "name": "Labour"}),
            update: json!({"name": "Labour (general)"}),
            invalid: vec![(json!({"name": "no code"}), "code"), (json!({"code": "has space", "name": "x"}), "code")],
        },
        Case {
            path: "/v1/tasks",
            prefix: "tsk_",
            create: json!({"name": "Install", "billable_by_default": false, "default_hourly_rate": 4500}),
            update: json!({"billable_by_default": true}),
            invalid: vec![
                (json!({"name": "x", "billable_by_default": "yes"}), "billable_by_default"),
                (json!({"name": "x", "default_hourly_rate": 12.5}), "default_hourly_rate"),
            ],
        },
        Case {
            path: "/v1/customers",
            prefix: "cus_",
            create: json!({"name": "Acme Corp", "email": "ap@acme.example", "phone": "+34 600 000 000",
                           "address": "Gran Via 1", "currency": "EUR"}),
            update: json!({"phone": null, "currency": "USD"}),
            invalid: vec![
                (json!({"name": "x", "currency": "EURO"}), "currency"),
                (json!({"name": "x", "currency": "XYZ"}), "currency"),
                (json!({"name": "x", "email": "nope"}), "email"),
            ],
        },
    ]
}

#[test]
fn every_resource_supports_create_detail_list_update_delete() {
    let t = tenant();
    for c in cases() {
        let created = t.post(c.path, c.create.clone()).expect(201).data().clone();
        let id = created["id"].as_str().unwrap().to_string();
        assert!(id.starts_with(c.prefix), "{id}");
        for (k, v) in c.create.as_object().unwrap() {
            assert_eq!(
                created[k].as_f64().map(|f| json!(f)).unwrap_or(created[k].clone()),
                v.as_f64().map(|f| json!(f)).unwrap_or(v.clone()),
                "{} {k}",
                c.path
            );
        }
        assert!(created["created_at"].as_str().unwrap().ends_with('Z'));
        let item = format!("{}/{id}", c.path);
        assert_eq!(t.get(&item).expect(200).data(), &created);
        let listed = walk(&t, c.path, 50);
        assert_eq!(listed, vec![created.clone()]);

        let updated = t.patch(&item, c.update.clone()).expect(200).data().clone();
        for (k, v) in c.update.as_object().unwrap() {
            assert_eq!(&updated[k], v, "{} {k}", c.path);
        }
        assert_eq!(updated["id"], created["id"]);

        let gone = t.delete(&item).expect(200);
        assert_eq!(gone.data()["deleted"], true);
        t.get(&item).expect_error(404, "not_found");
        assert!(walk(&t, c.path, 50).is_empty());
        let tomb = walk(&t, &format!("{}?include_deleted=true", c.path), 50);
        assert_eq!(tomb.len(), 1);
        assert_eq!(tomb[0]["deleted"], true);
    }
}

#[test]
fn every_resource_validates_its_fields() {
    let t = tenant();
    for c in cases() {
        for (body, field) in c.invalid {
            let r = t.post(c.path, body.clone()).expect_error(422, "validation_failed");
            assert!(r.detail_fields().contains(&field.to_string()), "{} {body}: {}", c.path, r.text);
        }
        assert!(walk(&t, c.path, 50).is_empty(), "{}: nothing written", c.path);
    }
}

#[test]
fn every_resource_is_tenant_scoped() {
    let (a, b) = (tenant(), tenant());
    for c in cases() {
        let id = a.post(c.path, c.create.clone()).expect(201).data()["id"].as_str().unwrap().to_string();
        let item = format!("{}/{id}", c.path);
        b.get(&item).expect_error(404, "not_found");
        b.patch(&item, c.update.clone()).expect_error(404, "not_found");
        b.delete(&item).expect_error(404, "not_found");
        assert!(!b.get(&format!("{}?include_deleted=true", c.path)).expect(200).text.contains(&id));
        a.get(&item).expect(200);
    }
}

#[test]
fn cost_codes_are_unique_per_tenant() {
    let (a, b) = (tenant(), tenant());
    a.post("/v1/cost-codes", json!({"code": "MAT-1", "name": "Materials"})).expect(201);
    let r = a.post("/v1/cost-codes", json!({"code": "MAT-1", "name": "Again"})).expect_error(409, "conflict");
    assert!(r.text.contains("code"));
    b.post("/v1/cost-codes", json!({"code": "MAT-1", "name": "Elsewhere"})).expect(201);
}

#[test]
fn defaults_and_filters() {
    let t = tenant();
    let site = t.post("/v1/sites", json!({"name": "Plain"})).expect(201).data().clone();
    assert_eq!(site["geofence_radius_m"], 100.0);
    let cus = t.post("/v1/customers", json!({"name": "No Currency"})).expect(201).data().clone();
    assert_eq!(cus["currency"], "USD");
    t.patch(&format!("/v1/customers/{}", cus["id"].as_str().unwrap()), json!({"currency": null}))
        .expect_error(422, "validation_failed");
    t.post("/v1/customers", json!({"name": "Euro Co", "currency": "EUR"})).expect(201);
    t.post("/v1/customers", json!({"name": "Pound Co", "currency": "GBP"})).expect(201);
    let names =
        |q: &str| -> Vec<String> { walk(&t, q, 50).iter().map(|c| c["name"].as_str().unwrap().to_string()).collect() };
    assert_eq!(names("/v1/customers?currency=EUR,GBP"), vec!["Euro Co", "Pound Co"]);
    assert_eq!(names("/v1/customers?q=pound"), vec!["Pound Co"]);
    t.get("/v1/customers?currency=DOGE").expect_error(400, "bad_request");
    let task = t.post("/v1/tasks", json!({"name": "Survey"})).expect(201).data().clone();
    assert_eq!(task["billable_by_default"], true);
    t.post("/v1/tasks", json!({"name": "Travel", "billable_by_default": false})).expect(201);
    let tasks =
        |q: &str| -> Vec<String> { walk(&t, q, 50).iter().map(|c| c["name"].as_str().unwrap().to_string()).collect() };
    assert_eq!(tasks("/v1/tasks?billable_by_default=false"), vec!["Travel"]);
    t.get("/v1/tasks?billable_by_default=sometimes").expect_error(400, "bad_request");
}

#[test]
fn referenced_objects_cannot_be_deleted() {
    let t = tenant();
    let site = t.post("/v1/sites", json!({"name": "Busy"})).expect(201).data()["id"].as_str().unwrap().to_string();
    let dep = t.post("/v1/departments", json!({"name": "Ops"})).expect(201).data()["id"].as_str().unwrap().to_string();
    let cus = t.post("/v1/customers", json!({"name": "Client"})).expect(201).data()["id"].as_str().unwrap().to_string();
    let job = t.post("/v1/jobs", json!({"name": "Fitout", "site_id": site, "customer_id": cus})).expect(201).data()
        ["id"]
        .clone();
    let w = t.worker(json!({"name": "Dee", "department_id": dep}));
    let r = t.delete(&format!("/v1/sites/{site}")).expect_error(409, "conflict");
    assert!(r.body["error"]["message"].is_string());
    t.delete(&format!("/v1/customers/{cus}")).expect_error(409, "conflict");
    t.delete(&format!("/v1/departments/{dep}")).expect_error(409, "conflict");
    // Once the references are gone, the deletes go through.
    t.delete(&format!("/v1/jobs/{}", job.as_str().unwrap())).expect(200);
    t.delete(&format!("/v1/workers/{}", w["id"].as_str().unwrap())).expect(200);
    t.delete(&format!("/v1/sites/{site}")).expect(200);
    t.delete(&format!("/v1/customers/{cus}")).expect(200);
    t.delete(&format!("/v1/departments/{dep}")).expect(200);
}
