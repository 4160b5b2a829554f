//! Attendance: the kiosk day (clock-in, break, clock-out) and its state errors, seen in the
//! daily, today, range and summary views; a night shift across midnight; history.

use serde_json::json;

use crate::client::{tenant, Tenant};

fn kiosk(t: &Tenant, action: &str, body: serde_json::Value) -> crate::client::Resp {
    t.post(&format!("/v1/attendance/{action}"), body)
}

#[test]
fn a_full_kiosk_day() {
    let t = tenant();
    let w = t.worker(json!({"name": "Kira Kiosk", "employee_code": "K-7"}));
    let id = w["id"].as_str().unwrap().to_string();
    kiosk(&t, "clock-out", json!({"worker_id": id})).expect_error(409, "conflict");
    kiosk(&t, "break-start", json!({"worker_id": id})).expect_error(409, "conflict");
    let e = kiosk(&t, "clock-in", json!({"employee_code": "K-7", "latitude": 40.0, "longitude": -3.0})).expect(201);
    assert_eq!(e.data()["source"], "kiosk");
    assert_eq!(e.data()["is_running"], true);
    kiosk(&t, "clock-in", json!({"worker_id": id})).expect_error(409, "conflict");
    kiosk(&t, "break-end", json!({"worker_id": id})).expect_error(409, "conflict");
    let b = kiosk(&t, "break-start", json!({"worker_id": id})).expect(200);
    assert_eq!(b.data()["breaks"].as_array().unwrap().len(), 1);
    kiosk(&t, "break-start", json!({"worker_id": id})).expect_error(409, "conflict");

    let today = t.get("/v1/attendance/today").expect(200);
    let me =
        today.data()["workers"].as_array().unwrap().iter().find(|x| x["worker_id"] == id.as_str()).unwrap().clone();
    assert_eq!(me["status"], "on_break");

    kiosk(&t, "break-end", json!({"worker_id": id})).expect(200);
    let out = kiosk(&t, "clock-out", json!({"worker_id": id, "latitude": 40.0, "longitude": -3.0})).expect(200);
    assert_eq!(out.data()["is_running"], false);
    assert_eq!(out.data()["clock_out_location"], json!({"latitude": 40.0, "longitude": -3.0}));
    kiosk(&t, "clock-out", json!({"worker_id": id})).expect_error(409, "conflict");

    let date = today.data()["date"].as_str().unwrap().to_string();
    let today = t.get(&format!("/v1/attendance/today?date={date}")).expect(200);
    let me =
        today.data()["workers"].as_array().unwrap().iter().find(|x| x["worker_id"] == id.as_str()).unwrap().clone();
    assert_eq!(me["status"], "off");
    let kinds: Vec<_> =
        me["timeline"].as_array().unwrap().iter().map(|m| m["type"].as_str().unwrap().to_string()).collect();
    assert_eq!(kinds, vec!["clock_in", "break_start", "break_end", "clock_out"]);
    assert_eq!(me["sessions"].as_array().unwrap().len(), 1);
    let daily = t.get(&format!("/v1/attendance/daily?date={date}")).expect(200);
    assert_eq!(daily.data()["workers"][0]["worker_id"], id.as_str());
    // Validation of the actions themselves.
    kiosk(&t, "clock-in", json!({})).expect_error(422, "validation_failed");
    kiosk(&t, "clock-in", json!({"employee_code": "NOPE"})).expect_error(422, "validation_failed");
    t.patch(&format!("/v1/workers/{id}/status"), json!({"status": "inactive"})).expect(200);
    kiosk(&t, "clock-in", json!({"worker_id": id})).expect_error(422, "validation_failed");
}

