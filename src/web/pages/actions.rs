//! Improvement actions: the board across all incidents (filters, sort, metrics, CSV for Jira),
//! "my actions" with the calendar address, one action with its history and status form, the
//! form to create or edit one, and the incident's actions tab.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::actions::manage::{self, StatusError};
use crate::actions::model::{
    Action, ActionFilter, ActionInput, ActionStatus, BoardQuery, Category, OwnerFilter, Priority,
    SortKey, StatusChange, may_change_status,
};
use crate::domain::FieldErrors;
use crate::error::ServiceError;
use crate::web::error::AppError;
use crate::web::ui::{Ui, redirect_with_flash};
use crate::web::{blocking, forms};

fn vocabularies() -> minijinja::Value {
    minijinja::context! {
        categories => Category::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        priorities => Priority::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        statuses => ActionStatus::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        sorts => SortKey::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
    }
}

fn rows(actions: &[Action], today: chrono::NaiveDate) -> Vec<minijinja::Value> {
    actions
        .iter()
        .map(|a| {
            minijinja::context! {
                a => a, overdue => a.is_overdue(today),
                due_soon => a.is_due_soon(today, crate::actions::digest::SOON_DAYS),
            }
        })
        .collect()
}

fn owner_options(users: &[crate::domain::User]) -> Vec<(String, String)> {
    users
        .iter()
        .map(|u| (u.id.to_string(), u.name.clone()))
        .collect()
}

/// The board, or "my actions" when `mine` is set; `calendar` is a calendar address just made.
async fn render_board(
    ui: &Ui,
    query: BoardQuery,
    mine: bool,
    calendar: Option<String>,
) -> Result<HttpResponse, AppError> {
    let me = ui.id.user()?.id;
    let q = query.clone();
    let data = blocking(&ui.state, move |conn| {
        let today = manage::today(conn)?;
        let (filter, errors) = match q.filter(today) {
            Ok(f) => (f, None),
            Err(e) => (ActionFilter::default(), Some(e)),
        };
        let filter = if mine {
            ActionFilter {
                owner: OwnerFilter::User(me),
                ..filter
            }
        } else {
            filter
        };
        let actions = manage::board(conn, &filter)?;
        let users = manage::owners(conn)?;
        let has_calendar = crate::db::actions::has_calendar_token(conn, me)?;
        Ok::<_, AppError>((today, actions, users, errors, has_calendar))
    })
    .await?;
    let (today, actions, users, errors, has_calendar) = data;
    let metrics = crate::actions::metrics::metrics(&actions, today);
    let export = serde_html_form::to_string(&query).unwrap_or_default();
    let errors: std::collections::BTreeMap<String, String> = errors
        .iter()
        .flat_map(|e| e.0.iter())
        .map(|e| (e.field.clone(), e.message.clone()))
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    ui.render_status(
        status,
        "pages/actions/board.html",
        minijinja::context! {
            mine => mine, actions => rows(&actions, today), metrics => metrics, query => query,
            owners => owner_options(&users), export => export, errors => errors,
            calendar => calendar, has_calendar => has_calendar,
            ..vocabularies()
        },
    )
}

pub async fn board(ui: Ui, q: web::Query<BoardQuery>) -> Result<HttpResponse, AppError> {
    render_board(&ui, q.into_inner(), false, None).await
}

pub async fn mine(ui: Ui, q: web::Query<BoardQuery>) -> Result<HttpResponse, AppError> {
    render_board(&ui, q.into_inner(), true, None).await
}

/// A new calendar address, shown once (only its hash is stored).
pub async fn calendar_link(ui: Ui) -> Result<HttpResponse, AppError> {
    let me = ui.id.user()?.id;
    let base = ui.state.config.base_url();
    let link = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(manage::new_calendar_link(conn, me, &base)?)
    })
    .await?;
    render_board(&ui, BoardQuery::default(), true, Some(link)).await
}

/// The iCalendar feed behind a calendar address; calendar apps fetch it without signing in.
pub async fn calendar_feed(ui: Ui, token: web::Path<String>) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let base = ui.state.config.base_url();
    let feed = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(manage::calendar_feed(conn, &token, &base)?)
    })
    .await?;
    match feed {
        Some(body) => Ok(HttpResponse::Ok()
            .content_type("text/calendar; charset=utf-8")
            .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
            .body(body)),
        None => Err(AppError::NotFound),
    }
}

