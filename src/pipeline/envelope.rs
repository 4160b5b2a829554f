//! The response envelope (SPEC §1): `{"data", "meta"}` on success, `{"error"}` on failure,
//! both carrying the request id. Bodies are assembled from JSON text that storage already
//! rendered, so a page of objects is never parsed and re-serialised.

use serde_json::{json, Value};

use crate::domain::listing::Page;
use crate::error::ApiError;
use crate::i18n::{render, Lang};

/// What a handler answers.
#[derive(Debug, PartialEq)]
pub enum Body {
    /// Enveloped JSON: `data` is JSON text; `meta` adds fields (name, JSON text) after
    /// `request_id` and `took_ms`.
    Data { data: String, meta: Vec<(&'static str, String)> },
    /// A body sent as is, with its type and any headers of its own (a static asset: the
    /// OpenAPI document, the docs page and its scripts).
    Raw { content_type: String, body: String, headers: Vec<(&'static str, String)> },
    /// An idempotent request's stored response, replayed byte for byte.
    Replayed(crate::domain::idempotency::Stored),
    /// A response made elsewhere and passed on as it is, body and all (a live stream from a
    /// Durable Object: Server-Sent Events, or a WebSocket's `101`). The pipeline only adds
    /// its headers.
    Stream(Passthrough),
}

/// A response handed through (see [`Body::Stream`]); taken out once by the pipeline.
pub struct Passthrough(pub std::cell::RefCell<Option<worker::Response>>);

impl std::fmt::Debug for Passthrough {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passthrough")
    }
}

/// Two streams are never the same reply.
impl PartialEq for Passthrough {
    fn eq(&self, _: &Self) -> bool {
        false
    }
}

#[derive(Debug, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub body: Body,
    /// The id of the one object a write created or changed, for the audit log (SPEC §5):
    /// carried here by the handler that knows it, so nothing re-reads the body to find it.
    /// `None` for reads, and for writes about several objects or none.
    pub written: Option<String>,
}

impl Reply {
    /// A read's answer (or a write's that is about no single object).
    pub fn ok(data: String) -> Self {
        Reply::value_text(200, data)
    }
    /// A write's answer: object `id`, as JSON text.
    pub fn written(status: u16, id: &str, data: String) -> Self {
        Reply { written: Some(id.to_string()), ..Reply::value_text(status, data) }
    }
    /// `201` with the object `id` the write created.
    pub fn created(id: &str, data: String) -> Self {
        Reply::written(201, id, data)
    }
    /// `200` with the object `id` the write changed (or its tombstone).
    pub fn changed(id: &str, data: String) -> Self {
        Reply::written(200, id, data)
    }
    pub fn value(status: u16, data: &Value) -> Self {
        Reply::value_text(status, data.to_string())
    }
    fn value_text(status: u16, data: String) -> Self {
        Reply { status, body: Body::Data { data, meta: Vec::new() }, written: None }
    }
    /// A list page: the items as a JSON array, `next_cursor` and `has_more` in `meta`.
    pub fn page(page: Page) -> Self {
        let mut data = String::with_capacity(page.items.iter().map(|i| i.len() + 1).sum::<usize>() + 2);
        data.push('[');
        for (i, item) in page.items.iter().enumerate() {
            if i > 0 {
                data.push(',');
            }
            data.push_str(item);
        }
        data.push(']');
        let has_more = page.next_cursor.is_some();
        let next = page.next_cursor.map_or_else(|| "null".to_string(), |c| json!(c).to_string());
        Reply {
            status: 200,
            body: Body::Data { data, meta: vec![("next_cursor", next), ("has_more", has_more.to_string())] },
            written: None,
        }
    }
    /// A response passed on as it is (see [`Body::Stream`]).
    pub fn stream(response: worker::Response) -> Self {
        let status = response.status_code();
        Reply { status, body: Body::Stream(Passthrough(std::cell::RefCell::new(Some(response)))), written: None }
    }
    pub fn raw(content_type: String, body: String, headers: Vec<(&'static str, String)>) -> Self {
        Reply { status: 200, body: Body::Raw { content_type, body, headers }, written: None }
    }
}

/// `{"data": …, "meta": {"request_id", "took_ms", …}}`.
pub fn success(data: &str, meta: &[(&'static str, String)], request_id: &str, took_ms: i64) -> String {
    let mut out = String::with_capacity(data.len() + 96);
    out.push_str("{\"data\":");
    out.push_str(data);
    out.push_str(",\"meta\":{\"request_id\":");
    out.push_str(&json!(request_id).to_string());
    out.push_str(",\"took_ms\":");
    out.push_str(&took_ms.max(0).to_string());
    for (k, v) in meta {
        out.push_str(",\"");
        out.push_str(k);
        out.push_str("\":");
        out.push_str(v);
    }
    out.push_str("}}");
    out
}

/// `{"error": {"code", "message", "request_id", "details"?}}` in `lang`.
pub fn error(err: &ApiError, request_id: &str, lang: Lang) -> String {
    json!({ "error": error_object(err, request_id, lang) }).to_string()
}

/// The error object itself, `{"code", "message", "request_id", "details"?}`, also used for
/// the failed items of a batch (207).
pub fn error_object(err: &ApiError, request_id: &str, lang: Lang) -> Value {
    let mut body = json!({
        "code": err.code.as_str(),
        "message": render(&err.msg, err.code, lang),
        "request_id": request_id,
    });
    if !err.details.is_empty() {
        body["details"] = err
            .details
            .iter()
            .map(|d| json!({"field": d.field, "code": d.code.as_str(), "message": d.code.message(lang)}))
            .collect();
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ErrorCode, FieldError};
    use crate::i18n::{FieldCode, Msg, Noun};

    #[test]
    fn success_envelope_is_valid_json() {
        let s = success("[{\"a\":1}]", &[("has_more", "false".into())], "req_\"x", 3);
        let v: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["data"][0]["a"], 1);
        assert_eq!(v["meta"]["request_id"], "req_\"x");
        assert_eq!(v["meta"]["took_ms"], 3);
        assert_eq!(v["meta"]["has_more"], false);
    }

    #[test]
    fn page_meta() {
        let r = Reply::page(Page { items: vec!["{}".into(), "{}".into()], next_cursor: Some("abc".into()) });
        let Body::Data { data, meta } = r.body else { panic!() };
        assert_eq!(data, "[{},{}]");
        assert_eq!(meta, vec![("next_cursor", "\"abc\"".to_string()), ("has_more", "true".to_string())]);
    }

    #[test]
    fn writes_carry_the_id_they_wrote() {
        assert_eq!(Reply::created("wkr_1", "{}".into()).written.as_deref(), Some("wkr_1"));
        assert_eq!(Reply::changed("wkr_1", "{}".into()).status, 200);
        assert_eq!(Reply::ok("{}".into()).written, None);
        assert_eq!(Reply::page(Page { items: vec![], next_cursor: None }).written, None);
    }

    #[test]
    fn error_envelope_with_details() {
        let mut e = ApiError::validation(vec![FieldError::new("email", FieldCode::Invalid)]);
        let v: Value = serde_json::from_str(&error(&e, "req_1", Lang::En)).unwrap();
        assert_eq!(v["error"]["code"], "validation_failed");
        assert_eq!(v["error"]["details"][0]["field"], "email");
        assert_eq!(v["error"]["details"][0]["code"], "invalid");
        e = ApiError::not_found(Msg::NotFound(Noun::Worker));
        let v: Value = serde_json::from_str(&error(&e, "req_1", Lang::Es)).unwrap();
        assert_eq!(v["error"]["code"], "not_found");
        assert_eq!(v["error"]["message"], "Trabajador no encontrado.");
        assert!(v["error"].get("details").is_none());
        assert_eq!(e.code, ErrorCode::NotFound);
    }
}
