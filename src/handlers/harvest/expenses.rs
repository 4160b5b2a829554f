//! `/v2/expenses` and `/v2/expense_categories` (SPEC §9): Harvest's expenses over `/v1`'s.
//! Every write becomes a `/v1` body and goes through `/v1`'s handler code — the same worker
//! check, currency default and locks (an approved or invoiced expense: 422 here) — then the
//! expense is read back in Harvest's shape. Categories are `/v1`'s seven, numbered 1–7.

use serde_json::{json, Map, Value};

use super::{by_int, int_id, list_mapped, named};
use crate::domain::expenses::{ExpenseCategory, MAX_AMOUNT};
use crate::domain::harvest::expenses::{self as wire, category, category_of};
use crate::domain::harvest::paging::{self, ListPage};
use crate::domain::harvest::unprocessable;
use crate::domain::listing::Query;
use crate::domain::model::{field, not_null, required, FieldDef, Kind as Field};
#[cfg(not(target_arch = "wasm32"))]
use crate::domain::params::{Param, ParamKind};
use crate::domain::reader;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::handlers::expenses as v1;
use crate::i18n::{FieldCode, Msg, Noun};
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
#[cfg(not(target_arch = "wasm32"))]
use crate::pipeline::route_doc::{Body, QueryDoc};
use crate::pipeline::router::RouteDef;
use crate::route;
use crate::storage::harvest::{self as store, Conditions, EXPENSES};
use crate::storage::harvest_ids::{self, Kind};

const MAX_ID: i64 = harvest_ids::MAX;
/// `total_cost` in units: at most [`MAX_AMOUNT`] minor units of a two-decimal currency.
const MAX_COST: f64 = (MAX_AMOUNT / 100) as f64;

/// The fields of a Harvest expense body (`user_id` and the rest required on create).
const fn body_fields(user: FieldDef, category: FieldDef, date: FieldDef, cost: FieldDef) -> [FieldDef; 8] {
    [
        user,
        field("project_id", Field::Int(0, MAX_ID)).doc("The project's integer id; `0` or `null`: none."),
        category,
        date,
        cost,
        field("units", Field::Real(0.0, 1_000_000_000.0)).doc("How many units (miles for Mileage)."),
        field("notes", Field::Text(2000)),
        not_null("billable", Field::Bool).doc("Default `true`."),
    ]
}

pub const CREATE: &[FieldDef] = &body_fields(
    required("user_id", Field::Int(1, MAX_ID)).doc("The user's (worker's) integer id."),
    required("expense_category_id", Field::Int(1, 7)).doc("One of `/v2/expense_categories` (1–7)."),
    required("spent_date", Field::Date).doc("The local day, `YYYY-MM-DD`."),
    required("total_cost", Field::Real(0.0, MAX_COST))
        .doc("A decimal of the expense's currency (the project's client's, else the company's)."),
);
pub const UPDATE: &[FieldDef] = &body_fields(
    not_null("user_id", Field::Int(1, MAX_ID)).doc("Moves the expense to this user (never `null`)."),
    not_null("expense_category_id", Field::Int(1, 7)),
    not_null("spent_date", Field::Date),
    not_null("total_cost", Field::Real(0.0, MAX_COST)).doc("A decimal of the expense's currency."),
);

fn not_found() -> ApiError {
    ApiError::not_found(Msg::NotFound(Noun::Expense))
}

/// The expense (text id) in Harvest's shape.
async fn to_wire(call: &Call<'_>, id: &str) -> ApiResult<String> {
    let row = store::by_text_id(&call.db()?, &EXPENSES, call.tenant_id()?, id).await?.ok_or_else(not_found)?;
    Ok(wire::to_wire(&serde_json::from_str(&row)?).to_string())
}

/// The expense (text id) a path's integer id names.
async fn expense_id(call: &Call<'_>) -> ApiResult<String> {
    let n = int_id(call.param("expense_id"), Noun::Expense)?;
    harvest_ids::id_for(&call.db()?, Kind::Expenses, call.tenant_id()?, n).await?.ok_or_else(not_found)
}

