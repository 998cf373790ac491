//! The incident timeline: phases as shaded bands, one lane per audience with its messages,
//! promised-update deadlines and the silences between messages, late ones highlighted.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDateTime};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};
use plotters::style::text_anchor::{HPos, VPos};

use super::CHART_WIDTH;
use super::axis::TimeAxis;
use super::canvas::{Canvas, LegendEntry, SMALL, Swatch};
use crate::report::ReportError;
use crate::report::labels::Texts;
use crate::report::model::{AudienceSummary, MessageKind, Phase, PhaseKind, Timeline};
use crate::report::pdf::fonts::{Face, FontSet};
use crate::report::style::{self, ALERT, INK, MUTED, RULE, Rgb};

/// More markers than this in one lane are grouped into time bins, so a lane stays readable and
/// a chart of thousands of messages stays small.
pub const MAX_MARKERS_PER_LANE: usize = 30;

#[derive(Debug, Clone, PartialEq)]
pub struct LaneMarker {
    pub at: NaiveDateTime,
    /// Messages this marker stands for (1 unless binned).
    pub count: usize,
    pub late: bool,
    pub kind: MessageKind,
}

#[derive(Debug, Clone, PartialEq)]
pub struct JudgedSilence {
    pub from: NaiveDateTime,
    pub to: NaiveDateTime,
    pub late: bool,
}

