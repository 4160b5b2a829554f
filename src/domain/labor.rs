//! Hours and money from worked time (SPEC §6 jobs' `budget_used`, reports, payroll exports):
//! hours are shown to 2 decimals; labour cost is worked seconds × the worker's `pay_rate`
//! (minor units an hour), summed, then rounded to a minor unit once; payroll's gross pay is
//! computed from the hours as shown, so a reader of the file can redo the sum.

const SECONDS_PER_HOUR: f64 = 3_600.0;
const MS_PER_CENTI_HOUR: i64 = 36_000;

/// Hours to 2 decimals from seconds (sums of seconds come from SQL as numbers).
pub fn hours(seconds: f64) -> f64 {
    (seconds / 36.0).round() / 100.0
}

/// Labour cost in minor units from Σ seconds × rate.
pub fn cost(rate_seconds: f64) -> i64 {
    (rate_seconds / SECONDS_PER_HOUR).round() as i64
}

/// Milliseconds as hundredths of an hour, to the nearest (half up).
pub fn centi_hours(ms: i64) -> i64 {
    (ms.max(0).saturating_add(MS_PER_CENTI_HOUR / 2)) / MS_PER_CENTI_HOUR
}

/// Hundredths of an hour as hours.
pub fn centi_to_hours(centi: i64) -> f64 {
    centi as f64 / 100.0
}

/// A multiplier (1.5) in ten-thousandths (15,000): exact integer maths for pay.
fn basis_points(multiplier: f64) -> i128 {
    if multiplier.is_finite() {
        (multiplier * 10_000.0).round().max(0.0) as i128
    } else {
        0
    }
}

/// Gross pay in minor units: regular hours × rate + overtime hours × rate × multiplier, from
/// hours in hundredths (as the file shows them), rounded half to even.
pub fn gross_pay(regular_centi: i64, overtime_centi: i64, rate: i64, multiplier: f64) -> i64 {
    let rate = i128::from(rate.max(0));
    let regular = i128::from(regular_centi.max(0)).saturating_mul(rate).saturating_mul(10_000);
    let overtime = i128::from(overtime_centi.max(0)).saturating_mul(rate).saturating_mul(basis_points(multiplier));
    let pay = super::money::div_half_even(regular.saturating_add(overtime), 100 * 10_000);
    i64::try_from(pay).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_to_two_decimals() {
        assert_eq!(hours(0.0), 0.0);
        assert_eq!(hours(27_000.0), 7.5);
        assert_eq!(hours(3_599.0), 1.0);
        assert_eq!(hours(20.0), 0.01); // 0.0056 h
        assert_eq!(hours(17.0), 0.0);
    }

    #[test]
    fn cost_rounds_once_at_the_end() {
        // 20 minutes at 2,000/h three times: 2,000 exactly, not 3 × 666.67 rounded.
        assert_eq!(cost(3.0 * 1_200.0 * 2_000.0), 2_000);
        assert_eq!(cost(1_200.0 * 1_000.0), 333);
        assert_eq!(cost(0.0), 0);
    }

    #[test]
    fn centi_hours_round_half_up() {
        assert_eq!(centi_hours(8 * 3_600_000), 800);
        assert_eq!(centi_hours(17_999), 0);
        assert_eq!(centi_hours(18_000), 1);
        assert_eq!(centi_hours(-5), 0);
        assert_eq!(centi_to_hours(1_234), 12.34);
    }

    #[test]
    fn gross_pay_from_shown_hours() {
        // 40 h at 25.00 plus 5 h at 25.00 × 1.5.
        assert_eq!(gross_pay(4_000, 500, 2_500, 1.5), 100_000 + 18_750);
        // 7.33 h at 12.35/h = 90.5255 → 90.53.
        assert_eq!(gross_pay(733, 0, 1_235, 1.5), 9_053);
        // Ties go to even: 0.5 h at 1/h = 0.5 → 0; 1.5 h → 2 (1.5 rounds up to even 2).
        assert_eq!(gross_pay(50, 0, 1, 1.5), 0);
        assert_eq!(gross_pay(150, 0, 1, 1.5), 2);
        assert_eq!(gross_pay(250, 0, 1, 1.5), 2);
        // Multiplier 2 and 1.25; no rate, no pay.
        assert_eq!(gross_pay(0, 100, 1_000, 2.0), 2_000);
        assert_eq!(gross_pay(0, 100, 1_000, 1.25), 1_250);
        assert_eq!(gross_pay(800, 200, 0, 1.5), 0);
        assert_eq!(gross_pay(800, 200, 1_000, f64::NAN), 8_000);
    }

    #[test]
    fn huge_values_saturate_rather_than_wrap() {
        assert!(gross_pay(i64::MAX, i64::MAX, i64::MAX, 10.0) == i64::MAX);
    }
}
