use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::validation::{FieldErrors, Validated, parse_choice, required_text};

crate::text_enum!(IncidentKind {
    ItOutage = "it_outage",
    SocialMedia = "social_media",
    Security = "security",
    Other = "other",
});

crate::text_enum!(
    /// `Sev1` is critical, `Sev4` low.
    Severity { Sev1 = "sev1", Sev2 = "sev2", Sev3 = "sev3", Sev4 = "sev4" }
);

crate::text_enum!(IncidentStatus {
    Open = "open",
    InReview = "in_review",
    Closed = "closed",
});

crate::text_enum!(Language { De = "de", En = "en" });

#[derive(Debug, Clone, Serialize)]
pub struct Incident {
    pub id: i64,
    pub key: String,
    pub title: String,
    pub kind: IncidentKind,
    pub severity: Severity,
    pub status: IncidentStatus,
    pub language: Language,
    pub started_at: Option<NaiveDateTime>,
    pub detected_at: NaiveDateTime,
    pub resolved_at: Option<NaiveDateTime>,
    pub summary: String,
    pub affected_services: Vec<String>,
    /// Audience keys the incident had to inform.
    pub audiences: Vec<String>,
    pub apology_expected: bool,
    pub source: Option<String>,
    pub external_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What a person or an API client submits to create or change an incident, before validation.
/// Times are already converted to UTC by the caller (forms read them in the viewer's time zone).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct IncidentInput {
    #[schema(pattern = "^[A-Za-z0-9-]{1,40}$")]
    pub key: String,
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    #[schema(value_type = IncidentKind)]
    pub kind: String,
    #[schema(value_type = Severity)]
    pub severity: String,
    #[serde(default = "default_status")]
    #[schema(value_type = IncidentStatus)]
    pub status: String,
    #[schema(value_type = Language)]
    pub language: String,
    #[serde(default, with = "crate::domain::time::serde_utc_opt")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub started_at: Option<NaiveDateTime>,
    #[serde(default, with = "crate::domain::time::serde_utc_opt")]
    #[schema(value_type = String, format = DateTime, required = true)]
    pub detected_at: Option<NaiveDateTime>,
    #[serde(default, with = "crate::domain::time::serde_utc_opt")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub resolved_at: Option<NaiveDateTime>,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub affected_services: Vec<String>,
    #[serde(default)]
    pub audiences: Vec<String>,
    #[serde(default)]
    pub apology_expected: bool,
}

fn default_status() -> String {
    "open".into()
}

/// A validated incident, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentDraft {
    pub key: String,
    pub title: String,
    pub kind: IncidentKind,
    pub severity: Severity,
    pub status: IncidentStatus,
    pub language: Language,
    pub started_at: Option<NaiveDateTime>,
    pub detected_at: NaiveDateTime,
    pub resolved_at: Option<NaiveDateTime>,
    pub summary: String,
    pub affected_services: Vec<String>,
    pub audiences: Vec<String>,
    pub apology_expected: bool,
}

/// Incident keys are shown in URLs and report headers: letters, digits and dashes.
pub fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 40
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && key
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
}

impl IncidentInput {
    /// `known_audiences`: the audience keys of the organisation.
    pub fn validate(&self, known_audiences: &[String]) -> Validated<IncidentDraft> {
        let mut errors = FieldErrors::default();
        let key = self.key.trim().to_uppercase();
        if !valid_key(&key) {
            errors.add(
                "key",
                "use 1–40 letters, digits and dashes, e.g. INC-2026-014",
            );
        }
        let title = required_text(&mut errors, "title", &self.title, 200);
        let kind = parse_choice(&mut errors, "kind", &self.kind);
        let severity = parse_choice(&mut errors, "severity", &self.severity);
        let status = parse_choice(&mut errors, "status", &self.status);
        let language = parse_choice(&mut errors, "language", &self.language);
        if self.detected_at.is_none() {
            errors.add(
                "detected_at",
                "is required: when did the organisation know?",
            );
        }
        if let (Some(started), Some(detected)) = (self.started_at, self.detected_at)
            && started > detected
        {
            errors.add("started_at", "must not be after the detection time");
        }
        if let (Some(resolved), Some(detected)) = (self.resolved_at, self.detected_at)
            && resolved < detected
        {
            errors.add("resolved_at", "must not be before the detection time");
        }
        if self.summary.chars().count() > 5000 {
            errors.add("summary", "is longer than 5000 characters");
        }
        let affected_services: Vec<String> = self
            .affected_services
            .iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        if affected_services.iter().any(|s| s.chars().count() > 100) {
            errors.add(
                "affected_services",
                "a service name is longer than 100 characters",
            );
        }
        let mut audiences = Vec::new();
        for a in &self.audiences {
            let a = a.trim();
            if a.is_empty() || audiences.iter().any(|x: &String| x == a) {
                continue;
            }
            if known_audiences.iter().any(|k| k == a) {
                audiences.push(a.to_string());
            } else {
                errors.add("audiences", format!("unknown audience '{a}'"));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        // All four are Some: any None added an error above.
        match (kind, severity, status, language, self.detected_at) {
            (Some(kind), Some(severity), Some(status), Some(language), Some(detected_at)) => {
                Ok(IncidentDraft {
                    key,
                    title,
                    kind,
                    severity,
                    status,
                    language,
                    started_at: self.started_at,
                    detected_at,
                    resolved_at: self.resolved_at,
                    summary: self.summary.trim().to_string(),
                    affected_services,
                    audiences,
                    apology_expected: self.apology_expected,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, 10)
            .and_then(|d| d.and_hms_opt(h, m, 0))
            .expect("valid time")
    }

    fn input() -> IncidentInput {
        IncidentInput {
            key: "inc-2026-014".into(),
            title: "E-Mail-Ausfall".into(),
            kind: "it_outage".into(),
            severity: "sev2".into(),
            status: "open".into(),
            language: "de".into(),
            detected_at: Some(at(6, 42)),
            audiences: vec!["employees".into()],
            ..Default::default()
        }
    }

    #[test]
    fn valid_input_is_normalised() {
        let draft = input().validate(&["employees".into()]).expect("valid");
        assert_eq!(draft.key, "INC-2026-014");
        assert_eq!(draft.severity, Severity::Sev2);
        assert_eq!(draft.audiences, vec!["employees".to_string()]);
    }

    #[test]
    fn every_bad_field_is_reported() {
        let mut bad = input();
        bad.key = "inc 14/".into();
        bad.title = "  ".into();
        bad.kind = "outage".into();
        bad.detected_at = None;
        bad.audiences = vec!["martians".into()];
        let errors = bad.validate(&["employees".into()]).expect_err("invalid");
        for field in ["key", "title", "kind", "detected_at", "audiences"] {
            assert!(
                errors.get(field).is_some(),
                "no error for {field}: {errors}"
            );
        }
        assert!(errors.get("kind").is_some_and(|m| m.contains("it_outage")));
    }

    #[test]
    fn resolution_before_detection_is_refused() {
        let mut bad = input();
        bad.resolved_at = Some(at(5, 0));
        let errors = bad.validate(&[]).expect_err("invalid");
        assert!(errors.get("resolved_at").is_some());
    }
}