/// The conditions of a list query: `user_id`, `project_id`, `client_id` (integer ids),
/// `is_billed`, `from`/`to` (days of `spent_date`, inclusive).
pub fn conditions(query: &Query) -> ApiResult<Conditions> {
    let mut cond = Conditions::default();
    by_int(query, &mut cond, "user_id", "t.worker_id = (SELECT id FROM workers WHERE harvest_id = ?)")?;
    by_int(query, &mut cond, "project_id", "t.job_id = (SELECT id FROM jobs WHERE harvest_id = ?)")?;
    by_int(
        query,
        &mut cond,
        "client_id",
        "t.job_id IN (SELECT id FROM jobs WHERE customer_id = (SELECT id FROM customers WHERE harvest_id = ?))",
    )?;
    if let Some(billed) = super::query_flag(query, "is_billed")? {
        cond.add(if billed { "t.invoice_id IS NOT NULL" } else { "t.invoice_id IS NULL" }, []);
    }
    for (param, op) in [("from", ">="), ("to", "<=")] {
        if let Some(v) = query.get(param) {
            let day = crate::domain::harvest::wire::parse_date(v).ok_or_else(|| unprocessable(param))?;
            cond.add(format!("t.spent_date {op} ?"), [day.format("%Y-%m-%d").to_string().into()]);
        }
    }
    Ok(cond)
}

async fn list(call: &Call<'_>) -> ApiResult<Reply> {
    let cond = conditions(&call.query)?;
    list_mapped(call, &EXPENSES, "/v2/expenses", cond, &|row| {
        serde_json::from_str::<Value>(row).map(|r| wire::to_wire(&r).to_string()).unwrap_or_default()
    })
    .await
}

async fn detail(call: &Call<'_>) -> ApiResult<Reply> {
    let id = expense_id(call).await?;
    Ok(Reply::ok(to_wire(call, &id).await?))
}

/// The `/v1` fields a Harvest body gives (all but `total_cost`, which needs the currency).
async fn v1_body(call: &Call<'_>, body: &Value) -> ApiResult<Map<String, Value>> {
    let mut out = Map::new();
    if body.get("user_id").is_some() {
        let worker = named(call, Kind::Workers, "user_id", body.get("user_id")).await?;
        let worker =
            worker.ok_or_else(|| ApiError::validation(vec![FieldError::new("user_id", FieldCode::Required)]))?;
        out.insert("worker_id".into(), json!(worker));
    }
    if body.get("project_id").is_some() {
        out.insert("job_id".into(), json!(named(call, Kind::Jobs, "project_id", body.get("project_id")).await?));
    }
    if let Some(n) = body.get("expense_category_id").and_then(Value::as_f64) {
        let c = category_of(n as i64).ok_or_else(|| unprocessable("expense_category_id"))?;
        out.insert("category".into(), json!(c.as_str()));
    }
    for k in ["spent_date", "units", "notes", "billable"] {
        if let Some(v) = body.get(k) {
            out.insert(k.into(), v.clone());
        }
    }
    Ok(out)
}

async fn create(call: &Call<'_>) -> ApiResult<Reply> {
    reader::parse(&call.body, CREATE, &[], true)?;
    let mut body = v1_body(call, &call.body).await?;
    let job = body.get("job_id").and_then(Value::as_str).map(str::to_string);
    let currency = v1::currency_for(call, job.as_deref()).await?;
    body.insert("amount".into(), json!(wire::total_cost(&call.body["total_cost"], &currency)?));
    body.insert("currency".into(), json!(currency));
    let (id, _) = v1::create_with(call, &Value::Object(body)).await?;
    Ok(Reply::written(201, &id, to_wire(call, &id).await?))
}

async fn update(call: &Call<'_>) -> ApiResult<Reply> {
    reader::parse(&call.body, UPDATE, &[], false)?;
    let id = expense_id(call).await?;
    let mut body = v1_body(call, &call.body).await?;
    if let Some(cost) = call.body.get("total_cost") {
        let current = crate::storage::expenses::current(&call.db()?, call.tenant_id()?, &id).await?;
        let currency = current.ok_or_else(not_found)?.currency;
        body.insert("amount".into(), json!(wire::total_cost(cost, &currency)?));
    }
    v1::update_with(call, &id, &Value::Object(body)).await?;
    Ok(Reply::written(200, &id, to_wire(call, &id).await?))
}

async fn delete(call: &Call<'_>) -> ApiResult<Reply> {
    let id = expense_id(call).await?;
    v1::delete(call, &id).await?;
    Ok(Reply::written(200, &id, "{}".into()))
}

/// The seven categories in Harvest's list body (one page; `page`/`per_page` as everywhere).
async fn categories(call: &Call<'_>) -> ApiResult<Reply> {
    let request = paging::request(&call.query)?;
    let all: Vec<String> = ExpenseCategory::ALL.iter().map(|c| category(*c).to_string()).collect();
    let items = all.iter().skip(request.offset() as usize).take(request.per_page as usize).cloned().collect();
    let base = format!("{}/v2/expense_categories", call.origin);
    let page = ListPage {
        name: "expense_categories",
        items,
        total_entries: all.len() as u64,
        request,
        ceiling: None,
        base: &base,
        query: "",
    };
    Ok(Reply::ok(page.render()))
}

