//! API key format and hashing (SPEC §2): `ec_live_` + 32 base62 characters from a CSPRNG,
//! stored only as a SHA-256 hash; comparisons in constant time.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

pub const KEY_PREFIX: &str = "ec_live_";
const SECRET_LEN: usize = 32;
const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Builds a key from random bytes by rejection sampling (no modulo bias). Returns `None`
/// when the bytes ran out before 32 characters were drawn; the caller draws more.
pub fn key_from_random(bytes: &[u8]) -> Option<String> {
    let mut key = String::with_capacity(KEY_PREFIX.len() + SECRET_LEN);
    key.push_str(KEY_PREFIX);
    for &b in bytes {
        if b < 248 {
            key.push(BASE62[(b % 62) as usize] as char);
            if key.len() == KEY_PREFIX.len() + SECRET_LEN {
                return Some(key);
            }
        }
    }
    None
}

/// A fresh API key from the platform CSPRNG; `None` only if the CSPRNG is unavailable.
pub fn generate_key() -> Option<String> {
    for _ in 0..8 {
        if let Some(k) = key_from_random(&super::ids::random_bytes::<64>()?) {
            return Some(k);
        }
    }
    None
}

/// Whether `s` has the exact shape of an API key (checked before any lookup).
pub fn is_well_formed(s: &str) -> bool {
    s.len() == KEY_PREFIX.len() + SECRET_LEN
        && s.starts_with(KEY_PREFIX)
        && s[KEY_PREFIX.len()..].bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Lower-case hex SHA-256 of a secret: the only form in which keys are stored.
pub fn hash_hex(secret: &str) -> String {
    super::ids::hex(&Sha256::digest(secret.as_bytes()))
}

/// Constant-time equality of two secrets of any length (compares their digests).
pub fn secrets_match(a: &str, b: &str) -> bool {
    let (da, db) = (Sha256::digest(a.as_bytes()), Sha256::digest(b.as_bytes()));
    da.ct_eq(&db).into()
}

/// The last four characters, shown in listings next to the prefix.
pub fn last_four(key: &str) -> &str {
    key.get(key.len().saturating_sub(4)..).unwrap_or("")
}

/// What KV holds for a key, under its hash: everything a request needs to authenticate and
/// be limited without touching D1.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct KeyRecord {
    pub key_id: String,
    /// The tenant the key belongs to (`None` for vendor keys).
    pub tenant_id: Option<String>,
    pub vendor_id: Option<String>,
    pub label: String,
    pub scopes: Vec<super::scopes::Scope>,
    pub tier: super::tenants::Tier,
    pub limits: super::tenants::Limits,
    /// Unix milliseconds after which the key is refused.
    pub expires_at_ms: Option<i64>,
    /// The stored hash, compared in constant time after the lookup.
    pub hash: String,
}

impl KeyRecord {
    pub fn is_expired(&self, now_ms: i64) -> bool {
        self.expires_at_ms.is_some_and(|t| now_ms >= t)
    }
}

/// The scopes of a tenant's first (owner) key: everything (SPEC §2).
pub const OWNER_SCOPES: &[super::scopes::Scope] = &[super::scopes::READ_ALL, super::scopes::WRITE_ALL];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_are_well_formed_and_distinct() {
        let a = generate_key().unwrap();
        let b = generate_key().unwrap();
        assert!(is_well_formed(&a), "{a}");
        assert_ne!(a, b);
        assert_eq!(last_four(&a).len(), 4);
    }

    #[test]
    fn rejection_sampling_skips_biased_bytes() {
        let mut bytes = vec![255u8; 10];
        bytes.extend(std::iter::repeat_n(1u8, 32));
        assert_eq!(key_from_random(&bytes).unwrap(), format!("ec_live_{}", "1".repeat(32)));
        assert_eq!(key_from_random(&[255u8; 64]), None);
    }

    #[test]
    fn malformed_keys_are_rejected() {
        assert!(!is_well_formed("ec_live_short"));
        assert!(!is_well_formed(&format!("ec_test_{}", "a".repeat(32))));
        assert!(!is_well_formed(&format!("ec_live_{}!", "a".repeat(31))));
    }

    #[test]
    fn hash_is_sha256_hex() {
        assert_eq!(hash_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert!(secrets_match("x", "x"));
        assert!(!secrets_match("x", "y"));
    }
}
