//! `/v1/customers/{customer_id}/contacts` (SPEC §6 customers): the people to write to at a
//! customer — list, create, delete. A contact belongs to one customer of the tenant; the
//! customer must be live (404 otherwise), and cannot be deleted while it has live contacts.

use crate::domain::listing::ListSpec;
use crate::domain::model::{field, required, FieldDef, Kind};
use crate::domain::{ids, listing::Arg, reader};
use crate::error::{ApiError, ApiResult};
use crate::i18n::{Msg, Noun};
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
#[cfg(not(target_arch = "wasm32"))]
use crate::pipeline::route_doc::{Body, QueryDoc};
use crate::pipeline::router::RouteDef;
use crate::route;
use crate::storage::resource::{self, Table};

/// A contact as the API shows it.
pub const CONTACT_JSON: &str = "json_object('id', id, 'harvest_id', harvest_id, 'customer_id', customer_id, \
     'first_name', first_name, 'last_name', last_name, 'email', email, 'phone', phone, 'title', title, \
     'created_at', created_at, 'updated_at', updated_at)";

pub static CONTACTS: Table = Table {
    list: ListSpec { table: "contacts", scope: "tenant_id", json: CONTACT_JSON, filters: &[], date_column: None },
    noun: Noun::Contact,
    unique_field: "id",
    created_event: None,
    updated_event: None,
    referenced_by: &[],
};

/// One customer's contacts: the same list, scoped by the customer (checked to be the tenant's).
static OF_CUSTOMER: ListSpec =
    ListSpec { table: "contacts", scope: "customer_id", json: CONTACT_JSON, filters: &[], date_column: None };

pub const FIELDS: &[FieldDef] = &[
    required("first_name", Kind::Text(100)),
    field("last_name", Kind::Text(100)),
    field("email", Kind::Email),
    field("phone", Kind::Phone),
    field("title", Kind::Text(100)).doc("The contact's role at the customer."),
];

/// The customer of the path, if it is a live customer of the tenant (404 otherwise).
async fn customer(call: &Call<'_>) -> ApiResult<String> {
    let id = call.param("customer_id");
    resource::get(&call.db()?, &super::catalog::CUSTOMERS.table, call.tenant_id()?, id).await?;
    Ok(id.to_string())
}

pub async fn list(call: &Call<'_>) -> ApiResult<Reply> {
    let customer = customer(call).await?;
    super::crud::page_of(call, &OF_CUSTOMER, Some(&customer), &call.query).await
}

/// Creates a contact of `customer` from `body` (shared with `/v2/contacts`); its id and JSON.
pub async fn create_for(call: &Call<'_>, customer: &str, body: &serde_json::Value) -> ApiResult<(String, String)> {
    let mut cols = reader::parse(body, FIELDS, &[], true)?;
    cols.set("customer_id", Arg::Text(customer.to_string()));
    let id = ids::new_id("ctc", call.now_ms as u64);
    let json = resource::create(&call.db()?, &CONTACTS, call.tenant_id()?, &id, call.now_ms, cols.values).await?;
    Ok((id, json))
}

pub async fn create(call: &Call<'_>) -> ApiResult<Reply> {
    let customer = customer(call).await?;
    let (id, json) = create_for(call, &customer, &call.body).await?;
    Ok(Reply::created(&id, json))
}

pub async fn delete(call: &Call<'_>) -> ApiResult<Reply> {
    let customer = customer(call).await?;
    let id = call.param("contact_id");
    let owner = crate::storage::db::first_text(
        &call.db()?,
        "SELECT customer_id FROM contacts WHERE id = ? AND tenant_id = ? AND deleted_at IS NULL",
        &[id.into(), call.tenant_id()?.into()],
    )
    .await?;
    if owner.as_deref() != Some(customer.as_str()) {
        return Err(ApiError::not_found(Msg::NotFound(Noun::Contact)));
    }
    super::crud::delete(call, &CONTACTS, id).await
}

/// The routes this module serves.
pub static ROUTES: &[RouteDef] = &[
    route!(GET "/v1/customers/{customer_id}/contacts", Key, |call| list(call), {
        id: "listContacts",
        tag: "Customers",
        summary: "List a customer's contacts",
        description: "The customer's contacts in creation order, a page at a time. An unknown customer is `404`. Needs `read:customers`.",
        query: QueryDoc::list(&OF_CUSTOMER),
        ok: 200,
        response: "ContactListResponse",
    }),
    route!(POST "/v1/customers/{customer_id}/contacts", Key, |call| create(call), {
        id: "createContact",
        tag: "Customers",
        summary: "Add a contact to a customer",
        description: "`first_name` is required. An unknown customer is `404`. A customer with live contacts cannot be deleted (`409`). Needs `write:customers`.",
        body: Some(Body::create("ContactCreate", &[FIELDS])),
        ok: 201,
        response: "ContactResponse",
    }),
    route!(DELETE "/v1/customers/{customer_id}/contacts/{contact_id}", Key, |call| delete(call), {
        id: "deleteContact",
        tag: "Customers",
        summary: "Remove a contact",
        description: "Soft-deletes the contact and answers its tombstone. A contact of another customer, or none, is `404`. Needs `write:customers`.",
        ok: 200,
        response: "TombstoneResponse",
    }),
];
