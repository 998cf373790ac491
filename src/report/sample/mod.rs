//! Realistic sample reports in German and English, for tests, benchmarks and previews: a
//! demo-sized SEV 1 outage, the same incident with thousands of messages, and a portfolio of
//! generated incidents. Deterministic, so renders can be compared.

mod content;
mod messages;
mod portfolio;

use chrono::{Duration, NaiveDate, NaiveDateTime};

use super::model::*;
use content::{actions, audiences, method, review_sections, survey};
use messages::{CHAT, EMAIL, INTRANET, SOCIAL, STATUS_PAGE, messages};
pub use portfolio::sample_portfolio;

pub(crate) fn at(day: u32, hour: u32, minute: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 3, day)
        .and_then(|d| d.and_hms_opt(hour, minute, 0))
        .unwrap_or_default()
}

pub(crate) fn pick<'a>(lang: Lang, de: &'a str, en: &'a str) -> &'a str {
    if lang == Lang::De { de } else { en }
}

pub(crate) fn s(lang: Lang, de: &str, en: &str) -> String {
    pick(lang, de, en).to_string()
}

/// Silences between consecutive messages to each audience while the incident was unresolved,
/// left for the report to judge against the update interval.
fn silences_of(messages: &[TimelineMessage], resolved: NaiveDateTime) -> Vec<Silence> {
    let mut by_audience: std::collections::BTreeMap<&str, Vec<NaiveDateTime>> =
        std::collections::BTreeMap::new();
    for message in messages {
        by_audience
            .entry(&message.audience)
            .or_default()
            .push(message.at);
    }
    let mut silences = Vec::new();
    for (audience, mut times) in by_audience {
        times.sort();
        let before: Vec<NaiveDateTime> = times.iter().copied().filter(|t| *t < resolved).collect();
        for pair in before.windows(2) {
            silences.push(Silence {
                audience: audience.to_string(),
                from: pair[0],
                to: pair[1],
                late: None,
            });
        }
        if let Some(last) = before.last() {
            let next = times
                .iter()
                .copied()
                .find(|t| *t >= resolved)
                .unwrap_or(resolved)
                .min(resolved);
            silences.push(Silence {
                audience: audience.to_string(),
                from: *last,
                to: next,
                late: None,
            });
        }
    }
    silences
}

