//! Webhook endpoints (SPEC §7): create (the signing secret shown once), list, detail, PATCH,
//! delete (a tombstone), secret rotation with an optional overlap, and `test`, which sends a
//! `ping` through the delivery side. Bodies are read against the declarations below; the rules
//! their kinds leave to the handler (URL safety, and the filters, a `Kind::Checked` object read
//! by `domain::webhooks::filters`) are checked here, all reported in one 422.

use serde_json::Value;

use super::crud;
use crate::domain::fields::{Fields, Patch};
use crate::domain::model::{defaulted, field, not_null, required, Columns, DefaultValue, FieldDef, Kind};
use crate::domain::webhooks::endpoint::{self, EVENTS, FORMATS, MAX_DESCRIPTION, MAX_TEMPLATE, STATUSES};
use crate::domain::webhooks::{filters, secret, url};
use crate::domain::{ids, listing::Arg, reader};
use crate::error::{ApiError, ApiResult};
use crate::i18n::{Msg, Noun};
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
#[cfg(not(target_arch = "wasm32"))]
use crate::pipeline::route_doc::{Body, QueryDoc};
use crate::pipeline::router::RouteDef;
use crate::route;
use crate::storage::{
    resource,
    webhooks::{self, WEBHOOKS},
};

/// What a create sets, and a PATCH may change.
pub static FIELDS: &[FieldDef] = &[
    required("url", Kind::Url(url::MAX_URL)).doc(
        "Where deliveries are posted: `https://`, not `localhost` nor an IP literal in a loopback, private, link-local or unique-local range, and a host in ASCII form (an international name as its `xn--` form; `not_allowed` otherwise). A server run with `ALLOW_HTTP_WEBHOOKS=true` accepts `http://` and local addresses.",
    ),
    required("events", Kind::Names { values: EVENTS, max: EVENTS.len(), alone: Some(endpoint::ALL) }).doc(
        "The event names to receive, or `[\"*\"]` alone for all (`*` with others is `not_allowed`). `ping` is not subscribable: `test` sends it whatever the endpoint subscribes to.",
    ),
    field("description", Kind::Text(MAX_DESCRIPTION)).doc("Free text."),
    field("filters", Kind::Checked("WebhookFilters")).doc(
        "All optional; an event must pass every one given: `site_ids`, `worker_ids`, `department_ids` (1–100 ids each; an event without one does not pass), `days_of_week` (ISO 1 = Monday … 7) and `time_range` `{start: \"HH:MM\", end: \"HH:MM\"}` (start inclusive, end exclusive, may wrap midnight; `start` equal to `end` is `out_of_range`), both in the tenant's zone. Errors are named `filters.<name>`; `{}` is stored as no filters (`null`).",
    ),
    defaulted("format", Kind::OneOf(FORMATS), DefaultValue::Text("json"))
        .doc("`json`: the event body; `slack`: `{\"text\": …}` rendered from `template`."),
    field("template", Kind::Text(MAX_TEMPLATE)).doc(
        "The Slack text, with `{event}`, `{worker_name}`, `{site_name}`, `{timestamp}`; default `{event}: {worker_name} at {site_name} ({timestamp})`.",
    ),
];

/// What only a PATCH may set.
pub static STATUS: &[FieldDef] = &[not_null("status", Kind::OneOf(STATUSES)).doc(
    "`disabled` stops new deliveries (`disabled_reason` \"disabled by the tenant\"); `enabled` resumes them (no backfill) and clears the reason.",
)];

/// The body of a rotation.
pub static ROTATE: &[FieldDef] =
    &[defaulted("expire_previous_in_seconds", Kind::Int(0, endpoint::MAX_EXPIRE_PREVIOUS), DefaultValue::Int(0))
        .doc("How long the current secret keeps signing beside the new one; `0` retires it at once.")];

fn allow_http(call: &Call<'_>) -> bool {
    call.env.var("ALLOW_HTTP_WEBHOOKS").map(|v| v.to_string() == "true").unwrap_or(false)
}

