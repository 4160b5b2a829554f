//! `/v1/divisions` (SPEC §2): isolated child tenants of the caller's tenant, and keys minted
//! inside them by the parent.

use crate::domain::listing::Arg;
use crate::domain::model::{field, required, FieldDef, Kind};
use crate::domain::{ids, reader};
use crate::error::ApiResult;
use crate::i18n::Noun;
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
#[cfg(not(target_arch = "wasm32"))]
use crate::pipeline::route_doc::{Body, QueryDoc};
use crate::pipeline::router::RouteDef;
use crate::route;
use crate::storage::api_keys::Owner;
use crate::storage::resource;
use crate::storage::tenants::DIVISIONS;

/// `POST /v1/divisions`: a name and, optionally, a zone of its own.
pub const FIELDS: &[FieldDef] = &[
    required("name", Kind::Text(200)).doc("The division's name."),
    field("timezone", Kind::Timezone).doc("Absent or `null`: the parent's."),
];

pub async fn create(call: &Call<'_>) -> ApiResult<Reply> {
    let cols = reader::parse(&call.body, FIELDS, &[], true)?;
    let (name, timezone) = (cols.text("name").map(str::to_string), cols.text("timezone").map(str::to_string));
    let parent = call.tenant_id()?;
    let db = call.db()?;
    // Tier, limits, settings and (unless given) the time zone come from the parent.
    let p = crate::storage::tenants::inheritance(&db, parent)
        .await?
        .ok_or_else(|| crate::error::ApiError::not_found(crate::i18n::Msg::NotFound(Noun::Tenant)))?;
    let cols = vec![
        ("name", Arg::Text(name.unwrap_or_default())),
        ("tier", p.tier.into()),
        ("timezone", Arg::Text(timezone.unwrap_or(p.timezone))),
        ("limits", Arg::Text(p.limits.to_string())),
        ("settings", Arg::Text(p.settings.to_string())),
    ];
    let id = ids::new_id("ten", call.now_ms as u64);
    Ok(Reply::created(&id, resource::create(&db, &DIVISIONS, parent, &id, call.now_ms, cols).await?))
}

pub async fn list(call: &Call<'_>) -> ApiResult<Reply> {
    Ok(Reply::page(resource::list(&call.db()?, &DIVISIONS, call.tenant_id()?, &call.query).await?))
}

pub async fn show(call: &Call<'_>, id: &str) -> ApiResult<Reply> {
    Ok(Reply::ok(division(call, id).await?))
}

/// The caller's own division named in the path, or 404.
async fn division(call: &Call<'_>, id: &str) -> ApiResult<String> {
    resource::get(&call.db()?, &DIVISIONS, call.tenant_id()?, id).await
}

/// `POST /v1/divisions/{id}/api-keys`: the parent mints a key inside its own division.
pub async fn create_key(call: &Call<'_>, id: &str) -> ApiResult<Reply> {
    // Only the caller's own live division (404 otherwise).
    division(call, id).await?;
    crate::handlers::api_keys::mint_for(call, Owner::Tenant(id.to_string()), Noun::Division).await
}

/// The routes this module serves.
pub static ROUTES: &[RouteDef] = &[
    route!(POST "/v1/divisions", Key, |call| create(call), {
        id: "createDivision",
        tag: "Divisions",
        summary: "Create a division",
        description: "Creates a division of the calling tenant: a child tenant with its own, fully isolated data and keys, the parent's tier and limits, and `timezone` defaulting to the parent's. It starts with no keys: mint them with `POST /v1/divisions/{division_id}/api-keys`. Needs `write:divisions`. Vendor keys are refused with `403 forbidden`, whatever their scopes.",
        body: Some(Body::create("DivisionCreate", &[FIELDS])),
        ok: 201,
        response: "DivisionResponse",
    }),
    route!(GET "/v1/divisions", Key, |call| list(call), {
        id: "listDivisions",
        tag: "Divisions",
        summary: "List divisions",
        description: "The calling tenant's own divisions (children only, not grandchildren) in creation order, a page at a time. Needs `read:divisions`.",
        query: QueryDoc::list(&DIVISIONS.list),
        ok: 200,
        response: "DivisionListResponse",
    }),
    route!(GET "/v1/divisions/{division_id}", Key, |call| show(call, call.param("division_id")), {
        id: "getDivision",
        tag: "Divisions",
        summary: "Get a division",
        description: "One of the calling tenant's divisions. Needs `read:divisions`.",
        ok: 200,
        response: "DivisionResponse",
    }),
    route!(POST "/v1/divisions/{division_id}/api-keys", Key, |call| create_key(call, call.param("division_id")), {
        id: "createDivisionApiKey",
        tag: "Divisions",
        summary: "Create a key inside a division",
        description: "The parent mints an API key that belongs to one of its divisions (and so sees only the division's data), with the division's tier. Needs `write:divisions` (the resource is the first path segment). Same body and rules as `POST /v1/api-keys`: only scopes the calling key holds (else `403`), `limits` no higher than the division's. The secret `key` is in this response only. A division that is not the caller's is `404`. Vendor keys are refused with `403 forbidden`, whatever their scopes.",
        body: Some(Body::create("ApiKeyCreate", &[crate::domain::key_request::FIELDS])),
        ok: 201,
        response: "CreatedApiKeyResponse",
    }),
];
