//! Payroll exports (SPEC §6): created `queued`, computed by the queue consumer, downloaded through
//! a signed link that needs no key. The file's rows are exact (regular and overtime hours at the
//! tenant's multiplier), its totals are the time report's, CSV and JSON hold the same rows, a
//! hostile name stays intact and inert; a link works without a key and fails altered or
//! expired; other tenants see nothing; an export whose step was lost in a restart completes.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::client::{req, tenant, Resp, Tenant};
use crate::harness::{d1_file, dev_var, fresh_state, launch, r2_file, Server};
use crate::reports::{assert_same, dataset, entry, HOSTILE};

fn id(v: &Value) -> String {
    v["id"].as_str().expect("id").to_string()
}

/// Polls export `id` until it is completed or failed (at most 90 s).
fn settled(server: Option<&'static Server>, key: &str, id: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let mut r = req("GET", &format!("/v1/exports/{id}")).key(key);
        if let Some(s) = server {
            r = r.on(s);
        }
        let data = r.send().expect(200).data().clone();
        if data["status"] == "completed" || data["status"] == "failed" {
            return data;
        }
        assert!(Instant::now() < deadline, "export {id} still {} after 90 s", data["status"]);
        std::thread::sleep(Duration::from_millis(250));
    }
}

fn export(t: &Tenant, body: Value) -> Value {
    let created = t.post("/v1/exports/payroll", body).expect(202).data().clone();
    assert_eq!((created["status"].clone(), created["kind"].clone()), (json!("queued"), json!("payroll")));
    settled(None, &t.key, &id(&created))
}

/// The path and query of an absolute download link.
fn path_of(url: &str) -> String {
    let at = url.find("/v1/exports/").expect("a download path");
    url[at..].to_string()
}

/// Downloads without any key.
fn download(path: &str) -> Resp {
    req("GET", path).send()
}

fn csv_rows(r: &Resp) -> Vec<csv::StringRecord> {
    let mut reader = csv::Reader::from_reader(r.text.as_bytes());
    reader.records().map(|x| x.expect("record")).collect()
}

#[test]
fn the_payroll_file_is_exact_and_matches_the_time_report() {
    let d = dataset();
    let t = &d.t;
    // Max works 10 h on 2 March (New York): 2 h of daily overtime, paid at the tenant's 2×.
    let max = id(&t.worker(json!({"name": "Max Mustermann", "pay_rate": 1000, "employee_code": "MAX-1"})));
    entry(
        t,
        json!({"worker_id": max, "started_at": "2026-03-02T12:00:00Z", "ended_at": "2026-03-02T22:00:00Z"}),
        "approved",
    );
    let done = export(t, json!({"from": "2026-03-02", "to": "2026-03-03"}));
    assert_eq!(
        (done["status"].clone(), done["format"].clone(), done["row_count"].clone()),
        (json!("completed"), json!("csv"), json!(3))
    );
    assert!(done["download_expires_at"].is_string() && done["completed_at"].is_string());
    let url = done["download_url"].as_str().expect("download_url");
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let file = download(&path_of(url)).expect(200);
    assert_eq!(file.header("Content-Type"), Some("text/csv; charset=utf-8"));
    assert_eq!(file.header("Content-Disposition"), Some("attachment; filename=\"payroll-2026-03-02-2026-03-03.csv\""));
    assert!(file.text.starts_with(
        "worker_id,employee_code,name,regular_hours,overtime_hours,total_hours,pay_rate,gross_pay,currency\r\n"
    ));
    // Approved entries only: Ada's e1 (3 h); Jo's e6 and e7 (3 h); Max's 10 h.
    let rows = csv_rows(&file);
    let row = |w: &str| rows.iter().find(|r| &r[0] == w).unwrap_or_else(|| panic!("no row for {w}")).clone();
    let fields = |r: &csv::StringRecord| r.iter().skip(3).map(str::to_string).collect::<Vec<_>>();
    assert_eq!(fields(&row(&d.ada)), ["3.0", "0.0", "3.0", "2000", "6000", "EUR"]);
    assert_eq!(fields(&row(&d.jo)), ["3.0", "0.0", "3.0", "3000", "9000", "EUR"]);
    assert_eq!(fields(&row(&max)), ["8.0", "2.0", "10.0", "1000", "12000", "EUR"]);
    assert_eq!(&row(&max)[1], "MAX-1");
    // The hostile name: intact behind the guard that keeps spreadsheets from running it.
    assert_eq!(&row(&d.jo)[2], format!("'{HOSTILE}"));
    // Each worker's total is the time report's hours of approved entries.
    let report = t.get("/v1/reports/time?from=2026-03-02&to=2026-03-03&status=approved").expect(200);
    let report_rows = report.data()["rows"].as_array().unwrap();
    assert_eq!(report_rows.len(), rows.len());
    for r in report_rows {
        let w = r["worker_id"].as_str().unwrap();
        assert_eq!(row(w)[5].parse::<f64>().ok(), r["hours"].as_f64(), "{w}");
    }
    // The same export as JSON holds the same rows.
    let as_json = export(t, json!({"from": "2026-03-02", "to": "2026-03-03", "format": "json"}));
    let json_file = download(&path_of(as_json["download_url"].as_str().unwrap())).expect(200);
    assert_eq!(json_file.header("Content-Type"), Some("application/json; charset=utf-8"));
    assert!(json_file.header("Content-Disposition").unwrap().ends_with(".json\""));
    assert_same(&file, json_file.body.as_array().expect("an array of rows"));
}

