//! What an endpoint subscribes to and the values its other fields take (SPEC §7): `events` is
//! a non-empty list of event names or `["*"]` alone (the field's declaration, `Kind::Names`
//! with [`ALL`] standing alone, enforces it). `ping` is not subscribable: it is sent
//! only by the endpoint's `test` route, whatever the endpoint subscribes to, so listing it
//! would promise deliveries that never come from anything else: it is `invalid` in `events`.

/// Delivery body formats.
pub const FORMATS: &[&str] = &["json", "slack"];
/// Endpoint statuses.
pub const STATUSES: &[&str] = &["enabled", "disabled"];
/// Longest Slack template.
pub const MAX_TEMPLATE: usize = 1000;
/// Longest description.
pub const MAX_DESCRIPTION: usize = 1000;
/// Why a tenant's `status: disabled` disabled the endpoint.
pub const DISABLED_BY_TENANT: &str = "disabled by the tenant";
/// Longest overlap of a rotated secret, in seconds.
pub const MAX_EXPIRE_PREVIOUS: i64 = 86_400;

/// In `events`, every event; listed only by itself.
pub const ALL: &str = "*";

/// What `events` may list: `*` and every event name but `ping` (a test keeps it in step with
/// [`crate::domain::events::Event`]).
pub const EVENTS: &[&str] = &[
    ALL,
    "time_entry.created",
    "time_entry.updated",
    "time_entry.approved",
    "time_entry.rejected",
    "time_entry.flagged_outside_fence",
    "time_entry.flagged_pinshot_low",
    "attendance.clock_in",
    "attendance.clock_out",
    "attendance.break_start",
    "attendance.break_end",
    "worker.created",
    "worker.updated",
    "job.created",
    "job.budget_threshold",
    "schedule.published",
    "payroll.export_completed",
    "expense.created",
    "expense.approved",
    "invoice.created",
    "invoice.paid",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::events::Event;

    #[test]
    fn subscribable_names_are_every_event_but_ping_and_star() {
        let names: Vec<&str> = Event::ALL.iter().filter(|e| **e != Event::Ping).map(|e| e.as_str()).collect();
        assert_eq!(EVENTS[0], ALL);
        assert_eq!(&EVENTS[1..], &names[..]);
    }
}
