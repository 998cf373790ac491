//! Improvement actions (SPEC §6): what the team will change after an incident, who owns it, by
//! when, and how far it got. Plain types with their rules.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::domain::validation::{FieldErrors, Validated, parse_choice, required_text};
use crate::domain::{Role, User};

crate::text_enum!(Category {
    GuidelinesTemplates = "guidelines_templates",
    Tools = "tools",
    Training = "training",
    Process = "process",
    RolesContacts = "roles_contacts",
    Technical = "technical",
});

crate::text_enum!(Priority {
    High = "high",
    Medium = "medium",
    Low = "low",
});

crate::text_enum!(ActionStatus {
    Open = "open",
    InProgress = "in_progress",
    Done = "done",
    WontDo = "wont_do",
});

impl ActionStatus {
    /// Still to be worked on: counts towards overdue and the digest.
    pub fn is_active(self) -> bool {
        matches!(self, ActionStatus::Open | ActionStatus::InProgress)
    }
}

impl Priority {
    /// Sort rank, most urgent first.
    pub fn rank(self) -> u8 {
        match self {
            Priority::High => 0,
            Priority::Medium => 1,
            Priority::Low => 2,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Action {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub category: Category,
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    pub owner_email: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    pub due_date: Option<NaiveDate>,
    pub priority: Priority,
    pub status: ActionStatus,
    /// Source: the incident (key), the review and the pinned finding it came from.
    pub incident_key: Option<String>,
    pub review_id: Option<i64>,
    pub pin_id: Option<i64>,
    /// The pinned finding's text, when the action came from one.
    pub finding: Option<String>,
    pub external_link: Option<String>,
    pub created_by: Option<i64>,
    #[serde(serialize_with = "crate::domain::time::serde_utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::domain::time::serde_utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: NaiveDateTime,
    #[serde(serialize_with = "crate::domain::time::serde_utc_opt::serialize")]
    pub closed_at: Option<NaiveDateTime>,
}

impl Action {
    /// Past its due date and still open or in progress, on `today` (the organisation's date).
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status.is_active() && self.due_date.is_some_and(|d| d < today)
    }

    /// Due within `days` from `today` (not yet overdue) and still open or in progress.
    pub fn is_due_soon(&self, today: NaiveDate, days: i64) -> bool {
        self.status.is_active()
            && self
                .due_date
                .is_some_and(|d| d >= today && d <= today + chrono::Duration::days(days))
    }
}

/// Editors and admins change everything; the owner may move their own action's status (and
/// comment on it) whatever their role.
pub fn may_change_status(user: &User, action: &Action) -> bool {
    user.role.includes(Role::Editor) || action.owner_id == Some(user.id)
}

/// An action as a form or the API submits it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ActionInput {
    pub title: String,
    pub description: String,
    pub category: String,
    pub owner_id: Option<i64>,
    /// `YYYY-MM-DD`, or empty.
    pub due_date: String,
    pub priority: String,
    /// Only when creating: the status an action starts with (default open).
    pub status: String,
    pub external_link: String,
}

/// A validated action, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionDraft {
    pub title: String,
    pub description: String,
    pub category: Category,
    pub owner_id: Option<i64>,
    pub due_date: Option<NaiveDate>,
    pub priority: Priority,
    pub status: ActionStatus,
    pub external_link: Option<String>,
}

pub fn parse_date(errors: &mut FieldErrors, field: &str, value: &str) -> Option<NaiveDate> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            errors.add(field, "enter a date as YYYY-MM-DD");
            None
        }
    }
}

