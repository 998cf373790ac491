//! After-action reviews (SPEC §6): one per incident, with structured sections whose automatic
//! parts come from the policy, the scorecard and the surveys; contributions from participants
//! before the meeting; findings pinned from the scorecard and turned into improvement actions;
//! draft → in review → published, with an edit history per section.

pub mod automatic;
pub mod blameless;
pub mod diff;
pub mod manage;
pub mod model;
pub mod participation;
pub mod pins;
pub mod report;

pub use model::{Review, ReviewStatus, Section, SectionKey};
