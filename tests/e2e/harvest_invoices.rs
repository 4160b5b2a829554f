//! `/v2/invoices` (SPEC §9) as Harvest clients use them: a `line_items_import` makes the same
//! invoice a `/v1` import makes (the same entries and expenses billed, the same amounts, here
//! as decimals), limited to its `project_ids`; the list and detail in Harvest's shape and
//! envelope with their filters; explicit `line_items`; an import with nothing left is 422
//! `{message, code}`; another account sees nothing.

use serde_json::{json, Value};

use crate::client::{req, tenant, Tenant};
use crate::harvest::v2;

fn text_id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_string()
}

/// An approved entry of `worker` on `job` (and `task`) over `[from, to)`.
fn approved_entry(t: &Tenant, worker: &str, job: &str, task: &str, span: (&str, &str)) -> String {
    let body = json!({"worker_id": worker, "job_id": job, "task_id": task, "started_at": span.0, "ended_at": span.1});
    let te = text_id(t.post("/v1/time-entries", body).expect(201).data());
    t.post(&format!("/v1/time-entries/{te}/approve"), json!({})).expect(200);
    te
}

/// A customer (EUR) with two jobs, each with approved billable time in March, and an approved
/// billable expense on the first: `(customer, [job_a, job_b], [entry_a1, entry_a2, entry_b], expense)`.
fn billable_customer(t: &Tenant, worker: &str, task: &str, name: &str) -> (Value, [Value; 2], [String; 3], String) {
    let cus = t.post("/v1/customers", json!({"name": name, "currency": "EUR"})).expect(201).data().clone();
    let job = |n: &str| t.post("/v1/jobs", json!({"name": n, "customer_id": cus["id"]})).expect(201).data().clone();
    let (a, b) = (job("Roof"), job("Walls"));
    let (ja, jb) = (text_id(&a), text_id(&b));
    // 90 + 20 minutes at 33.33 an hour: 61.105 → 61.10 (half to even, on the summed time).
    let a1 = approved_entry(t, worker, &ja, task, ("2026-03-02T08:00:00Z", "2026-03-02T09:30:00Z"));
    let a2 = approved_entry(t, worker, &ja, task, ("2026-03-03T08:00:00Z", "2026-03-03T08:20:00Z"));
    let b1 = approved_entry(t, worker, &jb, task, ("2026-03-04T08:00:00Z", "2026-03-04T09:00:00Z"));
    let expense = json!({"worker_id": worker, "job_id": ja, "category": "travel", "spent_date": "2026-03-05",
                         "amount": 1250, "notes": "Train"});
    let xpn = text_id(t.post("/v1/expenses", expense).expect(201).data());
    t.post(&format!("/v1/expenses/{xpn}/approve"), json!({})).expect(200);
    (cus, [a, b], [a1, a2, b1], xpn)
}

fn invoice_of(t: &Tenant, path: &str) -> Value {
    t.get(path).expect(200).data()["invoice_id"].clone()
}

