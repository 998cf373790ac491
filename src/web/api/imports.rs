//! Imports over the API: the file is the request body, options are query parameters, so a
//! pipeline can `curl --data-binary @incidents.json`.

use actix_multipart::Multipart;
use actix_web::{HttpRequest, HttpResponse, web};
use futures_util::StreamExt;
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::FieldErrors;
use crate::import::options::{ImportOptions, RECORD_KINDS, split_list};
use crate::import::pipeline::{self, ImportRequest, SourceFile};
use crate::import::registry::names;
use crate::web::access::Identity;
use crate::web::blocking;
use crate::web::error::{ApiError, ApiErrorBody, AppError};

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::IntoParams)]
pub struct ImportParams {
    /// The file's name, used in error messages and to recognise the format.
    pub file_name: Option<String>,
    /// The reader to use; recognised from the content when absent.
    #[param(schema_with = format_choice)]
    pub format: Option<String>,
    /// Add every record to this incident instead of the incidents the file describes.
    pub incident: Option<String>,
    /// Check and report, store nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// Store the valid records and list the invalid ones.
    #[serde(default)]
    pub skip_invalid: bool,
    /// Time zone of times without an offset (default: the organisation's).
    pub tz: Option<String>,
    /// Audience of messages whose file does not say.
    pub audience: Option<String>,
    /// For CSV: what the table holds (decided from its headers when absent).
    #[param(schema_with = records_choice)]
    pub records: Option<String>,
    /// For e-mail: `address=audience` or `@domain=audience`, separated by commas or new lines.
    pub audience_for: Option<String>,
    /// For CSV: `file header=field`, separated by commas or new lines.
    pub map: Option<String>,
}

/// The request the parameters ask for; a bad parameter is a validation error naming it.
pub fn request_from(params: &ImportParams, org_tz: &str) -> Result<ImportRequest, AppError> {
    ImportOptions {
        format: params.format.as_deref(),
        incident: params.incident.as_deref(),
        new: false,
        dry_run: params.dry_run,
        skip_invalid: params.skip_invalid,
        tz: params
            .tz
            .as_deref()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or(org_tz),
        audience: params.audience.as_deref(),
        records: params.records.as_deref(),
        audience_for: split_list(params.audience_for.as_deref()),
        map: split_list(params.map.as_deref()),
    }
    .request()
    .map_err(|e| AppError::Invalid(FieldErrors::single(e.field, e.message)))
}

/// A vocabulary where the empty string (not chosen) is allowed too.
fn choice_or_empty(choices: impl IntoIterator<Item = &'static str>) -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .enum_values(Some(std::iter::once("").chain(choices)))
        .build()
}

/// The names of the readers in the registry.
fn format_choice() -> utoipa::openapi::Object {
    choice_or_empty(names())
}

/// What a table holds.
fn records_choice() -> utoipa::openapi::Object {
    choice_or_empty(RECORD_KINDS)
}

/// Several files in one import: each a part named `files`, with its file name.
#[derive(utoipa::ToSchema)]
pub struct ImportUpload {
    #[schema(value_type = Vec<String>, format = Binary)]
    pub files: Vec<Vec<u8>>,
}

#[utoipa::path(post, path = "/api/v1/imports", tag = "imports", params(ImportParams),
    request_body(description = "One file as the body (its name in `file_name`), or several as `multipart/form-data` parts named `files`: one import, so a mailbox or a table joins the one incident a status-page file of the same import describes.",
        content((String = "application/octet-stream"), (ImportUpload = "multipart/form-data"))),
    responses(
        (status = 200, description = "The import summary: counts of new and unchanged records, and every error with file, line or record, field and reason (`error_count` in all, the first 200 listed). `committed` is false when nothing was stored."),
        (status = 400, body = ApiErrorBody, description = "No file: the body is empty, or a multipart body has no part named `files` with a file name, or it is broken."),
        (status = 403, body = ApiErrorBody),
        (status = 413, body = ApiErrorBody, description = "The files are larger than the upload limit (`upload_limit_mb`)."),
        (status = 422, body = ApiErrorBody)))]
