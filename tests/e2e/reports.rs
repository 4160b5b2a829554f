//! Reports (SPEC §6) over a known dataset: exact hours and money per worker, job, customer and
//! task; rejected entries left out; `[from, to]` as local days (the entry's site's zone, else
//! its job's site's, else its worker's site's, else the tenant's), both ends included; CSV that a
//! real CSV parser reads back as the JSON, with a hostile name intact and inert.

use serde_json::{json, Value};

use crate::client::{req, tenant_with, Resp, Tenant};

/// A name with a comma, a double quote and a leading `=`.
pub const HOSTILE: &str = "=Doe, \"Jo\"";

/// The dataset's ids.
pub struct Data {
    pub t: Tenant,
    pub ada: String,
    pub jo: String,
    pub roof: String,
    pub fence: String,
    pub acme: String,
    pub framing: String,
}

fn id(v: &Value) -> String {
    v["id"].as_str().expect("id").to_string()
}

/// Makes an entry, then approves or rejects it (`status`).
pub fn entry(t: &Tenant, body: Value, status: &str) -> String {
    let e = id(t.post("/v1/time-entries", body).expect(201).data());
    match status {
        "approved" => drop(t.post(&format!("/v1/time-entries/{e}/approve"), json!({})).expect(200)),
        "rejected" => drop(t.post(&format!("/v1/time-entries/{e}/reject"), json!({"note": "no"})).expect(200)),
        _ => {}
    }
    e
}

/// A New York tenant paying in euros. Ada (20.00/h) has no site; Jo (30.00/h, the [`HOSTILE`]
/// name) works from a Tokyo site; the Brooklyn site has no zone of its own (so New York's).
/// Entries around 2 and 3 March:
///
/// | entry | worker | job, task | UTC | local day | hours | status |
/// |---|---|---|---|---|---|---|
/// | e1 | Ada | roof, framing | 03-02 14:00–17:00 | NY 03-02 | 3 | approved |
/// | e2 | Ada | fence | 03-03 13:00–14:30 | NY 03-03 | 1.5 | pending |
/// | e3 | Ada | roof | 03-02 18:00–20:00 | NY 03-02 | 2 | rejected |
/// | e4 | Ada | roof | 03-02 04:30–05:30 | NY 03-01 | 1 | pending (before the range) |
/// | e5 | Ada | roof | 03-04 04:30–05:00 | NY 03-03 | 0.5 | pending (last day) |
/// | e6 | Jo | roof | 03-01 16:00–18:00 | Tokyo 03-02 | 2 | approved |
/// | e7 | Jo | — (site NY) | 03-03 23:30–03-04 00:30 | NY 03-03 | 1 | approved |
/// | e8 | Jo | — | 03-03 15:30–16:00 | Tokyo 03-04 | 0.5 | approved (after the range) |
pub fn dataset() -> Data {
    let t = tenant_with(json!({
        "name": "Report Co", "tier": "enterprise", "timezone": "America/New_York",
        "limits": {"per_second": 10000, "per_minute": 100000, "per_day": 1000000},
        "settings": {"currency": "EUR", "overtime_multiplier": 2}
    }));
    let tokyo = id(t.post("/v1/sites", json!({"name": "Tokyo", "timezone": "Asia/Tokyo"})).expect(201).data());
    let ny = id(t.post("/v1/sites", json!({"name": "Brooklyn"})).expect(201).data());
    let ada = id(&t.worker(json!({"name": "Ada Lovelace", "pay_rate": 2000})));
    let jo = id(&t.worker(json!({"name": HOSTILE, "pay_rate": 3000, "site_id": tokyo})));
    let acme = id(t.post("/v1/customers", json!({"name": "Acme"})).expect(201).data());
    let roof = id(t
        .post("/v1/jobs", json!({"name": "Roof", "customer_id": acme, "budget": {"hours": 10}, "hourly_rate": 5000}))
        .expect(201)
        .data());
    let fence = id(t
        .post("/v1/jobs", json!({"name": "Fence", "budget": {"amount": 100000, "currency": "EUR"}}))
        .expect(201)
        .data());
    let framing = id(t.post("/v1/tasks", json!({"name": "Framing", "billable_by_default": false})).expect(201).data());
    let span = |w: &str, from: &str, to: &str| json!({"worker_id": w, "started_at": from, "ended_at": to});
    let with = |mut v: Value, extra: Value| {
        for (k, x) in extra.as_object().expect("object") {
            v[k] = x.clone();
        }
        v
    };
    let e = |body: Value, status: &str| entry(&t, body, status);
    e(
        with(span(&ada, "2026-03-02T14:00:00Z", "2026-03-02T17:00:00Z"), json!({"job_id": roof, "task_id": framing})),
        "approved",
    );
    e(with(span(&ada, "2026-03-03T13:00:00Z", "2026-03-03T14:30:00Z"), json!({"job_id": fence})), "pending");
    e(with(span(&ada, "2026-03-02T18:00:00Z", "2026-03-02T20:00:00Z"), json!({"job_id": roof})), "rejected");
    e(with(span(&ada, "2026-03-02T04:30:00Z", "2026-03-02T05:30:00Z"), json!({"job_id": roof})), "pending");
    e(with(span(&ada, "2026-03-04T04:30:00Z", "2026-03-04T05:00:00Z"), json!({"job_id": roof})), "pending");
    e(with(span(&jo, "2026-03-01T16:00:00Z", "2026-03-01T18:00:00Z"), json!({"job_id": roof})), "approved");
    e(with(span(&jo, "2026-03-03T23:30:00Z", "2026-03-04T00:30:00Z"), json!({"site_id": ny})), "approved");
    e(span(&jo, "2026-03-03T15:30:00Z", "2026-03-03T16:00:00Z"), "approved");
    Data { t, ada, jo, roof, fence, acme, framing }
}

