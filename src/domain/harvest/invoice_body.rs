//! The body of `POST /v2/invoices` (SPEC §9) and the `POST /v1/invoices` body it becomes, so
//! that `/v1`'s create (numbering, pricing, the guarded import) makes every invoice.
//!
//! - `line_items`: Harvest's lines, `unit_price` a decimal of the invoice's currency, turned into
//!   minor units (half to even); `kind` `Service`/`Product`.
//! - `line_items_import`: `{project_ids, time: {summary_type, from, to}, expenses: {…}}` is
//!   `/v1`'s import over `from`/`to` with `include` by which of `time` and `expenses` is given and
//!   `job_ids` from `project_ids`. `/v1` imports one range, so when both are given their ranges
//!   must be the same (`422` otherwise); `from`/`to` are required (Harvest would bill everything
//!   unbilled without them), and `summary_type` is accepted but lines are always `/v1`'s: one per
//!   project and rate, one per expense.
//! - Neither: an empty draft (Harvest's free-form invoice).

use serde_json::{json, Map, Value};

use super::invoices::{kind_name, kind_of, KINDS};
use super::unprocessable;
use crate::domain::invoice_request::{DESCRIPTIVE, MAX_JOBS};
use crate::domain::invoices::LineKind;
use crate::domain::model::{field, required, Columns, FieldDef, Kind, Nested, Rule, Shape};
use crate::domain::{money, reader};
use crate::error::{ApiError, ApiResult};
use crate::i18n::FieldCode;

const MAX_ID: i64 = (1 << 53) - 1;

/// One line a Harvest client writes.
pub static LINE: Shape = Shape::new(
    &[
        required("kind", Kind::OneOf(KINDS)).doc("`Service` or `Product` (`/v1`'s `service` and `product`)."),
        field("description", Kind::Text(1000)).doc("What the line bills; the kind's name when absent."),
        field("quantity", Kind::Real(0.0, 1.0e9)).doc("Default 1; at most 4 decimals."),
        required("unit_price", Kind::Real(-1.0e10, 1.0e10))
            .doc("A decimal of the invoice's currency, rounded half to even to its minor unit."),
        field("project_id", Kind::Int(0, MAX_ID)).doc("The project's integer id; `0` or `null`: none."),
        field("taxed", Kind::Bool).doc("Only `false`: edgeclock's invoices carry no taxes."),
        field("taxed2", Kind::Bool).doc("Only `false`."),
    ],
    &[],
    "HarvestInvoiceLineInput",
    "An invoice line as a Harvest client writes it; `amount` is `quantity × unit_price` in minor units, rounded half to even.",
);

const FROM: FieldDef = required("from", Kind::Date).doc("The first local day billed, `YYYY-MM-DD`.");
const TO: FieldDef = required("to", Kind::Date).doc("The last local day billed (included), at most 366 days on.");

/// What of the time to import.
pub static TIME_IMPORT: Shape = Shape::new(
    &[
        field("summary_type", Kind::OneOf(&["project", "task", "people", "detailed"]))
            .doc("Accepted; lines are one per project and rate whatever it says."),
        FROM,
        TO,
    ],
    &[],
    "HarvestInvoiceTimeImport",
    "Bill the approved, billable, uninvoiced time of the projects in `[from, to]`.",
);

/// What of the expenses to import.
pub static EXPENSE_IMPORT: Shape = Shape::new(
    &[
        field("summary_type", Kind::OneOf(&["project", "category", "people", "detailed"]))
            .doc("Accepted; lines are one per expense whatever it says."),
        FROM,
        TO,
        field("attach_receipt", Kind::Bool).doc("Accepted and not used."),
    ],
    &[],
    "HarvestInvoiceExpenseImport",
    "Bill the approved, billable, uninvoiced expenses of the projects spent in `[from, to]`.",
);

/// Harvest's `line_items_import`.
pub static IMPORT: Shape = Shape::new(
    &[
        required("project_ids", Kind::IntList(MAX_JOBS)).doc("The client's projects to bill (at most 100)."),
        field("time", Kind::Object(&TIME_IMPORT)),
        field("expenses", Kind::Object(&EXPENSE_IMPORT)),
    ],
    &[Rule::AnyOf(&["time", "expenses"])],
    "HarvestInvoiceImport",
    "Harvest's import: `/v1`'s import over one range. Give `time`, `expenses` or both (then with the same `from` and `to`).",
);

/// What `POST /v2/invoices` reads.
pub const CREATE: &[FieldDef] = &[
    required("client_id", Kind::Int(1, MAX_ID)).doc("The client's (customer's) integer id."),
    DESCRIPTIVE[0],
    DESCRIPTIVE[1],
    DESCRIPTIVE[2],
    DESCRIPTIVE[3],
    DESCRIPTIVE[4],
    field("currency", Kind::Currency).doc("The client's currency, if given (`422` otherwise: no conversions)."),
    field("line_items", Kind::List(&LINE, crate::domain::invoice_request::MAX_LINES))
        .doc("The lines (at most 500); or `line_items_import`, not both."),
    field("line_items_import", Kind::Object(&IMPORT)).doc("An import of the client's billable time and expenses."),
];

/// A line as read.
#[derive(Debug, Clone, PartialEq)]
pub struct LineIn {
    pub kind: LineKind,
    pub description: String,
    pub quantity: f64,
    pub unit_price: f64,
    pub project: Option<i64>,
}

/// An import as read: one range, and what it bills.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportIn {
    pub projects: Vec<i64>,
    pub from: String,
    pub to: String,
    pub time: bool,
    pub expenses: bool,
}

/// What a create bills.
#[derive(Debug, Clone, PartialEq)]
pub enum Billing {
    Lines(Vec<LineIn>),
    Import(ImportIn),
}

