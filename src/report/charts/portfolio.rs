//! Portfolio charts: incidents by kind and severity, score trends per quarter, time to first
//! message over time, and action completion with overdue actions per quarter.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};
use plotters::style::text_anchor::{HPos, VPos};

use super::CHART_WIDTH;
use super::axis::{TimeAxis, nice_axis, score_axis};
use super::canvas::{Canvas, LABEL, LegendEntry, SMALL, Swatch};
use super::outcomes::STATUS_ORDER;
use crate::report::ReportError;
use crate::report::labels::Texts;
use crate::report::model::{PortfolioIncident, QuarterAggregate};
use crate::report::pdf::fonts::{Face, FontSet};
use crate::report::style::{self, ALERT, INK, Rgb};

pub const SEVERITIES: [&str; 4] = ["sev1", "sev2", "sev3", "sev4"];
/// Darkest for the most severe, so the order survives greyscale.
const SEVERITY_FILLS: [Rgb; 4] = [
    Rgb(0x7A, 0x1F, 0x00),
    Rgb(0xD5, 0x5E, 0x00),
    Rgb(0xF0, 0xA8, 0x60),
    Rgb(0xF7, 0xDE, 0xB8),
];

#[derive(Debug, Clone, PartialEq)]
pub struct KindSeverityChart {
    /// Kind code and the count per severity (sev1 … sev4).
    pub rows: Vec<(String, [u32; 4])>,
}

impl KindSeverityChart {
    pub fn new(incidents: &[PortfolioIncident]) -> Self {
        let mut rows: Vec<(String, [u32; 4])> = Vec::new();
        for incident in incidents {
            let Some(sev) = SEVERITIES.iter().position(|s| *s == incident.severity) else {
                continue;
            };
            match rows.iter_mut().find(|(kind, _)| *kind == incident.kind) {
                Some((_, counts)) => counts[sev] += 1,
                None => {
                    let mut counts = [0; 4];
                    counts[sev] = 1;
                    rows.push((incident.kind.clone(), counts));
                }
            }
        }
        rows.sort_by(|a, b| {
            b.1.iter()
                .sum::<u32>()
                .cmp(&a.1.iter().sum::<u32>())
                .then(a.0.cmp(&b.0))
        });
        Self { rows }
    }

