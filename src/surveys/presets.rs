//! The surveys a team can send as they are (SPEC §5): the communication-feedback survey for
//! affected users and employees, and a variant for stakeholders and management. Questions carry
//! codes, so perceived scores (SCORING §3) read the same questions in every survey.

use super::model::{Choice, QuestionDraft, QuestionType, SurveyTemplate};

/// Codes whose answers make up the perceived scores, with the dimension each stands for.
pub const PERCEIVED: &[(&str, &str)] = &[
    ("timeliness", "timeliness"),
    ("clarity", "clarity"),
    ("knew_what_to_do", "helpfulness"),
    ("informed_to_act", "helpfulness"),
    ("briefing_useful", "helpfulness"),
    ("trust", "trust"),
];

fn q(
    qtype: QuestionType,
    code: &str,
    required: bool,
    en: &str,
    de: &str,
    options: Vec<Choice>,
) -> QuestionDraft {
    QuestionDraft {
        qtype,
        code: Some(code.to_string()),
        required,
        text_en: en.to_string(),
        text_de: de.to_string(),
        options,
    }
}

fn agree_scale() -> Vec<Choice> {
    vec![
        Choice::new("1", "Very poor", "Sehr schlecht"),
        Choice::new("2", "Poor", "Schlecht"),
        Choice::new("3", "Fair", "Mittel"),
        Choice::new("4", "Good", "Gut"),
        Choice::new("5", "Very good", "Sehr gut"),
    ]
}

fn first_channel() -> QuestionDraft {
    q(
        QuestionType::Single,
        "first_channel",
        false,
        "How did you first learn of the incident?",
        "Wie haben Sie zuerst von der Störung erfahren?",
        vec![
            Choice::new("email", "E-mail from us", "E-Mail von uns"),
            Choice::new("status_page", "Status page", "Statusseite"),
            Choice::new("intranet", "Intranet", "Intranet"),
            Choice::new("chat", "Chat (Teams, Slack)", "Chat (Teams, Slack)"),
            Choice::new("sms", "Text message", "SMS"),
            Choice::new("social_media", "Social media", "Social Media"),
            Choice::new(
                "colleague",
                "From a colleague",
                "Von Kolleginnen oder Kollegen",
            ),
            Choice::new(
                "noticed",
                "I noticed the problem myself",
                "Ich habe das Problem selbst bemerkt",
            ),
            Choice::new("other", "Other", "Anders"),
        ],
    )
}

fn rating(code: &str, en: &str, de: &str) -> QuestionDraft {
    q(QuestionType::Rating5, code, true, en, de, agree_scale())
}

fn improve() -> QuestionDraft {
    q(
        QuestionType::Text,
        "improve",
        false,
        "What should we do better next time?",
        "Was sollten wir beim nächsten Mal besser machen?",
        vec![],
    )
}

/// The questions of a preset, in order; `Custom` starts empty.
pub fn questions(template: SurveyTemplate) -> Vec<QuestionDraft> {
    match template {
        SurveyTemplate::Default => vec![
            first_channel(),
            rating(
                "timeliness",
                "How timely were you informed?",
                "Wie rechtzeitig wurden Sie informiert?",
            ),
            rating(
                "clarity",
                "How clear and understandable were our messages?",
                "Wie klar und verständlich waren unsere Mitteilungen?",
            ),
            q(
                QuestionType::YesPartlyNo,
                "knew_what_to_do",
                true,
                "Did you know what to do in the meantime?",
                "Wussten Sie, was Sie in der Zwischenzeit tun konnten?",
                vec![],
            ),
            q(
                QuestionType::Single,
                "update_frequency",
                true,
                "How often did we update you?",
                "Wie häufig haben wir Sie auf dem Laufenden gehalten?",
                vec![
                    Choice::new("too_rare", "Too rarely", "Zu selten"),
                    Choice::new("right", "About right", "Genau richtig"),
                    Choice::new("too_frequent", "Too often", "Zu häufig"),
                ],
            ),
            rating(
                "trust",
                "How much do you trust the way we handled the incident?",
                "Wie sehr vertrauen Sie darauf, wie wir mit der Störung umgegangen sind?",
            ),
            rating(
                "satisfaction",
                "Overall, how satisfied are you with our communication?",
                "Wie zufrieden sind Sie insgesamt mit unserer Kommunikation?",
            ),
            improve(),
        ],
        SurveyTemplate::Stakeholder => vec![
            first_channel(),
            rating(
                "timeliness",
                "How timely were you informed?",
                "Wie rechtzeitig wurden Sie informiert?",
            ),
            q(
                QuestionType::YesPartlyNo,
                "informed_to_act",
                true,
                "Did you have the information you needed to decide and act (e.g. inform your own teams or customers)?",
                "Hatten Sie die Informationen, die Sie brauchten, um zu entscheiden und zu handeln (z. B. eigene Teams oder Kundschaft zu informieren)?",
                vec![],
            ),
            rating(
                "clarity",
                "How clear were the briefings about impact, risks and next steps?",
                "Wie klar waren die Lagebriefings zu Auswirkungen, Risiken und nächsten Schritten?",
            ),
            rating(
                "briefing_useful",
                "How useful were the briefings for your own work?",
                "Wie nützlich waren die Briefings für Ihre eigene Arbeit?",
            ),
            q(
                QuestionType::Single,
                "update_frequency",
                true,
                "How often were you updated?",
                "Wie häufig wurden Sie auf dem Laufenden gehalten?",
                vec![
                    Choice::new("too_rare", "Too rarely", "Zu selten"),
                    Choice::new("right", "About right", "Genau richtig"),
                    Choice::new("too_frequent", "Too often", "Zu häufig"),
                ],
            ),
            rating(
                "trust",
                "How much do you trust the way the incident was handled?",
                "Wie sehr vertrauen Sie darauf, wie die Störung bewältigt wurde?",
            ),
            q(
                QuestionType::Text,
                "missing_information",
                false,
                "What information was missing or came too late?",
                "Welche Informationen haben gefehlt oder kamen zu spät?",
                vec![],
            ),
            improve(),
        ],
        SurveyTemplate::Custom => Vec::new(),
    }
}

