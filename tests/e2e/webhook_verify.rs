//! Receiver-side verification of edgeclock's webhook signatures, written from the two
//! published algorithms and nothing of the server's code (HMAC itself is RFC 2104 over SHA-256,
//! by hand):
//!
//! - Stripe (docs "Verify signatures manually"): split `Edgeclock-Signature` on `,`, take `t`
//!   and every `v1`; the expected signature is hex HMAC-SHA256 keyed by the endpoint secret
//!   over `"{t}.{raw body}"`; accept if any `v1` matches and `t` is within the tolerance.
//! - Standard Webhooks (spec, "Verifying webhook authenticity"): the signed content is
//!   `"{webhook-id}.{webhook-timestamp}.{raw body}"`, the key the base64 decoding of the secret
//!   after its `whsec_` prefix, the signature base64 HMAC-SHA256; `webhook-signature` is a
//!   space-delimited list of `v1,<signature>`; accept if any matches and the timestamp is
//!   within the tolerance.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use sha2::{Digest, Sha256};

/// Both references' default tolerance for the timestamp (5 minutes).
const TOLERANCE_SECONDS: i64 = 300;

/// HMAC-SHA256 (RFC 2104): H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m)), K padded to the 64-byte block.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.iter().map(|k| k ^ byte).collect::<Vec<u8>>();
    let inner = Sha256::new().chain_update(pad(0x36)).chain_update(message).finalize();
    Sha256::new().chain_update(pad(0x5c)).chain_update(inner).finalize().into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares without an early exit, as the reference libraries do.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn fresh(timestamp: i64) -> bool {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    (now - timestamp).abs() <= TOLERANCE_SECONDS
}

/// Stripe's scheme: whether `header` (`t=…,v1=…[,v1=…]`) signs `body` with `secret`.
pub fn stripe(header: &str, body: &[u8], secret: &str) -> bool {
    let mut t = None;
    let mut signatures = Vec::new();
    for element in header.split(',') {
        match element.split_once('=') {
            Some(("t", v)) => t = v.parse::<i64>().ok(),
            Some(("v1", v)) => signatures.push(v.to_string()),
            _ => {}
        }
    }
    let Some(t) = t else { return false };
    let mut payload = format!("{t}.").into_bytes();
    payload.extend_from_slice(body);
    let expected = hex(&hmac_sha256(secret.as_bytes(), &payload));
    fresh(t) && signatures.iter().any(|s| same(s.as_bytes(), expected.as_bytes()))
}

/// Standard Webhooks: whether the three headers sign `body` with `secret` (`whsec_…`).
pub fn standard(id: &str, timestamp: &str, signature: &str, body: &[u8], secret: &str) -> bool {
    let Ok(t) = timestamp.parse::<i64>() else { return false };
    let Ok(key) = STANDARD.decode(secret.strip_prefix("whsec_").unwrap_or(secret)) else { return false };
    let mut content = format!("{id}.{timestamp}.").into_bytes();
    content.extend_from_slice(body);
    let expected = STANDARD.encode(hmac_sha256(&key, &content));
    let listed = signature.split(' ').filter_map(|s| s.strip_prefix("v1,"));
    fresh(t) && listed.into_iter().any(|s| same(s.as_bytes(), expected.as_bytes()))
}

/// Both schemes on one received request.
pub fn both(r: &crate::receiver::Received, secret: &str) -> bool {
    stripe(r.header("Edgeclock-Signature"), &r.body, secret)
        && standard(r.id(), r.header("webhook-timestamp"), r.header("webhook-signature"), &r.body, secret)
}

#[test]
fn the_verifiers_accept_the_published_vectors() {
    // RFC 4231 test case 2, and the Standard Webhooks specification's test vector.
    assert_eq!(
        hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
    let key = STANDARD.decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    let sig = STANDARD.encode(hmac_sha256(&key, br#"msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}"#));
    assert_eq!(sig, "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    // A long key is hashed first (RFC 4231 test case 6).
    let long = hmac_sha256(&[0xaa; 131], b"Test Using Larger Than Block-Size Key - Hash Key First");
    assert_eq!(hex(&long), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}
