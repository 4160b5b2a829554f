//! Invoices (SPEC §6 "invoices"): an import bills exactly the customer's approved, billable,
//! not yet invoiced entries of the range, to the minor unit; concurrent imports bill each entry
//! once; a deleted draft frees its entries; the state machine and the locks; numbers; events.

use serde_json::{json, Value};

use crate::client::{tenant, Tenant};

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_string()
}

fn make(t: &Tenant, path: &str, body: Value) -> String {
    id(t.post(path, body).expect(201).data())
}

/// An entry of `w` on `job` (and `task`) over `[from, to)`; approved unless `status` says
/// otherwise (`pending` or `rejected`).
fn entry(t: &Tenant, w: &str, job: &str, task: Option<&str>, span: (&str, &str), status: &str, extra: Value) -> String {
    let mut body = json!({"worker_id": w, "job_id": job, "task_id": task, "started_at": span.0, "ended_at": span.1});
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    let te = make(t, "/v1/time-entries", body);
    match status {
        "approved" => {
            t.post(&format!("/v1/time-entries/{te}/approve"), json!({})).expect(200);
        }
        "rejected" => {
            t.post(&format!("/v1/time-entries/{te}/reject"), json!({"note": "no"})).expect(200);
        }
        _ => {}
    }
    te
}

fn import(t: &Tenant, cus: &str, from: &str, to: &str) -> crate::client::Resp {
    t.post(
        "/v1/invoices",
        json!({"customer_id": cus, "from": from, "to": to, "include": {"time": true, "expenses": true}}),
    )
}

fn invoice_of(t: &Tenant, te: &str) -> Value {
    t.get(&format!("/v1/time-entries/{te}")).expect(200).data()["invoice_id"].clone()
}

