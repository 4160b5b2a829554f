//! Minting API keys: the secret (shown once), its KV record, and the D1 listing row
//! (id, label, prefix, last four, scopes, tier, dates; never the secret).

use serde_json::{json, Value};
use worker::D1Database;

use crate::domain::keys::{self, KeyRecord, KEY_PREFIX};
use crate::domain::listing::Arg;
use crate::domain::tenants::Limits;
use crate::domain::{ids, time};
use crate::error::{ApiError, ApiResult};
use crate::storage::d1;

pub struct NewKey {
    pub tenant_id: Option<String>,
    pub vendor_id: Option<String>,
    pub label: String,
    pub scopes: Vec<String>,
    pub tier: String,
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
    let secret = keys::generate_key().ok_or_else(ApiError::internal)?;
    let record = KeyRecord {
        key_id: ids::new_id("key", now_ms as u64),
        tenant_id: new.tenant_id,
        vendor_id: new.vendor_id,
        label: new.label,
        scopes: new.scopes,
        tier: new.tier,
        limits: new.limits,
        expires_at_ms: new.expires_at_ms,
        hash: keys::hash_hex(&secret),
    };
    Ok(Minted { record, secret, created_at: time::fmt_ms(now_ms) })
}

/// The listing row for a minted key.
pub fn insert_stmt(db: &D1Database, m: &Minted) -> ApiResult<worker::D1PreparedStatement> {
    let r = &m.record;
    let args = [
        Arg::Text(r.key_id.clone()),
        r.tenant_id.clone().into(),
        r.vendor_id.clone().into(),
        Arg::Text(r.label.clone()),
        KEY_PREFIX.into(),
        keys::last_four(&m.secret).into(),
        Arg::Text(r.hash.clone()),
        Arg::Text(serde_json::to_string(&r.scopes)?),
        Arg::Text(r.tier.clone()),
        Arg::Text(serde_json::to_string(&r.limits)?),
        Arg::Text(m.created_at.clone()),
        r.expires_at_ms.map(time::fmt_ms).into(),
    ];
    d1::stmt(
        db,
        "INSERT INTO api_keys (id, tenant_id, vendor_id, label, prefix, last_four, key_hash, scopes, tier, limits, \
         created_at, updated_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?11, ?)",
        &args,
    )
}

/// The key as its creator sees it once, secret included.
pub fn created_json(m: &Minted) -> Value {
    let r = &m.record;
    json!({
        "id": r.key_id,
        "label": r.label,
        "key": m.secret,
        "prefix": KEY_PREFIX,
        "last_four": keys::last_four(&m.secret),
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
