//! Every status a route can answer and its error codes (SPEC §1), derived from how it is called:
//! its access (401, 403, 429), path parameters (404), query (400), whether it writes (400, 413,
//! 415; on key routes 409 for an idempotent request in flight and 422 for a reused key) and its
//! body (422) — plus what its declaration adds. Also the headers of every response.

use std::collections::BTreeMap;

use utoipa::openapi::header::{Header, HeaderBuilder};
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::{ContentBuilder, Ref, RefOr};

use super::dsl::{self, count, describe, one_of, reference, string};
use crate::error::ErrorCode;
use crate::i18n::Lang;
use crate::pipeline::route_doc::Media;
use crate::pipeline::router::{Access, RouteDef};

/// Who answers: key routes pass the key's gate (rate-limit and idempotency headers); operator
/// routes do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Key,
    Operator,
    /// A signed link, with no credentials.
    Link,
    /// A key on the Harvest-compatible `/v2`: Harvest's statuses and error body.
    Harvest,
}

/// One error response: its status and the codes it may carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorResponse {
    pub audience: Audience,
    pub status: u16,
    pub codes: Vec<ErrorCode>,
}

fn code_of(status: u16) -> ErrorCode {
    super::schemas::ERROR_CODES
        .iter()
        .copied()
        .find(|c| c.status() == status && *c != ErrorCode::IdempotencyKeyReused)
        .unwrap_or_else(|| panic!("no error code for status {status}")) // ok: native-only generator, fails the openapi test
}

/// The error responses of `def`, by status.
pub fn errors(def: &RouteDef) -> BTreeMap<u16, ErrorResponse> {
    let doc = &def.doc;
    let harvest = crate::pipeline::harvest::is_harvest(def.pattern);
    let audience = match def.access {
        _ if harvest => Audience::Harvest,
        Access::Operator => Audience::Operator,
        Access::Signed => Audience::Link,
        _ => Audience::Key,
    };
    let key = matches!(audience, Audience::Key | Audience::Harvest);
    let write = def.method.is_write();
    let mut statuses: BTreeMap<u16, Vec<ErrorCode>> = BTreeMap::new();
    let mut add = |status: u16, code: ErrorCode| {
        let status = if harvest { crate::pipeline::harvest::status(code) } else { status };
        let codes = statuses.entry(status).or_default();
        if !codes.contains(&code) {
            codes.push(code);
        }
    };
    if audience != Audience::Link {
        add(401, ErrorCode::Unauthorized);
    }
    add(500, ErrorCode::Internal);
    if key {
        add(403, ErrorCode::Forbidden);
        add(429, ErrorCode::RateLimited);
    }
    if def.param_names().next().is_some() {
        add(404, ErrorCode::NotFound);
    }
    if !doc.query.is_empty() {
        add(400, ErrorCode::BadRequest);
    }
    if write {
        add(400, ErrorCode::BadRequest);
        add(413, ErrorCode::PayloadTooLarge);
        add(415, ErrorCode::UnsupportedMediaType);
    }
    if doc.body.is_some() {
        add(422, ErrorCode::ValidationFailed);
    }
    if key && write {
        add(409, ErrorCode::Conflict);
        add(422, ErrorCode::IdempotencyKeyReused);
    }
    if doc.enterprise {
        add(403, ErrorCode::PlanRequired);
    }
    // `/v2` handlers read Harvest's parameters and bodies themselves: what they refuse is a 422
    // `validation_failed` naming the field.
    if harvest && (write || !doc.query.is_empty()) {
        add(422, ErrorCode::ValidationFailed);
    }
    for status in doc.errors {
        add(*status, code_of(*status));
    }
    statuses.into_iter().map(|(status, codes)| (status, ErrorResponse { audience, status, codes })).collect()
}

