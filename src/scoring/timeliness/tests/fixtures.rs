//! Small builders for incidents in the tests: times are minutes on 10 March 2026 (UTC unless a
//! test picks a zone), audiences are the SPEC defaults with the policy of the severity.

use chrono::{NaiveDate, NaiveDateTime};

use super::super::{
    AudienceFacts, SubScoreId, TimedMention, TimedMessage, TimelinessInput, TimelinessReport,
    TimelinessRubric, score_timeliness,
};
use crate::domain::{Channel, MessageKind, PolicyTargets, Severity};
use crate::scoring::{EtaKind, Finding};

/// 10 March 2026 at `h:m` UTC.
pub fn at(h: u32, m: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 3, 10)
        .and_then(|d| d.and_hms_opt(h, m, 0))
        .expect("valid test time")
}

pub fn audience(key: &str, severity: Severity) -> AudienceFacts {
    let (name_en, name_de, internal, weight) = match key {
        "customers" => ("Customers", "Kundinnen und Kunden", false, 0.4),
        "public" => (
            "Public / social media",
            "Öffentlichkeit / Social Media",
            false,
            0.4,
        ),
        "employees" => (
            "IT users / employees",
            "IT-Nutzende / Mitarbeitende",
            true,
            0.25,
        ),
        "it_teams" => ("IT teams", "IT-Teams", true, 0.2),
        "management" => ("Management", "Geschäftsleitung", true, 0.15),
        other => panic!("no test audience {other}"),
    };
    AudienceFacts {
        key: key.to_string(),
        name_en: name_en.to_string(),
        name_de: name_de.to_string(),
        internal,
        weight,
        policy: PolicyTargets::default_for(severity),
        answers_mentions: key == "public",
    }
}

pub fn message(id: i64, sent_at: NaiveDateTime, to: &[&str], kind: MessageKind) -> TimedMessage {
    TimedMessage {
        id,
        sent_at,
        audiences: to.iter().map(|s| s.to_string()).collect(),
        channel: Channel::StatusPage,
        platform: None,
        kind,
        in_reply_to: None,
        next_update_at: None,
        eta_at: None,
        eta_kind: EtaKind::None,
        apologises: false,
        text: String::new(),
    }
}

pub trait MessageExt {
    fn next(self, at: NaiveDateTime) -> Self;
    fn eta(self, at: NaiveDateTime, kind: EtaKind) -> Self;
    fn on(self, channel: Channel) -> Self;
}

impl MessageExt for TimedMessage {
    fn next(mut self, at: NaiveDateTime) -> Self {
        self.next_update_at = Some(at);
        self
    }

    fn eta(mut self, at: NaiveDateTime, kind: EtaKind) -> Self {
        self.eta_at = Some(at);
        self.eta_kind = kind;
        self
    }

    fn on(mut self, channel: Channel) -> Self {
        self.channel = channel;
        self
    }
}

pub fn reply(
    id: i64,
    sent_at: NaiveDateTime,
    mention: i64,
    platform: &str,
    text: &str,
) -> TimedMessage {
    TimedMessage {
        channel: Channel::SocialMedia,
        platform: Some(platform.to_string()),
        in_reply_to: Some(mention),
        text: text.to_string(),
        ..message(id, sent_at, &["public"], MessageKind::Reply)
    }
}

pub fn mention(id: i64, posted_at: NaiveDateTime, platform: &str, handle: &str) -> TimedMention {
    TimedMention {
        id,
        posted_at,
        platform: platform.to_string(),
        author_handle: handle.to_string(),
    }
}

pub fn incident(
    severity: Severity,
    detected_at: NaiveDateTime,
    resolved_at: Option<NaiveDateTime>,
    audiences: &[&str],
    messages: Vec<TimedMessage>,
) -> TimelinessInput {
    TimelinessInput {
        severity,
        detected_at,
        started_at: None,
        resolved_at,
        apology_expected: false,
        audiences: audiences.iter().map(|k| audience(k, severity)).collect(),
        messages,
        mentions: Vec::new(),
        tz: chrono_tz::UTC,
        rubric: TimelinessRubric::default(),
    }
}

pub fn score(input: &TimelinessInput) -> TimelinessReport {
    score_timeliness(input)
}

pub fn assert_close(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() < 1e-6,
        "{what}: expected {expected}, got {actual}"
    );
}

pub fn findings_with<'a>(report: &'a TimelinessReport, code: &str) -> Vec<&'a Finding> {
    report.findings.iter().filter(|f| f.code == code).collect()
}

pub fn sub(report: &TimelinessReport, audience: &str, id: SubScoreId) -> Option<f64> {
    report
        .audiences
        .iter()
        .find(|a| a.key == audience)
        .and_then(|a| a.sub_score(id))
        .and_then(|s| s.score)
}

pub fn audience_score(report: &TimelinessReport, key: &str) -> f64 {
    report
        .audiences
        .iter()
        .find(|a| a.key == key)
        .map(|a| a.score)
        .expect("audience in report")
}
