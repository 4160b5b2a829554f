//! `/v1/reports` (SPEC §6): job costing and the time report, over the entries whose local day
//! falls in `[from, to]` (approved and pending unless `status` says otherwise), as JSON in the
//! envelope or as a CSV attachment (`format=csv`, or `Accept: text/csv`).

use chrono::NaiveDate;
use serde_json::json;

use crate::domain::formats::{Format, Table};
use crate::domain::listing::{Filter, FilterKind, ListSpec, Query};
use crate::domain::params::{self, Param, ParamKind};
use crate::domain::reports::{self, GroupBy, Sums};
use crate::domain::time_entries::EntryStatus;
use crate::error::ApiResult;
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
#[cfg(not(target_arch = "wasm32"))]
use crate::pipeline::route_doc::{Media, QueryDoc};
use crate::pipeline::router::RouteDef;
use crate::route;
use crate::storage::counted::Counted;
use crate::storage::reports::{self as store, TenantContext};

const FROM: Param = Param::required("from", ParamKind::Date).doc("The first local day counted, `YYYY-MM-DD`.");
const TO: Param = Param::required("to", ParamKind::Date)
    .doc("The last local day counted (included), `YYYY-MM-DD`: not before `from`, at most 365 days after it (`422`).");
const FORMAT: Param = Param::optional("format", ParamKind::OneOf(Format::NAMES))
    .doc("`csv` answers a CSV attachment, `json` the envelope; without it the `Accept` header decides (JSON unless it prefers `text/csv`).");
const GROUP_BY: Param = Param::optional("group_by", ParamKind::OneOf(GroupBy::NAMES))
    .doc("What a row totals: each `worker`, `job`, `customer` (the job's) or `task` (`worker` by default).");

const JOB_COSTING: &[Param] = &[FROM, TO, FORMAT];
const TIME: &[Param] = &[FROM, TO, FORMAT, GROUP_BY];

/// The entry filters both reports take, as list filters over the counted entries.
pub static FILTERS: ListSpec = ListSpec {
    table: "time_entries",
    scope: "tenant_id",
    json: "",
    filters: &[
        Filter { param: "status", column: "te.status", kind: FilterKind::OneOf(EntryStatus::NAMES) },
        Filter { param: "worker_id", column: "te.worker_id", kind: FilterKind::Ids("wkr") },
        Filter { param: "job_id", column: "te.job_id", kind: FilterKind::Ids("job") },
    ],
    date_column: None,
};
const FILTER_NAMES: &[&str] = &["status", "worker_id", "job_id"];
/// What counts without a `status` filter.
const COUNTED_STATUSES: &str = "approved,pending";

/// A report's request, read and checked: what to count, and how to answer.
struct Request {
    counted: Counted,
    statuses: Vec<String>,
    format: Format,
    context: TenantContext,
}

/// Reads `own` and the filters (400 for anything else or any bad value), then the range (422).
async fn request(call: &Call<'_>, own: &[Param]) -> ApiResult<Request> {
    let q: &Query = &call.query;
    let mut allowed: Vec<&str> = own.iter().map(|p| p.name).collect();
    allowed.extend(FILTER_NAMES);
    q.only(&allowed)?;
    let day =
        |p: &Param| -> ApiResult<NaiveDate> { params::date(q, p)?.ok_or_else(|| crate::domain::listing::bad(p.name)) };
    let (from, to) = (day(&FROM)?, day(&TO)?);
    let format = Format::negotiate(params::one_of(q, &FORMAT)?, call.accept.as_deref());
    let status = q.get("status").unwrap_or(COUNTED_STATUSES);
    let mut conditions = Vec::new();
    for f in FILTERS.filters {
        let raw = if f.param == "status" { Some(status) } else { q.get(f.param) };
        if let Some(raw) = raw {
            conditions.push(crate::domain::filters::condition(f, raw)?);
        }
    }
    reports::check_range(from, to)?;
    let (db, tenant) = (call.db()?, call.tenant_id()?);
    let context = store::context(&db, tenant).await?;
    let counted = Counted { conditions, ..Counted::over(tenant, &context, from, to) };
    let mut statuses: Vec<String> = status.split(',').map(|s| s.trim().to_string()).collect();
    statuses.dedup();
    Ok(Request { counted, statuses, format, context })
}

/// The report as the client asked for it: a CSV attachment named `name`, or JSON holding the
/// rows beside what was counted and the totals.
fn answer(r: &Request, name: &str, table: Table, totals: Sums, extra: &[(&str, &str)]) -> Reply {
    let (from, to) = (r.counted.from.to_string(), r.counted.to.to_string());
    match r.format {
        Format::Csv => {
            let disposition = format!("attachment; filename=\"{name}-{from}-{to}.csv\"");
            Reply::raw(Format::Csv.content_type().into(), table.csv(), vec![("Content-Disposition", disposition)])
        }
        Format::Json => {
            let mut data = json!({
                "from": from,
                "to": to,
                "statuses": r.statuses,
                "currency": r.context.settings.currency,
                "rows": table.objects(),
                "totals": totals.totals(),
            });
            for (k, v) in extra {
                data[*k] = json!(v);
            }
            Reply::value(200, &data)
        }
    }
}

