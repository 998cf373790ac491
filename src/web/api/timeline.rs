//! Timeline entries of an incident: events, messages, mentions. The three resources share one
//! shape, so their handlers read alike.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use crate::app::AppState;
use crate::domain::timeline::{EventInput, MentionInput, MessageInput};
use crate::domain::{Event, Mention, Message};
use crate::incidents::{self, EntryKind};
use crate::web::blocking;
use crate::web::error::{ApiError, ApiErrorBody};

#[derive(Serialize, utoipa::ToSchema)]
pub struct Created {
    pub id: i64,
}

#[utoipa::path(get, path = "/api/v1/incidents/{key}/events", tag = "timeline", params(("key" = String, Path)),
    responses((status = 200, body = Vec<Event>), (status = 404, body = ApiErrorBody)))]
pub async fn list_events(
    state: web::Data<AppState>,
    key: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let tl = blocking(&state, move |conn| {
        Ok::<_, ApiError>(incidents::timeline(conn, &key)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(tl.events))
}

#[utoipa::path(post, path = "/api/v1/incidents/{key}/events", tag = "timeline", params(("key" = String, Path)), request_body = EventInput,
    responses((status = 201, body = Created), (status = 422, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn create_event(
    state: web::Data<AppState>,
    key: web::Path<String>,
    body: web::Json<EventInput>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let input = body.into_inner();
    let id = blocking(&state, move |conn| {
        Ok::<_, ApiError>(incidents::add_event(conn, &key, &input)?)
    })
    .await?;
    Ok(HttpResponse::Created().json(Created { id }))
}

#[utoipa::path(put, path = "/api/v1/incidents/{key}/events/{id}", tag = "timeline", params(("key" = String, Path), ("id" = i64, Path)), request_body = EventInput,
    responses((status = 204), (status = 422, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn update_event(
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
    body: web::Json<EventInput>,
) -> Result<HttpResponse, ApiError> {
    let (key, id) = path.into_inner();
    let input = body.into_inner();
    blocking(&state, move |conn| {
        Ok::<_, ApiError>(incidents::edit_event(conn, &key, id, &input)?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(delete, path = "/api/v1/incidents/{key}/events/{id}", tag = "timeline", params(("key" = String, Path), ("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ApiErrorBody)))]
pub async fn delete_event(
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (key, id) = path.into_inner();
    blocking(&state, move |conn| {
        Ok::<_, ApiError>(incidents::delete_entry(conn, &key, EntryKind::Event, id)?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(get, path = "/api/v1/incidents/{key}/messages", tag = "timeline", params(("key" = String, Path)),
    responses((status = 200, body = Vec<Message>), (status = 404, body = ApiErrorBody)))]
pub async fn list_messages(
    state: web::Data<AppState>,
    key: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let tl = blocking(&state, move |conn| {
        Ok::<_, ApiError>(incidents::timeline(conn, &key)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(tl.messages))
}

#[utoipa::path(post, path = "/api/v1/incidents/{key}/messages", tag = "timeline", params(("key" = String, Path)), request_body = MessageInput,
    responses((status = 201, body = Created), (status = 422, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn create_message(
    state: web::Data<AppState>,
    key: web::Path<String>,
    body: web::Json<MessageInput>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let input = body.into_inner();
    let id = blocking(&state, move |conn| {
        Ok::<_, ApiError>(incidents::add_message(conn, &key, &input)?)
    })
    .await?;
    Ok(HttpResponse::Created().json(Created { id }))
}

#[utoipa::path(put, path = "/api/v1/incidents/{key}/messages/{id}", tag = "timeline", params(("key" = String, Path), ("id" = i64, Path)), request_body = MessageInput,
    responses((status = 204), (status = 422, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn update_message(
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
    body: web::Json<MessageInput>,
) -> Result<HttpResponse, ApiError> {
    let (key, id) = path.into_inner();
    let input = body.into_inner();
    blocking(&state, move |conn| {
        Ok::<_, ApiError>(incidents::edit_message(conn, &key, id, &input)?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(delete, path = "/api/v1/incidents/{key}/messages/{id}", tag = "timeline", params(("key" = String, Path), ("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ApiErrorBody)))]
pub async fn delete_message(
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (key, id) = path.into_inner();
    blocking(&state, move |conn| {
        Ok::<_, ApiError>(incidents::delete_entry(conn, &key, EntryKind::Message, id)?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(get, path = "/api/v1/incidents/{key}/mentions", tag = "timeline", params(("key" = String, Path)),
    responses((status = 200, body = Vec<Mention>), (status = 404, body = ApiErrorBody)))]
pub async fn list_mentions(
    state: web::Data<AppState>,
    key: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let tl = blocking(&state, move |conn| {
        Ok::<_, ApiError>(incidents::timeline(conn, &key)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(tl.mentions))
}

#[utoipa::path(post, path = "/api/v1/incidents/{key}/mentions", tag = "timeline", params(("key" = String, Path)), request_body = MentionInput,
    responses((status = 201, body = Created), (status = 422, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn create_mention(
    state: web::Data<AppState>,
    key: web::Path<String>,
    body: web::Json<MentionInput>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let input = body.into_inner();
    let id = blocking(&state, move |conn| {
        Ok::<_, ApiError>(incidents::add_mention(conn, &key, &input)?)
    })
    .await?;
    Ok(HttpResponse::Created().json(Created { id }))
}

#[utoipa::path(put, path = "/api/v1/incidents/{key}/mentions/{id}", tag = "timeline", params(("key" = String, Path), ("id" = i64, Path)), request_body = MentionInput,
    responses((status = 204), (status = 422, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn update_mention(
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
    body: web::Json<MentionInput>,
) -> Result<HttpResponse, ApiError> {
    let (key, id) = path.into_inner();
    let input = body.into_inner();
    blocking(&state, move |conn| {
        Ok::<_, ApiError>(incidents::edit_mention(conn, &key, id, &input)?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(delete, path = "/api/v1/incidents/{key}/mentions/{id}", tag = "timeline", params(("key" = String, Path), ("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ApiErrorBody)))]
pub async fn delete_mention(
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (key, id) = path.into_inner();
    blocking(&state, move |conn| {
        Ok::<_, ApiError>(incidents::delete_entry(conn, &key, EntryKind::Mention, id)?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