#[test]
fn an_import_bills_exactly_the_billable_entries_once() {
    let t = tenant();
    let rx = crate::receiver::Receiver::start(crate::receiver::Behaviour::Ok);
    crate::webhooks_delivery::endpoint(&t, json!({"url": rx.url, "events": ["invoice.created", "invoice.paid"]}));
    let w = id(&t.worker(json!({"name": "Bill Able"})));
    let cus = make(&t, "/v1/customers", json!({"name": "Acme", "currency": "EUR"}));
    let other = make(&t, "/v1/customers", json!({"name": "Other"}));
    let job_a = make(&t, "/v1/jobs", json!({"name": "Roof", "customer_id": cus}));
    let job_b = make(&t, "/v1/jobs", json!({"name": "Walls", "customer_id": cus}));
    let job_c = make(&t, "/v1/jobs", json!({"name": "Elsewhere", "customer_id": other}));
    let design = make(&t, "/v1/tasks", json!({"name": "Design", "default_hourly_rate": 5000}));
    let odd = make(&t, "/v1/tasks", json!({"name": "Odd", "default_hourly_rate": 3333}));
    let none = json!({});
    let ok = "approved";
    // Billed by a first import over 1–5 March, so already invoiced for the second.
    let e1 = entry(&t, &w, &job_a, Some(&design), ("2026-03-02T08:00:00Z", "2026-03-02T10:00:00Z"), ok, none.clone());
    let e2 = entry(&t, &w, &job_a, Some(&design), ("2026-03-10T08:00:00Z", "2026-03-10T09:30:00Z"), ok, none.clone());
    // 30 minutes at 3,333 an hour: 1,666.5 → 1,666 (half to even).
    let e3 = entry(&t, &w, &job_b, Some(&odd), ("2026-03-11T08:00:00Z", "2026-03-11T08:30:00Z"), ok, none.clone());
    // No task rate and no job rate: billed at 0.
    let e4 = entry(&t, &w, &job_b, None, ("2026-03-12T08:00:00Z", "2026-03-12T09:00:00Z"), ok, none.clone());
    let excluded = [
        entry(&t, &w, &job_a, Some(&design), ("2026-03-13T08:00:00Z", "2026-03-13T09:00:00Z"), "pending", none.clone()),
        entry(
            &t,
            &w,
            &job_a,
            Some(&design),
            ("2026-03-14T08:00:00Z", "2026-03-14T09:00:00Z"),
            "rejected",
            none.clone(),
        ),
        entry(
            &t,
            &w,
            &job_a,
            Some(&design),
            ("2026-03-15T08:00:00Z", "2026-03-15T09:00:00Z"),
            ok,
            json!({"billable": false}),
        ),
        entry(&t, &w, &job_c, Some(&design), ("2026-03-16T08:00:00Z", "2026-03-16T09:00:00Z"), ok, none.clone()),
        // 00:30 on 1 April in Madrid: outside the range of local days.
        entry(&t, &w, &job_a, Some(&design), ("2026-03-31T22:30:00Z", "2026-03-31T23:30:00Z"), ok, none.clone()),
    ];

    let first = import(&t, &cus, "2026-03-01", "2026-03-05").expect(201).data().clone();
    assert_eq!((first["number"].as_str(), first["amount"].as_i64()), (Some("INV-000001"), Some(10_000)));
    assert_eq!(first["line_items"][0]["time_entry_ids"], json!([e1]));
    let inv = import(&t, &cus, "2026-03-01", "2026-03-31").expect(201).data().clone();
    assert!(inv["id"].as_str().unwrap().starts_with("inv_") && inv["harvest_id"].as_i64().unwrap() > 0);
    let lines: Vec<Value> = inv["line_items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| json!([l["kind"], l["job_id"], l["quantity"], l["unit_price"], l["amount"], l["time_entry_ids"]]))
        .collect();
    assert_eq!(
        lines,
        [
            json!(["service", job_a, 1.5, 5000, 7500, [e2]]),
            json!(["service", job_b, 0.5, 3333, 1666, [e3]]),
            json!(["service", job_b, 1, 0, 0, [e4]]),
        ]
    );
    assert_eq!(inv["line_items"][0]["description"], "Roof");
    let expect = json!({"number": "INV-000002", "customer_id": cus, "currency": "EUR", "state": "draft",
        "amount": 9166, "due_amount": 9166, "period_from": "2026-03-01", "period_to": "2026-03-31"});
    for (k, v) in expect.as_object().unwrap() {
        assert_eq!(&inv[k], v, "{k}");
    }
    assert_eq!(inv["issue_date"].as_str().map(str::len), Some(10));
    let path = format!("/v1/invoices/{}", id(&inv));
    assert_eq!(t.get(&path).expect(200).data(), &inv);
    for te in [&e2, &e3, &e4] {
        assert_eq!(invoice_of(&t, te), inv["id"]);
    }
    for te in &excluded {
        assert!(invoice_of(&t, te).is_null(), "{te} was billed");
    }
    let listed = t.get("/v1/time-entries?is_invoiced=true").expect(200);
    assert_eq!(listed.data().as_array().unwrap().len(), 4);
    assert_eq!(t.get("/v1/time-entries?is_invoiced=false").expect(200).data().as_array().unwrap().len(), 5);
    // On /v2, billed means invoiced.
    let v2 = |p: &str| crate::client::req("GET", p).key(&t.key).header("Harvest-Account-Id", &t.id).send().expect(200);
    assert_eq!(v2("/v2/time_entries?is_billed=true").body["total_entries"], 4);
    assert_eq!(v2("/v2/time_entries?is_billed=false").body["total_entries"], 5);
    let billed = v2("/v2/time_entries?is_billed=true").body["time_entries"][0].clone();
    assert_eq!((billed["is_billed"].as_bool(), billed["is_locked"].as_bool()), (Some(true), Some(true)));
    // Nothing is left to bill.
    import(&t, &cus, "2026-03-01", "2026-03-31").expect_error(422, "validation_failed");

    // An invoiced entry is locked: no edit, delete, un-approval or rejection.
    let te = format!("/v1/time-entries/{e2}");
    let r = t.patch(&te, json!({"notes": "later"})).expect_error(409, "conflict");
    assert!(r.text.contains("invoice"), "{}", r.text);
    t.delete(&te).expect_error(409, "conflict");
    t.post(&format!("{te}/unapprove"), json!({})).expect_error(409, "conflict");
    t.post(&format!("{te}/reject"), json!({"note": "x"})).expect_error(409, "conflict");
    assert_eq!(t.get(&te).expect(200).data()["status"], "approved");

    // Deleting the draft frees them: they can be imported again, on a fresh number.
    t.delete(&path).expect(200);
    t.get(&path).expect_error(404, "not_found");
    assert!(invoice_of(&t, &e2).is_null());
    let again = import(&t, &cus, "2026-03-01", "2026-03-31").expect(201).data().clone();
    assert_eq!((again["number"].as_str(), again["amount"].as_i64()), (Some("INV-000003"), Some(9166)));
    assert_eq!(invoice_of(&t, &e3), again["id"]);

    // The customer cannot be deleted while it has invoices.
    t.delete(&format!("/v1/customers/{cus}")).expect_error(409, "conflict");
    let paid = format!("/v1/invoices/{}", id(&again));
    t.post(&format!("{paid}/send"), json!({})).expect(200);
    t.post(&format!("{paid}/pay"), json!({})).expect(200);
    let got = rx.wait_delivered(4, crate::webhooks_delivery::WAIT);
    let mut events: Vec<(String, Value)> = got
        .iter()
        .map(|r| r.json())
        .map(|b| (b["event"].as_str().unwrap().to_string(), b["data"]["id"].clone()))
        .collect();
    events.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(events.iter().filter(|(e, _)| e == "invoice.created").count(), 3);
    assert_eq!(events.last().unwrap(), &("invoice.paid".to_string(), again["id"].clone()));
}

#[test]
fn concurrent_imports_bill_each_entry_exactly_once() {
    let t = tenant();
    let w = id(&t.worker(json!({"name": "Many Entries"})));
    let cus = make(&t, "/v1/customers", json!({"name": "Busy"}));
    let job = make(&t, "/v1/jobs", json!({"name": "Busy job", "customer_id": cus}));
    let task = make(&t, "/v1/tasks", json!({"name": "Work", "default_hourly_rate": 1000}));
    let mut entries = Vec::new();
    for day in 1..=24 {
        let span = (format!("2026-04-{day:02}T08:00:00Z"), format!("2026-04-{day:02}T09:00:00Z"));
        entries.push(entry(&t, &w, &job, Some(&task), (&span.0, &span.1), "approved", json!({})));
    }
    let results: Vec<(u16, Value)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..20)
            .map(|_| {
                s.spawn(|| {
                    let r = import(&t, &cus, "2026-04-01", "2026-04-30");
                    (r.status, r.body.clone())
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut billed: Vec<(String, String)> = Vec::new();
    for (status, body) in &results {
        match status {
            201 => {
                let inv = &body["data"];
                for line in inv["line_items"].as_array().unwrap() {
                    for te in line["time_entry_ids"].as_array().unwrap() {
                        billed.push((te.as_str().unwrap().to_string(), id(inv)));
                    }
                }
            }
            422 => assert_eq!(body["error"]["code"], "validation_failed"),
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert!(results.iter().any(|(s, _)| *s == 201));
    let mut ids: Vec<&String> = billed.iter().map(|(te, _)| te).collect();
    ids.sort();
    ids.dedup();
    assert_eq!((ids.len(), billed.len()), (24, 24), "every entry on exactly one invoice");
    for (te, inv) in &billed {
        assert_eq!(invoice_of(&t, te).as_str(), Some(inv.as_str()));
    }
    let invoices = t.get("/v1/invoices?limit=200").expect(200);
    let total: i64 = invoices.data().as_array().unwrap().iter().map(|i| i["amount"].as_i64().unwrap()).sum();
    assert_eq!(total, 24 * 1000);
}

#[test]
fn explicit_lines_numbers_states_and_locks() {
    let t = tenant();
    let cus = make(&t, "/v1/customers", json!({"name": "Lines", "currency": "JPY"}));
    let lines = json!([
        {"kind": "product", "description": "Half of five", "quantity": 0.5, "unit_price": 5},
        {"kind": "product", "description": "Two and a half", "quantity": 2.5, "unit_price": 1},
        {"kind": "service", "description": "Hours", "quantity": 1.2345, "unit_price": 10000}
    ]);
    let body = json!({"customer_id": cus, "number": "INV-000010", "subject": "May", "due_date": "2026-06-30", "line_items": lines});
    let inv = t.post("/v1/invoices", body.clone()).expect(201).data().clone();
    let amounts: Vec<i64> =
        inv["line_items"].as_array().unwrap().iter().map(|l| l["amount"].as_i64().unwrap()).collect();
    assert_eq!(amounts, [2, 2, 12_345]);
    assert_eq!((inv["amount"].as_i64(), inv["currency"].as_str()), (Some(12_349), Some("JPY")));
    assert!(inv["period_from"].is_null() && inv["sent_at"].is_null());
    t.post("/v1/invoices", body).expect_error(409, "conflict");
    let auto = json!({"customer_id": cus, "line_items": []});
    assert_eq!(t.post("/v1/invoices", auto.clone()).expect(201).data()["number"], "INV-000011");
    let bad = json!({"customer_id": cus, "line_items": [{"kind": "product", "description": "x", "quantity": 1.00001, "unit_price": 1}]});
    assert_eq!(t.post("/v1/invoices", bad).expect(422).detail_fields(), ["line_items[0].quantity"]);
    let unknown = json!({"customer_id": format!("cus_{}", "0".repeat(32)), "line_items": []});
    assert_eq!(t.post("/v1/invoices", unknown).expect(422).detail_fields(), ["customer_id"]);

    let path = format!("/v1/invoices/{}", id(&inv));
    let act = |a: &str| t.post(&format!("{path}/{a}"), json!({}));
    let edited = t.patch(&path, json!({"notes": "Thanks", "line_items": [{"kind": "service", "description": "Flat", "quantity": 1, "unit_price": 700}]}));
    let edited = edited.expect(200).data().clone();
    assert_eq!((edited["amount"].as_i64(), edited["notes"].as_str()), (Some(700), Some("Thanks")));
    act("pay").expect_error(409, "conflict");
    act("reopen").expect_error(409, "conflict");
    let open = act("send").expect(200).data().clone();
    assert_eq!(open["state"], "open");
    assert!(open["sent_at"].is_string());
    act("send").expect_error(409, "conflict");
    let r = t.patch(&path, json!({"subject": "late"})).expect_error(409, "conflict");
    assert!(r.text.contains("draft"), "{}", r.text);
    t.delete(&path).expect_error(409, "conflict");
    let paid = act("pay").expect(200).data().clone();
    assert_eq!(
        (paid["state"].as_str(), paid["due_amount"].as_i64(), paid["amount"].as_i64()),
        (Some("paid"), Some(0), Some(700))
    );
    act("close").expect_error(409, "conflict");
    let reopened = act("reopen").expect(200).data().clone();
    assert_eq!((reopened["state"].as_str(), reopened["due_amount"].as_i64()), (Some("open"), Some(700)));
    assert!(reopened["paid_at"].is_null());
    assert_eq!(act("close").expect(200).data()["state"], "closed");
    assert_eq!(act("reopen").expect(200).data()["state"], "open");
    let missing = format!("/v1/invoices/inv_{}", "0".repeat(32));
    t.post(&format!("{missing}/send"), json!({})).expect_error(404, "not_found");
    t.patch(&missing, json!({"subject": "x"})).expect_error(404, "not_found");
    t.delete(&missing).expect_error(404, "not_found");

    let list = |q: &str| -> Vec<String> {
        t.get(&format!("/v1/invoices?{q}")).expect(200).data().as_array().unwrap().iter().map(id).collect()
    };
    assert_eq!(list("state=open"), [id(&inv)]);
    assert_eq!(list(&format!("customer_id={cus}&state=draft")).len(), 1);
    assert_eq!(list("from=2000-01-01&to=2000-12-31").len(), 0);
    t.get("/v1/invoices?state=sent").expect_error(400, "bad_request");
}
