//! The people side of a review page: participants and their links, contributions side by side
//! and merging them, one's own contribution, and pinning findings from the scorecard.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::reviews::act;
use crate::domain::FieldErrors;
use crate::error::ServiceError;
use crate::reviews::model::{ContributionInput, FindingRef, ParticipantInput};
use crate::reviews::{manage, participation, pins};
use crate::text::markdown::to_html;
use crate::web::error::AppError;
use crate::web::ui::{Ui, redirect_with_flash};
use crate::web::{blocking, forms};

#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
pub struct ParticipantForm {
    user_id: String,
    name: String,
    email: String,
}

pub async fn add_participant(
    ui: Ui,
    key: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let form: ParticipantForm = forms::parse(&body)?;
    let key = key.into_inner();
    let values = minijinja::Value::from_serialize(&form);
    let mail = ui.state.mail_context();
    let actor = ui.id.actor();
    let k = key.clone();
    act(
        ui,
        key,
        "flash.participant_added",
        "participant",
        values,
        move |conn| {
            let user_id = match form.user_id.trim() {
                "" => None,
                id => Some(
                    id.parse::<i64>()
                        .map_err(|_| FieldErrors::single("user_id", "choose an active user"))?,
                ),
            };
            let input = ParticipantInput {
                user_id,
                name: form.name,
                email: form.email,
            };
            participation::add(conn, &k, &input, &mail, &actor)
        },
    )
    .await
}

pub async fn remove_participant(
    ui: Ui,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    let actor = ui.id.actor();
    let k = key.clone();
    act(
        ui,
        key,
        "flash.participant_removed",
        "participant",
        ().into(),
        move |conn| participation::remove(conn, &k, id, &actor),
    )
    .await
}

pub async fn resend_link(ui: Ui, path: web::Path<(String, i64)>) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    let mail = ui.state.mail_context();
    let actor = ui.id.actor();
    let k = key.clone();
    act(
        ui,
        key,
        "flash.link_sent",
        "participant",
        ().into(),
        move |conn| participation::resend(conn, &k, id, &mail, &actor),
    )
    .await
}

