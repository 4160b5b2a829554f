//! `/v2/users`, `/v2/clients`, `/v2/projects`, `/v2/tasks` (SPEC §9): lists and details of
//! workers, customers, jobs and tasks in Harvest's shape.

use super::{detail, list};
use crate::domain::model::{field, required, FieldDef, Kind};
use crate::domain::reader;
use crate::error::ApiResult;
use crate::handlers::catalog::CUSTOMERS;
use crate::handlers::crud;
use crate::i18n::Noun;
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
#[cfg(not(target_arch = "wasm32"))]
use crate::pipeline::route_doc::{Body, QueryDoc};
use crate::pipeline::router::RouteDef;
use crate::route;
use crate::storage::harvest::{self as store, Conditions, CLIENTS, CONTACTS, PROJECTS, TASKS, USERS};
use crate::storage::harvest_ids;

#[cfg(not(target_arch = "wasm32"))]
const PROJECT_PARAMS: &[crate::domain::params::Param] = &[
    super::ACTIVE_LIST_PARAMS[0],
    super::ACTIVE_LIST_PARAMS[1],
    super::ACTIVE_LIST_PARAMS[2],
    super::ACTIVE_LIST_PARAMS[3],
    super::ACTIVE_LIST_PARAMS[4],
    crate::domain::params::Param::optional(
        "client_id",
        crate::domain::params::ParamKind::Int(1, 9_007_199_254_740_991),
    )
    .doc("Only this client's projects."),
];

#[cfg(not(target_arch = "wasm32"))]
const CONTACT_PARAMS: &[crate::domain::params::Param] = &[
    super::LIST_PARAMS[0],
    super::LIST_PARAMS[1],
    super::LIST_PARAMS[2],
    super::LIST_PARAMS[3],
    crate::domain::params::Param::optional(
        "client_id",
        crate::domain::params::ParamKind::Int(1, 9_007_199_254_740_991),
    )
    .doc("Only this client's contacts."),
];

/// `client_id` of `/v2/projects`: the job's customer, by integer id.
async fn projects(call: &Call<'_>) -> ApiResult<Reply> {
    let mut cond = Conditions::default();
    if let Some(v) = call.query.get("client_id") {
        let n = v.parse::<i64>().map_err(|_| crate::domain::harvest::unprocessable("client_id"))?;
        cond.add("t.customer_id = (SELECT id FROM customers WHERE harvest_id = ?)", [n.into()]);
    }
    list(call, &PROJECTS, "/v2/projects", cond).await
}

const MAX_ID: i64 = crate::storage::harvest_ids::MAX;

/// The body of `POST /v2/clients`.
pub const CLIENT: &[FieldDef] = &[
    required("name", Kind::Text(200)),
    field("address", Kind::Text(500)),
    field("currency", Kind::Currency),
    field("is_active", Kind::Bool).doc("Accepted; customers are always active."),
];

/// The body of `POST /v2/contacts`.
pub const CONTACT: &[FieldDef] = &[
    required("client_id", Kind::Int(1, MAX_ID)).doc("The client's integer id."),
    required("first_name", Kind::Text(100)),
    field("last_name", Kind::Text(100)),
    field("email", Kind::Email),
    field("phone_office", Kind::Phone).doc("Kept as the contact's `phone`."),
    field("title", Kind::Text(100)),
];

/// `POST /v2/clients`: a customer from Harvest's `name`, `address`, `currency` (`is_active` is
/// accepted; customers are always active).
async fn create_client(call: &Call<'_>) -> ApiResult<Reply> {
    reader::parse(&call.body, CLIENT, &[], true)?;
    let mut body = serde_json::Map::new();
    for k in ["name", "address", "currency"] {
        if let Some(v) = call.body.get(k).filter(|v| !v.is_null()) {
            body.insert(k.into(), v.clone());
        }
    }
    let cols = reader::parse(&serde_json::Value::Object(body), CUSTOMERS.fields, &[], true)?;
    let created = crud::insert(call, &CUSTOMERS.table, CUSTOMERS.prefix, cols).await?;
    let id = created.written.clone().unwrap_or_default();
    let json = store::by_text_id(&call.db()?, &CLIENTS, call.tenant_id()?, &id).await?.unwrap_or_default();
    Ok(Reply::written(201, &id, json))
}

/// `GET /v2/contacts`: `client_id` narrows to one client's.
async fn contacts(call: &Call<'_>) -> ApiResult<Reply> {
    let mut cond = Conditions::default();
    if let Some(v) = call.query.get("client_id") {
        let n = v.parse::<i64>().map_err(|_| crate::domain::harvest::unprocessable("client_id"))?;
        cond.add("t.customer_id = (SELECT id FROM customers WHERE harvest_id = ?)", [n.into()]);
    }
    list(call, &CONTACTS, "/v2/contacts", cond).await
}

