//! Axis ranges and ticks: "nice" numbers for values, round clock times for time axes.

use chrono::{Duration, NaiveDateTime, Timelike};

#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    pub min: f64,
    pub max: f64,
    pub ticks: Vec<f64>,
}

impl Axis {
    /// Position of `value` between `from` and `to` (chart units), clamped to the axis.
    pub fn map(&self, value: f64, from: i32, to: i32) -> i32 {
        let span = (self.max - self.min).max(f64::EPSILON);
        let t = ((value - self.min) / span).clamp(0.0, 1.0);
        (f64::from(from) + t * f64::from(to - from)).round() as i32
    }
}

/// An axis from `min` to at least `max` with about `target` ticks at 1, 2 or 5 × 10ⁿ steps.
/// The range starts at `min` when it is itself a tick and covers every value.
pub fn nice_axis(min: f64, max: f64, target: usize) -> Axis {
    let (min, max) = if max > min {
        (min, max)
    } else {
        (min, min + 1.0)
    };
    let raw_step = (max - min) / target.max(1) as f64;
    let magnitude = 10f64.powf(raw_step.log10().floor());
    // No 2.5 steps: tick labels are whole numbers.
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw_step)
        .unwrap_or(10.0 * magnitude);
    let start = (min / step).floor() * step;
    let end = (max / step).ceil() * step;
    let count = ((end - start) / step).round() as usize;
    let ticks = (0..=count).map(|i| start + i as f64 * step).collect();
    Axis {
        min: start,
        max: end,
        ticks,
    }
}

/// The fixed 0–100 axis every score chart shares, so charts compare at a glance.
pub fn score_axis() -> Axis {
    Axis {
        min: 0.0,
        max: 100.0,
        ticks: vec![0.0, 25.0, 50.0, 75.0, 100.0],
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TimeAxis {
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub ticks: Vec<NaiveDateTime>,
    /// Whether ticks fall on different days, so labels need the date.
    pub multi_day: bool,
}

const STEPS_MINUTES: [i64; 12] = [5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080];

impl TimeAxis {
    /// Covers `start`–`end` with ticks at round clock times, about `target` of them.
    pub fn new(start: NaiveDateTime, end: NaiveDateTime, target: usize) -> Self {
        let end = if end > start {
            end
        } else {
            start + Duration::minutes(30)
        };
        let span = (end - start).num_minutes().max(1);
        let step = STEPS_MINUTES
            .iter()
            .copied()
            .find(|s| span / s <= target.max(1) as i64)
            .unwrap_or(10080);
        let mut tick = floor_to(start, step) + Duration::minutes(step);
        if tick - Duration::minutes(step) == start {
            tick = start;
        }
        let mut ticks = Vec::new();
        while tick <= end {
            ticks.push(tick);
            tick += Duration::minutes(step);
        }
        let multi_day = start.date() != end.date();
        Self {
            start,
            end,
            ticks,
            multi_day,
        }
    }

    pub fn map(&self, at: NaiveDateTime, from: i32, to: i32) -> i32 {
        let span = (self.end - self.start).num_seconds().max(1) as f64;
        let t = ((at - self.start).num_seconds() as f64 / span).clamp(0.0, 1.0);
        (f64::from(from) + t * f64::from(to - from)).round() as i32
    }

    pub fn label(&self, tick: NaiveDateTime) -> String {
        if self.multi_day && tick.hour() == 0 && tick.minute() == 0 {
            tick.format("%d.%m.").to_string()
        } else {
            tick.format("%H:%M").to_string()
        }
    }
}

/// `at` rounded down to a multiple of `step` minutes since midnight (or whole days).
fn floor_to(at: NaiveDateTime, step: i64) -> NaiveDateTime {
    let midnight = at.date().and_hms_opt(0, 0, 0).unwrap_or(at);
    if step >= 1440 {
        return midnight;
    }
    let minutes = (at - midnight).num_minutes();
    midnight + Duration::minutes(minutes - minutes.rem_euclid(step))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, 14)
            .and_then(|d| d.and_hms_opt(h, m, 0))
            .unwrap_or_default()
    }

    #[test]
    fn nice_axes_cover_the_values_with_round_steps() {
        let axis = nice_axis(0.0, 87.0, 5);
        assert_eq!(axis.min, 0.0);
        assert_eq!(axis.max, 100.0);
        assert_eq!(axis.ticks, vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        let minutes = nice_axis(0.0, 52.0, 4);
        assert_eq!(minutes.ticks.last().copied(), Some(60.0));
        assert!(
            minutes
                .ticks
                .windows(2)
                .all(|w| (w[1] - w[0] - 20.0).abs() < 1e-9),
            "{:?}",
            minutes.ticks
        );
    }

    #[test]
    fn an_empty_range_still_gives_an_axis() {
        let axis = nice_axis(0.0, 0.0, 4);
        assert!(axis.max > axis.min);
        assert!(axis.ticks.len() >= 2);
    }

    #[test]
    fn time_ticks_fall_on_round_clock_times() {
        let axis = TimeAxis::new(at(9, 12), at(12, 40), 8);
        assert_eq!(axis.ticks.first().copied(), Some(at(9, 30)));
        assert!(axis.ticks.iter().all(|t| t.minute() % 30 == 0));
        assert!(axis.ticks.len() <= 8);
        assert_eq!(axis.label(at(10, 0)), "10:00");
        assert!(!axis.multi_day);
    }

    #[test]
    fn mapping_is_linear_and_clamped() {
        let axis = TimeAxis::new(at(10, 0), at(11, 0), 6);
        assert_eq!(axis.map(at(10, 30), 0, 100), 50);
        assert_eq!(axis.map(at(12, 0), 0, 100), 100);
        let values = score_axis();
        assert_eq!(values.map(25.0, 400, 0), 300);
    }
}
