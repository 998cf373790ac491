//! Building a portfolio report from the incidents of an organisation: selecting by date range,
//! kind and severity, and the aggregates the report shows (quarters, action totals, the rank
//! correlation between measured and perceived scores).

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use crate::domain::{IncidentKind, Severity};
use crate::stats::{mean, median};

use super::model::{
    ActionCounts, Lang, PortfolioIncident, PortfolioReport, QuarterAggregate, Scores,
};

/// Which incidents a portfolio covers: detected in `from..=to`, optionally of one kind and
/// severity (typed, so an unknown value is refused where it is entered instead of selecting
/// nothing).
#[derive(Debug, Clone, PartialEq)]
pub struct PortfolioSelection {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub kind: Option<IncidentKind>,
    pub severity: Option<Severity>,
}

impl PortfolioSelection {
    pub fn matches(&self, incident: &PortfolioIncident) -> bool {
        (self.from..=self.to).contains(&incident.detected)
            && self.kind.is_none_or(|k| k.as_str() == incident.kind)
            && self
                .severity
                .is_none_or(|s| s.as_str() == incident.severity)
    }
}

/// Who the report is for and how it is labelled; everything else is computed.
#[derive(Debug, Clone, PartialEq)]
pub struct PortfolioHeader {
    pub organisation: String,
    pub confidentiality: String,
    pub lang: Lang,
    pub generated_at: String,
    pub generated_utc: NaiveDateTime,
    /// The selection's range as shown on the cover.
    pub range: String,
}

/// The portfolio over the selected incidents, oldest first, with its aggregates.
pub fn build_portfolio(
    header: PortfolioHeader,
    incidents: Vec<PortfolioIncident>,
    selection: &PortfolioSelection,
) -> PortfolioReport {
    let mut incidents: Vec<PortfolioIncident> = incidents
        .into_iter()
        .filter(|i| selection.matches(i))
        .collect();
    incidents.sort_by(|a, b| a.detected.cmp(&b.detected).then_with(|| a.key.cmp(&b.key)));
    let mut actions = ActionCounts::default();
    incidents.iter().for_each(|i| actions.add(&i.actions));
    let pairs: Vec<(f64, f64)> = incidents
        .iter()
        .filter_map(|i| Some((i.scores.overall?, i.scores.perceived?)))
        .collect();
    PortfolioReport {
        organisation: header.organisation,
        confidentiality: header.confidentiality,
        lang: header.lang,
        generated_at: header.generated_at,
        generated_utc: header.generated_utc,
        range: header.range,
        kind_filter: selection.kind.map(|k| k.as_str().to_string()),
        severity_filter: selection.severity.map(|s| s.as_str().to_string()),
        quarters: quarterly_aggregates(&incidents),
        measured_perceived_correlation: rank_correlation(&pairs),
        incidents,
        actions,
    }
}

/// Per-calendar-quarter means of the incidents' scores and the median time to first message,
/// oldest quarter first. Means leave out incidents without that score.
pub fn quarterly_aggregates(incidents: &[PortfolioIncident]) -> Vec<QuarterAggregate> {
    let mut by_quarter: std::collections::BTreeMap<(i32, u32), Vec<&PortfolioIncident>> =
        std::collections::BTreeMap::new();
    for incident in incidents {
        let quarter = (incident.detected.year(), incident.detected.month0() / 3 + 1);
        by_quarter.entry(quarter).or_default().push(incident);
    }
    by_quarter
        .into_iter()
        .map(|((year, quarter), members)| {
            let mean_of = |pick: fn(&Scores) -> Option<f64>| {
                mean(members.iter().filter_map(|i| pick(&i.scores)))
            };
            let first_messages: Vec<f64> = members
                .iter()
                .filter_map(|i| i.first_message_minutes)
                .collect();
            let mut actions = ActionCounts::default();
            for member in &members {
                actions.add(&member.actions);
            }
            QuarterAggregate {
                label: format!("{year} Q{quarter}"),
                incidents: members.len() as u32,
                timeliness: mean_of(|s| s.timeliness),
                clarity: mean_of(|s| s.clarity),
                perceived: mean_of(|s| s.perceived),
                median_first_message_minutes: median(&first_messages),
                actions,
            }
        })
        .collect()
}

