//! The bodies that create and edit invoices (SPEC §6 "invoices"): explicit line items, or an
//! import of a customer's billable time and expenses over a range of local days; the
//! descriptive fields both share. Declared once: the reader validates against these and the
//! OpenAPI document is generated from them.

use chrono::NaiveDate;
use serde_json::Value;

use super::invoices::{quantity_units, Line, LineKind};
use super::model::{field, not_null, required, Columns, FieldDef, Kind, Nested, Rule, Shape};
use super::reader;
use crate::error::{ApiError, ApiResult};
use crate::i18n::FieldCode;

/// The most lines an invoice has.
pub const MAX_LINES: usize = 500;

/// One line a client writes; its `amount` is computed.
pub static LINE: Shape = Shape::new(
    &[
        required("kind", Kind::OneOf(LineKind::NAMES)).doc("`service`, `product` or `expense`."),
        required("description", Kind::Text(1000)).doc("What the line bills."),
        required("quantity", Kind::Real(0.0, 1.0e9))
            .doc("How many units: a decimal of at most 4 places (`invalid` otherwise)."),
        required("unit_price", Kind::Int(-1_000_000_000_000, 1_000_000_000_000))
            .doc("Minor units of the invoice's currency per unit (negative for a discount)."),
        field("job_id", Kind::Ref("job", "jobs")).doc("The job the line is for, if any."),
    ],
    &[],
    "InvoiceLineInput",
    "An invoice line as written: `amount` is `quantity × unit_price`, rounded half to even to the minor unit.",
);

/// What an import bills.
pub static INCLUDE: Shape = Shape::new(
    &[
        field("time", Kind::Bool).doc("Bill approved, billable, not yet invoiced time entries (default `true`)."),
        field("expenses", Kind::Bool).doc("Bill approved, billable, not yet invoiced expenses (default `true`)."),
    ],
    &[],
    "InvoiceImportInclude",
    "What an import bills; both by default.",
);

/// The fields every invoice body may set.
pub const DESCRIPTIVE: [FieldDef; 5] = [
    not_null("number", Kind::Code(50)).doc(
        "Unique among the tenant's live invoices (`409` otherwise). Without one the next of the tenant's sequence \
         (`INV-000001`, …); an explicit `INV-nnnnnn` moves the sequence past it.",
    ),
    field("subject", Kind::Text(500)).doc("A title for the invoice."),
    field("notes", Kind::Text(5000)).doc("Free text printed on the invoice."),
    field("issue_date", Kind::Date).doc("`YYYY-MM-DD`; on create, today in the tenant's zone by default."),
    field("due_date", Kind::Date).doc("`YYYY-MM-DD`."),
];

const LINE_ITEMS: FieldDef = field("line_items", Kind::List(&LINE, MAX_LINES)).doc(
    "The lines, at most 500. Give these or `from`/`to` (an import), not both; neither makes an empty draft, to fill \
     with `PATCH`.",
);

/// `line_items` on an edit: replaced as a whole, never cleared (`[]` empties them).
const EDIT_LINE_ITEMS: FieldDef =
    not_null("line_items", Kind::List(&LINE, MAX_LINES)).doc("The new lines, at most 500, replacing the old ones.");

/// What `POST /v1/invoices` reads.
pub const CREATE: &[FieldDef] = &[
    required("customer_id", Kind::Ref("cus", "customers")).doc("Who is billed; the invoice takes its `currency`."),
    DESCRIPTIVE[0],
    DESCRIPTIVE[1],
    DESCRIPTIVE[2],
    DESCRIPTIVE[3],
    DESCRIPTIVE[4],
    LINE_ITEMS,
    field("from", Kind::Date).doc("Import: the first local day whose billable time and expenses are billed."),
    field("to", Kind::Date).doc("Import: the last local day (included); not before `from`, at most 365 days after it."),
    field("include", Kind::Object(&INCLUDE)).doc("Import: what to bill."),
    field("job_ids", Kind::IdList("job", MAX_JOBS)).doc(
        "Import: bill only these jobs of the customer (at most 100; all of its jobs when absent). Each must be a \
         live job of the customer (`422` `not_found` otherwise).",
    ),
];

/// The most jobs an import may be limited to.
pub const MAX_JOBS: usize = 100;

