//! Tenants: creation together with the first owner key, listing and lookup.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use worker::Env;

use crate::domain::keys::OWNER_SCOPES;
use crate::domain::listing::{self, Arg, ListSpec, Page, Query};
use crate::domain::tenants::{Limits, NewTenant, Tier};
use crate::domain::{ids, time};
use crate::error::{ApiError, ApiResult};
use crate::i18n::{Msg, Noun};
use crate::storage::api_keys::{self, NewKey};
use crate::storage::db::{self, Database, Statement};
use crate::storage::harvest_ids::{self, Kind};
use crate::storage::keys;
use crate::storage::resource::Table;

pub const TENANT_JSON: &str = "json_object('id', id, 'harvest_id', harvest_id, 'name', name, 'tier', tier, \
     'timezone', timezone, 'limits', json(limits), 'settings', json(settings), 'parent_id', parent_id, \
     'created_at', created_at, 'updated_at', updated_at)";

pub static TENANT_LIST: ListSpec =
    ListSpec { table: "tenants", scope: "parent_id", json: TENANT_JSON, filters: &[], date_column: None };

/// Divisions are tenants scoped by their parent.
pub static DIVISIONS: Table = Table {
    list: ListSpec { table: "tenants", scope: "parent_id", json: TENANT_JSON, filters: &[], date_column: None },
    noun: Noun::Division,
    unique_field: "id",
    created_event: None,
    updated_event: None,
    referenced_by: &[],
};

/// A stored tenant (or division), read by column: what `/v1/me` shows of the tenant a key
/// acts for, and the operator of a tenant it just created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tenant {
    pub id: String,
    /// The tenant's integer id (SPEC §9): its Harvest account id.
    pub harvest_id: i64,
    pub name: String,
    pub tier: Tier,
    pub timezone: String,
    #[serde(deserialize_with = "db::json_text")]
    pub limits: Limits,
    /// As stored, settings this build does not know included.
    #[serde(deserialize_with = "db::json_text")]
    pub settings: Value,
    pub parent_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// What a division inherits from its parent. `limits` and `settings` stay JSON values: a
/// division stores them as its parent has them, including settings this build does not know.
#[derive(Debug, Deserialize)]
pub struct Inheritance {
    pub tier: crate::domain::tenants::Tier,
    pub timezone: String,
    #[serde(deserialize_with = "db::json_text")]
    pub limits: Value,
    #[serde(deserialize_with = "db::json_text")]
    pub settings: Value,
}

/// What the live tenant `id` passes on to a new division.
pub async fn inheritance(db: &impl Database, id: &str) -> ApiResult<Option<Inheritance>> {
    let sql = "SELECT tier, limits, timezone, settings FROM tenants WHERE id = ? AND deleted_at IS NULL";
    Ok(db.first(sql, &[id.into()]).await?)
}

/// A tenant's settings (defaults for anything missing).
pub async fn settings_of(db: &impl Database, id: &str) -> ApiResult<crate::domain::tenants::Settings> {
    let text = db::first_text(db, "SELECT settings FROM tenants WHERE id = ?", &[id.into()]).await?;
    Ok(text.and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default())
}

/// Applies the operator's change to a tenant; returns it.
pub async fn change(
    db: &impl Database,
    id: &str,
    c: crate::domain::tenants::TenantChange,
    now_ms: i64,
) -> ApiResult<String> {
    let sql = "UPDATE tenants SET name = COALESCE(?2, name), timezone = COALESCE(?3, timezone), \
               settings = COALESCE(?4, settings), updated_at = ?5 WHERE id = ?1";
    let settings = c.settings.map(|s| serde_json::to_string(&s)).transpose()?;
    let args =
        [Arg::from(id), Arg::from(c.name), Arg::from(c.timezone), Arg::from(settings), Arg::Text(time::fmt_ms(now_ms))];
    db::write(db, vec![Statement::new(sql, args)], "id").await?;
    get(db, id).await
}

/// A tenant's IANA time zone.
pub async fn timezone_of(db: &impl Database, id: &str) -> ApiResult<Option<String>> {
    db::first_text(db, "SELECT timezone FROM tenants WHERE id = ?", &[id.into()]).await
}

