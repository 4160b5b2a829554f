//! The route table and matching: every path the API serves is one [`RouteDef`], declared next
//! to its handler (each handler module exports `ROUTES`) with the [`route!`] macro — method,
//! path with named parameters, who may call it, the handler, and its documentation.
//!
//! The same declarations drive dispatch, the `Allow` header of a 405, scope derivation and the
//! generated OpenAPI document, so a route cannot exist in one place and be missing in another.

use std::future::Future;
use std::pin::Pin;

use crate::error::ApiResult;
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;

/// HTTP methods the API routes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

/// The spellings route declarations use (`route!(GET "/v1/me", …)`).
impl Method {
    pub const GET: Method = Method::Get;
    pub const POST: Method = Method::Post;
    pub const PUT: Method = Method::Put;
    pub const PATCH: Method = Method::Patch;
    pub const DELETE: Method = Method::Delete;
}

impl Method {
    /// The method a request line names; `HEAD` is served as `GET`. Anything else (`QUERY`,
    /// `OPTIONS`, `FOO`) is `None`, which the router answers with 405.
    pub fn parse(m: &str) -> Option<Method> {
        match m {
            "GET" | "HEAD" => Some(Method::Get),
            "POST" => Some(Method::Post),
            "PUT" => Some(Method::Put),
            "PATCH" => Some(Method::Patch),
            "DELETE" => Some(Method::Delete),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
    /// Whether the method changes state (and so needs a `write:` scope and may carry a body).
    pub fn is_write(self) -> bool {
        !matches!(self, Method::Get)
    }
}

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// No credentials: the OpenAPI document and the docs page (not themselves documented).
    Public,
    /// The platform operator's token.
    Operator,
    /// A tenant, division or vendor API key.
    Key,
    /// No credentials: a signature in the query (a download link) is the authority, checked
    /// by the handler. Documented, unlike `Public`.
    Signed,
    /// An API key, or (when no key is sent) an embed token in `?token=`: a browser's
    /// `EventSource` cannot send headers (SPEC §6, the live position stream only).
    KeyOrEmbedToken,
}

impl Access {
    /// Whether an API key is how this route is called (with or without an embed token).
    pub fn is_key(self) -> bool {
        matches!(self, Access::Key | Access::KeyOrEmbedToken)
    }
}

/// The future a handler returns.
pub type HandlerFuture<'c> = Pin<Box<dyn Future<Output = ApiResult<Reply>> + 'c>>;
/// A route's handler: the parsed, authenticated call in, a reply or an error out.
pub type Handler = for<'c> fn(&'c Call<'c>) -> HandlerFuture<'c>;

/// One route: everything the API knows about a method on a path.
pub struct RouteDef {
    pub method: Method,
    /// Path pattern in OpenAPI syntax: `{name}` matches one non-empty segment.
    pub pattern: &'static str,
    pub access: Access,
    pub handler: Handler,
    /// What the OpenAPI document says of the route. Native builds only: the document is
    /// generated at development time and served as a static file, so none of it is in the wasm.
    #[cfg(not(target_arch = "wasm32"))]
    pub doc: crate::pipeline::route_doc::Doc,
}

impl std::fmt::Debug for RouteDef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.method.as_str(), self.pattern)
    }
}

impl PartialEq for RouteDef {
    fn eq(&self, other: &Self) -> bool {
        self.method == other.method && self.pattern == other.pattern
    }
}

impl RouteDef {
    /// The resource the path names (its first segment after `/v1/`), from which scopes are
    /// derived.
    pub fn resource(&self) -> &'static str {
        resource_of(self.pattern)
    }
    /// The names of the path parameters, in order.
    pub fn param_names(&self) -> impl Iterator<Item = &'static str> {
        self.pattern.split('/').filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
    }
}

/// Declares a route:
/// `route!(GET "/v1/workers/{worker_id}", Key, |call| show(call, call.param("worker_id")), { id: …, … })`.
/// The handler expression is a future borrowing `call`; the braces hold the fields of its
/// [`Doc`](crate::pipeline::route_doc::Doc), compiled natively only.
#[macro_export]
macro_rules! route {
    ($method:ident $pattern:literal, $access:ident, |$call:ident| $body:expr, { $($field:ident : $value:expr),* $(,)? } $(,)?) => {
        $crate::pipeline::router::RouteDef {
            method: $crate::pipeline::router::Method::$method,
            pattern: $pattern,
            access: $crate::pipeline::router::Access::$access,
            handler: {
                fn handler<'c>(
                    $call: &'c $crate::pipeline::call::Call<'c>,
                ) -> $crate::pipeline::router::HandlerFuture<'c> {
                    Box::pin($body)
                }
                handler
            },
            #[cfg(not(target_arch = "wasm32"))]
            doc: $crate::pipeline::route_doc::Doc { $($field: $value,)* ..$crate::pipeline::route_doc::Doc::BASE },
        }
    };
}

/// Every route of the API, in documentation order.
pub fn routes() -> impl Iterator<Item = &'static RouteDef> {
    crate::handlers::ROUTES.iter().flat_map(|table| table.iter())
}

