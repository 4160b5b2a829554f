//! The request pipeline: request id → route → credentials → key gate (revocation and rate
//! limits, one Durable Object call) → tenant and scope → body → handler → envelope, with the
//! audit entry written after the response (`waitUntil`), and so is the webhook fan-out of the
//! events the request's writes committed.
//!
//! Every request passes through [`handle`], which always produces a response: errors from
//! any stage become the error envelope, and no stage may panic.

pub mod auth;
pub mod body;
pub mod call;
pub mod envelope;
pub mod harvest;
pub mod idempotency;
pub mod request_id;
#[cfg(not(target_arch = "wasm32"))]
pub mod route_doc;
pub mod router;

use worker::{Context, Date, Env, Request, Response, ResponseBuilder};

use crate::domain::gate::{CheckReply, ClaimRequest, Verdict};
use crate::domain::idempotency::{Replay, Stored};
use crate::domain::listing::Query;
use crate::domain::rate::Decision;
use crate::domain::scopes::{self, Action, Resource};
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::i18n::{Lang, Msg};
use crate::storage;
use crate::storage::outbox::Committed;
use auth::Principal;
use call::Call;
use envelope::{Body, Passthrough, Reply};
use router::{Access, Match, RouteDef};

fn header(req: &Request, name: &str) -> Option<String> {
    req.headers().get(name).ok().flatten()
}

pub fn now_ms() -> i64 {
    Date::now().as_millis() as i64
}

/// What the pipeline learned on the way, for headers and the audit log.
#[derive(Default)]
struct Trace {
    def: Option<&'static RouteDef>,
    principal: Option<Principal>,
    rate: Option<Decision>,
    path: String,
    query: Option<String>,
    /// The idempotency record this request claimed, to finish once the response is known.
    claimed: Option<String>,
    replay: bool,
    /// The outbox events the request's writes committed, for webhook fan-out.
    committed: Committed,
}

/// Serves one request.
pub async fn handle(req: Request, env: Env, ctx: Context) -> Response {
    let started = now_ms();
    let request_id = request_id::for_request(header(&req, "X-Request-Id").as_deref(), started);
    let lang = Lang::negotiate(header(&req, "Accept-Language").as_deref());
    let method = req.method();
    let ip = header(&req, "CF-Connecting-IP");
    let harvest_wire = req.url().is_ok_and(|u| harvest::normalize_path(u.path()).starts_with("/v2/"));
    let mut trace = Trace::default();
    let outcome = run(req, &env, &ctx, &request_id, started, lang, &mut trace).await;
    let took = now_ms() - started;

    let mut extra: Vec<(&str, String)> = Vec::new();
    if let Some(d) = &trace.rate {
        extra.push(("X-RateLimit-Limit", d.limit.to_string()));
        extra.push(("X-RateLimit-Remaining", d.remaining.to_string()));
        extra.push(("X-RateLimit-Reset", d.reset.to_string()));
    }
    let mut request_id = request_id;
    let mut language = lang.tag().to_string();
    let (status, content_type, body) = match &outcome {
        Ok(Reply { status, body: Body::Data { data, .. }, .. }) if harvest_wire => {
            (*status, "application/json; charset=utf-8", data.clone())
        }
        Ok(Reply { status, body: Body::Data { data, meta }, .. }) => {
            (*status, "application/json; charset=utf-8", envelope::success(data, meta, &request_id, took))
        }
        Ok(Reply { status, body: Body::Raw { content_type, body, headers }, .. }) => {
            extra.extend(headers.iter().map(|(k, v)| (*k, v.clone())));
            (*status, content_type.as_str(), body.clone())
        }
        Ok(Reply { status, body: Body::Stream(_), .. }) => (*status, "", String::new()),
        Ok(Reply { body: Body::Replayed(stored), .. }) => {
            extra.push(("X-Idempotency-Hit", "true".into()));
            request_id = stored.request_id.clone();
            language = stored.content_language.clone();
            (stored.status, "application/json; charset=utf-8", stored.body.clone())
        }
        Err(err) => {
            if let Some(allow) = &err.allow {
                extra.push(("Allow", allow.clone()));
            }
            if let Some(secs) = err.retry_after {
                extra.push(("Retry-After", secs.to_string()));
            }
            if harvest_wire {
                (harvest::status(err.code), "application/json; charset=utf-8", harvest::error_body(err, lang))
            } else {
                (err.status(), "application/json; charset=utf-8", envelope::error(err, &request_id, lang))
            }
        }
    };

    // The object a successful write touched, as its handler (or the replayed record) says.
    let resource_id = match (&outcome, trace.def) {
        (Ok(reply), Some(def)) if def.method.is_write() => reply.written.clone(),
        _ => None,
    };

    if let (Some(record), Some(p)) = (&trace.claimed, &trace.principal) {
        let stored = Stored {
            status,
            request_id: request_id.clone(),
            content_type: content_type.to_string(),
            content_language: language.clone(),
            body: body.clone(),
        };
        idempotency::finish(&env, &p.key.key_id, record, stored, resource_id.clone()).await;
    }

    if let (Some(def), Some(principal)) = (trace.def, trace.principal.take()) {
        let entry = storage::audit::Entry {
            tenant_id: principal.tenant_id,
            key_id: principal.key.key_id,
            key_label: principal.key.label,
            vendor_id: principal.key.vendor_id,
            method: method.to_string(),
            path: std::mem::take(&mut trace.path),
            query: trace.query.take(),
            status,
            request_id: request_id.clone(),
            ip,
            resource: def.method.is_write().then(|| def.resource().to_string()),
            resource_id,
            replay: trace.replay,
            at_ms: started,
        };
        let env = env.clone();
        ctx.wait_until(async move { storage::audit::record(&env, entry).await });
    }

    // The events this request committed go to webhook fan-out after the response (SPEC §7);
    // a request that wrote none costs nothing here.
    let events = trace.committed.take();
    if !events.is_empty() {
        ctx.wait_until(crate::delivery::fanout::after_write(env.clone(), events));
    }

    // A stream keeps its own body and type; it gets the pipeline's other headers.
    if let Ok(Reply { body: Body::Stream(Passthrough(cell)), .. }) = &outcome {
        if let Some(response) = cell.borrow_mut().take() {
            return with_pipeline_headers(response, &request_id, &language, &extra);
        }
    }

    let headers = worker::Headers::new();
    // Header values here are visible ASCII by construction; a failed set is not fatal.
    let _ = headers.set("Content-Type", content_type);
    let _ = headers.set("X-Request-Id", &request_id);
    let _ = headers.set("Content-Language", &language);
    let _ = headers.set("Cache-Control", "no-store");
    for (k, v) in &extra {
        let _ = headers.set(k, v);
    }
    let body = if method == worker::Method::Head { Vec::new() } else { body.into_bytes() };
    ResponseBuilder::new().with_status(status).with_headers(headers).fixed(body)
}