    pub fn size(&self) -> (u32, u32) {
        (
            CHART_WIDTH,
            (40 * self.rows.len().max(1) as i32 + 100) as u32,
        )
    }

    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        texts: &Texts,
        fonts: &'static FontSet,
    ) -> Result<(), ReportError> {
        let canvas = Canvas::new(area, "kinds", fonts)?;
        let (width, _) = canvas.size();
        let (x0, x1) = (220, width - 60);
        let bottom = 8 + 40 * self.rows.len().max(1) as i32;
        let max = self
            .rows
            .iter()
            .map(|r| r.1.iter().sum::<u32>())
            .max()
            .unwrap_or(0);
        let axis = nice_axis(0.0, f64::from(max).max(4.0), 6);
        canvas.value_axis_x(&axis, (x0, x1), (8, bottom), |v| format!("{v:.0}"))?;
        for (i, (kind, counts)) in self.rows.iter().enumerate() {
            let mid = 8 + 40 * i as i32 + 20;
            canvas.text(
                (x0 - 10, mid),
                &texts.kind(kind),
                LABEL,
                Face::Regular,
                INK,
                HPos::Right,
                VPos::Center,
            )?;
            let mut level = 0.0;
            for (count, fill) in counts.iter().zip(SEVERITY_FILLS) {
                if *count == 0 {
                    continue;
                }
                let from = axis.map(level, x0, x1);
                level += f64::from(*count);
                let to = axis.map(level, x0, x1);
                canvas.rect((from, mid - 12), (to, mid + 12), fill)?;
                let label = count.to_string();
                if canvas.text_width(&label, SMALL, Face::Bold) + 6 < to - from {
                    let colour = if fill.grey_value() < 0.5 {
                        Rgb::WHITE
                    } else {
                        INK
                    };
                    canvas.text(
                        ((from + to) / 2, mid),
                        &label,
                        SMALL,
                        Face::Bold,
                        colour,
                        HPos::Center,
                        VPos::Center,
                    )?;
                }
            }
            canvas.text(
                (axis.map(level, x0, x1) + 8, mid),
                &counts.iter().sum::<u32>().to_string(),
                LABEL,
                Face::Bold,
                INK,
                HPos::Left,
                VPos::Center,
            )?;
        }
        let legend: Vec<LegendEntry> = SEVERITIES
            .iter()
            .zip(SEVERITY_FILLS)
            .map(|(sev, fill)| LegendEntry {
                label: texts.severity(sev),
                swatch: Swatch::Fill(fill),
            })
            .collect();
        canvas.legend((x0, bottom + 40), x1 - x0, &legend)?;
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TrendChart {
    pub quarters: Vec<String>,
    /// Timeliness, clarity, perceived per quarter.
    pub series: [Vec<Option<f64>>; 3],
}

impl TrendChart {
    pub fn new(quarters: &[QuarterAggregate]) -> Self {
        Self {
            quarters: quarters.iter().map(|q| q.label.clone()).collect(),
            series: [
                quarters.iter().map(|q| q.timeliness).collect(),
                quarters.iter().map(|q| q.clarity).collect(),
                quarters.iter().map(|q| q.perceived).collect(),
            ],
        }
    }

    pub fn size(&self) -> (u32, u32) {
        (CHART_WIDTH, 330)
    }

    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        texts: &Texts,
        fonts: &'static FontSet,
    ) -> Result<(), ReportError> {
        let canvas = Canvas::new(area, "score_trends", fonts)?;
        let (width, height) = canvas.size();
        let (x0, x1) = (60, width - 30);
        let (top, bottom) = (14, height - 84);
        let axis = score_axis();
        canvas.value_axis_y(&axis, (bottom, top), (x0, x1), |v| format!("{v:.0}"))?;
        let n = self.quarters.len().max(1) as i32;
        let x_of = |i: usize| x0 + ((x1 - x0) * (2 * i as i32 + 1)) / (2 * n);
        // Label every quarter while they fit, else every k-th.
        let step = (self.quarters.len() / 12).max(1);
        for (i, label) in self.quarters.iter().enumerate().step_by(step) {
            canvas.label((x_of(i), bottom + 8), label, HPos::Center, VPos::Top)?;
        }
        let names = [texts.timeliness, texts.clarity, texts.perceived];
        for (s, values) in self.series.iter().enumerate() {
            let (colour, marker) = style::series(s);
            // Lines join consecutive quarters only: a quarter without a value breaks the line.
            let mut run: Vec<(i32, i32)> = Vec::new();
            for (i, value) in values.iter().enumerate() {
                match value {
                    Some(v) => run.push((x_of(i), axis.map(*v, bottom, top))),
                    None => {
                        if run.len() > 1 {
                            canvas.line(std::mem::take(&mut run), colour, 3)?;
                        }
                        run.clear();
                    }
                }
            }
            if run.len() > 1 {
                canvas.line(run, colour, 3)?;
            }
            for (i, value) in values.iter().enumerate() {
                if let Some(v) = value {
                    canvas.marker(
                        marker,
                        (x_of(i), axis.map(*v, bottom, top)),
                        6,
                        colour,
                        false,
                    )?;
                }
            }
        }
        let legend: Vec<LegendEntry> = names
            .iter()
            .enumerate()
            .map(|(s, name)| {
                let (colour, marker) = style::series(s);
                LegendEntry {
                    label: name.to_string(),
                    swatch: Swatch::Marker(marker, colour),
                }
            })
            .collect();
        canvas.legend((x0, bottom + 40), x1 - x0, &legend)?;
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FirstMessageTrend {
    pub axis: TimeAxis,
    pub points: Vec<(NaiveDateTime, f64)>,
    /// Middle of each quarter and its median.
    pub medians: Vec<(NaiveDateTime, f64)>,
    pub value_axis: super::axis::Axis,
}

fn midnight(date: NaiveDate) -> NaiveDateTime {
    date.and_hms_opt(12, 0, 0).unwrap_or_default()
}

fn quarter_middle(label: &str) -> Option<NaiveDateTime> {
    let (year, quarter) = label.split_once(" Q")?;
    let (year, quarter): (i32, u32) = (year.parse().ok()?, quarter.parse().ok()?);
    NaiveDate::from_ymd_opt(year, (quarter - 1) * 3 + 2, 15).map(midnight)
}

impl FirstMessageTrend {
    pub fn new(incidents: &[PortfolioIncident], quarters: &[QuarterAggregate]) -> Self {
        let mut points: Vec<(NaiveDateTime, f64)> = incidents
            .iter()
            .filter_map(|i| i.first_message_minutes.map(|m| (midnight(i.detected), m)))
            .collect();
        points.sort_by_key(|p| p.0);
        let medians = quarters
            .iter()
            .filter_map(|q| Some((quarter_middle(&q.label)?, q.median_first_message_minutes?)))
            .collect::<Vec<_>>();
        let start = incidents
            .iter()
            .map(|i| i.detected)
            .min()
            .map(|d| d.with_day(1).unwrap_or(d));
        let end = incidents.iter().map(|i| i.detected).max();
        let (start, end) = match (start, end) {
            (Some(s), Some(e)) => (midnight(s), midnight(e) + chrono::Duration::days(1)),
            _ => (
                NaiveDateTime::default(),
                NaiveDateTime::default() + chrono::Duration::days(30),
            ),
        };
        let max = points.iter().map(|p| p.1).fold(0.0, f64::max);
        Self {
            axis: TimeAxis::new(start, end, 8),
            points,
            medians,
            value_axis: nice_axis(0.0, max.max(15.0), 5),
        }
    }

    pub fn size(&self) -> (u32, u32) {
        (CHART_WIDTH, 320)
    }

    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        texts: &Texts,
        fonts: &'static FontSet,
    ) -> Result<(), ReportError> {
        let canvas = Canvas::new(area, "first_message_trend", fonts)?;
        let (width, height) = canvas.size();
        let (x0, x1) = (70, width - 20);
        let (top, bottom) = (34, height - 80);
        canvas.label(
            (x0, 4),
            texts.minutes_after_detection,
            HPos::Left,
            VPos::Top,
        )?;
        canvas.value_axis_y(&self.value_axis, (bottom, top), (x0, x1), |v| {
            format!("{v:.0}")
        })?;
        let month_labels = month_ticks(self.axis.start, self.axis.end);
        // At most eight labels: month labels are wide and must not touch.
        let step = month_labels.len().div_ceil(8).max(1);
        for at in month_labels.iter().step_by(step) {
            canvas.label(
                (self.axis.map(*at, x0, x1), bottom + 8),
                &at.format("%m/%Y").to_string(),
                HPos::Center,
                VPos::Top,
            )?;
        }
        let (colour, marker) = style::series(4);
        for (at, minutes) in &self.points {
            let p = (
                self.axis.map(*at, x0, x1),
                self.value_axis.map(*minutes, bottom, top),
            );
            canvas.marker(marker, p, 4, colour, false)?;
        }
        let line: Vec<(i32, i32)> = self
            .medians
            .iter()
            .map(|(at, m)| {
                (
                    self.axis.map(*at, x0, x1),
                    self.value_axis.map(*m, bottom, top),
                )
            })
            .collect();
        if line.len() > 1 {
            canvas.line(line.clone(), INK, 4)?;
        }
        for p in line {
            canvas.marker(style::Marker::Square, p, 5, INK, false)?;
        }
        let legend = [
            LegendEntry {
                label: texts.incidents.to_string(),
                swatch: Swatch::Marker(marker, colour),
            },
            LegendEntry {
                label: format!("{} ({})", texts.median, texts.quarter),
                swatch: Swatch::Line(INK),
            },
        ];
        canvas.legend((x0, bottom + 40), x1 - x0, &legend)?;
        Ok(())
    }
}

fn month_ticks(start: NaiveDateTime, end: NaiveDateTime) -> Vec<NaiveDateTime> {
    let mut ticks = Vec::new();
    let mut date = start.date().with_day(1).unwrap_or(start.date());
    while midnight(date) <= end {
        if midnight(date) >= start {
            ticks.push(midnight(date));
        }
        date = date
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(date);
        if ticks.len() > 240 {
            break;
        }
    }
    ticks
}

#[derive(Debug, Clone, PartialEq)]
pub struct ActionCompletionChart {
    pub quarters: Vec<QuarterAggregate>,
}

impl ActionCompletionChart {
    pub fn new(quarters: &[QuarterAggregate]) -> Self {
        Self {
            quarters: quarters.to_vec(),
        }
    }

    pub fn size(&self) -> (u32, u32) {
        (CHART_WIDTH, 320)
    }

    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        texts: &Texts,
        fonts: &'static FontSet,
    ) -> Result<(), ReportError> {
        let canvas = Canvas::new(area, "action_completion", fonts)?;
        let (width, height) = canvas.size();
        let (x0, x1) = (60, width - 20);
        let (top, bottom) = (30, height - 84);
        let max = self
            .quarters
            .iter()
            .map(|q| q.actions.total())
            .max()
            .unwrap_or(0);
        let axis = nice_axis(0.0, f64::from(max).max(4.0), 5);
        canvas.value_axis_y(&axis, (bottom, top), (x0, x1), |v| format!("{v:.0}"))?;
        let n = self.quarters.len().max(1) as i32;
        let slot = (x1 - x0) / n;
        let step = (self.quarters.len() / 12).max(1);
        for (i, quarter) in self.quarters.iter().enumerate() {
            let left = x0 + slot * i as i32 + slot / 5;
            let right = x0 + slot * (i as i32 + 1) - slot / 5;
            let mut level = 0.0;
            for (status, fill) in STATUS_ORDER {
                let count = quarter.actions.count(status);
                if count == 0 {
                    continue;
                }
                let y_low = axis.map(level, bottom, top);
                level += f64::from(count);
                canvas.rect(
                    (left, axis.map(level, bottom, top)),
                    (right.max(left + 2), y_low),
                    fill,
                )?;
            }
            if quarter.actions.overdue > 0 {
                let y = axis.map(level, bottom, top) - 6;
                canvas.text(
                    ((left + right) / 2, y),
                    &quarter.actions.overdue.to_string(),
                    SMALL,
                    Face::Bold,
                    ALERT,
                    HPos::Center,
                    VPos::Bottom,
                )?;
            }
            if i % step == 0 {
                canvas.label(
                    ((left + right) / 2, bottom + 8),
                    &quarter.label,
                    HPos::Center,
                    VPos::Top,
                )?;
            }
        }
        let mut legend: Vec<LegendEntry> = STATUS_ORDER
            .iter()
            .map(|(status, fill)| LegendEntry {
                label: texts.action_status(*status).to_string(),
                swatch: Swatch::Fill(*fill),
            })
            .collect();
        legend.push(LegendEntry {
            label: texts.overdue.to_string(),
            swatch: Swatch::Fill(ALERT),
        });
        canvas.legend((x0, bottom + 40), x1 - x0, &legend)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::Lang;
    use crate::report::sample::sample_portfolio;

    #[test]
    fn kinds_count_every_incident_and_sort_by_frequency() {
        let report = sample_portfolio(Lang::En, 500);
        let chart = KindSeverityChart::new(&report.incidents);
        let total: u32 = chart.rows.iter().flat_map(|r| r.1).sum();
        assert_eq!(total, 500);
        assert_eq!(chart.rows[0].0, "it_outage");
        assert!(
            chart
                .rows
                .windows(2)
                .all(|w| w[0].1.iter().sum::<u32>() >= w[1].1.iter().sum::<u32>())
        );
    }

    #[test]
    fn trends_and_medians_follow_the_quarters() {
        let report = sample_portfolio(Lang::En, 500);
        let trend = TrendChart::new(&report.quarters);
        assert_eq!(trend.quarters.len(), 6, "January 2025 to June 2026");
        assert_eq!(trend.quarters[0], "2025 Q1");
        let first = FirstMessageTrend::new(&report.incidents, &report.quarters);
        assert_eq!(first.medians.len(), 6);
        assert!(first.medians.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(first.value_axis.max >= first.points.iter().map(|p| p.1).fold(0.0, f64::max));
        assert_eq!(
            quarter_middle("2026 Q2").map(|d| d.date()),
            NaiveDate::from_ymd_opt(2026, 5, 15)
        );
    }
}
