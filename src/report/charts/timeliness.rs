//! Timeliness charts: time to first message against target, and the update gaps per audience.

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};
use plotters::style::text_anchor::{HPos, VPos};

use super::CHART_WIDTH;
use super::axis::{Axis, nice_axis};
use super::canvas::{Canvas, LABEL, LegendEntry, SMALL, Swatch};
use super::timeline::TimelineChart;
use crate::report::ReportError;
use crate::report::labels::Texts;
use crate::report::model::AudienceSummary;
use crate::report::pdf::fonts::{Face, FontSet};
use crate::report::style::{self, ALERT, INK, MUTED, Rgb, TARGET};

const LABEL_COLUMN: i32 = 200;
const RIGHT_PAD: i32 = 110;
const ROW: i32 = 44;
const AXIS: i32 = 40;

#[derive(Debug, Clone, PartialEq)]
pub struct FirstMessageRow {
    pub name: String,
    pub minutes: Option<f64>,
    pub target: Option<f64>,
}

impl FirstMessageRow {
    pub fn late(&self) -> bool {
        match (self.minutes, self.target) {
            (Some(m), Some(t)) => m > t,
            (None, _) => true,
            _ => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FirstMessageChart {
    pub rows: Vec<FirstMessageRow>,
    pub axis: Axis,
}

impl FirstMessageChart {
    pub fn new(audiences: &[AudienceSummary]) -> Self {
        let rows: Vec<FirstMessageRow> = audiences
            .iter()
            .map(|a| FirstMessageRow {
                name: a.name.clone(),
                minutes: a.first_message_minutes,
                target: a.first_message_target_minutes,
            })
            .collect();
        let max = rows
            .iter()
            .flat_map(|r| [r.minutes, r.target])
            .flatten()
            .fold(0.0, f64::max);
        Self {
            axis: nice_axis(0.0, max.max(10.0), 6),
            rows,
        }
    }

    pub fn size(&self) -> (u32, u32) {
        (
            CHART_WIDTH,
            (ROW * self.rows.len().max(1) as i32 + AXIS + 48) as u32,
        )
    }

    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        texts: &Texts,
        fonts: &'static FontSet,
    ) -> Result<(), ReportError> {
        let canvas = Canvas::new(area, "first_message", fonts)?;
        let (width, _) = canvas.size();
        let (x0, x1) = (LABEL_COLUMN, width - RIGHT_PAD);
        let bottom = 8 + ROW * self.rows.len().max(1) as i32;
        canvas.value_axis_x(&self.axis, (x0, x1), (8, bottom), |v| format!("{v:.0}"))?;
        canvas.label((x0 - 14, bottom + 8), texts.minutes, HPos::Right, VPos::Top)?;
        for (i, row) in self.rows.iter().enumerate() {
            let mid = 8 + ROW * i as i32 + ROW / 2;
            canvas.name(
                (x0 - 10, mid),
                &row.name,
                Face::Regular,
                LABEL_COLUMN - 16,
                HPos::Right,
            )?;
            match row.minutes {
                Some(minutes) => {
                    let fill = if row.late() { ALERT } else { style::SERIES[0] };
                    let end = self.axis.map(minutes, x0, x1);
                    canvas.rect((x0, mid - 11), (end.max(x0 + 2), mid + 11), fill)?;
                    canvas.text(
                        (end + 8, mid),
                        &texts.duration(minutes),
                        LABEL,
                        Face::Bold,
                        INK,
                        HPos::Left,
                        VPos::Center,
                    )?;
                }
                None => canvas.text(
                    (x0 + 8, mid),
                    texts.no_message,
                    LABEL,
                    Face::Italic,
                    ALERT,
                    HPos::Left,
                    VPos::Center,
                )?,
            }
            if let Some(target) = row.target {
                let tx = self.axis.map(target, x0, x1);
                canvas.line(vec![(tx, mid - 17), (tx, mid + 17)], TARGET, 4)?;
            }
        }
        let legend = [
            LegendEntry {
                label: texts.first_message.to_string(),
                swatch: Swatch::Fill(style::SERIES[0]),
            },
            LegendEntry {
                label: format!("{} > {}", texts.first_message, texts.target),
                swatch: Swatch::Fill(ALERT),
            },
            LegendEntry {
                label: texts.target.to_string(),
                swatch: Swatch::Line(TARGET),
            },
        ];
        canvas.legend((x0, bottom + AXIS), x1 - x0, &legend)?;
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct GapRow {
    pub name: String,
    pub series: usize,
    /// Length in minutes and whether it was late, for every silence.
    pub gaps: Vec<(f64, bool)>,
    pub interval: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UpdateGapsChart {
    pub rows: Vec<GapRow>,
    pub axis: Axis,
}

impl UpdateGapsChart {
    /// The silences as the timeline judged them, so both charts agree on what was late.
    pub fn new(timeline: &TimelineChart) -> Self {
        let rows: Vec<GapRow> = timeline
            .lanes
            .iter()
            .map(|lane| GapRow {
                name: lane.name.clone(),
                series: lane.series,
                gaps: lane
                    .silences
                    .iter()
                    .map(|s| (s.minutes(), s.late))
                    .collect(),
                interval: lane.update_interval_minutes,
            })
            .collect();
        let max = rows
            .iter()
            .flat_map(|r| r.gaps.iter().map(|g| g.0).chain(r.interval))
            .fold(0.0, f64::max);
        Self {
            axis: nice_axis(0.0, max.max(10.0), 6),
            rows,
        }
    }

    pub fn size(&self) -> (u32, u32) {
        (
            CHART_WIDTH,
            (ROW * self.rows.len().max(1) as i32 + AXIS + 48) as u32,
        )
    }

    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        texts: &Texts,
        fonts: &'static FontSet,
    ) -> Result<(), ReportError> {
        let canvas = Canvas::new(area, "update_gaps", fonts)?;
        let (width, _) = canvas.size();
        let summaries: Vec<String> = self
            .rows
            .iter()
            .map(|row| {
                let late = row.gaps.iter().filter(|g| g.1).count();
                texts
                    .late_of
                    .replace("{late}", &late.to_string())
                    .replace("{total}", &row.gaps.len().to_string())
            })
            .collect();
        let summary_width = summaries
            .iter()
            .map(|s| canvas.text_width(s, SMALL, Face::Bold))
            .max()
            .unwrap_or(0);
        let (x0, x1) = (LABEL_COLUMN, width - RIGHT_PAD.max(summary_width + 24));
        let bottom = 8 + ROW * self.rows.len().max(1) as i32;
        canvas.value_axis_x(&self.axis, (x0, x1), (8, bottom), |v| format!("{v:.0}"))?;
        canvas.label((x0 - 14, bottom + 8), texts.minutes, HPos::Right, VPos::Top)?;
        for (i, row) in self.rows.iter().enumerate() {
            let mid = 8 + ROW * i as i32 + ROW / 2;
            canvas.name(
                (x0 - 10, mid),
                &row.name,
                Face::Regular,
                LABEL_COLUMN - 16,
                HPos::Right,
            )?;
            canvas.line(vec![(x0, mid), (x1, mid)], Rgb(0xE3, 0xE6, 0xEA), 1)?;
            if let Some(interval) = row.interval {
                let ix = self.axis.map(interval, x0, x1);
                canvas.dashed(vec![(ix, mid - 18), (ix, mid + 18)], TARGET, 2)?;
            }
            // On-time gaps first so late ones are drawn on top where they overlap.
            let mut gaps = row.gaps.clone();
            gaps.sort_by_key(|g| g.1);
            for (minutes, late) in gaps {
                let gx = self.axis.map(minutes, x0, x1);
                let (fill, half) = if late {
                    (ALERT, 13)
                } else {
                    (Rgb(0x8A, 0x93, 0x9E), 9)
                };
                canvas.rect((gx - 2, mid - half), (gx + 2, mid + half), fill)?;
            }
            let colour = if row.gaps.iter().any(|g| g.1) {
                ALERT
            } else {
                MUTED
            };
            canvas.text(
                (x1 + 10, mid),
                &summaries[i],
                SMALL,
                Face::Bold,
                colour,
                HPos::Left,
                VPos::Center,
            )?;
        }
        let legend = [
            LegendEntry {
                label: texts.silence.to_string(),
                swatch: Swatch::Fill(Rgb(0x8A, 0x93, 0x9E)),
            },
            LegendEntry {
                label: texts.late_silence.to_string(),
                swatch: Swatch::Fill(ALERT),
            },
            LegendEntry {
                label: texts.target.to_string(),
                swatch: Swatch::Dashed(TARGET),
            },
        ];
        canvas.legend((x0, bottom + AXIS), x1 - x0, &legend)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::Lang;
    use crate::report::sample::sample_incident_report;

    #[test]
    fn first_message_axis_covers_the_slowest_audience_and_flags_late_ones() {
        let report = sample_incident_report(Lang::En);
        let chart = FirstMessageChart::new(&report.audiences);
        assert_eq!(chart.axis.min, 0.0);
        assert!(chart.axis.max >= 52.0);
        let late: Vec<bool> = chart.rows.iter().map(FirstMessageRow::late).collect();
        assert_eq!(late, [true, false, false, true, true]);
        let silent = FirstMessageRow {
            name: "x".into(),
            minutes: None,
            target: Some(15.0),
        };
        assert!(silent.late(), "no message at all is late");
    }

    #[test]
    fn update_gaps_agree_with_the_timeline() {
        let report = sample_incident_report(Lang::En);
        let timeline = TimelineChart::new(&report.audiences, &report.timeline);
        let gaps = UpdateGapsChart::new(&timeline);
        let late_in_timeline: usize = timeline
            .lanes
            .iter()
            .flat_map(|l| &l.silences)
            .filter(|s| s.late)
            .count();
        let late_in_gaps: usize = gaps
            .rows
            .iter()
            .flat_map(|r| &r.gaps)
            .filter(|g| g.1)
            .count();
        assert_eq!(late_in_gaps, late_in_timeline);
        assert!(gaps.axis.max >= 103.0);
    }
}
