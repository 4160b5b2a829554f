//! The Harvest-compatible `/v2` (SPEC §9) driven the way published Harvest clients drive it:
//! `links.next` followed verbatim, trailing slashes, repeated parameters, bodiless PATCH and
//! DELETE with a JSON content type, integer ids, local times in the site's zone; and the data
//! shared with `/v1` both ways, and isolation.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::client::{req, tenant, Resp, Tenant};

pub fn v2(t: &Tenant, method: &str, path: &str, body: Option<Value>) -> Resp {
    let mut r = req(method, path)
        .key(&t.key)
        .header("Harvest-Account-Id", &t.id)
        .header("User-Agent", "edgeclock-e2e (harvest)");
    if let Some(b) = body {
        r = r.json(&b);
    }
    r.send()
}

fn int(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("not an integer: {v}"))
}

/// The `/v1` entry whose `harvest_id` is the `/v2` id `id`.
fn on_v1(t: &Tenant, id: &Value) -> Value {
    let all = t.get("/v1/time-entries?limit=200").expect(200);
    all.data().as_array().unwrap().iter().find(|e| e["harvest_id"] == *id).cloned().expect("seen on /v1")
}

struct Setup {
    t: Tenant,
    worker: Value,
    job: Value,
    task: Value,
    customer: Value,
}

fn setup() -> Setup {
    let t = tenant();
    let site =
        t.post("/v1/sites", json!({"name": "Madrid yard", "timezone": "Europe/Madrid"})).expect(201).data().clone();
    let customer = t.post("/v1/customers", json!({"name": "Acme"})).expect(201).data().clone();
    let job = t.post(
        "/v1/jobs",
        json!({"name": "Roof", "site_id": site["id"], "customer_id": customer["id"], "budget": {"hours": 40}, "hourly_rate": 4000}),
    );
    let job = job.expect(201).data().clone();
    let task = t.post("/v1/tasks", json!({"name": "Install", "default_hourly_rate": 6000})).expect(201).data().clone();
    let worker = t.worker(json!({"name": "Ana María García", "site_id": site["id"]}));
    Setup { t, worker, job, task, customer }
}

#[test]
fn company_me_and_catalog_speak_harvest() {
    let s = setup();
    let company = v2(&s.t, "GET", "/v2/company", None).expect(200).body;
    assert_eq!(company["wants_timestamp_timers"], true);
    assert_eq!(company["clock"], "24h");
    assert!(company["base_uri"].as_str().unwrap().starts_with("http://127.0.0.1:"));
    assert!(company.get("data").is_none(), "bare objects, no envelope");
    let me = v2(&s.t, "GET", "/api/v2/users/me", None).expect(200).body;
    assert!(int(&me["id"]) > 0);
    let users = v2(&s.t, "GET", "/v2/users/", None).expect(200).body;
    let user = &users["users"][0];
    assert_eq!((user["first_name"].as_str(), user["last_name"].as_str()), (Some("Ana María"), Some("García")));
    assert_eq!(user["email"], "");
    assert_eq!(int(&user["id"]), int(&s.worker["harvest_id"]), "the /v1 harvest_id is the /v2 id");
    let project = v2(&s.t, "GET", &format!("/v2/projects/{}", s.job["harvest_id"]), None).expect(200).body;
    assert_eq!(project["client"]["id"], s.customer["harvest_id"]);
    assert_eq!(project["hourly_rate"].as_f64(), Some(40.0), "the job's hourly_rate, a decimal");
    assert_eq!((project["budget"].as_f64(), project["budget_by"].as_str()), (Some(40.0), Some("project")));
    let task = v2(&s.t, "GET", &format!("/v2/tasks/{}", s.task["harvest_id"]), None).expect(200).body;
    assert_eq!(task["is_default"], false);
    v2(&s.t, "GET", "/v2/tasks/999999999", None).expect(404);
    v2(&s.t, "GET", &format!("/v2/tasks/{}", s.task["id"].as_str().unwrap()), None).expect(404);
    let client = v2(&s.t, "POST", "/v2/clients", Some(json!({"name": "Beta", "currency": "EUR", "is_active": true})))
        .expect(201)
        .body;
    let on_v1 = s.t.get("/v1/customers?q=Beta").expect(200).data()[0].clone();
    assert_eq!((on_v1["harvest_id"].clone(), on_v1["currency"].as_str()), (client["id"].clone(), Some("EUR")));
    let r = v2(&s.t, "GET", "/v2/users?per_page=2001", None).expect(422);
    assert!(r.body["message"].is_string() && r.body["code"].is_string(), "{}", r.text);
}

