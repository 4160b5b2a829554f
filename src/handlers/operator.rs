//! The operator API (`/v1/operator/…`, SPEC §2): how tenants, vendors and their first keys
//! come to be, and the operator's view of any tenant's audit log.

use crate::domain::fields::Fields;
use crate::domain::key_request::read_scopes;
use crate::domain::listing::{self, Arg};
use crate::domain::tenants::{self, read_limits, tier_limits, TIERS};
use crate::domain::{ids, scopes};
use crate::error::ApiResult;
use crate::i18n::Noun;
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
use crate::storage::api_keys::{self, NewKey, Owner};
use crate::storage::{d1, vendors};

pub async fn create_tenant(call: &Call<'_>) -> ApiResult<Reply> {
    let new = tenants::parse_new_tenant(&call.body)?;
    let tenant = crate::storage::tenants::create(call.env, &call.db()?, new, call.now_ms).await?;
    Ok(Reply::value(201, &tenant))
}

pub async fn list_tenants(call: &Call<'_>) -> ApiResult<Reply> {
    Ok(Reply::page(crate::storage::tenants::list(&call.db()?, &call.query).await?))
}

pub async fn get_tenant(call: &Call<'_>) -> ApiResult<Reply> {
    Ok(Reply::ok(crate::storage::tenants::get(&call.db()?, call.param(0)).await?))
}

/// `PATCH /v1/operator/tenants/{id}`: name, time zone and settings (overtime rules, week
/// start, verification threshold). Tier and limits are fixed at creation.
pub async fn update_tenant(call: &Call<'_>) -> ApiResult<Reply> {
    let db = call.db()?;
    let id = call.param(0);
    crate::storage::tenants::get(&db, id).await?;
    let current = crate::storage::tenants::settings_of(&db, id).await?;
    let change = tenants::parse_change(&call.body, current)?;
    Ok(Reply::ok(crate::storage::tenants::change(&db, id, change, call.now_ms).await?))
}

/// `POST /v1/operator/tenants/{id}/api-keys` (any tenant or division).
pub async fn create_tenant_key(call: &Call<'_>) -> ApiResult<Reply> {
    crate::handlers::api_keys::mint_for(call, Owner::Tenant(call.param(0).to_string()), Noun::Tenant).await
}

/// `POST /v1/operator/vendors`: `{name, tier?, limits?, scopes?}` → the vendor with its
/// first key (scopes default to `read-write`).
pub async fn create_vendor(call: &Call<'_>) -> ApiResult<Reply> {
    let mut f = Fields::new(&call.body, &["name", "tier", "limits", "scopes"]);
    let name = f.text("name", 200);
    let name = f.require("name", name).unwrap_or_default();
    let tier = f.one_of("tier", TIERS).into_option().unwrap_or_else(|| "standard".into());
    let limits = read_limits(&mut f, "limits", tier_limits(&tier)).unwrap_or_else(|| tier_limits(&tier));
    let key_scopes = match call.body.get("scopes") {
        Some(_) => read_scopes(&mut f, &call.body, "scopes").unwrap_or_default(),
        None => scopes::READ_WRITE.iter().map(|s| s.to_string()).collect(),
    };
    f.finish()?;
    let db = call.db()?;
    let id = ids::new_id("ven", call.now_ms as u64);
    let now = call.now();
    let sql = "INSERT INTO vendors (id, name, tier, limits, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)";
    let args = [
        Arg::Text(id.clone()),
        Arg::Text(name),
        Arg::Text(tier.clone()),
        Arg::Text(serde_json::to_string(&limits)?),
        Arg::Text(now),
    ];
    d1::write(&db, vec![d1::stmt(&db, sql, &args)?], "id").await?;
    let key = api_keys::create(
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
    let sql = format!("SELECT {} FROM vendors WHERE id = ?", vendors::VENDOR_JSON);
    let text = d1::first_text(&db, &sql, &[id.into()]).await?.unwrap_or_default();
    let mut vendor: serde_json::Value = serde_json::from_str(&text)?;
    vendor["api_key"] = key;
    Ok(Reply::value(201, &vendor))
}

pub async fn list_vendors(call: &Call<'_>) -> ApiResult<Reply> {
    let lq = listing::compile(&vendors::VENDOR_LIST, None, &call.query)?;
    let rows = d1::id_json_rows(&call.db()?, &lq.sql, &lq.args).await?;
    Ok(Reply::page(listing::paginate(rows, lq.limit)))
}

/// `POST /v1/operator/vendors/{id}/api-keys`.
pub async fn create_vendor_key(call: &Call<'_>) -> ApiResult<Reply> {
    crate::handlers::api_keys::mint_for(call, Owner::Vendor(call.param(0).to_string()), Noun::Vendor).await
}