/// What `PATCH /v1/invoices/{id}` reads (drafts only).
pub const EDIT: &[FieldDef] =
    &[DESCRIPTIVE[0], DESCRIPTIVE[1], DESCRIPTIVE[2], DESCRIPTIVE[3], DESCRIPTIVE[4], EDIT_LINE_ITEMS];

const CREATE_RULES: &[Rule] = &[Rule::Requires("from", "to"), Rule::Requires("to", "from")];

/// What to bill: explicit lines, or an import over `[from, to]`.
#[derive(Debug, Clone, PartialEq)]
pub enum Billing {
    Lines(Vec<Line>),
    /// `jobs`: only those jobs of the customer (`None`: all of them).
    Import {
        from: NaiveDate,
        to: NaiveDate,
        time: bool,
        expenses: bool,
        jobs: Option<Vec<String>>,
    },
}

/// A validated create: its columns (`customer_id` and the descriptive fields) and what it bills.
#[derive(Debug, Clone, PartialEq)]
pub struct NewInvoice {
    pub cols: Columns,
    pub billing: Billing,
}

/// The lines a validated `line_items` holds (quantities checked to 4 decimals, failing on `f`).
fn lines_of(cols: &Columns, f: &mut crate::domain::fields::Fields) -> Option<Vec<Line>> {
    let Some(Nested::List(items)) = cols.nested("line_items") else { return None };
    let mut lines = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let kind = item.text("kind").and_then(LineKind::parse).unwrap_or(LineKind::Product);
        let Some(quantity) = item.real("quantity").and_then(quantity_units) else {
            f.fail(&format!("line_items[{i}].quantity"), FieldCode::Invalid);
            continue;
        };
        let description = item.text("description").unwrap_or_default().to_string();
        let job = item.text("job_id").map(str::to_string);
        lines.push(Line::priced(kind, description, quantity, item.int("unit_price").unwrap_or(0), job));
    }
    Some(lines)
}

fn date(cols: &Columns, name: &str) -> Option<NaiveDate> {
    cols.text(name).and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
}

/// Validates a create: `line_items`, or an import's `from`/`to` (and `include`), never both.
pub fn parse_create(body: &Value) -> ApiResult<NewInvoice> {
    let (mut cols, mut f) = reader::read_body(body, CREATE, CREATE_RULES, &[], true);
    let lines = lines_of(&cols, &mut f);
    let range = date(&cols, "from").zip(date(&cols, "to"));
    let billing = match (lines, range) {
        (Some(_), _) if cols.is_set("from") => {
            f.fail("from", FieldCode::NotAllowed);
            None
        }
        (Some(lines), _) => Some(Billing::Lines(lines)),
        (None, Some((from, to))) => {
            let include = match cols.nested("include") {
                Some(Nested::Object(inc)) => (inc.int("time") != Some(0), inc.int("expenses") != Some(0)),
                _ => (true, true),
            };
            let jobs = cols.text("job_ids").and_then(|j| serde_json::from_str(j).ok());
            Some(Billing::Import { from, to, time: include.0, expenses: include.1, jobs })
        }
        // Neither: an empty draft (unless `line_items`, `from` or `to` failed already).
        (None, None) if !f.has_error("line_items") && !f.has_error("from") && !f.has_error("to") => {
            Some(Billing::Lines(Vec::new()))
        }
        (None, None) => None,
    };
    for import_only in ["include", "job_ids"] {
        if cols.is_set(import_only) && !cols.is_set("from") {
            f.fail(import_only, FieldCode::NotAllowed);
        }
    }
    f.finish()?;
    let billing = billing.ok_or_else(|| ApiError::invalid_field("line_items", FieldCode::Required))?;
    if let Billing::Import { from, to, .. } = &billing {
        super::reports::check_range(*from, *to)?;
    }
    cols.values.retain(|(c, _)| !matches!(*c, "from" | "to" | "job_ids"));
    cols.nested.clear();
    Ok(NewInvoice { cols, billing })
}

/// Validates an edit: its columns and, when given, the new lines.
pub fn parse_edit(body: &Value) -> ApiResult<(Columns, Option<Vec<Line>>)> {
    let (mut cols, mut f) = reader::read_body(body, EDIT, &[], &[], false);
    let lines = lines_of(&cols, &mut f);
    f.finish()?;
    cols.values.retain(|(c, _)| *c != "line_items");
    cols.nested.clear();
    Ok((cols, lines))
}

