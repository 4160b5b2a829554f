//! Invoices on the Harvest wire (SPEC §9 "Mapping"): a stored invoice as Harvest's invoice —
//! money (`amount`, `due_amount`, each line's `unit_price` and `amount`) as decimals of the
//! invoice's currency (minor units ÷ 10^exponent), line kinds as Harvest's item categories, the
//! import's range as `period_start`/`period_end`, and no taxes or discounts (`/v1` has none).
//!
//! Line kinds: Harvest names a line's `kind` after one of the account's invoice item categories,
//! whose two built-in ones are `Service` (used for billed hours) and `Product` (used for billed
//! expenses). So `/v1`'s `service` lines are `Service`, and its `product` and `expense` lines
//! are `Product`; on create, `Service` and `Product` are `/v1`'s `service` and `product`.

use serde_json::{json, Value};

use crate::domain::invoices::{due_amount, InvoiceState, LineKind};
use crate::domain::money;

/// The Harvest item category of a `/v1` line kind.
pub fn kind_name(kind: LineKind) -> &'static str {
    match kind {
        LineKind::Service => "Service",
        LineKind::Product | LineKind::Expense => "Product",
    }
}

/// The Harvest kinds a client may write, as `/v1` kinds.
pub const KINDS: &[&str] = &["Service", "Product"];

/// The `/v1` kind of a Harvest kind ([`KINDS`]).
pub fn kind_of(name: &str) -> Option<LineKind> {
    match name {
        "Service" => Some(LineKind::Service),
        "Product" => Some(LineKind::Product),
        _ => None,
    }
}

/// A stored line (`/v1`'s shape, minor units) as Harvest's line item; its `id` is its place on
/// the invoice (from 1: `/v1` lines have no ids of their own), its `project` the job's
/// `{id, name, code}` from `projects` (text job id → `{id, name}`), else `null`.
fn line(index: usize, l: &Value, projects: &Value, currency: &str) -> Value {
    let kind = l["kind"].as_str().and_then(LineKind::parse).unwrap_or(LineKind::Product);
    let project = l["job_id"]
        .as_str()
        .and_then(|job| projects.get(job))
        .map_or(Value::Null, |p| json!({"id": p["id"], "name": p["name"], "code": null}));
    let decimal = |v: &Value| money::to_decimal(v.as_i64().unwrap_or(0), currency);
    json!({
        "id": index + 1,
        "kind": kind_name(kind),
        "description": l["description"],
        "quantity": l["quantity"],
        "unit_price": decimal(&l["unit_price"]),
        "amount": decimal(&l["amount"]),
        "taxed": false,
        "taxed2": false,
        "project": project,
    })
}

/// The date part of an instant (`paid_date` from `paid_at`).
fn date_of(instant: &Value) -> Value {
    instant.as_str().and_then(|s| s.get(..10)).map_or(Value::Null, Value::from)
}