/// The demo-sized sample: a SEV 1 outage with five audiences, 20 messages, a survey, a review
/// and six actions.
pub fn sample_incident_report(lang: Lang) -> IncidentReport {
    let detected = at(14, 9, 12);
    let resolved = at(14, 11, 48);
    let messages = messages();
    let timeline_messages: Vec<TimelineMessage> = messages
        .iter()
        .map(|m| TimelineMessage {
            at: m.at,
            audience: m.audience.into(),
            kind: m.kind,
            channel: s(lang, m.channel.0, m.channel.1),
            late: m.late,
        })
        .collect();
    let promises = messages
        .iter()
        .filter_map(|m| {
            let due = m.promised?;
            let next = messages
                .iter()
                .filter(|n| n.audience == m.audience && n.at > m.at)
                .map(|n| n.at)
                .min();
            let grace = Duration::minutes(5);
            Some(PromisedUpdate {
                audience: m.audience.into(),
                promised_at: m.at,
                due,
                kept: next.is_some_and(|n| n <= due + grace),
            })
        })
        .collect();
    let audiences = audiences(lang);
    let name_of = |key: &str| {
        audiences
            .iter()
            .find(|a| a.key == key)
            .map_or_else(|| key.to_string(), |a| a.name.clone())
    };
    let findings = messages
        .iter()
        .flat_map(|m| {
            let reference = format!("{} · {}", m.at.format("%H:%M"), pick(lang, m.channel.0, m.channel.1));
            m.findings.iter().map(move |(severity, de, en)| ReportFinding {
                severity: *severity,
                text: s(lang, de, en),
                audience: Some(m.audience.to_string()),
                message: Some(reference.clone()),
                impact: match severity {
                    FindingSeverity::Red => 8.0,
                    FindingSeverity::Amber => 3.0,
                    _ => 0.0,
                } + m.clarity / 100.0,
            })
        })
        .chain([ReportFinding {
            severity: FindingSeverity::Amber,
            text: s(lang, "Mitarbeitende warteten 107 Min. (10:05–11:52) ohne Update; das Intervall sind 30 Min.", "Employees waited 107 min (10:05–11:52) without an update; the interval is 30 min."),
            audience: Some("it_users".into()),
            message: None,
            impact: 6.5,
        }])
        .collect();
    IncidentReport {
        organisation: s(
            lang,
            "Stadtwerke Zürich-Nord AG",
            "Northbridge Utilities Ltd",
        ),
        confidentiality: s(
            lang,
            "Vertraulich – nur intern",
            "Confidential – internal only",
        ),
        lang,
        generated_at: pick(lang, "02.04.2026, 16:30 Uhr", "2 April 2026, 16:30").into(),
        generated_utc: at(14, 0, 0)
            + Duration::days(19)
            + Duration::hours(14)
            + Duration::minutes(30),
        facts: IncidentFacts {
            key: "INC-2026-014".into(),
            title: s(
                lang,
                "Ausfall des Kundenportals und der E-Mail-Zustellung",
                "Customer portal and e-mail delivery outage",
            ),
            kind: "it_outage".into(),
            severity: "sev1".into(),
            status: "in_review".into(),
            detected: pick(lang, "14.03.2026, 09:12 Uhr", "14 March 2026, 09:12").into(),
            started: Some(pick(lang, "14.03.2026, 08:57 Uhr", "14 March 2026, 08:57").into()),
            resolved: Some(pick(lang, "14.03.2026, 11:48 Uhr", "14 March 2026, 11:48").into()),
            affected_services: vec![
                s(lang, "Kundenportal", "Customer portal"),
                s(lang, "E-Mail-Zustellung", "E-mail delivery"),
                "Webshop".into(),
            ],
            summary: s(
                lang,
                "Ein fehlerhaftes Zertifikat im DNS-Resolver legte das Kundenportal und die ausgehende E-Mail-Zustellung für 2 Stunden 51 Minuten lahm. Die Kommunikation an die IT-Teams war vorbildlich, an die Geschäftsleitung und die Öffentlichkeit deutlich zu spät.",
                "A faulty certificate in the DNS resolver took the customer portal and outgoing e-mail down for 2 hours 51 minutes. Communication to IT teams was exemplary; management and the public heard far too late.",
            ),
        },
        scores: Scores {
            overall: Some(62.0),
            timeliness: Some(57.0),
            clarity: Some(71.0),
            perceived: Some(58.0),
        },
        findings,
        timeline: Timeline {
            detected_at: detected,
            resolved_at: Some(resolved),
            phases: vec![
                Phase {
                    kind: PhaseKind::Undetected,
                    from: at(14, 8, 57),
                    to: detected,
                },
                Phase {
                    kind: PhaseKind::Investigating,
                    from: detected,
                    to: at(14, 10, 20),
                },
                Phase {
                    kind: PhaseKind::Mitigating,
                    from: at(14, 10, 20),
                    to: at(14, 11, 20),
                },
                Phase {
                    kind: PhaseKind::Monitoring,
                    from: at(14, 11, 20),
                    to: resolved,
                },
                Phase {
                    kind: PhaseKind::Resolved,
                    from: resolved,
                    to: at(14, 12, 15),
                },
            ],
            silences: silences_of(&timeline_messages, resolved),
            messages: timeline_messages,
            promises,
        },
        clarity: messages
            .iter()
            .map(|m| MessageClarity {
                at: m.at,
                audience: m.audience.into(),
                score: m.clarity,
            })
            .collect(),
        messages: messages
            .iter()
            .map(|m| MessageRow {
                sent: m.at.format("%H:%M").to_string(),
                audiences: name_of(m.audience),
                channel: s(lang, m.channel.0, m.channel.1),
                kind: m.kind,
                clarity: Some(m.clarity),
                findings: m
                    .findings
                    .iter()
                    .map(|(sev, de, en)| (*sev, s(lang, de, en)))
                    .collect(),
            })
            .collect(),
        survey: Some(survey(lang)),
        mentions_sentiment: (0..14)
            .map(|i| SentimentPoint {
                at: at(14, 9, 0) + Duration::minutes(15 * i),
                counts: SentimentCounts {
                    positive: (i / 4) as u32,
                    neutral: 3 + (i % 3) as u32,
                    negative: [2, 6, 14, 22, 27, 25, 19, 16, 12, 9, 6, 4, 3, 2][i as usize],
                },
            })
            .collect(),
        review_sections: review_sections(lang),
        actions: actions(lang),
        audiences,
        method: method(lang),
    }
}

