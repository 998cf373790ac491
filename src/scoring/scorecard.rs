//! One incident's scorecard: every message analysed for clarity, the timeliness of every
//! affected audience, and the two combined per audience and for the incident (SCORING §1–2).
//! Pure: the caller loads the facts; the same facts give the same scorecard.

use chrono_tz::Tz;
use serde::Serialize;

use super::timeliness::{
    AudienceFacts, TimedMention, TimedMessage, TimelinessInput, TimelinessReport, TimelinessRubric,
    score_timeliness,
};
use super::{
    Apology, ClarityRubric, Finding, FindingSeverity, MessageAnalysis, MessageContext,
    RUBRIC_VERSION, Readers, ServiceCatalogue, analyze,
};
use crate::domain::{Audience, Incident, Mention, Message, PolicyTargets};

/// Everything one scorecard is computed from.
pub struct ScorecardInput<'a> {
    pub incident: &'a Incident,
    /// The organisation's audiences, each with the policy that applied to this incident.
    pub audiences: &'a [(Audience, PolicyTargets)],
    pub messages: &'a [Message],
    pub mentions: &'a [Mention],
    pub services: &'a ServiceCatalogue,
    pub clarity: &'a ClarityRubric,
    pub timeliness: &'a TimelinessRubric,
    /// The organisation's zone: clock times in the text and in finding sentences.
    pub tz: Tz,
}

#[derive(Debug, Clone, Serialize)]
pub struct MessageScore {
    pub message_id: i64,
    pub sent_at: chrono::NaiveDateTime,
    pub channel: crate::domain::Channel,
    pub audiences: Vec<String>,
    pub readers: Readers,
    /// Clarity after the ETA honesty adjustment of the timeline (a stated ETA that did not hold).
    pub clarity: f64,
    pub honesty: f64,
    pub honesty_adjustment: f64,
    pub analysis: MessageAnalysis,
}

