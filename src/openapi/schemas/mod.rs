//! The component schemas: what the API answers (declared here, their fields derived from the
//! field declarations wherever the API writes what a client sent), the shared pieces of every
//! answer (envelope, errors, tombstones), and the success envelopes the routes name.

mod access;
mod common;
mod deliveries;
mod expenses;
mod harvest;
mod harvest_expenses;
mod harvest_invoices;
mod invoices;
mod positions;
mod reports;
mod time;
mod webhooks;
mod work;

use std::collections::BTreeMap;

use utoipa::openapi::response::Response;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::RefOr;

pub use common::ERROR_CODES;

use super::dsl::{array, object, reference};

/// The components of the document (schemas and error responses), by name.
#[derive(Default)]
pub struct Registry {
    schemas: BTreeMap<String, RefOr<Schema>>,
    responses: BTreeMap<String, RefOr<Response>>,
}

impl Registry {
    /// A registry holding every schema the API answers with.
    pub fn new() -> Registry {
        let mut reg = Registry::default();
        common::add(&mut reg);
        access::add(&mut reg);
        work::add(&mut reg);
        time::add(&mut reg);
        expenses::add(&mut reg);
        webhooks::add(&mut reg);
        deliveries::add(&mut reg);
        reports::add(&mut reg);
        invoices::add(&mut reg);
        positions::add(&mut reg);
        harvest::add(&mut reg);
        reg
    }
    pub fn has(&self, name: &str) -> bool {
        self.schemas.contains_key(name)
    }
    /// Adds `name`; a name may be added twice only with the same schema.
    pub fn add(&mut self, name: &str, schema: impl Into<RefOr<Schema>>) {
        let schema = schema.into();
        match self.schemas.get(name) {
            Some(existing) => assert!(*existing == schema, "two different schemas are named {name}"),
            None => {
                self.schemas.insert(name.to_string(), schema);
            }
        }
    }
    /// Adds the response `name`; a name may be added twice only with the same response.
    pub fn add_response(&mut self, name: &str, response: Response) {
        let response = RefOr::T(response);
        match self.responses.get(name) {
            Some(existing) => assert!(*existing == response, "two different responses are named {name}"),
            None => {
                self.responses.insert(name.to_string(), response);
            }
        }
    }
    pub fn into_parts(self) -> (BTreeMap<String, RefOr<Schema>>, BTreeMap<String, RefOr<Response>>) {
        (self.schemas, self.responses)
    }

    /// Registers the success envelope `name` a route answers with and returns it: `XResponse`
    /// wraps one `X` with `Meta`; `XListResponse` a page of `X` (tombstones included with
    /// `include_deleted=true`) with `ListMeta`.
    pub fn envelope(&mut self, name: &'static str) -> &'static str {
        if self.has(name) {
            return name;
        }
        let (data, list) = match name {
            "AuditLogListResponse" => ("AuditEntry", true),
            "ShiftPublishResponse" => ("ShiftPublishResult", false),
            _ if name.ends_with("BatchResponse") => {
                let result = format!("{}Result", name.trim_end_matches("Response"));
                assert!(self.has(&result), "{name} wraps {result}, which is not declared");
                let results = array(reference(&result), "One result per item of the batch, in the order sent.");
                let o = object("").prop("data", results.build()).prop("meta", reference("Meta"));
                self.add(name, o);
                return name;
            }
            _ => match name.strip_suffix("ListResponse") {
                Some(data) => (data, true),
                None => (name.strip_suffix("Response").unwrap_or_else(|| panic!("{name} is no envelope")), false), // ok: native-only generator, fails the openapi test
            },
        };
        assert!(self.has(data), "{name} wraps {data}, which is not declared");
        let o = if list {
            let item = super::dsl::any_of(vec![reference(data), reference("Tombstone")], "");
            let page =
                array(RefOr::T(Schema::AnyOf(item)), "In creation order; tombstones only with `include_deleted=true`.");
            object("").prop("data", page.build()).prop("meta", reference("ListMeta"))
        } else {
            object("").prop("data", reference(data)).prop("meta", reference("Meta"))
        };
        self.add(name, o);
        name
    }
}
