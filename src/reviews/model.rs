//! After-action reviews (SPEC §6): their sections, workflow, participants, contributions and
//! pinned findings, as plain types with their rules.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::domain::validation::{FieldErrors, Validated};

crate::text_enum!(
    /// draft → in review → published; a published review is read-only until an admin reopens it.
    ReviewStatus { Draft = "draft", InReview = "in_review", Published = "published" }
);

crate::text_enum!(
    /// The structured sections of SPEC §6, in the order a review reads.
    SectionKey {
        Summary = "summary",
        Expected = "expected",
        Actual = "actual",
        WhyDifference = "why_difference",
        WentWell = "went_well",
        WentBadly = "went_badly",
        Lucky = "lucky",
        StrengthsWeaknesses = "strengths_weaknesses",
        Perception = "perception",
        TeamPerformance = "team_performance",
        Lessons = "lessons",
    }
);

impl SectionKey {
    /// Sections with a part that Debrief fills in from the policy, the scorecard or the surveys.
    pub fn is_automatic(self) -> bool {
        matches!(
            self,
            SectionKey::Expected | SectionKey::Actual | SectionKey::Perception
        )
    }

    /// The section's title in `lang` (catalogued under `review.section`).
    pub fn title(self, lang: &str) -> String {
        crate::i18n::translate(lang, &format!("review.section.{self}"))
    }
}

/// Refusals of the workflow, in English as the API reports them (the UI translates them under
/// `[conflict]`).
pub const READ_ONLY: &str = "the review is published and read-only; an admin can reopen it";
pub const NOT_A_STEP: &str =
    "a review moves from draft to in review and then to published (or back to draft)";
pub const NOT_PUBLISHED: &str = "only a published review can be reopened";
pub const CONTRIBUTIONS_CLOSED: &str = "the review is published; contributions are closed";

impl ReviewStatus {
    /// Whether the team's text, participants, contributions and pins may change.
    pub fn editable(self) -> bool {
        self != ReviewStatus::Published
    }

    /// The moves the status form offers: forward one step, or from review back to draft.
    /// Reopening a published review is an admin's separate act ([`ReviewStatus::reopen`]).
    pub fn step_to(self, to: ReviewStatus) -> Result<ReviewStatus, &'static str> {
        use ReviewStatus::*;
        match (self, to) {
            (Published, _) => Err(READ_ONLY),
            (Draft, InReview) | (InReview, Published) | (InReview, Draft) => Ok(to),
            _ => Err(NOT_A_STEP),
        }
    }

    pub fn reopen(self) -> Result<ReviewStatus, &'static str> {
        match self {
            ReviewStatus::Published => Ok(ReviewStatus::InReview),
            _ => Err(NOT_PUBLISHED),
        }
    }

    /// The steps the status form offers from here.
    pub fn next_steps(self) -> Vec<ReviewStatus> {
        ReviewStatus::ALL
            .iter()
            .copied()
            .filter(|to| self.step_to(*to).is_ok())
            .collect()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Review {
    pub id: i64,
    pub incident_id: i64,
    pub status: ReviewStatus,
    pub facilitator_id: Option<i64>,
    pub meeting_at: Option<NaiveDateTime>,
    pub published_at: Option<NaiveDateTime>,
    pub published_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Review {
    pub fn ensure_editable(&self) -> Result<(), &'static str> {
        if self.status.editable() {
            Ok(())
        } else {
            Err(READ_ONLY)
        }
    }
}

/// One section: the automatic part (regenerated on demand) and the team's text (only ever
/// written by people), kept apart.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub id: i64,
    pub key: SectionKey,
    pub auto_content: Option<String>,
    pub auto_generated_at: Option<NaiveDateTime>,
    pub team_content: String,
    pub updated_by: Option<i64>,
    pub updated_at: NaiveDateTime,
}

/// One change of a section's team text.
#[derive(Debug, Clone, Serialize)]
pub struct SectionEdit {
    pub id: i64,
    pub at: NaiveDateTime,
    pub user_id: Option<i64>,
    pub user_name: Option<String>,
    pub old_content: String,
    pub new_content: String,
}

/// The longest team text a section takes.
pub const MAX_SECTION_CHARS: usize = 20_000;

/// A section's team text as submitted; line endings normalised so the history diffs lines.
pub fn validate_section_text(text: &str) -> Validated<String> {
    let text = text.replace("\r\n", "\n");
    let text = text.trim_end().to_string();
    if text.chars().count() > MAX_SECTION_CHARS {
        return Err(FieldErrors::single(
            "content",
            "is longer than 20000 characters",
        ));
    }
    Ok(text)
}

