//! Audiences, survey results, review sections, actions and method of the sample incident.

use super::{at, s};
use crate::report::model::*;

pub fn audiences(lang: Lang) -> Vec<AudienceSummary> {
    let a = |key: &str,
             de: &str,
             en: &str,
             overall,
             timeliness,
             clarity,
             perceived,
             first,
             target,
             interval| AudienceSummary {
        key: key.to_string(),
        name: s(lang, de, en),
        scores: Scores {
            overall: Some(overall),
            timeliness: Some(timeliness),
            clarity: Some(clarity),
            perceived,
        },
        first_message_minutes: first,
        first_message_target_minutes: Some(target),
        update_interval_minutes: Some(interval),
    };
    vec![
        a(
            "customers",
            "Kundinnen und Kunden",
            "Customers",
            63.0,
            58.0,
            69.0,
            Some(54.0),
            Some(19.0),
            15.0,
            30.0,
        ),
        a(
            "it_users",
            "Mitarbeitende",
            "Employees",
            61.0,
            55.0,
            70.0,
            Some(66.0),
            Some(8.0),
            15.0,
            30.0,
        ),
        a(
            "it_teams",
            "IT-Teams",
            "IT teams",
            88.0,
            93.0,
            81.0,
            None,
            Some(2.0),
            15.0,
            30.0,
        ),
        a(
            "management",
            "Geschäftsleitung",
            "Management",
            52.0,
            38.0,
            77.0,
            Some(71.0),
            Some(52.0),
            15.0,
            30.0,
        ),
        a(
            "public",
            "Öffentlichkeit & Social Media",
            "Public & social media",
            55.0,
            49.0,
            62.0,
            None,
            Some(38.0),
            15.0,
            30.0,
        ),
    ]
}

pub fn survey(lang: Lang) -> SurveyResults {
    let dist = |audience: &str, counts: Vec<u32>, mean: f64| AnswerDistribution {
        audience: audience.into(),
        n: counts.iter().sum(),
        counts,
        mean: Some(mean),
    };
    let rating = |de: &[&str; 5], en: &[&str; 5]| -> Vec<String> {
        (0..5).map(|i| s(lang, de[i], en[i])).collect()
    };
    SurveyResults {
        response_rates: vec![
            ResponseRate {
                audience: "customers".into(),
                invited: 420,
                answered: 97,
            },
            ResponseRate {
                audience: "it_users".into(),
                invited: 300,
                answered: 141,
            },
            ResponseRate {
                audience: "management".into(),
                invited: 12,
                answered: 9,
            },
        ],
        questions: vec![
            QuestionResult {
                text: s(
                    lang,
                    "Wie rechtzeitig fühlten Sie sich informiert?",
                    "How timely did you feel informed?",
                ),
                kind: QuestionType::Rating,
                options: rating(
                    &[
                        "sehr spät",
                        "spät",
                        "angemessen",
                        "rechtzeitig",
                        "sehr rechtzeitig",
                    ],
                    &["very late", "late", "acceptable", "timely", "very timely"],
                ),
                per_audience: vec![
                    dist("customers", vec![21, 30, 25, 15, 6], 2.5),
                    dist("it_users", vec![10, 28, 51, 38, 14], 3.1),
                    dist("management", vec![2, 3, 2, 2, 0], 2.4),
                ],
            },
            QuestionResult {
                text: s(
                    lang,
                    "Wie verständlich waren die Meldungen?",
                    "How clear were the messages?",
                ),
                kind: QuestionType::Rating,
                options: rating(
                    &["sehr unklar", "unklar", "teils", "klar", "sehr klar"],
                    &["very unclear", "unclear", "partly", "clear", "very clear"],
                ),
                per_audience: vec![
                    dist("customers", vec![12, 22, 30, 24, 9], 2.9),
                    dist("it_users", vec![4, 15, 40, 55, 27], 3.6),
                    dist("management", vec![0, 1, 3, 4, 1], 3.6),
                ],
            },
            QuestionResult {
                text: s(
                    lang,
                    "Wussten Sie, was Sie in der Zwischenzeit tun konnten?",
                    "Did you know what to do in the meantime?",
                ),
                kind: QuestionType::YesNoPartly,
                options: vec![
                    s(lang, "Nein", "No"),
                    s(lang, "Teilweise", "Partly"),
                    s(lang, "Ja", "Yes"),
                ],
                per_audience: vec![
                    AnswerDistribution {
                        audience: "customers".into(),
                        counts: vec![48, 31, 18],
                        mean: None,
                        n: 97,
                    },
                    AnswerDistribution {
                        audience: "it_users".into(),
                        counts: vec![30, 52, 59],
                        mean: None,
                        n: 141,
                    },
                ],
            },
            QuestionResult {
                text: s(
                    lang,
                    "Was sollten wir nächstes Mal besser machen?",
                    "What should we do better next time?",
                ),
                kind: QuestionType::FreeText,
                options: Vec::new(),
                per_audience: vec![
                    AnswerDistribution {
                        audience: "customers".into(),
                        counts: Vec::new(),
                        mean: None,
                        n: 63,
                    },
                    AnswerDistribution {
                        audience: "it_users".into(),
                        counts: Vec::new(),
                        mean: None,
                        n: 48,
                    },
                ],
            },
            QuestionResult {
                text: s(
                    lang,
                    "Wie haben Sie von der Störung erfahren?",
                    "How did you hear about the outage?",
                ),
                kind: QuestionType::MultipleChoice,
                options: vec![
                    s(lang, "Statusseite", "Status page"),
                    s(lang, "E-Mail", "E-mail"),
                    "Social Media".into(),
                    s(lang, "Kolleg:innen", "Colleagues"),
                ],
                per_audience: vec![
                    AnswerDistribution {
                        audience: "customers".into(),
                        counts: vec![41, 22, 35, 9],
                        mean: None,
                        n: 97,
                    },
                    AnswerDistribution {
                        audience: "it_users".into(),
                        counts: vec![12, 30, 4, 96],
                        mean: None,
                        n: 141,
                    },
                ],
            },
        ],
        sentiment: SentimentCounts {
            positive: 38,
            neutral: 51,
            negative: 74,
        },
        sentiment_over_time: (0..5)
            .map(|day| SentimentPoint {
                at: at(15 + day, 0, 0),
                counts: SentimentCounts {
                    positive: 4 + day * 3,
                    neutral: 14 - day,
                    negative: 30 - day * 6,
                },
            })
            .collect(),
    }
}

