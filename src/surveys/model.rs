//! Surveys, their questions and the answers people give (SPEC §5): plain types and their rules.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::domain::validation::{FieldErrors, Validated, parse_choice, required_text};

crate::text_enum!(QuestionType {
    Rating5 = "rating5",
    Scale10 = "scale10",
    Single = "single",
    Multiple = "multiple",
    YesPartlyNo = "yes_partly_no",
    Text = "text",
});

crate::text_enum!(SurveyStatus {
    Draft = "draft",
    Open = "open",
    Closed = "closed",
});

crate::text_enum!(
    /// What a survey started from: the default feedback survey, the stakeholder variant, or nothing.
    SurveyTemplate { Default = "default", Stakeholder = "stakeholder", Custom = "custom" }
);

/// One answer option of a question, with its label in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Choice {
    pub value: String,
    pub en: String,
    pub de: String,
}

impl Choice {
    pub fn new(value: &str, en: &str, de: &str) -> Self {
        Self {
            value: value.into(),
            en: en.into(),
            de: de.into(),
        }
    }

    pub fn label(&self, lang: &str) -> &str {
        if lang == "de" { &self.de } else { &self.en }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Question {
    pub id: i64,
    pub survey_id: i64,
    pub position: i32,
    pub qtype: QuestionType,
    /// Stable meaning across surveys (`timeliness`, `clarity`, `trust`, …): the perceived scores
    /// and the comparison across incidents read these.
    pub code: Option<String>,
    pub required: bool,
    pub text_en: String,
    pub text_de: String,
    /// For choice questions the options; for ratings optional labels of the scale points.
    pub options: Vec<Choice>,
}

impl Question {
    pub fn text(&self, lang: &str) -> &str {
        if lang == "de" && !self.text_de.is_empty() {
            &self.text_de
        } else {
            &self.text_en
        }
    }

    /// The answers a respondent can pick, in display order (empty for free text).
    pub fn choices(&self) -> Vec<Choice> {
        match self.qtype {
            QuestionType::Single | QuestionType::Multiple => self.options.clone(),
            QuestionType::Rating5 => scale(1, 5, &self.options),
            QuestionType::Scale10 => scale(0, 10, &self.options),
            QuestionType::YesPartlyNo => vec![
                Choice::new("yes", "Yes", "Ja"),
                Choice::new("partly", "Partly", "Teilweise"),
                Choice::new("no", "No", "Nein"),
            ],
            QuestionType::Text => Vec::new(),
        }
    }

    /// The value on 0–100 that an answer stands for, for means across question types
    /// (SCORING §3: ratings rescaled; yes/partly/no as 100/50/0).
    pub fn score(&self, answer: &AnswerValue) -> Option<f64> {
        match (self.qtype, answer) {
            (QuestionType::Rating5, AnswerValue::Number(n)) => Some((n - 1.0) / 4.0 * 100.0),
            (QuestionType::Scale10, AnswerValue::Number(n)) => Some(n * 10.0),
            (QuestionType::YesPartlyNo, AnswerValue::Choice(c)) => match c.as_str() {
                "yes" => Some(100.0),
                "partly" => Some(50.0),
                "no" => Some(0.0),
                _ => None,
            },
            _ => None,
        }
    }
}

/// Scale points `from..=to`, labelled by the options where they give a label for a point.
fn scale(from: i32, to: i32, labels: &[Choice]) -> Vec<Choice> {
    (from..=to)
        .map(|n| {
            let value = n.to_string();
            labels
                .iter()
                .find(|c| c.value == value)
                .cloned()
                .unwrap_or_else(|| Choice::new(&value, &value, &value))
        })
        .collect()
}

/// What a respondent answered to one question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum AnswerValue {
    Number(f64),
    Choice(String),
    Choices(Vec<String>),
    Text(String),
}

impl AnswerValue {
    /// The answer as shown in an export or a form: numbers as written, choices joined by `|`.
    pub fn display(&self) -> String {
        match self {
            AnswerValue::Number(n) if n.fract() == 0.0 => format!("{n:.0}"),
            AnswerValue::Number(n) => n.to_string(),
            AnswerValue::Choice(c) | AnswerValue::Text(c) => c.clone(),
            AnswerValue::Choices(list) => list.join("|"),
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Survey {
    pub id: i64,
    pub incident_id: i64,
    pub title_en: String,
    pub title_de: String,
    pub intro_en: String,
    pub intro_de: String,
    pub template: SurveyTemplate,
    pub status: SurveyStatus,
    pub anonymous: bool,
    pub has_open_link: bool,
    /// Language of recipients who have none, and of the open link before the visitor chooses.
    pub default_locale: String,
    #[serde(serialize_with = "crate::domain::time::serde_utc_opt::serialize")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub opens_at: Option<NaiveDateTime>,
    #[serde(serialize_with = "crate::domain::time::serde_utc_opt::serialize")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub closes_at: Option<NaiveDateTime>,
    pub reminder_delay_hours: Option<i32>,
    pub max_reminders: i32,
    /// Audience keys the survey asks.
    pub audiences: Vec<String>,
    #[serde(serialize_with = "crate::domain::time::serde_utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::domain::time::serde_utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: NaiveDateTime,
}

impl Survey {
    pub fn title(&self, lang: &str) -> &str {
        if lang == "de" && !self.title_de.is_empty() {
            &self.title_de
        } else {
            &self.title_en
        }
    }

    pub fn intro(&self, lang: &str) -> &str {
        if lang == "de" && !self.intro_de.is_empty() {
            &self.intro_de
        } else {
            &self.intro_en
        }
    }

    /// Whether answers are taken now: open, started, not past its closing time.
    pub fn accepting(&self, now: NaiveDateTime) -> bool {
        self.status == SurveyStatus::Open
            && self.opens_at.is_none_or(|t| t <= now)
            && self.closes_at.is_none_or(|t| now < t)
    }
}

/// The settings of a survey as a form or the API submits them.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct SurveyInput {
    pub title_en: String,
    pub title_de: String,
    pub intro_en: String,
    pub intro_de: String,
    pub anonymous: bool,
    #[schema(value_type = crate::domain::incident::Language)]
    pub default_locale: String,
    #[serde(with = "crate::domain::time::serde_utc_opt")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub opens_at: Option<NaiveDateTime>,
    #[serde(with = "crate::domain::time::serde_utc_opt")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub closes_at: Option<NaiveDateTime>,
    #[schema(minimum = 1, maximum = 720)]
    pub reminder_delay_hours: Option<i32>,
    #[schema(minimum = 0, maximum = 2)]
    pub max_reminders: i32,
    pub audiences: Vec<String>,
    /// Whether the survey has a public link (for the public / social media audience).
    pub open_link: bool,
}

/// Reminders go to people who have not answered; more than two would be pestering them.
pub const MAX_REMINDERS: i32 = 2;

impl SurveyInput {
    pub fn validate(&self, known_audiences: &[String]) -> Validated<SurveyInput> {
        let mut errors = FieldErrors::default();
        let title_en = required_text(&mut errors, "title_en", &self.title_en, 200);
        let title_de = self.title_de.trim().to_string();
        if title_de.chars().count() > 200 {
            errors.add("title_de", "is longer than 200 characters");
        }
        for (field, text) in [("intro_en", &self.intro_en), ("intro_de", &self.intro_de)] {
            if text.chars().count() > 5000 {
                errors.add(field, "is longer than 5000 characters");
            }
        }
        let locale = if self.default_locale.trim().is_empty() {
            "de".to_string()
        } else {
            self.default_locale.trim().to_string()
        };
        if !crate::i18n::LANGUAGES.contains(&locale.as_str()) {
            errors.add("default_locale", "must be de or en");
        }
        if let (Some(open), Some(close)) = (self.opens_at, self.closes_at)
            && close <= open
        {
            errors.add("closes_at", "must be after the opening time");
        }
        if let Some(h) = self.reminder_delay_hours
            && !(1..=24 * 30).contains(&h)
        {
            errors.add(
                "reminder_delay_hours",
                "enter between 1 hour and 30 days (720 hours)",
            );
        }
        if !(0..=MAX_REMINDERS).contains(&self.max_reminders) {
            errors.add("max_reminders", "at most two reminders");
        }
        let mut audiences = Vec::new();
        for a in self
            .audiences
            .iter()
            .map(|a| a.trim())
            .filter(|a| !a.is_empty())
        {
            if !known_audiences.iter().any(|k| k == a) {
                errors.add("audiences", format!("unknown audience '{a}'"));
            } else if !audiences.iter().any(|x: &String| x == a) {
                audiences.push(a.to_string());
            }
        }
        if audiences.is_empty() && errors.get("audiences").is_none() {
            errors.add("audiences", "choose at least one audience");
        }
        errors.into_result(SurveyInput {
            title_en,
            title_de,
            intro_en: self.intro_en.trim().to_string(),
            intro_de: self.intro_de.trim().to_string(),
            default_locale: locale,
            audiences,
            reminder_delay_hours: self.reminder_delay_hours.filter(|_| self.max_reminders > 0),
            ..self.clone()
        })
    }
}

/// One question as the builder or the API submits it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct QuestionInput {
    pub qtype: String,
    pub code: Option<String>,
    pub required: bool,
    pub text_en: String,
    pub text_de: String,
    pub options: Vec<Choice>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct QuestionDraft {
    pub qtype: QuestionType,
    pub code: Option<String>,
    pub required: bool,
    pub text_en: String,
    pub text_de: String,
    pub options: Vec<Choice>,
}

impl QuestionInput {
    pub fn validate(&self) -> Validated<QuestionDraft> {
        let mut errors = FieldErrors::default();
        let qtype: Option<QuestionType> = parse_choice(&mut errors, "qtype", &self.qtype);
        let text_en = required_text(&mut errors, "text_en", &self.text_en, 1000);
        let text_de = self.text_de.trim().to_string();
        if text_de.chars().count() > 1000 {
            errors.add("text_de", "is longer than 1000 characters");
        }
        let code = self
            .code
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string);
        if let Some(c) = &code {
            let ok = c.len() <= 40 && c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_');
            if !ok {
                errors.add(
                    "code",
                    "use 1–40 lower-case letters and underscores, e.g. press",
                );
            }
        }
        let mut options: Vec<Choice> = Vec::new();
        for o in &self.options {
            let en = o.en.trim();
            if en.is_empty() {
                continue;
            }
            let value = if o.value.trim().is_empty() {
                slug(en)
            } else {
                o.value.trim().to_string()
            };
            if options.iter().any(|x| x.value == value) {
                errors.add("options", format!("the option '{en}' is listed twice"));
                continue;
            }
            if en.chars().count() > 200 || o.de.chars().count() > 200 {
                errors.add("options", "an option is longer than 200 characters");
            }
            options.push(Choice {
                value,
                en: en.to_string(),
                de: o.de.trim().to_string(),
            });
        }
        if matches!(qtype, Some(QuestionType::Single | QuestionType::Multiple)) && options.len() < 2
        {
            errors.add("options", "a choice question needs at least two options");
        }
        match qtype {
            Some(qtype) if errors.is_empty() => Ok(QuestionDraft {
                qtype,
                code,
                required: self.required,
                text_en,
                text_de,
                options,
            }),
            _ => Err(errors),
        }
    }
}

/// A value for an option written only as a label ("Über das Intranet" → `ueber_das_intranet`).
fn slug(label: &str) -> String {
    let mut out = String::new();
    for c in label.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            c if c.is_ascii_alphanumeric() => out.push(c),
            _ if !out.ends_with('_') && !out.is_empty() => out.push('_'),
            _ => {}
        }
    }
    let s = out.trim_end_matches('_').to_string();
    s.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(qtype: QuestionType, options: Vec<Choice>) -> Question {
        Question {
            id: 1,
            survey_id: 1,
            position: 1,
            qtype,
            code: None,
            required: true,
            text_en: "How?".into(),
            text_de: "Wie?".into(),
            options,
        }
    }