/// The checks the field kinds leave to the handler, on the fields the body set; `filters` is
/// stored normalized (`NULL` when it filters nothing).
fn check(call: &Call<'_>, cols: &mut Columns, f: &mut Fields) {
    if let Some(u) = cols.text("url") {
        if let Err(code) = url::check(u, allow_http(call)) {
            f.fail("url", code);
        }
    }
    if let Some(raw) = cols.text("filters").and_then(|t| serde_json::from_str::<Value>(t).ok()) {
        match filters::read(&raw) {
            Ok(read) if read.is_empty() => cols.set("filters", Arg::Null),
            Ok(read) => cols.set("filters", serde_json::to_string(&read).map(Arg::Text).unwrap_or(Arg::Null)),
            Err(errors) => errors.iter().for_each(|e| f.fail(&e.field, e.code)),
        }
    }
}

/// The endpoint JSON with its new secret beside it (shown this once).
fn with_secret(json: &str, secret: &str) -> ApiResult<String> {
    let mut v: Value = serde_json::from_str(json).map_err(|_| ApiError::internal())?;
    v["secret"] = Value::String(secret.to_string());
    Ok(v.to_string())
}

fn new_secret() -> ApiResult<String> {
    secret::generate().ok_or_else(ApiError::internal)
}

async fn create(call: &Call<'_>) -> ApiResult<Reply> {
    let (mut cols, mut f) = reader::read_body(&call.body, FIELDS, &[], &[], true);
    check(call, &mut cols, &mut f);
    f.finish()?;
    let secret = new_secret()?;
    cols.set("secret", Arg::Text(secret.clone()));
    let id = ids::new_id("whk", call.now_ms as u64);
    let json = resource::create(&call.db()?, &WEBHOOKS, call.tenant_id()?, &id, call.now_ms, cols.values).await?;
    Ok(Reply::created(&id, with_secret(&json, &secret)?))
}

async fn update(call: &Call<'_>) -> ApiResult<Reply> {
    let (mut cols, mut f) = reader::read_body(&call.body, FIELDS, &[], &["status"], false);
    let status = f.one_of("status", STATUSES);
    let status = f.not_null("status", status);
    check(call, &mut cols, &mut f);
    f.finish()?;
    if let Patch::Set(status) = status {
        let reason = (status == "disabled").then(|| Arg::Text(endpoint::DISABLED_BY_TENANT.into()));
        cols.set("disabled_reason", reason.unwrap_or(Arg::Null));
        cols.set("status", Arg::Text(status));
    }
    crud::apply(call, &WEBHOOKS, call.param("webhook_id"), cols).await
}

async fn rotate(call: &Call<'_>) -> ApiResult<Reply> {
    let body = reader::parse(&call.body, ROTATE, &[], true)?;
    let overlap = body.int("expire_previous_in_seconds").unwrap_or(0);
    let secret = new_secret()?;
    let id = call.param("webhook_id");
    let json = webhooks::rotate(&call.db()?, call.tenant_id()?, id, &secret, overlap, call.now_ms).await?;
    let json = json.ok_or_else(|| ApiError::not_found(Msg::NotFound(Noun::Webhook)))?;
    Ok(Reply::changed(id, with_secret(&json, &secret)?))
}

async fn test(call: &Call<'_>) -> ApiResult<Reply> {
    let found = webhooks::endpoint(&call.db()?, call.tenant_id()?, call.param("webhook_id")).await?;
    let endpoint = found.ok_or_else(|| ApiError::not_found(Msg::NotFound(Noun::Webhook)))?;
    super::deliveries::send_ping(call, &endpoint).await
}

