use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::app::AppState;
use crate::domain::{Audience, FieldErrors, PolicyTargets, Severity};
use crate::organisation::Organisation;
use crate::web::access::Identity;
use crate::web::blocking;
use crate::web::error::{ApiError, ApiErrorBody, AppError};

#[utoipa::path(get, path = "/api/v1/audiences", tag = "settings",
    responses((status = 200, body = Vec<Audience>)))]
pub async fn audiences(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let list = blocking(&state, |conn| {
        Ok::<_, ApiError>(crate::db::audiences::list(conn)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct PolicyEntry {
    #[schema(value_type = crate::domain::Severity)]
    pub severity: String,
    pub audience: String,
    #[serde(flatten)]
    pub targets: PolicyTargets,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SettingsView {
    pub organisation: Organisation,
    pub policy: Vec<PolicyEntry>,
}

#[utoipa::path(get, path = "/api/v1/settings", tag = "settings",
    responses((status = 200, body = SettingsView)))]
pub async fn get(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let view = blocking(&state, |conn| {
        let audiences = crate::db::audiences::list(conn)?;
        let policy = crate::db::audiences::policies(conn)?
            .into_iter()
            .filter_map(|(sev, aud, targets)| {
                let audience = audiences.iter().find(|a| a.id == aud)?.key.clone();
                Some(PolicyEntry {
                    severity: sev.to_string(),
                    audience,
                    targets,
                })
            })
            .collect();
        Ok::<_, ApiError>(SettingsView {
            organisation: crate::organisation::load(conn)?,
            policy,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(put, path = "/api/v1/settings/policy", tag = "settings", request_body = Vec<PolicyEntry>,
    responses((status = 204), (status = 422, body = ApiErrorBody), (status = 403, body = ApiErrorBody)))]
pub async fn put_policy(
    state: web::Data<AppState>,
    id: Identity,
    body: web::Json<Vec<PolicyEntry>>,
) -> Result<HttpResponse, ApiError> {
    let entries = body.into_inner();
    let actor = id.actor();
    blocking(&state, move |conn| {
        let audiences = crate::db::audiences::list(conn)?;
        let mut errors = FieldErrors::default();
        let mut rows = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            let sev = e
                .severity
                .parse::<Severity>()
                .map_err(|m| errors.add(&format!("[{i}].severity"), m))
                .ok();
            let aud = audiences.iter().find(|a| a.key == e.audience);
            if aud.is_none() {
                errors.add(
                    &format!("[{i}].audience"),
                    format!("unknown audience '{}'", e.audience),
                );
            }
            if let Err(m) = e.targets.validate() {
                errors.add(&format!("[{i}]"), m);
            }
            if let (Some(sev), Some(aud)) = (sev, aud) {
                rows.push((sev, aud.id, e.targets));
            }
        }
        if !errors.is_empty() {
            return Err(ApiError(AppError::Invalid(errors)));
        }
        crate::db::write_transaction(conn, |c| {
            for (sev, aud, t) in &rows {
                crate::db::audiences::set_policy(c, *sev, *aud, t)?;
            }
            crate::db::audit::record(c, &actor, "settings.policy", None, Some("api"))?;
            Ok::<_, ApiError>(())
        })
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The scoring rubric as stored: every weight and threshold, the defaults filled in.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct RubricsView {
    pub rubric_version: i32,
    /// Weights and thresholds of a message's clarity (SCORING.md §2).
    #[schema(value_type = Object)]
    pub clarity: serde_json::Value,
    /// Weights and thresholds of timeliness per audience (SCORING.md §1).
    #[schema(value_type = Object)]
    pub timeliness: serde_json::Value,
}

/// Overrides; a field left out keeps the default, an unknown one is refused.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct RubricsInput {
    #[serde(default)]
    #[schema(value_type = Object)]
    pub clarity: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub timeliness: serde_json::Map<String, serde_json::Value>,
}

fn rubrics_view(r: &crate::scores::Rubrics) -> Result<RubricsView, ApiError> {
    let json = |v: serde_json::Result<serde_json::Value>| {
        v.map_err(|e| ApiError(AppError::Internal(format!("rubric as JSON: {e}"))))
    };
    Ok(RubricsView {
        rubric_version: crate::scoring::RUBRIC_VERSION,
        clarity: json(serde_json::to_value(&r.clarity))?,
        timeliness: json(serde_json::to_value(&r.timeliness))?,
    })
}

#[utoipa::path(get, path = "/api/v1/settings/rubrics", tag = "settings",
    responses((status = 200, body = RubricsView)))]
pub async fn get_rubrics(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let rubrics = blocking(&state, |conn| {
        Ok::<_, ApiError>(crate::scores::rubrics(conn)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(rubrics_view(&rubrics)?))
}

/// Replaces the rubric overrides; every scorecard is recomputed when next read.
#[utoipa::path(put, path = "/api/v1/settings/rubrics", tag = "settings", request_body = RubricsInput,
    responses((status = 200, body = RubricsView), (status = 422, body = ApiErrorBody), (status = 403, body = ApiErrorBody)))]
pub async fn put_rubrics(
    state: web::Data<AppState>,
    id: Identity,
    body: web::Json<RubricsInput>,
) -> Result<HttpResponse, ApiError> {
    let input = body.into_inner();
    let actor = id.actor();
    let clarity = serde_json::Value::Object(input.clarity).to_string();
    let timeliness = serde_json::Value::Object(input.timeliness).to_string();
    let saved = blocking(&state, move |conn| {
        let saved = crate::scores::save_rubrics(conn, &clarity, &timeliness)?;
        crate::db::audit::record(conn, &actor, "settings.rubrics", None, Some("api"))?;
        Ok::<_, ApiError>(saved)
    })
    .await?;
    Ok(HttpResponse::Ok().json(rubrics_view(&saved)?))
}

#[utoipa::path(get, path = "/api/v1/me", tag = "settings",
    responses((status = 200, body = MeView), (status = 401, body = ApiErrorBody)))]
pub async fn me(id: Identity) -> Result<HttpResponse, ApiError> {
    let user = id.user()?;
    Ok(HttpResponse::Ok().json(MeView {
        email: user.email.clone(),
        name: user.name.clone(),
        role: user.role.to_string(),
    }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MeView {
    pub email: String,
    pub name: String,
    pub role: String,
}
