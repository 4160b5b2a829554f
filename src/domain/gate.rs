//! The wire format between a request and its key's `KeyGate` Durable Object: one line of
//! text each way, so the hot path spends nothing on JSON.
//!
//! Reply lines: `ok <limit> <remaining> <reset>`, `limited <limit> <remaining> <reset>
//! <retry_after>`, or `revoked`.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let d = Decision { allowed: true, limit: 300, remaining: 299, reset: 1_800_000_060, retry_after: 0 };
        for v in [Verdict::Pass(d), Verdict::Limited(Decision { allowed: false, retry_after: 7, ..d }), Verdict::Revoked] {
            assert_eq!(parse(&format(&v)), Some(v));
        }
        assert_eq!(parse("ok 1 2"), None);
        assert_eq!(parse("maybe 1 2 3"), None);
    }
}
