//! `/v2/invoices` (SPEC §9): Harvest's invoices over `/v1`'s. A create becomes a `/v1` body
//! ([`crate::domain::harvest::invoice_body`]) and goes through `/v1`'s create — the same
//! numbering, pricing per line and guarded import that bills each entry and expense once —
//! then the invoice is read back in Harvest's shape ([`crate::domain::harvest::invoices`]).
//! Edits and state changes stay on `/v1` (`PATCH /v1/invoices/{id}`, `…/send`, `…/pay`).

use serde_json::{json, Value};

use super::{by_int, int_id, list_mapped, named};
use crate::domain::harvest::invoice_body::{self as body, Billing};
use crate::domain::harvest::invoices as wire;
use crate::domain::harvest::unprocessable;
use crate::domain::harvest::wire::parse_date;
use crate::domain::invoices::InvoiceState;
use crate::domain::listing::Query;
#[cfg(not(target_arch = "wasm32"))]
use crate::domain::params::{Param, ParamKind};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::handlers::invoices as v1;
use crate::i18n::{FieldCode, Msg, Noun};
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
#[cfg(not(target_arch = "wasm32"))]
use crate::pipeline::route_doc::{Body, QueryDoc};
use crate::pipeline::router::RouteDef;
use crate::route;
use crate::storage::harvest::{self as store, Conditions, INVOICES};
use crate::storage::harvest_ids::{self, Kind};

fn not_found() -> ApiError {
    ApiError::not_found(Msg::NotFound(Noun::Invoice))
}

/// A row of [`INVOICES`] in Harvest's shape.
fn render(row: &str) -> String {
    serde_json::from_str::<Value>(row).map(|r| wire::to_wire(&r).to_string()).unwrap_or_default()
}

/// The conditions of a list query: `client_id` (integer id), `state`, `from`/`to` (days of
/// `issue_date`, inclusive).
pub fn conditions(query: &Query) -> ApiResult<Conditions> {
    let mut cond = Conditions::default();
    by_int(query, &mut cond, "client_id", "t.customer_id = (SELECT id FROM customers WHERE harvest_id = ?)")?;
    if let Some(v) = query.get("state") {
        let state = InvoiceState::parse(v).ok_or_else(|| unprocessable("state"))?;
        cond.add("t.state = ?", [state.as_str().into()]);
    }
    for (param, op) in [("from", ">="), ("to", "<=")] {
        if let Some(v) = query.get(param) {
            let day = parse_date(v).ok_or_else(|| unprocessable(param))?;
            cond.add(format!("t.issue_date {op} ?"), [day.format("%Y-%m-%d").to_string().into()]);
        }
    }
    Ok(cond)
}

async fn list(call: &Call<'_>) -> ApiResult<Reply> {
    let cond = conditions(&call.query)?;
    list_mapped(call, &INVOICES, "/v2/invoices", cond, &render).await
}

async fn detail(call: &Call<'_>) -> ApiResult<Reply> {
    let id = int_id(call.param("invoice_id"), Noun::Invoice)?;
    let row = store::one(&call.db()?, &INVOICES, call.tenant_id()?, id).await?.ok_or_else(not_found)?;
    Ok(Reply::ok(render(&row)))
}

/// The text ids of the projects `req` names (each a live job of the tenant: 422 on the field
/// that names it otherwise), by integer id.
async fn jobs(call: &Call<'_>, req: &body::Request) -> ApiResult<Vec<(i64, String)>> {
    let named_by: Vec<(String, i64)> = match &req.billing {
        Billing::Lines(lines) => lines
            .iter()
            .enumerate()
            .filter_map(|(i, l)| l.project.map(|p| (format!("line_items[{i}].project_id"), p)))
            .collect(),
        Billing::Import(imp) => imp.projects.iter().map(|p| ("line_items_import.project_ids".into(), *p)).collect(),
    };
    // `0` names no project, as everywhere on /v2; the rest are read in one query.
    let named_by: Vec<(String, i64)> = named_by.into_iter().filter(|(_, n)| *n != 0).collect();
    let numbers: Vec<i64> = named_by.iter().map(|(_, n)| *n).collect();
    let found = harvest_ids::ids_for(&call.db()?, Kind::Jobs, call.tenant_id()?, &numbers).await?;
    let mut fields: Vec<&str> =
        named_by.iter().filter(|(_, n)| !found.contains_key(n)).map(|(f, _)| f.as_str()).collect();
    fields.dedup();
    let missing: Vec<FieldError> = fields.into_iter().map(|f| FieldError::new(f, FieldCode::NotFound)).collect();
    if !missing.is_empty() {
        return Err(ApiError::validation(missing));
    }
    Ok(named_by.into_iter().filter_map(|(_, n)| found.get(&n).map(|id| (n, id.clone()))).collect())
}

