//! `/v2/expenses` and `/v2/expense_categories` (SPEC §9) as Harvest clients use them: a create
//! on `/v2` seen on `/v1` with the same amount in minor units, `total_cost` a decimal of the
//! currency, the list's filters, the approval lock (422 here), and a bodiless DELETE with a
//! JSON content type answering `{}`.

use serde_json::{json, Value};

use crate::client::{req, tenant};
use crate::harvest::v2;

#[test]
fn expenses_on_v2_are_expenses_on_v1() {
    let t = tenant();
    let cus = t.post("/v1/customers", json!({"name": "Yen Co", "currency": "JPY"})).expect(201).data().clone();
    let job = t.post("/v1/jobs", json!({"name": "Tokyo fit-out", "customer_id": cus["id"]})).expect(201).data().clone();
    let worker = t.worker(json!({"name": "Kei Harvest"}));
    let other = t.worker(json!({"name": "Olga Other"}));

    let categories = v2(&t, "GET", "/v2/expense_categories", None).expect(200).body;
    let names: Vec<&str> =
        categories["expense_categories"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Mileage", "Meals", "Lodging", "Travel", "Materials", "Equipment", "Other"]);
    let mileage = &categories["expense_categories"][0];
    assert_eq!((mileage["id"].as_i64(), mileage["unit_name"].as_str()), (Some(1), Some("mile")));
    assert_eq!((categories["total_entries"].as_i64(), categories["total_pages"].as_i64()), (Some(7), Some(1)));

    // No project: the company's currency (USD), cents from a decimal.
    let body = json!({"user_id": worker["harvest_id"], "expense_category_id": 2, "spent_date": "2026-03-02",
                      "total_cost": 12.34, "notes": "Lunch", "billable": false});
    let lunch = v2(&t, "POST", "/v2/expenses", Some(body)).expect(201).body;
    assert_eq!((lunch["total_cost"].as_f64(), lunch["is_billed"].as_bool()), (Some(12.34), Some(false)));
    assert_eq!((lunch["expense_category"]["name"].as_str(), lunch["billable"].as_bool()), (Some("Meals"), Some(false)));
    assert_eq!((lunch["project"]["id"].as_i64(), lunch["client"]["name"].as_str()), (Some(0), Some("(none)")));
    assert_eq!((lunch["user"]["id"].clone(), lunch["invoice"].clone()), (worker["harvest_id"].clone(), Value::Null));
    assert!(!lunch["created_at"].as_str().unwrap().contains('.'), "no fractional seconds");
    let on_v1 = |harvest_id: &Value| -> Value {
        let all = t.get("/v1/expenses?limit=200").expect(200);
        all.data().as_array().unwrap().iter().find(|e| e["harvest_id"] == *harvest_id).cloned().expect("on /v1")
    };
    let v1 = on_v1(&lunch["id"]);
    assert_eq!(
        (v1["amount"].as_i64(), v1["currency"].as_str(), v1["category"].as_str()),
        (Some(1234), Some("USD"), Some("meals"))
    );
    assert_eq!(v1["worker_id"], worker["id"]);

    // A project of a JPY client: yen have no minor unit.
    let body = json!({"user_id": other["harvest_id"], "project_id": job["harvest_id"], "expense_category_id": 1,
                      "spent_date": "2026-03-10", "total_cost": 4500, "units": 30});
    let drive = v2(&t, "POST", "/v2/expenses", Some(body)).expect(201).body;
    assert_eq!((drive["total_cost"].as_f64(), drive["units"].as_f64()), (Some(4500.0), Some(30.0)));
    assert_eq!(
        (drive["client"]["id"].clone(), drive["client"]["currency"].as_str()),
        (cus["harvest_id"].clone(), Some("JPY"))
    );
    assert_eq!(drive["project"]["id"], job["harvest_id"]);
    assert_eq!(on_v1(&drive["id"])["amount"], 4500);
    assert_eq!(v2(&t, "GET", &format!("/api/v2/expenses/{}", drive["id"]), None).expect(200).body, drive);

    // Filters, newest first.
    let ids = |query: &str| -> Vec<Value> {
        let page = v2(&t, "GET", &format!("/v2/expenses{query}"), None).expect(200).body;
        page["expenses"].as_array().unwrap().iter().map(|e| e["id"].clone()).collect()
    };
    assert_eq!(ids(""), [drive["id"].clone(), lunch["id"].clone()]);
    assert_eq!(ids(&format!("?user_id={}", worker["harvest_id"])), [lunch["id"].clone()]);
    assert_eq!(ids(&format!("?project_id={}", job["harvest_id"])), [drive["id"].clone()]);
    assert_eq!(ids(&format!("?client_id={}", cus["harvest_id"])), [drive["id"].clone()]);
    assert_eq!(ids("?is_billed=false").len(), 2);
    assert!(ids("?is_billed=true").is_empty());
    assert_eq!(ids("?from=2026-03-03"), [drive["id"].clone()]);
    assert_eq!(ids("?to=20260302"), [lunch["id"].clone()]);
    assert_eq!(ids("?updated_since=2000-01-01T00:00:00Z").len(), 2);
    v2(&t, "GET", "/v2/expenses?from=yesterday", None).expect(422);

    // Update, the lock once approved on /v1, and a bodiless delete.
    let path = format!("/v2/expenses/{}", lunch["id"]);
    let changed = v2(&t, "PATCH", &path, Some(json!({"total_cost": 20, "expense_category_id": 7}))).expect(200).body;
    assert_eq!(
        (changed["total_cost"].as_f64(), changed["expense_category"]["name"].as_str()),
        (Some(20.0), Some("Other"))
    );
    assert_eq!(on_v1(&lunch["id"])["amount"], 2000);
    v2(&t, "POST", "/v2/expenses", Some(json!({"user_id": worker["harvest_id"], "expense_category_id": 8, "spent_date": "2026-03-02", "total_cost": 1})))
        .expect(422);
    let drive_v1 = on_v1(&drive["id"]);
    t.post(&format!("/v1/expenses/{}/approve", drive_v1["id"].as_str().unwrap()), json!({})).expect(200);
    let locked = v2(&t, "GET", "/v2/expenses", None).expect(200).body["expenses"][0].clone();
    assert_eq!((locked["is_locked"].as_bool(), locked["locked_reason"].as_str()), (Some(true), Some("Approved")));
    v2(&t, "PATCH", &format!("/v2/expenses/{}", drive["id"]), Some(json!({"notes": "late"}))).expect(422);
    let empty = |path: &str| {
        req("DELETE", path).key(&t.key).header("Harvest-Account-Id", &t.id).raw(Vec::new(), "application/json").send()
    };
    empty(&format!("/v2/expenses/{}", drive["id"])).expect(422);
    assert_eq!(empty(&path).expect(200).body, json!({}));
    v2(&t, "PATCH", &path, Some(json!({"notes": "gone"}))).expect(404);
    assert_eq!(ids(""), [drive["id"].clone()]);
    // Another account's key finds none of it.
    let stranger = tenant();
    v2(&stranger, "PATCH", &format!("/v2/expenses/{}", drive["id"]), Some(json!({"notes": "x"}))).expect(404);
    assert_eq!(v2(&stranger, "GET", "/v2/expenses", None).expect(200).body["total_entries"], 0);
}
