//! Money (SPEC §6, §9): amounts are integers in a currency's minor units everywhere inside;
//! `/v2` shows them as decimals in currency units (minor units ÷ 10^exponent). Rounding is half
//! to even, once per invoice line.

/// Currencies (of [`super::model::CURRENCIES`]) whose minor unit is the unit itself (ISO 4217
/// exponent 0); every other accepted currency has an exponent of 2.
const WHOLE_UNITS: &[&str] = &["CLP", "ISK", "JPY", "KRW", "VND"];

/// How many minor units make one unit of `currency`: 1 or 100.
pub fn minor_per_unit(currency: &str) -> i64 {
    if WHOLE_UNITS.contains(&currency) {
        1
    } else {
        100
    }
}

/// `minor` units of `currency` as a decimal number of units (`12345` USD → `123.45`).
pub fn to_decimal(minor: i64, currency: &str) -> f64 {
    minor as f64 / minor_per_unit(currency) as f64
}

/// A decimal number of units as minor units, to the nearest (half to even); `None` when it is not
/// finite or does not fit.
pub fn from_decimal(units: f64, currency: &str) -> Option<i64> {
    let minor = units * minor_per_unit(currency) as f64;
    if !minor.is_finite() || minor.abs() > 9.0e15 {
        return None;
    }
    Some(minor.round_ties_even() as i64)
}

/// SQL giving the divisor of [`to_decimal`] for the currency in `column` (SQLite knows no
/// currencies): `<minor> / <this>` is the decimal amount.
pub fn sql_minor_per_unit(column: &str) -> String {
    let whole = WHOLE_UNITS.iter().map(|c| format!("'{c}'")).collect::<Vec<_>>().join(", ");
    format!("(CASE WHEN {column} IN ({whole}) THEN 1.0 ELSE 100.0 END)")
}

/// `n / d` rounded to the nearest integer, ties to even (SPEC §6's rounding of money); `d > 0`.
pub fn div_half_even(n: i128, d: i128) -> i128 {
    let (q, r) = (n.div_euclid(d), n.rem_euclid(d));
    match (2 * r).cmp(&d) {
        std::cmp::Ordering::Less => q,
        std::cmp::Ordering::Greater => q + 1,
        std::cmp::Ordering::Equal if q % 2 == 0 => q,
        std::cmp::Ordering::Equal => q + 1,
    }
}

/// The amount of worked time: `seconds` × `rate` (minor units an hour), in minor units, half to
/// even.
pub fn time_amount(seconds: i64, rate: i64) -> i64 {
    let exact = i128::from(seconds.max(0)).saturating_mul(i128::from(rate.max(0)));
    i64::try_from(div_half_even(exact, 3_600)).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_follow_the_currency_exponent() {
        assert_eq!(to_decimal(12_345, "USD"), 123.45);
        assert_eq!(to_decimal(12_345, "JPY"), 12_345.0);
        assert_eq!(from_decimal(123.45, "EUR"), Some(12_345));
        assert_eq!(from_decimal(0.125, "USD"), Some(12));
        assert_eq!(from_decimal(f64::NAN, "USD"), None);
        assert_eq!(
            sql_minor_per_unit("c"),
            "(CASE WHEN c IN ('CLP', 'ISK', 'JPY', 'KRW', 'VND') THEN 1.0 ELSE 100.0 END)"
        );
    }

    #[test]
    fn halves_go_to_the_even_neighbour() {
        assert_eq!(div_half_even(5, 2), 2);
        assert_eq!(div_half_even(7, 2), 4);
        assert_eq!(div_half_even(-5, 2), -2);
        assert_eq!(div_half_even(10, 3), 3);
        // 30 minutes at 1 minor unit an hour: half a unit, to the even 0; 90 minutes → 2.
        assert_eq!(time_amount(1_800, 1), 0);
        assert_eq!(time_amount(5_400, 1), 2);
        assert_eq!(time_amount(9_000, 10_000), 25_000);
    }
}