    #[test]
    fn ratings_rescale_to_0_100() {
        let r = q(QuestionType::Rating5, vec![]);
        assert_eq!(r.score(&AnswerValue::Number(1.0)), Some(0.0));
        assert_eq!(r.score(&AnswerValue::Number(4.0)), Some(75.0));
        let s = q(QuestionType::Scale10, vec![]);
        assert_eq!(s.score(&AnswerValue::Number(7.0)), Some(70.0));
        let y = q(QuestionType::YesPartlyNo, vec![]);
        assert_eq!(y.score(&AnswerValue::Choice("partly".into())), Some(50.0));
        assert_eq!(
            q(QuestionType::Text, vec![]).score(&AnswerValue::Text("x".into())),
            None
        );
    }

    #[test]
    fn scale_points_take_labels_where_given() {
        let r = q(
            QuestionType::Rating5,
            vec![
                Choice::new("1", "Very poor", "Sehr schlecht"),
                Choice::new("5", "Very good", "Sehr gut"),
            ],
        );
        let c = r.choices();
        assert_eq!(c.len(), 5);
        assert_eq!(c[0].label("de"), "Sehr schlecht");
        assert_eq!(c[2].label("en"), "3");
        assert_eq!(q(QuestionType::Scale10, vec![]).choices().len(), 11);
    }

