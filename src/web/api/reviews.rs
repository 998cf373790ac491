//! Reviews over the API: read, start, write a section, regenerate the automatic parts, move
//! through the workflow (a published review answers 409 to every change), the section history,
//! participants, contributions and merging them, pinning findings and making actions of them.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::app::AppState;
use crate::domain::time::format_rfc3339 as rfc3339;
use crate::reviews::model::{
    Contribution, ContributionInput, FindingRef, Participant, ParticipantInput, Pin, ReviewStatus,
    SectionKey,
};
use crate::reviews::{blameless, diff, manage, participation, pins};
use crate::web::access::Identity;
use crate::web::blocking;
use crate::web::error::{ApiError, ApiErrorBody, AppError};

#[derive(Serialize, utoipa::ToSchema)]
pub struct Warning {
    /// `individual` or `user`.
    pub blames: String,
    pub passage: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SectionView {
    pub key: String,
    pub title: String,
    /// Whether Debrief fills part of this section in (expected, actual, perception).
    pub automatic: bool,
    /// Markdown; regenerated on demand, never mixed with the team's text.
    pub auto_content: Option<String>,
    #[schema(format = DateTime)]
    pub auto_generated_at: Option<String>,
    /// Markdown written by the team.
    pub team_content: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
    /// Passages of the team's text that read like blame on a person.
    pub warnings: Vec<Warning>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ReviewView {
    pub incident: String,
    /// `draft`, `in_review` or `published`.
    pub status: String,
    pub facilitator_id: Option<i64>,
    #[schema(format = DateTime)]
    pub meeting_at: Option<String>,
    #[schema(format = DateTime)]
    pub published_at: Option<String>,
    pub published_by: Option<i64>,
    pub sections: Vec<SectionView>,
    pub participants: Vec<Participant>,
    pub pins: Vec<Pin>,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

fn section_key(raw: &str) -> Result<SectionKey, ApiError> {
    raw.parse()
        .map_err(|e: String| ApiError(AppError::BadRequest(e)))
}

async fn load(state: &web::Data<AppState>, key: String) -> Result<ReviewView, ApiError> {
    blocking(state, move |conn| {
        let (incident, review) = manage::get(conn, &key)?;
        let sections = manage::sections(conn, &review)?;
        let participants = crate::db::review_people::participants(conn, review.id)?;
        let pins = crate::db::reviews::pins(conn, review.id)?;
        let names = manage::people_names(conn, &review)?;
        let lang = incident.language.as_str();
        Ok::<_, ApiError>(ReviewView {
            incident: incident.key,
            status: review.status.to_string(),
            facilitator_id: review.facilitator_id,
            meeting_at: review.meeting_at.map(rfc3339),
            published_at: review.published_at.map(rfc3339),
            published_by: review.published_by,
            sections: sections
                .into_iter()
                .map(|s| SectionView {
                    key: s.key.to_string(),
                    title: s.key.title(lang),
                    automatic: s.key.is_automatic(),
                    warnings: blameless::warnings(&s.team_content, &names, incident.language)
                        .into_iter()
                        .map(|w| Warning {
                            blames: w.blames.to_string(),
                            passage: w.passage,
                        })
                        .collect(),
                    auto_content: s.auto_content,
                    auto_generated_at: s.auto_generated_at.map(rfc3339),
                    team_content: s.team_content,
                    updated_at: rfc3339(s.updated_at),
                })
                .collect(),
            participants,
            pins,
            created_at: rfc3339(review.created_at),
            updated_at: rfc3339(review.updated_at),
        })
    })
    .await
}

#[utoipa::path(get, path = "/api/v1/incidents/{key}/review", tag = "reviews",
    params(("key" = String, Path, description = "incident key")),
    responses((status = 200, body = ReviewView), (status = 404, body = ApiErrorBody)))]
pub async fn get(
    state: web::Data<AppState>,
    key: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(load(&state, key.into_inner()).await?))
}

