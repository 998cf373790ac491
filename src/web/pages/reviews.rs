//! The review of an incident: its sections (automatic part and team text, rendered safely),
//! the workflow, the meeting, pinned findings, participants and contributions; editing one
//! section; a section's history with what each edit changed.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::domain::FieldErrors;
use crate::error::ServiceError;
use crate::report::model::Lang;
use crate::reviews::model::{ReviewStatus, SectionKey};
use crate::reviews::{blameless, diff, manage};
use crate::text::markdown::to_html;
use crate::web::error::AppError;
use crate::web::ui::{Ui, redirect_with_flash};
use crate::web::{blocking, forms, render};

pub fn review_url(key: &str) -> String {
    format!("/incidents/{key}/review")
}

fn section_key(raw: &str) -> Result<SectionKey, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

/// A form on the review page that failed, to show its errors and keep what was entered.
pub struct Invalid {
    pub form: &'static str,
    pub errors: FieldErrors,
    pub values: minijinja::Value,
}

/// The charts the review is argued with, each beside what it is evidence for: when each audience
/// heard what and the first messages against their targets beside what actually happened, the
/// measured scores against the perceived ones beside the perception, and how far the actions
/// have come beside the actions. (place, chart id)
pub const REVIEW_CHARTS: &[(&str, &str)] = &[
    ("actual", "timeline"),
    ("actual", "first-message"),
    ("perception", "measured-perceived"),
    ("actions", "action-status"),
];

/// Everything the review page shows, with a refusal (`notice`) or a form's errors.
pub async fn render_show(
    ui: &Ui,
    key: String,
    status: StatusCode,
    notice: Option<String>,
    invalid: Option<Invalid>,
) -> Result<HttpResponse, AppError> {
    let me = ui.id.user()?.id;
    let report_lang = Lang::from_code(ui.id.lang);
    let data = blocking(&ui.state, move |conn| {
        let (incident, review) = manage::find(conn, &key)?;
        let Some(review) = review else {
            return Ok::<_, AppError>((incident, None));
        };
        let sections = manage::sections(conn, &review)?;
        let participants = crate::db::review_people::participants(conn, review.id)?;
        let contributions = crate::db::review_people::contributions(conn, review.id)?;
        let pins = crate::db::reviews::pins(conn, review.id)?;
        let edits = crate::db::reviews::edit_counts(conn, review.id)?;
        let names = manage::people_names(conn, &review)?;
        let users = crate::actions::manage::owners(conn)?;
        let mine = crate::db::review_people::participant_for_user(conn, review.id, me)?
            .map(|p| crate::db::review_people::contribution_of(conn, p.id))
            .transpose()?
            .flatten();
        let actions = crate::actions::manage::board(
            conn,
            &crate::actions::model::ActionFilter {
                incident: Some(incident.key.clone()),
                ..Default::default()
            },
        )?;
        let report = crate::reports::incident_report(conn, &incident.key, report_lang)?;
        Ok((
            incident,
            Some((
                review,
                sections,
                participants,
                contributions,
                pins,
                edits,
                names,
                users,
                mine,
                actions,
                report,
            )),
        ))
    })
    .await?;
    let lang = ui.id.lang;
    let (incident, rest) = data;
    let Some((
        review,
        sections,
        participants,
        contributions,
        pins,
        edits,
        names,
        users,
        mine,
        actions,
        report,
    )) = rest
    else {
        return ui.render_status(
            status,
            "pages/reviews/show.html",
            minijinja::context! { incident => incident, tab => "review", review => (), notice => notice },
        );
    };
    let ids: Vec<&str> = REVIEW_CHARTS.iter().map(|(_, id)| *id).collect();
    let charts = render(move || {
        crate::report::incident_charts_svg_of(&report, &ids)
            .map_err(|e| AppError::Internal(e.to_string()))
    })
    .await?;
    let charts_beside = |place: &str| -> Vec<(&'static str, String)> {
        charts
            .iter()
            .filter(|(id, _)| REVIEW_CHARTS.contains(&(place, *id)))
            .cloned()
            .collect()
    };
    let fallback = incident.language;
    let section_rows: Vec<minijinja::Value> = sections
        .iter()
        .map(|s| {
            minijinja::context! {
                key => s.key.as_str(),
                title => s.key.title(lang),
                automatic => s.key.is_automatic(),
                auto_html => s.auto_content.as_deref().map(to_html),
                auto_generated_at => s.auto_generated_at,
                team_html => (!s.team_content.is_empty()).then(|| to_html(&s.team_content)),
                updated_at => s.updated_at,
                edits => edits.iter().find(|(id, _)| *id == s.id).map_or(0, |(_, n)| *n),
                warnings => blameless::warnings(&s.team_content, &names, fallback),
                charts => charts_beside(s.key.as_str()),
            }
        })
        .collect();
    let contributed: Vec<i64> = contributions.iter().map(|c| c.participant_id).collect();
    let participant_rows: Vec<minijinja::Value> = participants
        .iter()
        .map(|p| {
            minijinja::context! {
                id => p.id, name => p.name, email => p.email, role => p.role.as_str(),
                internal => p.user_id.is_some(), has_link => p.has_link,
                contributed => contributed.contains(&p.id),
            }
        })
        .collect();
    let facilitator = review
        .facilitator_id
        .and_then(|id| users.iter().find(|u| u.id == id))
        .map(|u| u.name.clone());
    let user_options: Vec<(String, String)> = users
        .iter()
        .map(|u| (u.id.to_string(), format!("{} ({})", u.name, u.email)))
        .collect();
    let (form, errors, values) = match invalid {
        Some(i) => {
            let errors: std::collections::BTreeMap<String, String> = i
                .errors
                .0
                .iter()
                .map(|e| (e.field.clone(), e.message.clone()))
                .collect();
            (Some(i.form), errors, i.values)
        }
        None => (None, Default::default(), minijinja::Value::from(())),
    };
    let new_contributions = contributions
        .iter()
        .filter(|c| c.merged_at.is_none())
        .count();
    ui.render_status(
        status,
        "pages/reviews/show.html",
        minijinja::context! {
            incident => incident, tab => "review", notice => notice,
            review => review, editable => review.status.editable(),
            steps => review.status.next_steps().iter().map(|s| s.as_str()).collect::<Vec<_>>(),
            facilitator => facilitator,
            sections => section_rows, pins => pins, participants => participant_rows,
            contributions => contributions.len(), new_contributions => new_contributions,
            mine => mine, users => user_options, actions => actions,
            action_charts => charts_beside("actions"),
            form_name => form, errors => errors, values => values,
        },
    )
}

