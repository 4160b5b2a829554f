//! The signatures on every webhook delivery (SPEC §7), both schemes at once so receivers can
//! verify with the stock library of either:
//!
//! - Stripe's: `Edgeclock-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`,
//!   keyed by the secret's whole string (`whsec_…` included), as Stripe keys its own;
//! - Standard Webhooks': `webhook-id`, `webhook-timestamp` and
//!   `webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<t>.<body>")>`, keyed by the
//!   base64-decoded part of the secret after `whsec_`.
//!
//! During a rotation's overlap both the new and the previous secret sign: Stripe's header
//! carries two `v1=` entries, Standard Webhooks' two space-separated `v1,` entries. The
//! timestamp is the attempt's, so a retried delivery is signed afresh over the same bytes.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::domain::ids::hex;
use crate::domain::time::parse_instant;

/// The prefix of every signing secret.
pub const SECRET_PREFIX: &str = "whsec_";

/// HMAC-SHA256 of the concatenated `parts` under `key`. HMAC accepts a key of any length
/// (longer ones are hashed), so construction cannot fail; `None` only keeps that promise
/// visible without a panic path.
fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> Option<[u8; 32]> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).ok()?;
    for part in parts {
        mac.update(part);
    }
    Some(mac.finalize().into_bytes().into())
}

/// The secrets that sign a delivery made at `now_ms`: the endpoint's current one, then the
/// previous one while its overlap lasts (`expires_at` in the future).
pub fn active_secrets<'a>(
    current: &'a str,
    previous: Option<&'a str>,
    previous_expires_at: Option<&str>,
    now_ms: i64,
) -> Vec<&'a str> {
    let mut secrets = vec![current];
    let overlapping = previous_expires_at.and_then(|at| parse_instant(at, false)).is_some_and(|at| at > now_ms);
    if let (Some(previous), true) = (previous, overlapping) {
        secrets.push(previous);
    }
    secrets
}

/// Stripe's `t=<t>,v1=<hex>[,v1=<hex>]`: one `v1` per secret, keyed by its whole string.
pub fn stripe_header(secrets: &[&str], timestamp: i64, body: &[u8]) -> String {
    let t = timestamp.to_string();
    let mut header = format!("t={t}");
    for secret in secrets {
        if let Some(mac) = hmac_sha256(secret.as_bytes(), &[t.as_bytes(), b".", body]) {
            header.push_str(",v1=");
            header.push_str(&hex(&mac));
        }
    }
    header
}

/// The Standard Webhooks key of a secret: the base64 after `whsec_` (the prefix is optional,
/// as in the reference libraries). Our secrets always decode; anything else signs with its
/// raw bytes rather than not at all.
fn standard_key(secret: &str) -> Vec<u8> {
    let encoded = secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret);
    STANDARD.decode(encoded).unwrap_or_else(|_| encoded.as_bytes().to_vec())
}

