//! Integer ids (SPEC §9) on real rows: every insert path gives its row the next number of its
//! table and answers it in the object's JSON; numbers are per table, rise, are never handed out
//! again after a row is purged, and survive VACUUM; and the lookups `/v2` uses find only live
//! objects of the tenant.

use serde_json::Value;

use super::Fx;
use crate::domain::events::Event;
use crate::domain::listing::{self, Arg, Query};
use crate::domain::positions::NewPosition;
use crate::domain::tenants::{Limits, Tier};
use crate::domain::{ids, time};
use crate::storage::api_keys;
use crate::storage::audit::{self, Entry};
use crate::storage::db::{self, Database};
use crate::storage::deliveries::{self, NewDelivery};
use crate::storage::harvest_ids::{self, Kind, MAX};
use crate::storage::positions::{self, Row};
use crate::storage::resource;
use crate::storage::sqlite::block_on;
use crate::storage::tenants::{self, DIVISIONS};
use crate::storage::time_entries::TIME_ENTRIES;
use crate::storage::workers::WORKERS;

impl Fx {
    /// The integer id row `id` of `kind` holds (0 if none).
    fn number(&self, kind: Kind, id: &str) -> i64 {
        self.count(&format!("SELECT harvest_id FROM {} WHERE id = ?", kind.table()), &[id.into()])
    }

    /// A worker of `tenant` made through [`resource::create`]: its id and the JSON it answered.
    fn worker_in(&self, tenant: &str) -> (String, Value) {
        let id = ids::new_id("wkr", self.tick() as u64);
        let cols = vec![("name", "Ada".into()), ("employee_code", Arg::Text(format!("E{}", self.tick())))];
        let json = block_on(resource::create(&self.db, &WORKERS, tenant, &id, self.tick(), cols)).unwrap();
        (id, serde_json::from_str(&json).unwrap())
    }

    fn positions(&self, worker: &str, recorded_at: &[&str]) -> Vec<(String, Value)> {
        let items: Vec<NewPosition> = recorded_at
            .iter()
            .map(|at| NewPosition {
                worker_id: worker.into(),
                latitude: 40.0,
                longitude: -3.0,
                accuracy_m: None,
                heading: None,
                speed_mps: None,
                recorded_at: at.to_string(),
                recorded_ms: time::parse_instant(at, false).unwrap(),
            })
            .collect();
        let rows: Vec<Row> = items
            .iter()
            .map(|p| Row { id: ids::new_id("pos", self.tick() as u64), position: p, site_id: None })
            .collect();
        let recorded = block_on(positions::insert(&self.db, &self.tenant, &time::fmt_ms(self.tick()), &rows)).unwrap();
        recorded.into_iter().map(|(id, j)| (id, serde_json::from_str(&j).unwrap())).collect()
    }

    /// Every `(id, harvest_id)` of `kind`'s table.
    fn numbers(&self, kind: Kind) -> Vec<(String, i64)> {
        let sql = format!("SELECT id, harvest_id FROM {} ORDER BY id", kind.table());
        block_on(self.db.raw(&sql, &[])).unwrap()
    }
}

fn harvest_id(json: &Value) -> i64 {
    json["harvest_id"].as_i64().unwrap_or_else(|| panic!("no integer harvest_id in {json}"))
}

#[test]
fn resources_are_numbered_at_create_and_answer_their_number() {
    let fx = Fx::new();
    // resource::create: the create's answer carries the number the row holds.
    let (w1, json) = fx.worker_in(&fx.tenant);
    assert_eq!((harvest_id(&json), fx.number(Kind::Workers, &w1)), (1, 1));
    let (w2, json) = fx.worker_in(&fx.tenant);
    assert_eq!((harvest_id(&json), fx.number(Kind::Workers, &w2)), (2, 2));
    let got: Value =
        serde_json::from_str(&block_on(resource::get(&fx.db, &WORKERS, &fx.tenant, &w2)).unwrap()).unwrap();
    assert_eq!(got, json, "detail and create answer alike");

    // Guarded creates (time entries): a refused insert takes no number.
    let first = fx.entry(&w1, &super::at("08:00"), Some(&super::at("09:00"))).expect("entry");
    assert_eq!(fx.entry(&w1, &super::at("08:30"), Some(&super::at("09:30"))), None, "overlaps");
    let second = fx.entry(&w1, &super::at("10:00"), Some(&super::at("11:00"))).expect("entry");
    assert_eq!((fx.number(Kind::TimeEntries, &first), fx.number(Kind::TimeEntries, &second)), (1, 2));
    let entry = block_on(resource::get(&fx.db, &TIME_ENTRIES, &fx.tenant, &second)).unwrap();
    assert_eq!(harvest_id(&serde_json::from_str(&entry).unwrap()), 2);
}

