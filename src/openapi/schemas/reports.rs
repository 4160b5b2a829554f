//! Reports and payroll exports (SPEC §6) as the API answers them: the time and job-costing
//! reports with their rows, exports, and the payroll file's rows.

use utoipa::openapi::schema::Type;

use super::super::dsl::{self, amount, array, count, date, describe, id, object, one_of, or_null, reference, string};
use super::common::{harvest_id, instant};
use super::Registry;
use crate::domain::exports::ExportStatus;
use crate::domain::formats::Format;
use crate::domain::jobs::JobStatus;
use crate::domain::reports::GroupBy;
use crate::domain::time_entries::EntryStatus;

fn hours(what: &str) -> utoipa::openapi::schema::ObjectBuilder {
    describe(amount(), &format!("{what}, to 2 decimals."))
}

fn money(what: &str) -> utoipa::openapi::schema::ObjectBuilder {
    describe(count(0), &format!("{what}, in minor units of `currency`."))
}

/// What `billable_amount` is, in the time report's rows and totals.
const BILLABLE_AMOUNT: &str = "Billable hours times their billing rate (the task's `default_hourly_rate`, else the \
     job's `hourly_rate`, else 0), in minor units, rounded half to even: what an invoice import would bill for them \
     (it rounds once per line). Rates are in the customer's currency: group by `customer` to read amounts of one \
     currency.";

fn totals(reg: &mut Registry) {
    let t = object("The sums of every counted entry (not of the rounded rows).")
        .prop("hours", hours("Worked hours"))
        .prop("billable_hours", hours("Hours of billable entries"))
        .prop("billable_amount", describe(count(0), BILLABLE_AMOUNT))
        .prop("labor_cost", money("Hours times each worker's `pay_rate`"))
        .prop("entry_count", describe(count(0), "Counted entries."));
    reg.add("ReportTotals", t);
}

/// What both reports answer around their rows.
fn report(description: &str, row: &str) -> dsl::Obj {
    object(description)
        .prop("from", date())
        .prop("to", date())
        .prop(
            "statuses",
            array(one_of(EntryStatus::NAMES), "The statuses counted (`status`, else approved and pending).").build(),
        )
        .prop("currency", dsl::described_ref("Currency", "The tenant's currency (`settings.currency`)."))
        .prop("rows", array(reference(row), "In id order.").build())
        .prop("totals", reference("ReportTotals"))
}

fn time_report(reg: &mut Registry) {
    let group_id = |prefix: &str| or_null(id(prefix).build());
    let row = object(
        "One group of counted entries. Exactly one of the id fields is present: the one `group_by` names (`null` for \
         the entries without a job, customer or task).",
    )
    .optional("worker_id", group_id("wkr"))
    .optional("job_id", group_id("job"))
    .optional("customer_id", group_id("cus"))
    .optional("task_id", group_id("tsk"))
    .prop("name", or_null(describe(string(), "The group's name; `null` for the group without one.").build()))
    .prop("hours", hours("Worked hours"))
    .prop("billable_hours", hours("Hours of billable entries"))
    .prop("billable_amount", describe(count(0), BILLABLE_AMOUNT))
    .prop("labor_cost", money("Hours times each worker's `pay_rate`"))
    .prop("currency", reference("Currency"))
    .prop("entry_count", describe(count(1), "Counted entries in the group."));
    reg.add("TimeReportRow", row);
    let r = report("Hours per group over the local days `from`…`to`.", "TimeReportRow")
        .prop("group_by", one_of(GroupBy::NAMES));
    reg.add("TimeReport", r);
}

fn job_costing(reg: &mut Registry) {
    let row = object("One job with counted entries.")
        .prop("job_id", id("job"))
        .prop("name", string())
        .prop("customer_id", or_null(id("cus").build()))
        .prop("status", one_of(JobStatus::NAMES))
        .prop("hours", hours("Worked hours in the range"))
        .prop("labor_cost", money("Hours in the range times each worker's `pay_rate`"))
        .prop("currency", reference("Currency"))
        .prop("entry_count", describe(count(1), "Counted entries of the job."))
        .prop("budget_hours", or_null(describe(amount(), "The budget's hours, if any.").build()))
        .prop("budget_amount", or_null(describe(count(0), "The budget's amount, if any.").build()))
        .prop("budget_currency", or_null(describe(string(), "The budget amount's currency, if any.").build()))
        .prop(
            "percent_used",
            or_null(
                describe(
                    amount(),
                    "The job's whole-life `budget_used` percent (approved and pending entries, any day): of the \
                     budget's hours when it has them, else of its amount; `null` without a budget.",
                )
                .build(),
            ),
        );
    reg.add("JobCostingRow", row);
    reg.add(
        "JobCostingReport",
        report("Hours and labour cost per job over the local days `from`…`to`.", "JobCostingRow"),
    );
}

fn exports(reg: &mut Registry) {
    let e = object("A payroll export: computed off the request path, then downloadable through a signed link.")
        .prop("id", id("exp"))
        .prop("harvest_id", harvest_id())
        .prop("kind", dsl::constant(Type::String, "payroll"))
        .prop(
            "status",
            describe(
                one_of(ExportStatus::NAMES),
                "`queued` when created, `processing` once its computation started, then `completed` or `failed`.",
            ),
        )
        .prop("format", one_of(Format::NAMES))
        .prop("from", date())
        .prop("to", date())
        .prop(
            "row_count",
            or_null(describe(count(0), "Rows in the file (one per worker); set when `completed`.").build()),
        )
        .prop("error", or_null(describe(string(), "Why it `failed`; `null` otherwise.").build()))
        .prop("completed_at", or_null(describe(dsl::date_time(), "When it completed or failed.").build()))
        .prop("created_at", instant(""))
        .prop("updated_at", instant(""));
    reg.add("Export", e);
    let link = object("")
        .prop(
            "download_url",
            or_null(
                describe(
                    string(),
                    "When `completed`: an absolute URL that downloads the file with no key, valid 15 minutes (each \
                     read of the export signs a fresh one); `null` otherwise.",
                )
                .build(),
            ),
        )
        .prop("download_expires_at", or_null(describe(dsl::date_time(), "When `download_url` stops working.").build()));
    let detail = utoipa::openapi::schema::AllOfBuilder::new()
        .item(reference("Export"))
        .item(link)
        .description(Some("An export, with a fresh download link once it is completed."));
    reg.add("ExportDetail", utoipa::openapi::schema::Schema::AllOf(detail.build()));
    let row = object("One worker's pay over the export's local days, from approved entries only.")
        .prop("worker_id", id("wkr"))
        .prop("employee_code", string())
        .prop("name", string())
        .prop("regular_hours", hours("Hours within the tenant's daily and weekly overtime thresholds"))
        .prop("overtime_hours", hours("The rest"))
        .prop("total_hours", hours("Regular plus overtime hours"))
        .prop("pay_rate", or_null(describe(count(0), "The worker's `pay_rate` (minor units an hour).").build()))
        .prop(
            "gross_pay",
            money(
                "regular_hours × pay_rate + overtime_hours × pay_rate × `settings.overtime_multiplier`, half to even",
            ),
        )
        .prop("currency", reference("Currency"));
    reg.add("PayrollRow", row);
    reg.add(
        "PayrollFile",
        array(reference("PayrollRow"), "One row per worker with approved time, in worker id order.").build(),
    );
}

pub fn add(reg: &mut Registry) {
    totals(reg);
    time_report(reg);
    job_costing(reg);
    exports(reg);
}