/// Spearman's rank correlation of the pairs (ties get their mean rank); `None` below 3 pairs or
/// when one side does not vary.
pub fn rank_correlation(pairs: &[(f64, f64)]) -> Option<f64> {
    if pairs.len() < 3 {
        return None;
    }
    let ranks = |values: Vec<f64>| -> Vec<f64> {
        let mut order: Vec<usize> = (0..values.len()).collect();
        order.sort_by(|a, b| values[*a].total_cmp(&values[*b]));
        let mut ranks = vec![0.0; values.len()];
        let mut i = 0;
        while i < order.len() {
            let mut j = i;
            while j + 1 < order.len() && values[order[j + 1]] == values[order[i]] {
                j += 1;
            }
            let mean_rank = (i + j) as f64 / 2.0 + 1.0;
            for k in i..=j {
                ranks[order[k]] = mean_rank;
            }
            i = j + 1;
        }
        ranks
    };
    let a = ranks(pairs.iter().map(|p| p.0).collect());
    let b = ranks(pairs.iter().map(|p| p.1).collect());
    let n = a.len() as f64;
    let (mean_a, mean_b) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let cov: f64 = a
        .iter()
        .zip(&b)
        .map(|(x, y)| (x - mean_a) * (y - mean_b))
        .sum();
    let var_a: f64 = a.iter().map(|x| (x - mean_a).powi(2)).sum();
    let var_b: f64 = b.iter().map(|y| (y - mean_b).powi(2)).sum();
    (var_a > 0.0 && var_b > 0.0).then(|| cov / (var_a * var_b).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn incident(
        date: (i32, u32, u32),
        timeliness: Option<f64>,
        ttfm: Option<f64>,
    ) -> PortfolioIncident {
        PortfolioIncident {
            key: "INC".into(),
            title: "t".into(),
            kind: "it_outage".into(),
            severity: "sev2".into(),
            detected: NaiveDate::from_ymd_opt(date.0, date.1, date.2).unwrap_or_default(),
            scores: Scores {
                timeliness,
                ..Scores::default()
            },
            first_message_minutes: ttfm,
            actions: ActionCounts {
                open: 1,
                done: 2,
                ..ActionCounts::default()
            },
        }
    }

    #[test]
    fn quarters_are_ordered_and_aggregate_their_members() {
        let quarters = quarterly_aggregates(&[
            incident((2026, 5, 3), Some(80.0), Some(10.0)),
            incident((2026, 1, 10), Some(60.0), Some(40.0)),
            incident((2026, 3, 31), None, Some(20.0)),
            incident((2026, 2, 1), Some(70.0), None),
        ]);
        assert_eq!(quarters.len(), 2);
        assert_eq!(quarters[0].label, "2026 Q1");
        assert_eq!(quarters[0].incidents, 3);
        assert_eq!(quarters[0].timeliness, Some(65.0));
        assert_eq!(quarters[0].median_first_message_minutes, Some(30.0));
        assert_eq!(quarters[0].actions.done, 6);
        assert_eq!(quarters[1].label, "2026 Q2");
        assert_eq!(quarters[1].median_first_message_minutes, Some(10.0));
        assert_eq!(quarters[1].clarity, None);
    }

    #[test]
    fn monotonic_pairs_correlate_fully_and_ties_share_ranks() {
        assert_eq!(
            rank_correlation(&[(1.0, 10.0), (2.0, 20.0), (3.0, 90.0)]),
            Some(1.0)
        );
        let inverse = rank_correlation(&[(1.0, 3.0), (2.0, 2.0), (3.0, 1.0), (4.0, 0.0)]);
        assert!(inverse.is_some_and(|r| (r + 1.0).abs() < 1e-12));
        let tied = rank_correlation(&[(1.0, 1.0), (1.0, 2.0), (2.0, 3.0), (3.0, 3.0)]);
        assert!(tied.is_some_and(|r| r > 0.5 && r < 1.0), "{tied:?}");
        assert_eq!(
            rank_correlation(&[(1.0, 1.0), (2.0, 1.0), (3.0, 1.0)]),
            None
        );
        assert_eq!(rank_correlation(&[(1.0, 1.0), (2.0, 2.0)]), None);
    }

    #[test]
    fn a_selection_keeps_the_range_kind_and_severity_and_totals_what_it_keeps() {
        let all = crate::report::sample::sample_portfolio(Lang::En, 200).incidents;
        let header = PortfolioHeader {
            organisation: "Org".into(),
            confidentiality: "Internal".into(),
            lang: Lang::En,
            generated_at: "now".into(),
            generated_utc: NaiveDateTime::default(),
            range: "2025".into(),
        };
        let selection = PortfolioSelection {
            from: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default(),
            to: NaiveDate::from_ymd_opt(2025, 12, 31).unwrap_or_default(),
            kind: Some(IncidentKind::ItOutage),
            severity: Some(Severity::Sev2),
        };
        let expected = all
            .iter()
            .filter(|i| i.detected.year() == 2025 && i.kind == "it_outage" && i.severity == "sev2")
            .count();
        assert!(expected > 5 && expected < all.len());
        let report = build_portfolio(header, all, &selection);
        assert_eq!(report.incidents.len(), expected);
        assert!(
            report
                .incidents
                .windows(2)
                .all(|w| w[0].detected <= w[1].detected)
        );
        assert_eq!(report.kind_filter.as_deref(), Some("it_outage"));
        let open: u32 = report.incidents.iter().map(|i| i.actions.open).sum();
        assert_eq!(report.actions.open, open);
        assert_eq!(
            report.quarters.iter().map(|q| q.incidents).sum::<u32>() as usize,
            expected
        );
        assert!(report.quarters.iter().all(|q| q.label.starts_with("2025")));
    }
}