#[test]
fn a_batch_of_positions_is_numbered_row_by_row() {
    let fx = Fx::new();
    let w1 = fx.worker();
    // One statement inserts many rows, each numbered, each answer showing its own.
    let recorded = fx.positions(&w1, &["2026-03-02T08:00:00Z", "2026-03-02T08:01:00Z", "2026-03-02T08:02:00Z"]);
    let mut numbers: Vec<i64> = recorded
        .iter()
        .map(|(id, json)| {
            assert_eq!(harvest_id(json), fx.number(Kind::Positions, id), "{id}");
            harvest_id(json)
        })
        .collect();
    numbers.sort();
    assert_eq!(numbers, [1, 2, 3]);
}

#[test]
fn tenants_divisions_and_keys_are_numbered() {
    let fx = Fx::new();
    // A plain insert, a division (resource::create on tenants), the typed read.
    assert_eq!(fx.number(Kind::Tenants, &fx.tenant), 1);
    let other = fx.add_tenant();
    assert_eq!(fx.number(Kind::Tenants, &other), 2);
    let division = ids::new_id("ten", fx.tick() as u64);
    let cols = vec![
        ("name", Arg::from("North")),
        ("tier", "standard".into()),
        ("timezone", "UTC".into()),
        ("limits", "{}".into()),
    ];
    let json = block_on(resource::create(&fx.db, &DIVISIONS, &fx.tenant, &division, fx.tick(), cols)).unwrap();
    assert_eq!(harvest_id(&serde_json::from_str(&json).unwrap()), 3);
    fx.exec(
        "UPDATE tenants SET limits = '{\"per_second\":1,\"per_minute\":1,\"per_day\":1}' WHERE id = ?",
        [fx.tenant.clone().into()],
    );
    assert_eq!(block_on(tenants::find(&fx.db, &fx.tenant)).unwrap().harvest_id, 1);

    // API keys: the listing row and its number in one batch.
    let limits = Limits { per_second: 1, per_minute: 1, per_day: 1 };
    let new_key = |label: &str| api_keys::NewKey {
        tenant_id: Some(fx.tenant.clone()),
        vendor_id: None,
        label: label.into(),
        scopes: vec![],
        tier: Tier::Standard,
        limits,
        expires_at_ms: None,
    };
    for (label, want) in [("one", 1), ("two", 2)] {
        let minted = api_keys::mint(new_key(label), fx.tick()).unwrap();
        assert_eq!(block_on(api_keys::record(&fx.db, &minted)).unwrap(), want);
        assert_eq!(api_keys::created_json(&minted, want)["harvest_id"], want);
    }
}

#[test]
fn audit_entries_and_deliveries_are_numbered() {
    let fx = Fx::new();
    // Audit entries (many rows from one json_each statement), in the order given.
    let entry = |i: usize| Entry {
        tenant_id: Some(fx.tenant.clone()),
        key_id: format!("key_{i}"),
        key_label: "k".into(),
        vendor_id: None,
        method: "GET".into(),
        path: "/v1/workers".into(),
        query: None,
        status: 200,
        request_id: format!("req_{i}"),
        ip: None,
        resource: None,
        resource_id: None,
        replay: false,
        at_ms: fx.tick(),
    };
    block_on(audit::insert(&fx.db, (0..3).map(entry).collect())).unwrap();
    let audited: Vec<i64> = fx.numbers(Kind::AuditLog).into_iter().map(|(_, n)| n).collect();
    assert_eq!(audited, [1, 2, 3]);
    let listed = listing::compile(&audit::AUDIT_LOG, Some(&fx.tenant), &Query::new(vec![])).unwrap();
    let rows = block_on(db::id_json_rows(&fx.db, &listed.sql, &listed.args)).unwrap();
    let shown: Vec<i64> = rows.iter().map(|(_, j)| harvest_id(&serde_json::from_str(j).unwrap())).collect();
    assert_eq!(shown, [1, 2, 3], "the log lists them");

    // Webhook deliveries (INSERT OR IGNORE at fan-out): numbered once, not again when ignored.
    let delivery = NewDelivery {
        id: ids::new_id("dlv", fx.tick() as u64),
        tenant_id: fx.tenant.clone(),
        webhook_id: "whk_1".into(),
        event_id: "evt_1".into(),
        event: Event::WorkerCreated,
        body: "{}".into(),
    };
    let again = NewDelivery { id: ids::new_id("dlv", fx.tick() as u64), ..delivery.clone() };
    block_on(deliveries::record_fan_out(&fx.db, std::slice::from_ref(&delivery), &[], fx.tick())).unwrap();
    block_on(deliveries::record_fan_out(&fx.db, &[again], &[], fx.tick())).unwrap();
    assert_eq!(fx.numbers(Kind::WebhookDeliveries), [(delivery.id, 1)]);
    assert_eq!(fx.count("SELECT last FROM harvest_sequences WHERE kind = 'webhook_deliveries'", &[]), 1);
}