impl ErrorResponse {
    /// The component name: `Operator` for operator routes, then the codes in UpperCamelCase.
    pub fn name(&self) -> String {
        let camel = |s: &str| -> String { s.split('_').map(|w| w[..1].to_ascii_uppercase() + &w[1..]).collect() };
        let codes: Vec<String> = self.codes.iter().map(|c| camel(c.as_str())).collect();
        let who = match self.audience {
            Audience::Operator => "Operator",
            Audience::Link => "Link",
            Audience::Harvest => "Harvest",
            Audience::Key => "",
        };
        format!("{who}{}", codes.join("Or"))
    }

    fn description(&self) -> String {
        let mut words: Vec<String> = self.codes.iter().map(|c| format!("`{}`: {}", c.as_str(), when(*c))).collect();
        if matches!(self.audience, Audience::Key | Audience::Harvest) && self.status != 401 {
            words.push(
                "The rate-limit headers are sent once the request reached the key's limiter (not on a malformed \
                 `Idempotency-Key` or a declared body over 1 MiB)."
                    .into(),
            );
        }
        words.join(" ")
    }

    pub fn response(&self) -> Response {
        let codes: Vec<&str> = self.codes.iter().map(|c| c.as_str()).collect();
        let narrowed = ObjectBuilder::new()
            .property("error", ObjectBuilder::new().property("code", one_of(&codes)).required("code"))
            .required("error");
        let base = if self.audience == Audience::Harvest { "HarvestError" } else { "Error" };
        let narrowed = if self.audience == Audience::Harvest {
            ObjectBuilder::new().property("code", one_of(&codes)).required("code")
        } else {
            narrowed
        };
        let schema = utoipa::openapi::schema::AllOfBuilder::new().item(reference(base)).item(narrowed);
        let mut headers = basic_headers();
        if matches!(self.audience, Audience::Key | Audience::Harvest) && self.status != 401 {
            headers.extend(gate_headers(true));
        }
        match self.status {
            429 => headers.push(("Retry-After", header(count(1), "Seconds until the window that blocked has room again."))),
            409 | 422 if self.audience != Audience::Operator && self.codes.contains(&ErrorCode::Conflict) => headers.push((
                "Retry-After",
                header(count(1), "`1` when this is an idempotent request still in flight (retry shortly); absent for data conflicts."),
            )),
            _ => {}
        }
        let content = ContentBuilder::new().schema(Some(Schema::AllOf(schema.build()))).build();
        headers
            .into_iter()
            .fold(ResponseBuilder::new().description(self.description()), |b, (name, h)| b.header(name, h))
            .content("application/json", content)
            .build()
    }
}

fn when(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::BadRequest => {
            "malformed JSON body, unknown or repeated query parameter, unacceptable query value, a cursor the API \
             did not issue, or a malformed `Idempotency-Key`."
        }
        ErrorCode::Unauthorized => {
            "the credentials are missing, malformed, unknown, revoked or expired (never told apart)."
        }
        ErrorCode::Forbidden => {
            "the key lacks the route's scope; a vendor key names no tenant in `Edgeclock-Tenant-Id`, or one without an \
             active partnership; a vendor key writes to `api-keys`, `divisions`, `partnerships` or `webhooks`; or the \
             request asks to give a scope the caller does not hold."
        }
        ErrorCode::PlanRequired => "the tenant's plan does not include this feature (live positions: enterprise).",
        ErrorCode::NotFound => "no such object in this tenant (other tenants' and deleted objects included).",
        ErrorCode::MethodNotAllowed => "the path exists but not for this method; `Allow` lists those it answers.",
        ErrorCode::Conflict => {
            "the change conflicts with existing data (the route's description says when), or a request with the same \
             `Idempotency-Key` is still running."
        }
        ErrorCode::PayloadTooLarge => "the body is over 1 MiB.",
        ErrorCode::UnsupportedMediaType => "a non-empty body that is not `application/json` (or another `+json` type).",
        ErrorCode::ValidationFailed => "well-formed JSON that breaks a rule; `details` lists every invalid field.",
        ErrorCode::IdempotencyKeyReused => "this `Idempotency-Key` was used with a different method, path or body.",
        ErrorCode::RateLimited => "the key's rate limit is exhausted; retry after `Retry-After` seconds.",
        ErrorCode::Internal => "an unexpected failure; it never carries internal detail.",
    }
}