#[test]
fn links_next_walks_every_entry_once_while_entries_are_added() {
    let s = setup();
    let uid = int(&s.worker["harvest_id"]);
    for day in 1..=9 {
        let body = json!({"user_id": uid, "project_id": s.job["harvest_id"], "spent_date": format!("2026-01-{day:02}"), "hours": 1.5});
        v2(&s.t, "POST", "/v2/time_entries", Some(body)).expect(201);
    }
    // Repeated parameters: the last one counts.
    let mut url = format!("/v2/time_entries?per_page=50&user_id={uid}&per_page=4");
    let mut seen = Vec::new();
    let mut extra = 10;
    loop {
        let page = v2(&s.t, "GET", &url, None).expect(200).body;
        assert_eq!(page["per_page"], 4);
        assert_eq!(page["total_entries"], 9, "the set the first page saw");
        seen.extend(page["time_entries"].as_array().unwrap().iter().map(|e| int(&e["id"])));
        // Someone adds an entry between pages.
        let body = json!({"user_id": uid, "spent_date": format!("2026-02-{extra:02}"), "hours": 1});
        v2(&s.t, "POST", "/v2/time_entries", Some(body)).expect(201);
        extra += 1;
        match page["links"]["next"].as_str() {
            Some(next) => {
                assert!(next.starts_with("http://127.0.0.1:"), "absolute: {next}");
                url = next.split_once("127.0.0.1:").unwrap().1.split_once('/').map(|(_, p)| format!("/{p}")).unwrap();
            }
            None => break,
        }
    }
    let unique: BTreeSet<i64> = seen.iter().copied().collect();
    assert_eq!((seen.len(), unique.len()), (9, 9), "nothing missing or repeated: {seen:?}");
    let mut sorted = seen.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(seen, sorted, "newest first");
}

#[test]
fn durations_timers_and_local_times() {
    let s = setup();
    let uid = int(&s.worker["harvest_id"]);
    let create = |body: Value| v2(&s.t, "POST", "/v2/time_entries", Some(body)).expect(201).body;
    // Two durations on one day follow each other from local midnight (Madrid, UTC+1 in January).
    let a = create(
        json!({"user_id": uid, "project_id": s.job["harvest_id"], "task_id": s.task["harvest_id"], "spent_date": "2026-01-12", "hours": 2}),
    );
    let b =
        create(json!({"user_id": uid, "project_id": s.job["harvest_id"], "spent_date": "2026-01-12", "hours": 0.5}));
    assert_eq!((a["started_time"].as_str(), a["ended_time"].as_str()), (Some("00:00"), Some("02:00")));
    assert_eq!((b["started_time"].as_str(), b["ended_time"].as_str()), (Some("02:00"), Some("02:30")));
    assert_eq!(a["spent_date"], "2026-01-12");
    assert_eq!(a["task"]["id"], s.task["harvest_id"]);
    assert_eq!(b["task"], json!({"id": 0, "name": "(none)"}), "a placeholder for an empty reference");
    // Start and end times are local.
    let c = create(
        json!({"user_id": uid, "project_id": s.job["harvest_id"], "spent_date": "2026-01-13", "started_time": "9:30am", "ended_time": "11:00"}),
    );
    assert_eq!((c["started_time"].as_str(), c["hours"].as_f64()), (Some("09:30"), Some(1.5)));
    let v1_entry = on_v1(&s.t, &c["id"]);
    assert_eq!(v1_entry["started_at"], "2026-01-13T08:30:00Z", "09:30 in Madrid");
    assert_eq!(
        (v1_entry["worker_id"].clone(), v1_entry["job_id"].clone()),
        (s.worker["id"].clone(), s.job["id"].clone())
    );
    assert_eq!(v1_entry["hours"].as_f64(), Some(1.5));
    // An overlapping one is refused as on /v1, with Harvest's status.
    let r = v2(
        &s.t,
        "POST",
        "/v2/time_entries",
        Some(json!({"user_id": uid, "spent_date": "2026-01-13", "started_time": "10:00", "ended_time": "10:30"})),
    );
    assert_eq!(r.status, 422, "{}", r.text);
    // A timer; stop and restart without a body but with a JSON content type.
    let timer = create(
        json!({"user_id": uid, "project_id": s.job["harvest_id"], "task_id": s.task["harvest_id"], "notes": "roofing"}),
    );
    assert_eq!((timer["is_running"].as_bool(), timer["ended_time"].clone()), (Some(true), Value::Null));
    let empty = |method: &str, path: String| {
        req(method, &path)
            .key(&s.t.key)
            .header("Harvest-Account-Id", &s.t.id)
            .raw(Vec::new(), "application/json")
            .send()
    };
    let stopped = empty("PATCH", format!("/v2/time_entries/{}/stop", timer["id"])).expect(200).body;
    assert_eq!(stopped["is_running"], false);
    let restarted = empty("PATCH", format!("/v2/time_entries/{}/restart", timer["id"])).body;
    assert_eq!(restarted["is_running"], true, "{restarted}");
    assert_ne!(restarted["id"], timer["id"], "a new entry");
    assert_eq!(
        (restarted["notes"].clone(), restarted["task"]["id"].clone()),
        (json!("roofing"), s.task["harvest_id"].clone())
    );
    let deleted = empty("DELETE", format!("/v2/time_entries/{}", b["id"])).expect(200);
    assert_eq!(deleted.body, json!({}));
    v2(&s.t, "GET", &format!("/v2/time_entries/{}", b["id"]), None).expect(404);
    // The team report over those local days, with Harvest's compact dates.
    let team = v2(&s.t, "GET", "/v2/reports/time/team?from=20260112&to=20260113", None).expect(200).body;
    let row = &team["results"][0];
    assert_eq!(
        (row["user_id"].clone(), row["user_name"].as_str()),
        (s.worker["harvest_id"].clone(), Some("Ana María García"))
    );
    assert_eq!(row["total_hours"].as_f64(), Some(3.5), "2 h + 1.5 h (the deleted half hour is gone)");
    // 2 h at the task's 60.00 and 1.5 h (no task) at the project's 40.00, in dollars.
    assert_eq!((row["billable_amount"].as_f64(), row["currency"].as_str()), (Some(180.0), Some("USD")));
    let projects = v2(&s.t, "GET", "/v2/reports/time/projects?from=2026-01-12&to=2026-01-13", None).expect(200).body;
    assert_eq!(projects["results"][0]["project_id"], s.job["harvest_id"]);
    v2(&s.t, "GET", "/v2/reports/time/team?from=20260112", None).expect(422);
    v2(&s.t, "GET", "/v2/reports/time/team?from=20260112&to=20280112", None).expect(422);
}