/// Creates a tenant and its first owner key; returns its id and its JSON with `api_key` (the
/// secret, shown this once) inside.
pub async fn create(env: &Env, db: &impl Database, t: NewTenant, now_ms: i64) -> ApiResult<(String, Value)> {
    let id = ids::new_id("ten", now_ms as u64);
    let now = time::fmt_ms(now_ms);
    let minted = api_keys::mint(
        NewKey {
            tenant_id: Some(id.clone()),
            vendor_id: None,
            label: "Owner".into(),
            scopes: OWNER_SCOPES.to_vec(),
            tier: t.tier,
            limits: t.limits,
            expires_at_ms: None,
        },
        now_ms,
    )?;
    let tenant = Statement::new(
        "INSERT INTO tenants (id, name, tier, timezone, limits, created_at, updated_at, settings) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)",
        [
            Arg::Text(id.clone()),
            Arg::Text(t.name),
            t.tier.into(),
            Arg::Text(t.timezone),
            Arg::Text(serde_json::to_string(&t.limits)?),
            Arg::Text(now),
            Arg::Text(serde_json::to_string(&t.settings)?),
        ],
    );
    let key_number = harvest_ids::number_of(Kind::ApiKeys, &minted.record.key_id);
    let written = db::write(db, vec![tenant, api_keys::insert_stmt(&minted)?, key_number], "id").await?;
    let key_harvest_id = harvest_ids::number_read(written.into_iter().nth(2))?;
    // Tenant and key rows land together; the key works once its KV record exists.
    if let Err(e) = keys::store(env, &minted.record, now_ms).await {
        // Without its KV record the key cannot work: undo, so the operator can simply retry.
        let undo = vec![
            Statement::new("DELETE FROM api_keys WHERE id = ?", [Arg::Text(minted.record.key_id.clone())]),
            Statement::new("DELETE FROM tenants WHERE id = ?", [Arg::Text(id.clone())]),
        ];
        let _ = db.batch(undo).await;
        return Err(e);
    }
    let mut tenant = serde_json::to_value(find(db, &id).await?)?;
    tenant["api_key"] = api_keys::created_json(&minted, key_harvest_id);
    Ok((id, tenant))
}

/// One tenant, read into its type, or 404.
pub async fn find(db: &impl Database, id: &str) -> ApiResult<Tenant> {
    let sql = "SELECT id, harvest_id, name, tier, timezone, limits, settings, parent_id, created_at, updated_at \
               FROM tenants WHERE id = ?";
    db.first(sql, &[id.into()]).await?.ok_or_else(|| ApiError::not_found(Msg::NotFound(Noun::Tenant)))
}

/// One tenant as JSON text, or 404.
pub async fn get(db: &impl Database, id: &str) -> ApiResult<String> {
    let sql = format!("SELECT {TENANT_JSON} FROM tenants WHERE id = ?");
    db::first_text(db, &sql, &[id.into()]).await?.ok_or_else(|| ApiError::not_found(Msg::NotFound(Noun::Tenant)))
}

/// All tenants, a page at a time (the operator's view).
pub async fn list(db: &impl Database, query: &Query) -> ApiResult<Page> {
    let lq = listing::compile(&TENANT_LIST, None, query)?;
    let rows = db::id_json_rows(db, &lq.sql, &lq.args).await?;
    Ok(listing::paginate(rows, lq.limit))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::sqlite::{block_on, Sqlite};

    /// A tenant read by column renders exactly as its SQLite-rendered JSON did once parsed
    /// (what `/v1/me` and tenant creation answered before the typed read), settings as stored.
    #[test]
    fn a_typed_tenant_renders_as_its_stored_json_did() {
        let db = Sqlite::open();
        let limits = r#"{"per_second":5,"per_minute":300,"per_day":50000}"#;
        let full =
            r#"{"daily_overtime_hours":7.5,"weekly_overtime_hours":38.0,"week_start":"sunday","pinshot_threshold":60}"#;
        for (id, parent, settings) in [("ten_1", None, full), ("ten_2", Some("ten_1"), "{}")] {
            let row = Statement::new(
                "INSERT INTO tenants (id, name, tier, timezone, limits, settings, parent_id, created_at, updated_at) \
                 VALUES (?, 'Acme', 'pro', 'Europe/Berlin', ?, ?, ?, '2026-05-30T14:23:11Z', '2026-05-30T14:23:11Z')",
                [id.into(), limits.into(), settings.into(), Arg::from(parent)],
            );
            block_on(db.batch(vec![row])).unwrap();
            let typed = serde_json::to_value(block_on(find(&db, id)).unwrap()).unwrap();
            let rendered: Value = serde_json::from_str(&block_on(get(&db, id)).unwrap()).unwrap();
            assert_eq!(typed.to_string(), rendered.to_string());
        }
        assert_eq!(block_on(find(&db, "ten_9")).unwrap_err().status(), 404);
    }
}
