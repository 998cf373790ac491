//! What every per-audience rule looks at, and what it hands back before the audience score is
//! known: a sub-score with its reasons, and findings priced in points of that sub-score.

use serde_json::Value;

use super::model::{AudienceFacts, TimedMessage, TimelinessInput};
use super::wording::{Clock, duration_de, duration_en, severity_label, tidy_de};
use crate::scoring::{Finding, FindingSeverity};

pub struct AudienceContext<'a> {
    pub input: &'a TimelinessInput,
    pub audience: &'a AudienceFacts,
    /// Messages to this audience other than replies to mentions, by time (then id).
    pub messages: Vec<&'a TimedMessage>,
    pub clock: Clock,
}

impl<'a> AudienceContext<'a> {
    /// `sorted_messages` must be ordered by `(sent_at, id)`.
    pub fn new(
        input: &'a TimelinessInput,
        audience: &'a AudienceFacts,
        sorted_messages: &[&'a TimedMessage],
        clock: Clock,
    ) -> Self {
        let messages = sorted_messages
            .iter()
            .copied()
            .filter(|m| !m.is_reply() && m.is_for(&audience.key))
            .collect();
        Self {
            input,
            audience,
            messages,
            clock,
        }
    }

    pub fn interval_min(&self) -> f64 {
        f64::from(self.audience.policy.update_interval_min)
    }

    pub fn grace_min(&self) -> f64 {
        self.input
            .rubric
            .commitment_grace_min
            .get(self.input.severity)
    }

    pub fn severity(&self) -> String {
        severity_label(self.input.severity)
    }

    pub fn name_en(&self) -> &str {
        &self.audience.name_en
    }

    pub fn name_de(&self) -> &str {
        &self.audience.name_de
    }

    /// A finding about this audience.
    pub fn finding(
        &self,
        code: &str,
        severity: FindingSeverity,
        text_en: String,
        text_de: String,
    ) -> Finding {
        let mut f = Finding::new(code, severity, 0.0, text_en, tidy_de(text_de));
        f.audience = Some(self.audience.key.clone());
        f
    }
}

/// Minutes written in both languages, the pair every reason needs.
pub struct Minutes {
    pub en: String,
    pub de: String,
}

pub fn minutes(m: f64) -> Minutes {
    Minutes {
        en: duration_en(m),
        de: duration_de(m),
    }
}

/// A finding and the points of its sub-score it accounts for; the audience turns them into points
/// of the incident score once the weights are known.
pub struct Costed {
    pub finding: Finding,
    pub points: f64,
}

impl Costed {
    pub fn new(finding: Finding, points: f64) -> Self {
        Self { finding, points }
    }

    /// Something done well, or a red flag that costs nothing by itself.
    pub fn free(finding: Finding) -> Self {
        Self {
            finding,
            points: 0.0,
        }
    }
}

pub struct Assessment {
    pub score: Option<f64>,
    pub reason_en: String,
    pub reason_de: String,
    pub measurements: Value,
    pub findings: Vec<Costed>,
}

impl Assessment {
    pub fn scored(score: f64, reason_en: String, reason_de: String, measurements: Value) -> Self {
        Self {
            score: Some(score),
            reason_en,
            reason_de: tidy_de(reason_de),
            measurements,
            findings: Vec::new(),
        }
    }

    pub fn not_applicable(reason_en: &str, reason_de: &str) -> Self {
        Self {
            score: None,
            reason_en: reason_en.to_string(),
            reason_de: reason_de.to_string(),
            measurements: Value::Null,
            findings: Vec::new(),
        }
    }

    pub fn with(mut self, finding: Costed) -> Self {
        self.findings.push(finding);
        self
    }
}
