//! Listing (SPEC §1.1, §1.2) on real rows: keyset pages that neither skip nor repeat under
//! concurrent inserts and deletes, tombstones only with `include_deleted`, `updated_since`,
//! and the tenant scope.

use serde_json::Value;

use super::{code, Fx};
use crate::domain::listing::{Page, Query};
use crate::error::ErrorCode;
use crate::storage::resource;
use crate::storage::sqlite::block_on;
use crate::storage::workers::WORKERS;

fn query(pairs: &[(&str, &str)]) -> Query {
    Query::new(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
}

fn page(fx: &Fx, tenant: &str, pairs: &[(&str, &str)]) -> Page {
    block_on(resource::list(&fx.db, &WORKERS, tenant, &query(pairs))).unwrap()
}

fn items(page: &Page) -> Vec<Value> {
    page.items.iter().map(|j| serde_json::from_str(j).unwrap()).collect()
}

fn ids(page: &Page) -> Vec<String> {
    items(page).iter().map(|v| v["id"].as_str().unwrap_or_default().to_string()).collect()
}

#[test]
fn pages_neither_skip_nor_repeat_under_concurrent_writes() {
    let fx = Fx::new();
    let before: Vec<String> = (0..23).map(|_| fx.worker()).collect();
    let mut seen: Vec<String> = Vec::new();
    let mut added = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut pairs = vec![("limit", "5")];
        if let Some(c) = &cursor {
            pairs.push(("cursor", c));
        }
        let p = page(&fx, &fx.tenant, &pairs);
        assert!(p.items.len() <= 5);
        seen.extend(ids(&p));
        // Between pages, others insert (always after the cursor: ids are time-ordered) and
        // delete one the reader has already passed.
        if added.len() < 3 {
            fx.delete(&WORKERS, &seen[added.len()]).unwrap();
            added.push(fx.worker());
        }
        match p.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    let mut expected = before;
    expected.extend(added);
    assert_eq!(seen, expected, "every worker once, in creation order");
}

#[test]
fn the_last_full_page_says_there_is_no_more() {
    let fx = Fx::new();
    for _ in 0..4 {
        fx.worker();
    }
    let first = page(&fx, &fx.tenant, &[("limit", "2")]);
    let cursor = first.next_cursor.clone().expect("more");
    let second = page(&fx, &fx.tenant, &[("limit", "2"), ("cursor", &cursor)]);
    assert_eq!(second.items.len(), 2);
    assert_eq!(second.next_cursor, None);
    assert!(ids(&first).iter().all(|id| !ids(&second).contains(id)));
    assert_eq!(page(&fx, &fx.tenant, &[]).items.len(), 4);
}

#[test]
fn deleted_objects_are_tombstones_listed_only_on_request() {
    let fx = Fx::new();
    let (a, b, c) = (fx.worker(), fx.worker(), fx.worker());
    let tombstone = fx.delete(&WORKERS, &b).unwrap();
    assert_eq!(tombstone["id"], b.as_str());
    assert_eq!(tombstone["deleted"], true);
    assert!(tombstone["deleted_at"].is_string());
    assert_eq!(tombstone.as_object().map(|o| o.len()), Some(3), "a tombstone says no more: {tombstone}");

    assert_eq!(ids(&page(&fx, &fx.tenant, &[])), [a.clone(), c.clone()]);
    let all = items(&page(&fx, &fx.tenant, &[("include_deleted", "true")]));
    assert_eq!(all.len(), 3);
    assert_eq!(all[1], tombstone, "in its place, as the delete answered it");
    assert_eq!(all[0]["name"], "Ada Lovelace");
    assert_eq!(code(block_on(resource::get(&fx.db, &WORKERS, &fx.tenant, &b))), ErrorCode::NotFound);
}

#[test]
fn updated_since_sees_deletes_for_an_incremental_sync() {
    let fx = Fx::new();
    let (a, b) = (fx.worker(), fx.worker());
    let mark = crate::domain::time::fmt_ms(fx.tick());
    let c = fx.worker();
    fx.delete(&WORKERS, &a).unwrap();
    let changed = page(&fx, &fx.tenant, &[("updated_since", &mark), ("include_deleted", "true")]);
    assert_eq!(ids(&changed), [a.clone(), c.clone()]);
    assert_eq!(items(&changed)[0]["deleted"], true);
    let live = page(&fx, &fx.tenant, &[("updated_since", &mark)]);
    assert_eq!(ids(&live), [c]);
    assert!(!ids(&page(&fx, &fx.tenant, &[])).contains(&a));
    assert!(ids(&page(&fx, &fx.tenant, &[])).contains(&b));
}

#[test]
fn a_tenant_lists_only_its_own() {
    let fx = Fx::new();
    let mine = fx.worker();
    let other = fx.add_tenant();
    let theirs = fx.worker_coded(&other, "EMP-1").unwrap();
    assert_eq!(ids(&page(&fx, &fx.tenant, &[("include_deleted", "true")])), [mine]);
    assert_eq!(code(block_on(resource::get(&fx.db, &WORKERS, &fx.tenant, &theirs))), ErrorCode::NotFound);
    assert_eq!(ids(&page(&fx, &other, &[])), [theirs]);
}