/// Default titles of a preset: (English, German).
pub fn title(template: SurveyTemplate, incident_title: &str) -> (String, String) {
    match template {
        SurveyTemplate::Stakeholder => (
            format!("Stakeholder feedback: {incident_title}"),
            format!("Rückmeldung der Anspruchsgruppen: {incident_title}"),
        ),
        _ => (
            format!("How did we communicate? {incident_title}"),
            format!("Wie haben wir kommuniziert? {incident_title}"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_are_valid_and_bilingual() {
        for t in [SurveyTemplate::Default, SurveyTemplate::Stakeholder] {
            let qs = questions(t);
            assert!(qs.len() >= 8, "{t}");
            for q in &qs {
                assert!(
                    !q.text_en.is_empty() && !q.text_de.is_empty(),
                    "{:?}",
                    q.code
                );
                for o in &q.options {
                    assert!(!o.en.is_empty() && !o.de.is_empty());
                }
                let input = super::super::model::QuestionInput {
                    qtype: q.qtype.to_string(),
                    code: q.code.clone(),
                    required: q.required,
                    text_en: q.text_en.clone(),
                    text_de: q.text_de.clone(),
                    options: q.options.clone(),
                };
                assert_eq!(&input.validate().expect("valid"), q);
            }
            let codes: Vec<_> = qs.iter().filter_map(|q| q.code.as_deref()).collect();
            assert!(codes.contains(&"timeliness") && codes.contains(&"trust"));
        }
        assert!(questions(SurveyTemplate::Custom).is_empty());
    }

    /// Issue 5's default survey, question by question: how people first learned of it (a
    /// channel), timeliness and clarity 1–5, whether they knew what to do (yes/partly/no), the
    /// update frequency (too rare/right/too frequent), trust and overall satisfaction 1–5, and
    /// what to do better (free text).
    #[test]
    fn the_default_survey_asks_exactly_the_issues_questions() {
        use QuestionType::*;
        let qs = questions(SurveyTemplate::Default);
        let shape: Vec<(&str, QuestionType, bool)> = qs
            .iter()
            .map(|q| (q.code.as_deref().unwrap_or(""), q.qtype, q.required))
            .collect();
        assert_eq!(
            shape,
            [
                ("first_channel", Single, false),
                ("timeliness", Rating5, true),
                ("clarity", Rating5, true),
                ("knew_what_to_do", YesPartlyNo, true),
                ("update_frequency", Single, true),
                ("trust", Rating5, true),
                ("satisfaction", Rating5, true),
                ("improve", Text, false),
            ]
        );
        let values = |code: &str| -> Vec<String> {
            qs.iter()
                .find(|q| q.code.as_deref() == Some(code))
                .map(|q| q.options.iter().map(|o| o.value.clone()).collect())
                .unwrap_or_default()
        };
        assert_eq!(
            values("update_frequency"),
            ["too_rare", "right", "too_frequent"]
        );
        assert_eq!(values("timeliness"), ["1", "2", "3", "4", "5"]);
        assert!(values("first_channel").contains(&"email".to_string()));
        assert!(values("first_channel").contains(&"status_page".to_string()));
        assert_eq!(
            qs[0].text_de, "Wie haben Sie zuerst von der Störung erfahren?",
            "German as written for the respondents"
        );
    }
}
