//! Attendance views as pure functions over a worker's entries: sessions for overtime, the
//! worker's current state, the day's timeline, and local-day windows.

use serde::{Deserialize, Serialize};

use super::named::named;
use super::overtime::Session;
use super::time;
use super::time_entries::Break;

named! {
    /// Where a worker is right now: the `status` of the today board (SPEC §6).
    pub enum Presence {
        Off = "off",
        Working = "working",
        OnBreak = "on_break",
    }
}

named! {
    /// One kind of moment on a day's timeline.
    pub enum MarkKind {
        ClockIn = "clock_in",
        BreakStart = "break_start",
        BreakEnd = "break_end",
        ClockOut = "clock_out",
    }
}

/// One time entry as the views read it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct EntryRow {
    pub id: String,
    pub worker_id: String,
    pub started_at: String,
    pub ended_at: Option<String>,
    pub breaks: Vec<Break>,
}

fn ms(s: &str) -> i64 {
    time::parse_instant(s, false).unwrap_or(0)
}

impl EntryRow {
    /// The entry as a session; a running entry (or open break) counts up to `now_ms`.
    pub fn session(&self, now_ms: i64) -> Session {
        let end_ms = self.ended_at.as_deref().map_or(now_ms, ms);
        let break_ms =
            self.breaks.iter().map(|b| (b.ended_at.as_deref().map_or(end_ms, ms) - ms(&b.started_at)).max(0)).sum();
        Session { start_ms: ms(&self.started_at), end_ms: end_ms.max(ms(&self.started_at)), break_ms }
    }

    pub fn on_break(&self) -> bool {
        self.ended_at.is_none() && self.breaks.last().is_some_and(|b| b.ended_at.is_none())
    }
}

/// Off, working or on a break, from the worker's entries (any running one decides).
pub fn status(entries: &[&EntryRow]) -> Presence {
    match entries.iter().find(|e| e.ended_at.is_none()) {
        None => Presence::Off,
        Some(e) if e.on_break() => Presence::OnBreak,
        Some(_) => Presence::Working,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mark {
    #[serde(rename = "type")]
    pub kind: MarkKind,
    pub at: String,
    pub time_entry_id: String,
}

/// Clock-ins, breaks and clock-outs in time order.
pub fn timeline(entries: &[&EntryRow]) -> Vec<Mark> {
    let mut marks = Vec::new();
    for e in entries {
        let mark = |kind, at: &str| Mark { kind, at: at.to_string(), time_entry_id: e.id.clone() };
        marks.push(mark(MarkKind::ClockIn, &e.started_at));
        for b in &e.breaks {
            marks.push(mark(MarkKind::BreakStart, &b.started_at));
            if let Some(end) = &b.ended_at {
                marks.push(mark(MarkKind::BreakEnd, end));
            }
        }
        if let Some(end) = &e.ended_at {
            marks.push(mark(MarkKind::ClockOut, end));
        }
    }
    marks.sort_by(|a, b| a.at.cmp(&b.at));
    marks
}

/// Hours with two decimals.
pub fn hours(ms: i64) -> f64 {
    (ms as f64 / 36_000.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(start: &str, end: Option<&str>, breaks: &[(&str, Option<&str>)]) -> EntryRow {
        EntryRow {
            id: "te_1".into(),
            worker_id: "wkr_1".into(),
            started_at: start.into(),
            ended_at: end.map(Into::into),
            breaks: breaks
                .iter()
                .map(|(s, e)| Break { started_at: (*s).into(), ended_at: e.map(Into::into) })
                .collect(),
        }
    }

    #[test]
    fn kiosk_day() {
        let e = row(
            "2026-05-28T08:00:00Z",
            Some("2026-05-28T16:30:00Z"),
            &[("2026-05-28T12:00:00Z", Some("2026-05-28T12:30:00Z"))],
        );
        assert_eq!(hours(e.session(0).worked_ms()), 8.0);
        assert_eq!(status(&[&e]), Presence::Off);
        let kinds: Vec<_> = timeline(&[&e]).iter().map(|m| m.kind).collect();
        assert_eq!(kinds, MarkKind::ALL);
        let json = serde_json::to_value(&timeline(&[&e])[0]).unwrap();
        assert_eq!(json["type"], "clock_in");
    }

    #[test]
    fn running_and_on_break_count_to_now() {
        let now = time::parse_instant("2026-05-28T10:00:00Z", false).unwrap();
        let working = row("2026-05-28T08:00:00Z", None, &[]);
        assert_eq!(status(&[&working]), Presence::Working);
        assert_eq!(hours(working.session(now).worked_ms()), 2.0);
        let resting = row("2026-05-28T08:00:00Z", None, &[("2026-05-28T09:30:00Z", None)]);
        assert_eq!(status(&[&resting]), Presence::OnBreak);
        assert_eq!(hours(resting.session(now).worked_ms()), 1.5);
    }
}
