//! Feedback surveys to affected users and stakeholders (SPEC §5): presets, questions, personal
//! and open links, the outbox-driven invitations and reminders, answers and results.

pub mod answers;
pub mod charts;
pub mod export;
pub mod manage;
pub mod model;
pub mod presets;
pub mod respond;
pub mod results;

pub use model::{
    AnswerValue, Choice, Question, QuestionType, Survey, SurveyStatus, SurveyTemplate,
};