#[test]
fn edits_and_approval_show_on_both_sides() {
    let s = setup();
    let uid = int(&s.worker["harvest_id"]);
    let e = v2(&s.t, "POST", "/v2/time_entries", Some(json!({"user_id": uid, "spent_date": "2026-01-20", "hours": 1})))
        .expect(201)
        .body;
    let v1_id = on_v1(&s.t, &e["id"])["id"].as_str().unwrap().to_string();
    // /v2 → /v1: hours moves the end.
    v2(&s.t, "PATCH", &format!("/v2/time_entries/{}", e["id"]), Some(json!({"hours": 3, "notes": "longer"})))
        .expect(200);
    let on_v1 = s.t.get(&format!("/v1/time-entries/{v1_id}")).expect(200).data().clone();
    assert_eq!((on_v1["hours"].as_f64(), on_v1["notes"].as_str()), (Some(3.0), Some("longer")));
    // /v1 → /v2.
    s.t.patch(&format!("/v1/time-entries/{v1_id}"), json!({"notes": "from v1"})).expect(200);
    let on_v2 = v2(&s.t, "GET", &format!("/v2/time_entries/{}", e["id"]), None).expect(200).body;
    assert_eq!(on_v2["notes"], "from v1");
    assert_eq!((on_v2["is_locked"].as_bool(), on_v2["is_closed"].as_bool()), (Some(false), Some(false)));
    s.t.post(&format!("/v1/time-entries/{v1_id}/approve"), json!({})).expect(200);
    let locked = v2(&s.t, "GET", &format!("/v2/time_entries/{}", e["id"]), None).expect(200).body;
    assert_eq!(
        (locked["is_locked"].as_bool(), locked["is_closed"].as_bool(), locked["locked_reason"].as_str()),
        (Some(true), Some(true), Some("Approved"))
    );
    let r = v2(&s.t, "PATCH", &format!("/v2/time_entries/{}", e["id"]), Some(json!({"hours": 1})));
    assert_eq!(r.status, 422, "an approved entry is locked: {}", r.text);
}

#[test]
fn accounts_are_isolated() {
    let s = setup();
    let other = tenant();
    // A tenant key naming another account is refused; the other tenant's key sees none of it.
    let r = req("GET", "/v2/users").key(&other.key).header("Harvest-Account-Id", &s.t.id).send();
    assert_eq!(r.status, 403, "{}", r.text);
    let r = req("GET", "/v2/users").key(&other.key).header("Harvest-Account-Id", &other.id).send().expect(200);
    assert_eq!(r.body["total_entries"], 0);
    let path = format!("/v2/users/{}", s.worker["harvest_id"]);
    req("GET", &path).key(&other.key).header("Harvest-Account-Id", &other.id).send().expect(404);
    // The integer account id works as well as the tenant id.
    let tenant_json = req("GET", &format!("/v1/operator/tenants/{}", s.t.id)).operator().send().expect(200);
    let account = tenant_json.data()["harvest_id"].to_string();
    let r = req("GET", "/v2/users").key(&s.t.key).header("Harvest-Account-Id", &account).send().expect(200);
    assert_eq!(r.body["total_entries"], 1);
    let r = req("GET", "/v2/users").key(&other.key).header("Harvest-Account-Id", &account).send();
    assert_eq!(r.status, 403, "another tenant's account id: {}", r.text);
    // A vendor acts for a tenant with a grant, through the same header.
    let (vendor_id, vendor_key) = crate::tenancy::vendor();
    let r = req("GET", "/v2/users").key(&vendor_key).header("Harvest-Account-Id", &s.t.id).send();
    assert_eq!(r.status, 403, "no grant yet: {}", r.text);
    s.t.post("/v1/partnerships", json!({"vendor_id": vendor_id, "scopes": ["read:workers"]})).expect(201);
    let r = req("GET", "/v2/users").key(&vendor_key).header("Keito-Account-Id", &account).send().expect(200);
    assert_eq!(r.body["users"][0]["id"], s.worker["harvest_id"]);
}
