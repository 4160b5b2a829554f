//! The protocol between a request and its key's `KeyGate` Durable Object (SPEC §2, §3, §4):
//! one typed message per call, each with its own path and its own typed reply, as JSON.
//!
//! Every message refuses unknown fields and requires every field (an optional value is sent
//! as `null`, never left out), so a field renamed on one side is a loud error — the gate
//! answers 400 and the caller a 500 `internal` — and never a silent default such as a limit
//! of 0 that would turn every request into a 429.
//!
//! | call | path | reply |
//! |---|---|---|
//! | [`CheckGroup`]: for each of a key's requests, revoked? within limits? and, for an idempotent write, run, wait or replay? | `/check` | [`CheckGroupReply`] |
//! | [`CompleteRequest`]: keep a claimed request's response for replay | `/complete` | [`Ack`] |
//! | [`ReleaseRequest`]: drop a claim after a server error | `/release` | [`Ack`] |
//! | [`RevokeRequest`]: refuse the key from now on | `/revoke` | [`Ack`] |

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::idempotency::{Claim, Stored};
use super::rate::Decision;
use super::tenants::Limits;

/// One call to the gate: where it goes and what it answers.
pub trait GateCall: Serialize + DeserializeOwned {
    /// The path of the object's URL this call is sent to.
    const PATH: &'static str;
    /// What the gate answers on success (status 200).
    type Reply: Serialize + DeserializeOwned;
}

/// Reads a message (a request in the gate, a reply in the worker); the error says which
/// field was unknown, missing or of the wrong type.
pub fn decode<T: DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    serde_json::from_str(text)
}

/// Writes a message.
pub fn encode<T: Serialize>(message: &T) -> Result<String, serde_json::Error> {
    serde_json::to_string(message)
}

/// The request header that carries a short message. A request body is a stream, and a
/// stream across the object boundary costs more than the whole check, so the hot call (a
/// check, about 120 bytes) travels in this header; a message that does not fit (a stored
/// response to keep) goes as the body.
pub const MESSAGE_HEADER: &str = "Edgeclock-Gate-Message";

/// Whether `text` can travel in [`MESSAGE_HEADER`]: short, and visible ASCII or space only
/// (JSON leaves non-ASCII characters raw, and a header value must not hold them).
pub fn fits_header(text: &str) -> bool {
    text.len() <= 2048 && text.bytes().all(|b| (0x20..0x7f).contains(&b))
}

/// An idempotency claim to take along with the check: the record name and fingerprint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimRequest {
    pub record: String,
    pub fingerprint: String,
}

/// Counts a request against the key's limits (unless the key is revoked) and, when `claim`
/// is given, claims its idempotency key — all in one round-trip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckRequest {
    /// The key whose `last_used_at` the gate copies to D1 now and then.
    pub key_id: String,
    pub limits: Limits,
    /// Required, `null` when the request holds no idempotency key.
    #[serde(deserialize_with = "Option::deserialize")]
    pub claim: Option<ClaimRequest>,
}

/// The checks of one key's requests that reached an isolate together, in arrival order:
/// the gate decides each in turn, exactly as if they had come one by one, in one call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckGroup {
    pub checks: Vec<CheckRequest>,
}

impl GateCall for CheckGroup {
    const PATH: &'static str = "/check";
    type Reply = CheckGroupReply;
}

/// One reply per check of a [`CheckGroup`], in the same order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckGroupReply {
    pub replies: Vec<CheckReply>,
}

/// What the gate decided about a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Admitted and counted; the figures are for the `X-RateLimit-*` headers.
    Pass(Decision),
    /// Over a limit: not counted; `retry_after` says for how long.
    Limited(Decision),
    /// The key was revoked.
    Revoked,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckReply {
    pub verdict: Verdict,
    /// The claim's outcome: `null` unless one was asked for and the request passed.
    #[serde(deserialize_with = "Option::deserialize")]
    pub claim: Option<Claim>,
}

/// Keeps the response of a claimed request for replay during `ttl_ms`, with the object it
/// wrote (for the audit entries of replays).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompleteRequest {
    pub record: String,
    pub ttl_ms: i64,
    pub response: Stored,
    /// Required, `null` when the request wrote no single object.
    #[serde(deserialize_with = "Option::deserialize")]
    pub resource_id: Option<String>,
}

