//! Payroll exports' guarded writes (SPEC §6, §7) and the counted entries they and the reports
//! read: a page moves an export on once however often it is run, completion records its event
//! once, a failed export takes no more pages, a lost step is re-sent by one reader only; an
//! entry's day is counted in its own zone.

use chrono::NaiveDate;

use super::Fx;
use crate::domain::exports::{ExportStatus, NewExport};
use crate::domain::formats::Format;
use crate::domain::listing::Arg;
use crate::domain::reports::GroupBy;
use crate::handlers::catalog::SITES;
use crate::storage::counted::Counted;
use crate::storage::exports::{self as store, Export};
use crate::storage::sqlite::block_on;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn new_export(fx: &Fx) -> Export {
    let id = crate::domain::ids::new_id("exp", fx.tick() as u64);
    let request = NewExport { from: day("2026-03-01"), to: day("2026-03-31"), format: Format::Csv };
    block_on(store::create(&fx.db, &fx.tenant, &id, &request, fx.tick())).unwrap();
    find(fx, &id)
}

fn find(fx: &Fx, id: &str) -> Export {
    block_on(store::find(&fx.db, Some(&fx.tenant), id)).unwrap().expect("export")
}

fn rows(fx: &Fx, id: &str) -> i64 {
    fx.count("SELECT count(*) FROM export_rows WHERE export_id = ?", &[id.into()])
}

#[test]
fn a_page_moves_an_export_on_once() {
    let fx = Fx::new();
    let e = new_export(&fx);
    assert_eq!((e.status, e.last_worker_id.clone()), (ExportStatus::Queued, None));
    let page = vec![
        ("wkr_a".to_string(), vec![serde_json::json!("wkr_a"), serde_json::json!(1.5)]),
        ("wkr_b".to_string(), vec![serde_json::json!("wkr_b"), serde_json::json!(2.0)]),
    ];
    assert!(block_on(store::commit_page(&fx.db, &e, "wkr_b", &page, fx.tick())).unwrap());
    // Every row of the page lands with the move, not only the first.
    assert_eq!(rows(&fx, &e.id), 2);
    let stored = block_on(store::rows(&fx.db, &e.id, "", 10)).unwrap();
    assert_eq!(stored[1], ("wkr_b".to_string(), "[\"wkr_b\",2.0]".to_string()));
    let moved = find(&fx, &e.id);
    assert_eq!((moved.status, moved.last_worker_id.as_deref()), (ExportStatus::Processing, Some("wkr_b")));
    // The same step again (a repeated message, or a second run at once) changes nothing.
    let other = vec![("wkr_c".to_string(), vec![serde_json::json!("wkr_c")])];
    assert!(!block_on(store::commit_page(&fx.db, &e, "wkr_c", &other, fx.tick())).unwrap());
    assert_eq!((rows(&fx, &e.id), find(&fx, &e.id).last_worker_id.as_deref()), (2, Some("wkr_b")));
    // The next step, from where it stands, goes on.
    assert!(block_on(store::commit_page(&fx.db, &moved, "wkr_c", &other, fx.tick())).unwrap());
    assert_eq!(rows(&fx, &e.id), 3);
}

#[test]
fn completion_is_recorded_once_with_its_event() {
    let fx = Fx::new();
    let e = new_export(&fx);
    assert!(block_on(store::complete(&fx.db, &e, 0, "exports/t/e.csv", fx.tick())).unwrap());
    assert!(!block_on(store::complete(&fx.db, &e, 0, "exports/t/e.csv", fx.tick())).unwrap());
    let events = fx.events();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].0, "payroll.export_completed");
    assert_eq!((events[0].1["id"].clone(), events[0].1["status"].clone()), (e.id.clone().into(), "completed".into()));
    assert_eq!(events[0].1["row_count"], 0);
    let done = find(&fx, &e.id);
    assert_eq!((done.status, done.file_key.as_deref()), (ExportStatus::Completed, Some("exports/t/e.csv")));
    // Nothing moves a completed export.
    assert!(!block_on(store::commit_page(&fx.db, &done, "wkr_z", &[], fx.tick())).unwrap());
    assert_eq!(block_on(store::failed_once(&fx.db, &e.id, fx.tick())).unwrap(), 0);
}