const RANGE: &str = "from=2026-03-02&to=2026-03-03";

fn report(t: &Tenant, path: &str) -> Value {
    t.get(path).expect(200).data().clone()
}

/// `[(id, hours, billable_hours, labor_cost, entry_count)]` of a time report's rows.
fn rows(data: &Value, id_column: &str) -> Vec<(Value, f64, f64, i64, i64)> {
    data["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            let n = |k: &str| r[k].as_f64().expect(k);
            (r[id_column].clone(), n("hours"), n("billable_hours"), n("labor_cost") as i64, n("entry_count") as i64)
        })
        .collect()
}

#[test]
fn time_report_by_each_grouping() {
    let d = dataset();
    let t = &d.t;
    let by = |g: &str| report(t, &format!("/v1/reports/time?{RANGE}&group_by={g}"));
    let workers = by("worker");
    assert_eq!((workers["from"].clone(), workers["to"].clone()), (json!("2026-03-02"), json!("2026-03-03")));
    assert_eq!((workers["currency"].clone(), workers["group_by"].clone()), (json!("EUR"), json!("worker")));
    assert_eq!(workers["statuses"], json!(["approved", "pending"]));
    let mut expected = vec![
        (json!(d.ada), 5.0, 2.0, 10_000, 3), // e1 (not billable: framing), e2, e5
        (json!(d.jo), 3.0, 3.0, 9_000, 2),   // e6, e7
    ];
    expected.sort_by(|a, b| a.0.as_str().cmp(&b.0.as_str()));
    assert_eq!(rows(&workers, "worker_id"), expected);
    let names: Vec<&str> = workers["rows"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert!(names.contains(&HOSTILE) && names.contains(&"Ada Lovelace"));
    // Billable time at its billing rate: only Roof has one (50.00/h): e5 0.5 h (Ada), e6 2 h (Jo).
    let amounts: Vec<(Value, Value)> = workers["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["worker_id"].clone(), r["billable_amount"].clone()))
        .collect();
    assert!(amounts.contains(&(json!(d.ada), json!(2_500))) && amounts.contains(&(json!(d.jo), json!(10_000))));
    assert_eq!(
        workers["totals"],
        json!({"hours": 8.0, "billable_hours": 5.0, "billable_amount": 12_500, "labor_cost": 19_000, "entry_count": 5})
    );

    let jobs = by("job");
    let mut expected = vec![
        (json!(d.roof), 5.5, 2.5, 13_000, 3), // e1 3 h (Ada), e5 0.5 h (Ada), e6 2 h (Jo)
        (json!(d.fence), 1.5, 1.5, 3_000, 1),
    ];
    expected.sort_by(|a, b| a.0.as_str().cmp(&b.0.as_str()));
    expected.insert(0, (Value::Null, 1.0, 1.0, 3_000, 1)); // e7 has no job
    assert_eq!(rows(&jobs, "job_id"), expected);

    let customers = by("customer");
    assert_eq!(
        rows(&customers, "customer_id"),
        vec![(Value::Null, 2.5, 2.5, 6_000, 2), (json!(d.acme), 5.5, 2.5, 13_000, 3)]
    );
    assert_eq!(customers["rows"][1]["name"], "Acme");

    let tasks = by("task");
    assert_eq!(
        rows(&tasks, "task_id"),
        vec![(Value::Null, 5.0, 5.0, 13_000, 4), (json!(d.framing), 3.0, 0.0, 6_000, 1)]
    );
}

#[test]
fn statuses_and_filters() {
    let d = dataset();
    let t = &d.t;
    let approved = report(t, &format!("/v1/reports/time?{RANGE}&status=approved"));
    let mut expected = vec![(json!(d.ada), 3.0, 0.0, 6_000, 1), (json!(d.jo), 3.0, 3.0, 9_000, 2)];
    expected.sort_by(|a, b| a.0.as_str().cmp(&b.0.as_str()));
    assert_eq!(rows(&approved, "worker_id"), expected);
    // Rejected entries count only when asked for.
    let rejected = report(t, &format!("/v1/reports/time?{RANGE}&status=rejected"));
    assert_eq!(rows(&rejected, "worker_id"), vec![(json!(d.ada), 2.0, 2.0, 4_000, 1)]);
    let one = report(t, &format!("/v1/reports/time?{RANGE}&worker_id={}&group_by=job", d.jo));
    assert_eq!(rows(&one, "job_id"), vec![(Value::Null, 1.0, 1.0, 3_000, 1), (json!(d.roof), 2.0, 2.0, 6_000, 1)]);
    let roof = report(t, &format!("/v1/reports/time?{RANGE}&job_id={}", d.roof));
    assert_eq!(roof["totals"]["hours"], 5.5);
    // The range is inclusive by local day: widening it by a day on each side brings e4 and e8.
    let wide = report(t, "/v1/reports/time?from=2026-03-01&to=2026-03-04");
    assert_eq!(wide["totals"]["hours"], 9.5);
    let first_day = report(t, "/v1/reports/time?from=2026-03-02&to=2026-03-02");
    assert_eq!(first_day["totals"]["hours"], 5.0); // e1, e6
}

#[test]
fn job_costing_with_whole_life_budget_use() {
    let d = dataset();
    let data = report(&d.t, &format!("/v1/reports/job-costing?{RANGE}"));
    let rows = data["rows"].as_array().unwrap();
    let row = |job: &str| rows.iter().find(|r| r["job_id"] == job).expect("job row").clone();
    assert_eq!(rows.len(), 2);
    let roof = row(&d.roof);
    assert_eq!(
        (roof["hours"].clone(), roof["labor_cost"].clone(), roof["entry_count"].clone()),
        (json!(5.5), json!(13_000), json!(3))
    );
    assert_eq!((roof["customer_id"].clone(), roof["budget_hours"].clone()), (json!(d.acme), json!(10.0)));
    // Whole life, approved and pending, any day: e1 3 + e4 1 + e5 0.5 + e6 2 = 6.5 of 10 hours.
    assert_eq!(roof["percent_used"], 65.0);
    let detail = d.t.get(&format!("/v1/jobs/{}", d.roof)).expect(200);
    assert_eq!(detail.data()["budget_used"]["percent"], roof["percent_used"]);
    let fence = row(&d.fence);
    assert_eq!((fence["hours"].clone(), fence["labor_cost"].clone()), (json!(1.5), json!(3_000)));
    assert_eq!((fence["budget_amount"].clone(), fence["percent_used"].clone()), (json!(100000), json!(3.0)));
    assert_eq!(data["totals"]["hours"], 7.0);
    // Only approved entries in the range; the percent stays the whole-life one.
    let approved = report(&d.t, &format!("/v1/reports/job-costing?{RANGE}&status=approved"));
    let approved_rows = approved["rows"].as_array().unwrap();
    assert_eq!(approved_rows.len(), 1);
    assert_eq!(
        (approved_rows[0]["hours"].clone(), approved_rows[0]["percent_used"].clone()),
        (json!(5.0), json!(65.0))
    );
}

/// The CSV parsed by a real CSV parser, as `(header, records)`.
fn parse_csv(r: &Resp) -> (Vec<String>, Vec<Vec<String>>) {
    assert!(r.text.ends_with("\r\n"), "records end with CRLF");
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(r.text.as_bytes());
    let header = reader.headers().expect("header").iter().map(str::to_string).collect();
    let records = reader.records().map(|rec| rec.expect("record").iter().map(str::to_string).collect()).collect();
    (header, records)
}

/// A JSON value as its CSV field reads back: `null` empty, text guarded against formulas.
fn as_field(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) if s.starts_with(['=', '+', '-', '@', '\t', '\r']) => format!("'{s}"),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Asserts that `csv` holds exactly the rows of `json`, field by field, in order.
pub fn assert_same(csv: &Resp, rows: &[Value]) {
    let (header, records) = parse_csv(csv);
    assert_eq!(records.len(), rows.len(), "{}", csv.text);
    for (record, row) in records.iter().zip(rows) {
        let object = row.as_object().expect("row object");
        assert_eq!(header.len(), object.len(), "same fields");
        for (name, field) in header.iter().zip(record) {
            let value = &object[name.as_str()];
            match value.as_f64() {
                Some(n) => assert_eq!(field.parse::<f64>().ok(), Some(n), "{name}"),
                None => assert_eq!(field, &as_field(value), "{name}"),
            }
        }
    }
}

#[test]
fn csv_reads_back_as_the_json() {
    let d = dataset();
    let t = &d.t;
    for path in [
        format!("/v1/reports/time?{RANGE}&group_by=worker"),
        format!("/v1/reports/time?{RANGE}&group_by=customer"),
        format!("/v1/reports/job-costing?{RANGE}"),
    ] {
        let json = report(t, &path);
        let csv = t.get(&format!("{path}&format=csv")).expect(200);
        assert_eq!(csv.header("Content-Type"), Some("text/csv; charset=utf-8"));
        let disposition = csv.header("Content-Disposition").expect("attachment");
        assert!(
            disposition.starts_with("attachment; filename=\"") && disposition.ends_with("-2026-03-02-2026-03-03.csv\"")
        );
        assert!(csv.text.contains("\r\n") && csv.text.ends_with("\r\n"), "CRLF records");
        assert_same(&csv, json["rows"].as_array().unwrap());
        // `Accept: text/csv` gives the same file; `format=json` wins over it.
        let accepted = req("GET", &path).key(&t.key).header("Accept", "text/csv").send().expect(200);
        assert_eq!(accepted.text, csv.text);
        let forced = req("GET", &format!("{path}&format=json")).key(&t.key).header("Accept", "text/csv").send();
        assert_eq!(forced.expect(200).data()["rows"], json["rows"]);
    }
    // The hostile name: quoted, its quotes doubled, and prefixed so no spreadsheet runs it.
    let csv = t.get(&format!("/v1/reports/time?{RANGE}&format=csv")).expect(200);
    assert!(csv.text.contains("\"'=Doe, \"\"Jo\"\"\""), "{}", csv.text);
    let (_, records) = parse_csv(&csv);
    assert!(records.iter().any(|r| r[1] == format!("'{HOSTILE}")));
}

#[test]
fn bad_requests() {
    let d = dataset();
    let t = &d.t;
    for (query, status, field) in [
        ("from=2026-03-03&to=2026-03-02", 422, Some("to")),
        ("from=2025-01-01&to=2026-01-02", 422, Some("to")),
        ("from=2025-01-01", 400, None),
        ("to=2025-01-01", 400, None),
        ("from=2025-01-01&to=2025-01-40", 400, None),
        ("from=2025-01-01T00:00:00Z&to=2025-01-02", 400, None),
        (&format!("{RANGE}&group_by=site"), 400, None),
        (&format!("{RANGE}&status=approved,done"), 400, None),
        (&format!("{RANGE}&worker_id=job_1"), 400, None),
        (&format!("{RANGE}&format=xml"), 400, None),
        (&format!("{RANGE}&colour=red"), 400, None),
        (&format!("{RANGE}&from=2026-03-01"), 400, None),
    ] {
        let r = t.get(&format!("/v1/reports/time?{query}"));
        let code = if status == 422 { "validation_failed" } else { "bad_request" };
        let r = r.expect_error(status, code);
        if let Some(f) = field {
            assert_eq!(r.detail_fields(), vec![f.to_string()], "{query}");
        }
    }
    // A full year of 366 days is fine; job costing takes no `group_by`.
    t.get("/v1/reports/time?from=2024-01-01&to=2024-12-31").expect(200);
    t.get(&format!("/v1/reports/job-costing?{RANGE}&group_by=job")).expect_error(400, "bad_request");
    // Other tenants see none of it.
    let other = crate::client::tenant();
    let empty = other.get(&format!("/v1/reports/time?{RANGE}")).expect(200);
    assert_eq!(empty.data()["rows"], json!([]));
    assert_eq!(empty.data()["totals"]["hours"], 0.0);
}
