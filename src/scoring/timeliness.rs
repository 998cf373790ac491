//! Timeliness (SCORING §1): per audience, then per incident.
//!
//! [`score_timeliness`] takes a [`TimelinessInput`] — plain facts of one incident with the text
//! properties already found by the text analysis — and returns a [`TimelinessReport`]: the incident
//! score, each audience's score with its sub-scores T1–T6 and R (replies), reasons in English and
//! German, raw measurements for storage, findings priced in points of the incident score, the
//! Honesty adjustments for stated ETAs that did not hold, and the lanes of the timeline chart.
//!
//! Decisions the rubric leaves open:
//! - Replies to a mention inform one person, not an audience: they count for the replies score
//!   only, never as a message to the audience (T1–T4, channel lag).
//! - T5 applies to external audiences, each measured by its own first message against the first
//!   mention. T6 applies to every internal audience of an incident that also affected an external
//!   one, measured against the first message to any affected external audience.
//! - T2 gives a silence the relaxed targets of a long incident when it starts at least
//!   `long_incident_after_min` after detection and after the slower pace was announced.
//! - A promised time repeated on another channel is one promise; a promise is kept by the first
//!   later message that does not merely repeat it. While the incident is open, promises and ETAs
//!   with nothing after them are not judged.
//! - An ETA is corrected by a later message to the same readers, sent before it passed, that
//!   states a different time.

mod audience;
mod cadence;
mod channel_lag;
mod commitments;
mod context;
mod eta_honesty;
mod measure;
mod milestones;
mod model;
mod replies;
mod reply_findings;
mod reply_text;
mod report;
mod rubric;
mod wording;

#[cfg(test)]
mod tests;

pub use measure::pl;
pub use model::{
    AudienceFacts, MENTIONS_AUDIENCE_KEY, TimedMention, TimedMessage, TimelinessInput,
};
pub use reply_text::redirects_to_private_channel;
pub use report::{
    AudienceGate, AudienceTimeline, AudienceTimeliness, ChannelLag, FirstReply, HonestyAdjustment,
    PromiseDeadline, PromiseOutcome, ReplyReport, Silence, SubScore, SubScoreId, TimelinessReport,
};
pub use rubric::{
    BySeverity, EtaPenalties, ReplyRubric, RubricError, TargetZero, TimelinessRubric,
    TimelinessWeights,
};

use audience::{IncidentFacts, score_audience};
use context::AudienceContext;
use eta_honesty::{eta_honesty, eta_outcomes};
use measure::{minutes_between, shares};
use milestones::ExternalFirst;
use wording::Clock;

use crate::scoring::{Finding, FindingSeverity, RUBRIC_VERSION};

pub fn score_timeliness(input: &TimelinessInput) -> TimelinessReport {
    let mut messages: Vec<&TimedMessage> = input.messages.iter().collect();
    messages.sort_by_key(|m| (m.sent_at, m.id));
    let mut mentions = input.mentions.clone();
    mentions.sort_by_key(|m| (m.posted_at, m.id));
    let clock = Clock::new(input.tz, input.detected_at);

    let etas = eta_outcomes(input, &messages);
    let honesty = eta_honesty(input, &etas, &clock);
    let reply_audience = input.audiences.iter().find(|a| a.answers_mentions);
    let replies = replies::replies(input, &messages, &mentions, reply_audience);

    let contexts: Vec<AudienceContext> = input
        .audiences
        .iter()
        .map(|a| AudienceContext::new(input, a, &messages, clock))
        .collect();
    let facts = IncidentFacts {
        first_mention: mentions.first(),
        external_first: external_first(&contexts),
        etas: &etas,
    };

    let (report_replies, mut reply_assessment) = match replies {
        Some(r) => (Some(r.report), Some(r.assessment)),
        None => (None, None),
    };
    let mut findings: Vec<Finding> = Vec::new();
    let mut scored = Vec::with_capacity(contexts.len());
    for ctx in &contexts {
        let own_replies = if reply_audience.is_some_and(|a| a.key == ctx.audience.key) {
            reply_assessment.take()
        } else {
            None
        };
        scored.push(score_audience(ctx, &facts, own_replies));
    }
    // Replies no affected audience answers for are reported without costing points.
    if let Some(unscored) = reply_assessment {
        findings.extend(unscored.findings.into_iter().map(|mut c| {
            c.finding.impact = 0.0;
            c.finding
        }));
    }

    let audience_shares = shares(&input.audiences.iter().map(|a| a.weight).collect::<Vec<_>>());
    let mut audiences = Vec::with_capacity(scored.len());
    for (mut s, share) in scored.into_iter().zip(audience_shares) {
        s.result.share = share;
        findings.extend(s.findings.into_iter().map(|mut f| {
            f.impact *= share;
            f
        }));
        audiences.push(s.result);
    }
    let score = (!audiences.is_empty()).then(|| {
        audiences
            .iter()
            .map(|a| a.share * a.score)
            .sum::<f64>()
            .clamp(0.0, 100.0)
    });
    findings.extend(honesty.findings);
    sort_findings(&mut findings);

    TimelinessReport {
        rubric_version: RUBRIC_VERSION,
        score,
        time_to_detect_min: input
            .started_at
            .map(|started| minutes_between(started, input.detected_at)),
        audiences,
        replies: report_replies,
        honesty_adjustments: honesty.adjustments,
        findings,
    }
}

fn external_first(contexts: &[AudienceContext]) -> ExternalFirst {
    let external: Vec<&AudienceContext> =
        contexts.iter().filter(|c| !c.audience.internal).collect();
    if external.is_empty() {
        return ExternalFirst::NoExternalAudience;
    }
    external
        .iter()
        .filter_map(|c| c.messages.first().map(|m| m.sent_at))
        .min()
        .map_or(ExternalFirst::NoExternalMessage, ExternalFirst::At)
}

/// Red first, then by impact, then by a fixed key so equal findings never swap places.
fn sort_findings(findings: &mut [Finding]) {
    let rank = |s: FindingSeverity| match s {
        FindingSeverity::Red => 0,
        FindingSeverity::Amber => 1,
        FindingSeverity::Info => 2,
        FindingSeverity::Good => 3,
    };
    findings.sort_by(|a, b| {
        rank(a.severity)
            .cmp(&rank(b.severity))
            .then(b.impact.total_cmp(&a.impact))
            .then_with(|| a.audience.cmp(&b.audience))
            .then_with(|| a.code.cmp(&b.code))
            .then_with(|| a.message_id.cmp(&b.message_id))
            .then_with(|| a.gap.cmp(&b.gap))
    });
}