/// `POST /v2/contacts`: `client_id` (required), `first_name` (required), `last_name`, `email`,
/// `phone_office` (the contact's `phone`), `title`.
async fn create_contact(call: &Call<'_>) -> ApiResult<Reply> {
    reader::parse(&call.body, CONTACT, &[], true)?;
    let required = |field: &str| {
        crate::error::ApiError::validation(vec![crate::error::FieldError::new(field, crate::i18n::FieldCode::Required)])
    };
    // Read by the declaration above: an integer (maybe written `7.0`).
    let n = call.body.get("client_id").and_then(|v| v.as_i64().or_else(|| v.as_f64().map(|f| f as i64)));
    let n = n.ok_or_else(|| required("client_id"))?;
    let (db, tenant) = (call.db()?, call.tenant_id()?);
    let customer = harvest_ids::id_for(&db, harvest_ids::Kind::Customers, tenant, n).await?.ok_or_else(|| {
        crate::error::ApiError::validation(vec![crate::error::FieldError::new(
            "client_id",
            crate::i18n::FieldCode::NotFound,
        )])
    })?;
    let mut body = serde_json::Map::new();
    for (from, to) in [
        ("first_name", "first_name"),
        ("last_name", "last_name"),
        ("email", "email"),
        ("phone_office", "phone"),
        ("title", "title"),
    ] {
        if let Some(v) = call.body.get(from).filter(|v| !v.is_null() && v.as_str() != Some("")) {
            body.insert(to.into(), v.clone());
        }
    }
    let (id, _) = crate::handlers::contacts::create_for(call, &customer, &serde_json::Value::Object(body)).await?;
    let json = store::by_text_id(&db, &CONTACTS, tenant, &id).await?.unwrap_or_default();
    Ok(Reply::written(201, &id, json))
}

/// The routes this module serves.
pub static ROUTES: &[RouteDef] = &[
    route!(GET "/v2/users", Key, |call| list(call, &USERS, "/v2/users", Conditions::default()), {
        id: "harvestListUsers", tag: "Harvest v2", summary: "List users",
        description: "Workers as Harvest users, newest first. Filters `is_active`, `updated_since`. Needs `read:workers`.",
        query: QueryDoc::params(super::ACTIVE_LIST_PARAMS), ok: 200, response: "HarvestUsers",
    }),
    route!(GET "/v2/users/{user_id}", Key, |call| detail(call, &USERS, call.param("user_id"), Noun::Worker), {
        id: "harvestGetUser", tag: "Harvest v2", summary: "Get a user",
        description: "One worker as a Harvest user. Needs `read:workers`.",
        ok: 200, response: "HarvestUser",
    }),
    route!(GET "/v2/clients", Key, |call| list(call, &CLIENTS, "/v2/clients", Conditions::default()), {
        id: "harvestListClients", tag: "Harvest v2", summary: "List clients",
        description: "Customers as Harvest clients, newest first. Filters `is_active`, `updated_since`. Needs `read:customers`.",
        query: QueryDoc::params(super::ACTIVE_LIST_PARAMS), ok: 200, response: "HarvestClients",
    }),
    route!(POST "/v2/clients", Key, |call| create_client(call), {
        id: "harvestCreateClient", tag: "Harvest v2", summary: "Create a client",
        description: "A customer from `name` (required), `address` and `currency`. Needs `write:customers`.",
        body: Some(Body::create("HarvestClientCreate", &[CLIENT])),
        ok: 201, response: "HarvestClient",
    }),
    route!(GET "/v2/clients/{client_id}", Key, |call| detail(call, &CLIENTS, call.param("client_id"), Noun::Customer), {
        id: "harvestGetClient", tag: "Harvest v2", summary: "Get a client",
        description: "One customer as a Harvest client. Needs `read:customers`.",
        ok: 200, response: "HarvestClient",
    }),
    route!(GET "/v2/contacts", Key, |call| contacts(call), {
        id: "harvestListContacts", tag: "Harvest v2", summary: "List contacts",
        description: "Customers' contacts as Harvest contacts, newest first. Filters `client_id`, `updated_since`. Needs `read:customers`.",
        query: QueryDoc::params(CONTACT_PARAMS), ok: 200, response: "HarvestContacts",
    }),
    route!(POST "/v2/contacts", Key, |call| create_contact(call), {
        id: "harvestCreateContact", tag: "Harvest v2", summary: "Create a contact",
        description: "A contact of client `client_id` (required) with `first_name` (required), `last_name`, `email`, `phone_office`, `title`. Needs `write:customers`.",
        body: Some(Body::create("HarvestContactCreate", &[CONTACT])),
        ok: 201, response: "HarvestContact",
    }),
    route!(GET "/v2/projects", Key, |call| projects(call), {
        id: "harvestListProjects", tag: "Harvest v2", summary: "List projects",
        description: "Jobs as Harvest projects, newest first. Filters `is_active`, `client_id`, `updated_since`. Needs `read:jobs`.",
        query: QueryDoc::params(PROJECT_PARAMS), ok: 200, response: "HarvestProjects",
    }),
    route!(GET "/v2/projects/{project_id}", Key, |call| detail(call, &PROJECTS, call.param("project_id"), Noun::Job), {
        id: "harvestGetProject", tag: "Harvest v2", summary: "Get a project",
        description: "One job as a Harvest project. Needs `read:jobs`.",
        ok: 200, response: "HarvestProject",
    }),
    route!(GET "/v2/tasks", Key, |call| list(call, &TASKS, "/v2/tasks", Conditions::default()), {
        id: "harvestListTasks", tag: "Harvest v2", summary: "List tasks",
        description: "Tasks in Harvest's shape, newest first. Filters `is_active`, `updated_since`. Needs `read:tasks`.",
        query: QueryDoc::params(super::ACTIVE_LIST_PARAMS), ok: 200, response: "HarvestTasks",
    }),
    route!(GET "/v2/tasks/{task_id}", Key, |call| detail(call, &TASKS, call.param("task_id"), Noun::Task), {
        id: "harvestGetTask", tag: "Harvest v2", summary: "Get a task",
        description: "One task in Harvest's shape. Needs `read:tasks`.",
        ok: 200, response: "HarvestTask",
    }),
];
