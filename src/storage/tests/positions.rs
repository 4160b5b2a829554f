//! Positions (SPEC §6) on real rows: one statement records a batch and renders each position
//! exactly as the history lists it, the worker lookup, the history's filters, the retention
//! sweep by `recorded_at`, and a live map's context narrowed by its filter.

use serde_json::Value;

use super::Fx;
use crate::domain::listing::{self, Query};
use crate::domain::live::Filter;
use crate::domain::positions::NewPosition;
use crate::domain::{ids, time};
use crate::storage::db;
use crate::storage::positions::{self, Row, POSITIONS};
use crate::storage::sqlite::block_on;

fn position(worker: &str, recorded_at: &str) -> NewPosition {
    NewPosition {
        worker_id: worker.into(),
        latitude: 52.520008,
        longitude: 13.0,
        accuracy_m: Some(4.5),
        heading: None,
        speed_mps: Some(0.0),
        recorded_at: recorded_at.into(),
        recorded_ms: time::parse_instant(recorded_at, false).unwrap(),
    }
}

fn record(fx: &Fx, tenant: &str, items: &[NewPosition]) -> Vec<(String, String)> {
    let rows: Vec<Row> = items
        .iter()
        .map(|p| Row { id: ids::new_id("pos", fx.tick() as u64), position: p, site_id: Some("site_x".into()) })
        .collect();
    block_on(positions::insert(&fx.db, tenant, &time::fmt_ms(fx.tick()), &rows)).unwrap()
}

fn list(fx: &Fx, pairs: &[(&str, &str)]) -> Vec<Value> {
    let query = Query::new(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect());
    let lq = listing::compile(&POSITIONS, Some(&fx.tenant), &query).unwrap();
    let rows = block_on(db::id_json_rows(&fx.db, &lq.sql, &lq.args)).unwrap();
    listing::paginate(rows, lq.limit).items.iter().map(|j| serde_json::from_str(j).unwrap()).collect()
}

#[test]
fn a_batch_is_one_statement_and_reads_back_as_listed() {
    let fx = Fx::new();
    let w = fx.worker();
    let got = record(&fx, &fx.tenant, &[position(&w, "2026-03-02T08:00:00Z"), position(&w, "2026-03-02T09:00:00Z")]);
    assert_eq!(got.len(), 2);
    let listed = list(&fx, &[]);
    for (id, json) in &got {
        let item: Value = serde_json::from_str(json).unwrap();
        assert_eq!(&item["id"], id);
        assert!(listed.contains(&item), "the create answer is the listed object: {item}");
    }
    let first = &listed[0];
    assert_eq!(first["latitude"], 52.520008);
    assert_eq!(first["accuracy_m"], 4.5);
    assert_eq!(first["heading"], Value::Null);
    assert_eq!(first["speed_mps"], 0.0);
    assert_eq!(first["site_id"], "site_x");
    assert_eq!(first["recorded_at"], "2026-03-02T08:00:00Z");
}

#[test]
fn history_filters_by_worker_and_recorded_at() {
    let fx = Fx::new();
    let (a, b) = (fx.worker(), fx.worker());
    record(&fx, &fx.tenant, &[position(&a, "2026-03-02T08:00:00Z"), position(&b, "2026-03-02T10:00:00Z")]);
    let other = fx.add_tenant();
    record(&fx, &other, &[position(&a, "2026-03-02T08:00:00Z")]);
    assert_eq!(list(&fx, &[]).len(), 2, "the other tenant's position is not listed");
    assert_eq!(list(&fx, &[("worker_id", &b)])[0]["worker_id"], b.as_str());
    assert_eq!(list(&fx, &[("from", "2026-03-02T09:00:00Z")]).len(), 1);
    assert_eq!(list(&fx, &[("to", "2026-03-02T08:00:00Z")]).len(), 1);
    assert_eq!(list(&fx, &[("updated_since", "2026-01-01")]).len(), 2);
}

#[test]
fn the_worker_lookup_sees_status_and_site_in_the_tenant_only() {
    let fx = Fx::new();
    let w = fx.worker();
    let other = fx.add_tenant();
    let theirs = fx.worker_coded(&other, "X-1").unwrap();
    let found = block_on(positions::workers(&fx.db, &fx.tenant, &[&w, &theirs, "wkr_nope"])).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].id.as_str(), found[0].status.as_str()), (w.as_str(), "active"));
    let unknown =
        block_on(positions::unknown_ids(&fx.db, "workers", &fx.tenant, &[w.clone(), theirs.clone()])).unwrap();
    assert_eq!(unknown, [theirs]);
}

#[test]
fn the_sweep_deletes_by_recorded_at() {
    let fx = Fx::new();
    let w = fx.worker();
    record(&fx, &fx.tenant, &[position(&w, "2025-11-01T00:00:00Z"), position(&w, "2026-03-01T00:00:00Z")]);
    let gone = block_on(positions::sweep_chunk(&fx.db, "2025-12-01T00:00:00Z")).unwrap();
    assert_eq!(gone, 1);
    let left = list(&fx, &[]);
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["recorded_at"], "2026-03-01T00:00:00Z");
}

#[test]
fn the_map_context_follows_the_filter() {
    let fx = Fx::new();
    let (s1, s2) = (fx.site(), fx.site());
    let w1 = fx.worker();
    let w2 = fx.worker();
    fx.exec("UPDATE workers SET site_id = ?1 WHERE id = ?2", [s1.clone().into(), w1.clone().into()]);
    let ctx = |f: Filter| -> Value {
        serde_json::from_str(&block_on(positions::context(&fx.db, &fx.tenant, &f)).unwrap()).unwrap()
    };
    let all = ctx(Filter::default());
    assert_eq!((all["sites"].as_array().unwrap().len(), all["workers"].as_array().unwrap().len()), (2, 2));
    assert!(all["sites"][0].get("geofence_radius_m").is_some());
    let site = ctx(Filter { worker_ids: None, site_ids: Some(vec![s1.clone()]) });
    assert_eq!(site["sites"].as_array().unwrap().len(), 1);
    assert_eq!(site["workers"][0]["id"], w1.as_str());
    let worker = ctx(Filter { worker_ids: Some(vec![w2.clone()]), site_ids: None });
    assert_eq!(worker["workers"].as_array().unwrap().len(), 1);
    assert_eq!(worker["workers"][0]["id"], w2.as_str());
    let _ = s2;
}