/// The job references of `lines` to check, as one field.
pub fn line_refs(lines: &[Line]) -> Vec<super::model::RefCheck> {
    lines.iter().filter_map(|l| l.job_id.clone()).map(|id| ("line_items", "jobs", id)).collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn fields(e: ApiError) -> Vec<(String, &'static str)> {
        e.details.iter().map(|d| (d.field.clone(), d.code.as_str())).collect()
    }

    #[test]
    fn explicit_lines_are_priced_per_line() {
        let body = json!({"customer_id": format!("cus_{}", "1".repeat(32)), "line_items": [
            {"kind": "product", "description": "Boxes", "quantity": 2.5, "unit_price": 199},
            {"kind": "service", "description": "Setup", "quantity": 1, "unit_price": 5000}]});
        let new = parse_create(&body).unwrap();
        let Billing::Lines(lines) = new.billing else { panic!("lines") }; // ok: test
        assert_eq!(lines.iter().map(|l| l.amount).collect::<Vec<_>>(), [498, 5000]);
        assert_eq!(new.cols.text("customer_id").map(|s| &s[..4]), Some("cus_"));
        assert!(new.cols.get("line_items").is_none());
    }

    #[test]
    fn an_import_names_a_range() {
        let cus = format!("cus_{}", "1".repeat(32));
        let new = parse_create(
            &json!({"customer_id": cus, "from": "2026-03-01", "to": "2026-03-31", "include": {"expenses": false}}),
        )
        .unwrap();
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            new.billing,
            Billing::Import { from: d("2026-03-01"), to: d("2026-03-31"), time: true, expenses: false, jobs: None }
        );
        let job = format!("job_{}", "2".repeat(32));
        let only = json!({"customer_id": cus, "from": "2026-03-01", "to": "2026-03-02", "job_ids": [job, job]});
        let new = parse_create(&only).unwrap();
        assert!(matches!(new.billing, Billing::Import { jobs: Some(ref j), .. } if *j == [job.clone()]));
        assert!(new.cols.get("job_ids").is_none(), "not a column");
        let lines = json!({"customer_id": cus, "line_items": [], "job_ids": [job]});
        assert_eq!(fields(parse_create(&lines).unwrap_err()), [("job_ids".to_string(), "not_allowed")]);
        assert!(new.cols.get("from").is_none());
        let e = parse_create(&json!({"customer_id": cus, "from": "2026-03-01"})).unwrap_err();
        assert_eq!(fields(e), [("to".to_string(), "required")]);
        let e = parse_create(&json!({"customer_id": cus, "from": "2026-03-31", "to": "2026-03-01"})).unwrap_err();
        assert_eq!(fields(e), [("to".to_string(), "out_of_range")]);
        let both = json!({"customer_id": cus, "from": "2026-03-01", "to": "2026-03-02", "line_items": []});
        assert_eq!(fields(parse_create(&both).unwrap_err()), [("from".to_string(), "not_allowed")]);
        let empty = parse_create(&json!({"customer_id": cus})).unwrap();
        assert_eq!(empty.billing, Billing::Lines(Vec::new()), "neither lines nor a range: an empty draft");
        let inc = json!({"customer_id": cus, "line_items": [], "include": {"time": true}});
        assert_eq!(fields(parse_create(&inc).unwrap_err()), [("include".to_string(), "not_allowed")]);
    }

    #[test]
    fn quantities_beyond_four_decimals_are_invalid() {
        let body =
            json!({"line_items": [{"kind": "product", "description": "x", "quantity": 1.00001, "unit_price": 1}]});
        assert_eq!(fields(parse_edit(&body).unwrap_err()), [("line_items[0].quantity".to_string(), "invalid")]);
        let (cols, lines) = parse_edit(&json!({"subject": "March"})).unwrap();
        assert_eq!((cols.text("subject"), lines), (Some("March"), None));
        assert_eq!(
            fields(parse_edit(&json!({"line_items": null})).unwrap_err()),
            [("line_items".to_string(), "required")]
        );
    }
}
