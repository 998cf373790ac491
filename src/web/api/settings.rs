use actix_web::{HttpResponse, web};
use diesel::Connection;
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
        conn.transaction(|c| {
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
