//! Replies to inbound mentions (SCORING §1): how fast each mention got its first reply, how many
//! replies were pasted copies, how many sent people to a private channel, and whether an apology
//! was posted where the crisis became known. Scored for the audience that answers mentions.

use std::collections::BTreeMap;

use serde_json::json;

use super::context::Assessment;
use super::measure::{minutes_between, percentile, pl, ratio, shares, weighted_mean};
use super::model::{AudienceFacts, TimedMention, TimedMessage, TimelinessInput};
use super::reply_findings::{reply_findings, reply_reason};
use super::reply_text::{jaccard, normalised_words, redirects_to_private_channel, shingles};
use super::report::{FirstReply, ReplyReport};
use crate::domain::PolicyTargets;
use crate::stats::median;

pub struct Replies {
    pub report: ReplyReport,
    /// The `R` sub-score, with findings priced in its points.
    pub assessment: Assessment,
}

/// What the replies score and its findings are computed from.
pub struct ReplyMeasures {
    pub score: f64,
    pub audience_key: Option<String>,
    pub target_min: f64,
    pub first_replies: Vec<FirstReply>,
    /// `pl` of each mention's first reply, 0 for an unanswered one; in mention order.
    pub speed_points: Vec<f64>,
    pub speed: f64,
    pub median_min: Option<f64>,
    pub p90_min: Option<f64>,
    pub replies: usize,
    pub redirected: usize,
    pub copied: usize,
    /// `None` below two replies: nothing to copy from.
    pub near_identical_share: Option<f64>,
    pub first_platform: String,
    pub apology_on_first_platform: bool,
    /// Shares of the score's components that apply: speed, personal answers, apology.
    pub speed_share: f64,
    pub personal_share: Option<f64>,
    pub apology_share: Option<f64>,
}

impl ReplyMeasures {
    pub fn mentions(&self) -> usize {
        self.first_replies.len()
    }

    pub fn answered(&self) -> usize {
        self.first_replies
            .iter()
            .filter(|f| f.minutes.is_some())
            .count()
    }

    pub fn within_target(&self) -> usize {
        self.first_replies
            .iter()
            .filter(|f| f.within_target)
            .count()
    }
}

/// Which replies have a near-identical copy among the others.
fn copies(
    replies: &[&TimedMessage],
    mentions_by_id: &BTreeMap<i64, &TimedMention>,
    input: &TimelinessInput,
) -> Vec<bool> {
    let rubric = &input.rubric.replies;
    let shingled: Vec<Vec<u64>> = replies
        .iter()
        .map(|r| {
            let handle = r
                .in_reply_to
                .and_then(|id| mentions_by_id.get(&id))
                .map(|m| m.author_handle.as_str());
            shingles(&normalised_words(&r.text, handle), rubric.shingle_words)
        })
        .collect();
    let mut copied = vec![false; replies.len()];
    for i in 0..shingled.len() {
        for j in i + 1..shingled.len() {
            if jaccard(&shingled[i], &shingled[j]) >= rubric.near_identical_similarity {
                copied[i] = true;
                copied[j] = true;
            }
        }
    }
    copied
}

fn first_replies(
    mentions: &[TimedMention],
    replies: &[&TimedMessage],
    target: f64,
) -> Vec<FirstReply> {
    // Replies are in time order, so the first one kept per mention is its first reply.
    let mut first_reply_to: BTreeMap<i64, &TimedMessage> = BTreeMap::new();
    for r in replies {
        if let Some(id) = r.in_reply_to {
            first_reply_to.entry(id).or_insert(r);
        }
    }
    mentions
        .iter()
        .map(|m| {
            let reply = first_reply_to.get(&m.id);
            let delay = reply.map(|r| minutes_between(m.posted_at, r.sent_at).max(0.0));
            FirstReply {
                mention_id: m.id,
                posted_at: m.posted_at,
                reply_id: reply.map(|r| r.id),
                replied_at: reply.map(|r| r.sent_at),
                minutes: delay,
                within_target: delay.is_some_and(|d| d <= target),
            }
        })
        .collect()
}

