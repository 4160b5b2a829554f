//! The operator API (`/v1/operator/…`, SPEC §2): how tenants, vendors and their first keys
//! come to be, and the operator's view of any tenant's audit log.

use crate::domain::key_request::scopes_of;
use crate::domain::listing::{self, Arg};
use crate::domain::scopes::Preset;
use crate::domain::tenants::{self, limits_over, tier_limits, Tier};
use crate::domain::{ids, reader};
use crate::error::ApiResult;
use crate::i18n::Noun;
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
#[cfg(not(target_arch = "wasm32"))]
use crate::pipeline::route_doc::{Body, QueryDoc};
use crate::pipeline::router::RouteDef;
use crate::route;
use crate::storage::api_keys::{self, NewKey, Owner};
use crate::storage::db::{self, Statement};
use crate::storage::vendors;

pub async fn create_tenant(call: &Call<'_>) -> ApiResult<Reply> {
    let new = tenants::parse_new_tenant(&call.body)?;
    let (id, tenant) = crate::storage::tenants::create(call.env, &call.db()?, new, call.now_ms).await?;
    Ok(Reply::written(201, &id, tenant.to_string()))
}

pub async fn list_tenants(call: &Call<'_>) -> ApiResult<Reply> {
    Ok(Reply::page(crate::storage::tenants::list(&call.db()?, &call.query).await?))
}

pub async fn get_tenant(call: &Call<'_>, id: &str) -> ApiResult<Reply> {
    Ok(Reply::ok(crate::storage::tenants::get(&call.db()?, id).await?))
}

/// `PATCH /v1/operator/tenants/{id}`: name, time zone and settings (overtime rules, week
/// start, verification threshold). Tier and limits are fixed at creation.
pub async fn update_tenant(call: &Call<'_>, id: &str) -> ApiResult<Reply> {
    let db = call.db()?;
    crate::storage::tenants::get(&db, id).await?;
    let current = crate::storage::tenants::settings_of(&db, id).await?;
    let change = tenants::parse_change(&call.body, current)?;
    Ok(Reply::changed(id, crate::storage::tenants::change(&db, id, change, call.now_ms).await?))
}

/// `POST /v1/operator/tenants/{id}/api-keys` (any tenant or division).
pub async fn create_tenant_key(call: &Call<'_>, id: &str) -> ApiResult<Reply> {
    crate::handlers::api_keys::mint_for(call, Owner::Tenant(id.to_string()), Noun::Tenant).await
}

/// `POST /v1/operator/vendors`: `{name, tier?, limits?, scopes?}` → the vendor with its
/// first key (scopes default to `read-write`).
pub async fn create_vendor(call: &Call<'_>) -> ApiResult<Reply> {
    let cols = reader::parse(&call.body, tenants::NEW_VENDOR, &[], true)?;
    let name = cols.text("name").unwrap_or_default().to_string();
    let tier = cols.text("tier").and_then(Tier::parse).unwrap_or(Tier::Standard);
    let limits = limits_over(&cols, "limits", tier_limits(tier));
    let key_scopes = scopes_of(&cols, "scopes").unwrap_or_else(|| Preset::ReadWrite.scopes());
    let db = call.db()?;
    let id = ids::new_id("ven", call.now_ms as u64);
    let now = call.now();
    let sql = "INSERT INTO vendors (id, name, tier, limits, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)";
    let args = [
        Arg::Text(id.clone()),
        Arg::Text(name),
        tier.into(),
        Arg::Text(serde_json::to_string(&limits)?),
        Arg::Text(now),
    ];
    db::write(&db, vec![Statement::new(sql, args)], "id").await?;
    let (_, key) = api_keys::create(
        call.env,
        &db,
        NewKey {
            tenant_id: None,
            vendor_id: Some(id.clone()),
            label: "Vendor".into(),
            scopes: key_scopes,
            tier,
            limits,
            expires_at_ms: None,
        },
        call.now_ms,
    )
    .await?;
    let mut vendor = serde_json::to_value(vendors::find(&db, &id).await?)?;
    vendor["api_key"] = key;
    Ok(Reply::written(201, &id, vendor.to_string()))
}

pub async fn list_vendors(call: &Call<'_>) -> ApiResult<Reply> {
    let lq = listing::compile(&vendors::VENDOR_LIST, None, &call.query)?;
    let rows = db::id_json_rows(&call.db()?, &lq.sql, &lq.args).await?;
    Ok(Reply::page(listing::paginate(rows, lq.limit)))
}

/// `POST /v1/operator/vendors/{id}/api-keys`.
pub async fn create_vendor_key(call: &Call<'_>, id: &str) -> ApiResult<Reply> {
    crate::handlers::api_keys::mint_for(call, Owner::Vendor(id.to_string()), Noun::Vendor).await
}

