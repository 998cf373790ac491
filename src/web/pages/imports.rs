//! Import in the browser: choose files → preview (a dry run of the real pipeline, with every
//! error) → commit or discard. The uploaded files wait in the database between the two steps.

use actix_multipart::Multipart;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::import::pipeline::{self, SourceFile};
use crate::import::registry::FORMATS;
use crate::web::api::imports::{ImportParams, UploadProblem, read_upload, request_from};
use crate::web::error::AppError;
use crate::web::ui::{Ui, redirect_with_flash};
use crate::web::{blocking, forms};

async fn render_form(
    ui: &Ui,
    incident: Option<crate::domain::Incident>,
    problem: Option<UploadProblem>,
    records: &str,
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
    let (status, error, too_large) = match problem {
        None => (actix_web::http::StatusCode::OK, None, false),
        Some(UploadProblem::TooLarge) => {
            (actix_web::http::StatusCode::PAYLOAD_TOO_LARGE, None, true)
        }
        Some(UploadProblem::Unreadable(message)) => (
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            Some(message),
            false,
        ),
    };
    ui.render_status(
        status,
        "pages/imports/form.html",
        minijinja::context! {
            incident => incident, formats => formats, audiences => audiences, org_tz => org.time_zone,
            upload_error => error, upload_too_large => too_large,
            limit_mb => ui.state.config.upload_limit_mb, records => records,
        },
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct FormQuery {
    /// Preselects what a table holds, e.g. `recipients` from the recipients page.
    records: String,
}

pub async fn new_form(ui: Ui, q: web::Query<FormQuery>) -> Result<HttpResponse, AppError> {
    let records = match q.records.as_str() {
        r @ ("events" | "messages" | "mentions" | "recipients") => r,
        _ => "",
    };
    render_form(&ui, None, None, records).await
}

pub async fn incident_form(ui: Ui, key: web::Path<String>) -> Result<HttpResponse, AppError> {
    let key = key.into_inner();
    let incident = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(crate::incidents::get(conn, &key)?)
    })
    .await?;
    render_form(&ui, Some(incident), None, "").await
}

pub async fn preview(ui: Ui, payload: Multipart) -> Result<HttpResponse, AppError> {
    let limit = (ui.state.config.upload_limit_mb as usize) * 1024 * 1024;
    let (params, files) = match read_upload(payload, limit).await {
        Ok(v) => v,
        Err(problem) => return render_form(&ui, None, Some(problem), "").await,
    };
    let user_id = ui.id.user()?.id;
    let actor = ui.id.actor();
    let token = crate::auth::new_token();
    let token_hash = crate::auth::hash_token(&token);
    let p = params.clone();
    let started = std::time::Instant::now();
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
    ui.state.metrics.observe_import_summary(&summary, started);
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
        [] if params.records.as_deref() == Some("recipients") => "/recipients".to_string(),
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
