//! One audience's timeliness: its sub-scores combined with renormalised weights, the gates of
//! SCORING §1 applied, and every finding priced in points of the audience score.

use super::cadence::cadence;
use super::channel_lag::channel_lags;
use super::commitments::commitments;
use super::context::{Assessment, AudienceContext, Costed};
use super::eta_honesty::EtaOutcome;
use super::measure::shares;
use super::milestones::{ExternalFirst, all_clear, first_message, proactivity, sequencing};
use super::model::TimedMention;
use super::report::{AudienceGate, AudienceTimeline, AudienceTimeliness, SubScore, SubScoreId};
use crate::scoring::{Finding, FindingSeverity};

/// What all audiences of the incident are compared with.
pub struct IncidentFacts<'a> {
    pub first_mention: Option<&'a TimedMention>,
    pub external_first: ExternalFirst,
    pub etas: &'a [EtaOutcome<'a>],
}

pub struct ScoredAudience {
    /// `share` is still 0: it depends on the other audiences.
    pub result: AudienceTimeliness,
    /// Impact in points of this audience's score.
    pub findings: Vec<Finding>,
}

const ORDER: [SubScoreId; 7] = [
    SubScoreId::FirstMessage,
    SubScoreId::Cadence,
    SubScoreId::Commitments,
    SubScoreId::AllClear,
    SubScoreId::Proactivity,
    SubScoreId::Sequencing,
    SubScoreId::Replies,
];

/// `replies` is the replies score when this audience answers the incident's mentions.
pub fn score_audience(
    ctx: &AudienceContext,
    facts: &IncidentFacts,
    replies: Option<Assessment>,
) -> ScoredAudience {
    let Some(first) = ctx.messages.first().copied() else {
        return never_informed(ctx, replies);
    };
    let rubric = &ctx.input.rubric;
    let w = &rubric.weights;
    let t1 = first_message(ctx, first);
    let t2 = cadence(ctx);
    let t3 = commitments(ctx, facts.etas);
    let lags = channel_lags(ctx);
    let replies = replies.unwrap_or_else(|| {
        Assessment::not_applicable(
            if ctx.audience.answers_mentions {
                "No inbound mentions to answer."
            } else {
                "Only the audience that answers mentions has a replies score."
            },
            if ctx.audience.answers_mentions {
                "Keine eingehenden Erwähnungen zu beantworten."
            } else {
                "Nur die Zielgruppe, die Erwähnungen beantwortet, hat eine Bewertung der Antworten."
            },
        )
    });
    let replies_share = if replies.score.is_some() {
        w.replies_share_of_cadence
    } else {
        0.0
    };
    let parts: Vec<(SubScoreId, f64, Assessment)> = vec![
        (SubScoreId::FirstMessage, w.first_message, t1.assessment),
        (
            SubScoreId::Cadence,
            w.cadence * (1.0 - replies_share),
            t2.assessment,
        ),
        (SubScoreId::Commitments, w.commitments, t3.assessment),
        (SubScoreId::AllClear, w.all_clear, all_clear(ctx)),
        (
            SubScoreId::Proactivity,
            w.proactivity,
            proactivity(ctx, first, facts.first_mention),
        ),
        (
            SubScoreId::Sequencing,
            w.sequencing,
            sequencing(ctx, first, &facts.external_first),
        ),
        (SubScoreId::Replies, w.cadence * replies_share, replies),
    ];
    let applicable_weights: Vec<f64> = parts
        .iter()
        .filter(|(_, _, a)| a.score.is_some())
        .map(|(_, weight, _)| *weight)
        .collect();
    let mut applicable_shares = shares(&applicable_weights).into_iter();
    let mut uncapped = 0.0;
    let mut sub_scores = Vec::with_capacity(parts.len());
    let mut findings = Vec::new();
    for (id, _, assessment) in parts {
        let share = match assessment.score {
            Some(score) => {
                let share = applicable_shares.next().unwrap_or(0.0);
                uncapped += share * score;
                share
            }
            None => 0.0,
        };
        for Costed {
            mut finding,
            points,
        } in assessment.findings
        {
            finding.impact = points * share;
            findings.push(finding);
        }
        sub_scores.push(SubScore {
            id,
            score: assessment.score,
            weight: share,
            reason_en: assessment.reason_en,
            reason_de: assessment.reason_de,
            measurements: assessment.measurements,
        });
    }
    let cap = rubric.late_first_message_cap;
    let (score, gate) = if t1.at_zero && uncapped > cap {
        // The cap's cost belongs to the late first message.
        if let Some(late) = findings.iter_mut().find(|f| f.code == "T1.late") {
            late.impact += uncapped - cap;
        }
        (cap, Some(AudienceGate::FirstMessageAtZero))
    } else if t1.at_zero {
        (uncapped, Some(AudienceGate::FirstMessageAtZero))
    } else {
        (uncapped, None)
    };
    findings.extend(lags.findings.into_iter().map(|c| c.finding));
    ScoredAudience {
        result: AudienceTimeliness {
            key: ctx.audience.key.clone(),
            share: 0.0,
            score: score.clamp(0.0, 100.0),
            gate,
            sub_scores,
            timeline: AudienceTimeline {
                first_message_at: Some(first.sent_at),
                silences: t2.silences,
                promises: t3.promises,
                channels: lags.lags,
            },
        },
        findings,
    }
}

/// The gate: an affected audience that got no message at all scores 0.
fn never_informed(ctx: &AudienceContext, replies: Option<Assessment>) -> ScoredAudience {
    let (en, de) = (
        "No message reached this audience.",
        "Keine Mitteilung erreichte diese Zielgruppe.",
    );
    let sub_scores = ORDER
        .iter()
        .map(|&id| {
            let first = id == SubScoreId::FirstMessage;
            SubScore {
                id,
                score: first.then_some(0.0),
                weight: if first { 1.0 } else { 0.0 },
                reason_en: en.to_string(),
                reason_de: de.to_string(),
                measurements: serde_json::Value::Null,
            }
        })
        .collect();
    let mut gate = ctx.finding(
        "gate.never_informed",
        FindingSeverity::Red,
        format!(
            "{} never received a message about the incident.",
            ctx.name_en()
        ),
        format!("{}: keine einzige Mitteilung zum Vorfall.", ctx.name_de()),
    );
    gate.impact = 100.0;
    gate.gap = Some((
        ctx.input.detected_at,
        ctx.input.resolved_at.unwrap_or(ctx.input.detected_at),
    ));
    let mut findings = vec![gate];
    // What the replies did is still worth knowing; the gate already accounts for every point.
    findings.extend(replies.into_iter().flat_map(|a| {
        a.findings.into_iter().map(|mut c| {
            c.finding.impact = 0.0;
            c.finding
        })
    }));
    ScoredAudience {
        result: AudienceTimeliness {
            key: ctx.audience.key.clone(),
            share: 0.0,
            score: 0.0,
            gate: Some(AudienceGate::NeverInformed),
            sub_scores,
            timeline: AudienceTimeline::default(),
        },
        findings,
    }
}
