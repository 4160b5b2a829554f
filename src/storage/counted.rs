//! The entries reports and payroll count (SPEC §6): a tenant's live, ended time entries whose
//! local day falls in `[from, to]`, with any further conditions (statuses, workers, jobs).
//!
//! An entry's day is the local day it started on in its zone: its site's, else its job's site's,
//! else its worker's site's, else the tenant's. Local days are not computed in SQL (SQLite
//! knows no time zones): for each zone in play the domain gives the UTC window of those days
//! ([`crate::domain::reports::zone_windows`], built on the same `day_bounds` attendance uses),
//! bound as one JSON argument, and an entry counts when it started inside its own zone's window.
//! The widest window also bounds `started_at` directly, so the scan is an index range on
//! `(tenant_id, started_at)` — or on `(tenant_id, worker_id | job_id, started_at)` when one of
//! those is asked for.

use chrono::NaiveDate;
use serde_json::json;

use crate::domain::listing::{Arg, Filter};
use crate::domain::reports::zone_windows;
use crate::error::ApiResult;

/// The zone an entry's days are counted in: its site's (a site without a zone of its own
/// means the tenant's), else its job's site's, else its worker's site's, else the tenant's (each
/// `?` is the tenant's zone).
const ENTRY_ZONE: &str = "COALESCE(CASE WHEN te.site_id IS NOT NULL THEN COALESCE(es.timezone, ?) END, \
     CASE WHEN j.site_id IS NOT NULL THEN COALESCE(js.timezone, ?) END, \
     CASE WHEN w.site_id IS NOT NULL THEN COALESCE(ws.timezone, ?) END, ?)";

/// What to count.
#[derive(Debug, Clone)]
pub struct Counted {
    pub tenant: String,
    /// The tenant's own zone, and every zone a site of the tenant has.
    pub tenant_zone: String,
    pub site_zones: Vec<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Further conditions on the entries, from filters over `te.` columns.
    pub conditions: Vec<(String, Vec<Arg>)>,
}

impl Counted {
    /// The entries of `tenant` whose local day (in each site's zone, per `context`) is in
    /// `[from, to]`, before any filter.
    pub fn over(
        tenant: &str,
        context: &crate::storage::reports::TenantContext,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Counted {
        Counted {
            tenant: tenant.to_string(),
            tenant_zone: context.timezone.clone(),
            site_zones: context.site_zones.clone(),
            from,
            to,
            conditions: Vec::new(),
        }
    }

    /// Adds the condition `filter` makes of `raw` (400 on an unacceptable value).
    pub fn filter(&mut self, filter: &Filter, raw: &str) -> ApiResult<()> {
        self.conditions.push(crate::domain::filters::condition(filter, raw)?);
        Ok(())
    }

    /// `FROM time_entries te …joins… WHERE …` with `joins` added before the `WHERE`, and the
    /// arguments it binds, in order. Aliases: `te` the entry, `w` its worker, `j` its job
    /// (may be null), `z.value` its zone's `[name, start, end]`.
    pub fn from_where(&self, joins: &str) -> (String, Vec<Arg>) {
        // Without statistics SQLite may prefer an index that saves the GROUP BY its sort over
        // the one that bounds the range; the range is what must not grow with the table.
        let by = |column: &str| self.conditions.iter().any(|(c, _)| c.starts_with(column));
        let index = if by("te.worker_id ") {
            "time_entries_worker"
        } else if by("te.job_id ") {
            "time_entries_job_started"
        } else {
            "time_entries_started"
        };
        let mut zones: Vec<String> = self.site_zones.clone();
        zones.push(self.tenant_zone.clone());
        zones.sort();
        zones.dedup();
        let windows = zone_windows(&zones, self.from, self.to);
        let lo = windows.iter().map(|(_, start, _)| start.clone()).min().unwrap_or_default();
        let hi = windows.iter().map(|(_, _, end)| end.clone()).max().unwrap_or_default();
        let windows = json!(windows.iter().map(|(z, s, e)| json!([z, s, e])).collect::<Vec<_>>()).to_string();
        let mut sql = format!(
            "FROM time_entries te INDEXED BY {index} \
             JOIN workers w ON w.id = te.worker_id \
             LEFT JOIN jobs j ON j.id = te.job_id \
             LEFT JOIN sites es ON es.id = te.site_id \
             LEFT JOIN sites js ON js.id = j.site_id \
             LEFT JOIN sites ws ON ws.id = w.site_id \
             JOIN json_each(?) z ON json_extract(z.value, '$[0]') = {ENTRY_ZONE} \
             {joins} \
             WHERE te.tenant_id = ? AND te.deleted_at IS NULL AND te.ended_at IS NOT NULL \
             AND te.started_at >= ? AND te.started_at < ? \
             AND te.started_at >= json_extract(z.value, '$[1]') AND te.started_at < json_extract(z.value, '$[2]')"
        );
        let zone = || Arg::from(self.tenant_zone.as_str());
        let mut args: Vec<Arg> =
            vec![windows.into(), zone(), zone(), zone(), zone(), self.tenant.as_str().into(), lo.into(), hi.into()];
        for (condition, values) in &self.conditions {
            sql.push_str(" AND ");
            sql.push_str(condition);
            args.extend(values.iter().cloned());
        }
        (sql, args)
    }
}
