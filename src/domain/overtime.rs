//! Worked time per local day and overtime (SPEC §6 attendance): days are calendar days in an
//! IANA zone (23 or 25 hours long across DST), a session belongs wholly to the day it began,
//! and overtime is time over the daily limit plus time over the weekly limit not already
//! counted as daily overtime.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Days, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Weekday};
use chrono_tz::Tz;

const HOUR: i64 = 3_600_000;
/// Instants are clamped to about ±250,000 years, well inside chrono's range.
const MAX_MS: i64 = 8_000_000_000_000_000;

/// The local calendar date of an instant in `tz`.
pub fn local_date(at_ms: i64, tz: Tz) -> NaiveDate {
    local_at(at_ms.clamp(-MAX_MS, MAX_MS), tz).map(|t| t.date()).unwrap_or_default()
}

fn local_at(ms: i64, tz: Tz) -> Option<NaiveDateTime> {
    DateTime::from_timestamp_millis(ms).map(|t| t.with_timezone(&tz).naive_local())
}

/// The first instant whose local time in `tz` is `local` or later: the earlier of two when
/// the clock was set back, the end of the gap when it was set forward over `local`.
fn first_at_or_after(local: NaiveDateTime, tz: Tz) -> i64 {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.timestamp_millis(),
        LocalResult::None => {
            // UTC offsets (LMT included) stay within ±16 h, so the answer is in this window;
            // bisect to the millisecond.
            let naive = local.and_utc().timestamp_millis();
            let (mut lo, mut hi) = (naive.saturating_sub(17 * HOUR), naive.saturating_add(17 * HOUR));
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if local_at(mid, tz).is_none_or(|t| t >= local) {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            hi
        }
    }
}

/// Start (inclusive) and end (exclusive) of a local day in unix ms. A day whose midnight was
/// skipped starts at its first valid instant; a day skipped entirely is empty.
pub fn day_bounds(date: NaiveDate, tz: Tz) -> (i64, i64) {
    let start = first_at_or_after(date.and_time(NaiveTime::MIN), tz);
    let end = match date.succ_opt() {
        Some(next) => first_at_or_after(next.and_time(NaiveTime::MIN), tz),
        None => start.saturating_add(24 * HOUR),
    };
    (start, end.max(start))
}

/// A worked interval and the total break time inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Session {
    pub start_ms: i64,
    pub end_ms: i64,
    pub break_ms: i64,
}

impl Session {
    /// Elapsed time less breaks, never negative.
    pub fn worked_ms(&self) -> i64 {
        self.end_ms.saturating_sub(self.start_ms).saturating_sub(self.break_ms.max(0)).max(0)
    }
}

/// Overtime limits (tenant-configurable) and the day weeks start on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rules {
    pub daily_hours: f64,
    pub weekly_hours: f64,
    pub week_start: Weekday,
}