crate::text_enum!(
    ParticipantRole { Facilitator = "facilitator", Participant = "participant" }
);

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Participant {
    pub id: i64,
    pub user_id: Option<i64>,
    pub name: String,
    pub email: Option<String>,
    pub role: ParticipantRole,
    /// Whether a personal contribution link was sent (external people, or anyone invited by mail).
    pub has_link: bool,
    #[serde(serialize_with = "crate::domain::time::serde_utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
}

/// Someone to add: an account of Debrief, or an outside person by name and e-mail.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ParticipantInput {
    pub user_id: Option<i64>,
    pub name: String,
    pub email: String,
}

/// A participant as stored: either a user, or a name with an e-mail address for the link.
#[derive(Debug, Clone, PartialEq)]
pub enum NewParticipant {
    User(i64),
    External { name: String, email: String },
}

impl ParticipantInput {
    pub fn validate(&self) -> Validated<NewParticipant> {
        if let Some(id) = self.user_id {
            return Ok(NewParticipant::User(id));
        }
        let mut errors = FieldErrors::default();
        let name = crate::domain::validation::required_text(&mut errors, "name", &self.name, 200);
        let email = self.email.trim().to_lowercase();
        if !crate::accounts::valid_email(&email) {
            errors.add("email", "is not a valid e-mail address");
        }
        errors.into_result(NewParticipant::External { name, email })
    }
}

/// A participant's observations before the meeting.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Contribution {
    pub id: i64,
    pub participant_id: i64,
    pub went_well: String,
    pub went_badly: String,
    pub should_change: String,
    #[serde(serialize_with = "crate::domain::time::serde_utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub submitted_at: NaiveDateTime,
    #[serde(serialize_with = "crate::domain::time::serde_utc_opt::serialize")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub merged_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ContributionInput {
    pub went_well: String,
    pub went_badly: String,
    pub should_change: String,
}

const MAX_CONTRIBUTION_CHARS: usize = 5000;

impl ContributionInput {
    pub fn validate(&self) -> Validated<ContributionInput> {
        let mut errors = FieldErrors::default();
        let clean = ContributionInput {
            went_well: self.went_well.replace("\r\n", "\n").trim().to_string(),
            went_badly: self.went_badly.replace("\r\n", "\n").trim().to_string(),
            should_change: self.should_change.replace("\r\n", "\n").trim().to_string(),
        };
        for (field, text) in clean.fields() {
            if text.chars().count() > MAX_CONTRIBUTION_CHARS {
                errors.add(field, "is longer than 5000 characters");
            }
        }
        if clean.fields().iter().all(|(_, t)| t.is_empty()) {
            errors.add("went_well", "write at least one of the three answers");
        }
        errors.into_result(clean)
    }

    fn fields(&self) -> [(&'static str, &str); 3] {
        [
            ("went_well", self.went_well.as_str()),
            ("went_badly", self.went_badly.as_str()),
            ("should_change", self.should_change.as_str()),
        ]
    }
}

impl Contribution {
    /// Where each answer goes when the facilitator merges it: what should change becomes a
    /// lesson.
    pub fn parts(&self) -> [(SectionKey, &str); 3] {
        [
            (SectionKey::WentWell, self.went_well.as_str()),
            (SectionKey::WentBadly, self.went_badly.as_str()),
            (SectionKey::Lessons, self.should_change.as_str()),
        ]
    }
}

/// The team text of a section with contributed answers appended as list items. An answer that
/// the text already holds is not added twice, so merging again changes nothing.
pub fn merge_answers(team_text: &str, answers: &[&str]) -> String {
    let mut out = team_text.trim_end().to_string();
    for answer in answers.iter().map(|a| a.trim()).filter(|a| !a.is_empty()) {
        let item = list_item(answer);
        if out.contains(&item) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(if out.lines().last().is_some_and(|l| l.starts_with("- ")) {
                "\n"
            } else {
                "\n\n"
            });
        }
        out.push_str(&item);
    }
    out
}

/// A Markdown list item; further lines of the answer are indented to stay in the item.
fn list_item(text: &str) -> String {
    let mut lines = text.lines().map(str::trim_end);
    let mut out = format!("- {}", lines.next().unwrap_or_default().trim_start());
    for line in lines {
        out.push('\n');
        if !line.trim().is_empty() {
            out.push_str("  ");
            out.push_str(line.trim_start());
        }
    }
    out
}

