use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use crate::accounts;
use crate::error::ServiceError;
use crate::web::access::{LANG_COOKIE, SESSION_COOKIE};
use crate::web::error::AppError;
use crate::web::ui::{Ui, redirect, redirect_with_flash, safe_next};
use crate::web::{blocking, forms};

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn login_form(ui: Ui, q: web::Query<NextQuery>) -> Result<HttpResponse, AppError> {
    if ui.id.user.is_some() {
        return Ok(redirect(&safe_next(q.next.as_deref())));
    }
    ui.render(
        "pages/login.html",
        minijinja::context! { email => "", next => safe_next(q.next.as_deref()), login_error => () },
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    email: String,
    password: String,
    next: String,
}

pub async fn login(ui: Ui, req: HttpRequest, body: web::Bytes) -> Result<HttpResponse, AppError> {
    let form: LoginForm = forms::parse(&body)?;
    let ip = ui.id.ip.clone();
    let user_agent = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let idle = chrono::Duration::hours(ui.state.config.session_idle_hours);
    let (email, password) = (form.email.clone(), form.password.clone());
    let result = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(accounts::login(
            conn,
            &email,
            &password,
            ip.as_deref(),
            user_agent.as_deref(),
            idle,
        ))
    })
    .await?;
    let next = safe_next(Some(&form.next));
    match result {
        Ok(signed_in) => {
            let cookie = Cookie::build(SESSION_COOKIE, signed_in.session_token)
                .path("/")
                .http_only(true)
                .same_site(SameSite::Lax)
                .secure(ui.state.config.cookies_secure())
                .finish();
            Ok(HttpResponse::SeeOther()
                .insert_header((header::LOCATION, next))
                .cookie(cookie)
                .finish())
        }
        Err(e @ (ServiceError::InvalidCredentials | ServiceError::Throttled { .. })) => {
            let (status, message) = match e {
                ServiceError::Throttled { minutes } => (
                    actix_web::http::StatusCode::TOO_MANY_REQUESTS,
                    crate::i18n::interpolate(
                        &ui.t("login.throttled"),
                        &[("minutes", minutes.to_string())],
                    ),
                ),
                _ => (
                    actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
                    ui.t("login.failed"),
                ),
            };
            ui.render_status(
                status,
                "pages/login.html",
                minijinja::context! { email => form.email, next => next, login_error => message },
            )
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn logout(ui: Ui) -> Result<HttpResponse, AppError> {
    if let Some(hash) = ui.id.session_hash.clone() {
        blocking(&ui.state, move |conn| {
            crate::db::auth::delete_session(conn, &hash).map_err(AppError::from)
        })
        .await?;
    }
    let mut gone = Cookie::new(SESSION_COOKIE, "");
    gone.set_path("/");
    gone.set_max_age(CookieDuration::ZERO);
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/login"))
        .cookie(gone)
        .finish())
}

// --- first-run setup -----------------------------------------------------------------------------

pub async fn setup_form(ui: Ui, token: web::Path<String>) -> Result<HttpResponse, AppError> {
    let t = token.into_inner();
    let check = t.clone();
    let valid = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(accounts::setup_link_valid(conn, &check)?)
    })
    .await?;
    if !valid {
        return link_invalid(&ui);
    }
    ui.render(
        "pages/setup.html",
        minijinja::context! { token => t, values => minijinja::context!{ name => "", email => "" } },
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SetupForm {
    name: String,
    email: String,
    password: String,
    password_repeat: String,
}

pub async fn setup(
    ui: Ui,
    token: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let form: SetupForm = forms::parse(&body)?;
    let token = token.into_inner();
    let values = minijinja::context! { name => form.name, email => form.email };
    if form.password != form.password_repeat {
        let errors =
            crate::domain::FieldErrors::single("password_repeat", ui.t("form.passwords_differ"));
        return ui.render_invalid(
            "pages/setup.html",
            &errors,
            minijinja::context! { token => token, values => values },
        );
    }
    let ip = ui.id.ip.clone();
    let t = token.clone();
    let result = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(accounts::complete_setup(
            conn,
            &t,
            &form.email,
            &form.name,
            &form.password,
            ip,
        ))
    })
    .await?;
    match result {
        Ok(_) => Ok(redirect_with_flash("/login", "success", "flash.setup_done")),
        Err(ServiceError::Invalid(errors)) => ui.render_invalid(
            "pages/setup.html",
            &errors,
            minijinja::context! { token => token, values => values },
        ),
        Err(ServiceError::LinkInvalid) => link_invalid(&ui),
        Err(e) => Err(e.into()),
    }
}

fn link_invalid(ui: &Ui) -> Result<HttpResponse, AppError> {
    ui.render_status(
        actix_web::http::StatusCode::NOT_FOUND,
        "pages/message.html",
        minijinja::context! { title => ui.t("link.invalid_title"), text => ui.t("link.invalid_text") },
    )
}

// --- password reset ------------------------------------------------------------------------------

