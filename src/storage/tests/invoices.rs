//! Invoices' guarded batches (SPEC §6 "invoices"): an import bills an entry only while it is
//! still billable (a second import of the same entries writes nothing and consumes no number),
//! numbers follow the per-tenant sequence past explicit ones, only drafts are deleted, and a
//! deleted draft frees what it billed.

use serde_json::Value;

use super::{at, code, Fx};
use crate::domain::invoices::{import_lines, BillableEntry, Line};
use crate::domain::listing::Arg;
use crate::error::ErrorCode;
use crate::storage::invoices::{self, NewInvoice, Numbering};
use crate::storage::sqlite::block_on;

fn customer(fx: &Fx) -> String {
    let id = crate::domain::ids::new_id("cus", fx.tick() as u64);
    fx.exec(
        "INSERT INTO customers (id, tenant_id, name, currency, created_at, updated_at) VALUES (?, ?, 'Acme', 'EUR', '', '')",
        [id.clone().into(), fx.tenant.clone().into()],
    );
    id
}

fn import(fx: &Fx, cus: &str, entries: &[String], numbering: Numbering) -> Option<Value> {
    let rows: Vec<BillableEntry> = entries
        .iter()
        .map(|id| BillableEntry { id: id.clone(), job_id: None, job_name: None, rate: 1_000, seconds: 3_600 })
        .collect();
    let lines: Vec<Line> = import_lines(&rows, &[]);
    let id = crate::domain::ids::new_id("inv", fx.tick() as u64);
    let cols = vec![("customer_id", Arg::from(cus)), ("currency", "EUR".into())];
    let new =
        NewInvoice { id: &id, tenant: &fx.tenant, now_ms: fx.tick(), cols, numbering, lines: &lines, period: None };
    block_on(invoices::create(&fx.db, new)).expect("no storage error").map(|j| serde_json::from_str(&j).unwrap())
}

fn invoiced(fx: &Fx, entry: &str) -> Option<String> {
    let sql = "SELECT invoice_id FROM time_entries WHERE id = ?";
    block_on(crate::storage::db::first_text(&fx.db, sql, &[entry.into()])).unwrap()
}

#[test]
fn an_entry_is_billed_once_and_freed_with_its_draft() {
    let fx = Fx::new();
    let cus = customer(&fx);
    let w = fx.worker();
    let a = fx.entry(&w, &at("08:00"), Some(&at("09:00"))).unwrap();
    let b = fx.entry(&w, &at("09:00"), Some(&at("10:00"))).unwrap();
    fx.exec("UPDATE time_entries SET status = 'approved' WHERE id IN (?, ?)", [a.clone().into(), b.clone().into()]);
    let pending = fx.entry(&w, &at("10:00"), Some(&at("11:00"))).unwrap();

    let first = import(&fx, &cus, &[a.clone(), b.clone()], Numbering::Next).expect("first import");
    assert_eq!((first["number"].as_str(), first["amount"].as_i64()), (Some("INV-000001"), Some(2_000)));
    assert!(first["harvest_id"].as_i64().is_some());
    let inv = first["id"].as_str().unwrap().to_string();
    assert_eq!((invoiced(&fx, &a), invoiced(&fx, &b)), (Some(inv.clone()), Some(inv.clone())));
    // Another import of one of them writes nothing: no invoice, no number, no event.
    assert!(import(&fx, &cus, std::slice::from_ref(&b), Numbering::Next).is_none());
    assert!(
        import(&fx, &cus, std::slice::from_ref(&pending), Numbering::Next).is_none(),
        "pending entries are not billable"
    );
    assert_eq!(fx.count("SELECT count(*) FROM invoices", &[]), 1);
    assert_eq!(fx.count("SELECT last FROM invoice_sequences", &[]), 1);
    let events: Vec<String> = fx.events().into_iter().map(|(t, _)| t).filter(|t| t.starts_with("invoice.")).collect();
    assert_eq!(events, ["invoice.created"]);

    // Only a draft is deleted; deleting it frees both entries.
    fx.exec("UPDATE invoices SET state = 'open' WHERE id = ?", [inv.clone().into()]);
    assert!(block_on(invoices::delete_draft(&fx.db, &fx.tenant, &inv, fx.tick())).unwrap().is_none());
    assert!(invoiced(&fx, &a).is_some());
    fx.exec("UPDATE invoices SET state = 'draft' WHERE id = ?", [inv.clone().into()]);
    let gone = block_on(invoices::delete_draft(&fx.db, &fx.tenant, &inv, fx.tick())).unwrap().expect("tombstone");
    assert!(gone.contains("\"deleted\":true"));
    assert_eq!((invoiced(&fx, &a), invoiced(&fx, &b)), (None, None));
    let again = import(&fx, &cus, &[a, b], Numbering::Next).expect("billable again");
    assert_eq!(again["number"].as_str(), Some("INV-000002"));
}

#[test]
fn explicit_numbers_move_the_sequence_and_never_repeat() {
    let fx = Fx::new();
    let cus = customer(&fx);
    let given = import(&fx, &cus, &[], Numbering::Given("INV-000007".into())).unwrap();
    assert_eq!(given["number"].as_str(), Some("INV-000007"));
    let next = import(&fx, &cus, &[], Numbering::Next).unwrap();
    assert_eq!(next["number"].as_str(), Some("INV-000008"));
    // A lower explicit number leaves the sequence where it is; another form does not touch it.
    import(&fx, &cus, &[], Numbering::Given("INV-000003".into())).unwrap();
    import(&fx, &cus, &[], Numbering::Given("2026/001".into())).unwrap();
    assert_eq!(import(&fx, &cus, &[], Numbering::Next).unwrap()["number"].as_str(), Some("INV-000009"));
    let dup = block_on(async {
        let id = crate::domain::ids::new_id("inv", fx.tick() as u64);
        let cols = vec![("customer_id", Arg::from(cus.as_str())), ("currency", "EUR".into())];
        let numbering = Numbering::Given("2026/001".into());
        let new =
            NewInvoice { id: &id, tenant: &fx.tenant, now_ms: fx.tick(), cols, numbering, lines: &[], period: None };
        invoices::create(&fx.db, new).await
    });
    assert_eq!(code(dup), ErrorCode::Conflict);
    // Sequences are per tenant.
    let other = fx.add_tenant();
    let n = fx.count("SELECT count(*) FROM invoice_sequences WHERE tenant_id = ?", &[other.into()]);
    assert_eq!(n, 0);
}
