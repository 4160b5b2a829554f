//! `/v1/partnerships` (SPEC §2): a tenant grants a vendor a list of scopes, and revokes it.

use crate::domain::key_request::{scopes_of, SCOPES};
use crate::domain::listing::Arg;
use crate::domain::model::{required, FieldDef, Kind};
use crate::domain::{ids, reader};
use crate::error::{ApiError, ApiResult};
use crate::i18n::{FieldCode, Msg};
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
#[cfg(not(target_arch = "wasm32"))]
use crate::pipeline::route_doc::{Body, QueryDoc};
use crate::pipeline::router::RouteDef;
use crate::route;
use crate::storage::api_keys::{self, Owner};
use crate::storage::partnerships::PARTNERSHIPS;
use crate::storage::resource;

/// `POST /v1/partnerships`: the vendor and what it may do for this tenant.
pub const FIELDS: &[FieldDef] = &[
    required("vendor_id", Kind::Id("ven")).doc(
        "The vendor to grant. One live partnership per vendor: a second is `409 \
         conflict` (revoke the first to change the grant).",
    ),
    SCOPES.doc("What the vendor may do for this tenant; only scopes the calling key holds (else `403`)."),
];

pub async fn create(call: &Call<'_>) -> ApiResult<Reply> {
    let cols = reader::parse(&call.body, FIELDS, &[], true)?;
    let vendor = cols.text("vendor_id").unwrap_or_default().to_string();
    let scopes = scopes_of(&cols, "scopes").unwrap_or_default();
    if let Some(s) = call.principal()?.first_not_held(&scopes) {
        return Err(ApiError::forbidden(Msg::ScopeEscalation(s.to_string())));
    }
    let db = call.db()?;
    if api_keys::owner_plan(&db, &Owner::Vendor(vendor.clone())).await?.is_none() {
        return Err(ApiError::invalid_field("vendor_id", FieldCode::NotFound));
    }
    let id = ids::new_id("prt", call.now_ms as u64);
    let cols = vec![("vendor_id", Arg::Text(vendor)), ("scopes", Arg::Text(serde_json::to_string(&scopes)?))];
    Ok(Reply::created(&id, resource::create(&db, &PARTNERSHIPS, call.tenant_id()?, &id, call.now_ms, cols).await?))
}

pub async fn list(call: &Call<'_>) -> ApiResult<Reply> {
    Ok(Reply::page(resource::list(&call.db()?, &PARTNERSHIPS, call.tenant_id()?, &call.query).await?))
}

pub async fn show(call: &Call<'_>, id: &str) -> ApiResult<Reply> {
    Ok(Reply::ok(resource::get(&call.db()?, &PARTNERSHIPS, call.tenant_id()?, id).await?))
}

/// Revokes the grant; the vendor is refused on its next request for this tenant.
pub async fn revoke(call: &Call<'_>, id: &str) -> ApiResult<Reply> {
    Ok(Reply::changed(id, resource::delete(&call.db()?, &PARTNERSHIPS, call.tenant_id()?, id, call.now_ms).await?))
}

/// The routes this module serves.
pub static ROUTES: &[RouteDef] = &[
    route!(POST "/v1/partnerships", Key, |call| create(call), {
        id: "createPartnership",
        tag: "Partnerships",
        summary: "Grant a vendor access",
        description: "Grants a vendor a list of scopes on the calling tenant. From then on the vendor's keys may act for this tenant by sending `Edgeclock-Tenant-Id`, within these scopes (intersected with each key's own). Needs `write:partnerships`. Vendor keys are refused with `403 forbidden`, whatever their scopes. The scopes may only be ones the calling key holds (else `403`); an unknown vendor is `422` (`vendor_id` `not_found`); a second live partnership with the same vendor is `409`.",
        body: Some(Body::create("PartnershipCreate", &[FIELDS])),
        ok: 201,
        response: "PartnershipResponse",
    }),
    route!(GET "/v1/partnerships", Key, |call| list(call), {
        id: "listPartnerships",
        tag: "Partnerships",
        summary: "List partnerships",
        description: "The tenant's live partnerships in creation order, a page at a time, optionally for some vendors only. Revoked ones appear only with `include_deleted=true`, as tombstones. Needs `read:partnerships`.",
        query: QueryDoc::list(&PARTNERSHIPS.list),
        ok: 200,
        response: "PartnershipListResponse",
    }),
    route!(GET "/v1/partnerships/{partnership_id}", Key, |call| show(call, call.param("partnership_id")), {
        id: "getPartnership",
        tag: "Partnerships",
        summary: "Get a partnership",
        description: "One live partnership of the tenant. Needs `read:partnerships`.",
        ok: 200,
        response: "PartnershipResponse",
    }),
    route!(DELETE "/v1/partnerships/{partnership_id}", Key, |call| revoke(call, call.param("partnership_id")), {
        id: "revokePartnership",
        tag: "Partnerships",
        summary: "Revoke a partnership",
        description: "Revokes the grant and answers `200` with its tombstone. The vendor's next request for this tenant is refused with `403`. A new partnership with the same vendor may then be created. Needs `write:partnerships`. Vendor keys are refused with `403 forbidden`, whatever their scopes.",
        ok: 200,
        response: "TombstoneResponse",
    }),
];
