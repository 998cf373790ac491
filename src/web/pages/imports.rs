//! Import in the browser: choose files → preview (a dry run of the real pipeline, with every
//! error) → commit or discard. The uploaded files wait in the database between the two steps.

use actix_multipart::Multipart;
use actix_web::{HttpResponse, web};
use futures_util::StreamExt;
use serde::Deserialize;

use crate::import::pipeline::{self, SourceFile};
use crate::import::registry::FORMATS;
use crate::web::api::imports::{ImportParams, request_from};
use crate::web::error::AppError;
use crate::web::ui::{Ui, redirect_with_flash};
use crate::web::{blocking, forms};

async fn render_form(
    ui: &Ui,
    incident: Option<crate::domain::Incident>,
    error: Option<String>,
) -> Result<HttpResponse, AppError> {
    let (audiences, org) = blocking(&ui.state, |conn| {
        Ok::<_, AppError>((
            crate::db::audiences::list(conn)?,
            crate::organisation::load(conn)?,
        ))
    })
    .await?;
    let formats: Vec<_> = FORMATS
        .iter()
        .map(|f| minijinja::context! { name => f.name, description => f.description })
        .collect();
    let status = if error.is_some() {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        actix_web::http::StatusCode::OK
    };
    ui.render_status(
        status,
        "pages/imports/form.html",
        minijinja::context! {
            incident => incident, formats => formats, audiences => audiences, org_tz => org.time_zone,
            upload_error => error, limit_mb => ui.state.config.upload_limit_mb,
        },
    )
}

pub async fn new_form(ui: Ui) -> Result<HttpResponse, AppError> {
    render_form(&ui, None, None).await
}

pub async fn incident_form(ui: Ui, key: web::Path<String>) -> Result<HttpResponse, AppError> {
    let key = key.into_inner();
    let incident = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(crate::incidents::get(conn, &key)?)
    })
    .await?;
    render_form(&ui, Some(incident), None).await
}

/// Reads the upload form: the files and the options, within the upload limit.
async fn read_upload(
    mut payload: Multipart,
    limit: usize,
) -> Result<(ImportParams, Vec<SourceFile>), String> {
    let mut params = ImportParams::default();
    let mut files = Vec::new();
    let mut total = 0usize;
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(|e| format!("the upload was interrupted: {e}"))?;
        let name = field.name().unwrap_or("").to_string();
        let file_name = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .map(str::to_string);
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| format!("the upload was interrupted: {e}"))?;
            total += chunk.len();
            if total > limit {
                return Err(format!(
                    "the upload is larger than the limit of {} MB",
                    limit / (1024 * 1024)
                ));
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
        return Err("choose at least one file".into());
    }
    Ok((params, files))
}

pub async fn preview(ui: Ui, payload: Multipart) -> Result<HttpResponse, AppError> {
    let limit = (ui.state.config.upload_limit_mb as usize) * 1024 * 1024;
    let (params, files) = match read_upload(payload, limit).await {
        Ok(v) => v,
        Err(message) => return render_form(&ui, None, Some(message)).await,
    };
    let user_id = ui.id.user()?.id;
    let actor = ui.id.actor();
    let token = crate::auth::new_token();
    let token_hash = crate::auth::hash_token(&token);
    let p = params.clone();
    let summary = blocking(&ui.state, move |conn| {
        let org = crate::organisation::load(conn)?;
        let mut request = request_from(&p, &org.time_zone)?;
        request.dry_run = true;
        let summary = pipeline::run(conn, &files, &request, &actor)?;
        let options = serde_json::to_string(&p).map_err(|e| AppError::Internal(e.to_string()))?;
        for f in &files {
            crate::db::staged::insert(conn, &token_hash, user_id, &options, &f.name, &f.bytes)?;
        }
        Ok::<_, AppError>(summary)
    })
    .await?;
    ui.render(
        "pages/imports/preview.html",
        minijinja::context! { summary => summary, token => token, params => params },
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StagedForm {
    token: String,
}

pub async fn commit(ui: Ui, body: web::Bytes) -> Result<HttpResponse, AppError> {
    let form: StagedForm = forms::parse(&body)?;
    let user_id = ui.id.user()?.id;
    let actor = ui.id.actor();
    let token_hash = crate::auth::hash_token(&form.token);
    let result = blocking(&ui.state, move |conn| {
        let staged = crate::db::staged::load(conn, &token_hash, user_id)?;
        let Some((options, _, _)) = staged.first() else {
            return Ok(None);
        };
        let params: ImportParams =
            serde_json::from_str(options).map_err(|e| AppError::Internal(e.to_string()))?;
        let org = crate::organisation::load(conn)?;
        let request = request_from(&params, &org.time_zone)?;
        let files: Vec<SourceFile> = staged
            .into_iter()
            .map(|(_, name, bytes)| SourceFile { name, bytes })
            .collect();
        let summary = pipeline::run(conn, &files, &request, &actor)?;
        if summary.committed {
            crate::db::staged::delete(conn, &token_hash)?;
        }
        Ok::<_, AppError>(Some((summary, params)))
    })
    .await?;
    let Some((summary, params)) = result else {
        return Ok(redirect_with_flash(
            "/imports/new",
            "error",
            "import.expired",
        ));
    };
    if !summary.committed {
        // Someone changed the data since the preview; show the new errors with the same files.
        return ui.render_status(
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            "pages/imports/preview.html",
            minijinja::context! { summary => summary, token => form.token, params => params },
        );
    }
    let target = match summary.incidents.as_slice() {
        [one] => format!("/incidents/{one}"),
        _ => "/incidents".to_string(),
    };
    Ok(redirect_with_flash(&target, "success", "flash.imported"))
}

pub async fn discard(ui: Ui, body: web::Bytes) -> Result<HttpResponse, AppError> {
    let form: StagedForm = forms::parse(&body)?;
    let token_hash = crate::auth::hash_token(&form.token);
    blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(crate::db::staged::delete(conn, &token_hash)?)
    })
    .await?;
    Ok(redirect_with_flash(
        "/incidents",
        "info",
        "flash.import_discarded",
    ))
}