#[test]
fn night_shift_belongs_to_the_day_it_began_and_overtime_counts() {
    let t = tenant(); // Europe/Madrid
    let w = t.worker(json!({"name": "Nico Night"}));
    let id = w["id"].as_str().unwrap();
    // 22:00–07:00 local (CEST, UTC+2) on 2026-06-01 → 9 h on June 1st.
    t.post(
        "/v1/time-entries",
        json!({"worker_id": id, "started_at": "2026-06-01T20:00:00Z", "ended_at": "2026-06-02T05:00:00Z"}),
    )
    .expect(201);
    t.post(
        "/v1/time-entries",
        json!({"worker_id": id, "started_at": "2026-06-03T06:00:00Z", "ended_at": "2026-06-03T12:00:00Z"}),
    )
    .expect(201);
    let d1 = t.get("/v1/attendance/daily?date=2026-06-01").expect(200);
    assert_eq!(d1.data()["workers"][0]["totals"]["worked_hours"], 9.0);
    let d2 = t.get("/v1/attendance/daily?date=2026-06-02").expect(200);
    assert!(d2.data()["workers"].as_array().unwrap().is_empty());
    let s = t.get("/v1/attendance/summary?month=6&year=2026").expect(200);
    let me = s.data()["workers"].as_array().unwrap().iter().find(|x| x["worker_id"] == id).unwrap().clone();
    assert_eq!(me["total_hours"], 15.0);
    assert_eq!(me["overtime_hours"], 1.0);
    assert_eq!(me["regular_hours"], 14.0);
    assert_eq!(me["days_present"], 2);
    let r = t.get("/v1/attendance/range?start=2026-06-01&end=2026-06-07").expect(200);
    let days = r.data()["workers"][0]["days"].as_array().unwrap().clone();
    assert_eq!(days.len(), 2);
    assert_eq!(days[0]["date"], "2026-06-01");
    assert_eq!(days[0]["overtime_hours"], 1.0);
    t.get("/v1/attendance/range?start=2026-06-01&end=2026-07-15").expect_error(422, "validation_failed");
    t.get("/v1/attendance/range?start=2026-06-10&end=2026-06-01").expect_error(422, "validation_failed");
    t.get("/v1/attendance/range?start=June").expect_error(400, "bad_request");
    t.get("/v1/attendance/summary?month=13&year=2026").expect_error(400, "bad_request");
    t.get("/v1/attendance/daily").expect_error(400, "bad_request");
}

#[test]
fn absences_count_published_shifts_without_attendance() {
    let t = tenant();
    let site = t.post("/v1/sites", json!({"name": "S"})).expect(201).data()["id"].clone();
    let w = t.worker(json!({"name": "Abe Sent", "site_id": site}));
    let id = w["id"].clone();
    for day in ["2026-07-06", "2026-07-07", "2026-07-08"] {
        t.post("/v1/shifts", json!({"worker_id": id, "site_id": site, "starts_at": format!("{day}T07:00:00Z"), "ends_at": format!("{day}T15:00:00Z")})).expect(201);
    }
    t.post("/v1/shifts/publish", json!({"from": "2026-07-01", "to": "2026-07-31"})).expect(200);
    t.post(
        "/v1/time-entries",
        json!({"worker_id": id, "started_at": "2026-07-06T07:00:00Z", "ended_at": "2026-07-06T15:00:00Z"}),
    )
    .expect(201);
    let s = t.get("/v1/attendance/summary?month=7&year=2026").expect(200);
    let me = s.data()["workers"].as_array().unwrap().iter().find(|x| x["worker_id"] == id).unwrap().clone();
    assert_eq!(me["scheduled_days"], 3);
    assert_eq!(me["days_present"], 1);
    assert_eq!(me["absences"], 2);
    let hist = t.get(&format!("/v1/attendance/workers/{}", id.as_str().unwrap())).expect(200);
    assert_eq!(hist.data().as_array().unwrap().len(), 1);
    t.get("/v1/attendance/workers/wkr_0193c2aa000070008000000000000001").expect_error(404, "not_found");
}

#[test]
fn overtime_rules_are_tenant_settings() {
    let t = crate::client::tenant_with(json!({"name": "Ten-hour days", "tier": "enterprise",
        "limits": {"per_second": 1000, "per_minute": 10000, "per_day": 100000},
        "settings": {"daily_overtime_hours": 10, "week_start": "sunday"}}));
    assert_eq!(t.body["settings"]["daily_overtime_hours"], 10.0);
    assert_eq!(t.body["settings"]["weekly_overtime_hours"], 40.0);
    let w = t.worker(json!({"name": "Ollie"}));
    t.post(
        "/v1/time-entries",
        json!({"worker_id": w["id"], "started_at": "2026-06-01T06:00:00Z", "ended_at": "2026-06-01T17:00:00Z"}),
    )
    .expect(201);
    let overtime = |t: &Tenant| {
        let s = t.get("/v1/attendance/summary?month=6&year=2026").expect(200);
        s.data()["workers"][0]["overtime_hours"].as_f64().unwrap()
    };
    assert_eq!(overtime(&t), 1.0);
    let r = crate::client::req("PATCH", &format!("/v1/operator/tenants/{}", t.id))
        .operator()
        .json(&json!({"settings": {"daily_overtime_hours": 8}}))
        .send()
        .expect(200);
    assert_eq!(r.data()["settings"]["week_start"], "sunday");
    assert_eq!(overtime(&t), 3.0);
    crate::client::req("PATCH", &format!("/v1/operator/tenants/{}", t.id))
        .operator()
        .json(&json!({"settings": {"week_start": "someday"}}))
        .send()
        .expect_error(422, "validation_failed");
    crate::client::req("PATCH", "/v1/operator/tenants/ten_00000000000000000000000000000000")
        .operator()
        .json(&json!({"name": "x"}))
        .send()
        .expect_error(404, "not_found");
}
