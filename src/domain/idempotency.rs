//! Idempotency keys (SPEC §4): which requests they apply to, how a request is fingerprinted,
//! and the claim state machine the per-key Durable Object runs, so that under any number of
//! concurrent duplicates the effect happens exactly once.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// How long an in-flight claim blocks duplicates before it is presumed crashed.
pub const CLAIM_MS: i64 = 60_000;

/// The longest `Idempotency-Key` accepted.
pub const MAX_KEY: usize = 255;

/// A valid `Idempotency-Key`: 1–255 visible ASCII characters.
pub fn is_valid_key(k: &str) -> bool {
    !k.is_empty() && k.len() <= MAX_KEY && k.bytes().all(|b| (0x21..=0x7e).contains(&b))
}

/// The storage name of a key's record (the API key scoping is the Durable Object itself).
pub fn record_name(idempotency_key: &str) -> String {
    format!("idem:{}", super::ids::hex(&Sha256::digest(idempotency_key.as_bytes())))
}

/// What makes two requests "the same": method, path with query, and body bytes.
pub fn fingerprint(method: &str, path_and_query: &str, body: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(method.as_bytes());
    h.update([0]);
    h.update(path_and_query.as_bytes());
    h.update([0]);
    h.update(body);
    super::ids::hex(&h.finalize())
}

/// A response kept for replay, byte for byte.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stored {
    pub status: u16,
    pub request_id: String,
    pub content_type: String,
    pub content_language: String,
    pub body: String,
}

/// The record behind one idempotency key, as the gate keeps it in its storage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub fingerprint: String,
    /// Unix ms after which the record no longer counts.
    pub expires_at: i64,
    /// `None` while the first request is running.
    pub response: Option<Stored>,
    /// The object the first request wrote, for the audit entries of its replays. Absent from
    /// records kept before it was, hence the default.
    #[serde(default)]
    pub resource_id: Option<String>,
}

/// A finished request to answer again: its response, and the object it wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Replay {
    pub response: Stored,
    #[serde(deserialize_with = "Option::deserialize")]
    pub resource_id: Option<String>,
}

/// What a request holding an idempotency key should do (the gate's answer to a claim).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Claim {
    /// First of its kind (or the old record expired): run it, then complete or release.
    Run,
    /// The same request is still running: 409, retry later.
    InFlight,
    /// The key was used for a different request: 422.
    Mismatch,
    /// Already done: replay this response.
    Replay(Replay),
}

/// Decides a claim against the current record, returning the record to store if it changes.
pub fn claim(current: Option<&Record>, fingerprint: &str, now: i64) -> (Claim, Option<Record>) {
    match current.filter(|r| r.expires_at > now) {
        None => {
            let fresh = Record {
                fingerprint: fingerprint.to_string(),
                expires_at: now + CLAIM_MS,
                response: None,
                resource_id: None,
            };
            (Claim::Run, Some(fresh))
        }
        Some(r) if r.fingerprint != fingerprint => (Claim::Mismatch, None),
        Some(Record { response: Some(s), resource_id, .. }) => {
            (Claim::Replay(Replay { response: s.clone(), resource_id: resource_id.clone() }), None)
        }
        Some(_) => (Claim::InFlight, None),
    }
}

/// Whether an outcome is kept for replay: everything but server errors (SPEC §4).
pub fn is_stored(status: u16) -> bool {
    status < 500
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored() -> Stored {
        Stored {
            status: 201,
            request_id: "req_1".into(),
            content_type: "application/json".into(),
            content_language: "en".into(),
            body: "{}".into(),
        }
    }

    #[test]
    fn key_syntax() {
        assert!(is_valid_key("order-42"));
        assert!(is_valid_key(&"k".repeat(255)));
        assert!(!is_valid_key(&"k".repeat(256)));
        assert!(!is_valid_key(""));
        assert!(!is_valid_key("has space"));
        assert!(!is_valid_key("ключ"));
    }

    #[test]
    fn fingerprints_differ_by_method_path_and_body() {
        let a = fingerprint("POST", "/v1/workers", b"{}");
        assert_eq!(a, fingerprint("POST", "/v1/workers", b"{}"));
        assert_ne!(a, fingerprint("PATCH", "/v1/workers", b"{}"));
        assert_ne!(a, fingerprint("POST", "/v1/workers?x=1", b"{}"));
        assert_ne!(a, fingerprint("POST", "/v1/workers", b"{ }"));
    }

    #[test]
    fn claim_state_machine() {
        let (c, rec) = claim(None, "f1", 1000);
        assert_eq!(c, Claim::Run);
        let mut rec = rec.unwrap();
        assert_eq!(rec.expires_at, 1000 + CLAIM_MS);
        assert_eq!(claim(Some(&rec), "f1", 2000).0, Claim::InFlight);
        assert_eq!(claim(Some(&rec), "f2", 2000).0, Claim::Mismatch);
        // A crashed claim expires and the request may run again.
        assert_eq!(claim(Some(&rec), "f1", 1000 + CLAIM_MS).0, Claim::Run);
        rec.response = Some(stored());
        rec.resource_id = Some("wkr_1".into());
        rec.expires_at = 10_000;
        let replay = Replay { response: stored(), resource_id: Some("wkr_1".into()) };
        assert_eq!(claim(Some(&rec), "f1", 3000).0, Claim::Replay(replay));
        assert_eq!(claim(Some(&rec), "f2", 3000).0, Claim::Mismatch);
        // After the TTL the key executes anew.
        assert_eq!(claim(Some(&rec), "f1", 10_000).0, Claim::Run);
        assert!(is_stored(422) && is_stored(201) && !is_stored(500) && !is_stored(503));
    }

    #[test]
    fn records_kept_before_resource_ids_still_read() {
        let old = r#"{"fingerprint":"f1","expires_at":10000,"response":null}"#;
        let rec: Record = serde_json::from_str(old).unwrap();
        assert_eq!(rec.resource_id, None);
    }
}