#[utoipa::path(post, path = "/api/v1/incidents/{key}/review", tag = "reviews",
    params(("key" = String, Path, description = "incident key")),
    responses((status = 201, body = ReviewView), (status = 409, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn create(
    state: web::Data<AppState>,
    who: Identity,
    key: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let (k, actor) = (key.clone(), who.actor());
    blocking(&state, move |conn| {
        Ok::<_, ApiError>(manage::create(conn, &k, &actor)?)
    })
    .await?;
    Ok(HttpResponse::Created().json(load(&state, key).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct SectionText {
    /// Markdown; at most 20,000 characters.
    pub content: String,
}

#[utoipa::path(put, path = "/api/v1/incidents/{key}/review/sections/{section}", tag = "reviews",
    request_body = SectionText,
    params(("key" = String, Path, description = "incident key"), ("section" = String, Path, description = "section key, e.g. went_well")),
    responses((status = 200, body = ReviewView), (status = 409, body = ApiErrorBody, description = "the review is published"),
        (status = 422, body = ApiErrorBody)))]
pub async fn put_section(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<(String, String)>,
    body: web::Json<SectionText>,
) -> Result<HttpResponse, ApiError> {
    let (key, section) = path.into_inner();
    let section = section_key(&section)?;
    let (k, actor, text) = (key.clone(), who.actor(), body.into_inner().content);
    blocking(&state, move |conn| {
        Ok::<_, ApiError>(manage::save_section(conn, &k, section, &text, &actor)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(load(&state, key).await?))
}

#[utoipa::path(post, path = "/api/v1/incidents/{key}/review/regenerate", tag = "reviews",
    params(("key" = String, Path, description = "incident key")),
    responses((status = 200, body = ReviewView), (status = 409, body = ApiErrorBody)))]
pub async fn regenerate(
    state: web::Data<AppState>,
    who: Identity,
    key: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let (k, actor) = (key.clone(), who.actor());
    blocking(&state, move |conn| {
        Ok::<_, ApiError>(manage::regenerate(conn, &k, &actor)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(load(&state, key).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct StatusStep {
    /// `in_review`, `published`, or `draft` (from in review).
    pub status: String,
}

#[utoipa::path(post, path = "/api/v1/incidents/{key}/review/status", tag = "reviews", request_body = StatusStep,
    params(("key" = String, Path, description = "incident key")),
    responses((status = 200, body = ReviewView), (status = 409, body = ApiErrorBody), (status = 400, body = ApiErrorBody)))]
pub async fn set_status(
    state: web::Data<AppState>,
    who: Identity,
    key: web::Path<String>,
    body: web::Json<StatusStep>,
) -> Result<HttpResponse, ApiError> {
    let to: ReviewStatus = body
        .status
        .parse()
        .map_err(|e: String| ApiError(AppError::BadRequest(e)))?;
    let key = key.into_inner();
    let (k, actor) = (key.clone(), who.actor());
    blocking(&state, move |conn| {
        Ok::<_, ApiError>(manage::set_status(conn, &k, to, &actor)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(load(&state, key).await?))
}

#[utoipa::path(post, path = "/api/v1/incidents/{key}/review/reopen", tag = "reviews",
    params(("key" = String, Path, description = "incident key")),
    responses((status = 200, body = ReviewView), (status = 409, body = ApiErrorBody), (status = 403, body = ApiErrorBody)))]
pub async fn reopen(
    state: web::Data<AppState>,
    who: Identity,
    key: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let (k, actor) = (key.clone(), who.actor());
    blocking(&state, move |conn| {
        Ok::<_, ApiError>(manage::reopen(conn, &k, &actor)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(load(&state, key).await?))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SectionEditView {
    #[schema(format = DateTime)]
    pub at: String,
    pub user: Option<String>,
    pub old_content: String,
    pub new_content: String,
    /// The changed lines with a little context: `change` is `kept`, `removed` or `added`.
    #[schema(value_type = Vec<Object>)]
    pub diff: Vec<diff::DiffLine>,
}

#[utoipa::path(get, path = "/api/v1/incidents/{key}/review/sections/{section}/history", tag = "reviews",
    params(("key" = String, Path, description = "incident key"), ("section" = String, Path)),
    responses((status = 200, body = Vec<SectionEditView>), (status = 404, body = ApiErrorBody)))]
pub async fn history(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (key, section) = path.into_inner();
    let section = section_key(&section)?;
    let (_, _, _, edits) = blocking(&state, move |conn| {
        Ok::<_, ApiError>(manage::history(conn, &key, section)?)
    })
    .await?;
    let views: Vec<SectionEditView> = edits
        .into_iter()
        .map(|e| SectionEditView {
            at: rfc3339(e.at),
            user: e.user_name,
            diff: diff::line_diff(&e.old_content, &e.new_content),
            old_content: e.old_content,
            new_content: e.new_content,
        })
        .collect();
    Ok(HttpResponse::Ok().json(views))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ContributionView {
    pub participant: String,
    #[serde(flatten)]
    pub contribution: Contribution,
}

#[utoipa::path(get, path = "/api/v1/incidents/{key}/review/contributions", tag = "reviews",
    params(("key" = String, Path, description = "incident key")),
    responses((status = 200, body = Vec<ContributionView>), (status = 404, body = ApiErrorBody)))]
pub async fn contributions(
    state: web::Data<AppState>,
    key: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let views = blocking(&state, move |conn| {
        let (_, review) = manage::get(conn, &key)?;
        let people = crate::db::review_people::participants(conn, review.id)?;
        let list = crate::db::review_people::contributions(conn, review.id)?;
        Ok::<_, ApiError>(
            list.into_iter()
                .map(|c| ContributionView {
                    participant: people
                        .iter()
                        .find(|p| p.id == c.participant_id)
                        .map(|p| p.name.clone())
                        .unwrap_or_default(),
                    contribution: c,
                })
                .collect::<Vec<_>>(),
        )
    })
    .await?;
    Ok(HttpResponse::Ok().json(views))
}

#[utoipa::path(post, path = "/api/v1/incidents/{key}/review/contributions", tag = "reviews",
    request_body = ContributionInput, params(("key" = String, Path, description = "incident key")),
    responses((status = 204, description = "stored as the caller's contribution"), (status = 409, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)))]
pub async fn contribute(
    state: web::Data<AppState>,
    who: Identity,
    key: web::Path<String>,
    body: web::Json<ContributionInput>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let user = who.user().map_err(ApiError)?.clone();
    let input = body.into_inner();
    blocking(&state, move |conn| {
        Ok::<_, ApiError>(participation::contribute_as(conn, &key, &user, &input)?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct MergeRequest {
    /// The contributions to merge; empty or left out: every one not merged yet.
    pub ids: Vec<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Merged {
    pub merged: usize,
}

#[utoipa::path(post, path = "/api/v1/incidents/{key}/review/contributions/merge", tag = "reviews",
    request_body = MergeRequest, params(("key" = String, Path, description = "incident key")),
    responses((status = 200, body = Merged), (status = 409, body = ApiErrorBody)))]
pub async fn merge(
    state: web::Data<AppState>,
    who: Identity,
    key: web::Path<String>,
    body: web::Json<MergeRequest>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let ids = body.into_inner().ids;
    let actor = who.actor();
    let merged = blocking(&state, move |conn| {
        let only = (!ids.is_empty()).then_some(ids.as_slice());
        Ok::<_, ApiError>(participation::merge(conn, &key, only, &actor)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Merged { merged }))
}

#[utoipa::path(post, path = "/api/v1/incidents/{key}/review/participants", tag = "reviews",
    request_body = ParticipantInput, params(("key" = String, Path, description = "incident key")),
    responses((status = 201, body = Participant), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn add_participant(
    state: web::Data<AppState>,
    who: Identity,
    key: web::Path<String>,
    body: web::Json<ParticipantInput>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let input = body.into_inner();
    let (mail, actor) = (state.mail_context(), who.actor());
    let p = blocking(&state, move |conn| {
        Ok::<_, ApiError>(participation::add(conn, &key, &input, &mail, &actor)?)
    })
    .await?;
    Ok(HttpResponse::Created().json(p))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct PinRequest {
    /// The finding's rule, e.g. `T1.late`, with its message and audience as the scorecard gives them.
    pub code: String,
    pub message_id: Option<i64>,
    pub audience: Option<String>,
    /// Also make an improvement action of it.
    pub make_action: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Pinned {
    pub pin: Pin,
    pub action: Option<crate::actions::Action>,
}

#[utoipa::path(post, path = "/api/v1/incidents/{key}/review/pins", tag = "reviews",
    request_body = PinRequest, params(("key" = String, Path, description = "incident key")),
    responses((status = 201, body = Pinned), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn pin(
    state: web::Data<AppState>,
    who: Identity,
    key: web::Path<String>,
    body: web::Json<PinRequest>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let req = body.into_inner();
    let actor = who.actor();
    let pinned = blocking(&state, move |conn| {
        let wanted = FindingRef {
            code: req.code,
            message_id: req.message_id,
            audience: req.audience,
        };
        let pin = pins::pin(conn, &key, &wanted, &actor)?;
        let action = if req.make_action {
            Some(pins::make_action(conn, &key, pin.id, &actor)?)
        } else {
            None
        };
        let review_id = manage::get(conn, &key)?.1.id;
        let pin = crate::db::reviews::pins(conn, review_id)?
            .into_iter()
            .find(|p| p.id == pin.id)
            .unwrap_or(pin);
        Ok::<_, ApiError>(Pinned { pin, action })
    })
    .await?;
    Ok(HttpResponse::Created().json(pinned))
}

#[utoipa::path(post, path = "/api/v1/incidents/{key}/review/pins/{id}/action", tag = "reviews",
    params(("key" = String, Path, description = "incident key"), ("id" = i64, Path, description = "pin id")),
    responses((status = 201, body = crate::actions::Action), (status = 404, body = ApiErrorBody)))]
pub async fn make_action(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (key, id) = path.into_inner();
    let actor = who.actor();
    let action = blocking(&state, move |conn| {
        Ok::<_, ApiError>(pins::make_action(conn, &key, id, &actor)?)
    })
    .await?;
    Ok(HttpResponse::Created().json(action))
}