/// The tenant an account header names: a `ten_…` id as it is, an integer account id looked
/// up (unknown: a name no key may act on, so 403).
async fn account(env: &Env, named: Option<&str>) -> ApiResult<Option<String>> {
    let Some(named) = named.map(str::trim).filter(|n| !n.is_empty()) else { return Ok(None) };
    match named.parse::<i64>() {
        Ok(n) => match storage::harvest_ids::account(&storage::d1::db(env)?, n).await? {
            Some(id) => Ok(Some(id)),
            None => Err(ApiError::forbidden(Msg::OtherAccount)),
        },
        Err(_) => Ok(Some(named.to_string())),
    }
}

/// `response` with the request id, language and the pipeline's other headers added to its own.
fn with_pipeline_headers(response: Response, request_id: &str, language: &str, extra: &[(&str, String)]) -> Response {
    let headers = response.headers().clone();
    let _ = headers.set("X-Request-Id", request_id);
    let _ = headers.set("Content-Language", language);
    let _ = headers.set("Cache-Control", "no-store");
    for (k, v) in extra {
        let _ = headers.set(k, v);
    }
    response.with_headers(headers)
}

/// Admits a key's request through its gate: 401 if revoked, 429 if over a limit; for an
/// idempotent write, also its claim (409 in flight, 422 reused, or a stored replay).
async fn admit(
    env: &Env,
    principal: &Principal,
    claim: Option<ClaimRequest>,
    trace: &mut Trace,
) -> ApiResult<Option<Replay>> {
    let record = claim.as_ref().map(|c| c.record.clone());
    let CheckReply { verdict, claim } =
        storage::gate::check(env, &principal.key.key_id, &principal.key.limits, claim).await?;
    match verdict {
        Verdict::Pass(d) => {
            trace.rate = Some(d);
            let Some(claim) = claim else { return Ok(None) };
            let replay = idempotency::on_claim(claim)?;
            match &replay {
                Some(_) => trace.replay = true,
                None => trace.claimed = record,
            }
            Ok(replay)
        }
        Verdict::Limited(d) => {
            trace.rate = Some(d);
            Err(ApiError {
                retry_after: Some(d.retry_after.max(1) as u64),
                ..ApiError::new(ErrorCode::RateLimited, Msg::Default)
            })
        }
        Verdict::Revoked => Err(ApiError::unauthorized()),
    }
}