impl GateCall for CompleteRequest {
    const PATH: &'static str = "/complete";
    type Reply = Ack;
}

/// Drops an unfinished claim, so that a retry may run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseRequest {
    pub record: String,
}

impl GateCall for ReleaseRequest {
    const PATH: &'static str = "/release";
    type Reply = Ack;
}

/// Marks the key revoked (`{}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevokeRequest {}

impl GateCall for RevokeRequest {
    const PATH: &'static str = "/revoke";
    type Reply = Ack;
}

/// The reply of a call that only has to be done (`{}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ack {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::idempotency::Replay;
    use serde_json::{json, Value};

    const LIMITS: Limits = Limits { per_second: 5, per_minute: 300, per_day: 50_000 };
    const PASS: Decision = Decision { allowed: true, limit: 300, remaining: 299, reset: 1_800_000_060, retry_after: 0 };

    fn stored() -> Stored {
        Stored {
            status: 201,
            request_id: "req_1".into(),
            content_type: "application/json; charset=utf-8".into(),
            content_language: "en".into(),
            body: "{\"a\":\"x\\ny\"}".into(),
        }
    }

    fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(message: &T) {
        let text = encode(message).unwrap();
        assert_eq!(&decode::<T>(&text).unwrap(), message, "{text}");
    }

    #[test]
    fn a_check_travels_in_the_header_a_stored_response_may_not() {
        let claim = ClaimRequest { record: "idem_a-b".into(), fingerprint: "f".repeat(64) };
        let check = CheckRequest { key_id: "key_0123456789abcdef".into(), limits: LIMITS, claim: Some(claim) };
        assert!(fits_header(&encode(&CheckGroup { checks: vec![check] }).unwrap()));
        let mut body = stored();
        body.body = "{\"name\":\"Zoë\"}".into();
        let complete = CompleteRequest { record: "r".into(), ttl_ms: 1, response: body, resource_id: None };
        assert!(!fits_header(&encode(&complete).unwrap()), "non-ASCII stays out of headers");
        assert!(!fits_header(&"a".repeat(2049)));
        assert!(!fits_header("a\u{7f}"));
    }

    /// `value` less `field` of the object at the JSON pointer `parent`.
    fn without(mut value: Value, parent: &str, field: &str) -> String {
        value.pointer_mut(parent).and_then(Value::as_object_mut).unwrap().remove(field).unwrap();
        value.to_string()
    }

    /// `value` with an unknown field added to the object at the JSON pointer `parent`.
    fn with_extra(mut value: Value, parent: &str) -> String {
        value.pointer_mut(parent).and_then(Value::as_object_mut).unwrap().insert("surprise".into(), json!(1));
        value.to_string()
    }

    fn complete() -> CompleteRequest {
        CompleteRequest { record: "r".into(), ttl_ms: 1, response: stored(), resource_id: Some("te_1".into()) }
    }

    fn check() -> CheckRequest {
        let claim = Some(ClaimRequest { record: "idem:ab".into(), fingerprint: "f1".into() });
        CheckRequest { key_id: "key_1".into(), limits: LIMITS, claim }
    }

    #[test]
    fn every_message_round_trips() {
        round_trip(&check());
        round_trip(&CheckRequest { claim: None, ..check() });
        let limited = Decision { allowed: false, remaining: 0, retry_after: 7, ..PASS };
        for verdict in [Verdict::Pass(PASS), Verdict::Limited(limited), Verdict::Revoked] {
            round_trip(&CheckReply { verdict, claim: None });
        }
        let replay = Replay { response: stored(), resource_id: Some("wkr_1".into()) };
        for claim in [Claim::Run, Claim::InFlight, Claim::Mismatch, Claim::Replay(replay)] {
            round_trip(&CheckReply { verdict: Verdict::Pass(PASS), claim: Some(claim) });
        }
        round_trip(&CompleteRequest {
            record: "idem:ab".into(),
            ttl_ms: 86_400_000,
            response: stored(),
            resource_id: None,
        });
        round_trip(&CheckGroup { checks: vec![check(), CheckRequest { claim: None, ..check() }] });
        let reply = CheckReply { verdict: Verdict::Revoked, claim: None };
        round_trip(&CheckGroupReply { replies: vec![reply.clone(), reply] });
        round_trip(&ReleaseRequest { record: "idem:ab".into() });
        round_trip(&RevokeRequest {});
        round_trip(&Ack {});
    }

    #[test]
    fn the_check_says_what_it_means() {
        let v: Value = serde_json::from_str(&encode(&CheckRequest { claim: None, ..check() }).unwrap()).unwrap();
        assert_eq!(
            v,
            json!({"key_id": "key_1", "limits": {"per_second": 5, "per_minute": 300, "per_day": 50_000}, "claim": null})
        );
        let reply = CheckReply { verdict: Verdict::Revoked, claim: None };
        assert_eq!(encode(&reply).unwrap(), r#"{"verdict":"revoked","claim":null}"#);
    }

    #[test]
    fn a_missing_field_is_an_error_not_a_default() {
        let request = serde_json::to_value(check()).unwrap();
        for (parent, field) in [
            ("", "key_id"),
            ("", "limits"),
            ("", "claim"),
            ("/limits", "per_second"),
            ("/limits", "per_minute"),
            ("/limits", "per_day"),
            ("/claim", "record"),
            ("/claim", "fingerprint"),
        ] {
            let text = without(request.clone(), parent, field);
            assert!(decode::<CheckRequest>(&text).is_err(), "{text} was accepted");
        }
        let complete = serde_json::to_value(complete()).unwrap();
        for (parent, field) in
            [("", "ttl_ms"), ("", "record"), ("", "resource_id"), ("/response", "status"), ("/response", "body")]
        {
            let text = without(complete.clone(), parent, field);
            assert!(decode::<CompleteRequest>(&text).is_err(), "{text} was accepted");
        }
        assert!(decode::<ReleaseRequest>("{}").is_err());
        assert!(decode::<CheckGroup>("{}").is_err());
        assert!(decode::<CheckGroupReply>("{}").is_err());
        let replay = Replay { response: stored(), resource_id: None };
        let reply = CheckReply { verdict: Verdict::Pass(PASS), claim: Some(Claim::Replay(replay)) };
        let reply = serde_json::to_value(reply).unwrap();
        for (parent, field) in [
            ("", "claim"),
            ("", "verdict"),
            ("/verdict/pass", "remaining"),
            ("/claim/replay", "resource_id"),
            ("/claim/replay/response", "request_id"),
        ] {
            let text = without(reply.clone(), parent, field);
            assert!(decode::<CheckReply>(&text).is_err(), "{text} was accepted");
        }
    }

    #[test]
    fn an_unknown_field_is_an_error() {
        let request = serde_json::to_value(check()).unwrap();
        for parent in ["", "/limits", "/claim"] {
            let text = with_extra(request.clone(), parent);
            assert!(decode::<CheckRequest>(&text).is_err(), "{text} was accepted");
        }
        // The old query-string names are not a message.
        assert!(decode::<CheckRequest>(r#"{"k": "key_1", "s": 5, "m": 300, "d": 50000}"#).is_err());
        let complete = serde_json::to_value(complete()).unwrap();
        for parent in ["", "/response"] {
            let text = with_extra(complete.clone(), parent);
            assert!(decode::<CompleteRequest>(&text).is_err(), "{text} was accepted");
        }
        assert!(decode::<RevokeRequest>(r#"{"now": true}"#).is_err());
        assert!(decode::<Ack>(r#"{"ok": true}"#).is_err());
        assert!(decode::<CheckGroup>(r#"{"checks": [], "key_id": "key_1"}"#).is_err());
        assert!(decode::<CheckReply>(r#"{"verdict": "maybe", "claim": null}"#).is_err());
        assert!(decode::<CheckReply>(r#"{"verdict": "revoked", "claim": "later"}"#).is_err());
    }

    #[test]
    fn each_call_has_its_own_path() {
        let paths = [CheckGroup::PATH, CompleteRequest::PATH, ReleaseRequest::PATH, RevokeRequest::PATH];
        for (i, p) in paths.iter().enumerate() {
            assert!(p.starts_with('/') && !paths[..i].contains(p), "{p}");
        }
    }
}