#[cfg(not(target_arch = "wasm32"))]
const LIST: &[Param] = &[
    super::LIST_PARAMS[0],
    super::LIST_PARAMS[1],
    super::LIST_PARAMS[2],
    super::LIST_PARAMS[3],
    Param::optional("user_id", ParamKind::Int(1, 9_007_199_254_740_991)).doc("Only this user's expenses."),
    Param::optional("client_id", ParamKind::Int(1, 9_007_199_254_740_991))
        .doc("Only expenses of this client's projects."),
    Param::optional("project_id", ParamKind::Int(1, 9_007_199_254_740_991)).doc("Only this project's expenses."),
    Param::optional("is_billed", ParamKind::OneOf(&["true", "false"])).doc("Only invoiced (or not invoiced) ones."),
    Param::optional("from", ParamKind::HarvestDate)
        .doc("Only expenses spent from this day on (`YYYY-MM-DD`; `YYYYMMDD` is accepted too)."),
    Param::optional("to", ParamKind::HarvestDate).doc("Only expenses spent up to this day (included)."),
];

#[cfg(not(target_arch = "wasm32"))]
const CATEGORY_LIST: &[Param] = &[super::LIST_PARAMS[0], super::LIST_PARAMS[1]];

/// The routes this module serves.
pub static ROUTES: &[RouteDef] = &[
    route!(GET "/v2/expenses", Key, |call| list(call), {
        id: "harvestListExpenses", tag: "Harvest v2", summary: "List expenses",
        description: "Newest first. Filters `user_id`, `client_id`, `project_id` (integer ids), `is_billed`, `updated_since`, `from`/`to` (days of `spent_date`, `YYYY-MM-DD` or `YYYYMMDD`, inclusive). `total_cost` is a decimal of the expense's currency. Needs `read:expenses`.",
        query: QueryDoc::params(LIST), ok: 200, response: "HarvestExpenses",
    }),
    route!(POST "/v2/expenses", Key, |call| create(call), {
        id: "harvestCreateExpense", tag: "Harvest v2", summary: "Create an expense",
        description: "`user_id`, `expense_category_id`, `spent_date` and `total_cost` are required. The currency is the project's client's, else the company's; `total_cost` is read as a decimal of it (rounded half to even to its minor unit). `/v1`'s rules hold (the user must be active). Needs `write:expenses`.",
        body: Some(Body::create("HarvestExpenseCreate", &[CREATE])),
        ok: 201, response: "HarvestExpense",
    }),
    route!(GET "/v2/expenses/{expense_id}", Key, |call| detail(call), {
        id: "harvestGetExpense", tag: "Harvest v2", summary: "Get an expense",
        description: "One expense in Harvest's shape. Needs `read:expenses`.",
        ok: 200, response: "HarvestExpense",
    }),
    route!(PATCH "/v2/expenses/{expense_id}", Key, |call| update(call), {
        id: "harvestUpdateExpense", tag: "Harvest v2", summary: "Update an expense",
        description: "Changes the fields sent: `user_id`, `project_id`, `expense_category_id`, `spent_date`, `total_cost` (in the expense's currency), `units`, `notes`, `billable`. An approved or invoiced expense is locked (422). Needs `write:expenses`.",
        body: Some(Body::update("HarvestExpenseUpdate", &[UPDATE])),
        ok: 200, response: "HarvestExpense",
    }),
    route!(DELETE "/v2/expenses/{expense_id}", Key, |call| delete(call), {
        id: "harvestDeleteExpense", tag: "Harvest v2", summary: "Delete an expense",
        description: "Answers `200` with `{}`. No body needed. An approved or invoiced expense is locked (422). Needs `write:expenses`.",
        ok: 200, response: "HarvestEmpty",
    }),
    route!(GET "/v2/expense_categories", Key, |call| categories(call), {
        id: "harvestListExpenseCategories", tag: "Harvest v2", summary: "List expense categories",
        description: "`/v1`'s seven expense categories with fixed ids 1–7 (Mileage, Meals, Lodging, Travel, Materials, Equipment, Other), all active, no unit prices; Mileage's unit is `mile`. Needs `read:expenses`.",
        query: QueryDoc::params(CATEGORY_LIST), ok: 200, response: "HarvestExpenseCategories",
    }),
];