/// The routes this module serves.
pub static ROUTES: &[RouteDef] = &[
    route!(POST "/v1/operator/tenants", Operator, |call| create_tenant(call), {
        id: "createTenant",
        tag: "Operator",
        summary: "Create a tenant and its first key",
        description: "Creates a tenant with its tier, time zone and (enterprise only) custom limits, together with a first owner API key (label `Owner`, scopes `read:*` and `write:*`). The key's secret is in `data.api_key.key`, shown this once: it is stored only as a hash. Operator token required.",
        body: Some(Body::create("TenantCreate", &[tenants::NEW_TENANT]).rules(tenants::NEW_TENANT_RULES)),
        ok: 201,
        response: "TenantCreatedResponse",
    }),
    route!(GET "/v1/operator/tenants", Operator, |call| list_tenants(call), {
        id: "listTenants",
        tag: "Operator",
        summary: "List tenants",
        description: "Every tenant (divisions included), in creation order, a page at a time. Operator token required.",
        query: QueryDoc::list(&crate::storage::tenants::TENANT_LIST),
        ok: 200,
        response: "TenantListResponse",
    }),
    route!(GET "/v1/operator/tenants/{tenant_id}", Operator, |call| get_tenant(call, call.param("tenant_id")), {
        id: "getTenant",
        tag: "Operator",
        summary: "Get a tenant",
        description: "One tenant (or division) by id. Operator token required.",
        ok: 200,
        response: "TenantResponse",
    }),
    route!(PATCH "/v1/operator/tenants/{tenant_id}", Operator, |call| update_tenant(call, call.param("tenant_id")), {
        id: "operatorUpdateTenant",
        tag: "Operator",
        summary: "Change a tenant's name, time zone or settings",
        description: "Operator only. Changes the tenant's `name`, `timezone` and `settings` (overtime rules, week start, verification threshold); each settings field sent replaces its value, the others are kept. 404 for an unknown tenant; 422 with `details` for invalid values.",
        body: Some(Body::update("TenantUpdate", &[tenants::TENANT_CHANGE])),
        ok: 200,
        response: "TenantResponse",
    }),
    route!(POST "/v1/operator/tenants/{tenant_id}/api-keys", Operator, |call| create_tenant_key(call, call.param("tenant_id")), {
        id: "createTenantApiKey",
        tag: "Operator",
        summary: "Create a key for a tenant",
        description: "Mints an API key for any tenant or division, with the tenant's tier. `scopes` is required (any valid scopes: the operator is not bound by the no-escalation rule); `limits` may only lower the tenant's. The secret `key` is in this response only. An unknown or deleted tenant is `404`. Operator token required.",
        body: Some(Body::create("ApiKeyCreate", &[crate::domain::key_request::FIELDS])),
        ok: 201,
        response: "CreatedApiKeyResponse",
    }),
    route!(POST "/v1/operator/vendors", Operator, |call| create_vendor(call), {
        id: "createVendor",
        tag: "Operator",
        summary: "Create a vendor and its first key",
        description: "Creates a vendor (a platform integrator acting for tenants that grant it a partnership) with its tier and optional custom limits, together with a first vendor key (label `Vendor`, scopes from `scopes`, `read-write` by default). The secret is in `data.api_key.key`, shown this once. Operator token required.",
        body: Some(Body::create("VendorCreate", &[tenants::NEW_VENDOR])),
        ok: 201,
        response: "VendorCreatedResponse",
    }),
    route!(GET "/v1/operator/vendors", Operator, |call| list_vendors(call), {
        id: "listVendors",
        tag: "Operator",
        summary: "List vendors",
        description: "Every vendor, in creation order, a page at a time. Operator token required.",
        query: QueryDoc::list(&vendors::VENDOR_LIST),
        ok: 200,
        response: "VendorListResponse",
    }),
    route!(POST "/v1/operator/vendors/{vendor_id}/api-keys", Operator, |call| create_vendor_key(call, call.param("vendor_id")), {
        id: "createVendorApiKey",
        tag: "Operator",
        summary: "Create a key for a vendor",
        description: "Mints another key for a vendor, with the vendor's tier (for rotation: create the new key, then have the old one revoked). `scopes` is required; `limits` may only lower the vendor's. What the key may do for a tenant is further limited by that tenant's grant. An unknown vendor is `404`. Operator token required.",
        body: Some(Body::create("ApiKeyCreate", &[crate::domain::key_request::FIELDS])),
        ok: 201,
        response: "CreatedApiKeyResponse",
    }),
];