#[derive(Debug, Clone, Serialize)]
pub struct AudienceScore {
    pub key: String,
    pub name_en: String,
    pub name_de: String,
    /// Share of the incident scores.
    pub share: f64,
    pub timeliness: f64,
    /// Mean clarity of the messages this audience received; `None` when it received none.
    pub clarity: Option<f64>,
    pub overall: f64,
    pub messages: usize,
    /// Minutes from detection to the first message, and the policy target.
    pub first_message_min: Option<f64>,
    pub first_message_target_min: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Scorecard {
    pub rubric_version: i32,
    /// Mean of timeliness and clarity where both exist.
    pub overall: Option<f64>,
    pub timeliness: Option<f64>,
    pub clarity: Option<f64>,
    pub audiences: Vec<AudienceScore>,
    pub messages: Vec<MessageScore>,
    /// Every finding of the incident, red first, then by impact on the incident's score.
    pub findings: Vec<Finding>,
    pub timeline: TimelinessReport,
}

/// Who reads a message to these audiences, as far as wording goes: the least technical of them.
pub fn readers_of(audiences: &[&Audience]) -> Readers {
    if audiences.iter().any(|a| a.lay) {
        Readers::Lay
    } else if audiences.iter().any(|a| a.key == "management") {
        Readers::Management
    } else if audiences.is_empty() {
        Readers::Lay
    } else {
        Readers::Technical
    }
}

pub fn compute(input: &ScorecardInput) -> Scorecard {
    let incident = input.incident;
    let affected: Vec<&(Audience, PolicyTargets)> = input
        .audiences
        .iter()
        .filter(|(a, _)| incident.audiences.contains(&a.key))
        .collect();

    let analyses: Vec<(Readers, MessageAnalysis)> = input
        .messages
        .iter()
        .map(|m| {
            let to: Vec<&Audience> = input
                .audiences
                .iter()
                .map(|(a, _)| a)
                .filter(|a| m.audiences.contains(&a.key))
                .collect();
            let readers = readers_of(&to);
            let mut ctx = MessageContext::new(m.kind, readers, input.services, input.clarity);
            ctx.channel = m.channel;
            ctx.language = Some(m.language);
            ctx.sent_at = Some(m.sent_at);
            ctx.time_zone = input.tz;
            ctx.apology_expected = incident.apology_expected;
            let text = match &m.subject {
                // A mail's subject is read with it: "Störung E-Mail" often names the service.
                Some(s) if !s.trim().is_empty() && !m.body.starts_with(s.as_str()) => {
                    format!("{s}\n{}", m.body)
                }
                _ => m.body.clone(),
            };
            let mut analysis = analyze(&text, &ctx);
            // Evidence offsets refer to the body when a subject was read in front of it.
            let shift = text.len() - m.body.len();
            if shift > 0 {
                analysis.evidence.retain(|e| e.start >= shift);
                for e in &mut analysis.evidence {
                    e.start -= shift;
                    e.end -= shift;
                }
                for f in &mut analysis.findings {
                    f.evidence.retain(|e| e.start >= shift);
                    for e in &mut f.evidence {
                        e.start -= shift;
                        e.end -= shift;
                    }
                }
            }
            (readers, analysis)
        })
        .collect();

    let timed: Vec<TimedMessage> = input
        .messages
        .iter()
        .zip(&analyses)
        .map(|(m, (_, a))| {
            let apologises = a.labels.apology != Apology::None;
            let mut t = TimedMessage::from_message(m, a.labels.eta, apologises);
            // Entered times win; otherwise what the text promised.
            t.next_update_at = m.next_update_at.or(a.next_update_at);
            t.eta_at = m.eta_at.or(a.eta_at);
            t
        })
        .collect();
    let timeline = score_timeliness(&TimelinessInput {
        severity: incident.severity,
        detected_at: incident.detected_at,
        started_at: incident.started_at,
        resolved_at: incident.resolved_at,
        apology_expected: incident.apology_expected,
        audiences: affected
            .iter()
            .map(|(a, p)| AudienceFacts::from_audience(a, *p))
            .collect(),
        messages: timed,
        mentions: input.mentions.iter().map(TimedMention::from).collect(),
        tz: input.tz,
        rubric: input.timeliness.clone(),
    });

    let messages: Vec<MessageScore> = input
        .messages
        .iter()
        .zip(analyses)
        .map(|(m, (readers, mut analysis))| {
            let adjustment: f64 = timeline
                .honesty_adjustments
                .iter()
                .filter(|h| h.message_id == m.id)
                .map(|h| h.points)
                .sum();
            let honesty = (analysis.clarity.honesty + adjustment).clamp(0.0, 100.0);
            let lost = analysis.clarity.honesty - honesty;
            let clarity = analysis.clarity.total - input.clarity.honesty_weight * lost;
            for f in &mut analysis.findings {
                f.message_id = Some(m.id);
            }
            MessageScore {
                message_id: m.id,
                sent_at: m.sent_at,
                channel: m.channel,
                audiences: m.audiences.clone(),
                readers,
                clarity: round2(clarity),
                honesty: round2(honesty),
                honesty_adjustment: adjustment,
                analysis,
            }
        })
        .collect();

    let audiences: Vec<AudienceScore> = timeline
        .audiences
        .iter()
        .filter_map(|t| {
            let (a, policy) = affected.iter().find(|(a, _)| a.key == t.key)?;
            let theirs: Vec<&MessageScore> = messages
                .iter()
                .filter(|m| m.audiences.contains(&a.key))
                .collect();
            let clarity = mean(theirs.iter().map(|m| m.clarity));
            let first = t
                .timeline
                .first_message_at
                .map(|f| (f - incident.detected_at).num_seconds() as f64 / 60.0);
            Some(AudienceScore {
                key: a.key.clone(),
                name_en: a.name_en.clone(),
                name_de: a.name_de.clone(),
                share: t.share,
                timeliness: t.score,
                clarity,
                overall: round2(match clarity {
                    Some(c) => (t.score + c) / 2.0,
                    None => t.score,
                }),
                messages: theirs.len(),
                first_message_min: first,
                first_message_target_min: f64::from(policy.first_message_min),
            })
        })
        .collect();
    let clarity = weighted(
        audiences
            .iter()
            .filter_map(|a| a.clarity.map(|c| (c, a.share))),
    );
    let overall = match (timeline.score, clarity) {
        (Some(t), Some(c)) => Some(round2((t + c) / 2.0)),
        (t, c) => t.or(c),
    };

    let findings = collect_findings(&timeline, &messages, &audiences, input);
    Scorecard {
        rubric_version: RUBRIC_VERSION,
        overall,
        timeliness: timeline.score,
        clarity: clarity.map(round2),
        audiences,
        messages,
        findings,
        timeline,
    }
}

/// The incident's findings: the timeline's as they are; a message's weighted by what it counts
/// for in the incident's clarity (its audiences' shares spread over their messages), halved
/// because clarity is half the overall score. A message's finding says which message it is about,
/// so it reads on its own in a list or a report: "09:03 · E-mail to IT users: …".
fn collect_findings(
    timeline: &TimelinessReport,
    messages: &[MessageScore],
    audiences: &[AudienceScore],
    input: &ScorecardInput,
) -> Vec<Finding> {
    let mut findings = timeline.findings.clone();
    for m in messages {
        let weight: f64 = audiences
            .iter()
            .filter(|a| m.audiences.contains(&a.key) && a.messages > 0)
            .map(|a| a.share / a.messages as f64)
            .sum();
        let local = crate::domain::time::utc_to_local(m.sent_at, input.tz).format("%H:%M");
        let names = |lang: &str| {
            input
                .audiences
                .iter()
                .filter(|(a, _)| m.audiences.contains(&a.key))
                .map(|(a, _)| a.name(lang).to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let channel = |lang: &str| crate::i18n::translate(lang, &format!("channel.{}", m.channel));
        for f in &m.analysis.findings {
            let mut f = f.clone();
            f.impact = round2(f.impact * weight * 0.5);
            f.text_en = format!(
                "{local} · {} to {}: {}",
                channel("en"),
                names("en"),
                f.text_en
            );
            f.text_de = format!(
                "{local} · {} an {}: {}",
                channel("de"),
                names("de"),
                f.text_de
            );
            findings.push(f);
        }
    }
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
            .then(a.code.cmp(&b.code))
            .then(a.message_id.cmp(&b.message_id))
    });
    findings
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    crate::stats::mean(values).map(round2)
}

fn weighted(values: impl Iterator<Item = (f64, f64)>) -> Option<f64> {
    let (sum, weights) = values.fold((0.0, 0.0), |(s, w), (v, x)| (s + v * x, w + x));
    (weights > 0.0).then(|| sum / weights)
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::audience::DEFAULT_AUDIENCES;
    use crate::domain::{Channel, IncidentKind, IncidentStatus, Language, MessageKind, Severity};
    use chrono::{NaiveDate, NaiveDateTime};

    fn at(h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, 10)
            .and_then(|d| d.and_hms_opt(h, m, 0))
            .expect("time")
    }

