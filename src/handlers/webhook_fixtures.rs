//! TEMPORARY, until the endpoint API (branch `webhooks-api`, which owns `POST /v1/webhooks`)
//! is merged: a route for the operator that writes an endpoint row the way that API will, so
//! the delivery tests can run. It is left out of the OpenAPI document (public access, the
//! operator token in its body) so the contract fuzzer does not call it. Removed at the merge.

use base64::Engine;
use serde_json::{json, Value};

use crate::domain::ids;
use crate::domain::time::fmt_ms;
use crate::error::{ApiError, ApiResult};
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
use crate::pipeline::router::RouteDef;
use crate::route;
use crate::storage::db::{self, Statement};

fn text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn secret() -> ApiResult<String> {
    let bytes = ids::random_bytes::<24>().ok_or_else(ApiError::internal)?;
    Ok(format!("whsec_{}", base64::engine::general_purpose::STANDARD.encode(bytes)))
}

/// `{tenant_id, url, events, filters?, format?, template?, previous_secret_expires_in_seconds?}`
/// → `{id, secret, previous_secret?}`.
async fn create(call: &Call<'_>) -> ApiResult<Reply> {
    let b = &call.body;
    crate::pipeline::auth::operator(call.env, b.get("operator_token").and_then(Value::as_str))?;
    let id = ids::new_id("whk", call.now_ms as u64);
    let secret = secret()?;
    let previous = b.get("previous_secret_expires_in_seconds").and_then(Value::as_i64);
    let previous_secret = previous.map(|_| self::secret()).transpose()?;
    let expires = previous.map(|s| fmt_ms(call.now_ms + s * 1000));
    let now = call.now();
    let sql = "INSERT INTO webhooks (id, tenant_id, url, events, filters, format, template, secret, previous_secret, \
               previous_secret_expires_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?12, ?12)";
    let args = [
        id.as_str().into(),
        text(&b["tenant_id"]).into(),
        text(&b["url"]).into(),
        text(&b["events"]).into(),
        text(&b["filters"]).into(),
        text(&b["format"]).unwrap_or_else(|| "json".into()).into(),
        text(&b["template"]).into(),
        secret.as_str().into(),
        previous_secret.clone().into(),
        expires.into(),
        crate::domain::listing::Arg::Null,
        now.into(),
    ];
    db::write(&call.db()?, vec![Statement::new(sql, args)], "id").await?;
    Ok(Reply::value(201, &json!({"id": id, "secret": secret, "previous_secret": previous_secret})))
}

/// `{tenant_id, webhook_id}` → what `POST /v1/webhooks/{id}/test` will answer.
async fn ping(call: &Call<'_>) -> ApiResult<Reply> {
    let b = &call.body;
    crate::pipeline::auth::operator(call.env, b.get("operator_token").and_then(Value::as_str))?;
    let (tenant, id) = (text(&b["tenant_id"]).unwrap_or_default(), text(&b["webhook_id"]).unwrap_or_default());
    let endpoint = crate::storage::webhooks::endpoint(&call.db()?, &tenant, &id).await?;
    let endpoint =
        endpoint.ok_or_else(|| ApiError::not_found(crate::i18n::Msg::NotFound(crate::i18n::Noun::Webhook)))?;
    crate::handlers::deliveries::send_ping(call, &endpoint).await
}

pub static ROUTES: &[RouteDef] = &[
    route!(POST "/v1/operator/webhook-fixtures/ping", Public, |call| ping(call), {
        id: "pingWebhookFixture",
        tag: "Operator",
        summary: "TEMPORARY test fixture",
        description: "Sends a ping as the endpoint API's test route will.",
        ok: 202,
    }),
    route!(POST "/v1/operator/webhook-fixtures", Public, |call| create(call), {
        id: "createWebhookFixture",
        tag: "Operator",
        summary: "TEMPORARY test fixture",
        description: "Writes a webhook endpoint row for the delivery tests until the endpoint API is merged.",
        ok: 201,
    }),
];
