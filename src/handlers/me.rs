//! `GET /v1/me`: the calling key, its scopes and tier, and the tenant or vendor it acts for.

use serde_json::json;

use crate::domain::time;
use crate::error::ApiResult;
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
use crate::pipeline::router::RouteDef;
use crate::route;
use crate::storage;

pub async fn show(call: &Call<'_>) -> ApiResult<Reply> {
    let p = call.principal()?;
    let key = &p.key;
    let tenant = match &p.tenant_id {
        Some(id) => Some(storage::tenants::find(&call.db()?, id).await?),
        None => None,
    };
    let me = json!({
        "id": key.key_id,
        "label": key.label,
        "scopes": key.scopes,
        "tier": key.tier,
        "limits": key.limits,
        "expires_at": key.expires_at_ms.map(time::fmt_ms),
        "tenant": tenant,
        "vendor": key.vendor_id.as_ref().map(|v| json!({"id": v})),
        "granted_scopes": p.grant,
    });
    Ok(Reply::value(200, &me))
}

/// The routes this module serves.
pub static ROUTES: &[RouteDef] = &[route!(GET "/v1/me", Key, |call| show(call), {
    id: "getMe",
    tag: "Me",
    summary: "The calling key",
    description: "The API key making the request: its id, label, scopes, tier and limits, and what it acts for. Any valid key may call it; no scope is needed. For a vendor key, `Edgeclock-Tenant-Id` is optional here: with it, `tenant` is that tenant and `granted_scopes` its grant (a tenant without an active partnership is `403`); without it, both are `null`.",
    ok: 200,
    response: "MeResponse",
})];
