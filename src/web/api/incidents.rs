use actix_web::{HttpResponse, web};
use serde::Serialize;

use crate::app::AppState;
use crate::db::incidents::IncidentFilter;
use crate::domain::incident::IncidentInput;
use crate::incidents;
use crate::web::access::Identity;
use crate::web::blocking;
use crate::web::error::{ApiError, ApiErrorBody};

/// An incident as the API returns it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct IncidentView {
    pub key: String,
    pub title: String,
    pub kind: String,
    pub severity: String,
    pub status: String,
    pub language: String,
    #[schema(format = DateTime)]
    pub started_at: Option<String>,
    #[schema(format = DateTime)]
    pub detected_at: String,
    #[schema(format = DateTime)]
    pub resolved_at: Option<String>,
    pub summary: String,
    pub affected_services: Vec<String>,
    pub audiences: Vec<String>,
    pub apology_expected: bool,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

impl From<crate::domain::Incident> for IncidentView {
    fn from(i: crate::domain::Incident) -> Self {
        use crate::domain::time::format_rfc3339 as f;
        Self {
            key: i.key,
            title: i.title,
            kind: i.kind.to_string(),
            severity: i.severity.to_string(),
            status: i.status.to_string(),
            language: i.language.to_string(),
            started_at: i.started_at.map(f),
            detected_at: f(i.detected_at),
            resolved_at: i.resolved_at.map(f),
            summary: i.summary,
            affected_services: i.affected_services,
            audiences: i.audiences,
            apology_expected: i.apology_expected,
            updated_at: f(i.updated_at),
        }
    }
}

/// The list's filters as the API takes them: strictly typed (the pages' forms, which send empty
/// fields for unused filters, have their own lenient reading).
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IncidentQuery {
    /// Words in the key, title or summary.
    q: Option<String>,
    status: Option<crate::domain::incident::IncidentStatus>,
    kind: Option<crate::domain::incident::IncidentKind>,
    severity: Option<crate::domain::incident::Severity>,
    /// Detected on or after this day (UTC).
    from: Option<chrono::NaiveDate>,
    /// Detected on or before this day (UTC).
    to: Option<chrono::NaiveDate>,
    /// At most this many incidents (newest first, up to 1000); all when absent.
    #[param(maximum = 1000)]
    limit: Option<u16>,
    /// Skip this many, for paging.
    #[param(value_type = Option<i64>, minimum = 0, maximum = 4294967295_i64)]
    offset: Option<u32>,
}

impl IncidentQuery {
    fn into_filter(self) -> Result<IncidentFilter, ApiError> {
        let q = self;
        if q.limit.is_some_and(|l| l > 1000) {
            let mut errors = crate::domain::FieldErrors::default();
            errors.add("limit", "at most 1000 incidents per request");
            return Err(ApiError(crate::web::AppError::Invalid(errors)));
        }
        Ok(IncidentFilter {
            q: q.q,
            status: q.status.map(|s| s.to_string()),
            kind: q.kind.map(|k| k.to_string()),
            severity: q.severity.map(|s| s.to_string()),
            from: q.from,
            to: q.to,
            limit: q.limit.map(i64::from),
            offset: q.offset.map(i64::from),
        })
    }
}

#[utoipa::path(get, path = "/api/v1/incidents", tag = "incidents", params(IncidentQuery),
    responses((status = 200, body = Vec<IncidentView>), (status = 401, body = ApiErrorBody)))]
pub async fn list(
    state: web::Data<AppState>,
    q: web::Query<IncidentQuery>,
) -> Result<HttpResponse, ApiError> {
    let f = q.into_inner().into_filter()?;
    let list = blocking(&state, move |conn| {
        Ok::<_, ApiError>(crate::db::incidents::list(conn, &f)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(list.into_iter().map(IncidentView::from).collect::<Vec<_>>()))
}

#[utoipa::path(post, path = "/api/v1/incidents", tag = "incidents", request_body = IncidentInput,
    responses((status = 201, body = IncidentView), (status = 422, body = ApiErrorBody), (status = 403, body = ApiErrorBody)))]
pub async fn create(
    state: web::Data<AppState>,
    id: Identity,
    body: web::Json<IncidentInput>,
) -> Result<HttpResponse, ApiError> {
    let actor = id.actor();
    let input = body.into_inner();
    let incident = blocking(&state, move |conn| {
        Ok::<_, ApiError>(incidents::create(conn, &input, &actor, None)?)
    })
    .await?;
    Ok(HttpResponse::Created().json(IncidentView::from(incident)))
}

#[utoipa::path(get, path = "/api/v1/incidents/{key}", tag = "incidents", params(("key" = String, Path)),
    responses((status = 200, body = IncidentView), (status = 404, body = ApiErrorBody)))]
pub async fn get(
    state: web::Data<AppState>,
    key: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let incident = blocking(&state, move |conn| {
        Ok::<_, ApiError>(incidents::get(conn, &key)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(IncidentView::from(incident)))
}

#[utoipa::path(put, path = "/api/v1/incidents/{key}", tag = "incidents", params(("key" = String, Path)), request_body = IncidentInput,
    responses((status = 200, body = IncidentView), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn update(
    state: web::Data<AppState>,
    id: Identity,
    key: web::Path<String>,
    body: web::Json<IncidentInput>,
) -> Result<HttpResponse, ApiError> {
    let actor = id.actor();
    let key = key.into_inner();
    let input = body.into_inner();
    let incident = blocking(&state, move |conn| {
        Ok::<_, ApiError>(incidents::update(conn, &key, &input, &actor)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(IncidentView::from(incident)))
}

#[utoipa::path(delete, path = "/api/v1/incidents/{key}", tag = "incidents", params(("key" = String, Path)),
    responses((status = 204), (status = 404, body = ApiErrorBody)))]
pub async fn delete(
    state: web::Data<AppState>,
    id: Identity,
    key: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let actor = id.actor();
    let key = key.into_inner();
    blocking(&state, move |conn| {
        Ok::<_, ApiError>(incidents::delete(conn, &key, &actor)?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