/// Standard Webhooks' `v1,<base64>[ v1,<base64>]`: one entry per secret.
pub fn standard_signature(secrets: &[&str], id: &str, timestamp: i64, body: &[u8]) -> String {
    let t = timestamp.to_string();
    secrets
        .iter()
        .filter_map(|secret| hmac_sha256(&standard_key(secret), &[id.as_bytes(), b".", t.as_bytes(), b".", body]))
        .map(|mac| format!("v1,{}", STANDARD.encode(mac)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every header a delivery carries besides `Content-Type`, for one attempt at `timestamp`
/// (unix seconds): the event, both schemes' signatures and the Standard Webhooks id.
pub fn headers(
    secrets: &[&str],
    delivery_id: &str,
    event: &str,
    timestamp: i64,
    body: &[u8],
) -> Vec<(&'static str, String)> {
    vec![
        ("Edgeclock-Event", event.to_string()),
        ("Edgeclock-Signature", stripe_header(secrets, timestamp, body)),
        ("webhook-id", delivery_id.to_string()),
        ("webhook-timestamp", timestamp.to_string()),
        ("webhook-signature", standard_signature(secrets, delivery_id, timestamp, body)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Standard Webhooks specification's published test vector (the reference libraries
    /// all check it): secret, id, timestamp and body → this exact signature.
    #[test]
    fn standard_webhooks_published_test_vector() {
        let sig = standard_signature(
            &["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1_614_265_330,
            br#"{"test": 2432232314}"#,
        );
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        // The prefix is optional, as in the reference libraries.
        let bare = standard_signature(
            &["MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1_614_265_330,
            br#"{"test": 2432232314}"#,
        );
        assert_eq!(bare, sig);
    }

    /// HMAC-SHA256 itself, against RFC 4231 test case 2 (a key shorter than the block).
    #[test]
    fn hmac_matches_rfc_4231() {
        let mac = hmac_sha256(b"Jefe", &[b"what do ya want ", b"for nothing?"]).unwrap();
        assert_eq!(hex(&mac), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    /// Stripe's documented scheme: `signed_payload = "<t>.<body>"`, HMAC-SHA256 keyed by the
    /// endpoint secret's string, hex; `t=` first, then one `v1=` per secret. The expected hex
    /// was computed independently (Python's `hmac.new(secret.encode(), payload, sha256)`).
    #[test]
    fn stripe_scheme_signs_timestamp_dot_body_with_the_whole_secret() {
        let header = stripe_header(&["whsec_test_secret"], 1_614_265_330, br#"{"id":"evt_1"}"#);
        assert_eq!(header, "t=1614265330,v1=e135cdbed3dda004bf8a2fb350f2541d299393c770e0b9e6e319dc595e9072aa");
        let expected = hmac_sha256(b"whsec_test_secret", &[b"1614265330.{\"id\":\"evt_1\"}"]).unwrap();
        assert_eq!(header, format!("t=1614265330,v1={}", hex(&expected)));
    }

    #[test]
    fn both_secrets_sign_during_an_overlap() {
        let body = b"{}";
        let one = stripe_header(&["whsec_a"], 10, body);
        let two = stripe_header(&["whsec_a", "whsec_b"], 10, body);
        assert!(two.starts_with(&one), "{two}");
        assert_eq!(two.matches(",v1=").count(), 2);
        let std_two = standard_signature(&["whsec_AAAA", "whsec_BBBB"], "dlv_1", 10, body);
        let parts: Vec<&str> = std_two.split(' ').collect();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0], standard_signature(&["whsec_AAAA"], "dlv_1", 10, body));
        assert_eq!(parts[1], standard_signature(&["whsec_BBBB"], "dlv_1", 10, body));
    }

    #[test]
    fn the_previous_secret_signs_only_until_it_expires() {
        let now = parse_instant("2026-05-30T12:00:00Z", false).unwrap();
        let later = Some("2026-05-30T12:00:01Z");
        let earlier = Some("2026-05-30T12:00:00Z");
        assert_eq!(active_secrets("new", Some("old"), later, now), vec!["new", "old"]);
        assert_eq!(active_secrets("new", Some("old"), earlier, now), vec!["new"]);
        assert_eq!(active_secrets("new", Some("old"), None, now), vec!["new"]);
        assert_eq!(active_secrets("new", None, later, now), vec!["new"]);
    }

    #[test]
    fn headers_carry_the_delivery_id_event_and_one_timestamp() {
        let h = headers(&["whsec_AAAA"], "dlv_1", "ping", 42, b"{}");
        let get = |name: &str| h.iter().find(|(k, _)| *k == name).map(|(_, v)| v.as_str());
        assert_eq!(get("webhook-id"), Some("dlv_1"));
        assert_eq!(get("webhook-timestamp"), Some("42"));
        assert_eq!(get("Edgeclock-Event"), Some("ping"));
        assert!(get("Edgeclock-Signature").is_some_and(|s| s.starts_with("t=42,v1=")));
        assert!(get("webhook-signature").is_some_and(|s| s.starts_with("v1,")));
    }
}