impl Default for Rules {
    fn default() -> Self {
        Rules { daily_hours: 8.0, weekly_hours: 40.0, week_start: Weekday::Mon }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayTotals {
    pub date: NaiveDate,
    pub worked_ms: i64,
    pub regular_ms: i64,
    pub overtime_ms: i64,
}

/// Hours as ms; negative or NaN limits are 0, huge ones saturate.
fn hours_ms(h: f64) -> i64 {
    (h * HOUR as f64).round().max(0.0) as i64
}

/// The first day of the week holding `date`.
fn week_of(date: NaiveDate, start: Weekday) -> NaiveDate {
    let back = (date.weekday().num_days_from_monday() + 7 - start.num_days_from_monday()) % 7;
    date.checked_sub_days(Days::new(u64::from(back))).unwrap_or(NaiveDate::MIN)
}

/// Totals per local day that has sessions, by date: each session's worked time counts on the
/// local day (in `tz`) it began, then the rules of [`totals_by_day`] apply.
pub fn daily_totals(sessions: &[Session], tz: Tz, rules: &Rules) -> Vec<DayTotals> {
    let mut worked: BTreeMap<NaiveDate, i64> = BTreeMap::new();
    for s in sessions {
        let day = worked.entry(local_date(s.start_ms, tz)).or_insert(0);
        *day = day.saturating_add(s.worked_ms());
    }
    totals_by_day(worked, rules)
}

/// Regular and overtime time of each day from its worked time. Within each week, days are
/// walked in order: a day's regular time is its worked time up to the daily limit, and no
/// more than what is left of the weekly limit; the rest is overtime.
pub fn totals_by_day(worked: BTreeMap<NaiveDate, i64>, rules: &Rules) -> Vec<DayTotals> {
    let (daily, weekly) = (hours_ms(rules.daily_hours), hours_ms(rules.weekly_hours));
    let mut week = None;
    let mut week_regular = 0i64;
    worked
        .into_iter()
        .map(|(date, worked_ms)| {
            let this_week = week_of(date, rules.week_start);
            if week != Some(this_week) {
                week = Some(this_week);
                week_regular = 0;
            }
            let regular_ms = worked_ms.min(daily).min(weekly.saturating_sub(week_regular).max(0));
            week_regular = week_regular.saturating_add(regular_ms);
            DayTotals { date, worked_ms, regular_ms, overtime_ms: worked_ms - regular_ms }
        })
        .collect()
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub worked_ms: i64,
    pub regular_ms: i64,
    pub overtime_ms: i64,
    /// Days with at least one session (one per `DayTotals`).
    pub days_present: u32,
}

pub fn summarize(days: &[DayTotals]) -> Summary {
    days.iter().fold(Summary::default(), |s, d| Summary {
        worked_ms: s.worked_ms.saturating_add(d.worked_ms),
        regular_ms: s.regular_ms.saturating_add(d.regular_ms),
        overtime_ms: s.overtime_ms.saturating_add(d.overtime_ms),
        days_present: s.days_present.saturating_add(1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::{America, Asia, Europe, Pacific, UTC};

    const NY: Tz = America::New_York;
    const H: i64 = HOUR;
    const M: i64 = 60_000;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// A local wall-clock time (the earlier one if repeated).
    fn at(tz: Tz, date: NaiveDate, h: u32, mi: u32) -> i64 {
        let local = date.and_hms_opt(h, mi, 0).unwrap();
        tz.from_local_datetime(&local).earliest().unwrap().timestamp_millis()
    }

    fn utc(s: &str) -> i64 {
        DateTime::parse_from_rfc3339(s).unwrap().timestamp_millis()
    }

    fn span(tz: Tz, a: (NaiveDate, u32, u32), b: (NaiveDate, u32, u32), break_ms: i64) -> Session {
        Session { start_ms: at(tz, a.0, a.1, a.2), end_ms: at(tz, b.0, b.1, b.2), break_ms }
    }

    /// Consecutive days from `first`, one session per day from 08:00 UTC lasting `hours[i]`.
    fn run(first: NaiveDate, hours: &[f64], rules: &Rules) -> Vec<DayTotals> {
        let day = |i: usize| first.checked_add_days(Days::new(i as u64)).unwrap();
        let s = |(i, h): (usize, &f64)| {
            let start = at(UTC, day(i), 8, 0);
            Session { start_ms: start, end_ms: start + hours_ms(*h), break_ms: 0 }
        };
        daily_totals(&hours.iter().enumerate().map(s).collect::<Vec<_>>(), UTC, rules)
    }

    /// Mon 2026-03-02 onwards, default rules.
    fn week(hours: &[f64]) -> Vec<DayTotals> {
        run(d(2026, 3, 2), hours, &Rules::default())
    }

    /// (regular, overtime) per day in minutes.
    fn split(t: &[DayTotals]) -> Vec<(i64, i64)> {
        t.iter().map(|d| (d.regular_ms / M, d.overtime_ms / M)).collect()
    }

    #[test]
    fn daily_overtime() {
        let t = week(&[9.0]);
        let day = DayTotals { date: d(2026, 3, 2), worked_ms: 9 * H, regular_ms: 8 * H, overtime_ms: H };
        assert_eq!(t, [day]);
        let t = week(&[9.0; 5]);
        let sum = Summary { worked_ms: 45 * H, regular_ms: 40 * H, overtime_ms: 5 * H, days_present: 5 };
        assert_eq!(summarize(&t), sum);
        assert!(t.iter().all(|d| d.overtime_ms == H));
    }

    #[test]
    fn weekly_overtime() {
        let t = week(&[8.0; 6]);
        let sum = Summary { worked_ms: 48 * H, regular_ms: 40 * H, overtime_ms: 8 * H, days_present: 6 };
        assert_eq!(summarize(&t), sum);
        assert_eq!(split(&t)[5], (0, 480));
        // Daily overtime is not counted twice; the weekly cap can split a day.
        let t = week(&[9.0, 9.0, 9.0, 9.0, 10.0, 3.0]);
        assert_eq!(split(&t), [(480, 60), (480, 60), (480, 60), (480, 60), (480, 120), (0, 180)]);
        assert_eq!(split(&week(&[7.0; 6]))[5], (300, 120));
        // The next week starts afresh.
        assert_eq!(split(&week(&[8.0; 8]))[5..], [(0, 480), (0, 480), (480, 0)]);
    }

    #[test]
    fn week_start_changes_grouping() {
        // Sun 2026-03-01 .. Sat 2026-03-07, 8 h each.
        let sun = d(2026, 3, 1);
        let monday = summarize(&run(sun, &[8.0; 7], &Rules::default()));
        assert_eq!((monday.regular_ms, monday.overtime_ms), (48 * H, 8 * H));
        let t = run(sun, &[8.0; 7], &Rules { week_start: Weekday::Sun, ..Rules::default() });
        assert_eq!(summarize(&t).overtime_ms, 16 * H);
        assert_eq!(split(&t)[4..], [(480, 0), (0, 480), (0, 480)]);
        assert_eq!([week_of(sun, Weekday::Mon), week_of(sun, Weekday::Sun)], [d(2026, 2, 23), sun]);
        assert_eq!(week_of(d(2026, 3, 6), Weekday::Sat), d(2026, 2, 28));
    }

    #[test]
    fn custom_limits() {
        let rules = Rules { daily_hours: 7.5, weekly_hours: 30.0, week_start: Weekday::Mon };
        let t = run(d(2026, 3, 2), &[8.0; 5], &rules);
        assert_eq!(split(&t), [(450, 30), (450, 30), (450, 30), (450, 30), (0, 480)]);
        let none = Rules { daily_hours: f64::NAN, weekly_hours: -1.0, ..rules };
        assert_eq!(split(&run(d(2026, 3, 2), &[1.0], &none)), [(0, 60)]);
    }

    /// Asserts where a local day starts (RFC 3339), its length, and that `local_date` flips
    /// exactly at its bounds.
    fn bounds(tz: Tz, date: NaiveDate, start: &str, hours: i64) {
        let (a, b) = day_bounds(date, tz);
        assert_eq!((a, b - a), (utc(start), hours * H), "{date} in {tz}");
        assert_eq!([local_date(a - 1, tz), local_date(a, tz)], [date.pred_opt().unwrap(), date]);
        assert_eq!([local_date(b - 1, tz), local_date(b, tz)], [date, date.succ_opt().unwrap()]);
    }

    #[test]
    fn new_york_dst() {
        let rules = Rules::default();
        let spring = d(2026, 3, 8);
        bounds(NY, spring, "2026-03-08T05:00:00Z", 23);
        assert_eq!(local_date(utc("2026-03-08T07:00:00Z"), NY), spring); // 03:00 EDT, after the jump
        let t = daily_totals(&[span(NY, (spring, 0, 0), (spring, 23, 59), 0)], NY, &rules);
        let (regular_ms, overtime_ms) = (8 * H, 14 * H + 59 * M);
        let worked_ms = regular_ms + overtime_ms;
        assert_eq!(t, [DayTotals { date: spring, worked_ms, regular_ms, overtime_ms }]);
        let fall = d(2026, 11, 1);
        bounds(NY, fall, "2026-11-01T04:00:00Z", 25);
        assert_eq!(local_date(utc("2026-11-01T06:30:00Z"), NY), fall); // the second 01:30
        let t = daily_totals(&[span(NY, (fall, 0, 0), (fall, 23, 59), 0)], NY, &rules);
        assert_eq!(t[0].worked_ms, 24 * H + 59 * M);
        bounds(NY, d(2026, 7, 4), "2026-07-04T04:00:00Z", 24);
    }

    #[test]
    fn skipped_or_repeated_midnight() {
        // Santiago springs forward at midnight: 2026-09-06 starts at 01:00 local, 23 h long.
        let cl = America::Santiago;
        let (start, end) = day_bounds(d(2026, 9, 6), cl);
        assert_eq!(local_at(start, cl), d(2026, 9, 6).and_hms_opt(1, 0, 0));
        assert_eq!(local_date(start - 1, cl), d(2026, 9, 5));
        assert_eq!(end - start, 23 * H);
        assert_eq!(day_bounds(d(2026, 9, 5), cl).1, start);
        // Havana falls back 01:00 -> 00:00: midnight happens twice; the day starts at the first.
        let (start, end) = day_bounds(d(2026, 11, 1), America::Havana);
        assert_eq!((start, end - start), (utc("2026-11-01T04:00:00Z"), 25 * H));
        // Samoa skipped 2011-12-30 entirely: an empty day.
        let (start, end) = day_bounds(d(2011, 12, 30), Pacific::Apia);
        assert_eq!(start, end);
        assert_eq!(day_bounds(d(2011, 12, 29), Pacific::Apia).1, start);
        assert_eq!(local_date(start, Pacific::Apia), d(2011, 12, 31));
    }

    #[test]
    fn night_shift_belongs_to_its_start_day() {
        let (day, next) = (d(2026, 5, 12), d(2026, 5, 13));
        let s = span(NY, (day, 22, 0), (next, 6, 0), 30 * M);
        let t = daily_totals(&[s], NY, &Rules::default());
        let w = 7 * H + 30 * M;
        assert_eq!(t, [DayTotals { date: day, worked_ms: w, regular_ms: w, overtime_ms: 0 }]);
        // In UTC the same shift starts on the 13th.
        assert_eq!(daily_totals(&[s], UTC, &Rules::default())[0].date, next);
    }

    #[test]
    fn other_zones() {
        let mad = Europe::Madrid;
        bounds(mad, d(2026, 6, 16), "2026-06-15T22:00:00Z", 24); // CEST +2
        bounds(mad, d(2026, 1, 16), "2026-01-15T23:00:00Z", 24); // CET +1
        bounds(mad, d(2026, 3, 29), "2026-03-28T23:00:00Z", 23);
        bounds(mad, d(2026, 10, 25), "2026-10-24T22:00:00Z", 25);
        let kol = Asia::Kolkata;
        bounds(kol, d(2026, 1, 11), "2026-01-10T18:30:00Z", 24);
        assert_eq!(local_date(utc("2026-01-10T18:29:59.999Z"), kol), d(2026, 1, 10));
    }

    #[test]
    fn breaks_and_several_sessions() {
        let (a, b) = (d(2026, 4, 6), d(2026, 4, 7));
        let sessions = [
            span(UTC, (a, 8, 0), (a, 12, 0), 15 * M),
            span(UTC, (a, 13, 0), (a, 19, 0), 30 * M),
            span(UTC, (b, 9, 0), (b, 11, 0), 0),
            // Breaks longer than the session, or an inverted session, count as nothing.
            span(UTC, (b, 12, 0), (b, 13, 0), 2 * H),
            span(UTC, (b, 15, 0), (b, 14, 0), 0),
        ];
        let t = daily_totals(&sessions, UTC, &Rules::default());
        assert_eq!(split(&t), [(480, 75), (120, 0)]);
        assert_eq!(t[0].worked_ms, 9 * H + 15 * M);
        assert_eq!(summarize(&t).days_present, 2);
        let mut rev = sessions;
        rev.reverse();
        assert_eq!(daily_totals(&rev, UTC, &Rules::default()), t, "input order does not matter");
        assert!(daily_totals(&[], UTC, &Rules::default()).is_empty());
        assert_eq!(summarize(&[]), Summary::default());
    }

    #[test]
    fn extremes_do_not_panic() {
        let s = Session { start_ms: i64::MIN, end_ms: i64::MAX, break_ms: i64::MIN };
        assert_eq!(daily_totals(&[s], NY, &Rules::default())[0].worked_ms, i64::MAX);
        let _ = local_date(i64::MAX, NY);
        let _ = day_bounds(NaiveDate::MAX, NY);
        let _ = day_bounds(NaiveDate::MIN, Asia::Kolkata);
    }
}