/// A link to `export_id` expiring at `expires`, signed with the server's own secret.
fn signed(export_id: &str, expires: i64) -> String {
    let secret = edgeclock::domain::links::secret(
        dev_var("EXPORT_LINK_SECRET").as_deref(),
        dev_var("OPERATOR_TOKEN").as_deref(),
    )
    .expect("a link secret");
    let signature = edgeclock::domain::links::sign(&secret, export_id, expires);
    format!("/v1/exports/{export_id}/download?expires={expires}&signature={signature}")
}

fn unix_now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

fn small_export(t: &Tenant) -> Value {
    let w = id(&t.worker(json!({"name": "Lin", "pay_rate": 1500})));
    entry(
        t,
        json!({"worker_id": w, "started_at": "2026-04-06T08:00:00Z", "ended_at": "2026-04-06T16:00:00Z"}),
        "approved",
    );
    export(t, json!({"from": "2026-04-01", "to": "2026-04-30"}))
}

#[test]
fn download_links_need_no_key_and_fail_altered_or_expired() {
    let t = tenant();
    let done = small_export(&t);
    let exp = id(&done);
    let path = path_of(done["download_url"].as_str().unwrap());
    let first = download(&path).expect(200);
    assert_eq!(csv_rows(&first).len(), 1);
    // Every read signs a fresh link; the older one still works until it expires.
    let again = t.get(&format!("/v1/exports/{exp}")).expect(200).data()["download_url"].as_str().unwrap().to_string();
    assert_eq!(download(&path_of(&again)).expect(200).text, first.text);
    download(&path).expect(200);

    let (base, query) = path.split_once('?').unwrap();
    let expires: i64 = query.split('&').find_map(|p| p.strip_prefix("expires=")).unwrap().parse().unwrap();
    let signature = query.split('&').find_map(|p| p.strip_prefix("signature=")).unwrap().to_string();
    let flipped = format!("{}{}", if signature.starts_with('0') { '1' } else { '0' }, &signature[1..]);
    for altered in [
        format!("{base}?expires={expires}&signature={flipped}"),
        format!("{base}?expires={}&signature={signature}", expires + 3600),
    ] {
        let r = download(&altered).expect_error(403, "forbidden");
        assert!(r.body["error"]["message"].as_str().unwrap().contains("link"));
    }
    // Expired: a genuine signature over a past expiry (the same signing works while it lasts).
    download(&signed(&exp, unix_now() - 5)).expect_error(403, "forbidden");
    download(&signed(&exp, unix_now() + 60)).expect(200);
    // Malformed or missing parameters are 400; a signed link to nothing is 404.
    download(&format!("{base}?expires={expires}")).expect_error(400, "bad_request");
    download(&format!("{base}?expires={expires}&signature=XYZ")).expect_error(400, "bad_request");
    download(&format!("{path}&extra=1")).expect_error(400, "bad_request");
    download(&signed("exp_0193c2aa000070008000000000000001", unix_now() + 60)).expect_error(404, "not_found");

    // Another tenant sees no export of this one, and its links open only its own files.
    let other = tenant();
    other.get(&format!("/v1/exports/{exp}")).expect_error(404, "not_found");
    let theirs = small_export(&other);
    let their_path = path_of(theirs["download_url"].as_str().unwrap());
    let (_, their_query) = their_path.split_once('?').unwrap();
    download(&format!("/v1/exports/{exp}/download?{their_query}")).expect_error(403, "forbidden");
    assert_ne!(download(&their_path).expect(200).text, first.text);
    let listed = other.get("/v1/exports").expect(200);
    assert_eq!(listed.data().as_array().unwrap().len(), 1);
}

