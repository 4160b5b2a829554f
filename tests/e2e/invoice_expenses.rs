//! Invoices with expenses and job rates (SPEC §6): an import bills the customer's approved,
//! billable, not yet invoiced expenses of the range as one line each, and time without a task
//! rate at the job's `hourly_rate`; an invoiced expense is locked (409 on every change) until its
//! draft is deleted, and `is_invoiced` / `/v2` `is_billed` follow it.

use serde_json::{json, Value};

use crate::client::{req, tenant, Tenant};

fn make(t: &Tenant, path: &str, body: Value) -> String {
    t.post(path, body).expect(201).data()["id"].as_str().unwrap().to_string()
}

/// An expense of `w` on `job`, approved unless `status` is `pending`.
fn expense(t: &Tenant, w: &str, job: &str, day: &str, amount: i64, status: &str, extra: Value) -> String {
    let mut body = json!({"worker_id": w, "job_id": job, "spent_date": day, "category": "materials", "amount": amount});
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    let x = make(t, "/v1/expenses", body);
    if status == "approved" {
        t.post(&format!("/v1/expenses/{x}/approve"), json!({})).expect(200);
    }
    x
}

fn approved_entry(t: &Tenant, w: &str, job: &str, task: Option<&str>, from: &str, to: &str) -> String {
    let body = json!({"worker_id": w, "job_id": job, "task_id": task, "started_at": from, "ended_at": to});
    let te = make(t, "/v1/time-entries", body);
    t.post(&format!("/v1/time-entries/{te}/approve"), json!({})).expect(200);
    te
}

#[test]
fn an_import_bills_expenses_and_job_rates_and_locks_the_expenses() {
    let t = tenant();
    let w = t.worker(json!({"name": "Exp Ense"}))["id"].as_str().unwrap().to_string();
    let cus = make(&t, "/v1/customers", json!({"name": "Acme"}));
    let other = make(&t, "/v1/customers", json!({"name": "Other"}));
    let job = make(&t, "/v1/jobs", json!({"name": "Roof", "customer_id": cus, "hourly_rate": 4000}));
    let elsewhere = make(&t, "/v1/jobs", json!({"name": "Elsewhere", "customer_id": other}));
    let design = make(&t, "/v1/tasks", json!({"name": "Design", "default_hourly_rate": 6000}));
    // 2 h without a task: the job's 40.00; 1 h of Design: the task's 60.00 wins.
    let at_job = approved_entry(&t, &w, &job, None, "2026-03-02T08:00:00Z", "2026-03-02T10:00:00Z");
    let at_task = approved_entry(&t, &w, &job, Some(&design), "2026-03-03T08:00:00Z", "2026-03-03T09:00:00Z");
    let billed = expense(&t, &w, &job, "2026-03-04", 1_234, "approved", json!({"notes": "nails"}));
    let excluded = [
        expense(&t, &w, &job, "2026-03-05", 100, "pending", json!({})),
        expense(&t, &w, &job, "2026-03-06", 200, "approved", json!({"billable": false})),
        expense(&t, &w, &job, "2026-04-01", 300, "approved", json!({})),
        expense(&t, &w, &elsewhere, "2026-03-07", 400, "approved", json!({})),
    ];
    let inv = t
        .post(
            "/v1/invoices",
            json!({"customer_id": cus, "from": "2026-03-01", "to": "2026-03-31", "include": {"time": true, "expenses": true}}),
        )
        .expect(201)
        .data()
        .clone();
    let lines: Vec<Value> = inv["line_items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| json!([l["kind"], l["quantity"], l["unit_price"], l["amount"], l["time_entry_ids"], l["expense_ids"]]))
        .collect();
    assert_eq!(
        lines,
        [
            json!(["service", 2, 4000, 8000, [at_job], null]),
            json!(["service", 1, 6000, 6000, [at_task], null]),
            json!(["expense", 1, 1234, 1234, null, [billed]]),
        ]
    );
    assert_eq!((inv["amount"].as_i64(), inv["currency"].as_str()), (Some(15_234), Some("USD")));
    let inv_id = inv["id"].as_str().unwrap().to_string();
    let path = format!("/v1/expenses/{billed}");
    assert_eq!(t.get(&path).expect(200).data()["invoice_id"], inv["id"]);
    for x in &excluded {
        assert!(t.get(&format!("/v1/expenses/{x}")).expect(200).data()["invoice_id"].is_null(), "{x} was billed");
    }
    let count = |q: &str| t.get(&format!("/v1/expenses?{q}")).expect(200).data().as_array().unwrap().len();
    assert_eq!((count("is_invoiced=true"), count("is_invoiced=false")), (1, 4));
    let v2 = req("GET", "/v2/expenses?is_billed=true").key(&t.key).header("Harvest-Account-Id", &t.id).send();
    let v2 = v2.expect(200).body;
    assert_eq!(v2["total_entries"], 1);
    assert_eq!(
        (v2["expenses"][0]["is_billed"].as_bool(), v2["expenses"][0]["is_locked"].as_bool()),
        (Some(true), Some(true))
    );
    assert_eq!(v2["expenses"][0]["invoice"]["number"], inv["number"]);
    // Invoiced: every change is refused.
    t.patch(&path, json!({"notes": "screws"})).expect_error(409, "conflict");
    t.delete(&path).expect_error(409, "conflict");
    t.post(&format!("{path}/unapprove"), json!({})).expect_error(409, "conflict");
    t.post(&format!("{path}/reject"), json!({"note": "no"})).expect_error(409, "conflict");
    // Deleting the draft frees it: approved (so still locked for edits) but un-approvable again.
    t.delete(&format!("/v1/invoices/{inv_id}")).expect(200);
    assert!(t.get(&path).expect(200).data()["invoice_id"].is_null());
    t.patch(&path, json!({"notes": "screws"})).expect_error(409, "conflict");
    t.post(&format!("{path}/unapprove"), json!({})).expect(200);
    t.patch(&path, json!({"notes": "screws"})).expect(200);
    // An import of expenses alone bills the expense and none of the (freed) time.
    t.post(&format!("{path}/approve"), json!({})).expect(200);
    let only = json!({"customer_id": cus, "from": "2026-03-01", "to": "2026-03-31", "include": {"time": false, "expenses": true}});
    let only = t.post("/v1/invoices", only).expect(201).data().clone();
    assert_eq!((only["amount"].as_i64(), only["line_items"][0]["expense_ids"].clone()), (Some(1_234), json!([billed])));
    assert_eq!(only["line_items"].as_array().map(Vec::len), Some(1));
    for te in [&at_job, &at_task] {
        assert!(t.get(&format!("/v1/time-entries/{te}")).expect(200).data()["invoice_id"].is_null());
    }
}