pub async fn forgot_form(ui: Ui) -> Result<HttpResponse, AppError> {
    ui.render(
        "pages/password_forgot.html",
        minijinja::context! { sent => false, email => "", throttled => () },
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ForgotForm {
    email: String,
}

pub async fn forgot(ui: Ui, body: web::Bytes) -> Result<HttpResponse, AppError> {
    let form: ForgotForm = forms::parse(&body)?;
    let (email, ip) = (form.email.clone(), ui.id.ip.clone());
    let allowed = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(accounts::reset_allowed(conn, &email, ip.as_deref())?)
    })
    .await;
    let allowed = match allowed {
        Ok(allowed) => allowed,
        Err(AppError::TooManyAttempts { minutes }) => {
            return ui.render_status(
                actix_web::http::StatusCode::TOO_MANY_REQUESTS,
                "pages/password_forgot.html",
                minijinja::context! {
                    sent => false,
                    email => form.email,
                    throttled => crate::i18n::interpolate(
                        &ui.t("login.throttled"),
                        &[("minutes", minutes.to_string())],
                    ),
                },
            );
        }
        Err(e) => return Err(e),
    };
    if allowed {
        // Looked up and mailed after the reply, which is therefore the same for every address.
        let (state, mail, email) = (
            ui.state.clone(),
            ui.state.mail_context(),
            form.email.clone(),
        );
        actix_web::rt::spawn(async move {
            let queued = blocking(&state, move |conn| {
                Ok::<_, AppError>(accounts::request_password_reset(conn, &email, &mail)?)
            })
            .await;
            if let Err(e) = queued {
                tracing::error!(error = %e, "password reset mail not queued");
            }
        });
    }
    ui.render(
        "pages/password_forgot.html",
        minijinja::context! { sent => true, email => form.email, throttled => () },
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    password: String,
    password_repeat: String,
}

async fn link_form(ui: Ui, token: String, purpose: &'static str) -> Result<HttpResponse, AppError> {
    let t = token.clone();
    let user = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(accounts::link_user(conn, &t, purpose))
    })
    .await?;
    match user {
        Ok(user) => ui.render(
            "pages/password_reset.html",
            minijinja::context! { token => token, purpose => purpose, account => user },
        ),
        Err(_) => link_invalid(&ui),
    }
}

async fn link_submit(
    ui: Ui,
    token: String,
    purpose: &'static str,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let form: PasswordForm = forms::parse(&body)?;
    let t = token.clone();
    let user = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(accounts::link_user(conn, &t, purpose))
    })
    .await?;
    let Ok(user) = user else {
        return link_invalid(&ui);
    };
    let ctx = minijinja::context! { token => token, purpose => purpose, account => user };
    if form.password != form.password_repeat {
        let errors =
            crate::domain::FieldErrors::single("password_repeat", ui.t("form.passwords_differ"));
        return ui.render_invalid("pages/password_reset.html", &errors, ctx);
    }
    let ip = ui.id.ip.clone();
    let t = token.clone();
    let result = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(accounts::set_password_with_link(
            conn,
            &t,
            purpose,
            &form.password,
            ip,
        ))
    })
    .await?;
    match result {
        Ok(_) => Ok(redirect_with_flash(
            "/login",
            "success",
            "flash.password_set",
        )),
        Err(ServiceError::Invalid(errors)) => {
            ui.render_invalid("pages/password_reset.html", &errors, ctx)
        }
        Err(ServiceError::LinkInvalid) => link_invalid(&ui),
        Err(e) => Err(e.into()),
    }
}

pub async fn reset_form(ui: Ui, token: web::Path<String>) -> Result<HttpResponse, AppError> {
    link_form(ui, token.into_inner(), "password_reset").await
}

pub async fn reset(
    ui: Ui,
    token: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    link_submit(ui, token.into_inner(), "password_reset", body).await
}

pub async fn invitation_form(ui: Ui, token: web::Path<String>) -> Result<HttpResponse, AppError> {
    link_form(ui, token.into_inner(), "invitation").await
}

pub async fn accept_invitation(
    ui: Ui,
    token: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    link_submit(ui, token.into_inner(), "invitation", body).await
}

// --- language --------------------------------------------------------------------------------

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LangForm {
    lang: String,
    next: String,
}

/// Switches the UI language: stored on the user when signed in, else in a cookie.
pub async fn switch_language(ui: Ui, body: web::Bytes) -> Result<HttpResponse, AppError> {
    let form: LangForm = forms::parse(&body)?;
    let lang = crate::i18n::negotiate(&form.lang);
    if let Some(user) = ui.id.user.clone() {
        blocking(&ui.state, move |conn| {
            crate::db::users::set_locale(conn, user.id, lang).map_err(AppError::from)
        })
        .await?;
    }
    let cookie = Cookie::build(LANG_COOKIE, lang)
        .path("/")
        .same_site(SameSite::Lax)
        .max_age(CookieDuration::days(365))
        .finish();
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, safe_next(Some(&form.next))))
        .cookie(cookie)
        .finish())
}