/// A finding of the scorecard pinned into the review, with what identifies it across
/// recomputations (its rule, message and audience).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Pin {
    pub id: i64,
    pub finding_code: String,
    pub finding_text: String,
    pub message_id: Option<i64>,
    pub audience: Option<String>,
    pub created_by: Option<i64>,
    #[serde(serialize_with = "crate::domain::time::serde_utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    /// The improvement action made from it, if any.
    pub action_id: Option<i64>,
}

/// Which finding of the scorecard is meant, as the scorecard page and the API name it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct FindingRef {
    pub code: String,
    pub message_id: Option<i64>,
    pub audience: Option<String>,
}

impl FindingRef {
    pub fn matches(&self, f: &crate::scoring::Finding) -> bool {
        f.code == self.code
            && f.message_id == self.message_id
            && f.audience.as_deref() == self.audience.as_deref().filter(|a| !a.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workflow_steps_forward_and_back_but_never_out_of_published() {
        use ReviewStatus::*;
        assert_eq!(Draft.step_to(InReview), Ok(InReview));
        assert_eq!(InReview.step_to(Published), Ok(Published));
        assert_eq!(InReview.step_to(Draft), Ok(Draft));
        assert_eq!(Draft.step_to(Published), Err(NOT_A_STEP));
        assert_eq!(Draft.step_to(Draft), Err(NOT_A_STEP));
        assert_eq!(Published.step_to(InReview), Err(READ_ONLY));
        assert_eq!(Published.step_to(Draft), Err(READ_ONLY));
        assert_eq!(Published.reopen(), Ok(InReview));
        assert_eq!(InReview.reopen(), Err(NOT_PUBLISHED));
        assert_eq!(Draft.next_steps(), vec![InReview]);
        assert_eq!(InReview.next_steps(), vec![Draft, Published]);
        assert!(Published.next_steps().is_empty());
        assert!(!Published.editable() && Draft.editable() && InReview.editable());
    }

    #[test]
    fn three_sections_are_automatic() {
        let auto: Vec<SectionKey> = SectionKey::ALL
            .iter()
            .copied()
            .filter(|k| k.is_automatic())
            .collect();
        assert_eq!(
            auto,
            vec![
                SectionKey::Expected,
                SectionKey::Actual,
                SectionKey::Perception
            ]
        );
    }

    #[test]
    fn merged_answers_become_list_items_once() {
        let text = "Our notes.";
        let merged = merge_answers(text, &["Hotline was fast", " ", "SMS came late\nfor some"]);
        assert_eq!(
            merged,
            "Our notes.\n\n- Hotline was fast\n- SMS came late\n  for some"
        );
        assert_eq!(merge_answers(&merged, &["Hotline was fast"]), merged);
        assert_eq!(merge_answers("", &["one"]), "- one");
    }

    #[test]
    fn a_contribution_needs_one_answer_and_bounded_text() {
        let empty = ContributionInput::default().validate().expect_err("empty");
        assert_eq!(
            empty.get("went_well"),
            Some("write at least one of the three answers")
        );
        let long = ContributionInput {
            went_badly: "x".repeat(5001),
            ..Default::default()
        };
        assert!(
            long.validate()
                .expect_err("long")
                .get("went_badly")
                .is_some()
        );
        let ok = ContributionInput {
            should_change: "  SMS first\r\nthen mail ".into(),
            ..Default::default()
        }
        .validate()
        .expect("valid");
        assert_eq!(ok.should_change, "SMS first\nthen mail");
    }

    #[test]
    fn participants_are_users_or_people_with_an_address() {
        assert_eq!(
            ParticipantInput {
                user_id: Some(3),
                ..Default::default()
            }
            .validate(),
            Ok(NewParticipant::User(3))
        );
        let e = ParticipantInput {
            name: " ".into(),
            email: "not-mail".into(),
            ..Default::default()
        }
        .validate()
        .expect_err("invalid");
        assert!(e.get("name").is_some() && e.get("email").is_some());
        assert_eq!(
            ParticipantInput {
                name: "Petra Gerber".into(),
                email: "Petra@Partner.ch".into(),
                ..Default::default()
            }
            .validate(),
            Ok(NewParticipant::External {
                name: "Petra Gerber".into(),
                email: "petra@partner.ch".into()
            })
        );
    }

    #[test]
    fn section_text_is_bounded() {
        assert_eq!(validate_section_text("a\r\nb\n\n"), Ok("a\nb".into()));
        assert!(validate_section_text(&"x".repeat(20_001)).is_err());
    }
}
