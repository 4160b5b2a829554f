//! `/v1/partnerships` (SPEC §2): a tenant grants a vendor a list of scopes, and revokes it.

use crate::domain::fields::Fields;
use crate::domain::ids;
use crate::domain::key_request::read_scopes;
use crate::domain::listing::Arg;
use crate::error::{ApiError, ApiResult};
use crate::i18n::{FieldCode, Msg};
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
use crate::storage::api_keys::{self, Owner};
use crate::storage::partnerships::PARTNERSHIPS;
use crate::storage::resource;

pub async fn create(call: &Call<'_>) -> ApiResult<Reply> {
    let mut f = Fields::new(&call.body, &["vendor_id", "scopes"]);
    let vendor = f.text_where("vendor_id", 64, |s| ids::is_id("ven", s));
    let vendor = f.require("vendor_id", vendor);
    let scopes = if call.body.is_object() { read_scopes(&mut f, &call.body, "scopes") } else { None };
    f.finish()?;
    let (vendor, scopes) = (vendor.unwrap_or_default(), scopes.unwrap_or_default());
    if let Some(s) = call.principal()?.first_not_held(&scopes) {
        return Err(ApiError::forbidden(Msg::ScopeEscalation(s.to_string())));
    }
    let db = call.db()?;
    if api_keys::owner_plan(&db, &Owner::Vendor(vendor.clone())).await?.is_none() {
        return Err(ApiError::invalid_field("vendor_id", FieldCode::Invalid));
    }
    let id = ids::new_id("prt", call.now_ms as u64);
    let cols = vec![("vendor_id", Arg::Text(vendor)), ("scopes", Arg::Text(serde_json::to_string(&scopes)?))];
    Ok(Reply::created(resource::create(&db, &PARTNERSHIPS, call.tenant_id()?, &id, call.now_ms, cols).await?))
}

pub async fn list(call: &Call<'_>) -> ApiResult<Reply> {
    Ok(Reply::page(resource::list(&call.db()?, &PARTNERSHIPS, call.tenant_id()?, &call.query).await?))
}

pub async fn show(call: &Call<'_>) -> ApiResult<Reply> {
    Ok(Reply::ok(resource::get(&call.db()?, &PARTNERSHIPS, call.tenant_id()?, call.param(0)).await?))
}

/// Revokes the grant; the vendor is refused on its next request for this tenant.
pub async fn revoke(call: &Call<'_>) -> ApiResult<Reply> {
    Ok(Reply::ok(resource::delete(&call.db()?, &PARTNERSHIPS, call.tenant_id()?, call.param(0), call.now_ms).await?))
}
