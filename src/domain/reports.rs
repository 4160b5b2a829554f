//! Reports (SPEC §6): the range rule, the local-day window of each zone, and the rows of the
//! time report (per worker, job, customer or task) and of job costing, as a [`Table`] that
//! renders to JSON or CSV alike. The sums come from SQL; what is done with them is here.

use chrono::{Days, NaiveDate};
use chrono_tz::Tz;
use serde::Deserialize;
use serde_json::{json, Value};

use super::formats::Table;
use super::jobs::percent_used;
use super::labor::{cost, hours};
use super::money::div_half_even;
use super::named::named;
use super::overtime::day_bounds;
use super::time::fmt_ms;
use crate::error::{ApiError, ApiResult};
use crate::i18n::FieldCode;

named! {
    /// What the time report groups entries by.
    pub enum GroupBy {
        Worker = "worker",
        Job = "job",
        Customer = "customer",
        Task = "task",
    }
}

impl GroupBy {
    /// The column naming a row's group.
    pub fn id_column(self) -> &'static str {
        self.columns().first().copied().unwrap_or_default()
    }
}

/// The most local days a report or export covers, both ends included.
pub const MAX_DAYS: u64 = 366;

/// `[from, to]` must run forwards and cover at most [`MAX_DAYS`] days: else `422` on `to`.
pub fn check_range(from: NaiveDate, to: NaiveDate) -> ApiResult<()> {
    let last = from.checked_add_days(Days::new(MAX_DAYS - 1)).unwrap_or(NaiveDate::MAX);
    if to < from || to > last {
        return Err(ApiError::invalid_field("to", FieldCode::OutOfRange));
    }
    Ok(())
}

/// For each zone: the first instant of local day `from` and the first instant after local day
/// `to` (RFC 3339, UTC), so that an entry counts when it started in `[start, end)` of its zone.
pub fn zone_windows(zones: &[String], from: NaiveDate, to: NaiveDate) -> Vec<(String, String, String)> {
    zones
        .iter()
        .map(|name| {
            let tz: Tz = name.parse().unwrap_or(Tz::UTC);
            let (start, _) = day_bounds(from, tz);
            let (_, end) = day_bounds(to, tz);
            (name.clone(), fmt_ms(start), fmt_ms(end))
        })
        .collect()
}

/// What SQL sums over one group's counted entries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize)]
pub struct Sums {
    pub seconds: f64,
    pub billable_seconds: f64,
    /// Σ worked seconds × the worker's pay rate.
    pub rate_seconds: f64,
    /// Σ billable worked seconds × the billing rate (the task's `default_hourly_rate`, else the
    /// job's `hourly_rate`, else 0), as an invoice import bills them.
    #[serde(default)]
    pub bill_rate_seconds: f64,
    pub entries: f64,
}

impl Sums {
    /// What the billable time is worth at its billing rates, in minor units (half to even).
    pub fn billable_amount(self) -> i64 {
        i64::try_from(div_half_even(self.bill_rate_seconds.round() as i128, 3_600)).unwrap_or(i64::MAX)
    }

    fn add(self, o: Sums) -> Sums {
        Sums {
            seconds: self.seconds + o.seconds,
            billable_seconds: self.billable_seconds + o.billable_seconds,
            rate_seconds: self.rate_seconds + o.rate_seconds,
            bill_rate_seconds: self.bill_rate_seconds + o.bill_rate_seconds,
            entries: self.entries + o.entries,
        }
    }
    /// `{hours, billable_hours, billable_amount, labor_cost, entry_count}`.
    pub fn totals(self) -> Value {
        json!({
            "hours": hours(self.seconds),
            "billable_hours": hours(self.billable_seconds),
            "billable_amount": self.billable_amount(),
            "labor_cost": cost(self.rate_seconds),
            "entry_count": self.entries as i64,
        })
    }
}

