//! Rendering pages: the base context every template gets, flash messages and redirects.

use std::future::{Ready, ready};

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::dev::Payload;
use actix_web::http::{StatusCode, header};
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, web};
use minijinja::Value;
use serde::Serialize;

use super::access::Identity;
use super::error::AppError;
use crate::app::AppState;

const FLASH_COOKIE: &str = "debrief_flash";

/// A one-time notice shown on the next page: a kind (success, error, info) and an i18n key.
#[derive(Debug, Clone, Serialize)]
pub struct Flash {
    pub kind: String,
    pub text: String,
}

/// What a page handler needs to answer with HTML.
pub struct Ui {
    pub id: Identity,
    pub state: web::Data<AppState>,
    flash: Option<Flash>,
    path: String,
}

impl FromRequest for Ui {
    type Error = AppError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let id = req.extensions().get::<Identity>().cloned();
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let flash = req.cookie(FLASH_COOKIE).and_then(|c| {
            let (kind, key) = c.value().split_once(':')?;
            let kind = match kind {
                "success" | "error" | "info" => kind,
                _ => return None,
            };
            // Only catalogue keys are accepted, so a forged cookie cannot inject text.
            let lang = id.as_ref().map(|i| i.lang).unwrap_or("en");
            let text = crate::i18n::translate(lang, key);
            (text != key).then(|| Flash {
                kind: kind.to_string(),
                text,
            })
        });
        ready(match (id, state) {
            (Some(id), Some(state)) => Ok(Ui {
                id,
                state,
                flash,
                path: req.path().to_string(),
            }),
            _ => Err(AppError::Internal("page without identity".into())),
        })
    }
}

impl Ui {
    pub fn t(&self, key: &str) -> String {
        crate::i18n::translate(self.id.lang, key)
    }

    fn base(&self) -> Value {
        let user = self.id.user.as_ref();
        minijinja::context! {
            lang => self.id.lang,
            tz => self.id.tz,
            csrf_token => self.id.csrf_token,
            user => user,
            is_admin => user.is_some_and(|u| u.role == crate::domain::Role::Admin),
            is_editor => user.is_some_and(|u| u.role.includes(crate::domain::Role::Editor)),
            flash => self.flash,
            path => self.path,
            version => env!("CARGO_PKG_VERSION"),
            errors => Value::from(()),
        }
    }

    pub fn render_status(
        &self,
        status: StatusCode,
        template: &str,
        ctx: Value,
    ) -> Result<HttpResponse, AppError> {
        let ctx = minijinja::context! { ..ctx, ..self.base() };
        let body = self.state.templates.render(template, ctx)?;
        let mut res = HttpResponse::build(status);
        res.content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-store"));
        if self.flash.is_some() {
            res.cookie(expired(FLASH_COOKIE));
        }
        Ok(res.body(body))
    }

    pub fn render(&self, template: &str, ctx: Value) -> Result<HttpResponse, AppError> {
        self.render_status(StatusCode::OK, template, ctx)
    }

    /// Re-shows a form with its errors next to the fields (422), keeping what was entered.
    pub fn render_invalid(
        &self,
        template: &str,
        errors: &crate::domain::FieldErrors,
        ctx: Value,
    ) -> Result<HttpResponse, AppError> {
        let errors: std::collections::BTreeMap<&str, &str> = errors
            .0
            .iter()
            .map(|e| (e.field.as_str(), e.message.as_str()))
            .collect();
        let ctx = minijinja::context! { errors => errors, ..ctx };
        self.render_status(StatusCode::UNPROCESSABLE_ENTITY, template, ctx)
    }
}

fn expired(name: &str) -> Cookie<'static> {
    let mut c = Cookie::new(name.to_string(), "");
    c.set_path("/");
    c.set_max_age(CookieDuration::ZERO);
    c
}

/// 303 See Other to `location`, optionally with a flash message (an i18n key).
pub fn redirect(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location.to_string()))
        .finish()
}

pub fn redirect_with_flash(location: &str, kind: &str, key: &str) -> HttpResponse {
    let cookie = Cookie::build(FLASH_COOKIE, format!("{kind}:{key}"))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .finish();
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location.to_string()))
        .cookie(cookie)
        .finish()
}

/// A local redirect target from a `next` parameter; anything else (other hosts, `//evil`) → "/".
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_redirects_are_refused() {
        assert_eq!(safe_next(Some("/incidents?x=1")), "/incidents?x=1");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
