//! The audit log's write (SPEC §5): a gathering of entries lands as rows, one statement per
//! few hundred, every field as given (absent ones NULL), in one batch.

use super::Fx;
use crate::storage::audit::{self, Entry};
use crate::storage::db::Database;
use crate::storage::sqlite::block_on;

fn entry(i: usize, fx: &Fx) -> Entry {
    Entry {
        tenant_id: i.is_multiple_of(2).then(|| fx.tenant.clone()),
        key_id: format!("key_{i}"),
        key_label: format!("Zoë's key \"{i}\""),
        vendor_id: None,
        method: "POST".into(),
        path: "/v1/workers".into(),
        query: (i == 0).then(|| "a=1&b=%C3%A9".to_string()),
        status: 201,
        request_id: format!("req_{i}"),
        ip: Some("203.0.113.7".into()),
        resource: Some("workers".into()),
        resource_id: Some(format!("wkr_{i}")),
        replay: i == 1,
        at_ms: fx.tick(),
    }
}

type Row = (String, Option<String>, String, String, Option<String>, Option<String>, i64, i64, String, String);

fn rows(fx: &Fx) -> Vec<Row> {
    let sql = "SELECT key_id, tenant_id, key_label, method, vendor_id, query, status, replay, created_at, updated_at \
               FROM audit_log ORDER BY id";
    block_on(fx.db.raw(sql, &[])).expect("audit rows")
}

#[test]
fn every_entry_lands_with_its_fields() {
    let fx = Fx::new();
    block_on(audit::insert(&fx.db, (0..3).map(|i| entry(i, &fx)).collect())).unwrap();
    let rows = rows(&fx);
    assert_eq!(rows.len(), 3);
    let (key, tenant, label, method, vendor, query, status, replay, created, updated) = rows[0].clone();
    assert_eq!(
        (key.as_str(), tenant.as_deref(), label.as_str()),
        ("key_0", Some(fx.tenant.as_str()), "Zoë's key \"0\"")
    );
    assert_eq!((method.as_str(), vendor, query.as_deref()), ("POST", None, Some("a=1&b=%C3%A9")));
    assert_eq!((status, replay), (201, 0));
    assert_eq!(created, updated);
    assert!(created.ends_with('Z'), "{created}");
    assert_eq!(rows[1].1, None, "a vendor's own call has no tenant");
    assert_eq!(rows[1].7, 1, "a replay is marked");
}

#[test]
fn a_large_gathering_is_split_and_nothing_is_lost() {
    let fx = Fx::new();
    block_on(audit::insert(&fx.db, (0..450).map(|i| entry(i, &fx)).collect())).unwrap();
    assert_eq!(rows(&fx).len(), 450);
    block_on(audit::insert(&fx.db, Vec::new())).unwrap();
    assert_eq!(rows(&fx).len(), 450);
}
