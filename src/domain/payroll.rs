//! Payroll rows (SPEC §6 exports): one per worker, from the worker's approved entries over the
//! export's local days. Each entry's worked time counts on the local day it began in its own
//! zone; regular and overtime time then follow the tenant's daily and weekly rules — the very
//! functions attendance uses ([`totals_by_day`]), counting only the export's days, as attendance
//! counts only the days asked for — and gross pay is regular hours × rate + overtime hours ×
//! rate × the tenant's `overtime_multiplier`.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use chrono_tz::Tz;
use serde_json::{json, Value};

use super::formats::Table;
use super::labor::{centi_hours, centi_to_hours, gross_pay};
use super::overtime::{local_date, summarize, totals_by_day, Rules};

/// The file's columns, in order.
pub const COLUMNS: &[&str] = &[
    "worker_id",
    "employee_code",
    "name",
    "regular_hours",
    "overtime_hours",
    "total_hours",
    "pay_rate",
    "gross_pay",
    "currency",
];

/// How the tenant pays.
#[derive(Debug, Clone, PartialEq)]
pub struct Terms {
    pub rules: Rules,
    pub overtime_multiplier: f64,
    pub currency: String,
}

/// A worker as payroll names them.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct Payee {
    pub id: String,
    pub employee_code: String,
    pub name: String,
    pub pay_rate: Option<i64>,
}

/// One counted entry: when it began, how long was worked, and the zone its day is counted in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Worked {
    pub started_ms: i64,
    pub worked_ms: i64,
    pub zone: Tz,
}

/// Worked time per local day.
pub fn by_day(entries: &[Worked]) -> BTreeMap<NaiveDate, i64> {
    let mut days: BTreeMap<NaiveDate, i64> = BTreeMap::new();
    for e in entries {
        let day = days.entry(local_date(e.started_ms, e.zone)).or_insert(0);
        *day = day.saturating_add(e.worked_ms.max(0));
    }
    days
}

/// The payee's row as values in [`COLUMNS`] order; `None` without any entry. Hours are shown
/// to 2 decimals, regular hours being the total less the overtime, so the three always add up;
/// gross pay is computed from the hours shown.
pub fn row(payee: &Payee, entries: &[Worked], terms: &Terms) -> Option<Vec<Value>> {
    if entries.is_empty() {
        return None;
    }
    let summary = summarize(&totals_by_day(by_day(entries), &terms.rules));
    let total = centi_hours(summary.worked_ms);
    let overtime = centi_hours(summary.overtime_ms).min(total);
    let regular = total - overtime;
    let rate = payee.pay_rate.unwrap_or(0);
    Some(vec![
        json!(payee.id),
        json!(payee.employee_code),
        json!(payee.name),
        json!(centi_to_hours(regular)),
        json!(centi_to_hours(overtime)),
        json!(centi_to_hours(total)),
        json!(payee.pay_rate),
        json!(gross_pay(regular, overtime, rate, terms.overtime_multiplier)),
        json!(terms.currency),
    ])
}

