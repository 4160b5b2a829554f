//! `/v2/reports/time/team|clients|projects|tasks` (SPEC §9): `/v1`'s time report (the same
//! counted entries: approved and pending, by local day) grouped per user, client, project or
//! task, in Harvest's `results` list with integer ids.

use serde_json::{json, Value};

use crate::domain::harvest::paging::{self, ListPage};
use crate::domain::harvest::{unprocessable, wire};
use crate::domain::money;
use crate::domain::reports::{self, GroupBy, TimeRow};
use crate::error::ApiResult;
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
#[cfg(not(target_arch = "wasm32"))]
use crate::pipeline::route_doc::QueryDoc;
use crate::pipeline::router::RouteDef;
use crate::route;
use crate::storage::counted::Counted;
use crate::storage::{harvest_ids, reports as v1};

/// One Harvest report: what it groups by, the table its ids are in, and its field names.
struct Kind {
    group: GroupBy,
    kind: harvest_ids::Kind,
    id: &'static str,
    name: &'static str,
    path: &'static str,
}

const TEAM: Kind = Kind {
    group: GroupBy::Worker,
    kind: harvest_ids::Kind::Workers,
    id: "user_id",
    name: "user_name",
    path: "/v2/reports/time/team",
};
const CLIENTS: Kind = Kind {
    group: GroupBy::Customer,
    kind: harvest_ids::Kind::Customers,
    id: "client_id",
    name: "client_name",
    path: "/v2/reports/time/clients",
};
const PROJECTS: Kind = Kind {
    group: GroupBy::Job,
    kind: harvest_ids::Kind::Jobs,
    id: "project_id",
    name: "project_name",
    path: "/v2/reports/time/projects",
};
const TASKS: Kind = Kind {
    group: GroupBy::Task,
    kind: harvest_ids::Kind::Tasks,
    id: "task_id",
    name: "task_name",
    path: "/v2/reports/time/tasks",
};

fn date(call: &Call<'_>, name: &str) -> ApiResult<chrono::NaiveDate> {
    call.query.get(name).and_then(wire::parse_date).ok_or_else(|| unprocessable(name))
}

async fn report(call: &Call<'_>, kind: &Kind) -> ApiResult<Reply> {
    let (from, to) = (date(call, "from")?, date(call, "to")?);
    reports::check_range(from, to)?;
    let req = paging::request(&call.query)?;
    let (db, tenant) = (call.db()?, call.tenant_id()?);
    let context = v1::context(&db, tenant).await?;
    let mut counted = Counted::over(tenant, &context, from, to);
    counted.filter(&crate::handlers::reports::FILTERS.filters[0], "approved,pending")?;
    let rows: Vec<TimeRow> = v1::time(&db, &counted, kind.group).await?;
    let ids: Vec<String> = rows.iter().filter_map(|r| r.id.clone()).collect();
    let numbers = harvest_ids::harvest_ids(&db, kind.kind, &ids).await?;
    let currency = context.settings.currency.clone();
    let results: Vec<String> = rows
        .iter()
        .map(|r| {
            let n = r.id.as_ref().and_then(|id| numbers.get(id)).copied().unwrap_or(0);
            let mut o = json!({
                kind.id: n,
                kind.name: r.name.clone().unwrap_or_else(|| "(none)".into()),
                "total_hours": wire::hours(r.sums.seconds as i64),
                "billable_hours": wire::hours(r.sums.billable_seconds as i64),
                "currency": currency,
                "billable_amount": money::to_decimal(r.sums.billable_amount(), &currency),
            });
            if kind.group == GroupBy::Worker {
                o["is_contractor"] = Value::Bool(false);
            }
            o.to_string()
        })
        .collect();
    let total = results.len() as u64;
    let start = (req.offset() as usize).min(results.len());
    let end = (start + req.per_page as usize).min(results.len());
    let mut query = worker::url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in call.query.pairs().filter(|(k, _)| !["page", "per_page", paging::CEILING].contains(&k.as_str())) {
        query.append_pair(k, v);
    }
    let (query, base) = (query.finish(), format!("{}{}", call.origin, kind.path));
    let items = results[start..end].to_vec();
    let page = ListPage {
        name: "results",
        items,
        total_entries: total,
        request: req,
        ceiling: None,
        base: &base,
        query: &query,
    };
    Ok(Reply::ok(page.render()))
}

#[cfg(not(target_arch = "wasm32"))]
const PARAMS: &[crate::domain::params::Param] = &[
    crate::domain::params::Param::required("from", crate::domain::params::ParamKind::HarvestDate)
        .doc("The first local day (`YYYY-MM-DD`; `YYYYMMDD` is accepted too)."),
    crate::domain::params::Param::required("to", crate::domain::params::ParamKind::HarvestDate)
        .doc("The last local day (included), at most a year after `from`."),
    super::LIST_PARAMS[0],
    super::LIST_PARAMS[1],
];

#[cfg(not(target_arch = "wasm32"))]
const DESCRIPTION: &str = "Hours of approved and pending entries whose local day is in `from`–`to` (required, `YYYYMMDD` or `YYYY-MM-DD`, at most a year apart; 422 otherwise), one result per group with its integer id (`0` for entries without one). `billable_amount` is the billable hours at their billing rates (the task's `default_hourly_rate`, else the project's `hourly_rate`), a decimal in `currency` (the account's). Needs `read:reports`.";

/// The routes this module serves.
pub static ROUTES: &[RouteDef] = &[
    route!(GET "/v2/reports/time/team", Key, |call| report(call, &TEAM), {
        id: "harvestTimeReportTeam", tag: "Harvest v2", summary: "Time report per user",
        description: DESCRIPTION, query: QueryDoc::params(PARAMS), ok: 200, response: "HarvestReportTeam",
    }),
    route!(GET "/v2/reports/time/clients", Key, |call| report(call, &CLIENTS), {
        id: "harvestTimeReportClients", tag: "Harvest v2", summary: "Time report per client",
        description: DESCRIPTION, query: QueryDoc::params(PARAMS), ok: 200, response: "HarvestReportClients",
    }),
    route!(GET "/v2/reports/time/projects", Key, |call| report(call, &PROJECTS), {
        id: "harvestTimeReportProjects", tag: "Harvest v2", summary: "Time report per project",
        description: DESCRIPTION, query: QueryDoc::params(PARAMS), ok: 200, response: "HarvestReportProjects",
    }),
    route!(GET "/v2/reports/time/tasks", Key, |call| report(call, &TASKS), {
        id: "harvestTimeReportTasks", tag: "Harvest v2", summary: "Time report per task",
        description: DESCRIPTION, query: QueryDoc::params(PARAMS), ok: 200, response: "HarvestReportTasks",
    }),
];
