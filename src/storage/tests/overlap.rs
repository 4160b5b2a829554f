//! No overlap per worker (SPEC §6 time entries and shifts): half-open intervals, a running
//! entry reaching to the end of time, and the guard inside the insert/update statement.

use super::{at, Fx};
use crate::domain::listing::Arg;
use crate::domain::time_entries::Span;
use crate::domain::workers::WorkerStatus;
use crate::storage::resource;
use crate::storage::shifts::{self, SHIFTS};
use crate::storage::sqlite::block_on;
use crate::storage::time_entries::{self, TIME_ENTRIES};

fn span(started: &str, ended: Option<&str>) -> Span {
    Span { started_at: started.into(), ended_at: ended.map(str::to_string), breaks: vec![] }
}

fn live_entries(fx: &Fx, worker: &str) -> i64 {
    fx.count(
        "SELECT count(*) FROM time_entries WHERE tenant_id = ? AND worker_id = ? AND deleted_at IS NULL",
        &[fx.tenant.as_str().into(), worker.into()],
    )
}

#[test]
fn entries_may_touch_but_never_overlap() {
    let fx = Fx::new();
    let w = fx.worker();
    let morning = fx.entry(&w, &at("09:00"), Some(&at("12:00"))).expect("first entry");
    // Half-open: one may start the instant the previous ended, or end the instant it starts.
    assert!(fx.entry(&w, &at("12:00"), Some(&at("14:00"))).is_some());
    assert!(fx.entry(&w, &at("08:00"), Some(&at("09:00"))).is_some());
    for (s, e) in [("11:00", "13:00"), ("08:30", "09:30"), ("10:00", "11:00"), ("07:00", "15:00")] {
        assert!(fx.entry(&w, &at(s), Some(&at(e))).is_none(), "{s}–{e} overlaps");
    }
    assert_eq!(live_entries(&fx, &w), 3);
    // The 409 names the entry in the way, the earliest first.
    let other =
        block_on(time_entries::clash(&fx.db, &fx.tenant, &w, "te_new", &span(&at("10:00"), Some(&at("13:00")))));
    assert_eq!(other.unwrap().as_deref(), Some(morning.as_str()));
    // Another worker is not in the way.
    assert!(fx.entry(&fx.worker(), &at("10:00"), Some(&at("11:00"))).is_some());
}

#[test]
fn a_running_entry_reaches_the_end_of_time() {
    let fx = Fx::new();
    let w = fx.worker();
    assert!(fx.entry(&w, &at("09:00"), None).is_some());
    // Nothing may start after it, and there is at most one running entry.
    assert!(fx.entry(&w, &at("18:00"), Some(&at("19:00"))).is_none());
    assert!(fx.entry(&w, "2030-01-01T00:00:00Z", Some("2030-01-01T01:00:00Z")).is_none());
    assert!(fx.entry(&w, &at("10:00"), None).is_none());
    assert!(fx.entry(&w, &at("08:00"), None).is_none(), "a second running entry starting earlier reaches it");
    // What ended before it started is fine.
    assert!(fx.entry(&w, &at("07:00"), Some(&at("09:00"))).is_some());
    assert_eq!(live_entries(&fx, &w), 2);
}

#[test]
fn deleted_entries_are_not_in_the_way() {
    let fx = Fx::new();
    let w = fx.worker();
    let first = fx.entry(&w, &at("09:00"), Some(&at("12:00"))).unwrap();
    fx.delete(&TIME_ENTRIES, &first).unwrap();
    assert!(fx.entry(&w, &at("10:00"), Some(&at("11:00"))).is_some());
}

/// Two writers that each checked for a clash before writing both see none; the guard in the
/// statement is what lets only one of them in.
#[test]
fn the_guard_is_part_of_the_insert() {
    let fx = Fx::new();
    let w = fx.worker();
    let s = span(&at("09:00"), Some(&at("10:00")));
    for id in ["te_a", "te_b"] {
        assert_eq!(block_on(time_entries::clash(&fx.db, &fx.tenant, &w, id, &s)).unwrap(), None);
    }
    assert!(fx.entry(&w, &at("09:00"), Some(&at("10:00"))).is_some());
    assert!(fx.entry(&w, &at("09:00"), Some(&at("10:00"))).is_none());
    assert_eq!(live_entries(&fx, &w), 1);
}

