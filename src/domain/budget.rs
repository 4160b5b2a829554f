//! Job budget thresholds (SPEC §7 `job.budget_threshold`): a job emits once per threshold
//! (75, 100, 110 % of budget) the first time it reaches it; what was sent is kept as a mask.

/// The thresholds in percent, ascending, with their bit in the mask.
pub const THRESHOLDS: [(u32, i64); 3] = [(75, 1), (100, 2), (110, 4)];

/// Thresholds reached (`percent >= t`) whose bit is not yet in `already`, ascending. No
/// budget (`None`) or a NaN percent reaches nothing.
pub fn newly_crossed(percent: Option<f64>, already: i64) -> Vec<u32> {
    let Some(p) = percent else {
        return Vec::new();
    };
    THRESHOLDS.iter().filter(|(t, bit)| p >= f64::from(*t) && already & bit == 0).map(|(t, _)| *t).collect()
}

/// The mask of the given thresholds; values that are not thresholds are ignored.
pub fn mask_of(thresholds: &[u32]) -> i64 {
    THRESHOLDS.iter().filter(|(t, _)| thresholds.contains(t)).fold(0, |m, (_, bit)| m | bit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crossing() {
        assert!(newly_crossed(Some(0.0), 0).is_empty());
        assert!(newly_crossed(Some(74.99), 0).is_empty());
        assert_eq!(newly_crossed(Some(75.0), 0), [75]);
        assert_eq!(newly_crossed(Some(80.0), 0), [75]);
        assert_eq!(newly_crossed(Some(100.0), 0), [75, 100]);
        assert_eq!(newly_crossed(Some(120.0), 0), [75, 100, 110]);
        assert_eq!(newly_crossed(Some(105.0), 1), [100]);
        assert_eq!(newly_crossed(Some(500.0), 1 | 4), [100]);
        assert!(newly_crossed(Some(120.0), 7).is_empty());
        assert!(newly_crossed(Some(120.0), mask_of(&[75, 100, 110])).is_empty());
    }

    #[test]
    fn no_budget_or_bad_percent() {
        assert!(newly_crossed(None, 0).is_empty());
        assert!(newly_crossed(Some(f64::NAN), 0).is_empty());
        assert_eq!(newly_crossed(Some(f64::INFINITY), 0), [75, 100, 110]);
        assert!(newly_crossed(Some(-10.0), 0).is_empty());
    }

    #[test]
    fn masks() {
        assert_eq!(mask_of(&[]), 0);
        assert_eq!(mask_of(&[75]), 1);
        assert_eq!(mask_of(&[110, 75]), 5);
        assert_eq!(mask_of(&[75, 100, 110, 110]), 7);
        assert_eq!(mask_of(&[50, 200]), 0);
        // Sent-so-far accumulates by OR.
        let sent = mask_of(&newly_crossed(Some(80.0), 0));
        let next = newly_crossed(Some(115.0), sent);
        assert_eq!(next, [100, 110]);
        assert_eq!(sent | mask_of(&next), 7);
    }
}