#[test]
fn list_validation_and_scopes() {
    let t = tenant();
    let a = t.post("/v1/exports/payroll", json!({"from": "2026-01-01", "to": "2026-01-31"})).expect(202);
    let b =
        t.post("/v1/exports/payroll", json!({"from": "2026-02-01", "to": "2026-02-28", "format": "json"})).expect(202);
    let all = crate::client::walk(&t, "/v1/exports", 1);
    assert_eq!(all.iter().map(id).collect::<Vec<_>>(), vec![id(a.data()), id(b.data())]);
    assert!(all.iter().all(|e| e.get("download_url").is_none()), "list items carry no link");
    settled(None, &t.key, &id(b.data()));
    let done = t.get("/v1/exports?status=completed").expect(200);
    assert!(done.data().as_array().unwrap().iter().any(|e| e["id"] == b.data()["id"]));
    t.get("/v1/exports?status=done").expect_error(400, "bad_request");
    for (body, fields) in [
        (json!({}), vec!["from", "to"]),
        (json!({"from": "2026-01-31", "to": "2026-01-01"}), vec!["to"]),
        (json!({"from": "2025-01-01", "to": "2026-01-02"}), vec!["to"]),
        (json!({"from": "2026-01-01", "to": "2026-01-31", "format": "xlsx"}), vec!["format"]),
        (json!({"from": "2026-01-01T00:00:00Z", "to": "2026-01-31"}), vec!["from"]),
    ] {
        let r = t.post("/v1/exports/payroll", body.clone()).expect_error(422, "validation_failed");
        assert_eq!(r.detail_fields(), fields, "{body}");
    }
    t.get("/v1/exports/payroll").expect_error(405, "method_not_allowed");
    t.get("/v1/exports/exp_0193c2aa000070008000000000000001").expect_error(404, "not_found");
    let reader = t.as_key(&t.mint(json!({"label": "ro", "scopes": "read-only"})));
    reader
        .post("/v1/exports/payroll", json!({"from": "2026-01-01", "to": "2026-01-31"}))
        .expect_error(403, "forbidden");
    reader.get("/v1/exports").expect(200);
}

/// `n` active workers and one approved 1-hour entry each on 10 April 2026, straight into D1.
fn seed(db: &rusqlite::Connection, tenant: &str, n: u128) {
    for i in 0..n {
        let w = format!("wkr_0193c2aa{:024x}", i + 1);
        let e = format!("te_0193c2aa{:024x}", i + 1);
        let at = "2026-04-10T08:00:00Z";
        db.execute(
            "INSERT INTO workers (id, tenant_id, name, employee_code, status, pay_rate, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, 'active', 1000, ?5, ?5)",
            rusqlite::params![w, tenant, format!("Seeded {i}"), format!("SEED-{i}"), at],
        )
        .expect("worker");
        db.execute(
            "INSERT INTO time_entries (id, tenant_id, worker_id, started_at, ended_at, worked_seconds, status, \
             created_at, updated_at) VALUES (?1, ?2, ?3, ?4, '2026-04-10T09:00:00Z', 3600, 'approved', ?4, ?4)",
            rusqlite::params![e, tenant, w, at],
        )
        .expect("entry");
    }
}

