//! Webhook fan-out and delivery state (SPEC §7) on the real schema: which (event, endpoint)
//! pairs become deliveries and with what body, that fan-out is once per pair however often
//! it runs, and the guarded steps of a delivery's life (claim, record, replay, overdue,
//! purge) and its listing.

use serde_json::{json, Value};

use super::Fx;
use crate::delivery::fanout::dispatch;
use crate::domain::events::Event;
use crate::domain::ids;
use crate::domain::listing::{self, Arg, Query};
use crate::domain::time::fmt_ms;
use crate::domain::webhooks::delivery::{Answer, Attempt, DeliveryStatus};
use crate::storage::db::{self, Database};
use crate::storage::deliveries::{self, Claimed};
use crate::storage::resource;
use crate::storage::sqlite::block_on;
use crate::storage::workers::WORKERS;
use crate::storage::{events, webhooks};

impl Fx {
    /// An endpoint of the tenant, created now: `events` and `filters` as JSON text.
    fn endpoint(&self, events: &str, filters: Option<&str>, format: &str, template: Option<&str>) -> String {
        let now = self.tick();
        let id = ids::new_id("whk", now as u64);
        self.exec(
            "INSERT INTO webhooks (id, tenant_id, url, events, filters, format, template, secret, created_at, updated_at) \
             VALUES (?, ?, 'http://127.0.0.1:9/hook', ?, ?, ?, ?, 'whsec_AAAA', ?8, ?8)",
            [
                id.clone().into(),
                self.tenant.clone().into(),
                events.into(),
                filters.map(str::to_string).into(),
                format.into(),
                template.map(str::to_string).into(),
                Arg::Null,
                fmt_ms(now).into(),
            ],
        );
        id
    }

    /// The tenant's undispatched events, fanned out now.
    fn fan_out(&self) -> Vec<String> {
        let ids: Vec<(String,)> =
            block_on(self.db.raw("SELECT id FROM events WHERE dispatched_at IS NULL ORDER BY id", &[])).unwrap(); // ok: native test
        let ids: Vec<String> = ids.into_iter().map(|(id,)| id).collect();
        block_on(dispatch(&self.db, &ids, self.tick())).unwrap() // ok: native test
    }

    /// `(webhook_id, event, body)` of every delivery, oldest first.
    fn deliveries(&self) -> Vec<(String, String, Value)> {
        let sql = "SELECT webhook_id, event, body FROM webhook_deliveries ORDER BY id";
        let rows: Vec<(String, String, String)> = block_on(self.db.raw(sql, &[])).unwrap(); // ok: native test
        let body = |b: String| -> Value { serde_json::from_str(&b).unwrap() }; // ok: native test
        rows.into_iter().map(|(w, e, b)| (w, e, body(b))).collect()
    }

    fn claim(&self, id: &str) -> Option<Claimed> {
        let now = self.tick();
        block_on(deliveries::claim(&self.db, id, now, now + 15_000)).unwrap() // ok: native test
    }
}

fn failed_attempt() -> Attempt {
    Attempt::new("2026-03-01T00:00:00Z".into(), 12, &Answer::Status { code: 500, body: "oops".into() })
}

