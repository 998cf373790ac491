//! What the timeliness rules return: scores with their reasons and raw measurements (stored with
//! the rubric version), findings, and the data the timeline chart draws.

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::domain::Channel;
use crate::scoring::{EtaKind, Finding};

crate::text_enum!(
    /// The sub-scores of SCORING §1; `R` is the score of the replies to inbound mentions.
    SubScoreId {
        FirstMessage = "T1",
        Cadence = "T2",
        Commitments = "T3",
        AllClear = "T4",
        Proactivity = "T5",
        Sequencing = "T6",
        Replies = "R",
    }
);

crate::text_enum!(
    /// Why an audience score is not the weighted mean of its sub-scores.
    AudienceGate { NeverInformed = "never_informed", FirstMessageAtZero = "first_message_at_zero" }
);

crate::text_enum!(
    /// `Pending`: the incident is still open and nothing after the promise can judge it yet.
    PromiseOutcome { Kept = "kept", Broken = "broken", Pending = "pending" }
);

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelinessReport {
    pub rubric_version: i32,
    /// Weighted mean of the audience scores; `None` when the incident lists no affected audience.
    pub score: Option<f64>,
    /// `detected_at − started_at`: how long detection took, reported apart from communication.
    pub time_to_detect_min: Option<f64>,
    pub audiences: Vec<AudienceTimeliness>,
    /// Present when the incident had inbound mentions.
    pub replies: Option<ReplyReport>,
    /// For the clarity side: Honesty points each message loses for an ETA that did not hold.
    pub honesty_adjustments: Vec<HonestyAdjustment>,
    /// All findings, red first, then by impact.
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AudienceTimeliness {
    pub key: String,
    /// This audience's share of the incident score (weights renormalised over affected audiences).
    pub share: f64,
    pub score: f64,
    pub gate: Option<AudienceGate>,
    /// All seven sub-scores in a fixed order; those that do not apply have no score and weight 0.
    pub sub_scores: Vec<SubScore>,
    pub timeline: AudienceTimeline,
}

impl AudienceTimeliness {
    pub fn sub_score(&self, id: SubScoreId) -> Option<&SubScore> {
        self.sub_scores.iter().find(|s| s.id == id)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubScore {
    pub id: SubScoreId,
    /// `None`: does not apply to this audience or incident.
    pub score: Option<f64>,
    /// Share of the audience score after renormalisation.
    pub weight: f64,
    pub reason_en: String,
    pub reason_de: String,
    pub measurements: serde_json::Value,
}

impl SubScore {
    pub fn reason(&self, lang: &str) -> &str {
        if lang == "de" {
            &self.reason_de
        } else {
            &self.reason_en
        }
    }
}

/// One audience's lane in the timeline chart.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AudienceTimeline {
    pub first_message_at: Option<NaiveDateTime>,
    pub silences: Vec<Silence>,
    pub promises: Vec<PromiseDeadline>,
    pub channels: Vec<ChannelLag>,
}

/// A stretch without a message while the incident was unresolved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Silence {
    pub from: NaiveDateTime,
    pub to: NaiveDateTime,
    pub minutes: f64,
    pub target_min: f64,
    pub zero_min: f64,
    pub score: f64,
    /// Longer than its target.
    pub late: bool,
    /// Scored with the relaxed targets of a long incident with an announced slower pace.
    pub relaxed: bool,
}

/// A promised next update: when it was promised, when it was due, whether a message came.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PromiseDeadline {
    pub message_id: i64,
    pub promised_at: NaiveDateTime,
    pub due_at: NaiveDateTime,
    pub outcome: PromiseOutcome,
    /// The message that followed the promise.
    pub answered_at: Option<NaiveDateTime>,
    /// Broken with no message for more than one update interval after the due time (a red gate).
    pub passed_by_interval: bool,
}

/// The first message of one audience on one channel, and how long after its first message overall.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChannelLag {
    pub channel: Channel,
    pub first_at: NaiveDateTime,
    pub lag_min: f64,
    pub exceeds_interval: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplyReport {
    /// The audience that carries the replies score, if one of the affected audiences answers mentions.
    pub audience: Option<String>,
    pub score: f64,
    pub reply_target_min: f64,
    pub mentions: usize,
    pub answered: usize,
    /// Time to first reply over the answered mentions.
    pub median_min: Option<f64>,
    pub p90_min: Option<f64>,
    /// Of all mentions, answered within the reply target.
    pub within_target_share: f64,
    /// Of all replies; `None` without replies.
    pub redirected_share: Option<f64>,
    pub near_identical_share: Option<f64>,
    /// Where the crisis became known: the platform of the first mention.
    pub first_platform: String,
    pub apology_on_first_platform: bool,
    pub first_replies: Vec<FirstReply>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FirstReply {
    pub mention_id: i64,
    pub posted_at: NaiveDateTime,
    pub reply_id: Option<i64>,
    pub replied_at: Option<NaiveDateTime>,
    pub minutes: Option<f64>,
    pub within_target: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HonestyAdjustment {
    pub message_id: i64,
    /// Negative: points to subtract from the message's Honesty score.
    pub points: f64,
    pub eta_kind: EtaKind,
    pub eta_at: NaiveDateTime,
    pub reason_en: String,
    pub reason_de: String,
}
