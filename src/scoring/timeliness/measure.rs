//! The arithmetic every timeliness rule shares.

use chrono::NaiveDateTime;

/// `pl(x; target, zero)` of SCORING: 100 up to the target, 0 from the zero point, linear between.
/// A zero point at or before the target makes it a step at the target.
pub fn pl(x: f64, target: f64, zero: f64) -> f64 {
    if x <= target {
        100.0
    } else if x >= zero {
        0.0
    } else {
        100.0 * (zero - x) / (zero - target)
    }
}

pub fn minutes_between(from: NaiveDateTime, to: NaiveDateTime) -> f64 {
    (to - from).num_seconds() as f64 / 60.0
}

pub fn plus_minutes(t: NaiveDateTime, minutes: f64) -> NaiveDateTime {
    t + chrono::Duration::seconds((minutes * 60.0).round() as i64)
}

/// Nearest-rank percentile: the smallest value with at least `p` % of the values at or below it,
/// so the figure is always a time that really occurred.
pub fn percentile(values: &[f64], p: f64) -> Option<f64> {
    let sorted = sorted(values);
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted.get(rank.min(sorted.len()) - 1).copied()
}

fn sorted(values: &[f64]) -> Vec<f64> {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    v
}

/// Weighted mean of `(weight, value)` pairs with negative weights read as zero. When every weight
/// is zero the plain mean is taken, so a rubric that zeroes the applicable weights still scores.
/// The result is kept within the values' range: rounding must not turn a mean of 100s into
/// 100.00000000000001.
pub fn weighted_mean(pairs: &[(f64, f64)]) -> Option<f64> {
    if pairs.is_empty() {
        return None;
    }
    let total: f64 = pairs.iter().map(|(w, _)| w.max(0.0)).sum();
    let mean = if total > 0.0 {
        pairs.iter().map(|(w, v)| w.max(0.0) * v).sum::<f64>() / total
    } else {
        pairs.iter().map(|(_, v)| v).sum::<f64>() / pairs.len() as f64
    };
    let low = pairs.iter().map(|(_, v)| *v).fold(f64::INFINITY, f64::min);
    let high = pairs
        .iter()
        .map(|(_, v)| *v)
        .fold(f64::NEG_INFINITY, f64::max);
    Some(mean.clamp(low, high))
}

/// Each weight's share of the total, with the same zero-weight rule as [`weighted_mean`].
pub fn shares(weights: &[f64]) -> Vec<f64> {
    let total: f64 = weights.iter().map(|w| w.max(0.0)).sum();
    weights
        .iter()
        .map(|w| {
            if total > 0.0 {
                w.max(0.0) / total
            } else {
                1.0 / weights.len() as f64
            }
        })
        .collect()
}

pub fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pl_is_full_up_to_target_and_linear_to_zero() {
        assert_eq!(pl(15.0, 15.0, 60.0), 100.0);
        assert_eq!(pl(0.0, 15.0, 60.0), 100.0);
        // 52 min on 15/60: 100 × (60 − 52) / 45 = 17.78
        assert!((pl(52.0, 15.0, 60.0) - 800.0 / 45.0).abs() < 1e-9);
        assert_eq!(pl(60.0, 15.0, 60.0), 0.0);
        assert_eq!(pl(500.0, 15.0, 60.0), 0.0);
        // A zero point before the target: a step.
        assert_eq!(pl(10.0, 10.0, 5.0), 100.0);
        assert_eq!(pl(10.5, 10.0, 5.0), 0.0);
    }

    #[test]
    fn nearest_rank_percentile() {
        let ten: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(percentile(&ten, 90.0), Some(9.0));
        assert_eq!(percentile(&[7.0], 90.0), Some(7.0));
        assert_eq!(percentile(&[1.0, 2.0, 3.0], 90.0), Some(3.0));
    }

    #[test]
    fn weighted_mean_falls_back_to_the_plain_mean() {
        assert_eq!(weighted_mean(&[(3.0, 100.0), (1.0, 0.0)]), Some(75.0));
        assert_eq!(weighted_mean(&[(0.0, 100.0), (0.0, 50.0)]), Some(75.0));
        assert_eq!(weighted_mean(&[]), None);
        // Durations that do not add up exactly in binary still average 100s to 100.
        let silences = [
            (551.0 / 60.0, 100.0),
            (2332.0 / 60.0, 100.0),
            (3472.0 / 60.0, 100.0),
        ];
        assert_eq!(weighted_mean(&silences), Some(100.0));
        assert_eq!(shares(&[0.4, 0.15]), vec![0.4 / 0.55, 0.15 / 0.55]);
        assert_eq!(shares(&[0.0, 0.0]), vec![0.5, 0.5]);
    }
}