/// The file's table from its rows.
pub fn table(rows: Vec<Vec<Value>>) -> Table {
    Table { columns: COLUMNS, rows }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Weekday};
    use chrono_tz::{America, Asia, UTC};

    const H: i64 = 3_600_000;

    fn at(tz: Tz, y: i32, m: u32, d: u32, h: u32) -> i64 {
        tz.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap().timestamp_millis()
    }

    fn terms() -> Terms {
        Terms { rules: Rules::default(), overtime_multiplier: 1.5, currency: "EUR".into() }
    }

    fn payee(rate: Option<i64>) -> Payee {
        Payee { id: "wkr_1".into(), employee_code: "EMP-1".into(), name: "Ada".into(), pay_rate: rate }
    }

    fn worked(tz: Tz, day: u32, hours: i64) -> Worked {
        Worked { started_ms: at(tz, 2026, 3, day, 9), worked_ms: hours * H, zone: tz }
    }

    #[test]
    fn daily_and_weekly_overtime_priced_at_the_multiplier() {
        // Mon 2 … Sat 7 March: 9 h a day for five days (5 h daily overtime), then 6 h on Saturday
        // past the 40-hour week (6 h weekly overtime).
        let mut entries: Vec<Worked> = (2..=6).map(|d| worked(UTC, d, 9)).collect();
        entries.push(worked(UTC, 7, 6));
        let r = row(&payee(Some(2_000)), &entries, &terms()).unwrap();
        assert_eq!(r[3..6], [json!(40.0), json!(11.0), json!(51.0)]);
        // 40 × 20.00 + 11 × 20.00 × 1.5 = 800 + 330.
        assert_eq!((r[6].clone(), r[7].clone(), r[8].clone()), (json!(2_000), json!(113_000), json!("EUR")));
        let custom = Terms {
            rules: Rules { daily_hours: 10.0, weekly_hours: 60.0, week_start: Weekday::Mon },
            overtime_multiplier: 2.0,
            ..terms()
        };
        let r = row(&payee(Some(2_000)), &entries, &custom).unwrap();
        assert_eq!(r[3..8], [json!(51.0), json!(0.0), json!(51.0), json!(2_000), json!(102_000)]);
    }

    #[test]
    fn each_entry_counts_on_its_own_local_day() {
        // 23:00 in New York on the 2nd is the 3rd in UTC and in Tokyo: with its own zone each
        // 6-hour entry is on a different day, so no day passes 8 hours.
        let ny =
            Worked { started_ms: at(America::New_York, 2026, 3, 2, 23), worked_ms: 6 * H, zone: America::New_York };
        let tokyo = Worked { started_ms: at(Asia::Tokyo, 2026, 3, 3, 10), worked_ms: 6 * H, zone: Asia::Tokyo };
        let days = by_day(&[ny, tokyo]);
        assert_eq!(days.len(), 2);
        let r = row(&payee(Some(1_000)), &[ny, tokyo], &terms()).unwrap();
        assert_eq!(r[3..5], [json!(12.0), json!(0.0)]);
        // Counted in one zone, both fall on the 3rd: 4 hours of daily overtime.
        let both_utc = [Worked { zone: UTC, ..ny }, Worked { zone: UTC, ..tokyo }];
        let r = row(&payee(Some(1_000)), &both_utc, &terms()).unwrap();
        assert_eq!(r[3..5], [json!(8.0), json!(4.0)]);
    }

    #[test]
    fn hours_add_up_and_pay_follows_the_shown_hours() {
        // 8 h 20 min: 8.33 total, 0.33 overtime (20 min), 8.00 regular.
        let e = Worked { started_ms: at(UTC, 2026, 3, 2, 8), worked_ms: 8 * H + 20 * 60_000, zone: UTC };
        let r = row(&payee(Some(1_235)), &[e], &terms()).unwrap();
        assert_eq!(r[3..6], [json!(8.0), json!(0.33), json!(8.33)]);
        // 8 × 12.35 + 0.33 × 12.35 × 1.5 = 98.80 + 6.11325 → 104.91.
        assert_eq!(r[7], json!(10_491));
        // No pay rate: no pay, and `pay_rate` is null.
        let r = row(&payee(None), &[e], &terms()).unwrap();
        assert_eq!((r[6].clone(), r[7].clone()), (Value::Null, json!(0)));
        assert!(row(&payee(Some(1)), &[], &terms()).is_none());
    }

    #[test]
    fn the_table_has_the_file_columns() {
        let t = table(vec![row(&payee(Some(100)), &[worked(UTC, 2, 1)], &terms()).unwrap()]);
        assert_eq!(
            t.csv(),
            "worker_id,employee_code,name,regular_hours,overtime_hours,total_hours,pay_rate,gross_pay,currency\r\n\
             wkr_1,EMP-1,Ada,1.0,0.0,1.0,100,100,EUR\r\n"
        );
    }
}
