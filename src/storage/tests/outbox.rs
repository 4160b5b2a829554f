//! The outbox (SPEC §7): every event is written in the same atomic batch as the change that
//! caused it, with the object as that batch left it; a write that does not happen records
//! nothing.

use serde_json::Value;

use super::{at, Fx};
use crate::domain::events::Event;
use crate::domain::listing::Arg;
use crate::storage::db::{Database, Statement};
use crate::storage::resource;
use crate::storage::shifts;
use crate::storage::sqlite::block_on;
use crate::storage::time_entries::{self, TIME_ENTRIES};
use crate::storage::workers::WORKERS;

fn types(fx: &Fx) -> Vec<String> {
    fx.events().into_iter().map(|(t, _)| t).collect()
}

#[test]
fn a_create_and_its_event_land_together() {
    let fx = Fx::new();
    let id = fx.worker();
    let json: Value =
        serde_json::from_str(&block_on(resource::get(&fx.db, &WORKERS, &fx.tenant, &id)).unwrap()).unwrap();
    let events = fx.events();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].0, "worker.created");
    assert_eq!(events[0].1, json, "the event carries the object as created");
}

#[test]
fn an_update_event_carries_the_object_after_the_change() {
    let fx = Fx::new();
    let id = fx.worker();
    let sets = vec![("name", Arg::from("Grace Hopper"))];
    let updated = block_on(resource::update(&fx.db, &WORKERS, &fx.tenant, &id, fx.tick(), sets)).unwrap();
    let (kind, data) = fx.events().pop().unwrap();
    assert_eq!(kind, "worker.updated");
    assert_eq!(data["name"], "Grace Hopper");
    assert_eq!(data, serde_json::from_str::<Value>(&updated).unwrap());
}

#[test]
fn every_event_of_a_write_lands_with_it_in_order() {
    let fx = Fx::new();
    let w = fx.worker();
    let span = crate::domain::time_entries::Span { started_at: at("09:00"), ended_at: None, breaks: vec![] };
    let id = "te_0193c2aa000070008000000000000001";
    let guard = time_entries::guard(&fx.tenant, &w, id, &span, false);
    let cols = vec![("worker_id", Arg::from(w.as_str())), ("started_at", span.started_at.clone().into())];
    let events = [Event::AttendanceClockIn, Event::TimeEntryFlaggedOutsideFence];
    let created = block_on(resource::create_if(
        &fx.db,
        &TIME_ENTRIES,
        &fx.tenant,
        id,
        fx.tick(),
        cols,
        resource::Guarded { guard: Some(guard), events: &events },
    ));
    assert!(created.unwrap().is_some());
    let sets = vec![("notes", Arg::from("late"))];
    let more = [Event::TimeEntryUpdated, Event::AttendanceClockOut];
    block_on(resource::update_if(
        &fx.db,
        &TIME_ENTRIES,
        &fx.tenant,
        id,
        fx.tick(),
        sets,
        resource::Guarded { guard: None, events: &more },
    ))
    .unwrap();
    let expected = [
        "worker.created",
        "time_entry.created",
        "attendance.clock_in",
        "time_entry.flagged_outside_fence",
        "time_entry.updated",
        "attendance.clock_out",
    ];
    assert_eq!(types(&fx), expected);
    assert!(fx.events()[2..].iter().all(|(_, data)| data["id"] == id));
}

#[test]
fn a_refused_write_records_no_event() {
    let fx = Fx::new();
    let w = fx.worker();
    let first = fx.entry(&w, &at("09:00"), Some(&at("10:00"))).unwrap();
    // The overlapping entry asks for extra events; the guard refuses the write, so none land.
    let span = crate::domain::time_entries::Span { started_at: at("09:30"), ended_at: None, breaks: vec![] };
    let id = "te_refused";
    let guard = time_entries::guard(&fx.tenant, &w, id, &span, false);
    let cols = vec![("worker_id", Arg::from(w.as_str())), ("started_at", span.started_at.clone().into())];
    let events = [Event::AttendanceClockIn, Event::TimeEntryFlaggedOutsideFence];
    let created = block_on(resource::create_if(
        &fx.db,
        &TIME_ENTRIES,
        &fx.tenant,
        id,
        fx.tick(),
        cols,
        resource::Guarded { guard: Some(guard), events: &events },
    ));
    assert_eq!(created.unwrap(), None);
    assert_eq!(types(&fx), ["worker.created", "time_entry.created"]);
    assert_eq!(fx.events()[1].1["id"], first.as_str());

    // A guarded update that does not apply records nothing either.
    let guard = resource::Guard { sql: "status = ?".into(), args: vec!["approved".into()] };
    let sets = vec![("notes", Arg::from("late"))];
    let updated = block_on(resource::update_if(
        &fx.db,
        &TIME_ENTRIES,
        &fx.tenant,
        &first,
        fx.tick(),
        sets,
        resource::Guarded { guard: Some(guard), events: &[Event::TimeEntryUpdated] },
    ));
    assert_eq!(updated.unwrap(), None);
    assert_eq!(types(&fx).len(), 2);
}