pub async fn export(ui: Ui, q: web::Query<BoardQuery>) -> Result<HttpResponse, AppError> {
    let query = q.into_inner();
    let base = ui.state.config.base_url();
    let bytes = blocking(&ui.state, move |conn| {
        let filter = query
            .filter(manage::today(conn)?)
            .map_err(AppError::Invalid)?;
        let actions = manage::board(conn, &filter)?;
        crate::actions::export::to_jira_csv(&actions, &base)
            .map_err(|e| AppError::Internal(format!("csv: {e}")))
    })
    .await?;
    Ok(super::surveys::csv_response("debrief-actions.csv", bytes))
}

/// The incident's actions tab.
pub async fn incident(ui: Ui, key: web::Path<String>) -> Result<HttpResponse, AppError> {
    let key = key.into_inner();
    let (incident, review, actions, today) = blocking(&ui.state, move |conn| {
        let incident = crate::incidents::get(conn, &key)?;
        let review = crate::db::reviews::of_incident(conn, incident.id)?;
        let actions = manage::board(
            conn,
            &ActionFilter {
                incident: Some(incident.key.clone()),
                ..Default::default()
            },
        )?;
        Ok::<_, AppError>((incident, review, actions, manage::today(conn)?))
    })
    .await?;
    ui.render(
        "pages/actions/incident.html",
        minijinja::context! {
            incident => incident, tab => "actions", review => review,
            actions => rows(&actions, today),
            metrics => crate::actions::metrics::metrics(&actions, today),
        },
    )
}

/// The action form as submitted.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ActionForm {
    title: String,
    description: String,
    category: String,
    owner_id: String,
    due_date: String,
    priority: String,
    status: String,
    external_link: String,
    incident: String,
}

impl ActionForm {
    fn from_action(a: &Action) -> Self {
        Self {
            title: a.title.clone(),
            description: a.description.clone(),
            category: a.category.to_string(),
            owner_id: a.owner_id.map(|i| i.to_string()).unwrap_or_default(),
            due_date: a.due_date.map(|d| d.to_string()).unwrap_or_default(),
            priority: a.priority.to_string(),
            status: a.status.to_string(),
            external_link: a.external_link.clone().unwrap_or_default(),
            incident: a.incident_key.clone().unwrap_or_default(),
        }
    }

    fn input(&self) -> Result<ActionInput, FieldErrors> {
        let owner_id = match self.owner_id.trim() {
            "" => None,
            id => Some(id.parse::<i64>().map_err(|_| {
                FieldErrors::single("owner_id", "choose an active user as the owner")
            })?),
        };
        Ok(ActionInput {
            title: self.title.clone(),
            description: self.description.clone(),
            category: self.category.clone(),
            owner_id,
            due_date: self.due_date.clone(),
            priority: self.priority.clone(),
            status: self.status.clone(),
            external_link: self.external_link.clone(),
        })
    }
}

async fn render_form(
    ui: &Ui,
    action: Option<Action>,
    values: ActionForm,
    errors: Option<&FieldErrors>,
) -> Result<HttpResponse, AppError> {
    let users = blocking(&ui.state, |conn| Ok::<_, AppError>(manage::owners(conn)?)).await?;
    let ctx = minijinja::context! {
        action => action, values => values, owners => owner_options(&users), ..vocabularies()
    };
    match errors {
        Some(e) => ui.render_invalid("pages/actions/form.html", e, ctx),
        None => ui.render("pages/actions/form.html", ctx),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewQuery {
    incident: String,
}

pub async fn new_form(ui: Ui, q: web::Query<NewQuery>) -> Result<HttpResponse, AppError> {
    let values = ActionForm {
        incident: q.into_inner().incident,
        category: Category::Process.to_string(),
        priority: Priority::Medium.to_string(),
        ..Default::default()
    };
    render_form(&ui, None, values, None).await
}

pub async fn create(ui: Ui, body: web::Bytes) -> Result<HttpResponse, AppError> {
    let form: ActionForm = forms::parse(&body)?;
    let input = match form.input() {
        Ok(i) => i,
        Err(e) => return render_form(&ui, None, form, Some(&e)).await,
    };
    let actor = ui.id.actor();
    let key = form.incident.clone();
    let result = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(manage::create(conn, &input, Some(&key), &actor))
    })
    .await?;
    match result {
        Ok(a) => Ok(redirect_with_flash(
            &format!("/actions/{}", a.id),
            "success",
            "flash.action_created",
        )),
        Err(ServiceError::Invalid(e)) => render_form(&ui, None, form, Some(&e)).await,
        Err(e) => Err(e.into()),
    }
}

