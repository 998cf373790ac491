//! Small descriptive statistics shared by the capabilities (scoring, survey results, action
//! metrics, report aggregates), so a median means the same everywhere.

/// The middle value of `values` in any order (the mean of the two middle values for an even
/// count); `None` when there are none. NaN sorts after every number (`f64::total_cmp`).
pub fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    Some(if sorted.len().is_multiple_of(2) {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    })
}

/// The arithmetic mean; `None` when there are no values.
pub fn mean(values: impl IntoIterator<Item = f64>) -> Option<f64> {
    let (sum, count) = values
        .into_iter()
        .fold((0.0, 0usize), |(s, c), v| (s + v, c + 1));
    (count > 0).then(|| sum / count as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_even_unsorted_and_empty() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[7.0]), Some(7.0));
        assert_eq!(median(&[9.0, 1.0, 5.0]), Some(5.0));
        assert_eq!(median(&[4.0, 1.0]), Some(2.5));
        assert_eq!(median(&[10.0, 2.0, 40.0, 20.0]), Some(15.0));
        assert_eq!(median(&[-3.0, -1.0, -2.0]), Some(-2.0));
    }

    #[test]
    fn median_leaves_its_input_alone() {
        let values = [3.0, 1.0, 2.0];
        assert_eq!(median(&values), Some(2.0));
        assert_eq!(values, [3.0, 1.0, 2.0]);
    }

    #[test]
    fn mean_of_some_and_none() {
        assert_eq!(mean([]), None);
        assert_eq!(mean([1.0, 2.0, 6.0]), Some(3.0));
    }
}
