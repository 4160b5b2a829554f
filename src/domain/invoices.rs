//! Invoices (SPEC §6 "invoices"): the state machine, line items and their money, numbers, and
//! how an import groups billable time and expenses into lines. Pure; storage and handlers
//! build on it (`storage::invoices`, `handlers::invoices`).
//!
//! Money is integer minor units: a line's `amount` is `quantity × unit_price` rounded half to
//! even once per line ([`money::div_half_even`]), the invoice's `amount` the exact sum of its
//! lines. A quantity is a decimal of at most 4 places, kept as an integer of ten-thousandths.

use serde::Serialize;

use super::money;
use super::named::named;
use crate::error::{ApiError, ApiResult};
use crate::i18n::Msg;

named! {
    /// Where an invoice stands: `draft` → `open` (sent) → `paid`, or `closed` (written off).
    pub enum InvoiceState {
        Draft = "draft",
        Open = "open",
        Paid = "paid",
        Closed = "closed",
    }
}

named! {
    /// What `POST /v1/invoices/{id}/<action>` asks of an invoice.
    pub enum Action {
        Send = "send",
        Pay = "pay",
        Close = "close",
        Reopen = "reopen",
    }
}

named! {
    /// What a line bills: worked time, goods or services at a price, or a re-billed expense.
    pub enum LineKind {
        Service = "service",
        Product = "product",
        Expense = "expense",
    }
}

/// The state `action` takes an invoice in `state` to: send a draft (→ open), pay an open one
/// (→ paid), close a draft or open one (→ closed, written off), reopen a closed or paid one
/// (→ open: a payment undone or a write-off withdrawn). Anything else is a 409.
pub fn transition(state: InvoiceState, action: Action) -> ApiResult<InvoiceState> {
    use Action::*;
    use InvoiceState::*;
    let to = match action {
        Send | Reopen => Open,
        Pay => Paid,
        Close => Closed,
    };
    match (state, action) {
        (Draft, Send) | (Open, Pay) | (Draft | Open, Close) | (Closed | Paid, Reopen) => Ok(to),
        _ => Err(ApiError::conflict(Msg::InvalidTransition(state.as_str(), to.as_str()))),
    }
}

/// What is still owed: nothing once paid, else the whole amount.
pub fn due_amount(state: InvoiceState, amount: i64) -> i64 {
    if state == InvoiceState::Paid {
        0
    } else {
        amount
    }
}

/// Ten-thousandths in one unit of quantity (a quantity has at most 4 decimals).
pub const QUANTITY_SCALE: i64 = 10_000;

/// A quantity as ten-thousandths; `None` when it has more than 4 decimals or is out of range.
pub fn quantity_units(q: f64) -> Option<i64> {
    let scaled = q * QUANTITY_SCALE as f64;
    if !scaled.is_finite() || scaled.abs() > 1.0e15 {
        return None;
    }
    let rounded = scaled.round();
    ((scaled - rounded).abs() < 1.0e-6).then_some(rounded as i64)
}

/// `quantity` (ten-thousandths) × `unit_price` (minor units), in minor units, half to even.
pub fn line_amount(quantity: i64, unit_price: i64) -> i64 {
    let exact = i128::from(quantity) * i128::from(unit_price);
    let rounded = money::div_half_even(exact, i128::from(QUANTITY_SCALE));
    i64::try_from(rounded).unwrap_or(if rounded < 0 { i64::MIN } else { i64::MAX })
}

/// One line of an invoice, as stored and shown (`quantity` as a decimal).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    pub kind: LineKind,
    pub description: String,
    #[serde(serialize_with = "decimal_quantity")]
    pub quantity: i64,
    pub unit_price: i64,
    pub amount: i64,
    pub job_id: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub time_entry_ids: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub expense_ids: Vec<String>,
}

fn decimal_quantity<S: serde::Serializer>(q: &i64, s: S) -> Result<S::Ok, S::Error> {
    if q % QUANTITY_SCALE == 0 {
        s.serialize_i64(q / QUANTITY_SCALE)
    } else {
        s.serialize_f64(*q as f64 / QUANTITY_SCALE as f64)
    }
}

