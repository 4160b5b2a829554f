//! Signing secrets (SPEC §7): `whsec_` + base64 of 24 bytes from the platform's CSPRNG, shown
//! once at creation and rotation. Stripe's scheme keys HMAC with the whole string, Standard
//! Webhooks with the decoded bytes after the prefix.

use base64::Engine;

use crate::domain::ids;

pub const PREFIX: &str = "whsec_";
/// Random bytes in a secret.
pub const BYTES: usize = 24;

/// A new secret; `None` only if the platform has no randomness to give.
pub fn generate() -> Option<String> {
    ids::random_bytes::<BYTES>().map(|b| format!("{PREFIX}{}", base64::engine::general_purpose::STANDARD.encode(b)))
}

/// Whether `s` has the shape of a secret this module generates.
pub fn is_secret(s: &str) -> bool {
    s.strip_prefix(PREFIX)
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .is_some_and(|bytes| bytes.len() == BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_have_the_documented_shape_and_differ() {
        let a = generate().unwrap();
        let b = generate().unwrap();
        assert!(is_secret(&a) && is_secret(&b), "{a}");
        assert_eq!(a.len(), PREFIX.len() + 32);
        assert_ne!(a, b);
        assert!(!is_secret("whsec_AAAA"));
        assert!(!is_secret("sk_live_abc"));
    }
}
