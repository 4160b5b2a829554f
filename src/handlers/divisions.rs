//! `/v1/divisions` (SPEC §2): isolated child tenants of the caller's tenant, and keys minted
//! inside them by the parent.

use serde_json::Value;

use crate::domain::fields::Fields;
use crate::domain::ids;
use crate::domain::listing::Arg;
use crate::domain::tenants::is_timezone;
use crate::error::ApiResult;
use crate::i18n::Noun;
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
use crate::storage::api_keys::Owner;
use crate::storage::resource;
use crate::storage::tenants::DIVISIONS;

pub async fn create(call: &Call<'_>) -> ApiResult<Reply> {
    let mut f = Fields::new(&call.body, &["name", "timezone"]);
    let name = f.text("name", 200);
    let name = f.require("name", name);
    let timezone = f.text_where("timezone", 64, is_timezone).into_option();
    f.finish()?;
    let parent = call.tenant_id()?;
    let db = call.db()?;
    // Tier, limits, settings and (unless given) the time zone come from the parent.
    let p = crate::storage::tenants::inheritance(&db, parent)
        .await?
        .ok_or_else(|| crate::error::ApiError::not_found(crate::i18n::Msg::NotFound(Noun::Tenant)))?;
    let text = |k: &str| p[k].as_str().unwrap_or_default().to_string();
    let cols = vec![
        ("name", Arg::Text(name.unwrap_or_default())),
        ("tier", Arg::Text(text("tier"))),
        ("timezone", Arg::Text(timezone.unwrap_or_else(|| text("timezone")))),
        ("limits", Arg::Text(p["limits"].to_string())),
        ("settings", Arg::Text(p["settings"].to_string())),
    ];
    let id = ids::new_id("ten", call.now_ms as u64);
    Ok(Reply::created(resource::create(&db, &DIVISIONS, parent, &id, call.now_ms, cols).await?))
}

pub async fn list(call: &Call<'_>) -> ApiResult<Reply> {
    Ok(Reply::page(resource::list(&call.db()?, &DIVISIONS, call.tenant_id()?, &call.query).await?))
}

pub async fn show(call: &Call<'_>) -> ApiResult<Reply> {
    Ok(Reply::ok(division(call).await?))
}

/// The caller's own division named in the path, or 404.
async fn division(call: &Call<'_>) -> ApiResult<String> {
    resource::get(&call.db()?, &DIVISIONS, call.tenant_id()?, call.param(0)).await
}

/// `POST /v1/divisions/{id}/api-keys`: the parent mints a key inside its own division.
pub async fn create_key(call: &Call<'_>) -> ApiResult<Reply> {
    let json: Value = serde_json::from_str(&division(call).await?)?;
    let id = json["id"].as_str().unwrap_or_default().to_string();
    crate::handlers::api_keys::mint_for(call, Owner::Tenant(id), Noun::Division).await
}