pub async fn show(ui: Ui, key: web::Path<String>) -> Result<HttpResponse, AppError> {
    render_show(&ui, key.into_inner(), StatusCode::OK, None, None).await
}

/// Runs a change of the review; a refusal (conflict) or invalid input is shown on the review
/// page, success goes back to it with a flash.
pub async fn act<T, F>(
    ui: Ui,
    key: String,
    flash: &str,
    form: &'static str,
    values: minijinja::Value,
    f: F,
) -> Result<HttpResponse, AppError>
where
    F: FnOnce(&mut crate::db::DbConn) -> Result<T, ServiceError> + Send + 'static,
    T: Send + 'static,
{
    let result = blocking(&ui.state, move |conn| Ok::<_, AppError>(f(conn))).await?;
    match result {
        Ok(_) => Ok(redirect_with_flash(&review_url(&key), "success", flash)),
        Err(ServiceError::Conflict(m)) => {
            render_show(&ui, key, StatusCode::CONFLICT, Some(m), None).await
        }
        Err(ServiceError::Invalid(errors)) => {
            let invalid = Invalid {
                form,
                errors,
                values,
            };
            render_show(
                &ui,
                key,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(invalid),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn create(ui: Ui, key: web::Path<String>) -> Result<HttpResponse, AppError> {
    let key = key.into_inner();
    let actor = ui.id.actor();
    let k = key.clone();
    act(
        ui,
        key,
        "flash.review_created",
        "create",
        ().into(),
        move |conn| manage::create(conn, &k, &actor),
    )
    .await
}

pub async fn regenerate(ui: Ui, key: web::Path<String>) -> Result<HttpResponse, AppError> {
    let key = key.into_inner();
    let actor = ui.id.actor();
    let k = key.clone();
    act(
        ui,
        key,
        "flash.review_regenerated",
        "regenerate",
        ().into(),
        move |conn| manage::regenerate(conn, &k, &actor),
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StatusForm {
    to: String,
}

pub async fn set_status(
    ui: Ui,
    key: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let form: StatusForm = forms::parse(&body)?;
    let key = key.into_inner();
    let actor = ui.id.actor();
    let k = key.clone();
    let flash = if form.to == ReviewStatus::Published.as_str() {
        "flash.review_published"
    } else {
        "flash.review_status"
    };
    act(ui, key, flash, "status", ().into(), move |conn| {
        let to: ReviewStatus = form
            .to
            .parse()
            .map_err(|_| FieldErrors::single("to", "choose the next step of the review"))?;
        manage::set_status(conn, &k, to, &actor)
    })
    .await
}

pub async fn reopen(ui: Ui, key: web::Path<String>) -> Result<HttpResponse, AppError> {
    let key = key.into_inner();
    let actor = ui.id.actor();
    let k = key.clone();
    act(
        ui,
        key,
        "flash.review_reopened",
        "status",
        ().into(),
        move |conn| manage::reopen(conn, &k, &actor),
    )
    .await
}

#[derive(Deserialize, Default, serde::Serialize)]
#[serde(default)]
pub struct MeetingForm {
    facilitator_id: String,
    meeting_at: String,
}

pub async fn set_meeting(
    ui: Ui,
    key: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let form: MeetingForm = forms::parse(&body)?;
    let key = key.into_inner();
    let values = minijinja::Value::from_serialize(&form);
    let mut errors = FieldErrors::default();
    let meeting_at = forms::local_time(&mut errors, "meeting_at", &form.meeting_at, ui.id.zone());
    let facilitator = match form.facilitator_id.trim() {
        "" => None,
        id => match id.parse::<i64>() {
            Ok(i) => Some(i),
            Err(_) => {
                errors.add("facilitator_id", "choose an active user");
                None
            }
        },
    };
    let actor = ui.id.actor();
    let k = key.clone();
    act(ui, key, "flash.saved", "meeting", values, move |conn| {
        errors.into_result(())?;
        manage::set_meeting(conn, &k, facilitator, meeting_at, &actor)
    })
    .await
}

async fn render_section_form(
    ui: &Ui,
    key: String,
    section: SectionKey,
    text: Option<String>,
    errors: Option<&FieldErrors>,
) -> Result<HttpResponse, AppError> {
    let (incident, review, current, names) = blocking(&ui.state, move |conn| {
        let (incident, review) = manage::get(conn, &key)?;
        let current = manage::sections(conn, &review)?
            .into_iter()
            .find(|s| s.key == section)
            .ok_or(AppError::NotFound)?;
        let names = manage::people_names(conn, &review)?;
        Ok::<_, AppError>((incident, review, current, names))
    })
    .await?;
    if let Err(m) = review.ensure_editable() {
        return render_show(
            ui,
            incident.key,
            StatusCode::CONFLICT,
            Some(m.to_string()),
            None,
        )
        .await;
    }
    let text = text.unwrap_or_else(|| current.team_content.clone());
    let warnings = blameless::warnings(&text, &names, incident.language);
    let ctx = minijinja::context! {
        incident => incident, tab => "review", key => section.as_str(),
        title => section.title(ui.id.lang), automatic => section.is_automatic(),
        auto_html => current.auto_content.as_deref().map(to_html),
        auto_generated_at => current.auto_generated_at,
        text => text, warnings => warnings,
    };
    match errors {
        Some(e) => ui.render_invalid("pages/reviews/section.html", e, ctx),
        None => ui.render("pages/reviews/section.html", ctx),
    }
}

pub async fn edit_section(
    ui: Ui,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (key, section) = path.into_inner();
    let section = section_key(&section)?;
    render_section_form(&ui, key, section, None, None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SectionForm {
    content: String,
}

pub async fn save_section(
    ui: Ui,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (key, section) = path.into_inner();
    let section = section_key(&section)?;
    let form: SectionForm = forms::parse(&body)?;
    let actor = ui.id.actor();
    let (k, text) = (key.clone(), form.content.clone());
    let result = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(manage::save_section(conn, &k, section, &text, &actor))
    })
    .await?;
    match result {
        Ok(()) => Ok(redirect_with_flash(
            &format!("{}#section-{section}", review_url(&key)),
            "success",
            "flash.saved",
        )),
        Err(ServiceError::Invalid(e)) => {
            render_section_form(&ui, key, section, Some(form.content), Some(&e)).await
        }
        Err(ServiceError::Conflict(m)) => {
            render_show(&ui, key, StatusCode::CONFLICT, Some(m), None).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn history(ui: Ui, path: web::Path<(String, String)>) -> Result<HttpResponse, AppError> {
    let (key, section) = path.into_inner();
    let section = section_key(&section)?;
    let (incident, review, _, edits) = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(manage::history(conn, &key, section)?)
    })
    .await?;
    let rows: Vec<minijinja::Value> = edits
        .iter()
        .map(|e| {
            minijinja::context! {
                at => e.at, who => e.user_name,
                lines => diff::line_diff(&e.old_content, &e.new_content),
            }
        })
        .collect();
    ui.render(
        "pages/reviews/history.html",
        minijinja::context! {
            incident => incident, tab => "review", review => review,
            key => section.as_str(), title => section.title(ui.id.lang), edits => rows,
        },
    )
}