#[test]
fn a_harvest_import_is_the_v1_import() {
    let t = tenant();
    let worker = text_id(&t.worker(json!({"name": "Ina Voice"})));
    let task = t.post("/v1/tasks", json!({"name": "Fit", "default_hourly_rate": 3333})).expect(201).data().clone();
    let task = text_id(&task);
    let (cus, [job_a, job_b], [a1, a2, b1], xpn) = billable_customer(&t, &worker, &task, "Acme");
    // The same work by a second worker (one worker's entries never overlap).
    let twin_worker = text_id(&t.worker(json!({"name": "Tom Win"})));
    let (twin, [twin_a, _], _, _) = billable_customer(&t, &twin_worker, &task, "Twin");

    // The same billing on /v1 (the twin customer, its first job only) and on /v2.
    let v1 = t.post(
        "/v1/invoices",
        json!({"customer_id": twin["id"], "from": "2026-03-01", "to": "2026-03-31", "job_ids": [twin_a["id"]]}),
    );
    let v1 = v1.expect(201).data().clone();
    let range = json!({"summary_type": "project", "from": "2026-03-01", "to": "2026-03-31"});
    let import = json!({"client_id": cus["harvest_id"], "subject": "March", "currency": "EUR",
        "line_items_import": {"project_ids": [job_a["harvest_id"]], "time": range, "expenses": range}});
    let inv = v2(&t, "POST", "/v2/invoices", Some(import.clone())).expect(201).body;
    assert!(inv.get("data").is_none(), "a bare object");
    assert_eq!(
        (inv["client"]["id"].clone(), inv["client"]["name"].as_str()),
        (cus["harvest_id"].clone(), Some("Acme"))
    );
    assert_eq!(
        (inv["state"].as_str(), inv["currency"].as_str(), inv["subject"].as_str()),
        (Some("draft"), Some("EUR"), Some("March"))
    );
    assert_eq!((inv["period_start"].as_str(), inv["period_end"].as_str()), (Some("2026-03-01"), Some("2026-03-31")));
    assert_eq!(
        (inv["payment_term"].as_str(), inv["tax"].clone(), inv["estimate"].clone()),
        (Some("custom"), Value::Null, Value::Null)
    );
    assert!(!inv["created_at"].as_str().unwrap().contains('.'), "no fractional seconds");
    // 61.10 for the time, 12.50 for the expense.
    assert_eq!((inv["amount"].as_f64(), inv["due_amount"].as_f64()), (Some(73.6), Some(73.6)));
    assert_eq!(v1["amount"], 7360);
    let lines: Vec<Value> = inv["line_items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| json!([l["kind"], l["quantity"], l["unit_price"], l["amount"], l["project"]["id"]]))
        .collect();
    assert_eq!(
        lines,
        [
            json!(["Service", 1.8333, 33.33, 61.1, job_a["harvest_id"]]),
            json!(["Product", 1, 12.5, 12.5, job_a["harvest_id"]])
        ]
    );
    // The /v1 view of the same invoice, and the twin's /v1 import: the same lines in minor units.
    let v1_lines = |i: &Value| -> Vec<Value> {
        let ls = i["line_items"].as_array().unwrap();
        ls.iter().map(|l| json!([l["kind"], l["quantity"], l["unit_price"], l["amount"]])).collect()
    };
    let on_v1 = t.get(&format!("/v1/invoices/{}", inv["client_key"].as_str().unwrap())).expect(200).data().clone();
    assert_eq!((on_v1["harvest_id"].clone(), on_v1["amount"].as_i64()), (inv["id"].clone(), Some(7360)));
    assert_eq!(v1_lines(&on_v1), v1_lines(&v1));
    assert_eq!(v1_lines(&on_v1)[0], json!(["service", 1.8333, 3333, 6110]));
    // Exactly the project's billable entries and expense are on it; the other project's are not.
    for te in [&a1, &a2] {
        assert_eq!(invoice_of(&t, &format!("/v1/time-entries/{te}")), on_v1["id"]);
    }
    assert_eq!(invoice_of(&t, &format!("/v1/expenses/{xpn}")), on_v1["id"]);
    assert_eq!(invoice_of(&t, &format!("/v1/time-entries/{b1}")), Value::Null);
    let is_billed = v2(&t, "GET", &format!("/v2/time_entries?is_billed=true&client_id={}", cus["harvest_id"]), None);
    assert_eq!(is_billed.expect(200).body["total_entries"], 2);

    // Nothing left of that project: 422 in Harvest's error body.
    let again = v2(&t, "POST", "/v2/invoices", Some(import)).expect(422).body;
    assert_eq!(again["code"], "validation_failed");
    assert!(again["message"].as_str().is_some_and(|m| !m.is_empty()), "{again}");
    // Another client's project, a foreign currency, and a missing range are named.
    let message = |body: Value| {
        v2(&t, "POST", "/v2/invoices", Some(body)).expect(422).body["message"].as_str().unwrap().to_string()
    };
    let foreign = json!({"client_id": cus["harvest_id"], "line_items_import": {"project_ids": [twin_a["harvest_id"]], "time": range}});
    assert!(message(foreign).contains("line_items_import.project_ids (not_found)"));
    let yen = json!({"client_id": cus["harvest_id"], "currency": "JPY", "line_items": []});
    assert!(message(yen).contains("currency (not_allowed)"));
    let open = json!({"client_id": cus["harvest_id"], "line_items_import": {"project_ids": [job_b["harvest_id"]], "time": {"from": "2026-03-01"}}});
    assert!(message(open).contains("line_items_import.time.to (required)"));
}

#[test]
fn invoices_list_filter_and_create_from_lines() {
    let t = tenant();
    let acme = t.post("/v1/customers", json!({"name": "Acme", "currency": "EUR"})).expect(201).data().clone();
    let yen = t.post("/v1/customers", json!({"name": "Yen Co", "currency": "JPY"})).expect(201).data().clone();
    let job = t.post("/v1/jobs", json!({"name": "Roof", "customer_id": acme["id"]})).expect(201).data().clone();
    let lines = json!([
        {"kind": "Service", "description": "Design", "quantity": 2, "unit_price": 80.125, "project_id": job["harvest_id"]},
        {"kind": "Product", "unit_price": 12.34, "taxed": false}]);
    let body = json!({"client_id": acme["harvest_id"], "number": "H-7", "issue_date": "2026-03-10", "due_date": "2026-04-09", "line_items": lines});
    let first = v2(&t, "POST", "/v2/invoices", Some(body)).expect(201).body;
    // 2 × 80.12 (80.125 half to even) + 12.34.
    assert_eq!((first["number"].as_str(), first["amount"].as_f64()), (Some("H-7"), Some(172.58)));
    let l = &first["line_items"];
    assert_eq!(
        (l[0]["id"].as_i64(), l[0]["kind"].as_str(), l[0]["unit_price"].as_f64()),
        (Some(1), Some("Service"), Some(80.12))
    );
    assert_eq!((l[0]["project"]["name"].as_str(), l[0]["taxed"].as_bool()), (Some("Roof"), Some(false)));
    assert_eq!((l[1]["description"].as_str(), l[1]["project"].clone()), (Some("Product"), Value::Null));
    let key = first["client_key"].as_str().unwrap().to_string();
    assert_eq!(t.get(&format!("/v1/invoices/{key}")).expect(200).data()["amount"], 17258);
    let second = v2(
        &t,
        "POST",
        "/v2/invoices",
        Some(json!({"client_id": yen["harvest_id"], "issue_date": "2026-04-02",
        "line_items": [{"kind": "Service", "description": "Day", "unit_price": 50000}]})),
    )
    .expect(201)
    .body;
    assert_eq!((second["amount"].as_f64(), second["number"].as_str()), (Some(50000.0), Some("INV-000001")));
    let empty =
        v2(&t, "POST", "/v2/invoices", Some(json!({"client_id": acme["harvest_id"], "issue_date": "2026-05-01"})))
            .expect(201)
            .body;
    assert_eq!((empty["amount"].as_f64(), empty["line_items"].as_array().map(Vec::len)), (Some(0.0), Some(0)));
    t.post(&format!("/v1/invoices/{key}/send"), json!({})).expect(200);
    t.post(&format!("/v1/invoices/{key}/pay"), json!({})).expect(200);

    // Newest first, in Harvest's envelope; the filters.
    let ids = |query: &str| -> Vec<Value> {
        let page = v2(&t, "GET", &format!("/v2/invoices{query}"), None).expect(200).body;
        page["invoices"].as_array().unwrap().iter().map(|i| i["id"].clone()).collect()
    };
    let page = v2(&t, "GET", "/api/v2/invoices/?per_page=2", None).expect(200).body;
    assert_eq!(
        (page["total_entries"].as_i64(), page["total_pages"].as_i64(), page["next_page"].as_i64()),
        (Some(3), Some(2), Some(2))
    );
    assert!(page["links"]["next"].as_str().unwrap().starts_with("http://127.0.0.1:"), "absolute links");
    let all = ids("");
    assert_eq!(all, [empty["id"].clone(), second["id"].clone(), first["id"].clone()]);
    assert_eq!(ids(&format!("?client_id={}", acme["harvest_id"])), [empty["id"].clone(), first["id"].clone()]);
    assert_eq!(ids("?state=paid"), [first["id"].clone()]);
    assert_eq!(ids("?state=draft&state=open").len(), 0, "the last value of a repeated parameter");
    assert_eq!(ids("?from=20260401&to=2026-04-30"), [second["id"].clone()]);
    assert_eq!(ids("?updated_since=2000-01-01T00:00:00Z").len(), 3);
    v2(&t, "GET", "/v2/invoices?state=sent", None).expect(422);
    let paid = v2(&t, "GET", &format!("/v2/invoices/{}", first["id"]), None).expect(200).body;
    assert_eq!(
        (paid["state"].as_str(), paid["due_amount"].as_f64(), paid["amount"].as_f64()),
        (Some("paid"), Some(0.0), Some(172.58))
    );
    assert_eq!(paid["paid_date"].as_str().map(str::len), Some(10));
    v2(&t, "GET", "/v2/invoices/999999999", None).expect(404);
    v2(&t, "GET", &format!("/v2/invoices/{key}"), None).expect(404);

    // Another account sees and bills none of it.
    let stranger = tenant();
    v2(&stranger, "GET", &format!("/v2/invoices/{}", first["id"]), None).expect(404);
    assert_eq!(v2(&stranger, "GET", "/v2/invoices", None).expect(200).body["total_entries"], 0);
    let theirs = json!({"client_id": acme["harvest_id"], "line_items": []});
    assert!(v2(&stranger, "POST", "/v2/invoices", Some(theirs)).expect(422).body["message"]
        .as_str()
        .unwrap()
        .contains("client_id"));
    let r = req("GET", "/v2/invoices").key(&stranger.key).header("Harvest-Account-Id", &t.id).send();
    assert_eq!(r.status, 403, "{}", r.text);
}