/// A stored invoice (the row storage reads: integer id, text id, amounts in minor units, the
/// `/v1` lines and their projects, the client reference) as Harvest's invoice.
pub fn to_wire(row: &Value) -> Value {
    let currency = row["currency"].as_str().unwrap_or("USD");
    let amount = row["amount"].as_i64().unwrap_or(0);
    let state = row["state"].as_str().and_then(InvoiceState::parse).unwrap_or(InvoiceState::Draft);
    let empty = Vec::new();
    let lines = row["line_items"].as_array().unwrap_or(&empty);
    let line_items: Vec<Value> =
        lines.iter().enumerate().map(|(i, l)| line(i, l, &row["projects"], currency)).collect();
    json!({
        "id": row["id"],
        "client_key": row["client_key"],
        "number": row["number"],
        "purchase_order": "",
        "amount": money::to_decimal(amount, currency),
        "due_amount": money::to_decimal(due_amount(state, amount), currency),
        "tax": null,
        "tax_amount": 0.0,
        "tax2": null,
        "tax2_amount": 0.0,
        "discount": null,
        "discount_amount": 0.0,
        "subject": row["subject"],
        "notes": row["notes"],
        "currency": currency,
        "state": state.as_str(),
        "period_start": row["period_start"],
        "period_end": row["period_end"],
        "issue_date": row["issue_date"],
        "due_date": row["due_date"],
        "payment_term": "custom",
        "payment_options": [],
        "sent_at": row["sent_at"],
        "paid_at": row["paid_at"],
        "paid_date": date_of(&row["paid_at"]),
        "closed_at": row["closed_at"],
        "recurring_invoice_id": null,
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "client": row["client"],
        "estimate": null,
        "retainer": null,
        "creator": null,
        "line_items": line_items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(state: &str, currency: &str) -> Value {
        json!({"id": 12, "client_key": "inv_1", "number": "INV-000003", "amount": 9166, "state": state,
            "currency": currency, "subject": null, "notes": "March", "issue_date": "2026-04-01", "due_date": null,
            "period_start": "2026-03-01", "period_end": "2026-03-31", "sent_at": "2026-04-01T09:00:00Z",
            "paid_at": if state == "paid" { json!("2026-04-20T10:30:00Z") } else { Value::Null }, "closed_at": null,
            "created_at": "2026-04-01T08:00:00Z", "updated_at": "2026-04-01T09:00:00Z",
            "client": {"id": 4, "name": "Acme"},
            "projects": {"job_a": {"id": 7, "name": "Roof"}},
            "line_items": [
                {"kind": "service", "description": "Roof", "quantity": 1.5, "unit_price": 5000, "amount": 7500,
                 "job_id": "job_a", "time_entry_ids": ["te_1"]},
                {"kind": "expense", "description": "travel (2026-03-02)", "quantity": 1, "unit_price": 1666,
                 "amount": 1666, "job_id": "job_gone", "expense_ids": ["exp_1"]},
                {"kind": "product", "description": "Boxes", "quantity": 0, "unit_price": 0, "amount": 0, "job_id": null}]})
    }

    #[test]
    fn an_invoice_in_harvests_shape() {
        let w = to_wire(&row("open", "EUR"));
        assert_eq!((w["id"].as_i64(), w["client_key"].as_str()), (Some(12), Some("inv_1")));
        assert_eq!((w["amount"].as_f64(), w["due_amount"].as_f64()), (Some(91.66), Some(91.66)));
        assert_eq!(
            (w["tax"].clone(), w["discount"].clone(), w["estimate"].clone()),
            (Value::Null, Value::Null, Value::Null)
        );
        assert_eq!((w["payment_term"].as_str(), w["state"].as_str()), (Some("custom"), Some("open")));
        assert_eq!((w["period_start"].as_str(), w["paid_date"].clone()), (Some("2026-03-01"), Value::Null));
        assert_eq!(w["client"], json!({"id": 4, "name": "Acme"}));
        let lines = w["line_items"].as_array().unwrap();
        assert_eq!(
            lines[0],
            json!({"id": 1, "kind": "Service", "description": "Roof", "quantity": 1.5, "unit_price": 50.0,
                   "amount": 75.0, "taxed": false, "taxed2": false, "project": {"id": 7, "name": "Roof", "code": null}})
        );
        assert_eq!((lines[1]["kind"].as_str(), lines[1]["unit_price"].as_f64()), (Some("Product"), Some(16.66)));
        assert_eq!((lines[1]["project"].clone(), lines[2]["kind"].as_str()), (Value::Null, Some("Product")));
        assert!(lines[0].get("time_entry_ids").is_none());
    }

    #[test]
    fn paid_invoices_owe_nothing_and_yen_have_no_minor_unit() {
        let w = to_wire(&row("paid", "JPY"));
        assert_eq!((w["amount"].as_f64(), w["due_amount"].as_f64()), (Some(9166.0), Some(0.0)));
        assert_eq!(w["paid_date"], "2026-04-20");
        assert_eq!(w["line_items"][0]["unit_price"].as_f64(), Some(5000.0));
    }

    #[test]
    fn kinds_both_ways() {
        assert_eq!(
            KINDS.iter().map(|k| kind_of(k)).collect::<Vec<_>>(),
            [Some(LineKind::Service), Some(LineKind::Product)]
        );
        assert_eq!(kind_of("Expense"), None);
        assert_eq!(kind_name(LineKind::Expense), "Product");
    }
}