    fn audiences() -> Vec<(Audience, PolicyTargets)> {
        DEFAULT_AUDIENCES
            .iter()
            .enumerate()
            .map(|(i, (key, en, de, internal, lay, weight))| {
                (
                    Audience {
                        id: i as i64 + 1,
                        key: key.to_string(),
                        name_en: en.to_string(),
                        name_de: de.to_string(),
                        internal: *internal,
                        lay: *lay,
                        weight: *weight,
                        position: i as i32,
                    },
                    PolicyTargets::default_for(Severity::Sev2),
                )
            })
            .collect()
    }

    fn incident() -> Incident {
        Incident {
            id: 1,
            key: "INC-1".into(),
            title: "E-Mail".into(),
            kind: IncidentKind::ItOutage,
            severity: Severity::Sev2,
            status: IncidentStatus::Closed,
            language: Language::De,
            started_at: Some(at(7, 15)),
            detected_at: at(7, 40),
            resolved_at: Some(at(9, 0)),
            summary: String::new(),
            affected_services: vec!["E-Mail".into()],
            audiences: vec!["employees".into(), "management".into()],
            apology_expected: false,
            source: None,
            external_id: None,
            created_at: at(10, 0),
            updated_at: at(10, 0),
        }
    }

    fn message(
        id: i64,
        sent: NaiveDateTime,
        audience: &str,
        kind: MessageKind,
        body: &str,
    ) -> Message {
        Message {
            id,
            incident_id: 1,
            sent_at: sent,
            audiences: vec![audience.into()],
            channel: Channel::Email,
            platform: None,
            author: "IT".into(),
            subject: None,
            body: body.into(),
            body_html: None,
            language: Language::De,
            kind,
            in_reply_to: None,
            next_update_at: None,
            eta_at: None,
            source: None,
            external_id: None,
        }
    }