pub async fn create(
    state: web::Data<AppState>,
    id: Identity,
    params: web::Query<ImportParams>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let limit_mb = state.config.upload_limit_mb;
    let limit = usize::try_from(limit_mb * 1024 * 1024).unwrap_or(usize::MAX);
    let params = params.into_inner();
    let multipart = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/")
        });
    let read = if declared_length(&req).is_some_and(|n| n > limit) {
        Err(UploadProblem::TooLarge)
    } else if multipart {
        read_upload(Multipart::new(req.headers(), payload), limit)
            .await
            .map(|(_, files)| files)
    } else {
        read_body(payload, limit).await.map(|bytes| {
            vec![SourceFile {
                name: params.file_name.clone().unwrap_or_else(|| "upload".into()),
                bytes,
            }]
        })
    };
    let files = read.map_err(|problem| {
        ApiError(match problem {
            UploadProblem::TooLarge => AppError::TooLarge(format!(
                "the files are larger than the upload limit of {limit_mb} MB (upload_limit_mb)"
            )),
            UploadProblem::Unreadable(reason) => AppError::BadRequest(reason),
        })
    })?;
    let actor = id.actor();
    let started = std::time::Instant::now();
    let summary = blocking(&state, move |conn| {
        let org = crate::organisation::load(conn)?;
        let request = request_from(&params, &org.time_zone)?;
        Ok::<_, ApiError>(pipeline::run(conn, &files, &request, &actor)?)
    })
    .await?;
    state.metrics.observe_import_summary(&summary, started);
    Ok(HttpResponse::Ok().json(summary))
}

/// Why an upload was not read.
pub enum UploadProblem {
    /// Over the configured limit (answered with 413).
    TooLarge,
    Unreadable(String),
}

/// The length the request declares, to refuse an upload over the limit before reading it.
fn declared_length(req: &HttpRequest) -> Option<usize> {
    req.headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
}

/// The request body as one file, refused as soon as it passes `limit` bytes.
async fn read_body(mut payload: web::Payload, limit: usize) -> Result<Vec<u8>, UploadProblem> {
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk
            .map_err(|e| UploadProblem::Unreadable(format!("the upload was interrupted: {e}")))?;
        if body.len() + chunk.len() > limit {
            return Err(UploadProblem::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    if body.is_empty() {
        return Err(UploadProblem::Unreadable(
            "the request body (the file) is empty".into(),
        ));
    }
    Ok(body)
}

/// A multipart upload: the parts named `files` (with a file name) and the options of the
/// upload form, within `limit` bytes in all.
pub async fn read_upload(
    mut payload: Multipart,
    limit: usize,
) -> Result<(ImportParams, Vec<SourceFile>), UploadProblem> {
    let broken = |e: actix_multipart::MultipartError| {
        UploadProblem::Unreadable(format!("the upload was interrupted: {e}"))
    };
    let mut params = ImportParams::default();
    let mut files = Vec::new();
    let mut total = 0usize;
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(broken)?;
        let name = field.name().unwrap_or("").to_string();
        let file_name = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .map(str::to_string);
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(broken)?;
            total += chunk.len();
            if total > limit {
                return Err(UploadProblem::TooLarge);
            }
            bytes.extend_from_slice(&chunk);
        }
        let text = || String::from_utf8_lossy(&bytes).trim().to_string();
        match name.as_str() {
            "files" => {
                if let Some(f) = file_name.filter(|f| !f.is_empty()) {
                    files.push(SourceFile { name: f, bytes });
                }
            }
            "format" => params.format = Some(text()).filter(|v| !v.is_empty()),
            "incident" => params.incident = Some(text()).filter(|v| !v.is_empty()),
            "tz" => params.tz = Some(text()).filter(|v| !v.is_empty()),
            "audience" => params.audience = Some(text()).filter(|v| !v.is_empty()),
            "records" => params.records = Some(text()).filter(|v| !v.is_empty()),
            "audience_for" => params.audience_for = Some(text()).filter(|v| !v.is_empty()),
            "map" => params.map = Some(text()).filter(|v| !v.is_empty()),
            "skip_invalid" => params.skip_invalid = true,
            _ => {}
        }
    }
    if files.iter().all(|f| f.bytes.is_empty()) {
        return Err(UploadProblem::Unreadable("choose at least one file".into()));
    }
    Ok((params, files))
}

#[utoipa::path(get, path = "/api/v1/incidents/{key}/export.json", tag = "imports", params(("key" = String, Path)),
    responses((status = 200, description = "The incident in Debrief's own format (debrief-incident/1); importing it gives the same incident."),
        (status = 404, body = ApiErrorBody)))]
pub async fn export(
    state: web::Data<AppState>,
    key: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let tl = blocking(&state, move |conn| {
        Ok::<_, ApiError>(crate::incidents::timeline(conn, &key)?)
    })
    .await?;
    let file = format!("attachment; filename=\"{}.json\"", tl.incident.key);
    Ok(HttpResponse::Ok()
        .insert_header(("Content-Disposition", file))
        .json(crate::bundle::export(&tl)))
}