impl ActionInput {
    /// `owners`: the ids of users an action may be given to (active accounts).
    pub fn validate(&self, owners: &[i64]) -> Validated<ActionDraft> {
        let mut errors = FieldErrors::default();
        let title = required_text(&mut errors, "title", &self.title, 200);
        let description = self.description.replace("\r\n", "\n").trim().to_string();
        if description.chars().count() > 5000 {
            errors.add("description", "is longer than 5000 characters");
        }
        let category: Option<Category> = parse_choice(&mut errors, "category", &self.category);
        let priority: Option<Priority> = if self.priority.trim().is_empty() {
            Some(Priority::Medium)
        } else {
            parse_choice(&mut errors, "priority", &self.priority)
        };
        let status: Option<ActionStatus> = if self.status.trim().is_empty() {
            Some(ActionStatus::Open)
        } else {
            parse_choice(&mut errors, "status", &self.status)
        };
        if let Some(o) = self.owner_id
            && !owners.contains(&o)
        {
            errors.add("owner_id", "choose an active user as the owner");
        }
        let due_date = parse_date(&mut errors, "due_date", &self.due_date);
        let link = self.external_link.trim();
        let external_link = if link.is_empty() {
            None
        } else if !(link.starts_with("https://") || link.starts_with("http://"))
            || url::Url::parse(link).is_err()
        {
            errors.add("external_link", "must be an http(s) link");
            None
        } else if link.chars().count() > 1000 {
            errors.add("external_link", "is longer than 1000 characters");
            None
        } else {
            Some(link.to_string())
        };
        match (category, priority, status) {
            (Some(category), Some(priority), Some(status)) if errors.is_empty() => {
                Ok(ActionDraft {
                    title,
                    description,
                    category,
                    owner_id: self.owner_id,
                    due_date,
                    priority,
                    status,
                    external_link,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A status change, with an optional comment for the history.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct StatusChange {
    pub status: String,
    pub comment: String,
}

impl StatusChange {
    pub fn validate(&self) -> Validated<(ActionStatus, Option<String>)> {
        let mut errors = FieldErrors::default();
        let status: Option<ActionStatus> = parse_choice(&mut errors, "status", &self.status);
        let comment = self.comment.trim();
        if comment.chars().count() > 2000 {
            errors.add("comment", "is longer than 2000 characters");
        }
        match status {
            Some(s) if errors.is_empty() => {
                Ok((s, (!comment.is_empty()).then(|| comment.to_string())))
            }
            _ => Err(errors),
        }
    }
}

/// One entry of an action's history: a field that changed, or a comment.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HistoryEntry {
    #[serde(serialize_with = "crate::domain::time::serde_utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub at: NaiveDateTime,
    pub user_name: Option<String>,
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub comment: Option<String>,
}

/// What changed between an action and its edited version, as (field, old, new) for the history.
pub fn changes(
    before: &Action,
    after: &ActionDraft,
) -> Vec<(&'static str, Option<String>, Option<String>)> {
    let mut out = Vec::new();
    let mut diff = |field: &'static str, old: Option<String>, new: Option<String>| {
        if old != new {
            out.push((field, old, new));
        }
    };
    diff(
        "title",
        Some(before.title.clone()),
        Some(after.title.clone()),
    );
    diff(
        "description",
        Some(before.description.clone()),
        Some(after.description.clone()),
    );
    diff(
        "category",
        Some(before.category.to_string()),
        Some(after.category.to_string()),
    );
    diff(
        "owner",
        before.owner_id.map(|i| i.to_string()),
        after.owner_id.map(|i| i.to_string()),
    );
    diff(
        "due_date",
        before.due_date.map(|d| d.to_string()),
        after.due_date.map(|d| d.to_string()),
    );
    diff(
        "priority",
        Some(before.priority.to_string()),
        Some(after.priority.to_string()),
    );
    diff(
        "external_link",
        before.external_link.clone(),
        after.external_link.clone(),
    );
    out
}

crate::text_enum!(
    /// How the board orders actions.
    SortKey { Due = "due", Priority = "priority", Status = "status", Created = "created", Title = "title" }
);

/// The board's filters, as the query string or the API gives them. Empty means "any".
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[serde(default)]
pub struct BoardQuery {
    /// One status, or several separated by commas.
    #[param(
        pattern = r"^[ ,]*((open|in_progress|done|wont_do)( *,[ ,]*(open|in_progress|done|wont_do))*)?[ ,]*$"
    )]
    pub status: String,
    /// A user id, or `none` for actions without an owner.
    #[param(pattern = r"^ *(none|[0-9]{1,18})? *$")]
    pub owner: String,
    #[param(schema_with = category_or_any)]
    pub category: String,
    /// `1`/`true`/`on`: only overdue actions.
    pub overdue: String,
    pub incident: String,
    /// Due on or after this date (`YYYY-MM-DD`; empty: any). The patterns spell digits and spaces
    /// out: a schema's `\d` and `\s` admit any Unicode digit or space to a client's validator.
    #[param(pattern = r"^ *([0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]))? *$")]
    pub due_from: String,
    /// Due on or before this date (`YYYY-MM-DD`; empty: any).
    #[param(pattern = r"^ *([0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]))? *$")]
    pub due_to: String,
    #[param(schema_with = sort_or_default)]
    pub sort: String,
}

/// A vocabulary where the empty string (an unused filter) is allowed too.
fn choice_or_empty(choices: impl Iterator<Item = &'static str>) -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .enum_values(Some(std::iter::once("").chain(choices)))
        .build()
}

fn category_or_any() -> utoipa::openapi::Object {
    choice_or_empty(Category::ALL.iter().map(|c| c.as_str()))
}

fn sort_or_default() -> utoipa::openapi::Object {
    choice_or_empty(SortKey::ALL.iter().map(|k| k.as_str()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerFilter {
    Any,
    Nobody,
    User(i64),
}

/// The board's filters, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionFilter {
    pub statuses: Vec<ActionStatus>,
    pub owner: OwnerFilter,
    pub category: Option<Category>,
    pub overdue_on: Option<NaiveDate>,
    pub incident: Option<String>,
    pub due_from: Option<NaiveDate>,
    pub due_to: Option<NaiveDate>,
    pub sort: SortKey,
}

impl Default for ActionFilter {
    fn default() -> Self {
        Self {
            statuses: Vec::new(),
            owner: OwnerFilter::Any,
            category: None,
            overdue_on: None,
            incident: None,
            due_from: None,
            due_to: None,
            sort: SortKey::Due,
        }
    }
}

impl BoardQuery {
    /// `today`: the organisation's date, which "overdue" is judged against.
    pub fn filter(&self, today: NaiveDate) -> Validated<ActionFilter> {
        let mut errors = FieldErrors::default();
        let mut statuses = Vec::new();
        for s in self
            .status
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            if let Some(v) = parse_choice::<ActionStatus>(&mut errors, "status", s) {
                statuses.push(v);
            }
        }
        let owner = match self.owner.trim() {
            "" => OwnerFilter::Any,
            "none" => OwnerFilter::Nobody,
            id => match id.parse() {
                Ok(i) => OwnerFilter::User(i),
                Err(_) => {
                    errors.add("owner", "choose an owner from the list");
                    OwnerFilter::Any
                }
            },
        };
        let category = match self.category.trim() {
            "" => None,
            c => parse_choice(&mut errors, "category", c),
        };
        let overdue_on = flag(&self.overdue).then_some(today);
        let incident = Some(self.incident.trim().to_string()).filter(|k| !k.is_empty());
        let due_from = parse_date(&mut errors, "due_from", &self.due_from);
        let due_to = parse_date(&mut errors, "due_to", &self.due_to);
        let sort = match self.sort.trim() {
            "" => SortKey::Due,
            s => parse_choice(&mut errors, "sort", s).unwrap_or(SortKey::Due),
        };
        errors.into_result(ActionFilter {
            statuses,
            owner,
            category,
            overdue_on,
            incident,
            due_from,
            due_to,
            sort,
        })
    }
}

fn flag(value: &str) -> bool {
    matches!(value.trim(), "1" | "true" | "on" | "yes")
}

/// Orders actions for the board: by the sort key, then by id so the order is stable.
pub fn sort(actions: &mut [Action], key: SortKey) {
    let status_rank = |s: ActionStatus| ActionStatus::ALL.iter().position(|x| *x == s);
    actions.sort_by(|a, b| {
        let by = match key {
            // Actions without a due date come last.
            SortKey::Due => {
                (a.due_date.is_none(), a.due_date).cmp(&(b.due_date.is_none(), b.due_date))
            }
            SortKey::Priority => a.priority.rank().cmp(&b.priority.rank()),
            SortKey::Status => status_rank(a.status).cmp(&status_rank(b.status)),
            SortKey::Created => b.created_at.cmp(&a.created_at),
            SortKey::Title => a.title.to_lowercase().cmp(&b.title.to_lowercase()),
        };
        by.then(a.id.cmp(&b.id))
    });
}

/// Actions for the unit tests of this module and its neighbours.
#[cfg(test)]
pub(crate) mod samples {
    use super::*;

    pub fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    pub fn action(id: i64, status: ActionStatus, due: Option<&str>) -> Action {
        let t = date("2026-03-01").and_hms_opt(8, 0, 0).expect("time");
        Action {
            id,
            title: format!("Action {id}"),
            description: String::new(),
            category: Category::Process,
            owner_id: Some(7),
            owner_name: Some("Anna".into()),
            owner_email: Some("anna@firma.ch".into()),
            due_date: due.map(date),
            priority: Priority::Medium,
            status,
            incident_key: None,
            review_id: None,
            pin_id: None,
            finding: None,
            external_link: None,
            created_by: None,
            created_at: t,
            updated_at: t,
            closed_at: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::samples::{action, date};
    use super::*;

    #[test]
    fn overdue_and_due_soon_need_an_active_status() {
        let today = date("2026-03-10");
        assert!(action(1, ActionStatus::Open, Some("2026-03-09")).is_overdue(today));
        assert!(!action(1, ActionStatus::Open, Some("2026-03-10")).is_overdue(today));
        assert!(!action(1, ActionStatus::Done, Some("2026-03-01")).is_overdue(today));
        assert!(!action(1, ActionStatus::InProgress, None).is_overdue(today));
        assert!(action(1, ActionStatus::InProgress, Some("2026-03-17")).is_due_soon(today, 7));
        assert!(!action(1, ActionStatus::InProgress, Some("2026-03-18")).is_due_soon(today, 7));
        assert!(!action(1, ActionStatus::WontDo, Some("2026-03-11")).is_due_soon(today, 7));
    }

    #[test]
    fn owners_may_change_the_status_of_their_own_actions() {
        let user = |id, role| User {
            id,
            email: "x@firma.ch".into(),
            name: "X".into(),
            role,
            locale: "de".into(),
            time_zone: None,
            active: true,
            has_password: true,
            created_at: date("2026-01-01").and_hms_opt(0, 0, 0).expect("t"),
        };
        let a = action(1, ActionStatus::Open, None);
        assert!(may_change_status(&user(7, Role::Viewer), &a));
        assert!(!may_change_status(&user(8, Role::Viewer), &a));
        assert!(may_change_status(&user(8, Role::Editor), &a));
    }

    #[test]
    fn action_input_rules() {
        let bad = ActionInput {
            title: " ".into(),
            category: "magic".into(),
            owner_id: Some(99),
            due_date: "31.12.2026".into(),
            external_link: "javascript:alert(1)".into(),
            ..Default::default()
        };
        let e = bad.validate(&[7]).expect_err("invalid");
        for field in ["title", "category", "owner_id", "due_date", "external_link"] {
            assert!(e.get(field).is_some(), "{field}: {e}");
        }
        let ok = ActionInput {
            title: " Update the SMS template ".into(),
            category: "guidelines_templates".into(),
            owner_id: Some(7),
            due_date: "2026-04-30".into(),
            external_link: "https://jira.firma.ch/browse/COMM-12".into(),
            ..Default::default()
        }
        .validate(&[7])
        .expect("valid");
        assert_eq!(ok.title, "Update the SMS template");
        assert_eq!(
            (ok.priority, ok.status),
            (Priority::Medium, ActionStatus::Open)
        );
        assert_eq!(ok.due_date, Some(date("2026-04-30")));
    }

    #[test]
    fn board_query_becomes_a_filter() {
        let today = date("2026-03-10");
        let f = BoardQuery {
            status: "open,in_progress".into(),
            owner: "7".into(),
            category: "tools".into(),
            overdue: "1".into(),
            due_to: "2026-04-01".into(),
            sort: "priority".into(),
            ..Default::default()
        }
        .filter(today)
        .expect("valid");
        assert_eq!(
            f.statuses,
            vec![ActionStatus::Open, ActionStatus::InProgress]
        );
        assert_eq!(f.owner, OwnerFilter::User(7));
        assert_eq!(f.category, Some(Category::Tools));
        assert_eq!(f.overdue_on, Some(today));
        assert_eq!(f.due_to, Some(date("2026-04-01")));
        assert_eq!(f.sort, SortKey::Priority);
        let e = BoardQuery {
            status: "finished".into(),
            owner: "anna".into(),
            due_from: "soon".into(),
            ..Default::default()
        }
        .filter(today)
        .expect_err("invalid");
        for field in ["status", "owner", "due_from"] {
            assert!(e.get(field).is_some(), "{field}: {e}");
        }
        assert_eq!(
            BoardQuery::default().filter(today),
            Ok(ActionFilter::default())
        );
    }

    #[test]
    fn sorting_by_due_date_puts_undated_last() {
        let mut list = vec![
            action(1, ActionStatus::Open, None),
            action(2, ActionStatus::Open, Some("2026-05-01")),
            action(3, ActionStatus::Open, Some("2026-04-01")),
        ];
        sort(&mut list, SortKey::Due);
        assert_eq!(list.iter().map(|a| a.id).collect::<Vec<_>>(), vec![3, 2, 1]);
        list[0].priority = Priority::Low;
        list[2].priority = Priority::High;
        sort(&mut list, SortKey::Priority);
        assert_eq!(list.iter().map(|a| a.id).collect::<Vec<_>>(), vec![1, 2, 3]);
    }

    #[test]
    fn edits_list_the_fields_that_changed() {
        let before = action(1, ActionStatus::Open, Some("2026-04-01"));
        let after = ActionDraft {
            title: before.title.clone(),
            description: String::new(),
            category: Category::Training,
            owner_id: Some(7),
            due_date: Some(date("2026-04-15")),
            priority: Priority::Medium,
            status: ActionStatus::Open,
            external_link: None,
        };
        let c = changes(&before, &after);
        assert_eq!(
            c.iter().map(|(f, ..)| *f).collect::<Vec<_>>(),
            vec!["category", "due_date"]
        );
        assert_eq!(c[1].2.as_deref(), Some("2026-04-15"));
    }
}
