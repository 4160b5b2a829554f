//! The wire format between a request and its key's `KeyGate` Durable Object: one line of
//! text each way, so the hot path spends nothing on JSON.
//!
//! Reply: a verdict line — `ok <limit> <remaining> <reset>`, `limited <limit> <remaining>
//! <reset> <retry_after>`, or `revoked` — then, when the request carried an idempotency key
//! and passed, a claim line (`run`, `inflight`, `mismatch`, `replay`) and for `replay` the
//! stored response as JSON on the third line.

use super::idempotency::{Claim, Stored};
use super::rate::Decision;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Pass(Decision),
    Limited(Decision),
    Revoked,
}

pub fn format(v: &Verdict) -> String {
    match v {
        Verdict::Pass(d) => format!("ok {} {} {}", d.limit, d.remaining, d.reset),
        Verdict::Limited(d) => format!("limited {} {} {} {}", d.limit, d.remaining, d.reset, d.retry_after),
        Verdict::Revoked => "revoked".to_string(),
    }
}

pub fn parse(line: &str) -> Option<Verdict> {
    let mut it = line.split(' ');
    let kind = it.next()?;
    if kind == "revoked" {
        return Some(Verdict::Revoked);
    }
    let limit = it.next()?.parse().ok()?;
    let remaining = it.next()?.parse().ok()?;
    let reset = it.next()?.parse().ok()?;
    match kind {
        "ok" => Some(Verdict::Pass(Decision { allowed: true, limit, remaining, reset, retry_after: 0 })),
        "limited" => {
            let retry_after = it.next()?.parse().ok()?;
            Some(Verdict::Limited(Decision { allowed: false, limit, remaining, reset, retry_after }))
        }
        _ => None,
    }
}

/// The whole reply: verdict and, if asked for, the idempotency claim.
pub fn format_reply(v: &Verdict, claim: Option<&Claim>) -> String {
    let mut out = format(v);
    match claim {
        None => {}
        Some(Claim::Run) => out.push_str("\nrun"),
        Some(Claim::InFlight) => out.push_str("\ninflight"),
        Some(Claim::Mismatch) => out.push_str("\nmismatch"),
        Some(Claim::Replay(stored)) => {
            out.push_str("\nreplay\n");
            out.push_str(&serde_json::to_string(stored).unwrap_or_default());
        }
    }
    out
}

pub fn parse_reply(text: &str) -> Option<(Verdict, Option<Claim>)> {
    let mut lines = text.splitn(3, '\n');
    let verdict = parse(lines.next()?)?;
    let claim = match lines.next() {
        None => None,
        Some("run") => Some(Claim::Run),
        Some("inflight") => Some(Claim::InFlight),
        Some("mismatch") => Some(Claim::Mismatch),
        Some("replay") => Some(Claim::Replay(serde_json::from_str::<Stored>(lines.next()?).ok()?)),
        Some(_) => return None,
    };
    Some((verdict, claim))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let d = Decision { allowed: true, limit: 300, remaining: 299, reset: 1_800_000_060, retry_after: 0 };
        for v in
            [Verdict::Pass(d), Verdict::Limited(Decision { allowed: false, retry_after: 7, ..d }), Verdict::Revoked]
        {
            assert_eq!(parse(&format(&v)), Some(v));
        }
        assert_eq!(parse("ok 1 2"), None);
        let stored = Stored {
            status: 201,
            request_id: "r".into(),
            content_type: "application/json".into(),
            content_language: "en".into(),
            body: "{\"a\":\"x\\ny\"}".into(),
        };
        for claim in [None, Some(Claim::Run), Some(Claim::InFlight), Some(Claim::Mismatch), Some(Claim::Replay(stored))]
        {
            let text = format_reply(&Verdict::Pass(d), claim.as_ref());
            assert_eq!(parse_reply(&text), Some((Verdict::Pass(d), claim)));
        }
        assert_eq!(parse("maybe 1 2 3"), None);
    }
}
