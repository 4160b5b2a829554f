//! When a failed delivery is tried again (SPEC §7): exponential backoff with jitter for at least
//! 24 hours. The default schedule is 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (about 27.6 h in
//! all); `WEBHOOK_RETRY_SCHEDULE` (comma-separated seconds) replaces it for local runs and tests.
//! Each delay becomes a Queue message delay, which Cloudflare caps at 12 hours.

/// The default delays, in seconds, after the 1st, 2nd, … failed attempt.
pub const DEFAULT: [u32; 7] = [5, 300, 1_800, 7_200, 18_000, 36_000, 36_000];

/// The longest delay a Queue message may be given (12 h).
pub const MAX_DELAY_SECONDS: u32 = 43_200;

/// Jitter spreads each delay over ±this fraction of it (1/10: ±10 %), so endpoints that failed
/// together are not retried together.
const JITTER_DIVISOR: u32 = 10;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    delays: Vec<u32>,
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule { delays: DEFAULT.to_vec() }
    }
}

impl Schedule {
    /// Reads `"5,300,1800"`: one or more whole seconds, each at most 12 h; `None` otherwise.
    pub fn parse(text: &str) -> Option<Schedule> {
        let delays = text
            .split(',')
            .map(|part| part.trim().parse::<u32>().ok().filter(|d| *d <= MAX_DELAY_SECONDS))
            .collect::<Option<Vec<u32>>>()?;
        (!delays.is_empty() && delays.len() <= 100).then_some(Schedule { delays })
    }

    /// The configured schedule: the variable's value when it reads, else the default (a
    /// misspelt override must not stop retries).
    pub fn from_setting(setting: Option<&str>) -> Schedule {
        setting.and_then(Schedule::parse).unwrap_or_default()
    }

    /// How many retries follow the first attempt.
    pub fn retries(&self) -> usize {
        self.delays.len()
    }

    /// The shortest total time the retries can span, jitter included (seconds).
    pub fn min_span_seconds(&self) -> u64 {
        self.delays.iter().map(|d| u64::from(d - d / JITTER_DIVISOR)).sum()
    }

    /// The delay before the next attempt once `attempts_made` attempts have failed, jittered
    /// by `random` (any value; uniform gives uniform jitter); `None` when the schedule is spent.
    pub fn next_delay(&self, attempts_made: u32, random: u32) -> Option<u32> {
        let base = *self.delays.get((attempts_made as usize).checked_sub(1)?)?;
        let spread = base / JITTER_DIVISOR;
        let jitter = random % (2 * spread + 1);
        Some((base - spread + jitter).min(MAX_DELAY_SECONDS))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_covers_at_least_24_hours_in_seven_retries() {
        let s = Schedule::default();
        assert_eq!(s.retries(), 7);
        assert!(s.min_span_seconds() >= 24 * 3600, "{}", s.min_span_seconds());
        for attempts in 1..=7 {
            for random in [0, 1, 7_777, u32::MAX] {
                assert!(s.next_delay(attempts, random).unwrap() <= MAX_DELAY_SECONDS);
            }
        }
    }

    #[test]
    fn delays_follow_the_schedule_within_ten_percent() {
        let s = Schedule::default();
        assert_eq!(s.next_delay(1, 0), Some(5));
        assert_eq!(s.next_delay(2, 0), Some(270));
        assert_eq!(s.next_delay(2, 60), Some(330));
        assert_eq!(s.next_delay(2, 61), Some(270));
        for random in 0..1_000 {
            let d = s.next_delay(6, random * 7_919).unwrap();
            assert!((32_400..=39_600).contains(&d), "{d}");
        }
    }

    #[test]
    fn jitter_actually_spreads_the_delays() {
        let s = Schedule::default();
        let distinct: std::collections::HashSet<u32> = (0..200).map(|r| s.next_delay(3, r * 31).unwrap()).collect();
        assert!(distinct.len() > 100, "{}", distinct.len());
    }

    #[test]
    fn spent_after_the_last_delay() {
        let s = Schedule::default();
        assert_eq!(s.next_delay(0, 0), None, "nothing failed yet");
        assert!(s.next_delay(7, 0).is_some());
        assert_eq!(s.next_delay(8, 0), None);
    }

    #[test]
    fn overrides_parse_and_fall_back_to_the_default() {
        let fast = Schedule::from_setting(Some("1, 1,2"));
        assert_eq!(fast.retries(), 3);
        assert_eq!(fast.next_delay(3, 12345), Some(2));
        assert_eq!(fast.next_delay(4, 0), None);
        for bad in ["", "1,,2", "x", "-1", "43201", "1.5"] {
            assert_eq!(Schedule::parse(bad), None, "{bad:?}");
            assert_eq!(Schedule::from_setting(Some(bad)), Schedule::default());
        }
        assert_eq!(Schedule::from_setting(None), Schedule::default());
        assert_eq!(Schedule::parse("0"), Some(Schedule { delays: vec![0] }));
    }
}
