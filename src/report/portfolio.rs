//! The portfolio report over many incidents: how communication develops across quarters.

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

use super::ReportError;
use super::charts::portfolio::{
    ActionCompletionChart, FirstMessageTrend, KindSeverityChart, TrendChart,
};
use super::charts::{ReportChart, charts_svg};
use super::labels::{Dimension, Texts, texts};
use super::layout::{self, ScoreTile};
use super::model::{PortfolioReport, Scores};
use super::pdf::compose::TextStyle;
use super::pdf::fonts::{FontSet, fonts};
use super::pdf::table::{Cell, Column, Table};
use super::pdf::{Composer, DocumentInfo, LaidOut};
use super::style::ALERT;

pub enum PortfolioChart {
    Kinds(KindSeverityChart),
    ScoreTrends(TrendChart),
    FirstMessageTrend(FirstMessageTrend),
    ActionCompletion(ActionCompletionChart),
}

impl PortfolioChart {
    pub fn all(report: &PortfolioReport) -> Vec<PortfolioChart> {
        vec![
            PortfolioChart::Kinds(KindSeverityChart::new(&report.incidents)),
            PortfolioChart::ScoreTrends(TrendChart::new(&report.quarters)),
            PortfolioChart::FirstMessageTrend(FirstMessageTrend::new(
                &report.incidents,
                &report.quarters,
            )),
            PortfolioChart::ActionCompletion(ActionCompletionChart::new(&report.quarters)),
        ]
    }

    pub fn caption(&self, texts: &Texts) -> Option<&'static str> {
        match self {
            PortfolioChart::FirstMessageTrend(_) => Some(texts.first_message_trend_caption),
            _ => None,
        }
    }
}

impl ReportChart for PortfolioChart {
    fn id(&self) -> &'static str {
        match self {
            PortfolioChart::Kinds(_) => "kinds",
            PortfolioChart::ScoreTrends(_) => "score-trends",
            PortfolioChart::FirstMessageTrend(_) => "first-message-trend",
            PortfolioChart::ActionCompletion(_) => "action-completion",
        }
    }

    fn title(&self, texts: &Texts) -> &'static str {
        match self {
            PortfolioChart::Kinds(_) => texts.kinds_title,
            PortfolioChart::ScoreTrends(_) => texts.score_trends_title,
            PortfolioChart::FirstMessageTrend(_) => texts.first_message_trend_title,
            PortfolioChart::ActionCompletion(_) => texts.action_completion_title,
        }
    }

    fn size(&self) -> (u32, u32) {
        match self {
            PortfolioChart::Kinds(c) => c.size(),
            PortfolioChart::ScoreTrends(c) => c.size(),
            PortfolioChart::FirstMessageTrend(c) => c.size(),
            PortfolioChart::ActionCompletion(c) => c.size(),
        }
    }

    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        texts: &Texts,
        fonts: &'static FontSet,
    ) -> Result<(), ReportError> {
        match self {
            PortfolioChart::Kinds(c) => c.draw(area, texts, fonts),
            PortfolioChart::ScoreTrends(c) => c.draw(area, texts, fonts),
            PortfolioChart::FirstMessageTrend(c) => c.draw(area, texts, fonts),
            PortfolioChart::ActionCompletion(c) => c.draw(area, texts, fonts),
        }
    }
}

/// The portfolio's charts as inline-safe SVG with their ids, for the portfolio page.
pub fn portfolio_charts_svg(
    report: &PortfolioReport,
) -> Result<Vec<(&'static str, String)>, ReportError> {
    charts_svg(PortfolioChart::all(report), report.lang)
}

pub fn render_portfolio_pdf(report: &PortfolioReport) -> Result<Vec<u8>, ReportError> {
    lay_out_portfolio(report)?.to_pdf()
}