fn measure(
    input: &TimelinessInput,
    sorted_messages: &[&TimedMessage],
    mentions: &[TimedMention],
    audience: Option<&AudienceFacts>,
) -> ReplyMeasures {
    let rubric = &input.rubric.replies;
    let policy = audience.map_or_else(|| PolicyTargets::default_for(input.severity), |a| a.policy);
    let target = f64::from(policy.reply_target_min);
    let zero = target * rubric.zero_factor;
    let replies: Vec<&TimedMessage> = sorted_messages
        .iter()
        .copied()
        .filter(|m| m.is_reply())
        .collect();
    let first_replies = first_replies(mentions, &replies, target);
    let speed_points: Vec<f64> = first_replies
        .iter()
        .map(|f| f.minutes.map_or(0.0, |d| pl(d, target, zero)))
        .collect();
    let speed =
        weighted_mean(&speed_points.iter().map(|p| (1.0, *p)).collect::<Vec<_>>()).unwrap_or(0.0);
    let delays: Vec<f64> = first_replies.iter().filter_map(|f| f.minutes).collect();

    let mentions_by_id: BTreeMap<i64, &TimedMention> = mentions.iter().map(|m| (m.id, m)).collect();
    let copied = copies(&replies, &mentions_by_id, input)
        .into_iter()
        .filter(|c| *c)
        .count();
    let near_identical_share = (replies.len() >= 2).then(|| ratio(copied, replies.len()));
    let first_platform = mentions
        .first()
        .map(|m| m.platform.trim().to_string())
        .unwrap_or_default();
    let apology_on_first_platform = sorted_messages.iter().any(|m| {
        m.apologises
            && m.platform
                .as_deref()
                .is_some_and(|p| p.trim().eq_ignore_ascii_case(&first_platform))
    });

    // The components that apply, with their weights renormalised.
    let mut parts = vec![(rubric.speed_weight, speed)];
    if let Some(share) = near_identical_share {
        parts.push((rubric.personal_weight, 100.0 * (1.0 - share)));
    }
    if input.apology_expected {
        let apology = if apology_on_first_platform {
            100.0
        } else {
            0.0
        };
        parts.push((rubric.apology_weight, apology));
    }
    let part_shares = shares(&parts.iter().map(|(w, _)| *w).collect::<Vec<_>>());
    ReplyMeasures {
        score: weighted_mean(&parts).unwrap_or(speed),
        audience_key: audience.map(|a| a.key.clone()),
        target_min: target,
        median_min: median(&delays),
        p90_min: percentile(&delays, 90.0),
        first_replies,
        speed_points,
        speed,
        replies: replies.len(),
        redirected: replies
            .iter()
            .filter(|r| redirects_to_private_channel(&r.text))
            .count(),
        copied,
        near_identical_share,
        first_platform,
        apology_on_first_platform,
        speed_share: part_shares[0],
        personal_share: near_identical_share.map(|_| part_shares[1]),
        apology_share: input
            .apology_expected
            .then(|| part_shares[part_shares.len() - 1]),
    }
}

/// `sorted_messages` by `(sent_at, id)`, `mentions` by `(posted_at, id)`. `None` without mentions.
pub fn replies(
    input: &TimelinessInput,
    sorted_messages: &[&TimedMessage],
    mentions: &[TimedMention],
    audience: Option<&AudienceFacts>,
) -> Option<Replies> {
    if mentions.is_empty() {
        return None;
    }
    let m = measure(input, sorted_messages, mentions, audience);
    let score = m.score;
    let (reason_en, reason_de) = reply_reason(&m);
    let assessment = Assessment {
        score: Some(score),
        reason_en,
        reason_de,
        measurements: json!({
            "mentions": m.mentions(),
            "answered": m.answered(),
            "within_target": m.within_target(),
            "reply_target_min": m.target_min,
            "median_min": m.median_min,
            "p90_min": m.p90_min,
            "speed": m.speed,
            "replies": m.replies,
            "redirected": m.redirected,
            "near_identical": m.copied,
            "first_platform": m.first_platform,
            "apology_on_first_platform": m.apology_on_first_platform,
        }),
        findings: reply_findings(&m, &input.rubric.replies),
    };
    let report = ReplyReport {
        audience: m.audience_key.clone(),
        score,
        reply_target_min: m.target_min,
        mentions: m.mentions(),
        answered: m.answered(),
        median_min: m.median_min,
        p90_min: m.p90_min,
        within_target_share: ratio(m.within_target(), m.mentions()),
        redirected_share: (m.replies > 0).then(|| ratio(m.redirected, m.replies)),
        near_identical_share: m.near_identical_share,
        first_platform: m.first_platform,
        apology_on_first_platform: m.apology_on_first_platform,
        first_replies: m.first_replies,
    };
    Some(Replies { report, assessment })
}