impl JudgedSilence {
    pub fn minutes(&self) -> f64 {
        (self.to - self.from).num_seconds() as f64 / 60.0
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PromiseMark {
    pub promised_at: NaiveDateTime,
    pub due: NaiveDateTime,
    pub kept: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    pub audience: String,
    pub name: String,
    /// Index into the series colours and markers.
    pub series: usize,
    pub markers: Vec<LaneMarker>,
    pub promises: Vec<PromiseMark>,
    pub silences: Vec<JudgedSilence>,
    pub update_interval_minutes: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TimelineChart {
    pub axis: TimeAxis,
    pub detected_at: NaiveDateTime,
    pub resolved_at: Option<NaiveDateTime>,
    pub phases: Vec<Phase>,
    pub lanes: Vec<Lane>,
    pub binned: bool,
}

/// Lanes in the order of the report's audiences; audiences that appear only in the timeline
/// follow in order of their first appearance, named by their key.
pub fn assign_lanes(audiences: &[AudienceSummary], timeline: &Timeline) -> Vec<Lane> {
    let mut lanes: Vec<Lane> = audiences
        .iter()
        .enumerate()
        .map(|(i, a)| Lane {
            audience: a.key.clone(),
            name: a.name.clone(),
            series: i,
            markers: Vec::new(),
            promises: Vec::new(),
            silences: Vec::new(),
            update_interval_minutes: a.update_interval_minutes,
        })
        .collect();
    let mut index: BTreeMap<String, usize> = lanes
        .iter()
        .enumerate()
        .map(|(i, l)| (l.audience.clone(), i))
        .collect();
    let mut lane_of = |key: &str, lanes: &mut Vec<Lane>| -> usize {
        if let Some(i) = index.get(key) {
            return *i;
        }
        let i = lanes.len();
        lanes.push(Lane {
            audience: key.to_string(),
            name: key.to_string(),
            series: i,
            markers: Vec::new(),
            promises: Vec::new(),
            silences: Vec::new(),
            update_interval_minutes: None,
        });
        index.insert(key.to_string(), i);
        i
    };
    for message in &timeline.messages {
        let i = lane_of(&message.audience, &mut lanes);
        lanes[i].markers.push(LaneMarker {
            at: message.at,
            count: 1,
            late: message.late,
            kind: message.kind,
        });
    }
    for promise in &timeline.promises {
        let i = lane_of(&promise.audience, &mut lanes);
        lanes[i].promises.push(PromiseMark {
            promised_at: promise.promised_at,
            due: promise.due,
            kept: promise.kept,
        });
    }
    for silence in &timeline.silences {
        let i = lane_of(&silence.audience, &mut lanes);
        let interval = lanes[i].update_interval_minutes;
        let judged = JudgedSilence {
            from: silence.from,
            to: silence.to,
            late: false,
        };
        let late = silence.late.unwrap_or_else(|| is_late(&judged, interval));
        lanes[i].silences.push(JudgedSilence { late, ..judged });
    }
    for lane in &mut lanes {
        lane.markers.sort_by_key(|m| m.at);
        lane.silences.sort_by_key(|s| s.from);
    }
    lanes
}

/// A silence is late when it is longer than the audience's update interval; without an
/// interval nothing can be judged late.
pub fn is_late(silence: &JudgedSilence, update_interval_minutes: Option<f64>) -> bool {
    update_interval_minutes.is_some_and(|interval| silence.minutes() > interval)
}

/// Groups markers into at most `bins` equal time bins over the axis; a bin is late if any of
/// its messages was.
pub fn bin_markers(markers: &[LaneMarker], axis: &TimeAxis, bins: usize) -> Vec<LaneMarker> {
    let span = (axis.end - axis.start).num_seconds().max(1) as f64;
    let mut grouped: BTreeMap<usize, (i64, usize, bool, MessageKind)> = BTreeMap::new();
    for marker in markers {
        let offset = (marker.at - axis.start).num_seconds() as f64;
        let bin = ((offset / span) * bins as f64)
            .floor()
            .clamp(0.0, (bins - 1) as f64) as usize;
        let entry = grouped.entry(bin).or_insert((0, 0, false, marker.kind));
        entry.0 += (marker.at - axis.start).num_seconds() * marker.count as i64;
        entry.1 += marker.count;
        entry.2 |= marker.late;
    }
    grouped
        .into_values()
        // A bin sits at the mean time of its messages.
        .map(|(seconds, count, late, kind)| LaneMarker {
            at: axis.start + Duration::seconds(seconds / count.max(1) as i64),
            count,
            late,
            kind,
        })
        .collect()
}

impl TimelineChart {
    pub fn new(audiences: &[AudienceSummary], timeline: &Timeline) -> Self {
        let mut lanes = assign_lanes(audiences, timeline);
        let mut start = timeline.detected_at;
        let mut end = timeline.resolved_at.unwrap_or(timeline.detected_at);
        let mut widen = |at: NaiveDateTime| {
            start = start.min(at);
            end = end.max(at);
        };
        for phase in &timeline.phases {
            widen(phase.from);
            widen(phase.to);
        }
        for lane in &lanes {
            lane.markers.iter().for_each(|m| widen(m.at));
            lane.promises.iter().for_each(|p| widen(p.due));
            lane.silences.iter().for_each(|s| widen(s.to));
        }
        let pad = Duration::seconds(((end - start).num_seconds() / 30).max(60));
        let axis = TimeAxis::new(start - pad, end + pad, 9);
        let mut binned = false;
        for lane in &mut lanes {
            if lane.markers.len() > MAX_MARKERS_PER_LANE {
                lane.markers = bin_markers(&lane.markers, &axis, MAX_MARKERS_PER_LANE);
                binned = true;
            }
        }
        Self {
            axis,
            detected_at: timeline.detected_at,
            resolved_at: timeline.resolved_at,
            phases: timeline.phases.clone(),
            lanes,
            binned,
        }
    }

    pub fn height(&self) -> u32 {
        (TOP_BAND + LANE_HEIGHT * self.lanes.len().max(1) as i32 + AXIS_HEIGHT + LEGEND_HEIGHT)
            as u32
    }

    pub fn size(&self) -> (u32, u32) {
        (CHART_WIDTH, self.height())
    }
}

const LABEL_COLUMN: i32 = 230;
const RIGHT_PAD: i32 = 16;
const TOP_BAND: i32 = 34;
const LANE_HEIGHT: i32 = 58;
const AXIS_HEIGHT: i32 = 40;
const LEGEND_HEIGHT: i32 = 92;

fn phase_fill(kind: PhaseKind) -> Rgb {
    match kind {
        PhaseKind::Undetected => Rgb(0xE4, 0xE4, 0xE4),
        PhaseKind::Investigating => Rgb(0xFC, 0xEB, 0xD2),
        PhaseKind::Mitigating => Rgb(0xFB, 0xF5, 0xD0),
        PhaseKind::Monitoring => Rgb(0xDD, 0xEC, 0xF7),
        PhaseKind::Resolved => Rgb(0xDC, 0xF1, 0xE8),
    }
}

pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &TimelineChart,
    texts: &Texts,
    fonts: &'static FontSet,
) -> Result<(), ReportError> {
    let canvas = Canvas::new(area, "timeline", fonts)?;
    let (width, _) = canvas.size();
    let x0 = LABEL_COLUMN;
    let x1 = width - RIGHT_PAD;
    let lanes_top = TOP_BAND;
    let lanes_bottom = TOP_BAND + LANE_HEIGHT * chart.lanes.len().max(1) as i32;
    let x = |at: NaiveDateTime| chart.axis.map(at, x0, x1);

    for phase in &chart.phases {
        let (from, to) = (x(phase.from), x(phase.to));
        canvas.rect(
            (from, lanes_top - 4),
            (to.max(from + 1), lanes_bottom),
            phase_fill(phase.kind),
        )?;
    }
    for tick in &chart.axis.ticks {
        let tx = x(*tick);
        canvas.line(vec![(tx, lanes_top - 4), (tx, lanes_bottom)], RULE, 1)?;
        canvas.label(
            (tx, lanes_bottom + 8),
            &chart.axis.label(*tick),
            HPos::Center,
            VPos::Top,
        )?;
    }
    let detected = x(chart.detected_at);
    canvas.line(
        vec![(detected, lanes_top - 4), (detected, lanes_bottom)],
        INK,
        2,
    )?;
    canvas.text(
        (detected + 4, 4),
        texts.detected,
        SMALL,
        Face::Bold,
        INK,
        HPos::Left,
        VPos::Top,
    )?;
    if let Some(resolved) = chart.resolved_at {
        let rx = x(resolved);
        canvas.dashed(vec![(rx, lanes_top - 4), (rx, lanes_bottom)], INK, 2)?;
        canvas.text(
            (rx - 4, 4),
            texts.resolved,
            SMALL,
            Face::Bold,
            INK,
            HPos::Right,
            VPos::Top,
        )?;
    }

    for (i, lane) in chart.lanes.iter().enumerate() {
        let top = lanes_top + LANE_HEIGHT * i as i32;
        let mid = top + LANE_HEIGHT / 2 + 4;
        let (colour, marker) = style::series(lane.series);
        canvas.marker(marker, (12, mid), 6, colour, false)?;
        canvas.name(
            (26, mid),
            &lane.name,
            Face::Bold,
            LABEL_COLUMN - 34,
            HPos::Left,
        )?;
        canvas.line(
            vec![(x0, top + LANE_HEIGHT), (x1, top + LANE_HEIGHT)],
            RULE,
            1,
        )?;
        canvas.line(vec![(x0, mid), (x1, mid)], RULE, 1)?;
        for silence in &lane.silences {
            let (from, to) = (x(silence.from), x(silence.to));
            let fill = if silence.late {
                ALERT
            } else {
                Rgb(0xB8, 0xBE, 0xC7)
            };
            let thickness = if silence.late { 6 } else { 3 };
            canvas.rect(
                (from, mid + 10),
                (to.max(from + 2), mid + 10 + thickness),
                fill,
            )?;
        }
        for promise in &lane.promises {
            let (from, due) = (x(promise.promised_at), x(promise.due));
            canvas.dashed(vec![(from, mid - 16), (due, mid - 16)], MUTED, 1)?;
            let fill = if promise.kept { INK } else { ALERT };
            canvas.marker(
                style::Marker::Diamond,
                (due, mid - 16),
                4,
                fill,
                !promise.kept,
            )?;
        }
        if lane.markers.is_empty() {
            canvas.text(
                (x0 + 8, mid - 2),
                texts.no_message,
                SMALL,
                Face::Italic,
                ALERT,
                HPos::Left,
                VPos::Bottom,
            )?;
        }
        // Counts are written only while they fit between the markers; otherwise a binned
        // marker's size says how many messages it stands for.
        let label_counts = lane.markers.len() <= 15;
        for m in &lane.markers {
            let mx = x(m.at);
            let size = if m.count > 1 {
                6 + (m.count as f64).log2().clamp(0.0, 5.0) as i32
            } else {
                7
            };
            if m.late {
                canvas.marker(marker, (mx, mid), size + 4, ALERT, true)?;
            }
            canvas.marker(marker, (mx, mid), size, colour, false)?;
            if m.count > 1 && label_counts {
                canvas.text(
                    (mx, mid - 14),
                    &m.count.to_string(),
                    SMALL,
                    Face::Bold,
                    INK,
                    HPos::Center,
                    VPos::Bottom,
                )?;
            }
        }
    }

    let mut legend = vec![
        LegendEntry {
            label: texts.message.to_string(),
            swatch: Swatch::Marker(style::Marker::Circle, style::SERIES[0]),
        },
        LegendEntry {
            label: texts.late_message.to_string(),
            swatch: Swatch::Ring(style::Marker::Circle, ALERT),
        },
        LegendEntry {
            label: texts.silence.to_string(),
            swatch: Swatch::Fill(Rgb(0xB8, 0xBE, 0xC7)),
        },
        LegendEntry {
            label: texts.late_silence.to_string(),
            swatch: Swatch::Fill(ALERT),
        },
        LegendEntry {
            label: texts.promise_kept.to_string(),
            swatch: Swatch::Marker(style::Marker::Diamond, INK),
        },
        LegendEntry {
            label: texts.promise_missed.to_string(),
            swatch: Swatch::Marker(style::Marker::Diamond, ALERT),
        },
    ];
    for phase in dedup_phases(&chart.phases) {
        legend.push(LegendEntry {
            label: texts.phase(phase).to_string(),
            swatch: Swatch::Fill(phase_fill(phase)),
        });
    }
    canvas.legend((x0, lanes_bottom + AXIS_HEIGHT), x1 - x0, &legend)?;
    Ok(())
}

fn dedup_phases(phases: &[Phase]) -> Vec<PhaseKind> {
    let mut kinds: Vec<PhaseKind> = Vec::new();
    for phase in phases {
        if !kinds.contains(&phase.kind) {
            kinds.push(phase.kind);
        }
    }
    kinds
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::{Lang, PromisedUpdate, Silence, TimelineMessage};
    use crate::report::sample::{sample_huge_incident, sample_incident_report};

    fn message(minute: i64, audience: &str) -> TimelineMessage {
        TimelineMessage {
            at: NaiveDateTime::default() + Duration::minutes(minute),
            audience: audience.into(),
            kind: MessageKind::Update,
            channel: "E-Mail".into(),
            late: false,
        }
    }

    #[test]
    fn lanes_follow_the_audiences_and_unknown_ones_come_last() {
        let report = sample_incident_report(Lang::En);
        let mut timeline = report.timeline.clone();
        timeline.messages.push(message(30, "press"));
        let lanes = assign_lanes(&report.audiences, &timeline);
        let keys: Vec<&str> = lanes.iter().map(|l| l.audience.as_str()).collect();
        assert_eq!(
            keys,
            [
                "customers",
                "it_users",
                "it_teams",
                "management",
                "public",
                "press"
            ]
        );
        assert_eq!(lanes[5].name, "press");
        assert_eq!(lanes[5].series, 5);
        assert_eq!(lanes[0].markers.len(), 5, "customers got five messages");
        assert!(lanes[0].markers.windows(2).all(|w| w[0].at <= w[1].at));
        assert_eq!(
            lanes.iter().map(|l| l.markers.len()).sum::<usize>(),
            timeline.messages.len()
        );
    }

    #[test]
    fn silences_longer_than_the_interval_are_late_unless_scoring_said_otherwise() {
        let report = sample_incident_report(Lang::En);
        let start = report.timeline.detected_at;
        let silence = |from: i64, to: i64, late: Option<bool>| Silence {
            audience: "customers".into(),
            from: start + Duration::minutes(from),
            to: start + Duration::minutes(to),
            late,
        };
        let timeline = Timeline {
            silences: vec![
                silence(0, 25, None),
                silence(25, 65, None),
                silence(65, 100, Some(false)),
                silence(100, 110, Some(true)),
            ],
            ..report.timeline.clone()
        };
        let lanes = assign_lanes(&report.audiences, &timeline);
        let judged: Vec<bool> = lanes[0].silences.iter().map(|s| s.late).collect();
        assert_eq!(judged, [false, true, false, true]);
        let no_interval = JudgedSilence {
            from: start,
            to: start + Duration::hours(5),
            late: false,
        };
        assert!(!is_late(&no_interval, None));
    }

    #[test]
    fn the_sample_flags_the_employees_long_silence() {
        let report = sample_incident_report(Lang::De);
        let chart = TimelineChart::new(&report.audiences, &report.timeline);
        let employees = &chart.lanes[1];
        let longest = employees
            .silences
            .iter()
            .map(JudgedSilence::minutes)
            .fold(0.0, f64::max);
        assert_eq!(longest, 103.0, "10:05 until resolution at 11:48");
        assert!(
            employees
                .silences
                .iter()
                .any(|s| s.late && s.minutes() == 103.0)
        );
    }

    #[test]
    fn the_axis_covers_every_message_promise_and_phase() {
        let report = sample_incident_report(Lang::En);
        let chart = TimelineChart::new(&report.audiences, &report.timeline);
        let earliest = report
            .timeline
            .phases
            .iter()
            .map(|p| p.from)
            .min()
            .unwrap_or_default();
        let latest = report
            .timeline
            .messages
            .iter()
            .map(|m| m.at)
            .max()
            .unwrap_or_default();
        assert!(
            chart.axis.start < earliest,
            "{} vs {earliest}",
            chart.axis.start
        );
        assert!(chart.axis.end > latest);
        assert!(
            chart
                .axis
                .ticks
                .iter()
                .all(|t| *t >= chart.axis.start && *t <= chart.axis.end)
        );
        assert!(!chart.binned);
        let promise = PromisedUpdate {
            audience: "management".into(),
            promised_at: latest,
            due: latest + Duration::hours(3),
            kept: false,
        };
        let mut timeline = report.timeline.clone();
        timeline.promises.push(promise);
        assert!(
            TimelineChart::new(&report.audiences, &timeline).axis.end
                >= latest + Duration::hours(3)
        );
    }

    #[test]
    fn thousands_of_messages_are_binned_without_losing_any() {
        let report = sample_huge_incident(Lang::En, 5000);
        let chart = TimelineChart::new(&report.audiences, &report.timeline);
        assert!(chart.binned);
        let shown: usize = chart
            .lanes
            .iter()
            .flat_map(|l| &l.markers)
            .map(|m| m.count)
            .sum();
        assert_eq!(shown, 5000);
        assert!(
            chart
                .lanes
                .iter()
                .all(|l| l.markers.len() <= MAX_MARKERS_PER_LANE)
        );
        let late_messages = report.timeline.messages.iter().filter(|m| m.late).count();
        let late_bins = chart
            .lanes
            .iter()
            .flat_map(|l| &l.markers)
            .filter(|m| m.late)
            .count();
        assert!(late_bins > 0 && late_bins <= late_messages);
    }

    #[test]
    fn a_bin_sits_at_the_mean_time_of_its_messages() {
        let axis = TimeAxis::new(
            NaiveDateTime::default(),
            NaiveDateTime::default() + Duration::minutes(100),
            5,
        );
        let markers: Vec<LaneMarker> = [10, 12, 14]
            .iter()
            .map(|m| LaneMarker {
                at: NaiveDateTime::default() + Duration::minutes(*m),
                count: 1,
                late: *m == 14,
                kind: MessageKind::Update,
            })
            .collect();
        let bins = bin_markers(&markers, &axis, 2);
        assert_eq!(bins.len(), 1);
        assert_eq!(bins[0].count, 3);
        assert!(bins[0].late);
        assert_eq!(bins[0].at, NaiveDateTime::default() + Duration::minutes(12));
    }
}