/// The facilitator's view: every contribution side by side, what is merged and what is new.
pub async fn contributions(ui: Ui, key: web::Path<String>) -> Result<HttpResponse, AppError> {
    let key = key.into_inner();
    let (incident, review, participants, contributions) = blocking(&ui.state, move |conn| {
        let (incident, review) = manage::get(conn, &key)?;
        let participants = crate::db::review_people::participants(conn, review.id)?;
        let contributions = crate::db::review_people::contributions(conn, review.id)?;
        Ok::<_, AppError>((incident, review, participants, contributions))
    })
    .await?;
    let rows: Vec<minijinja::Value> = contributions
        .iter()
        .map(|c| {
            let who = participants.iter().find(|p| p.id == c.participant_id);
            minijinja::context! {
                id => c.id,
                name => who.map(|p| p.name.clone()),
                internal => who.is_some_and(|p| p.user_id.is_some()),
                went_well => (!c.went_well.is_empty()).then(|| to_html(&c.went_well)),
                went_badly => (!c.went_badly.is_empty()).then(|| to_html(&c.went_badly)),
                should_change => (!c.should_change.is_empty()).then(|| to_html(&c.should_change)),
                submitted_at => c.submitted_at, merged_at => c.merged_at,
            }
        })
        .collect();
    let waiting: Vec<String> = participants
        .iter()
        .filter(|p| !contributions.iter().any(|c| c.participant_id == p.id))
        .map(|p| p.name.clone())
        .collect();
    ui.render(
        "pages/reviews/contributions.html",
        minijinja::context! {
            incident => incident, tab => "review", review => review,
            editable => review.status.editable(), contributions => rows, waiting => waiting,
            new => contributions.iter().filter(|c| c.merged_at.is_none()).count(),
        },
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MergeForm {
    /// One contribution, or (empty) every one not merged yet.
    contribution: String,
}

pub async fn merge(
    ui: Ui,
    key: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let form: MergeForm = forms::parse(&body)?;
    let key = key.into_inner();
    let only = match form.contribution.trim() {
        "" => None,
        id => Some(vec![id.parse::<i64>().map_err(|_| AppError::NotFound)?]),
    };
    let actor = ui.id.actor();
    let k = key.clone();
    act(
        ui,
        key,
        "flash.contributions_merged",
        "merge",
        ().into(),
        move |conn| participation::merge(conn, &k, only.as_deref(), &actor),
    )
    .await
}

#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
pub struct ContributionForm {
    went_well: String,
    went_badly: String,
    should_change: String,
}

impl ContributionForm {
    pub fn input(&self) -> ContributionInput {
        ContributionInput {
            went_well: self.went_well.clone(),
            went_badly: self.went_badly.clone(),
            should_change: self.should_change.clone(),
        }
    }
}

/// A signed-in user's own contribution (any role).
pub async fn contribute(
    ui: Ui,
    key: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let form: ContributionForm = forms::parse(&body)?;
    let key = key.into_inner();
    let values = minijinja::Value::from_serialize(&form);
    let user = ui.id.user()?.clone();
    let k = key.clone();
    act(
        ui,
        key,
        "flash.contribution_saved",
        "contribution",
        values,
        move |conn| participation::contribute_as(conn, &k, &user, &form.input()),
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PinForm {
    code: String,
    message_id: String,
    audience: String,
    /// Set by the scorecard's "make an action" button.
    make_action: String,
}

/// Pins a finding from the scorecard (starting the review if needed), and with `make_action`
/// turns it into an improvement action at once.
pub async fn pin(
    ui: Ui,
    key: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let form: PinForm = forms::parse(&body)?;
    let key = key.into_inner();
    let wanted = FindingRef {
        code: form.code.trim().to_string(),
        message_id: form.message_id.trim().parse().ok(),
        audience: Some(form.audience.trim().to_string()).filter(|a| !a.is_empty()),
    };
    let actor = ui.id.actor();
    let act_now = !form.make_action.is_empty();
    let k = key.clone();
    let result = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(if act_now {
            pins::pin_and_act(conn, &k, &wanted, &actor).map(|a| Some(a.id))
        } else {
            pins::pin(conn, &k, &wanted, &actor).map(|_| None)
        })
    })
    .await?;
    match result {
        Ok(Some(action)) => Ok(redirect_with_flash(
            &format!("/actions/{action}/edit"),
            "success",
            "flash.action_from_finding",
        )),
        Ok(None) => Ok(redirect_with_flash(
            &format!("/incidents/{key}/scores#findings"),
            "success",
            "flash.finding_pinned",
        )),
        Err(ServiceError::Conflict(m)) => {
            super::reviews::render_show(
                &ui,
                key,
                actix_web::http::StatusCode::CONFLICT,
                Some(m),
                None,
            )
            .await
        }
        Err(ServiceError::Invalid(errors)) => {
            let invalid = super::reviews::Invalid {
                form: "pin",
                errors,
                values: ().into(),
            };
            super::reviews::render_show(
                &ui,
                key,
                actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(invalid),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// Turns a pinned finding into an action and opens it for the owner and due date.
pub async fn make_action(ui: Ui, path: web::Path<(String, i64)>) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    let actor = ui.id.actor();
    let action = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(pins::make_action(conn, &key, id, &actor)?)
    })
    .await?;
    Ok(redirect_with_flash(
        &format!("/actions/{}/edit", action.id),
        "success",
        "flash.action_from_finding",
    ))
}

pub async fn unpin(ui: Ui, path: web::Path<(String, i64)>) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    let actor = ui.id.actor();
    let k = key.clone();
    act(
        ui,
        key,
        "flash.finding_unpinned",
        "pin",
        ().into(),
        move |conn| pins::unpin(conn, &k, id, &actor),
    )
    .await
}