#[test]
fn a_failed_batch_leaves_neither_change_nor_event() {
    let fx = Fx::new();
    fx.worker_coded(&fx.tenant, "EMP-1").unwrap();
    // Same code: the insert fails on the unique index, and its event goes with it.
    let err = fx.worker_coded(&fx.tenant, "EMP-1").unwrap_err();
    assert_eq!(err.status(), 409);
    assert_eq!(types(&fx), ["worker.created"]);

    // Any statement failing undoes those before it.
    let event = resource::event_stmt(&WORKERS, Event::WorkerUpdated, &fx.tenant, "wkr_x", fx.tick());
    let insert = Statement::new(
        "INSERT INTO events (id, tenant_id, type, occurred_at, data) VALUES ('evt_1', ?, 'ping', 'now', '{}')",
        [fx.tenant.as_str().into()],
    );
    let broken = Statement::new("INSERT INTO no_such_table VALUES (1)", Vec::new());
    assert!(block_on(fx.db.batch(vec![event, insert, broken])).is_err());
    assert_eq!(types(&fx), ["worker.created"]);
}

#[test]
fn deleted_objects_record_no_event_for_them() {
    let fx = Fx::new();
    let id = fx.worker();
    fx.delete(&WORKERS, &id).unwrap();
    // An event statement for an object that is gone inserts nothing.
    let stmt = resource::event_stmt(&WORKERS, Event::WorkerUpdated, &fx.tenant, &id, fx.tick());
    let written = block_on(fx.db.batch(vec![stmt])).unwrap();
    assert_eq!(written[0].changes, 0);
    assert_eq!(types(&fx), ["worker.created"]);
}

#[test]
fn publishing_records_one_event_with_the_shifts() {
    let fx = Fx::new();
    let (w, site) = (fx.worker(), fx.site());
    let a = fx.shift(&w, &site, &at("09:00"), &at("12:00")).unwrap();
    let b = fx.shift(&w, &site, &at("13:00"), &at("17:00")).unwrap();
    fx.shift(&w, &site, "2026-04-01T09:00:00Z", "2026-04-01T17:00:00Z").unwrap();
    let (from, to) = ("2026-03-01T00:00:00Z", "2026-03-31T23:59:59Z");
    let published = block_on(shifts::publish(&fx.db, &fx.tenant, from, to, fx.tick())).unwrap();
    assert_eq!(published, [a.clone(), b.clone()]);
    let (kind, data) = fx.events().pop().unwrap();
    assert_eq!(kind, "schedule.published");
    assert_eq!(data, serde_json::json!({"from": from, "to": to, "shift_ids": [a, b], "count": 2}));

    // Nothing left to publish: no ids, no event.
    let again = block_on(shifts::publish(&fx.db, &fx.tenant, from, to, fx.tick())).unwrap();
    assert!(again.is_empty());
    assert_eq!(types(&fx).iter().filter(|t| *t == "schedule.published").count(), 1);
}

/// The request's database notes the ids of exactly the events that committed (the fan-out
/// after the response delivers those and no others).
#[test]
fn the_request_notes_exactly_the_events_it_committed() {
    use crate::storage::outbox::{Committed, Recorded};
    let fx = Fx::new();
    let committed = Committed::default();
    let db = Recorded { db: &fx.db, committed: &committed };
    // Written through the fixture's own database, not the request's: not noted.
    let w = fx.worker();
    let first_id = "te_0193c2aa000070008000000000000001";
    let span = crate::domain::time_entries::Span { started_at: at("09:00"), ended_at: None, breaks: vec![] };
    let guard = time_entries::guard(&fx.tenant, &w, first_id, &span, false);
    let cols = || vec![("worker_id", Arg::from(w.as_str())), ("started_at", Arg::from(at("09:00")))];
    let events = [Event::AttendanceClockIn];
    let made = block_on(resource::create_if(
        &db,
        &TIME_ENTRIES,
        &fx.tenant,
        first_id,
        fx.tick(),
        cols(),
        resource::Guarded { guard: Some(guard), events: &events },
    ));
    assert!(made.unwrap().is_some());
    // Refused by the no-overlap guard: its events do not land and are not noted.
    let second_id = "te_0193c2aa000070008000000000000002";
    let guard = time_entries::guard(&fx.tenant, &w, second_id, &span, false);
    let refused = block_on(resource::create_if(
        &db,
        &TIME_ENTRIES,
        &fx.tenant,
        second_id,
        fx.tick(),
        cols(),
        resource::Guarded { guard: Some(guard), events: &events },
    ));
    assert_eq!(refused.unwrap(), None);
    // A batch that fails commits nothing, so notes nothing.
    let event = resource::event_stmt(&WORKERS, Event::WorkerUpdated, &fx.tenant, &w, fx.tick());
    let broken = Statement::new("INSERT INTO no_such_table VALUES (1)", Vec::new());
    assert!(block_on(db.batch(vec![event, broken])).is_err());

    let noted = committed.take();
    let sql = "SELECT id FROM events WHERE tenant_id = ? AND type != 'worker.created' ORDER BY id";
    let landed: Vec<(String,)> = block_on(fx.db.raw(sql, &[fx.tenant.as_str().into()])).unwrap();
    assert_eq!(noted, landed.into_iter().map(|(id,)| id).collect::<Vec<_>>());
    assert_eq!(noted.len(), 2, "time_entry.created and attendance.clock_in");
    assert!(committed.take().is_empty(), "taken once");
}
