//! Expenses (SPEC §6): the locks are guards in the write's own statement — an approved expense
//! is not edited or deleted, an invoiced one (its `invoice_id` set by an invoice import, done
//! here behind the storage code's back) is not edited, deleted, un-approved or rejected, even
//! by a writer that read it before it was locked — and the events land with their writes.

use serde_json::Value;

use super::Fx;
use crate::domain::events::Event;
use crate::domain::expenses::ExpenseStatus;
use crate::domain::listing::Arg;
use crate::storage::expenses::{self, EXPENSES};
use crate::storage::resource::{self, Guarded};
use crate::storage::sqlite::block_on;

fn expense(fx: &Fx) -> String {
    let w = fx.worker();
    let cols = vec![
        ("worker_id", Arg::from(w.as_str())),
        ("spent_date", "2026-03-02".into()),
        ("category", "meals".into()),
        ("amount", Arg::Int(1_250)),
        ("currency", "USD".into()),
        ("status", ExpenseStatus::Pending.into()),
    ];
    fx.create_in(&fx.tenant.clone(), &EXPENSES, "xpn", cols).expect("expense")
}

fn edit(fx: &Fx, id: &str) -> Option<String> {
    let sets = vec![("notes", Arg::from("changed"))];
    let guarded = Guarded { guard: Some(expenses::editable()), events: &[] };
    block_on(resource::update_if(&fx.db, &EXPENSES, &fx.tenant, id, fx.tick(), sets, guarded)).unwrap()
}

fn delete(fx: &Fx, id: &str) -> Option<String> {
    block_on(resource::delete_if(&fx.db, &EXPENSES, &fx.tenant, id, fx.tick(), Some(expenses::editable()))).unwrap()
}

/// A status change as the handlers make it: guarded on the status read.
fn change(fx: &Fx, id: &str, from: ExpenseStatus, to: ExpenseStatus, events: &[Event]) -> Option<Value> {
    let guarded = Guarded { guard: Some(expenses::still(from)), events };
    let sets = vec![("status", to.into())];
    let json = block_on(resource::update_if(&fx.db, &EXPENSES, &fx.tenant, id, fx.tick(), sets, guarded)).unwrap();
    json.map(|j| serde_json::from_str(&j).unwrap())
}

fn current(fx: &Fx, id: &str) -> expenses::Current {
    block_on(expenses::current(&fx.db, &fx.tenant, id)).unwrap().expect("live")
}

#[test]
fn created_and_approved_are_in_the_outbox_with_their_writes() {
    let fx = Fx::new();
    let id = expense(&fx);
    let approved = change(&fx, &id, ExpenseStatus::Pending, ExpenseStatus::Approved, &[Event::ExpenseApproved]);
    assert_eq!(approved.expect("approved")["status"], "approved");
    // A second approval read as pending does not happen, and records nothing.
    assert!(change(&fx, &id, ExpenseStatus::Pending, ExpenseStatus::Approved, &[Event::ExpenseApproved]).is_none());
    let events: Vec<(String, Value)> = fx.events().into_iter().filter(|(t, _)| t.starts_with("expense.")).collect();
    let types: Vec<&str> = events.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(types, ["expense.created", "expense.approved"]);
    assert_eq!((events[0].1["status"].as_str(), events[1].1["status"].as_str()), (Some("pending"), Some("approved")));
}

#[test]
fn an_approved_expense_is_not_edited_or_deleted() {
    let fx = Fx::new();
    let id = expense(&fx);
    change(&fx, &id, ExpenseStatus::Pending, ExpenseStatus::Approved, &[]).expect("approved");
    assert!(edit(&fx, &id).is_none());
    assert!(delete(&fx, &id).is_none());
    change(&fx, &id, ExpenseStatus::Approved, ExpenseStatus::Pending, &[]).expect("un-approved");
    assert!(edit(&fx, &id).is_some());
    assert!(delete(&fx, &id).is_some());
    assert!(block_on(expenses::current(&fx.db, &fx.tenant, &id)).unwrap().is_none(), "a tombstone");
}

#[test]
fn an_invoiced_expense_is_never_written_again() {
    let fx = Fx::new();
    let id = expense(&fx);
    change(&fx, &id, ExpenseStatus::Pending, ExpenseStatus::Approved, &[]).expect("approved");
    // The import marks it (SPEC §6 "invoices"), after a writer read it as approved.
    let read_before = current(&fx, &id);
    fx.exec("UPDATE expenses SET invoice_id = 'inv_1' WHERE id = ?", [Arg::from(id.as_str())]);
    assert!(change(&fx, &id, read_before.status, ExpenseStatus::Pending, &[]).is_none(), "un-approve");
    assert!(change(&fx, &id, read_before.status, ExpenseStatus::Rejected, &[]).is_none(), "reject");
    assert!(edit(&fx, &id).is_none());
    assert!(delete(&fx, &id).is_none());
    let after = current(&fx, &id);
    assert_eq!((after.status, after.invoice_id.as_deref()), (ExpenseStatus::Approved, Some("inv_1")));
    // Even if its status were pending (a row from elsewhere), the invoice alone locks it.
    fx.exec("UPDATE expenses SET status = 'pending' WHERE id = ?", [Arg::from(id.as_str())]);
    assert!(edit(&fx, &id).is_none());
    assert!(delete(&fx, &id).is_none());
}

#[test]
fn the_currency_defaults_to_the_jobs_customers() {
    let fx = Fx::new();
    let cus = fx
        .create_in(
            &fx.tenant.clone(),
            &crate::handlers::catalog::CUSTOMERS.table,
            "cus",
            vec![("name", "Acme".into()), ("currency", "EUR".into())],
        )
        .unwrap();
    let billed = fx.job(vec![("customer_id", cus.as_str().into())]);
    let unbilled = fx.job(vec![]);
    fx.exec(
        "UPDATE tenants SET settings = json_set(settings, '$.currency', 'GBP') WHERE id = ?",
        [fx.tenant.as_str().into()],
    );
    let currency = |job: Option<&str>| block_on(expenses::default_currency(&fx.db, &fx.tenant, job)).unwrap(); // ok: native test
    assert_eq!(currency(Some(&billed)), "EUR");
    assert_eq!(currency(Some(&unbilled)), "GBP");
    assert_eq!(currency(None), "GBP");
}