    #[test]
    fn question_rules() {
        let bad = QuestionInput {
            qtype: "single".into(),
            text_en: " ".into(),
            options: vec![Choice::new("", "Only one", "")],
            code: Some("Bad Code".into()),
            ..Default::default()
        };
        let e = bad.validate().expect_err("invalid");
        for field in ["text_en", "options", "code"] {
            assert!(e.get(field).is_some(), "{field}: {e}");
        }
        let ok = QuestionInput {
            qtype: "multiple".into(),
            text_en: "Which channels?".into(),
            options: vec![
                Choice::new("", "Über das Intranet", ""),
                Choice::new("", "E-Mail", ""),
            ],
            ..Default::default()
        }
        .validate()
        .expect("valid");
        assert_eq!(ok.options[0].value, "ueber_das_intranet");
        assert_eq!(ok.options[1].value, "e_mail");
    }

    #[test]
    fn survey_rules() {
        let known = vec!["employees".to_string(), "management".to_string()];
        let input = SurveyInput {
            title_en: "Feedback".into(),
            audiences: vec!["employees".into(), "martians".into()],
            max_reminders: 3,
            reminder_delay_hours: Some(0),
            ..Default::default()
        };
        let e = input.validate(&known).expect_err("invalid");
        for field in ["audiences", "max_reminders", "reminder_delay_hours"] {
            assert!(e.get(field).is_some(), "{field}: {e}");
        }
        let ok = SurveyInput {
            title_en: " Feedback ".into(),
            audiences: vec!["management".into(), "management".into()],
            ..Default::default()
        }
        .validate(&known)
        .expect("valid");
        assert_eq!(
            (ok.title_en.as_str(), ok.default_locale.as_str()),
            ("Feedback", "de")
        );
        assert_eq!(ok.audiences, vec!["management".to_string()]);
    }
}
