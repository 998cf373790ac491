//! Charts of the feedback survey and of sentiment: response rate per audience, answers per
//! question and audience as stacked bars, and sentiment counts over time.

use chrono::NaiveDateTime;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};
use plotters::style::text_anchor::{HPos, VPos};

use super::CHART_WIDTH;
use super::axis::{TimeAxis, nice_axis};
use super::canvas::{Canvas, LABEL, LegendEntry, SMALL, Swatch, legend_layout};
use crate::report::ReportError;
use crate::report::labels::Texts;
use crate::report::model::{
    AudienceSummary, QuestionType, ResponseRate, SentimentCounts, SentimentPoint, SurveyResults,
};
use crate::report::pdf::fonts::{Face, FontSet};
use crate::report::style::{self, INK, MUTED, Rgb};

const LABEL_COLUMN: i32 = 200;

fn name_of(audiences: &[AudienceSummary], key: &str) -> String {
    audiences
        .iter()
        .find(|a| a.key == key)
        .map_or_else(|| key.to_string(), |a| a.name.clone())
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponseRateChart {
    /// Audience name, invited, answered.
    pub rows: Vec<(String, u32, u32)>,
}

impl ResponseRateChart {
    pub fn new(audiences: &[AudienceSummary], rates: &[ResponseRate]) -> Self {
        Self {
            rows: rates
                .iter()
                .map(|r| (name_of(audiences, &r.audience), r.invited, r.answered))
                .collect(),
        }
    }

    /// Share answered, 0–100; 0 when nobody was invited.
    pub fn rate(invited: u32, answered: u32) -> f64 {
        if invited == 0 {
            0.0
        } else {
            (f64::from(answered) / f64::from(invited) * 100.0).min(100.0)
        }
    }

    pub fn size(&self) -> (u32, u32) {
        (
            CHART_WIDTH,
            (38 * self.rows.len().max(1) as i32 + 50) as u32,
        )
    }

    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        texts: &Texts,
        fonts: &'static FontSet,
    ) -> Result<(), ReportError> {
        let canvas = Canvas::new(area, "response_rates", fonts)?;
        let (width, _) = canvas.size();
        let (x0, x1) = (LABEL_COLUMN, width - 220);
        let bottom = 8 + 38 * self.rows.len().max(1) as i32;
        let axis = super::axis::Axis {
            min: 0.0,
            max: 100.0,
            ticks: vec![0.0, 25.0, 50.0, 75.0, 100.0],
        };
        canvas.value_axis_x(&axis, (x0, x1), (8, bottom), |v| format!("{v:.0} %"))?;
        for (i, (name, invited, answered)) in self.rows.iter().enumerate() {
            let mid = 8 + 38 * i as i32 + 19;
            canvas.name(
                (x0 - 10, mid),
                name,
                Face::Regular,
                LABEL_COLUMN - 16,
                HPos::Right,
            )?;
            let rate = Self::rate(*invited, *answered);
            let end = axis.map(rate, x0, x1);
            canvas.rect(
                (x0, mid - 10),
                (end.max(x0 + 2), mid + 10),
                style::SERIES[0],
            )?;
            let label = format!("{} %  ·  {answered} / {invited}", texts.number(rate, 0));
            canvas.text(
                (x1 + 10, mid),
                &label,
                SMALL,
                Face::Regular,
                INK,
                HPos::Left,
                VPos::Center,
            )?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LikertRow {
    pub name: String,
    /// Share per category, 0–1, summing to 1 when anyone answered.
    pub shares: Vec<f64>,
    pub n: u32,
    pub mean: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LikertQuestion {
    pub text: String,
    pub options: Vec<String>,
    pub rows: Vec<LikertRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LikertChart {
    pub questions: Vec<LikertQuestion>,
}

/// Above a question's legend: its title.
const QUESTION_TITLE: i32 = 26;
/// Between the legend and the first bar.
const LEGEND_GAP: i32 = 10;
const LIKERT_ROW: i32 = 40;

impl LikertChart {
    /// Questions whose answers are ordered categories; free text and multiple choice (whose
    /// shares do not add up to a whole) are left to the tables.
    pub fn new(audiences: &[AudienceSummary], survey: &SurveyResults) -> Self {
        let questions = survey
            .questions
            .iter()
            .filter(|q| {
                matches!(
                    q.kind,
                    QuestionType::Rating
                        | QuestionType::Scale
                        | QuestionType::YesNoPartly
                        | QuestionType::SingleChoice
                )
            })
            .map(|q| LikertQuestion {
                text: q.text.clone(),
                options: q.options.clone(),
                rows: q
                    .per_audience
                    .iter()
                    .map(|d| {
                        let total: u32 = d.counts.iter().sum();
                        let shares = d
                            .counts
                            .iter()
                            .map(|c| {
                                if total == 0 {
                                    0.0
                                } else {
                                    f64::from(*c) / f64::from(total)
                                }
                            })
                            .collect();
                        LikertRow {
                            name: name_of(audiences, &d.audience),
                            shares,
                            n: d.n,
                            mean: d.mean,
                        }
                    })
                    .collect(),
            })
            .collect();
        Self { questions }
    }

    pub fn size(&self) -> (u32, u32) {
        let fonts = crate::report::pdf::fonts::fonts().ok();
        let rows: i32 = self
            .questions
            .iter()
            .map(|q| {
                // Many answer options wrap the legend onto more rows; the bars go below it.
                let legend = fonts.map_or(26, |f| {
                    let labels: Vec<&str> = q.options.iter().map(String::as_str).collect();
                    legend_layout(f, CHART_WIDTH as i32 - LABEL_COLUMN, &labels).1
                });
                QUESTION_TITLE + legend + LEGEND_GAP + LIKERT_ROW * q.rows.len() as i32 + 14
            })
            .sum();
        (CHART_WIDTH, rows.max(40) as u32)
    }

    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        texts: &Texts,
        fonts: &'static FontSet,
    ) -> Result<(), ReportError> {
        let canvas = Canvas::new(area, "survey", fonts)?;
        let (width, _) = canvas.size();
        let (x0, x1) = (LABEL_COLUMN, width - 150);
        let mut top = 0;
        for question in &self.questions {
            let title = canvas.fit(&question.text, LABEL, Face::Bold, width);
            canvas.text(
                (0, top + 4),
                &title,
                LABEL,
                Face::Bold,
                INK,
                HPos::Left,
                VPos::Top,
            )?;
            let fills = style::likert_fills(question.options.len());
            let legend: Vec<LegendEntry> = question
                .options
                .iter()
                .zip(&fills)
                .map(|(option, fill)| LegendEntry {
                    label: option.clone(),
                    swatch: Swatch::Fill(*fill),
                })
                .collect();
            let legend_height =
                canvas.legend((x0, top + QUESTION_TITLE), x1 - x0 + 150, &legend)?;
            let rows_top = top + QUESTION_TITLE + legend_height + LEGEND_GAP;
            for (i, row) in question.rows.iter().enumerate() {
                let y = rows_top + LIKERT_ROW * i as i32;
                canvas.name(
                    (x0 - 10, y + 13),
                    &row.name,
                    Face::Regular,
                    LABEL_COLUMN - 16,
                    HPos::Right,
                )?;
                let mut x = x0;
                for (share, fill) in row.shares.iter().zip(&fills) {
                    let w = ((x1 - x0) as f64 * share).round() as i32;
                    if w > 0 {
                        canvas.rect((x, y), (x + w, y + 26), *fill)?;
                        let label = format!("{:.0}", share * 100.0);
                        if canvas.text_width(&label, SMALL, Face::Regular) + 6 < w {
                            let colour = if fill.grey_value() < 0.5 {
                                Rgb::WHITE
                            } else {
                                INK
                            };
                            canvas.text(
                                (x + w / 2, y + 13),
                                &label,
                                SMALL,
                                Face::Regular,
                                colour,
                                HPos::Center,
                                VPos::Center,
                            )?;
                        }
                    }
                    x += w;
                }
                let mean = row
                    .mean
                    .map_or_else(String::new, |m| format!("  Ø {}", texts.number(m, 1)));
                canvas.text(
                    (x1 + 10, y + 13),
                    &format!("n = {}{mean}", row.n),
                    SMALL,
                    Face::Regular,
                    MUTED,
                    HPos::Left,
                    VPos::Center,
                )?;
            }
            top = rows_top + LIKERT_ROW * question.rows.len() as i32 + 14;
        }
        Ok(())
    }
}

const POSITIVE: Rgb = Rgb(0x00, 0x72, 0xB2);
const NEUTRAL: Rgb = Rgb(0xC8, 0xC8, 0xC8);
const NEGATIVE: Rgb = Rgb(0xD5, 0x5E, 0x00);

#[derive(Debug, Clone, PartialEq)]
pub struct SentimentChart {
    pub axis: TimeAxis,
    pub buckets: Vec<(NaiveDateTime, SentimentCounts)>,
    /// Width of one bucket in minutes, from the spacing of the buckets.
    pub bucket_minutes: i64,
}

impl SentimentChart {
    pub fn new(points: &[SentimentPoint]) -> Self {
        let mut buckets: Vec<(NaiveDateTime, SentimentCounts)> =
            points.iter().map(|p| (p.at, p.counts)).collect();
        buckets.sort_by_key(|b| b.0);
        let bucket_minutes = buckets
            .windows(2)
            .map(|w| (w[1].0 - w[0].0).num_minutes())
            .filter(|m| *m > 0)
            .min()
            .unwrap_or(60);
        let start = buckets.first().map(|b| b.0).unwrap_or_default();
        let end = buckets.last().map_or(start, |b| b.0) + chrono::Duration::minutes(bucket_minutes);
        Self {
            axis: TimeAxis::new(start, end, 8),
            buckets,
            bucket_minutes,
        }
    }

    pub fn size(&self) -> (u32, u32) {
        (CHART_WIDTH, 300)
    }

    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        texts: &Texts,
        fonts: &'static FontSet,
    ) -> Result<(), ReportError> {
        let canvas = Canvas::new(area, "sentiment", fonts)?;
        let (width, height) = canvas.size();
        let (x0, x1) = (60, width - 16);
        let (top, bottom) = (14, height - 84);
        let max = self
            .buckets
            .iter()
            .map(|(_, c)| c.positive + c.neutral + c.negative)
            .max()
            .unwrap_or(0);
        let axis = nice_axis(0.0, f64::from(max).max(4.0), 4);
        canvas.value_axis_y(&axis, (bottom, top), (x0, x1), |v| format!("{v:.0}"))?;
        for tick in &self.axis.ticks {
            canvas.label(
                (self.axis.map(*tick, x0, x1), bottom + 8),
                &self.axis.label(*tick),
                HPos::Center,
                VPos::Top,
            )?;
        }
        for (at, counts) in &self.buckets {
            let from = self.axis.map(*at, x0, x1);
            let to = self
                .axis
                .map(*at + chrono::Duration::minutes(self.bucket_minutes), x0, x1);
            let (left, right) = (from + 1, (to - 1).max(from + 2));
            let mut level = 0.0;
            for (count, fill) in [
                (counts.negative, NEGATIVE),
                (counts.neutral, NEUTRAL),
                (counts.positive, POSITIVE),
            ] {
                if count == 0 {
                    continue;
                }
                let y_low = axis.map(level, bottom, top);
                level += f64::from(count);
                let y_high = axis.map(level, bottom, top);
                canvas.rect((left, y_high), (right, y_low), fill)?;
            }
        }
        let legend = [
            LegendEntry {
                label: texts.negative.to_string(),
                swatch: Swatch::Fill(NEGATIVE),
            },
            LegendEntry {
                label: texts.neutral.to_string(),
                swatch: Swatch::Fill(NEUTRAL),
            },
            LegendEntry {
                label: texts.positive.to_string(),
                swatch: Swatch::Fill(POSITIVE),
            },
        ];
        canvas.legend((x0, bottom + 40), x1 - x0, &legend)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::Lang;
    use crate::report::sample::sample_incident_report;

    #[test]
    fn likert_rows_are_shares_of_their_answers_and_free_text_is_left_out() {
        let report = sample_incident_report(Lang::En);
        let survey = report.survey.as_ref().expect("sample has a survey");
        let chart = LikertChart::new(&report.audiences, survey);
        assert_eq!(
            chart.questions.len(),
            3,
            "the free-text question has no bars"
        );
        for row in chart.questions.iter().flat_map(|q| &q.rows) {
            assert!(
                (row.shares.iter().sum::<f64>() - 1.0).abs() < 1e-9,
                "{row:?}"
            );
        }
        assert_eq!(chart.questions[0].rows[0].name, "Customers");
        assert!((chart.questions[0].rows[0].shares[0] - 21.0 / 97.0).abs() < 1e-9);
    }

    #[test]
    fn a_legend_that_wraps_pushes_the_bars_down_instead_of_covering_them() {
        let question = |options: &[&str]| LikertQuestion {
            text: "How did you first hear of the outage?".into(),
            options: options.iter().map(|o| o.to_string()).collect(),
            rows: vec![LikertRow {
                name: "Customers".into(),
                shares: vec![1.0 / options.len() as f64; options.len()],
                n: 40,
                mean: None,
            }],
        };
        let few = LikertChart {
            questions: vec![question(&["Yes", "Partly", "No"])],
        };
        let many = LikertChart {
            questions: vec![question(&[
                "E-mail from us",
                "Our status page",
                "Social media",
                "A colleague or friend",
                "The news",
                "Our intranet",
                "A text message",
                "I noticed it myself",
            ])],
        };
        let fonts = crate::report::pdf::fonts::fonts().expect("fonts");
        let labels: Vec<&str> = many.questions[0]
            .options
            .iter()
            .map(String::as_str)
            .collect();
        let (places, height) = legend_layout(fonts, CHART_WIDTH as i32 - LABEL_COLUMN, &labels);
        assert!(
            height > 26,
            "eight long options take more than one legend row"
        );
        assert!(
            places
                .iter()
                .all(|(x, _)| *x < CHART_WIDTH as i32 - LABEL_COLUMN)
        );
        assert_eq!(
            many.size().1 - few.size().1,
            (height - 26) as u32,
            "the chart grows by the extra legend rows"
        );
        // The first bar starts below the last legend row in the drawing too.
        let texts = crate::report::labels::texts(Lang::En);
        let svg = crate::report::charts::to_svg(many.size(), "survey", |area| {
            many.draw(area, texts, fonts)
        })
        .expect("svg");
        // Bars are 26 high; the legend's swatches are smaller.
        let bar_top = svg
            .split("<rect")
            .skip(1)
            .filter(|r| r.contains(r#"height="26""#))
            .filter_map(|r| {
                r.split("y=\"")
                    .nth(1)?
                    .split('"')
                    .next()?
                    .parse::<f64>()
                    .ok()
            })
            .fold(f64::INFINITY, f64::min);
        assert!(bar_top.is_finite(), "bars drawn");
        assert!(
            bar_top >= f64::from(QUESTION_TITLE + height),
            "bars at {bar_top}, legend down to {}",
            QUESTION_TITLE + height
        );
    }

    #[test]
    fn response_rates_handle_nobody_invited() {
        assert_eq!(ResponseRateChart::rate(0, 0), 0.0);
        assert_eq!(ResponseRateChart::rate(420, 97).round(), 23.0);
        assert_eq!(ResponseRateChart::rate(10, 12), 100.0);
    }

    #[test]
    fn sentiment_buckets_are_as_wide_as_their_spacing() {
        let report = sample_incident_report(Lang::En);
        let chart = SentimentChart::new(&report.mentions_sentiment);
        assert_eq!(chart.bucket_minutes, 15);
        assert!(
            chart.axis.end
                >= report
                    .mentions_sentiment
                    .last()
                    .map(|p| p.at)
                    .unwrap_or_default()
                    + chrono::Duration::minutes(15)
        );
    }
}
