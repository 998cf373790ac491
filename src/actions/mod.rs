//! Improvement actions (SPEC §6): created on an incident or from a pinned finding of its
//! review, tracked on a board across all incidents, with status history, a daily digest to
//! owners, a CSV export for Jira, an iCalendar feed of due dates and metrics.

pub mod calendar;
pub mod digest;
pub mod export;
pub mod manage;
pub mod metrics;
pub mod model;

pub use model::{Action, ActionInput, ActionStatus, BoardQuery, Category, Priority, StatusChange};
