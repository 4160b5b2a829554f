//! The event names of SPEC §7: what the `events` outbox records (in the same D1 batch as the
//! change that caused it) and what webhook endpoints subscribe to.

use super::named::named;

named! {
    /// One kind of event. Every name SPEC §7 lists is here, including those of features not
    /// built yet (exports, expenses, invoices, `ping`), so subscriptions can be checked
    /// against the whole list.
    pub enum Event {
        TimeEntryCreated = "time_entry.created",
        TimeEntryUpdated = "time_entry.updated",
        TimeEntryApproved = "time_entry.approved",
        TimeEntryRejected = "time_entry.rejected",
        TimeEntryFlaggedOutsideFence = "time_entry.flagged_outside_fence",
        TimeEntryFlaggedPinshotLow = "time_entry.flagged_pinshot_low",
        AttendanceClockIn = "attendance.clock_in",
        AttendanceClockOut = "attendance.clock_out",
        AttendanceBreakStart = "attendance.break_start",
        AttendanceBreakEnd = "attendance.break_end",
        WorkerCreated = "worker.created",
        WorkerUpdated = "worker.updated",
        JobCreated = "job.created",
        /// A job first crossing 75, 100 or 110 % of its budget.
        JobBudgetThreshold = "job.budget_threshold",
        SchedulePublished = "schedule.published",
        PayrollExportCompleted = "payroll.export_completed",
        ExpenseCreated = "expense.created",
        ExpenseApproved = "expense.approved",
        InvoiceCreated = "invoice.created",
        InvoicePaid = "invoice.paid",
        /// Sent by `POST /v1/webhooks/{id}/test`, whatever the endpoint subscribes to.
        Ping = "ping",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_those_of_spec_section_7() {
        assert_eq!(Event::ALL.len(), 21);
        for e in Event::ALL {
            let name = e.as_str();
            assert!(*e == Event::Ping || name.split_once('.').is_some_and(|(a, b)| !a.is_empty() && !b.is_empty()));
            assert!(name.bytes().all(|b| b.is_ascii_lowercase() || b == b'.' || b == b'_'), "{name}");
        }
        assert_eq!(Event::JobBudgetThreshold.as_str(), "job.budget_threshold");
    }
}
