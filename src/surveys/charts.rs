//! The results page's charts: the report's survey charts (response rate per audience, answers
//! per question and audience as stacked bars, measured beside perceived scores, the tone of the
//! free text over time), filled from one survey's filtered results and drawn as inline SVG with
//! the report's own drawing code, so page and PDF look alike.

use crate::report::ReportError;
use crate::report::charts::outcomes::MeasuredPerceivedChart;
use crate::report::charts::survey::{
    LikertChart, LikertQuestion, LikertRow, ResponseRateChart, SentimentChart,
};
use crate::report::charts::to_svg;
use crate::report::labels::texts;
use crate::report::model::{Lang, SentimentCounts, SentimentPoint};
use crate::report::pdf::fonts::fonts;

use super::model::{Question, QuestionType};
use super::results::SurveyResults;

/// What the charts need besides the results.
pub struct ChartContext<'a> {
    pub lang: Lang,
    /// Times on the axes in this zone.
    pub tz: chrono_tz::Tz,
    /// Display name of an audience key (or of "no audience").
    pub name: &'a dyn Fn(&Option<String>) -> String,
    /// The scorecard's overall score per audience key.
    pub measured: &'a [(String, f64)],
}

/// The charts that have data to show, as (id, SVG).
pub fn results_charts_svg(
    questions: &[Question],
    results: &SurveyResults,
    cx: &ChartContext<'_>,
) -> Result<Vec<(&'static str, String)>, ReportError> {
    let fonts = fonts()?;
    let t = texts(cx.lang);
    let mut out = Vec::new();
    let rates = ResponseRateChart {
        rows: results
            .rates
            .iter()
            .filter(|r| r.invited > 0)
            .map(|r| ((cx.name)(&r.audience), r.invited as u32, r.answered as u32))
            .collect(),
    };
    if !rates.rows.is_empty() {
        out.push((
            "response-rates",
            to_svg(rates.size(), t.response_rates_title, |a| {
                rates.draw(a, t, fonts)
            })?,
        ));
    }
    let likert = likert(questions, results, cx);
    if !likert.questions.is_empty() {
        out.push((
            "survey",
            to_svg(likert.size(), t.survey_title, |a| likert.draw(a, t, fonts))?,
        ));
    }
    let compared = MeasuredPerceivedChart {
        rows: results
            .perceived
            .iter()
            .filter(|p| p.overall.is_some())
            .map(|p| {
                let measured = p.audience.as_ref().and_then(|k| {
                    cx.measured
                        .iter()
                        .find(|(key, _)| key == k)
                        .map(|(_, v)| *v)
                });
                ((cx.name)(&p.audience), measured, p.overall)
            })
            .collect(),
    };
    if !compared.rows.is_empty() {
        out.push((
            "measured-perceived",
            to_svg(compared.size(), t.measured_vs_perceived_title, |a| {
                compared.draw(a, t, fonts)
            })?,
        ));
    }
    if !results.sentiment_over_time.is_empty() {
        let points: Vec<SentimentPoint> = results
            .sentiment_over_time
            .iter()
            .map(|b| SentimentPoint {
                at: crate::domain::time::utc_to_local(b.start, cx.tz).naive_local(),
                counts: SentimentCounts {
                    positive: b.positive as u32,
                    neutral: b.neutral as u32,
                    negative: b.negative as u32,
                },
            })
            .collect();
        let tone = SentimentChart::new(&points);
        out.push((
            "sentiment",
            to_svg(tone.size(), t.sentiment_title, |a| tone.draw(a, t, fonts))?,
        ));
    }
    Ok(out)
}

