//! One delivery's life (SPEC §7): its status, the record of each attempt, and what an attempt's
//! result means — 2xx within the timeout is delivered; 410 fails the delivery and disables the
//! endpoint; anything else (another status, a timeout, a refused connection) is retried on the
//! schedule until it is spent, then the delivery has failed.

use serde::Serialize;

use super::schedule::Schedule;
use crate::domain::named::named;

named! {
    /// Where a delivery stands.
    pub enum DeliveryStatus {
        /// Not yet answered with a 2xx; an attempt is queued or due.
        Pending = "pending",
        Delivered = "delivered",
        /// The schedule is spent, or the endpoint answered 410.
        Failed = "failed",
    }
}

/// How long an attempt may take, connection to last byte of the response (SPEC §7).
pub const TIMEOUT_MS: i64 = 10_000;

/// How much of a response an attempt keeps (SPEC §7: the first 1 KB).
pub const RESPONSE_EXCERPT_BYTES: usize = 1024;

/// What an attempt got back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// A response: its status and the start of its body.
    Status { code: u16, body: String },
    /// No response: a timeout, a refused connection, a bad address.
    Error(String),
}

/// One attempt as the deliveries API shows it:
/// `{at, status_code | null, error | null, duration_ms, response_body}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attempt {
    pub at: String,
    pub status_code: Option<u16>,
    pub error: Option<String>,
    pub duration_ms: i64,
    pub response_body: Option<String>,
}

impl Attempt {
    pub fn new(at: String, duration_ms: i64, answer: &Answer) -> Attempt {
        let (status_code, error, response_body) = match answer {
            Answer::Status { code, body } => (Some(*code), None, Some(body.clone())),
            Answer::Error(message) => (None, Some(message.clone()), None),
        };
        Attempt { at, status_code, error, duration_ms: duration_ms.max(0), response_body }
    }
}

/// The first [`RESPONSE_EXCERPT_BYTES`] of a response body as text, cut at a character
/// boundary (bytes that are not UTF-8 are replaced).
pub fn excerpt(bytes: &[u8]) -> String {
    let head = &bytes[..bytes.len().min(RESPONSE_EXCERPT_BYTES)];
    let text = String::from_utf8_lossy(head);
    // A multi-byte character cut at the limit shows up as one trailing replacement; drop it.
    match (bytes.len() > RESPONSE_EXCERPT_BYTES, text.strip_suffix('\u{FFFD}')) {
        (true, Some(cut)) if std::str::from_utf8(head).is_err() => cut.to_string(),
        _ => text.into_owned(),
    }
}

/// What to do after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Delivered,
    /// 410 Gone: the delivery fails and the endpoint is disabled.
    Gone,
    /// Try again after this many seconds.
    Retry(u32),
    /// The schedule is spent.
    Failed,
}

impl Outcome {
    /// The delivery's status once this outcome is recorded.
    pub fn status(self) -> DeliveryStatus {
        match self {
            Outcome::Delivered => DeliveryStatus::Delivered,
            Outcome::Retry(_) => DeliveryStatus::Pending,
            Outcome::Gone | Outcome::Failed => DeliveryStatus::Failed,
        }
    }
}

/// The outcome of attempt number `attempt` (1-based, counted since the delivery was created or
/// last replayed) that got `answer`; `random` jitters a retry's delay.
pub fn classify(answer: &Answer, attempt: u32, schedule: &Schedule, random: u32) -> Outcome {
    match answer {
        Answer::Status { code: 200..=299, .. } => Outcome::Delivered,
        Answer::Status { code: 410, .. } => Outcome::Gone,
        _ => schedule.next_delay(attempt, random).map_or(Outcome::Failed, Outcome::Retry),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(code: u16) -> Answer {
        Answer::Status { code, body: String::new() }
    }

    #[test]
    fn two_hundreds_deliver_410_is_gone_the_rest_retry_then_fail() {
        let s = Schedule::parse("1,2").unwrap();
        for code in [200, 201, 204, 299] {
            assert_eq!(classify(&status(code), 1, &s, 0), Outcome::Delivered, "{code}");
        }
        assert_eq!(classify(&status(410), 1, &s, 0), Outcome::Gone);
        for answer in [status(500), status(404), status(301), status(199), Answer::Error("timed out".into())] {
            assert_eq!(classify(&answer, 1, &s, 0), Outcome::Retry(1), "{answer:?}");
            assert_eq!(classify(&answer, 2, &s, 0), Outcome::Retry(2));
            assert_eq!(classify(&answer, 3, &s, 0), Outcome::Failed);
        }
        assert_eq!(Outcome::Gone.status(), DeliveryStatus::Failed);
        assert_eq!(Outcome::Retry(1).status(), DeliveryStatus::Pending);
    }

    #[test]
    fn attempts_read_as_the_spec_shows_them() {
        let ok = Attempt::new("2026-05-30T14:23:11Z".into(), 35, &Answer::Status { code: 200, body: "ok".into() });
        assert_eq!(
            serde_json::to_value(&ok).unwrap(),
            serde_json::json!({"at": "2026-05-30T14:23:11Z", "status_code": 200, "error": null, "duration_ms": 35, "response_body": "ok"})
        );
        let timeout = Attempt::new("t".into(), -1, &Answer::Error("timed out after 10 s".into()));
        assert_eq!(
            serde_json::to_value(&timeout).unwrap(),
            serde_json::json!({"at": "t", "status_code": null, "error": "timed out after 10 s", "duration_ms": 0, "response_body": null})
        );
    }

    #[test]
    fn excerpts_keep_the_first_kilobyte_on_a_character_boundary() {
        assert_eq!(excerpt(b"short"), "short");
        let long = "a".repeat(2000);
        assert_eq!(excerpt(long.as_bytes()).len(), 1024);
        // 1023 ASCII bytes then a 2-byte character straddling the limit.
        let straddle = format!("{}é{}", "a".repeat(1023), "b".repeat(10));
        assert_eq!(excerpt(straddle.as_bytes()), "a".repeat(1023));
        // Invalid bytes inside the first kilobyte are replaced, not dropped.
        assert_eq!(excerpt(b"a\xffb"), "a\u{FFFD}b");
    }
}