#[test]
fn numbers_are_per_table_rising_and_never_handed_out_again() {
    let fx = Fx::new();
    let sites: Vec<String> = (0..3).map(|_| fx.site()).collect();
    let (worker, _) = fx.worker_in(&fx.tenant);
    let site_numbers: Vec<i64> = sites.iter().map(|s| fx.number(Kind::Sites, s)).collect();
    assert_eq!(site_numbers, [1, 2, 3]);
    assert_eq!(fx.number(Kind::Workers, &worker), 1, "each table counts on its own");

    // The highest-numbered row purged outright: its number is not reused.
    fx.exec("DELETE FROM sites WHERE id = ?", [sites[2].clone().into()]);
    assert_eq!(fx.number(Kind::Sites, &fx.site()), 4);

    // Positions purged by the retention sweep: later ones still count on.
    let old = fx.positions(&worker, &["2025-01-01T08:00:00Z", "2025-01-01T08:01:00Z"]);
    assert_eq!(block_on(positions::sweep_chunk(&fx.db, "2026-01-01T00:00:00Z")).unwrap(), 2);
    let new = fx.positions(&worker, &["2026-03-02T08:00:00Z"]);
    assert_eq!((old.len(), harvest_id(&new[0].1)), (2, 3));
}

#[test]
fn vacuum_leaves_every_number_where_it_was() {
    let fx = Fx::new();
    let workers: Vec<String> = (0..6).map(|_| fx.worker_in(&fx.tenant).0).collect();
    for gone in [&workers[1], &workers[3]] {
        fx.exec("DELETE FROM workers WHERE id = ?", [gone.clone().into()]);
    }
    let (worker, _) = fx.worker_in(&fx.tenant);
    fx.positions(&worker, &["2026-03-02T08:00:00Z", "2026-03-02T08:01:00Z"]);
    let before: Vec<Vec<(String, i64)>> = Kind::ALL.iter().map(|k| fx.numbers(*k)).collect();
    fx.db.conn().execute_batch("VACUUM").expect("vacuum");
    let after: Vec<Vec<(String, i64)>> = Kind::ALL.iter().map(|k| fx.numbers(*k)).collect();
    assert_eq!(before, after);
    assert_eq!(fx.number(Kind::Workers, &fx.worker_in(&fx.tenant).0), 8, "and the sequence carries on");
}

#[test]
fn id_for_finds_a_live_object_of_the_tenant_and_nothing_else() {
    let fx = Fx::new();
    let other = fx.add_tenant();
    let (mine, _) = fx.worker_in(&fx.tenant);
    let (theirs, _) = fx.worker_in(&other);
    let (n_mine, n_theirs) = (fx.number(Kind::Workers, &mine), fx.number(Kind::Workers, &theirs));
    let id_for = |kind, tenant: &str, n| block_on(harvest_ids::id_for(&fx.db, kind, tenant, n)).unwrap();
    assert_eq!(id_for(Kind::Workers, &fx.tenant, n_mine), Some(mine.clone()));
    assert_eq!(id_for(Kind::Workers, &fx.tenant, n_theirs), None, "another tenant's number");
    assert_eq!(id_for(Kind::Workers, &other, n_theirs), Some(theirs));
    for n in [0, -1, MAX + 1, i64::MAX] {
        assert_eq!(id_for(Kind::Workers, &fx.tenant, n), None, "{n} is no integer id");
    }
    fx.delete(&WORKERS, &mine).unwrap();
    assert_eq!(id_for(Kind::Workers, &fx.tenant, n_mine), None, "a deleted object");

    // A tenant's own number names itself; the account lookup finds any live tenant.
    let (n_tenant, n_other) = (fx.number(Kind::Tenants, &fx.tenant), fx.number(Kind::Tenants, &other));
    assert_eq!(id_for(Kind::Tenants, &fx.tenant, n_tenant), Some(fx.tenant.clone()));
    assert_eq!(id_for(Kind::Tenants, &fx.tenant, n_other), None);
    assert_eq!(block_on(harvest_ids::account(&fx.db, n_other)).unwrap(), Some(other.clone()));
    assert_eq!(block_on(harvest_ids::account(&fx.db, MAX + 1)).unwrap(), None);
    fx.exec("UPDATE tenants SET deleted_at = 'x' WHERE id = ?", [other.into()]);
    assert_eq!(block_on(harvest_ids::account(&fx.db, n_other)).unwrap(), None);

    // Every kind's lookup is valid SQL; a vendor belongs to no tenant.
    for kind in Kind::ALL {
        assert_eq!(id_for(*kind, &fx.tenant, 999), None, "{kind:?}");
    }
    fx.exec(
        "INSERT INTO vendors (id, name, tier, limits, created_at, updated_at) VALUES ('ven_1', 'V', 'pro', '{}', 'x', 'x')",
        [],
    );
    assert_eq!(id_for(Kind::Vendors, &fx.tenant, 1), None);
}