#[test]
fn failures_count_then_fail_the_export() {
    let fx = Fx::new();
    let e = new_export(&fx);
    assert!(block_on(store::commit_page(&fx.db, &e, "wkr_a", &[("wkr_a".into(), vec![])], fx.tick())).unwrap());
    assert_eq!(block_on(store::failed_once(&fx.db, &e.id, fx.tick())).unwrap(), 1);
    assert_eq!(block_on(store::failed_once(&fx.db, &e.id, fx.tick())).unwrap(), 2);
    block_on(store::fail(&fx.db, &e.id, "no", fx.tick())).unwrap();
    let failed = find(&fx, &e.id);
    assert_eq!(failed.status, ExportStatus::Failed);
    assert_eq!(rows(&fx, &e.id), 0, "its rows are dropped");
    assert!(!block_on(store::complete(&fx.db, &failed, 0, "k", fx.tick())).unwrap());
    assert!(fx.events().is_empty());
}

#[test]
fn a_stuck_export_is_resent_by_one_reader() {
    let fx = Fx::new();
    let e = new_export(&fx);
    let resend = |before: &str| block_on(store::claim_resend(&fx.db, &fx.tenant, &e.id, before, fx.tick())).unwrap();
    assert_eq!(resend("2000-01-01T00:00:00Z"), None, "not stale yet");
    assert_eq!(resend("2100-01-01T00:00:00Z"), Some(None), "stale: resend from the start");
    assert_eq!(resend(&find(&fx, &e.id).updated_at), None, "the claim moved it");
    let other = fx.add_tenant();
    assert_eq!(block_on(store::claim_resend(&fx.db, &other, &e.id, "2100-01-01T00:00:00Z", fx.tick())).unwrap(), None);
}

#[test]
fn each_entry_counts_in_its_own_zone() {
    let fx = Fx::new(); // the tenant's zone is UTC
    let site = |tz: Option<&str>| {
        let mut cols = vec![("name", Arg::from("S"))];
        if let Some(tz) = tz {
            cols.push(("timezone", tz.into()));
        }
        fx.create_in(&fx.tenant, &SITES.table, "site", cols).unwrap()
    };
    let (tokyo, nyc, plain) = (site(Some("Asia/Tokyo")), site(Some("America/New_York")), site(None));
    let job = fx.job(vec![("site_id", nyc.clone().into())]);
    let w = fx.worker();
    fx.exec("UPDATE workers SET site_id = ? WHERE id = ?", [tokyo.clone().into(), w.clone().into()]);
    // Each entry lasts an hour and starts at 2026-03-01T20:00Z: 02 March in Tokyo, 01 March in
    // New York and UTC.
    let entry = |hour: &str, extra: Vec<(&str, Arg)>| {
        let start = format!("2026-03-01T{hour}:00:00Z");
        let end = format!("2026-03-01T{hour}:59:00Z");
        fx.entry_with(&w, &start, Some(&end), extra).unwrap()
    };
    entry("20", vec![]); // the worker's site: Tokyo, 02 March
    entry("21", vec![("job_id", job.clone().into())]); // the job's site: New York, 01 March
    entry("22", vec![("job_id", job.into()), ("site_id", plain.into())]); // a site without a zone: UTC
    entry("23", vec![("site_id", tokyo.into())]); // its own site: Tokyo, 02 March
    let count = |from: &str, to: &str| {
        let c = Counted {
            tenant: fx.tenant.clone(),
            tenant_zone: "UTC".into(),
            site_zones: vec!["Asia/Tokyo".into(), "America/New_York".into()],
            from: day(from),
            to: day(to),
            conditions: vec![],
        };
        let rows = block_on(crate::storage::reports::time(&fx.db, &c, GroupBy::Worker)).unwrap();
        rows.first().map_or(0, |r| r.sums.entries as i64)
    };
    assert_eq!(count("2026-03-02", "2026-03-02"), 2);
    assert_eq!(count("2026-03-01", "2026-03-01"), 2);
    assert_eq!(count("2026-03-01", "2026-03-02"), 4);
    let c = Counted {
        tenant: fx.tenant.clone(),
        tenant_zone: "UTC".into(),
        site_zones: vec!["Asia/Tokyo".into(), "America/New_York".into()],
        from: day("2026-03-01"),
        to: day("2026-03-02"),
        conditions: vec![],
    };
    let mut zones: Vec<String> = block_on(store::worked(&fx.db, &c)).unwrap().into_iter().map(|r| r.3).collect();
    zones.sort();
    assert_eq!(zones, ["America/New_York", "Asia/Tokyo", "Asia/Tokyo", "UTC"]);
}