async fn create(call: &Call<'_>) -> ApiResult<Reply> {
    let req = body::parse(&call.body)?;
    let customer = named(call, Kind::Customers, "client_id", Some(&json!(req.client))).await?;
    let customer = customer.ok_or_else(|| unprocessable("client_id"))?;
    let currency = v1::currency_of(call, &customer).await.map_err(|e| body::harvest_names(e, &req))?;
    // No conversions: a currency other than the client's is refused, not silently replaced.
    if req.currency.as_deref().is_some_and(|c| c != currency) {
        return Err(ApiError::invalid_field("currency", FieldCode::NotAllowed));
    }
    let jobs = jobs(call, &req).await?;
    let v1_body = body::v1_body(&req, &customer, &currency, &jobs)?;
    let (id, _) = v1::create_from(call, &v1_body).await.map_err(|e| body::harvest_names(e, &req))?;
    let row = store::by_text_id(&call.db()?, &INVOICES, call.tenant_id()?, &id).await?.ok_or_else(not_found)?;
    Ok(Reply::written(201, &id, render(&row)))
}

#[cfg(not(target_arch = "wasm32"))]
const LIST: &[Param] = &[
    super::LIST_PARAMS[0],
    super::LIST_PARAMS[1],
    super::LIST_PARAMS[2],
    super::LIST_PARAMS[3],
    Param::optional("client_id", ParamKind::Int(1, 9_007_199_254_740_991)).doc("Only this client's invoices."),
    Param::optional("state", ParamKind::OneOf(InvoiceState::NAMES)).doc("Only invoices in this state."),
    Param::optional("from", ParamKind::HarvestDate)
        .doc("Only invoices issued from this day on (`YYYY-MM-DD`; `YYYYMMDD` is accepted too)."),
    Param::optional("to", ParamKind::HarvestDate).doc("Only invoices issued up to this day (included)."),
];

/// The routes this module serves.
pub static ROUTES: &[RouteDef] = &[
    route!(GET "/v2/invoices", Key, |call| list(call), {
        id: "harvestListInvoices", tag: "Harvest v2", summary: "List invoices",
        description: "Newest first. Filters `client_id` (integer id), `state` (`draft`, `open`, `paid`, `closed`), `from`/`to` (days of `issue_date`, `YYYY-MM-DD` or `YYYYMMDD`, inclusive), `updated_since`. Money is a decimal of the invoice's currency; line kinds are `Service` (time, services) and `Product` (goods, expenses). Needs `read:invoices`.",
        query: QueryDoc::params(LIST), ok: 200, response: "HarvestInvoices",
    }),
    route!(POST "/v2/invoices", Key, |call| create(call), {
        id: "harvestCreateInvoice", tag: "Harvest v2", summary: "Create an invoice",
        description: "A `draft` for `client_id` in the client's currency (`currency`, if sent, must be it), made by `/v1`'s create: from `line_items` (`unit_price` a decimal, rounded half to even to the minor unit), or by `line_items_import` — the client's approved, billable, not yet invoiced time (`time`) and expenses (`expenses`) of `project_ids` in `[from, to]` (one range: when both are given they must match), one `Service` line per project and rate and one `Product` line per expense whatever `summary_type` says; each billed exactly once, even under concurrent imports. Nothing left to bill is `422`. Neither: an empty draft. Needs `write:invoices`.",
        body: Some(Body::create("HarvestInvoiceCreate", &[body::CREATE])),
        ok: 201, response: "HarvestInvoice",
    }),
    route!(GET "/v2/invoices/{invoice_id}", Key, |call| detail(call), {
        id: "harvestGetInvoice", tag: "Harvest v2", summary: "Get an invoice",
        description: "One invoice in Harvest's shape, with its line items. Needs `read:invoices`.",
        ok: 200, response: "HarvestInvoice",
    }),
];
