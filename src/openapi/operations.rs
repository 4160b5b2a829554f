//! The paths of the document: one operation per routed method and path (SPEC §8), from the
//! route declarations — security from access, parameters from the path, query and headers,
//! the body from its field declarations, every status the route can answer.

use std::collections::BTreeMap;

use utoipa::openapi::path::{HttpMethod, Operation, OperationBuilder, PathItem, PathItemBuilder, Paths, PathsBuilder};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{ContentBuilder, Required};

use super::dsl::reference;
use super::fields::{self, Mode};
use super::params;
use super::responses::{self, reference_to};
use super::schemas::Registry;
use crate::pipeline::route_doc::{Body, BodyMode, Media};
use crate::pipeline::router::{self, Access, Method, RouteDef};

/// The routes the document describes: all but the public documentation routes themselves.
pub fn documented() -> impl Iterator<Item = &'static RouteDef> {
    router::routes().filter(|r| r.access != Access::Public)
}

fn http(m: Method) -> HttpMethod {
    match m {
        Method::Get => HttpMethod::Get,
        Method::Post => HttpMethod::Post,
        Method::Put => HttpMethod::Put,
        Method::Patch => HttpMethod::Patch,
        Method::Delete => HttpMethod::Delete,
    }
}

fn security(access: Access) -> Vec<SecurityRequirement> {
    let scheme = |name: &str| SecurityRequirement::new(name, Vec::<String>::new());
    match access {
        Access::Operator => vec![scheme("OperatorToken")],
        // A signed link needs no credentials: `security: []`.
        Access::Signed => vec![],
        Access::KeyOrEmbedToken => vec![scheme("ApiKeyBearer"), scheme("ApiKeyHeader"), scheme("EmbedToken")],
        _ => vec![scheme("ApiKeyBearer"), scheme("ApiKeyHeader")],
    }
}

/// Registers a body's component (once, described with every route that takes it).
fn body(b: &Body, takers: &[String], reg: &mut Registry) {
    if reg.has(b.schema) {
        return;
    }
    let routes = takers.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ");
    let (mode, rule) = match b.mode {
        BodyMode::Create => (Mode::Create, ""),
        BodyMode::Update => (Mode::Update, " Only the fields sent change; `null` clears an optional field."),
    };
    let description = format!(
        "Body of {routes}.{rule} Unknown fields are `422 unknown_field`; every invalid field is reported at once."
    );
    let schema = fields::object(&description, b.parts, b.rules, mode, reg);
    reg.add(b.schema, schema);
}

fn success_words(def: &RouteDef, ok: u16, envelope: &str) -> String {
    let data = envelope.trim_end_matches("Response").trim_end_matches("List");
    if let Media::File(_) = def.doc.media {
        return "The file, as an attachment.".into();
    }
    if let Media::EventStream(words) = def.doc.media {
        return words.into();
    }
    match (def.method, ok) {
        (_, 207) => "One result per item, in the order sent.".into(),
        (Method::Delete, _) => format!("The `{data}` left by the delete."),
        (Method::Get, _) if envelope.ends_with("ListResponse") => format!("A page of `{data}` objects."),
        (Method::Get, _) => format!("The `{data}`."),
        (_, 201) => format!("The new `{data}`."),
        _ => format!("The `{data}` as it is now."),
    }
}

fn operation(def: &RouteDef, takers: &BTreeMap<&str, Vec<String>>, reg: &mut Registry) -> Operation {
    let doc = &def.doc;
    let key = def.access.is_key();
    let mut parameters = params::query(&doc.query);
    if key && def.method.is_write() {
        parameters.push(params::idempotency_key());
    }
    if let Media::EnvelopeOrCsv(_) = doc.media {
        parameters.push(params::accept());
    }
    let mut op = OperationBuilder::new()
        .operation_id(Some(doc.id))
        .tag(doc.tag)
        .summary(Some(doc.summary))
        .description(Some(doc.description))
        .securities(Some(security(def.access)));
    if !parameters.is_empty() {
        op = op.parameters(Some(parameters));
    }
    if let Some(b) = &doc.body {
        body(b, takers.get(b.schema).map(Vec::as_slice).unwrap_or_default(), reg);
        if let Some(batch) = &doc.batch {
            body(&batch.body, takers.get(batch.body.schema).map(Vec::as_slice).unwrap_or_default(), reg);
        }
        // Required unless `{}` (what an empty body reads as) would pass: a required field, or a
        // rule that at least one field be set, refuses it.
        let needed = b.mode == BodyMode::Create
            && (b.parts.iter().flat_map(|p| p.iter()).any(|d| d.presence == crate::domain::model::Presence::Required)
                || b.rules.iter().any(|r| matches!(r, crate::domain::model::Rule::AnyOf(_))));
        let schema = match &doc.batch {
            None => reference(b.schema),
            Some(batch) => {
                let either = utoipa::openapi::schema::OneOfBuilder::new()
                    .item(reference(b.schema))
                    .item(reference(batch.body.schema))
                    .description(Some("One object, or a batch of them."));
                utoipa::openapi::RefOr::T(utoipa::openapi::schema::Schema::OneOf(either.build()))
            }
        };
        let content = ContentBuilder::new().schema(Some(schema)).build();
        let required = if needed { Required::True } else { Required::False };
        op = op.request_body(Some(
            RequestBodyBuilder::new().content("application/json", content).required(Some(required)).build(),
        ));
    }
    let envelope = match doc.media {
        // `/v2` answers bare objects (SPEC §9): the schema is the body.
        _ if crate::pipeline::harvest::is_harvest(def.pattern) => doc.response,
        Media::File(_) | Media::EventStream(_) => doc.response,
        _ => reg.envelope(doc.response),
    };
    op = op.response(doc.ok.to_string(), responses::success(def, envelope, success_words(def, doc.ok, envelope)));
    if let Some(batch) = &doc.batch {
        let envelope = reg.envelope(batch.response);
        op = op
            .response(batch.ok.to_string(), responses::success(def, envelope, success_words(def, batch.ok, envelope)));
    }
    if let Media::EventStream(_) = doc.media {
        op = op.response("101", responses::switching_protocols());
    }
    for (status, e) in responses::errors(def) {
        op = op.response(status.to_string(), reference_to(&e.name()));
        reg.add_response(&e.name(), e.response());
    }
    op.build()
}

/// The paths, in route order, and registers what they use in `reg`.
pub fn paths(reg: &mut Registry) -> Paths {
    let mut takers: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for def in documented() {
        if let Some(b) = &def.doc.body {
            takers.entry(b.schema).or_default().push(format!("{} {}", def.method.as_str(), def.pattern));
        }
    }
    let mut patterns: Vec<&str> = Vec::new();
    for def in documented() {
        if !patterns.contains(&def.pattern) {
            patterns.push(def.pattern);
        }
    }
    let mut paths = PathsBuilder::new();
    for pattern in patterns {
        let defs: Vec<&RouteDef> = documented().filter(|d| d.pattern == pattern).collect();
        let key = defs.iter().all(|d| d.access.is_key());
        assert!(defs.iter().all(|d| d.access == defs[0].access), "{pattern} mixes routes of different access");
        let mut parameters: Vec<_> =
            defs[0].param_names().map(|n| params::path(n, crate::pipeline::harvest::is_harvest(pattern))).collect();
        parameters.extend(params::common_headers(key));
        let mut item = PathItemBuilder::new().parameters(Some(parameters));
        for def in defs {
            let op = operation(def, &takers, reg);
            item = item.operation(http(def.method), op);
        }
        let item: PathItem = item.build();
        paths = paths.path(pattern, item);
    }
    paths.build()
}
