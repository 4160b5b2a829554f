//! Embed tokens (SPEC §6 positions): a browser cannot put a key on an `EventSource`, so a key
//! mints a short-lived, read-only token that `GET /v1/positions/live?token=` accepts and
//! nothing else does. A token is `ect_<payload>.<signature>`: the payload is base64url JSON
//! (tenant, minting key, expiry, worker and site filters), the signature HMAC-SHA256 over it
//! with a server secret. Nothing is stored: a token works until it expires (at most 24 h),
//! and altering any byte of it makes it fail.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use super::live::Filter;
use super::model::{field, FieldDef, Kind};

pub const PREFIX: &str = "ect_";
/// The longest a token may live, and the default.
pub const MAX_TTL_SECONDS: i64 = 86_400;
pub const DEFAULT_TTL_SECONDS: i64 = 3_600;
/// Most workers or sites one token may name.
pub const MAX_IDS: usize = 100;

/// The body of `POST /v1/positions/embed-tokens`.
pub const FIELDS: &[FieldDef] = &[
    field("ttl_seconds", Kind::Int(1, MAX_TTL_SECONDS)).doc("How long the token works, in seconds. Default 3600."),
    field("worker_ids", Kind::IdList("wkr", MAX_IDS))
        .doc("Only these workers' positions (each must be a live worker of the tenant). Default: all."),
    field("site_ids", Kind::IdList("site", MAX_IDS)).doc(
        "Only positions of workers assigned to these sites, and only these sites on the map (each must be a live \
         site of the tenant). Default: all.",
    ),
];

/// What a token grants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grant {
    #[serde(rename = "t")]
    pub tenant_id: String,
    /// The key that minted it (the audit log names it for each stream opened with the token).
    #[serde(rename = "k")]
    pub key_id: String,
    /// Unix seconds after which it is refused.
    #[serde(rename = "x")]
    pub expires_at: i64,
    #[serde(rename = "f", default)]
    pub filter: Filter,
}

/// The secret tokens are signed with: `EMBED_TOKEN_SECRET` when set, else one derived from the
/// operator token (as download links do); `None` when neither is set.
pub fn secret(token_secret: Option<&str>, operator_token: Option<&str>) -> Option<Vec<u8>> {
    match (token_secret.filter(|s| !s.is_empty()), operator_token.filter(|s| !s.is_empty())) {
        (Some(s), _) => Some(s.as_bytes().to_vec()),
        (None, Some(token)) => super::links::mac(token.as_bytes(), b"edgeclock embed tokens v1").map(|m| m.to_vec()),
        (None, None) => None,
    }
}

fn signature(secret: &[u8], payload: &str) -> String {
    super::links::mac(secret, payload.as_bytes()).map(|m| URL_SAFE_NO_PAD.encode(m)).unwrap_or_default()
}

/// The token for `grant`.
pub fn mint(secret: &[u8], grant: &Grant) -> String {
    let json = serde_json::to_string(grant).unwrap_or_default();
    let payload = URL_SAFE_NO_PAD.encode(json);
    let sig = signature(secret, &payload);
    format!("{PREFIX}{payload}.{sig}")
}

/// The grant of a token signed with `secret` that has not expired at `now_s`; `None` for
/// anything else. The signature comparison takes the same time wherever they differ.
pub fn verify(secret: &[u8], token: &str, now_s: i64) -> Option<Grant> {
    let (payload, sig) = token.strip_prefix(PREFIX)?.split_once('.')?;
    let expected = signature(secret, payload);
    let same: bool = expected.as_bytes().ct_eq(sig.as_bytes()).into();
    if !same || expected.is_empty() {
        return None;
    }
    let json = URL_SAFE_NO_PAD.decode(payload).ok()?;
    let grant: Grant = serde_json::from_slice(&json).ok()?;
    (grant.expires_at >= now_s).then_some(grant)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_780_000_000;

    fn grant() -> Grant {
        Grant {
            tenant_id: "ten_1".into(),
            key_id: "key_1".into(),
            expires_at: NOW + 600,
            filter: Filter { worker_ids: Some(vec!["wkr_a".into()]), site_ids: None },
        }
    }

    #[test]
    fn a_token_works_until_it_expires() {
        let key = secret(Some("s3cret"), None).unwrap();
        let token = mint(&key, &grant());
        assert!(token.starts_with("ect_"));
        assert_eq!(verify(&key, &token, NOW), Some(grant()));
        assert_eq!(verify(&key, &token, NOW + 600), Some(grant()));
        assert_eq!(verify(&key, &token, NOW + 601), None);
    }

    #[test]
    fn any_change_breaks_it() {
        let key = secret(Some("s3cret"), None).unwrap();
        let token = mint(&key, &grant());
        let other = secret(Some("other"), None).unwrap();
        assert_eq!(verify(&other, &token, NOW), None, "another secret");
        // A payload for another tenant under the old signature.
        let forged = Grant { tenant_id: "ten_2".into(), ..grant() };
        let (_, sig) = token.split_once('.').unwrap();
        let (payload, _) = mint(&key, &forged).split_once('.').map(|(p, s)| (p.to_string(), s.to_string())).unwrap();
        assert_eq!(verify(&key, &format!("{payload}.{sig}"), NOW), None);
        for bad in ["", "ect_", "ect_.", "key_abc", &token[..token.len() - 1], &token.replace("ect_", "ecx_")] {
            assert_eq!(verify(&key, bad, NOW), None, "{bad}");
        }
    }

    #[test]
    fn the_derived_secret_differs_from_the_operator_token() {
        let derived = secret(None, Some("op")).unwrap();
        assert_ne!(derived, b"op".to_vec());
        assert_eq!(secret(Some(""), None), None);
        assert_ne!(Some(derived), super::super::links::secret(None, Some("op")), "one key per purpose");
    }
}
