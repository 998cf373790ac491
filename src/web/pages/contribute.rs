//! The contribution form behind a participant's personal link (`/c/{token}`): no account, the
//! incident's language unless the visitor switches, a polite page for an unknown link or a
//! published review.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::review_people::ContributionForm;
use crate::error::ServiceError;
use crate::reviews::participation::{self, LinkProblem, LinkVisit};
use crate::web::blocking;
use crate::web::error::AppError;
use crate::web::forms;
use crate::web::ui::{Ui, redirect};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LangQuery {
    lang: Option<String>,
}

fn chosen(lang: Option<&str>) -> Option<&'static str> {
    lang.filter(|l| crate::i18n::LANGUAGES.contains(l))
        .map(crate::i18n::negotiate)
}

async fn organisation(ui: &Ui) -> Result<String, AppError> {
    blocking(&ui.state, |conn| {
        Ok::<_, AppError>(crate::organisation::load(conn)?.name)
    })
    .await
}

fn problem(
    ui: &Ui,
    organisation: &str,
    problem: &LinkProblem,
    lang: &str,
) -> Result<HttpResponse, AppError> {
    let t = |k: &str| crate::i18n::translate(lang, k);
    let (status, heading, text, title) = match problem {
        LinkProblem::Unknown => (
            StatusCode::NOT_FOUND,
            t("contribute.unknown_title"),
            t("contribute.unknown_text"),
            None,
        ),
        LinkProblem::Closed { incident_title } => (
            StatusCode::GONE,
            t("contribute.closed_title"),
            t("contribute.closed_text"),
            Some(incident_title.clone()),
        ),
    };
    ui.render_status(
        status,
        "respond/problem.html",
        minijinja::context! {
            lang => lang, organisation => organisation, heading => heading, text => text,
            survey_title => title, switch_base => (),
        },
    )
}

fn form_page(
    ui: &Ui,
    organisation: &str,
    token: &str,
    visit: &LinkVisit,
    lang: &str,
    status: StatusCode,
    invalid: Option<(&ContributionForm, &crate::domain::FieldErrors)>,
) -> Result<HttpResponse, AppError> {
    let values = match (invalid.map(|i| i.0), &visit.contribution) {
        (Some(form), _) => minijinja::Value::from_serialize(form),
        (None, Some(c)) => minijinja::context! {
            went_well => c.went_well, went_badly => c.went_badly, should_change => c.should_change,
        },
        (None, None) => {
            minijinja::context! { went_well => "", went_badly => "", should_change => "" }
        }
    };
    let base = participation::link_path(token);
    let ctx = minijinja::context! {
        lang => lang, organisation => organisation, incident => visit.incident.title,
        name => visit.participant.name, values => values, action => base, switch_base => base,
        answered_at => visit.contribution.as_ref().map(|c| c.submitted_at),
    };
    match invalid.map(|i| i.1) {
        Some(e) => {
            let errors: std::collections::BTreeMap<&str, &str> =
                e.0.iter()
                    .map(|e| (e.field.as_str(), e.message.as_str()))
                    .collect();
            ui.render_status(
                status,
                "pages/reviews/contribute.html",
                minijinja::context! { errors => errors, ..ctx },
            )
        }
        None => ui.render_status(status, "pages/reviews/contribute.html", ctx),
    }
}

pub async fn form(
    ui: Ui,
    token: web::Path<String>,
    q: web::Query<LangQuery>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let organisation = organisation(&ui).await?;
    let t = token.clone();
    let visit = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(participation::visit(conn, &t)?)
    })
    .await?;
    match visit {
        Ok(v) => {
            let lang = chosen(q.lang.as_deref()).unwrap_or(v.incident.language.as_str());
            form_page(&ui, &organisation, &token, &v, lang, StatusCode::OK, None)
        }
        Err(p) => {
            let lang = chosen(q.lang.as_deref()).unwrap_or(ui.id.lang);
            problem(&ui, &organisation, &p, lang)
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LangField {
    lang: String,
}

pub async fn submit(
    ui: Ui,
    token: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let form: ContributionForm = forms::parse(&body)?;
    let asked = chosen(Some(forms::parse::<LangField>(&body)?.lang.as_str()));
    let organisation = organisation(&ui).await?;
    let (t, input) = (token.clone(), form.input());
    let (outcome, incident_lang) = blocking(&ui.state, move |conn| {
        // The page's language is the incident's unless the visitor switched.
        let incident_lang = match participation::visit(conn, &t)? {
            Ok(v) => Some(v.incident.language.as_str()),
            Err(_) => None,
        };
        Ok::<_, AppError>((
            participation::contribute_by_link(conn, &t, &input),
            incident_lang,
        ))
    })
    .await?;
    let lang = asked.or(incident_lang).unwrap_or(ui.id.lang);
    match outcome {
        Ok(Ok(())) => Ok(redirect(&format!(
            "{}/thanks?lang={lang}",
            participation::link_path(&token)
        ))),
        Ok(Err(p)) => problem(&ui, &organisation, &p, lang),
        Err(ServiceError::Invalid(e)) => {
            let t = token.clone();
            let visit = blocking(&ui.state, move |conn| {
                Ok::<_, AppError>(participation::visit(conn, &t)?)
            })
            .await?;
            match visit {
                Ok(v) => form_page(
                    &ui,
                    &organisation,
                    &token,
                    &v,
                    lang,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Some((&form, &e)),
                ),
                Err(p) => problem(&ui, &organisation, &p, lang),
            }
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn thanks(
    ui: Ui,
    token: web::Path<String>,
    q: web::Query<LangQuery>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let organisation = organisation(&ui).await?;
    let t = token.clone();
    let visit = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(participation::visit(conn, &t)?)
    })
    .await?;
    match visit {
        Ok(v) => {
            let lang = chosen(q.lang.as_deref()).unwrap_or(v.incident.language.as_str());
            ui.render(
                "pages/reviews/contribute_thanks.html",
                minijinja::context! {
                    lang => lang, organisation => organisation, incident => v.incident.title,
                    back => participation::link_path(&token), switch_base => (),
                },
            )
        }
        Err(p) => {
            let lang = chosen(q.lang.as_deref()).unwrap_or(ui.id.lang);
            problem(&ui, &organisation, &p, lang)
        }
    }
}
