//! What an incident report shows, already computed: the lead's loaders fill these plain structs
//! from the database and the renderers only lay them out. Display strings (dates, names) are
//! already in the report language and the organisation's time zone.
//!
//! Chart times are `NaiveDateTime` values **already converted to the display zone**, so a chart
//! can label its axis with clock times without knowing about zones.

use chrono::NaiveDateTime;
use serde::Serialize;

pub use crate::scoring::FindingSeverity;

/// The language a report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    De,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
        }
    }

    /// Anything but German falls back to English, the language every label exists in.
    pub fn from_code(code: &str) -> Self {
        if code.trim().eq_ignore_ascii_case("de") {
            Lang::De
        } else {
            Lang::En
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncidentReport {
    pub organisation: String,
    /// Printed in the running header of every page, e.g. "Vertraulich" or "Internal".
    pub confidentiality: String,
    pub lang: Lang,
    /// When the report was generated, as shown on the cover.
    pub generated_at: String,
    /// The same moment in UTC, for the PDF's creation date.
    pub generated_utc: NaiveDateTime,
    pub facts: IncidentFacts,
    pub scores: Scores,
    /// Affected audiences in the order lanes, legends and tables list them.
    pub audiences: Vec<AudienceSummary>,
    pub findings: Vec<ReportFinding>,
    pub timeline: Timeline,
    pub clarity: Vec<MessageClarity>,
    pub messages: Vec<MessageRow>,
    pub survey: Option<SurveyResults>,
    pub mentions_sentiment: Vec<SentimentPoint>,
    pub review_sections: Vec<ReviewSection>,
    pub actions: Vec<ImprovementAction>,
    pub method: MethodAppendix,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncidentFacts {
    pub key: String,
    pub title: String,
    /// Domain code (`it_outage`, `social_media`, `security`, `other`); the report translates it.
    pub kind: String,
    /// Domain code `sev1` … `sev4`.
    pub severity: String,
    /// Domain code `open`, `in_review`, `closed`.
    pub status: String,
    pub detected: String,
    pub started: Option<String>,
    pub resolved: Option<String>,
    pub affected_services: Vec<String>,
    pub summary: String,
}

/// Incident scores, 0–100; `None` where nothing could be measured (e.g. no survey yet).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Scores {
    pub overall: Option<f64>,
    pub timeliness: Option<f64>,
    pub clarity: Option<f64>,
    pub perceived: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AudienceSummary {
    /// Stable key (`customers`, `management`, …) that findings, lanes and survey rows refer to.
    pub key: String,
    /// Display name in the report language.
    pub name: String,
    pub scores: Scores,
    /// Minutes from detection to the first message; `None` when the audience got no message.
    pub first_message_minutes: Option<f64>,
    pub first_message_target_minutes: Option<f64>,
    /// The policy's update interval, used to judge silences the scoring did not already judge.
    pub update_interval_minutes: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportFinding {
    pub severity: FindingSeverity,
    pub text: String,
    pub audience: Option<String>,
    /// A human reference to the message, e.g. "14:05 · E-Mail · Update".
    pub message: Option<String>,
    /// Points of the overall score the finding costs; the summary lists the costliest first.
    pub impact: f64,
}

/// Everything the timeline chart draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timeline {
    pub detected_at: NaiveDateTime,
    pub resolved_at: Option<NaiveDateTime>,
    pub phases: Vec<Phase>,
    pub messages: Vec<TimelineMessage>,
    pub promises: Vec<PromisedUpdate>,
    pub silences: Vec<Silence>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PhaseKind {
    /// Impact started before anyone knew.
    Undetected,
    Investigating,
    Mitigating,
    Monitoring,
    Resolved,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Phase {
    pub kind: PhaseKind,
    pub from: NaiveDateTime,
    pub to: NaiveDateTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    Initial,
    Update,
    Resolution,
    PostIncident,
    Reply,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineMessage {
    pub at: NaiveDateTime,
    pub audience: String,
    pub kind: MessageKind,
    /// Channel name in the report language.
    pub channel: String,
    /// Sent after its target (first-message target or a promised update time).
    pub late: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PromisedUpdate {
    pub audience: String,
    pub promised_at: NaiveDateTime,
    pub due: NaiveDateTime,
    pub kept: bool,
}

/// A stretch without a message to one audience while the incident was unresolved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Silence {
    pub audience: String,
    pub from: NaiveDateTime,
    pub to: NaiveDateTime,
    /// The scoring's verdict; `None` lets the report judge it against the audience's interval.
    pub late: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MessageClarity {
    pub at: NaiveDateTime,
    pub audience: String,
    pub score: f64,
}

/// One row of the message-by-message findings table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MessageRow {
    pub sent: String,
    pub audiences: String,
    pub channel: String,
    pub kind: MessageKind,
    pub clarity: Option<f64>,
    pub findings: Vec<(FindingSeverity, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurveyResults {
    pub response_rates: Vec<ResponseRate>,
    pub questions: Vec<QuestionResult>,
    pub sentiment: SentimentCounts,
    pub sentiment_over_time: Vec<SentimentPoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseRate {
    pub audience: String,
    pub invited: u32,
    pub answered: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionType {
    Rating,
    Scale,
    SingleChoice,
    MultipleChoice,
    YesNoPartly,
    FreeText,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionResult {
    pub text: String,
    pub kind: QuestionType,
    /// Category labels from the most negative to the most positive, as the bars stack them.
    pub options: Vec<String>,
    pub per_audience: Vec<AnswerDistribution>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnswerDistribution {
    pub audience: String,
    /// One count per entry of the question's `options`.
    pub counts: Vec<u32>,
    pub mean: Option<f64>,
    pub n: u32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct SentimentCounts {
    pub positive: u32,
    pub neutral: u32,
    pub negative: u32,
}

/// Sentiment counts of one time bucket starting at `at`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SentimentPoint {
    pub at: NaiveDateTime,
    pub counts: SentimentCounts,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewSection {
    pub title: String,
    /// Markdown-ish: blank lines separate paragraphs; lines starting with `- ` or `* ` are bullets.
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    Open,
    InProgress,
    Done,
    WontDo,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    High,
    Medium,
    Low,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImprovementAction {
    pub title: String,
    pub owner: String,
    pub due: String,
    pub priority: Priority,
    pub status: ActionStatus,
    /// Category name in the report language.
    pub category: String,
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MethodAppendix {
    pub rubric_version: i32,
    pub weights: Vec<RubricWeight>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RubricWeight {
    /// The group the weight belongs to, e.g. "Timeliness" / "Rechtzeitigkeit".
    pub group: String,
    pub name: String,
    pub weight: f64,
}

impl IncidentReport {
    /// The display name of an audience key; unknown keys are shown as they are.
    pub fn audience_name<'a>(&'a self, key: &'a str) -> &'a str {
        self.audiences
            .iter()
            .find(|a| a.key == key)
            .map_or(key, |a| a.name.as_str())
    }
}

/// A portfolio report over the incidents detected in a date range.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PortfolioReport {
    pub organisation: String,
    pub confidentiality: String,
    pub lang: Lang,
    pub generated_at: String,
    pub generated_utc: NaiveDateTime,
    /// The range as shown, e.g. "01.01.2026 – 30.06.2026".
    pub range: String,
    /// Filter codes that narrowed the selection (`kind`, `severity`), shown on the cover.
    pub kind_filter: Option<String>,
    pub severity_filter: Option<String>,
    pub incidents: Vec<PortfolioIncident>,
    pub quarters: Vec<QuarterAggregate>,
    pub actions: ActionCounts,
    /// Spearman rank correlation between measured and perceived overall scores, when ≥ 3 pairs.
    pub measured_perceived_correlation: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PortfolioIncident {
    pub key: String,
    pub title: String,
    pub kind: String,
    pub severity: String,
    pub detected: chrono::NaiveDate,
    pub scores: Scores,
    /// Minutes to the first message to any audience.
    pub first_message_minutes: Option<f64>,
    pub actions: ActionCounts,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ActionCounts {
    pub open: u32,
    pub in_progress: u32,
    pub done: u32,
    pub wont_do: u32,
    /// Open or in progress and past the due date (a subset of `open` + `in_progress`).
    pub overdue: u32,
}

impl ActionCounts {
    pub fn count(&self, status: ActionStatus) -> u32 {
        match status {
            ActionStatus::Open => self.open,
            ActionStatus::InProgress => self.in_progress,
            ActionStatus::Done => self.done,
            ActionStatus::WontDo => self.wont_do,
        }
    }

    pub fn total(&self) -> u32 {
        self.open + self.in_progress + self.done + self.wont_do
    }

    pub fn add(&mut self, other: &ActionCounts) {
        self.open += other.open;
        self.in_progress += other.in_progress;
        self.done += other.done;
        self.wont_do += other.wont_do;
        self.overdue += other.overdue;
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuarterAggregate {
    /// e.g. "2026 Q1".
    pub label: String,
    pub incidents: u32,
    pub timeliness: Option<f64>,
    pub clarity: Option<f64>,
    pub perceived: Option<f64>,
    pub median_first_message_minutes: Option<f64>,
    pub actions: ActionCounts,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_language_codes_fall_back_to_english() {
        assert_eq!(Lang::from_code("DE"), Lang::De);
        assert_eq!(Lang::from_code("fr"), Lang::En);
    }
}
