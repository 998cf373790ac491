use chrono::NaiveDateTime;
use serde::Serialize;

crate::text_enum!(
    /// How a finding is shown: `red` breaks a promise or a gate, `amber` costs points, `info`
    /// explains without a deduction, `good` is something to keep doing.
    FindingSeverity { Red = "red", Amber = "amber", Info = "info", Good = "good" }
);

/// A place in a message text that a detection rests on, so the UI can highlight it.
/// `start`/`end` are byte offsets into the analysed text (the message body).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// What was detected, e.g. `jargon`, `vague_time`, `apology`.
    pub label: String,
}

/// One explained deduction or observation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Stable identifier of the rule, e.g. `T1.late`, `E5.missing`, `jargon`.
    pub code: String,
    pub severity: FindingSeverity,
    /// Points of the overall score this finding costs (0 for info and good), for sorting by impact.
    pub impact: f64,
    pub text_en: String,
    pub text_de: String,
    /// Audience key the finding is about.
    pub audience: Option<String>,
    /// The message it points at (set by the caller when a text analysis is tied to a stored message).
    pub message_id: Option<i64>,
    /// The silence or lateness it points at, in UTC.
    pub gap: Option<(NaiveDateTime, NaiveDateTime)>,
    pub evidence: Vec<Evidence>,
}

impl Finding {
    pub fn new(
        code: impl Into<String>,
        severity: FindingSeverity,
        impact: f64,
        text_en: impl Into<String>,
        text_de: impl Into<String>,
    ) -> Self {
        Self {
            code: code.into(),
            severity,
            impact,
            text_en: text_en.into(),
            text_de: text_de.into(),
            audience: None,
            message_id: None,
            gap: None,
            evidence: Vec::new(),
        }
    }

    pub fn text(&self, lang: &str) -> &str {
        if lang == "de" {
            &self.text_de
        } else {
            &self.text_en
        }
    }
}
