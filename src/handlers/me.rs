//! `GET /v1/me`: the calling key, its scopes and tier, and the tenant or vendor it acts for.

use serde_json::json;

use crate::domain::time;
use crate::error::ApiResult;
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
use crate::storage;

pub async fn show(call: &Call<'_>) -> ApiResult<Reply> {
    let p = call.principal()?;
    let key = &p.key;
    let tenant = match &p.tenant_id {
        Some(id) => Some(serde_json::from_str::<serde_json::Value>(&storage::tenants::get(&call.db()?, id).await?)?),
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
