//! Scores, the analyser and reports over the API.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::app::AppState;
use crate::report::model::Lang;
use crate::scoring::batch::analyze_line;
use crate::web::access::Identity;
use crate::web::blocking;
use crate::web::error::{ApiError, ApiErrorBody};

#[utoipa::path(get, path = "/api/v1/incidents/{key}/scores", tag = "scores",
    params(("key" = String, Path, description = "incident key")),
    responses((status = 200, description = "the scorecard: overall, timeliness and clarity per incident and audience, each message's analysis, the findings", body = Object),
        (status = 404, body = ApiErrorBody)))]
pub async fn get(
    state: web::Data<AppState>,
    key: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let (_, card) = blocking(&state, move |conn| {
        Ok::<_, ApiError>(crate::scores::scorecard(conn, &key)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(card))
}

#[utoipa::path(post, path = "/api/v1/analyze", tag = "scores",
    request_body(content = Object, description = "one message like a line of `debrief analyze`: {\"id\"?, \"lang\"?, \"kind\", \"audience\", \"channel\", \"text\", \"sent_at\"? (RFC 3339, resolves next_update_at and eta_at), \"tz\"? (IANA zone of clock times in the text)}; text at most 20000 characters, body at most 262144 bytes. Uses the organisation's service catalogue and rubric."),
    responses((status = 200, description = "the analysis, as `debrief analyze --json` writes it", body = Object),
        (status = 400, description = "the request body could not be read", body = ApiErrorBody),
        (status = 422, description = "a field is missing or invalid, the text is too long, or the body is too long or not UTF-8", body = ApiErrorBody)))]
pub async fn analyze(
    state: web::Data<AppState>,
    mut payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    use crate::scoring::batch::MAX_LINE_BYTES;
    use futures_util::StreamExt;
    let invalid = |field: &str, message: String| {
        ApiError(crate::web::AppError::Invalid(
            crate::domain::FieldErrors::single(field, message),
        ))
    };
    // Read up to the limit of one `debrief analyze` line and no further, whatever the upload
    // limit of the server.
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| {
            ApiError(crate::web::AppError::BadRequest(format!(
                "the request body could not be read: {e}"
            )))
        })?;
        if body.len() + chunk.len() > MAX_LINE_BYTES {
            return Err(invalid(
                "body",
                format!("is longer than {MAX_LINE_BYTES} bytes"),
            ));
        }
        body.extend_from_slice(&chunk);
    }
    let line =
        String::from_utf8(body).map_err(|e| invalid("body", format!("is not UTF-8: {e}")))?;
    let out = blocking(&state, move |conn| {
        let entries: Vec<_> = crate::db::audiences::list_services(conn)?
            .iter()
            .map(|s| crate::domain::service::ServiceEntry::from_stored(&s.name, &s.aliases))
            .collect();
        let rubrics = crate::scores::rubrics(conn)?;
        let services = crate::scoring::ServiceCatalogue::new(entries);
        Ok::<_, ApiError>(analyze_line(&line, 1, &services, &rubrics.clarity))
    })
    .await?;
    match out {
        Ok(v) => Ok(HttpResponse::Ok().json(v)),
        Err(e) => Err(invalid(
            &e.field,
            match e.id {
                Some(id) => format!("{} (id {id})", e.message),
                None => e.message,
            },
        )),
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ReportQuery {
    /// `de` or `en` (default: the token owner's language).
    pub lang: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/incidents/{key}/report.pdf", tag = "reports",
    params(("key" = String, Path, description = "incident key"), ReportQuery),
    responses((status = 200, content_type = "application/pdf", description = "the incident report"), (status = 404, body = ApiErrorBody)))]
pub async fn report(
    state: web::Data<AppState>,
    who: Identity,
    key: web::Path<String>,
    q: web::Query<ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let lang = Lang::from_code(q.lang.as_deref().unwrap_or(who.lang));
    Ok(
        crate::web::pages::reports::incident_download(&state, who.actor(), key.into_inner(), lang)
            .await?,
    )
}
