//! Expenses (SPEC §6): create with its defaults, detail, every list filter, approval (reject
//! needs a note; un-approve), the approved lock, tombstones, `expense.created` and
//! `expense.approved` delivered to a webhook endpoint, 422s naming their fields, and another
//! tenant's key seeing nothing. (The invoiced lock needs invoices; it is tested natively, on
//! the guard in the write's statement: `storage::tests::expenses`.)

use serde_json::{json, Value};

use crate::client::{tenant, walk, Tenant};
use crate::receiver::{Behaviour, Receiver};
use crate::webhooks_delivery::{endpoint, WAIT};

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_string()
}

fn worker(t: &Tenant, name: &str) -> String {
    id(&t.worker(json!({"name": name})))
}

fn expense(t: &Tenant, body: Value) -> Value {
    t.post("/v1/expenses", body).expect(201).data().clone()
}

/// The ids a list query answers, in order.
fn listed(t: &Tenant, query: &str) -> Vec<String> {
    walk(t, &format!("/v1/expenses?{query}"), 200).iter().map(id).collect()
}

#[test]
fn create_defaults_detail_and_every_filter() {
    let t = tenant();
    let (ana, bo) = (worker(&t, "Ana Expense"), worker(&t, "Bo Expense"));
    let cus = t.post("/v1/customers", json!({"name": "Euro Co", "currency": "EUR"})).expect(201).data().clone();
    let job = id(t.post("/v1/jobs", json!({"name": "Billed", "customer_id": cus["id"]})).expect(201).data());
    let a = expense(
        &t,
        json!({"worker_id": ana, "job_id": job, "spent_date": "2026-03-02", "category": "mileage", "amount": 4520,
               "units": 42.5, "notes": "Site visit", "receipt_url": "https://receipts.example/a.pdf"}),
    );
    assert!(a["id"].as_str().unwrap().starts_with("xpn_"));
    assert!(a["harvest_id"].as_i64().unwrap() > 0);
    assert_eq!((a["currency"].as_str(), a["billable"].as_bool()), (Some("EUR"), Some(true)), "the customer's");
    assert_eq!((a["status"].as_str(), a["invoice_id"].clone()), (Some("pending"), Value::Null));
    assert_eq!((a["amount"].as_i64(), a["units"].as_f64()), (Some(4520), Some(42.5)));
    assert_eq!(t.get(&format!("/v1/expenses/{}", id(&a))).expect(200).data(), &a);
    let b = expense(
        &t,
        json!({"worker_id": bo, "spent_date": "2026-03-15", "category": "meals", "amount": 1800, "billable": false}),
    );
    assert_eq!(b["currency"], "USD", "no job: the tenant's");
    let c = expense(
        &t,
        json!({"worker_id": ana, "spent_date": "2026-04-01", "category": "meals", "amount": 900, "currency": "GBP"}),
    );
    t.post(&format!("/v1/expenses/{}/approve", id(&c)), json!({})).expect(200);
    let (a, b, c) = (id(&a), id(&b), id(&c));
    let cases: Vec<(String, Vec<&String>)> = vec![
        ("".into(), vec![&a, &b, &c]),
        ("from=2026-03-02&to=2026-03-15".into(), vec![&a, &b]),
        ("from=2026-03-03".into(), vec![&b, &c]),
        ("to=2026-03-02".into(), vec![&a]),
        (format!("worker_id={ana}"), vec![&a, &c]),
        (format!("worker_id={ana},{bo}&from=2026-03-10"), vec![&b, &c]),
        (format!("job_id={job}"), vec![&a]),
        ("category=meals".into(), vec![&b, &c]),
        ("category=mileage,travel".into(), vec![&a]),
        ("status=approved".into(), vec![&c]),
        ("status=pending&billable=true".into(), vec![&a]),
        ("billable=false".into(), vec![&b]),
        ("is_invoiced=false".into(), vec![&a, &b, &c]),
        ("is_invoiced=true".into(), vec![]),
        ("updated_since=2000-01-01".into(), vec![&a, &b, &c]),
        ("updated_since=2999-01-01".into(), vec![]),
    ];
    for (query, want) in cases {
        assert_eq!(listed(&t, &query), want.into_iter().cloned().collect::<Vec<_>>(), "{query}");
    }
    let page = t.get("/v1/expenses?limit=2").expect(200);
    assert_eq!(page.data().as_array().unwrap().len(), 2);
    assert!(page.body["meta"]["next_cursor"].is_string());
    for bad in ["from=2026-03-32", "to=20260301", "category=snacks", "status=done", "is_invoiced=yes", "colour=red"] {
        t.get(&format!("/v1/expenses?{bad}")).expect_error(400, "bad_request");
    }
}

