//! Webhooks end to end, continued (SPEC §7): which events reach which endpoint (event names,
//! filters), the Slack format, replay, and the deliveries log — cursor, filters, detail — and
//! its isolation (another tenant: 404; no `webhooks` scope: 403).

use std::time::Duration;

use serde_json::{json, Value};

use crate::client::{eventually_within, tenant, walk, Tenant};
use crate::receiver::{Behaviour, Receiver};
use crate::webhook_verify;
use crate::webhooks_delivery::{endpoint, log, WAIT};

fn site(t: &Tenant, name: &str) -> String {
    t.post("/v1/sites", json!({"name": name})).expect(201).data()["id"].as_str().unwrap().to_string()
}

/// Waits until `hook`'s log has `n` deliveries, all finished.
fn settled(t: &Tenant, hook: &str, n: usize) -> Vec<Value> {
    eventually_within(WAIT, || {
        let l = log(t, hook);
        (l.len() == n && l.iter().all(|d| d["status"] != "pending")).then_some(l)
    })
}

#[test]
fn event_names_and_filters_choose_what_arrives() {
    let (rx, never) = (Receiver::start(Behaviour::Ok), Receiver::start(Behaviour::Ok));
    let t = tenant();
    let (north, south) = (site(&t, "North"), site(&t, "South"));
    let (hook, _) = endpoint(
        &t,
        json!({"url": rx.url, "events": ["worker.created", "worker.updated"], "filters": {"site_ids": [north]}}),
    );
    // Today (in the tenant's zone) is not among its days: nothing passes.
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap();
    let today =
        chrono::DateTime::from_timestamp(now.as_secs() as i64, 0).unwrap().with_timezone(&chrono_tz::Europe::Madrid);
    let other_day = chrono::Datelike::weekday(&today).succ().number_from_monday();
    let (quiet, _) = endpoint(&t, json!({"url": never.url, "events": ["*"], "filters": {"days_of_week": [other_day]}}));
    let at_north = t.worker(json!({"name": "N", "site_id": north}))["id"].as_str().unwrap().to_string();
    let at_south = t.worker(json!({"name": "S", "site_id": south}))["id"].as_str().unwrap().to_string();
    t.worker(json!({"name": "Nowhere"}));
    t.patch(&format!("/v1/workers/{at_south}"), json!({"site_id": north})).expect(200);
    t.post("/v1/jobs", json!({"name": "Roof", "site_id": north})).expect(201); // not subscribed

    let got = rx.wait_delivered(2, WAIT);
    std::thread::sleep(Duration::from_secs(3)); // anything else would have arrived by now
                                                // Order is not guaranteed (SPEC §7): compare as a set.
    let seen: std::collections::BTreeSet<(String, String)> = rx
        .received()
        .iter()
        .map(|r| {
            (r.json()["event"].as_str().unwrap().to_string(), r.json()["data"]["id"].as_str().unwrap().to_string())
        })
        .collect();
    assert_eq!(got.len(), 2);
    let expected = [("worker.created".to_string(), at_north), ("worker.updated".to_string(), at_south)];
    assert_eq!(seen, expected.into_iter().collect());
    assert!(never.received().is_empty());
    assert!(log(&t, &quiet).is_empty(), "no delivery is made for an event the filters refuse");
    assert_eq!(settled(&t, &hook, 2).len(), 2);
}

#[test]
fn slack_endpoints_get_text_rendered_in_the_tenant_zone() {
    let rx = Receiver::start(Behaviour::Ok);
    let t = tenant(); // Europe/Madrid
    let depot = site(&t, "Depot North");
    let template = "{event}: {worker_name} @ {site_name} {timestamp} {unknown}";
    endpoint(&t, json!({"url": rx.url, "events": ["attendance.clock_in"], "format": "slack", "template": template}));
    endpoint(&t, json!({"url": rx.url, "events": ["attendance.clock_in"], "format": "slack"}));
    let w = t.worker(json!({"name": "Kira", "site_id": depot}));
    t.post("/v1/attendance/clock-in", json!({"worker_id": w["id"]})).expect(201);
    let got = rx.wait_delivered(2, WAIT);
    let mut texts: Vec<String> = got.iter().map(|r| r.json()["text"].as_str().unwrap().to_string()).collect();
    texts.sort();
    assert!(got.iter().all(|r| r.json().as_object().unwrap().len() == 1), "only {{\"text\"}}");
    let custom = texts.iter().find(|s| s.contains(" @ ")).unwrap();
    let stamp = custom.trim_start_matches("attendance.clock_in: Kira @ Depot North ").trim_end_matches(" {unknown}");
    let local = chrono::DateTime::parse_from_rfc3339(stamp).unwrap_or_else(|e| panic!("{custom}: {e}"));
    let madrid = local.with_timezone(&chrono_tz::Europe::Madrid);
    assert_eq!(local.offset().local_minus_utc(), chrono::Offset::fix(madrid.offset()).local_minus_utc(), "{custom}");
    let default = texts.iter().find(|s| !s.contains(" @ ")).unwrap();
    assert_eq!(default, &format!("attendance.clock_in: Kira at Depot North ({stamp})"));
}

