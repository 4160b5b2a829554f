//! What a route declaration says for the OpenAPI document (native builds only): the operation's
//! name, tag and prose, its body and query as the declarations the handler validates with, the
//! success status and schema, and any status the route can answer beyond those its method,
//! access, path, query and body already imply.

use crate::domain::listing::ListSpec;
use crate::domain::model::{FieldDef, Rule};
use crate::domain::params::Param;

/// The documentation half of a [`RouteDef`](super::router::RouteDef).
#[derive(Debug, Clone, Copy)]
pub struct Doc {
    /// The OpenAPI `operationId`.
    pub id: &'static str,
    pub tag: &'static str,
    pub summary: &'static str,
    pub description: &'static str,
    /// The JSON request body, if the route takes one.
    pub body: Option<Body>,
    /// The query parameters the route reads.
    pub query: QueryDoc,
    /// The success status.
    pub ok: u16,
    /// The component schema of the success response (`…Response`, in the envelope).
    pub response: &'static str,
    /// Statuses beyond those implied by method, access, path parameters, query and body.
    pub errors: &'static [u16],
    /// Only for enterprise tenants (`403 plan_required` otherwise).
    pub enterprise: bool,
    /// A second body the route also takes, answered with its own status and envelope (a
    /// batch beside a single object: `POST /v1/positions`).
    pub batch: Option<Batch>,
    /// What the success response's body can be.
    pub media: Media,
}

/// The bodies a success response comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Media {
    /// `response` in the JSON envelope.
    Envelope,
    /// The envelope, or a CSV attachment (`format=csv` or `Accept: text/csv`) described thus.
    EnvelopeOrCsv(&'static str),
    /// A file as stored: `response` as bare JSON, or CSV described thus, as an attachment.
    File(&'static str),
    /// A stream of Server-Sent Events (`text/event-stream`), described in these words; a
    /// WebSocket (`101`) when the request asks to upgrade.
    EventStream(&'static str),
}

/// The other body of a route that takes two ([`Doc::batch`]).
#[derive(Debug, Clone, Copy)]
pub struct Batch {
    pub body: Body,
    pub ok: u16,
    pub response: &'static str,
}

impl Doc {
    /// What a declaration leaves out: no body, no query, no further statuses.
    pub const BASE: Doc = Doc {
        id: "",
        tag: "",
        summary: "",
        description: "",
        body: None,
        query: QueryDoc::NONE,
        ok: 200,
        response: "",
        errors: &[],
        enterprise: false,
        batch: None,
        media: Media::Envelope,
    };
}

/// Whether a body is read as a create (required fields, defaults) or as a merge patch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyMode {
    Create,
    Update,
}

/// A request body: the fields the handler reads it with, in the parts it reads them.
#[derive(Debug, Clone, Copy)]
pub struct Body {
    /// The component schema's name.
    pub schema: &'static str,
    pub parts: &'static [&'static [FieldDef]],
    pub rules: &'static [Rule],
    pub mode: BodyMode,
}

impl Body {
    pub const fn create(schema: &'static str, parts: &'static [&'static [FieldDef]]) -> Body {
        Body { schema, parts, rules: &[], mode: BodyMode::Create }
    }
    pub const fn update(schema: &'static str, parts: &'static [&'static [FieldDef]]) -> Body {
        Body { schema, parts, rules: &[], mode: BodyMode::Update }
    }
    pub const fn rules(self, rules: &'static [Rule]) -> Body {
        Body { rules, ..self }
    }
}

/// The query a route reads: a list's parameters (all of them, or `only` these), and
/// parameters of its own.
#[derive(Debug, Clone, Copy)]
pub struct QueryDoc {
    pub list: Option<&'static ListSpec>,
    pub only: &'static [&'static str],
    pub params: &'static [Param],
}

impl QueryDoc {
    pub const NONE: QueryDoc = QueryDoc { list: None, only: &[], params: &[] };
    /// Every parameter of a list (paging, `updated_since`, tombstones, dates, filters).
    pub const fn list(spec: &'static ListSpec) -> QueryDoc {
        QueryDoc { list: Some(spec), only: &[], params: &[] }
    }
    /// Parameters the handler reads itself.
    pub const fn params(params: &'static [Param]) -> QueryDoc {
        QueryDoc { list: None, only: &[], params }
    }
    /// Only these of the list's parameters.
    pub const fn only(self, only: &'static [&'static str]) -> QueryDoc {
        QueryDoc { only, ..self }
    }
    /// These parameters too.
    pub const fn with(self, params: &'static [Param]) -> QueryDoc {
        QueryDoc { params, ..self }
    }
    pub fn is_empty(&self) -> bool {
        self.list.is_none() && self.params.is_empty()
    }
}