pub fn review_sections(lang: Lang) -> Vec<ReviewSection> {
    let r = |de: (&str, &str), en: (&str, &str)| ReviewSection {
        title: s(lang, de.0, en.0),
        text: s(lang, de.1, en.1),
    };
    vec![
        r(
            (
                "Zusammenfassung und Auswirkung",
                "Von 08:57 bis 11:48 Uhr waren das Kundenportal und die E-Mail-Zustellung gestört. Rund 18 000 Kundinnen und Kunden konnten sich nicht anmelden; der geschätzte Umsatzausfall im Webshop beträgt 48 000 €.\n\nDie Störung wurde um 09:12 Uhr durch das Monitoring erkannt – 15 Minuten nach ihrem Beginn.",
            ),
            (
                "Summary and impact",
                "From 08:57 to 11:48 the customer portal and e-mail delivery were disrupted. About 18,000 customers could not sign in; the estimated lost revenue in the web shop is €48,000.\n\nMonitoring detected the outage at 09:12 – 15 minutes after it began.",
            ),
        ),
        r(
            (
                "Erwartet",
                "Laut Kommunikationsrichtlinie für SEV 1:\n- Erstmeldung an alle Zielgruppen innerhalb von 15 Minuten\n- Updates alle 30 Minuten, mit Zeitpunkt des nächsten Updates\n- Entwarnung spätestens 15 Minuten nach der Behebung",
            ),
            (
                "Expected",
                "Under the communication policy for sev1:\n- First message to every audience within 15 minutes\n- Updates every 30 minutes, each naming the next update time\n- All-clear at most 15 minutes after resolution",
            ),
        ),
        r(
            (
                "Tatsächlich",
                "Die IT-Teams waren nach 2 Minuten informiert, die Kundschaft nach 19 und die Geschäftsleitung erst nach 52 Minuten. Zwei zugesagte Updates wurden verpasst; die Mitarbeitenden warteten 107 Minuten ohne Nachricht.",
            ),
            (
                "Actual",
                "IT teams knew after 2 minutes, customers after 19 and management only after 52 minutes. Two promised updates were missed; employees waited 107 minutes without news.",
            ),
        ),
        r(
            (
                "Warum die Abweichung?",
                "Der Incident-Manager schrieb die Meldungen selbst, während er die Behebung koordinierte. Die Vorlage für die Geschäftsleitung lag nur als „Entwurf“ im Wiki; niemand hatte die Rolle „Kommunikation“ übernommen.",
            ),
            (
                "Why the difference?",
                "The incident manager wrote the messages himself while coordinating the fix. The management template existed only as a “draft” in the wiki; nobody had taken the communications role.",
            ),
        ),
        r(
            (
                "Was gut lief – was schlecht lief",
                "- Gut: schnelle Information der IT-Teams; klare Entwarnung mit Ursache und „keine Daten verloren“\n- Schlecht: späte Information der Geschäftsleitung; Fachjargon auf der Statusseite; verpasste Zusagen\n- Glück gehabt: die Störung fiel nicht in den Monatsabschluss",
            ),
            (
                "What went well – what went badly",
                "- Well: IT teams informed quickly; a clear all-clear naming the cause and “no data was lost”\n- Badly: management informed late; jargon on the status page; missed promises\n- Lucky: the outage did not fall on the month-end closing",
            ),
        ),
        r(
            (
                "Lessons learned",
                "Kommunikation ist eine eigene Rolle im Incident – sie wird beim Alarm sofort besetzt. Jede Meldung nennt den Zeitpunkt der nächsten; eine Zusage wird lieber knapp als gar nicht eingehalten.",
            ),
            (
                "Lessons learned",
                "Communication is a role of its own in an incident and is filled the moment the alarm goes off. Every message names the time of the next; a promise kept late beats no update at all.",
            ),
        ),
    ]
}