fn header(schema: ObjectBuilder, description: &str) -> Header {
    HeaderBuilder::new().schema(schema).description(Some(description)).build()
}

/// `X-Request-Id` and `Content-Language`, on every response.
pub fn basic_headers() -> Vec<(&'static str, Header)> {
    let langs: Vec<&str> = [Lang::En, Lang::Es, Lang::Fr, Lang::De].iter().map(|l| l.tag()).collect();
    vec![
        ("X-Request-Id", header(string(), "The request's id: the client's `X-Request-Id` if acceptable, else a generated `req_…`. Equals `request_id` in the body.")),
        ("Content-Language", header(one_of(&langs), "The language of any messages in the body.")),
    ]
}

/// The per-minute rate-limit window, and (on writes) whether this is a replay.
pub fn gate_headers(write: bool) -> Vec<(&'static str, Header)> {
    let mut out = vec![
        ("X-RateLimit-Limit", header(count(1), "Requests the key may make in its per-minute window.")),
        ("X-RateLimit-Remaining", header(count(0), "Requests left in the current per-minute window.")),
        ("X-RateLimit-Reset", header(count(0), "When the per-minute window starts over, in unix seconds.")),
    ];
    if write {
        let hit = dsl::constant(Type::String, "true");
        out.push((
            "X-Idempotency-Hit",
            header(
                hit,
                "`true` when this is the stored response of an earlier request with the same `Idempotency-Key`.",
            ),
        ));
    }
    out
}

/// The success response of `def`: `schema` as JSON, and CSV where the route answers it.
pub fn success(def: &RouteDef, schema: &str, description: String) -> Response {
    let mut headers = basic_headers();
    if def.access.is_key() {
        headers.extend(gate_headers(def.method.is_write()));
    }
    if let Media::EventStream(words) = def.doc.media {
        let events = ContentBuilder::new().schema(Some(describe(string(), words))).build();
        return headers
            .into_iter()
            .fold(ResponseBuilder::new().description(description), |b, (name, h)| b.header(name, h))
            .content("text/event-stream", events)
            .build();
    }
    let json = ContentBuilder::new().schema(Some(reference(schema))).build();
    let csv = match def.doc.media {
        Media::Envelope | Media::EventStream(_) => None,
        Media::EnvelopeOrCsv(words) | Media::File(words) => {
            headers.push((
                "Content-Disposition",
                header(string(), "`attachment; filename=\"…\"` on a CSV body or a file; absent on the JSON envelope."),
            ));
            Some(ContentBuilder::new().schema(Some(describe(string(), words))).build())
        }
    };
    let mut response = headers
        .into_iter()
        .fold(ResponseBuilder::new().description(description), |b, (name, h)| b.header(name, h))
        .content("application/json", json);
    if let Some(csv) = csv {
        response = response.content("text/csv", csv);
    }
    response.build()
}

/// `101`: a WebSocket, when the request asked to upgrade.
pub fn switching_protocols() -> Response {
    ResponseBuilder::new()
        .description(
            "With `Upgrade: websocket`: the connection becomes a WebSocket carrying one position (JSON) per text \
             message. Sending `ping` gets `pong`.",
        )
        .header("X-Request-Id", header(string(), "The request's id."))
        .build()
}

/// `405`: the path exists, not for this method (not an operation's answer, but every path's).
pub fn method_not_allowed() -> Response {
    let e = ErrorResponse { audience: Audience::Operator, status: 405, codes: vec![ErrorCode::MethodNotAllowed] };
    let mut r = e.response();
    r.headers
        .insert("Allow".into(), header(describe(string(), ""), "The methods the path answers (`GET, HEAD, POST`)."));
    r
}

/// A reference to the component response `name`.
pub fn reference_to(name: &str) -> RefOr<Response> {
    RefOr::Ref(Ref::from_response_name(name))
}