    #[test]
    fn a_promise_written_in_the_text_counts_for_timeliness_and_findings_point_at_messages() {
        let audiences = audiences();
        let services = ServiceCatalogue::new(crate::domain::service::default_catalogue());
        let messages = vec![
            message(
                1,
                at(7, 50),
                "employees",
                MessageKind::Initial,
                "Der E-Mail-Dienst ist gestört: Outlook verbindet sich nicht. Wir arbeiten an der Behebung. Nächstes Update um 09:30 Uhr.",
            ),
            message(
                2,
                at(8, 30),
                "employees",
                MessageKind::Update,
                "Update: Der E-Mail-Dienst ist weiterhin gestört. Wir melden uns um 10:15 Uhr.",
            ),
            message(
                3,
                at(9, 10),
                "employees",
                MessageKind::Resolution,
                "Der E-Mail-Dienst funktioniert wieder. Es gingen keine Daten verloren.",
            ),
        ];
        let input = ScorecardInput {
            incident: &incident(),
            audiences: &audiences,
            messages: &messages,
            mentions: &[],
            services: &services,
            clarity: &ClarityRubric::default(),
            timeliness: &TimelinessRubric::default(),
            tz: chrono_tz::Europe::Zurich,
        };
        let card = compute(&input);
        assert_eq!(card.audiences.len(), 2);
        let employees = &card.audiences[0];
        assert_eq!(employees.key, "employees");
        assert_eq!(employees.first_message_min, Some(10.0));
        assert_eq!(employees.messages, 3);
        // Management heard nothing: the gate scores it 0 and the finding is red.
        let management = &card.audiences[1];
        assert_eq!((management.timeliness, management.clarity), (0.0, None));
        assert!(card.findings[0].severity == FindingSeverity::Red);
        assert_eq!(card.findings[0].audience.as_deref(), Some("management"));
        // The promises were read from the texts (Zurich time): 09:30 kept by the update at 09:30,
        // 10:15 by the all-clear at 10:10.
        let promises = &card.timeline.audiences[0].timeline.promises;
        assert_eq!(promises.len(), 2, "{promises:?}");
        assert!(
            promises
                .iter()
                .all(|p| p.outcome == crate::scoring::timeliness::PromiseOutcome::Kept)
        );
        // Every message finding names its message.
        assert!(
            card.findings
                .iter()
                .filter(|f| f.code.starts_with('E'))
                .all(|f| f.message_id.is_some())
        );
        for s in [card.overall, card.timeliness, card.clarity]
            .into_iter()
            .flatten()
        {
            assert!((0.0..=100.0).contains(&s));
        }
        // Same facts, same scorecard.
        let again = compute(&input);
        assert_eq!(
            serde_json::to_string(&again).ok(),
            serde_json::to_string(&card).ok()
        );
    }

    #[test]
    fn readers_are_the_least_technical_audience() {
        let all = audiences();
        let get = |k: &str| &all.iter().find(|(a, _)| a.key == k).expect("audience").0;
        assert_eq!(readers_of(&[get("it_teams")]), Readers::Technical);
        assert_eq!(
            readers_of(&[get("it_teams"), get("management")]),
            Readers::Management
        );
        assert_eq!(
            readers_of(&[get("management"), get("customers")]),
            Readers::Lay
        );
    }
}
