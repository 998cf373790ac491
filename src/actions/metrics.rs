//! How the improvement work is going: counts by status, overdue, completion rate and the median
//! time to close, overall and per category.

use chrono::NaiveDate;
use serde::Serialize;

use super::model::{Action, ActionStatus, Category};

#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Counts {
    pub total: usize,
    pub open: usize,
    pub in_progress: usize,
    pub done: usize,
    pub wont_do: usize,
    /// Open or in progress past the due date.
    pub overdue: usize,
    /// Done ÷ (all − won't do): the share of what the team meant to do that it did.
    pub completion_rate: Option<f64>,
    /// Median days from creation to done.
    pub median_days_to_close: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct CategoryCounts {
    pub category: Category,
    #[serde(flatten)]
    pub counts: Counts,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Metrics {
    #[serde(flatten)]
    pub overall: Counts,
    /// Every category, in the vocabulary's order, including empty ones.
    pub per_category: Vec<CategoryCounts>,
}

pub fn counts<'a>(actions: impl IntoIterator<Item = &'a Action>, today: NaiveDate) -> Counts {
    let mut c = Counts::default();
    let mut days = Vec::new();
    for a in actions {
        c.total += 1;
        match a.status {
            ActionStatus::Open => c.open += 1,
            ActionStatus::InProgress => c.in_progress += 1,
            ActionStatus::Done => c.done += 1,
            ActionStatus::WontDo => c.wont_do += 1,
        }
        if a.is_overdue(today) {
            c.overdue += 1;
        }
        if a.status == ActionStatus::Done
            && let Some(closed) = a.closed_at
        {
            days.push((closed - a.created_at).num_seconds().max(0) as f64 / 86_400.0);
        }
    }
    let meant = c.total - c.wont_do;
    c.completion_rate = (meant > 0).then(|| c.done as f64 / meant as f64);
    c.median_days_to_close = crate::stats::median(&days);
    c
}

pub fn metrics(actions: &[Action], today: NaiveDate) -> Metrics {
    Metrics {
        overall: counts(actions, today),
        per_category: Category::ALL
            .iter()
            .map(|&category| CategoryCounts {
                category,
                counts: counts(actions.iter().filter(|a| a.category == category), today),
            })
            .collect(),
    }
}

/// The report model's counts (incident report and portfolio).
pub fn report_counts(c: &Counts) -> crate::report::model::ActionCounts {
    let n = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
    crate::report::model::ActionCounts {
        open: n(c.open),
        in_progress: n(c.in_progress),
        done: n(c.done),
        wont_do: n(c.wont_do),
        overdue: n(c.overdue),
    }
}

#[cfg(test)]
mod tests {
    use super::super::model::samples::{action, date};
    use super::*;

    #[test]
    fn counts_rates_and_median_time_to_close() {
        let today = date("2026-03-20");
        let mut list = vec![
            action(1, ActionStatus::Open, Some("2026-03-10")),
            action(2, ActionStatus::InProgress, Some("2026-04-10")),
            action(3, ActionStatus::Done, Some("2026-03-01")),
            action(4, ActionStatus::Done, None),
            action(5, ActionStatus::Done, None),
            action(6, ActionStatus::WontDo, Some("2026-03-01")),
        ];
        // Created 1 March 08:00; done after 2, 3 and 10 days.
        for (i, days) in [(2, 2), (3, 3), (4, 10)] {
            list[i].closed_at = Some(list[i].created_at + chrono::Duration::days(days));
        }
        list[2].category = Category::Training;
        let m = metrics(&list, today);
        assert_eq!(
            (
                m.overall.total,
                m.overall.open,
                m.overall.in_progress,
                m.overall.done,
                m.overall.wont_do
            ),
            (6, 1, 1, 3, 1)
        );
        assert_eq!(m.overall.overdue, 1, "done and won't do are never overdue");
        assert_eq!(m.overall.completion_rate, Some(3.0 / 5.0));
        assert_eq!(m.overall.median_days_to_close, Some(3.0));
        let training = m
            .per_category
            .iter()
            .find(|c| c.category == Category::Training)
            .expect("training");
        assert_eq!((training.counts.total, training.counts.done), (1, 1));
        assert_eq!(training.counts.median_days_to_close, Some(2.0));
        assert_eq!(m.per_category.len(), Category::ALL.len());
        let empty = counts(&[], today);
        assert_eq!(
            (empty.completion_rate, empty.median_days_to_close),
            (None, None)
        );
    }
}