#[test]
fn an_export_whose_step_was_lost_in_a_restart_completes() {
    let state = fresh_state("exports-restart");
    let first: &'static Server = Box::leak(Box::new(launch(&state, &[])));
    let made = req("POST", "/v1/operator/tenants")
        .on(first)
        .operator()
        .json(&json!({"name": "Restart Co", "tier": "enterprise", "timezone": "Europe/Madrid",
                      "limits": {"per_second": 10000, "per_minute": 100000, "per_day": 1000000}}))
        .send()
        .expect(201);
    let tenant_id = made.data()["id"].as_str().unwrap().to_string();
    let key = made.data()["api_key"]["key"].as_str().unwrap().to_string();
    let created = req("POST", "/v1/exports/payroll")
        .on(first)
        .key(&key)
        .json(&json!({"from": "2026-04-01", "to": "2026-04-30"}))
        .send()
        .expect(202);
    let exp = id(created.data());
    assert_eq!(settled(Some(first), &key, &exp)["row_count"], 0);
    first.stop();

    // Behind the stopped server: 120 workers with approved time (three pages), and the export
    // put back to `queued` a long time ago, as if its step had been lost with the local queue.
    let db = rusqlite::Connection::open(d1_file(&state)).expect("open local D1");
    seed(&db, &tenant_id, 120);
    db.execute(
        "UPDATE exports SET status = 'queued', last_worker_id = NULL, row_count = NULL, file_key = NULL, \
         completed_at = NULL, updated_at = '2000-01-01T00:00:00Z' WHERE id = ?1",
        [&exp],
    )
    .expect("reset the export");
    drop(db);

    let second: &'static Server = Box::leak(Box::new(launch(&state, &[])));
    let done = settled(Some(second), &key, &exp);
    assert_eq!((done["status"].clone(), done["row_count"].clone()), (json!("completed"), json!(120)));
    let file = req("GET", &path_of(done["download_url"].as_str().unwrap())).on(second).send().expect(200);
    let rows = csv_rows(&file);
    assert_eq!(rows.len(), 120);
    assert!(rows.iter().all(|r| &r[5] == "1.0" && &r[7] == "1000"));
    second.stop();
    // One file per export, however many times it was computed; the outbox has both completions.
    let db = rusqlite::Connection::open(d1_file(&state)).expect("open local D1");
    let completions: i64 = db
        .query_row(
            "SELECT count(*) FROM events WHERE type = 'payroll.export_completed' AND data ->> 'id' = ?1",
            [&exp],
            |r| r.get(0),
        )
        .expect("events");
    assert_eq!(completions, 2);
    let rows_left: i64 =
        db.query_row("SELECT count(*) FROM export_rows WHERE export_id = ?1", [&exp], |r| r.get(0)).expect("rows");
    assert_eq!(rows_left, 0, "the gathered rows are dropped once the file is stored");
    let bucket = rusqlite::Connection::open(r2_file(&state)).expect("open local R2");
    let files: Vec<String> = bucket
        .prepare("SELECT key FROM _mf_objects WHERE key LIKE ?1")
        .and_then(|mut s| s.query_map([format!("exports/{tenant_id}/%")], |r| r.get(0))?.collect())
        .expect("objects");
    assert_eq!(files, [format!("exports/{tenant_id}/{exp}.csv")]);
}

#[test]
fn completion_is_delivered_to_subscribed_endpoints() {
    use crate::receiver::{Behaviour, Receiver};
    use crate::webhooks_delivery::{endpoint, WAIT};
    let rx = Receiver::start(Behaviour::Ok);
    let t = tenant();
    endpoint(&t, json!({"url": rx.url, "events": ["payroll.export_completed"]}));
    let done = small_export(&t);
    assert_eq!(done["status"], "completed");
    let got = rx.wait_delivered(1, WAIT);
    assert_eq!(got.len(), 1);
    let body = got[0].json();
    assert_eq!(body["event"], "payroll.export_completed");
    assert_eq!(body["data"]["id"], done["id"], "the event carries the export");
}
