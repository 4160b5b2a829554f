//! Signed download links (SPEC §6 exports): `…/download?expires=<unix>&signature=<hex>`, where
//! the signature is HMAC-SHA256 over the export id and the expiry with a server secret. A link
//! needs no key; it works until it expires (15 minutes after it was signed) and only for the
//! export it names: changing the id, the expiry or the signature makes it fail.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use super::ids::hex;

/// How long a link works after it is signed, in seconds.
pub const TTL_SECONDS: i64 = 15 * 60;

/// The secret links are signed with: `EXPORT_LINK_SECRET` when it is set, else one derived from
/// the operator token (a separate key for a separate purpose, so a `.dev.vars` made before
/// links existed still works); `None` when neither is set.
pub fn secret(link_secret: Option<&str>, operator_token: Option<&str>) -> Option<Vec<u8>> {
    match (link_secret.filter(|s| !s.is_empty()), operator_token.filter(|s| !s.is_empty())) {
        (Some(s), _) => Some(s.as_bytes().to_vec()),
        (None, Some(token)) => mac(token.as_bytes(), b"edgeclock export links v1").map(|m| m.to_vec()),
        (None, None) => None,
    }
}

pub(crate) fn mac(key: &[u8], message: &[u8]) -> Option<[u8; 32]> {
    let mut m = Hmac::<Sha256>::new_from_slice(key).ok()?;
    m.update(message);
    Some(m.finalize().into_bytes().into())
}

/// The hex signature of a link to `export_id` expiring at `expires` (unix seconds).
pub fn sign(secret: &[u8], export_id: &str, expires: i64) -> String {
    mac(secret, format!("{export_id}.{expires}").as_bytes()).map(|m| hex(&m)).unwrap_or_default()
}

/// The query of a link to `export_id` signed at `now_s`, and when it expires.
pub fn query(secret: &[u8], export_id: &str, now_s: i64) -> (String, i64) {
    let expires = now_s.saturating_add(TTL_SECONDS);
    (format!("expires={expires}&signature={}", sign(secret, export_id, expires)), expires)
}

/// Whether `signature` signs `export_id` with `expires`, and `expires` has not passed at `now_s`.
/// The comparison takes the same time wherever the signatures differ.
pub fn valid(secret: &[u8], export_id: &str, expires: i64, signature: &str, now_s: i64) -> bool {
    let expected = sign(secret, export_id, expires);
    let same: bool = expected.as_bytes().ct_eq(signature.as_bytes()).into();
    same && !expected.is_empty() && expires >= now_s
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_780_000_000;

    #[test]
    fn hmac_is_the_standard_one() {
        // RFC 4231, test case 2.
        let m = mac(b"Jefe", b"what do ya want for nothing?").unwrap();
        assert_eq!(hex(&m), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    #[test]
    fn a_link_works_for_fifteen_minutes() {
        let key = secret(Some("s3cret"), None).unwrap();
        let (q, expires) = query(&key, "exp_1", NOW);
        assert_eq!(expires, NOW + 900);
        let signature = q.split("signature=").nth(1).unwrap();
        assert_eq!(signature.len(), 64);
        assert!(valid(&key, "exp_1", expires, signature, NOW));
        assert!(valid(&key, "exp_1", expires, signature, NOW + 900));
        assert!(!valid(&key, "exp_1", expires, signature, NOW + 901), "expired");
    }

    #[test]
    fn any_change_breaks_it() {
        let key = secret(Some("s3cret"), None).unwrap();
        let expires = NOW + 900;
        let signature = sign(&key, "exp_1", expires);
        assert!(!valid(&key, "exp_2", expires, &signature, NOW), "another export");
        assert!(!valid(&key, "exp_1", expires + 3600, &signature, NOW), "a later expiry");
        let mut tampered = signature.clone().into_bytes();
        tampered[0] = if tampered[0] == b'0' { b'1' } else { b'0' };
        assert!(!valid(&key, "exp_1", expires, &String::from_utf8(tampered).unwrap(), NOW));
        assert!(!valid(&key, "exp_1", expires, "", NOW));
        assert!(!valid(&key, "exp_1", expires, &signature.to_uppercase(), NOW));
        let other = secret(Some("other"), None).unwrap();
        assert!(!valid(&other, "exp_1", expires, &signature, NOW), "another secret");
    }

    #[test]
    fn the_secret_falls_back_to_one_derived_from_the_operator_token() {
        let derived = secret(None, Some("op")).unwrap();
        assert_eq!(derived.len(), 32);
        assert_ne!(derived, b"op".to_vec());
        assert_eq!(secret(Some(""), Some("op")), Some(derived));
        assert_eq!(secret(Some("mine"), Some("op")), Some(b"mine".to_vec()));
        assert_eq!(secret(None, None), None);
    }
}