async fn run(
    mut req: Request,
    env: &Env,
    ctx: &Context,
    request_id: &str,
    now: i64,
    lang: Lang,
    trace: &mut Trace,
) -> ApiResult<Reply> {
    let url = req.url()?;
    let method = req.method();
    // The request line's method as sent: the runtime's enum folds unknown ones into GET.
    let path = harvest::normalize_path(url.path());
    let harvest_wire = path.starts_with("/v2/");
    let (def, params) = match router::find(&req.inner().method(), &path) {
        Match::Found { def, params } => (def, params.into_iter().map(|(n, v)| (n, v.to_string())).collect()),
        Match::MethodNotAllowed(allow) => return Err(ApiError::method_not_allowed(allow)),
        Match::NotFound => return Err(ApiError::not_found(Msg::RouteNotFound)),
    };
    trace.def = Some(def);
    trace.path = url.path().to_string();
    trace.query = url.query().map(str::to_string);
    let pairs: Vec<(String, String)> = url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let query = Query::new(if harvest_wire { harvest::last_wins(pairs) } else { pairs });

    let mut raw_body: Option<Vec<u8>> = None;
    let presented = auth::credential(header(&req, "Authorization").as_deref(), header(&req, "X-API-Key").as_deref())
        .map(str::to_string);
    let principal = match def.access {
        Access::Public | Access::Signed => None,
        Access::Operator => {
            auth::operator(env, presented.as_deref())?;
            None
        }
        Access::KeyOrEmbedToken if presented.is_none() && query.get("token").is_some() => {
            let p = auth::embed_token(env, query.get("token").unwrap_or_default(), now)?;
            trace.principal = Some(p.clone());
            Some(p)
        }
        Access::Key | Access::KeyOrEmbedToken => {
            let key = auth::api_key(env, presented.as_deref(), now).await?;
            let resource = def.resource();
            let is_me = resource == "me";
            let tenant_header = if harvest_wire {
                let named = harvest::ACCOUNT_HEADERS.iter().find_map(|h| header(&req, h));
                account(env, named.as_deref()).await?
            } else {
                header(&req, "Edgeclock-Tenant-Id")
            };
            // Recorded before the gate so refused requests (429, 403) are audited too.
            let provisional =
                Principal { tenant_id: key.tenant_id.clone(), key: key.clone(), grant: None, embed: None };
            trace.principal = Some(provisional.clone());
            let claim = if def.method.is_write() {
                let bytes = read_body(&mut req).await?;
                let path_and_query = match url.query() {
                    Some(q) => format!("{}?{q}", url.path()),
                    None => url.path().to_string(),
                };
                let claim = idempotency::claim_request(
                    header(&req, "Idempotency-Key").as_deref(),
                    method.as_ref(),
                    &path_and_query,
                    &bytes,
                )?;
                raw_body = Some(bytes);
                claim
            } else {
                None
            };
            if let Some(Replay { response, resource_id }) = admit(env, &provisional, claim, trace).await? {
                return Ok(Reply { status: response.status, body: Body::Replayed(response), written: resource_id });
            }
            // On `/v2` a tenant key may name its own account, and no other (SPEC §9).
            if harvest_wire
                && key.vendor_id.is_none()
                && tenant_header.as_ref().is_some_and(|t| Some(t) != key.tenant_id.as_ref())
            {
                return Err(ApiError::forbidden(Msg::OtherAccount));
            }
            let p = auth::principal(env, key, tenant_header.as_deref(), is_me).await?;
            trace.principal = Some(p.clone());
            if !is_me {
                let is_write = def.method.is_write();
                // Every key route but `/v1/me` names a scope resource (a router test checks);
                // a path that did not would need a scope no key can hold.
                let Some(resource) = Resource::parse(resource) else {
                    return Err(ApiError::forbidden(Msg::MissingScope(format!("{}:{resource}", Action::of(is_write)))));
                };
                let needed = scopes::required(is_write, resource);
                if !p.allows(needed) {
                    return Err(ApiError::forbidden(Msg::MissingScope(needed.to_string())));
                }
                // A vendor acts within a grant; it may not mint credentials or grants that
                // would outlive it.
                if p.grant.is_some() && is_write && scopes::GOVERNANCE.contains(&resource) {
                    return Err(ApiError::forbidden(Msg::VendorGovernance));
                }
            }
            Some(p)
        }
    };

    let body = if def.method.is_write() {
        let bytes = match raw_body {
            Some(b) => b,
            None => read_body(&mut req).await?,
        };
        body::parse(&bytes, header(&req, "Content-Type").as_deref())?
    } else {
        serde_json::Value::Null
    };

    let accept = header(&req, "Accept");
    let origin = url.origin().ascii_serialization();
    let call = Call {
        env,
        ctx,
        request_id,
        now_ms: now,
        params,
        query,
        body,
        principal,
        lang,
        committed: &trace.committed,
        accept,
        headers: req.headers(),
        origin,
    };
    (def.handler)(&call).await
}

/// The raw body of a write, refusing more than 1 MiB (413) before reading when declared.
async fn read_body(req: &mut Request) -> ApiResult<Vec<u8>> {
    body::check_declared_length(header(req, "Content-Length").as_deref())?;
    Ok(req.bytes().await?)
}
