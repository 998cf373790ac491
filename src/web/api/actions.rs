//! Improvement actions over the API: the board's filtered list and its metrics, one action with
//! its history, create, edit, move the status (owners may, whatever their role), delete, and
//! the CSV for Jira.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::actions::manage::{self, StatusError};
use crate::actions::metrics::Metrics;
use crate::actions::model::{Action, ActionInput, BoardQuery, HistoryEntry, StatusChange};
use crate::app::AppState;
use crate::web::access::Identity;
use crate::web::blocking;
use crate::web::error::{ApiError, ApiErrorBody, AppError};

async fn selected(
    state: &web::Data<AppState>,
    query: BoardQuery,
) -> Result<(Vec<Action>, chrono::NaiveDate), ApiError> {
    blocking(state, move |conn| {
        let today = manage::today(conn)?;
        let filter = query.filter(today).map_err(AppError::Invalid)?;
        Ok::<_, ApiError>((manage::board(conn, &filter)?, today))
    })
    .await
}

#[utoipa::path(get, path = "/api/v1/actions", tag = "actions", params(BoardQuery),
    responses((status = 200, body = Vec<Action>), (status = 422, body = ApiErrorBody)))]
pub async fn list(
    state: web::Data<AppState>,
    q: web::Query<BoardQuery>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(selected(&state, q.into_inner()).await?.0))
}

#[utoipa::path(get, path = "/api/v1/actions/metrics", tag = "actions", params(BoardQuery),
    responses((status = 200, body = Metrics), (status = 422, body = ApiErrorBody)))]
pub async fn metrics(
    state: web::Data<AppState>,
    q: web::Query<BoardQuery>,
) -> Result<HttpResponse, ApiError> {
    let (actions, today) = selected(&state, q.into_inner()).await?;
    Ok(HttpResponse::Ok().json(crate::actions::metrics::metrics(&actions, today)))
}

#[utoipa::path(get, path = "/api/v1/actions/export.csv", tag = "actions", params(BoardQuery),
    responses((status = 200, content_type = "text/csv", description = "Jira CSV import: Summary, Description, Assignee, Due Date (yyyy-MM-dd), Priority, Labels")))]
pub async fn export(
    state: web::Data<AppState>,
    q: web::Query<BoardQuery>,
) -> Result<HttpResponse, ApiError> {
    let (actions, _) = selected(&state, q.into_inner()).await?;
    let bytes = crate::actions::export::to_jira_csv(&actions, &state.config.base_url())
        .map_err(|e| ApiError(AppError::Internal(format!("csv: {e}"))))?;
    Ok(crate::web::pages::surveys::csv_response(
        "debrief-actions.csv",
        bytes,
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ActionView {
    #[serde(flatten)]
    pub action: Action,
    pub overdue: bool,
    pub history: Vec<HistoryEntry>,
}

async fn view(state: &web::Data<AppState>, id: i64) -> Result<ActionView, ApiError> {
    blocking(state, move |conn| {
        let action = manage::get(conn, id)?;
        let history = crate::db::actions::history(conn, id)?;
        let overdue = action.is_overdue(manage::today(conn)?);
        Ok::<_, ApiError>(ActionView {
            action,
            overdue,
            history,
        })
    })
    .await
}

#[utoipa::path(get, path = "/api/v1/actions/{id}", tag = "actions", params(("id" = i64, Path)),
    responses((status = 200, body = ActionView), (status = 404, body = ApiErrorBody)))]
pub async fn get(state: web::Data<AppState>, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(view(&state, id.into_inner()).await?))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct NewAction {
    #[serde(flatten)]
    pub action: ActionInput,
    /// The key of the incident the action belongs to, if any.
    pub incident: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/actions", tag = "actions", request_body = NewAction,
    responses((status = 201, body = ActionView), (status = 422, body = ApiErrorBody)))]
pub async fn create(
    state: web::Data<AppState>,
    who: Identity,
    body: web::Json<NewAction>,
) -> Result<HttpResponse, ApiError> {
    let req = body.into_inner();
    let actor = who.actor();
    let action = blocking(&state, move |conn| {
        Ok::<_, ApiError>(manage::create(
            conn,
            &req.action,
            req.incident.as_deref(),
            &actor,
        )?)
    })
    .await?;
    Ok(HttpResponse::Created().json(view(&state, action.id).await?))
}

#[utoipa::path(put, path = "/api/v1/actions/{id}", tag = "actions", request_body = ActionInput, params(("id" = i64, Path)),
    responses((status = 200, body = ActionView), (status = 422, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn update(
    state: web::Data<AppState>,
    who: Identity,
    id: web::Path<i64>,
    body: web::Json<ActionInput>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let input = body.into_inner();
    let actor = who.actor();
    blocking(&state, move |conn| {
        Ok::<_, ApiError>(manage::update(conn, id, &input, &actor)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(view(&state, id).await?))
}

#[utoipa::path(post, path = "/api/v1/actions/{id}/status", tag = "actions", request_body = StatusChange, params(("id" = i64, Path)),
    responses((status = 200, body = ActionView), (status = 403, body = ApiErrorBody, description = "not the owner, an editor or an admin"),
        (status = 422, body = ApiErrorBody)))]
pub async fn change_status(
    state: web::Data<AppState>,
    who: Identity,
    id: web::Path<i64>,
    body: web::Json<StatusChange>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let change = body.into_inner();
    let user = who.user().map_err(ApiError)?.clone();
    let actor = who.actor();
    blocking(&state, move |conn| {
        match manage::change_status(conn, id, &change, &user, &actor) {
            Ok(_) => Ok(()),
            Err(StatusError::NotAllowed) => Err(ApiError(AppError::Forbidden)),
            Err(StatusError::Service(e)) => Err(e.into()),
        }
    })
    .await?;
    Ok(HttpResponse::Ok().json(view(&state, id).await?))
}

#[utoipa::path(delete, path = "/api/v1/actions/{id}", tag = "actions", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ApiErrorBody)))]
pub async fn delete(
    state: web::Data<AppState>,
    who: Identity,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let actor = who.actor();
    blocking(&state, move |conn| {
        Ok::<_, ApiError>(manage::delete(conn, id, &actor)?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