pub fn actions(lang: Lang) -> Vec<ImprovementAction> {
    let a = |de: &str,
             en: &str,
             owner: &str,
             due: &str,
             priority,
             status,
             cat: (&str, &str),
             overdue| ImprovementAction {
        title: s(lang, de, en),
        owner: owner.into(),
        due: due.into(),
        priority,
        status,
        category: s(lang, cat.0, cat.1),
        overdue,
    };
    vec![
        a(
            "Rolle „Kommunikation“ im Alarmierungsplan fest besetzen",
            "Fill the “communications” role in the alerting plan",
            "Jana Müller",
            "30.04.2026",
            Priority::High,
            ActionStatus::InProgress,
            ("Rollen & Kontakte", "Roles & contacts"),
            false,
        ),
        a(
            "Vorlage für die Geschäftsleitung freigeben und verlinken",
            "Approve and link the management template",
            "Stefan Kälin",
            "31.03.2026",
            Priority::High,
            ActionStatus::Open,
            ("Leitfäden & Vorlagen", "Guidelines & templates"),
            true,
        ),
        a(
            "Jargon-Liste für die Statusseite mit verständlichen Alternativen",
            "Jargon list for the status page with plain alternatives",
            "Aylin Öztürk",
            "15.05.2026",
            Priority::Medium,
            ActionStatus::Open,
            ("Leitfäden & Vorlagen", "Guidelines & templates"),
            false,
        ),
        a(
            "Erinnerung an zugesagte Updates im Incident-Tool",
            "Reminder for promised updates in the incident tool",
            "Björn Weiß",
            "30.06.2026",
            Priority::Medium,
            ActionStatus::Open,
            ("Werkzeuge", "Tools"),
            false,
        ),
        a(
            "Übung „Krisenkommunikation“ mit Social-Media-Team",
            "Crisis communication drill with the social-media team",
            "Jana Müller",
            "20.03.2026",
            Priority::Low,
            ActionStatus::Done,
            ("Schulung", "Training"),
            false,
        ),
        a(
            "SMS-Kanal für Mitarbeitende einführen",
            "Introduce an SMS channel for employees",
            "HR-Kommunikation",
            "28.02.2026",
            Priority::Low,
            ActionStatus::WontDo,
            ("Technik", "Technical"),
            false,
        ),
    ]
}

pub fn method(lang: Lang) -> MethodAppendix {
    let t = s(lang, "Rechtzeitigkeit", "Timeliness");
    let c = s(lang, "Verständlichkeit", "Clarity");
    let w = |group: &String, de: &str, en: &str, weight| RubricWeight {
        group: group.clone(),
        name: s(lang, de, en),
        weight,
    };
    MethodAppendix {
        rubric_version: crate::scoring::RUBRIC_VERSION,
        weights: vec![
            w(&t, "T1 Erste Meldung", "T1 First message", 30.0),
            w(&t, "T2 Takt der Updates", "T2 Cadence", 25.0),
            w(&t, "T3 Zusagen", "T3 Commitments", 15.0),
            w(&t, "T4 Entwarnung", "T4 All-clear", 15.0),
            w(&t, "T5 Proaktivität", "T5 Proactivity", 10.0),
            w(&t, "T6 Reihenfolge", "T6 Sequencing", 5.0),
            w(&c, "Vollständigkeit", "Completeness", 0.45),
            w(&c, "Sprache", "Language", 0.25),
            w(&c, "Ton", "Tone", 0.15),
            w(&c, "Ehrlichkeit", "Honesty", 0.15),
        ],
    }
}
