//! The charts of the incident report, for the PDF and as SVG for the incident page.

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

use super::ReportError;
use super::charts::clarity::ClarityChart;
use super::charts::outcomes::{ActionStatusChart, MeasuredPerceivedChart};
use super::charts::survey::{LikertChart, ResponseRateChart, SentimentChart};
use super::charts::timeline::{self, TimelineChart};
use super::charts::timeliness::{FirstMessageChart, UpdateGapsChart};
use super::charts::{ReportChart, charts_svg};
use super::labels::Texts;
use super::model::IncidentReport;
use super::pdf::fonts::FontSet;

/// The charts of an incident report that have data to show, in report order.
pub enum IncidentChart {
    Timeline(TimelineChart),
    FirstMessage(FirstMessageChart),
    UpdateGaps(UpdateGapsChart),
    Clarity(ClarityChart),
    ResponseRates(ResponseRateChart),
    Survey(LikertChart),
    MeasuredPerceived(MeasuredPerceivedChart),
    SurveySentiment(SentimentChart),
    MentionsSentiment(SentimentChart),
    ActionStatus(ActionStatusChart),
}

impl IncidentChart {
    pub fn all(report: &IncidentReport) -> Vec<IncidentChart> {
        let timeline = TimelineChart::new(&report.audiences, &report.timeline);
        let gaps = UpdateGapsChart::new(&timeline);
        let mut charts = vec![IncidentChart::Timeline(timeline)];
        if !report.audiences.is_empty() {
            charts.push(IncidentChart::FirstMessage(FirstMessageChart::new(
                &report.audiences,
            )));
        }
        if gaps.rows.iter().any(|r| !r.gaps.is_empty()) {
            charts.push(IncidentChart::UpdateGaps(gaps));
        }
        if !report.clarity.is_empty() {
            charts.push(IncidentChart::Clarity(ClarityChart::new(
                &report.audiences,
                &report.clarity,
            )));
        }
        if let Some(survey) = &report.survey {
            if !survey.response_rates.is_empty() {
                charts.push(IncidentChart::ResponseRates(ResponseRateChart::new(
                    &report.audiences,
                    &survey.response_rates,
                )));
            }
            let likert = LikertChart::new(&report.audiences, survey);
            if !likert.questions.is_empty() {
                charts.push(IncidentChart::Survey(likert));
            }
        }
        if report
            .audiences
            .iter()
            .any(|a| a.scores.perceived.is_some())
        {
            charts.push(IncidentChart::MeasuredPerceived(
                MeasuredPerceivedChart::new(&report.audiences),
            ));
        }
        if let Some(survey) = report
            .survey
            .as_ref()
            .filter(|s| !s.sentiment_over_time.is_empty())
        {
            charts.push(IncidentChart::SurveySentiment(SentimentChart::new(
                &survey.sentiment_over_time,
            )));
        }
        if !report.mentions_sentiment.is_empty() {
            charts.push(IncidentChart::MentionsSentiment(SentimentChart::new(
                &report.mentions_sentiment,
            )));
        }
        if !report.actions.is_empty() {
            charts.push(IncidentChart::ActionStatus(ActionStatusChart::new(
                &report.actions,
            )));
        }
        charts
    }

    /// Every chart id, in report order.
    pub const IDS: &'static [&'static str] = &[
        "timeline",
        "first-message",
        "update-gaps",
        "clarity",
        "response-rates",
        "survey",
        "measured-perceived",
        "survey-sentiment",
        "mentions-sentiment",
        "action-status",
    ];

    pub fn caption(&self, texts: &Texts) -> Option<String> {
        let caption = match self {
            IncidentChart::Timeline(t) if t.binned => {
                return Some(format!(
                    "{} {}",
                    texts.timeline_caption, texts.messages_binned
                ));
            }
            IncidentChart::Timeline(_) => texts.timeline_caption,
            IncidentChart::FirstMessage(_) => texts.first_message_caption,
            IncidentChart::UpdateGaps(_) => texts.update_gaps_caption,
            IncidentChart::Clarity(_) => texts.clarity_caption,
            IncidentChart::Survey(_) => texts.survey_caption,
            _ => return None,
        };
        Some(caption.to_string())
    }
}

