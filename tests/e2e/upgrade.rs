//! Upgrading in place (README "Upgrading"): a database made by the first release — the schema of
//! `migrations/0001_initial.sql` only, filled through the API — is upgraded by
//! `wrangler d1 migrations apply` and then served by this build with no row lost or changed in
//! meaning, each later migration's backfill giving old rows what new rows get at insert (0006:
//! integer ids, in id order, with new objects numbered after them).
//!
//! The first release's database is made by filling a current one through the API and then
//! undoing every later migration on its SQLite file (`to_first_release`: one step per
//! migration, newest first), which is exactly the database the first release's code would have
//! written for the same requests (its rows never held the columns added since).

use std::path::Path;

use serde_json::{json, Value};

use crate::client::req;
use crate::harness::{apply_migrations, d1_file, fresh_state, launch, Server};

/// The tables migration 0006 gave integer ids (SPEC §9), each with a trigger and an index.
const NUMBERED: &[&str] = &[
    "tenants",
    "api_keys",
    "workers",
    "webhooks",
    "webhook_deliveries",
    "vendors",
    "partnerships",
    "audit_log",
    "sites",
    "departments",
    "cost_codes",
    "tasks",
    "customers",
    "jobs",
    "shifts",
    "time_entries",
    "exports",
    "positions",
];

/// Undoes every migration after 0001 on the local D1 file in `state`, newest first, and forgets
/// the migration history as the first release (which applied schema.sql directly) never had one.
fn to_first_release(state: &Path) {
    let db = rusqlite::Connection::open(d1_file(state)).expect("open local D1");
    // 0008_invoicing
    db.execute_batch(
        "DROP TABLE invoice_sequences; DROP TABLE invoices; DROP TABLE expenses; \
         DROP INDEX time_entries_invoice; ALTER TABLE time_entries DROP COLUMN invoice_id; \
         ALTER TABLE jobs DROP COLUMN hourly_rate; \
         DELETE FROM harvest_sequences WHERE kind IN ('expenses', 'invoices');",
    )
    .expect("undo 0008");
    // 0007_contacts
    db.execute_batch("DROP TABLE contacts; DELETE FROM harvest_sequences WHERE kind = 'contacts';").expect("undo 0007");
    // 0006_harvest_ids
    for table in ["workers", "customers", "jobs", "tasks", "time_entries"] {
        db.execute_batch(&format!("DROP INDEX {table}_tenant_harvest;"))
            .unwrap_or_else(|e| panic!("undo 0006's page index on {table}: {e}"));
    }
    for table in NUMBERED {
        db.execute_batch(&format!(
            "DROP TRIGGER {table}_harvest_id_assign; DROP INDEX {table}_harvest_id; \
             ALTER TABLE {table} DROP COLUMN harvest_id;"
        ))
        .unwrap_or_else(|e| panic!("undo 0006 on {table}: {e}"));
    }
    db.execute_batch(
        "DROP TABLE harvest_sequences;
         -- 0005_positions
         DROP TABLE positions;
         -- 0004_exports
         DROP TABLE export_rows;
         DROP TABLE exports;
         DROP INDEX time_entries_job_started;
         -- 0003_webhooks
         DROP TABLE webhook_deliveries;
         DROP TABLE webhooks;
         -- 0002_time_entry_billable
         ALTER TABLE time_entries DROP COLUMN billable;
         -- the migration history
         DROP TABLE d1_migrations;",
    )
    .expect("undo migrations");
}

fn leak(s: Server) -> &'static Server {
    Box::leak(Box::new(s))
}

struct Client {
    server: &'static Server,
    key: String,
}