impl Line {
    /// A line written by a client: its amount is computed, never taken.
    pub fn priced(kind: LineKind, description: String, quantity: i64, unit_price: i64, job_id: Option<String>) -> Line {
        let amount = line_amount(quantity, unit_price);
        Line { kind, description, quantity, unit_price, amount, job_id, time_entry_ids: vec![], expense_ids: vec![] }
    }
}

/// The invoice's amount: the exact sum of its lines (saturating, never wrapping).
pub fn total(lines: &[Line]) -> i64 {
    lines.iter().fold(0i64, |sum, l| sum.saturating_add(l.amount))
}

/// The number the `n`th invoice of a tenant gets when none is given: `INV-000001` …
pub fn number(n: i64) -> String {
    format!("INV-{n:06}")
}

/// `n` when `s` is exactly what [`number`] makes of it, so that an explicit number of that form
/// moves the sequence past it and an automatic number never collides with it.
pub fn sequence_of(s: &str) -> Option<i64> {
    let n: i64 = s.strip_prefix("INV-")?.parse().ok()?;
    (n > 0 && number(n) == s).then_some(n)
}

/// An approved, billable, uninvoiced time entry an import may bill, with the rate it bills at
/// (its task's `default_hourly_rate`, else its job's `hourly_rate`, else 0).
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct BillableEntry {
    pub id: String,
    pub job_id: Option<String>,
    pub job_name: Option<String>,
    pub rate: i64,
    pub seconds: i64,
}

/// An approved, billable, uninvoiced expense an import may bill.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct BillableExpense {
    pub id: String,
    pub job_id: Option<String>,
    pub category: String,
    pub notes: Option<String>,
    pub spent_date: String,
    pub amount: i64,
}

/// The lines of an import: one service line per (job, rate) over its entries, in the order
/// the groups first appear — quantity the hours (to 4 decimals), unit price the rate, amount
/// the summed seconds at the rate ([`money::time_amount`], exact to the minor unit rather than
/// the rounded hours × rate) — then one expense line per expense (quantity 1).
pub fn import_lines(entries: &[BillableEntry], expenses: &[BillableExpense]) -> Vec<Line> {
    /// The entries of one job at one rate.
    struct Group<'a> {
        first: &'a BillableEntry,
        seconds: i64,
        ids: Vec<String>,
    }
    let mut groups: Vec<Group> = Vec::new();
    for e in entries {
        match groups.iter_mut().find(|g| g.first.job_id == e.job_id && g.first.rate == e.rate) {
            Some(g) => {
                g.seconds += e.seconds.max(0);
                g.ids.push(e.id.clone());
            }
            None => groups.push(Group { first: e, seconds: e.seconds.max(0), ids: vec![e.id.clone()] }),
        }
    }
    let mut lines: Vec<Line> = groups
        .into_iter()
        .map(|g| Line {
            kind: LineKind::Service,
            description: g.first.job_name.clone().unwrap_or_else(|| "Time".into()),
            quantity: i64::try_from(money::div_half_even(i128::from(g.seconds) * i128::from(QUANTITY_SCALE), 3_600))
                .unwrap_or(i64::MAX),
            unit_price: g.first.rate,
            amount: money::time_amount(g.seconds, g.first.rate),
            job_id: g.first.job_id.clone(),
            time_entry_ids: g.ids,
            expense_ids: vec![],
        })
        .collect();
    lines.extend(expenses.iter().map(|x| {
        let description = match x.notes.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            Some(notes) => format!("{} ({}): {notes}", x.category, x.spent_date),
            None => format!("{} ({})", x.category, x.spent_date),
        };
        Line {
            kind: LineKind::Expense,
            description,
            quantity: QUANTITY_SCALE,
            unit_price: x.amount,
            amount: x.amount,
            job_id: x.job_id.clone(),
            time_entry_ids: vec![],
            expense_ids: vec![x.id.clone()],
        }
    }));
    lines
}

#[cfg(test)]
mod tests;
