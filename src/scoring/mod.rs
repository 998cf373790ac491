//! Scoring the communication (SCORING.md, rubric version 1): pure functions over domain types.
//! Every deduction is a [`Finding`] that names the message or the gap it comes from, in both
//! languages, so the same finding reads right on a German report and an English page.

pub mod analysis;
pub mod batch;
pub mod clarity;
mod clarity_text;
pub mod content_element;
pub mod cues;
pub mod element_cues;
pub mod elements;
pub mod finding;
pub mod honesty;
pub mod jargon;
pub mod jargon_lexicon;
pub mod labels;
pub mod prepared;
pub mod promise;
pub mod readability;
pub mod rubric;
pub mod scorecard;
pub mod segment;
pub mod services;
pub mod syllables;
mod time_window;
pub mod timeliness;
pub mod times;
pub mod tone;
mod tone_cues;

pub use analysis::{Labels, MessageAnalysis, MessageContext, analyze};
pub use clarity::ClarityScores;
pub use finding::{Evidence, Finding, FindingSeverity};
pub use labels::{Apology, Blame, EtaKind, Readers};
pub use rubric::ClarityRubric;
pub use services::ServiceCatalogue;

/// The rubric these functions implement; stored with every score so old scores stay explainable.
pub const RUBRIC_VERSION: i32 = 1;
