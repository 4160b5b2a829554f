//! Time entries and attendance views (SPEC §6) as the API answers them.

use utoipa::openapi::schema::{OneOfBuilder, Schema, Type};

use super::super::dsl::{
    self, amount, array, count, date, describe, id, integer, object, one_of, or_null, reference, string, Obj,
};
use super::super::fields::read_props;
use super::common::approval;
use super::common::instant;
use super::work::resource;
use super::Registry;
use crate::domain::time_entries::{self, EntryStatus, BREAK, LOCATION, MAX_BATCH};

fn entry(reg: &mut Registry) {
    let b = read_props(object("A break inside a time entry; its time is not worked time."), BREAK.fields, reg);
    reg.add("Break", b);
    let point = read_props(object("A point on the ground, in degrees."), LOCATION.fields, reg);
    reg.add("Location", point);
    let e = resource(
        reg,
        "te",
        "Worked time of one worker: the half-open interval `[started_at, ended_at)` less its breaks. A worker's live \
         entries never overlap; a running entry (`ended_at: null`) reaches to the end of time.",
        time_entries::ENTRY,
        |o| {
            let o = o
                .prop(
                    "hours",
                    or_null(
                        describe(amount(), "Worked hours (breaks excluded), to 2 decimals; `null` while running.")
                            .build(),
                    ),
                )
                .prop("is_running", describe(dsl::boolean(), "Whether `ended_at` is `null`."))
                .prop(
                    "status",
                    describe(
                        one_of(EntryStatus::NAMES),
                        "Approval state; new entries are `pending`. `approved` entries are locked until un-approved.",
                    ),
                )
                .prop(
                    "outside_fence",
                    describe(dsl::boolean(), "Whether `clock_in_location` is outside the applicable geofence."),
                );
            approval(o).prop(
                "invoice_id",
                or_null(
                    describe(
                        id("inv"),
                        "The invoice that bills it; `null` until invoiced. An invoiced entry is locked.",
                    )
                    .build(),
                ),
            )
        },
    );
    reg.add("TimeEntry", e);
    batch_result(reg, "TimeEntry", "entries", MAX_BATCH);
}

/// `<data>BatchResult`: the outcome of one item of a batch of `list` (at most `max`): the
/// created object, or the error the item alone would have got.
pub fn batch_result(reg: &mut Registry, data: &str, list: &str, max: usize) {
    let index = || describe(integer(0, max as i64 - 1), &format!("The item's position in `{list}`, from 0."));
    let created = object("")
        .prop("index", index())
        .prop("status", dsl::constant(Type::Integer, 201))
        .prop("data", reference(data))
        .builder()
        .title(Some("Created"));
    let failed = object("")
        .prop("index", index())
        .prop("status", describe(integer(400, 599), "The status the item alone would have got."))
        .prop("error", reference("ErrorBody"))
        .builder()
        .title(Some("Failed"));
    let result = OneOfBuilder::new().item(created).item(failed).description(Some(format!(
        "The outcome of one item of a batch: the created `{data}`, or the error the item alone would have got."
    )));
    reg.add(&format!("{data}BatchResult"), Schema::OneOf(result.build()));
}

fn worker_block(description: &str) -> Obj {
    object(description).prop("worker_id", id("wkr")).prop("name", describe(string(), "The worker's name.")).prop(
        "timezone",
        describe(string(), "The IANA zone the worker's days are counted in: the site's, else the tenant's."),
    )
}

fn hours(description: &str) -> utoipa::openapi::schema::ObjectBuilder {
    describe(amount(), description)
}

fn views(reg: &mut Registry) {
    let session = object("")
        .prop("time_entry_id", id("te"))
        .prop("started_at", instant(""))
        .prop("ended_at", or_null(describe(dsl::date_time(), "`null` while running.").build()));
    let mark = object("")
        .prop("type", one_of(&["clock_in", "break_start", "break_end", "clock_out"]))
        .prop("at", instant(""))
        .prop("time_entry_id", id("te"));
    let totals = object("Running sessions and open breaks count up to now.")
        .prop("worked_hours", hours("Worked hours, breaks excluded, to 2 decimals."))
        .prop("break_hours", hours("Break hours, to 2 decimals."));
    let day = worker_block("One worker's day: the sessions (time entries) that began on it, in the worker's zone.")
        .prop(
            "status",
            describe(
                one_of(&["off", "working", "on_break"]),
                "`working` or `on_break` while a session runs, else `off`.",
            ),
        )
        .prop("sessions", array(session, "In start order.").build())
        .prop("breaks", array(reference("Break"), "Every break of these sessions.").build())
        .prop("timeline", array(mark, "Clock-ins, break starts and ends, and clock-outs, in time order.").build())
        .prop("totals", totals);
    reg.add("AttendanceWorkerDay", day);
    let on_day = object("Attendance on one local day.")
        .prop("date", date())
        .prop("workers", array(reference("AttendanceWorkerDay"), "").build());
    reg.add("AttendanceDay", on_day);
    let per_day = object("")
        .prop("date", date())
        .prop("worked_hours", hours("Worked hours of the sessions that began that day, to 2 decimals."))
        .prop("regular_hours", hours("Hours within the daily and weekly thresholds, to 2 decimals."))
        .prop("overtime_hours", hours("The rest, to 2 decimals."));
    let ranged = worker_block("")
        .prop("days", array(per_day, "Each day of the range with sessions, in date order.").build())
        .prop("total_hours", hours("Worked hours over the range, to 2 decimals."))
        .prop("days_present", describe(count(0), "Days with at least one session."));
    let range = object("Hours per local day over a range, per worker with at least one session in it.")
        .prop("start", date())
        .prop("end", date())
        .prop("workers", array(ranged, "").build());
    reg.add("AttendanceRange", range);
    let month = worker_block("")
        .prop("total_hours", hours("Worked hours in the month, to 2 decimals."))
        .prop("regular_hours", hours("Hours within the daily and weekly thresholds, to 2 decimals."))
        .prop("overtime_hours", hours("The rest, to 2 decimals."))
        .prop("days_present", describe(count(0), "Days with at least one session."))
        .prop("scheduled_days", describe(count(0), "Days on which a published shift of the worker starts."))
        .prop("absences", describe(count(0), "Scheduled days without any session."));
    let summary = object("One month of attendance, per live worker.")
        .prop("year", integer(2000, 2100))
        .prop("month", integer(1, 12))
        .prop("days_in_month", integer(28, 31))
        .prop("workers", array(month, "").build());
    reg.add("AttendanceSummary", summary);
}

pub fn add(reg: &mut Registry) {
    entry(reg);
    views(reg);
}
