//! The request pipeline: request id → route → credentials → body → handler → envelope.
//!
//! Every request passes through [`handle`], which always produces a response: errors from
//! any stage become the error envelope, and no stage may panic.

pub mod auth;
pub mod body;
pub mod call;
pub mod envelope;
pub mod request_id;
pub mod router;

use worker::{Context, Date, Env, Request, Response, ResponseBuilder};

use crate::domain::listing::Query;
use crate::error::{ApiError, ApiResult};
use crate::handlers;
use crate::i18n::{Lang, Msg};
use call::Call;
use envelope::{Body, Reply};
use router::{Access, Match};

fn header(req: &Request, name: &str) -> Option<String> {
    req.headers().get(name).ok().flatten()
}

pub fn now_ms() -> i64 {
    Date::now().as_millis() as i64
}

/// Serves one request.
pub async fn handle(req: Request, env: Env, ctx: Context) -> Response {
    let started = now_ms();
    let request_id = request_id::for_request(header(&req, "X-Request-Id").as_deref(), started);
    let lang = Lang::negotiate(header(&req, "Accept-Language").as_deref());
    let is_head = req.method() == worker::Method::Head;
    let outcome = run(req, &env, &ctx, &request_id, started).await;
    let took = now_ms() - started;
    let (status, content_type, body, extra) = match outcome {
        Ok(Reply { status, body: Body::Data { data, meta } }) => {
            (status, "application/json; charset=utf-8", envelope::success(&data, &meta, &request_id, took), Vec::new())
        }
        Ok(Reply { status, body: Body::Raw { content_type, body } }) => (status, content_type, body, Vec::new()),
        Err(err) => {
            let mut extra = Vec::new();
            if let Some(allow) = &err.allow {
                extra.push(("Allow", allow.clone()));
            }
            if let Some(secs) = err.retry_after {
                extra.push(("Retry-After", secs.to_string()));
            }
            (err.status(), "application/json; charset=utf-8", envelope::error(&err, &request_id, lang), extra)
        }
    };
    let headers = worker::Headers::new();
    // Header values here are visible ASCII by construction; a failed set is not fatal.
    let _ = headers.set("Content-Type", content_type);
    let _ = headers.set("X-Request-Id", &request_id);
    let _ = headers.set("Content-Language", lang.tag());
    let _ = headers.set("Cache-Control", "no-store");
    for (k, v) in &extra {
        let _ = headers.set(k, v);
    }
    let body = if is_head { Vec::new() } else { body.into_bytes() };
    ResponseBuilder::new().with_status(status).with_headers(headers).fixed(body)
}

async fn run(mut req: Request, env: &Env, ctx: &Context, request_id: &str, now: i64) -> ApiResult<Reply> {
    let url = req.url()?;
    let method = req.method();
    let (def, params) = match router::find(method.as_ref(), url.path()) {
        Match::Found { def, params } => (def, params.into_iter().map(str::to_string).collect()),
        Match::MethodNotAllowed(allow) => return Err(ApiError::method_not_allowed(allow)),
        Match::NotFound => return Err(ApiError::not_found(Msg::RouteNotFound)),
    };
    let query = Query::new(url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect());

    let presented =
        auth::credential(header(&req, "Authorization").as_deref(), header(&req, "X-API-Key").as_deref())
            .map(str::to_string);
    let key = match def.access {
        Access::Public => None,
        Access::Operator => {
            auth::operator(env, presented.as_deref())?;
            None
        }
        Access::Key => Some(auth::api_key(env, presented.as_deref(), now).await?),
    };

    let body = if def.method.is_write() {
        body::check_declared_length(header(&req, "Content-Length").as_deref())?;
        let bytes = req.bytes().await?;
        body::parse(&bytes, header(&req, "Content-Type").as_deref())?
    } else {
        serde_json::Value::Null
    };

    let call = Call { env, ctx, request_id, now_ms: now, params, query, body, key };
    handlers::dispatch(def.route, &call).await
}