/// The sample incident with `count` messages spread over three days: the case where tables
/// must paginate and charts aggregate.
pub fn sample_huge_incident(lang: Lang, count: usize) -> IncidentReport {
    let mut report = sample_incident_report(lang);
    let detected = report.timeline.detected_at;
    let resolved = detected + Duration::hours(72);
    report.timeline.resolved_at = Some(resolved);
    report.facts.resolved = Some(
        resolved
            .format(pick(lang, "%d.%m.%Y, %H:%M Uhr", "%-d %B %Y, %H:%M"))
            .to_string(),
    );
    report.timeline.phases = vec![
        Phase {
            kind: PhaseKind::Investigating,
            from: detected,
            to: detected + Duration::hours(20),
        },
        Phase {
            kind: PhaseKind::Mitigating,
            from: detected + Duration::hours(20),
            to: detected + Duration::hours(60),
        },
        Phase {
            kind: PhaseKind::Monitoring,
            from: detected + Duration::hours(60),
            to: resolved,
        },
    ];
    let keys: Vec<String> = report.audiences.iter().map(|a| a.key.clone()).collect();
    let channels = [STATUS_PAGE, EMAIL, CHAT, INTRANET, SOCIAL];
    let step = 72 * 3600 / count.max(1) as i64;
    let messages: Vec<TimelineMessage> = (0..count)
        .map(|i| TimelineMessage {
            at: detected + Duration::seconds(step * i as i64 + (i as i64 * 37) % step.max(1)),
            audience: keys[i % keys.len()].clone(),
            kind: if i < keys.len() {
                MessageKind::Initial
            } else {
                MessageKind::Update
            },
            channel: s(
                lang,
                channels[i % channels.len()].0,
                channels[i % channels.len()].1,
            ),
            late: i % 97 == 0,
        })
        .collect();
    report.clarity = messages
        .iter()
        .enumerate()
        .map(|(i, m)| MessageClarity {
            at: m.at,
            audience: m.audience.clone(),
            score: 40.0 + ((i * 7919) % 55) as f64,
        })
        .collect();
    report.messages = messages
        .iter()
        .enumerate()
        .map(|(i, m)| MessageRow {
            // A no-break space keeps date and time on one line.
            sent: m.at.format("%d.%m.\u{a0}%H:%M").to_string(),
            audiences: report.audience_name(&m.audience).to_string(),
            channel: m.channel.clone(),
            kind: m.kind,
            clarity: Some(40.0 + ((i * 7919) % 55) as f64),
            findings: if i % 3 == 0 {
                vec![(
                    FindingSeverity::Amber,
                    s(
                        lang,
                        "Kein Zeitpunkt für das nächste Update – „in Kürze“ ist zu vage.",
                        "No next-update time – “shortly” is too vague.",
                    ),
                )]
            } else {
                Vec::new()
            },
        })
        .collect();
    report.timeline.silences = silences_of(&messages, resolved);
    report.timeline.promises = Vec::new();
    report.timeline.messages = messages;
    report
}
