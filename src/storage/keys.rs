//! API key records in KV (`KEYS`, hash → [`KeyRecord`]), fronted by a short-lived cache in
//! the isolate so a busy key costs no KV read on the hot path.

use std::cell::RefCell;
use std::collections::HashMap;

use worker::Env;

use crate::domain::keys::KeyRecord;
use crate::error::ApiResult;

/// How long an isolate trusts a cached record. Revocation does not wait for this: the
/// per-key Durable Object holds the truth (SPEC §2).
const CACHE_MS: i64 = 60_000;
const CACHE_MAX: usize = 10_000;

thread_local! {
    static CACHE: RefCell<HashMap<String, (KeyRecord, i64)>> = RefCell::new(HashMap::new());
}

fn kv_key(hash: &str) -> String {
    format!("key:{hash}")
}

fn remember(hash: &str, rec: &KeyRecord, now_ms: i64) {
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= CACHE_MAX {
            c.clear();
        }
        c.insert(hash.to_string(), (rec.clone(), now_ms));
    });
}

/// The record for a key hash: from the isolate cache, else KV.
pub async fn lookup(env: &Env, hash: &str, now_ms: i64) -> ApiResult<Option<KeyRecord>> {
    let cached = CACHE.with(|c| c.borrow().get(hash).filter(|(_, at)| now_ms - at < CACHE_MS).map(|(r, _)| r.clone()));
    if cached.is_some() {
        return Ok(cached);
    }
    let Some(text) = env.kv("KEYS")?.get(&kv_key(hash)).text().await? else {
        return Ok(None);
    };
    match serde_json::from_str::<KeyRecord>(&text) {
        Ok(rec) => {
            remember(hash, &rec, now_ms);
            Ok(Some(rec))
        }
        Err(e) => {
            worker::console_error!("unreadable key record: {e}");
            Ok(None)
        }
    }
}

/// Stores a new key's record (and caches it here, so this isolate sees it at once).
pub async fn store(env: &Env, rec: &KeyRecord, now_ms: i64) -> ApiResult<()> {
    let text = serde_json::to_string(rec)?;
    env.kv("KEYS")?.put(&kv_key(&rec.hash), text)?.execute().await?;
    remember(&rec.hash, rec, now_ms);
    Ok(())
}

/// Removes a key's record from KV and this isolate's cache. Other isolates may serve a
/// cached copy for up to a minute, which is why revocation itself lives in the key's gate.
pub async fn forget(env: &Env, hash: &str) {
    CACHE.with(|c| c.borrow_mut().remove(hash));
    if let Ok(kv) = env.kv("KEYS") {
        if let Err(e) = kv.delete(&kv_key(hash)).await {
            worker::console_error!("kv delete failed: {e}");
        }
    }
}