pub async fn job_costing(call: &Call<'_>) -> ApiResult<Reply> {
    let r = request(call, JOB_COSTING).await?;
    let rows = store::job_costing(&call.db()?, &r.counted).await?;
    let table = reports::job_table(&rows, &r.context.settings.currency);
    let totals = reports::total(rows.iter().map(|row| &row.sums));
    Ok(answer(&r, "job-costing", table, totals, &[]))
}

pub async fn time(call: &Call<'_>) -> ApiResult<Reply> {
    let group = params::one_of(&call.query, &GROUP_BY)?.unwrap_or(GroupBy::Worker);
    let r = request(call, TIME).await?;
    let rows = store::time(&call.db()?, &r.counted, group).await?;
    let table = reports::time_table(group, &rows, &r.context.settings.currency);
    let totals = reports::total(rows.iter().map(|row| &row.sums));
    let name = format!("time-by-{}", group.as_str());
    Ok(answer(&r, &name, table, totals, &[("group_by", group.as_str())]))
}

/// The routes this module serves.
pub static ROUTES: &[RouteDef] = &[
    route!(GET "/v1/reports/job-costing", Key, |call| job_costing(call), {
        id: "getJobCostingReport",
        tag: "Reports",
        summary: "Job costing",
        description: "Per job with counted entries: the hours and labour cost (hours times each worker's `pay_rate`, in the tenant's `currency`) of its entries whose local day falls in `from`…`to`, its budget, and `percent_used`: its whole-life `budget_used` percent as `GET /v1/jobs/{job_id}` shows it (of the budget's hours when it has them, else of its amount, 0–100 and beyond; `null` without a budget). Counted entries are live, ended, and `approved` or `pending` unless `status` says otherwise, filtered by `worker_id` and `job_id` (comma-separated values). An entry's local day is the day it started on in its site's zone, else its job's site's, else its worker's site's, else the tenant's. Rows are in job id order; `totals` sums them. JSON by default; `format=csv` (or `Accept: text/csv`) answers the rows as a CSV attachment (RFC 4180, header row, CRLF; a field starting with `=`, `+`, `-`, `@`, tab or CR is prefixed with `'`). `to` before `from`, or a range over 366 days, is `422`. Unknown or repeated parameters and bad values are `400`. Needs `read:reports`.",
        query: QueryDoc::list(&FILTERS).only(FILTER_NAMES).with(JOB_COSTING),
        ok: 200,
        response: "JobCostingReportResponse",
        media: Media::EnvelopeOrCsv("One record per row of `data.rows`, under a header row of its field names: `job_id`, `name`, `customer_id`, `status`, `hours`, `labor_cost`, `currency`, `entry_count`, `budget_hours`, `budget_amount`, `budget_currency`, `percent_used` (an empty field for `null`)."),
        errors: &[422],
    }),
    route!(GET "/v1/reports/time", Key, |call| time(call), {
        id: "getTimeReport",
        tag: "Reports",
        summary: "Time report",
        description: "Hours grouped by `group_by` — each worker, job, customer (the entry's job's) or task — of the entries whose local day falls in `from`…`to`: hours, billable hours, billable amount (billable hours times the task's `default_hourly_rate`, else the job's `hourly_rate`, else 0 — what an invoice import bills), labour cost (hours times each worker's `pay_rate`, in the tenant's `currency`) and the number of entries. Entries without a job, customer or task form the row whose id is `null`. Counted entries are live, ended, and `approved` or `pending` unless `status` says otherwise, filtered by `worker_id` and `job_id` (comma-separated values). An entry's local day is the day it started on in its site's zone, else its job's site's, else its worker's site's, else the tenant's. Rows are in id order; `totals` sums them. JSON by default; `format=csv` (or `Accept: text/csv`) answers the rows as a CSV attachment (RFC 4180, header row, CRLF; a field starting with `=`, `+`, `-`, `@`, tab or CR is prefixed with `'`). `to` before `from`, or a range over 366 days, is `422`. Unknown or repeated parameters and bad values are `400`. Needs `read:reports`.",
        query: QueryDoc::list(&FILTERS).only(FILTER_NAMES).with(TIME),
        ok: 200,
        response: "TimeReportResponse",
        media: Media::EnvelopeOrCsv("One record per row of `data.rows`, under a header row of its field names: the group's id (`worker_id`, `job_id`, `customer_id` or `task_id`), `name`, `hours`, `billable_hours`, `billable_amount`, `labor_cost`, `currency`, `entry_count` (an empty field for `null`)."),
        errors: &[422],
    }),
];
