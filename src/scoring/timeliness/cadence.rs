//! T2 cadence: every silence while the incident was unresolved, scored against the update
//! interval and averaged by duration, so one long silence outweighs several short ones.

use chrono::NaiveDateTime;
use serde_json::json;

use super::context::{Assessment, AudienceContext, Costed, minutes};
use super::measure::{minutes_between, pl, plus_minutes, weighted_mean};
use super::model::TimedMessage;
use super::report::Silence;
use crate::scoring::FindingSeverity;

pub struct Cadence {
    pub assessment: Assessment,
    pub silences: Vec<Silence>,
}

/// When the audience was told to expect a slower pace: the first message whose promised next
/// update lies further away than the update interval.
fn slower_pace_announced_at(ctx: &AudienceContext) -> Option<NaiveDateTime> {
    let interval = ctx.interval_min();
    ctx.messages
        .iter()
        .find(|m| {
            m.next_update_at
                .is_some_and(|next| minutes_between(m.sent_at, next) > interval)
        })
        .map(|m| m.sent_at)
}

/// Message → message, and last message → resolution; messages from the resolution on end the
/// unresolved stretch and do not start a silence.
fn stretches(ctx: &AudienceContext) -> Vec<(NaiveDateTime, NaiveDateTime)> {
    let resolved = ctx.input.resolved_at;
    let during: Vec<&TimedMessage> = ctx
        .messages
        .iter()
        .copied()
        .filter(|m| resolved.is_none_or(|r| m.sent_at < r))
        .collect();
    let mut out: Vec<_> = during
        .windows(2)
        .map(|pair| (pair[0].sent_at, pair[1].sent_at))
        .collect();
    if let (Some(last), Some(r)) = (during.last(), resolved) {
        out.push((last.sent_at, r));
    }
    // Two messages in the same minute on different channels are one update, not a silence.
    out.retain(|(from, to)| to > from);
    out
}

pub fn cadence(ctx: &AudienceContext) -> Cadence {
    let stretches = stretches(ctx);
    if stretches.is_empty() {
        return Cadence {
            assessment: Assessment::not_applicable(
                "No silence between messages before the resolution to score.",
                "Keine Pause zwischen Mitteilungen vor der Behebung zu bewerten.",
            ),
            silences: Vec::new(),
        };
    }
    let rubric = &ctx.input.rubric;
    let interval = ctx.interval_min();
    let announced = slower_pace_announced_at(ctx);
    let long_from = plus_minutes(ctx.input.detected_at, rubric.long_incident_after_min);
    let silences: Vec<Silence> = stretches
        .into_iter()
        .map(|(from, to)| {
            let relaxed = from >= long_from && announced.is_some_and(|at| at <= from);
            let factor = if relaxed {
                rubric.long_incident_factor
            } else {
                1.0
            };
            let target_min = interval * factor;
            let zero_min = interval * rubric.cadence_zero_factor * factor;
            let length = minutes_between(from, to);
            let score = pl(length, target_min, zero_min);
            Silence {
                from,
                to,
                minutes: length,
                target_min,
                zero_min,
                score,
                late: length > target_min,
                relaxed,
            }
        })
        .collect();
    let total: f64 = silences.iter().map(|s| s.minutes).sum();
    let weighted: Vec<(f64, f64)> = silences.iter().map(|s| (s.minutes, s.score)).collect();
    let score = weighted_mean(&weighted).unwrap_or(100.0);
    let late = silences.iter().filter(|s| s.late).count();
    let n = silences.len();
    let longest = silences
        .iter()
        .reduce(|a, b| if b.minutes > a.minutes { b } else { a });
    let (longest_en, longest_de) = longest.map_or_else(Default::default, |s| {
        let d = minutes(s.minutes);
        (
            format!(
                "the longest was {} ({})",
                d.en,
                ctx.clock.range_en(s.from, s.to)
            ),
            format!(
                "die längste dauerte {} ({})",
                d.de,
                ctx.clock.range_de(s.from, s.to)
            ),
        )
    });
    let base = minutes(interval);
    let relaxed_target = silences
        .iter()
        .find(|s| s.relaxed)
        .map(|s| minutes(s.target_min));
    let (limit_en, limit_de) = match &relaxed_target {
        None => (base.en.clone(), base.de.clone()),
        Some(r) => (
            format!(
                "their target ({}; {} at the announced slower pace after {})",
                base.en,
                r.en,
                minutes(rubric.long_incident_after_min).en
            ),
            format!(
                "ihr Ziel ({}; {} beim angekündigten langsameren Takt nach {})",
                base.de,
                r.de,
                minutes(rubric.long_incident_after_min).de
            ),
        ),
    };
    let reason_en = format!(
        "{late} of {n} silence{} exceeded {limit_en}; {longest_en}.",
        if n == 1 { "" } else { "s" }
    );
    let reason_de = format!(
        "{late} von {n} {} {} {limit_de}; {longest_de}.",
        if n == 1 { "Pause" } else { "Pausen" },
        if late == 1 || n == 1 {
            "überschritt"
        } else {
            "überschritten"
        }
    );
    let mut assessment = Assessment::scored(
        score,
        reason_en,
        reason_de,
        json!({
            "silences": n,
            "late": late,
            "total_min": total,
            "longest_min": longest.map(|s| s.minutes),
            "interval_min": interval,
            "slower_pace_announced_at": announced,
            "relaxed_silences": silences.iter().filter(|s| s.relaxed).count(),
        }),
    );
    let sev = ctx.severity();
    for s in silences.iter().filter(|s| s.score < 100.0) {
        let (d, t) = (minutes(s.minutes), minutes(s.target_min));
        let (pace_en, pace_de) = if s.relaxed {
            (
                format!("even at the announced slower pace the target is {}", t.en),
                format!("auch beim angekündigten langsameren Takt sind es {}", t.de),
            )
        } else {
            (
                format!("the update interval for {sev} is {}", t.en),
                format!("das Update-Intervall bei {sev} beträgt {}", t.de),
            )
        };
        let mut finding = ctx.finding(
            "T2.silence",
            FindingSeverity::Amber,
            format!(
                "{} heard nothing for {} ({}) while the incident was unresolved; {pace_en}.",
                ctx.name_en(),
                d.en,
                ctx.clock.range_en(s.from, s.to)
            ),
            format!(
                "{}: {} ohne Mitteilung ({}), während der Vorfall andauerte; {pace_de}.",
                ctx.name_de(),
                d.de,
                ctx.clock.range_de(s.from, s.to)
            ),
        );
        finding.gap = Some((s.from, s.to));
        assessment = assessment.with(Costed::new(finding, s.minutes * (100.0 - s.score) / total));
    }
    if late == 0 {
        let mut finding = ctx.finding(
            "T2.steady",
            FindingSeverity::Good,
            format!(
                "{} got updates on schedule: no silence exceeded its target; {longest_en}.",
                ctx.name_en()
            ),
            format!(
                "{}: Updates im vorgesehenen Takt, keine Pause überschritt ihr Ziel; {longest_de}.",
                ctx.name_de()
            ),
        );
        // The longest silence is the one the sentence names.
        finding.gap = longest.map(|s| (s.from, s.to));
        assessment = assessment.with(Costed::free(finding));
    }
    Cadence {
        assessment,
        silences,
    }
}