/// Ordered answers per question and audience (groups too small to show are left out), then
/// everyone; categories from the most negative, as the report stacks them.
fn likert(questions: &[Question], results: &SurveyResults, cx: &ChartContext<'_>) -> LikertChart {
    let lang = cx.lang.code();
    let shares = |counts: &[usize]| -> Vec<f64> {
        let total: usize = counts.iter().sum();
        counts
            .iter()
            .map(|c| {
                if total == 0 {
                    0.0
                } else {
                    *c as f64 / total as f64
                }
            })
            .collect()
    };
    let everyone = crate::i18n::translate(lang, "surveys.everyone");
    LikertChart {
        questions: results
            .questions
            .iter()
            .filter(|q| {
                matches!(
                    q.qtype,
                    QuestionType::Rating5
                        | QuestionType::Scale10
                        | QuestionType::YesPartlyNo
                        | QuestionType::Single
                ) && q.overall.n > 0
            })
            .filter_map(|q| {
                let question = questions.iter().find(|x| x.id == q.question_id)?;
                let choices = question.choices();
                // Yes/partly/no is listed yes first; the bars read from "no".
                let order: Vec<usize> = if q.qtype == QuestionType::YesPartlyNo {
                    (0..choices.len()).rev().collect()
                } else {
                    (0..choices.len()).collect()
                };
                let row = |name: String, d: &super::results::Distribution| LikertRow {
                    name,
                    shares: shares(
                        &order
                            .iter()
                            .filter_map(|&i| d.counts.get(i).map(|c| c.1))
                            .collect::<Vec<_>>(),
                    ),
                    n: d.n as u32,
                    mean: d.mean,
                };
                let mut rows: Vec<LikertRow> = q
                    .by_audience
                    .iter()
                    .filter_map(|g| {
                        let d = g.distribution.as_ref().filter(|d| d.n > 0)?;
                        Some(row((cx.name)(&g.audience), d))
                    })
                    .collect();
                rows.push(row(everyone.clone(), &q.overall));
                Some(LikertQuestion {
                    text: question.text(lang).to_string(),
                    options: order
                        .iter()
                        .filter_map(|&i| choices.get(i))
                        .map(|c| c.label(lang).to_string())
                        .collect(),
                    rows,
                })
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::surveys::model::{AnswerValue, Choice};
    use crate::surveys::results::{AudienceInvitations, ResponseRecord, ResultsFilter, compute};

    #[test]
    fn the_page_draws_the_report_charts_from_the_filtered_results() {
        let questions = vec![
            Question {
                id: 1,
                survey_id: 1,
                position: 1,
                qtype: QuestionType::YesPartlyNo,
                code: Some("knew_what_to_do".into()),
                required: true,
                text_en: "Did you know what to do?".into(),
                text_de: "Wussten Sie, was tun?".into(),
                options: vec![],
            },
            Question {
                id: 2,
                survey_id: 1,
                position: 2,
                qtype: QuestionType::Text,
                code: Some("improve".into()),
                required: false,
                text_en: "Better?".into(),
                text_de: "Besser?".into(),
                options: vec![Choice::new("x", "x", "x")],
            },
            Question {
                id: 3,
                survey_id: 1,
                position: 3,
                qtype: QuestionType::Scale10,
                code: Some("recommend".into()),
                required: false,
                text_en: "Recommend us?".into(),
                text_de: "Weiterempfehlen?".into(),
                options: vec![],
            },
        ];
        let at = chrono::NaiveDate::from_ymd_opt(2026, 3, 10)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .expect("time");
        let responses: Vec<ResponseRecord> = ["no", "no", "yes", "partly"]
            .iter()
            .map(|c| ResponseRecord {
                audience: Some("employees".into()),
                locale: "de".into(),
                submitted_at: at,
                answers: BTreeMap::from([
                    (1, AnswerValue::Choice((*c).into())),
                    (2, AnswerValue::Text("Zu spät und unklar.".into())),
                    (3, AnswerValue::Number(7.0)),
                ]),
            })
            .collect();
        let invitations = [AudienceInvitations {
            audience: Some("employees".into()),
            invited: 8,
            answered: 4,
        }];
        let results = compute(
            &questions,
            &responses,
            &invitations,
            false,
            &ResultsFilter::default(),
        );
        let name = |a: &Option<String>| a.clone().unwrap_or_default().to_uppercase();
        let cx = ChartContext {
            lang: Lang::En,
            tz: chrono_tz::Europe::Zurich,
            name: &name,
            measured: &[("employees".into(), 61.0)],
        };
        let likert = likert(&questions, &results, &cx);
        assert_eq!(
            likert
                .questions
                .iter()
                .filter(|q| q.options.len() == 11)
                .count(),
            1,
            "the 0–10 scale has its bars too (its legend wraps above them)"
        );
        assert_eq!(likert.questions.len(), 2, "free text has no bars");
        let known = likert
            .questions
            .iter()
            .find(|q| q.options.len() == 3)
            .expect("yes/partly/no");
        assert_eq!(known.options, ["No", "Partly", "Yes"]);
        assert_eq!(known.rows[0].name, "EMPLOYEES");
        assert_eq!(known.rows[0].shares, [0.5, 0.25, 0.25]);
        assert_eq!(known.rows[1].name, "Everyone");
        let charts = results_charts_svg(&questions, &results, &cx).expect("charts");
        let ids: Vec<&str> = charts.iter().map(|c| c.0).collect();
        assert_eq!(
            ids,
            [
                "response-rates",
                "survey",
                "measured-perceived",
                "sentiment"
            ]
        );
        for (_, svg) in &charts {
            assert!(svg.starts_with("<svg") && svg.contains("role=\"img\""));
            assert!(!svg.contains("<script"));
        }
        assert!(charts[0].1.contains("50 %"), "4 of 8 answered");
        assert!(charts[2].1.contains("61"), "the measured score");
    }
}