/// The routes this module serves.
pub static ROUTES: &[RouteDef] = &[
    route!(GET "/v1/webhooks", Key, |call| crud::list(call, &WEBHOOKS), {
        id: "listWebhooks",
        tag: "Webhooks",
        summary: "List webhook endpoints",
        description: "The tenant's endpoints in creation order, a page at a time, filtered by `status` (`enabled`, `disabled`). Secrets are never listed. Needs `read:webhooks`.",
        query: QueryDoc::list(&WEBHOOKS.list),
        ok: 200,
        response: "WebhookListResponse",
    }),
    route!(POST "/v1/webhooks", Key, |call| create(call), {
        id: "createWebhook",
        tag: "Webhooks",
        summary: "Create a webhook endpoint",
        description: "Registers an endpoint, enabled, and answers `201` with it and its signing `secret` (`whsec_` + base64 of 24 random bytes), shown this once: keep it to verify signatures (`Edgeclock-Signature` keyed by the whole string, Standard Webhooks `webhook-signature` by its decoded part). It receives events that occur from now on. Every invalid field is listed in one `422`. Needs `write:webhooks`; vendor keys cannot.",
        body: Some(Body::create("WebhookCreate", &[FIELDS])),
        ok: 201,
        response: "WebhookWithSecretResponse",
    }),
    route!(GET "/v1/webhooks/{webhook_id}", Key, |call| crud::get(call, &WEBHOOKS, call.param("webhook_id")), {
        id: "getWebhook",
        tag: "Webhooks",
        summary: "Get a webhook endpoint",
        description: "One live endpoint of the tenant, without its secret. Needs `read:webhooks`.",
        ok: 200,
        response: "WebhookResponse",
    }),
    route!(PATCH "/v1/webhooks/{webhook_id}", Key, |call| update(call), {
        id: "updateWebhook",
        tag: "Webhooks",
        summary: "Update a webhook endpoint",
        description: "Changes only the fields sent (the same rules as at creation); `null` clears `description`, `filters` or `template`. `status: disabled` stops new deliveries with `disabled_reason` \"disabled by the tenant\"; `enabled` resumes them without backfill and clears the reason (also after a 410 disabled it). Needs `write:webhooks`; vendor keys cannot.",
        body: Some(Body::update("WebhookUpdate", &[FIELDS, STATUS])),
        ok: 200,
        response: "WebhookResponse",
    }),
    route!(DELETE "/v1/webhooks/{webhook_id}", Key, |call| crud::delete(call, &WEBHOOKS, call.param("webhook_id")), {
        id: "deleteWebhook",
        tag: "Webhooks",
        summary: "Delete a webhook endpoint",
        description: "Soft-deletes the endpoint and answers `200` with its tombstone; nothing more is sent to it, and its delivery log goes with it. Deleting it again is `404`. Needs `write:webhooks`; vendor keys cannot.",
        ok: 200,
        response: "TombstoneResponse",
    }),
    route!(POST "/v1/webhooks/{webhook_id}/rotate-secret", Key, |call| rotate(call), {
        id: "rotateWebhookSecret",
        tag: "Webhooks",
        summary: "Rotate an endpoint's signing secret",
        description: "Answers `200` with the endpoint and its new `secret`, shown this once. With `expire_previous_in_seconds` (0–86400, default 0) the secret it replaces keeps signing beside the new one until `previous_secret_expires_at` (two `v1=` entries in `Edgeclock-Signature`, two `v1,` entries in `webhook-signature`); an older previous secret stops at once, so at most one previous secret signs. Needs `write:webhooks`; vendor keys cannot.",
        body: Some(Body::create("WebhookRotateSecret", &[ROTATE])),
        ok: 200,
        response: "WebhookWithSecretResponse",
    }),
    route!(POST "/v1/webhooks/{webhook_id}/test", Key, |call| test(call), {
        id: "testWebhook",
        tag: "Webhooks",
        summary: "Send a ping to an endpoint",
        description: "Sends a `ping` event to the endpoint now, whatever its events, filters or status, signed like any delivery; answers `202` with the delivery, which appears in the endpoint's delivery log. Needs `write:webhooks`; vendor keys cannot.",
        ok: 202,
        response: "WebhookDeliveryResponse",
    }),
];
