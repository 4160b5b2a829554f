//! What a route declaration says for the OpenAPI document (native builds only): the operation's
//! name, tag and prose, the request and response schemas, and any status the route can answer
//! beyond those its method, access and path already imply.

/// The documentation half of a [`RouteDef`](super::router::RouteDef).
#[derive(Debug, Clone, Copy)]
pub struct Doc {
    /// The OpenAPI `operationId`.
    pub id: &'static str,
    pub tag: &'static str,
    pub summary: &'static str,
    pub description: &'static str,
    /// The component schema of the JSON request body, if the route takes one.
    pub body: Option<&'static str>,
    /// The success status.
    pub ok: u16,
    /// The component schema of the success response (`…Response`, in the envelope).
    pub response: &'static str,
    /// Statuses beyond those implied by method, access, path parameters and query.
    pub errors: &'static [u16],
}