/// One group of the time report: its id and name (`null` for entries without one).
#[derive(Debug, Clone, PartialEq)]
pub struct TimeRow {
    pub id: Option<String>,
    pub name: Option<String>,
    pub sums: Sums,
}

/// The time report's columns: the group's id column, then the same six for every grouping.
macro_rules! time_columns {
    ($id:literal) => {
        &[$id, "name", "hours", "billable_hours", "billable_amount", "labor_cost", "currency", "entry_count"]
    };
}

impl GroupBy {
    fn columns(self) -> &'static [&'static str] {
        match self {
            GroupBy::Worker => time_columns!("worker_id"),
            GroupBy::Job => time_columns!("job_id"),
            GroupBy::Customer => time_columns!("customer_id"),
            GroupBy::Task => time_columns!("task_id"),
        }
    }
}

/// The time report's table: one row per group, the group's id column first.
pub fn time_table(group: GroupBy, rows: &[TimeRow], currency: &str) -> Table {
    let columns = group.columns();
    let rows = rows
        .iter()
        .map(|r| {
            vec![
                json!(r.id),
                json!(r.name),
                json!(hours(r.sums.seconds)),
                json!(hours(r.sums.billable_seconds)),
                json!(r.sums.billable_amount()),
                json!(cost(r.sums.rate_seconds)),
                json!(currency),
                json!(r.sums.entries as i64),
            ]
        })
        .collect();
    Table { columns, rows }
}

/// One job of the job-costing report: its sums in the range and over its whole life.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct JobRow {
    pub job_id: String,
    pub name: String,
    pub customer_id: Option<String>,
    pub status: String,
    pub budget_hours: Option<f64>,
    pub budget_amount: Option<i64>,
    pub budget_currency: Option<String>,
    #[serde(flatten)]
    pub sums: Sums,
    /// Whole-life seconds and Σ seconds × rate of its approved and pending entries.
    pub life_seconds: f64,
    pub life_rate_seconds: f64,
}

const JOB_COLUMNS: &[&str] = &[
    "job_id",
    "name",
    "customer_id",
    "status",
    "hours",
    "labor_cost",
    "currency",
    "entry_count",
    "budget_hours",
    "budget_amount",
    "budget_currency",
    "percent_used",
];

/// The job-costing table: `percent_used` is the job's whole-life `budget_used` percent (of its
/// budget hours when it has them, else of its amount), as its detail shows it.
pub fn job_table(rows: &[JobRow], currency: &str) -> Table {
    let rows = rows
        .iter()
        .map(|r| {
            let percent =
                percent_used(r.life_seconds / 3_600.0, cost(r.life_rate_seconds), r.budget_hours, r.budget_amount);
            vec![
                json!(r.job_id),
                json!(r.name),
                json!(r.customer_id),
                json!(r.status),
                json!(hours(r.sums.seconds)),
                json!(cost(r.sums.rate_seconds)),
                json!(currency),
                json!(r.sums.entries as i64),
                json!(r.budget_hours),
                json!(r.budget_amount),
                json!(r.budget_currency),
                json!(percent),
            ]
        })
        .collect();
    Table { columns: JOB_COLUMNS, rows }
}

