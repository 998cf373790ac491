//! What the timeliness rules read: plain facts about one incident, already separated from storage.
//! The text properties a rule needs (the kind of a stated ETA, whether a message apologises) come
//! from the text analysis as fields, so these rules never parse message bodies themselves — except
//! the few reply cues of [`super::reply_text`].

use chrono::NaiveDateTime;
use chrono_tz::Tz;

use super::rubric::TimelinessRubric;
use crate::domain::{Audience, Channel, Mention, Message, MessageKind, PolicyTargets, Severity};
use crate::scoring::EtaKind;

#[derive(Debug, Clone)]
pub struct TimelinessInput {
    pub severity: Severity,
    /// Clock start of every measure: the moment the organisation knew.
    pub detected_at: NaiveDateTime,
    /// When users were first affected; only for the time-to-detect figure.
    pub started_at: Option<NaiveDateTime>,
    /// `None` while the incident is open: measures that need the end are then left out.
    pub resolved_at: Option<NaiveDateTime>,
    /// Whether the incident called for an apology (preventable or repeated).
    pub apology_expected: bool,
    /// The audiences the incident affected, in the organisation's order.
    pub audiences: Vec<AudienceFacts>,
    pub messages: Vec<TimedMessage>,
    pub mentions: Vec<TimedMention>,
    /// Zone of the clock times written into reasons and findings.
    pub tz: Tz,
    pub rubric: TimelinessRubric,
}

#[derive(Debug, Clone)]
pub struct AudienceFacts {
    pub key: String,
    pub name_en: String,
    pub name_de: String,
    /// Staff of the organisation: T6 applies to it, T5 does not.
    pub internal: bool,
    /// Share in the incident score before renormalisation over the affected audiences.
    pub weight: f64,
    /// The policy targets for the incident's severity and this audience.
    pub policy: PolicyTargets,
    /// This is the audience inbound mentions are answered for (the public / social-media audience):
    /// it carries the replies score.
    pub answers_mentions: bool,
}

/// The audience key whose members write the mentions Debrief imports (SPEC §2 defaults).
pub const MENTIONS_AUDIENCE_KEY: &str = "public";

impl AudienceFacts {
    pub fn from_audience(audience: &Audience, policy: PolicyTargets) -> Self {
        Self {
            key: audience.key.clone(),
            name_en: audience.name_en.clone(),
            name_de: audience.name_de.clone(),
            internal: audience.internal,
            weight: audience.weight,
            policy,
            answers_mentions: audience.key == MENTIONS_AUDIENCE_KEY,
        }
    }
}

#[derive(Debug, Clone)]
pub struct TimedMessage {
    pub id: i64,
    pub sent_at: NaiveDateTime,
    /// Audience keys.
    pub audiences: Vec<String>,
    pub channel: Channel,
    /// Social-media platform, compared with the platform of the first mention.
    pub platform: Option<String>,
    pub kind: MessageKind,
    /// The mention this message answers.
    pub in_reply_to: Option<i64>,
    pub next_update_at: Option<NaiveDateTime>,
    pub eta_at: Option<NaiveDateTime>,
    /// How the ETA was worded (from the text analysis).
    pub eta_kind: EtaKind,
    /// The message apologises, fully or in a stock phrase (from the text analysis).
    pub apologises: bool,
    /// The body, for the reply cues (redirects, copy-paste).
    pub text: String,
}

impl TimedMessage {
    /// The stored message with the two text properties the analysis found in it.
    pub fn from_message(message: &Message, eta_kind: EtaKind, apologises: bool) -> Self {
        Self {
            id: message.id,
            sent_at: message.sent_at,
            audiences: message.audiences.clone(),
            channel: message.channel,
            platform: message.platform.clone(),
            kind: message.kind,
            in_reply_to: message.in_reply_to,
            next_update_at: message.next_update_at,
            eta_at: message.eta_at,
            eta_kind,
            apologises,
            text: message.body.clone(),
        }
    }

    /// A reply to one person's mention informs that person, not the audience as a whole.
    pub fn is_reply(&self) -> bool {
        self.kind == MessageKind::Reply || self.in_reply_to.is_some()
    }

    pub fn is_all_clear(&self) -> bool {
        matches!(
            self.kind,
            MessageKind::Resolution | MessageKind::PostIncident
        )
    }

    pub fn is_for(&self, audience_key: &str) -> bool {
        self.audiences.iter().any(|a| a == audience_key)
    }
}

#[derive(Debug, Clone)]
pub struct TimedMention {
    pub id: i64,
    pub posted_at: NaiveDateTime,
    pub platform: String,
    /// Removed from reply texts before they are compared for copy-paste.
    pub author_handle: String,
}

impl From<&Mention> for TimedMention {
    fn from(m: &Mention) -> Self {
        Self {
            id: m.id,
            posted_at: m.posted_at,
            platform: m.platform.clone(),
            author_handle: m.author_handle.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Language;
    use chrono::NaiveDate;

    fn t(h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, 10)
            .and_then(|d| d.and_hms_opt(h, m, 0))
            .expect("valid")
    }

    #[test]
    fn stored_records_become_timeliness_facts() {
        let public = Audience {
            id: 6,
            key: "public".into(),
            name_en: "Public / social media".into(),
            name_de: "Öffentlichkeit / Social Media".into(),
            internal: false,
            lay: true,
            weight: 0.4,
            position: 6,
        };
        let facts =
            AudienceFacts::from_audience(&public, PolicyTargets::default_for(Severity::Sev2));
        assert!(facts.answers_mentions && !facts.internal);
        assert_eq!(facts.policy.update_interval_min, 60);
        let staff = Audience {
            key: "employees".into(),
            internal: true,
            ..public
        };
        assert!(
            !AudienceFacts::from_audience(&staff, PolicyTargets::default_for(Severity::Sev2))
                .answers_mentions
        );

        let message = Message {
            id: 7,
            incident_id: 1,
            sent_at: t(10, 5),
            audiences: vec!["public".into()],
            channel: Channel::SocialMedia,
            platform: Some("X".into()),
            author: "Comms".into(),
            subject: None,
            body: "We are sorry. Please DM us.".into(),
            body_html: None,
            language: Language::En,
            kind: MessageKind::Reply,
            in_reply_to: Some(3),
            next_update_at: None,
            eta_at: Some(t(12, 0)),
            source: None,
            external_id: None,
        };
        let timed = TimedMessage::from_message(&message, EtaKind::Hedged, true);
        assert!(timed.is_reply() && timed.is_for("public") && !timed.is_all_clear());
        assert_eq!(
            (timed.eta_kind, timed.apologises, timed.text.as_str()),
            (EtaKind::Hedged, true, "We are sorry. Please DM us.")
        );

        let mention = Mention {
            id: 3,
            incident_id: 1,
            posted_at: t(10, 0),
            platform: "x".into(),
            author_handle: "@anna".into(),
            text: "Down again?".into(),
            url: None,
            external_id: None,
        };
        let timed = TimedMention::from(&mention);
        assert_eq!((timed.id, timed.author_handle.as_str()), (3, "@anna"));
    }
}
