//! Expenses on the Harvest wire (SPEC §9 "Mapping"): `/v1`'s categories as Harvest's expense
//! categories (fixed ids 1–7 in the categories' order), a stored expense as Harvest's expense
//! (`total_cost` a decimal of its currency, `is_closed`/`is_locked` once approved or invoiced,
//! `is_billed` once invoiced), and a Harvest `total_cost` back in minor units.

use serde_json::{json, Value};

use super::unprocessable;
use crate::domain::expenses::ExpenseCategory;
use crate::domain::money;
use crate::error::ApiResult;

/// The category's Harvest id: its place in [`ExpenseCategory::ALL`], from 1.
pub fn category_id(c: ExpenseCategory) -> i64 {
    ExpenseCategory::ALL.iter().position(|x| *x == c).map_or(0, |i| i as i64 + 1)
}

/// The category a Harvest id names, if any.
pub fn category_of(id: i64) -> Option<ExpenseCategory> {
    usize::try_from(id).ok().and_then(|i| i.checked_sub(1)).and_then(|i| ExpenseCategory::ALL.get(i)).copied()
}

/// `mileage` → `Mileage`.
fn title(name: &str) -> String {
    let mut chars = name.chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

/// The category as Harvest's expense category (`unit_name` `mile` for mileage; no unit prices).
pub fn category(c: ExpenseCategory) -> Value {
    let unit = (c == ExpenseCategory::Mileage).then_some("mile");
    json!({"id": category_id(c), "name": title(c.as_str()), "unit_price": null, "unit_name": unit, "is_active": true})
}

/// A Harvest `total_cost` (a decimal of `currency`, at least 0) in minor units.
pub fn total_cost(v: &Value, currency: &str) -> ApiResult<i64> {
    let units = v.as_f64().filter(|u| *u >= 0.0).ok_or_else(|| unprocessable("total_cost"))?;
    money::from_decimal(units, currency)
        .filter(|m| *m <= crate::domain::expenses::MAX_AMOUNT)
        .ok_or_else(|| unprocessable("total_cost"))
}

/// A stored expense (the row storage reads: integer id, amount and currency, category,
/// references) as Harvest's expense.
pub fn to_wire(row: &Value) -> Value {
    let currency = row["currency"].as_str().unwrap_or("USD");
    let kind = row["category"].as_str().and_then(ExpenseCategory::parse).unwrap_or(ExpenseCategory::Other);
    let approved = row["status"] == "approved";
    let billed = !row["invoice"].is_null();
    let locked = approved || billed;
    let reason = if billed {
        json!("Invoiced")
    } else if approved {
        json!("Approved")
    } else {
        Value::Null
    };
    let receipt = match row["receipt_url"].as_str() {
        Some(url) => json!({"url": url, "file_name": null, "file_size": null, "content_type": null}),
        None => Value::Null,
    };
    json!({
        "id": row["id"],
        "spent_date": row["spent_date"],
        "total_cost": money::to_decimal(row["amount"].as_i64().unwrap_or(0), currency),
        "units": row["units"],
        "notes": row["notes"],
        "billable": row["billable"].as_i64().is_none_or(|b| b != 0),
        "is_closed": locked,
        "is_locked": locked,
        "locked_reason": reason,
        "approval_status": if approved { "approved" } else { "unsubmitted" },
        "is_billed": billed,
        "receipt": receipt,
        "user": row["user"],
        "user_assignment": null,
        "project": row["project"],
        "client": row["client"],
        "expense_category": category(kind),
        "invoice": row["invoice"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_are_numbered_in_order() {
        let ids: Vec<i64> = ExpenseCategory::ALL.iter().map(|c| category_id(*c)).collect();
        assert_eq!(ids, [1, 2, 3, 4, 5, 6, 7]);
        for c in ExpenseCategory::ALL {
            assert_eq!(category_of(category_id(*c)), Some(*c));
        }
        assert_eq!((category_of(0), category_of(8), category_of(-1)), (None, None, None));
        assert_eq!(
            category(ExpenseCategory::Mileage),
            json!({"id": 1, "name": "Mileage", "unit_price": null, "unit_name": "mile", "is_active": true})
        );
        assert_eq!(category(ExpenseCategory::Other)["unit_name"], Value::Null);
    }

    #[test]
    fn total_cost_is_a_decimal_of_the_currency() {
        assert_eq!(total_cost(&json!(12.34), "USD").unwrap(), 1234);
        assert_eq!(total_cost(&json!(1500), "JPY").unwrap(), 1500);
        assert_eq!(total_cost(&json!(0), "EUR").unwrap(), 0);
        for bad in [json!(-1), json!("12"), json!(1e13), Value::Null] {
            assert_eq!(total_cost(&bad, "USD").unwrap_err().status(), 422, "{bad}");
        }
    }

    fn row(status: &str, invoice: Value) -> Value {
        json!({"id": 9, "spent_date": "2026-03-02", "amount": 1250, "currency": "EUR", "units": null, "notes": "Taxi",
               "billable": 1, "status": status, "category": "travel", "receipt_url": "https://r.example/1.pdf",
               "user": {"id": 1, "name": "Ana"}, "project": {"id": 0, "name": "(none)"},
               "client": {"id": 0, "name": "(none)"}, "invoice": invoice,
               "created_at": "2026-03-02T10:00:00Z", "updated_at": "2026-03-02T10:00:00Z"})
    }

    #[test]
    fn an_expense_in_harvests_shape() {
        let w = to_wire(&row("pending", Value::Null));
        assert_eq!(w["total_cost"], json!(12.5));
        assert_eq!((w["is_locked"].as_bool(), w["is_billed"].as_bool()), (Some(false), Some(false)));
        assert_eq!(w["expense_category"]["id"], 4);
        assert_eq!(w["receipt"]["url"], "https://r.example/1.pdf");
        assert_eq!(w["billable"], true);
        let approved = to_wire(&row("approved", Value::Null));
        assert_eq!(
            (approved["is_closed"].as_bool(), approved["locked_reason"].as_str()),
            (Some(true), Some("Approved"))
        );
        let billed = to_wire(&row("approved", json!({"id": 3, "number": "INV-000003"})));
        assert_eq!((billed["is_billed"].as_bool(), billed["locked_reason"].as_str()), (Some(true), Some("Invoiced")));
        assert_eq!(billed["invoice"]["number"], "INV-000003");
    }
}