impl Client {
    fn send(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let r = req(method, path).on(self.server).key(&self.key);
        let r = match body {
            Some(b) => r.json(&b),
            None => r,
        };
        let resp = r.send();
        assert!(resp.status < 300, "{method} {path}: {}", resp.text);
        resp.data().clone()
    }
    fn post(&self, path: &str, body: Value) -> String {
        self.send("POST", path, Some(body))["id"].as_str().expect("id").to_string()
    }
    /// Every object of a list, tombstones included; a key's `last_used_at` (which this very
    /// reading moves) is left out.
    fn all(&self, path: &str) -> Vec<Value> {
        let mut out = Vec::new();
        let mut cursor = String::new();
        loop {
            let r = req("GET", &format!("{path}?limit=200&include_deleted=true{cursor}"))
                .on(self.server)
                .key(&self.key)
                .send()
                .expect(200);
            out.extend(r.data().as_array().expect("a page").iter().cloned().map(|mut o| {
                if let Some(fields) = o.as_object_mut() {
                    fields.remove("last_used_at");
                }
                o
            }));
            match r.body["meta"]["next_cursor"].as_str() {
                Some(c) => cursor = format!("&cursor={c}"),
                None => return out,
            }
        }
    }
}

/// The objects of a list with their integer ids left out.
fn without_harvest_ids(objects: Vec<Value>) -> Vec<Value> {
    objects
        .into_iter()
        .map(|mut o| {
            if let Some(fields) = o.as_object_mut() {
                fields.remove("harvest_id");
            }
            o
        })
        .collect()
}

/// Checks that the live objects of a list (in id order) carry distinct positive integer ids
/// that rise with their ids — the backfill numbers existing rows in id order — and returns the
/// highest (tombstones show none).
fn numbered_in_id_order(list: &str, objects: &[Value]) -> i64 {
    let live = objects.iter().filter(|o| o.get("deleted").is_none());
    let numbers: Vec<i64> =
        live.map(|o| o["harvest_id"].as_i64().unwrap_or_else(|| panic!("{list}: no harvest_id on {o}"))).collect();
    assert!(numbers.first().is_some_and(|n| *n >= 1), "{list} lists numbered objects: {numbers:?}");
    assert!(numbers.windows(2).all(|w| w[0] < w[1]), "{list}: numbered in id order, each once: {numbers:?}");
    numbers.last().copied().unwrap_or_default()
}

const LISTS: &[&str] = &[
    "/v1/api-keys",
    "/v1/sites",
    "/v1/departments",
    "/v1/cost-codes",
    "/v1/tasks",
    "/v1/customers",
    "/v1/workers",
    "/v1/jobs",
    "/v1/shifts",
    "/v1/time-entries",
];

/// A small company's month through the API, as the first release could have recorded it.
fn fill(server: &'static Server) -> Client {
    let tenant = req("POST", "/v1/operator/tenants")
        .on(server)
        .operator()
        .json(&json!({"name": "Upgrade Co", "tier": "enterprise", "timezone": "Europe/Madrid",
                      "limits": {"per_second": 10000, "per_minute": 100000, "per_day": 1000000}}))
        .send()
        .expect(201);
    let c = Client { server, key: tenant.data()["api_key"]["key"].as_str().expect("key").to_string() };
    c.post("/v1/api-keys", json!({"label": "payroll", "scopes": "read-only"}));
    let site = c
        .post("/v1/sites", json!({"name": "Yard", "latitude": 39.46, "longitude": -0.33, "timezone": "Europe/Madrid"}));
    let dep = c.post("/v1/departments", json!({"name": "Electrical"}));
    let cc = c.post("/v1/cost-codes", json!({"code": "EL-01", "name": "Wiring"}));
    let billable = c.post("/v1/tasks", json!({"name": "Install", "default_hourly_rate": 9000}));
    let internal = c.post("/v1/tasks", json!({"name": "Training", "billable_by_default": false}));
    let customer = c.post("/v1/customers", json!({"name": "Harbour Ltd", "currency": "EUR"}));
    c.post("/v1/customers", json!({"name": "Gone Ltd"}));
    let job = c.post(
        "/v1/jobs",
        json!({"name": "Quay lights", "customer_id": customer, "site_id": site,
               "budget": {"hours": 100, "amount": 500000, "currency": "EUR"}}),
    );
    let workers: Vec<String> = (0..3)
        .map(|i| {
            c.post(
                "/v1/workers",
                json!({"name": format!("Worker {i}"), "department_id": dep, "site_id": site, "pay_rate": 2500 + i}),
            )
        })
        .collect();
    for (i, w) in workers.iter().enumerate() {
        let day = 4 + i;
        c.post(
            "/v1/shifts",
            json!({"worker_id": w, "site_id": site, "job_id": job,
                   "starts_at": format!("2026-05-{day:02}T07:00:00Z"), "ends_at": format!("2026-05-{day:02}T15:00:00Z")}),
        );
        for (task, hour) in [(Some(&billable), 7), (Some(&internal), 12), (None, 14)] {
            let mut body = json!({"worker_id": w, "job_id": job, "site_id": site, "cost_code_id": cc,
                "started_at": format!("2026-05-{day:02}T{hour:02}:00:00Z"),
                "ended_at": format!("2026-05-{day:02}T{:02}:00:00Z", hour + 2), "notes": "upgrade"});
            if let Some(task) = task {
                body["task_id"] = json!(task);
            }
            let id = c.post("/v1/time-entries", body);
            if hour == 7 {
                c.send("POST", &format!("/v1/time-entries/{id}/approve"), None);
            }
        }
    }
    // A running entry, a rejected one, deleted objects (tombstones) and an inactive worker.
    c.send("POST", "/v1/attendance/clock-in", Some(json!({"worker_id": workers[0]})));
    let rejected = c.post(
        "/v1/time-entries",
        json!({"worker_id": workers[1], "task_id": internal, "started_at": "2026-05-20T08:00:00Z", "ended_at": "2026-05-20T09:00:00Z"}),
    );
    c.send("POST", &format!("/v1/time-entries/{rejected}/reject"), Some(json!({"note": "wrong day"})));
    let gone = c.post("/v1/workers", json!({"name": "Temp"}));
    c.send("DELETE", &format!("/v1/workers/{gone}"), None);
    c.send("PATCH", &format!("/v1/workers/{}/status", workers[2]), Some(json!({"status": "inactive"})));
    c
}

