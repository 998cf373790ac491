use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::accounts;
use crate::domain::FieldErrors;
use crate::error::ServiceError;
use crate::web::error::AppError;
use crate::web::ui::{Ui, redirect_with_flash};
use crate::web::{blocking, forms};

async fn render(
    ui: &Ui,
    new_token: Option<String>,
    errors: Option<&FieldErrors>,
) -> Result<HttpResponse, AppError> {
    let user = ui.id.user()?.clone();
    let uid = user.id;
    let (tokens, sessions) = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>((
            crate::db::auth::list_api_tokens(conn, uid)?,
            crate::db::auth::count_user_sessions(conn, uid)?,
        ))
    })
    .await?;
    let zones: Vec<&str> = chrono_tz::TZ_VARIANTS.iter().map(|z| z.name()).collect();
    let ctx = minijinja::context! {
        account => user,
        tokens => tokens,
        sessions => sessions,
        new_token => new_token,
        zones => zones,
    };
    match errors {
        Some(e) => ui.render_invalid("pages/profile.html", e, ctx),
        None => ui.render("pages/profile.html", ctx),
    }
}

pub async fn show(ui: Ui) -> Result<HttpResponse, AppError> {
    render(&ui, None, None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ProfileForm {
    name: String,
    locale: String,
    time_zone: String,
}

pub async fn update(ui: Ui, body: web::Bytes) -> Result<HttpResponse, AppError> {
    let form: ProfileForm = forms::parse(&body)?;
    let mut errors = FieldErrors::default();
    if form.name.trim().is_empty() || form.name.chars().count() > 120 {
        errors.add("name", "is required (at most 120 characters)");
    }
    if !crate::i18n::LANGUAGES.contains(&form.locale.as_str()) {
        errors.add("locale", "must be de or en");
    }
    let tz = form.time_zone.trim().to_string();
    if !tz.is_empty()
        && let Err(msg) = crate::domain::time::parse_zone(&tz)
    {
        errors.add("time_zone", msg);
    }
    if !errors.is_empty() {
        return render(&ui, None, Some(&errors)).await;
    }
    let uid = ui.id.user()?.id;
    blocking(&ui.state, move |conn| {
        let tz = (!tz.is_empty()).then_some(tz);
        Ok::<_, AppError>(crate::db::users::update_profile(
            conn,
            uid,
            form.name.trim(),
            &form.locale,
            tz.as_deref(),
        )?)
    })
    .await?;
    Ok(redirect_with_flash("/profile", "success", "flash.saved"))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordChangeForm {
    current_password: String,
    new_password: String,
    new_password_repeat: String,
}

pub async fn change_password(ui: Ui, body: web::Bytes) -> Result<HttpResponse, AppError> {
    let form: PasswordChangeForm = forms::parse(&body)?;
    if form.new_password != form.new_password_repeat {
        let e = FieldErrors::single("new_password_repeat", ui.t("form.passwords_differ"));
        return render(&ui, None, Some(&e)).await;
    }
    let user = ui.id.user()?.clone();
    let keep = ui.id.session_hash.clone();
    let result = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(accounts::change_password(
            conn,
            &user,
            &form.current_password,
            &form.new_password,
            keep.as_deref(),
        ))
    })
    .await?;
    match result {
        Ok(()) => Ok(redirect_with_flash(
            "/profile",
            "success",
            "flash.password_changed",
        )),
        Err(ServiceError::Invalid(e)) => render(&ui, None, Some(&e)).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn logout_everywhere(ui: Ui) -> Result<HttpResponse, AppError> {
    let user = ui.id.user()?.clone();
    let actor = ui.id.actor();
    blocking(&ui.state, move |conn| {
        crate::db::auth::delete_user_sessions(conn, user.id)?;
        crate::db::audit::record(conn, &actor, "logout.everywhere", Some(&user.email), None)?;
        Ok::<_, AppError>(())
    })
    .await?;
    Ok(redirect_with_flash(
        "/login",
        "info",
        "flash.logged_out_everywhere",
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TokenForm {
    name: String,
}

pub async fn create_token(ui: Ui, body: web::Bytes) -> Result<HttpResponse, AppError> {
    let form: TokenForm = forms::parse(&body)?;
    let user = ui.id.user()?.clone();
    let actor = ui.id.actor();
    let result = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(accounts::create_api_token(conn, &user, &form.name, &actor))
    })
    .await?;
    match result {
        // The token is shown on this response only; it is not stored in plain text anywhere.
        Ok(token) => render(&ui, Some(token), None).await,
        Err(ServiceError::Invalid(e)) => render(&ui, None, Some(&e)).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn revoke_token(ui: Ui, id: web::Path<i64>) -> Result<HttpResponse, AppError> {
    let user = ui.id.user()?.clone();
    let actor = ui.id.actor();
    let id = id.into_inner();
    let revoked = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(accounts::revoke_api_token(conn, id, &user, &actor)?)
    })
    .await?;
    if !revoked {
        return Err(AppError::NotFound);
    }
    Ok(redirect_with_flash(
        "/profile",
        "success",
        "flash.token_revoked",
    ))
}
