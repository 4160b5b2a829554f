//! Rate-limit windows (SPEC §3): fixed per-second, per-minute and per-day windows aligned to
//! the clock. A request passes only if every window has room, and only a passing request is
//! counted, so with N concurrent requests over a limit L exactly L pass.

use super::tenants::Limits;

const SECOND: i64 = 1_000;
const MINUTE: i64 = 60_000;
const DAY: i64 = 86_400_000;

/// One window: which period it is counting, and how many requests it has admitted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Window {
    pub period: i64,
    pub count: u32,
}

impl Window {
    fn current(&self, period: i64) -> u32 {
        if self.period == period {
            self.count
        } else {
            0
        }
    }
}

/// The counters of one key.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Counters {
    pub second: Window,
    pub minute: Window,
    pub day: Window,
}

/// What the gate decided, with the per-minute figures for the `X-RateLimit-*` headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    /// Unix seconds at which the minute window resets.
    pub reset: i64,
    /// Seconds until the blocking window resets (0 when allowed).
    pub retry_after: i64,
}

fn ceil_secs(ms: i64) -> i64 {
    ((ms + 999) / 1000).max(1)
}

impl Counters {
    /// Admits (and counts) a request at `now_ms`, or refuses it without counting.
    pub fn admit(&mut self, now_ms: i64, limits: &Limits) -> Decision {
        let (s, m, d) = (now_ms / SECOND, now_ms / MINUTE, now_ms / DAY);
        let used = [
            (self.second.current(s), limits.per_second, (s + 1) * SECOND),
            (self.minute.current(m), limits.per_minute, (m + 1) * MINUTE),
            (self.day.current(d), limits.per_day, (d + 1) * DAY),
        ];
        let reset = (m + 1) * MINUTE / 1000;
        // The longest blocking window decides how long to wait.
        let blocked = used.iter().filter(|(c, l, _)| c >= l).map(|(_, _, end)| *end).max();
        if let Some(end) = blocked {
            let minute_used = used[1].0;
            return Decision {
                allowed: false,
                limit: limits.per_minute,
                remaining: limits.per_minute.saturating_sub(minute_used),
                reset,
                retry_after: ceil_secs(end - now_ms),
            };
        }
        self.second = Window { period: s, count: used[0].0 + 1 };
        self.minute = Window { period: m, count: used[1].0 + 1 };
        self.day = Window { period: d, count: used[2].0 + 1 };
        Decision {
            allowed: true,
            limit: limits.per_minute,
            remaining: limits.per_minute.saturating_sub(self.minute.count),
            reset,
            retry_after: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STD: Limits = Limits { per_second: 5, per_minute: 300, per_day: 50_000 };

    #[test]
    fn exactly_the_limit_passes_in_one_second() {
        let mut c = Counters::default();
        let t = 1_800_000_000_500;
        let passed = (0..50).filter(|_| c.admit(t, &STD).allowed).count();
        assert_eq!(passed, 5);
        let d = c.admit(t, &STD);
        assert!(!d.allowed);
        assert_eq!(d.retry_after, 1);
        assert_eq!(d.remaining, 295);
        assert_eq!(d.reset, (t / 60_000 + 1) * 60);
        // The next second has room again.
        assert!(c.admit(t + 600, &STD).allowed);
    }

    #[test]
    fn minute_window_blocks_with_its_own_retry_after() {
        let lim = Limits { per_second: 100, per_minute: 3, per_day: 1000 };
        let mut c = Counters::default();
        let t = 1_800_000_000_000; // 20 s into a minute
        for i in 0..3 {
            assert!(c.admit(t + i * 1000, &lim).allowed);
        }
        let d = c.admit(t + 5_000, &lim);
        assert!(!d.allowed);
        assert_eq!(d.remaining, 0);
        assert_eq!(d.retry_after, (60_000 - (t + 5_000) % 60_000 + 999) / 1000);
    }

    #[test]
    fn day_window_outlasts_the_others() {
        let lim = Limits { per_second: 10, per_minute: 10, per_day: 2 };
        let mut c = Counters::default();
        let t = 1_800_000_000_000;
        assert!(c.admit(t, &lim).allowed);
        assert!(c.admit(t + 61_000, &lim).allowed);
        let d = c.admit(t + 122_000, &lim);
        assert!(!d.allowed);
        assert!(d.retry_after > 3600, "{}", d.retry_after);
    }

    #[test]
    fn refused_requests_are_not_counted() {
        let lim = Limits { per_second: 1, per_minute: 2, per_day: 100 };
        let mut c = Counters::default();
        let t = 1_800_000_000_000;
        assert!(c.admit(t, &lim).allowed);
        for _ in 0..10 {
            assert!(!c.admit(t, &lim).allowed);
        }
        assert!(c.admit(t + 1000, &lim).allowed, "refusals did not eat the minute budget");
    }
}
