//! `/v2/company` and `/v2/users/me` (SPEC §9): the tenant as Harvest's company, and the calling
//! key as a user (its integer id, its label as `first_name`).

use serde_json::json;

use crate::domain::tenants::Settings;
use crate::error::{ApiError, ApiResult};
use crate::i18n::{Msg, Noun};
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
use crate::pipeline::router::RouteDef;
use crate::route;
use crate::storage::db;

/// Harvest spells week days in full, capitalised.
fn week_day(settings: &Settings) -> String {
    let day = settings.week_start.as_str();
    let mut out = day[..1].to_ascii_uppercase();
    out.push_str(&day[1..]);
    out
}

async fn company(call: &Call<'_>) -> ApiResult<Reply> {
    let db = call.db()?;
    let tenant = call.tenant_id()?;
    let name = db::first_text(&db, "SELECT name FROM tenants WHERE id = ? AND deleted_at IS NULL", &[tenant.into()])
        .await?
        .ok_or_else(|| ApiError::not_found(Msg::NotFound(Noun::Tenant)))?;
    let settings = crate::storage::tenants::settings_of(&db, tenant).await?;
    let host = call.origin.split("://").nth(1).unwrap_or_default().to_string();
    let body = json!({
        "base_uri": call.origin,
        "full_domain": host,
        "name": name,
        "is_active": true,
        "week_start_day": week_day(&settings),
        "wants_timestamp_timers": true,
        "time_format": "decimal",
        "date_format": "%Y-%m-%d",
        "plan_type": "edgeclock",
        "clock": "24h",
        "currency": settings.currency,
        "currency_code_display": "iso_code_after_amount",
        "currency_symbol_display": "none",
        "decimal_symbol": ".",
        "thousands_separator": ",",
        "color_scheme": "orange",
        "weekly_capacity": (settings.weekly_overtime_hours * 3600.0).round() as i64,
        "expense_feature": false,
        "invoice_feature": false,
        "estimate_feature": false,
        "approval_feature": true,
        "team_feature": true,
        "saml_sso_feature": false
    });
    Ok(Reply::value(200, &body))
}

/// The calling key as a Harvest user.
async fn me(call: &Call<'_>) -> ApiResult<Reply> {
    let key = call.key()?;
    let sql = "SELECT json_object('id', k.harvest_id, 'first_name', k.label, 'last_name', '', 'email', '', \
               'telephone', '', 'timezone', coalesce((SELECT timezone FROM tenants WHERE id = ?2), 'UTC'), \
               'has_access_to_all_future_projects', json('true'), 'is_contractor', json('false'), \
               'is_active', json('true'), 'weekly_capacity', 0, 'default_hourly_rate', NULL, 'cost_rate', NULL, \
               'roles', json('[]'), 'access_roles', json('[\"administrator\"]'), 'avatar_url', '', \
               'created_at', k.created_at, 'updated_at', k.updated_at) FROM api_keys k WHERE k.id = ?1";
    let tenant = call.principal()?.tenant_id.clone().unwrap_or_default();
    match db::first_text(&call.db()?, sql, &[key.key_id.as_str().into(), tenant.into()]).await? {
        Some(json) => Ok(Reply::ok(json)),
        None => Err(ApiError::not_found(Msg::NotFound(Noun::ApiKey))),
    }
}

/// The routes this module serves.
pub static ROUTES: &[RouteDef] = &[
    route!(GET "/v2/company", Key, |call| company(call), {
        id: "harvestGetCompany", tag: "Harvest v2", summary: "The company",
        description: "The tenant as Harvest's company: timestamp timers, decimal time, a 24-hour clock. Any valid key.",
        ok: 200, response: "HarvestCompany",
    }),
    route!(GET "/v2/users/me", Key, |call| me(call), {
        id: "harvestGetMe", tag: "Harvest v2", summary: "The calling user",
        description: "The calling key as a user: its integer id, its label as `first_name`. Any valid key.",
        ok: 200, response: "HarvestUser",
    }),
];