async fn render_show(
    ui: &Ui,
    id: i64,
    status: StatusCode,
    entered: Option<(StatusChange, FieldErrors)>,
) -> Result<HttpResponse, AppError> {
    let (action, history, today) = blocking(&ui.state, move |conn| {
        let action = manage::get(conn, id)?;
        let history = crate::db::actions::history(conn, id)?;
        Ok::<_, AppError>((action, history, manage::today(conn)?))
    })
    .await?;
    let may_change = ui.id.user().is_ok_and(|u| may_change_status(u, &action));
    let (change, errors) = match entered {
        Some((c, e)) => (
            c,
            e.0.into_iter()
                .map(|e| (e.field, e.message))
                .collect::<std::collections::BTreeMap<_, _>>(),
        ),
        None => (
            StatusChange {
                status: action.status.to_string(),
                comment: String::new(),
            },
            Default::default(),
        ),
    };
    ui.render_status(
        status,
        "pages/actions/show.html",
        minijinja::context! {
            action => action, overdue => action.is_overdue(today), history => history,
            may_change => may_change, change => change, errors => errors,
            description_html => crate::text::markdown::to_html(&action.description),
            ..vocabularies()
        },
    )
}

pub async fn show(ui: Ui, id: web::Path<i64>) -> Result<HttpResponse, AppError> {
    render_show(&ui, id.into_inner(), StatusCode::OK, None).await
}

pub async fn edit_form(ui: Ui, id: web::Path<i64>) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let action = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(manage::get(conn, id)?)
    })
    .await?;
    let values = ActionForm::from_action(&action);
    render_form(&ui, Some(action), values, None).await
}

pub async fn update(
    ui: Ui,
    id: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let form: ActionForm = forms::parse(&body)?;
    let action = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(manage::get(conn, id)?)
    })
    .await?;
    let input = match form.input() {
        Ok(i) => i,
        Err(e) => return render_form(&ui, Some(action), form, Some(&e)).await,
    };
    let actor = ui.id.actor();
    let result = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(manage::update(conn, id, &input, &actor))
    })
    .await?;
    match result {
        Ok(_) => Ok(redirect_with_flash(
            &format!("/actions/{id}"),
            "success",
            "flash.saved",
        )),
        Err(ServiceError::Invalid(e)) => render_form(&ui, Some(action), form, Some(&e)).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn change_status(
    ui: Ui,
    id: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let change: StatusChange = forms::parse(&body)?;
    let user = ui.id.user()?.clone();
    let actor = ui.id.actor();
    let c = change.clone();
    let result = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(manage::change_status(conn, id, &c, &user, &actor))
    })
    .await?;
    match result {
        Ok(_) => Ok(redirect_with_flash(
            &format!("/actions/{id}"),
            "success",
            "flash.action_status",
        )),
        Err(StatusError::NotAllowed) => Err(AppError::Forbidden),
        Err(StatusError::Service(ServiceError::Invalid(e))) => {
            render_show(&ui, id, StatusCode::UNPROCESSABLE_ENTITY, Some((change, e))).await
        }
        Err(StatusError::Service(e)) => Err(e.into()),
    }
}

pub async fn delete(ui: Ui, id: web::Path<i64>) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let actor = ui.id.actor();
    blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(manage::delete(conn, id, &actor)?)
    })
    .await?;
    Ok(redirect_with_flash(
        "/actions",
        "success",
        "flash.action_deleted",
    ))
}