#[test]
fn approval_reject_with_note_unapprove_and_the_lock() {
    let t = tenant();
    let w = worker(&t, "Lock Expense");
    let e =
        id(&expense(&t, json!({"worker_id": w, "spent_date": "2026-03-02", "category": "lodging", "amount": 12000})));
    let path = format!("/v1/expenses/{e}");
    t.post(&format!("{path}/reject"), json!({})).expect_error(422, "validation_failed");
    let rejected = t.post(&format!("{path}/reject"), json!({"note": "No receipt"})).expect(200).data().clone();
    assert_eq!(
        (rejected["status"].as_str(), rejected["rejection_note"].as_str()),
        (Some("rejected"), Some("No receipt"))
    );
    t.patch(&path, json!({"receipt_url": "https://receipts.example/e.pdf"})).expect(200);
    let approved = t.post(&format!("{path}/approve"), json!({})).expect(200).data().clone();
    assert_eq!(approved["status"], "approved");
    assert!(approved["approved_at"].is_string() && approved["approved_by"].as_str().unwrap().starts_with("key_"));
    assert_eq!(approved["rejection_note"], Value::Null);
    t.post(&format!("{path}/approve"), json!({})).expect_error(409, "conflict");
    t.post(&format!("{path}/reject"), json!({"note": "late"})).expect_error(409, "conflict");
    // Approved: locked until un-approved.
    t.patch(&path, json!({"amount": 1})).expect_error(409, "conflict");
    t.delete(&path).expect_error(409, "conflict");
    assert_eq!(t.get(&path).expect(200).data()["amount"], 12000);
    let pending = t.post(&format!("{path}/unapprove"), json!({})).expect(200).data().clone();
    assert_eq!((pending["status"].as_str(), pending["approved_at"].clone()), (Some("pending"), Value::Null));
    t.post(&format!("{path}/unapprove"), json!({})).expect_error(409, "conflict");
    assert_eq!(t.patch(&path, json!({"amount": 11000, "notes": null})).expect(200).data()["amount"], 11000);
    let tombstone = t.delete(&path).expect(200).data().clone();
    assert_eq!(tombstone["deleted"], true);
    t.get(&path).expect_error(404, "not_found");
    t.delete(&path).expect_error(404, "not_found");
    assert!(listed(&t, "").is_empty());
    let all = walk(&t, "/v1/expenses?include_deleted=true", 200);
    assert_eq!((all.len(), all[0]["deleted"].as_bool()), (1, Some(true)));
}

#[test]
fn created_and_approved_reach_a_webhook() {
    let rx = Receiver::start(Behaviour::Ok);
    let t = tenant();
    endpoint(&t, json!({"url": rx.url, "events": ["expense.created", "expense.approved"]}));
    let w = worker(&t, "Event Expense");
    let e = id(&expense(&t, json!({"worker_id": w, "spent_date": "2026-03-02", "category": "travel", "amount": 2500})));
    t.post(&format!("/v1/expenses/{e}/approve"), json!({})).expect(200);
    let got = rx.wait_delivered(2, WAIT);
    let mut seen: Vec<(String, String, String)> = got
        .iter()
        .map(|r| {
            let v = r.json();
            let s = |x: &Value| x.as_str().unwrap_or_default().to_string();
            (s(&v["event"]), s(&v["data"]["id"]), s(&v["data"]["status"]))
        })
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        vec![
            ("expense.approved".into(), e.clone(), "approved".into()),
            ("expense.created".into(), e.clone(), "pending".into()),
        ]
    );
}

#[test]
fn invalid_bodies_name_their_fields() {
    let t = tenant();
    let w = worker(&t, "Valid Expense");
    let fields = |body: Value| t.post("/v1/expenses", body).expect_error(422, "validation_failed").detail_fields();
    let got = fields(json!({"spent_date": "2026-02-30", "category": "snacks", "amount": -5}));
    for f in ["worker_id", "spent_date", "category", "amount"] {
        assert!(got.contains(&f.to_string()), "{f} in {got:?}");
    }
    let ok = json!({"worker_id": w, "spent_date": "2026-03-02", "category": "other", "amount": 100});
    let with = |k: &str, v: Value| {
        let mut b = ok.clone();
        b[k] = v;
        b
    };
    assert_eq!(fields(with("receipt_url", json!("ftp://x.example/r"))), ["receipt_url"]);
    assert_eq!(fields(with("currency", json!("XXX"))), ["currency"]);
    assert_eq!(fields(with("worker_id", json!("wkr_0193c2aa000070008000000000000001"))), ["worker_id"]);
    assert_eq!(fields(with("job_id", json!("job_0193c2aa000070008000000000000001"))), ["job_id"]);
    t.patch(&format!("/v1/workers/{w}/status"), json!({"status": "inactive"})).expect(200);
    let r = t.post("/v1/expenses", ok).expect_error(422, "validation_failed");
    assert_eq!(r.body["error"]["details"][0]["code"], "inactive");
}

#[test]
fn another_tenants_key_sees_nothing() {
    let (a, b) = (tenant(), tenant());
    let w = worker(&a, "Private Expense");
    let e = id(&expense(&a, json!({"worker_id": w, "spent_date": "2026-03-02", "category": "meals", "amount": 700})));
    let path = format!("/v1/expenses/{e}");
    b.get(&path).expect_error(404, "not_found");
    b.patch(&path, json!({"amount": 1})).expect_error(404, "not_found");
    b.post(&format!("{path}/approve"), json!({})).expect_error(404, "not_found");
    b.delete(&path).expect_error(404, "not_found");
    assert!(!b.get("/v1/expenses?include_deleted=true").expect(200).text.contains(&e));
    // B cannot file one against A's worker either.
    let r =
        b.post("/v1/expenses", json!({"worker_id": w, "spent_date": "2026-03-02", "category": "meals", "amount": 1}));
    assert_eq!(r.expect_error(422, "validation_failed").detail_fields(), ["worker_id"]);
    assert_eq!(a.get(&path).expect(200).data()["amount"], 700);
}