/// The outcome of matching a request line against the route table.
#[derive(Debug, PartialEq)]
pub enum Match<'a> {
    /// The route, and its path parameters by name.
    Found {
        def: &'static RouteDef,
        params: Vec<(&'static str, &'a str)>,
    },
    /// The path exists but not for this method: the value of the `Allow` header.
    MethodNotAllowed(String),
    NotFound,
}

fn captures<'a>(pattern: &'static str, path: &'a str) -> Option<Vec<(&'static str, &'a str)>> {
    let mut params = Vec::new();
    let mut pat = pattern.split('/');
    let mut segs = path.split('/');
    loop {
        match (pat.next(), segs.next()) {
            (None, None) => return Some(params),
            (Some(p), Some(s)) if p.starts_with('{') => {
                if s.is_empty() {
                    return None;
                }
                params.push((p.trim_start_matches('{').trim_end_matches('}'), s));
            }
            (Some(p), Some(s)) if p == s => {}
            _ => return None,
        }
    }
}

/// Which segments of a pattern are parameters. Compared in order, a static segment sorts
/// before a parameter, so the smallest value is the most specific pattern.
fn specificity(pattern: &str) -> impl Iterator<Item = bool> + '_ {
    pattern.split('/').map(|segment| segment.starts_with('{'))
}

/// Finds the route for `method` (the request line's method, as sent) and `path`. Only the
/// most specific matching pattern counts: `/v1/shifts/publish` is a resource of its own, not
/// the shift whose id is `publish`, so `GET` there is 405 with `Allow: POST`.
pub fn find<'a>(method: &str, path: &'a str) -> Match<'a> {
    let wanted = Method::parse(method);
    let Some(pattern) = routes()
        .filter(|def| captures(def.pattern, path).is_some())
        .map(|def| def.pattern)
        .min_by(|a, b| specificity(a).cmp(specificity(b)))
    else {
        return Match::NotFound;
    };
    let mut allowed: Vec<&'static str> = Vec::new();
    for def in routes().filter(|def| def.pattern == pattern) {
        if Some(def.method) == wanted {
            let params = captures(def.pattern, path).unwrap_or_default();
            return Match::Found { def, params };
        }
        allowed.push(def.method.as_str());
        if def.method == Method::Get {
            allowed.push("HEAD");
        }
    }
    Match::MethodNotAllowed(allowed.join(", "))
}

/// The resource a `/v1` path names (its first segment), from which scopes are derived.
pub fn resource_of(pattern: &str) -> &str {
    if super::harvest::is_harvest(pattern) {
        return super::harvest::scope_resource(pattern);
    }
    pattern.trim_start_matches("/v1/").split('/').next().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_static_and_parameterised_paths() {
        match find("GET", "/v1/workers/wkr_1") {
            Match::Found { def, params } => {
                assert_eq!((def.method, def.pattern), (Method::Get, "/v1/workers/{worker_id}"));
                assert_eq!(params, vec![("worker_id", "wkr_1")]);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(find("HEAD", "/v1/workers"), Match::Found { .. }));
        assert_eq!(find("GET", "/v1/workers/"), Match::NotFound);
        assert_eq!(find("GET", "/v1/nope"), Match::NotFound);
        assert_eq!(find("GET", "/v1/workers/a/b"), Match::NotFound);
    }

    #[test]
    fn wrong_or_unknown_method_lists_the_allowed_ones() {
        assert_eq!(find("PUT", "/v1/workers"), Match::MethodNotAllowed("GET, HEAD, POST".into()));
        assert_eq!(find("POST", "/v1/workers/wkr_1"), Match::MethodNotAllowed("GET, HEAD, PATCH, DELETE".into()));
        assert_eq!(find("OPTIONS", "/v1/me"), Match::MethodNotAllowed("GET, HEAD".into()));
        assert_eq!(find("QUERY", "/v1/api-keys/key_1"), Match::MethodNotAllowed("GET, HEAD, DELETE".into()));
        assert_eq!(find("get", "/v1/me"), Match::MethodNotAllowed("GET, HEAD".into()));
    }

    #[test]
    fn a_static_segment_wins_over_a_parameter() {
        assert_eq!(find("GET", "/v1/time-entries/batch"), Match::MethodNotAllowed("POST".into()));
        assert_eq!(find("OPTIONS", "/v1/shifts/publish"), Match::MethodNotAllowed("POST".into()));
        match find("POST", "/v1/shifts/publish") {
            Match::Found { def, params } => assert_eq!((def.pattern, params.len()), ("/v1/shifts/publish", 0)),
            other => panic!("{other:?}"),
        }
        match find("GET", "/v1/shifts/shf_1") {
            Match::Found { def, .. } => assert_eq!(def.pattern, "/v1/shifts/{shift_id}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn every_route_is_declared_once() {
        let all: Vec<_> = routes().collect();
        for (i, a) in all.iter().enumerate() {
            assert!(!all[..i].contains(a), "{a:?} is declared twice");
        }
    }

    #[test]
    fn every_key_route_but_me_names_a_scope_resource() {
        for def in routes().filter(|d| d.access.is_key() && d.resource() != "me") {
            assert!(crate::domain::scopes::Resource::parse(def.resource()).is_some(), "{def:?}");
        }
    }

    #[test]
    fn resource_is_first_segment_after_v1() {
        assert_eq!(resource_of("/v1/workers/{worker_id}/status"), "workers");
        assert_eq!(resource_of("/v1/me"), "me");
    }
}