/// The sums of every row.
pub fn total<'a>(sums: impl IntoIterator<Item = &'a Sums>) -> Sums {
    sums.into_iter().fold(Sums::default(), |acc, s| acc.add(*s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn ranges_run_forwards_over_at_most_366_days() {
        assert!(check_range(d("2026-03-01"), d("2026-03-01")).is_ok());
        assert!(check_range(d("2024-01-01"), d("2024-12-31")).is_ok()); // 366 days, a leap year
        assert!(check_range(d("2025-01-01"), d("2026-01-01")).is_ok()); // 366 days
        let e = check_range(d("2025-01-01"), d("2026-01-02")).unwrap_err();
        assert_eq!((e.status(), e.details[0].field.as_str()), (422, "to"));
        assert_eq!(check_range(d("2026-03-02"), d("2026-03-01")).unwrap_err().status(), 422);
        assert!(check_range(NaiveDate::MAX, NaiveDate::MAX).is_ok());
    }

    #[test]
    fn windows_are_local_days_of_each_zone() {
        let zones = vec!["UTC".to_string(), "America/New_York".into(), "Asia/Kolkata".into(), "Mars/Base".into()];
        let w = zone_windows(&zones, d("2026-03-01"), d("2026-03-31"));
        assert_eq!(w[0], ("UTC".into(), "2026-03-01T00:00:00Z".into(), "2026-04-01T00:00:00Z".into()));
        // New York is on EST at the start and EDT (from 8 March) at the end.
        assert_eq!((w[1].1.as_str(), w[1].2.as_str()), ("2026-03-01T05:00:00Z", "2026-04-01T04:00:00Z"));
        assert_eq!((w[2].1.as_str(), w[2].2.as_str()), ("2026-02-28T18:30:00Z", "2026-03-31T18:30:00Z"));
        // An unknown zone counts as UTC.
        assert_eq!(w[3].1, "2026-03-01T00:00:00Z");
    }

    fn sums(seconds: f64, billable: f64, rate: f64, entries: f64) -> Sums {
        Sums {
            seconds,
            billable_seconds: billable,
            rate_seconds: seconds * rate,
            bill_rate_seconds: billable * 5_000.0,
            entries,
        }
    }

    #[test]
    fn time_rows_name_their_group() {
        let rows = [
            TimeRow { id: Some("wkr_1".into()), name: Some("Ada".into()), sums: sums(27_000.0, 0.0, 2_000.0, 2.0) },
            TimeRow { id: None, name: None, sums: sums(1_800.0, 1_800.0, 1_000.0, 1.0) },
        ];
        let t = time_table(GroupBy::Task, &rows, "EUR");
        assert_eq!(t.columns[0], "task_id");
        let objects = t.objects();
        assert_eq!(
            objects[0],
            json!({"task_id": "wkr_1", "name": "Ada", "hours": 7.5, "billable_hours": 0.0, "billable_amount": 0, "labor_cost": 15_000,
                   "currency": "EUR", "entry_count": 2})
        );
        assert_eq!(objects[1]["task_id"], Value::Null);
        assert_eq!(
            t.csv().lines().next(),
            Some("task_id,name,hours,billable_hours,billable_amount,labor_cost,currency,entry_count")
        );
        for g in GroupBy::ALL {
            assert_eq!(time_table(*g, &[], "EUR").columns[0], g.id_column());
        }
        let all = total(rows.iter().map(|r| &r.sums));
        assert_eq!(
            all.totals(),
            json!({"hours": 8.0, "billable_hours": 0.5, "billable_amount": 2_500, "labor_cost": 15_500, "entry_count": 3})
        );
    }

    #[test]
    fn job_rows_use_whole_life_budget_use() {
        let row = JobRow {
            job_id: "job_1".into(),
            name: "Roof".into(),
            customer_id: None,
            status: "active".into(),
            budget_hours: Some(20.0),
            budget_amount: None,
            budget_currency: None,
            sums: sums(7_200.0, 7_200.0, 1_500.0, 1.0),
            life_seconds: 36_000.0,
            life_rate_seconds: 36_000.0 * 1_500.0,
        };
        let o = &job_table(std::slice::from_ref(&row), "USD").objects()[0];
        assert_eq!((o["hours"].clone(), o["labor_cost"].clone()), (json!(2.0), json!(3_000)));
        assert_eq!(o["percent_used"], json!(50.0));
        let by_amount = JobRow { budget_hours: None, budget_amount: Some(30_000), ..row.clone() };
        assert_eq!(job_table(&[by_amount], "USD").objects()[0]["percent_used"], json!(50.0));
        let none = JobRow { budget_hours: None, ..row };
        assert_eq!(job_table(&[none], "USD").objects()[0]["percent_used"], Value::Null);
    }
}
