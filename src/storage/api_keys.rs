//! Minting API keys: the secret (shown once), its KV record, and the D1 listing row
//! (id, label, prefix, last four, scopes, tier, dates; never the secret).

use serde_json::{json, Value};
use worker::Env;

use crate::domain::keys::{self as key_format, KeyRecord, KEY_PREFIX};
use crate::domain::listing::{Arg, ListSpec};
use crate::domain::scopes::Scope;
use crate::domain::tenants::{Limits, Tier};
use crate::domain::{ids, time};
use crate::error::{ApiError, ApiResult};
use crate::i18n::{Msg, Noun};
use crate::storage::db::{self, Database, Statement};
use crate::storage::harvest_ids::{self, Kind};
use crate::storage::resource::Table;
use crate::storage::{gate, keys};

pub struct NewKey {
    pub tenant_id: Option<String>,
    pub vendor_id: Option<String>,
    pub label: String,
    pub scopes: Vec<Scope>,
    pub tier: Tier,
    pub limits: Limits,
    pub expires_at_ms: Option<i64>,
}

/// A freshly made key: its secret exists only in this value and the one response.
pub struct Minted {
    pub record: KeyRecord,
    pub secret: String,
    pub created_at: String,
}

pub fn mint(new: NewKey, now_ms: i64) -> ApiResult<Minted> {
    let secret = key_format::generate_key().ok_or_else(ApiError::internal)?;
    let record = KeyRecord {
        key_id: ids::new_id("key", now_ms as u64),
        tenant_id: new.tenant_id,
        vendor_id: new.vendor_id,
        label: new.label,
        scopes: new.scopes,
        tier: new.tier,
        limits: new.limits,
        expires_at_ms: new.expires_at_ms,
        hash: key_format::hash_hex(&secret),
    };
    Ok(Minted { record, secret, created_at: time::fmt_ms(now_ms) })
}

/// The listing row for a minted key.
pub fn insert_stmt(m: &Minted) -> ApiResult<Statement> {
    let r = &m.record;
    let args = [
        Arg::Text(r.key_id.clone()),
        r.tenant_id.clone().into(),
        r.vendor_id.clone().into(),
        Arg::Text(r.label.clone()),
        KEY_PREFIX.into(),
        key_format::last_four(&m.secret).into(),
        Arg::Text(r.hash.clone()),
        Arg::Text(serde_json::to_string(&r.scopes)?),
        r.tier.into(),
        Arg::Text(serde_json::to_string(&r.limits)?),
        Arg::Text(m.created_at.clone()),
        r.expires_at_ms.map(time::fmt_ms).into(),
    ];
    Ok(Statement::new(
        "INSERT INTO api_keys (id, tenant_id, vendor_id, label, prefix, last_four, key_hash, scopes, tier, limits, \
         created_at, updated_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?11, ?)",
        args,
    ))
}

/// The key as its creator sees it once, secret included; `harvest_id` is its integer id (SPEC §9),
/// read in the batch that inserted it ([`harvest_ids::number_of`]).
pub fn created_json(m: &Minted, harvest_id: i64) -> Value {
    let r = &m.record;
    json!({
        "id": r.key_id,
        "harvest_id": harvest_id,
        "label": r.label,
        "key": m.secret,
        "prefix": KEY_PREFIX,
        "last_four": key_format::last_four(&m.secret),
        "scopes": r.scopes,
        "tier": r.tier,
        "limits": r.limits,
        "tenant_id": r.tenant_id,
        "vendor_id": r.vendor_id,
        "created_at": m.created_at,
        "expires_at": r.expires_at_ms.map(time::fmt_ms),
        "last_used_at": null,
    })
}

/// How keys appear in listings: never the secret or its hash.
pub static API_KEYS: Table = Table {
    list: ListSpec {
        table: "api_keys",
        scope: "tenant_id",
        json: "json_object('id', id, 'harvest_id', harvest_id, 'label', label, 'prefix', prefix, \
               'last_four', last_four, 'scopes', json(scopes), 'tier', tier, 'limits', json(limits), \
               'created_at', created_at, \
               'updated_at', updated_at, 'expires_at', expires_at, 'last_used_at', last_used_at, \
               'revoked_at', revoked_at)",
        filters: &[],
        date_column: None,
    },
    noun: Noun::ApiKey,
    unique_field: "id",
    created_event: None,
    updated_event: None,
    referenced_by: &[],
};

/// Who a key belongs to, and so its tier and ceiling of limits.
pub enum Owner {
    Tenant(String),
    Vendor(String),
}

/// The tier and limits of a key's owner, or `None` if the owner does not exist.
pub async fn owner_plan(db: &impl Database, owner: &Owner) -> ApiResult<Option<(Tier, Limits)>> {
    let (table, id) = match owner {
        Owner::Tenant(id) => ("tenants", id),
        Owner::Vendor(id) => ("vendors", id),
    };
    let sql = format!("SELECT tier, limits FROM {table} WHERE id = ? AND deleted_at IS NULL");
    #[derive(serde::Deserialize)]
    struct Plan {
        tier: Tier,
        #[serde(deserialize_with = "db::json_text")]
        limits: Limits,
    }
    let plan: Option<Plan> = db.first(&sql, &[id.as_str().into()]).await?;
    Ok(plan.map(|p| (p.tier, p.limits)))
}

/// Records a minted key's listing row; returns its integer id (SPEC §9), read in the same batch.
pub async fn record(db: &impl Database, m: &Minted) -> ApiResult<i64> {
    let number = harvest_ids::number_of(Kind::ApiKeys, &m.record.key_id);
    let written = db::write(db, vec![insert_stmt(m)?, number], "id").await?;
    Ok(harvest_ids::number_read(written.into_iter().nth(1))?)
}

/// Mints a key for `owner`: the D1 row, then the KV record (undoing the row if KV fails).
/// Returns its id and the key as its creator sees it once.
pub async fn create(env: &Env, db: &impl Database, new: NewKey, now_ms: i64) -> ApiResult<(String, Value)> {
    let minted = mint(new, now_ms)?;
    let harvest_id = record(db, &minted).await?;
    if let Err(e) = keys::store(env, &minted.record, now_ms).await {
        let undo = Statement::new("DELETE FROM api_keys WHERE id = ?", [Arg::Text(minted.record.key_id.clone())]);
        let _ = db.batch(vec![undo]).await;
        return Err(e);
    }
    Ok((minted.record.key_id.clone(), created_json(&minted, harvest_id)))
}

/// Revokes a tenant's key: first in its gate (the truth, effective on the very next request
/// everywhere), then the listing row (tombstone) and the KV record.
pub async fn revoke(env: &Env, db: &impl Database, tenant: &str, key_id: &str, now_ms: i64) -> ApiResult<String> {
    let sql = "SELECT key_hash FROM api_keys WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL";
    let Some(hash) = db::first_text(db, sql, &[tenant.into(), key_id.into()]).await? else {
        return Err(ApiError::not_found(Msg::NotFound(Noun::ApiKey)));
    };
    gate::revoke(env, key_id).await?;
    let now = time::fmt_ms(now_ms);
    let sql = "UPDATE api_keys SET revoked_at = ?1, deleted_at = ?1, updated_at = ?1 WHERE tenant_id = ?2 AND id = ?3 \
               RETURNING json_object('id', id, 'deleted', json('true'), 'deleted_at', deleted_at, 'revoked_at', revoked_at)";
    let tombstone = db::first_text(db, sql, &[now.into(), tenant.into(), key_id.into()]).await?;
    keys::forget(env, &hash).await;
    tombstone.ok_or_else(ApiError::internal)
}
