//! What came of the communication: measured against perceived scores per audience, and the
//! status of the improvement actions.

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};
use plotters::style::text_anchor::{HPos, VPos};

use super::CHART_WIDTH;
use super::axis::score_axis;
use super::canvas::{Canvas, LABEL, LegendEntry, SMALL, Swatch};
use crate::report::ReportError;
use crate::report::labels::Texts;
use crate::report::model::{ActionStatus, AudienceSummary, ImprovementAction};
use crate::report::pdf::fonts::{Face, FontSet};
use crate::report::style::{self, ALERT, INK, MUTED, Rgb};

const LABEL_COLUMN: i32 = 200;
const RIGHT_PAD: i32 = 110;
const AXIS: i32 = 40;

#[derive(Debug, Clone, PartialEq)]
pub struct MeasuredPerceivedChart {
    /// Audience name, measured overall and perceived score.
    pub rows: Vec<(String, Option<f64>, Option<f64>)>,
}

const MEASURED: Rgb = style::SERIES[0];
const PERCEIVED: Rgb = style::SERIES[1];

impl MeasuredPerceivedChart {
    pub fn new(audiences: &[AudienceSummary]) -> Self {
        Self {
            rows: audiences
                .iter()
                .map(|a| (a.name.clone(), a.scores.overall, a.scores.perceived))
                .collect(),
        }
    }

    pub fn size(&self) -> (u32, u32) {
        (
            CHART_WIDTH,
            (52 * self.rows.len().max(1) as i32 + AXIS + 48) as u32,
        )
    }

    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        texts: &Texts,
        fonts: &'static FontSet,
    ) -> Result<(), ReportError> {
        let canvas = Canvas::new(area, "measured_perceived", fonts)?;
        let (width, _) = canvas.size();
        let (x0, x1) = (LABEL_COLUMN, width - RIGHT_PAD);
        let bottom = 8 + 52 * self.rows.len().max(1) as i32;
        let axis = score_axis();
        canvas.value_axis_x(&axis, (x0, x1), (8, bottom), |v| format!("{v:.0}"))?;
        for (i, (name, measured, perceived)) in self.rows.iter().enumerate() {
            let top = 8 + 52 * i as i32 + 8;
            canvas.name(
                (x0 - 10, top + 16),
                name,
                Face::Regular,
                LABEL_COLUMN - 16,
                HPos::Right,
            )?;
            for (j, (value, fill)) in [(measured, MEASURED), (perceived, PERCEIVED)]
                .into_iter()
                .enumerate()
            {
                let y = top + j as i32 * 18;
                match value {
                    Some(v) => {
                        let end = axis.map(*v, x0, x1);
                        canvas.rect((x0, y), (end.max(x0 + 2), y + 15), fill)?;
                        canvas.text(
                            (end + 6, y + 8),
                            &texts.number(*v, 0),
                            SMALL,
                            Face::Bold,
                            INK,
                            HPos::Left,
                            VPos::Center,
                        )?;
                    }
                    None => canvas.text(
                        (x0 + 6, y + 8),
                        texts.not_measured,
                        SMALL,
                        Face::Italic,
                        MUTED,
                        HPos::Left,
                        VPos::Center,
                    )?,
                }
            }
        }
        let legend = [
            LegendEntry {
                label: texts.measured.to_string(),
                swatch: Swatch::Fill(MEASURED),
            },
            LegendEntry {
                label: texts.perceived.to_string(),
                swatch: Swatch::Fill(PERCEIVED),
            },
        ];
        canvas.legend((x0, bottom + AXIS), x1 - x0, &legend)?;
        Ok(())
    }
}

/// Fills per action status, ordered as the bar stacks them; neighbours differ in grey value.
pub const STATUS_ORDER: [(ActionStatus, Rgb); 4] = [
    (ActionStatus::Done, Rgb(0x00, 0x72, 0xB2)),
    (ActionStatus::InProgress, Rgb(0x9A, 0xD0, 0xF0)),
    (ActionStatus::Open, Rgb(0xD5, 0x5E, 0x00)),
    (ActionStatus::WontDo, Rgb(0xC8, 0xC8, 0xC8)),
];

#[derive(Debug, Clone, PartialEq)]
pub struct ActionStatusChart {
    pub counts: Vec<(ActionStatus, u32)>,
    pub overdue: u32,
}

impl ActionStatusChart {
    pub fn new(actions: &[ImprovementAction]) -> Self {
        let counts = STATUS_ORDER
            .iter()
            .map(|(status, _)| {
                (
                    *status,
                    actions.iter().filter(|a| a.status == *status).count() as u32,
                )
            })
            .collect();
        Self {
            counts,
            overdue: actions.iter().filter(|a| a.overdue).count() as u32,
        }
    }

    pub fn size(&self) -> (u32, u32) {
        (CHART_WIDTH, 120)
    }

    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        texts: &Texts,
        fonts: &'static FontSet,
    ) -> Result<(), ReportError> {
        let canvas = Canvas::new(area, "action_status", fonts)?;
        let (width, _) = canvas.size();
        let total: u32 = self.counts.iter().map(|c| c.1).sum();
        let (x0, x1) = (0, width - 160);
        let mut x = x0;
        for ((_, count), (_, fill)) in self.counts.iter().zip(STATUS_ORDER) {
            if *count == 0 || total == 0 {
                continue;
            }
            let w = ((x1 - x0) as f64 * f64::from(*count) / f64::from(total)).round() as i32;
            canvas.rect((x, 10), (x + w, 50), fill)?;
            let label = format!("{count}");
            let text_colour = if fill.grey_value() < 0.5 {
                Rgb::WHITE
            } else {
                INK
            };
            if canvas.text_width(&label, LABEL, Face::Bold) + 8 < w {
                canvas.text(
                    (x + w / 2, 30),
                    &label,
                    LABEL,
                    Face::Bold,
                    text_colour,
                    HPos::Center,
                    VPos::Center,
                )?;
            }
            x += w;
        }
        if self.overdue > 0 {
            let text = format!("{} {}", self.overdue, texts.overdue);
            canvas.text(
                (x1 + 14, 30),
                &text,
                LABEL,
                Face::Bold,
                ALERT,
                HPos::Left,
                VPos::Center,
            )?;
        }
        let legend: Vec<LegendEntry> = self
            .counts
            .iter()
            .zip(STATUS_ORDER)
            .map(|((status, count), (_, fill))| LegendEntry {
                label: format!("{} ({count})", texts.action_status(*status)),
                swatch: Swatch::Fill(fill),
            })
            .collect();
        canvas.legend((x0, 66), width, &legend)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::Lang;
    use crate::report::sample::sample_incident_report;

    #[test]
    fn action_status_counts_every_action_once() {
        let report = sample_incident_report(Lang::De);
        let chart = ActionStatusChart::new(&report.actions);
        assert_eq!(
            chart.counts.iter().map(|c| c.1).sum::<u32>() as usize,
            report.actions.len()
        );
        assert_eq!(chart.overdue, 1);
        assert_eq!(chart.counts[0], (ActionStatus::Done, 1));
    }
}