/// A validated `POST /v2/invoices` body.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub client: i64,
    pub currency: Option<String>,
    /// `number`, `subject`, `notes`, `issue_date`, `due_date`, as sent (`/v1` names them alike).
    pub descriptive: Map<String, Value>,
    pub billing: Billing,
}

impl Request {
    /// Every project id the body names (lines' and the import's), to resolve.
    pub fn projects(&self) -> Vec<i64> {
        match &self.billing {
            Billing::Lines(lines) => lines.iter().filter_map(|l| l.project).collect(),
            Billing::Import(i) => i.projects.clone(),
        }
    }
}

fn range(c: &Columns) -> (String, String) {
    (c.text("from").unwrap_or_default().to_string(), c.text("to").unwrap_or_default().to_string())
}

fn import_of(imp: &Columns, f: &mut crate::domain::fields::Fields) -> Option<ImportIn> {
    let part = |name: &str| match imp.nested(name) {
        Some(Nested::Object(c)) => Some(range(c)),
        _ => None,
    };
    let (time, expenses) = (part("time"), part("expenses"));
    if let (Some(t), Some(x)) = (&time, &expenses) {
        if t != x {
            let which = if t.0 != x.0 { "from" } else { "to" };
            f.fail(&format!("line_items_import.expenses.{which}"), FieldCode::Invalid);
        }
    }
    let (from, to) = time.clone().or(expenses.clone())?;
    let projects = imp.text("project_ids").and_then(|p| serde_json::from_str(p).ok()).unwrap_or_default();
    Some(ImportIn { projects, from, to, time: time.is_some(), expenses: expenses.is_some() })
}

/// Validates a `POST /v2/invoices` body.
pub fn parse(body: &Value) -> ApiResult<Request> {
    let (cols, mut f) = reader::read_body(body, CREATE, &[], &[], true);
    let billing = match (cols.nested("line_items"), cols.nested("line_items_import")) {
        (Some(Nested::List(_)), Some(Nested::Object(_))) => {
            f.fail("line_items_import", FieldCode::NotAllowed);
            None
        }
        (_, Some(Nested::Object(imp))) => import_of(imp, &mut f).map(Billing::Import),
        (Some(Nested::List(items)), _) => {
            let mut lines = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                for tax in ["taxed", "taxed2"] {
                    if item.int(tax) == Some(1) {
                        f.fail(&format!("line_items[{i}].{tax}"), FieldCode::NotAllowed);
                    }
                }
                let Some(kind) = item.text("kind").and_then(kind_of) else { continue };
                let description = item.text("description").unwrap_or(kind_name(kind)).to_string();
                let (quantity, unit_price) =
                    (item.real("quantity").unwrap_or(1.0), item.real("unit_price").unwrap_or(0.0));
                let project = item.int("project_id").filter(|p| *p > 0);
                lines.push(LineIn { kind, description, quantity, unit_price, project });
            }
            Some(Billing::Lines(lines))
        }
        _ => Some(Billing::Lines(Vec::new())),
    };
    f.finish()?;
    let billing = billing.ok_or_else(|| unprocessable("line_items_import"))?;
    let descriptive = DESCRIPTIVE.iter().filter_map(|d| body.get(d.name).map(|v| (d.name.to_string(), v.clone())));
    Ok(Request {
        client: cols.int("client_id").unwrap_or(0),
        currency: cols.text("currency").map(str::to_string),
        descriptive: descriptive.collect(),
        billing,
    })
}

/// The `POST /v1/invoices` body of `req` for `customer` (text id) in `currency`, with
/// `jobs` mapping each project id the body names to its job's text id.
pub fn v1_body(req: &Request, customer: &str, currency: &str, jobs: &[(i64, String)]) -> ApiResult<Value> {
    let job = |p: i64| jobs.iter().find(|(n, _)| *n == p).map(|(_, id)| id.clone());
    let mut out = req.descriptive.clone();
    out.insert("customer_id".into(), json!(customer));
    match &req.billing {
        Billing::Lines(lines) => {
            let mut items = Vec::with_capacity(lines.len());
            for (i, l) in lines.iter().enumerate() {
                let price = money::from_decimal(l.unit_price, currency)
                    .ok_or_else(|| unprocessable(&format!("line_items[{i}].unit_price")))?;
                items.push(json!({"kind": l.kind.as_str(), "description": l.description, "quantity": l.quantity,
                                  "unit_price": price, "job_id": l.project.and_then(job)}));
            }
            out.insert("line_items".into(), Value::Array(items));
        }
        Billing::Import(imp) => {
            out.insert("from".into(), json!(imp.from));
            out.insert("to".into(), json!(imp.to));
            out.insert("include".into(), json!({"time": imp.time, "expenses": imp.expenses}));
            let ids: Vec<String> = imp.projects.iter().filter_map(|p| job(*p)).collect();
            out.insert("job_ids".into(), json!(ids));
        }
    }
    Ok(Value::Object(out))
}

/// `/v1`'s field names in an error of [`v1_body`]'s create, as the Harvest body names them.
pub fn harvest_names(mut e: ApiError, req: &Request) -> ApiError {
    let part = match &req.billing {
        Billing::Import(i) if !i.time => "expenses",
        _ => "time",
    };
    for d in &mut e.details {
        let renamed = match d.field.as_str() {
            "customer_id" => "client_id".to_string(),
            "job_ids" => "line_items_import.project_ids".to_string(),
            "from" | "to" => format!("line_items_import.{part}.{}", d.field),
            f if f.starts_with("line_items[") && f.ends_with(".job_id") => f.replace(".job_id", ".project_id"),
            _ => continue,
        };
        d.field = renamed;
    }
    e
}

#[cfg(test)]
mod tests;
