//! Imports over the API: the file is the request body, options are query parameters, so a
//! pipeline can `curl --data-binary @incidents.json`.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::app::AppState;
use crate::import::pipeline::{self, ImportRequest, SourceFile, Target};
use crate::import::{ReadOptions, RecordKind};
use crate::web::access::Identity;
use crate::web::blocking;
use crate::web::error::{ApiError, ApiErrorBody, AppError};

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::IntoParams)]
pub struct ImportParams {
    /// The file's name, used in error messages and to recognise the format.
    pub file_name: Option<String>,
    /// debrief, statuspage, cstate, csv, pagerduty, email, slack; recognised from the content when absent.
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
    /// For CSV: events, messages, mentions or recipients.
    pub records: Option<String>,
    /// For e-mail: `address=audience` or `@domain=audience`, separated by commas or new lines.
    pub audience_for: Option<String>,
    /// For CSV: `file header=field`, separated by commas or new lines.
    pub map: Option<String>,
}

/// Parses `left=right` pairs separated by commas or new lines; the error names the bad pair.
pub fn parse_pairs(
    field: &str,
    text: Option<&str>,
) -> Result<std::collections::BTreeMap<String, String>, AppError> {
    let mut out = std::collections::BTreeMap::new();
    for part in text
        .unwrap_or("")
        .split([',', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        match part.split_once('=') {
            Some((l, r)) if !l.trim().is_empty() && !r.trim().is_empty() => {
                out.insert(l.trim().to_string(), r.trim().to_string());
            }
            _ => {
                return Err(AppError::Invalid(crate::domain::FieldErrors::single(
                    field,
                    format!("'{part}' is not of the form left=right"),
                )));
            }
        }
    }
    Ok(out)
}

pub fn request_from(params: &ImportParams, org_tz: &str) -> Result<ImportRequest, AppError> {
    let tz_name = params.tz.as_deref().unwrap_or(org_tz);
    let tz = crate::domain::time::parse_zone(tz_name)
        .map_err(|m| AppError::Invalid(crate::domain::FieldErrors::single("tz", m)))?;
    let record_kind = match params.records.as_deref() {
        None | Some("") => None,
        Some("events") => Some(RecordKind::Events),
        Some("messages") => Some(RecordKind::Messages),
        Some("mentions") => Some(RecordKind::Mentions),
        Some("recipients") => Some(RecordKind::Recipients),
        Some(other) => {
            return Err(AppError::Invalid(crate::domain::FieldErrors::single(
                "records",
                format!("'{other}' is not one of: events, messages, mentions, recipients"),
            )));
        }
    };
    Ok(ImportRequest {
        format: params.format.clone().filter(|f| !f.is_empty()),
        target: match params
            .incident
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty())
        {
            Some(k) => Target::Existing(k.to_string()),
            None => Target::FromFiles,
        },
        dry_run: params.dry_run,
        skip_invalid: params.skip_invalid,
        read: ReadOptions {
            tz,
            default_audience: params.audience.clone().filter(|a| !a.is_empty()),
            record_kind,
            audience_by_address: parse_pairs("audience_for", params.audience_for.as_deref())?
                .into_iter()
                .map(|(k, v)| (k.to_lowercase(), v))
                .collect(),
            column_mapping: parse_pairs("map", params.map.as_deref())?,
        },
    })
}

#[utoipa::path(post, path = "/api/v1/imports", tag = "imports", params(ImportParams),
    request_body(content = String, content_type = "application/octet-stream", description = "The file to import"),
    responses(
        (status = 200, description = "The import summary: counts of new and unchanged records, and every error with file, line or record, field and reason. `committed` is false when nothing was stored."),
        (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn create(
    state: web::Data<AppState>,
    id: Identity,
    params: web::Query<ImportParams>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    if body.is_empty() {
        return Err(ApiError(AppError::BadRequest(
            "the request body (the file) is empty".into(),
        )));
    }
    let params = params.into_inner();
    let actor = id.actor();
    let summary = blocking(&state, move |conn| {
        let org = crate::organisation::load(conn)?;
        let request = request_from(&params, &org.time_zone)?;
        let file = SourceFile {
            name: params.file_name.clone().unwrap_or_else(|| "upload".into()),
            bytes: body.to_vec(),
        };
        Ok::<_, ApiError>(pipeline::run(conn, &[file], &request, &actor)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(summary))
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