impl ReportChart for IncidentChart {
    fn id(&self) -> &'static str {
        match self {
            IncidentChart::Timeline(_) => "timeline",
            IncidentChart::FirstMessage(_) => "first-message",
            IncidentChart::UpdateGaps(_) => "update-gaps",
            IncidentChart::Clarity(_) => "clarity",
            IncidentChart::ResponseRates(_) => "response-rates",
            IncidentChart::Survey(_) => "survey",
            IncidentChart::MeasuredPerceived(_) => "measured-perceived",
            IncidentChart::SurveySentiment(_) => "survey-sentiment",
            IncidentChart::MentionsSentiment(_) => "mentions-sentiment",
            IncidentChart::ActionStatus(_) => "action-status",
        }
    }

    fn title(&self, texts: &Texts) -> &'static str {
        match self {
            IncidentChart::Timeline(_) => texts.timeline_title,
            IncidentChart::FirstMessage(_) => texts.first_message_title,
            IncidentChart::UpdateGaps(_) => texts.update_gaps_title,
            IncidentChart::Clarity(_) => texts.clarity_title,
            IncidentChart::ResponseRates(_) => texts.response_rates_title,
            IncidentChart::Survey(_) => texts.survey_title,
            IncidentChart::MeasuredPerceived(_) => texts.measured_vs_perceived_title,
            IncidentChart::SurveySentiment(_) => texts.sentiment_title,
            IncidentChart::MentionsSentiment(_) => texts.mentions_sentiment_title,
            IncidentChart::ActionStatus(_) => texts.action_status_title,
        }
    }

    fn size(&self) -> (u32, u32) {
        match self {
            IncidentChart::Timeline(c) => c.size(),
            IncidentChart::FirstMessage(c) => c.size(),
            IncidentChart::UpdateGaps(c) => c.size(),
            IncidentChart::Clarity(c) => c.size(),
            IncidentChart::ResponseRates(c) => c.size(),
            IncidentChart::Survey(c) => c.size(),
            IncidentChart::MeasuredPerceived(c) => c.size(),
            IncidentChart::SurveySentiment(c) | IncidentChart::MentionsSentiment(c) => c.size(),
            IncidentChart::ActionStatus(c) => c.size(),
        }
    }

    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        texts: &Texts,
        fonts: &'static FontSet,
    ) -> Result<(), ReportError> {
        match self {
            IncidentChart::Timeline(c) => timeline::draw(area, c, texts, fonts),
            IncidentChart::FirstMessage(c) => c.draw(area, texts, fonts),
            IncidentChart::UpdateGaps(c) => c.draw(area, texts, fonts),
            IncidentChart::Clarity(c) => c.draw(area, texts, fonts),
            IncidentChart::ResponseRates(c) => c.draw(area, texts, fonts),
            IncidentChart::Survey(c) => c.draw(area, texts, fonts),
            IncidentChart::MeasuredPerceived(c) => c.draw(area, texts, fonts),
            IncidentChart::SurveySentiment(c) | IncidentChart::MentionsSentiment(c) => {
                c.draw(area, texts, fonts)
            }
            IncidentChart::ActionStatus(c) => c.draw(area, texts, fonts),
        }
    }
}

/// All of the report's charts that have data, as inline-safe SVG with their ids.
pub fn incident_charts_svg(
    report: &IncidentReport,
) -> Result<Vec<(&'static str, String)>, ReportError> {
    charts_svg(IncidentChart::all(report), report.lang)
}

/// Those of the report's charts with one of `ids` (see [`IncidentChart::IDS`]) that have data,
/// as inline-safe SVG in report order: a page draws only what it shows.
pub fn incident_charts_svg_of(
    report: &IncidentReport,
    ids: &[&str],
) -> Result<Vec<(&'static str, String)>, ReportError> {
    charts_svg(
        IncidentChart::all(report)
            .into_iter()
            .filter(|chart| ids.contains(&chart.id())),
        report.lang,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::Lang;
    use crate::report::sample::sample_incident_report;

    #[test]
    fn every_chart_has_a_listed_id_in_report_order() {
        let report = sample_incident_report(Lang::En);
        let ids: Vec<&str> = IncidentChart::all(&report).iter().map(|c| c.id()).collect();
        assert_eq!(
            ids,
            IncidentChart::IDS,
            "the sample has data for every chart"
        );
    }

    #[test]
    fn only_the_asked_for_charts_are_drawn() {
        let report = sample_incident_report(Lang::De);
        let some =
            incident_charts_svg_of(&report, &["measured-perceived", "timeline"]).expect("charts");
        let ids: Vec<&str> = some.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, ["timeline", "measured-perceived"]);
        let all = incident_charts_svg(&report).expect("charts");
        let timeline = all
            .iter()
            .find(|(id, _)| *id == "timeline")
            .expect("timeline");
        assert_eq!(some[0].1, timeline.1, "the same drawing either way");
        assert!(
            incident_charts_svg_of(&report, &[])
                .expect("none")
                .is_empty()
        );
    }
}