#[test]
fn a_ping_goes_whatever_the_endpoint_wants_and_is_logged() {
    let rx = Receiver::start(Behaviour::Ok);
    let t = tenant();
    let filters = json!({"site_ids": ["site_0193c2aa000070008000000000000001"]});
    let (hook, secret) = endpoint(&t, json!({"url": rx.url, "events": ["job.created"], "filters": filters}));
    let r = crate::webhook_endpoints::ping(&t, &hook).expect(202);
    let sent = r.data().clone();
    assert_eq!((sent["event"].as_str(), sent["status"].as_str()), (Some("ping"), Some("pending")));
    let got = rx.wait_delivered(1, WAIT).remove(0);
    assert_eq!(got.id(), sent["id"].as_str().unwrap());
    assert!(webhook_verify::both(&got, &secret));
    let body = got.json();
    assert_eq!((body["event"].as_str(), body["data"]["webhook_id"].as_str()), (Some("ping"), Some(hook.as_str())));
    assert_eq!(body["id"], sent["event_id"]);
    let logged = settled(&t, &hook, 1);
    assert_eq!((logged[0]["id"].clone(), logged[0]["status"].as_str()), (sent["id"].clone(), Some("delivered")));
}

#[test]
fn a_replay_resends_the_same_id_and_bytes_now() {
    let rx = Receiver::start(Behaviour::Ok);
    let t = tenant();
    let (hook, secret) = endpoint(&t, json!({"url": rx.url, "events": ["worker.created"]}));
    t.worker(json!({"name": "Echo"}));
    let first = rx.wait_delivered(1, WAIT).remove(0);
    settled(&t, &hook, 1);
    std::thread::sleep(Duration::from_millis(1100)); // a later second for the new signature
    let r = t.post(&format!("/v1/webhooks/deliveries/{}/replay", first.id()), json!({})).expect(202);
    assert_eq!((r.data()["id"].as_str(), r.data()["status"].as_str()), (Some(first.id()), Some("pending")));
    let again = rx.wait_delivered(2, WAIT).remove(1);
    assert_eq!((again.id(), &again.body), (first.id(), &first.body), "same webhook-id, byte-identical body");
    assert!(webhook_verify::both(&again, &secret));
    let stamp = |r: &crate::receiver::Received| r.header("webhook-timestamp").parse::<i64>().unwrap();
    assert!(stamp(&again) > stamp(&first), "signed at the replay's own time");
    let shown = settled(&t, &hook, 1).remove(0);
    assert_eq!(shown["attempts"].as_array().unwrap().len(), 2, "the log keeps both attempts");
    assert_eq!(shown["status"], "delivered");
}

#[test]
fn the_log_pages_filters_and_stays_in_its_tenant() {
    let rx = Receiver::start(Behaviour::Ok);
    let t = tenant();
    let (hook, _) = endpoint(&t, json!({"url": rx.url, "events": ["*"]}));
    let ids: Vec<String> =
        (0..3).map(|i| t.worker(json!({"name": format!("L{i}")}))["id"].as_str().unwrap().to_string()).collect();
    t.patch(&format!("/v1/workers/{}", ids[0]), json!({"name": "L0b"})).expect(200);
    let all = settled(&t, &hook, 4);
    let paged = walk(&t, &format!("/v1/webhooks/{hook}/deliveries"), 1);
    assert_eq!(paged, all, "pages of one neither skip nor repeat");
    let mut sorted: Vec<&str> = all.iter().map(|d| d["id"].as_str().unwrap()).collect();
    sorted.sort();
    assert_eq!(sorted, all.iter().map(|d| d["id"].as_str().unwrap()).collect::<Vec<_>>(), "oldest first");
    let only =
        |q: &str| t.get(&format!("/v1/webhooks/{hook}/deliveries?{q}")).expect(200).data().as_array().unwrap().len();
    assert_eq!(only("event=worker.updated"), 1);
    assert_eq!(only("event=worker.created,worker.updated&status=delivered"), 4);
    assert_eq!(only("status=pending,failed"), 0);
    for bad in ["status=lost", "event=worker.deleted", "limit=0", "cursor=zzz", "colour=red"] {
        t.get(&format!("/v1/webhooks/{hook}/deliveries?{bad}")).expect_error(400, "bad_request");
    }
    let one = &all[3];
    let detail = t.get(&format!("/v1/webhooks/deliveries/{}", one["id"].as_str().unwrap())).expect(200);
    assert_eq!(detail.data(), one);
    assert_eq!(one["attempts"][0]["status_code"], 200);

    // Another tenant sees none of it; a key without the webhooks scope is refused.
    let other = tenant();
    let dlv = one["id"].as_str().unwrap();
    other.get(&format!("/v1/webhooks/{hook}/deliveries")).expect_error(404, "not_found");
    other.get(&format!("/v1/webhooks/deliveries/{dlv}")).expect_error(404, "not_found");
    other.post(&format!("/v1/webhooks/deliveries/{dlv}/replay"), json!({})).expect_error(404, "not_found");
    t.get("/v1/webhooks/deliveries/dlv_0193c2aa000070008000000000000001").expect_error(404, "not_found");
    let workers_only = t.as_key(&t.mint(json!({"label": "w", "scopes": ["read:workers", "write:workers"]})));
    workers_only.get(&format!("/v1/webhooks/{hook}/deliveries")).expect_error(403, "forbidden");
    workers_only.get(&format!("/v1/webhooks/deliveries/{dlv}")).expect_error(403, "forbidden");
    let reader = t.as_key(&t.mint(json!({"label": "r", "scopes": ["read:webhooks"]})));
    reader.get(&format!("/v1/webhooks/deliveries/{dlv}")).expect(200);
    reader.post(&format!("/v1/webhooks/deliveries/{dlv}/replay"), json!({})).expect_error(403, "forbidden");
}