/// Edits go through the same guard: an entry never collides with itself, but may not be moved
/// onto another, and an approved entry is locked.
#[test]
fn edits_are_guarded_too() {
    let fx = Fx::new();
    let w = fx.worker();
    let a = fx.entry(&w, &at("09:00"), Some(&at("12:00"))).unwrap();
    fx.entry(&w, &at("13:00"), Some(&at("15:00"))).unwrap();
    let edit = |started: &str, ended: &str| {
        let s = span(&at(started), Some(&at(ended)));
        let guard = time_entries::guard(&fx.tenant, &w, &a, &s, true);
        let sets = vec![("started_at", Arg::from(s.started_at.clone())), ("ended_at", Arg::from(s.ended_at.clone()))];
        block_on(resource::update_if(
            &fx.db,
            &TIME_ENTRIES,
            &fx.tenant,
            &a,
            fx.tick(),
            sets,
            resource::Guarded { guard: Some(guard), events: &[] },
        ))
        .unwrap()
    };
    assert!(edit("10:00", "11:00").is_some(), "within its own old interval");
    assert!(edit("09:00", "13:00").is_some(), "up to the next one");
    assert!(edit("12:00", "14:00").is_none(), "onto the next one");
    fx.exec("UPDATE time_entries SET status = 'approved' WHERE id = ?", [a.as_str().into()]);
    assert!(edit("08:00", "09:00").is_none(), "approved entries are locked");
    let current = block_on(time_entries::current(&fx.db, &fx.tenant, &a)).unwrap().unwrap();
    assert_eq!((current.started_at, current.ended_at), (at("09:00"), Some(at("13:00"))));
}

#[test]
fn shifts_are_half_open_per_worker() {
    let fx = Fx::new();
    let (w, site) = (fx.worker(), fx.site());
    let day = fx.shift(&w, &site, &at("09:00"), &at("17:00")).expect("first shift");
    assert!(fx.shift(&w, &site, &at("17:00"), &at("20:00")).is_some());
    assert!(fx.shift(&w, &site, &at("06:00"), &at("09:00")).is_some());
    assert!(fx.shift(&w, &site, &at("16:00"), &at("18:00")).is_none());
    assert!(fx.shift(&w, &site, &at("10:00"), &at("11:00")).is_none());
    assert!(fx.shift(&fx.worker(), &site, &at("10:00"), &at("11:00")).is_some());
    let clash = block_on(shifts::clash(&fx.db, &fx.tenant, &w, "shf_new", &at("08:00"), &at("10:00"))).unwrap();
    assert_eq!(clash.as_deref().map(|c| c.starts_with("shf_")), Some(true));

    // An edit never collides with the shift itself; the guard is in the update too.
    let edit = |starts: &str, ends: &str| {
        let guard = shifts::no_overlap(&fx.tenant, &w, &day, &at(starts), &at(ends));
        let sets = vec![("starts_at", Arg::from(at(starts))), ("ends_at", Arg::from(at(ends)))];
        block_on(resource::update_if(
            &fx.db,
            &SHIFTS,
            &fx.tenant,
            &day,
            fx.tick(),
            sets,
            resource::Guarded { guard: Some(guard), events: &[] },
        ))
        .unwrap()
    };
    assert!(edit("10:00", "16:00").is_some());
    assert!(edit("10:00", "18:00").is_none());
    let times = block_on(shifts::times(&fx.db, &fx.tenant, &day)).unwrap();
    assert_eq!(times, Some((w.clone(), at("10:00"), at("16:00"))));

    // A deleted shift is out of the way.
    fx.delete(&SHIFTS, &day).unwrap();
    assert!(fx.shift(&w, &site, &at("09:00"), &at("17:00")).is_some());
}

#[test]
fn the_running_entry_is_read_with_its_breaks() {
    let fx = Fx::new();
    let w = fx.worker();
    assert!(block_on(time_entries::running(&fx.db, &fx.tenant, &w)).unwrap().is_none());
    let id = fx.entry(&w, &at("09:00"), None).unwrap();
    fx.exec(
        "UPDATE time_entries SET breaks = ? WHERE id = ?",
        [r#"[{"started_at":"2026-03-02T10:00:00Z","ended_at":null}]"#.into(), id.as_str().into()],
    );
    let running = block_on(time_entries::running(&fx.db, &fx.tenant, &w)).unwrap().expect("running");
    assert_eq!(
        (running.id.as_str(), running.worker_id.as_str(), running.status.as_str()),
        (id.as_str(), w.as_str(), "pending")
    );
    assert_eq!((running.ended_at, running.breaks.len()), (None, 1));
    assert_eq!(running.breaks[0].ended_at, None);
}

#[test]
fn workers_are_found_by_id_or_code_in_their_tenant_only() {
    let fx = Fx::new();
    let w = fx.worker_coded(&fx.tenant, "K-7").unwrap();
    let find = |tenant: &str, id: Option<&str>, code: Option<&str>| {
        block_on(time_entries::worker(&fx.db, tenant, id, code)).unwrap()
    };
    let found = Some((w.clone(), WorkerStatus::Active));
    assert_eq!(find(&fx.tenant, Some(&w), None), found);
    assert_eq!(find(&fx.tenant, None, Some("K-7")), found);
    assert_eq!(find(&fx.tenant, None, None), None);
    let other_tenant = fx.add_tenant();
    assert_eq!(find(&other_tenant, Some(&w), None), None);
    assert_eq!(find(&other_tenant, None, Some("K-7")), None);
}