#[test]
fn each_event_goes_once_to_each_endpoint_that_wants_it() {
    let fx = Fx::new();
    let early = fx.worker(); // before any endpoint: never delivered
    let all = fx.endpoint(r#"["*"]"#, None, "json", None);
    let jobs_only = fx.endpoint(r#"["job.created"]"#, None, "json", None);
    let workers = fx.endpoint(r#"["worker.created","worker.updated"]"#, None, "json", None);
    fx.exec("UPDATE webhooks SET status = 'disabled' WHERE id = ?", [workers.as_str().into()]);
    let w = fx.worker();
    let enqueued = fx.fan_out();
    let made = fx.deliveries();
    assert_eq!(made.len(), 1, "{made:?}");
    assert_eq!(enqueued.len(), 1);
    let (webhook, event, body) = &made[0];
    assert_eq!((webhook.as_str(), event.as_str()), (all.as_str(), "worker.created"));
    assert_eq!(body["event"], "worker.created");
    assert_eq!(body["tenant_id"], fx.tenant.as_str());
    assert_eq!(body["data"]["id"], w.as_str());
    assert_ne!(body["data"]["id"], early.as_str());
    assert!(body["id"].as_str().is_some_and(|id| ids::is_id("evt", id)));
    let _ = jobs_only;

    // Everything is dispatched now: a second run (or the sweeper) makes nothing more.
    assert!(fx.fan_out().is_empty());
    let undispatched = fx.count("SELECT count(*) FROM events WHERE dispatched_at IS NULL", &[]);
    assert_eq!(undispatched, 0);
}

#[test]
fn racing_fan_outs_make_one_delivery_per_pair_and_only_one_enqueues_it() {
    let fx = Fx::new();
    fx.endpoint(r#"["*"]"#, None, "json", None);
    fx.worker();
    let ids: Vec<(String,)> = block_on(fx.db.raw("SELECT id FROM events", &[])).unwrap(); // ok: native test
    let ids: Vec<String> = ids.into_iter().map(|(id,)| id).collect();
    // Both read the event as undispatched before either writes: the second's inserts are ignored.
    let found = block_on(events::undispatched_by_id(&fx.db, &ids)).unwrap(); // ok: native test
    assert_eq!(found.len(), 1);
    let first = block_on(dispatch(&fx.db, &ids, fx.tick())).unwrap(); // ok: native test
    let planned = vec![deliveries::NewDelivery {
        id: deliveries::new_id(fx.tick()),
        tenant_id: fx.tenant.clone(),
        webhook_id: fx.deliveries()[0].0.clone(),
        event_id: ids[0].clone(),
        event: Event::WorkerCreated,
        body: "{}".into(),
    }];
    let second = block_on(deliveries::record_fan_out(&fx.db, &planned, &ids, fx.tick())).unwrap(); // ok: native test
    assert_eq!((first.len(), second.len()), (1, 0));
    assert_eq!(fx.deliveries().len(), 1);
}

#[test]
fn filters_see_the_events_site_worker_and_department() {
    let fx = Fx::new();
    let site = fx.site();
    let job = fx.job(vec![("site_id", site.as_str().into())]);
    let by_site = fx.endpoint(r#"["*"]"#, Some(&json!({"site_ids": [site]}).to_string()), "json", None);
    let by_department =
        fx.endpoint(r#"["*"]"#, Some(r#"{"department_ids": ["dep_0193c2aa000070008000000000000001"]}"#), "json", None);
    let w = fx.worker();
    // The entry names no site: its job's site is the event's.
    let entry = fx.entry_with(&w, "2026-03-02T09:00:00Z", None, vec![("job_id", job.as_str().into())]).unwrap(); // ok: native test
    block_on(resource::update_if(
        &fx.db,
        &crate::storage::time_entries::TIME_ENTRIES,
        &fx.tenant,
        &entry,
        fx.tick(),
        vec![("notes", "x".into())],
        resource::Guarded { guard: None, events: &[Event::TimeEntryUpdated] },
    ))
    .unwrap(); // ok: native test
    fx.fan_out();
    let made = fx.deliveries();
    // worker.created has no site (the worker has none); the entry's events have the job's.
    let to_site: Vec<&str> = made.iter().filter(|d| d.0 == by_site).map(|d| d.1.as_str()).collect();
    assert_eq!(to_site, ["time_entry.created", "time_entry.updated"]);
    assert!(made.iter().all(|d| d.0 != by_department), "the worker has no department");
}

#[test]
fn slack_endpoints_get_text_from_their_template() {
    let fx = Fx::new();
    let site = fx.site();
    let plain = fx.endpoint(r#"["worker.created"]"#, None, "slack", None);
    let custom = fx.endpoint(r#"["worker.created"]"#, None, "slack", Some("{worker_name} joined {site_name} {nope}"));
    let w = fx.worker();
    fx.exec("UPDATE workers SET site_id = ? WHERE id = ?", [site.as_str().into(), w.as_str().into()]);
    fx.fan_out();
    let made = fx.deliveries();
    let text = |id: &str| made.iter().find(|d| d.0 == id).map(|d| d.2.clone()).unwrap(); // ok: native test
    let plain_text = text(&plain)["text"].as_str().unwrap().to_string(); // ok: native test
    assert!(plain_text.starts_with("worker.created: Ada Lovelace at Depot ("), "{plain_text}");
    assert!(plain_text.ends_with("Z)"), "UTC tenant: {plain_text}");
    assert_eq!(text(&custom), json!({"text": "Ada Lovelace joined Depot {nope}"}));
}

#[test]
fn an_attempt_is_claimed_once_and_recorded_once() {
    let fx = Fx::new();
    fx.endpoint(r#"["*"]"#, None, "json", None);
    fx.worker();
    let id = fx.fan_out().pop().unwrap(); // ok: native test
    let claimed = fx.claim(&id).expect("due at once"); // ok: native test
    assert_eq!(claimed.attempt_count, 0);
    assert!(fx.claim(&id).is_none(), "held by the first claim");
    let next = fx.tick() + 60_000;
    let recorded = |c: &Claimed, status| {
        let attempt = failed_attempt();
        let written = deliveries::record_attempt(&fx.db, c, &attempt, status, Some(next), fx.tick());
        block_on(written).unwrap() // ok: native test
    };
    assert!(recorded(&claimed, DeliveryStatus::Pending));
    assert!(!recorded(&claimed, DeliveryStatus::Pending), "a duplicate of the same attempt is not recorded");
    assert!(fx.claim(&id).is_none(), "not due for a minute");

    let shown: Value =
        serde_json::from_str(&block_on(deliveries::get(&fx.db, &fx.tenant, &id)).unwrap().unwrap()).unwrap(); // ok: native test
    assert_eq!(shown["status"], "pending");
    assert_eq!(shown["next_attempt_at"], fmt_ms(next));
    assert_eq!(
        shown["attempts"],
        json!([{"at": "2026-03-01T00:00:00Z", "status_code": 500, "error": null, "duration_ms": 12, "response_body": "oops"}])
    );

    // Overdue once its time has passed long enough; re-enqueued, it can be claimed again.
    assert!(block_on(deliveries::overdue(&fx.db, next, 10)).unwrap().is_empty()); // ok: native test
    assert_eq!(block_on(deliveries::overdue(&fx.db, next + 1_000, 10)).unwrap(), std::slice::from_ref(&id)); // ok: native test
    block_on(deliveries::requeued(&fx.db, std::slice::from_ref(&id), fx.tick())).unwrap(); // ok: native test
    let again = fx.claim(&id).expect("due again"); // ok: native test
    assert_eq!(again.attempt_count, 1);
    let ok = Attempt::new("t".into(), 3, &Answer::Status { code: 204, body: String::new() });
    assert!(
        block_on(deliveries::record_attempt(&fx.db, &again, &ok, DeliveryStatus::Delivered, None, fx.tick())).unwrap() // ok: native test
    );
    assert!(fx.claim(&id).is_none(), "delivered");
    let overdue = block_on(deliveries::overdue(&fx.db, i64::MAX / 2, 10)).unwrap(); // ok: native test
    assert!(overdue.is_empty());
}

#[test]
fn a_replay_starts_a_new_sending_with_the_same_id_and_body() {
    let fx = Fx::new();
    let webhook = fx.endpoint(r#"["*"]"#, None, "json", None);
    fx.worker();
    let id = fx.fan_out().pop().unwrap(); // ok: native test
    let body_before = fx.deliveries()[0].2.clone();
    let claimed = fx.claim(&id).unwrap(); // ok: native test
    block_on(deliveries::record_attempt(&fx.db, &claimed, &failed_attempt(), DeliveryStatus::Failed, None, fx.tick()))
        .unwrap(); // ok: native test
    let replayed = block_on(deliveries::replay(&fx.db, &fx.tenant, &id, fx.tick())).unwrap().unwrap(); // ok: native test
    let replayed: Value = serde_json::from_str(&replayed).unwrap(); // ok: native test
    assert_eq!((replayed["id"].as_str(), replayed["status"].as_str()), (Some(id.as_str()), Some("pending")));
    assert_eq!(replayed["attempts"].as_array().map(Vec::len), Some(1), "history kept");
    let claimed = fx.claim(&id).expect("due at once"); // ok: native test
    assert_eq!(claimed.attempt_count, 0, "a fresh schedule");
    assert_eq!(fx.deliveries()[0].2, body_before);

    // Another tenant's delivery, or one whose endpoint is deleted, is not there.
    let other = fx.add_tenant();
    assert!(block_on(deliveries::replay(&fx.db, &other, &id, fx.tick())).unwrap().is_none()); // ok: native test
    assert!(block_on(deliveries::get(&fx.db, &other, &id)).unwrap().is_none()); // ok: native test
    fx.exec("UPDATE webhooks SET deleted_at = 'x' WHERE id = ?", [webhook.into()]);
    assert!(block_on(deliveries::replay(&fx.db, &fx.tenant, &id, fx.tick())).unwrap().is_none()); // ok: native test
    let gone = block_on(deliveries::get(&fx.db, &fx.tenant, &id)).unwrap(); // ok: native test
    assert!(gone.is_none());
}

#[test]
fn the_log_lists_by_endpoint_with_status_and_event_filters() {
    let fx = Fx::new();
    let webhook = fx.endpoint(r#"["*"]"#, None, "json", None);
    let other = fx.endpoint(r#"["worker.created"]"#, None, "json", None);
    let w = fx.worker();
    block_on(resource::update(&fx.db, &WORKERS, &fx.tenant, &w, fx.tick(), vec![("name", "B".into())])).unwrap(); // ok: native test
    fx.fan_out();
    let page = |pairs: &[(&str, &str)]| {
        let q = Query::new(pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect());
        let lq = deliveries::page_query(&fx.tenant, &webhook, &q).unwrap(); // ok: native test
        let rows = block_on(db::id_json_rows(&fx.db, &lq.sql, &lq.args)).unwrap(); // ok: native test
        listing::paginate(rows, lq.limit)
    };
    let events = |p: &listing::Page| -> Vec<String> {
        p.items
            .iter()
            .map(|i| serde_json::from_str::<Value>(i).unwrap()["event"].as_str().unwrap().to_string()) // ok: native test
            .collect()
    };
    assert_eq!(events(&page(&[])), ["worker.created", "worker.updated"]);
    assert_eq!(events(&page(&[("event", "worker.updated")])), ["worker.updated"]);
    assert!(page(&[("status", "delivered,failed")]).items.is_empty());
    let first = page(&[("limit", "1")]);
    let cursor = first.next_cursor.clone().unwrap(); // ok: native test
    assert_eq!(events(&page(&[("limit", "1"), ("cursor", &cursor)])), ["worker.updated"]);
    for bad in [[("status", "gone")], [("event", "nope")], [("limit", "0")], [("colour", "red")]] {
        let q = Query::new(bad.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect());
        assert_eq!(deliveries::page_query(&fx.tenant, &webhook, &q).unwrap_err().status(), 400, "{bad:?}");
    }
    // The other endpoint's log is its own; another tenant sees nothing.
    let q = Query::default();
    let lq = deliveries::page_query(&fx.tenant, &other, &q).unwrap(); // ok: native test
    assert_eq!(block_on(db::id_json_rows(&fx.db, &lq.sql, &lq.args)).unwrap().len(), 1); // ok: native test
    let lq = deliveries::page_query("ten_other", &webhook, &q).unwrap(); // ok: native test
    let rows = block_on(db::id_json_rows(&fx.db, &lq.sql, &lq.args)).unwrap(); // ok: native test
    assert!(rows.is_empty());
}

#[test]
fn stale_events_and_old_records_are_the_sweepers() {
    let fx = Fx::new();
    fx.endpoint(r#"["*"]"#, None, "json", None);
    let w = fx.worker();
    let event_ms = fx.tick();
    // Undispatched, and older than the bound: the sweeper's to fan out.
    assert!(block_on(events::stale_undispatched(&fx.db, event_ms - 10_000, 10)).unwrap().is_empty()); // ok: native test
    let stale = block_on(events::stale_undispatched(&fx.db, event_ms + 10_000, 10)).unwrap(); // ok: native test
    assert_eq!(stale.len(), 1);
    let id = block_on(dispatch(&fx.db, &stale, fx.tick())).unwrap().pop().unwrap(); // ok: native test
    assert!(block_on(events::stale_undispatched(&fx.db, i64::MAX / 2, 10)).unwrap().is_empty()); // ok: native test

    // Purges: finished deliveries and dispatched events older than the bound only.
    let later = fx.tick() + 1_000;
    let claimed = fx.claim(&id).unwrap(); // ok: native test
    assert_eq!(block_on(deliveries::purge(&fx.db, later, 10)).unwrap(), 0, "still pending"); // ok: native test
    block_on(deliveries::record_attempt(&fx.db, &claimed, &failed_attempt(), DeliveryStatus::Failed, None, fx.tick()))
        .unwrap(); // ok: native test
    assert_eq!(block_on(deliveries::purge(&fx.db, event_ms, 10)).unwrap(), 0, "too recent"); // ok: native test
    assert_eq!(block_on(deliveries::purge(&fx.db, later + 60_000, 10)).unwrap(), 1); // ok: native test
    assert_eq!(block_on(events::purge_dispatched(&fx.db, later + 60_000, 10)).unwrap(), 1); // ok: native test
    let _ = w;
    assert_eq!(fx.count("SELECT count(*) FROM events", &[]), 0);
    // The seam the consumer uses to find the endpoint still sees it.
    let enabled = block_on(webhooks::enabled_endpoints(&fx.db, &fx.tenant)).unwrap(); // ok: native test
    assert!(enabled.len() == 1);
}