#[test]
fn ids_for_reads_many_numbers_at_once_with_the_same_rules() {
    let fx = Fx::new();
    let other = fx.add_tenant();
    let (a, _) = fx.worker_in(&fx.tenant);
    let (b, _) = fx.worker_in(&fx.tenant);
    let (theirs, _) = fx.worker_in(&other);
    let n = |id: &str| fx.number(Kind::Workers, id);
    let ids_for = |kind, numbers: &[i64]| block_on(harvest_ids::ids_for(&fx.db, kind, &fx.tenant, numbers)).unwrap(); // ok: native test
    let found = ids_for(Kind::Workers, &[n(&a), n(&b), n(&theirs), 0, MAX + 1]);
    assert_eq!(found.len(), 2, "mine only, no non-ids: {found:?}");
    assert_eq!((found.get(&n(&a)), found.get(&n(&b))), (Some(&a), Some(&b)));
    fx.delete(&WORKERS, &a).unwrap(); // ok: native test
    assert_eq!(ids_for(Kind::Workers, &[n(&a)]).len(), 0, "a deleted object");
    assert!(ids_for(Kind::Workers, &[]).is_empty());
    // Every kind's statement is valid SQL; a vendor belongs to no tenant.
    for kind in Kind::ALL {
        assert!(ids_for(*kind, &[999]).is_empty(), "{kind:?}");
    }
}

#[test]
fn harvest_ids_maps_text_ids_deleted_objects_included() {
    let fx = Fx::new();
    let (a, _) = fx.worker_in(&fx.tenant);
    let (b, _) = fx.worker_in(&fx.tenant);
    fx.delete(&WORKERS, &b).unwrap();
    let map = block_on(harvest_ids::harvest_ids(&fx.db, Kind::Workers, &[a.as_str(), b.as_str(), "wkr_none"])).unwrap();
    assert_eq!(map.len(), 2);
    assert_eq!((map[&a], map[&b]), (1, 2));
    let none: &[&str] = &[];
    assert!(block_on(harvest_ids::harvest_ids(&fx.db, Kind::Workers, none)).unwrap().is_empty());
    let site = fx.site();
    let sites = block_on(harvest_ids::harvest_ids(&fx.db, Kind::Sites, &[site.as_str()])).unwrap();
    assert_eq!(sites.get(&site), Some(&1));
}

/// Every table whose rows are API objects (it has an `id`) is a [`Kind`] with its column, unique
/// index and trigger; only the outbox is left out on purpose.
#[test]
fn every_object_table_is_numbered() {
    let fx = Fx::new();
    let conn = fx.db.conn();
    let names = |sql: &str| -> Vec<String> {
        let mut stmt = conn.prepare(sql).unwrap();
        stmt.query_map([], |r| r.get::<_, String>(0)).unwrap().map(Result::unwrap).collect()
    };
    let with_ids = names(
        "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) c \
         WHERE m.type = 'table' AND c.name = 'id' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name",
    );
    let mut kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.table()).collect();
    kinds.push("events");
    kinds.sort();
    assert_eq!(with_ids, kinds);
    for kind in Kind::ALL {
        let t = kind.table();
        let index: Vec<(String, i64)> = {
            let sql = format!(
                "SELECT l.\"unique\", i.name FROM pragma_index_list('{t}') l, pragma_index_info(l.name) i \
                 WHERE l.name = '{t}_harvest_id'"
            );
            let mut stmt = conn.prepare(&sql).unwrap();
            stmt.query_map([], |r| Ok((r.get::<_, String>(1)?, r.get(0)?))).unwrap().map(Result::unwrap).collect()
        };
        assert_eq!(index, [("harvest_id".to_string(), 1)], "{t}_harvest_id: unique, on harvest_id alone");
        let trigger = names(&format!("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = '{t}'"));
        assert_eq!(trigger, [format!("{t}_harvest_id_assign")], "{t}");
    }
}
