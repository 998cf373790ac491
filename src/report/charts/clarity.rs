//! Clarity per message over the course of the incident, averaged per time bin when there are
//! thousands of messages.

use chrono::{Duration, NaiveDateTime};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};
use plotters::style::text_anchor::{HPos, VPos};

use super::CHART_WIDTH;
use super::axis::{TimeAxis, score_axis};
use super::canvas::{Canvas, LegendEntry, Swatch};
use crate::report::ReportError;
use crate::report::labels::Texts;
use crate::report::model::{AudienceSummary, MessageClarity};
use crate::report::pdf::fonts::FontSet;
use crate::report::style::{self};

/// More points than this are averaged per audience and time bin.
pub const MAX_CLARITY_POINTS: usize = 400;

#[derive(Debug, Clone, PartialEq)]
pub struct ClarityPoint {
    pub at: NaiveDateTime,
    pub series: usize,
    pub score: f64,
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClarityChart {
    pub axis: TimeAxis,
    pub points: Vec<ClarityPoint>,
    pub legend: Vec<(String, usize)>,
    pub binned: bool,
}

impl ClarityChart {
    pub fn new(audiences: &[AudienceSummary], clarity: &[MessageClarity]) -> Self {
        let series_of = |key: &str| {
            audiences
                .iter()
                .position(|a| a.key == key)
                .unwrap_or(audiences.len())
        };
        let start = clarity.iter().map(|c| c.at).min();
        let end = clarity.iter().map(|c| c.at).max();
        let axis = match (start, end) {
            (Some(s), Some(e)) => {
                let pad = Duration::seconds(((e - s).num_seconds() / 30).max(120));
                TimeAxis::new(s - pad, e + pad, 9)
            }
            _ => TimeAxis::new(
                NaiveDateTime::default(),
                NaiveDateTime::default() + Duration::hours(1),
                6,
            ),
        };
        let mut points: Vec<ClarityPoint> = clarity
            .iter()
            .map(|c| ClarityPoint {
                at: c.at,
                series: series_of(&c.audience),
                score: c.score.clamp(0.0, 100.0),
                count: 1,
            })
            .collect();
        let binned = points.len() > MAX_CLARITY_POINTS;
        if binned {
            points = bin_clarity(&points, &axis, 60);
        }
        let mut legend: Vec<(String, usize)> = audiences
            .iter()
            .enumerate()
            .map(|(i, a)| (a.name.clone(), i))
            .collect();
        legend.retain(|(_, i)| points.iter().any(|p| p.series == *i));
        Self {
            axis,
            points,
            legend,
            binned,
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
        let canvas = Canvas::new(area, "clarity", fonts)?;
        let (width, height) = canvas.size();
        let (x0, x1) = (60, width - 16);
        let (top, bottom) = (36, height - 100);
        let axis = score_axis();
        canvas.label((x0, 4), texts.score, HPos::Left, VPos::Top)?;
        canvas.value_axis_y(&axis, (bottom, top), (x0, x1), |v| format!("{v:.0}"))?;
        for tick in &self.axis.ticks {
            let x = self.axis.map(*tick, x0, x1);
            canvas.label(
                (x, bottom + 8),
                &self.axis.label(*tick),
                HPos::Center,
                VPos::Top,
            )?;
        }
        for point in &self.points {
            let (colour, marker) = style::series(point.series);
            let at = (
                self.axis.map(point.at, x0, x1),
                axis.map(point.score, bottom, top),
            );
            let size = if point.count > 1 {
                6 + (point.count as f64).log2().min(6.0) as i32
            } else {
                6
            };
            canvas.marker(marker, at, size, colour, false)?;
        }
        let legend: Vec<LegendEntry> = self
            .legend
            .iter()
            .map(|(name, series)| {
                let (colour, marker) = style::series(*series);
                LegendEntry {
                    label: name.clone(),
                    swatch: Swatch::Marker(marker, colour),
                }
            })
            .collect();
        canvas.legend((x0, bottom + 44), x1 - x0, &legend)?;
        Ok(())
    }
}

/// Mean score per audience and time bin, placed at the bin's mean time.
pub fn bin_clarity(points: &[ClarityPoint], axis: &TimeAxis, bins: usize) -> Vec<ClarityPoint> {
    use std::collections::BTreeMap;
    let span = (axis.end - axis.start).num_seconds().max(1) as f64;
    let mut grouped: BTreeMap<(usize, usize), (i64, f64, usize)> = BTreeMap::new();
    for p in points {
        let offset = (p.at - axis.start).num_seconds();
        let bin = ((offset as f64 / span) * bins as f64)
            .floor()
            .clamp(0.0, (bins - 1) as f64) as usize;
        let entry = grouped.entry((p.series, bin)).or_insert((0, 0.0, 0));
        entry.0 += offset * p.count as i64;
        entry.1 += p.score * p.count as f64;
        entry.2 += p.count;
    }
    grouped
        .into_iter()
        .map(|((series, _), (seconds, score_sum, count))| ClarityPoint {
            at: axis.start + Duration::seconds(seconds / count as i64),
            series,
            score: score_sum / count as f64,
            count,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::Lang;
    use crate::report::sample::sample_huge_incident;

    #[test]
    fn many_clarity_points_are_averaged_per_audience_and_bin() {
        let report = sample_huge_incident(Lang::En, 5000);
        let chart = ClarityChart::new(&report.audiences, &report.clarity);
        assert!(chart.binned);
        assert!(chart.points.len() <= 60 * report.audiences.len());
        assert_eq!(chart.points.iter().map(|p| p.count).sum::<usize>(), 5000);
        let weighted: f64 = chart.points.iter().map(|p| p.score * p.count as f64).sum();
        let direct: f64 = report.clarity.iter().map(|c| c.score).sum();
        assert!((weighted - direct).abs() < 1e-6 * direct);
        let small = ClarityChart::new(&report.audiences, &report.clarity[..50]);
        assert!(!small.binned);
        assert_eq!(small.points.len(), 50);
    }
}
