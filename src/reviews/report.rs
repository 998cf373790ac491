//! The review and the improvement actions as the incident report and the portfolio show them.

use chrono::NaiveDate;

use crate::actions::model::{Action, ActionFilter, ActionStatus, Priority};
use crate::db::{self, DbConn};
use crate::error::ServiceResult;
use crate::report::model as m;

/// The sections that have text, each as its automatic part followed by the team's text.
pub fn sections(
    conn: &mut DbConn,
    incident_id: i64,
    lang: m::Lang,
) -> ServiceResult<Vec<m::ReviewSection>> {
    let Some(review) = db::reviews::of_incident(conn, incident_id)? else {
        return Ok(Vec::new());
    };
    Ok(db::reviews::sections(conn, review.id)?
        .into_iter()
        .filter_map(|s| {
            let parts: Vec<String> = [s.auto_content.as_deref().unwrap_or(""), &s.team_content]
                .iter()
                .map(|t| crate::text::markdown::to_text(t))
                .filter(|t| !t.is_empty())
                .collect();
            (!parts.is_empty()).then(|| m::ReviewSection {
                title: s.key.title(lang.code()),
                text: parts.join("\n\n"),
            })
        })
        .collect())
}

fn incident_actions(conn: &mut DbConn, incident_key: &str) -> ServiceResult<Vec<Action>> {
    crate::actions::manage::board(
        conn,
        &ActionFilter {
            incident: Some(incident_key.to_string()),
            ..Default::default()
        },
    )
}

fn status(s: ActionStatus) -> m::ActionStatus {
    match s {
        ActionStatus::Open => m::ActionStatus::Open,
        ActionStatus::InProgress => m::ActionStatus::InProgress,
        ActionStatus::Done => m::ActionStatus::Done,
        ActionStatus::WontDo => m::ActionStatus::WontDo,
    }
}

fn priority(p: Priority) -> m::Priority {
    match p {
        Priority::High => m::Priority::High,
        Priority::Medium => m::Priority::Medium,
        Priority::Low => m::Priority::Low,
    }
}

/// The incident's actions for the report's table, by due date.
pub fn actions(
    conn: &mut DbConn,
    incident_key: &str,
    lang: m::Lang,
    today: NaiveDate,
) -> ServiceResult<Vec<m::ImprovementAction>> {
    let l = lang.code();
    Ok(incident_actions(conn, incident_key)?
        .into_iter()
        .map(|a| m::ImprovementAction {
            overdue: a.is_overdue(today),
            owner: a.owner_name.clone().unwrap_or_else(|| "–".into()),
            due: a
                .due_date
                .map(|d| match lang {
                    m::Lang::De => d.format("%d.%m.%Y").to_string(),
                    m::Lang::En => d.format("%-d %b %Y").to_string(),
                })
                .unwrap_or_else(|| "–".into()),
            priority: priority(a.priority),
            status: status(a.status),
            category: crate::i18n::translate(l, &format!("actions.category.{}", a.category)),
            title: a.title,
        })
        .collect())
}

/// The portfolio's counts of one incident's actions.
pub fn counts(
    conn: &mut DbConn,
    incident_key: &str,
    today: NaiveDate,
) -> ServiceResult<m::ActionCounts> {
    let list = incident_actions(conn, incident_key)?;
    Ok(crate::actions::metrics::report_counts(
        &crate::actions::metrics::counts(&list, today),
    ))
}