#[test]
fn a_first_release_database_upgrades_in_place_and_serves_its_data() {
    let state = fresh_state("upgrade");
    let first = leak(launch(&state, &[]));
    let c = fill(first);
    // The first release's rows never held integer ids: compared without them.
    let before: Vec<Vec<Value>> = LISTS.iter().map(|l| without_harvest_ids(c.all(l))).collect();
    let internal_entries = before[9].iter().filter(|e| e["billable"] == false).count();
    assert_eq!(internal_entries, 4, "entries of the non-billable task are not billable");
    first.stop();

    to_first_release(&state);
    apply_migrations(&state);
    let upgraded = leak(launch(&state, &[]));
    let c = Client { server: upgraded, key: c.key };
    let mut last_numbers = Vec::new();
    for (list, rows) in LISTS.iter().zip(&before) {
        let after = c.all(list);
        last_numbers.push(numbered_in_id_order(list, &after));
        assert_eq!(&without_harvest_ids(after), rows, "{list} changed across the upgrade");
    }
    let tenant = &c.send("GET", "/v1/me", None)["tenant"];
    assert!(tenant["harvest_id"].as_i64().is_some_and(|n| n >= 1), "the tenant has its account id: {tenant}");

    // The upgraded database takes new work like a new one.
    let worker = before[6][0]["id"].as_str().expect("worker");
    let task = before[4][1]["id"].as_str().expect("internal task");
    let e = c.send(
        "POST",
        "/v1/time-entries",
        Some(json!({"worker_id": worker, "task_id": task, "started_at": "2026-05-28T08:00:00Z", "ended_at": "2026-05-28T09:00:00Z"})),
    );
    assert_eq!(e["billable"], false);
    let number = e["harvest_id"].as_i64().expect("a new entry has its integer id");
    assert!(number > last_numbers[9], "a new entry is numbered after the backfilled ones ({number})");
    let id = e["id"].as_str().expect("id");
    let e = c.send("PATCH", &format!("/v1/time-entries/{id}"), Some(json!({"billable": true})));
    assert_eq!(e["billable"], true);
    let non_billable = c.send("GET", "/v1/time-entries?billable=false&limit=200", None);
    assert_eq!(non_billable.as_array().expect("page").len(), 4);
}