/// The portfolio report laid out on pages, before it becomes a PDF.
pub fn lay_out_portfolio(report: &PortfolioReport) -> Result<LaidOut, ReportError> {
    let fonts = fonts()?;
    let texts = texts(report.lang);
    let mut doc = Composer::new(fonts);
    let filters: Vec<String> = [
        report.kind_filter.as_deref().map(|k| texts.kind(k)),
        report.severity_filter.as_deref().map(|s| texts.severity(s)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let filter_text = if filters.is_empty() {
        texts.all.to_string()
    } else {
        filters.join(", ")
    };
    layout::cover(
        &mut doc,
        texts,
        &layout::CoverText {
            kicker: texts.portfolio_report,
            title: &format!("{} {}", texts.period, report.range),
            lines: vec![
                format!("{}: {}", texts.incidents, report.incidents.len()),
                format!("{}: {filter_text}", texts.filters),
            ],
            organisation: &report.organisation,
            generated: &report.generated_at,
            confidentiality: &report.confidentiality,
        },
    );

    doc.new_page();
    doc.heading(1, texts.portfolio_overview);
    let average = |pick: fn(&Scores) -> Option<f64>| {
        crate::stats::mean(report.incidents.iter().filter_map(|i| pick(&i.scores)))
    };
    layout::score_tiles(
        &mut doc,
        texts,
        &[
            ScoreTile {
                label: texts.overall,
                dimension: Dimension::Overall,
                score: average(|s| s.overall),
            },
            ScoreTile {
                label: texts.timeliness,
                dimension: Dimension::Timeliness,
                score: average(|s| s.timeliness),
            },
            ScoreTile {
                label: texts.clarity,
                dimension: Dimension::Clarity,
                score: average(|s| s.clarity),
            },
            ScoreTile {
                label: texts.perceived,
                dimension: Dimension::Perceived,
                score: average(|s| s.perceived),
            },
        ],
    );
    let correlation = match report.measured_perceived_correlation {
        Some(rho) => texts.correlation.replace("{value}", &texts.number(rho, 2)),
        None => texts.correlation_none.to_string(),
    };
    doc.paragraph(&correlation, TextStyle::BODY);
    let actions = report.actions;
    doc.paragraph(
        &format!(
            "{}: {} · {} {}",
            texts.open_actions,
            actions.open + actions.in_progress,
            actions.overdue,
            texts.overdue
        ),
        TextStyle::STRONG.with_colour(if actions.overdue > 0 {
            ALERT
        } else {
            TextStyle::STRONG.colour
        }),
    );

    for chart in PortfolioChart::all(report) {
        layout::chart_block(
            &mut doc,
            chart.title(texts),
            chart.caption(texts),
            chart.size(),
            |area| chart.draw(area, texts, fonts),
        )?;
    }

    doc.heading(1, texts.incident_list);
    let score = |s: Option<f64>| s.map_or_else(|| "–".to_string(), |v| texts.number(v, 0));
    doc.table(&Table {
        columns: vec![
            Column::new(texts.key, 1.5),
            Column::new(texts.title, 3.6),
            Column::new(texts.detected, 1.3),
            Column::new(texts.severity, 1.0),
            Column::right(texts.timeliness, 1.2),
            Column::right(texts.clarity, 1.2),
            Column::right(texts.perceived, 1.2),
            Column::right(texts.first_message, 1.3),
        ],
        rows: report
            .incidents
            .iter()
            .map(|i| {
                vec![
                    Cell::bold(&i.key),
                    Cell::new(format!("{} ({})", i.title, texts.kind(&i.kind))),
                    // One line per date: "27 Mar 2026" stays together in its narrow column.
                    Cell::new(texts.date(i.detected).replace(' ', "\u{a0}")),
                    Cell::new(i.severity.to_uppercase()),
                    Cell::new(score(i.scores.timeliness)),
                    Cell::new(score(i.scores.clarity)),
                    Cell::new(score(i.scores.perceived)),
                    Cell::new(
                        i.first_message_minutes
                            .map_or_else(|| "–".into(), |m| texts.duration(m)),
                    ),
                ]
            })
            .collect(),
    });

    doc.heading(1, texts.appendix);
    for paragraph in texts.portfolio_method {
        doc.paragraph(paragraph, TextStyle::BODY);
    }

    let header = format!("{} · {}", texts.portfolio_report, report.range);
    let running = layout::RunningHeader {
        subject: &header,
        confidentiality: &report.confidentiality,
        organisation: &report.organisation,
    };
    let (pages, outline) = doc.finish(|page, index, total| {
        layout::decorate(fonts, texts, &running, page, index, total);
    });
    Ok(LaidOut {
        pages,
        outline,
        info: DocumentInfo {
            title: format!("{} {}", texts.portfolio_report, report.range),
            author: report.organisation.clone(),
            subject: texts.portfolio_report.to_string(),
            keywords: vec!["portfolio".into()],
            lang: report.lang.code().to_string(),
            created_unix: report.generated_utc.and_utc().timestamp(),
        },
    })
}
